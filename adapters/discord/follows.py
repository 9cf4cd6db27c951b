"""`/papers follow`, `/papers follows` and `/papers unfollow` on Discord: personal digests, in a
direct message with the bot, at 09:00 in the `timezone` given (UTC until one is, which the answer says)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.chat.commands import Command, Follow, Follows, Unfollow, Unknown, checked_timezone, parse_follow
from bot.domain.errors import UsageError

if TYPE_CHECKING:
    from adapters.discord.app import PaperBot


def follow_command(topics: str, timezone: str | None) -> Command:
    """Discord's options, checked by the same rules as Slack's `follow` text."""
    text = f"follow {topics}".strip()
    command = parse_follow("follow", " ".join(topics.split()), text)
    if isinstance(command, Unknown):  # `topics:stop` was told to type `unfollow TOPIC`, as Slack's text is
        return replace(command, hint=_TYPED.sub(_as_options, command.hint))
    if not isinstance(command, Follow) or not timezone:
        return command
    try:
        return replace(command, timezone=checked_timezone(timezone.strip()))
    except UsageError as exc:
        return Unknown(f"{text} timezone:{timezone}"[:200], str(exc))


_TYPED = re.compile(r"`(follow|unfollow|today|paper|save)(?: ([^`]+))?`")  # a command as Slack's text types it


_OPTIONS = {"follow": " topics:", "unfollow": " topic:", "paper": " id:", "save": " id:"}  # each one's option


def _as_options(typed: re.Match[str]) -> str:
    """A command of a hint as Discord's options give it: `follow diffusion` is `/papers follow topics:diffusion`."""
    command, value = typed[1], typed[2]
    option = _OPTIONS.get(command, " ") if value else ""
    return f"`/papers {command}{option}{value or ''}`"


def add_follow_commands(group: app_commands.Group, bot: PaperBot) -> None:
    @group.command(name="follow", description="Your own daily digest, in a direct message with me, at 09:00")
    @app_commands.describe(
        topics="Topics, separated by commas; -word leaves papers out, author:NAME follows a person",
        timezone="Your IANA time zone, such as Europe/Berlin (default UTC)",
    )
    async def follow(interaction: discord.Interaction, topics: str, timezone: str | None = None) -> None:
        await bot.answer(interaction, follow_command(topics, timezone))

    @group.command(name="follows", description="What you follow")
    async def follows(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Follows())

    @group.command(name="unfollow", description="Stop following a topic (or, without one, everything)")
    @app_commands.describe(topic="One of your follows, as `/papers follows` lists it (empty: all)")
    async def unfollow(interaction: discord.Interaction, topic: str | None = None) -> None:
        typed = " ".join((topic or "").split())  # `topic:all`, `topic:"agents"`: as `unfollow …` typed reads them
        if topic is not None and not typed.strip(" ,;"):  # spaces alone stopped every follow (QA s77)
            blank = "`topic:` names no topic: give the one to stop, or leave `topic:` out to stop every follow."
            await bot.answer(interaction, Unknown(f"unfollow topic:{topic}"[:200], blank))
            return
        await bot.answer(interaction, parse_follow("unfollow", typed, f"unfollow {typed}") if topic else Unfollow())
