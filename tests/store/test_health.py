"""`database_problem`: None while the store answers, one credential-free line when it does not."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from adapters.slack.app import SlackRuntime, create_app, slack_client
from adapters.slack.publisher import SlackPublisher
from bot.store.engine import create_engine, database_url, migrate
from bot.store.health import database_problem
from bot.store.papers import PaperStore
from tests.conftest import local_client


async def test_a_working_store_is_healthy(store: PaperStore) -> None:
    assert await database_problem(store.engine) is None


async def test_a_corrupt_sqlite_file_is_named(tmp_path: Path) -> None:
    engine = create_engine(database_url(None, tmp_path))
    await migrate(engine)
    await engine.dispose()
    (tmp_path / "paperboy.db").write_bytes(b"this is not a database" * 500)
    for extra in ("paperboy.db-wal", "paperboy.db-shm"):
        (tmp_path / extra).unlink(missing_ok=True)
    engine = create_engine(database_url(None, tmp_path))
    problem = await database_problem(engine)
    await engine.dispose()
    assert problem is not None and problem.startswith("database: sqlite cannot be read") and "\n" not in problem


async def test_an_unreachable_postgresql_is_named_without_its_password() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the check: nothing listens there
    engine = create_engine(database_url(f"postgresql://bot:hunter2@127.0.0.1:{port}/papers", Path(".")))
    problem = await database_problem(engine, within=5)
    await engine.dispose()
    assert problem is not None and problem.startswith("database: postgresql cannot be read")
    assert "hunter2" not in problem


@pytest.mark.slow
async def test_healthz_reports_the_failing_part(tmp_path: Path) -> None:
    said: list[str | None] = [None]

    async def health() -> str | None:
        return said[0]

    client = slack_client("xoxb-test", "http://127.0.0.1:9/api/")
    app = create_app(None, client, "s3cret", SlackPublisher(client))  # type: ignore[arg-type]
    runtime = SlackRuntime(app, signing_secret="s3cret", port=0, host="127.0.0.1", health=health)
    await runtime.start()
    try:
        async with local_client() as http:
            url = f"http://127.0.0.1:{runtime.port}/healthz"
            ok = await http.get(url)
            said[0] = "database: sqlite cannot be read (DatabaseError: file is not a database)"
            failing = await http.get(url)
        assert (ok.status_code, ok.text) == (200, "ok")
        assert failing.status_code == 503 and failing.text.startswith("database: sqlite cannot be read")
    finally:
        await runtime.stop()
