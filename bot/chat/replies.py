"""What a person is told when answering them fails: the one place that maps errors to replies.

    PaperboyError   its own message: our words for what was wrong and what to do about it
    `explain`'s     where the person is the operator (`paperboy chat`): the store's fault in its words
    the store's     STORE_DOWN: retrying cannot help, and nothing was saved (traceback in the log)
    anything else   OOPS, with the traceback in the log: a fault of ours, nothing they can fix

Every chat adapter runs its answers through `replied`, handing it the platform's way of sending one
line of text; the adapter itself catches nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.domain.errors import PaperboyError
from bot.domain.post import Post

log = logging.getLogger("paperboy.chat")
OOPS = "Sorry, something went wrong on my side. Please try again in a moment."
STORE_DOWN = "Sorry, I couldn't do that: my storage is failing. Whoever runs paperboy can see why in its log."
T = TypeVar("T")
Explain = Callable[[Exception], str | None]


def apology(error: Exception, doing: str, explain: Explain | None = None) -> str:
    """The one line to tell someone whose request failed while `doing` (named in the log) it."""
    if isinstance(error, PaperboyError):
        return str(error)
    if explain is not None and (said := explain(error)) is not None:
        return said
    log.error("%s failed", doing, exc_info=error)
    return STORE_DOWN if _of_the_store(error) else OOPS


def _of_the_store(error: Exception) -> bool:
    """Whether the database refuses the work for as long as nobody mends it (read-only, damaged, full,
    unopenable, its server gone): "try again in a moment" was false. Not a lock held a while (trying
    again does help), nor an error of our own SQL (a bug: OOPS, its traceback in the log)."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from bot.store.faults import causes

    for cause in causes(error):
        if isinstance(cause, sqlite3.Error) and getattr(cause, "sqlite_errorcode", 0) & 0xFF in _LASTING:
            return True
        if isinstance(cause, OperationalError) and "psycopg" in type(cause.orig).__module__:
            return True  # the server refused the connection or went away
    return False


# SQLite's lasting refusals: PERM, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB (not BUSY, LOCKED)
_LASTING = frozenset({3, 8, 10, 11, 13, 14, 26})


async def replied(work: Awaitable[T], doing: str, say: Callable[[str], T], explain: Explain | None = None) -> T:
    """`work`'s reply, or, when it fails, the apology as `say` makes it a reply on the platform."""
    try:
        return await work
    except Exception as exc:
        return say(apology(exc, doing, explain))


def said(line: str) -> Post:
    """A one-line answer of paperboy's own."""
    return Post(header="paperboy", text=(line,))
