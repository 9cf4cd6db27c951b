"""The sweep under a controllable clock: zones, daylight saving, weekends, downtime, partial days, crashes.

Runs on SQLite and PostgreSQL (the `store` fixture); no wall-clock sleeps anywhere.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DeliveryResult, DigestDelivery
from bot.delivery.subscriptions import Subscription, SubscriptionStore, from_config
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults, ScheduleConfig, SubscriptionConfig
from bot.domain.errors import ChannelUnavailable, DeliveryError, WorkspacePaused
from bot.domain.models import Listing, Paper
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef
from bot.sources.hf_payload import parse_daily
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.tables import digests, fetched_days, subscriptions
from bot.store.workspaces import PAUSED, pause, resume
from tests.conftest import search_over
from tests.delivery.world import Clock, SweepWorld, utc
from tests.fakes.publisher import Crash, OutagePublisher, RecordingPublisher
from tests.store.test_ledger import counting


@dataclass
class World(SweepWorld):
    policy: ScheduleConfig

    def sweeper(
        self, owner: str = "replica-a", publisher: RecordingPublisher | None = None, hold: float | None = None
    ) -> Sweeper:
        ledger = Ledger(self.store.engine, owner=owner, lease=timedelta(minutes=2))
        delivery = DigestDelivery(
            self.store,
            search_over(self.store),
            ledger,
            self.subscriptions,
            {"slack": publisher or self.publisher},
            clock=self.clock,
        )
        return Sweeper(self.subscriptions, ledger, self.store, delivery, self.policy, frozenset({"slack"}), hold=hold)

    async def run(
        self, start: datetime, end: datetime, step: timedelta = timedelta(minutes=5), owner: str = "replica-a"
    ) -> None:
        sweeper = self.sweeper(owner)
        self.clock.now = start
        while self.clock.now <= end:
            await sweeper.sweep(self.clock.now)
            self.clock.now += step


def paper(arxiv_id: str, upvotes: int = 10) -> Paper:
    return Paper(
        arxiv_id=arxiv_id, title=f"Paper {arxiv_id} on diffusion", abstract="About diffusion models.", upvotes=upvotes
    )


async def list_day(store: PaperStore, day: date, count: int = 8, prefix: str | None = None) -> list[str]:
    stem = prefix or f"{day:%y%m}.{day:%d}"
    ids = [f"{stem}{i:03d}" for i in range(count)]
    await store.save_listings([Listing(paper(i, upvotes=100 - n), day, n + 1) for n, i in enumerate(ids)])
    return ids


@pytest.fixture
async def world(store: PaperStore) -> World:
    return World(
        store,
        Clock(datetime(2026, 1, 1, tzinfo=UTC)),
        RecordingPublisher(),
        SubscriptionStore(store.engine),
        ScheduleConfig(),
    )


async def subscribe(world: World, channel: str, **fields: object) -> None:
    await world.subscriptions.save(Subscription(channel=ChannelRef("slack", channel), limit=3, **fields))  # type: ignore[arg-type]


@pytest.mark.slow
async def test_several_zones_each_get_the_day_once_at_their_hour(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    zones = {
        "CTOKYO": "Asia/Tokyo",
        "CBERLIN": "Europe/Berlin",
        "CNYC": "America/New_York",
        "CLA": "America/Los_Angeles",
    }
    for channel, zone in zones.items():
        await subscribe(world, channel, time="09:00", timezone=zone)
    sweeper = world.sweeper()
    world.clock.now = utc(2026, 6, 1, 12)
    first_post: dict[str, datetime] = {}
    while world.clock.now <= utc(2026, 6, 3, 6):
        await sweeper.sweep(world.clock.now)
        for channel in zones:
            if world.headers(channel) and channel not in first_post:
                first_post[channel] = world.clock.now
        world.clock.now += timedelta(minutes=5)
    for channel in zones:
        assert world.headers(channel) == Counter({"2026-06-02": 1}), channel
    assert first_post["CTOKYO"] == utc(2026, 6, 2, 0)  # 09:00 JST
    assert first_post["CBERLIN"] == utc(2026, 6, 2, 7)  # 09:00 CEST
    assert first_post["CNYC"] == utc(2026, 6, 2, 13)  # 09:00 EDT
    assert first_post["CLA"] == utc(2026, 6, 2, 16)  # 09:00 PDT


async def first_headers(world: World, start: datetime, end: datetime, channel: str) -> dict[str, datetime]:
    """Sweep every 10 minutes from `start` to `end`: when each day's header first reached `channel`."""
    sweeper, seen = world.sweeper(), dict[str, datetime]()
    world.clock.now = start
    while world.clock.now <= end:
        await sweeper.sweep(world.clock.now)
        for key in world.publisher.keys(channel):
            if key.endswith(":header"):
                seen.setdefault(key.split(":")[0], world.clock.now)
        world.clock.now += timedelta(minutes=10)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize(("zone", "offset"), [("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11)])
async def test_the_farthest_zones_get_their_own_days_listing_once_at_their_hour(
    world: World, zone: str, offset: int
) -> None:
    """UTC+14 and UTC-11: 09:00 local is on another UTC day than the local one."""
    days = [date(2026, 6, d) for d in (2, 3, 4)]
    for day in days:
        await list_day(world.store, day, prefix=f"2606.{day:%d}")
    await subscribe(world, "CFAR", time="09:00", timezone=zone)
    seen = await first_headers(world, utc(2026, 6, 1, 0), utc(2026, 6, 5, 12), "CFAR")
    assert world.headers("CFAR") == Counter({d.isoformat(): 1 for d in days})
    assert seen == {
        d.isoformat(): datetime(d.year, d.month, d.day, 9, tzinfo=UTC) - timedelta(hours=offset) for d in days
    }


@pytest.mark.slow
async def test_kiritimati_waits_for_a_listing_hugging_face_publishes_after_its_hour(world: World) -> None:
    """09:00 on Tuesday in Kiritimati is 19:00 UTC on Monday, before Hugging Face lists Tuesday: the digest
    waits, and comes once when the listing does (06:00 UTC, 20:00 there), never with Monday's papers."""
    await list_day(world.store, date(2026, 6, 1), prefix="2606.01")
    await subscribe(world, "CKIR", time="09:00", timezone="Pacific/Kiritimati")
    await first_headers(world, utc(2026, 6, 1, 18), utc(2026, 6, 2, 6), "CKIR")
    assert world.headers("CKIR")["2026-06-02"] == 0
    await list_day(world.store, date(2026, 6, 2), prefix="2606.02")
    seen = await first_headers(world, utc(2026, 6, 2, 6, 5), utc(2026, 6, 2, 12), "CKIR")
    assert world.headers("CKIR")["2026-06-02"] == 1 and seen["2026-06-02"] == utc(2026, 6, 2, 6, 5)
    cards = [k.split(":")[1] for k in world.publisher.keys("CKIR") if k.startswith("2026-06-02:") and k.count(":") == 1]
    assert cards[0] == "header" and cards[1:] and all(c.startswith("2606.02") for c in cards[1:])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("zone", "at", "days", "first", "last"),
    [
        (
            "Europe/Berlin",
            "02:30",
            (date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)),
            utc(2026, 3, 27, 20),
            utc(2026, 3, 31, 6),
        ),
        (
            "Europe/Berlin",
            "02:30",
            (date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)),
            utc(2026, 10, 23, 20),
            utc(2026, 10, 27, 6),
        ),
        (
            "America/New_York",
            "02:15",
            (date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)),
            utc(2026, 3, 6, 20),
            utc(2026, 3, 10, 12),
        ),
        (
            "America/New_York",
            "01:30",
            (date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)),
            utc(2026, 10, 30, 20),
            utc(2026, 11, 3, 12),
        ),
        (
            "Europe/Berlin",
            "09:00",
            (date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)),
            utc(2026, 3, 27, 20),
            utc(2026, 3, 31, 6),
        ),
    ],
    ids=["berlin-spring-gap", "berlin-autumn-fold", "new-york-spring-gap", "new-york-autumn-fold", "berlin-09-00"],
)
async def test_daylight_saving_neither_skips_nor_doubles(
    world: World, zone: str, at: str, days: tuple[date, ...], first: datetime, last: datetime
) -> None:
    for n, day in enumerate(days):
        await list_day(world.store, day, prefix=f"25{n:02d}.1")
    await subscribe(world, "CDST", time=at, timezone=zone, days="daily")
    await world.run(first, last, step=timedelta(minutes=10))
    assert world.headers("CDST") == Counter({d.isoformat(): 1 for d in days})


