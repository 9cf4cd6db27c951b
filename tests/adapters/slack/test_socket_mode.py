"""Socket Mode: the same app, reached through an envelope on the fake's websocket instead of HTTP."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from adapters.slack.app import SlackRuntime, TokensNamed, create_app, slack_client
from adapters.slack.publisher import SlackPublisher
from bot.domain.errors import ConfigError
from bot.store.papers import PaperStore
from tests.adapters.slack.conftest import SECRET
from tests.chat.world import chat_service
from tests.fakes.slack import Failure, FakeSlack


async def test_a_slash_command_envelope_is_acked_and_answered(fake_slack: FakeSlack, june_store: PaperStore) -> None:
    chat = chat_service(june_store, limit=3)
    client = slack_client("xoxb-test", fake_slack.base_url)
    app = create_app(chat, client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret="unused-in-socket-mode", port=0, app_token="xapp-1-test")
    await asyncio.wait_for(runtime.start(), 10)  # connect_async retries forever on failure: bound it
    try:
        await fake_slack.wait_for(lambda: fake_slack._sockets)
        assert any(c.method == "apps.connections.open" for c in fake_slack.calls)
        await fake_slack.push(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": "T0001",
                    "channel_id": "C0001",
                    "channel_name": "papers",
                    "user_id": "U0001",
                    "command": "/papers",
                    "text": "speculative decoding",
                    "response_url": fake_slack.response_url(),
                    "trigger_id": "1.2.3",
                    "api_app_id": "A0001",
                },
            }
        )
        await fake_slack.wait_for(lambda: any(a.get("envelope_id") == "env-1" for a in fake_slack.acks))
        await fake_slack.wait_for(lambda: fake_slack.responses)
        assert "Papers on “speculative decoding”" in fake_slack.responses[0]["text"]
    finally:
        await runtime.stop()


@pytest.mark.parametrize(
    ("method", "app_token", "said"),
    [
        (
            "auth.test",
            None,
            "Slack refused SLACK_BOT_TOKEN (invalid_auth): set the right token and start paperboy again",
        ),
        ("apps.connections.open", "xapp-1-test", "Slack refused SLACK_APP_TOKEN (invalid_auth)"),
        ("apps.connections.open", "xapp-1-test", "SLACK_APP_TOKEN (not_allowed_token_type) (SLACK_BOT_TOKEN starts"),
    ],
)
async def test_a_token_slack_refuses_stops_the_start_in_one_line(
    fake_slack: FakeSlack, june_store: PaperStore, method: str, app_token: str | None, said: str
) -> None:
    """A typo in a token at deploy time: one line and no start, not every digest failing (bot token) or a
    connection asked for every 10 s for ever (app token)."""
    client = slack_client("xoxb-test", fake_slack.base_url)
    app = create_app(chat_service(june_store), client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1", app_token=app_token)
    fake_slack.failures[method] = [Failure(error=said.split("(")[1].split(")")[0])]
    try:
        with pytest.raises(ConfigError, match=re.escape(said)):
            await asyncio.wait_for(runtime.start(), 10)
    finally:
        await runtime.stop()


async def test_a_user_token_for_the_bot_s_stops_the_start_in_one_line(
    fake_slack: FakeSlack, june_store: PaperStore
) -> None:
    """The User OAuth Token (xoxp-) sits beside the bot's on the app's page, and Slack's auth.test takes it:
    paperboy started, and every digest would have been posted as that person."""
    client = slack_client("xoxp-1-user", fake_slack.base_url)
    app = create_app(chat_service(june_store), client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1")
    try:
        with pytest.raises(ConfigError, match=re.escape("SLACK_BOT_TOKEN is a user token (xoxp-…): set the Bot User")):
            await asyncio.wait_for(runtime.start(), 10)
    finally:
        await runtime.stop()
    assert not [c for c in fake_slack.calls if c.method == "auth.test"]  # said before asking Slack
    in_file = TokensNamed(bot="[slack] bot_token in /etc/paperboy.toml")  # it named SLACK_BOT_TOKEN, unset
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1", named=in_file)
    try:
        with pytest.raises(ConfigError, match=re.escape("[slack] bot_token in /etc/paperboy.toml is a user token")):
            await asyncio.wait_for(runtime.start(), 10)
    finally:
        await runtime.stop()


@pytest.mark.parametrize(
    ("app_token", "kind"),
    [
        ("xoxb-1-bot", "it is a bot token, xoxb-…"),
        ("xoxp-1-user", "it is a user token, xoxp-…"),
        ("8f14e45fceea167a5a36dedd4bea2543", "it is none of Slack's tokens"),  # the signing secret, pasted
    ],
)
async def test_an_app_token_of_another_kind_stops_the_start_in_one_line_without_asking_slack(
    fake_slack: FakeSlack, june_store: PaperStore, app_token: str, kind: str
) -> None:
    """Socket Mode with the bot token (or the signing secret) as SLACK_APP_TOKEN: refused by its form, so
    a Slack out of reach does not turn it into a connection asked for every 10 s."""
    client = slack_client("xoxb-test", fake_slack.base_url)
    app = create_app(chat_service(june_store), client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1", app_token=app_token)
    said = f"SLACK_APP_TOKEN is not an app-level token ({kind}; those start xapp-): create one under Basic Information"
    try:
        with pytest.raises(ConfigError, match=re.escape(said)) as refused:
            await asyncio.wait_for(runtime.start(), 10)
    finally:
        await runtime.stop()
    assert app_token not in str(refused.value)
    assert not [c for c in fake_slack.calls if c.method in ("auth.test", "apps.connections.open")]


@pytest.mark.parametrize(
    ("bot_token", "said"),
    [
        ("xapp-1-A1-1-app", "(it is an app-level token, xapp-…; those start xoxb-): set the Bot User OAuth Token"),
        ("xapp-1-A1-1-app", "OAuth & Permissions page (an app-level token goes in SLACK_APP_TOKEN) and start"),
        ("8f14e45fceea167a5a36dedd4bea2543", "(it is none of Slack's tokens; those start xoxb-): set the Bot User"),
        ("Bearer xoxb-1-bot", "(it begins with “Bearer ”, the HTTP header's word: keep only what follows it;"),
    ],
)
async def test_a_bot_token_that_is_no_slack_token_stops_the_start_in_one_line_without_asking_slack(
    fake_slack: FakeSlack, june_store: PaperStore, bot_token: str, said: str
) -> None:
    """The signing secret, or the app-level token, in SLACK_BOT_TOKEN: with Slack out of reach, paperboy
    started and every digest failed."""
    client = slack_client(bot_token, fake_slack.base_url)
    app = create_app(chat_service(june_store), client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1")
    try:
        with pytest.raises(ConfigError, match=re.escape(said)) as refused:
            await asyncio.wait_for(runtime.start(), 10)
    finally:
        await runtime.stop()
    assert str(refused.value).startswith("SLACK_BOT_TOKEN is not a bot token") and bot_token not in str(refused.value)
    assert not [c for c in fake_slack.calls if c.method == "auth.test"]


async def test_a_refreshable_user_token_for_the_bot_s_stops_the_start_in_one_line(
    fake_slack: FakeSlack, june_store: PaperStore
) -> None:
    """A refreshable user token (`xoxe.xoxp-…`) passed the `xoxp-` check, and Slack's auth.test took it:
    it names no bot, so paperboy asks whose it is and refuses it."""
    client = slack_client("xoxe.xoxp-1-refreshable", fake_slack.base_url)
    app = create_app(chat_service(june_store), client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1")
    try:
        with pytest.raises(
            ConfigError, match=re.escape("SLACK_BOT_TOKEN is not a bot's token: Slack says it is U0PERSON's")
        ):
            await asyncio.wait_for(runtime.start(), 10)
    finally:
        await runtime.stop()


@pytest.mark.parametrize(
    ("api_url", "said"),
    [
        ("http://127.0.0.1:9/api/", "(nothing answers there)"),  # nothing listens (aiohttp's words were said)
        ("{fake}not-slack/", "it answered HTTP 404, not as Slack's API does"),  # the wrong address
    ],
)
@pytest.mark.slow
async def test_a_slack_api_that_does_not_answer_as_slack_is_said_and_the_start_goes_on(
    fake_slack: FakeSlack, june_store: PaperStore, caplog: pytest.LogCaptureFixture, api_url: str, said: str
) -> None:
    """It said "paperboy is running" and nothing else: the first sign was every digest failing at 09:00."""
    client = slack_client("xoxb-test", api_url.format(fake=fake_slack.base_url.removesuffix("api/")))
    app = create_app(chat_service(june_store), client, SECRET, SlackPublisher(client, interval=0.0))
    runtime = SlackRuntime(app, signing_secret=SECRET, port=0, host="127.0.0.1")
    try:
        with caplog.at_level(logging.WARNING, logger="paperboy.slack"):
            await asyncio.wait_for(runtime.start(), 20)  # started all the same
        [line] = [r.getMessage() for r in caplog.records if "could not be asked" in r.getMessage()]
        assert said in line and "PAPERBOY_SLACK_API_URL" in line
        assert "Client" not in line and "ssl:default" not in line
    finally:
        await runtime.stop()
