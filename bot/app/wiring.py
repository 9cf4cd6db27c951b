"""Wiring the chat platforms: publishers for `post`, the running apps for `run`.

With the command line (`bot.app.cli`) this is the only place in `bot` that imports adapters (the import
contract names them): it is where the composition root meets the surfaces. Each platform's adapter (and
SDK: slack_bolt and aiohttp, discord.py) is imported only when that platform has credentials; its words
for the core (`adapters.*.wording`, plain text) always are.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from adapters.console import wording as console_wording
from adapters.console.publisher import ConsolePublisher
from adapters.discord import wording as discord_wording
from adapters.slack import wording as slack_wording
from bot.app.workspaces import Workspaces, check_keys, multi_workspace
from bot.chat.home import HomeService
from bot.chat.service import ChatService
from bot.community.service import Community
from bot.domain.channels import parse_channel
from bot.domain.config import FileConfig
from bot.domain.errors import ConfigError
from bot.domain.our_words import said_at_once
from bot.domain.words import counted
from bot.host.disk import read_ahead_kb, read_ahead_note
from bot.host.exits import exit_by
from bot.host.running import other_run
from bot.host.tasks import stopped
from bot.store.health import database_problem
from bot.store.reading import ReadingLists
from bot.store.workspaces import forgive_refused_token
from bot.surfaces.links import LinkCards
from bot.surfaces.service import Surfaces
from bot.surfaces.suggestions import Suggestions

if TYPE_CHECKING:
    from pathlib import Path

    from pydantic import SecretStr
    from rich.console import Console

    from adapters.slack.oauth import OAuthApp
    from bot.app.bootstrap import Services
    from bot.app.settings import Settings
    from bot.domain.publishing import Publisher

log = logging.getLogger("paperboy")


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str | None  # None in multi-workspace mode: each workspace's token is in the store
    signing_secret: str | None
    app_token: str | None
    workspaces: Workspaces | None = None  # multi-workspace mode (SLACK_CLIENT_ID + SLACK_CLIENT_SECRET)
    bot_token_named: str = "SLACK_BOT_TOKEN"  # where it was set, as a refusal names it
    app_token_named: str = "SLACK_APP_TOKEN"


def _pick(*values: SecretStr | None) -> str | None:
    """The first secret that is set: the environment's, then the config file's. Blanks around it are no
    part of it, and a blank one is not set (as a blank `NAME` leaves `NAME_FILE` to be read): it reached
    slack_bolt, whose BoltError came out as a traceback."""
    for value in values:
        if value is not None and value.get_secret_value().strip():
            return value.get_secret_value().strip()
    return None


def _http_only(settings: Settings) -> list[str]:
    """The settings of Slack's HTTP mode set in the environment (`PAPERBOY_SLACK_PORT`): Socket Mode has
    no use for them."""
    named = {"slack_port": "PAPERBOY_SLACK_PORT", "slack_host": "PAPERBOY_SLACK_HOST"}
    return [variable for field, variable in named.items() if field in settings.model_fields_set]


def slack_credentials(services: Services) -> SlackCredentials | None:
    settings, file = services.settings, services.config.slack
    token = _pick(settings.slack_bot_token, file.bot_token)
    signing_secret = _pick(settings.slack_signing_secret, file.signing_secret)
    app_token = _pick(settings.slack_app_token, file.app_token)
    workspaces = multi_workspace(settings)
    if workspaces is not None:
        if app_token is not None:
            raise ConfigError(
                "SLACK_APP_TOKEN (Socket Mode) and SLACK_CLIENT_ID (multi-workspace) can't be combined: the install "
                "pages need HTTP mode; unset SLACK_APP_TOKEN and give Slack the request URLs (docs/slack-workspaces.md)"
            )
        if token is not None:
            log.warning("SLACK_CLIENT_ID is set: serving every installed workspace; SLACK_BOT_TOKEN is not used")
        named_workspaces(services.config, services.settings.config_path)
        return SlackCredentials(None, signing_secret, app_token, workspaces)
    if token is None:
        half = [
            name for name, value in (("SLACK_SIGNING_SECRET", signing_secret), ("SLACK_APP_TOKEN", app_token)) if value
        ]
        if half:
            raise ConfigError(
                f"{' and '.join(half)} {'is' if len(half) == 1 else 'are'} set but SLACK_BOT_TOKEN is not: set "
                "SLACK_BOT_TOKEN too to run on Slack, or unset the rest"
            )
        return None
    bot_named = _named(services, "slack_bot_token", "[slack] bot_token")
    return SlackCredentials(
        token, signing_secret, app_token, None, bot_named, _named(services, "slack_app_token", "[slack] app_token")
    )


def _named(services: Services, secret: str, key: str) -> str:
    """Where a secret was set, as a refusal names it: its variable (`SLACK_BOT_TOKEN`), the file its `_FILE`
    names, or the config file's key (`[slack] bot_token in paperboy.toml`): it named SLACK_BOT_TOKEN, unset."""
    value = getattr(services.settings, secret)
    if value is not None and value.get_secret_value().strip():
        return services.settings.source(secret)
    return f"{key} in {services.settings.config_path}"


