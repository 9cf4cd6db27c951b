"""Votes and replies on the bot's paper messages, per channel, and the ranking `/papers top` reads.

Every event is stored under its natural key, so a platform's retry, a second replica's copy or a
gateway replay of it changes nothing:

- a vote is (platform, workspace, channel, paper, person, message, emoji); `present` says whether
  the reaction is on, `event_at` when the platform says it changed, `put_on_at` since when it is on.
  A change older than the one stored is dropped, so a late retry of an add never undoes the remove
  that followed it; a later copy of an add moves `event_at` only;
- a reply is the person's message id in the paper's thread.

Per person and paper a row counts their present reactions (`reactors`) and their replies
(`repliers`); its 0 → 1 and 1 → 0 steps move the paper's `engagement` row (distinct people who
reacted, distinct people who replied), all in the event's transaction. Those rows are taken with a
row lock by the upsert itself, so replicas counting the same person at once wait for each other
instead of counting them twice.

Events arriving together share a transaction (group commit): the papers of their messages are looked
up in it, a few set-wise queries for all of them, and the events written by `bot.store.tally` in a
few multi-row statements; a message's paper, once known, is remembered.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, String, Table, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.elements import BindParameter

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged
from bot.store.engine import as_utc
from bot.store.group_commit import GroupCommit
from bot.store.tables import engagement, paper_messages, papers, replies, threads, votes
from bot.store.tally import SUPER, Event, Posted, Reply, Tally, Vote, place, rows_of, utc

__all__ = ["SUPER", "EngagementStore", "Event", "Posted", "Reply", "Vote"]
PIECE = 100  # (channel, message) pairs a query
CACHE = 50_000  # messages whose paper is remembered in memory (a card's reactions come in bursts)


@dataclass
class _Ask:
    """One message to find the paper of, and, once the batch it went in has run, what was found."""

    where: ChannelRef
    message: str
    thread_messages: bool
    found: Posted | None = None


@dataclass(frozen=True)
class _Space:  # where messages are looked up: a platform, and the workspace the events came from
    platform: str
    workspace: str


@dataclass(frozen=True)
class _Change:
    """An event to count, made once its message's paper is known (`ask.found`, else looked up first)."""

    ask: _Ask
    make: Callable[[Posted], Event]


