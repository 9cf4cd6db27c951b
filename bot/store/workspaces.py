"""What the store keeps about one workspace, all of it: listed, paused when the app leaves, erased on request.

`WORKSPACE_TABLES` lists every table with rows about a workspace (each has `platform` and `workspace`
columns). `paperboy forget --team PLATFORM:TEAM_ID` walks it: a new table keyed by workspace (votes,
reading lists) joins the erasure by being added to this list, one line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, and_, delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.schedule import day_start
from bot.store.engine import as_utc
from bot.store.locks import hold
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
PAUSED = (
    "paused: paperboy is not installed in this workspace (never was, was uninstalled, or its token was revoked); "
    "installing it resumes"
)
# … while the Discord server removed the bot (a kick, or it was made to leave); its joining again clears it.
SERVER_LEFT = "paused: the bot is not in this Discord server (it was removed from it); adding it back resumes"
# A channel's refusal a removed bot got from a digest due while it was away (the removal itself came while
# no process was connected): cleared too when it joins again (tried then; refused again, it says so again).
UNSEEN = "403 missing access%the bot cannot see this channel%"
_PAUSED_BEFORE = (
    "paused: the app was uninstalled from this workspace (or its token revoked); installing it again resumes",
)
# A refused token, or the app refused in the whole workspace (adapters.slack.errors' TOKEN_REFUSALS
# and APP_REFUSALS): a reinstall, or a mended SLACK_BOT_TOKEN, resumes the channels they stopped.
WORKSPACE_REFUSALS = (
    "token_revoked",
    "invalid_auth",
    "account_inactive",
    "token_expired",
    "not_authed",
    "missing_scope",
    "team_access_not_granted",
    "ekm_access_denied",
)


async def forget(engine: AsyncEngine, platform: str, workspace: str, *, unnamed: bool = False) -> dict[str, int]:
    """Erase every row about the workspace, in one transaction; how many went from each table. `unnamed`:
    the platform's rows kept under no workspace too (with one Slack token, the channels named without
    one, the config file's and `paperboy post`'s, are that token's workspace's)."""
    erased: dict[str, int] = {}
    spaces = [workspace, ""] if unnamed else [workspace]
    async with engine.begin() as conn:
        for table in WORKSPACE_TABLES:
            result = await conn.execute(
                delete(table).where(table.c.platform == platform, table.c.workspace.in_(spaces))
            )
            erased[table.name] = _count(result)
    return erased


async def pause(
    engine: AsyncEngine, platform: str, workspace: str, status: str = PAUSED, channels: Collection[str] = ()
) -> int:
    """Stop the workspace's deliveries (its installation is gone); how many subscriptions were paused.
    A channel's own refusal (archived, bot removed) is kept: `resume` must not clear it. None are where
    the workspace is installed again by now: an uninstall's pause that came after a reinstall's `resume`
    left the workspace installed with every digest paused (both hold the workspace's lock). `channels`:
    the workspace's channels, whose subscriptions kept under no workspace (the config file's) go too."""
    paused = or_(subscriptions.c.status.is_(None), _paused(), *_refused_token())
    return await _mark(engine, platform, workspace, paused, status, unless_installed=True, channels=channels)


async def _mark(
    engine: AsyncEngine,
    platform: str,
    workspace: str | None,
    which: ColumnElement[bool],
    status: str | None,
    *,
    unless_installed: bool = False,
    channels: Collection[str] = (),
) -> int:
    """Set the status of the workspace's subscriptions `which` picks (`workspace` None: every one of the
    platform's); how many there were. `unless_installed`: none, where the workspace has an installation."""
    where = [subscriptions.c.platform == platform, which]
    if workspace is not None:
        where.append(_of(workspace, channels))
    async with engine.begin() as conn:
        if unless_installed and workspace is not None:
            await hold(conn, _installing(platform, workspace))
            installed = installations.c.platform == platform, installations.c.workspace == workspace
            if (await conn.execute(select(installations.c.workspace).where(*installed))).first() is not None:
                return 0
        result = await conn.execute(update(subscriptions).where(*where).values(status=status))
    return _count(result)