@pytest.mark.slow
async def test_weekends_get_nothing_and_weekdays_get_theirs(world: World) -> None:
    await list_day(world.store, date(2026, 6, 5), prefix="2606.5")  # Friday
    await list_day(world.store, date(2026, 6, 8), prefix="2606.8")  # Monday
    await subscribe(world, "CWEEK", time="09:00", timezone="UTC")  # mon-fri
    await subscribe(world, "CDAILY", time="09:00", timezone="UTC", days="daily")
    await world.run(utc(2026, 6, 5, 0), utc(2026, 6, 9, 0))
    assert world.headers("CWEEK") == Counter({"2026-06-05": 1, "2026-06-08": 1})
    assert world.headers("CDAILY") == Counter({"2026-06-05": 1, "2026-06-08": 1})  # nothing listed at the weekend
    ledger = Ledger(world.store.engine)
    assert await ledger.status(ChannelRef("slack", "CDAILY"), date(2026, 6, 6)) == "skipped"
    assert await ledger.status(ChannelRef("slack", "CWEEK"), date(2026, 6, 6)) is None


@pytest.mark.slow
async def test_a_digest_missed_while_down_comes_once_the_same_day(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    await world.run(utc(2026, 6, 2, 13), utc(2026, 6, 2, 16))  # up again at 15:00 Berlin
    assert world.headers("CBER") == Counter({"2026-06-02": 1})
    assert world.publisher.posted[0].key == "2026-06-02:header"


@pytest.mark.slow
async def test_a_digest_missed_until_the_next_day_is_skipped_with_a_log_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await list_day(world.store, date(2026, 6, 3), prefix="2606.3")
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    await world.run(utc(2026, 6, 3, 5), utc(2026, 6, 3, 9))  # down all of the 2nd; back at 07:00 Berlin on the 3rd
    assert world.headers("CBER") == Counter({"2026-06-03": 1})
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CBER"), date(2026, 6, 2)) == "skipped"
    assert "missed" in caplog.text


async def test_digests_missed_while_down_for_days_are_each_recorded_and_said(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Down from Monday to Thursday noon: Thursday's digest went out, Wednesday's was logged as missed, and
    Monday's and Tuesday's left no line and no record, as if they had never been due."""
    for day in (1, 2, 3, 4):
        await list_day(world.store, date(2026, 6, day), prefix=f"2606.{day}")
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    await world.run(utc(2026, 5, 31, 12), utc(2026, 5, 31, 12))  # the subscription, before the outage
    caplog.clear()
    await world.run(utc(2026, 6, 4, 12), utc(2026, 6, 4, 12))  # back on Thursday at noon
    assert world.headers("CBER") == Counter({"2026-06-04": 1})
    ledger = Ledger(world.store.engine)
    for day in (1, 2, 3):
        assert await ledger.status(ChannelRef("slack", "CBER"), date(2026, 6, day)) == "skipped", day
    assert sum("digest for slack:CBER on 2026-06-0" in r.getMessage() and "missed" in r.getMessage()
               for r in caplog.records) == 3  # fmt: skip


async def test_catch_up_hours_is_configurable(world: World) -> None:
    world.policy = ScheduleConfig(catch_up_hours=2, wait_hours=1)
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    await world.run(utc(2026, 6, 2, 10), utc(2026, 6, 2, 12))  # back at 12:00 Berlin: more than 2 h late
    assert world.headers("CBER") == Counter()


async def test_no_catch_up_and_no_wait_still_delivers_at_its_time(world: World) -> None:
    """`catch_up_hours = 0` with `wait_hours = 0` made a window of no time: a sweep seconds after the minute
    found it over, every day, and logged "missed: nothing was delivered between 07:00 and 07:00 UTC"."""
    world.policy = ScheduleConfig(catch_up_hours=0, wait_hours=0, tick_seconds=60)
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    tick = utc(2026, 6, 2, 7) + timedelta(seconds=7)  # a tick, seconds after the minute
    await world.run(tick, tick)
    assert world.headers("CBER") == Counter({"2026-06-02": 1})


@pytest.mark.slow
async def test_a_partial_listing_is_waited_for_and_yesterday_is_never_posted_again(world: World) -> None:
    await list_day(world.store, date(2026, 6, 1), prefix="2606.1")
    await subscribe(world, "CUTC", time="01:00", timezone="UTC", days="daily")
    await world.run(utc(2026, 6, 1, 0), utc(2026, 6, 1, 2))
    assert world.headers("CUTC") == Counter({"2026-06-01": 1})
    monday = set(world.publisher.keys("CUTC"))
    await list_day(world.store, date(2026, 6, 2), count=2, prefix="2606.2")  # only two papers so far
    await world.run(utc(2026, 6, 2, 0), utc(2026, 6, 2, 4))
    assert world.headers("CUTC") == Counter({"2026-06-01": 1})  # still waiting: two papers look partial
    await list_day(world.store, date(2026, 6, 2), count=9, prefix="2606.2")  # the sync brought the rest
    await world.run(utc(2026, 6, 2, 4), utc(2026, 6, 2, 5))
    assert world.headers("CUTC") == Counter({"2026-06-01": 1, "2026-06-02": 1})
    tuesday = [k for k in world.publisher.keys("CUTC") if k not in monday]
    assert all(k.startswith("2026-06-02") for k in tuesday)
    assert len([k for k in tuesday if not k.endswith((":header", ":seed"))]) == 3


@pytest.mark.slow
async def test_after_the_wait_what_there_is_gets_posted(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2), count=2)
    await subscribe(world, "CUTC", time="01:00", timezone="UTC")
    await world.run(utc(2026, 6, 2, 0), utc(2026, 6, 2, 8))  # the wait is 6 h
    keys = world.publisher.keys("CUTC")
    assert keys[0] == "2026-06-02:header"
    assert len([k for k in keys if not k.endswith((":header", ":seed"))]) == 2
    assert world.clock.now > utc(2026, 6, 2, 7)


@pytest.mark.slow
async def test_an_empty_day_is_skipped_never_filled_with_yesterday(world: World) -> None:
    await list_day(world.store, date(2026, 6, 1))
    await subscribe(world, "CUTC", time="01:00", timezone="UTC", days="tue")
    await world.run(utc(2026, 6, 2, 0), utc(2026, 6, 3, 2))
    assert world.publisher.posted == []
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CUTC"), date(2026, 6, 2)) == "skipped"


@pytest.mark.slow
async def test_a_day_never_fetched_is_waited_for_not_skipped_as_empty(world: World) -> None:
    """Hugging Face down all morning: the day is not "a day with no papers" until a sync has asked."""
    await subscribe(world, "CUTC", time="01:00", timezone="UTC")
    await world.run(utc(2026, 6, 2, 0), utc(2026, 6, 2, 8))  # past the 6 h wait, nothing fetched yet
    channel = ChannelRef("slack", "CUTC")
    assert await Ledger(world.store.engine).status(channel, date(2026, 6, 2)) is None
    await list_day(world.store, date(2026, 6, 2))  # the sync comes through that afternoon
    await world.run(utc(2026, 6, 2, 15), utc(2026, 6, 2, 16))
    assert world.headers("CUTC") == Counter({"2026-06-02": 1})


@pytest.mark.slow
async def test_a_digest_waiting_for_its_listing_says_so_once(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """Offline, or Hugging Face late: at the hour the owner sees one line saying why nothing came, not
    silence (and not a line a minute)."""
    await list_day(world.store, date(2026, 6, 2), count=2)
    await subscribe(world, "CUTC", time="01:00", timezone="UTC")
    await subscribe(world, "CLATE", time="03:00", timezone="UTC")
    with caplog.at_level(logging.INFO, logger="paperboy.sweep"):
        await world.run(utc(2026, 6, 2, 0, 50), utc(2026, 6, 2, 4))
    said = [r.getMessage() for r in caplog.records if "is due;" in r.getMessage()]
    assert said == [
        "digest for slack:CUTC on 2026-06-02 is due; the store holds only 2 papers of that day's listing so far: "
        "waiting until 2026-06-02 07:00 UTC at the latest (a sync, or `paperboy import`, brings them)",
        "digest for slack:CLATE on 2026-06-02 is due; the store holds only 2 papers of that day's listing so far: "
        "waiting until 2026-06-02 09:00 UTC at the latest (a sync, or `paperboy import`, brings them)",
    ]
    assert world.publisher.posted == []


async def test_a_day_never_listed_is_skipped_for_its_missing_listing_not_as_missed(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Hugging Face down (or every sync failing) all day: the one line at the hour names when the sweep
    really stops waiting (the end of the window, not of the wait for a partial listing), and the day is
    recorded for what it was, a listing the store never got, not as a digest missed."""
    await subscribe(world, "CU", time="09:00", timezone="UTC")
    with caplog.at_level(logging.INFO, logger="paperboy.sweep"):
        await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 3, 1), step=timedelta(minutes=30))
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("digest for slack:CU on 2026-06-02")]
    assert said == [
        "digest for slack:CU on 2026-06-02 is due; the store holds no papers of that day's listing so far: "
        "waiting until 2026-06-03 00:00 UTC at the latest (a sync, or `paperboy import`, brings them)",
        "digest for slack:CU on 2026-06-02 skipped: the store has no listing of 2026-06-02 (no sync fetched it "
        "by 2026-06-03 00:00 UTC)",  # (with its date: "by 00:00 UTC" read as the day's own start)
    ]
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CU"), date(2026, 6, 2)) == "skipped"