class EngagementStore:
    """Records votes and replies (group-committed) and ranks a channel's papers (the Engagement port)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self._record = GroupCommit(self._write)
        self._resolve = GroupCommit(self._lookup_all)  # asked together, looked up over one connection
        self._known: OrderedDict[tuple[ChannelRef, str, bool], Posted] = OrderedDict()

    # -- which paper a message is about -------------------------------------------------------

    async def posted(self, where: ChannelRef, message: str, *, thread_messages: bool = False) -> Posted | None:
        """The paper the bot posted `message` for in `where`: a card (the root of a paper thread) or a
        thread seed it recorded. With `thread_messages`, any message in a paper's thread counts (the
        caller checked it is the bot's own; on Discord a thread is a channel of its own)."""
        ask = self._ask(where, message, thread_messages)
        if ask.found is None:
            await self._resolve(ask)
            self._remember(ask)
        return ask.found

    async def count(
        self, where: ChannelRef, message: str, make: Callable[[Posted], Event], *, thread_messages: bool = False
    ) -> Posted | None:
        """Find the paper of `message` (as `posted` does) and count the event `make` builds for it, both
        in the transaction of the events arriving with it: the paper, or None (nothing counted)."""
        ask = self._ask(where, message, thread_messages)
        await self._record(_Change(ask, make))
        self._remember(ask)
        return ask.found

    def _ask(self, where: ChannelRef, message: str, thread_messages: bool) -> _Ask:
        """A message to find the paper of, already found when it is remembered."""
        key = (where, message, thread_messages)
        found = self._known.get(key)
        if found is not None:
            self._known.move_to_end(key)
        return _Ask(where, message, thread_messages, found)

    def forget(self, platform: str, workspace: str) -> None:
        """Drop what is remembered of a workspace's messages: it was installed again or removed (its
        cards may have been erased from the store meanwhile, by `paperboy forget`)."""
        for key in [k for k in self._known if k[0].platform == platform and k[0].workspace == workspace]:
            del self._known[key]

    def _remember(self, ask: _Ask) -> None:
        if ask.found is not None:
            self._known[(ask.where, ask.message, ask.thread_messages)] = ask.found
            if len(self._known) > CACHE:
                self._known.popitem(last=False)

    async def _lookup_all(self, asks: list[_Ask]) -> None:
        """Find the papers of every message asked about at once: a few set-wise queries a platform."""
        async with self._engine.connect() as conn:
            await self._find(conn, asks)

    async def _find(self, conn: AsyncConnection, asks: list[_Ask]) -> None:
        spaces: dict[_Space, list[_Ask]] = defaultdict(list)
        for ask in asks:
            spaces[_Space(ask.where.platform, ask.where.workspace)].append(ask)
        for space, group in spaces.items():
            await self._lookup(conn, space, group)

    async def _lookup(self, conn: AsyncConnection, space: _Space, asks: list[_Ask]) -> None:
        """Where a message names its paper, first to last: a message the bot recorded (a seed), a card
        (the root of a paper's thread), on Discord a thread of its own id, and, where the caller
        knows the message is the bot's, the paper thread it is in. Then each paper's first card in
        its channel (a digest card or a share, whichever came first). All in the asker's workspace, or
        in none ("", a channel the config file names without one)."""
        platform = space.platform
        pairs = sorted({(a.where.channel, a.message) for a in asks})
        seeds = await _pick(conn, paper_messages, space, "message", pairs, "posted_at")
        cards = await _pick(conn, threads, space, "thread_ref", pairs, "created_at")
        alone = {a.message for a in asks if platform == "discord"} | {
            a.where.channel for a in asks if a.thread_messages
        }
        anywhere = await _by_thread(conn, platform, sorted(alone)) if alone else {}
        found: dict[int, tuple[str, str, datetime]] = {}
        for i, ask in enumerate(asks):
            key = (ask.where.channel, ask.message)
            hit = seeds.get(key) or cards.get(key)
            if hit is None and platform == "discord":
                hit = anywhere.get(ask.message)
            if hit is None and ask.thread_messages:
                hit = anywhere.get(ask.where.channel)
            if hit is not None:
                found[i] = hit
        firsts = await _first_cards(conn, space, sorted({(c, p) for c, p, _ in found.values()}))
        for i, (channel, arxiv_id, own) in found.items():
            ask = asks[i]
            at = as_utc(firsts.get((channel, arxiv_id)) or own)
            ask.found = Posted(ChannelRef(platform, channel, ask.where.workspace), arxiv_id, at)

    # -- recording ----------------------------------------------------------------------------

    async def record(self, event: Event) -> None:
        """Count one vote change or reply (once however often it is offered); returns once committed."""
        posted = event.posted
        await self._record(_Change(_Ask(posted.channel, "", False, posted), lambda _: event))

    async def _write(self, changes: list[_Change]) -> None:
        """One transaction for a batch: the papers of the messages not yet known, then the counts."""
        async with self._engine.begin() as conn:
            await self._find(conn, [c.ask for c in changes if c.ask.found is None])
            events = [c.make(c.ask.found) for c in changes if c.ask.found is not None]
            vote_rows, reply_rows = rows_of(events)
            tally = Tally(conn)
            await tally.votes(vote_rows)
            await tally.replies(reply_rows)
            await tally.close()

    async def workspaces_of(self, channel: ChannelRef) -> list[str]:
        """The workspaces with papers engaged with in a channel of this id (a Slack channel id is unique only
        within its workspace: two workspaces may each have a C0001)."""
        query = (
            select(engagement.c.workspace)
            .where(engagement.c.platform == channel.platform, engagement.c.channel == channel.channel)
            .distinct()
            .order_by(engagement.c.workspace)
        )
        async with self._engine.connect() as conn:
            return [str(w) for w in (await conn.scalars(query)).all()]

    async def reactions_on(self, where: ChannelRef, message: str, emoji: str | None = None) -> list[tuple[str, str]]:
        """The reactions counted on, now, on one message: (person, reaction as stored) each; `emoji`:
        that emoji's only (its super reaction too). What a moderator clearing them takes off."""
        query = select(votes.c.user_id, votes.c.reaction).where(
            votes.c.platform == where.platform,
            votes.c.workspace == where.workspace,
            votes.c.channel == where.channel,
            votes.c.message == message,
            votes.c.present.is_(True),
        )
        if emoji is not None:
            query = query.where(or_(votes.c.reaction == emoji, votes.c.reaction == f"{emoji}{SUPER}"))
        async with self._engine.connect() as conn:
            return [(str(user), str(reaction)) for user, reaction in (await conn.execute(query)).all()]

    async def vote_of(self, posted: Posted, user: str, message: str, reaction: str) -> tuple[bool, datetime] | None:
        """One person's reaction on one of a paper's messages as stored: (on, when it last changed), or None."""
        query = select(votes.c.present, votes.c.event_at).where(
            *(votes.c[k] == v for k, v in place(posted.channel, posted.arxiv_id).items()),
            votes.c.user_id == user,
            votes.c.message == message,
            votes.c.reaction == reaction,
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else (bool(row[0]), as_utc(row[1]))

    # -- reading (the Engagement port) ----------------------------------------------------------

    async def top(
        self, channel: ChannelRef, since: datetime | None, until: datetime | None, limit: int
    ) -> Sequence[Engaged]:
        """The channel's papers with a score above 0 among the cards posted in [since, until), highest
        score first, ties by Hugging Face upvotes, then arXiv id. A channel named without its workspace
        (`paperboy top --channel slack:C…`, a subscription from the config file) is read in every
        workspace that has one by that id."""
        reactions = func.sum(engagement.c.reactions)
        replied = func.sum(engagement.c.replies)
        upvotes = func.max(func.coalesce(papers.c.upvotes, 0))
        query = (
            select(engagement.c.arxiv_id, reactions, replied)
            .select_from(engagement.outerjoin(papers, papers.c.arxiv_id == engagement.c.arxiv_id))
            .where(engagement.c.platform == channel.platform, engagement.c.channel == channel.channel)
            .group_by(engagement.c.arxiv_id)
            .having(reactions + replied > 0)
            .order_by((reactions + replied).desc(), upvotes.desc(), engagement.c.arxiv_id)
            .limit(max(limit, 0))
        )
        if channel.workspace:
            query = query.where(engagement.c.workspace == channel.workspace)
        if since is not None:
            query = query.where(engagement.c.posted_at >= utc(since))
        if until is not None:
            query = query.where(engagement.c.posted_at < utc(until))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Engaged(str(r[0]), int(r[1]), int(r[2])) for r in rows]

    async def discussed(self, channel: ChannelRef, since: datetime, until: datetime, limit: int) -> Sequence[Engaged]:
        """The channel's papers with reactions put on (and still on) or replies made in [since, until),
        whenever their cards went out: distinct people of each, highest first, ties by Hugging Face
        upvotes, then arXiv id. Each a range read of its table's (platform, channel, time) index."""
        reacted = _people_in(votes, "put_on_at", channel, since, until)
        replied = _people_in(replies, "replied_at", channel, since, until)
        async with self._engine.connect() as conn:
            people = {str(r[0]): (int(r[1]), 0) for r in await conn.execute(reacted)}
            for arxiv_id, count in await conn.execute(replied):
                people[str(arxiv_id)] = (people.get(str(arxiv_id), (0, 0))[0], int(count))
            upvotes = await _upvotes(conn, sorted(people))
        ranked = sorted(people.items(), key=lambda p: (-sum(p[1]), -upvotes.get(p[0], 0), p[0]))
        return [Engaged(arxiv_id, *counts) for arxiv_id, counts in ranked[: max(limit, 0)]]