def _of(workspace: str, channels: Collection[str]) -> ColumnElement[bool]:
    """The workspace's subscriptions, and those of `channels` kept under no workspace."""
    if not channels:
        return subscriptions.c.workspace == workspace
    unnamed = and_(subscriptions.c.workspace == "", subscriptions.c.channel.in_(sorted(channels)))
    return or_(subscriptions.c.workspace == workspace, unnamed)


def _installing(platform: str, workspace: str) -> str:
    """The lock (`bot.store.locks`) an uninstall's pause and an install's resume take, one after the other."""
    return f"installation {platform}:{workspace}"


def _paused() -> ColumnElement[bool]:
    return subscriptions.c.status.in_((PAUSED, SERVER_LEFT, *_PAUSED_BEFORE))  # the words of earlier versions too


def _refused_token() -> list[ColumnElement[bool]]:
    return [subscriptions.c.status.like(f"{code}%") for code in WORKSPACE_REFUSALS]


async def resume(
    engine: AsyncEngine,
    platform: str,
    workspace: str,
    now: datetime | None = None,
    *,
    unseen: bool = False,
    channels: Collection[str] = (),
) -> int:
    """Deliver to the workspace again (installed anew): clear the pauses and the refusals of a bad token,
    not a channel's own refusals (archived, bot removed), which only a new `subscribe` clears; how many.
    `unseen`: a Discord server the bot joined again, whose channels' "cannot see this channel" (`UNSEEN`)
    came from its absence, are cleared too; `channels`, as for `pause`.

    Each one's schedule begins anew at the start of its local day (`Subscription.since`, kept in
    `updated_at`): today's digest, still in its window, comes (late); the days the app was gone are not
    owed, so not recorded missed one by one, each with a warning, as they were."""
    when = now or datetime.now(UTC)
    which = [subscriptions.c.platform == platform, _of(workspace, channels)]
    which.append(or_(_paused(), *_refused_token(), *([subscriptions.c.status.like(UNSEEN)] if unseen else [])))
    columns = (subscriptions.c.channel, subscriptions.c.timezone, subscriptions.c.updated_at)
    async with engine.begin() as conn:
        await hold(conn, _installing(platform, workspace))  # after an uninstall's pause begun before it, if any
        rows = (await conn.execute(select(*columns).where(*which))).all()
        for channel, zone, since in rows:
            began = max(as_utc(since) or when, day_start(when, zone))
            changed = update(subscriptions).where(*which, subscriptions.c.channel == channel)
            await conn.execute(changed.values(status=None, updated_at=began))
    return len(rows)


async def forgive_refused_token(engine: AsyncEngine, platform: str) -> int:
    """One token for the platform (SLACK_BOT_TOKEN), mended: clear what a refused token left on its
    subscriptions (before 2026-12 a refused bot token stopped every channel for good; now a delivery
    fails and is tried again); how many."""
    return await _mark(engine, platform, None, or_(*_refused_token()), None)


