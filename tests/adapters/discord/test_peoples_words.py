"""What a person is told on Discord when something is refused or asked of the wrong place: in their words,
Discord's own forms, never the log's line (HTTP statuses, Discord's error text, a channel's id)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import DM_ID, EVERYTHING, MANAGE_CHANNELS, TEXT_ID

STORED = "2605.29307"  # in the June store
NO_MANAGE = str(int(EVERYTHING) & ~MANAGE_CHANNELS & ~(1 << 3) & ~(1 << 5))  # nor Administrator, Manage Server


async def first_followup(bot: DiscordBot) -> str:
    await bot.fake.wait_for(lambda: len(bot.fake.followups()) >= 1)
    return str(bot.fake.followups()[0]["content"])


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (
            403,
            {"message": "Missing Permissions", "code": 50013},
            "I can't post here: the bot's role lacks a permission here: give it Send Messages, Embed Links, Create"
            " Public Threads and Send Messages in Threads in this channel.",
        ),
        (
            400,  # the card as written: it said to try again in a minute (QA s73-community #4)
            {"message": "Invalid Form Body", "code": 50035},
            "Discord refused this paper's card as paperboy wrote it (its length or its layout), so sharing it again"
            " would fail too",
        ),
        (
            400,  # the server's AutoMod: not a fault of paperboy's message, nor to try again (review s73 #3)
            {"message": "Message was blocked by automatic moderation", "code": 200000},
            "This server's AutoMod blocked this paper's card (a word or a link in it): a moderator can allow it.",
        ),
        (
            429,
            None,
            "Discord did not take the post just now: try again in a minute; if it fails again, whoever runs"
            " paperboy can see why in its log.",
        ),
    ],
    ids=["403", "400", "automod", "429"],
)
async def test_a_refused_share_is_said_without_the_logs_codes_and_ids(
    discord_bot: DiscordBot, status: int, body: Any, said: str
) -> None:
    """The Share button's clicker was shown the log's line: "Discord refused a post to discord:1000…020: 400
    Invalid Form Body", "Discord rate-limited discord:1000…020 for 45 s", "403 missing access (…): …"."""
    fake = discord_bot.fake
    if status == 429:
        fake.rate_limit(rf"POST /channels/{TEXT_ID}/messages$", 45.0)
    else:
        fake.fail(rf"POST /channels/{TEXT_ID}/messages$", status, body)
    await fake.click(f"share:{STORED}")
    shown = await first_followup(discord_bot)
    assert shown.startswith(said), shown
    assert TEXT_ID not in shown and str(status) not in shown


@pytest.mark.parametrize("options", [{"topics": "diffusion"}, {}], ids=["with options", "bare"])
async def test_a_member_who_may_not_subscribe_is_told_so_not_to_mend_the_bots_role(
    discord_bot: DiscordBot, options: dict[str, Any]
) -> None:
    """Where the bot's role lacked a permission, a member without Manage Channels was told to give the bot's
    role its permissions and subscribe again: neither is theirs to do."""
    fake = discord_bot.fake
    fake.app_permissions = str(1 << 10)  # the bot may only view the channel
    await fake.slash("subscribe", options, permissions=NO_MANAGE)
    await fake.wait_for(lambda: fake.followups() or fake.answers(4))  # a bare one: the form's opener, at once
    shown = str((fake.followups() or fake.answers(4))[0]["content"])
    assert "you can't subscribe this channel" in shown and "give my role" not in shown, shown


async def test_top_in_a_direct_message_names_discords_command_for_the_reading_list(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("top", {}, channel=DM_ID, in_guild=False)
    shown = await first_followup(discord_bot)
    assert shown.endswith("Your own reading list is `/papers saved`."), shown  # it said Slack's bare `saved`


async def test_a_threads_question_searched_says_how_to_ask_it_on_discord(discord_bot: DiscordBot) -> None:
    """`cite` typed in a paper's thread gets no answer on Discord unless the bot is named (docs/chat.md)."""
    await discord_bot.fake.slash("search", {"topic": "cite"})
    shown = await first_followup(discord_bot)
    assert (
        "Asking about a paper? reply to its card with `cite` (the card's menu › Reply), or mention me with `cite`"
        " in its thread." in shown
    ), shown
