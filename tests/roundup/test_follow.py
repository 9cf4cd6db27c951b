"""The living thread's core on SQLite and PostgreSQL: news noted once per thread across replicas and
crashes, versions, upvote marks, the follow window, cards nobody recorded, deleted cards."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import CardPosted, DigestDelivery
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable, PlatformUnreachable, WorkspacePaused
from bot.domain.models import Listing, Paper
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef
from bot.roundup.follow import Follower, following
from bot.store.follows import AsPosted, FollowStore
from bot.store.ledger import Ledger
from bot.store.notes import NoteLedger
from bot.store.papers import PaperStore
from bot.store.workspaces import PAUSED, resume
from tests.conftest import search_over
from tests.fakes.publisher import Crash, RecordingPublisher
from tests.roundup.helpers import Clock, news_for

DAY = date(2026, 6, 2)
POSTED = datetime(2026, 6, 2, 9, tzinfo=UTC)
CHANNEL = ChannelRef("slack", "CLIVE")
OPTIONS = DigestOptions(limit=3)


def follower(
    store: PaperStore,
    publisher: RecordingPublisher,
    clock: Clock,
    owner: str,
    days: int = 7,
    subscriptions: SubscriptionStore | None = None,
) -> Follower:
    notes = NoteLedger(store.engine, owner=owner, lease=timedelta(minutes=2))
    return Follower(
        FollowStore(store.engine),
        notes,
        store,
        {"slack": publisher},
        days,
        clock=clock,
        sleep=_no_wait,
        subscriptions=subscriptions,
    )


async def _no_wait(_: float) -> None:
    return None


async def post_day(store: PaperStore, publisher: RecordingPublisher, clock: Clock, hook: Follower | None) -> list[str]:
    ids = await list_day(store)
    delivered = await delivery(store, publisher, clock, hook.posted if hook else None).deliver(CHANNEL, OPTIONS, DAY)
    assert delivered.outcome == "posted"
    return ids


async def list_day(store: PaperStore) -> list[str]:
    ids = [f"2606.0{n}001" for n in range(3)]
    await store.save_listings(
        [Listing(Paper(arxiv_id=i, title=f"Paper {i}", upvotes=40 + n), DAY, n + 1) for n, i in enumerate(ids)]
    )
    return ids


def delivery(
    store: PaperStore, publisher: RecordingPublisher, clock: Clock, hook: CardPosted | None, owner: str | None = None
) -> DigestDelivery:
    ledger = Ledger(store.engine, owner=owner)
    return DigestDelivery(
        store,
        search_over(store),
        ledger,
        SubscriptionStore(store.engine),
        {"slack": publisher},
        clock=clock,
        posted=hook,
    )


def notes(publisher: RecordingPublisher) -> list[str]:
    return sorted(k for k in publisher.keys("CLIVE") if k.startswith("note:"))


@pytest.mark.slow
async def test_two_replicas_syncing_at_once_note_each_piece_of_news_once(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), RecordingPublisher()
    a, b = follower(store, publisher, clock, "a"), follower(store, publisher, clock, "b")
    first, second, third = await post_day(store, publisher, clock, a)
    await news_for(store, first, repo="https://github.com/x/first", upvotes=260)
    await news_for(store, second, upvotes=99)  # not yet a mark
    await FollowStore(store.engine).save_versions({third: 1}, POSTED)  # the first version seen is the baseline
    clock.now = POSTED + timedelta(hours=3)
    await asyncio.gather(a.sweep(), b.sweep())
    assert notes(publisher) == [f"note:{first}:code", f"note:{first}:upvotes:250"]
    await FollowStore(store.engine).save_versions({third: 3}, POSTED)
    await news_for(store, second, upvotes=100)
    await asyncio.gather(a.sweep(), b.sweep(), a.sweep())
    assert notes(publisher) == [
        f"note:{first}:code",
        f"note:{first}:upvotes:250",
        f"note:{second}:upvotes:100",
        f"note:{third}:version:3",
    ]
    threads = {p.key: p.thread for p in publisher.posted}
    assert threads[f"note:{first}:code"] == next(p for p in publisher.posted if p.key.endswith(f"{first}:seed")).thread
    version = next(p for p in publisher.headers if p.header == "arXiv version 3 is out")
    assert version.text == (f"https://arxiv.org/abs/{third}v3",)


async def test_upvotes_past_several_marks_at_once_make_one_note(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), RecordingPublisher()
    live = follower(store, publisher, clock, "a")
    first, *_ = await post_day(store, publisher, clock, live)
    await news_for(store, first, upvotes=640)
    await live.sweep()
    await news_for(store, first, upvotes=1200)
    await live.sweep()
    assert notes(publisher) == [f"note:{first}:upvotes:1000", f"note:{first}:upvotes:500"]
    assert [p.header for p in publisher.headers if p.header.startswith("Past")] == [
        "Past 500 upvotes",
        "Past 1,000 upvotes",
    ]


async def test_a_note_out_when_its_process_died_is_found_not_posted_again(store: PaperStore) -> None:
    clock = Clock(POSTED)
    publisher = RecordingPublisher()
    first, *_ = await post_day(store, publisher, clock, follower(store, publisher, clock, "a"))
    await news_for(store, first, repo="https://github.com/x/first")
    publisher.crash_at = len(publisher.posted) + 1  # the note reaches the platform, then the process dies
    with pytest.raises(Crash):
        await follower(store, publisher, clock, "dies").sweep()
    publisher.crash_at = None
    clock.now += timedelta(minutes=3)  # its lease has run out (no lock to see on an in-memory hold)
    await follower(store, publisher, clock, "b").sweep()
    assert notes(publisher) == [f"note:{first}:code"]


async def test_only_cards_within_follow_days_are_followed(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), RecordingPublisher()
    first, *_ = await post_day(store, publisher, clock, follower(store, publisher, clock, "a", days=3))
    await news_for(store, first, repo="https://github.com/x/first")
    clock.now = POSTED + timedelta(days=3, minutes=1)
    report = await follower(store, publisher, clock, "a", days=3).sweep()
    assert report.followed == 0 and notes(publisher) == []
    assert (await follower(store, publisher, clock, "a", days=0).sweep()).followed == 0


async def test_a_papers_card_posted_again_after_follow_days_is_followed_from_then(store: PaperStore) -> None:
    """A paper shown again in the channel once its first card's days had run out (a share, next week's
    roundup) got no news at all: the first card kept the paper's place, followed no more."""
    from bot.domain.cards import card

    clock, publisher = Clock(POSTED), RecordingPublisher()
    live = follower(store, publisher, clock, "a", days=3)
    first, *_ = await post_day(store, publisher, clock, live)
    paper = await store.get(first)
    assert paper is not None
    clock.now = POSTED + timedelta(days=1)
    await live.posted(CHANNEL, card(paper, seeded=False), MessageRef("CLIVE", "T1", "T1"), clock.now)  # within
    await news_for(store, first, upvotes=120)
    await live.sweep()
    seeded = next(p.thread for p in publisher.posted if p.key.endswith(f"{first}:seed"))
    assert [p.thread for p in publisher.posted if p.key == f"note:{first}:upvotes:100"] == [seeded]  # the first's
    clock.now = POSTED + timedelta(days=5)  # the first card's 3 days are over
    await live.posted(CHANNEL, card(paper.model_copy(update={"upvotes": 120}), seeded=False),
                      MessageRef("CLIVE", "T2", "T2"), clock.now)  # fmt: skip
    await news_for(store, first, repo="https://github.com/x/first")
    report = await live.sweep()
    assert report.followed == 1 and [p.thread for p in publisher.posted if p.key == f"note:{first}:code"] == ["T2"]