def _count(result: CursorResult[object] | object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class Installed:
    """One installation as `paperboy workspaces` lists it: nothing secret, its token not opened."""

    platform: str
    workspace: str
    name: str  # the workspace's (or org's) name as Slack gave it; "" when it gave none
    org_wide: bool  # an Enterprise Grid org's install, serving all its workspaces
    installed_at: datetime
    expires_at: datetime | None  # a rotating token's expiry; None: it does not expire
    token_opens: bool | None  # whether a key of PAPERBOY_SECRET_KEY opens it; None: not checked
    channels: int  # channels subscribed in the workspace
    stopped: int  # of those, the ones whose delivery stopped (paused, removed, archived…)
    follows: int  # people's own digests (`/papers follow`)


@dataclass(frozen=True)
class Departed:
    """A Slack workspace with no installation whose data is still stored (uninstalled: a new install resumes
    its digests, `paperboy forget` erases it); its subscriptions counted as `Installed`'s."""

    platform: str
    workspace: str
    channels: int
    stopped: int
    follows: int
    votes: int = 0  # reactions counted on its cards
    saved: int = 0  # papers on its people's reading lists


async def left_servers(engine: AsyncEngine) -> set[str]:
    """The Discord servers (and channels kept under none) whose digests their leaving paused (`SERVER_LEFT`)."""
    query = select(subscriptions.c.workspace, subscriptions.c.channel).where(
        subscriptions.c.platform == "discord", subscriptions.c.status == SERVER_LEFT
    )
    async with engine.connect() as conn:
        return {str(r.workspace or r.channel) for r in (await conn.execute(query)).all()}


async def holding(engine: AsyncEngine, platform: str) -> set[str]:
    """The workspaces (and "", for rows kept under none) the platform's rows of `WORKSPACE_TABLES` name."""
    held = [select(table.c.workspace).where(table.c.platform == platform) for table in WORKSPACE_TABLES]
    async with engine.connect() as conn:
        return {str(r.workspace) for r in (await conn.execute(held[0].union(*held[1:]))).all()}


async def departed(engine: AsyncEngine) -> list[Departed]:
    """The Slack workspaces that hold rows of `WORKSPACE_TABLES` and no installation, by id."""
    anywhere = {("slack", workspace) for workspace in await holding(engine, "slack") if workspace}
    async with engine.connect() as conn:
        installs = {
            (r.platform, r.workspace)
            for r in (await conn.execute(select(installations.c.platform, installations.c.workspace))).all()
        }
        counted = await _counted(conn)
        kept = {table.name: await _per_workspace(conn, table) for table in (votes, saved)}
    gone = sorted(anywhere - installs)
    return [
        Departed(platform, w, *_counts(counted.get((platform, w))), kept["votes"].get(w, 0), kept["saved"].get(w, 0))
        for platform, w in gone
    ]


async def _per_workspace(conn: AsyncConnection, table: Table) -> dict[str, int]:
    """How many of a table's Slack rows each workspace has (a vote taken off, `present` false, is none)."""
    query = select(table.c.workspace, func.count()).where(table.c.platform == "slack")
    query = query.where(table.c.present.is_(True)) if "present" in table.c else query
    return {str(w): int(n) for w, n in (await conn.execute(query.group_by(table.c.workspace))).all()}


async def _counted(conn: AsyncConnection) -> dict[tuple[str, str], Row[Any]]:
    """Each workspace's channels subscribed, of those stopped, and people's follows, by platform and workspace."""
    person = subscriptions.c.person.is_not(None)
    counts = select(
        subscriptions.c.platform,
        subscriptions.c.workspace,
        func.count().filter(~person).label("channels"),
        func.count().filter(~person, subscriptions.c.status.is_not(None)).label("stopped"),
        func.count().filter(person).label("follows"),
    ).group_by(subscriptions.c.platform, subscriptions.c.workspace)
    return {(r.platform, r.workspace): r for r in (await conn.execute(counts)).all()}


def _counts(row: Row[Any] | None) -> tuple[int, int, int]:
    """A workspace's (channels, stopped, follows) from `_counted`'s row; none for a workspace with no row."""
    return (row.channels, row.stopped, row.follows) if row is not None else (0, 0, 0)


async def installed(engine: AsyncEngine, opens: Callable[[str], bool] | None = None) -> list[Installed]:
    """Every stored installation with its workspace's subscriptions counted, by platform and workspace;
    `opens` checks each sealed token against the keys."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(select(installations).order_by(installations.c.platform, installations.c.workspace))
        ).all()
        counted = await _counted(conn)
    found = []
    for row in rows:
        details = dict(row.details or {})
        channels, stopped, follows = _counts(counted.get((row.platform, row.workspace)))
        found.append(
            Installed(
                platform=row.platform,
                workspace=row.workspace,
                name=str(details.get("enterprise_name" if row.is_enterprise_install else "team_name") or ""),
                org_wide=bool(row.is_enterprise_install),
                installed_at=as_utc(row.installed_at),
                expires_at=as_utc(row.expires_at),
                token_opens=opens(row.sealed) if opens is not None else None,
                channels=channels,
                stopped=stopped,
                follows=follows,
            )
        )
    return found
