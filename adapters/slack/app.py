"""The Slack app: bolt's AsyncApp with `/papers`, the Share button and mentions in paper threads.

HTTP mode serves commands, events and interactivity on one path, `/slack/events`, every request's
signature verified by bolt; Socket Mode is used instead when an app-level token is given.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import random
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.errors import MOST_RETRY_AFTER_S, RATE_LIMITED, TOKEN_REFUSALS, error_code, retry_after
from adapters.slack.files import as_file
from adapters.slack.follows import listen_for_moves, personal
from adapters.slack.guard import Background, slack_guard
from adapters.slack.home import FormOpener, SlackMembers, home_again, register_home
from adapters.slack.installations import in_direct_message, is_direct_message, workspace_of_body
from adapters.slack.oauth import install_pages_guard, listen_for_departures, multi_workspace_options, note_departures
from adapters.slack.permissions import Managers
from adapters.slack.publisher import SlackPublisher
from adapters.slack.render import SHARE_ACTION, Block, post_message, post_messages, unescape
from adapters.slack.surfaces import open_subscribe_form
from adapters.slack.surfaces import register as register_surfaces
from adapters.slack.wording import NOT_A_MEMBER, shared
from bot.chat.channel_digest import saved_a_digest
from bot.chat.commands import Subscribe, parse_command
from bot.chat.discussion import asks_of_reading_list, names_a_question
from bot.chat.home import HomeService
from bot.chat.replies import replied
from bot.chat.service import Asker, ChatService, Mention, manages_channel
from bot.domain.channels import ChannelRef
from bot.domain.errors import ConfigError
from bot.domain.post import Post
from bot.domain.publishing import still_held

if TYPE_CHECKING:
    from bot.surfaces.service import Surfaces

log = logging.getLogger("paperboy.slack")
PATH = "/slack/events"
BACKLOG = 1024  # connections the kernel holds for us: a burst of 200 commands overflowed aiohttp's 128,
# and a connection the kernel drops is tried again by its sender a second later


class _OneLineRetries(logging.Filter):
    """slack_sdk's Socket Mode client logs every failed connection attempt (every 10 s while Slack is
    unreachable) with a full traceback: keep the line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("As you gave `client` as well"):
            return False  # bolt read SLACK_BOT_TOKEN from the environment itself; our client has it already
        if record.exc_info and str(record.msg).startswith("Failed to connect"):
            record.msg = f"Slack Socket Mode: {record.getMessage()} (every 10 s until Slack answers or paperboy stops)"
            record.args = None
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"  # retried: not an error yet
        return True


log.addFilter(_OneLineRetries())


# Calls that make something new each time: sent again after a connection dropped mid-answer, Slack
# may have kept the first (a card posted twice). They are not retried here; a digest's resume finds
# a post that arrived by its metadata before posting again.
CREATING = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "views.open", "views.push"})


class _ConnectionRetry(AsyncConnectionErrorRetryHandler):
    """slack_sdk's retry after a connection error, except for a creating call whose request may have
    reached Slack (a refused connection sent nothing: that one is retried too)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = request.url.rstrip("/").rpartition("/")[2]
        if method in CREATING and not isinstance(error, aiohttp.ClientConnectorError):
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


class _RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's wait on a 429, for a Retry-After of at most `MOST_RETRY_AFTER_S`: a longer one is not
    waited out here. A digest sweep waits for each call it makes, so one channel's `Retry-After: 100`
    held every other channel's digest (and the ticks in between); refused now, that channel's digest is
    tried again at a later tick and the others go on."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if error is not None or response is None:
            return False  # (an error: ours after the wait, `LeaseLost`, goes up as it is)
        if response.status_code != 429:  # … or Slack's rate limit said in an answer of 200 (nothing was posted)
            body = response.body
            return response.status_code == 200 and isinstance(body, dict) and body.get("error") in RATE_LIMITED
        wait = retry_after(response.headers)
        return wait is None or wait <= MOST_RETRY_AFTER_S

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """The wait, then, before the same post again: whether this process still holds the digest it
        posts for (`still_held`). On PostgreSQL a hold goes with its database session: one lost during a
        15 s Retry-After let another process take the digest over and post that message, and ours then
        posted it again."""
        wait = retry_after(response.headers) if response is not None else None
        await asyncio.sleep((1.0 if wait is None else wait) + random.random())  # Retry-After: delta or HTTP date
        await still_held()  # before asking for the next attempt: raised after it, slack_sdk would still retry
        state.next_attempt_requested = True
        state.increment_current_attempt()


def slack_client(token: str | None, api_url: str, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """The Web API client: waits out 429s (a Retry-After of up to 30 s) up to three times before giving
    up, and retries a dropped connection once, except for a post that may have arrived (`CREATING`).

    Give it a `session` (and close that yourself) to reuse connections: slack_sdk otherwise opens
    a new one for every call, which costs a busy digest sweep a good share of its CPU.
    """
    retries = [_ConnectionRetry(), _RateLimitRetry(max_retry_count=3)]
    return AsyncWebClient(token=token, base_url=api_url, session=session, retry_handlers=retries)


def http_session() -> aiohttp.ClientSession:
    """One connection pool for all of the bot's Slack calls (use it with `async with`)."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1000))


