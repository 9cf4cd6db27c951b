"""PAPERBOY_THREADS sizes the pools the search service runs in."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.bootstrap import search_service
from bot.app.settings import load_settings
from bot.host.cpus import usable_cpus
from bot.host.pools import bulk_pool, configure, cpu_pool
from bot.store.engine import create_engine, database_url
from bot.store.papers import PaperStore


async def test_the_threads_setting_sizes_both_pools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_THREADS", "3")
    engine = create_engine(database_url(None, tmp_path))
    try:
        search_service(PaperStore(engine), load_settings())
        assert cpu_pool().threads == 3 and bulk_pool().threads == 3
        assert bulk_pool().nice > cpu_pool().nice
    finally:
        configure(usable_cpus())  # the next tests get the default size back
        await engine.dispose()
    assert cpu_pool().threads == usable_cpus()
