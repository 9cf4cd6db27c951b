"""The delivery ledger: which digest each channel has had, which papers it was sent, and their threads.

A digest (one row per platform, channel and listing day) is claimed before anything is posted: the
row is inserted only if absent, so exactly one process wins it. The winner holds a lease, renewed as
it posts; if it dies, another process (or itself, restarted) takes the digest over once the lease
has run out. Every message is written down as an *intent* before it is posted and as *sent* after,
so a takeover knows which posts may already be out and must be looked for instead of posted again.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.channels import ChannelRef
from bot.publishing import MessageRef
from bot.store.engine import as_utc
from bot.store.tables import digest_papers, digests, threads
from bot.store.upsert import changed, insert_for

ClaimState = Literal["new", "resume", "busy", "done", "stopped", "skipped"]
LEASE = timedelta(minutes=2)


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

    def _digest(self, channel: ChannelRef, day: date) -> ColumnElement[bool]:
        return and_(digests.c.platform == channel.platform, digests.c.channel == channel.channel, digests.c.day == day)

    def _paper(self, channel: ChannelRef, arxiv_id: str) -> ColumnElement[bool]:
        return and_(
            digest_papers.c.platform == channel.platform,
            digest_papers.c.channel == channel.channel,
            digest_papers.c.arxiv_id == arxiv_id,
        )

    async def claim(self, channel: ChannelRef, day: date, now: datetime, *, retry_stopped: bool = False) -> Claim:
        """Take the (channel, day) digest: new, ours to resume, busy elsewhere, or finished one way or another.

        A `stopped` digest (the channel refused the bot) is taken again only when asked (`paperboy post`).
        """
        row = {
            "platform": channel.platform,
            "channel": channel.channel,
            "day": day,
            "workspace": channel.workspace,
            "status": "claimed",
            "owner": self.owner,
            "lease_until": now + self.lease,
            "header_intent_at": now,  # the header is the first thing a new digest posts
            "papers": 0,
            "claimed_at": now,
        }
        stmt = insert_for(self._dialect, digests).on_conflict_do_nothing(index_elements=["platform", "channel", "day"])
        async with self._engine.begin() as conn:
            if await changed(conn, stmt.values(row)):
                return Claim("new", header_intent_at=now)
            taken = await changed(
                conn,
                update(digests)
                .where(
                    self._digest(channel, day),
                    digests.c.status.in_(("claimed", "failed", "stopped") if retry_stopped else ("claimed", "failed")),
                    (digests.c.lease_until < now) | (digests.c.owner == self.owner) | (digests.c.status != "claimed"),
                )
                .values(owner=self.owner, lease_until=now + self.lease, status="claimed", error=None),
            )
            existing = (await conn.execute(select(digests).where(self._digest(channel, day)))).one()
            if not taken:
                state: ClaimState = "busy" if existing.status == "claimed" else existing.status
                return Claim(state, existing.header_ref, papers=existing.papers)
            sent = await self._sent(conn, channel, day)
            return Claim("resume", existing.header_ref, as_utc(existing.header_intent_at), sent, existing.papers)

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
        again. Records the header just posted, if any, in the same transaction."""
        rows = [
            {
                "platform": channel.platform,
                "channel": channel.channel,
                "arxiv_id": arxiv_id,
                "day": day,
                "position": position,
                "intent_at": now,
            }
            for position, arxiv_id in papers
        ]
        stmt = insert_for(self._dialect, digest_papers).on_conflict_do_nothing(
            index_elements=["platform", "channel", "arxiv_id"]
        )
        async with self._engine.begin() as conn:
            if header is not None:
                await conn.execute(update(digests).where(self._digest(channel, day)).values(header_ref=header.message))
            if rows:
                await conn.execute(stmt, rows)

    async def finish(
        self, channel: ChannelRef, day: date, papers: int, now: datetime, out: Sequence[tuple[str, MessageRef]] = ()
    ) -> None:
        """The digest is complete: record the cards (and seeds) posted since `begin_papers`, and done.

        Recording them here, in one transaction rather than one per post, keeps a busy sweep's writes
        few; a process that dies before this loses nothing, as the intents make a takeover look first.
        """
        async with self._engine.begin() as conn:
            if out:
                await conn.execute(
                    update(digest_papers)
                    .where(
                        digest_papers.c.platform == channel.platform,
                        digest_papers.c.channel == channel.channel,
                        digest_papers.c.arxiv_id == bindparam("paper"),
                    )
                    .values(
                        message_ref=bindparam("message"), thread_ref=bindparam("thread"), sent_at=now, seeded_at=now
                    ),
                    [{"paper": pid, "message": root.message, "thread": root.thread} for pid, root in out],
                )
                stmt = insert_for(self._dialect, threads).on_conflict_do_nothing(
                    index_elements=["platform", "channel", "thread_ref"]
                )
                rows = [
                    {
                        "platform": channel.platform,
                        "channel": root.channel,
                        "thread_ref": root.thread,
                        "arxiv_id": pid,
                        "origin": "digest",
                        "created_at": now,
                    }
                    for pid, root in out
                ]
                await conn.execute(stmt, rows)
            await conn.execute(
                update(digests)
                .where(self._digest(channel, day))
                .values(status="done", papers=papers, error=None, finished_at=now)
            )

    async def fail(self, channel: ChannelRef, day: date, error: str, now: datetime, *, stopped: bool = False) -> None:
        """Give the digest up: `failed` may be retried at once by anyone; `stopped` is final."""
        await self._set(channel, day, status="stopped" if stopped else "failed", error=error, finished_at=now)

    async def skip(self, channel: ChannelRef, day: date, reason: str, now: datetime) -> bool:
        """Record a digest that will not be delivered (missed while down, nothing listed); once."""
        row = {
            "platform": channel.platform,
            "channel": channel.channel,
            "day": day,
            "workspace": channel.workspace,
            "status": "skipped",
            "owner": self.owner,
            "lease_until": now,
            "papers": 0,
            "error": reason,
            "claimed_at": now,
            "finished_at": now,
        }
        stmt = insert_for(self._dialect, digests).on_conflict_do_nothing(index_elements=["platform", "channel", "day"])
        async with self._engine.begin() as conn:
            return await changed(conn, stmt.values(row))

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

    async def _set(self, channel: ChannelRef, day: date, **values: object) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(digests).where(self._digest(channel, day)).values(**values))

    async def sent_before(self, channel: ChannelRef, ids: Collection[str], day: date) -> set[str]:
        """Which of `ids` reached this channel in a digest for another day (once per paper per channel)."""
        if not ids:
            return set()
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(digest_papers.c.arxiv_id).where(
                    digest_papers.c.platform == channel.platform,
                    digest_papers.c.channel == channel.channel,
                    digest_papers.c.day != day,
                    digest_papers.c.arxiv_id.in_(list(ids)),
                )
            )
            return {r.arxiv_id for r in rows}

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
