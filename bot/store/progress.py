"""A digest's progress, written as its posts go out: the intents, each post's record, the completion.

Each kind of write is group-committed (bot/store/group_commit.py): those asked for while one
transaction runs share the next, so hundreds of channels posting at once cost a few transactions a
round, and each caller returns once its own rows are committed. Rows are written in one order
(platform, workspace, channel, day) in every process, so replicas writing overlapping sets never deadlock.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, bindparam, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.channels import ChannelRef
from bot.domain.publishing import MessageRef
from bot.store.group_commit import GroupCommit
from bot.store.tables import digest_papers, digests, paper_messages, threads
from bot.store.upsert import insert_for

Shows = tuple[int, str | None]  # what a card shows that a living thread compares with: upvotes, code repository
# Intents (position, paper), the header, and what each card about to be posted shows (by paper).
Begun = tuple[ChannelRef, date, list[tuple[int, str]], datetime, MessageRef | None, dict[str, Shows]]
# A card (with its root) or its seed (None, then the seed's own message, when known: its reactions are votes).
Posted = tuple[ChannelRef, date, str, datetime, MessageRef | None, MessageRef | None]
Finished = tuple[ChannelRef, date, int, datetime]  # done, with so many papers


class Progress:
    """The group-committed writes of `Ledger.begin_papers`, `card_sent`, `seed_sent` and `finish`."""

    def __init__(self, engine: AsyncEngine, owner: str) -> None:
        self._engine = engine
        self._owner = owner  # a digest is finished only by its owner (`Ledger.fail`'s reason)
        self._dialect = engine.dialect.name
        self.begin = GroupCommit(self._begin_all)
        self.posted = GroupCommit(self._posted_all)
        self.finish = GroupCommit(self._finish_all)

    async def _begin_all(self, items: list[Begun]) -> None:
        items.sort(key=lambda item: _order(item[0], item[1]))  # one lock order in every process
        headers = [
            {**_key(channel), "k_day": day, "ref": header.message}
            for channel, day, _, _, header, _ in items
            if header is not None
        ]
        rows = [
            {
                "platform": channel.platform,
                "workspace": channel.workspace,
                "channel": channel.channel,
                "arxiv_id": arxiv_id,
                "day": day,
                "position": position,
                "intent_at": now,
                "upvotes": shows[arxiv_id][0] if arxiv_id in shows else None,
                "repo": shows[arxiv_id][1] if arxiv_id in shows else None,
            }
            for channel, day, papers, now, _, shows in items
            for position, arxiv_id in papers
        ]
        stmt = insert_for(self._dialect, digest_papers).on_conflict_do_nothing(
            index_elements=["platform", "workspace", "channel", "arxiv_id"]
        )
        async with self._engine.begin() as conn:
            if headers:
                await conn.execute(update(digests).where(_digest_param()).values(header_ref=bindparam("ref")), headers)
            if rows:
                await conn.execute(stmt, rows)

    async def _posted_all(self, items: list[Posted]) -> None:
        items.sort(key=lambda item: (*_order(item[0], item[1]), item[2]))  # one lock order in every process
        seed_messages = [
            {
                "platform": channel.platform,
                "channel": seed.channel,
                "message": seed.message,
                "workspace": channel.workspace,
                "arxiv_id": pid,
                "posted_at": now,
            }
            for channel, _, pid, now, root, seed in items
            if root is None and seed is not None
        ]
        paper = (
            digest_papers.c.platform == bindparam("k_platform"),
            digest_papers.c.workspace == bindparam("k_workspace"),
            digest_papers.c.channel == bindparam("k_channel"),
            digest_papers.c.arxiv_id == bindparam("paper"),
        )
        cards = [
            {
                **_key(channel),
                "paper": pid,
                "message": root.message,
                "thread": root.thread,
                "now": now,
            }
            for channel, _, pid, now, root, _ in items
            if root is not None
        ]
        seeds = [{**_key(channel), "paper": pid, "now": now} for channel, _, pid, now, root, _ in items if root is None]
        threads_started = [
            {
                "platform": channel.platform,
                "workspace": channel.workspace,
                "channel": root.channel,
                "thread_ref": root.thread,
                "arxiv_id": pid,
                "origin": "digest",
                "created_at": now,
            }
            for channel, _, pid, now, root, _ in items
            if root is not None and root.thread != root.channel  # a card that stands alone starts no thread
        ]
        async with self._engine.begin() as conn:
            if cards:
                await conn.execute(
                    update(digest_papers)
                    .where(*paper)
                    .values(message_ref=bindparam("message"), thread_ref=bindparam("thread"), sent_at=bindparam("now")),
                    cards,
                )
                stmt = insert_for(self._dialect, threads).on_conflict_do_nothing(
                    index_elements=["platform", "workspace", "channel", "thread_ref"]
                )
                if threads_started:
                    await conn.execute(stmt, threads_started)
            if seeds:
                await conn.execute(update(digest_papers).where(*paper).values(seeded_at=bindparam("now")), seeds)
            if seed_messages:
                stmt = insert_for(self._dialect, paper_messages).on_conflict_do_nothing(
                    index_elements=["platform", "channel", "message"]
                )
                await conn.execute(stmt, seed_messages)

    async def _finish_all(self, items: list[Finished]) -> None:
        items.sort(key=lambda item: _order(item[0], item[1]))  # one lock order in every process
        done = [{**_key(channel), "k_day": day, "papers": papers, "now": now} for channel, day, papers, now in items]
        async with self._engine.begin() as conn:
            await conn.execute(
                update(digests)
                .where(_digest_param(), digests.c.owner == self._owner)
                .values(status="done", papers=bindparam("papers"), error=None, finished_at=bindparam("now")),
                done,
            )


def _order(channel: ChannelRef, day: date) -> tuple[str, str, str, date]:
    return channel.platform, channel.workspace, channel.channel, day


def _key(channel: ChannelRef) -> dict[str, str]:
    """The channel as the `k_…` parameters of `_digest_param` and of the paper updates."""
    return {"k_platform": channel.platform, "k_workspace": channel.workspace, "k_channel": channel.channel}


def _digest_param() -> ColumnElement[bool]:
    """The digest named by the `k_platform`, `k_workspace`, `k_channel` and `k_day` parameters (for executemany)."""
    return and_(
        digests.c.platform == bindparam("k_platform"),
        digests.c.workspace == bindparam("k_workspace"),
        digests.c.channel == bindparam("k_channel"),
        digests.c.day == bindparam("k_day"),
    )
