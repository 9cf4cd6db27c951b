"""Votes and replies on the bot's paper messages, per channel, and the ranking `/papers top` reads.

Every event is stored under its natural key, so a platform's retry, a second replica's copy or a
gateway replay of it changes nothing:

- a vote is (platform, workspace, channel, paper, person, message, emoji); `present` says whether
  the reaction is on, `event_at` when the platform says it changed. A change older than the one
  stored is dropped, so a late retry of an add never undoes the remove that followed it;
- a reply is the person's message id in the paper's thread.

Per person and paper a row counts their present reactions (`reactors`) and their replies
(`repliers`); its 0 → 1 and 1 → 0 steps move the paper's `engagement` row (distinct people who
reacted, distinct people who replied), all in the event's transaction. Those rows are taken with a
row lock by the upsert itself, so replicas counting the same person at once wait for each other
instead of counting them twice.

Events arriving together share a transaction (group commit). Inside it, votes and replies are
written in key order and the `engagement` rows last, in key order too, so two replicas writing
overlapping batches take their locks in one order and never deadlock.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged
from bot.store.engine import as_utc
from bot.store.group_commit import GroupCommit
from bot.store.tables import engagement, paper_messages, papers, reactors, repliers, replies, threads, votes
from bot.store.upsert import changed, insert_for

CACHE = 50_000  # messages whose paper is remembered in memory (a card's reactions come in bursts)


@dataclass(frozen=True)
class Posted:
    """A message the bot posted for a paper: the card's channel, the paper, and when its first card
    went to that channel (what `/papers top week` filters on)."""

    channel: ChannelRef
    arxiv_id: str
    posted_at: datetime


@dataclass(frozen=True)
class Vote:
    """A person's reaction put on (`present`) or taken off one of the bot's messages for a paper."""

    posted: Posted
    user: str
    message: str
    reaction: str
    present: bool
    at: datetime


@dataclass(frozen=True)
class Reply:
    """A person's message in a paper's thread."""

    posted: Posted
    user: str
    message: str
    at: datetime


Event = Vote | Reply
_Key = tuple[str, str, str, str]  # platform, workspace, channel, paper


def _utc(value: datetime) -> datetime:
    # SQLite keeps no zone and compares timestamps as text: every one is written in UTC.
    return value.astimezone(UTC)


class EngagementStore:
    """Records votes and replies (group-committed) and ranks a channel's papers (the Engagement port)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self._record = GroupCommit(self._write)
        self._known: OrderedDict[tuple[str, str, str, bool], Posted] = OrderedDict()

    # -- which paper a message is about -------------------------------------------------------

    async def posted(self, where: ChannelRef, message: str, *, thread_messages: bool = False) -> Posted | None:
        """The paper the bot posted `message` for in `where`: a card (the root of a paper thread) or a
        thread seed it recorded. With `thread_messages`, any message in a paper's thread counts (the
        caller checked it is the bot's own; on Discord a thread is a channel of its own)."""
        key = (where.platform, where.channel, message, thread_messages)
        found = self._known.get(key)
        if found is not None:
            self._known.move_to_end(key)
            return found
        async with self._engine.connect() as conn:
            found = await self._lookup(conn, where, message, thread_messages)
        if found is not None:
            self._known[key] = found
            if len(self._known) > CACHE:
                self._known.popitem(last=False)
        return found

    async def thread(self, where: ChannelRef, thread: str) -> Posted | None:
        """The paper whose discussion thread `thread` is (in `where`, or anywhere on Discord, whose
        thread ids stand alone)."""
        return await self.posted(where, thread)

    async def _lookup(
        self, conn: AsyncConnection, where: ChannelRef, message: str, thread_messages: bool
    ) -> Posted | None:
        platform = where.platform
        channel, arxiv_id = where.channel, None
        queries: list[Select[Any]] = [
            select(paper_messages.c.channel, paper_messages.c.arxiv_id).where(
                paper_messages.c.platform == platform,
                paper_messages.c.channel == where.channel,
                paper_messages.c.message == message,
            ),
            select(threads.c.channel, threads.c.arxiv_id).where(
                threads.c.platform == platform, threads.c.channel == where.channel, threads.c.thread_ref == message
            ),
        ]
        if platform == "discord":  # a thread id is unique on its own; the row names the card's channel
            queries.append(
                select(threads.c.channel, threads.c.arxiv_id).where(
                    threads.c.platform == platform, threads.c.thread_ref == message
                )
            )
        if thread_messages:
            queries.append(
                select(threads.c.channel, threads.c.arxiv_id).where(
                    threads.c.platform == platform, threads.c.thread_ref == where.channel
                )
            )
        for query in queries:
            row = (await conn.execute(query.limit(1))).first()
            if row is not None:
                channel, arxiv_id = str(row[0]), str(row[1])
                break
        if arxiv_id is None:
            return None
        first = await conn.scalar(
            select(func.min(threads.c.created_at)).where(
                threads.c.platform == platform, threads.c.channel == channel, threads.c.arxiv_id == arxiv_id
            )
        )
        if first is None:
            first = await conn.scalar(
                select(func.min(paper_messages.c.posted_at)).where(
                    paper_messages.c.platform == platform,
                    paper_messages.c.channel == channel,
                    paper_messages.c.arxiv_id == arxiv_id,
                )
            )
        posted_at = as_utc(first) if first is not None else datetime.now(UTC)
        return Posted(ChannelRef(platform, channel, where.workspace), arxiv_id, posted_at)

    # -- recording ----------------------------------------------------------------------------

    async def record(self, event: Event) -> None:
        """Count one vote change or reply (once however often it is offered); returns once committed."""
        await self._record(event)

    async def _write(self, events: list[Event]) -> None:
        ordered = sorted(events, key=_order)  # stable: one key's changes keep their arrival order
        moved: dict[_Key, list[Any]] = defaultdict(lambda: [0, 0, None])
        async with self._engine.begin() as conn:
            for event in ordered:
                paper = _paper_key(event.posted)
                step = await (self._vote(conn, event) if isinstance(event, Vote) else self._reply(conn, event))
                if step:
                    counts = moved[paper]
                    counts[0 if isinstance(event, Vote) else 1] += step
                    counts[2] = min(counts[2] or event.posted.posted_at, event.posted.posted_at)
            for paper in sorted(moved):
                reacted, replied, posted_at = moved[paper]
                if reacted or replied:
                    await self._engaged(conn, paper, reacted, replied, posted_at)

    async def _vote(self, conn: AsyncConnection, vote: Vote) -> int:
        """How the person's standing as a reactor changed: +1 (now one), -1 (no longer), 0."""
        where = vote.posted.channel
        key = {
            "platform": where.platform,
            "workspace": where.workspace,
            "channel": where.channel,
            "arxiv_id": vote.posted.arxiv_id,
            "user_id": vote.user,
            "message": vote.message,
            "reaction": vote.reaction,
        }
        at = _utc(vote.at)
        stmt = insert_for(self._dialect, votes).on_conflict_do_nothing(index_elements=list(key))
        if await changed(conn, stmt.values(**key, present=vote.present, event_at=at)):
            step = 1 if vote.present else 0  # a removal seen first is kept, so its older add stays out
        else:
            same = and_(*(votes.c[name] == value for name, value in key.items()), votes.c.event_at < at)
            flip = update(votes).where(same, votes.c.present != vote.present)
            if await changed(conn, flip.values(present=vote.present, event_at=at)):
                step = 1 if vote.present else -1
            else:  # a repeat, or news of what is already so: only remember the latest time
                await conn.execute(update(votes).where(same).values(event_at=at))
                return 0
        if step == 0:
            return 0
        count = await self._count(conn, reactors, "reactions", key, step)
        return step if count == (1 if step > 0 else 0) else 0

    async def _reply(self, conn: AsyncConnection, reply: Reply) -> int:
        where = reply.posted.channel
        row = {
            "platform": where.platform,
            "workspace": where.workspace,
            "channel": where.channel,
            "message": reply.message,
            "arxiv_id": reply.posted.arxiv_id,
            "user_id": reply.user,
            "replied_at": _utc(reply.at),
        }
        stmt = insert_for(self._dialect, replies).on_conflict_do_nothing(
            index_elements=["platform", "workspace", "channel", "message"]
        )
        if not await changed(conn, stmt.values(**row)):
            return 0
        count = await self._count(conn, repliers, "replies", row, 1)
        return 1 if count == 1 else 0

    async def _count(self, conn: AsyncConnection, table: Any, column: str, key: dict[str, Any], step: int) -> int:
        """Add `step` to a person's count on a paper (a row lock held to the commit); the new count."""
        person = {name: key[name] for name in ("platform", "workspace", "channel", "arxiv_id", "user_id")}
        stmt = insert_for(self._dialect, table).values(**person, **{column: step})
        upsert = stmt.on_conflict_do_update(
            index_elements=list(person), set_={column: table.c[column] + stmt.excluded[column]}
        )
        return int((await conn.execute(upsert.returning(table.c[column]))).scalar_one())

    async def _engaged(
        self, conn: AsyncConnection, paper: _Key, reacted: int, replied: int, posted_at: datetime
    ) -> None:
        platform, workspace, channel, arxiv_id = paper
        stmt = insert_for(self._dialect, engagement).values(
            platform=platform,
            workspace=workspace,
            channel=channel,
            arxiv_id=arxiv_id,
            reactions=reacted,
            replies=replied,
            posted_at=_utc(posted_at),
        )
        new = stmt.excluded
        stmt = stmt.on_conflict_do_update(
            index_elements=["platform", "workspace", "channel", "arxiv_id"],
            set_={
                "reactions": engagement.c.reactions + new.reactions,
                "replies": engagement.c.replies + new.replies,
                "posted_at": case(
                    (new.posted_at < engagement.c.posted_at, new.posted_at), else_=engagement.c.posted_at
                ),
            },
        )
        await conn.execute(stmt)

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
            query = query.where(engagement.c.posted_at >= _utc(since))
        if until is not None:
            query = query.where(engagement.c.posted_at < _utc(until))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Engaged(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def _paper_key(posted: Posted) -> _Key:
    where = posted.channel
    return where.platform, where.workspace, where.channel, posted.arxiv_id


def _order(event: Event) -> tuple[str, ...]:
    """Lock order: by paper and person, then votes before replies, then the message and emoji."""
    kind, reaction = ("v", event.reaction) if isinstance(event, Vote) else ("r", "")
    return (*_paper_key(event.posted), event.user, kind, event.message, reaction)
