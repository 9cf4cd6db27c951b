"""The door of HTTP mode: unsigned, malformed and oversized requests are refused cheaply and quietly."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time

import httpx
import pytest

from adapters.slack.guard import MAX_BODY
from tests.adapters.slack.conftest import SECRET, SlackBot
from tests.conftest import local_client

FORM = "application/x-www-form-urlencoded"


async def raw(bot: SlackBot, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with local_client(timeout=10) as client:
        return await client.post(bot.url, content=body, headers={"content-type": FORM, **headers})


def signature(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),  # no signature at all
        ({"x-slack-request-timestamp": "soon", "x-slack-signature": "v0=abc"}, 400),
        ({"x-slack-request-timestamp": "1" * 40, "x-slack-signature": "v0=abc"}, 400),
        ({"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=abc"}, 401),
    ],
)
async def test_unsigned_or_malformed_requests_are_refused_without_logging_them(
    slack_bot: SlackBot, caplog: pytest.LogCaptureFixture, headers: dict[str, str], status: int
) -> None:
    secret_looking = b"payload=%7B%22type%22%3A%22SECRET-LOOKING-BODY%22" + b"x" * 50_000
    with caplog.at_level(logging.DEBUG):
        response = await raw(slack_bot, secret_looking, headers)
    assert response.status_code == status
    assert "SECRET-LOOKING-BODY" not in caplog.text
    assert "Traceback" not in caplog.text
    assert slack_bot.fake.responses == []


async def test_a_body_that_is_not_utf8_is_a_bad_request(slack_bot: SlackBot) -> None:
    body, ts = b"text=\xff\xfe", str(int(time.time()))
    response = await raw(slack_bot, body, {"x-slack-request-timestamp": ts, "x-slack-signature": signature(body, ts)})
    assert response.status_code == 400


async def test_an_oversized_body_is_refused_before_it_is_read(slack_bot: SlackBot) -> None:
    body, ts = b"x" * (MAX_BODY + 1), str(int(time.time()))
    response = await raw(slack_bot, body, {"x-slack-request-timestamp": ts, "x-slack-signature": signature(body, ts)})
    assert response.status_code == 413


async def test_a_signed_but_malformed_payload_is_a_bad_request_not_a_crash(
    slack_bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    body, ts = b"payload=%7Bnot-json", str(int(time.time()))
    with caplog.at_level(logging.DEBUG):
        response = await raw(
            slack_bot, body, {"x-slack-request-timestamp": ts, "x-slack-signature": signature(body, ts)}
        )
    assert response.status_code == 400
    assert "Traceback" not in caplog.text


async def test_refusals_are_counted_in_one_line_a_minute(slack_bot: SlackBot, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="paperboy.slack"):
        for _ in range(5):
            assert (await raw(slack_bot, b"text=hi", {})).status_code == 401
    assert len([r for r in caplog.records if "refused" in r.getMessage()]) <= 1


async def test_signed_commands_still_get_through(slack_bot: SlackBot) -> None:
    assert (await slack_bot.command("help")).status_code == 200


@pytest.mark.slow
async def test_a_burst_of_commands_is_acknowledged_and_each_answered(slack_bot: SlackBot) -> None:
    slack_bot.search.delay = 0.05  # every answer takes a while; the acks must not wait for them
    responses = await asyncio.gather(*(slack_bot.command(f"diffusion {i}") for i in range(40)))
    assert [r.status_code for r in responses] == [200] * 40
    assert all(r.text == "" for r in responses)  # the ack itself says nothing; the answer comes after
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 40, within=30)


async def test_url_verification_still_gets_its_challenge_back(slack_bot: SlackBot) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "legacy"})
    response = await slack_bot.send(body, "application/json")
    assert response.status_code == 200 and "c-123" in response.text
