"""Multi-workspace Slack: bolt's own OAuth flow ("Add to Slack") over paperboy's store.

`GET /slack/install` is bolt's install step, with a page of ours: an *Add to Slack* link to
PAPERBOY_SLACK_OAUTH_URL with the client id, the manifest's scopes and a fresh `state`, which bolt
also sets as a cookie in the browser. `GET /slack/oauth_redirect` is bolt's callback: the state must
match the cookie (the same browser) and be one issued here, unused and under ten minutes old (it is
consumed); then the code is exchanged with `oauth.v2.access`, the installation saved (tokens sealed),
and the page says what to do next. Each refusal gets a page of its own saying why and what to do.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from aiohttp import web
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.models.installation import Installation as SlackInstallation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.guard import ANSWERED_INSTEAD
from adapters.slack.installations import PLATFORM, StoreInstallations, StoreStates, named, workspace_of
from adapters.slack.publisher import SlackPublisher
from adapters.slack.redact import redact_tokens
from adapters.slack.tokens import REFUSED_FOR_GOOD, WorkspaceTokens, good_until
from bot.domain.words import counted
from bot.store.installations import Installations, OAuthStates
from bot.store.sealing import Sealer, Unreadable
from bot.store.workspaces import pause, resume

log = logging.getLogger("paperboy.slack")
# What bolt answers a request from a workspace with no installation here (in place of its own words).
NOT_INSTALLED = (
    "paperboy is not installed in this workspace (or was uninstalled): ask a workspace admin to add it "
    "again from paperboy's install page (/slack/install)."
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes an install asks for: config/slack-manifest.yml's (a test holds them equal).
SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "reactions:read",
    "users:read",
    "channels:read",
    "groups:read",
    "mpim:read",
    "usergroups:read",
    "im:write",
    "im:history",
    "mpim:history",
    "links:read",
    "links:write",
    "files:write",
)


@dataclass(frozen=True)
class OAuthApp:
    """The Slack app's OAuth credentials and where its pages are."""

    client_id: str
    client_secret: str = ""
    public_url: str | None = None  # https://bot.example.org: the redirect URI is this + /slack/oauth_redirect
    authorize_url: str = "https://slack.com/oauth/v2/authorize"
    rotate_minutes: int = 120  # a rotating token is refreshed this long before it expires

    @property
    def redirect_uri(self) -> str | None:
        return self.public_url.rstrip("/") + REDIRECT_PATH if self.public_url else None


Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def stores(engine: AsyncEngine, sealer: Sealer, clock: Clock = _now) -> tuple[StoreInstallations, StoreStates]:
    """bolt's installation store (an install resumes the workspace's subscriptions at `clock()`'s time, an
    uninstall pauses them) and state store, both in the database every replica shares."""

    async def installed(workspace: str) -> int:
        return await resume(engine, PLATFORM, workspace, clock())

    installations = StoreInstallations(
        Installations(engine, sealer), installed=installed, removed=partial(pause, engine, PLATFORM)
    )
    return installations, StoreStates(OAuthStates(engine))


def listen_for_departures(app: AsyncApp) -> None:
    """bolt's token revocation listeners, but telling the store which installation the event was sent for:
    bolt's own call `async_delete_*`, which can't say whether it is a team's or its org's org-wide one."""
    store = app.installation_store
    if not isinstance(store, StoreInstallations):
        raise TypeError("multi-workspace mode keeps its installations in paperboy's store (adapters.slack.oauth)")

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any], context: AsyncBoltContext) -> None:
        await store.departed(context.enterprise_id, context.team_id, bool(context.is_enterprise_install), _when(body))

    @app.event("tokens_revoked")
    async def revoked(body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext) -> None:
        if (event.get("tokens") or {}).get("bot"):  # a user's token alone: paperboy keeps none
            org = bool(context.is_enterprise_install)
            await store.departed(context.enterprise_id, context.team_id, org, _when(body))


