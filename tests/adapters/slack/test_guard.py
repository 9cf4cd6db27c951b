"""The door of HTTP mode: unsigned, malformed and oversized requests are refused cheaply and quietly."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from unittest.mock import patch
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.guard import EARLY_PAYLOADS, MAX_BODY, Background, acked_early, in_the_form
from bot.host.bursts import AcksFirst
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


def parsed_whole(body: bytes) -> bool:
    """What the door answered before reading a command's field alone: the whole form parsed."""
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=100)
    if form.get("command"):
        return True
    try:
        payload = json.loads((form.get("payload") or ["{}"])[0])
    except ValueError:
        return False
    return isinstance(payload, dict) and payload.get("type") in EARLY_PAYLOADS


@settings(max_examples=3 * settings().max_examples, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["command", "text", "payload", "xcommand", "team_id", "response_url"]),
        st.text(max_size=12) | st.sampled_from(['{"type": "block_actions"}', "/papers", "a=b&command=x"]),
        max_size=5,
    )
)
@pytest.mark.slow
def test_a_form_is_acknowledged_early_as_when_it_was_parsed_whole(fields: dict[str, str]) -> None:
    """The door reads a slash command's `command` field without parsing the whole form: the same answer
    (a value's own `command=` is encoded, `%3D`; `xcommand` is another field)."""
    body = urlencode(fields).encode()
    assert acked_early(body, FORM) == parsed_whole(body)


@pytest.mark.slow
async def test_a_burst_waits_in_a_queue_not_in_a_task_each_until_its_acks_are_out() -> None:
    """Each ack made and started a task on the event loop the other acks were waiting for."""
    gate = AcksFirst(settle=0.05, most=5.0)
    background = Background(at_once=4)
    inside = 0
    most_inside = 0
    handled: list[int] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal inside, most_inside
        inside += 1
        most_inside = max(most_inside, inside)
        await asyncio.sleep(0.01)
        inside -= 1
        handled.append(int(request.headers["n"]))
        return web.Response()

    with patch("adapters.slack.guard.ACKS_FIRST", gate):
        for n in range(50):
            background.start(handler, make_mocked_request("POST", "/slack/events", headers={"n": str(n)}))
        assert len(background.tasks) == 1 and handled == []  # one task starts them all, once the gate opens
        await asyncio.sleep(0.02)
        assert handled == []  # the burst's settle has not passed
        await background.drain()
    assert sorted(handled) == list(range(50)) and most_inside == 4


def test_a_form_submission_answered_with_a_bare_sentence_shows_it_in_the_form() -> None:
    """A form submitted after its workspace uninstalled paperboy got bolt's sentence as a text body, which
    Slack shows as "We had some trouble connecting": it is now the modal's own text."""
    submitted = urlencode({"payload": json.dumps({"type": "view_submission", "view": {"id": "V1"}})}).encode()
    said = "paperboy is not installed in this workspace (or was uninstalled): ask a workspace admin to add it."
    answer = in_the_form(submitted, web.Response(text=said))
    assert isinstance(answer, web.Response) and answer.content_type == "application/json"
    assert answer.text is not None
    shown = json.loads(answer.text)
    assert shown["response_action"] == "update" and shown["view"]["blocks"][0]["text"]["text"] == said
    errors = web.json_response({"response_action": "errors", "errors": {"time": "not a time"}})
    assert in_the_form(submitted, errors) is errors  # a form's own answers pass as they are
    empty = web.Response()
    assert in_the_form(submitted, empty) is empty
    action = urlencode({"payload": json.dumps({"type": "block_actions"})}).encode()
    plain = web.Response(text=said)
    assert in_the_form(action, plain) is plain  # not a form: shown by Slack as it is
