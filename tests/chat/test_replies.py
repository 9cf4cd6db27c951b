"""The one place that turns a failed answer into what the person is told."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.chat.replies import OOPS, apology, replied
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
