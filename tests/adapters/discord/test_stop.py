"""Stopping the bot lets the handlers under way finish their writes (and answers) before the client
closes and the store is disposed; one still busy after the wait is cancelled while the store is open."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time

import pytest

from adapters.discord.inflight import InFlight
from bot.domain.engagement import Engaged
from tests.adapters.discord.conftest import DiscordBot
from tests.adapters.discord.test_community import BEA, HERE, PAPER, shared


@pytest.mark.slow
async def test_a_reply_being_written_when_the_bot_stops_is_written(discord_bot: DiscordBot) -> None:
    _, thread, _ = await shared(discord_bot)
    await discord_bot.fake.wait_for(lambda: not len(discord_bot.bot.in_flight))  # the share's handler is done
    database = discord_bot.store.engine.url.database
    assert database is not None
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # the store's writes wait for this lock (its busy timeout is 30 s)
        await discord_bot.fake.say(thread, user=BEA)
        deadline = time.monotonic() + 5
        while not len(discord_bot.bot.in_flight):
            assert time.monotonic() < deadline, "the reply never reached the bot"
            await asyncio.sleep(0.01)
        stopping = asyncio.create_task(discord_bot.runtime.stop())
        await asyncio.sleep(0.3)
        assert not stopping.done()  # waiting for the reply's write
        blocker.execute("ROLLBACK")
        await asyncio.wait_for(stopping, 10)
    finally:
        blocker.close()
    assert list(await discord_bot.community.engagement.top(HERE, None, None, 10)) == [Engaged(PAPER, 0, 1)]


@pytest.mark.slow
async def test_the_drain_waits_for_late_starters_and_cancels_stragglers() -> None:
    in_flight = InFlight()
    finished: list[str] = []

    async def handler(name: str, seconds: float) -> None:
        in_flight.hold()
        await asyncio.sleep(seconds)
        finished.append(name)

    quick = asyncio.create_task(handler("quick", 0.05))
    stuck = asyncio.create_task(handler("stuck", 60))
    await asyncio.sleep(0)
    late = asyncio.get_running_loop().call_later(0.1, lambda: asyncio.create_task(handler("late", 0.05)))
    started = time.monotonic()
    await in_flight.drain(within=0.5)
    assert 0.5 <= time.monotonic() - started < 5
    assert sorted(finished) == ["late", "quick"]
    assert quick.done() and stuck.cancelled() and not len(in_flight)
    late.cancel()


async def test_a_handler_that_stops_the_bot_does_not_wait_for_itself() -> None:
    in_flight = InFlight()

    async def handler() -> None:
        in_flight.hold()
        await in_flight.drain(within=5)

    started = time.monotonic()
    await asyncio.wait_for(asyncio.create_task(handler()), 2)
    assert time.monotonic() - started < 1


async def test_a_gateway_session_ended_for_good_while_serving_is_said_in_the_log(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord ends the session for a reason discord.py does not reconnect from (here: the token reset,
    4004); its client stops, and paperboy serves Discord no more: the operator must hear of it then,
    not never (the client's task was only gathered, its error dropped, at the stop)."""
    with caplog.at_level(logging.ERROR, logger="paperboy.discord"):
        for ws in list(discord_bot.fake._sockets):
            await ws.close(code=4004, message=b"Authentication failed.")
        await discord_bot.fake.wait_for(lambda: "the Discord client stopped" in caplog.text)
    assert "4004" in caplog.text
