"""The weekly roundup under a controllable clock, on SQLite and PostgreSQL: the week ranked by upvotes,
once; DST; days the store lacks; 'most discussed here'; a crash mid-roundup; no clash with daily digests."""

from __future__ import annotations

import copy
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import delete, select, update

from bot.delivery.digest import DigestOptions, Matches
from bot.delivery.digest_delivery import DigestDelivery, Wanted
from bot.delivery.roundup import WeekMatches, lacking, roundup_of
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.domain.models import Listing, Paper
from bot.domain.post import Card as PaperCard
from bot.domain.post import Post
from bot.domain.publishing import MessageRef
from bot.domain.weeks import week_key
from bot.ingest.sync import Syncer, days_to_sync, recent_days
from bot.roundup.delivery import RoundupDelivery
from bot.roundup.post import post_roundup
from bot.roundup.weekly import WeeklySweeper, describe
from bot.search.service import SearchService
from bot.sources.http import RetryPolicy
from bot.sources.huggingface import HuggingFace
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.tables import digests, fetched_days, listings
from tests.conftest import Sleeps, search_over
from tests.delivery.world import Clock, SweepWorld, utc
from tests.fakes.papers_api import FakePapersApi
from tests.fakes.publisher import Crash, OutagePublisher, RecordingPublisher
from tests.roundup.engagement import Card, MemoryEngagement

WEEK_23 = date(2026, 6, 1)  # Monday 1 June 2026


@dataclass
class World(SweepWorld):
    engagement: MemoryEngagement = field(default_factory=MemoryEngagement)
    first_post: dict[str, datetime] = field(default_factory=dict)  # channel → when its first post went out
    policy: ScheduleConfig = field(default_factory=ScheduleConfig)

    def sweepers(
        self, owner: str = "replica-a", publisher: RecordingPublisher | None = None
    ) -> tuple[Sweeper, WeeklySweeper]:
        ledger = Ledger(self.store.engine, owner=owner, lease=timedelta(minutes=2))
        search = search_over(self.store)
        publishers = {"slack": publisher or self.publisher}
        daily = DigestDelivery(self.store, search, ledger, self.subscriptions, publishers, clock=self.clock)
        weekly = RoundupDelivery(
            self.store, search, ledger, self.subscriptions, publishers, self.engagement, clock=self.clock
        )
        return (
            Sweeper(self.subscriptions, ledger, self.store, daily, self.policy, frozenset({"slack"})),
            WeeklySweeper(self.subscriptions, ledger, self.store, weekly, self.policy, frozenset({"slack"})),
        )

    async def run(self, start: datetime, end: datetime, step: timedelta = timedelta(minutes=10)) -> list[str]:
        daily, weekly = self.sweepers()
        said = []
        self.clock.now = start
        while self.clock.now <= end:
            await daily.sweep(self.clock.now)
            said += [describe(r) for r in await weekly.sweep(self.clock.now)]
            for posted in self.publisher.posted:
                self.first_post.setdefault(posted.channel, self.clock.now)
            self.clock.now += step
        return said


@pytest.fixture
async def world(store: PaperStore) -> World:
    return World(store, Clock(utc(2026, 1, 1)), RecordingPublisher(), SubscriptionStore(store.engine))


def paper(arxiv_id: str, upvotes: int) -> Paper:
    return Paper(arxiv_id=arxiv_id, title=f"Paper {arxiv_id}", abstract="About diffusion models.", upvotes=upvotes)


async def list_week(store: PaperStore, monday: date, days: range = range(5), per_day: int = 6) -> dict[str, int]:
    """Each weekday's listing, with upvotes that interleave across days, and fetched as a sync would."""
    upvotes: dict[str, int] = {}
    for offset in days:
        day = monday + timedelta(days=offset)
        ids = {f"{day:%y%m}.{day:%d}{n:03d}": 10 * n + offset for n in range(per_day)}
        await store.save_listings(
            [Listing(paper(i, u), day, rank) for rank, (i, u) in enumerate(sorted(ids.items(), key=lambda x: -x[1]))],
            fetched=[day],
        )
        upvotes |= ids
    return upvotes


async def subscribe(world: World, channel: str, **fields: object) -> ChannelRef:
    ref = ChannelRef("slack", channel)
    values: dict[str, object] = {"cadence": "weekly", "days": "fri", "time": "16:00", "limit": 5} | fields
    await world.subscriptions.save(Subscription(channel=ref, **values))  # type: ignore[arg-type]
    return ref


@pytest.mark.slow
async def test_the_week_comes_once_ranked_by_upvotes_across_its_days(world: World) -> None:
    upvotes = await list_week(world.store, WEEK_23)
    await subscribe(world, "CWEEK", timezone="Europe/Berlin")
    said = await world.run(utc(2026, 6, 4, 12), utc(2026, 6, 8, 12))
    key = week_key(WEEK_23).isoformat()
    assert world.headers("CWEEK") == Counter({key: 1})
    cards = [k.split(":")[1] for k in world.publisher.keys("CWEEK") if k.count(":") == 1 and not k.endswith("header")]
    best = sorted(upvotes, key=lambda i: (-upvotes[i], i))[:5]
    assert cards == best  # Friday's 54 beats Thursday's 53 and Monday's 50
    [header] = world.publisher.headers
    assert header.header == "Weekly roundup · week 23 (1–7 June 2026)"
    assert header.subheader == "Hugging Face Daily Papers · top 5 of 30 papers this week by upvotes"
    assert said == ["Posted the roundup of week 23 (1–7 June 2026) to slack:CWEEK: 5 papers."]
    assert world.first_post["CWEEK"] == utc(2026, 6, 5, 14)  # 16:00 in Berlin (CEST) on Friday 5 June
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CWEEK"), date(2026, 6, 5)) is None


