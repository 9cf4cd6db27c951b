"""The one place that turns a failed answer into what the person is told."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.chat.replies import OOPS, STORE_DOWN, apology, replied
from bot.domain.errors import ChannelUnavailable, StoreError, UsageError


async def test_a_reply_that_works_is_passed_through() -> None:
    async def work() -> str:
        return "here you are"

    assert await replied(work(), "answering", lambda line: f"failed: {line}") == "here you are"


@pytest.mark.parametrize(
    "error",
    [
        UsageError("`top` takes a number from 1 to 50, not 'x'"),
        StoreError("the database at db.example", "did not answer", "try again in a minute"),
        ChannelUnavailable("C1", "channel_not_found"),
    ],
)
async def test_our_own_errors_are_told_in_their_own_words_and_not_logged_as_faults(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    async def work() -> str:
        raise error

    with caplog.at_level(logging.DEBUG, logger="paperboy"):
        said = await replied(work(), "answering", lambda line: f"said: {line}")
    assert said == f"said: {error}"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_fault_of_ours_is_an_apology_and_a_traceback_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    async def work() -> str:
        raise KeyError("the secret internals")

    with caplog.at_level(logging.ERROR, logger="paperboy.chat"):
        said = await replied(work(), "/papers 'today'", lambda line: line)
    assert said == OOPS
    assert "the secret internals" not in said
    [record] = caplog.records
    assert record.getMessage() == "/papers 'today' failed"
    assert record.exc_info is not None and record.exc_info[0] is KeyError


async def test_a_cancelled_answer_stays_cancelled() -> None:
    async def work() -> str:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await replied(work(), "answering", lambda line: line)


def test_the_apology_for_our_own_error_is_its_message() -> None:
    assert apology(UsageError("type a topic"), "answering") == "type a topic"


async def test_a_store_that_refuses_the_work_is_said_so_not_try_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A read-only or damaged store answered "Please try again in a moment", which cannot help, and
    lost the save. A real SQLite refusal, through SQLAlchemy as the store meets it."""
    (tmp_path / "store.db").write_bytes(b"")
    engine = create_async_engine(f"sqlite+aiosqlite:///file:{tmp_path / 'store.db'}?mode=ro&uri=true")

    async def work() -> str:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE saved (paper TEXT)"))
        return "saved"

    try:
        with caplog.at_level(logging.ERROR, logger="paperboy.chat"):
            said = await replied(work(), "saving 2406.12345", lambda line: line)
    finally:
        await engine.dispose()
    assert said == STORE_DOWN and "storage is failing" in said
    assert caplog.records[0].exc_info is not None  # the operator's traceback, in the log


@pytest.mark.parametrize("passing", ["database is locked", "UNIQUE constraint failed: saved.paper"])
async def test_a_lock_held_a_while_or_a_bug_of_ours_is_not_said_as_storage_failing(passing: str) -> None:
    """Trying again helps a lock; a constraint broken is our fault: neither is "my storage is failing"."""
    code = sqlite3.SQLITE_BUSY if "locked" in passing else sqlite3.SQLITE_CONSTRAINT_UNIQUE
    cause = sqlite3.OperationalError(passing)
    cause.sqlite_errorcode = code
    error = OperationalError("INSERT", {}, cause)
    assert apology(error, "saving") == OOPS


async def test_where_the_person_is_the_operator_the_store_fault_is_said_in_its_words() -> None:
    async def work() -> str:
        raise OperationalError("INSERT", {}, Exception("attempt to write a readonly database"))

    def explain(error: Exception) -> str | None:
        return "the store x.db is read-only for this user; make the file writable"

    assert await replied(work(), "saving", lambda line: line, explain) == explain(Exception())