def named_workspaces(config: FileConfig, path: Path) -> None:
    """In multi-workspace mode a Slack channel id is unique only within its workspace: the config file's
    Slack channels must each name theirs (found out at start, not at the first due time; all at once,
    naming the file, as its other faults are)."""
    faults = []
    for i, entry in enumerate(config.subscriptions):
        ref = parse_channel(entry.channel)
        if ref.platform == "slack" and not ref.workspace:
            faults.append(
                f"subscriptions[{i}].channel {entry.channel!r} names no workspace, and this deployment serves"
                f" several (SLACK_CLIENT_ID is set): write it as slack:TEAM_ID/{ref.channel}"
            )
    if faults:
        raise ConfigError(f"{path}: {said_at_once(faults)}")


def _oauth_app(workspaces: Workspaces) -> OAuthApp:
    from adapters.slack.oauth import OAuthApp

    return OAuthApp(workspaces.client_id, workspaces.client_secret, workspaces.public_url, workspaces.authorize_url)


def discord_token(services: Services) -> str | None:
    """The Discord bot token set; ConfigError where it cannot be one (`token_fault`)."""
    token = discord_token_of(services.settings, services.config)
    if token is not None:
        from adapters.discord.connection import token_fault

        if (fault := token_fault(token, discord_token_named(services))) is not None:
            raise ConfigError(fault)
    return token


def discord_token_named(services: Services) -> str:
    """Where the Discord token was set, as a refusal names it (`_named`)."""
    in_file = "[discord] token" if _pick(services.config.discord.token) else "[discord] bot_token"  # as picked
    return _named(services, "discord_token", in_file)


def discord_token_of(settings: Settings, config: FileConfig) -> str | None:
    """DISCORD_TOKEN (or DISCORD_TOKEN_FILE), else the config file's `[discord] token`."""
    return _pick(settings.discord_token, config.discord.token, config.discord.bot_token)


def community(services: Services) -> Community:
    """Votes, replies and reading lists over the store (one per process: it batches its writes)."""
    return Community(services.engagement, ReadingLists(services.store.engine), services.store)


def chat_service(services: Services, votes: Community | None = None) -> ChatService:
    """The conversational core every platform shares, with each platform's own words."""
    return ChatService(
        services.store,
        services.search,
        services.catalog,
        services.subscriptions,
        services.config.digest,
        ledger=services.ledger,
        phrasebooks={
            "slack": slack_wording.PHRASES,
            "discord": discord_wording.PHRASES,
            "console": console_wording.PHRASES,  # `paperboy chat`
        },
        community=votes,
    )


def surfaces(services: Services, chat: ChatService) -> Surfaces:
    """Link cards, the subscribe form and suggestions, over the same core as the commands."""
    return Surfaces(
        LinkCards(services.catalog),
        Suggestions(services.store),
        services.subscriptions,
        chat.answer,
        services.ledger,
        chat.first_time,
    )


@asynccontextmanager
async def publishers(
    services: Services, console: Console, platform: str | None = None
) -> AsyncIterator[dict[str, Publisher]]:
    """A publisher for every platform with credentials (REST only for Discord), or for `platform` only
    (one platform out of reach keeps no other from its posts), closed on the way out."""
    found: dict[str, Publisher] = {"console": ConsolePublisher(console)}
    async with AsyncExitStack() as stack:
        slack = slack_credentials(services) if platform in (None, "slack") else None
        if slack is not None:
            from adapters.slack.app import http_session, slack_client
            from adapters.slack.oauth import multi_slack
            from adapters.slack.publisher import SlackPublisher

            session = await stack.enter_async_context(http_session())
            web = slack_client(slack.bot_token, services.settings.slack_api_url, session)
            w = slack.workspaces
            found["slack"] = (
                multi_slack(services.store.engine, w.sealer, _oauth_app(w), web).publisher if w else SlackPublisher(web)
            )
        token = discord_token(services) if platform in (None, "discord") else None
        if token is not None:
            from adapters.discord.connection import rest_client, use_endpoints
            from adapters.discord.publisher import DiscordPublisher

            use_endpoints(services.settings.discord_api_url, services.settings.discord_gateway_url)
            client = await rest_client(token, discord_token_named(services))
            stack.push_async_callback(client.close)
            found["discord"] = DiscordPublisher(client)
        yield found


