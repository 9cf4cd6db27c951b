"""Subscriptions as chat makes them: a new one owes no digest from before it, and logs nothing as missed."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.slack.home import home_view
from adapters.slack.wording import PHRASES
from bot.chat.commands import Follow, parse_command
from bot.chat.home import HomeService
from bot.chat.service import Asker, ChatService
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.subscriptions import Subscription, SubscriptionStore, Was
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults, ScheduleConfig
from bot.domain.models import Listing, Paper
from bot.ingest.catalog import Catalog
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.conftest import search_over
from tests.delivery.world import Clock
from tests.fakes.publisher import RecordingPublisher

CHANNEL = ChannelRef("slack", "C0NEW")
WEDNESDAY = datetime(2026, 6, 3, 7, 30, tzinfo=UTC)  # 09:30 in Berlin: today's 09:00 is past, so is yesterday's


async def list_days(store: PaperStore, *days: date) -> None:
    for day in days:
        papers = [Paper(arxiv_id=f"{day:%y%m}.{day:%d}{i:03d}", title=f"Paper {i}", upvotes=50 - i) for i in range(8)]
        await store.save_listings([Listing(p, day, n + 1) for n, p in enumerate(papers)])


def world(store: PaperStore, clock: Clock) -> tuple[ChatService, Sweeper, Ledger, RecordingPublisher]:
    search = search_over(store)
    subscriptions = SubscriptionStore(store.engine)
    chat = ChatService(store, search, Catalog(store, search, None, None, None), subscriptions, DigestDefaults(), clock)
    ledger = Ledger(store.engine, owner="test")
    publisher = RecordingPublisher()
    delivery = DigestDelivery(store, search, ledger, subscriptions, {"slack": publisher}, clock=clock)
    sweeper = Sweeper(subscriptions, ledger, store, delivery, ScheduleConfig(), frozenset({"slack"}))
    return chat, sweeper, ledger, publisher


def headers(publisher: RecordingPublisher) -> list[str]:
    return [k.split(":")[0] for k in publisher.keys(CHANNEL.channel) if k.endswith(":header")]


@pytest.mark.slow
async def test_a_new_subscription_owes_nothing_from_before_it(
    store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    await list_days(store, date(2026, 6, 2), date(2026, 6, 3), date(2026, 6, 4))
    clock = Clock(WEDNESDAY)
    chat, sweeper, ledger, publisher = world(store, clock)
    answer = await chat.answer(parse_command("subscribe at 09:00 tz Europe/Berlin"), Asker(CHANNEL, "U1"))
    assert "Next digest: Thursday 4 June, 09:00 CEST" in answer.text

    with caplog.at_level(logging.WARNING, logger="paperboy"):
        while clock.now < datetime(2026, 6, 4, 6, 55, tzinfo=UTC):
            assert await sweeper.sweep(clock.now) == []
            clock.now += timedelta(minutes=5)
    assert [r.getMessage() for r in caplog.records if "missed" in r.getMessage() or "skipped" in r.getMessage()] == []
    statuses = await ledger.statuses([(CHANNEL, date(2026, 6, 2)), (CHANNEL, date(2026, 6, 3))])
    assert statuses == {}  # nothing recorded for the days before it: `paperboy post` can still deliver them
    assert headers(publisher) == []

    clock.now = datetime(2026, 6, 4, 7, 0, tzinfo=UTC)  # Thursday 09:00 in Berlin: the first digest it owes
    await sweeper.sweep(clock.now)
    assert headers(publisher) == ["2026-06-04"]


async def test_changing_topics_keeps_a_digest_due_earlier_that_day(store: PaperStore) -> None:
    """Only a new schedule starts afresh: new topics at 09:30 still get the digest due at 09:00 that day."""
    await list_days(store, date(2026, 6, 3))
    clock = Clock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    chat, sweeper, _, publisher = world(store, clock)
    await chat.answer(parse_command("subscribe at 09:00 tz Europe/Berlin"), Asker(CHANNEL, "U1"))
    clock.now = WEDNESDAY  # the bot was down at 09:00; someone changes the topics before it is back
    await chat.answer(parse_command("subscribe papers"), Asker(CHANNEL, "U1"))
    await sweeper.sweep(clock.now)
    assert headers(publisher) == ["2026-06-03"]


async def test_a_new_time_starts_afresh(store: PaperStore) -> None:
    """Moving the time earlier, past now, owes nothing today: the answer says the next digest is tomorrow."""
    await list_days(store, date(2026, 6, 3))
    clock = Clock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    chat, sweeper, _, publisher = world(store, clock)
    await chat.answer(parse_command("subscribe at 12:00 tz Europe/Berlin"), Asker(CHANNEL, "U1"))
    clock.now = WEDNESDAY
    answer = await chat.answer(parse_command("subscribe at 08:00"), Asker(CHANNEL, "U1"))
    assert "Next digest: Thursday 4 June, 08:00 CEST" in answer.text
    await sweeper.sweep(clock.now)
    assert headers(publisher) == []


async def test_saved_without_a_time_a_subscription_owes_every_due_time(store: PaperStore) -> None:
    """Tools and imports that save a subscription directly keep the old rule: every due time counts."""
    await list_days(store, date(2026, 6, 3))
    _, sweeper, _, publisher = world(store, Clock(WEDNESDAY))
    await SubscriptionStore(store.engine).save(Subscription(channel=CHANNEL, time="09:00", timezone="Europe/Berlin"))
    await sweeper.sweep(WEDNESDAY)
    assert headers(publisher) == ["2026-06-03"]


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("`/papers follow TOPIC`", "`/papers follow agents` (any of your topics) resumes them"),
        ("`/papers follow topics:…`", "`/papers follow topics:agents` (any of your topics) resumes them"),  # Discord
    ],
)
def test_a_stopped_follow_says_how_to_resume_in_the_platforms_words(words: str, said: str) -> None:
    """Discord's followers were told Slack's `follow agents`, which their command does not take."""
    stopped = Subscription(
        channel=ChannelRef("discord", "D1"), topics=("agents",), person="U1", status="403 missing access (…)"
    )
    assert said in stopped.describe(datetime(2026, 6, 1, tzinfo=UTC), follow=words)[-1]


async def test_settings_says_today_s_digest_is_still_to_come(store: PaperStore) -> None:
    """Tokyo's 09:00 is 00:00 UTC: the digest waits for Hugging Face's listing of the day and goes out hours
    later. `settings` at 10:30 said "Next digest: Wednesday 3 June", a day late, while today's was on its way."""
    await list_days(store, date(2026, 6, 1))
    clock = Clock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    chat, sweeper, _, publisher = world(store, clock)
    await chat.answer(parse_command("subscribe at 09:00 tz Asia/Tokyo"), Asker(CHANNEL, "U1"))
    for minute in range(0, 91, 10):  # 09:00 to 10:30 in Tokyo on Tuesday 2 June: no listing of the day yet
        clock.now = datetime(2026, 6, 2, 0, tzinfo=UTC) + timedelta(minutes=minute)
        await sweeper.sweep(clock.now)
    settings = (await chat.answer(parse_command("settings"), Asker(CHANNEL, "U1"))).text
    owed = "Next digest: today's, due since 09:00 JST (not out yet: it goes out once Hugging Face has listed the day"
    assert owed in settings[3]
    await list_days(store, date(2026, 6, 2))  # listed: it goes out
    clock.now = datetime(2026, 6, 2, 6, tzinfo=UTC)
    await sweeper.sweep(clock.now)
    assert headers(publisher) == ["2026-06-02"]
    settings = (await chat.answer(parse_command("settings"), Asker(CHANNEL, "U1"))).text
    assert settings[3] == "Next digest: Wednesday 3 June, 09:00 JST"


