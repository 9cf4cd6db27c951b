"""A Discord server removing the bot pauses its channels' digests; adding the bot back resumes them (as an
uninstall and a reinstall do a Slack workspace's)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import discord
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.words import counted
from bot.store.workspaces import SERVER_LEFT, left_servers, pause, resume

log = logging.getLogger("paperboy.discord")


class ServerMembership:
    def __init__(self, engine: AsyncEngine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._clock = clock

    async def left(self, guild: discord.Guild) -> None:
        """Removed from the server (a kick, a ban, the server gone): its digests wait, none tried and refused."""
        paused = await pause(self._engine, "discord", str(guild.id), SERVER_LEFT, _channels(guild))
        if paused:
            log.info(
                "the Discord server %s (%s) removed the bot: %s paused until it is added back",
                guild.id,
                guild.name,
                counted(paused, "digest"),
            )

    async def joined(self, guild: discord.Guild) -> None:
        """Added to the server (again): the digests its leaving paused, or that found it gone, resume."""
        await self._resume(guild, "added the bot again", unseen=True)

    async def present(self, guilds: Sequence[discord.Guild]) -> None:
        """The servers the bot is in when it connects: a pause their leaving left (the bot added back while
        paperboy was down) goes; a channel's own refusal stays, to be met again at its next digest."""
        left = await left_servers(self._engine)  # none, almost always: nothing more is asked
        for guild in (g for g in guilds if left and (str(g.id) in left or left & _channels(g))):
            await self._resume(guild, "has the bot again")

    async def _resume(self, guild: discord.Guild, how: str, *, unseen: bool = False) -> None:
        channels = _channels(guild)
        resumed = await resume(self._engine, "discord", str(guild.id), self._clock(), unseen=unseen, channels=channels)
        if resumed:
            log.info("the Discord server %s (%s) %s: %s resumed", guild.id, guild.name, how, counted(resumed, "digest"))


def _channels(guild: discord.Guild) -> set[str]:
    """The server's channels and threads as the client knows them: a config file's subscription names its
    channel with no server."""
    return {str(c.id) for c in guild.channels} | {str(t.id) for t in guild.threads}