def note_departures(app: AsyncApp) -> None:
    """One-workspace mode: the manifest's `app_uninstalled` and `tokens_revoked` said in one line of ours
    (bolt would log them as unhandled, with a listener to copy, and answer 404). There is no stored token
    to delete: SLACK_BOT_TOKEN stops working, and each channel's digest stops on its next delivery."""

    async def departed(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
            return  # a user's token alone: paperboy holds none
        log.warning(
            "Slack says paperboy was uninstalled from workspace %s or its bot token revoked (%s): SLACK_BOT_TOKEN "
            "no longer works there; install the app again and set its new token",
            body.get("team_id") or "?",
            event.get("type"),
        )

    app.event("app_uninstalled")(departed)
    app.event("tokens_revoked")(departed)


def _when(body: dict[str, Any]) -> datetime | None:
    """When Slack says an event happened (`event_time`, the same on its retries); None if it does not say."""
    at = body.get("event_time")
    return datetime.fromtimestamp(at, UTC) if isinstance(at, int | float) and not isinstance(at, bool) else None


def multi_workspace_options(oauth: AsyncOAuthSettings | None) -> dict[str, Any]:
    """AsyncApp's arguments for multi-workspace mode (none in one-workspace mode)."""
    if oauth is None:
        return {}
    logging.getLogger("slack_bolt.AsyncMultiTeamsAuthorization").addFilter(_QUIET)
    log.addFilter(_REFUSED_ACCESS)  # the flow logs to paperboy's logger (`InstallFlow(logger=log)`)
    log.addFilter(_ROTATION_FAILED)  # as does the authorize step (`_Authorize(logger=log)`)
    return {
        "oauth_flow": InstallFlow(settings=oauth, logger=log),
        "user_facing_authorize_error_message": not_installed(oauth),
    }


class _NoInstallation(logging.Filter):
    """bolt's ERROR for a request from a workspace with no installation here ("Although the app should be
    installed into this workspace, the AuthorizeResult … was not found"), said in our words, at INFO: the
    person was answered (`not_installed`), and it is no fault of paperboy's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "AuthorizeResult" in record.getMessage():
            if ANSWERED_INSTEAD.get():  # said already, truly: installed, its token not renewed (`_not_renewed`)
                return False
            record.msg, record.args = NO_INSTALLATION, ()
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


_QUIET = _NoInstallation()
NO_INSTALLATION = (
    "a request came from a Slack workspace where paperboy is not installed (or was uninstalled): a command"
    " or a button is answered with how to install it, an event (a mention, a reaction) is left unanswered"
)


def not_installed(oauth: AsyncOAuthSettings) -> str:
    """What a person in a workspace without paperboy is told: with PAPERBOY_PUBLIC_URL, the install page's
    whole address (a path alone, `/slack/install`, leads nowhere from inside Slack)."""
    redirect = oauth.redirect_uri or ""
    if not redirect.endswith(REDIRECT_PATH):
        return NOT_INSTALLED
    page = redirect.removesuffix(REDIRECT_PATH) + INSTALL_PATH
    return NOT_INSTALLED.partition(" again from")[0] + f" again at {page}"  # no full stop glued to the link


class InstallFlow(AsyncOAuthFlow):
    """bolt's OAuth flow, with an install page of ours (bolt's is headed "Slack App Installation", names no
    app, and shows its link as an image from Slack's servers)."""

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        return _page(
            "Add paperboy to Slack",
            "paperboy brings Hugging Face Daily Papers to a workspace: daily digests in the channels that "
            "subscribe, <code>/papers</code> search, and a thread for each paper.",
            f'<a href="{html.escape(url)}"><strong>Add to Slack</strong></a>',
            link=False,
        )


@dataclass(frozen=True)
class MultiSlack:
    """The multi-workspace parts: the publisher (a token per workspace), bolt's OAuth settings, the store."""

    publisher: SlackPublisher
    oauth: AsyncOAuthSettings
    installations: StoreInstallations


def multi_slack(
    engine: AsyncEngine,
    sealer: Sealer,
    app: OAuthApp,
    client: AsyncWebClient,
    *,
    interval: float = 1.0,
    clock: Clock = _now,
) -> MultiSlack:
    """Everything multi-workspace mode needs, over the shared database and one Web API client (no token);
    `clock`: when an install happens (its subscriptions' schedules begin anew that day)."""
    installations, states = stores(engine, sealer, clock)
    redact_tokens(client.logger, log, logging.getLogger("slack_bolt"), logging.getLogger("slack_sdk"))
    return MultiSlack(
        workspace_publisher(client, installations, app, interval=interval),
        oauth_settings(app, installations, states, client),
        installations,
    )


def workspace_publisher(
    client: AsyncWebClient, store: StoreInstallations, app: OAuthApp, *, interval: float = 1.0
) -> SlackPublisher:
    """A publisher whose every call carries the token of the workspace it posts in (refreshed when rotating)."""
    rotator = AsyncTokenRotator(client_id=app.client_id, client_secret=app.client_secret, client=client)
    tokens = WorkspaceTokens(store, rotator, rotate_minutes=app.rotate_minutes)
    return SlackPublisher(client, interval=interval, tokens=tokens)


def oauth_settings(
    app: OAuthApp, store: StoreInstallations, states: StoreStates, client: AsyncWebClient
) -> AsyncOAuthSettings:
    """bolt's OAuth settings: its flow and pages, our stores, our result pages; every call through `client`
    (PAPERBOY_SLACK_API_URL), token refreshes included."""
    settings = AsyncOAuthSettings(
        client_id=app.client_id,
        client_secret=app.client_secret,
        scopes=list(SCOPES),
        user_scopes=[],
        redirect_uri=app.redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=partial(_installed, store), failure=_refused),
        authorization_url=app.authorize_url,
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=app.rotate_minutes,
        state_store=states,
        # The state cookie outlives the state (`COOKIE_SECONDS`): a browser back after the ten minutes
        # still sends it, and is told the link expired (the store refuses the state), not that the
        # install was started in another browser.
        state_expiration_seconds=COOKIE_SECONDS,
        logger=log,
    )
    # bolt's own authorize, with the token rotator on our client (bolt's default would call slack.com)
    # and the auth.test answer cached per token (else every request costs a call to Slack).
    settings.authorize = _Authorize(
        store,
        logger=log,
        installation_store=store,
        client_id=app.client_id,
        client_secret=app.client_secret,
        token_rotation_expiration_minutes=app.rotate_minutes,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return settings


class _Authorize(AsyncInstallationStoreAuthorize):
    """bolt's authorize, once more from the store when it found no token: a rotating token's refresh
    token works once, and when another replica (or this one's digest) refreshed it a moment ago, bolt's
    refresh with the pair this process remembered is refused, and the person was told paperboy is not
    installed. The store then holds the winner's pair, which is read afresh."""

    def __init__(self, store: StoreInstallations, **options: Any) -> None:
        super().__init__(**options)
        self._store = store

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        async def found() -> AuthorizeResult | None:
            return await super(_Authorize, self).__call__(
                context=context,
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                actor_enterprise_id=actor_enterprise_id,
                actor_team_id=actor_team_id,
                actor_user_id=actor_user_id,
            )

        org_wide = bool(context.get("is_enterprise_install"))
        _AUTHORIZING.set(workspace_of(enterprise_id, team_id, org_wide))  # (for `_RotationFailed`'s line)
        _REFRESH_REFUSED.set("")  # this authorization's own refusal, if any
        result = await found()
        if result is None:
            self._store.installations.forget_cached(PLATFORM, workspace_of(enterprise_id, team_id, org_wide))
            result = await found() or await self._unrefreshed(context, enterprise_id, team_id, org_wide)
        return result

    async def _unrefreshed(
        self, context: AsyncBoltContext, enterprise_id: str | None, team_id: str | None, org_wide: bool
    ) -> AuthorizeResult | None:
        """The workspace's rotating token as it stands, when Slack failed to refresh it (a 500, no answer)
        and it has not expired: bolt refreshes it hours early, and its failure told the person paperboy
        was not installed. None when there is no installation, or its token is refused or expired (an
        expired one: the person is told Slack has not renewed it, not that paperboy is not installed)."""
        workspace = workspace_of(enterprise_id, team_id, org_wide)
        try:
            bot = await self._store.async_find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
            )
        except Unreadable:  # no key opens it: told paperboy is not installed, as `run` said at start (no traceback)
            return None
        until = good_until(bot, 30) if bot is not None else None  # a request is answered at once
        refused = _REFRESH_REFUSED.get() in REFUSED_FOR_GOOD  # only a new install mends it: said so (bolt's)
        if bot is not None and bot.bot_token and bot.bot_refresh_token and until is None and not refused:
            await _not_renewed(context, workspace)
            return None
        if bot is None or until is None or not bot.bot_token:
            return None
        try:
            answer = await context.client.auth_test(token=bot.bot_token)
        except SlackApiError:
            return None
        then = "then paperboy must be installed there again" if refused else "tried again at the next request"
        log.warning(
            "Slack did not renew %s's rotating token just now; its current token, good until %s UTC,"
            " answers meanwhile (%s)",
            named(workspace),
            f"{until:%H:%M}",
            then,
        )
        return AuthorizeResult.from_auth_test_response(
            auth_test_response=answer, bot_token=bot.bot_token, bot_scopes=bot.bot_scopes
        )