async def test_a_day_listed_only_after_its_window_is_skipped_as_missed(world: World) -> None:
    """A listing the store holds, and nothing delivered by the end of the window (the bot was down): missed."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CU", time="09:00", timezone="UTC")
    await world.run(utc(2026, 6, 3, 0, 30), utc(2026, 6, 3, 1))
    async with world.store.engine.connect() as conn:
        error = await conn.scalar(
            select(digests.c.error).where(digests.c.channel == "CU", digests.c.day == date(2026, 6, 2))
        )
    assert error == "missed: nothing was delivered between 2 June 09:00 and 3 June 00:00 UTC"  # its days: it spans two


def test_a_missed_window_on_another_day_than_its_listings_names_its_day() -> None:
    """Los Angeles at 16:02 is 00:02 UTC the next day: "on 2026-12-01 skipped: missed: nothing was delivered
    between 00:02 and 08:00 UTC" read as a window on the 1st (QA s77)."""
    from bot.delivery.sweep import Due, missed

    subscription = Subscription(channel=ChannelRef("slack", "CLA"), time="16:02", timezone="America/Los_Angeles")
    late = Due(
        subscription,
        date(2026, 12, 1),
        utc(2026, 12, 2, 0, 2),
        utc(2026, 12, 2, 8),
        utc(2026, 12, 2, 8),
        utc(2026, 12, 3),
    )
    assert missed(late) == "missed: nothing was delivered between 2 December 00:02 and 2 December 08:00 UTC"
    same = Due(
        subscription,
        date(2026, 12, 2),
        utc(2026, 12, 2, 9),
        utc(2026, 12, 2, 18),
        utc(2026, 12, 2, 18),
        utc(2026, 12, 3),
    )
    assert missed(same) == "missed: nothing was delivered between 09:00 and 18:00 UTC"


@pytest.mark.slow
async def test_an_empty_answer_before_the_day_ended_is_waited_on_not_taken_as_final(world: World) -> None:
    """A sync asked at 00:05 UTC and got nothing yet (Hugging Face lists as the day goes on): the day is
    not "no papers" while a later answer may bring them; they come at 08:00 and are delivered."""
    await world.store.save_listings([], fetched=[date(2026, 6, 2)])
    async with world.store.engine.begin() as connection:
        await connection.execute(update(fetched_days).values(fetched_at=utc(2026, 6, 2, 0, 5)))
    await subscribe(world, "CUTC", time="01:00", timezone="UTC")
    await world.run(utc(2026, 6, 2, 0, 50), utc(2026, 6, 2, 7, 10))  # past the 6 h wait
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CUTC"), date(2026, 6, 2)) is None
    await list_day(world.store, date(2026, 6, 2))
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 2, 9))
    assert world.headers("CUTC") == Counter({"2026-06-02": 1})