async def slack_team(token: str, api_url: str) -> str | None:
    """The workspace a bot token is of (Slack's auth.test); None where Slack could not say (a post then
    meets the fault and says it)."""
    from adapters.slack.app import token_team

    return await token_team(token, api_url)


@dataclass
class Running:
    names: list[str]
    publishers: dict[str, Publisher]


@asynccontextmanager
async def running(services: Services, terminal: Console) -> AsyncIterator[Running]:
    """Start every platform whose credentials are set; stop them all on the way out. `terminal`: where the
    digests of console: channels are printed (the command's output: no line ending in blanks)."""
    names: list[str] = []
    found: dict[str, Publisher] = {}
    votes = community(services)
    chat = chat_service(services, votes)  # one conversational core for every platform
    kit = surfaces(services, chat)
    token = discord_token(services)  # a token that cannot be a bot's, said before any platform starts
    async with AsyncExitStack() as stack:
        stack.push_async_callback(kit.suggestions.close)
        slack = slack_credentials(services)
        if slack is not None:
            if not slack.signing_secret:
                first = (
                    "SLACK_CLIENT_ID"
                    if slack.workspaces is not None
                    else "a Slack bot token (SLACK_BOT_TOKEN or [slack] bot_token)"
                )
                raise ConfigError(
                    f"{first} is set but no signing secret (SLACK_SIGNING_SECRET or [slack] signing_secret): "
                    "set both to enable Slack"
                )
            from adapters.slack.app import SlackRuntime, TokensNamed, create_app, http_session, slack_client
            from adapters.slack.oauth import multi_slack
            from adapters.slack.publisher import SlackPublisher

            session = await stack.enter_async_context(http_session())
            client = slack_client(slack.bot_token, services.settings.slack_api_url, session)
            w = slack.workspaces
            multi = multi_slack(services.store.engine, w.sealer, _oauth_app(w), client) if w else None
            if multi is not None:
                await check_keys(multi.installations.installations)
            install_url = w.install_url(services.settings.slack_port) if w else ""
            slack_publisher = multi.publisher if multi is not None else SlackPublisher(client)
            found["slack"] = slack_publisher
            homes = HomeService(services.store, services.subscriptions, reading=votes.lists, ledger=services.ledger)
            app = create_app(
                chat,
                client,
                slack.signing_secret,
                slack_publisher,
                admins=services.config.slack.admins,
                oauth=multi.oauth if multi is not None else None,
                home=homes,
                surfaces=kit,
            )
            from adapters.slack.community import register
            from adapters.slack.home import SlackMembers, home_again

            register(app, votes, home_again=home_again(homes, SlackMembers(client)))
            runtime = SlackRuntime(
                app,
                signing_secret=slack.signing_secret,
                port=services.settings.slack_port,
                host=services.settings.slack_host,
                app_token=slack.app_token,
                health=partial(database_problem, services.store.engine),
                named=TokensNamed(slack.bot_token_named, slack.app_token_named),
            )
            if slack.app_token and (http_only := _http_only(services.settings)):  # was ignored without a word
                log.warning(
                    "%s set, and Socket Mode (SLACK_APP_TOKEN) listens on no port: not used", " and ".join(http_only)
                )
            stack.push_async_callback(runtime.stop)  # before start: a start cancelled midway is closed too
            await runtime.start()  # refuses a token Slack refuses
            if multi is None and (mended := await forgive_refused_token(services.store.engine, "slack")):
                log.info("%s stopped by a refused bot token get their digests again", counted(mended, "Slack channel"))
            names.append("Slack (Socket Mode)" if slack.app_token else f"Slack (HTTP on port {runtime.port})")
            if multi is not None:
                names[-1] += f", install page {install_url}"
            if w is not None and not w.public_url:  # every install from another machine failed, unsaid
                log.warning(
                    "PAPERBOY_PUBLIC_URL is not set: Slack sends people back after an install to %s, which only a"
                    " browser on this machine reaches; set it to the https:// address Slack reaches paperboy at"
                    " (docs/slack-workspaces.md)",
                    install_url.removesuffix("/slack/install") + "/slack/oauth_redirect",
                )
        if token is not None:
            from adapters.discord.app import PaperBot
            from adapters.discord.connection import DiscordRuntime, use_endpoints
            from adapters.discord.surfaces import install

            use_endpoints(services.settings.discord_api_url, services.settings.discord_gateway_url)
            from adapters.discord.servers import ServerMembership

            membership = ServerMembership(services.store.engine)
            bot = PaperBot(chat, guilds=services.config.discord.guilds, community=votes, servers=membership)
            install(bot, kit)
            discord_runtime = DiscordRuntime(bot, token, discord_token_named(services))
            stack.push_async_callback(discord_runtime.stop)
            await discord_runtime.start()
            found["discord"] = bot.publisher
            names.append(discord_runtime.described)
        # the file's are saved once the platforms have started (`serve_until_stopped`), and those an earlier file
        # set up go then, where a file was read: a console: entry taken out of it left `run` serving nothing
        from bot.app.bootstrap import absent_config

        kept = absent_config(services.settings) is not None  # no file found: an earlier file's are kept
        consoles = [s.channel for s in await services.subscriptions.all() if kept or s.source != "config"]
        consoles += [parse_channel(entry.channel) for entry in services.config.subscriptions]
        if any(channel.platform == "console" for channel in consoles):
            found["console"] = ConsolePublisher(terminal)
            names.append("the terminal (console: subscriptions)")
        yield Running(names, found)


