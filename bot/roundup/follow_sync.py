"""Fresh facts for the living thread: each sync also re-reads what followed papers look like now.

The scheduler's sync fetches today's and yesterday's listings; a card posted five days ago is about
a paper listed then, so its listing day is fetched again (one request a day, which refreshes every
paper of that day: upvotes, comments, code), and arXiv is asked for the newest version of every
followed paper (Hugging Face's listings carry none), one request per hundred papers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.errors import SourceError
from bot.store.follows import FollowStore
from bot.store.papers import PaperStore

if TYPE_CHECKING:
    from bot.ingest.sync import Syncer
    from bot.sources.arxiv import Arxiv


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class FollowSyncReport:
    days: list[date] = field(default_factory=list)  # listing days fetched again
    versions: int = 0  # papers whose arXiv version was read
    failed: list[str] = field(default_factory=list)


class FollowSources:
    def __init__(
        self,
        follows: FollowStore,
        store: PaperStore,
        syncer: Syncer,
        arxiv: Arxiv | None,
        follow_days: int,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._follows = follows
        self._store = store
        self._syncer = syncer
        self._arxiv = arxiv
        self._days = follow_days
        self._clock = clock

    async def refresh(self, synced: Collection[date] = ()) -> FollowSyncReport:
        """Fetch each followed paper's latest listing day (but those in `synced`, just fetched), where
        Hugging Face counts its upvotes and links its code now, however long before its card that day
        was (a roundup's papers, a shared older paper), and the papers' versions from arXiv."""
        report = FollowSyncReport()
        if not self._days:
            return report
        now = self._clock()
        followed = await self._follows.following(now - timedelta(days=self._days))
        ids = sorted({f.arxiv_id for f in followed})
        days: set[date] = set()
        for arxiv_id in ids:
            paper = await self._store.get(arxiv_id)
            latest = max(paper.listed_on, default=None) if paper is not None else None
            if latest is not None and latest not in synced:
                days.add(latest)
        if days:
            result = await self._syncer.sync(sorted(days))
            report.days = sorted(days)
            report.failed += [f"{day}: {reason}" for day, reason in result.failed.items()]
        if ids and self._arxiv is not None:
            try:
                versions = await self._arxiv.versions(ids)
            except SourceError as exc:
                report.failed.append(f"arXiv versions: {exc}")
            else:
                await self._follows.save_versions(versions, now)
                report.versions = len(versions)
        return report
