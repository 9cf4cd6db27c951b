"""Votes, replies, `/papers top` and reading lists through gateway dispatches into the real discord.py client."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.discord.connection import intents
from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged
from bot.domain.models import Paper
from bot.store.reading import Person
from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import BOT_ID, GUILD_ID, HUMAN_ID, TEXT_ID
from tests.fakes.server import WAIT_S

PAPER = "2605.29307"
HERE = ChannelRef("discord", TEXT_ID, GUILD_ID)
ADA = Person("discord", GUILD_ID, HUMAN_ID)
BEA = "1000000000000000004"
CAL = "1000000000000000005"


async def shared(discord_bot: DiscordBot) -> tuple[str, str, str]:
    """Share a paper in the text channel: its card's id, its thread's id (the same), its seed's id."""
    fake = discord_bot.fake
    await fake.click(f"share:{PAPER}")
    await fake.wait_for(lambda: any(s.path.endswith("/threads") for s in fake.sent))
    thread = next(s for s in fake.sent if s.path.endswith("/threads")).path.split("/")[-2]
    await fake.wait_for(lambda: fake.stored.get(thread))
    await fake.wait_for(lambda: len(fake.followups()) == 1)
    card = str(fake.stored[TEXT_ID][0]["id"])
    return card, thread, str(fake.stored[thread][0]["id"])


async def counted(discord_bot: DiscordBot, expected: list[Engaged], within: float = WAIT_S) -> None:
    deadline = time.monotonic() + within
    while (found := list(await discord_bot.community.engagement.top(HERE, None, None, 10))) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"counted {found}, expected {expected}")
        await asyncio.sleep(0.02)


async def answer(discord_bot: DiscordBot, count: int) -> str:
    await discord_bot.fake.wait_for(lambda: len(discord_bot.fake.followups()) >= count)
    return json.dumps(discord_bot.fake.followups()[count - 1], ensure_ascii=False)


def test_the_reactions_intent_is_asked_for_and_message_content_is_not() -> None:
    wanted = intents()
    assert wanted.guild_reactions and wanted.guild_messages
    assert not wanted.message_content  # privileged, and counting replies needs no text


@pytest.mark.slow
async def test_reactions_on_the_card_and_its_seed_count_people_once(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    card, thread, seed = await shared(discord_bot)
    await fake.react(TEXT_ID, card)
    await fake.react(TEXT_ID, card)  # a second gateway session's copy, a resume's replay
    await fake.react(thread, seed, "👀")  # the same person on the seed, inside the thread
    await fake.react(thread, seed, user=BEA)
    await counted(discord_bot, [Engaged(PAPER, 2, 0)])
    await fake.react(TEXT_ID, card, added=False)
    await counted(discord_bot, [Engaged(PAPER, 2, 0)])  # ada still has 👀 on the seed
    await fake.react(thread, seed, "👀", added=False)
    await fake.react(thread, seed, user=BEA, added=False)
    await counted(discord_bot, [])


@pytest.mark.slow
async def test_a_servers_own_emoji_taken_off_takes_its_vote_whatever_its_name_now(discord_bot: DiscordBot) -> None:
    """A removal may come without the `animated` flag, with the name a moderator gave the emoji since, or
    with none (deleted): keyed by `<a:name:id>`, it never met its vote, which stayed counted (QA s76)."""
    fake = discord_bot.fake
    card, _, _ = await shared(discord_bot)
    added: list[dict[str, Any]] = [
        {"id": "111", "name": "parrot", "animated": True},
        {"id": "222", "name": "old"},
        {"id": "333", "name": "x"},
    ]
    removed: list[dict[str, Any]] = [{"id": "111", "name": "parrot"}, {"id": "222", "name": "new"}]
    removed.append({"id": "333", "name": None})
    for person, emoji in zip((HUMAN_ID, BEA, CAL), added, strict=True):
        await fake.react(TEXT_ID, card, emoji, user=person)
    await counted(discord_bot, [Engaged(PAPER, 3, 0)])
    for person, emoji in zip((HUMAN_ID, BEA, CAL), removed, strict=True):
        await fake.react(TEXT_ID, card, emoji, user=person, added=False)
    await counted(discord_bot, [])
    await fake.react(TEXT_ID, card, {"id": "444", "name": "a"})
    await fake.react(TEXT_ID, card, {"id": "555", "name": "b"}, user=BEA)
    await counted(discord_bot, [Engaged(PAPER, 2, 0)])
    renamed = {"channel_id": TEXT_ID, "message_id": card, "guild_id": GUILD_ID, "emoji": {"id": "444", "name": "c"}}
    await fake.dispatch("MESSAGE_REACTION_REMOVE_EMOJI", renamed)  # a moderator clears one emoji, renamed since
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])


