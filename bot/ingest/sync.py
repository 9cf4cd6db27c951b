"""`paperboy sync`: pull listing days from Hugging Face into the store, with arXiv filling gaps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.errors import SourceError, SourceUnavailable
from bot.domain.models import Listing, Paper
from bot.domain.weeks import covered_monday
from bot.ingest.snapshot import forget_snapshot
from bot.store.papers import PaperStore, SaveCounts, day_over_everywhere

if TYPE_CHECKING:  # the sources and the search stack are imported by whoever builds them
    from bot.search.port import Reindexing
    from bot.sources.arxiv import Arxiv
    from bot.sources.huggingface import DayAnswer, HuggingFace

Progress = Callable[[date, int], None]  # (day done, listings it had)
ARXIV_DETAILS = "details from arXiv: "  # a day's failure that is arXiv's alone (its listing is stored)


@dataclass
class SyncReport:
    days: list[date] = field(default_factory=list)
    counts: SaveCounts = SaveCounts()
    empty_days: list[date] = field(default_factory=list)  # none listed, and the day is over everywhere
    none_yet: list[date] = field(default_factory=list)  # none listed so far: the day is not over everywhere
    failed: dict[date, str] = field(default_factory=dict)  # a day's listing, or its details from arXiv
    completed_from_arxiv: int = 0
    held_anyway: dict[date, int] = field(default_factory=dict)  # answered empty, the store holding this many
    fetched: list[date] = field(default_factory=list)  # the days whose listing is stored as Hugging Face gave it

    @property
    def ok(self) -> bool:
        return not self.failed


class SyncStopped(Exception):
    """The store could not take a day's listing (a full disk, say): the `report` of the days stored
    before it, which are kept. The store's error is the cause, for the caller to say in its words."""

    def __init__(self, report: SyncReport, day: date) -> None:
        super().__init__(f"the sync stopped at {day}")
        self.report, self.day = report, day


def _not_asked(report: SyncReport, days: Sequence[date], why: str) -> None:
    for day in days:
        report.failed[day] = f"not asked, as {why}: sync it later"


def recent_days(today: date, count: int) -> list[date]:
    """The `count` calendar days ending `today`, oldest first."""
    return [today - timedelta(days=offset) for offset in range(count - 1, -1, -1)]


WEEK_AGAIN = timedelta(hours=1)  # how often `run` fetches the days of the week before yesterday again


def days_to_sync(now: datetime, week_fetched: datetime | None) -> list[date]:
    """What `paperboy run`'s sync fetches: today's and yesterday's listings, and, when the week was last
    fetched `WEEK_AGAIN` ago or more (or never), the days before them back to the Monday of the week a
    roundup due today covers (`covered_monday`). A paper's upvotes and comments grow for days after its
    listing, and a weekly roundup ranks its week by them: a Monday paper was ranked on Friday by its
    count of Tuesday night, and left out."""
    recent = recent_days(now.date(), 2)
    if week_fetched is not None and now - week_fetched < WEEK_AGAIN:
        return recent
    monday = covered_monday(now.date())
    return [monday + timedelta(days=n) for n in range((recent[0] - monday).days)] + recent


class Syncer:
    def __init__(self, store: PaperStore, hf: HuggingFace, arxiv: Arxiv | None, search: Reindexing) -> None:
        self._store = store
        self._hf = hf
        self._arxiv = arxiv
        self._search = search

    def quick(self) -> Syncer:
        """The same syncer trying each call once: for probing whether the network is there."""
        from bot.sources.http import RetryPolicy

        return Syncer(self._store, self._hf.with_policy(RetryPolicy(attempts=1)), self._arxiv, self._search)

    async def sync(self, days: Sequence[date], progress: Progress | None = None) -> SyncReport:
        """Fetch and store each day; a day that fails is reported and the others go on.

        Raises SourceUnavailable when Hugging Face cannot be reached at all: no day would fare better.
        Once a day is stored or has failed otherwise, losing Hugging Face fails the rest of the days in
        the report instead.
        """
        report = SyncReport(days=list(days))
        for n, day in enumerate(days):
            try:
                answer = await self._hf.daily(day)
                listings: Sequence[Listing] = answer
                saved = await self._kept(report, day, answer)
                await self._search.refresh([item.paper.arxiv_id for item in listings] + list(saved.unlisted))
            except SyncStopped:
                report.failed[day] = "not stored: the store could not take it (why is said last)"
                _not_asked(report, days[n + 1 :], f"the store could not take {day}")
                raise
            except SourceUnavailable as exc:
                if not (report.fetched or report.failed):  # nothing done: no day would fare better
                    raise  # (after a failed day, the report says both: that fault is not the outage's)
                report.failed[day] = str(exc)  # what was stored is kept, and said
                _not_asked(report, days[n + 1 :], f"Hugging Face could not be reached at {day}")
                break
            except SourceError as exc:
                report.failed[day] = str(exc)
                listings = []
                if exc.wait:  # asked to come back later: the next days would be refused too
                    why = "rate-limited us" if exc.status == 429 else f"asked us to come back later (HTTP {exc.status})"
                    _not_asked(report, days[n + 1 :], f"Hugging Face {why} at {day}")
                    break
            if not listings and day not in report.failed and (held := (await self._store.day_record(day)).listed):
                report.held_anyway[day] = held  # an empty answer takes nothing away: a glitch, most likely
            elif not listings and day not in report.failed:
                over = datetime.now(UTC) >= day_over_everywhere(day)  # (the store dates its fetch so)
                (report.empty_days if over else report.none_yet).append(day)
            if progress is not None:
                progress(day, len(listings))
            if listings and self._arxiv is not None:  # what the store still lacks, not what this answer did:
                stored = await self._store.get_many([item.paper.arxiv_id for item in listings])  # asked once
                missing = [i for i, paper in stored.items() if not paper.abstract or not paper.authors]
                report.completed_from_arxiv += await self._complete(missing, report, day, stored)
        if report.counts.listings:
            await forget_snapshot(self._store)
        return report

    async def _kept(self, report: SyncReport, day: date, answer: DayAnswer) -> SaveCounts:
        """The day's listing stored, and counted in the report; a store that cannot take it (a full disk)
        stops the sync with the report so far (`SyncStopped`), its error the cause."""
        try:
            saved = await self._store.save_listings(answer, fetched=[day], whole=[day] if answer.whole else [])
        except Exception as exc:
            raise SyncStopped(report, day) from exc
        report.counts += saved
        report.fetched.append(day)
        return saved

    async def _complete(self, ids: list[str], report: SyncReport, day: date, stored: dict[str, Paper]) -> int:
        """Fill abstracts and authors Hugging Face left out from arXiv; best effort. The rest of the paper
        stays Hugging Face's (its title too: the two may word it differently, and each sync would flip it)."""
        if not ids or self._arxiv is None:
            return 0
        try:
            found = await self._arxiv.papers(ids)
        except SourceError as exc:
            report.failed.setdefault(day, f"{ARXIV_DETAILS}{exc}")
            return 0
        papers = [
            mine.model_copy(update={"abstract": mine.abstract or p.abstract, "authors": mine.authors or p.authors})
            if (mine := stored.get(p.arxiv_id)) is not None
            else p
            for p in found
        ]
        await self._store.save_papers(papers)
        await self._search.refresh([p.arxiv_id for p in papers])
        return len(papers)