async def test_a_card_nobody_recorded_is_adopted_as_it_is_now(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), RecordingPublisher()
    first, *_ = await post_day(store, publisher, clock, None)  # posted by a process that recorded no follows
    live = follower(store, publisher, clock, "a")
    clock.now += timedelta(hours=2)
    report = await live.sweep()
    assert report.followed == 3 and notes(publisher) == []  # as posted = as the store has it: no news
    assert report.refreshed == 3  # what the cards show was not recorded: each is refreshed once
    await news_for(store, first, repo="https://github.com/x/first")
    await live.sweep()
    assert notes(publisher) == [f"note:{first}:code"]


async def test_a_card_whose_process_died_before_following_it_is_followed_as_posted(store: PaperStore) -> None:
    """Killed between the ledger recording the card and the card being followed; news comes before
    another process adopts the card: the news is still news in its thread."""
    clock, publisher = Clock(POSTED), RecordingPublisher()
    ids = await list_day(store)

    async def dies(*_: object) -> None:
        raise Crash("died before following the card")

    with pytest.raises(Crash):
        await delivery(store, publisher, clock, dies, "dies").deliver(CHANNEL, OPTIONS, DAY)
    [card] = [p.text for p in publisher.posted if p.text in ids]  # a card's text is its paper
    await news_for(store, card, upvotes=600, repo="https://github.com/x/code")
    clock.now += timedelta(hours=2)
    report = await follower(store, publisher, clock, "b").sweep()
    assert report.followed == 1
    assert notes(publisher) == [f"note:{card}:code", f"note:{card}:upvotes:500"]