WEEKEND = ", if Hugging Face lists papers that day (at weekends it seldom does)"
MONDAY = "; if not, the first weekday's: Monday 14 December, 09:00 UTC"


@pytest.mark.parametrize(
    ("days", "said"),
    [("daily", WEEKEND + MONDAY), ("mon,sat", WEEKEND + MONDAY), ("sat", WEEKEND)],  # `sat`: no weekday, none named
)
def test_a_next_digest_at_a_weekend_says_it_comes_only_if_papers_are_listed(days: str, said: str) -> None:
    """`days mon,sat` (and `daily`, once Friday's was out) said "Next digest: Saturday 12 December", a day
    that is skipped unless Hugging Face lists papers then (QA s77)."""
    friday = datetime(2026, 12, 11, 12, tzinfo=UTC)
    line = Subscription(CHANNEL, days=days).describe(friday, had=[date(2026, 12, 11)])[3]
    assert line == f"Next digest: Saturday 12 December, 09:00 UTC{said}"
    assert (
        Subscription(CHANNEL).describe(friday, had=[date(2026, 12, 11)])[3]
        == "Next digest: Monday 14 December, 09:00 UTC"
    )


class NotIn:
    async def is_member(self, channel: str, person: str) -> bool:
        return False


@pytest.mark.slow
async def test_follows_and_the_home_say_today_s_digest_is_still_to_come(store: PaperStore) -> None:
    """`settings` said today's digest was on its way; `/papers follows` and the App Home said tomorrow's,
    a day late, for a person in Tokyo whose 09:00 digest waits for Hugging Face's listing of the day."""
    await list_days(store, date(2026, 6, 1))
    clock = Clock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    chat, sweeper, ledger, publisher = world(store, clock)
    await chat.follows.follow(Follow(("agents",), "Asia/Tokyo"), "slack", "U1", "D1", "T1", True, PHRASES)
    for minute in range(0, 91, 10):  # 09:00 to 10:30 in Tokyo on Tuesday 2 June: no listing of the day yet
        clock.now = datetime(2026, 6, 2, 0, tzinfo=UTC) + timedelta(minutes=minute)
        await sweeper.sweep(clock.now)
    owed = "Next digest: today's, due since 09:00 JST (not out yet: it goes out once Hugging Face has listed the day"
    assert owed in (await chat.follows.follows("slack", "T1", "U1")).text[3]
    home = await HomeService(store, SubscriptionStore(store.engine), ledger=ledger).home(
        "slack", "T1", "U1", NotIn(), now=clock.now
    )
    assert owed in json.dumps(home_view(home, clock.now))
    await list_days(store, date(2026, 6, 2))  # listed: it goes out, and the next is Wednesday's
    clock.now = datetime(2026, 6, 2, 6, tzinfo=UTC)
    await sweeper.sweep(clock.now)
    assert [k for k in publisher.keys("D1") if k.endswith(":header")] == ["2026-06-02:header"]
    assert (await chat.follows.follows("slack", "T1", "U1")).text[3] == "Next digest: Wednesday 3 June, 09:00 JST"


