"""What a person is told when answering them fails: the one place that maps errors to replies.

    PaperboyError   its own message: our words for what was wrong and what to do about it
    anything else   OOPS, with the traceback in the log: a fault of ours, nothing they can fix

Every chat adapter runs its answers through `replied`, handing it the platform's way of sending one
line of text; the adapter itself catches nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.domain.errors import PaperboyError

log = logging.getLogger("paperboy.chat")
OOPS = "Sorry, something went wrong on my side. Please try again in a moment."
T = TypeVar("T")


def apology(error: Exception, doing: str) -> str:
    """The one line to tell someone whose request failed while `doing` (named in the log) it."""
    if isinstance(error, PaperboyError):
        return str(error)
    log.error("%s failed", doing, exc_info=error)
    return OOPS


async def replied(work: Awaitable[T], doing: str, say: Callable[[str], T]) -> T:
    """`work`'s reply, or, when it fails, the apology as `say` makes it a reply on the platform."""
    try:
        return await work
    except Exception as exc:
        return say(apology(exc, doing))
