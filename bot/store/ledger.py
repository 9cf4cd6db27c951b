"""The delivery ledger: which digest each channel has had, which papers it was sent, and their threads.

A digest (one row per platform, channel and listing day) is claimed before anything is posted: the
row is inserted only if absent, so exactly one process wins it. The winner holds a lease, renewed as
it posts; if it dies, another process (or itself, restarted) takes the digest over once the lease
has run out. Every message is written down as an *intent* before it is posted and as *sent* after,
so a takeover knows which posts may already be out and must be looked for instead of posted again.

A sweep asks about hundreds of digests at once, so the ledger answers in sets: `statuses` and
`claim_many` take every due digest in one query and one transaction, and the writes made around
each channel's posts (`begin_papers`, `finish`) are group-committed: those asked for while one
transaction runs share the next one, and each returns only once its own rows are committed.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.channels import ChannelRef
from bot.publishing import MessageRef
from bot.store.engine import as_utc
from bot.store.group_commit import GroupCommit
from bot.store.tables import digest_papers, digests, threads
from bot.store.upsert import changed, insert_for

ClaimState = Literal["new", "resume", "busy", "done", "stopped", "skipped"]
LEASE = timedelta(minutes=2)
Key = tuple[ChannelRef, date]  # one digest: a channel's, for a listing day
CHUNK = 500  # channels in one `IN (…)`: well under SQLite's and PostgreSQL's limits on parameters


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class SentPaper:
    arxiv_id: str
    position: int
    intent_at: datetime
    root: MessageRef | None  # None: posting was begun but not confirmed
    seeded: bool


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    header: str | None = None  # the header's message id; "" where the channel has none (a forum)
    header_intent_at: datetime | None = None
    sent: dict[str, SentPaper] = field(default_factory=dict)
    papers: int = 0

    @property
    def ours(self) -> bool:
        return self.state in ("new", "resume")


class Ledger:
    def __init__(self, engine: AsyncEngine, owner: str | None = None, lease: timedelta = LEASE) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self.owner = owner or process_name()
        self.lease = lease
        self._begin = GroupCommit(self._begin_all)
        self._finish = GroupCommit(self._finish_all)

    def _digest(self, channel: ChannelRef, day: date) -> ColumnElement[bool]:
        return and_(digests.c.platform == channel.platform, digests.c.channel == channel.channel, digests.c.day == day)

    def _row(self, channel: ChannelRef, day: date, now: datetime, **values: object) -> dict[str, object]:
        """A digest's first row: claimed, or skipped, by this process."""
        new = {"platform": channel.platform, "channel": channel.channel, "day": day, "workspace": channel.workspace}
        return new | {"owner": self.owner, "papers": 0, "claimed_at": now} | values

    async def _insert_new(self, conn: AsyncConnection, rows: list[dict[str, object]]) -> set[tuple[str, str, date]]:
        """Insert each digest row only if the digest is absent; the (platform, channel, day) of those inserted."""
        stmt = (
            insert_for(self._dialect, digests)
            .on_conflict_do_nothing(index_elements=["platform", "channel", "day"])
            .returning(digests.c.platform, digests.c.channel, digests.c.day)
        )
        return {(r.platform, r.channel, r.day) for r in await conn.execute(stmt, rows)}

    async def claim(self, channel: ChannelRef, day: date, now: datetime, *, retry_stopped: bool = False) -> Claim:
        """Take the (channel, day) digest: new, ours to resume, busy elsewhere, or finished one way or another.

        A `stopped` digest (the channel refused the bot) is taken again only when asked (`paperboy post`).
        """
        return (await self.claim_many([(channel, day)], now, retry_stopped=retry_stopped))[(channel, day)]

    async def claim_many(
        self, keys: Collection[Key], now: datetime, *, retry_stopped: bool = False
    ) -> dict[Key, Claim]:
        """`claim` for many digests in one transaction: each is inserted only if absent, so one process wins it.

        Rows are written and locked in one order (platform, channel, day) in every process, so two
        replicas claiming overlapping sets wait for each other instead of deadlocking. Each digest may
        be named once: two claims won for one digest would post it twice.
        """
        ordered = sorted(keys, key=_order)
        if len({_order(k) for k in ordered}) < len(ordered):
            raise ValueError("a digest (platform, channel and day) was named twice in one claim")
        if not ordered:
            return {}
        claims: dict[Key, Claim] = {}
        # The header is the first thing a new digest posts: its intent is the claim.
        rows = [
            self._row(channel, day, now, status="claimed", lease_until=now + self.lease, header_intent_at=now)
            for channel, day in ordered
        ]
        takeable = ("claimed", "failed", "stopped") if retry_stopped else ("claimed", "failed")
        async with self._engine.begin() as conn:
            new = await self._insert_new(conn, rows)
            rest = []
            for channel, day in ordered:
                if (channel.platform, channel.channel, day) in new:
                    claims[(channel, day)] = Claim("new", header_intent_at=now)
                else:
                    rest.append((channel, day))
            for (platform, day), chunk in _chunks(rest):
                where = (digests.c.platform == platform, digests.c.day == day, digests.c.channel.in_(list(chunk)))
                existing = await conn.execute(
                    select(digests).where(*where).order_by(digests.c.channel).with_for_update()
                )
                found = {r.channel: r for r in existing}
                taken = await conn.execute(
                    update(digests)
                    .where(
                        *where,
                        digests.c.status.in_(takeable),
                        (digests.c.lease_until < now)
                        | (digests.c.owner == self.owner)
                        | (digests.c.status != "claimed"),
                    )
                    .values(owner=self.owner, lease_until=now + self.lease, status="claimed", error=None)
                    .returning(digests.c.channel)
                )
                ours = {r.channel for r in taken}
                for name, channel in chunk.items():
                    row = found[name]
                    if name not in ours:
                        state: ClaimState = "busy" if row.status == "claimed" else row.status
                        claims[(channel, day)] = Claim(state, row.header_ref, papers=row.papers)
                        continue
                    sent = await self._sent(conn, channel, day)
                    intent_at = as_utc(row.header_intent_at)
                    claims[(channel, day)] = Claim("resume", row.header_ref, intent_at, sent, row.papers)
        return claims

    async def _sent(self, conn: AsyncConnection, channel: ChannelRef, day: date) -> dict[str, SentPaper]:
        rows = await conn.execute(
            select(digest_papers).where(
                digest_papers.c.platform == channel.platform,
                digest_papers.c.channel == channel.channel,
                digest_papers.c.day == day,
            )
        )
        found: dict[str, SentPaper] = {}
        for r in rows:
            root = MessageRef(channel.channel, r.message_ref, r.thread_ref) if r.message_ref else None
            found[r.arxiv_id] = SentPaper(r.arxiv_id, r.position, as_utc(r.intent_at), root, r.seeded_at is not None)
        return found

    async def renew(self, channel: ChannelRef, day: date, now: datetime) -> bool:
        """Extend our lease; False when another process has taken the digest over."""
        async with self._engine.begin() as conn:
            return await changed(
                conn,
                update(digests)
                .where(self._digest(channel, day), digests.c.owner == self.owner, digests.c.status == "claimed")
                .values(lease_until=now + self.lease),
            )

    async def set_header(self, channel: ChannelRef, day: date, ref: MessageRef | None) -> None:
        await self._set(channel, day, header_ref=ref.message if ref else "")

    async def begin_papers(
        self,
        channel: ChannelRef,
        day: date,
        papers: list[tuple[int, str]],
        now: datetime,
        header: MessageRef | None = None,
    ) -> None:
        """About to post these (position, paper) cards: after a crash, each is looked for before it is posted
        again. Records the header just posted, if any, in the same transaction. Returns once committed
        (with whatever other channels began at the same time: one transaction for all of them)."""
        await self._begin((channel, day, papers, now, header))

    async def _begin_all(
        self, items: list[tuple[ChannelRef, date, list[tuple[int, str]], datetime, MessageRef | None]]
    ) -> None:
        items.sort(key=lambda item: _order((item[0], item[1])))  # one lock order in every process
        headers = [
            {"k_platform": channel.platform, "k_channel": channel.channel, "k_day": day, "ref": header.message}
            for channel, day, _, _, header in items
            if header is not None
        ]
        rows = [
            {
                "platform": channel.platform,
                "channel": channel.channel,
                "arxiv_id": arxiv_id,
                "day": day,
                "position": position,
                "intent_at": now,
            }
            for channel, day, papers, now, _ in items
            for position, arxiv_id in papers
        ]
        stmt = insert_for(self._dialect, digest_papers).on_conflict_do_nothing(
            index_elements=["platform", "channel", "arxiv_id"]
        )
        async with self._engine.begin() as conn:
            if headers:
                await conn.execute(update(digests).where(_digest_param()).values(header_ref=bindparam("ref")), headers)
            if rows:
                await conn.execute(stmt, rows)

    async def finish(
        self, channel: ChannelRef, day: date, papers: int, now: datetime, out: Sequence[tuple[str, MessageRef]] = ()
    ) -> None:
        """The digest is complete: record the cards (and seeds) posted since `begin_papers`, and done.

        Recording them here, in one transaction rather than one per post, keeps a busy sweep's writes
        few; a process that dies before this loses nothing, as the intents make a takeover look first.
        Digests finished at the same time share the transaction (group commit); each call returns once
        its own digest is recorded.
        """
        await self._finish((channel, day, papers, now, out))

    async def _finish_all(
        self, items: list[tuple[ChannelRef, date, int, datetime, Sequence[tuple[str, MessageRef]]]]
    ) -> None:
        items.sort(key=lambda item: _order((item[0], item[1])))  # one lock order in every process
        sent = [
            {
                "k_platform": channel.platform,
                "k_channel": channel.channel,
                "paper": pid,
                "message": root.message,
                "thread": root.thread,
                "now": now,
            }
            for channel, _, _, now, out in items
            for pid, root in out
        ]
        rows = [
            {
                "platform": channel.platform,
                "channel": root.channel,
                "thread_ref": root.thread,
                "arxiv_id": pid,
                "origin": "digest",
                "created_at": now,
            }
            for channel, _, _, now, out in items
            for pid, root in out
        ]
        done = [
            {"k_platform": channel.platform, "k_channel": channel.channel, "k_day": day, "papers": papers, "now": now}
            for channel, day, papers, now, _ in items
        ]
        async with self._engine.begin() as conn:
            if sent:
                await conn.execute(
                    update(digest_papers)
                    .where(
                        digest_papers.c.platform == bindparam("k_platform"),
                        digest_papers.c.channel == bindparam("k_channel"),
                        digest_papers.c.arxiv_id == bindparam("paper"),
                    )
                    .values(
                        message_ref=bindparam("message"),
                        thread_ref=bindparam("thread"),
                        sent_at=bindparam("now"),
                        seeded_at=bindparam("now"),
                    ),
                    sent,
                )
                stmt = insert_for(self._dialect, threads).on_conflict_do_nothing(
                    index_elements=["platform", "channel", "thread_ref"]
                )
                await conn.execute(stmt, rows)
            await conn.execute(
                update(digests)
                .where(_digest_param())
                .values(status="done", papers=bindparam("papers"), error=None, finished_at=bindparam("now")),
                done,
            )

    async def fail(self, channel: ChannelRef, day: date, error: str, now: datetime, *, stopped: bool = False) -> None:
        """Give the digest up: `failed` may be retried at once by anyone; `stopped` is final."""
        await self._set(channel, day, status="stopped" if stopped else "failed", error=error, finished_at=now)

    async def skip(self, channel: ChannelRef, day: date, reason: str, now: datetime) -> bool:
        """Record a digest that will not be delivered (missed while down, nothing listed); once."""
        return bool(await self.skip_many({(channel, day): reason}, now))

    async def skip_many(self, reasons: Mapping[Key, str], now: datetime) -> set[Key]:
        """`skip` for many digests in one transaction; returns those recorded now (not already in the ledger)."""
        ordered = sorted(reasons, key=_order)  # one lock order in every process
        if not ordered:
            return set()
        rows = [
            self._row(
                channel, day, now, status="skipped", lease_until=now, error=reasons[(channel, day)], finished_at=now
            )
            for channel, day in ordered
        ]
        async with self._engine.begin() as conn:
            new = await self._insert_new(conn, rows)
        return {(channel, day) for channel, day in ordered if (channel.platform, channel.channel, day) in new}

    async def give_up(self, channel: ChannelRef, day: date, now: datetime) -> bool:
        """A digest that kept failing past its window: record it as skipped, so nothing retries it forever."""
        async with self._engine.begin() as conn:
            return await changed(
                conn,
                update(digests)
                .where(self._digest(channel, day), digests.c.status == "failed")
                .values(status="skipped", finished_at=now),
            )

    async def status(self, channel: ChannelRef, day: date) -> str | None:
        async with self._engine.connect() as conn:
            found: str | None = await conn.scalar(select(digests.c.status).where(self._digest(channel, day)))
            return found

    async def statuses(self, keys: Collection[Key]) -> dict[Key, str]:
        """Each digest's status, as `status` would give it; a digest never claimed nor skipped is left out."""
        found: dict[Key, str] = {}
        async with self._engine.connect() as conn:
            for (platform, day), chunk in _chunks(sorted(set(keys), key=_order)):
                rows = await conn.execute(
                    select(digests.c.channel, digests.c.status).where(
                        digests.c.platform == platform, digests.c.day == day, digests.c.channel.in_(list(chunk))
                    )
                )
                for r in rows:
                    found[(chunk[r.channel], day)] = r.status
        return found

    async def _set(self, channel: ChannelRef, day: date, **values: object) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(digests).where(self._digest(channel, day)).values(**values))

    async def sent_before(self, channel: ChannelRef, ids: Collection[str], day: date) -> set[str]:
        """Which of `ids` reached this channel in a digest for another day (once per paper per channel)."""
        return (await self.sent_before_many({(channel, day): ids}))[(channel, day)]

    async def sent_before_many(self, wanted: Mapping[Key, Collection[str]]) -> dict[Key, set[str]]:
        """`sent_before` for many digests at once: which of its ids each channel was sent on another day."""
        found: dict[Key, set[str]] = {key: set() for key in wanted}
        async with self._engine.connect() as conn:
            for (platform, day), chunk in _chunks(sorted((k for k, ids in wanted.items() if ids), key=_order)):
                ids = sorted({i for channel in chunk.values() for i in wanted[(channel, day)]})
                rows = await conn.execute(
                    select(digest_papers.c.channel, digest_papers.c.arxiv_id).where(
                        digest_papers.c.platform == platform,
                        digest_papers.c.channel.in_(list(chunk)),
                        digest_papers.c.day != day,
                        digest_papers.c.arxiv_id.in_(ids),
                    )
                )
                for r in rows:
                    key = (chunk[r.channel], day)
                    if r.arxiv_id in wanted[key]:
                        found[key].add(r.arxiv_id)
        return found

    async def record_thread(self, platform: str, root: MessageRef, arxiv_id: str, origin: str, now: datetime) -> None:
        async with self._engine.begin() as conn:
            await self._thread(conn, platform, root, arxiv_id, origin, now)

    async def _thread(
        self, conn: AsyncConnection, platform: str, root: MessageRef, arxiv_id: str, origin: str, now: datetime
    ) -> None:
        stmt = insert_for(self._dialect, threads).on_conflict_do_nothing(
            index_elements=["platform", "channel", "thread_ref"]
        )
        row = {
            "platform": platform,
            "channel": root.channel,
            "thread_ref": root.thread,
            "arxiv_id": arxiv_id,
            "origin": origin,
            "created_at": now,
        }
        await conn.execute(stmt, row)

    async def thread_paper(self, platform: str, channel: str | None, thread: str) -> str | None:
        """The paper whose discussion thread this is, if the bot started it.

        `channel` may be unknown (None) where thread ids are unique on their own, as on Discord.
        """
        query = select(threads.c.arxiv_id).where(threads.c.platform == platform, threads.c.thread_ref == thread)
        if channel is not None:
            query = query.where(threads.c.channel == channel)
        async with self._engine.connect() as conn:
            found: str | None = await conn.scalar(query.limit(1))
            return found


def _order(key: Key) -> tuple[str, str, date]:
    return key[0].platform, key[0].channel, key[1]


def _chunks(keys: Iterable[Key]) -> Iterator[tuple[tuple[str, date], dict[str, ChannelRef]]]:
    """Digests by platform and day, at most CHUNK channels at a time (by channel id): one `IN (…)` each."""
    groups: dict[tuple[str, date], dict[str, ChannelRef]] = {}
    for channel, day in keys:
        groups.setdefault((channel.platform, day), {})[channel.channel] = channel
    for group, channels in groups.items():
        names = list(channels)
        for start in range(0, len(names), CHUNK):
            yield group, {name: channels[name] for name in names[start : start + CHUNK]}


def _digest_param() -> ColumnElement[bool]:
    """The digest named by the `k_platform`, `k_channel` and `k_day` parameters (for executemany)."""
    return and_(
        digests.c.platform == bindparam("k_platform"),
        digests.c.channel == bindparam("k_channel"),
        digests.c.day == bindparam("k_day"),
    )