@pytest.mark.slow
async def test_the_roundups_line_says_its_filters_as_the_daily_digests_does(world: World) -> None:
    await list_week(world.store, WEEK_23)
    await subscribe(world, "CWEEK", topics=("diffusion", "-video"))
    await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 5, 17))  # due at 16:00 UTC on Friday
    [header] = world.publisher.headers
    assert (
        header.subheader
        == "Hugging Face Daily Papers · top 5 of 30 papers this week by upvotes, on diffusion, leaving out video"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("monday", "day", "at", "zone"),
    [
        (date(2026, 3, 23), "sun", "02:30", "Europe/Berlin"),  # 29 March: 02:30 does not exist
        (date(2026, 10, 19), "sun", "02:30", "Europe/Berlin"),  # 25 October: 02:30 comes twice
        (date(2026, 3, 2), "sun", "02:15", "America/New_York"),  # 8 March: spring forward
        (date(2026, 10, 26), "sun", "01:30", "America/New_York"),  # 1 November: fall back
    ],
    ids=["berlin-gap", "berlin-fold", "new-york-gap", "new-york-fold"],
)
async def test_daylight_saving_neither_skips_nor_doubles_a_roundup(
    world: World, monday: date, day: str, at: str, zone: str
) -> None:
    await list_week(world.store, monday)
    await subscribe(world, "CDST", days=day, time=at, timezone=zone)
    sunday = monday + timedelta(days=6)
    await world.run(
        utc(sunday.year, sunday.month, sunday.day) - timedelta(hours=14),
        utc(sunday.year, sunday.month, sunday.day) + timedelta(hours=30),
    )
    assert world.headers("CDST") == Counter({week_key(monday).isoformat(): 1})


@pytest.mark.slow
async def test_a_day_the_store_lacks_is_said_not_passed_off_as_no_papers(world: World) -> None:
    await list_week(world.store, WEEK_23, days=range(0, 5, 2))  # Monday, Wednesday, Friday: no sync for the rest
    await subscribe(world, "CGAP", timezone="UTC", time="16:00")
    await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 5, 21, 50))
    assert world.headers("CGAP") == Counter()  # waiting for the missing days, up to wait_hours (6)
    await world.run(utc(2026, 6, 5, 22), utc(2026, 6, 5, 23))
    assert world.headers("CGAP") == Counter({week_key(WEEK_23).isoformat(): 1})
    [header] = world.publisher.headers
    assert header.subheader == (
        "Hugging Face Daily Papers · top 5 of 18 papers this week by upvotes. Tuesday 2 June and Thursday 4 June are "
        "not in the store (not fetched from Hugging Face yet), so their papers are left out; whoever runs "
        "paperboy can fetch each with `paperboy sync --date YYYY-MM-DD`."
    )


@pytest.mark.slow
async def test_a_week_the_store_has_nothing_of_is_skipped_saying_so(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await subscribe(world, "CNONE", timezone="UTC")
    with caplog.at_level(logging.INFO, logger="paperboy.roundup"):
        said = await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 6, 1))
    assert world.publisher.posted == [] and said == []
    waiting = [
        r.getMessage() for r in caplog.records if "is due; the store has no listing of that week" in r.getMessage()
    ]
    assert waiting == [  # said once while it waits (it waited without a word), then skipped
        "roundup of week 23 (1–7 June 2026) for slack:CNONE is due; the store has no listing of that week yet:"
        " waiting until 2026-06-06 00:00 UTC at the latest (a sync, or `paperboy import`, brings it)"
    ]
    ledger = Ledger(world.store.engine)
    channel = ChannelRef("slack", "CNONE")
    assert await ledger.status(channel, week_key(WEEK_23)) == "skipped"
    async with world.store.engine.connect() as conn:
        error = await conn.scalar(
            select(digests.c.error).where(digests.c.channel == "CNONE", digests.c.day == week_key(WEEK_23))
        )
    assert error == "the store has no listing of week 23 (1–7 June 2026) (no sync fetched its days)"


async def test_a_week_hugging_face_listed_nothing_in_is_skipped_as_such(world: World) -> None:
    await world.store.save_listings([], fetched=[WEEK_23 + timedelta(days=n) for n in range(7)])
    await subscribe(world, "CQUIET", timezone="UTC")
    await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 5, 17))
    async with world.store.engine.connect() as conn:
        error = await conn.scalar(
            select(digests.c.error).where(digests.c.channel == "CQUIET", digests.c.day == week_key(WEEK_23))
        )
    assert error == "Hugging Face listed no papers in week 23 (1–7 June 2026)"