async def _reply(client: AsyncWebClient, body: dict[str, Any], *, text: str, blocks: Sequence[Any] = ()) -> None:
    """Answer only the caller, through the request's response_url, over the Web API client's pooled
    connections (bolt's `respond` opens a new HTTP session for every answer: ~2-5 ms of CPU each)."""
    url = str(body.get("response_url") or "")
    if not url:
        log.warning("a Slack request came without a response_url; its answer is dropped")
        return
    webhook = AsyncWebhookClient(url=url, session=client.session, timeout=client.timeout)
    response = await webhook.send(text=text, blocks=list(blocks), response_type="ephemeral", replace_original=False)
    if response.status_code >= 400:
        log.warning("Slack refused an answer through response_url (%d: %s)", response.status_code, response.body)


def _form_opener(surfaces: Surfaces, managers: Managers) -> FormOpener:
    """The App Home's Settings button opens the same form as a bare `/papers subscribe` (for people who
    may change the channel; anyone else sees its settings in the home)."""

    async def opened(client: AsyncWebClient, trigger_id: str, channel: ChannelRef, user: str) -> str | None:
        opening = open_subscribe_form(client, surfaces, managers, trigger_id, channel, user, from_home=True)
        told = await replied(
            opening,
            f"opening the form of {channel.channel} from the App Home",
            lambda line: Post("paperboy", text=(line,)),
        )
        return None if told is None else " ".join(told.text)

    return opened


