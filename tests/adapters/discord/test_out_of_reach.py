"""A Discord out of reach when `paperboy run` starts: said in one line naming where, tried again in the
background while the rest of `run` goes on, and served once it answers. It was `run`'s exit 1, which took
the deployment's Slack and terminal digests down with it until a restart."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from datetime import date

import discord
import pytest
import yarl

from adapters.discord import connection
from adapters.discord.app import PaperBot
from adapters.discord.connection import DiscordRuntime
from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.errors import ConfigError
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.chat.world import chat_service
from tests.conftest import search_over
from tests.fakes.discord import GUILD_ID, TEXT_ID, FakeDiscord

JUNE_1 = date(2026, 6, 1)


def nowhere(scheme: str) -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"{scheme}://127.0.0.1:{s.getsockname()[1]}/"


@pytest.fixture
async def silent() -> AsyncIterator[str]:
    """A gateway on 127.0.0.1 that takes the connection and never says a word."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture(autouse=True)
def soon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connection, "FIRST_TRY_AGAIN_S", 0.2)


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["gateway", "api"])
async def test_a_discord_out_of_reach_at_start_is_said_then_served_once_it_answers(
    fake_discord: FakeDiscord,
    june_store: PaperStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    missing: str,
) -> None:
    dead = nowhere("ws" if missing == "gateway" else "http")
    if missing == "gateway":  # logged in over REST, then nothing listened at the gateway
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(dead))
        said = "connecting to its gateway (PAPERBOY_DISCORD_GATEWAY_URL, where set): Discord could not be reached at"
    else:
        monkeypatch.setattr(discord.http.Route, "BASE", dead.rstrip("/"))
        said = "logging in: Discord could not be reached at"
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    ledger = Ledger(june_store.engine)
    delivery = DigestDelivery(
        june_store, search_over(june_store), ledger, SubscriptionStore(june_store.engine), {"discord": bot.publisher}
    )
    text = ChannelRef("discord", TEXT_ID)
    caplog.set_level(logging.INFO, logger="discord.client")
    with caplog.at_level(logging.INFO, logger="paperboy.discord"):
        await runtime.start(within=20)  # returns: the rest of `run` goes on
        try:
            assert runtime.described == "Discord (out of reach: trying again)"
            ours = [r for r in caplog.records if r.name == "paperboy.discord" and r.levelno >= logging.WARNING]
            [line] = [r.getMessage() for r in ours]
            assert line.startswith(f"{said} {dead.rstrip('/') if missing == 'api' else dead} (the connection failed)")
            assert "paperboy runs on without Discord, and tries again in 0 s" in line
            failed = await delivery.deliver(text, DigestOptions(limit=2), JUNE_1)  # failed, so tried again
            assert failed.outcome == "failed", failed
            assert failed.reason is not None
            assert "Discord has been out of reach since paperboy started" in failed.reason
            assert failed.reason.endswith("; posted once it answers")
            assert fake_discord.posts_in(TEXT_ID) == []
            monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake_discord.gateway_url))
            monkeypatch.setattr(discord.http.Route, "BASE", fake_discord.api_url)
            await fake_discord.wait_for(lambda: bot.is_ready() and bot.publisher.offline is None, within=30)
            assert runtime.described == "Discord (as paperboy)"
            assert "Discord is reached now: it is served from here on" in caplog.messages
            await fake_discord.slash("search", {"topic": "diffusion"})  # its events are dispatched again
            await fake_discord.wait_for(lambda: fake_discord.followups(), within=30)
            assert "Papers on “diffusion”" in fake_discord.followups()[0]["content"]
            posted = await delivery.deliver(text, DigestOptions(limit=2), JUNE_1)
            assert posted.outcome == "posted", posted
            assert len(fake_discord.posts_in(TEXT_ID)) == 3
            # discord.py's own lines of each try: its login said at the first alone, its false "reconnect in 1s" never
            theirs = [r.getMessage() for r in caplog.records if r.name == "discord.client"]
            assert [said for said in theirs if said.startswith("logging in")] == ["logging in using static token"]
            assert not [said for said in theirs if "reconnect" in said]
        finally:
            await runtime.stop()
    assert bot.is_closed()