async def asked_early(world: World, days: list[date]) -> None:
    """Each day's listing gone, its one fetch made at 00:05 UTC that day (Hugging Face had listed nothing
    yet), and no sync since: the store cannot speak for it."""
    await world.store.save_listings([], fetched=days)
    async with world.store.engine.begin() as conn:
        for day in days:
            await conn.execute(delete(listings).where(listings.c.day == day))
            early = utc(day.year, day.month, day.day, 0, 5)
            await conn.execute(update(fetched_days).where(fetched_days.c.day == day).values(fetched_at=early))


@pytest.mark.slow
async def test_a_day_asked_only_before_it_ended_is_missing_not_a_day_without_papers(world: World) -> None:
    await list_week(world.store, WEEK_23)
    wednesday = WEEK_23 + timedelta(days=2)
    await asked_early(world, [wednesday])
    await subscribe(world, "CGAP", timezone="UTC", time="16:00")
    await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 5, 23))
    [header] = world.publisher.headers
    assert header.subheader is not None and "Wednesday 3 June is not in the store" in header.subheader


@pytest.mark.slow
async def test_a_week_asked_only_before_its_days_ended_is_skipped_as_lacking_not_as_without_papers(
    world: World,
) -> None:
    await asked_early(world, [WEEK_23 + timedelta(days=n) for n in range(5)])
    await subscribe(world, "CQ", timezone="UTC", time="16:00")
    await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 6, 1))
    async with world.store.engine.connect() as conn:
        error = await conn.scalar(
            select(digests.c.error).where(digests.c.channel == "CQ", digests.c.day == week_key(WEEK_23))
        )
    assert world.publisher.posted == []
    assert error == (
        "the store has no listing of week 23 (1–7 June 2026) (no sync fetched its days after they had ended)"
    )


@pytest.mark.slow
async def test_most_discussed_here_comes_after_the_cards_once(world: World) -> None:
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "CTALK", timezone="UTC", limit=3)
    earlier = utc(2026, 5, 29, 16)  # last week's roundup
    for arxiv_id, upvotes in (("2605.29001", 10), ("2605.29002", 90), ("2605.29003", 50)):
        await world.store.save_papers([paper(arxiv_id, upvotes)])
        world.engagement.cards.append(Card(channel, arxiv_id, earlier, upvotes))
    world.engagement.react(channel, "2605.29001", "U1", "U2", "U3")
    world.engagement.reply(channel, "2605.29002", "U1")
    world.engagement.react(channel, "2605.29003", "U4")
    world.engagement.cards.append(Card(channel, "2605.22000", utc(2026, 5, 22, 16)))  # two weeks ago: not this week
    world.engagement.react(channel, "2605.22000", "U1", "U2", "U3", "U4", "U5")
    world.engagement.cards.append(Card(channel, "2604.30000", utc(2026, 5, 1, 16)))  # a card five weeks old,
    world.engagement.react(channel, "2604.30000", "U6", "U7", at=utc(2026, 6, 2, 10))  # discussed this week
    world.engagement.reply(channel, "2604.30000", "U6", at=utc(2026, 6, 3, 10))
    await world.run(utc(2026, 6, 5, 15, 50), utc(2026, 6, 5, 18))
    keys = world.publisher.keys("CTALK")
    assert keys[-1] == f"{week_key(WEEK_23).isoformat()}:discussed" and len(keys) == 1 + 3 * 2 + 1
    section = world.publisher.headers[-1]
    assert section.header == "Most discussed here this week"
    assert section.text == (
        "1. Paper 2605.29001 (2605.29001): 3 people reacted, 0 replied",
        "2. arXiv 2604.30000: 2 people reacted, 1 replied",  # ties by upvotes: 10 before none
        "3. Paper 2605.29002 (2605.29002): 0 people reacted, 1 replied",  # 90 before 50
        "4. Paper 2605.29003 (2605.29003): 1 person reacted, 0 replied",
    )


@dataclass
class UnsubscribedAtTheFirstCard(RecordingPublisher):
    """The channel unsubscribes (and is told nothing more comes) once the roundup's first card is out."""

    subscriptions: SubscriptionStore | None = None

    async def post_card(self, channel: str, card: PaperCard, key: str) -> MessageRef:
        posted = await super().post_card(channel, card, key)
        if self.subscriptions is not None:
            await self.subscriptions.remove(ChannelRef("slack", channel))
        return posted


@pytest.mark.slow
async def test_nothing_follows_an_unsubscribe_answered_midway_not_even_most_discussed(world: World) -> None:
    """The cards stopped, but "Most discussed here this week" was posted after them."""
    publisher = UnsubscribedAtTheFirstCard(subscriptions=world.subscriptions)
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "CGONE", timezone="UTC", limit=5)
    await world.store.save_papers([paper("2605.29001", 10)])
    world.engagement.cards.append(Card(channel, "2605.29001", utc(2026, 5, 29, 16)))
    world.engagement.react(channel, "2605.29001", "U1", "U2")
    _, weekly = world.sweepers(publisher=publisher)
    weekly._delivery.recheck_s = 0
    world.clock.now = utc(2026, 6, 5, 16, 1)
    await weekly.sweep(world.clock.now)
    await weekly.finish()
    keys = publisher.keys("CGONE")
    assert await world.subscriptions.get(channel) is None
    assert len(keys) == 3 and not any(k.endswith(":discussed") for k in keys)  # the header, one card, its seed


