"""`run`'s log when a job fails: the store's fault in a line, hourly; anything else, its traceback."""

from __future__ import annotations

import logging

import pytest

from bot.app.dispatch import JobFailures

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
