"""The catalog: a paper by id from the store, Hugging Face or arXiv; and a store that is never empty."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING

from bot.domain.errors import DayNotStored, NotFound, SourceError, SourceUnavailable
from bot.domain.ids import parse_arxiv_id
from bot.domain.models import Paper
from bot.ingest.snapshot import SnapshotInfo, load_snapshot, read_snapshot_vectors, snapshot_info
from bot.ingest.sync import Syncer, recent_days
from bot.store.papers import DayRecord, PaperStore

if TYPE_CHECKING:  # the sources and the search stack are imported by whoever builds them
    from bot.search.port import Reindexing
    from bot.sources.arxiv import Arxiv
    from bot.sources.huggingface import HuggingFace

FIRST_SYNC_DAYS = 7
# A paper fetched while someone waits (chat, a link's card, `paperboy search ID`): two tries at each
# source, all within this (a source that does not resolve had taken 30 s to say so, one that hangs minutes)
FETCH_SECONDS = 15.0
HF_SECONDS = 8.0  # of which Hugging Face has this much: one that hangs leaves arXiv time to answer
STALE_DAYS = 3
MOST_SYNC_DAYS = 3660  # `paperboy sync --days` at most (its option's max in bot/app/cli/ingest.py)


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
        self._hf, self._arxiv = hf, arxiv
        if hf is not None and arxiv is not None:  # a person waits for `paper`: two tries at each, not a sync's four
            from bot.sources.http import RetryPolicy  # with httpx: not for an offline command

            # a Retry-After longer than a person waits fails at once, for the other source to be asked (a
            # 60 s one ran out the 15 s, called a network fault, and arXiv, which had the paper, went unasked)
            self._hf = hf.with_policy(RetryPolicy(attempts=2, max_backoff=2.0, max_retry_after=5.0))
            self._arxiv = arxiv.with_policy(RetryPolicy(attempts=2, backoff=3.0, max_retry_after=5.0))
        self._syncer = syncer

    async def paper(self, text: str) -> Paper:
        """The paper an id or URL names: from the store, else fetched (and then kept)."""
        arxiv_id = parse_arxiv_id(text)
        known = await self._store.get(arxiv_id)
        if known is not None:
            return known
        if self._hf is None or self._arxiv is None:
            raise NotFound(
                f"{arxiv_id} is not in the local store (offline: nothing was fetched;"
                " paperboy fetches it when run without PAPERBOY_OFFLINE)"
            )
        try:
            async with asyncio.timeout(FETCH_SECONDS):
                paper = await self._fetched(arxiv_id, self._hf, self._arxiv)
        except TimeoutError:
            raise SourceUnavailable(
                "Hugging Face and arXiv",
                f"no answer within {FETCH_SECONDS:g} s: check the network, or set PAPERBOY_OFFLINE=1 to work"
                " from the store alone",
            ) from None
        await self._store.save_papers([paper])
        await self._search.refresh([arxiv_id])
        return (await self._store.get(arxiv_id)) or paper

    @staticmethod
    async def _fetched(arxiv_id: str, hf: HuggingFace, arxiv: Arxiv) -> Paper:
        """The paper from Hugging Face, else arXiv (which has every paper, without Hugging Face's extras)."""
        try:
            async with asyncio.timeout(HF_SECONDS):  # the rest of the wait is arXiv's
                return await hf.paper(arxiv_id)
        except TimeoutError:
            down: SourceError = SourceUnavailable("Hugging Face", f"no answer within {HF_SECONDS:g} s")
            return await Catalog._or_arxiv(arxiv_id, arxiv, down)
        except NotFound:
            return await arxiv.paper(arxiv_id)
        except SourceError as failed:
            return await Catalog._or_arxiv(arxiv_id, arxiv, failed)

    @staticmethod
    async def _or_arxiv(arxiv_id: str, arxiv: Arxiv, down: SourceError) -> Paper:
        """The paper from arXiv, Hugging Face having failed (`down`); if arXiv fails too, both said."""
        try:
            return await arxiv.paper(arxiv_id)
        except NotFound as missing:  # both said: arXiv's answer was left out (`paper ID` named Hugging Face's alone)
            said = f"{down}; {missing}"  # (its kind and facts kept)
            raise type(down)(
                down.source, down.reason, status=down.status, url=down.url, wait=down.wait, said=said
            ) from None
        except SourceError as too:  # "Hugging Face (HTTP 503): …; arXiv (HTTP 503): …", each as it said
            kind = SourceUnavailable if _unreachable(down, too) else SourceError
            raise kind(f"{down.source} and {too.source}", f"{down.reason}; {too}", said=f"{down}; {too}") from None

    async def ensure_papers(self, today: date, *, running: bool = False) -> str | None:
        """Fill an empty store (the network first, else the bundled snapshot); say if it is a snapshot."""
        counts = await self._store.counts()
        if counts.papers == 0:
            reason = "offline"
            if self._syncer is not None:
                try:
                    report = await self._syncer.quick().sync(recent_days(today, FIRST_SYNC_DAYS))
                    if report.counts.listings:
                        return None
                    # why nothing came: the first day's failure (the rest were not asked, or failed alike)
                    reason = next(iter(report.failed.values()), "Hugging Face listed no papers on those days")
                except SourceUnavailable as exc:
                    reason = str(exc)
            info = await self.load_snapshot()
            if reason != "offline":
                return f"Could not fetch papers ({reason}). {info.notice(today, running=running)}"
        found = await snapshot_info(self._store)
        return found.notice(today, offline=self._syncer is None, running=running) if found else None

    async def ensure_day(self, day: date) -> DayRecord:
        """What the store knows of a listing day, fetched first (when online) if the store lacks it or
        holds only an empty answer from before the day was over.

        Raises DayNotStored when the store still cannot tell what Hugging Face listed that day: an
        empty digest then would say something false, and a delivery would be recorded for a day that
        never arrived.
        """
        record = await self._store.day_record(day)
        failure: str | None = None
        if self._syncer is not None and not record.listed and not record.final:
            try:
                report = await self._syncer.sync([day])
            except SourceError as exc:
                failure = str(exc)
            else:
                failure = report.failed.get(day)
            record = await self._store.day_record(day)
        if record.known:
            return record
        raise DayNotStored(day, await self._not_stored(day, failure))

    async def _not_stored(self, day: date, failure: str | None) -> str:
        counts = await self._store.counts()
        if counts.first_day is None or counts.last_day is None:
            held = "it holds no listings yet"
        else:
            first, last = counts.first_day.isoformat(), counts.last_day.isoformat()
            held = f"it holds {first} to {last}" if first != last else f"it holds only {first}"
            if counts.first_day < day < counts.last_day:  # a gap: the range alone read as if it held the day
                held = f"it holds {first} to {last} but not this day"
            if await snapshot_info(self._store) is not None:
                held += ", the bundled offline snapshot"
            if day.weekday() >= 5:  # in a gap, or after the last day: `sync` would most likely bring nothing
                held += f"; Hugging Face lists papers on weekdays, so this {day:%A} most likely had none"
        sync = f"`paperboy sync --date {day.isoformat()}`"
        if self._syncer is None:
            return f"{day.isoformat()} is not in the store ({held}); run {sync} online"
        why = f"fetching it failed: {failure}" if failure else "fetching it brought nothing"
        return f"{day.isoformat()} is not in the store ({held}) and {why}; run {sync} once Hugging Face answers"

    async def staleness(self, today: date) -> str | None:
        """A hint when the newest listing in the store is days old and a sync would bring newer ones."""
        latest = await self._store.latest_day()
        if self._syncer is None or latest is None or (today - latest).days <= STALE_DAYS:
            return None
        if await snapshot_info(self._store) is not None:
            return None  # the snapshot notice already says how old it is
        days = min((today - latest).days, MOST_SYNC_DAYS)  # the days since, today included
        return (
            f"The newest papers in the store are from {latest:%-d %B %Y}; `paperboy sync --days {days}` fetches the"
            " days since (`paperboy run` fetches only today's and yesterday's)"
        )

    async def load_snapshot(self) -> SnapshotInfo:
        info = await load_snapshot(self._store)
        await self._search.store_vectors(read_snapshot_vectors())
        self._search.invalidate()
        return info


def _unreachable(*errors: SourceError) -> bool:
    """Whether none of the sources could be reached (said so), rather than one answering with an error."""
    return all(isinstance(e, SourceUnavailable) for e in errors)