def _people_in(table: Table, at: str, channel: ChannelRef, since: datetime, until: datetime) -> Select[Any]:
    """Per paper, the distinct people of `table`'s rows in the channel (every workspace with a channel of
    its id when it is named without one) whose `at` is in [since, until)."""
    query = (
        select(table.c.arxiv_id, func.count(table.c.user_id.distinct()))
        .where(
            table.c.platform == channel.platform,
            table.c.channel == channel.channel,
            table.c[at] >= utc(since),
            table.c[at] < utc(until),
        )
        .group_by(table.c.arxiv_id)
    )
    return query.where(table.c.workspace == channel.workspace) if channel.workspace else query


async def _upvotes(conn: AsyncConnection, arxiv_ids: Sequence[str]) -> dict[str, int]:
    """Hugging Face upvotes of the papers the store holds (a paper it lacks has none)."""
    found: dict[str, int] = {}
    for piece in _pieces(arxiv_ids):
        rows = await conn.execute(select(papers.c.arxiv_id, papers.c.upvotes).where(papers.c.arxiv_id.in_(list(piece))))
        found |= {str(r[0]): int(r[1] or 0) for r in rows}
    return found


def _pieces(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), PIECE):
        yield items[start : start + PIECE]


async def _pick(
    conn: AsyncConnection, table: Table, space: _Space, message: str, pairs: Sequence[tuple[str, str]], at: str
) -> dict[tuple[str, str], tuple[str, str, datetime]]:
    """(channel, message) → (channel, paper, when) for the pairs `table` holds."""
    found: dict[tuple[str, str], tuple[str, str, datetime]] = {}
    for piece in _pieces(pairs):
        rows = await conn.execute(_cards_query(table, message, at, _size(piece)), _binds(space, piece))
        found |= {(str(r[0]), str(r[1])): (str(r[0]), str(r[2]), r[3]) for r in rows}
    return found


