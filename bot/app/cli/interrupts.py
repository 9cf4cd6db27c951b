"""Ctrl-C and SIGTERM: a command stopped says so in one line, with its own exit status, and never
hangs on a clean-up past a deadline (`bot.host.exits`)."""

from __future__ import annotations

import contextlib
import signal
import sys
from contextlib import AbstractContextManager

from bot.app.cli.output import err, fail

INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C
INTERRUPT_SECONDS = 5.0  # how long an interrupted command may take to exit before it is ended


TERMINATED = 143  # the exit status of a command stopped by SIGTERM (128 + 15), as without a handler


class Terminated(BaseException):
    """SIGTERM reached a command (`paperboy run` answers it itself: it stops cleanly and exits 0)."""


def terminate(signum: int, frame: object) -> None:
    raise Terminated


def deadline_at_interrupt() -> AbstractContextManager[None]:
    """In the command's own process (`main` reading sys.argv, which set SIGTERM's answer), Ctrl-C arms
    the exit deadline at once: a clean-up that hangs after it cannot hold the process (`bot.host.exits`)."""
    from contextlib import nullcontext

    from bot.host.exits import deadline_at_interrupt

    if signal.getsignal(signal.SIGTERM) is not terminate:
        return nullcontext()
    return deadline_at_interrupt(2 * INTERRUPT_SECONDS, INTERRUPTED, say=False)


def interrupted(*, own: bool, by: str = "Ctrl-C", status: int = INTERRUPTED, serving: bool = False) -> None:
    """Ctrl-C: exit 130 at once, saying so (SIGTERM: 143). A CPU worker in the middle of an index build
    (the interpreter waits for it at exit) held `paperboy chat` past Ctrl-C on a busy host: past a few
    seconds the process ends without it (`bot.host.exits`; the store commits as it goes). Only where the
    process is the command's own (`main` reading sys.argv): a caller of `main` in its own process, a test,
    may go on after it. `serving`: `paperboy run`, stopped before its own answer to the signals was set
    (while it starts) or after it took it down: it stops cleanly, exit 0, as it does once serving (a
    container stopped while paperboy started was said to have failed, 143)."""
    if serving:
        status = 0
    if own:
        from bot.host.exits import exit_by

        exit_by(INTERRUPT_SECONDS, status, say=False)  # the command's one line is said below
        # a second Ctrl-C, while the interpreter waits for a worker at exit, printed a thread's traceback
        # after that line: the deadline above ends the process all the same
        with contextlib.suppress(ValueError):  # not the main thread: signals are not ours to set
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    if serving:
        err.print(f"paperboy: stopped ({by}): what it did is kept (the store commits as it goes)", markup=False)
        sys.exit(0)
    fail(
        f"interrupted ({by}): what it did before is kept (the store commits as it goes); run it again for the rest",
        status,
    )
