"""`run`'s log when a job fails: the store's fault in a line, hourly; anything else, its traceback."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.app.dispatch import JobFailures, SyncLog
from bot.app.settings import Settings, store_explained
from bot.domain.errors import SourceUnavailable

FULL = "the store /data/paperboy.db cannot grow: its disk is full; free some space there"


def explain(error: Exception) -> str | None:
    return FULL if isinstance(error, OSError) else None


def test_the_stores_fault_is_one_line_said_once_while_it_lasts(caplog: pytest.LogCaptureFixture) -> None:
    """A full disk was a 118-line SQLAlchemy traceback at every tick, naming no fix."""
    failures = JobFailures(explain)
    with caplog.at_level(logging.ERROR, logger="paperboy"):
        for _ in range(5):
            failures.say("the sweep of daily digests", OSError("database or disk is full"))
    [record] = caplog.records
    assert record.getMessage().startswith(f"the sweep of daily digests failed: {FULL}")
    assert record.exc_info is None


def test_a_fault_of_ours_keeps_its_traceback_each_time(caplog: pytest.LogCaptureFixture) -> None:
    failures = JobFailures(explain)
    with caplog.at_level(logging.ERROR, logger="paperboy"):
        for _ in range(2):
            try:
                raise KeyError("a bug")
            except KeyError as exc:
                failures.say("the sync", exc)
    assert [r.exc_info is not None for r in caplog.records] == [True, True]


def test_a_sync_that_keeps_failing_is_said_hourly_and_its_return_once(caplog: pytest.LogCaptureFixture) -> None:
    """Hugging Face down: "sync of … failed" at every sync (each 15 minutes) for hours, and nothing said
    when it answered again but "synced 15 new listings"."""
    said = SyncLog()
    down = SourceUnavailable("Hugging Face", "server error after 4 attempts; try again later", status=500)
    t0 = datetime(2026, 12, 2, 9, tzinfo=UTC)
    with caplog.at_level(logging.INFO, logger="paperboy"):
        for quarter in range(6):  # 90 minutes down
            said.refused(down, t0 + timedelta(minutes=15 * quarter))
        said.synced(15, {}, t0 + timedelta(minutes=90))
        said.synced(0, {}, t0 + timedelta(minutes=105))  # nothing new, nothing wrong: nothing said
    lines = [r.getMessage() for r in caplog.records]
    assert [line.split(" (")[0] for line in lines] == [
        "sync failed, trying again at the next one",  # at 09:00
        "sync failed, trying again at the next one",  # at 10:00
        "the sync works again: 15 new listings",
    ]


def test_a_bug_of_ours_in_sql_is_not_explained_away_as_the_stores_fault(tmp_path: Path) -> None:
    """Every SQLite error was "the store failed unexpectedly": in `run`'s log, one line an hour, its
    traceback gone; a constraint broken or a column missing is ours to see whole."""
    explain = store_explained(Settings(data_dir=tmp_path))
    bug = sqlite3.IntegrityError("UNIQUE constraint failed: saved.paper")
    bug.sqlite_errorcode = sqlite3.SQLITE_CONSTRAINT_UNIQUE
    assert explain(IntegrityError("INSERT", {}, bug)) is None
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    said = explain(OperationalError("INSERT", {}, full))
    assert said is not None and "cannot grow: its disk is full" in said
