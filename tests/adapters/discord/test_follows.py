"""Personal follows on Discord, through the real discord.py client: `/papers follow` in a direct
message (with the `timezone` option, UTC when it is left out, which the answer says), `follows`,
`unfollow`, a clear refusal in a server channel, and the digest delivered once to the DM."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.discord.connection import intents
from adapters.discord.follows import follow_command
from bot.chat.commands import Follow, Unknown
from bot.delivery.digest import DigestOptions
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.store.reading import Person
from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import BOT_ID, DM_ID, HUMAN_ID, TEXT_ID
from tests.fakes.server import eventually


async def answer(bot: DiscordBot, count: int) -> str:
    await bot.fake.wait_for(lambda: len(bot.fake.followups()) >= count)
    return json.dumps(bot.fake.followups()[count - 1], ensure_ascii=False)


@pytest.mark.slow
async def test_follow_in_a_dm_with_a_timezone_then_list_and_unfollow(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash(
        "follow", {"topics": "agents, -robotics", "timezone": "Europe/Berlin"}, channel=DM_ID, in_guild=False
    )
    said = await answer(discord_bot, 1)
    assert "You now follow “agents”, leaving out “robotics”" in said and "09:00 Europe/Berlin" in said
    follow = await discord_bot.subscriptions.of_person("discord", "", HUMAN_ID)
    assert follow is not None and follow.channel == ChannelRef("discord", DM_ID, "")
    assert follow.topics == ("agents", "-robotics")

    await fake.slash("follow", {"topics": "author:LeCun"}, channel=DM_ID, in_guild=False)  # keeps the zone
    assert "09:00 Europe/Berlin" in await answer(discord_bot, 2)
    await fake.slash("follows", channel=DM_ID, in_guild=False)
    assert "“agents”, by “LeCun”, leaving out “robotics”" in await answer(discord_bot, 3)
    await fake.slash("unfollow", {"topic": "agents"}, channel=DM_ID, in_guild=False)
    assert "no longer follow “agents”" in await answer(discord_bot, 4)
    await fake.slash("unfollow", {"topic": "  "}, channel=DM_ID, in_guild=False)  # stopped all of them (QA s77)
    assert "`topic:` names no topic: give the one to stop" in await answer(discord_bot, 5)
    assert await discord_bot.subscriptions.of_person("discord", "", HUMAN_ID) is not None
    await fake.slash("unfollow", {"topic": "all"}, channel=DM_ID, in_guild=False)  # "You don't follow “all”"
    assert "no more personal digests" in await answer(discord_bot, 6)
    assert await discord_bot.subscriptions.all() == []


async def test_follows_asked_in_a_server_channel_are_the_dms(discord_bot: DiscordBot) -> None:
    """A Discord user id is the same in every server, and a DM has none: follows are found from any of them."""
    fake = discord_bot.fake
    await fake.slash("follow", {"topics": "agents"}, channel=DM_ID, in_guild=False)
    await answer(discord_bot, 1)
    await fake.slash("follows", channel=TEXT_ID)
    assert "“agents”" in await answer(discord_bot, 2)
    await fake.slash("unfollow", channel=TEXT_ID)
    assert "no more personal digests" in await answer(discord_bot, 3)
    assert await discord_bot.subscriptions.all() == []


async def test_without_a_timezone_it_is_utc_and_says_how_to_change_it(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("follow", {"topics": "agents"}, channel=DM_ID, in_guild=False)
    said = await answer(discord_bot, 1)
    assert "09:00 UTC" in said and "add `timezone:`" in said


async def test_follow_in_a_server_channel_says_to_dm_the_bot(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("follow", {"topics": "agents"}, channel=TEXT_ID)
    said = await answer(discord_bot, 1)
    assert "direct message with me" in said and "/papers subscribe" in said
    assert await discord_bot.subscriptions.all() == []


def test_the_options_are_checked_like_slacks_text() -> None:
    assert follow_command("diffusion -robotics", " Europe/Berlin ") == Follow(
        ("diffusion", "-robotics"), "Europe/Berlin"
    )
    bad = follow_command("diffusion", "Europe/Berln")
    assert isinstance(bad, Unknown) and "Did you mean Europe/Berlin?" in bad.hint
    assert isinstance(follow_command("author:", None), Unknown)


@pytest.mark.parametrize(
    ("topics", "said"),
    [
        ("stop", "To stop following: `/papers unfollow topic:TOPIC` stops one, `/papers unfollow` all."),
        ("@lecun", "To follow an author, name them after `author:`, such as `/papers follow topics:author:lecun`."),
        (
            "everything",
            "`/papers follow` needs a topic or an author: every paper would be the whole daily list, which"
            " `/papers today` shows.",
        ),
        (
            "2406.12345",
            "“2406.12345” names a paper, not a topic: a topic is words the papers hold (`/papers paper id:2406.12345`"
            " shows that paper, `/papers save id:2406.12345` keeps it)",
        ),
    ],
)
def test_a_follow_refused_says_what_to_give_in_discords_options(topics: str, said: str) -> None:
    """They named Slack's typed commands (`unfollow TOPIC`, `follow author:lecun`), which Discord does not take."""
    assert follow_command(topics, None) == Unknown(f"follow {topics}", said)


