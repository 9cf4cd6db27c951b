"""Reaching Discord: the endpoints, the intents asked for, logging in (over REST alone, for `post`, or
with the gateway, for `run`), registering `/papers`, the invite link, and each failure in our words."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import traceback
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiohttp
import discord
import yarl

from adapters.discord.forum_posts import forum_post_trace
from bot.domain.errors import ConfigError, DeliveryError, PlatformUnreachable
from bot.domain.repeats import Repeats

if TYPE_CHECKING:
    from adapters.discord.app import PaperBot

log = logging.getLogger("paperboy.discord")
MAX_RATELIMIT_WAIT = 30.0  # discord.py's floor; beyond it a call raises RateLimited instead of sleeping


def use_endpoints(api_url: str, gateway_url: str) -> None:
    """Point discord.py at another REST base and gateway (a proxy, or the tests' fake Discord)."""
    discord.http.Route.BASE = api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.guild_reactions = True  # votes (not privileged)
    wanted.dm_messages = True  # a question about a card of a personal digest, asked in the direct message
    wanted.dm_reactions = True  # the bookmark on such a card (no vote: a direct message has no channel's)
    return wanted


FIRST_TRY_AGAIN_S = 5.0  # a Discord out of reach at start is asked again after this, then twice as long…
MOST_TRY_AGAIN_S = 300.0  # … up to this between tries


class DiscordRuntime:
    """Logs in, connects to the gateway and waits for READY; `stop` closes it all.

    A refusal at start (the token, an address that is not Discord's) stops `paperboy run`. A Discord out
    of reach (no connection, a 5xx at login, a gateway that does not answer or says no READY within
    `within`) does not: it was `run`'s exit 1, which took the Slack and terminal digests of the
    deployment down with it until a restart. It is said, and asked again in the background, every
    `FIRST_TRY_AGAIN_S` doubling to `MOST_TRY_AGAIN_S`; meanwhile Discord's digests fail as a post to an
    unreachable Discord does, and are tried again at each sweep within their window
    (`DiscordPublisher.offline`). Once READY, discord.py reconnects a lost gateway itself."""

    def __init__(self, bot: PaperBot, token: str, named: str = "DISCORD_TOKEN") -> None:
        """`named`: where the token was set, as a refusal names it (`[discord] token in paperboy.toml`)."""
        self.bot = bot
        self._token = token
        self._named = named
        self._task: asyncio.Task[None] | None = None
        self._again: asyncio.Task[None] | None = None  # the tries again, while Discord is out of reach
        self._repeats = Repeats()

    @property
    def described(self) -> str:
        """What `run`'s start line says of Discord."""
        return "Discord (out of reach: trying again)" if self.bot.publisher.offline else f"Discord (as {self.bot.user})"

    async def start(self, within: float = 60.0) -> None:
        """Connect, waiting `within` seconds for READY at most; ConfigError when Discord refuses paperboy."""
        discord_log = logging.getLogger("discord.client")
        discord_log.addFilter(self._quiet)
        try:
            await self._connect(within)
        except ConfigError:
            discord_log.removeFilter(self._quiet)
            raise
        except DeliveryError as exc:
            self._out_of_reach(exc)
            self._repeats.first(str(exc), datetime.now(UTC))  # said here: its tries again say it hourly
            log.warning(
                "%s. paperboy runs on without Discord, and tries again in %.0f s (then less often, every %.0f"
                " minutes at most): Discord's digests are posted once it answers, within their windows",
                exc,
                FIRST_TRY_AGAIN_S,
                MOST_TRY_AGAIN_S / 60,
            )
            self._again = asyncio.create_task(self._try_again(within))
            return
        discord_log.removeFilter(self._quiet)

    async def _try_again(self, within: float) -> None:
        wait = FIRST_TRY_AGAIN_S
        try:
            while True:
                await asyncio.sleep(wait)
                try:
                    await self._connect(within)
                except ConfigError as exc:  # a token reset meanwhile: no try again changes that
                    log.error("%s; Discord is not served until paperboy is restarted", exc)
                    self.bot.publisher.offline = f"{exc}; Discord is not served until paperboy is restarted"
                    return
                except DeliveryError as exc:
                    self._out_of_reach(exc)
                    wait = min(2 * wait, MOST_TRY_AGAIN_S)
                    if self._repeats.first(str(exc), datetime.now(UTC)):  # a line an hour while it lasts
                        log.warning("%s; tried again every %.0f s at most", exc, wait)
                    continue
                self.bot.publisher.offline = None
                log.info("Discord is reached now: it is served from here on")
                return
        finally:
            logging.getLogger("discord.client").removeFilter(self._quiet)

    def _quiet(self, record: logging.LogRecord) -> bool:
        """discord.py's own lines of a try, while Discord is out of reach: its login at each try, and its
        "Attempting a reconnect in 1.02s" before a gateway ever answered (discord.py does not try again
        then; paperboy does, saying so once an hour)."""
        if self.bot.is_ready():
            return True
        said = str(record.msg)  # (as discord.py wrote it, or as `run`'s log put it: bot.app.cli.serving)
        reconnect = said.startswith(("Attempting a reconnect", "Discord's gateway connection failed"))
        return not (reconnect or (self._again is not None and said.startswith("logging in")))

    def _out_of_reach(self, error: DeliveryError) -> None:
        self.bot.publisher.offline = (
            f"Discord has been out of reach since paperboy started ({error}); posted once it answers"
        )

    async def _connect(self, within: float) -> None:
        """One try: logged in, and READY within `within` seconds; else the client is let go of, open for
        another try (a closed one lets go of its event loop, and a login does not take it back: it then
        dispatched no event), and the reason raised in our words."""
        self._task = asyncio.create_task(self.bot.start(self._token))
        ready = asyncio.create_task(self.bot.wait_until_ready())
        try:
            done, _ = await asyncio.wait({self._task, ready}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()  # (done, or a stop cancelled this try)
        if ready in done:
            self._task.add_done_callback(self._ended)
            log.info("Discord: ready as %s", self.bot.user)
            return
        if self._task not in done:  # no READY in time: a gateway (or API) that took the connection and says nothing
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        error = self._task.exception() if not self._task.cancelled() else None
        await self.bot.http.close()  # its HTTP session (and a websocket opened with it) let go…
        self.bot.http.connector = discord.utils.MISSING  # … closed with the session: the next login makes one
        if error is None:
            raise DeliveryError(
                f"connecting: Discord did not say it is ready within {within:.0f} s (logging in at {_address(True)},"
                f" then at its gateway {_address(False)}); check the network"
            )
        if isinstance(error, discord.LoginFailure):
            raise ConfigError(refused(self._named)) from error
        if isinstance(error, NOT_DISCORD) and _in_login(error):
            raise ConfigError(not_discord()) from error
        if isinstance(error, discord.HTTPException) and _in_login(error):
            raise DeliveryError(login_refused(error)) from error
        if isinstance(error, aiohttp.ClientError | TimeoutError) and _in_login(error):
            raise PlatformUnreachable(
                "Discord", "logging in", _address(True), isinstance(error, TimeoutError)
            ) from error
        # discord.py fails on its own words when its gateway is out of reach: said in ours
        if (lost := _network_fault(error)) is not None:
            where = "connecting to its gateway (PAPERBOY_DISCORD_GATEWAY_URL, where set)"
            raise PlatformUnreachable("Discord", where, _address(False), isinstance(lost, TimeoutError)) from error
        log.error("the Discord client stopped while connecting", exc_info=error)
        raise ConfigError(f"the Discord client stopped while connecting: {error}") from error

    def _ended(self, task: asyncio.Task[None]) -> None:
        """The client stopped while serving, not by `stop`: Discord ended the session for a reason
        discord.py does not reconnect from (a token reset, an intent turned off). Said at once: its
        error was otherwise dropped at the stop, and Discord went unanswered without a word."""
        if task.cancelled() or (error := task.exception()) is None:
            return
        log.error("the Discord client stopped: %s; Discord is not served until paperboy is restarted", error)

    async def stop(self) -> None:
        if self._again is not None:
            self._again.cancel()
            await asyncio.gather(self._again, return_exceptions=True)
        await self.bot.in_flight.drain()  # before the client closes: a handler's answer still goes out
        await self.bot.close()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)


def _address(api: bool) -> str:
    """Where Discord was asked: its API (logging in) or its gateway."""
    return discord.http.Route.BASE if api else str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


def _network_fault(error: BaseException) -> BaseException | None:
    """The refused connection or timeout behind an error (its cause or context, at any depth), if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, aiohttp.ClientConnectionError | TimeoutError | ConnectionError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    create_public_threads=True,
    send_messages_in_threads=True,
    read_message_history=True,
)


def invite_url(client_id: int) -> str:
    """The OAuth2 URL that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands"))


async def registered(sync: Awaitable[object], where: str) -> None:
    """A command sync, whose refusal is said and passed over: one server the bot is not in (or a rate
    limit after restarts in a row) stopped `paperboy run`, Slack too, with discord.py's traceback. The
    commands stay as Discord last registered them, and are registered again at the next start."""
    try:
        await sync
    except discord.Forbidden as exc:
        log.warning(
            "`/papers` is not registered %s: Discord refused (403: %s), most likely as the bot is not in that"
            " server: invite it there (`paperboy discord-invite`), or take the id out of guilds; paperboy runs on",
            where,
            exc.text or "Missing Access",
        )
    except discord.RateLimited as exc:
        log.warning(
            "`/papers` is not registered %s now: Discord asks to wait %.0f s (restarts in a row?); it stays as"
            " last registered, and is registered again at the next start",
            where,
            exc.retry_after,
        )
    except discord.HTTPException as exc:
        log.warning(
            "`/papers` is not registered %s now: Discord answered %s %s; it stays as last registered, and is"
            " registered again at the next start",
            where,
            exc.status,
            exc.text,
        )


def application_id(token: str) -> int | None:
    """A bot token's first part is its user id, base64-encoded; for bots that is the application id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):  # ValueError: not ASCII (the README's `…`)
        return None
    return int(decoded) if decoded.isdigit() else None


_PORTAL = "the Discord developer portal: your application → Bot → Reset Token"
_SLACK_TOKENS = ("xoxb-", "xoxp-", "xoxe", "xapp-")


def token_fault(token: str, named: str) -> str | None:
    """What is wrong with the shape of a bot token, said before Discord is asked (`named`: where it was
    set), or None. Asked, Discord refuses it with a 401, but only once it answers: offline, or out of
    reach, a Slack token pasted there was tried again for ever. The token itself is never said."""
    if (slack := next((p for p in _SLACK_TOKENS if token.startswith(p)), None)) is not None:
        return f"{named} holds a Slack token (it starts {slack}): set the Discord bot's token, from {_PORTAL}"
    if token[:4].lower() == "bot ":
        return f"{named} begins with “Bot ”: set the token alone (paperboy adds that word itself)"
    if token.count(".") != 2 or application_id(token) is None:
        return (
            f"{named} is not a Discord bot token (three parts joined by dots, the first the bot's id): copy it "
            f"again from {_PORTAL}"
        )
    return None


def refused(named: str) -> str:
    """What a start says of a bot token Discord refuses, `named` as where it was set."""
    return f"Discord refused {named} (401): check the bot token"


async def rest_client(token: str, named: str = "DISCORD_TOKEN") -> discord.Client:
    """A client logged in over REST only (no gateway): enough to post a digest. Close it after use."""
    client = discord.Client(
        intents=intents(),
        allowed_mentions=discord.AllowedMentions.none(),
        max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
        http_trace=forum_post_trace(),
    )
    try:
        await client.login(token)
    except discord.LoginFailure as exc:
        await client.close()
        raise ConfigError(refused(named)) from exc
    except (aiohttp.ClientError, TimeoutError) as exc:
        await client.close()
        raise PlatformUnreachable(
            "Discord", "logging in", discord.http.Route.BASE, isinstance(exc, TimeoutError)
        ) from exc
    except NOT_DISCORD as exc:
        await client.close()
        raise ConfigError(not_discord()) from exc
    except discord.HTTPException as exc:  # a 5xx after discord.py's own retries, or another refusal than 401
        await client.close()
        raise DeliveryError(login_refused(exc)) from exc
    return client


# What discord.py raises reading an answer that is not Discord's (a proxy's page, a wrong URL's JSON)
NOT_DISCORD = (TypeError, KeyError, ValueError)


def _in_login(error: BaseException) -> bool:
    """Whether discord.py raised it reading the answer to its login (GET /users/@me), not from our own
    code or the gateway's."""
    frames = traceback.extract_tb(error.__traceback__)
    at = next((i for i, f in enumerate(frames) if f.name == "login" and "discord" in f.filename), None)
    return at is not None and not any(own in f.filename for f in frames[at:] for own in ("/adapters/", "/bot/"))


def login_refused(error: discord.HTTPException) -> str:
    """Discord's answer to the login, other than 401, in one line (never its body: a proxy's HTML page)."""
    status = getattr(error, "status", None) or "?"
    trouble = "Discord's API is having trouble" if isinstance(error, discord.DiscordServerError) else "it refused"
    return (
        f"logging in: {discord.http.Route.BASE} answered HTTP {status} ({trouble}): try again later "
        "(https://discordstatus.com), and check PAPERBOY_DISCORD_API_URL (unset: Discord's own)"
    )


def not_discord() -> str:
    return (
        f"{discord.http.Route.BASE} did not answer as Discord's API does when paperboy logged in: check "
        "PAPERBOY_DISCORD_API_URL (unset: Discord's own)"
    )