@pytest.mark.slow
async def test_a_card_out_when_its_process_died_is_followed_as_posted_by_the_process_taking_over(
    store: PaperStore,
) -> None:
    """Killed after the platform took the first card, before the ledger knew; upvotes pass 500 and code
    comes out before another process takes the digest over and finds the card: both are news in its
    thread. The cards begun but not out are followed from their intents too (on Discord a repeated post
    may be answered with the first one, so what a card found out shows is what it was begun with)."""
    clock, publisher = Clock(POSTED), RecordingPublisher()
    ids = await list_day(store)
    publisher.crash_at = 2  # the header, then the first card reaches the platform, and the process dies
    live = follower(store, publisher, clock, "b")
    with pytest.raises(Crash):
        await delivery(store, publisher, clock, live.posted, "dies").deliver(CHANNEL, OPTIONS, DAY)
    publisher.crash_at = None
    for arxiv_id in ids:
        await news_for(store, arxiv_id, upvotes=600, repo="https://github.com/x/code")
    clock.now += timedelta(minutes=3)  # the dead process's lease has run out
    assert (await delivery(store, publisher, clock, live.posted, "b").deliver(CHANNEL, OPTIONS, DAY)).papers == 3
    cards = [p for p in publisher.posted if p.text in ids]
    assert len(cards) == 3  # the first card found, not posted again
    await live.sweep()
    assert notes(publisher) == sorted(f"note:{i}:{event}" for i in ids for event in ("code", "upvotes:500"))


async def test_a_deleted_card_stops_being_followed(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), RecordingPublisher()
    live = follower(store, publisher, clock, "a")
    first, *_ = await post_day(store, publisher, clock, live)
    card = next(str(n) for n, p in enumerate(publisher.posted, start=1) if p.key.endswith(f":{first}"))
    publisher.deleted.add(card)
    await news_for(store, first, upvotes=300, repo="https://github.com/x/first")
    clock.now += timedelta(hours=2)
    report = await live.sweep()
    assert report.stopped == 1 and notes(publisher) == []
    await news_for(store, first, upvotes=600)
    clock.now += timedelta(hours=2)
    assert (await live.sweep()).followed == 2


class Uninstalled(RecordingPublisher):
    """A Slack workspace that took the app away for a while: its token is gone (WorkspacePaused)."""

    paused = False

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        if self.paused:
            raise WorkspacePaused(f"slack:{channel}", PAUSED)
        return await super().note(channel, post, key, thread=thread)

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        if self.paused:
            raise WorkspacePaused(f"slack:{ref.channel}", PAUSED)
        return await super().refresh_card(ref, card)


async def test_living_threads_wait_while_their_workspace_is_uninstalled(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), Uninstalled()
    live = follower(store, publisher, clock, "a")
    first, *_ = await post_day(store, publisher, clock, live)
    publisher.paused = True  # uninstalled for an afternoon
    await news_for(store, first, repo="https://github.com/x/first")
    clock.now += timedelta(hours=2)
    paused = await live.sweep()
    assert paused.stopped == 0 and notes(publisher) == []
    publisher.paused = False  # installed again
    clock.now += timedelta(hours=2)
    await live.sweep()
    assert notes(publisher) == [f"note:{first}:code"]


