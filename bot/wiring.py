"""Wiring the chat platforms: publishers for `post`, the running apps for `run`.

With `bot.cli` this is the only module in `bot` that imports adapters (the import contract names it):
it is where the composition root meets the surfaces.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from rich.console import Console

from adapters.console.publisher import ConsolePublisher
from adapters.slack.app import SlackRuntime, create_app, slack_client
from adapters.slack.publisher import SlackPublisher
from bot.assistant import Assistant
from bot.bootstrap import Services
from bot.chat import ChatService
from bot.errors import ConfigError
from bot.publishing import Publisher
from bot.store.events import EventLog

log = logging.getLogger("paperboy")


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str
    signing_secret: str | None
    app_token: str | None


def slack_credentials(services: Services) -> SlackCredentials | None:
    """Environment first, then the config file's [slack] table; None when there is no bot token."""
    settings, file = services.settings, services.config.slack

    def pick(env: object, conf: object) -> str | None:
        for value in (env, conf):
            secret = getattr(value, "get_secret_value", None)
            if secret is not None and secret():
                return str(secret())
        return None

    token = pick(settings.slack_bot_token, file.bot_token)
    if token is None:
        return None
    return SlackCredentials(
        token, pick(settings.slack_signing_secret, file.signing_secret), pick(settings.slack_app_token, file.app_token)
    )


@dataclass
class Platforms:
    publishers: dict[str, Publisher] = field(default_factory=dict)
    slack: SlackCredentials | None = None


def platforms(services: Services, console: Console) -> Platforms:
    found = Platforms(publishers={"console": ConsolePublisher(console)})
    found.slack = slack_credentials(services)
    if found.slack is not None:
        found.publishers["slack"] = SlackPublisher(slack_client(found.slack.bot_token, services.settings.slack_api_url))
    return found


def assistant(services: Services) -> Assistant:
    chat = ChatService(
        services.store, services.search, services.catalog, services.subscriptions, services.config.digest
    )
    return Assistant(chat, services.catalog, services.search, services.ledger, EventLog(services.store.engine))


@asynccontextmanager
async def running(services: Services, found: Platforms) -> AsyncIterator[list[str]]:
    """Start every platform whose credentials are set; stop them on the way out."""
    started: list[SlackRuntime] = []
    names: list[str] = []
    try:
        if found.slack is not None:
            if not found.slack.signing_secret:
                raise ConfigError("SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: set both to enable Slack")
            publisher = found.publishers["slack"]
            assert isinstance(publisher, SlackPublisher)
            client = slack_client(found.slack.bot_token, services.settings.slack_api_url)
            app = create_app(assistant(services), client, found.slack.signing_secret, publisher)
            runtime = SlackRuntime(app, port=services.settings.slack_port, app_token=found.slack.app_token)
            await runtime.start()
            started.append(runtime)
            names.append("Slack (Socket Mode)" if found.slack.app_token else f"Slack (HTTP on port {runtime.port})")
        yield names
    finally:
        for runtime in reversed(started):
            await runtime.stop()


async def until_stopped() -> None:
    """Wait for SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