@pytest.mark.slow
async def test_a_sweep_costs_a_few_transactions_however_many_channels_are_due(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    for n in range(40):
        await subscribe(world, f"C{n:03d}", time="09:00", timezone="UTC")
    sweeper = world.sweeper()
    world.clock.now = utc(2026, 6, 2, 9)
    with counting(world.store.engine) as counts:
        results = await sweeper.sweep(world.clock.now)
    assert [r.outcome for r in results] == ["posted"] * 40
    assert all(len(world.publisher.keys(f"C{n:03d}")) == 1 + 3 * 2 for n in range(40))
    # One claim for all, then each round of writes group-committed: the intents, each card's and each
    # seed's record (made right after the post), the completions. At most two transactions a round
    # (the first channel's, then all who came while it ran), not a write per channel and post (320).
    rounds = 1 + 3 * 2 + 1
    assert counts.commits <= 1 + 2 * rounds, counts


async def test_a_crash_between_claim_and_post_is_taken_over_at_once(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    channel = ChannelRef("slack", "CUTC")
    dead = Ledger(world.store.engine, owner="dead-replica", lease=timedelta(minutes=2))
    assert (await dead.claim(channel, date(2026, 6, 2), utc(2026, 6, 2, 9))).state == "new"
    await dead.close()  # …and it died: its lock went with it, though its lease has two minutes to run
    world.clock.now = utc(2026, 6, 2, 9) + timedelta(seconds=5)
    results = await world.sweeper(owner="replica-b").sweep(world.clock.now)
    assert [r.outcome for r in results] == ["posted"]
    assert len(world.publisher.keys("CUTC")) == 1 + 3 * 2


async def test_a_live_holder_is_named_and_waited_for_while_it_holds_its_lock(world: World) -> None:
    """A holder alive but silent (hung, or one post taking long) keeps the digest, past its lease too,
    for as long as it holds its lock; once it lets go, the digest is taken over at once."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    channel = ChannelRef("slack", "CUTC")
    hung = Ledger(world.store.engine, lease=timedelta(minutes=2))
    try:
        assert (await hung.claim(channel, date(2026, 6, 2), utc(2026, 6, 2, 9))).state == "new"
        other = world.sweeper(owner="replica-b")
        world.clock.now = utc(2026, 6, 2, 9, 1)
        [busy] = await other.sweep(world.clock.now)
        assert busy.outcome == "busy"
        assert f"(host {socket.gethostname()}, pid {os.getpid()}, since 2026-06-02 09:00:00 UTC)" in busy.describe()
        assert world.publisher.posted == []
        world.clock.now = utc(2026, 6, 2, 9, 3)  # its lease ran out; its lock did not
        assert [r.outcome for r in await other.sweep(world.clock.now)] == ["busy"]
        assert world.publisher.posted == []
        await hung.close()
        results = await other.sweep(world.clock.now)
        assert [r.outcome for r in results] == ["posted"]
        assert len(world.publisher.keys("CUTC")) == 1 + 3 * 2
    finally:
        await hung.close()


class Stalling(RecordingPublisher):
    """Posts to the platform of `shared`; the card whose key ends with `stall` waits for `go` (Slack's
    `Retry-After` waited out three times, discord.py sleeping out five 429s of up to 30 s)."""

    def __init__(self, shared: RecordingPublisher, stall: str) -> None:
        super().__init__()
        self.posted = shared.posted
        self._ids = shared._ids
        self.go = asyncio.Event()
        self.stalled = asyncio.Event()
        self.stall = stall

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        if key.endswith(self.stall) and not self.go.is_set():
            self.stalled.set()
            await self.go.wait()
        return await super().post_card(channel, card, key)


async def test_a_post_that_outlasts_the_lease_is_not_posted_again_by_another_replica(world: World) -> None:
    """Replica A's second card takes minutes to go out; B sweeps meanwhile, past A's lease: A is alive
    and holds its lock, so B leaves the digest to it, and each message goes out once."""
    ids = await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CL", time="09:00", timezone="UTC")
    slow = Stalling(world.publisher, ids[1])
    world.clock.now = utc(2026, 6, 2, 9)
    a = asyncio.create_task(world.sweeper("replica-a", slow).sweep(world.clock.now))
    await asyncio.wait_for(slow.stalled.wait(), 10)
    world.clock.now = utc(2026, 6, 2, 9, 3)  # A's lease ran out two minutes after its last renewal
    b = world.sweeper("replica-b")
    assert [r.outcome for r in await b.sweep(world.clock.now)] == ["busy"]
    slow.go.set()
    assert [r.outcome for r in await a] == ["posted"]
    assert [r.outcome for r in await b.sweep(world.clock.now)] == []  # done: nothing due
    keys = world.publisher.keys("CL")
    assert len(keys) == len(set(keys)) == 1 + 3 * 2, keys


@pytest.mark.parametrize(
    ("crash", "before"),
    [
        ({"crash_at": 4}, 1),
        ({"crash_before": 4}, 1),
        ({"crash_at": 1}, 0),
        ({"crash_at": 3}, 1),
        ({"crash_before": 7}, 3),
    ],
)
async def test_a_crash_between_two_papers_resumes_without_reposting(
    world: World, crash: dict[str, int], before: int
) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    dying = RecordingPublisher(crash_at=crash.get("crash_at"), crash_before=crash.get("crash_before"))
    world.clock.now = utc(2026, 6, 2, 9)
    with pytest.raises(Crash):
        await world.sweeper("replica-a", dying).sweep(world.clock.now)
    world.publisher.posted = list(dying.posted)  # the platform kept what it was sent before the crash
    world.clock.now = utc(2026, 6, 2, 9) + timedelta(seconds=30)  # restarted at once: its lease has 90 s to run
    results = await world.sweeper("replica-b").sweep(world.clock.now)
    assert [r.outcome for r in results] == ["posted"]
    keys = world.publisher.keys("CUTC")
    assert len(keys) == len(set(keys)) == 1 + 3 * 2, keys
    said = results[0].describe()  # it said "3 papers" as if this process had posted them all
    assert (
        said.endswith(f"({before} of them by an earlier try, which stopped midway).")
        if before
        else said.endswith("3 papers.")
    )


@pytest.mark.slow
async def test_a_paper_listed_on_two_days_reaches_a_channel_once(world: World) -> None:
    await world.store.save_listings(
        [Listing(paper("2606.00001", 50), date(2026, 6, 1), 1), Listing(paper("2606.00002", 40), date(2026, 6, 1), 2)]
    )
    # The second day comes from Hugging Face with a new arXiv version of the first paper.
    raw = [
        {"paper": {"id": "2606.00001v2", "title": "Paper v2", "upvotes": 60}},
        {"paper": {"id": "2606.00003", "title": "Three", "upvotes": 30}},
    ]
    await world.store.save_listings(parse_daily(raw, date(2026, 6, 2)))
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    world.policy = ScheduleConfig(min_papers=1)
    await world.run(utc(2026, 6, 1, 8), utc(2026, 6, 2, 10))
    cards = [k for k in world.publisher.keys("CUTC") if not k.endswith((":header", ":seed"))]
    assert cards == ["2026-06-01:2606.00001", "2026-06-01:2606.00002", "2026-06-02:2606.00003"]


async def test_a_digest_whose_process_died_is_given_up_after_its_window_not_posted_a_day_late(world: World) -> None:
    """Claimed on the 1st, its process died while posting the header; the host is back on the 2nd:
    the 1st is given up (not resumed past its window), and the 2nd shows a paper of both days once."""
    await world.store.save_listings([Listing(paper("2606.00001", 50), date(2026, 6, 1), 1)])
    await world.store.save_listings(
        [Listing(paper("2606.00001", 50), date(2026, 6, 2), 1), Listing(paper("2606.00002", 40), date(2026, 6, 2), 2)]
    )
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    world.policy = ScheduleConfig(min_papers=1)
    dead = Ledger(world.store.engine, owner="dead-replica", lease=timedelta(minutes=2))
    assert (await dead.claim(ChannelRef("slack", "CUTC"), date(2026, 6, 1), utc(2026, 6, 1, 9))).state == "new"
    await dead.close()
    await world.run(utc(2026, 6, 2, 10), utc(2026, 6, 2, 10, 30))
    assert world.headers("CUTC") == Counter({"2026-06-02": 1})
    cards = [k for k in world.publisher.keys("CUTC") if not k.endswith((":header", ":seed"))]
    assert cards == ["2026-06-02:2606.00001", "2026-06-02:2606.00002"]
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CUTC"), date(2026, 6, 1)) == "skipped"


async def test_a_digest_a_crash_cut_short_is_finished_shortly_after_its_window(world: World) -> None:
    """Due 23:45, its process died at 23:50 with the header and one card out; another is up at 00:30,
    before the next digest is due: the rest of the digest goes out, not half a digest for good."""
    await list_day(world.store, date(2026, 6, 1))
    await subscribe(world, "CLATE", time="23:45", timezone="UTC")
    world.policy = ScheduleConfig(min_papers=1)
    dying = RecordingPublisher(crash_before=4)  # header, card, seed; the second card never leaves
    with pytest.raises(Crash):
        await world.sweeper(owner="dead-replica", publisher=dying).sweep(utc(2026, 6, 1, 23, 50))
    world.publisher.posted = list(dying.posted)
    await world.run(utc(2026, 6, 2, 0, 30), utc(2026, 6, 2, 0, 40))
    assert len([k for k in world.publisher.keys("CLATE") if not k.endswith((":header", ":seed"))]) == 3
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CLATE"), date(2026, 6, 1)) == "done"


async def test_two_days_due_at_once_come_one_after_the_other_without_a_paper_twice(world: World) -> None:
    """A catch-up longer than a day makes yesterday and today due in one sweep: the oldest goes first,
    the next sweep brings today without the papers yesterday's digest showed."""
    for day in (date(2026, 6, 1), date(2026, 6, 2)):
        await world.store.save_listings(
            [Listing(paper("2606.00001", 50), day, 1), Listing(paper(f"2606.{day:%d}002", 40), day, 2)]
        )
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    world.policy = ScheduleConfig(min_papers=1, catch_up_hours=30)
    await world.run(utc(2026, 6, 2, 10), utc(2026, 6, 2, 10, 10))
    cards = [k for k in world.publisher.keys("CUTC") if not k.endswith((":header", ":seed"))]
    assert cards == ["2026-06-01:2606.00001", "2026-06-01:2606.01002", "2026-06-02:2606.02002"]


async def test_the_cards_a_given_up_digest_never_posted_may_come_another_day(world: World) -> None:
    for day, papers in ((date(2026, 6, 1), (0, 1, 2)), (date(2026, 6, 2), (1, 2))):
        await world.store.save_listings([Listing(paper(f"2606.1000{i}", 50 - i), day, i + 1) for i in papers])
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    world.policy = ScheduleConfig(min_papers=1)
    dying = RecordingPublisher(crash_before=4)  # header, card, seed, then the second card never leaves
    with pytest.raises(Crash):
        await world.sweeper(owner="dead-replica", publisher=dying).sweep(utc(2026, 6, 1, 9))
    world.publisher.posted = list(dying.posted)
    await world.run(utc(2026, 6, 2, 9), utc(2026, 6, 2, 9, 10))  # the 2nd is due: the 1st is given up, the 2nd comes
    cards = [k for k in world.publisher.keys("CUTC") if not k.endswith((":header", ":seed"))]
    assert cards == ["2026-06-01:2606.10000", "2026-06-02:2606.10001", "2026-06-02:2606.10002"]


async def test_a_stopped_channel_is_left_alone(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CGONE", time="09:00", timezone="UTC")
    await world.subscriptions.set_status(ChannelRef("slack", "CGONE"), "channel_not_found")
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 2, 12))
    assert world.publisher.posted == []


class FailingPublisher(RecordingPublisher):
    """Slack answering 500 to every post: each sweep's delivery fails, to be tried again."""

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        self.attempts += 1
        raise DeliveryError("Slack refused chat.postMessage: 500")

    attempts: int = 0


@pytest.mark.slow
async def test_a_digest_that_keeps_failing_is_given_up_after_its_window(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CUTC", time="09:00", timezone="UTC")
    failing = FailingPublisher()
    sweeper = world.sweeper(publisher=failing)
    world.clock.now = utc(2026, 6, 2, 9)
    while world.clock.now <= utc(2026, 6, 3, 2):
        await sweeper.sweep(world.clock.now)
        world.clock.now += timedelta(minutes=30)
    tried = failing.attempts
    assert tried == 30  # every half hour from 09:00 until midnight, then no more
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CUTC"), date(2026, 6, 2)) == "skipped"
    said = "given up: it kept failing until its window closed (00:00 UTC on 3 June)"  # not `…00:00+00:00`
    assert said in caplog.text


@pytest.mark.slow
async def test_a_config_entry_taking_over_a_chat_subscription_does_not_post_its_day_again(world: World) -> None:
    """Subscribed in chat (workspace T1), the channel gets 2 June at 09:00; at 12:00 paperboy restarts with
    a config entry for it naming no workspace, due 17:00: the config's row replaces the chat one, and the
    ledger's record of the day (and of the papers sent) goes with it, so 17:00 posts nothing; 3 June
    comes once, without the papers of 2 June."""
    await list_day(world.store, date(2026, 6, 2))
    await list_day(world.store, date(2026, 6, 3), prefix="2606.03")
    chat = Subscription(channel=ChannelRef("slack", "C1", "T1"), limit=3, time="09:00", timezone="UTC")
    await world.subscriptions.save(chat, utc(2026, 6, 1, 12))
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 2, 10))
    assert world.headers("C1") == Counter({"2026-06-02": 1})
    entry = from_config(SubscriptionConfig(channel="slack:C1", time="17:00", limit=3), DigestDefaults())
    assert [s.channel for s in await world.subscriptions.seed([entry], utc(2026, 6, 2, 12))] == [chat.channel]
    await world.run(utc(2026, 6, 2, 12), utc(2026, 6, 3, 18))
    assert world.headers("C1") == Counter({"2026-06-02": 1, "2026-06-03": 1})
    ledger = Ledger(world.store.engine)
    assert await ledger.status(ChannelRef("slack", "C1"), date(2026, 6, 2)) == "done"
    assert await ledger.status(chat.channel, date(2026, 6, 2)) is None
    keys = world.publisher.keys("C1")
    assert len(keys) == len(set(keys)), keys


