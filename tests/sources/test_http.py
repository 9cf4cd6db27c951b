from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.domain.errors import SourceDataError, SourceError, SourceUnavailable
from bot.sources import http
from tests.conftest import Sleeps

URL = "https://huggingface.co/api/daily_papers"


def scripted(*answers: httpx.Response | Exception) -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    queue = list(answers)
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.AsyncClient(transport=httpx.MockTransport(handle)), seen


async def test_429_waits_as_long_as_retry_after_says(sleeps: Sleeps) -> None:
    client, seen = scripted(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json=[]))
    async with client:
        response = await http.get(client, URL, source="Hugging Face", sleep=sleeps)
    assert response.status_code == 200
    assert len(seen) == 2
    assert sleeps.waits == [7.0]


@pytest.mark.parametrize("asked", ["0", "-5"])
async def test_a_retry_after_of_no_time_waits_our_own_pause(sleeps: Sleeps, asked: str) -> None:
    """`Retry-After: 0` (or -5) was taken at its word: four requests at once to a server rate-limiting us."""
    answers = [httpx.Response(429, headers={"Retry-After": asked}) for _ in range(3)] + [httpx.Response(200, json=[])]
    client, seen = scripted(*answers)
    async with client:
        response = await http.get(client, URL, source="Hugging Face", sleep=sleeps)
    assert response.status_code == 200 and len(seen) == 4
    assert len(sleeps.waits) == 3 and all(wait >= http.RetryPolicy().backoff for wait in sleeps.waits)


async def test_500_then_success_backs_off_and_succeeds(sleeps: Sleeps) -> None:
    client, seen = scripted(httpx.Response(500), httpx.Response(503), httpx.Response(200, json=[1]))
    async with client:
        response = await http.get(client, URL, source="Hugging Face", sleep=sleeps)
    assert response.content == b"[1]"
    assert len(seen) == 3
    assert len(sleeps.waits) == 2 and all(0 < w <= 20 for w in sleeps.waits)


async def test_server_errors_that_persist_name_the_source_and_status(sleeps: Sleeps) -> None:
    client, seen = scripted(*[httpx.Response(502) for _ in range(4)])
    async with client:
        with pytest.raises(SourceError) as caught:
            await http.get(client, URL, source="Hugging Face", sleep=sleeps)
    assert len(seen) == 4
    assert caught.value.status == 502 and caught.value.source == "Hugging Face"
    assert str(caught.value) == "Hugging Face (HTTP 502): server error after 4 attempts; try again later"


async def test_timeouts_are_retried_then_reported_as_unavailable(sleeps: Sleeps) -> None:
    client, seen = scripted(*[httpx.ReadTimeout("slow") for _ in range(3)])
    async with client:
        with pytest.raises(SourceUnavailable, match="did not answer in time, in 3 attempts: try again later; check"):
            await http.get(client, URL, source="arXiv", policy=http.RetryPolicy(attempts=3), sleep=sleeps)
    assert len(seen) == 3


async def test_a_timeout_then_success_is_invisible(sleeps: Sleeps) -> None:
    client, _ = scripted(httpx.ConnectTimeout("slow"), httpx.Response(200, json=[]))
    async with client:
        assert (await http.get(client, URL, source="arXiv", sleep=sleeps)).status_code == 200


async def test_refused_connections_say_cannot_connect(sleeps: Sleeps) -> None:
    client, _ = scripted(httpx.ConnectError("refused"))
    async with client:
        with pytest.raises(SourceUnavailable, match="cannot connect"):
            await http.get(client, URL, source="Hugging Face", policy=http.RetryPolicy(attempts=1), sleep=sleeps)


