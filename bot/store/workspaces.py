"""What the store keeps about one workspace, all of it: paused when the app leaves, erased on request.

`WORKSPACE_TABLES` lists every table with rows about a workspace (each has `platform` and `workspace`
columns). `paperboy forget --team PLATFORM:TEAM_ID` walks it: a new table keyed by workspace (votes,
reading lists) joins the erasure by being added to this list, one line.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, or_, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.tables import (
    digest_papers,
    digests,
    engagement,
    follows,
    installations,
    paper_messages,
    reactors,
    repliers,
    replies,
    saved,
    subscriptions,
    thread_notes,
    threads,
    votes,
)

WORKSPACE_TABLES: tuple[Table, ...] = (
    installations,
    subscriptions,
    digests,
    digest_papers,
    threads,
    follows,  # followed_cards: a living thread's cards
    thread_notes,
    paper_messages,  # community: the messages people react on, their votes and replies, the counts
    votes,
    reactors,
    replies,
    repliers,
    engagement,
    saved,  # people's reading lists
)

# A subscription's status while its workspace has no installation; the sweep skips any subscription
# with a status, and an install in that workspace clears this one (and a revoked token's, below).
PAUSED = "paused: the app was uninstalled from this workspace (or its token revoked); installing it again resumes"
_TOKEN_REFUSALS = ("token_revoked", "invalid_auth", "account_inactive", "token_expired")


async def forget(engine: AsyncEngine, platform: str, workspace: str) -> dict[str, int]:
    """Erase every row about the workspace, in one transaction; how many went from each table."""
    erased: dict[str, int] = {}
    async with engine.begin() as conn:
        for table in WORKSPACE_TABLES:
            result = await conn.execute(
                delete(table).where(table.c.platform == platform, table.c.workspace == workspace)
            )
            erased[table.name] = _count(result)
    return erased


async def pause(engine: AsyncEngine, platform: str, workspace: str) -> int:
    """Stop the workspace's deliveries (its installation is gone); how many subscriptions were paused.
    A channel's own refusal (archived, bot removed) is kept: `resume` must not clear it."""
    paused = or_(subscriptions.c.status.is_(None), subscriptions.c.status == PAUSED, *_refused_token())
    return await _mark(engine, platform, workspace, paused, PAUSED)


async def _mark(
    engine: AsyncEngine, platform: str, workspace: str, which: ColumnElement[bool], status: str | None
) -> int:
    """Set the status of the workspace's subscriptions `which` picks; how many there were."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(subscriptions)
            .where(subscriptions.c.platform == platform, subscriptions.c.workspace == workspace, which)
            .values(status=status)
        )
    return _count(result)


def _refused_token() -> list[ColumnElement[bool]]:
    return [subscriptions.c.status.like(f"{code}%") for code in _TOKEN_REFUSALS]


async def resume(engine: AsyncEngine, platform: str, workspace: str) -> int:
    """Deliver to the workspace again (installed anew): clear the pauses and the refusals of a bad token,
    not a channel's own refusals (archived, bot removed), which only a new `subscribe` clears."""
    return await _mark(engine, platform, workspace, or_(subscriptions.c.status == PAUSED, *_refused_token()), None)


def _count(result: CursorResult[object] | object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