@pytest.mark.slow
async def test_a_chat_subscription_after_the_config_entry_went_does_not_post_its_day_again(world: World) -> None:
    """The reverse: the config file's entry (no workspace) delivered 2 June at 09:00, then left the file;
    at 12:00 the channel subscribes in chat (workspace T1), due 17:00: nothing more that day."""
    await list_day(world.store, date(2026, 6, 2))
    entry = from_config(SubscriptionConfig(channel="slack:C1", time="09:00", limit=3), DigestDefaults())
    await world.subscriptions.seed([entry], utc(2026, 6, 1, 12))
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 2, 10))
    await world.subscriptions.seed([], utc(2026, 6, 2, 11))
    chat = Subscription(channel=ChannelRef("slack", "C1", "T1"), limit=3, time="17:00", timezone="UTC")
    await world.subscriptions.save(chat, utc(2026, 6, 2, 12))
    await world.run(utc(2026, 6, 2, 12), utc(2026, 6, 2, 18))
    assert world.headers("C1") == Counter({"2026-06-02": 1})
    assert await Ledger(world.store.engine).status(chat.channel, date(2026, 6, 2)) == "done"


@pytest.mark.slow
async def test_the_same_channel_id_under_two_workspaces_keeps_two_ledgers(world: World) -> None:
    """Only a change between no workspace and one carries the ledger: two workspaces' channels are two."""
    await list_day(world.store, date(2026, 6, 2))
    first = Subscription(channel=ChannelRef("slack", "C1", "T1"), limit=3, time="09:00", timezone="UTC")
    await world.subscriptions.save(first, utc(2026, 6, 1, 12))
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 2, 10))
    second = Subscription(channel=ChannelRef("slack", "C1", "T2"), limit=3, time="17:00", timezone="UTC")
    await world.subscriptions.save(second, utc(2026, 6, 2, 12))
    assert await Ledger(world.store.engine).status(first.channel, date(2026, 6, 2)) == "done"
    assert await Ledger(world.store.engine).status(second.channel, date(2026, 6, 2)) is None


