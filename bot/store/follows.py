"""Followed cards (a living thread): each card as it was posted, the counts it shows now, and arXiv versions.

A card is followed from its posting for `follow_days`. What it was posted with (upvotes, code
repository, arXiv version) is what later syncs compare with; `shown` is what the card displays now,
refreshed in place at most once an hour (`claim_refresh` lets one process do it, whichever asks
first). A card a person deleted is marked `gone` and followed no more.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import Executable

from bot.domain.channels import ChannelRef
from bot.domain.post import Card
from bot.domain.publishing import MessageRef
from bot.store.engine import as_utc
from bot.store.tables import digest_papers, follows, paper_versions, papers, threads
from bot.store.upsert import changed, insert_for, upsert

FollowKey = tuple[ChannelRef, str]  # a channel's card for a paper


@dataclass(frozen=True)
class NewsThread:
    """Where a paper's news goes in a channel (`FollowStore.thread_followed`): the thread, and whether its card
    was shared by a person (followed in any channel) rather than a digest's (followed while subscribed)."""

    thread: str
    shared: bool
    posted_at: datetime | None = None  # the followed card's (None: a digest's card not followed yet)


@dataclass(frozen=True)
class Followed:
    channel: ChannelRef
    arxiv_id: str
    ref: MessageRef
    rank: int | None
    posted_at: datetime
    upvotes: int  # as posted
    repo: str | None  # as posted
    version: int | None  # as posted (None: not known then)
    shown: str  # what the card shows now
    refreshed_at: datetime | None
    shared: bool = False  # a card a person shared (not a digest's): followed in any channel

    @property
    def key(self) -> FollowKey:
        return self.channel, self.arxiv_id


@dataclass(frozen=True)
class AsPosted:
    """What a card showed when it went out."""

    rank: int | None
    upvotes: int
    repo: str | None
    shown: str

    @classmethod
    def of(cls, card: Card) -> AsPosted:
        return cls(card.rank, card.upvotes, card.repo(), card.counts())


class FollowStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    def _where(self, key: FollowKey) -> ColumnElement[bool]:
        channel, arxiv_id = key
        return and_(
            follows.c.platform == channel.platform,
            follows.c.workspace == channel.workspace,
            follows.c.channel == channel.channel,
            follows.c.arxiv_id == arxiv_id,
        )

    def _insert(self, renew_before: datetime | None = None) -> Executable:
        """Follow cards not followed yet (a card is followed once, as first posted: a paper's later card in
        the channel shares its thread's news). With `renew_before`, a paper whose card there was posted
        before then (no longer followed) or deleted is followed from the new card instead."""
        keys = ["platform", "workspace", "channel", "arxiv_id"]
        stmt = insert_for(self._dialect, follows)
        if renew_before is None:
            return stmt.on_conflict_do_nothing(index_elements=keys)
        news = {c.name: stmt.excluded[c.name] for c in follows.columns if c.name not in keys}
        return stmt.on_conflict_do_update(
            index_elements=keys,
            set_=news,
            where=or_(follows.c.posted_at < renew_before, follows.c.gone.is_not(None)),
        )

    async def record(
        self,
        channel: ChannelRef,
        arxiv_id: str,
        ref: MessageRef,
        card: AsPosted,
        now: datetime,
        renew_before: datetime | None = None,
        *,
        regardless: bool = False,
    ) -> None:
        """A card is out: follow it from now, with the arXiv version known now (if any). Once per card;
        a card followed no more (posted before `renew_before`, or deleted) gives way to the new one.
        `regardless`: followed whether or not its channel is subscribed (posted where none was)."""
        async with self._engine.begin() as conn:
            version = await conn.scalar(select(paper_versions.c.version).where(paper_versions.c.arxiv_id == arxiv_id))
            row = {
                "platform": channel.platform,
                "workspace": channel.workspace,
                "channel": channel.channel,
                "arxiv_id": arxiv_id,
                "message_ref": ref.message,
                "thread_ref": ref.thread,
                "rank": card.rank,
                "posted_at": now,
                "upvotes": card.upvotes,
                "repo": card.repo,
                "version": version,
                "shown": card.shown,
                "refreshed_at": None,  # the first change it shows is refreshed with the sync that finds it
                "gone": None,
                "regardless": regardless,
            }
            await conn.execute(self._insert(renew_before), row)

    async def adopt(self, since: datetime) -> int:
        """Follow the cards sent since `since` that nobody recorded (their process died right after the
        post, or before it could know the post was out and another process found it): as posted, they
        show what their intent recorded, or, for intents from before that was recorded, the paper as the
        store has it now. How many were adopted."""
        query = (
            select(
                digest_papers,
                papers.c.upvotes.label("upvotes_now"),
                papers.c.github_repo.label("repo_now"),
                paper_versions.c.version,
            )
            .join(papers, papers.c.arxiv_id == digest_papers.c.arxiv_id)
            .outerjoin(paper_versions, paper_versions.c.arxiv_id == digest_papers.c.arxiv_id)
            .outerjoin(
                follows,
                and_(
                    follows.c.platform == digest_papers.c.platform,
                    follows.c.workspace == digest_papers.c.workspace,
                    follows.c.channel == digest_papers.c.channel,
                    follows.c.arxiv_id == digest_papers.c.arxiv_id,
                ),
            )
            .where(
                digest_papers.c.sent_at >= since, digest_papers.c.message_ref.is_not(None), follows.c.arxiv_id.is_(None)
            )
        )
        async with self._engine.begin() as conn:
            rows = [
                {
                    "platform": r.platform,
                    "workspace": r.workspace,
                    "channel": r.channel,
                    "arxiv_id": r.arxiv_id,
                    "message_ref": r.message_ref,
                    "thread_ref": r.thread_ref or r.message_ref,
                    "rank": r.position,
                    "posted_at": as_utc(r.sent_at),
                    "upvotes": r.upvotes_now if r.upvotes is None else r.upvotes,
                    "repo": r.repo_now if r.upvotes is None else r.repo,  # an intent records both or neither
                    "version": r.version,
                    "shown": "",  # unknown: the first refresh due shows the counts as they are
                    "refreshed_at": None,
                    "regardless": False,
                }
                for r in await conn.execute(query)
            ]
            if rows:
                await conn.execute(self._insert(), rows)
        return len(rows)

    async def following(self, since: datetime) -> list[Followed]:
        """The cards posted since `since` that are still there, oldest first; each says whether it was shared."""
        shared = _shared()
        query = (
            select(follows, shared.label("shared"))
            .where(follows.c.posted_at >= since, follows.c.gone.is_(None))
            .order_by(
                follows.c.posted_at, follows.c.platform, follows.c.workspace, follows.c.channel, follows.c.arxiv_id
            )
        )
        async with self._engine.connect() as conn:
            return [
                Followed(
                    channel=ChannelRef(r.platform, r.channel, r.workspace),
                    arxiv_id=r.arxiv_id,
                    ref=MessageRef(r.channel, r.message_ref, r.thread_ref),
                    rank=r.rank,
                    posted_at=as_utc(r.posted_at),
                    upvotes=r.upvotes,
                    repo=r.repo,
                    version=r.version,
                    shown=r.shown,
                    refreshed_at=as_utc(r.refreshed_at),
                    shared=bool(r.shared),
                )
                for r in await conn.execute(query)
            ]

    async def thread_followed(self, key: FollowKey, since: datetime) -> NewsThread | None:
        """The thread a paper's news goes to in a channel: its followed card's (posted since `since`, not
        deleted), else that of its first card a digest sent since then that is not followed yet (its
        process died, or `paperboy post` resumed it: the next follow sweep adopts it before it looks for
        news); None when there is neither. A config file's channel is followed under no workspace, where the
        mention asking names its own: either is the channel's."""
        channel, arxiv_id = key
        workspaces = sorted({channel.workspace, ""})
        shared = _shared()
        sent = digest_papers.c
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(follows.c.thread_ref, shared.label("shared"), follows.c.posted_at).where(
                        follows.c.platform == channel.platform,
                        follows.c.workspace.in_(workspaces),
                        follows.c.channel == channel.channel,
                        follows.c.arxiv_id == arxiv_id,
                        follows.c.posted_at >= since,
                        follows.c.gone.is_(None),
                    )
                )
            ).first()
            if row is not None:
                return NewsThread(str(row.thread_ref), bool(row.shared), as_utc(row.posted_at))
            first = await conn.scalar(
                select(func.coalesce(sent.thread_ref, sent.message_ref))
                .where(
                    sent.platform == channel.platform,
                    sent.workspace.in_(workspaces),
                    sent.channel == channel.channel,
                    sent.arxiv_id == arxiv_id,
                    sent.sent_at >= since,
                    sent.message_ref.is_not(None),
                    ~exists().where(  # none followed there, ever: a card deleted, or followed no more, is not adopted
                        follows.c.platform == sent.platform,
                        follows.c.workspace == sent.workspace,
                        follows.c.channel == sent.channel,
                        follows.c.arxiv_id == sent.arxiv_id,
                    ),
                )
                .order_by(sent.sent_at)
                .limit(1)
            )
        return None if first is None else NewsThread(str(first), False)

    async def set_version(self, key: FollowKey, version: int) -> None:
        """The arXiv version a card counts as posted with, where none was known then (the first one seen)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(follows).where(self._where(key), follows.c.version.is_(None)).values(version=version)
            )

    async def claim_refresh(self, key: FollowKey, now: datetime, every: timedelta) -> bool:
        """Whether this process may refresh the card now: at most once per `every`, one process at a time."""
        async with self._engine.begin() as conn:
            return await changed(
                conn,
                update(follows)
                .where(
                    self._where(key),
                    follows.c.gone.is_(None),
                    or_(follows.c.refreshed_at.is_(None), follows.c.refreshed_at <= now - every),
                )
                .values(refreshed_at=now),
            )

    async def refreshed(self, key: FollowKey, shown: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(follows).where(self._where(key)).values(shown=shown))

    async def stop(self, key: FollowKey, reason: str) -> bool:
        """Follow the card no more (a person deleted it): nothing is posted to its thread or done to it again.
        False when it was stopped already (its first reason kept)."""
        async with self._engine.begin() as conn:
            return await changed(
                conn, update(follows).where(self._where(key), follows.c.gone.is_(None)).values(gone=reason)
            )

    async def save_versions(self, versions: Mapping[str, int], now: datetime) -> None:
        """The newest arXiv version of each paper, as arXiv just said (a version never goes down)."""
        if not versions:
            return
        rows = [{"arxiv_id": i, "version": v, "checked_at": now} for i, v in sorted(versions.items())]
        async with self._engine.begin() as conn:
            await conn.execute(upsert(self._dialect, paper_versions, ["arxiv_id"], keep_greatest=("version",)), rows)

    async def versions(self, ids: Collection[str]) -> dict[str, int]:
        if not ids:
            return {}
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(paper_versions.c.arxiv_id, paper_versions.c.version).where(
                    paper_versions.c.arxiv_id.in_(sorted(ids))
                )
            )
            return {r.arxiv_id: r.version for r in rows}


def _shared() -> ColumnElement[bool]:
    """Whether a followed card is followed whether or not its channel is subscribed: one a person shared
    (its thread's origin), or one `paperboy post` sent where no subscription was; not a digest's."""
    shared = exists().where(
        threads.c.platform == follows.c.platform,
        threads.c.workspace == follows.c.workspace,
        threads.c.channel == follows.c.channel,
        threads.c.thread_ref == follows.c.thread_ref,
        threads.c.origin == "share",
    )
    return or_(follows.c.regardless, shared)
