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
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

log = logging.getLogger(__name__)


def exit_by(seconds: float, status: int = 1, *, say: bool = True) -> threading.Timer:
    """Arm the deadline (a daemon timer: a process that exits in time is not held by it); past it, the
    process ends with `status`, logging the threads that held it if `say` (`run`'s log; a one-shot
    command has said its one line already)."""

    def expired() -> None:
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

    timer = threading.Timer(seconds, expired)
    timer.daemon = True
    timer.name = "paperboy-exit-deadline"
    timer.start()
    return timer


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
    armed: list[threading.Timer] = []

    def interrupted(signum: int, frame: FrameType | None) -> None:
        if not armed:
            armed.append(exit_by(seconds, status, say=say))
        handler(signum, frame)

    signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