# The lookups are built once a size (pieces padded up to one of these), their values bound: building
# a hundred comparisons a batch cost more than the seeks they ask for.
SIZES = (1, 2, 4, 8, 16, 32, 64, PIECE)


def _size(pairs: Sequence[Any]) -> int:
    return next(size for size in SIZES if size >= len(pairs))


def _binds(space: _Space, pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    padded = [*pairs, *[pairs[-1]] * (_size(pairs) - len(pairs))]
    return (
        {"platform": space.platform, "workspace": space.workspace, "none": ""}
        | {f"c{i}": c for i, (c, _) in enumerate(padded)}
        | {f"v{i}": v for i, (_, v) in enumerate(padded)}
    )


@cache
def _each(table: Table, other: str, size: int) -> ColumnElement[bool]:
    """`size` (channel, other) pairs of one platform and workspace (or none), each a whole `platform = ?
    AND workspace IN (?, '') AND channel = ? AND other = ?`, OR-ed: one index seek a pair on both
    engines. (SQLite seeks every combination of
    `channel IN (…) AND other IN (…)`, scans the platform for a row-value `(channel, other) IN (…)`,
    and takes an OR apart into index seeks only when each of its terms is all equalities.)"""
    platform: BindParameter[str] = bindparam("platform")
    workspaces = [bindparam("workspace", type_=String()), bindparam("none", type_=String())]
    return or_(
        *(
            and_(
                table.c.platform == platform,
                table.c.workspace.in_(workspaces),
                table.c.channel == bindparam(f"c{i}"),
                table.c[other] == bindparam(f"v{i}"),
            )
            for i in range(size)
        )
    )


@cache
def _cards_query(table: Table, message: str, at: str, size: int) -> Select[Any]:
    return select(table.c.channel, table.c[message], table.c.arxiv_id, table.c[at]).where(_each(table, message, size))


@cache
def _firsts_query(size: int) -> Select[Any]:
    return (
        select(threads.c.channel, threads.c.arxiv_id, func.min(threads.c.created_at))
        .where(_each(threads, "arxiv_id", size))
        .group_by(threads.c.channel, threads.c.arxiv_id)
    )


async def _by_thread(conn: AsyncConnection, platform: str, refs: Sequence[str]) -> dict[str, tuple[str, str, datetime]]:
    """thread id → (the card's channel, paper, when), for thread ids that stand alone (Discord)."""
    found: dict[str, tuple[str, str, datetime]] = {}
    for piece in _pieces(refs):
        rows = await conn.execute(
            select(threads.c.thread_ref, threads.c.channel, threads.c.arxiv_id, threads.c.created_at).where(
                threads.c.platform == platform,
                threads.c.thread_ref.in_(list(piece)),
                threads.c.thread_ref != threads.c.channel,  # a card that stood alone (before 2026-11-30) claims none
            )
        )
        found |= {str(r[0]): (str(r[1]), str(r[2]), r[3]) for r in rows}
    return found


async def _first_cards(
    conn: AsyncConnection, space: _Space, papers_at: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], datetime]:
    """(channel, paper) → when the paper's first card went to that channel."""
    found: dict[tuple[str, str], datetime] = {}
    for piece in _pieces(papers_at):
        rows = await conn.execute(_firsts_query(_size(piece)), _binds(space, piece))
        found |= {(str(r[0]), str(r[1])): r[2] for r in rows}
    return found
