"""The last resort of a stop: a process told to stop is gone within a deadline, whatever still runs.

`paperboy run` stops in order: the work under way finishes or is cancelled (`SHUTDOWN_SECONDS`),
then every connection closes. What it cannot stop is a thread: a CPU worker in the middle of an
index build (minutes at a million papers; the interpreter waits for it at exit), or a database
driver's thread that work cut off in an unforeseen way left open (aiosqlite's are not daemons). A
process that hangs there holds its port, its place in the fleet and the operator's terminal. So once
the stop is asked for, a timer runs; past its deadline it logs the threads still running and ends
the process with status 1. Nothing is lost by it: the store commits as it goes, and the ledger's
intents let the next start pick up what was being posted.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger(__name__)


def exit_by(seconds: float, status: int = 1, *, say: bool = True) -> threading.Timer:
    """Arm the deadline (a daemon timer: a process that exits in time is not held by it); past it, the
    process ends with `status`, logging the threads that held it if `say` (`run`'s log; a one-shot
    command has said its one line already)."""

    timer = threading.Timer(seconds, _expired, args=(seconds, status, say))
    timer.daemon = True
    timer.name = "paperboy-exit-deadline"
    timer.start()
    return timer


def _expired(seconds: float, status: int, say: bool) -> None:
    running = sorted(t.name for t in threading.enumerate() if not t.daemon and t is not threading.main_thread())
    if say:
        log.error(
            "still running %g s after the stop was asked for (threads: %s): exiting now",
            seconds,
            ", ".join(running) or "only the main one",
        )
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(status)


@contextmanager
def deadline_at_interrupt(seconds: float, status: int, *, say: bool = True) -> Iterator[None]:
    """Within it, Ctrl-C arms the deadline at once, before anything is cleaned up; the handler in place
    (asyncio's, which cancels the command's task) still runs. A clean-up that hangs after Ctrl-C (a
    thread joined, a connection closed, on a busy host) otherwise ran before the deadline was armed,
    and nothing cut it short. Only on the main thread, where handlers can be set."""
    handler = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(handler):
        yield
        return
    # The watch is started here, not in the handler: a handler runs between any two bytecodes of the main
    # thread, perhaps inside its own `Thread.start`, whose lock a second start would wait on for ever.
    interrupt = threading.Event()

    def watch() -> None:
        interrupt.wait()
        time.sleep(seconds)
        _expired(seconds, status, say)

    threading.Thread(target=watch, name="paperboy-exit-deadline", daemon=True).start()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        interrupt.set()
        handler(signum, frame)

    signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
