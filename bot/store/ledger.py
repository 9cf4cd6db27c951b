"""The delivery ledger: which digest each channel has had, which papers it was sent, and their threads.

A digest is claimed (one row per platform, channel and listing day, inserted only if absent) before
anything is posted; each paper is recorded as it goes out, so a second run posts nothing again and
an interrupted one resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.channels import ChannelRef
from bot.publishing import MessageRef
from bot.store.tables import digest_papers, digests, threads
from bot.store.upsert import insert_for

ClaimState = Literal["new", "resume", "done"]


@dataclass(frozen=True)
class SentPaper:
    arxiv_id: str
    position: int
    root: MessageRef
    seeded: bool


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    header: str | None = None
    sent: dict[str, SentPaper] = field(default_factory=dict)
    papers: int = 0


def _now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    def _digest(self, channel: ChannelRef, day: date) -> ColumnElement[bool]:
        return and_(digests.c.platform == channel.platform, digests.c.channel == channel.channel, digests.c.day == day)

    async def claim(self, channel: ChannelRef, day: date) -> Claim:
        """Take the (channel, day) digest: new, to be resumed, or already done."""
        row = {
            "platform": channel.platform,
            "channel": channel.channel,
            "day": day,
            "workspace": channel.workspace,
            "status": "claimed",
            "papers": 0,
            "claimed_at": _now(),
        }
        stmt = insert_for(self._dialect, digests).on_conflict_do_nothing(index_elements=["platform", "channel", "day"])
        async with self._engine.begin() as conn:
            inserted = (await conn.execute(stmt, row)).rowcount
            if inserted:
                return Claim("new")
            existing = (await conn.execute(select(digests).where(self._digest(channel, day)))).one()
            sent = await conn.execute(
                select(digest_papers).where(
                    digest_papers.c.platform == channel.platform,
                    digest_papers.c.channel == channel.channel,
                    digest_papers.c.day == day,
                )
            )
            papers = {
                r.arxiv_id: SentPaper(
                    r.arxiv_id,
                    r.position,
                    MessageRef(channel.channel, r.message_ref, r.thread_ref),
                    r.seeded_at is not None,
                )
                for r in sent
            }
            if existing.status == "done":
                return Claim("done", existing.header_ref, papers, existing.papers)
            await conn.execute(
                update(digests)
                .where(self._digest(channel, day))
                .values(status="claimed", error=None, claimed_at=_now())
            )
            return Claim("resume", existing.header_ref, papers, existing.papers)

    async def set_header(self, channel: ChannelRef, day: date, ref: MessageRef | None) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(digests).where(self._digest(channel, day)).values(header_ref=ref.message if ref else "")
            )

    async def record_paper(
        self, channel: ChannelRef, day: date, position: int, arxiv_id: str, root: MessageRef
    ) -> None:
        """The paper's card is out: remember it (once per paper per channel) and its thread."""
        async with self._engine.begin() as conn:
            await conn.execute(
                digest_papers.insert().values(
                    platform=channel.platform,
                    channel=channel.channel,
                    arxiv_id=arxiv_id,
                    day=day,
                    position=position,
                    message_ref=root.message,
                    thread_ref=root.thread,
                    sent_at=_now(),
                )
            )
            await self._thread(conn, channel.platform, root, arxiv_id, "digest")

    async def mark_seeded(self, channel: ChannelRef, arxiv_id: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(digest_papers)
                .where(
                    digest_papers.c.platform == channel.platform,
                    digest_papers.c.channel == channel.channel,
                    digest_papers.c.arxiv_id == arxiv_id,
                )
                .values(seeded_at=_now())
            )

    async def finish(self, channel: ChannelRef, day: date, papers: int) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(digests)
                .where(self._digest(channel, day))
                .values(status="done", papers=papers, error=None, finished_at=_now())
            )

    async def fail(self, channel: ChannelRef, day: date, error: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(digests)
                .where(self._digest(channel, day))
                .values(status="failed", error=error, finished_at=_now())
            )

    async def sent_before(self, channel: ChannelRef, ids: Collection[str], day: date) -> set[str]:
        """Which of `ids` reached this channel in a digest for another day (once per paper per channel)."""
        if not ids:
            return set()
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(digest_papers.c.arxiv_id).where(
                    and_(
                        digest_papers.c.platform == channel.platform,
                        digest_papers.c.channel == channel.channel,
                        digest_papers.c.day != day,
                        digest_papers.c.arxiv_id.in_(list(ids)),
                    )
                )
            )
            return {r.arxiv_id for r in rows}

    async def record_thread(self, platform: str, root: MessageRef, arxiv_id: str, origin: str) -> None:
        async with self._engine.begin() as conn:
            await self._thread(conn, platform, root, arxiv_id, origin)

    async def _thread(self, conn: AsyncConnection, platform: str, root: MessageRef, arxiv_id: str, origin: str) -> None:
        stmt = insert_for(self._dialect, threads).on_conflict_do_nothing(
            index_elements=["platform", "channel", "thread_ref"]
        )
        row = {
            "platform": platform,
            "channel": root.channel,
            "thread_ref": root.thread,
            "arxiv_id": arxiv_id,
            "origin": origin,
            "created_at": _now(),
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