async def test_a_roundup_cut_short_is_finished_by_another_replica_posting_nothing_twice(world: World) -> None:
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "CCRASH", timezone="UTC", limit=3)
    world.engagement.cards.append(Card(channel, "2605.29001", utc(2026, 6, 1, 16)))
    world.engagement.react(channel, "2605.29001", "U1")
    await world.store.save_papers([paper("2605.29001", 5)])
    dying = RecordingPublisher(crash_at=8)  # the last post, 'most discussed', is out; then the process dies
    _, weekly = world.sweepers("replica-a", dying)
    world.clock.now = utc(2026, 6, 5, 16, 5)
    with pytest.raises(Crash):
        await weekly.sweep(world.clock.now)
    world.publisher = dying
    world.clock.now += timedelta(minutes=3)  # replica-a's lease (2 minutes) has run out
    _, other = world.sweepers("replica-b", dying)
    [result] = await other.sweep(world.clock.now)
    assert result.outcome == "posted"
    keys = dying.keys("CCRASH")
    assert len(keys) == len(set(keys)) == 8


@pytest.mark.slow
async def test_a_roundup_cut_short_is_finished_by_another_replica_after_its_window(world: World) -> None:
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "CLATE", timezone="UTC", limit=3)
    dying = RecordingPublisher(crash_at=3)
    _, weekly = world.sweepers("replica-a", dying)
    world.clock.now = utc(2026, 6, 5, 16, 5)  # Friday 16:05, due at 16:00
    with pytest.raises(Crash):
        await weekly.sweep(world.clock.now)
    world.clock.now = utc(2026, 6, 6, 9)  # Saturday 09:00, Friday's window over: half a roundup is finished
    _, other = world.sweepers("replica-b", dying)
    [result] = await other.sweep(world.clock.now)
    assert result.outcome == "posted"
    keys = dying.keys("CLATE")
    assert len(keys) == len(set(keys)) == 1 + 3 * 2
    assert await Ledger(world.store.engine).status(channel, week_key(WEEK_23)) == "done"


@pytest.mark.slow
async def test_a_roundup_cut_short_is_finished_days_later_and_given_up_when_the_next_is_due(world: World) -> None:
    """Every replica down from Friday's crash until Sunday (two local days on): the roundup is still
    finished then, not left half-posted for good. One back only after the next Friday's is due gives it up."""
    await list_week(world.store, WEEK_23)
    await list_week(world.store, WEEK_23 + timedelta(days=7))
    finished = await subscribe(world, "CLATE", timezone="UTC", limit=3)
    dying = RecordingPublisher(crash_at=3)
    _, weekly = world.sweepers("replica-a", dying)
    world.clock.now = utc(2026, 6, 5, 16, 5)
    with pytest.raises(Crash):
        await weekly.sweep(world.clock.now)
    ledger = Ledger(world.store.engine)
    assert await ledger.status(finished, week_key(WEEK_23)) == "claimed"
    abandoned = await subscribe(world, "CGONE", timezone="UTC", limit=3)
    await world.subscriptions.set_status(abandoned, "paused by the test")
    dead = Ledger(world.store.engine, owner="dead-replica")  # its roundup cut short at its header
    assert (await dead.claim(abandoned, week_key(WEEK_23), world.clock.now)).state == "new"
    await dead.close()
    world.clock.now = utc(2026, 6, 7, 9)  # Sunday
    _, other = world.sweepers("replica-b", dying)
    assert [r.outcome for r in await other.sweep(world.clock.now)] == ["posted"]
    assert await ledger.status(finished, week_key(WEEK_23)) == "done"
    keys = dying.keys("CLATE")
    assert len(keys) == len(set(keys)) == 1 + 3 * 2
    await world.subscriptions.set_status(abandoned, None)  # left out of the sweeps until…
    world.clock.now = utc(2026, 6, 12, 16, 30)  # …the next Friday, its roundup due at 16:00
    await other.sweep(world.clock.now)
    assert await ledger.status(abandoned, week_key(WEEK_23)) == "skipped"  # given up, never posted after a newer
    assert await ledger.status(abandoned, week_key(WEEK_23 + timedelta(days=7))) == "done"


@pytest.mark.slow
async def test_roundups_missed_while_down_for_more_than_a_week_are_each_recorded(world: World) -> None:
    """Down from Thursday 4 June to Saturday 13 June: both Fridays' roundups were missed. The first sweep
    looks back over the whole lookback, as the daily one does: the roundup of 5 June had no row and no
    log line, only that of 12 June was said."""
    await list_week(world.store, date(2026, 6, 1))
    await list_week(world.store, date(2026, 6, 8))
    channel = await subscribe(world, "CWEEK", timezone="UTC")  # Fridays 16:00
    await world.run(utc(2026, 6, 4, 12), utc(2026, 6, 4, 12))
    await world.run(utc(2026, 6, 13, 17), utc(2026, 6, 13, 17))
    ledger = Ledger(world.store.engine)
    assert await ledger.status(channel, week_key(date(2026, 6, 8))) == "skipped"
    assert await ledger.status(channel, week_key(date(2026, 6, 1))) == "skipped"
    assert world.headers("CWEEK") == Counter()


