"""PostgreSQL down and back: the store says so in one line while it is down, and works again after,
with nothing lost. A TCP relay on 127.0.0.1 stands between the store and the real server; closing
it (and cutting its connections) is the outage."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.store.engine import create_engine, database_url, migrate
from bot.store.health import database_problem
from bot.store.papers import PaperStore
from tests.conftest import POSTGRES, listings_of
from tests.fakes.postgres import postgres_database

pytestmark = pytest.mark.skipif(not POSTGRES, reason="no PostgreSQL (make test starts one)")


class Relay:
    """Forwards 127.0.0.1:port to the server; `down()` closes it and every connection through it."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.server: asyncio.Server | None = None
        self.port = 0
        self.writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self.server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def down(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.close()
        await self.server.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers |= {writer, up_writer}

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))


@pytest.fixture
async def relayed() -> AsyncIterator[tuple[Relay, str]]:
    assert POSTGRES is not None
    async with postgres_database(POSTGRES) as url:
        parsed = make_url(url)
        relay = Relay(parsed.host or "127.0.0.1", parsed.port or 5432)
        await relay.up()
        yield relay, parsed.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
        with contextlib.suppress(AssertionError):
            await relay.down()


async def test_postgresql_down_and_back(relayed: tuple[Relay, str]) -> None:
    relay, url = relayed
    engine = create_engine(database_url(url, Path(".")))
    try:
        await migrate(engine)
        store = PaperStore(engine)
        first = listings_of("2026-06-01")
        await store.save_listings(first)
        assert await database_problem(engine) is None

        await relay.down()
        problem = await database_problem(engine, within=5)
        assert problem is not None and problem.startswith("database: postgresql") and "\n" not in problem

        await relay.up()  # the same port: the server is back
        assert await database_problem(engine, within=5) is None
        await store.save_listings(listings_of("2026-06-02"))
        counts = await store.counts()
        assert counts.papers >= len({item.paper.arxiv_id for item in first})  # nothing lost, more added
    finally:
        await engine.dispose()
