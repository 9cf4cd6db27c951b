"""The roundup room's long-running parts, built once for `paperboy run`: the weekly sweep and the living thread."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.delivery.under_way import HOLD_SECONDS
from bot.domain.config import FileConfig
from bot.domain.errors import SourceError
from bot.domain.publishing import Publisher
from bot.host.clock import ClockWatch
from bot.roundup.delivery import Parts, roundup_delivery
from bot.roundup.follow import Follower
from bot.roundup.follow_sync import FollowSources
from bot.roundup.weekly import WeeklySweeper, describe
from bot.store.follows import FollowStore
from bot.store.notes import NoteLedger
from bot.store.papers import PaperStore

if TYPE_CHECKING:
    from bot.ingest.sync import Syncer
    from bot.sources.arxiv import Arxiv

log = logging.getLogger("paperboy.roundup")


@dataclass(frozen=True)
class Roundups:
    follower: Follower
    weekly: WeeklySweeper
    follows: FollowStore
    store: PaperStore
    arxiv: Arxiv | None
    follow_days: int

    async def sweep(self, now: datetime) -> None:
        """The weekly roundups that are due (run beside the daily sweep)."""
        for result in await self.weekly.sweep(now):
            if result.for_the_log:  # a failure the delivery said itself
                log.info("%s", describe(result))

    async def finish(self) -> None:
        """At a stop: the roundups a sweep left going, waited for."""
        try:
            for result in await self.weekly.finish():
                if result.for_the_log:
                    log.info("%s", describe(result))
        except Exception:
            log.exception("a roundup still under way at the stop failed; the next start takes it up")

    async def follow(self, syncer: Syncer, synced: Collection[date]) -> None:
        """After a sync: refresh what followed papers look like now, then note and refresh their threads."""
        sources = FollowSources(self.follows, self.store, syncer, self.arxiv, self.follow_days)
        try:
            fetched = await sources.refresh(synced)
        except SourceError as exc:
            log.warning("living thread: could not refresh followed papers (%s); comparing with what is stored", exc)
        else:
            for problem in fetched.failed:
                log.warning("living thread: %s", problem)
        report = await self.follower.sweep()
        if report.notes or report.refreshed or report.stopped:
            log.info(
                "living thread: %d notes posted (%s), %d cards refreshed, %d deleted cards no longer followed",
                sum(report.notes.values()),
                ", ".join(f"{kind} {n}" for kind, n in sorted(report.notes.items())) or "none",
                report.refreshed,
                report.stopped,
            )


@asynccontextmanager
async def living(
    config: FileConfig, parts: Parts, publishers: Mapping[str, Publisher], arxiv: Arxiv | None
) -> AsyncIterator[Roundups]:
    store = parts.store
    follows = FollowStore(store.engine)
    notes = NoteLedger(store.engine)
    follower = Follower(follows, notes, store, publishers, config.digest.follow_days, subscriptions=parts.subscriptions)
    delivery = roundup_delivery(parts, publishers, posted=follower.posted)
    weekly = WeeklySweeper(
        parts.subscriptions,
        parts.ledger,
        store,
        delivery,
        config.schedule,
        frozenset(publishers),
        watch=ClockWatch(),
        hold=HOLD_SECONDS,
    )
    try:
        yield Roundups(follower, weekly, follows, store, arxiv, config.digest.follow_days)
    finally:
        await notes.close()  # its holds (on PostgreSQL, a connection of its own) go before the engine