async def test_a_refused_token_still_stops_the_start(fake_discord: FakeDiscord, june_store: PaperStore) -> None:
    fake_discord.fail(r"GET /users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    runtime = DiscordRuntime(PaperBot(chat_service(june_store)), "fake-token", "[discord] token in paperboy.toml")
    with pytest.raises(ConfigError, match=r"Discord refused \[discord\] token in paperboy.toml \(401\)"):
        await runtime.start(within=10)
    await runtime.stop()


async def test_a_stop_while_trying_again_ends_at_once(
    fake_discord: FakeDiscord, june_store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "FIRST_TRY_AGAIN_S", 60.0)
    monkeypatch.setattr(discord.http.Route, "BASE", nowhere("http").rstrip("/"))
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    assert bot.publisher.offline is not None
    await runtime.stop()  # not waiting the minute for the next try
    assert bot.is_closed()


@pytest.mark.slow
async def test_a_gateway_that_takes_the_connection_and_says_nothing_is_tried_again(
    fake_discord: FakeDiscord, june_store: PaperStore, monkeypatch: pytest.MonkeyPatch, silent: str
) -> None:
    """It was taken for a slow READY: "served once ready", then discord.py's own timeout ended the client,
    and nothing tried again: Discord unserved until a restart by hand."""
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(silent))
    bot = PaperBot(chat_service(june_store), guild_ready_timeout=0.05)
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=1)
    try:
        assert bot.publisher.offline is not None
        assert (
            f"Discord did not say it is ready within 1 s (logging in at {fake_discord.api_url}" in bot.publisher.offline
        )
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake_discord.gateway_url))
        await fake_discord.wait_for(lambda: bot.is_ready() and bot.publisher.offline is None, within=30)
        await fake_discord.wait_for(lambda: bot.get_guild(int(GUILD_ID)) is not None)  # its READY seen through
    finally:
        await runtime.stop()


@pytest.mark.slow
async def test_commands_are_registered_once_whatever_the_logins(
    fake_discord: FakeDiscord, june_store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each login runs `setup_hook`: a second one registered the server's `/papers` for direct messages
    only (the first had marked the global copy so), and every try again synced the commands anew."""
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(nowhere("ws")))
    bot = PaperBot(chat_service(june_store), guilds=(int(GUILD_ID),))
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)  # logged in and registered, then the gateway out of reach
    try:
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake_discord.gateway_url))
        await fake_discord.wait_for(lambda: bot.is_ready() and bot.publisher.offline is None, within=30)
    finally:
        await runtime.stop()
    logins = [s for s in fake_discord.sent if s.method == "GET" and s.path == "/users/@me"]
    synced = [s for s in fake_discord.sent if s.method == "PUT" and s.path.endswith("/commands")]
    assert len(logins) == 2
    assert [s.path.split("/")[-3] for s in synced] == ["guilds", "applications"]  # a server's, then global
    [in_guild] = synced[0].body
    assert in_guild.get("contexts") in (None, [0, 1, 2])


@pytest.mark.slow
async def test_a_token_refused_on_a_try_again_is_said_as_what_fails_the_posts(
    fake_discord: FakeDiscord, june_store: PaperStore
) -> None:
    """The posts kept failing as "out of reach … posted once it answers", which it never would."""
    fake_discord.fail(r"GET /users/@me", 503, {"message": "down"})
    fake_discord.fail(r"GET /users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    try:
        await fake_discord.wait_for(lambda: bot.publisher.offline and "401" in bot.publisher.offline, within=30)
        assert bot.publisher.offline == (
            "Discord refused DISCORD_TOKEN (401): check the bot token;"
            " Discord is not served until paperboy is restarted"
        )
    finally:
        await runtime.stop()


@pytest.mark.slow
async def test_a_stop_during_a_try_that_hangs_leaves_nothing_running(
    fake_discord: FakeDiscord, june_store: PaperStore, monkeypatch: pytest.MonkeyPatch, silent: str
) -> None:
    """The try's wait for READY was left pending (the store's fixture fails a test that leaves a task)."""
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(silent))
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=0.5)
    await asyncio.sleep(0.5)  # the try again under way (after 0.2 s), hanging on the silent gateway
    await runtime.stop()
    assert bot.is_closed()
