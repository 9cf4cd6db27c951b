"""What `paperboy run` does between its start and its stop (bot.app.dispatch.serve), in process, on the
bundled snapshot: a stop signal lets the digest being posted finish; a daily sweep that fails does not
keep the weekly roundups from going out."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path

import pytest
from rich.console import Console

import bot.app.dispatch as dispatch
from adapters.console.publisher import ConsolePublisher
from bot.app.bootstrap import Services, open_services
from bot.app.settings import Settings
from bot.delivery.digest_delivery import DeliveryResult
from bot.delivery.subscriptions import Subscription
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import FileConfig
from bot.domain.post import Card
from bot.domain.publishing import MessageRef
from bot.domain.weeks import covered_monday, week_key
from bot.roundup.post import post_roundup
from bot.store.ledger import Ledger
from bot.store.tally import Posted, Vote
from tests.conftest import copy_of_template
from tests.fakes.publisher import RecordingPublisher
from tests.fakes.server import eventually


class Slow(ConsolePublisher):
    """The terminal's publisher, a card taking a while (a paced platform)."""

    def __init__(self) -> None:
        super().__init__(Console(file=io.StringIO()))
        self.cards: list[str] = []
        self.two = asyncio.Event()  # set once two cards are out

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        await asyncio.sleep(0.2)
        self.cards.append(f"{channel}:{key}")
        if len(self.cards) >= 2:
            self.two.set()
        return await super().post_card(channel, card, key)


@pytest.fixture
async def services(tmp_path: Path, templates: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Services]:
    monkeypatch.delenv("PAPERBOY_DATABASE_URL", raising=False)
    await copy_of_template(templates / "snapshot", tmp_path, _with_the_snapshot)
    async with open_services(_offline(tmp_path), FileConfig()) as opened:
        assert await opened.catalog.ensure_papers(date(2026, 11, 30))  # the bundled snapshot, copied
        yield opened


def _offline(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, offline=True, embeddings=False)


async def _with_the_snapshot(data_dir: Path) -> None:
    """A store filled as `paperboy run` fills an empty one offline: with the bundled snapshot."""
    async with open_services(_offline(data_dir), FileConfig()) as opened:
        await opened.catalog.ensure_papers(date(2026, 11, 30))


async def at_noon_of_the_latest_day(services: Services, monkeypatch: pytest.MonkeyPatch) -> date:
    day = await services.store.latest_day()
    assert day is not None
    noon = (day.year, day.month, day.day, 12)

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:
            return cls(*noon, tzinfo=UTC)

    monkeypatch.setattr(dispatch, "datetime", Clock)
    return day


@pytest.mark.slow
async def test_a_stop_lets_the_digest_being_posted_finish(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    day = await at_noon_of_the_latest_day(services, monkeypatch)
    await services.subscriptions.save(Subscription(ChannelRef("console", "x"), time="00:00", days="daily", limit=6))
    publisher, stop = Slow(), asyncio.Event()
    serving = asyncio.create_task(dispatch.serve(services, {"console": publisher}, stop))
    await asyncio.wait_for(publisher.two.wait(), 30)
    stop.set()  # SIGTERM, two cards in
    await asyncio.wait_for(serving, 30)
    assert len(publisher.cards) == 6
    assert await Ledger(services.store.engine).status(ChannelRef("console", "x"), day) == "done"


@pytest.mark.slow
async def test_a_failing_daily_sweep_does_not_keep_the_roundups_waiting(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = await at_noon_of_the_latest_day(services, monkeypatch)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    weekly = Subscription(ChannelRef("console", "w"), time="09:00", days=weekday, limit=2, cadence="weekly")
    await services.subscriptions.save(weekly)

    class Broken(Sweeper):
        async def sweep(self, now: datetime) -> list[DeliveryResult]:
            raise RuntimeError("the daily sweep broke")

    monkeypatch.setattr(dispatch, "Sweeper", Broken)
    publisher, stop = Slow(), asyncio.Event()
    serving = asyncio.create_task(dispatch.serve(services, {"console": publisher}, stop))
    key = week_key(covered_monday(day))
    ledger = Ledger(services.store.engine)

    async def done() -> bool:
        return await ledger.status(weekly.channel, key) == "done"

    await eventually(done, "the roundup delivered", within=60)
    stop.set()
    await asyncio.wait_for(serving, 30)
    assert await ledger.status(weekly.channel, key) == "done"


@pytest.mark.slow
async def test_the_roundup_of_run_and_post_names_the_most_discussed_papers(services: Services) -> None:
    """The services every command opens read the channel's real votes (they read none before)."""
    day = await services.store.latest_day()
    assert day is not None
    [first, *_] = await services.store.listing(day)
    channel = ChannelRef("console", "w")
    weekly = Subscription(channel, time="09:00", days="fri", limit=2, cadence="weekly")
    card_at = datetime.combine(day, time(12), UTC)  # a card of the roundup's week (the snapshot's, long past)
    card = Posted(channel, first.arxiv_id, card_at)
    await services.engagement.record(Vote(card, "U1", "1.1", "+1", True, card_at))
    publisher = RecordingPublisher()
    said, ok = await post_roundup(services, {"console": publisher}, weekly, day)
    assert ok, said
    assert "Most discussed here this week" in [p.header for p in publisher.headers]


async def test_run_follows_the_cards_of_subscribed_channels_only(services: Services) -> None:
    """`paperboy run`'s living threads (bot.roundup.wiring.living) skip a channel that unsubscribed."""
    from bot.domain.cards import card
    from bot.roundup.wiring import living

    day = await services.store.latest_day()
    assert day is not None
    paper = (await services.store.listing(day))[0]
    kept, left = ChannelRef("console", "kept"), ChannelRef("console", "left")
    for channel in (kept, left):
        await services.subscriptions.save(Subscription(channel, time="00:00", days="daily"))
    publisher = RecordingPublisher()
    async with living(services.config, services, {"console": publisher}, None) as roundups:
        now = datetime.now(UTC)
        for n, channel in enumerate((kept, left)):
            ref = MessageRef(channel.channel, f"card{n}", f"card{n}")
            await roundups.follower.posted(channel, card(paper, 1), ref, now)
        assert (await roundups.follower.sweep()).followed == 2
        await services.subscriptions.remove(left)
        assert (await roundups.follower.sweep()).followed == 1