# What a person is told where the workspace's rotating token has expired and Slack did not renew it.
NOT_RENEWED = (
    "paperboy could not answer: Slack did not renew this workspace's access token just now (it expires every few"
    " hours and is renewed on the way). Try again in a few minutes; if it goes on, tell whoever runs paperboy."
)


async def _not_renewed(context: AsyncBoltContext, workspace: str) -> None:
    """Say so, in place of bolt's "not installed" (untrue: it is installed): to the person, where the request
    can be answered (a command's response_url, which bolt then has none of to answer on); in the log."""
    ANSWERED_INSTEAD.set(NOT_RENEWED)  # (this request's task: bolt's "not installed" is neither said nor logged)
    log.warning(
        "%s's rotating token has expired and Slack did not renew it: its requests are told to try"
        " again (renewed at the next request or sweep that Slack answers)",
        named(workspace),
    )
    if context.response_url is not None and (respond := context.respond) is not None:
        await respond(NOT_RENEWED)
        context.pop("response_url")  # (bolt answers a request it has a response_url of with "not installed")


# --- the pages at the end of an install ------------------------------------------------------------

COOKIE_SECONDS = 86_400  # the state cookie's life: a day, past the state's ten minutes
_REFUSALS = {
    "access_denied": "The install was cancelled in Slack, so nothing was installed.",
    "invalid_browser": (
        "This install was started in another browser, or in this one before another install was started (a"
        " browser can finish only the install it started last), or its cookie is gone (cookies blocked?), so"
        " nothing was installed by this step. Start again from the install page in this browser."
    ),
    "invalid_state": (
        "This install link has expired or was already used (each works once, within ten minutes), so nothing "
        "was installed by this step (an install it finished before stands: <code>/papers help</code> answers in"
        " that workspace). Otherwise start again from the install page."
    ),
    "missing_code": (
        "Slack sent no authorization code back, so nothing was installed. Start again from the install page."
    ),
    "invalid_code": (
        "Slack did not accept the authorization code (it expired, or was already used), so nothing was"
        " installed. Start again from the install page."  # (a client id and secret that do not match: their own page)
    ),
    "storage_error": "The install could not be saved (the database did not answer). Try again in a moment.",
}