async def test_bots_and_peoples_own_messages_are_not_votes(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    card, thread, _ = await shared(discord_bot)
    await fake.react(TEXT_ID, card, user=BOT_ID)  # the bot itself
    await fake.react(TEXT_ID, card, user=CAL, bot=True)  # another bot
    human = await fake.say(thread, user=BEA)
    await fake.react(thread, human, author=BEA)  # someone's reply in the thread
    await fake.react(TEXT_ID, "2999999999999999999")  # a bot message that is no paper's
    await fake.react(TEXT_ID, card, user=BEA)
    await counted(discord_bot, [Engaged(PAPER, 1, 1)])  # bea's reaction on the card, bea's reply


async def test_thread_messages_count_people_once(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    _, thread, _ = await shared(discord_bot)
    first = await fake.say(thread)
    await fake.say(thread, message_id=first)  # the same message again
    await fake.say(thread)  # ada again
    await fake.say(thread, user=BEA)
    await fake.say(thread, user=CAL, bot=True)  # a bot
    await fake.say(TEXT_ID, user=CAL)  # the channel itself, not a thread
    await counted(discord_bot, [Engaged(PAPER, 0, 2)])


@pytest.mark.slow
async def test_papers_top_answers_with_counts_and_buttons(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    card, thread, _ = await shared(discord_bot)
    await fake.react(TEXT_ID, card)
    await fake.say(thread, user=BEA)
    await counted(discord_bot, [Engaged(PAPER, 1, 1)])
    await fake.slash("top", {"period": "month"})
    text = await answer(discord_bot, 2)
    assert "Most engaged papers here, posted in the last 30 days" in text
    assert "Score 2: 1 person reacted, 1 replied" in text
    buttons = [c["custom_id"] for row in fake.followups()[1]["components"] for c in row["components"]]
    assert buttons == [f"share:{PAPER}", f"save:{PAPER}"]


async def test_the_bookmark_saves_and_taking_it_off_does_not_unsave(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    card, _, _ = await shared(discord_bot)
    await fake.react(TEXT_ID, card, "🔖")
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])
    await fake.react(TEXT_ID, card, "🔖", added=False)
    await counted(discord_bot, [])
    assert [s.arxiv_id for s in await discord_bot.community.lists.saved(ADA)] == [PAPER]


@pytest.mark.slow
async def test_the_save_button_and_the_reading_list_commands(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.click(f"save:{PAPER}")
    assert "Saved “GrepSeek" in await answer(discord_bot, 1)
    assert fake.followups()[0]["flags"] & 64  # only to them
    await fake.slash("saved")
    assert f"1. {PAPER} · GrepSeek" in await answer(discord_bot, 2)
    await fake.slash("saved", {"format": "bibtex"})
    assert f"eprint        = {{{PAPER}}}" in await answer(discord_bot, 3)
    await fake.slash("unsave", {"id": PAPER})
    assert f"({PAPER}) from your reading list" in await answer(discord_bot, 4)
    await fake.slash("saved")
    emptied = await answer(discord_bot, 5)
    assert "Your reading list is empty" in emptied and "`/papers save id:2406.12345`" in emptied  # Discord's option
    await fake.slash("save", {"id": f"https://arxiv.org/abs/{PAPER}"})  # by id, no card at hand
    assert "Saved “GrepSeek" in await answer(discord_bot, 6)


async def test_a_shared_card_carries_a_save_button(discord_bot: DiscordBot) -> None:
    await shared(discord_bot)
    [card] = discord_bot.fake.posts_in(TEXT_ID)
    assert [c["custom_id"] for row in card["components"] for c in row["components"]] == [f"save:{PAPER}"]


@pytest.mark.slow
async def test_the_bot_keeps_no_copy_of_the_buttons_it_sends(discord_bot: DiscordBot) -> None:
    """A click is understood by its custom id alone (any replica, after any restart): discord.py need
    not keep the view of each message it sent. It kept each card's Save button for the life of the
    process (a digest's cards, day after day) and each answer's buttons for 15 minutes."""
    await shared(discord_bot)  # a card with a Save button in the channel, an answer with buttons
    await discord_bot.fake.slash("search", {"topic": "speculative decoding"})
    await answer(discord_bot, 2)
    assert discord_bot.bot.persistent_views == []
    await discord_bot.fake.click(f"save:{PAPER}")
    assert "Saved “GrepSeek" in await answer(discord_bot, 3)


@pytest.mark.slow
async def test_notices_in_a_papers_thread_are_not_replies(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    _, thread, _ = await shared(discord_bot)
    for kind in (6, 4, 1):  # a pin notice, a rename, someone added: "sent" by whoever did it
        await fake.say(thread, user=BEA, kind=kind)
    await fake.say(thread, user=CAL)  # a reply, after them
    await counted(discord_bot, [Engaged(PAPER, 0, 1)])


@pytest.mark.slow
async def test_a_super_reaction_is_a_reaction_of_its_own(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    card, _, _ = await shared(discord_bot)
    await fake.react(TEXT_ID, card)  # ada's 👍
    await fake.react(TEXT_ID, card, burst=True)  # and her super 👍
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])
    await fake.react(TEXT_ID, card, added=False, burst=True)  # the super one taken off: the 👍 stays on
    await fake.react(TEXT_ID, card, user=BEA)
    await counted(discord_bot, [Engaged(PAPER, 2, 0)])
    await fake.react(TEXT_ID, card, added=False)
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])


@pytest.mark.slow
async def test_a_card_shared_inside_a_papers_thread_leaves_the_thread_that_papers(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    _, thread, _ = await shared(discord_bot)
    await fake.click("share:2605.31264", channel=thread)  # another paper's card, posted inside the thread
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    inside = str(fake.stored[thread][-1]["id"])
    await fake.say(thread, user=BEA)  # a reply in the first paper's thread
    await counted(discord_bot, [Engaged(PAPER, 0, 1)])
    await fake.react(thread, inside, user=CAL)  # a vote on the card inside is that card's paper's
    there = ChannelRef("discord", thread, GUILD_ID)
    deadline = time.monotonic() + 5
    while list(await discord_bot.community.engagement.top(there, None, None, 10)) != [Engaged("2605.31264", 1, 0)]:
        assert time.monotonic() < deadline, "the vote on the card inside the thread was not counted"
        await asyncio.sleep(0.02)
    assert await discord_bot.ledger.thread_paper("discord", None, thread) == PAPER


@pytest.mark.slow
async def test_a_reading_list_too_long_for_a_message_comes_whole_as_a_bib_file(discord_bot: DiscordBot) -> None:
    """Contract: `saved bibtex` gives the whole list. Sixty entries are many messages' worth: they come
    in one answer, every entry in the attached reading-list.bib (five messages held 23, then "…and 37
    more")."""
    store = discord_bot.store
    papers: list[Paper] = []
    day = await store.latest_day()
    while day is not None and len(papers) < 60:
        papers += await store.listing(day)
        day = await store.latest_day(day - timedelta(days=1))
    for paper in papers[:60]:
        await discord_bot.community.lists.save(ADA, paper.arxiv_id, datetime.now(UTC))
    await discord_bot.fake.slash("saved", {"format": "bibtex"})
    await answer(discord_bot, 1)
    await asyncio.sleep(0.2)  # no second message follows
    [sent] = discord_bot.fake.followups()
    assert sent["flags"] & 64  # only to them
    assert "Your reading list as BibTeX (60 papers)" in sent["content"]
    assert "All 60 entries are in the attached `reading-list.bib`." in sent["content"]
    bib = sent["_files"]["reading-list.bib"]
    assert bib.count("@misc{") + bib.count("@article{") == 60
    assert all(f"{{{p.arxiv_id}}}" in bib for p in papers[:60])


@pytest.mark.slow
async def test_reactions_a_moderator_clears_take_their_votes_with_them(discord_bot: DiscordBot) -> None:
    """ "Remove All Reactions", or one emoji's: Discord sends one event naming no one; the votes went on."""
    fake = discord_bot.fake
    card, _, _ = await shared(discord_bot)
    await fake.react(TEXT_ID, card)
    await fake.react(TEXT_ID, card, user=BEA)
    await fake.react(TEXT_ID, card, "👀", user=CAL)
    await counted(discord_bot, [Engaged(PAPER, 3, 0)])
    one_emoji = {"channel_id": TEXT_ID, "message_id": card, "guild_id": GUILD_ID, "emoji": {"id": None, "name": "👍"}}
    await fake.dispatch("MESSAGE_REACTION_REMOVE_EMOJI", one_emoji)
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])  # cal's 👀 stays
    await fake.dispatch(
        "MESSAGE_REACTION_REMOVE_ALL", {"channel_id": TEXT_ID, "message_id": card, "guild_id": GUILD_ID}
    )
    await counted(discord_bot, [])
    await asyncio.sleep(0.01)
    await fake.react(TEXT_ID, card, user=BEA)  # a reaction put on again afterwards counts again
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])


@pytest.mark.slow
async def test_reactions_cleared_on_the_seed_in_the_papers_thread_take_their_votes_too(discord_bot: DiscordBot) -> None:
    """The seed is in the paper's thread, which Discord names as a channel of its own; the votes were kept
    under the card's channel, and clearing them there found none: they stayed counted for good."""
    fake = discord_bot.fake
    _, thread, seed = await shared(discord_bot)
    await fake.react(thread, seed, "👀")
    await fake.react(thread, seed, user=BEA)
    await counted(discord_bot, [Engaged(PAPER, 2, 0)])
    one_emoji = {"channel_id": thread, "message_id": seed, "guild_id": GUILD_ID, "emoji": {"id": None, "name": "👍"}}
    await fake.dispatch("MESSAGE_REACTION_REMOVE_EMOJI", one_emoji)
    await counted(discord_bot, [Engaged(PAPER, 1, 0)])
    await fake.dispatch("MESSAGE_REACTION_REMOVE_ALL", {"channel_id": thread, "message_id": seed, "guild_id": GUILD_ID})
    await counted(discord_bot, [])
