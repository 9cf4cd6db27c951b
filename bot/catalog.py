"""The catalog: a paper by id from the store, Hugging Face or arXiv; and a store that is never empty."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.errors import NotFound, SourceError, SourceUnavailable
from bot.ids import parse_arxiv_id
from bot.models import Paper
from bot.snapshot import SnapshotInfo, load_snapshot, read_snapshot_vectors, snapshot_info
from bot.store.papers import PaperStore
from bot.sync import Syncer, recent_days

if TYPE_CHECKING:  # the sources and the search stack are imported by whoever builds them
    from bot.lazy_search import Reindexing
    from bot.sources.arxiv import Arxiv
    from bot.sources.huggingface import HuggingFace

FIRST_SYNC_DAYS = 7
STALE_DAYS = 3


class Catalog:
    def __init__(
        self,
        store: PaperStore,
        search: Reindexing,
        hf: HuggingFace | None,
        arxiv: Arxiv | None,
        syncer: Syncer | None,
    ) -> None:
        self._store = store
        self._search = search
        self._hf = hf
        self._arxiv = arxiv
        self._syncer = syncer

    async def paper(self, text: str) -> Paper:
        """The paper an id or URL names: from the store, else fetched (and then kept)."""
        arxiv_id = parse_arxiv_id(text)
        known = await self._store.get(arxiv_id)
        if known is not None:
            return known
        if self._hf is None or self._arxiv is None:
            raise NotFound(f"{arxiv_id} is not in the local store (offline: nothing was fetched)")
        try:
            paper = await self._hf.paper(arxiv_id)
        except NotFound:
            paper = await self._arxiv.paper(arxiv_id)
        await self._store.save_papers([paper])
        await self._search.refresh([arxiv_id])
        return (await self._store.get(arxiv_id)) or paper

    async def ensure_papers(self, today: date) -> str | None:
        """Fill an empty store (the network first, else the bundled snapshot); say if it is a snapshot."""
        counts = await self._store.counts()
        if counts.papers == 0:
            reason = "offline"
            if self._syncer is not None:
                try:
                    report = await self._syncer.quick().sync(recent_days(today, FIRST_SYNC_DAYS))
                    if report.counts.listings:
                        return None
                    reason = "no listings fetched"
                except SourceUnavailable as exc:
                    reason = str(exc)
            info = await self.load_snapshot()
            if reason != "offline":
                return f"Could not fetch papers ({reason}). {info.notice(today)}"
        found = await snapshot_info(self._store)
        return found.notice(today) if found else None

    async def ensure_day(self, day: date) -> str | None:
        """Fetch a listing day the store lacks, when online; a note when that failed."""
        if self._syncer is None or await self._store.listing(day):
            return None
        try:
            report = await self._syncer.sync([day])
        except SourceError as exc:
            reason = str(exc)
        else:
            if not report.failed:
                return None
            reason = report.failed[day]
        return f"Could not fetch {day.isoformat()} ({reason}); showing what the store has."

    async def staleness(self, today: date) -> str | None:
        """A hint when the newest listing in the store is days old and a sync would bring newer ones."""
        latest = await self._store.latest_day()
        if self._syncer is None or latest is None or (today - latest).days <= STALE_DAYS:
            return None
        if await snapshot_info(self._store) is not None:
            return None  # the snapshot notice already says how old it is
        return f"The newest papers in the store are from {latest:%-d %B %Y}; run `paperboy sync` for newer ones."

    async def load_snapshot(self) -> SnapshotInfo:
        info = await load_snapshot(self._store)
        await self._search.store_vectors(read_snapshot_vectors())
        self._search.invalidate()
        return info