def _page(title: str, *paragraphs: str, link: bool = True) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    # relative to /slack/oauth_redirect: the install page, behind a proxy's path prefix too
    again = '<p><a href="install">Back to the install page</a></p>' if link else ""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>paperboy</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}"
        "code{background:#eee;padding:0 .2em}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}{again}</body></html>"
    )


def _org_step(installation: SlackInstallation) -> tuple[str, ...]:
    """An org-wide install (Enterprise Grid) is in none of the org's workspaces yet: where its admin adds it."""
    if not installation.is_enterprise_install:
        return ()
    manage = "https://app.slack.com/manage/{}/integrations/profile/{}/workspaces/add".format(
        *(quote(str(part or ""), safe="") for part in (installation.enterprise_id, installation.app_id))
    )
    return (
        "paperboy is installed for the whole organization, but Slack adds it to none of its workspaces yet: "
        f'first <a href="{html.escape(manage)}">add it to the workspaces</a> that should use it. '
        "Subscriptions in all of them are kept under the organization.",
    )


async def _installed(store: StoreInstallations, args: AsyncSuccessArgs) -> BoltResponse:
    installation = args.installation
    where = html.escape(installation.team_name or installation.enterprise_name or "your workspace")
    workspace = workspace_of(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
    resumed = store.resumed.pop(workspace, 0)  # installed again after an uninstall: said so (it went unsaid)
    one = resumed == 1
    back = f"Installed again: its {counted(resumed, 'subscription')} from before {'is' if one else 'are'} back"
    back = f"{back} as {'it was' if one else 'they were'}. " if resumed else ""
    page = _page(
        f"paperboy is installed in {installation.team_name or installation.enterprise_name or 'your workspace'}",
        *_org_step(installation),
        f"Next, in a channel of {where} that should get a daily digest:",
        "1. invite the bot: <code>/invite @paperboy</code><br>"
        "2. subscribe the channel: <code>/papers subscribe</code> (for example "
        "<code>/papers subscribe diffusion at 09:00 tz Europe/Berlin</code>)",
        f"{back}<code>/papers help</code> lists everything else; <code>/papers settings</code> in a channel shows"
        " its digest.",
        link=False,
    )
    # The state cookie stays: the page loaded again (a reload, tabs restored) comes back with it, and is
    # told the link was used, and that an install it finished stands (not "started in another browser").
    return BoltResponse(status=200, body=page, headers={"Content-Type": "text/html; charset=utf-8"})


_CREDENTIALS = ("bad_client_secret", "invalid_client_id")  # oauth.v2.access's codes for the app's own
_REDIRECT = ("bad_redirect_uri", "oauth_authorization_url_mismatch")  # … for PAPERBOY_PUBLIC_URL's redirect
# … for Slack itself failing (and no answer at all: a gateway's page), where the code was never judged
_SLACK_FAILED = (
    "no answer of Slack's",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "ratelimited",
)
# … for the app not yet distributed: only the workspace that made it may install it (docs step 3)
_UNDISTRIBUTED = ("invalid_team_for_non_distributed_app",)
# … for the code itself: anything else Slack refuses the install for (an org's app, a workspace joining an
# org) is said with Slack's own code, not blamed on the code
_CODE = ("invalid_code", "code_already_used", "invalid_grant_type", "no answer of Slack's")
_ACCESS_REFUSED: ContextVar[str] = ContextVar("paperboy_oauth_access_refused", default="")
_REFRESH_REFUSED: ContextVar[str] = ContextVar("paperboy_refresh_refused", default="")  # Slack's error code
_AUTHORIZING: ContextVar[str] = ContextVar("paperboy_authorizing", default="")  # the request's workspace
# The operator's settings at fault, as the log says each (an ERROR: every install fails until they are mended)
_OPERATOR_FAULTS = (
    (
        _CREDENTIALS,
        "a Slack install failed: SLACK_CLIENT_ID or SLACK_CLIENT_SECRET does not match the app's (Slack: %s);"
        " copy both from the app's Basic Information page and restart paperboy",
    ),
    (
        _REDIRECT,
        "a Slack install failed: the redirect URL (PAPERBOY_PUBLIC_URL + /slack/oauth_redirect) is not one"
        " of the app's (Slack: %s); add it under OAuth & Permissions → Redirect URLs, or set"
        " PAPERBOY_PUBLIC_URL to the address the app has",
    ),
    (
        _UNDISTRIBUTED,
        "a Slack install failed: the app is not distributed, so only the workspace that made it can"
        " install it (Slack: %s); in the app's settings open Manage Distribution and choose Activate"
        " Public Distribution (docs/slack-workspaces.md)",
    ),
)


def _error_code(said: str) -> str | None:
    """Slack's error code in the text bolt logs of a refused call (`'error': 'invalid_code'`), if any."""
    found = re.search(r"'error': '([a-z_]+)'", said)
    return found[1] if found else None


class _RotationFailed(logging.Filter):
    """bolt's ERROR when it could not refresh a rotating token ("Failed to rotate tokens due to …" and
    slack_sdk's text over two lines), said in one line of our words: the workspace and Slack's error code
    (or its HTTP status, or no answer), once a request (`_Authorize` asks bolt twice); `_unrefreshed`
    then says whether the token as it stands answers meanwhile."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = record.getMessage()
        if not said.startswith("Failed to rotate tokens due to"):
            return True
        status = re.search(r"status: (\d{3})\)", said)
        code = _error_code(said) or (f"HTTP {status[1]}" if status else "no answer")
        if _REFRESH_REFUSED.get() == code:  # this request's second try, refused as its first: said once
            return False
        _REFRESH_REFUSED.set(code)  # (this request's task: `_unrefreshed` reads it)
        record.msg = "Slack did not renew %s's rotating token (%s)"
        if code in REFUSED_FOR_GOOD:
            record.msg += ", and never will: paperboy must be installed there again"
        record.args = (named(_AUTHORIZING.get() or "?"), code)
        return True


class _AccessRefused(logging.Filter):
    """bolt's warning when oauth.v2.access refuses an install's code ("Failed to fetch oauth.v2.access result
    with code: <the code> - error: …"), which names the one-time code and not the cause, said in our words;
    Slack's error code is kept for the install's page (`_refused`, in the same task, right after)."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = record.getMessage()
        if not said.startswith("Failed to fetch oauth.v2.access result"):
            return True
        code = _error_code(said) or "no answer of Slack's"
        _ACCESS_REFUSED.set(code)
        operator = next((words for codes, words in _OPERATOR_FAULTS if code in codes), None)
        if operator is not None:  # no fault of the person installing: the operator's settings
            record.msg, record.levelno, record.levelname = operator, logging.ERROR, "ERROR"
        elif code in _SLACK_FAILED:
            record.msg = "a Slack install failed: Slack did not answer the code's exchange as it should (%s)"
        elif code not in _CODE:
            record.msg = "a Slack install was refused by Slack (%s)"
        else:
            record.msg = "a Slack install's authorization code was refused by Slack (%s)"
        record.args = (code,)
        return True


_REFUSED_ACCESS = _AccessRefused()
_ROTATION_FAILED = _RotationFailed()


async def _refused(args: AsyncFailureArgs) -> BoltResponse:
    """The page of an install refused. The state cookie is left as it is: when the browser came back
    with another install's (started in a second tab), that one can still finish; a cookie whose state
    was used or expired is of no use to anyone, and the next install replaces it."""
    reason, status = args.reason, args.suggested_status_code
    slack = _ACCESS_REFUSED.get() if reason == "invalid_code" else ""
    if slack in _CREDENTIALS or slack in _REDIRECT:
        said = "paperboy's Slack settings are not set right, so nothing was installed. Tell whoever runs it."
    elif slack in _UNDISTRIBUTED:
        said = (
            "paperboy's Slack app can be installed only in the workspace that made it: it is not open to other"
            " workspaces yet, so nothing was installed. Tell whoever runs paperboy."
        )
    elif slack in _SLACK_FAILED:  # the code was never judged: Slack failed (said in the log, with its code)
        said = "Slack did not answer as it should, so nothing was installed. Start again from the install page soon."
        status = 503
    elif reason == "invalid_code" and slack and slack not in _CODE:  # not the code's fault: Slack's reason said
        said = f"Slack refused to install paperboy here (“{html.escape(slack)}”), so nothing was installed."
    elif reason == "invalid_code":  # said in the log by the filter above, with Slack's own code
        said = _REFUSALS[reason]
    else:
        said = _REFUSALS.get(reason) or (
            f"Slack reported “{html.escape(reason)}”, so nothing was installed. Start again from the install page."
        )
        log.warning("a Slack install was refused: %s", reason if reason in _REFUSALS else "slack_error")
    return BoltResponse(
        status=status,
        body=_page("paperboy was not installed", said),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def install_pages_guard() -> Callable[..., Awaitable[web.StreamResponse]]:
    """aiohttp middleware: an install page that fails (the database or Slack not answering) says so in a page
    of ours, with one log line, instead of a 500 and a traceback. Neither page is kept by a cache (the
    install page's state is one browser's, once: a proxy serving it to many failed all but the first), and
    a HEAD of the install page issues no state (each was a row in the store)."""

    @web.middleware
    async def guard(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path not in (INSTALL_PATH, REDIRECT_PATH):
            return await handler(request)
        if request.method == "HEAD":
            return web.Response(status=200, content_type="text/html", headers=NOT_KEPT)
        try:
            response = await handler(request)
            response.headers.update(NOT_KEPT)
            return response
        except web.HTTPException:
            raise
        except Exception as exc:
            log.warning("the Slack install page %s failed (%s)", request.path, type(exc).__name__)
            page = _page(
                "paperboy could not finish this step",
                "Something it needs (its database, or Slack) did not answer, so nothing was installed. "
                "Try again in a moment.",
            )
            return web.Response(status=503, text=page, content_type="text/html", headers=NOT_KEPT)

    return guard


NOT_KEPT = {"Cache-Control": "no-store"}
