"""Shared fixtures: recorded payloads, a fresh store per test, the fake papers API."""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import ssl
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from hypothesis import settings
from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.models import Listing
from bot.host.cpus import usable_cpus
from bot.ingest.importer import read_file
from bot.search.service import SearchService
from bot.store.engine import create_engine, database_url, migrate
from bot.store.papers import PaperStore
from tests.fakes.papers_api import FIXTURES, FakePapersApi
from tests.fakes.postgres import postgres_database
from tests.fakes.slack import FakeSlack

# Property tests draw the same examples at every run, so that CI never fails on a draw nobody made
# before; HYPOTHESIS_EXPLORE=1 draws fresh ones, to look for new failures (then keep what they find).
# `make check` (HYPOTHESIS_QUICK=1) draws a quarter as many (25 where `make test` draws 100; FAST's 50, not 200).
settings.register_profile("fixed", derandomize=True)
settings.register_profile("quick", derandomize=True, max_examples=25)
settings.register_profile("explore", derandomize=False)
settings.load_profile(
    "explore" if os.environ.get("HYPOTHESIS_EXPLORE") else "quick" if os.environ.get("HYPOTHESIS_QUICK") else "fixed"
)

CURRENT = FIXTURES / "hf_daily_papers" / "current_2026-06_to_2026-08"
SHAPES = FIXTURES / "hf_daily_papers" / "shape_history"
BROKEN = SHAPES / "BROKEN_python-repr_2024-12-11.json"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`pytest -n auto` (`make check`): one worker per CPU this process may use (its affinity and any
    cgroup quota), not one per host core."""
    return usable_cpus()


POSTGRES = os.environ.get("PAPERBOY_TEST_POSTGRES_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES, reason="no PostgreSQL (make test starts one; see scripts/with-postgres.sh)"
        ),
    ),
]


_TLS = ssl.create_default_context()  # loaded once: each load of the CA bundle costs ~25 ms


def local_client(**options: object) -> httpx.AsyncClient:
    """An HTTP client for the servers tests run on 127.0.0.1, sharing one TLS context."""
    return httpx.AsyncClient(verify=_TLS, **options)  # type: ignore[arg-type]


def child_env() -> dict[str, str]:
    """The environment for a paperboy child process: none of ours leaks in, and search is
    keyword-only unless a test turns embeddings on (as `keyword_search_by_default` does here)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOY_", "SLACK_", "DISCORD_"))}
    env["PAPERBOY_EMBEDDINGS"] = "0"
    return env


@pytest.fixture(autouse=True)
def keyword_search_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests exercise everything but the embedding model and would spend minutes embedding their
    fixtures; the hybrid tests (tests/search/test_hybrid*.py) turn it on for themselves."""
    monkeypatch.setenv("PAPERBOY_EMBEDDINGS", "0")


@asynccontextmanager
async def backend(name: str) -> AsyncIterator[str | None]:
    """The database URL for a backend: None (the default SQLite file) or a new PostgreSQL database."""
    if name == "sqlite":
        yield None
        return
    assert POSTGRES is not None
    async with postgres_database(POSTGRES) as url:
        yield url


@asynccontextmanager
async def store_engine(name: str, folder: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty store of backend `name` (SQLite in `folder`, or a new PostgreSQL database),
    not migrated; disposed of after."""
    async with backend(name) as url:
        engine = create_engine(database_url(url, folder))
        try:
            yield engine
        finally:
            await engine.dispose()