SHUTDOWN_SECONDS = 10.0  # from SIGTERM or Ctrl-C to exit, at the most
EXIT_DEADLINE_SECONDS = 2 * SHUTDOWN_SECONDS  # … and should a thread hold the process, it ends then


async def serve_until_stopped(
    services: Services,
    console_note: Callable[[str], None],
    terminal: Console,
    stopping_process: bool = False,
    *,
    seed: bool = False,
) -> None:
    """Start every platform, then sweep and sync until SIGINT or SIGTERM; stop within `SHUTDOWN_SECONDS`.

    A signal during start-up (Socket Mode retrying an unreachable Slack, a slow gateway) cancels the
    start at once; a signal while serving lets the sweep finish what it is posting, for up to
    `SHUTDOWN_SECONDS`, then cancels it (the ledger's intents let the next start pick up from there).
    With `stopping_process` (the `run` command) the signal also arms the process's exit deadline
    (`bot.host.exits`): should a thread still hold it `EXIT_DEADLINE_SECONDS` later, it ends. With `seed`,
    the config file's subscriptions are saved once the platforms have started: a start that fails
    changes nothing."""
    from bot.app.bootstrap import absent_config, say_misspelt_topics, seed_subscriptions
    from bot.app.dispatch import serve
    from bot.app.upcoming import next_digest_note, not_served

    stop = stop_signal()
    started = asyncio.Event()

    async def work() -> None:
        async with running(services, terminal) as live:
            if not live.names:
                raise ConfigError(
                    "no chat platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or "
                    "SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and PAPERBOY_SECRET_KEY for many workspaces; or "
                    "DISCORD_TOKEN), or for digests printed here, type `subscribe …` in `paperboy chat` or "
                    "subscribe a console:NAME channel in the config file; see the README"
                )
            absent = absent_config(services.settings)
            if seed:
                await seed_subscriptions(services.subscriptions, services.config, absent)
            started.set()
            started_note = f"paperboy is running: {', '.join(live.names)}. Ctrl-C stops it."
            now, offline = datetime.now(UTC), services.settings.offline
            subscribed, policy = await services.subscriptions.all(), services.config.schedule
            upcoming = await next_digest_note(
                subscribed, services.ledger, policy, live.publishers, now, offline=offline
            )
            console_note(f"{started_note}\n{upcoming}" if upcoming else started_note)  # one note: said once, in order
            if (idle := not_served(subscribed, live.publishers)) is not None:
                log.warning("%s", idle)
            data = services.settings.data_dir
            if (note := read_ahead_note(data, read_ahead_kb(data))) is not None:
                log.info("%s", note)
            sqlite = services.store.engine.url.get_backend_name() == "sqlite"  # unset, or a sqlite:/// URL
            if sqlite and (pid := other_run(data)) is not None:
                log.warning(
                    "another `paperboy run`%s serves from %s: both sync Hugging Face and sweep every channel "
                    "(each digest still goes out once). Stop one, or give each its own PAPERBOY_DATA_DIR; "
                    "replicas share a PostgreSQL database (docs/deploying.md)",
                    f" (pid {pid})" if pid else "",
                    data,
                )
            checking = None
            if seed and absent is None:  # the file's topics checked in the background: it opens the search index
                where = services.settings.config_path
                checking = asyncio.ensure_future(say_misspelt_topics(services.config, services.search, where))
            try:
                await serve(services, live.publishers, stop)
            finally:
                await stopped(checking)

    serving = asyncio.ensure_future(work())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stopping.done() and stopping_process:
            exit_by(EXIT_DEADLINE_SECONDS)
        if not serving.done():
            if not started.is_set():
                log.info("stopping during start-up")
                serving.cancel()
            else:  # said at once: the wait below may be long, and it was silent
                log.info("stopping: what is under way finishes first (up to %g s)", SHUTDOWN_SECONDS)
            finished, _ = await asyncio.wait({serving}, timeout=SHUTDOWN_SECONDS)
            if not finished:
                log.warning("still busy %g s after the stop signal: cancelling what is under way", SHUTDOWN_SECONDS)
                serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    finally:
        stopping.cancel()


def stop_signal() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM; installed before anything starts, so an early signal is kept."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
