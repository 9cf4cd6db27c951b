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
import threading

log = logging.getLogger(__name__)


def exit_by(seconds: float, status: int = 1) -> threading.Timer:
    """Arm the deadline (a daemon timer: a process that exits in time is not held by it); past it, the
    process ends with `status`."""

    def expired() -> None:
        running = sorted(t.name for t in threading.enumerate() if not t.daemon and t is not threading.main_thread())
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
