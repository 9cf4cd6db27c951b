"""The Discord handlers under way, so that stopping lets them finish before the store closes.

discord.py runs every gateway event (a vote, a reply in a thread, a button) and every app command
in a task of its own and keeps no hold on it: `Client.close()` returns with them still running.
A handler still writing when paperboy stopped was then cut off by the event loop's end, after the
store's engine had been disposed: its write was lost and its database connection left open for the
garbage collector to find (a ResourceWarning, which in the tests failed whatever test ran next).

Each handler counts its own task here on entry (`hold`); `DiscordRuntime.stop` waits for them
(`drain`), cancels any still running after a few seconds while the store is still open, and only
then closes the client.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger("paperboy.discord")
DRAIN_WAIT = 5.0  # seconds, of paperboy's 10 s to stop


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def hold(self) -> None:
        """Count the running task (a handler's) as under way until it ends."""
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drain(self, within: float = DRAIN_WAIT) -> None:
        """Wait up to `within` seconds for the handlers under way, those that start meanwhile too; then
        cancel the ones still running and wait (as long again at most) for them to wind up."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while pending := self._others():
            left = deadline - loop.time()
            if left <= 0:
                break
            await asyncio.wait(pending, timeout=left)
        stragglers = self._others()
        if not stragglers:
            return
        log.warning("stopping: %d Discord handler(s) still busy after %g s were cancelled", len(stragglers), within)
        for task in stragglers:
            task.cancel()
        await asyncio.wait(stragglers, timeout=within)

    def _others(self) -> set[asyncio.Task[Any]]:
        return self._tasks - {asyncio.current_task()}  # a handler that stops the bot does not wait for itself


class HeldTree(app_commands.CommandTree[discord.Client]):
    """The command tree, counting each app command, context menu and autocomplete it runs as under way."""

    def __init__(self, client: discord.Client, in_flight: InFlight) -> None:
        super().__init__(client)
        self._in_flight = in_flight

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        self._in_flight.hold()  # discord.py calls this first, in the task that runs the command
        return True