@pytest.mark.slow
async def test_the_follow_is_delivered_once_to_the_dm_without_threads(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("follow", {"topics": "agents", "timezone": "Asia/Tokyo"}, channel=DM_ID, in_guild=False)
    await answer(discord_bot, 1)  # at 07:30 UTC on Wednesday 3 June: 16:30 in Tokyo, past 09:00
    follow = await discord_bot.subscriptions.of_person("discord", "", HUMAN_ID)
    assert follow is not None
    await discord_bot.subscriptions.save(replace(follow, since=None))  # made before that morning: it is owed
    delivery = discord_bot.delivery()
    sweeper = Sweeper(
        discord_bot.subscriptions,
        discord_bot.ledger,
        discord_bot.store,
        delivery,
        ScheduleConfig(),
        frozenset({"discord"}),
    )
    now = datetime(2026, 6, 3, 7, 30, tzinfo=UTC)
    results = [r for r in await sweeper.sweep(now) if r.day is not None and r.day.isoformat() == "2026-06-03"]
    assert [r.outcome for r in results] == ["posted"], [r.describe() for r in results]
    posted = fake.posts_in(DM_ID)
    assert posted and "Daily Papers" in posted[0]["content"]
    assert not [s for s in fake.sent if s.path.endswith("/threads")]  # a DM has no threads
    again = await sweeper.sweep(now + timedelta(minutes=1))
    assert all(r.outcome != "posted" for r in again) and len(fake.posts_in(DM_ID)) == len(posted)


async def test_a_question_replying_to_a_card_of_the_direct_message_is_answered_about_its_paper(
    discord_bot: DiscordBot,
) -> None:
    """A direct message has no threads: a Reply to a card names its paper, no mention needed; a question
    that replies to nothing is told how to ask; chatter gets nothing."""
    fake = discord_bot.fake
    assert intents().dm_messages  # else Discord sends the bot no message of a direct message
    card = await deliver_to_the_direct_message(discord_bot)
    before = len(fake.posts_in(DM_ID))
    await fake.mention(DM_ID, "authors please", reply_to=str(card))
    await fake.wait_for(lambda: len(fake.posts_in(DM_ID)) == before + 1)
    answer = json.dumps(fake.posts_in(DM_ID)[-1], ensure_ascii=False)
    assert "Authors" in answer or "authors" in answer
    assert "only discuss papers in their own threads" not in answer
    answer_id = str(fake.stored[DM_ID][-1]["id"])
    await fake.mention(DM_ID, "and the code?", reply_to=answer_id)  # a Reply to the answer: the card's paper still
    await fake.wait_for(lambda: len(fake.posts_in(DM_ID)) == before + 2)
    assert "github.com" in json.dumps(fake.posts_in(DM_ID)[-1]) or "No code" in json.dumps(fake.posts_in(DM_ID)[-1])
    before += 1
    await fake.mention(DM_ID, "thanks, nice one")  # chatter
    await fake.mention(DM_ID, "summary?")  # a question that replies to no card
    await fake.wait_for(lambda: len(fake.posts_in(DM_ID)) == before + 2)
    assert "by replying to its card here" in fake.posts_in(DM_ID)[-1]["content"]
    await fake.mention(DM_ID, "cite 2605.29307 please")  # replies to no card, but names its paper: answered
    await fake.wait_for(lambda: len(fake.posts_in(DM_ID)) == before + 3)
    assert "@misc{salemi2026grepseek" in json.dumps(fake.posts_in(DM_ID)[-1])


async def deliver_to_the_direct_message(bot: DiscordBot) -> str:
    """A personal digest of one paper in ada's direct message with the bot; its card's message id."""
    delivery = bot.delivery()
    assert (
        await delivery.deliver(ChannelRef("discord", DM_ID), DigestOptions(limit=1), date(2026, 6, 1))
    ).outcome == "posted"
    return str(bot.fake.stored[DM_ID][1]["id"])  # the header, then the card


async def test_save_replying_to_a_card_of_the_direct_message_saves_its_paper(discord_bot: DiscordBot) -> None:
    """`save` as a Reply to a personal digest's card went unanswered (no question word, no mention)."""
    fake = discord_bot.fake
    card = await deliver_to_the_direct_message(discord_bot)
    before = len(fake.posts_in(DM_ID))
    await fake.mention(DM_ID, "don't save this one", reply_to=card)  # chatter
    await fake.mention(DM_ID, "save it please", reply_to=card)
    await fake.wait_for(lambda: len(fake.posts_in(DM_ID)) == before + 1)
    assert "Saved “" in fake.posts_in(DM_ID)[-1]["content"]
    saved = await discord_bot.community.lists.saved(Person("discord", "", HUMAN_ID))
    assert [s.arxiv_id for s in saved] == [str(fake.stored[DM_ID][1]["embeds"][0]["url"]).rsplit("/", 1)[-1]]


async def test_the_bookmark_on_a_card_of_the_direct_message_saves_it_for_every_server(discord_bot: DiscordBot) -> None:
    """No vote (a direct message has no channel's votes), and the list is the person's wherever they ask."""
    fake = discord_bot.fake
    assert intents().dm_reactions
    card = await deliver_to_the_direct_message(discord_bot)
    reaction = {"user_id": HUMAN_ID, "channel_id": DM_ID, "message_id": card, "emoji": {"id": None, "name": "🔖"}}
    await fake.dispatch("MESSAGE_REACTION_ADD", reaction | {"burst": False, "type": 0, "message_author_id": BOT_ID})
    ada = Person("discord", "", HUMAN_ID)
    await eventually(lambda: discord_bot.community.lists.saved(ada), "the 🔖 saved")  # the gateway's own time
    await fake.slash("saved", channel=TEXT_ID)  # in the server ada shares with the bot
    await fake.wait_for(lambda: fake.followups())
    assert "empty" not in fake.followups()[-1]["content"]
    assert await discord_bot.community.engagement.top(ChannelRef("discord", DM_ID), None, None, 10) == []
    await fake.slash("unsave", {"id": "2605.29307"}, channel=TEXT_ID)  # and taken off from there
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    assert await discord_bot.community.lists.saved(ada) == []
