"""A living thread on Discord through the real discord.py client: notes in the paper's thread (text
channel and forum), the card's embed edited in place at most once an hour, a deleted card left alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.domain.channels import ChannelRef
from bot.roundup.follow import Follower
from bot.store.follows import FollowStore
from bot.store.notes import NoteLedger
from tests.adapters.discord.conftest import DiscordBot
from tests.conftest import search_over
from tests.fakes.discord import BOT_ID, DM_ID, FORUM_ID, TEXT_ID, VOICE_ID
from tests.roundup.helpers import Clock, news_for

JUNE_1 = date(2026, 6, 1)
POSTED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NO_CODE = "2605.31604"  # third on 1 June, posted without code


def parts(bot: DiscordBot, clock: Clock) -> tuple[Follower, DigestDelivery]:
    publishers = {"discord": bot.bot.publisher}
    engine = bot.store.engine
    follower = Follower(
        FollowStore(engine), NoteLedger(engine), bot.store, publishers, 7, clock=clock, refreshes_per_minute=6000
    )
    search = search_over(bot.store)
    delivery = DigestDelivery(
        bot.store, search, bot.ledger, bot.subscriptions, publishers, clock=clock, posted=follower.posted
    )
    return follower, delivery


@pytest.mark.slow
async def test_a_text_channel_card_gets_notes_in_its_thread_and_an_edit(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    clock = Clock(POSTED)
    follower, delivery = parts(discord_bot, clock)
    await delivery.deliver(ChannelRef("discord", TEXT_ID), DigestOptions(limit=3), JUNE_1)
    card_id = fake.stored[TEXT_ID][3]["id"]  # the header, then the cards in order
    assert NO_CODE in str(fake.stored[TEXT_ID][3]["embeds"])

    await news_for(discord_bot.store, NO_CODE, upvotes=120, repo="https://github.com/lab/code")
    clock.now = POSTED + timedelta(hours=2)
    report = await follower.sweep()
    assert report.notes == {"code": 1, "upvotes": 1}
    notes = [m["content"] for m in fake.stored[card_id][1:]]  # after the thread's seed
    assert notes[0].startswith("**Code is out**") and "github.com/lab/code" in notes[0]
    assert notes[1].startswith("**Past 100 upvotes**")
    [edit] = fake.edits()
    assert edit.path == f"/channels/{TEXT_ID}/messages/{card_id}"
    assert "120" in str(edit.body["embeds"])

    await follower.sweep()  # nothing new: nothing posted, nothing edited
    assert len(fake.stored[card_id]) == 3 and len(fake.edits()) == 1

    fake.delete(TEXT_ID, card_id)
    await news_for(discord_bot.store, NO_CODE, upvotes=300)
    clock.now += timedelta(hours=2)
    report = await follower.sweep()
    assert report.stopped == 1 and sum(report.notes.values()) == 0  # Unknown Message: left alone
    assert len(fake.stored[card_id]) == 3
    clock.now += timedelta(hours=2)
    await follower.sweep()
    assert len(fake.edits()) == 2  # the one that found it gone, and none since


@pytest.mark.slow
async def test_a_card_deleted_within_its_refresh_hour_gets_no_note(discord_bot: DiscordBot) -> None:
    """Its thread outlives it on Discord: a note there would be about nothing anyone sees."""
    fake = discord_bot.fake
    clock = Clock(POSTED)
    follower, delivery = parts(discord_bot, clock)
    await delivery.deliver(ChannelRef("discord", TEXT_ID), DigestOptions(limit=3), JUNE_1)
    card_id = fake.stored[TEXT_ID][3]["id"]
    await news_for(discord_bot.store, NO_CODE, upvotes=120)
    clock.now = POSTED + timedelta(hours=2)
    assert (await follower.sweep()).notes == {"upvotes": 1}  # and the card refreshed
    fake.delete(TEXT_ID, card_id)
    await news_for(discord_bot.store, NO_CODE, upvotes=300)
    clock.now += timedelta(minutes=30)  # no refresh due: the card is asked after instead
    report = await follower.sweep()
    assert report.stopped == 1 and sum(report.notes.values()) == 0
    assert len(fake.stored[card_id]) == 2  # the seed and the first note only


@pytest.mark.slow
async def test_a_forum_post_gets_its_starter_edited_and_notes_inside(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    clock = Clock(POSTED)
    follower, delivery = parts(discord_bot, clock)
    await delivery.deliver(ChannelRef("discord", FORUM_ID), DigestOptions(limit=3), JUNE_1)
    [post_id] = [t for t, starter in fake.starters.items() if NO_CODE in str(starter["embeds"])]
    await news_for(discord_bot.store, NO_CODE, repo="https://github.com/lab/code")
    clock.now = POSTED + timedelta(hours=2)
    report = await follower.sweep()
    assert report.notes == {"code": 1} and report.refreshed == 1
    assert fake.stored[post_id][-1]["content"].startswith("**Code is out**")
    [edit] = fake.edits()
    assert edit.path == f"/channels/{post_id}/messages/{post_id}"
    assert "github.com/lab/code" in str(fake.starters[post_id]["embeds"])


async def test_a_note_in_a_direct_message_answers_its_card(discord_bot: DiscordBot) -> None:
    """A follow's digest comes by direct message, where no thread starts: the note replies to its card."""
    fake = discord_bot.fake
    clock = Clock(POSTED)
    follower, delivery = parts(discord_bot, clock)
    await delivery.deliver(ChannelRef("discord", DM_ID), DigestOptions(limit=3), JUNE_1)
    [card] = [m for m in fake.stored[DM_ID] if NO_CODE in str(m.get("embeds"))]
    await news_for(discord_bot.store, NO_CODE, repo="https://github.com/lab/code")
    clock.now = POSTED + timedelta(hours=2)
    assert (await follower.sweep()).notes == {"code": 1}
    note = fake.stored[DM_ID][-1]
    assert note["content"].startswith("**Code is out**")
    assert note["message_reference"]["message_id"] == card["id"]