@pytest.mark.slow
async def test_a_roundup_failing_past_its_window_is_tried_again_after_a_growing_rest_not_at_every_sweep(
    world: World,
) -> None:
    """The daily digest's backoff (`resting`): past its window (Saturday 00:00 here), a roundup that failed
    rests for half the time since the window ended before it is tried again, then is tried as soon as
    that is over; Slack back at 01:00, the sweep then finishes it."""
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "COUT", timezone="UTC", limit=3)  # Friday 16:00, its window ends at midnight
    publisher = OutagePublisher(clock=lambda: world.clock.now, until=utc(2026, 6, 6, 1))  # cards refused till then
    _, weekly = world.sweepers(publisher=publisher)
    world.clock.now = utc(2026, 6, 5, 16)
    assert [r.outcome for r in await weekly.sweep(world.clock.now)] == ["failed"]  # header and two cards out
    tried: list[tuple[str, str]] = []
    world.clock.now = utc(2026, 6, 6, 0, 5)
    while world.clock.now <= utc(2026, 6, 6, 1, 30):  # a sweep each 5 minutes
        tried += [(f"{world.clock.now:%H:%M}", r.outcome) for r in await weekly.sweep(world.clock.now)]
        world.clock.now += timedelta(minutes=5)
    assert tried == [
        ("00:05", "failed"),  # its last failure in its window: tried at the first sweep after it
        ("00:10", "failed"),  # rested 2.5 minutes (half the 5 since midnight)
        ("00:15", "failed"),  # 5
        ("00:25", "failed"),  # 7.5: none at 00:20
        ("00:40", "failed"),  # 12.5: none at 00:30 and 00:35
        ("01:00", "posted"),  # 20: none from 00:45 to 00:55; then tried, and finished
    ]
    assert len([p for p in publisher.posted if p.thread is None]) == 4  # its header and three cards, once each
    assert await Ledger(world.store.engine).status(channel, week_key(WEEK_23)) == "done"


@pytest.mark.slow
async def test_a_channel_that_changed_cadence_gets_both_its_daily_and_its_roundup(world: World) -> None:
    await list_week(world.store, WEEK_23)
    channel = ChannelRef("slack", "CBOTH")
    await world.subscriptions.save(Subscription(channel=channel, time="09:00", timezone="UTC", limit=2))
    await world.run(utc(2026, 6, 1, 8), utc(2026, 6, 1, 10))  # Monday's daily digest
    await world.subscriptions.save(
        Subscription(channel=channel, cadence="weekly", days="fri", time="16:00", timezone="UTC", limit=2),
        utc(2026, 6, 2, 12),
    )
    await world.run(utc(2026, 6, 5, 15), utc(2026, 6, 5, 17))
    ledger = Ledger(world.store.engine)
    assert await ledger.status(channel, WEEK_23) == "done"  # the daily digest of Monday 1 June
    assert await ledger.status(channel, week_key(WEEK_23)) == "done"  # the roundup of the week of 1 June
    assert world.headers("CBOTH") == Counter({"2026-06-01": 1, week_key(WEEK_23).isoformat(): 1})


def test_an_empty_roundup_still_names_the_days_the_store_lacks() -> None:
    listed = WeekMatches(WEEK_23, Matches(WEEK_23, (), listed=24, upvoted=24, most_upvotes=50), (date(2026, 6, 2),))
    post = roundup_of(listed, DigestOptions(topics=("robotics",), limit=5), set(), date(2026, 6, 5)).to_post()
    assert post.empty == "None of the papers of week 23 (1–7 June 2026) is on “robotics”."
    assert post.subheader is not None and "Tuesday 2 June is not in the store" in post.subheader
    assert post.subheader.startswith("Hugging Face Daily Papers · none of 24 papers this week, on robotics")
    nothing = WeekMatches(WEEK_23, Matches(WEEK_23, (), listed=0, upvoted=0, most_upvotes=0), (date(2026, 6, 2),))
    post = roundup_of(nothing, DigestOptions(limit=5), set(), date(2026, 6, 5)).to_post()
    assert post.empty is not None and "Tuesday 2 June is not in the store" in post.empty  # said once, there
    assert post.subheader == "Hugging Face Daily Papers · no papers of this week in the store"  # it lacks Tuesday


@dataclass
class RoundupParts:
    """What `paperboy post` hands a roundup (the composition root's services)."""

    store: PaperStore
    search: SearchService
    ledger: Ledger
    subscriptions: SubscriptionStore
    engagement: MemoryEngagement


async def test_post_without_a_date_posts_the_week_a_roundup_due_today_covers_in_the_channels_zone(
    world: World,
) -> None:
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "CNZ", timezone="Pacific/Auckland", time="09:00", limit=3)
    subscription = await world.subscriptions.get(channel)
    assert subscription is not None
    parts = RoundupParts(
        world.store, search_over(world.store), Ledger(world.store.engine), world.subscriptions, world.engagement
    )
    friday_morning = utc(2026, 6, 4, 21)  # Friday 5 June 09:00 in Auckland; still Thursday in UTC
    said, ok = await post_roundup(parts, {"slack": world.publisher}, subscription, None, friday_morning)
    assert ok, said
    assert world.headers("CNZ") == Counter({week_key(WEEK_23).isoformat(): 1})  # this week's, not last week's


def discussed_sections(w: World) -> list[Post]:
    return [h for h in w.publisher.headers if h.header == "Most discussed here this week"]


