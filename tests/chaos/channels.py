"""The chaos tests' channels: odd ones on Discord (registered with the fake), even ones on Slack."""

from __future__ import annotations

from bot.domain.channels import ChannelRef
from tests.fakes.discord import FakeDiscord, guild_channel


def mixed_channel(discord: FakeDiscord, i: int, discord_base: int, slack_id: str, name: str) -> ChannelRef:
    """Channel `i`: on Discord (id `discord_base + i`, a text channel of the fake's guild) when odd,
    else the Slack channel `slack_id`."""
    if not i % 2:
        return ChannelRef("slack", slack_id)
    channel_id = str(discord_base + i)
    discord.channels[channel_id] = guild_channel(channel_id, name)
    return ChannelRef("discord", channel_id)
