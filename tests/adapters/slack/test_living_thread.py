"""A living thread on Slack through the real slack_sdk client: notes in the card's thread, chat.update of
the card at most once an hour, and a card a person deleted left alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.domain.channels import ChannelRef
from bot.roundup.follow import Follower
from bot.store.follows import FollowStore
from bot.store.notes import NoteLedger
from tests.adapters.slack.conftest import SlackBot
from tests.conftest import search_over
from tests.roundup.helpers import Clock, news_for

CHANNEL = ChannelRef("slack", "C0001", "T0001")
JUNE_1 = date(2026, 6, 1)
POSTED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def parts(slack_bot: SlackBot, clock: Clock) -> tuple[Follower, DigestDelivery]:
    """The follower and a delivery that hands it each card it posts, on the bot's publisher."""
    follower = Follower(
        FollowStore(slack_bot.store.engine),
        NoteLedger(slack_bot.store.engine),
        slack_bot.store,
        {"slack": slack_bot.publisher},
        7,
        clock=clock,
        refreshes_per_minute=6000,
    )
    delivery = DigestDelivery(
        slack_bot.store,
        search_over(slack_bot.store),
        slack_bot.ledger,
        slack_bot.subscriptions,
        {"slack": slack_bot.publisher},
        clock=clock,
        posted=follower.posted,
    )
    return follower, delivery


@pytest.mark.slow
async def test_news_goes_to_the_thread_once_and_the_card_is_updated_in_place(slack_bot: SlackBot) -> None:
    clock = Clock(POSTED)
    follower, delivery = parts(slack_bot, clock)
    assert (await delivery.deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)).outcome == "posted"
    fake = slack_bot.fake
    arxiv_id = "2605.31604"  # third on 1 June, posted without code
    [card_ts] = [
        m["ts"] for m in fake.stored["C0001"] if m["metadata"]["event_payload"]["key"] == f"2026-06-01:{arxiv_id}"
    ]

    await news_for(slack_bot.store, arxiv_id, upvotes=260, repo="https://github.com/lab/grepseek")
    clock.now = POSTED + timedelta(minutes=30)
    first = await follower.sweep()
    replies = [m for m in fake.stored["C0001"] if m.get("thread_ts") == card_ts]
    notes = [m for m in replies if "note:" in str(m.get("metadata"))]
    assert sorted(m["text"].split(" ")[0] for m in notes) == ["Code", "Past"]
    posted = [c.args for c in fake.calls if c.method == "chat.postMessage" and "note:" in str(c.args.get("metadata"))]
    assert "<https://github.com/lab/grepseek>" in str([p["blocks"] for p in posted])  # a link (the text is verbatim)
    assert all(f"(arXiv {arxiv_id})" in str(p["blocks"]) for p in posted)  # each names its paper: a notification,
    assert first.refreshed == 1  # with its notes: the card shows what they say (it waited an hour after posting)
    [update] = fake.updates("C0001")
    assert update["ts"] == card_ts
    assert "260" in str(update["blocks"]) and "github.com/lab/grepseek" in str(update["blocks"])

    clock.now = POSTED + timedelta(hours=1, minutes=1)
    again = await follower.sweep()
    assert sum(again.notes.values()) == 0 and again.refreshed == 0  # nothing new
    assert len([m for m in fake.stored["C0001"] if m.get("thread_ts") == card_ts]) == len(replies)

    await news_for(slack_bot.store, arxiv_id, upvotes=270)
    clock.now += timedelta(minutes=20)
    await follower.sweep()
    assert len(fake.updates()) == 1  # changed again, but refreshed less than an hour ago

    fake.delete("C0001", card_ts)  # a person deletes the card
    clock.now += timedelta(hours=1)
    report = await follower.sweep()
    assert report.stopped == 1
    await news_for(slack_bot.store, arxiv_id, upvotes=600)
    clock.now += timedelta(hours=2)
    calls = len(fake.calls)
    await follower.sweep()
    touching = [c for c in fake.calls[calls:] if card_ts in str(c.args)]
    assert touching == []  # left alone: no update, no note in its thread


async def test_a_deleted_card_is_asked_after_before_a_note_when_no_refresh_tells(slack_bot: SlackBot) -> None:
    """A version note changes nothing the card shows: the card is looked up (conversations.history of
    its ts) before the note goes into its thread."""
    clock = Clock(POSTED)
    follower, delivery = parts(slack_bot, clock)
    await delivery.deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)
    fake = slack_bot.fake
    await news_for(slack_bot.store, "2605.31604", repo="https://github.com/lab/grepseek")
    clock.now = POSTED + timedelta(minutes=10)
    assert (await follower.sweep()).notes == {"code": 1}  # the card still there: asked after, then the note
    [card] = [m for m in fake.stored["C0001"] if "2605.31604" in str(m.get("metadata")) and "thread_ts" not in m]
    fake.delete("C0001", card["ts"])
    await news_for(slack_bot.store, "2605.31604", upvotes=600)
    clock.now += timedelta(minutes=10)
    report = await follower.sweep()
    assert report.stopped == 1 and sum(report.notes.values()) == 0