@pytest.mark.parametrize(
    ("zone", "week", "posted", "swept"),
    [
        # last week's cards went out 20 s after 16:00; this week's sweep runs at 16:00:40
        ("UTC", date(2026, 6, 1), datetime(2026, 5, 29, 16, 0, 20, tzinfo=UTC), utc(2026, 6, 5, 15, 59)),
        # Berlin, on fri at 16:00: last week 14:00 UTC, this week (the clocks went back) 15:00 UTC
        ("Europe/Berlin", date(2026, 10, 26), datetime(2026, 10, 23, 14, 0, 5, tzinfo=UTC), utc(2026, 10, 30, 14, 50)),
    ],
)
@pytest.mark.slow
async def test_last_weeks_roundup_cards_are_this_weeks_discussed_ones(
    world: World, zone: str, week: date, posted: datetime, swept: datetime
) -> None:
    """In a channel with roundups alone, last week's cards are what people discuss: never just outside
    the week by a sweep's seconds or the hour the clocks went back."""
    await list_week(world.store, week)
    channel = await subscribe(world, "CWEEKLY", timezone=zone, limit=3)
    for n in range(3):
        arxiv_id = f"2605.2900{n}"
        await world.store.save_papers([paper(arxiv_id, 5)])
        world.engagement.cards.append(Card(channel, arxiv_id, posted + timedelta(seconds=n)))
        world.engagement.react(channel, arxiv_id, "U1", "U2", "U3")
    await world.run(swept + timedelta(seconds=40), swept + timedelta(hours=1, seconds=40), step=timedelta(minutes=1))
    [section] = discussed_sections(world)
    assert len(section.text) == 3


async def test_a_past_weeks_roundup_posted_now_discusses_that_weeks_cards(world: World) -> None:
    """`paperboy post --date` of a week long past: its "most discussed" is of that week's cards, not of
    the cards of the week it is posted in."""
    week_19 = date(2026, 5, 4)
    await list_week(world.store, week_19)
    channel = await subscribe(world, "COLD", timezone="UTC", limit=3)
    for arxiv_id, posted in (("2605.05900", utc(2026, 5, 8, 16)), ("2606.01900", utc(2026, 6, 3, 10))):
        await world.store.save_papers([paper(arxiv_id, 5)])
        world.engagement.cards.append(Card(channel, arxiv_id, posted))
        world.engagement.react(channel, arxiv_id, "U1", "U2")
    subscription = await world.subscriptions.get(channel)
    assert subscription is not None
    parts = RoundupParts(
        world.store, search_over(world.store), Ledger(world.store.engine), world.subscriptions, world.engagement
    )
    june_5 = utc(2026, 6, 5, 18)
    said, ok = await post_roundup(parts, {"slack": world.publisher}, subscription, date(2026, 5, 6), june_5)
    assert ok, said
    [section] = discussed_sections(world)
    assert "2605.05900" in " ".join(section.text) and "2606.01900" not in " ".join(section.text)


async def by_hand(world: World, channel: ChannelRef, monday: date, at: datetime) -> Post | None:
    """The week's roundup as `paperboy post --date` delivers it at `at`: its "most discussed", if any."""
    world.clock.now = at
    delivery = RoundupDelivery(
        world.store,
        search_over(world.store),
        Ledger(world.store.engine),
        world.subscriptions,
        {"slack": world.publisher},
        world.engagement,
        clock=world.clock,
    )
    subscription = await world.subscriptions.get(channel)
    assert subscription is not None
    before = len(discussed_sections(world))
    wanted = Wanted(channel, subscription.options(), week_key(monday))
    [result] = await delivery.deliver_many([wanted], retry_stopped=True)  # as `post_roundup` (a week the sweep gave up)
    assert result.ok, result
    sections = discussed_sections(world)
    return sections[-1] if len(sections) > before else None


@pytest.mark.parametrize("posted", [utc(2026, 6, 8), utc(2026, 6, 5, 18)], ids=["days later", "that evening"])
async def test_a_missed_weeks_roundup_posted_after_the_next_ones_discusses_its_own_week(
    world: World, posted: datetime
) -> None:
    """Week 22's roundup was missed and week 23's went out (Friday 5 June 16:00, counting from 29 May
    14:00: a week and two hours before); week 22 posted by hand then counted week 23's reactions and
    replies, the list week 23's roundup had just posted (QA s73-community #1), however soon after. It
    counts what it would have counted when it was due, Friday 29 May 16:00, up to where week 23's began
    counting: one reaction in those two hours is in week 23's list alone (review s73 #1), the schedule
    moved since or not (worked out from when week 23's began, not from the schedule: second review)."""
    week_22 = date(2026, 5, 25)
    for monday in (week_22, WEEK_23):
        await list_week(world.store, monday)
    channel = await subscribe(world, "CMISSED", timezone="UTC", limit=3)
    await world.store.save_papers([paper("2605.01001", 5)])
    world.engagement.cards.append(Card(channel, "2605.01001", utc(2026, 5, 12, 16)))  # an old card
    world.engagement.react(channel, "2605.01001", "U1", at=utc(2026, 5, 27, 10))  # in week 22's window
    world.engagement.react(channel, "2605.01001", "U2", at=utc(2026, 5, 29, 13, 59))
    world.engagement.react(channel, "2605.01001", "U9", at=utc(2026, 5, 29, 15))  # in week 23's
    world.engagement.react(channel, "2605.01001", "U3", at=utc(2026, 6, 2, 10))
    world.engagement.reply(channel, "2605.01001", "U4", at=utc(2026, 6, 3, 10))
    await world.run(utc(2026, 6, 5, 15, 50), utc(2026, 6, 5, 17))
    [this_week] = discussed_sections(world)
    assert this_week.text == ("1. Paper 2605.01001 (2605.01001): 2 people reacted, 1 replied",)
    await subscribe(world, "CMISSED", timezone="Europe/Berlin", limit=3, days="tue", time="09:00")  # moved since
    missed = await by_hand(world, channel, week_22, posted)
    assert missed is not None and missed.text == ("1. Paper 2605.01001 (2605.01001): 2 people reacted, 0 replied",)


