"""Delivering a weekly roundup: the daily digest's delivery (claim, post, record, resume) over a week.

A roundup is a digest keyed in the ledger by its week (bot/domain/weeks.py): its papers are the week's
matches (bot/delivery/roundup.py), and after its cards it posts the channel's 'most discussed here this
week', once, under its own key (a takeover looks for it before posting it again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from bot.delivery.digest import Digest, DigestOptions, Matches
from bot.delivery.digest_delivery import CardPosted, Clock, DigestDelivery, Wanted, key
from bot.delivery.roundup import Roundup, WeekMatches, roundup_of, week_matches
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engagement
from bot.domain.publishing import Publisher
from bot.domain.weeks import week_key, week_of
from bot.roundup.discussed import discussed
from bot.search.port import SearchIndex
from bot.store.ledger import Claim, Key, Ledger
from bot.store.papers import PaperStore

WEEK = timedelta(days=7)
# With no record of the last roundup, its cards are looked for this much further back than a week: a
# sweep's seconds, or the hour the clocks went back, would put them just outside it.
LAST_WEEKS_MARGIN = timedelta(hours=2)
# A roundup due from Monday to Thursday covers the week before (bot.domain.weeks): the latest a due one
# runs for its week is Friday of the next, in UTC. A week further back is posted by hand (`--date`).
LONG_PAST = timedelta(days=12)


def _now() -> datetime:
    return datetime.now(UTC)


class RoundupDelivery(DigestDelivery):
    """`deliver_many` of `Wanted` roundups, each keyed by `week_key(monday)`."""

    def __init__(
        self,
        store: PaperStore,
        search: SearchIndex,
        ledger: Ledger,
        subscriptions: SubscriptionStore,
        publishers: Mapping[str, Publisher],
        engagement: Engagement,
        clock: Clock = _now,
        posted: CardPosted | None = None,
    ) -> None:
        super().__init__(store, search, ledger, subscriptions, publishers, clock=clock, posted=posted)
        self._engagement = engagement
        self._weeks: dict[tuple[date, tuple[str, ...], int], WeekMatches] = {}

    async def _digests(self, wanted: Sequence[Wanted], claims: Mapping[Key, Claim]) -> dict[Key, Digest]:
        try:
            return await super()._digests(wanted, claims)
        finally:
            self._weeks.clear()  # a long-running process keeps no week's papers between sweeps

    async def _matches(self, options: DigestOptions, day: date) -> Matches:
        monday = week_of(day)
        week = await week_matches(self._store, self._search, options, monday, self._clock())
        self._weeks[(day, options.topics, options.min_upvotes)] = week
        return week.found

    async def _digest_of(self, wanted: Wanted, found: Matches, options: DigestOptions, already: set[str]) -> Digest:
        week = self._weeks[(wanted.day, options.topics, options.min_upvotes)]
        return roundup_of(week, options, already, self._clock().date())

    async def _post(
        self, publisher: Publisher, channel: ChannelRef, day: date, claim: Claim, digest: Digest, subscribed: bool
    ) -> int:
        done = await super()._post(publisher, channel, day, claim, digest, subscribed)
        # not after an unsubscribe answered while the cards went out: it was told nothing more comes
        if isinstance(digest, Roundup) and (channel, day) not in self.cut_short:
            await self._discussed(publisher, channel, day, claim)
        return done

    async def _discussed(self, publisher: Publisher, channel: ChannelRef, day: date, claim: Claim) -> None:
        """After the cards, the channel's papers most reacted to and replied about since its last roundup
        began (on any of their cards, however old: in a channel with roundups alone, last week's are what
        people discuss), else in the week (and `LAST_WEEKS_MARGIN`) before the window's end (`_window`)."""
        now = self._clock()
        monday = week_of(day)
        until, start = await self._window(channel, monday, now)
        last = await self._ledger.begun_at(channel, week_key(monday - WEEK))
        since = last if last is not None and until - 2 * WEEK < last < until else start
        section = await discussed(
            self._engagement, self._store, channel, since, until, threads=(self._ledger, publisher)
        )
        if section is None:
            return
        await self._renew(channel, day)
        note_key = key(day, "discussed")
        begun = claim.header_intent_at if claim.state == "resume" else None
        found = await publisher.find(channel.channel, note_key, begun, title=section.header) if begun else None
        if found is not None:
            return  # posted before the process that began this roundup died
        await publisher.note(channel.channel, section, note_key)

    async def _window(self, channel: ChannelRef, monday: date, now: datetime) -> tuple[datetime, datetime]:
        """(until, start) of the week's "most discussed", as counted at `now`, when no roundup of the week
        before began lately (then it counts from that one): up to now, from a week and
        `LAST_WEEKS_MARGIN` before. Where the next week's roundup began first (this one posted by hand
        after it, `paperboy post --date`), that one counted from its own start, as it found none of this
        week: this one ends there, whether that one went out on time or by hand (worked out as it was, from
        when it began), so the two never list the same reactions. A week long past with none after it
        ends with that week."""
        after = await self._ledger.begun_at(channel, week_key(monday + WEEK))
        if after is not None and after < now:
            until = min(now, (await self._window(channel, monday + WEEK, after))[1])
        elif now.date() >= monday + LONG_PAST:  # no roundup due now covers it
            until = min(now, datetime.combine(monday + WEEK, time(), UTC))
        else:
            until = now
        return until, until - WEEK - LAST_WEEKS_MARGIN


class Parts(Protocol):
    """What of the composition root a roundup needs (bot.app.bootstrap.Services has it all)."""

    @property
    def store(self) -> PaperStore: ...
    @property
    def search(self) -> SearchIndex: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def subscriptions(self) -> SubscriptionStore: ...
    @property
    def engagement(self) -> Engagement: ...


def roundup_delivery(
    parts: Parts, publishers: Mapping[str, Publisher], posted: CardPosted | None = None
) -> RoundupDelivery:
    """The roundups' delivery over the composition root's parts (`paperboy run`'s, `paperboy post`'s)."""
    return RoundupDelivery(
        parts.store, parts.search, parts.ledger, parts.subscriptions, publishers, parts.engagement, posted=posted
    )
