"""Review probes (temporary)."""
from __future__ import annotations

import asyncio
import gc
import logging
import socket
import time

import discord
import pytest
import yarl

from adapters.discord import connection
from adapters.discord.app import PaperBot
from adapters.discord.connection import DiscordRuntime
from tests.chat.world import chat_service
from tests.fakes.discord import GUILD_ID, TEXT_ID, FakeDiscord


def nowhere(scheme: str) -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"{scheme}://127.0.0.1:{s.getsockname()[1]}/"


@pytest.fixture(autouse=True)
def soon(monkeypatch):
    monkeypatch.setattr(connection, "FIRST_TRY_AGAIN_S", 0.2)


async def test_probe_guild_commands_after_a_second_login(fake_discord, june_store, monkeypatch):
    """gateway dead at the first try; logged in twice: what the guild's command registration says."""
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(nowhere("ws")))
    bot = PaperBot(chat_service(june_store), guilds=(int(GUILD_ID),), guild_ready_timeout=0.05)
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    assert bot.publisher.offline is not None
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake_discord.gateway_url))
    await fake_discord.wait_for(lambda: bot.is_ready() and bot.publisher.offline is None, within=30)
    synced = [(s.path, s.body) for s in fake_discord.sent if s.method == "PUT" and s.path.endswith("/commands")]
    for path, body in synced:
        print("PUT", path, [(c["name"], c.get("contexts")) for c in body])
    await runtime.stop()
    guild_puts = [b for p, b in synced if "/guilds/" in p]
    assert guild_puts[-1][0].get("contexts") in (None, [0, 1, 2]), guild_puts[-1][0].get("contexts")


async def test_probe_many_failed_tries_then_stop(fake_discord, june_store, monkeypatch, recwarn):
    """several failed tries (gateway dead, then api dead), then stop: sessions / connectors / tasks."""
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(nowhere("ws")))
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    sessions = []
    orig = bot.http.static_login

    async def spy(token):
        try:
            return await orig(token)
        finally:
            sessions.append((bot.http._HTTPClient__session, bot.http.connector))

    bot.http.static_login = spy
    await runtime.start(within=10)
    await asyncio.sleep(4)
    monkeypatch.setattr(discord.http.Route, "BASE", nowhere("http").rstrip("/"))
    await asyncio.sleep(3)
    await runtime.stop()
    await asyncio.sleep(0.1)
    print("tries:", len(sessions))
    for s, c in sessions:
        print("session closed", s.closed, "connector closed", c.closed if c is not discord.utils.MISSING else "MISSING")
    gc.collect()
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    print("pending tasks:", pending)
    print("warnings:", [str(w.message) for w in recwarn])
    assert all(s.closed for s, _ in sessions)


async def test_probe_stop_during_a_hung_login(fake_discord, june_store, monkeypatch):
    """A try in progress (the API accepts and never answers) when stop() comes."""
    async def hang(reader, writer):
        await asyncio.sleep(3600)
    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", nowhere("http").rstrip("/"))
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    await asyncio.sleep(1.0)  # the try at 0.2 s is under way, hung
    t = time.monotonic()
    await asyncio.wait_for(runtime.stop(), 30)
    print("stop took %.2f s" % (time.monotonic() - t))
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    print("pending after stop:", pending)
    server.close()
    assert not [p for p in pending if "wait_until_ready" in repr(p)], pending


async def test_probe_401_on_a_later_try(fake_discord, june_store, caplog):
    fake_discord.fail(r"GET /users/@me", 503, {"message": "down"})
    fake_discord.fail(r"GET /users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    bot = PaperBot(chat_service(june_store))
    runtime = DiscordRuntime(bot, "fake-token")
    with caplog.at_level(logging.INFO):
        await runtime.start(within=10)
        await asyncio.sleep(1.5)
        print("offline:", bot.publisher.offline)
        print("described:", runtime.described)
        for r in caplog.records:
            if r.name.startswith(("paperboy", "discord")):
                print(r.levelname, r.name, r.getMessage()[:300])
        try:
            await bot.publisher.post_message(TEXT_ID, __import__("adapters.discord.render", fromlist=["Message"]).Message(content="x"))
        except Exception as exc:
            print("post:", type(exc).__name__, exc)
    await runtime.stop()