async def test_a_channel_that_unsubscribed_hears_no_more_news_until_it_subscribes_again(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), RecordingPublisher()
    subscriptions = SubscriptionStore(store.engine)
    await subscriptions.save(Subscription(channel=CHANNEL, time="09:00", timezone="UTC"))
    live = follower(store, publisher, clock, "a", subscriptions=subscriptions)
    first, second, _ = await post_day(store, publisher, clock, live)
    await news_for(store, first, repo="https://github.com/x/first")
    assert (await live.sweep()).followed == 3 and notes(publisher) == [f"note:{first}:code"]
    edits = len(publisher.refreshed)
    assert await subscriptions.remove(CHANNEL)
    await news_for(store, second, repo="https://github.com/x/second", upvotes=300)
    clock.now += timedelta(hours=2)
    assert (await live.sweep()).followed == 0
    assert notes(publisher) == [f"note:{first}:code"] and len(publisher.refreshed) == edits  # no note, no card edit
    await subscriptions.save(Subscription(channel=CHANNEL, time="09:00", timezone="UTC"))
    await live.sweep()
    assert notes(publisher) == sorted([f"note:{first}:code", f"note:{second}:code", f"note:{second}:upvotes:250"])


async def test_cards_posted_where_no_subscription_was_are_followed_with_or_without_one(store: PaperStore) -> None:
    """`paperboy post` to a channel with no subscription: its cards got no news, as if it had unsubscribed
    (QA s72-contract #2: the contract follows a card "for follow_days after a card is posted")."""
    clock, publisher = Clock(POSTED), RecordingPublisher()
    subscriptions = SubscriptionStore(store.engine)
    live = follower(store, publisher, clock, "a", subscriptions=subscriptions)
    ids = await list_day(store)
    posted = following(FollowStore(store.engine), 7, regardless=True)  # as `post` makes it, none subscribed
    assert (await delivery(store, publisher, clock, posted).deliver(CHANNEL, OPTIONS, DAY)).outcome == "posted"
    await news_for(store, ids[0], repo="https://github.com/x/first")
    clock.now += timedelta(hours=2)
    assert (await live.sweep()).followed == 3 and notes(publisher) == [f"note:{ids[0]}:code"]
    await subscriptions.save(Subscription(channel=CHANNEL, time="09:00", timezone="UTC"))
    assert await subscriptions.remove(CHANNEL)  # subscribed and unsubscribed since: followed still, as posted
    await news_for(store, ids[1], repo="https://github.com/x/second")
    clock.now += timedelta(hours=2)
    await live.sweep()
    assert notes(publisher) == sorted([f"note:{ids[0]}:code", f"note:{ids[1]}:code"])


async def test_a_workspace_whose_token_was_refused_is_asked_nothing_until_it_is_installed_again(
    store: PaperStore,
) -> None:
    """A refused token stops the workspace's digests, but each living-thread sync still refreshed every card
    with it (a call refused per card, each sync); its threads now wait, and go on after an install."""
    clock, publisher = Clock(POSTED), RecordingPublisher()
    subscriptions = SubscriptionStore(store.engine)
    await subscriptions.save(Subscription(channel=CHANNEL, time="09:00", timezone="UTC"))
    live = follower(store, publisher, clock, "a", subscriptions=subscriptions)
    first, *_ = await post_day(store, publisher, clock, live)
    await subscriptions.set_status(CHANNEL, "token_revoked (Slack refused the workspace's token): install again")
    await news_for(store, first, repo="https://github.com/x/first", upvotes=300)
    clock.now += timedelta(hours=2)
    assert (await live.sweep()).followed == 0
    assert notes(publisher) == [] and publisher.refreshed == []
    assert await resume(store.engine, "slack", "")  # installed again
    await live.sweep()
    assert notes(publisher) == [f"note:{first}:code", f"note:{first}:upvotes:250"]


