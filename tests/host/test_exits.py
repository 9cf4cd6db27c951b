"""The exit deadline: a process told to stop is gone in time, even with a thread that will not stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import child_env

STUCK = """
import logging, threading, time
from bot.host.exits import exit_by
logging.basicConfig(level=logging.INFO)
threading.Thread(target=time.sleep, args=(60,), name="stuck-writer").start()  # not a daemon: holds the exit
exit_by({deadline})
"""


def run(code: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env(), timeout=60,
        preexec_fn=as_from_a_terminal,
    )  # fmt: skip
    return done, time.monotonic() - started


def as_from_a_terminal() -> None:
    """Ctrl-C's default answer, as a command typed in a terminal has it: started in the background of a
    shell (`nohup … &`, as CI may run), the process inherits SIGINT ignored, and nothing could stop it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_a_thread_that_holds_the_exit_is_named_and_the_process_ends_at_the_deadline() -> None:
    done, took = run(STUCK.format(deadline=1.0))
    assert done.returncode == 1, done.stderr
    assert took < 30  # not the thread's 60 s
    assert "stuck-writer" in done.stderr and "exiting now" in done.stderr


def test_a_process_that_exits_in_time_is_not_held_by_the_deadline() -> None:
    done, took = run("from bot.host.exits import exit_by\nexit_by(50.0)\nprint('done')")
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr
    assert took < 30  # not the deadline's 50 s


@pytest.mark.slow
def test_ctrl_c_ends_a_command_whose_cpu_worker_is_still_busy_with_status_130() -> None:
    """A CPU worker in the middle of an index build held `paperboy chat` past Ctrl-C on a busy host (the
    interpreter waits for a pool's workers at exit): now it ends a few seconds on, as interrupted."""
    code = """
import time
from concurrent.futures import ThreadPoolExecutor
from bot.app.cli.interrupts import interrupted
pool = ThreadPoolExecutor(1, thread_name_prefix="paperboy-cpu")
pool.submit(time.sleep, 60)  # an index build under way
time.sleep(0.2)
interrupted(own=True)  # what the command line does on Ctrl-C
"""
    done, took = run(code)
    assert done.returncode == 130, done.stderr
    assert took < 30 and "paperboy: error: interrupted" in done.stderr  # not the worker's 60 s
    assert done.stderr.strip().count("\n") == 0, done.stderr  # that line alone: the threads are run's to log


@pytest.mark.slow
def test_a_clean_up_that_hangs_after_ctrl_c_cannot_hold_the_process() -> None:
    """The deadline was armed only once asyncio's cancellation had run its course: a clean-up that hung in
    it (a thread joined on a busy host) held `paperboy chat` past Ctrl-C with nothing to cut it short."""
    code = """
import asyncio, os, signal, threading, time
from bot.host.exits import deadline_at_interrupt

async def main():
    with deadline_at_interrupt(1.0, 130):
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            await asyncio.sleep(60)
        finally:
            await asyncio.to_thread(time.sleep, 60)  # a clean-up that never ends

asyncio.run(main())
"""
    done, took = run(code)
    assert done.returncode == 130, done.stderr
    assert took < 30 and "exiting now" in done.stderr  # not the clean-up's 60 s


def test_without_ctrl_c_the_handler_in_place_is_kept_and_given_back() -> None:
    done, _ = run("""
import asyncio, signal
from bot.host.exits import deadline_at_interrupt

async def main():
    before = signal.getsignal(signal.SIGINT)
    with deadline_at_interrupt(1.0, 130):
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before
    return "kept"

print(asyncio.run(main()))
""")
    assert done.returncode == 0 and done.stdout.strip() == "kept", done.stderr