async def test_a_note_reaches_a_forum_post_archived_meanwhile(discord_bot: DiscordBot) -> None:
    """A forum post archives after a day without a message, and its card is in it: Discord edits nothing
    there, but a note reopens it. The note goes out; the card is refreshed at its next hour."""
    fake = discord_bot.fake
    clock = Clock(POSTED)
    follower, delivery = parts(discord_bot, clock)
    await delivery.deliver(ChannelRef("discord", FORUM_ID), DigestOptions(limit=3), JUNE_1)
    [post] = [t for t, starter in fake.starters.items() if NO_CODE in str(starter["embeds"])]
    fake.channels[post]["thread_metadata"]["archived"] = True  # a day and more without a message
    await news_for(discord_bot.store, NO_CODE, repo="https://github.com/lab/code")
    clock.now = POSTED + timedelta(hours=26)
    report = await follower.sweep()
    assert report.notes == {"code": 1} and report.stopped == 0
    assert any(m.get("content", "").startswith("**Code is out**") for m in fake.stored.get(post, []))
    assert not fake.channels[post]["thread_metadata"]["archived"]  # reopened by the note
    clock.now = POSTED + timedelta(hours=28)
    assert (await follower.sweep()).refreshed >= 1  # the card, refreshed at its next hour


async def reply_to_a_card(bot: DiscordBot, channel: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A digest delivered to `channel`, then a Reply to its first card naming the bot: the card, and what
    the bot posted next in the channel."""
    fake = bot.fake
    await bot.delivery().deliver(ChannelRef("discord", channel), DigestOptions(limit=2), JUNE_1)
    card = fake.stored[channel][1]
    before = len(fake.posts_in(channel))
    await fake.mention(channel, f"<@{BOT_ID}> authors", reply_to=card["id"])
    await fake.wait_for(lambda: len(fake.posts_in(channel)) > before)
    return card, fake.posts_in(channel)[-1]


async def test_a_reply_to_a_card_that_stands_alone_is_asked_about_it(discord_bot: DiscordBot) -> None:
    """A voice channel's chat takes no threads: a Reply to a card there, naming the bot, is about that card."""
    card, answer = await reply_to_a_card(discord_bot, VOICE_ID)
    assert "only discuss papers in their own threads" not in str(answer["content"])
    assert str(answer["message_reference"]["message_id"]) == card["id"]  # a Reply to the card it is about


async def test_a_reply_to_a_card_with_its_own_thread_is_pointed_to_the_thread(discord_bot: DiscordBot) -> None:
    """Discussion stays in a card's thread: a Reply in the channel to a card that has one is not answered there."""
    _, answer = await reply_to_a_card(discord_bot, TEXT_ID)
    assert "Authors" not in str(answer)