async def test_a_card_of_a_channel_id_subscribed_in_several_workspaces_is_still_followed(store: PaperStore) -> None:
    """A card recorded with no workspace, its channel id subscribed in two (Slack Connect): followed, not a
    failed sweep."""
    clock, publisher = Clock(POSTED), RecordingPublisher()
    subscriptions = SubscriptionStore(store.engine)
    for team in ("T1", "T2"):
        await subscriptions.save(Subscription(channel=ChannelRef("slack", CHANNEL.channel, team)))
    live = follower(store, publisher, clock, "a", subscriptions=subscriptions)
    first, *_ = await post_day(store, publisher, clock, live)
    await news_for(store, first, repo="https://github.com/x/first")
    assert (await live.sweep()).followed == 3 and notes(publisher) == [f"note:{first}:code"]


class Failing(RecordingPublisher):
    """Once `error` is set, every call about the posted cards fails with it (`calls` counts them)."""

    error: Exception | None = None
    calls: int = 0

    def _fail(self) -> None:
        if self.error is not None:
            self.calls += 1
            raise self.error

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        self._fail()
        return await super().note(channel, post, key, thread=thread)

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        self._fail()
        return await super().refresh_card(ref, card)

    async def card_exists(self, ref: MessageRef) -> bool:
        self._fail()
        return await super().card_exists(ref)


async def followed_with_news(store: PaperStore, publisher: Failing, clock: Clock) -> Follower:
    """Three cards posted and followed in one channel, each with news (its code is out)."""
    live = follower(store, publisher, clock, "a")
    for arxiv_id in await post_day(store, publisher, clock, live):
        await news_for(store, arxiv_id, repo=f"https://github.com/x/{arxiv_id}")
    return live


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and r.name == "paperboy.follow"]