@pytest.mark.parametrize(("status", "what"), [(429, "rate limited"), (503, "unavailable")])
async def test_a_retry_after_longer_than_we_wait_fails_at_once(sleeps: Sleeps, status: int, what: str) -> None:
    client, seen = scripted(httpx.Response(status, headers={"Retry-After": "3600"}))
    async with client:
        said = f"{what}; asked to wait 3600 s, more than the 120 s we wait: try again in about 60 minutes"
        with pytest.raises(SourceError, match=said) as caught:
            await http.get(client, URL, source="Hugging Face", sleep=sleeps)
    assert caught.value.status == status and len(seen) == 1 and sleeps.waits == []


async def test_a_long_wait_asked_for_is_said_in_hours(sleeps: Sleeps) -> None:
    client, _ = scripted(httpx.Response(429, headers={"Retry-After": "7200"}))
    async with client:
        with pytest.raises(SourceError, match="we wait: try again in about 2 hours$"):
            await http.get(client, URL, source="Hugging Face", sleep=sleeps)


async def test_other_client_errors_are_returned_not_retried(sleeps: Sleeps) -> None:
    client, seen = scripted(httpx.Response(404))
    async with client:
        assert (await http.get(client, URL, source="Hugging Face", sleep=sleeps)).status_code == 404
    assert len(seen) == 1


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert http.retry_after_seconds("12") == 12.0
    assert http.retry_after_seconds(None) is None
    assert http.retry_after_seconds("soon") is None
    assert http.retry_after_seconds("1e400") is None and http.retry_after_seconds("nan") is None  # not a wait
    assert http.retry_after_seconds("Thu, 01 Jan 2026 00:00:30 GMT", now=1767225600.0) == pytest.approx(30.0)


def trickling(body: bytes, every: float) -> httpx.Response:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(len(body)):
            yield body[i : i + 1]
            await asyncio.sleep(every)

    return httpx.Response(200, content=chunks())


@pytest.mark.slow
async def test_a_trickling_body_is_cut_off_at_the_deadline(sleeps: Sleeps) -> None:
    client, seen = scripted(trickling(b"[" + b"1," * 500 + b"1]", 0.01), trickling(b"[1]" * 100, 0.01))
    limits = http.Limits(deadline=0.2)
    started = time.monotonic()
    async with client:
        with pytest.raises(SourceUnavailable) as caught:
            await http.get(
                client, URL, source="arXiv", policy=http.RetryPolicy(attempts=2), limits=limits, sleep=sleeps
            )
    assert time.monotonic() - started < 2.5  # two deadlines of 0.2 s; the whole trickle would take over 10 s
    assert len(seen) == 2
    assert str(caught.value) == (
        "arXiv: no complete answer from https://huggingface.co within 0.2 s (the deadline for one request) in 2"
        " attempts: try again later; check the network and PAPERBOY_ARXIV_URL, or set PAPERBOY_OFFLINE=1 to work"
        " from the store alone"
    )


async def test_a_slow_but_timely_body_is_read_whole(sleeps: Sleeps) -> None:
    client, _ = scripted(trickling(b"[1,2]", 0.01))
    async with client:
        reply = await http.get(client, URL, source="arXiv", limits=http.Limits(deadline=2.0), sleep=sleeps)
    assert reply.content == b"[1,2]"


async def test_an_answer_larger_than_we_read_is_refused(sleeps: Sleeps) -> None:
    client, seen = scripted(httpx.Response(200, content=b"x" * 2000))
    async with client:
        with pytest.raises(SourceDataError, match=r"the answer is larger than 1,000 bytes, more than we read"):
            await http.get(client, URL, source="Hugging Face", limits=http.Limits(max_bytes=1000), sleep=sleeps)
    assert len(seen) == 1


async def test_a_connection_broken_mid_answer_says_so(sleeps: Sleeps) -> None:
    client, _ = scripted(httpx.RemoteProtocolError("peer closed connection without sending complete message body"))
    async with client:
        cut = r"the connection to https?://\S+ broke off \(the answer was cut short\); try again later"
        with pytest.raises(SourceUnavailable, match=cut):
            await http.get(client, URL, source="arXiv", policy=http.RetryPolicy(attempts=1), sleep=sleeps)