async def test_two_missed_weeks_posted_by_hand_in_any_order_never_list_the_same_reactions(world: World) -> None:
    """Weeks 22 and 23 missed, week 24's out on time; week 23 posted by hand, then week 22: week 22 listed
    week 24's reactions (its end was read off week 23's hand post, review s73 #1b)."""
    weeks = [date(2026, 5, 25), WEEK_23, date(2026, 6, 8)]
    for monday in weeks:
        await list_week(world.store, monday)
    channel = await subscribe(world, "CTWICE", timezone="UTC", limit=3)
    await world.store.save_papers([paper("2605.01001", 5)])
    world.engagement.cards.append(Card(channel, "2605.01001", utc(2026, 5, 12, 16)))
    for person, at in (("U22", utc(2026, 5, 27, 10)), ("U23", utc(2026, 6, 2, 10)), ("U24", utc(2026, 6, 9, 10))):
        world.engagement.react(channel, "2605.01001", person, at=at)
    world.engagement.react(channel, "2605.01001", "U24b", at=utc(2026, 6, 10, 10))
    await world.run(utc(2026, 6, 12, 15, 50), utc(2026, 6, 12, 17))  # week 24's, on time
    [week_24] = discussed_sections(world)
    assert week_24.text == ("1. Paper 2605.01001 (2605.01001): 2 people reacted, 0 replied",)
    week_23 = await by_hand(world, channel, WEEK_23, utc(2026, 6, 20))
    week_22 = await by_hand(world, channel, weeks[0], utc(2026, 6, 21))
    assert week_23 is not None and week_23.text == ("1. Paper 2605.01001 (2605.01001): 1 person reacted, 0 replied",)
    assert week_22 is not None and week_22.text == ("1. Paper 2605.01001 (2605.01001): 1 person reacted, 0 replied",)


@pytest.mark.slow
async def test_a_thursday_roundup_discusses_this_weeks_cards_too(world: World) -> None:
    """A roundup due on a Thursday covers the week before, and its "most discussed" counts the cards
    posted since up to now (this week's shares too), as any roundup due in its week does."""
    await list_week(world.store, WEEK_23)
    channel = await subscribe(world, "CTHU", timezone="UTC", limit=3, days="thu", time="09:00")
    for arxiv_id, posted in (("2606.04001", utc(2026, 6, 4, 16)), ("2606.09001", utc(2026, 6, 9, 12))):
        await world.store.save_papers([paper(arxiv_id, 5)])
        world.engagement.cards.append(Card(channel, arxiv_id, posted))
        world.engagement.react(channel, arxiv_id, "U1", "U2")
    await world.run(utc(2026, 6, 11, 8, 50), utc(2026, 6, 11, 10), step=timedelta(minutes=10))
    [section] = discussed_sections(world)
    assert "2606.04001" in " ".join(section.text) and "2606.09001" in " ".join(section.text)


@pytest.mark.slow
async def test_a_friday_roundup_due_before_friday_ends_in_utc_says_the_day_is_still_being_listed(
    world: World,
) -> None:
    """Tokyo's Friday 09:00 is 00:00 UTC: Hugging Face has listed nothing of Friday yet. It said "not fetched
    yet, run paperboy sync --date 2026-06-05", which no sync could help."""
    await list_week(world.store, WEEK_23, days=range(4))  # Monday to Thursday
    await asked_early(world, [WEEK_23 + timedelta(days=4)])  # Friday asked at 00:05 UTC: nothing yet
    await subscribe(world, "CTOKYO", timezone="Asia/Tokyo", time="09:00", days="fri")
    await world.run(utc(2026, 6, 4, 23, 50), utc(2026, 6, 5, 12))
    [header] = world.publisher.headers
    assert header.subheader is not None
    assert "Friday 5 June is still being listed on Hugging Face (not over yet in UTC)" in header.subheader
    assert "paperboy sync" not in header.subheader


@pytest.mark.slow
async def test_a_friday_listed_in_part_when_the_roundup_goes_is_said_to_be_still_being_listed(world: World) -> None:
    """East of UTC a Friday roundup goes while Friday is still being listed there: it took the papers listed so
    far and called itself the week ("top 5 of 30 papers this week"), and Friday's later papers reach no
    roundup. The line under the header says so now, while the day is not half over in UTC (a Friday afternoon
    roundup in Europe says nothing of the few papers to come: `the_week_comes_once…`)."""
    await list_week(world.store, WEEK_23)  # Friday's listing begun (as a sync during Friday finds it)
    await subscribe(world, "CTOKYO", timezone="Asia/Tokyo", time="18:00", days="fri")  # Fri 09:00 UTC
    await world.run(utc(2026, 6, 5, 8, 50), utc(2026, 6, 5, 11, 50))
    [header] = world.publisher.headers
    assert header.subheader is not None and header.subheader.startswith("Hugging Face Daily Papers · top 5 of 30")
    assert (
        "Friday 5 June is still being listed on Hugging Face (not over yet in UTC), so this roundup has only what"
        " was listed so far" in header.subheader
    )


