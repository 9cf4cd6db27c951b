"""A card shared into a channel (the *Share* button) gets a living thread, as a digest's card does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.post import Card
from bot.domain.publishing import MessageRef
from bot.roundup.follow import Follower
from bot.store.follows import FollowStore
from bot.store.notes import NoteLedger
from bot.store.papers import PaperStore
from tests.chat.world import chat_service
from tests.fakes.publisher import RecordingPublisher
from tests.roundup.helpers import Clock, news_for

PAPER = "2605.29398"  # no code yet in the recorded listing


async def _shared_without_code(
    store: PaperStore, follow_days: int = 7, *, subscribed: bool = True
) -> tuple[RecordingPublisher, Follower, Clock]:
    """PAPER, with no code yet, shared into channel C1 (subscribed, or not); the follower that watches it."""
    clock = Clock(datetime.now(UTC))
    subscriptions = SubscriptionStore(store.engine)
    if subscribed:
        await subscriptions.save(Subscription(channel=ChannelRef("slack", "C1"), time="09:00", timezone="UTC"))
    publisher = RecordingPublisher()
    shared = await chat_service(store, follow_days=follow_days).share("slack", "C1", PAPER, publisher)
    assert shared.root.thread  # type: ignore[union-attr]
    follower = Follower(
        FollowStore(store.engine),
        NoteLedger(store.engine),
        store,
        {"slack": publisher},
        follow_days,
        clock=clock,
        subscriptions=subscriptions,
    )
    return publisher, follower, clock


async def test_code_out_for_a_shared_paper_is_noted_in_its_thread(june_store: PaperStore) -> None:
    publisher, follower, clock = await _shared_without_code(june_store)
    await news_for(june_store, PAPER, repo="https://github.com/x/new", upvotes=120)
    clock.now += timedelta(hours=2)
    report = await follower.sweep()
    notes = sorted(p.key for p in publisher.posted if p.key.startswith("note:"))
    assert report.followed == 1
    assert notes == [f"note:{PAPER}:code", f"note:{PAPER}:upvotes:100"]
    assert report.refreshed == 1  # the card's counts too: 120 upvotes and its code link


async def test_a_card_shared_into_a_channel_without_a_subscription_is_followed_too(june_store: PaperStore) -> None:
    """A person shared it there: its thread is theirs, whether or not the channel takes a digest."""
    publisher, follower, clock = await _shared_without_code(june_store, subscribed=False)
    await news_for(june_store, PAPER, repo="https://github.com/x/new")
    clock.now += timedelta(hours=2)
    assert (await follower.sweep()).followed == 1
    assert [p.key for p in publisher.posted if p.key.startswith("note:")] == [f"note:{PAPER}:code"]


async def test_a_shared_card_is_not_followed_when_living_threads_are_off(june_store: PaperStore) -> None:
    _, follower, clock = await _shared_without_code(june_store, follow_days=0)
    await news_for(june_store, PAPER, repo="https://github.com/x/new")
    clock.now += timedelta(hours=2)
    assert (await follower.sweep()).followed == 0
    assert await FollowStore(june_store.engine).following(clock.now - timedelta(days=30)) == []


async def test_a_card_shared_where_it_starts_no_thread_is_not_followed(june_store: PaperStore) -> None:
    """A direct message: the card's thread would be the conversation itself, so no note goes there."""
    publisher = _NoThreads()
    await chat_service(june_store).share("slack", "D1", PAPER, publisher)
    assert [p.key.split(":")[0] for p in publisher.posted] == ["share", "share"]  # the card and its seed
    assert await FollowStore(june_store.engine).following(datetime.now(UTC) - timedelta(days=1)) == []


class _NoThreads(RecordingPublisher):
    """A direct message's conversation: a card starts no thread (its thread is the channel)."""

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        posted = await super().post_card(channel, card, key)
        return MessageRef(channel, posted.message, channel)