@asynccontextmanager
async def upgraded(name: str, folder: Path, *prepare: Callable[[Connection], None]) -> AsyncIterator[AsyncEngine]:
    """An engine on a store of backend `name` that `prepare` brought to an older revision (and filled),
    then migrated to the newest: what an upgrade finds."""
    async with store_engine(name, folder) as engine:
        async with engine.begin() as connection:
            for step in prepare:
                await connection.run_sync(step)
        await migrate(engine)
        yield engine


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where SQLite stores built once a session wait to be copied into the tests that ask for them."""
    return tmp_path_factory.mktemp("templates")


async def sqlite_copy(
    template: Path, into: Path, fill: Callable[[PaperStore], Awaitable[None]] | None = None, *, indexed: bool = False
) -> AsyncEngine:
    """A SQLite store in `into`, copied from the one in `template`, which the first call migrates and
    fills. A copy is the same file a fresh build makes, at a fraction of the cost (alembic runs once).
    `indexed`: the first call also builds the template's search index, which `search_over` opens a
    copy of for each search over the copy, as a restart opens its own (a seventh of building it)."""

    async def build(folder: Path) -> None:
        engine = create_engine(database_url(None, folder))
        try:
            await migrate(engine)
            if fill is not None:
                await fill(PaperStore(engine))
            if indexed:
                search = SearchService(PaperStore(engine), folder=folder / INDEX)
                await search.index()
                await search.close()
        finally:
            await engine.dispose()  # the last connection closed: SQLite folds its WAL into the file

    await copy_of_template(template, into, build)
    if indexed and (template / INDEX).exists():  # (a template first built without one is searched as any store)
        _INDEXED[_store_file(into)] = template / INDEX
    engine = create_engine(database_url(None, into))
    await migrate(engine)  # nothing to do on a copy at the newest revision; proves it is one
    return engine


INDEX = "search"  # the index's folder in a data dir, as `paperboy run` keeps it (bot/app/bootstrap.py)
_INDEXED: dict[Path, Path] = {}  # a store copied from a template with an index: the template's index


def search_over(store: PaperStore) -> SearchService:
    """The real search over `store`. Over a copy of a template built `indexed` (`june_store`), its index
    is opened from a copy of the template's and caught up with the store, the path of every restart;
    over any other store it is built in memory from the store."""
    database = Path(store.engine.url.database or "")
    template = _INDEXED.get(database)
    if template is None:
        return SearchService(store)
    folder = Path(tempfile.mkdtemp(prefix="search-", dir=database.parent))
    for file in template.iterdir():  # linked, not copied: nothing writes an index's file again, a new one
        # replaces it (tantivy's segments are written once, its meta and `registry.npz` renamed over); each
        # copy makes its own lock files, which tantivy locks
        if file.suffix != ".lock":
            os.link(file, folder / file.name)
    return SearchService(store, folder=folder)


async def copy_of_template(template: Path, into: Path, build: Callable[[Path], Awaitable[None]]) -> None:
    """Copy into `into` the SQLite store that `build` made in a data dir of its own, the first time."""
    if not _store_file(template).exists():
        building = _fresh_folder(template.with_name(template.name + ".building"))
        await build(building)
        _move_store(building, template)
    _copy_store(template, into)


@asynccontextmanager
async def disposed_with_nothing_open(engine: AsyncEngine) -> AsyncIterator[None]:
    """Disposes `engine` on the way out, and fails if a database connection it opened is still open
    then, or a task the test started is still running (a bot's handler, a background write, a
    respelling left behind by a failed search): it was, or could yet be, using the store.
    The event loop's end would cut that off and leave the connection to the garbage collector, whose
    ResourceWarning would fail whichever later test it happened to land in."""
    opened: dict[int, object] = {}

    def connected(dbapi_connection: object, _record: object) -> None:
        opened[id(dbapi_connection)] = dbapi_connection

    def closed(dbapi_connection: object, *_record: object) -> None:
        opened.pop(id(dbapi_connection), None)

    event.listen(engine.sync_engine, "connect", connected)
    event.listen(engine.sync_engine, "close", closed)
    event.listen(engine.sync_engine, "close_detached", closed)
    try:
        yield
    finally:
        running = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
        await engine.dispose()
    assert not running, f"still running when the test ended (the loop's end would cut them off): {running}"
    assert not opened, f"{len(opened)} database connection(s) still in use when the test ended: {list(opened.values())}"


def _store_file(folder: Path) -> Path:
    name = database_url(None, folder).database
    assert name is not None
    return Path(name)


def _fresh_folder(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)  # a build that failed half-way is not a template
    path.mkdir()
    return path


def _move_store(built: Path, template: Path) -> None:
    template.mkdir(exist_ok=True)
    if (built / INDEX).exists():
        os.replace(built / INDEX, template / INDEX)
    os.replace(_store_file(built), _store_file(template))  # last: a template is whole once its store is there
    shutil.rmtree(built)


def _copy_store(template: Path, into: Path) -> None:
    shutil.copyfile(_store_file(template), _store_file(into))


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path, templates: Path) -> AsyncIterator[PaperStore]:
    """A fresh, migrated store on each backend: SQLite in a temp dir, PostgreSQL in a new database."""
    async with backend(request.param) as url:
        if url is None:
            engine = await sqlite_copy(templates / "empty", tmp_path)
        else:
            engine = create_engine(database_url(url, tmp_path))
            await migrate(engine)
        async with disposed_with_nothing_open(engine):
            yield PaperStore(engine)


@pytest.fixture
def fake_api() -> FakePapersApi:
    return FakePapersApi.recorded()


@pytest.fixture
async def client(fake_api: FakePapersApi) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=fake_api.transport(), base_url="https://huggingface.co") as c:
        yield c


def day_file(day: str) -> Path:
    return CURRENT / f"{day}.json"


def listings_of(day: str) -> list[Listing]:
    return list(_recorded(day))


@functools.cache
def _recorded(day: str) -> tuple[Listing, ...]:
    """A recorded day's listings, read once a session (they are immutable)."""
    return tuple(read_file(day_file(day)))


class Sleeps:
    """A stand-in for asyncio.sleep that records what it was asked to wait and returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    assert not fake.refused, f"answers Slack would have refused: {fake.refused}"


async def save_june(store: PaperStore) -> None:
    """The recorded listings of 1, 2 and 3 June 2026, saved in `store`."""
    for day in ("2026-06-01", "2026-06-02", "2026-06-03"):
        await store.save_listings(listings_of(day))


@pytest.fixture
def digest_limit() -> int:
    """The config file's `[digest] limit` for the chat adapters under test (parametrize to change it)."""
    return 5


@pytest.fixture
async def june_store(tmp_path: Path, templates: Path) -> AsyncIterator[PaperStore]:
    """A SQLite store holding the recorded listings of 1, 2 and 3 June 2026 (for the chat adapters)."""
    engine = await sqlite_copy(templates / "june", tmp_path, save_june, indexed=True)
    async with disposed_with_nothing_open(engine):
        yield PaperStore(engine)