@pytest.mark.slow
async def test_an_auckland_friday_roundup_due_before_friday_begins_in_utc_says_friday_is_to_come(world: World) -> None:
    """Friday 06:00 in Auckland (NZDT, UTC+13) is Thursday 17:00 UTC, and the wait ends at 23:00 UTC,
    before Hugging Face lists Friday: the roundup said nothing of Friday, as if the week were whole."""
    monday = utc(2026, 12, 7).date()
    await list_week(world.store, monday, days=range(4))  # Monday to Thursday, as a sync has them by then
    await subscribe(world, "CAKL", timezone="Pacific/Auckland", time="06:00", days="fri")
    await world.run(utc(2026, 12, 10, 16, 50), utc(2026, 12, 10, 23, 50))
    [header] = world.publisher.headers
    assert header.subheader is not None
    assert "Friday 11 December is still to come on Hugging Face (not begun yet in UTC)" in header.subheader


@pytest.mark.slow
async def test_a_roundup_early_in_the_week_says_nothing_of_days_to_come(world: World) -> None:
    """A Wednesday roundup covers the week before, all of it over: no day of it is said to be to come."""
    await list_week(world.store, WEEK_23)
    await subscribe(world, "CWED", timezone="Pacific/Auckland", time="09:00", days="wed")
    await world.run(utc(2026, 6, 9, 20, 50), utc(2026, 6, 10, 3, 0))
    [header] = world.publisher.headers
    assert header.subheader is not None and "still being listed" not in header.subheader, header.subheader


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (datetime(2026, 6, 12, 16, tzinfo=UTC), date(2026, 6, 8)),  # Friday: this week's roundup, from Monday
        (datetime(2026, 6, 8, 9, tzinfo=UTC), date(2026, 6, 1)),  # Monday: the week just ended
        (datetime(2026, 6, 11, 9, tzinfo=UTC), date(2026, 6, 1)),  # Thursday: still the week before
    ],
)
def test_run_fetches_the_week_a_roundup_covers_again_every_hour(now: datetime, first: date) -> None:
    days = days_to_sync(now, None)
    assert days[0] == first and days[-2:] == recent_days(now.date(), 2)
    assert days == [first + timedelta(days=n) for n in range(len(days))]
    assert days_to_sync(now, now - timedelta(minutes=59)) == recent_days(now.date(), 2)  # fetched lately
    assert days_to_sync(now, now - timedelta(hours=1)) == days


@pytest.mark.slow
async def test_a_roundup_ranks_a_paper_by_its_count_of_the_week_s_end(world: World, sleeps: Sleeps) -> None:
    """`run`'s sync fetched today's and yesterday's listings only: a Monday paper that took off on Thursday
    was ranked in Friday's roundup by its count of Tuesday night, and left out of a roundup of three."""
    api = FakePapersApi.recorded({(date(2026, 6, 8) + timedelta(days=n)).isoformat() for n in range(5)})
    api.daily = copy.deepcopy(api.daily)  # the recorded payloads are shared: change a copy
    hit = min(api.daily["2026-06-08"], key=lambda item: item["paper"]["upvotes"])  # type: ignore[index]
    await world.subscriptions.save(
        Subscription(channel=ChannelRef("slack", "CWEEK"), cadence="weekly", days="fri", time="16:00", limit=3)
    )
    async with httpx.AsyncClient(transport=api.transport(), base_url="https://huggingface.co") as client:
        hf = HuggingFace(client, policy=RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0), sleep=sleeps)
        syncer = Syncer(world.store, hf, None, search_over(world.store))
        now, fetched = utc(2026, 6, 8, 6), None
        while now < utc(2026, 6, 12, 16):  # as `run`'s sync job (bot/app/dispatch.py), every 3 hours here
            if now >= utc(2026, 6, 11, 12):
                hit["paper"]["upvotes"] = 5000  # type: ignore[index]
            days = days_to_sync(now, fetched)
            await syncer.sync(days)
            fetched = now if len(days) > 2 else fetched
            now += timedelta(hours=3)
        await world.run(utc(2026, 6, 12, 15, 50), utc(2026, 6, 12, 16, 30))
    cards = [p.text for p in world.publisher.posted if p.key.count(":") == 1 and not p.key.endswith(":header")]
    assert cards[0] == hit["paper"]["id"]  # type: ignore[index]


def test_the_days_of_a_week_not_over_are_said_as_they_stand_in_utc() -> None:
    """Monday's roundup preview said Tuesday to Friday were "still being listed", days not begun."""
    monday = date(2026, 12, 7)
    assert lacking(tuple(monday + timedelta(days=n) for n in range(3)), monday) == (
        "Monday 7 December is still being listed on Hugging Face (not over yet in UTC), and Tuesday 8 December and"
        " Wednesday 9 December are still to come on Hugging Face (not begun yet in UTC), so this roundup has only"
        " what was listed so far; a later hour, or a roundup on the day after, takes the whole week in."
    )