class _Paused(SubscriptionStore):
    """A store whose next read of one channel (`_exact`) waits for `go` once it has read."""

    def __init__(self, engine: object) -> None:
        super().__init__(engine)  # type: ignore[arg-type]
        self.read, self.go = asyncio.Event(), asyncio.Event()

    async def _exact(self, channel: ChannelRef) -> Subscription | None:
        found = await super()._exact(channel)
        if not self.go.is_set():
            self.read.set()
            await self.go.wait()
        return found


async def test_a_refusal_cleared_after_a_post_keeps_a_change_saved_meanwhile(store: PaperStore) -> None:
    """`paperboy post` reaching a stopped channel cleared its refusal by saving back the copy it had read:
    a teammate's subscribe saved in between (new topics) was undone unsaid."""
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    channel = ChannelRef("slack", "C1", "T1")
    mine, teammates = _Paused(store.engine), SubscriptionStore(store.engine)
    await teammates.save(Subscription(channel, topics=("agents",)), now)
    await teammates.set_status(channel, "not_in_channel: the bot was removed from the channel")

    async def teammate() -> None:
        await mine.read.wait()
        current = await teammates.get(channel)
        assert current is not None
        await teammates.save(replace(current, topics=("diffusion",)), now, expected=Was(current))
        mine.go.set()

    resumed, _ = await asyncio.gather(mine.resumed(channel, now), teammate())
    stored = await teammates.get(channel)
    assert stored is not None and stored.topics == ("diffusion",) and stored.status is None
    assert resumed is False  # the teammate's subscribe cleared it: nothing left for this one to say