async def test_a_platform_down_is_said_once_an_hour_not_per_card_and_sync(
    store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack unreachable through three syncs: one line (then hourly, as the digests' failures), and the
    channel's other cards not asked while it is down; its news goes out once Slack answers again."""
    clock, publisher = Clock(POSTED), Failing()
    live = await followed_with_news(store, publisher, clock)
    publisher.error = PlatformUnreachable("Slack", "slack:CLIVE", "https://slack.com/api/", False)
    caplog.set_level(logging.WARNING, logger="paperboy.follow")
    for _ in range(3):  # three syncs, ten minutes apart
        clock.now += timedelta(minutes=10)
        await live.sweep()
    assert len(warnings(caplog)) == 1 and "Slack" in warnings(caplog)[0], warnings(caplog)
    assert publisher.calls == 3  # one card asked a sync
    publisher.error = None
    clock.now += timedelta(minutes=10)
    report = await live.sweep()
    assert report.notes["code"] == 3


async def test_a_channel_the_bot_was_removed_from_stops_all_its_cards_at_once(
    store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    clock, publisher = Clock(POSTED), Failing()
    live = await followed_with_news(store, publisher, clock)
    publisher.error = ChannelUnavailable(str(CHANNEL), "channel_not_found (the bot cannot see it)")
    caplog.set_level(logging.WARNING, logger="paperboy.follow")
    clock.now += timedelta(hours=2)
    report = await live.sweep()
    assert (publisher.calls, report.stopped) == (1, 3)
    assert warnings(caplog) == [f"stopped following 3 cards in {CHANNEL}: channel_not_found (the bot cannot see it)"]
    clock.now += timedelta(hours=2)
    await live.sweep()
    assert publisher.calls == 1  # none asked again


async def test_a_workspaces_channel_refused_under_its_id_alone_stops_all_its_cards(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one token for all, Slack's publisher names a refused channel by its id alone (`slack:CLIVE`)
    where the channel is shown with its workspace (`slack:T1/CLIVE`): the same channel, every card stops."""
    monkeypatch.setattr(sys.modules[__name__], "CHANNEL", ChannelRef("slack", "CLIVE", "T1"))
    clock, publisher = Clock(POSTED), Failing()
    live = await followed_with_news(store, publisher, clock)
    publisher.error = ChannelUnavailable("slack:CLIVE", "not_in_channel (the bot is not a member)")
    clock.now += timedelta(hours=2)
    assert ((await live.sweep()).stopped, publisher.calls) == (3, 1)


async def test_a_channel_the_bot_was_removed_from_stops_the_cards_before_the_one_that_found_it(
    store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the card that met the refusal and those after it stopped: an earlier one, with nothing new then,
    asked the platform again at its first news, and a second warning said so."""
    clock, publisher = Clock(POSTED), Failing()
    live = follower(store, publisher, clock, "a")
    first, second, third = await post_day(store, publisher, clock, live)
    await news_for(store, second, repo="https://github.com/x/second")  # the first card has nothing new
    await news_for(store, third, repo="https://github.com/x/third")
    publisher.error = ChannelUnavailable(str(CHANNEL), "not_in_channel (the bot is not a member)")
    caplog.set_level(logging.WARNING, logger="paperboy.follow")
    clock.now += timedelta(hours=2)
    report = await live.sweep()
    await news_for(store, first, repo="https://github.com/x/first")
    clock.now += timedelta(hours=2)
    await live.sweep()
    assert (report.stopped, publisher.calls, len(warnings(caplog))) == (3, 1, 1)
    assert await FollowStore(store.engine).following(POSTED - timedelta(days=1)) == []


class ThreadThenChannel(Failing):
    """The first card's own thread gone (Discord), then the channel refusing at the next card."""

    def _fail(self) -> None:
        self.calls += 1
        if self.calls == 1:
            raise ChannelUnavailable("discord:99", "404 unknown channel (Unknown Channel)")
        raise ChannelUnavailable(str(CHANNEL), "not_in_channel (the bot is not a member)")


async def test_a_card_stopped_in_the_sweep_that_then_loses_its_channel_counts_once(store: PaperStore) -> None:
    clock, publisher = Clock(POSTED), ThreadThenChannel()
    live = await followed_with_news(store, publisher, clock)
    publisher.calls = 0
    clock.now += timedelta(hours=2)
    report = await live.sweep()
    assert await FollowStore(store.engine).following(POSTED - timedelta(days=1)) == []
    assert report.stopped == 3  # was 4: the card whose thread was gone, stopped again with the channel


async def test_a_cards_own_thread_gone_stops_that_card_only(store: PaperStore) -> None:
    """On Discord a note goes into the card's thread, a channel of its own: that thread gone is that card's
    end, not the channel's."""
    clock, publisher = Clock(POSTED), Failing()
    live = await followed_with_news(store, publisher, clock)
    publisher.error = ChannelUnavailable("discord:99", "404 unknown channel (Unknown Channel)")
    clock.now += timedelta(hours=2)
    report = await live.sweep()
    assert (publisher.calls, report.stopped) == (3, 3)  # each asked, each stopped on its own


async def test_card_refreshes_are_paced_per_slack_workspace_not_across_them(store: PaperStore) -> None:
    """Slack's chat.update limit is each workspace's: a deployment serving many workspaces refreshes
    each at its own pace, not all of them through one queue (two cards in T1: one wait; T2's: none)."""
    clock, publisher = Clock(POSTED), RecordingPublisher()
    waits: list[float] = []

    async def wait(seconds: float) -> None:
        waits.append(seconds)

    live = Follower(
        FollowStore(store.engine),
        NoteLedger(store.engine),
        store,
        {"slack": publisher},
        7,
        clock=clock,
        refreshes_per_minute=60,
        sleep=wait,
    )
    first, second, _ = await list_day(store)
    follows = FollowStore(store.engine)
    for team, arxiv_id, message in (("T1", first, "1"), ("T1", second, "2"), ("T2", first, "3")):
        ref = MessageRef(f"C{team}", message, message)
        await follows.record(ChannelRef("slack", f"C{team}", team), arxiv_id, ref, AsPosted(1, 0, None, "old"), POSTED)
    clock.now = POSTED + timedelta(hours=2)
    assert (await live.sweep()).refreshed == 3
    assert len(waits) == 1 and 0.9 < waits[0] <= 1.0
