"""Ctrl-C says so: exit 130 with one line on stderr (typer answered KeyboardInterrupt with a silent 130)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from bot.app import cli
from bot.app.cli import running


def test_ctrl_c_in_a_command_exits_130_saying_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def pressed(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(running, "with_services", pressed)
    with pytest.raises(SystemExit) as ended:
        cli.main(["search", "diffusion"])
    assert ended.value.code == 130
    assert capsys.readouterr().err.strip() == (
        "paperboy: error: interrupted (Ctrl-C): what it did before is kept (the store commits as it goes);"
        " run it again for the rest"
    )
    # no exit deadline armed in a process that called `main` itself (it ended the test run 5 s later)
    assert "paperboy-exit-deadline" not in [t.name for t in threading.enumerate()]


@pytest.mark.slow
def test_sigterm_in_a_command_exits_143_saying_so() -> None:
    """`kill` or a container stopping ended a sync with status 143 and not a word (the README promises a line)."""
    code = """
import os, signal, sys, threading, time
from bot.app import cli
from bot.app.cli import running
running.with_services = lambda *a, **k: time.sleep(30)  # a command at work
sys.argv = ["paperboy", "search", "diffusion"]
threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
cli.main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip().startswith("paperboy: error: interrupted (SIGTERM): what it did before is kept")


@pytest.mark.slow
@pytest.mark.parametrize(("signal_name", "by"), [("SIGTERM", "SIGTERM"), ("SIGINT", "Ctrl-C")])
def test_run_stopped_while_it_starts_stops_cleanly_with_0(signal_name: str, by: str) -> None:
    """`paperboy run` stopped in its first half second (its store opening, before its own answer to the
    signals was set) exited 143 or 130, "run it again for the rest": a container stopped while paperboy
    started was said to have failed (QA s73-operator #3). Once serving, it stops with 0 (tests/app)."""
    code = f"""
import os, signal, sys, threading, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (a job started with & ignores it)
from bot.app import cli
from bot.app.cli import running
running.with_services = lambda *a, **k: time.sleep(30)  # still starting
sys.argv = ["paperboy", "run"]
os.environ["PAPERBOY_OFFLINE"] = "1"
threading.Timer(0.5, os.kill, (os.getpid(), signal.{signal_name})).start()
cli.main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith(f"paperboy: stopped ({by}): what it did is kept (the store commits as it goes)")


@pytest.mark.slow
def test_an_input_cut_short_in_run_is_an_error_not_a_clean_stop() -> None:
    """click answers an EOFError (a gzip file cut short) with Abort, as it does Ctrl-C: `run` said "stopped
    (Ctrl-C)" and exited 0, so a supervisor took a crash for a clean stop (second review, s73). In a process
    of its own: `run` arms its exit deadline on the way out."""
    code = """
import os, sys
from bot.app import cli
from bot.app.cli import running

def cut_short(*a, **k):
    raise EOFError("Compressed file ended before the end-of-stream marker was reached")

running.with_services = cut_short
sys.argv = ["paperboy", "run"]
os.environ["PAPERBOY_OFFLINE"] = "1"
cli.main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().endswith(
        "paperboy: error: an input ended before its end (Compressed file ended before the end-of-stream marker was"
        " reached): what was done before is kept"
    )