async def test_a_stopped_config_channel_is_tried_again_at_a_restart_that_still_names_it(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot was removed from a config file's channel (not_in_channel); the operator invites it back and
    restarts paperboy with the entry still in the file: the refusal goes, with a log line, and the day's
    digest comes. A workspace's pause is not the channel's refusal: an install clears that, not a restart."""
    caplog.set_level(logging.INFO, logger="paperboy.delivery")
    entry = from_config(SubscriptionConfig(channel="slack:C2", time="09:00", limit=3), DigestDefaults())
    paused = from_config(SubscriptionConfig(channel="slack:T9/C3", time="09:00", limit=3), DigestDefaults())
    await world.subscriptions.seed([entry, paused], utc(2026, 6, 1))
    await world.subscriptions.set_status(entry.channel, "not_in_channel (the bot is not a member of the channel)")
    await world.subscriptions.set_status(paused.channel, PAUSED)
    await world.subscriptions.seed([entry, paused], utc(2026, 6, 1, 12))  # the restart
    assert [s.status for s in await world.subscriptions.all()] == [None, PAUSED]
    assert any("delivery had stopped (not_in_channel" in r.getMessage() for r in caplog.records)
    await world.subscriptions.seed([entry, paused], utc(2026, 6, 1, 13))  # nothing to say a second time
    assert sum("delivery had stopped" in r.getMessage() for r in caplog.records) == 1
    await list_day(world.store, date(2026, 6, 2))
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 2, 10))
    assert world.headers("C2") == Counter({"2026-06-02": 1})
    assert world.headers("C3") == Counter()


@pytest.mark.slow
async def test_a_digest_posted_by_hand_to_a_stopped_channel_resumes_its_schedule(world: World) -> None:
    """`paperboy post` to a channel that had refused the bot (fixed since): it gets the digest, and the
    schedule carries on from then, without reporting the days in between missed."""
    await list_day(world.store, date(2026, 6, 2))
    await list_day(world.store, date(2026, 6, 3), prefix="2606.03")
    await subscribe(world, "CS", time="09:00", timezone="UTC")
    channel = ChannelRef("slack", "CS")
    await world.subscriptions.set_status(channel, "is_archived (the channel is archived)")
    world.clock.now = utc(2026, 6, 2, 12)
    sweeper = world.sweeper()
    assert await sweeper.sweep(world.clock.now) == []  # stopped: the scheduler leaves it
    delivery = sweeper._delivery
    result = await delivery.deliver(channel, DigestOptions(limit=3), date(2026, 6, 2), retry_stopped=True)
    assert result.outcome == "posted"
    after = await world.subscriptions.get(channel)
    assert after is not None
    assert (after.status, after.since) == (None, utc(2026, 6, 2, 12))
    await world.run(utc(2026, 6, 2, 12), utc(2026, 6, 3, 10))
    assert world.headers("CS") == Counter({"2026-06-02": 1, "2026-06-03": 1})


async def test_a_digest_missed_while_the_host_was_down_can_be_posted_by_hand(world: World) -> None:
    """Down all of 2 June: the sweep records that digest as missed. `paperboy post --date 2026-06-02` then
    delivers it (nothing of it was ever in the channel): it had posted nothing, said "recorded as skipped"
    and exited 0. One given up after its header was begun stays refused, and a second post posts nothing."""
    await list_day(world.store, date(2026, 6, 2))
    await list_day(world.store, date(2026, 6, 3), prefix="2606.3")
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    await world.run(utc(2026, 6, 3, 5), utc(2026, 6, 3, 5))
    channel = ChannelRef("slack", "CBER")
    assert await Ledger(world.store.engine).status(channel, date(2026, 6, 2)) == "skipped"
    delivery = world.sweeper()._delivery
    result = await delivery.deliver(channel, DigestOptions(limit=3), date(2026, 6, 2), retry_stopped=True)
    assert result.outcome == "posted", result.describe()
    assert world.headers("CBER") == Counter({"2026-06-02": 1})
    again = await delivery.deliver(channel, DigestOptions(limit=3), date(2026, 6, 2), retry_stopped=True)
    assert again.outcome == "already" and world.headers("CBER") == Counter({"2026-06-02": 1})
    ledger = Ledger(world.store.engine)
    begun = ChannelRef("slack", "CGIVEN")
    await ledger.claim(begun, date(2026, 6, 2), world.clock.now)
    await ledger.fail(begun, date(2026, 6, 2), "Slack was down", world.clock.now)
    await ledger.release([(begun, date(2026, 6, 2))])  # its process gone (on PostgreSQL its lock's connection)
    assert await ledger.give_up(begun, date(2026, 6, 2), world.clock.now)
    refused = await delivery.deliver(begun, DigestOptions(limit=3), date(2026, 6, 2), retry_stopped=True)
    assert refused.outcome == "skipped" and world.headers("CGIVEN") == Counter()
    assert refused.describe() == (  # why it is not posted now, then the reason recorded
        "The 2 June 2026 digest for slack:CGIVEN was given up midway (Slack was down): part of it may be in the"
        " channel, so it is not posted again."
    )
    missed = ChannelRef("slack", "CMISSED")  # never begun: a sweep (not `post`) leaves it, saying the reason alone
    assert await ledger.skip(missed, date(2026, 6, 2), "missed while paperboy was not running", world.clock.now)
    left = await delivery.deliver(missed, DigestOptions(limit=3), date(2026, 6, 2))
    said = "The 2 June 2026 digest for slack:CMISSED was skipped: missed while paperboy was not running"
    assert left.outcome == "skipped" and left.describe() == said


async def test_a_missed_digest_posted_by_hand_whose_process_died_after_its_header_posts_it_once(world: World) -> None:
    """Taken over as missed, the digest's header intent was not written: a `paperboy post` that died after
    the header went out left the next one posting it again, not looking for it."""
    await list_day(world.store, date(2026, 6, 2))
    await list_day(world.store, date(2026, 6, 3), prefix="2606.3")
    await subscribe(world, "CBER", time="09:00", timezone="Europe/Berlin")
    await world.run(utc(2026, 6, 3, 5), utc(2026, 6, 3, 5))
    channel = ChannelRef("slack", "CBER")
    world.publisher.crash_at = 1  # the header goes out, then the process dies
    with pytest.raises(Crash):
        await world.sweeper("post-1")._delivery.deliver(
            channel, DigestOptions(limit=3), date(2026, 6, 2), retry_stopped=True
        )
    world.publisher.crash_at = None
    again = world.sweeper("post-2")._delivery
    assert (
        await again.deliver(channel, DigestOptions(limit=3), date(2026, 6, 2), retry_stopped=True)
    ).outcome == "posted"
    assert world.headers("CBER") == Counter({"2026-06-02": 1})


async def test_a_catch_up_over_a_day_is_honoured(world: World) -> None:
    """`catch_up_hours = 40` (the config allows up to 48): Monday's digest, due 09:00, may still go out until
    Wednesday 01:00. Back up on Wednesday at 00:10: Monday's comes, then Tuesday's, without Monday's papers."""
    await world.store.save_listings([Listing(paper("2606.10001", 50), date(2026, 6, 1), 1)])
    await world.store.save_listings(
        [Listing(paper("2606.10001", 50), date(2026, 6, 2), 1), Listing(paper("2606.20002", 40), date(2026, 6, 2), 2)]
    )
    await subscribe(world, "CC", time="09:00", days="daily")
    world.policy = ScheduleConfig(catch_up_hours=40, min_papers=1)
    await world.run(utc(2026, 6, 3, 0, 10), utc(2026, 6, 3, 0, 50))
    assert world.headers("CC") == Counter({"2026-06-01": 1, "2026-06-02": 1})
    cards = [k for k in world.publisher.keys("CC") if not k.endswith((":header", ":seed"))]
    assert cards == ["2026-06-01:2606.10001", "2026-06-02:2606.20002"]


async def test_a_catch_up_over_a_day_records_a_day_missed_past_it(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Back up on Wednesday 02:00, past Monday's 40-hour window: Monday is recorded missed, not left out."""
    world.policy = ScheduleConfig(catch_up_hours=40, min_papers=1)
    await list_day(world.store, date(2026, 6, 1), prefix="2606.1")
    await list_day(world.store, date(2026, 6, 2), prefix="2606.2")
    await subscribe(world, "CC", time="09:00", days="daily")
    await world.run(utc(2026, 6, 3, 2), utc(2026, 6, 3, 2, 30))
    assert world.headers("CC") == Counter({"2026-06-02": 1})
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CC"), date(2026, 6, 1)) == "skipped"


class Paused(RecordingPublisher):
    """A workspace's publisher while the app is not installed there (its token gone)."""

    gone = True

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        if self.gone:
            raise WorkspacePaused(f"slack:{channel}", PAUSED)
        return await super().post_header(channel, post, key)


async def test_a_workspace_paused_at_the_hour_and_installed_again_that_morning_gets_its_digest(world: World) -> None:
    """The app was uninstalled before 09:00 and the event missed: the 09:00 digest finds the workspace
    paused. Installed again at 09:30: the day's digest comes then (a pause is not a channel's refusal)."""
    await list_day(world.store, date(2026, 6, 2))
    channel = ChannelRef("slack", "CW", "T1")
    await world.subscriptions.save(Subscription(channel=channel, limit=3, time="09:00"), utc(2026, 6, 1))
    publisher = Paused()
    sweeper = world.sweeper("replica-a", publisher)
    world.clock.now = utc(2026, 6, 2, 9)
    [paused] = await sweeper.sweep(world.clock.now)
    assert (paused.outcome, paused.reason) == ("stopped", PAUSED)
    ledger = Ledger(world.store.engine)
    assert await ledger.status(channel, date(2026, 6, 2)) == "failed"
    assert (await world.subscriptions.get(channel)).status == PAUSED  # type: ignore[union-attr]
    world.clock.now = utc(2026, 6, 2, 9, 10)
    assert await sweeper.sweep(world.clock.now) == []  # paused: left alone until an install
    publisher.gone = False
    assert await resume(world.store.engine, "slack", "T1", utc(2026, 6, 2, 9, 30)) == 1  # installed again
    world.clock.now = utc(2026, 6, 2, 9, 30)
    assert [r.outcome for r in await sweeper.sweep(world.clock.now)] == ["posted"]
    assert publisher.keys("CW")[0] == "2026-06-02:header"
    assert await ledger.status(channel, date(2026, 6, 2)) == "done"


async def test_a_workspace_installed_again_gets_todays_digest_and_owes_no_day_it_was_gone(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Uninstalled on the evening of 1 June (the event came: paused), installed again on 4 June at
    10:00: that day's 09:00 digest comes, late, and 2 and 3 June are not recorded missed one by one,
    each with a warning (they were not missed: the app was gone)."""
    caplog.set_level(logging.WARNING)
    for day in (2, 3, 4):
        await list_day(world.store, date(2026, 6, day), prefix=f"2606.0{day}")
    channel = ChannelRef("slack", "CW", "T1")
    await world.subscriptions.save(Subscription(channel=channel, limit=3, time="09:00"), utc(2026, 6, 1))
    assert await pause(world.store.engine, "slack", "T1") == 1  # 1 June, 20:00
    await world.run(utc(2026, 6, 2, 8), utc(2026, 6, 4, 9, 55), step=timedelta(hours=1))
    assert world.headers("CW") == Counter()  # nothing goes to a paused workspace
    assert await resume(world.store.engine, "slack", "T1", utc(2026, 6, 4, 10)) == 1
    await world.run(utc(2026, 6, 4, 10), utc(2026, 6, 4, 10, 10))
    assert world.headers("CW") == Counter({"2026-06-04": 1})
    ledger = Ledger(world.store.engine)
    assert [await ledger.status(channel, date(2026, 6, d)) for d in (2, 3, 4)] == [None, None, "done"]
    assert not [r for r in caplog.records if "missed" in r.getMessage()]


async def test_a_clock_stepped_a_day_ahead_and_back_records_no_digest_as_missed(world: World) -> None:
    """NTP stepped the host's clock a day ahead for a few seconds: the sweep read every digest still to come
    that day as past its window, recorded it as missed, and the channel never got it (`paperboy post` then
    said "skipped"). Against the monotonic clock the step shows; for ten minutes no skip is recorded."""
    from bot.delivery.sweep import Sweeper
    from bot.host.clock import ClockWatch

    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSTEP", time="09:00", timezone="UTC")
    mono = [0.0]
    plain = world.sweeper()
    sweeper = Sweeper(
        world.subscriptions, plain._ledger, world.store, plain._delivery, world.policy, frozenset({"slack"}),
        watch=ClockWatch(lambda: mono[0]),
    )  # fmt: skip
    for now, seconds in (
        (utc(2026, 6, 2, 8, 50), 0.0),
        (utc(2026, 6, 3, 8, 50) + timedelta(seconds=5), 5.0),
    ):  # a day ahead, 5 s on
        mono[0] = seconds
        await sweeper.sweep(now)
    for minute in range(51, 62):  # stepped back: the same morning, a minute a sweep
        mono[0] += 60.0
        await sweeper.sweep(utc(2026, 6, 2, 8, 0) + timedelta(minutes=minute))
    assert world.headers("CSTEP") == Counter({"2026-06-02": 1})  # delivered at 09:00, not given up at 08:50


def watched(world: World, publisher: RecordingPublisher, mono: list[float], owner: str = "replica-a") -> Sweeper:
    """A sweeper that reads the host's clock against a monotonic one (`mono[0]`), as `paperboy run`'s does."""
    from bot.host.clock import ClockWatch

    plain = world.sweeper(owner, publisher)
    return Sweeper(
        world.subscriptions, plain._ledger, world.store, plain._delivery, world.policy, frozenset({"slack"}),
        watch=ClockWatch(lambda: mono[0]),
    )  # fmt: skip


@pytest.mark.slow
async def test_a_clock_stepped_ahead_gives_up_no_digest_failing_in_an_outage(world: World) -> None:
    """The step was seen, and no skip recorded on its word, but a digest failing in a Slack outage was given
    up (\"it kept failing until its window closed\") on the stepped clock: Slack back, nothing came that day."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSTEP", time="09:00", timezone="UTC")
    publisher = OutagePublisher(clock=lambda: world.clock.now, fail_headers=True, until=utc(2026, 6, 2, 9, 20))
    mono = [0.0]
    sweeper = watched(world, publisher, mono)
    for now, seconds in ((utc(2026, 6, 2, 9, 0), 0.0), (utc(2026, 6, 3, 9, 10), 5.0)):  # failed; a day ahead, 5 s on
        mono[0], world.clock.now = seconds, now
        await sweeper.sweep(now)
    for minute in range(11, 40):  # stepped back: the same morning, a minute a sweep; Slack is back at 09:20
        mono[0] += 60.0
        world.clock.now = utc(2026, 6, 2, 9, 0) + timedelta(minutes=minute)
        await sweeper.sweep(world.clock.now)
    assert Counter(p.key for p in publisher.posted if p.key.endswith(":header")) == Counter({"2026-06-02:header": 1})
    assert await Ledger(world.store.engine).status(ChannelRef("slack", "CSTEP"), date(2026, 6, 2)) == "done"


@pytest.mark.slow
async def test_a_clock_stepped_ahead_gives_up_no_digest_a_dead_process_left_midway(world: World) -> None:
    """A replica died after the header and a card; the next sweep, on a clock stepped a day ahead, gave the
    digest up ("its process stopped") and the channel kept one card of three for good."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSTEP", time="09:00", timezone="UTC")
    mono = [0.0]
    sweeper = watched(world, world.publisher, mono, owner="replica-b")
    await sweeper.sweep(utc(2026, 6, 2, 8, 59) + timedelta(seconds=59))  # replica B is up: nothing due yet
    dying = RecordingPublisher(crash_before=4)  # replica A: header, card, seed out; then it dies
    with pytest.raises(Crash):
        await world.sweeper("dead", dying).sweep(utc(2026, 6, 2, 9))
    world.publisher.posted = list(dying.posted)
    mono[0] = 5.0  # B's next sweep reads a clock stepped a day ahead…
    world.clock.now = utc(2026, 6, 3, 9, 0) + timedelta(seconds=4)
    await sweeper.sweep(world.clock.now)
    for minute in range(1, 20):  # …and back
        mono[0] += 60.0
        world.clock.now = utc(2026, 6, 2, 9, minute)
        await sweeper.sweep(world.clock.now)
    cards = [k for k in world.publisher.keys("CSTEP") if k.count(":") == 1 and not k.endswith(":header")]
    assert len(cards) == 3, cards


@dataclass
class HeldPublisher(RecordingPublisher):
    """Every post to `held` waits for `gate`: a channel whose each post waits out a 429."""

    held: str = ""
    gate: asyncio.Event = field(default_factory=asyncio.Event)

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        if channel == self.held:
            await self.gate.wait()
        return await super().post_header(channel, post, key)


@pytest.mark.slow
async def test_a_slow_channel_holds_back_no_other_channels_digest(world: World) -> None:
    """A channel whose posts each waited out a 429 held the sweep, and every later sweep behind it: a
    digest due meanwhile in another channel waited for it (minutes). Now the sweep waits only so long."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSLOW", time="09:00")
    await subscribe(world, "CFAST", time="09:10")
    publisher = HeldPublisher(held="CSLOW")
    sweeper = world.sweeper(publisher=publisher, hold=0.5)
    assert await sweeper.sweep(utc(2026, 6, 2, 9)) == []  # CSLOW's digest goes on past the sweep's hold
    world.clock.now = utc(2026, 6, 2, 9, 10)
    fast: list[DeliveryResult] = []
    for _ in range(600):  # on a loaded host, past a hold or two
        if fast := await sweeper.sweep(world.clock.now):
            break
        await asyncio.sleep(0.05)
    assert [(r.channel.channel, r.outcome) for r in fast] == [("CFAST", "posted")]  # on time, CSLOW still going
    assert len(publisher.keys("CFAST")) == 7 and publisher.keys("CSLOW") == []
    publisher.gate.set()
    slow: list[DeliveryResult] = []
    for _ in range(600):  # CSLOW's posts go on by themselves; a sweep gives its result once it ends
        world.clock.now = utc(2026, 6, 2, 9, 15)
        if slow := await sweeper.sweep(world.clock.now):
            break
        await asyncio.sleep(0.05)
    assert [(r.channel.channel, r.outcome) for r in slow] == [("CSLOW", "posted")]
    assert publisher.keys("CSLOW").count("2026-06-02:header") == 1  # never asked about again while under way
    assert await sweeper.sweep(utc(2026, 6, 2, 9, 20)) == []


async def test_a_stop_waits_for_the_deliveries_a_sweep_left_going(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSLOW", time="09:00")
    publisher = HeldPublisher(held="CSLOW")
    sweeper = world.sweeper(publisher=publisher, hold=0)
    assert await sweeper.sweep(utc(2026, 6, 2, 9)) == []
    asyncio.get_running_loop().call_later(0.05, publisher.gate.set)
    assert [(r.channel.channel, r.outcome) for r in await sweeper.finish()] == [("CSLOW", "posted")]
    assert len(publisher.keys("CSLOW")) == 7  # a header, three cards, their seeds


async def cut_short(world: World, cut: Callable[[], Coroutine[Any, Any, object]]) -> None:
    """`cut` started and cancelled while CSLOW's delivery is held; then another replica takes it up (its
    hold let go), and posts it once. The test's guard finds any task left running as the loop ends."""
    cutting = asyncio.create_task(cut())
    await asyncio.sleep(0.2)
    cutting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cutting
    taken = await world.sweeper(owner="replica-b").sweep(utc(2026, 6, 2, 9, 5))
    assert [(r.channel.channel, r.outcome) for r in taken] == [("CSLOW", "posted")]  # its hold was let go
    assert world.headers("CSLOW") == Counter({"2026-06-02": 1})


@pytest.mark.slow
async def test_a_stop_cut_short_cancels_the_deliveries_a_sweep_left_going(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """The stop's own deadline (SHUTDOWN_SECONDS) cancels the wait, and the deliveries with it; the
    ledger's intents let a restart resume. Said at INFO (it was said nowhere, though design.md said so)."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSLOW", time="09:00")
    sweeper = world.sweeper(publisher=HeldPublisher(held="CSLOW"), hold=0)
    assert await sweeper.sweep(utc(2026, 6, 2, 9)) == []
    with caplog.at_level(logging.INFO, logger="paperboy.delivery"):
        await cut_short(world, sweeper.finish)
    assert "the deliveries to slack:CSLOW were cut short by the stop; the next start takes them up" in caplog.text


@pytest.mark.slow
async def test_a_sweep_cut_short_in_its_hold_cancels_its_deliveries(world: World) -> None:
    """The stop's deadline cancelled the sweep's wait but not the delivery it waited for, which went on
    posting while the store and the platforms closed."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CSLOW", time="09:00")
    sweeper = world.sweeper(publisher=HeldPublisher(held="CSLOW"), hold=30)
    await cut_short(world, partial(sweeper.sweep, utc(2026, 6, 2, 9)))


@dataclass
class RefusingPublisher(RecordingPublisher):
    """Every header refused, as Slack refuses a revoked token: a failure tried again at every tick."""

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        raise DeliveryError("Slack refused SLACK_BOT_TOKEN (token_revoked): set the right token and restart paperboy")


@pytest.mark.slow
async def test_a_failure_tried_at_every_tick_is_said_once_an_hour(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Two channels failing said 904 lines in 21 minutes: each failure at WARNING, and again at INFO."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "C1", time="09:00")
    sweeper = world.sweeper(publisher=RefusingPublisher())
    tried: list[tuple[str, bool]] = []
    with caplog.at_level(logging.INFO):
        for minute in range(0, 125, 5):
            world.clock.now = utc(2026, 6, 2, 9) + timedelta(minutes=minute)
            results = await sweeper.sweep(world.clock.now)
            tried += [(r.outcome, r.for_the_log) for r in results]
    assert len(tried) > 3 and set(tried) == {("failed", False)}  # the sweep's log adds none
    said = [r for r in caplog.records if "token_revoked" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.WARNING] * 3  # at 09:00, 10:00 and 11:00, not at each try


@dataclass
class RemovedPublisher(RecordingPublisher):
    """The bot removed from the channel: Slack's `not_in_channel` to every post."""

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        raise ChannelUnavailable(f"slack:{channel}", "not_in_channel (the bot is not a member of the channel)")


async def test_a_channel_that_refused_the_bot_says_how_its_digests_resume(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """It said only "stopped: not_in_channel (invite it)": inviting the bot resumed nothing, and the line
    did not say that the day's digest and the later ones were stopped."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "C1", time="09:00")
    with caplog.at_level(logging.WARNING):
        [result] = await world.sweeper(publisher=RemovedPublisher()).sweep(utc(2026, 6, 2, 9))
    assert result.outcome == "stopped"
    [said] = [r.getMessage() for r in caplog.records if "not_in_channel" in r.getMessage()]
    assert said.startswith("delivery of 2026-06-02 to slack:C1 stopped, and its later digests with it: ")
    assert "`/papers subscribe` in the channel resumes them" in said
    kept = await world.subscriptions.get(ChannelRef("slack", "C1"))
    assert kept is not None and kept.status is not None  # as said: stopped
    # the config file's channel: its `/papers subscribe` is refused, a restart tries it again (QA s77)
    await subscribe(world, "C2", time="09:00", source="config")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        await world.sweeper(publisher=RemovedPublisher()).sweep(utc(2026, 6, 2, 9))
    [said] = [r.getMessage() for r in caplog.records if "to slack:C2 stopped" in r.getMessage()]
    assert said.endswith(
        "Once the bot may post there, restarting paperboy resumes them (the config file names the channel)"
    )


@pytest.mark.slow
async def test_a_stored_zone_this_host_does_not_know_stops_its_channel_alone(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A zone saved under an older tzdata (`US/Pacific-New`, gone since 2020b) failed every sweep, so no
    channel got a digest, and `paperboy run` did not start (a raw ZoneInfoNotFoundError)."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CGOOD", time="09:00")
    await subscribe(world, "COLD", time="09:00")
    async with world.store.engine.begin() as conn:
        await conn.execute(
            update(subscriptions).where(subscriptions.c.channel == "COLD").values(timezone="US/Pacific-New")
        )
    with caplog.at_level(logging.WARNING):
        for minute in (0, 1):
            await world.sweeper().sweep(utc(2026, 6, 2, 9, minute))
    assert world.headers("CGOOD")["2026-06-02"] == 1 and not world.headers("COLD")
    [said] = [r.getMessage() for r in caplog.records if "Pacific-New" in r.getMessage()]  # once, not each tick
    assert said.startswith("slack:COLD gets no digest: its time zone “US/Pacific-New” is not in this host's")
    old = await world.subscriptions.get(ChannelRef("slack", "COLD"))
    assert old is not None and old.status is not None and "subscribe again with a zone" in old.status
    shown = "\n".join(old.describe(utc(2026, 6, 2, 10)))  # `settings` says why, and what to do
    assert "Delivery stopped: its time zone “US/Pacific-New”" in shown and "installed" not in shown
    await world.subscriptions.save(replace(old, topics=("agents",)))  # an unfollow's, a resume's save
    again = await world.subscriptions.get(ChannelRef("slack", "COLD"))  # was saved back as UTC, resumed
    assert again is not None and again.stored_zone == "US/Pacific-New" and again.status == old.status


@pytest.mark.slow
async def test_a_digest_an_outage_cut_short_is_finished_after_it(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Its header ("3 of 8 papers") and two cards were out when Slack failed until 04:00; at its window's
    end (03:00) it was given up, and its last card never came. One a crash cut short was finished."""
    await list_day(world.store, date(2026, 6, 2), count=8)
    await subscribe(world, "CLATE", time="21:00")  # its window ends at 03:00 (wait_hours 6)
    publisher = OutagePublisher(clock=lambda: world.clock.now)
    sweeper = world.sweeper(publisher=publisher)
    world.clock.now = utc(2026, 6, 2, 21)
    while world.clock.now <= utc(2026, 6, 3, 8):
        await sweeper.sweep(world.clock.now)
        world.clock.now += timedelta(minutes=10)
    assert len([p for p in publisher.posted if p.thread is None]) == 4  # the header and its three cards
    assert len([p for p in publisher.posted if p.key.endswith(":header")]) == 1


@pytest.mark.slow
async def test_a_digest_cut_short_by_a_weekend_long_outage_is_tried_less_and_less_often(world: World) -> None:
    """Friday's digest, cut short, is finished until Monday's is due; it was tried at every sweep all
    weekend: 380 refused posts at one sweep each ten minutes (each minute in `paperboy run`)."""
    await list_day(world.store, date(2026, 6, 5), count=8)  # a Friday
    await subscribe(world, "CFRI", time="21:00")
    publisher = OutagePublisher(clock=lambda: world.clock.now, until=utc(2026, 6, 8, 12))  # until Monday noon
    sweeper = world.sweeper(publisher=publisher)
    world.clock.now = utc(2026, 6, 5, 21)
    tried: list[datetime] = []
    while world.clock.now <= utc(2026, 6, 8, 13):
        before = publisher.refused
        await sweeper.sweep(world.clock.now)
        tried += [world.clock.now] * (publisher.refused - before)
        world.clock.now += timedelta(minutes=10)
    assert len([p for p in publisher.posted if p.thread is None]) == 4  # finished within half an hour of the end
    window = [t for t in tried if t < utc(2026, 6, 6, 3)]  # its window (wait_hours 6): at every sweep
    assert len(window) == 36 and window[1] - window[0] == timedelta(minutes=10)
    after = tried[len(window) :]  # 57 hours more: at least each half hour, more often at first
    assert len(after) < 130 and after[1] - after[0] == timedelta(minutes=10)
    assert max(b - a for a, b in itertools.pairwise(after)) <= timedelta(minutes=30)


async def test_a_digest_resting_after_a_failure_is_tried_at_once_when_the_clock_steps_back_behind_it(
    world: World,
) -> None:
    """Past its window, a digest that failed rests for half the time since the window ended (30 minutes
    at most) after its failure; a host clock stepped back behind that failure leaves no rest to wait out
    (read as "within the rest", it would wait until the failure and its rest were past again: 40 minutes)."""
    await list_day(world.store, date(2026, 6, 2), count=8)
    await subscribe(world, "CLATE", time="21:00")  # its window ends at 03:00 (wait_hours 6)
    publisher = OutagePublisher(clock=lambda: world.clock.now, until=utc(2026, 6, 3, 5))
    sweeper = world.sweeper(publisher=publisher)

    async def sweep(at: datetime) -> list[str]:
        world.clock.now = at
        return [r.outcome for r in await sweeper.sweep(at)]

    assert await sweep(utc(2026, 6, 2, 21)) == ["failed"]  # header and two cards out, then Slack fails
    assert await sweep(utc(2026, 6, 3, 4)) == ["failed"]  # its window over: rests until 04:30 (30 minutes)
    publisher.until = utc(2026, 6, 2)  # Slack is back, whatever the clock says
    assert await sweep(utc(2026, 6, 3, 4, 10)) == []  # resting, as it should
    assert await sweep(utc(2026, 6, 3, 3, 50)) == ["posted"]  # the clock stepped back behind 04:00: tried at once
    assert len([p for p in publisher.posted if p.thread is None]) == 4  # the header and its three cards


async def test_a_digest_that_failed_with_nothing_out_is_given_up_at_its_window_end(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await list_day(world.store, date(2026, 6, 2), count=8)
    await subscribe(world, "CLATE", time="21:00")
    publisher = OutagePublisher(clock=lambda: world.clock.now, fail_headers=True)
    sweeper = world.sweeper(publisher=publisher)
    with caplog.at_level(logging.WARNING):
        for at in (utc(2026, 6, 2, 21), utc(2026, 6, 3, 3), utc(2026, 6, 3, 5)):
            world.clock.now = at
            await sweeper.sweep(at)
    assert not publisher.posted
    assert "given up: it kept failing until its window closed (03:00 UTC on 3 June)" in caplog.text


@pytest.mark.slow
async def test_a_follow_moved_to_a_new_direct_message_is_sent_no_paper_it_had(world: World) -> None:
    """Discord reopens direct messages under a new id: the follow moved there and its record of what the
    person was sent stayed behind, so a paper listed again the next day came to them a second time."""
    from bot.chat.commands import Follow
    from bot.chat.follows import FollowService
    from bot.chat.wording import TYPED

    follows = FollowService(world.subscriptions, Ledger(world.store.engine), DigestDefaults(limit=3), world.clock)
    tue, wed = date(2026, 6, 2), date(2026, 6, 3)
    again = paper("2606.00001", upvotes=90)  # listed on both days
    for day, prefix in ((tue, "2606.001"), (wed, "2606.002")):
        others = [Listing(paper(f"{prefix}{n:02d}"), day, n + 2) for n in range(6)]
        await world.store.save_listings([Listing(again, day, 1), *others])
    world.clock.now = utc(2026, 6, 1, 12)
    await follows.follow(Follow(("diffusion",), timezone="Europe/Berlin"), "slack", "U1", "D900", "T1", True, TYPED)
    sweeper = world.sweeper()
    world.clock.now = utc(2026, 6, 2, 7, 5)
    await sweeper.sweep(world.clock.now)
    assert "2026-06-02:2606.00001" in world.publisher.keys("D900")
    world.clock.now = utc(2026, 6, 2, 12)
    await follows.follow(Follow(("agents",), timezone="Europe/Berlin"), "slack", "U1", "D901", "T1", True, TYPED)
    assert [s.channel.channel for s in await world.subscriptions.all()] == ["D901"]
    world.clock.now = utc(2026, 6, 3, 7, 5)
    await sweeper.sweep(world.clock.now)
    sent = world.publisher.keys("D901")
    assert "2026-06-03:header" in sent and "2026-06-03:2606.00001" not in sent, sent
    await sweeper.sweep(world.clock.now + timedelta(minutes=5))  # Tuesday's digest is not new to the new one
    assert not any(k.startswith("2026-06-02") for k in world.publisher.keys("D901"))


@dataclass
class UnsubscribedAfterTheFirstCard(RecordingPublisher):
    """The channel's subscription is removed (an `unsubscribe`, a person's `unfollow`) once its first card is out."""

    subscriptions: SubscriptionStore | None = None

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        ref = await super().post_card(channel, card, key)
        if self.subscriptions is not None:
            await self.subscriptions.remove(ChannelRef("slack", channel))
        return ref


async def test_no_card_follows_an_unsubscribe_answered_midway(world: World) -> None:
    """ "No more digests here" was answered while the digest went out, and its other cards kept coming."""
    await list_day(world.store, date(2026, 6, 2))
    await subscribe(world, "CGONE")
    publisher = UnsubscribedAfterTheFirstCard(subscriptions=world.subscriptions)
    sweeper = world.sweeper(publisher=publisher)
    sweeper._delivery.recheck_s = 0  # asked before each card (on a real channel, a card takes a second)
    [result] = await sweeper.sweep(utc(2026, 6, 2, 9, 1))
    cards = [k for k in publisher.keys("CGONE") if not k.endswith((":header", ":seed"))]
    assert len(cards) == 1 and (result.outcome, result.papers) == ("posted", 1), result
    ledger = Ledger(world.store.engine)
    listed = [p.arxiv_id for p in await world.store.listing(date(2026, 6, 2))]
    sent = await ledger.sent_before(ChannelRef("slack", "CGONE"), listed, date(2026, 6, 3))
    assert sent == {cards[0].split(":")[1]}  # the cards never posted are not recorded as sent