def create_app(
    chat: ChatService,
    client: AsyncWebClient,
    signing_secret: str,
    publisher: SlackPublisher,
    *,
    admins: Sequence[str] = (),
    oauth: AsyncOAuthSettings | None = None,
    home: HomeService | None = None,
    surfaces: Surfaces | None = None,
) -> AsyncApp:
    """The bolt app; `admins` is the config file's `[slack] admins` (see adapters.slack.permissions).

    With `oauth` (multi-workspace mode, adapters/slack/oauth.py) bolt serves the install pages, finds
    each request's token by its workspace, and deletes a workspace's token when Slack says the app
    was uninstalled or its tokens revoked; `client` then carries no token of its own. With `home`, the
    App Home tab (adapters.slack.home); with `surfaces`, link cards and the subscribe form
    (adapters.slack.surfaces)."""
    # `name` given: bolt otherwise names the app by walking the call stack (inspect.stack, ~60 ms).
    app = AsyncApp(
        name="paperboy", client=client, signing_secret=signing_secret, logger=log, **multi_workspace_options(oauth)
    )
    if oauth is not None:
        listen_for_departures(app)
    else:
        note_departures(app)
    managers = Managers(admins, many=oauth is not None)
    listen_for_moves(app, chat)
    if home is not None:
        register_home(app, home, SlackMembers(client), _form_opener(surfaces, managers) if surfaces else None)
    if surfaces is not None:
        again = home_again(home, SlackMembers(client)) if home is not None else None
        register_surfaces(app, surfaces, managers, again)  # before `/papers`: its bare `subscribe` opens the form

    @app.command("/papers")
    async def papers(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()  # within Slack's 3 s, before any work
        direct = in_direct_message(body)
        channel = ChannelRef("slack", str(body.get("channel_id", "")), workspace_of_body(body))
        user, typed = str(body.get("user_id", "")), unescape(str(body.get("text", "")))

        async def answer() -> list[tuple[str, list[Block]]]:
            command, where = await personal(client, parse_command(typed), channel, user, direct)
            # Slack is asked (a call or two) only when the command would change the channel's digest.
            needed = manages_channel(command) and not direct  # a direct message has no channel digest to change
            allowed = True
            if needed:  # "subscribed", and then no digest ever: not in a channel the bot cannot post in
                ask = managers.may_subscribe if isinstance(command, Subscribe) else managers.can_manage
                allowed = await ask(client, user, where.channel, workspace=where.workspace)
            post = await chat.answer(command, Asker(where, user, direct=direct, can_manage=allowed))
            saved = saved_a_digest(post)  # (`settings at 10:00` with no digest saves none)
            if needed and isinstance(command, Subscribe) and saved and managers.outside(where.channel):
                post = replace(post, text=(*post.text, NOT_A_MEMBER))  # votes and questions never arrived, unsaid
            return post_messages(await as_file(client, user, post), share=not direct)  # a long BibTeX: a file

        for text, blocks in await replied(answer(), f"/papers {typed!r}", lambda line: [(line, [])]):
            await _reply(client, body, text=text, blocks=blocks)

    @app.action(SHARE_ACTION)
    async def share(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
        paper = str((body.get("actions") or [{}])[0].get("value", ""))
        workspace = workspace_of_body(body)
        here = publisher.for_workspace(workspace)  # the token of the workspace it comes from

        async def answer() -> str:
            return shared(await chat.share("slack", channel, paper, here, workspace=workspace))

        await _reply(client, body, text=await replied(answer(), f"sharing {paper} in {channel}", str))

    @app.event("app_mention")
    async def mention(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("edited"):
            return  # Slack sends a mention again, as a new event, when its message is edited: answered once
        if event.get("bot_id") or event.get("subtype") == "bot_message":
            return  # another bot's (a relay, an assistant): answering bots can loop, as on Discord and in DMs
        await answer_mention(body, event, client)

    async def answer_mention(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        channel, ts, thread = str(event.get("channel", "")), str(event.get("ts", "")), event.get("thread_ts")
        event_id = str(body.get("event_id") or f"{channel}:{ts}")
        text = unescape(str(event.get("text", "")))
        asked = Mention(
            "slack",
            event_id,
            channel,
            str(thread) if thread else None,
            text,
            str(event.get("user") or ""),
            workspace_of_body(body),
        )
        here = publisher.for_workspace(workspace_of_body(body))

        async def say(post: Post) -> None:  # a long bibliography (`cite A, B …`): a file, as the command's is
            text, blocks = post_message(await as_file(client, asked.user, post, public=True) if asked.user else post)
            alone = post.private and asked.user and not is_direct_message(channel)  # (a DM is theirs alone)
            if alone and await _whispered(client, channel, asked.user, (text, blocks), thread or ts):
                return
            await here.post_message(channel, text, blocks, thread=str(thread or ts))

        await chat.mention(asked, say)

    # In a direct message with the bot (a personal digest's cards) Slack sends no app_mention, only
    # the message (message.im); there the bot is the only one to talk to, so a thread question named
    # outright in a card's thread is asked of it, named or not. Registered before the community's
    # listener for messages (bolt runs the first that matches); other messages go on to it.
    async def asked_in_direct_message(event: dict[str, Any], context: AsyncBoltContext) -> bool:
        thread, text = _direct_message(event, context.bot_user_id)
        if text is None:
            return False
        if context.bot_user_id and f"<@{context.bot_user_id}>" in text:
            return True
        asked = names_a_question(text) or asks_of_reading_list(text)  # `save`, `unsave`: a card's paper
        if thread is None:  # outside a card's thread: answered about a paper it names, else told how to ask
            return asked
        return asked and await chat.discusses("slack", str(event.get("channel")), thread)

    app.event("message", matchers=[asked_in_direct_message])(answer_mention)

    return app


async def _whispered(
    client: AsyncWebClient, channel: str, user: str, message: tuple[str, list[Block]], thread: object
) -> bool:
    """Whether a thread's answer went to the asker alone (chat.postEphemeral, in the thread): a save's
    confirmation, of a reading list only they see. Where Slack refuses it, the answer is posted for all."""
    text, blocks = message
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, thread_ts=str(thread))
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:  # (the save is stored: it is said anyway)
        why = error_code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
        log.info("could not answer %s alone in %s (%s): answered in the thread", user, channel, why)
        return False
    return True


def _direct_message(event: dict[str, Any], bot: str | None) -> tuple[str | None, str | None]:
    """(the thread, the text) of a person's message in their direct message with the bot, the thread
    None outside one; (None, None) for anything else: an edit, a deletion, a bot's message."""
    thread, ts, text = event.get("thread_ts"), event.get("ts"), event.get("text")
    if event.get("channel_type") != "im" or not isinstance(text, str):
        return None, None
    if event.get("bot_id") or event.get("subtype") not in (None, "thread_broadcast", "file_share"):
        return None, None
    if not event.get("user") or event.get("user") == bot:
        return None, None
    return (str(thread) if thread and thread != ts else None), text


TOKEN_CHECK_SECONDS = 15.0  # an unreachable Slack is not waited for here: the platform retries as ever


@dataclass(frozen=True)
class TokensNamed:
    """Where each Slack token was set, as a refusal names it: a variable, its `_FILE`, or the config file."""

    bot: str = "SLACK_BOT_TOKEN"
    app: str = "SLACK_APP_TOKEN"


async def tokens_accepted(client: AsyncWebClient, app_token: str | None, named: TokensNamed = TokensNamed()) -> None:
    """Refuse to start, in one line, on a token Slack refuses (a typo at deploy time: every digest would
    fail, and Socket Mode would ask for a connection every 10 s for ever). A Slack that does not answer
    is no reason to stop: it is tried again as it always is."""
    if (client.token or "").startswith("xoxp-"):  # Slack's auth.test accepts it: every post would be that person's
        raise ConfigError(
            f"{named.bot} is a user token (xoxp-…): set the Bot User OAuth Token (xoxb-…), shown beside it on"
            " the app's OAuth & Permissions page, and start paperboy again"
        )
    token = client.token or ""
    if token and not token.startswith("xox"):  # no Slack token at all: the signing secret, the app token pasted
        raise ConfigError(
            f"{named.bot} is not a bot token ({_kind(token)}; those start xoxb-): set the Bot User"
            " OAuth Token from the app's OAuth & Permissions page"
            + (" (an app-level token goes in SLACK_APP_TOKEN)" if token.startswith("xapp-") else "")
            + " and start paperboy again"
        )
    if app_token and not app_token.startswith("xapp-"):  # without Slack: offline, it was asked for every 10 s
        raise ConfigError(
            f"{named.app} is not an app-level token ({_kind(app_token)}; those start xapp-): create"
            " one under Basic Information → App-Level Tokens with the connections:write scope, or unset"
            f" {named.app} for HTTP mode, and start paperboy again"
        )
    checks: list[tuple[str, Callable[[], Awaitable[Any]]]] = []
    if client.token:  # multi-workspace mode has no token of its own
        checks.append((named.bot, partial(_a_bot, client, named.bot)))
    if app_token:
        checks.append((named.app, partial(client.apps_connections_open, app_token=app_token)))
    if not checks:  # multi-workspace mode: whether Slack's API answers at all (api.test takes no token)
        checks.append(("", client.api_test))
    for name, check in checks:
        try:
            await asyncio.wait_for(check(), TOKEN_CHECK_SECONDS)
        except SlackApiError as exc:
            code = error_code(exc)
            if name and (code in TOKEN_REFUSALS or code == "not_allowed_token_type"):  # api.test: Slack answered
                kind = (
                    " (SLACK_BOT_TOKEN starts xoxb-, SLACK_APP_TOKEN xapp-)" if code == "not_allowed_token_type" else ""
                )
                raise ConfigError(
                    f"Slack refused {name} ({code}){kind}: set the right token and start paperboy again"
                ) from None
            if not code:  # an answer, but not Slack's (an HTML page, a 404): the wrong address
                status = getattr(exc.response, "status_code", "?")
                _unanswered(client, f"it answered HTTP {status}, not as Slack's API does")
                return
        except (aiohttp.ClientError, TimeoutError) as exc:
            _unanswered(client, _connection_said(exc))
            return


KINDS = {"xoxb-": "a bot token, xoxb-…", "xapp-": "an app-level token, xapp-…", "xoxp-": "a user token, xoxp-…"}


def _kind(token: str) -> str:
    """What a token in the wrong place is, named without showing it."""
    if token[:7].lower() == "bearer ":  # pasted from a curl line: the header's word, not the token's
        return "it begins with “Bearer ”, the HTTP header's word: keep only what follows it"
    kind = next((k for prefix, k in KINDS.items() if token.removeprefix("xoxe.").startswith(prefix)), None)
    if kind:
        return f"it is {kind}"
    return "it is another kind of Slack token" if token.startswith("xox") else "it is none of Slack's tokens"


async def _a_bot(client: AsyncWebClient, named: str = "SLACK_BOT_TOKEN") -> None:
    """auth.test of SLACK_BOT_TOKEN, refused when it names no bot: a person's token (a refreshable
    `xoxe.xoxp-…`, a legacy one), which Slack takes, and every digest would be posted as them."""
    answer = await client.auth_test()
    if not answer.get("bot_id"):
        raise ConfigError(
            f"{named} is not a bot's token: Slack says it is {answer.get('user_id') or 'a person'}'s."
            " Set the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page and start paperboy again"
        )


async def token_team(token: str, api_url: str) -> str | None:
    """The workspace a bot token is of (auth.test); None where Slack could not say."""
    try:
        async with http_session() as session:
            answer = await slack_client(token, api_url, session).auth_test()
    except (SlackApiError, aiohttp.ClientError, TimeoutError):
        return None
    return str(answer.get("team_id") or "") or None


def _connection_said(exc: aiohttp.ClientError | TimeoutError) -> str:
    """Why Slack's API could not be reached, in our words (aiohttp's were `ClientConnectorError: Cannot
    connect to host 127.0.0.1:9 ssl:default [Connect call failed ('127.0.0.1', 9)]`)."""
    if isinstance(exc, TimeoutError):
        return f"no answer in {TOKEN_CHECK_SECONDS:g} s"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError):
        return "its TLS certificate was not accepted"
    cause = getattr(exc, "os_error", None)
    if isinstance(cause, ConnectionRefusedError):
        return "nothing answers there"
    if isinstance(cause, OSError) and "name" in str(cause).lower():  # gaierror: `Name or service not known`
        return "its name does not resolve"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without an answer"
    return "the connection failed"


def _unanswered(client: AsyncWebClient, why: str) -> None:
    """The one line saying Slack's API could not be asked at start; paperboy runs on, and tries again."""
    log.warning(
        "Slack's API at %s could not be asked whether the tokens work (%s): paperboy runs on and posts once it"
        " answers; check the network, or PAPERBOY_SLACK_API_URL if it is set",
        client.base_url,
        why,
    )


class _Held(AsyncListenerStartHandler):
    """bolt runs a listener, after its ack, in a task it keeps no hold on: stopping returned with
    acknowledged commands still searching, and their answers were cut off. bolt calls this first, in
    that task: it is counted as under way (`Background.hold`) until it ends."""

    def __init__(self, background: Background, inner: AsyncListenerStartHandler) -> None:
        self._background = background
        self._inner = inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        self._background.hold()
        await self._inner.handle(request=request, response=response)


class SlackRuntime:
    """Runs the app: Socket Mode with an app-level token, else HTTP on `port` (with /healthz), every
    request checked at the door (`adapters.slack.guard`) before bolt sees it."""

    def __init__(
        self,
        app: AsyncApp,
        *,
        signing_secret: str,
        port: int,
        host: str = "0.0.0.0",
        app_token: str | None = None,
        health: Callable[[], Awaitable[str | None]] | None = None,
        named: TokensNamed = TokensNamed(),
    ) -> None:
        self.app = app
        self._named = named
        self._signing_secret = signing_secret
        self._health = health
        self._background = Background()
        runner = app.listener_runner
        runner.listener_start_handler = _Held(self._background, runner.listener_start_handler)
        self._port = port
        self._host = host
        self._app_token = app_token
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.port: int | None = None

    async def start(self) -> None:
        await tokens_accepted(self.app.client, self._app_token, self._named)
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app, app_token=self._app_token)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack: connected in Socket Mode")
            return
        web_app = self.app.web_app(path=PATH)
        web_app.middlewares.append(slack_guard(self._signing_secret, PATH, self._background))
        if self.app.oauth_flow is not None:  # multi-workspace mode: the install pages beside /slack/events
            web_app.middlewares.append(install_pages_guard())
        web_app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port, backlog=BACKLOG)
        try:
            await site.start()
        except OSError as exc:
            if exc.errno != errno.EADDRNOTAVAIL and not isinstance(exc, socket.gaierror):
                raise  # a port in use is said by the command (bot.app.cli.running)
            raise ConfigError(
                f"paperboy cannot listen on {self._host} (PAPERBOY_SLACK_HOST): it is not an address of this "
                "machine; use 0.0.0.0 (every address) or 127.0.0.1 (behind a proxy on this machine)"
            ) from exc
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self._port
        host = f"[{self._host}]" if ":" in self._host else self._host  # an IPv6 address, as a URL writes it
        log.info("Slack: listening on http://%s:%s%s", host, self.port, PATH)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._runner is not None:
            await self._runner.cleanup()
        await self._background.drain()

    async def _healthz(self, _request: web.Request) -> web.Response:
        """200 "ok" while the process serves and its database answers; 503 with the failing part otherwise."""
        problem = await self._health() if self._health is not None else None
        if problem:
            return web.Response(text=problem, status=503)
        return web.Response(text="ok")
