"""Posting to Slack: paced to about one message per second per channel, 429s waited out, dead channels reported."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import (
    MOST_RETRY_AFTER_S,
    RATE_LIMITED,
    TOKEN_REFUSALS,
    asked_wait,
    error_code,
    error_fields,
    http_status,
)
from adapters.slack.notes import GONE, note_message
from adapters.slack.render import card_message, header_message, linkable, thread_blocks
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable, DeliveryError, MessageRefused, PlatformUnreachable, WorkspacePaused
from bot.domain.post import Card, Post
from bot.domain.publishing import LOOK_BACK_S, MessageRef

# Errors that will not pass by themselves: stop posting to that channel (or with that token).
PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "messages_tab_disabled",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "restricted_action",
        "team_access_not_granted",
        "org_login_required",
        "ekm_access_denied",
    }
)
WHY = {
    "channel_not_found": (
        "the channel does not exist or the bot cannot see it: check its id (slack:C…), and invite the bot to a "
        "private channel with /invite @paperboy"
    ),
    "not_in_channel": "the bot is not a member of the channel (invite it with /invite)",
    "is_archived": "the channel is archived",
    "messages_tab_disabled": (
        "the app's Messages tab is turned off, so it cannot write to anyone directly: whoever manages the app "
        "turns it on (App Home → Messages Tab), then follow again"
    ),
    "invalid_auth": "the bot token is invalid",
    "account_inactive": "the bot's token belongs to a deactivated app or user",
    "token_revoked": "the bot token was revoked",
    "token_expired": "the bot token expired",
    "not_authed": "no token was sent",
    "missing_scope": "the app lacks a scope it needs (reinstall it from config/slack-manifest.yml)",
    "team_access_not_granted": "the app is not granted access to this workspace (an org-wide install)",
    "ekm_access_denied": "the workspace's administrators have suspended the app's access",
}

# Refusals of the message itself (ours: the renderer keeps within Slack's limits, so this is a fault of
# paperboy's to report), not of the channel or the token: the channel keeps its digest.
REFUSED_MESSAGE = {
    "msg_too_long": "the message is longer than Slack takes",
    "msg_blocks_too_long": "the message's blocks are longer than Slack takes",
    "invalid_blocks": "Slack could not read the message's blocks",
    "invalid_blocks_format": "Slack could not read the message's blocks",
    "no_text": "the message had no text",
    "too_many_attachments": "the message has more attachments than Slack takes",
}

# Reading a channel's history refused where posting is allowed: a public channel the bot posts to
# with chat:write.public without being a member.
UNREADABLE = frozenset({"not_in_channel"})
Sleep = Callable[[float], Awaitable[None]]
log = logging.getLogger(__name__)
# Refusals of the app in the whole workspace, not of one channel: mended by a reinstall, not a subscribe.
APP_REFUSALS = frozenset({"missing_scope", "team_access_not_granted", "ekm_access_denied"})


class Tokens(Protocol):
    """Each workspace's bot token, in multi-workspace mode (adapters/slack/tokens.py)."""

    async def token(self, workspace: str, channel: str) -> str:
        """The workspace's token; ChannelUnavailable when the app is not installed there."""
        ...

    def forget(self, workspace: str) -> None:
        """Drop what is cached of the workspace's installation: the next `token` reads the store."""
        ...


METADATA_EVENT = "paperboy_post"  # message metadata: how a takeover recognises a post already made
PACED_CHANNELS = 1000  # channels whose pace is kept; past it, those idle for `interval` are forgotten
HISTORY_PAGE, HISTORY_PAGES = 200, 10  # a takeover looks through up to 2,000 messages since the intent


class SlackPublisher:
    """Implements the publishing port with chat.postMessage; a thread is the root message's `ts`.

    With `tokens` (multi-workspace mode) each call carries the token of the workspace it posts to:
    `for_workspace(team)` is this publisher for that workspace (it shares the connections and the
    pacing). Without, every call uses the client's one token and `for_workspace` is the publisher itself.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        tokens: Tokens | None = None,
        workspace: str = "",
    ) -> None:
        self._client = client
        _unseen_debug_off(client.logger)
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._tokens = tokens
        self.workspace = workspace
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._views: dict[str, SlackPublisher] = {}

    def _payload(self, key: str) -> dict[str, str]:
        """A post's metadata: its key, and the workspace it was posted for where there are several (`find`)."""
        return {"key": key, "workspace": self.workspace} if self.workspace else {"key": key}

    def for_workspace(self, workspace: str) -> SlackPublisher:
        """This publisher, posting with `workspace`'s token (itself when there is one token for all)."""
        if self._tokens is None or workspace == self.workspace:
            return self
        view = self._views.get(workspace)
        if view is None:
            view = SlackPublisher(self._client, interval=self._interval, clock=self._clock, sleep=self._sleep)
            view._tokens, view.workspace = self._tokens, workspace
            view._last, view._locks = self._last, self._locks  # one pace per channel, whoever posts
            self._views[workspace] = view
        return view

    async def _call(self, where: str, method: Callable[..., Awaitable[Any]], **args: Any) -> Any:
        """One Web API call (Slack unreachable: PlatformUnreachable, a DeliveryError: tried again later)."""
        try:
            return await self._authorized(where, method, **args)
        except (aiohttp.ClientError, TimeoutError) as exc:
            url, broke = str(self._client.base_url), isinstance(exc, BROKE_OFF)
            raise PlatformUnreachable(
                "Slack", str(self._ref(where)), url, isinstance(exc, TimeoutError), broke=broke
            ) from exc

    async def _authorized(self, where: str, method: Callable[..., Awaitable[Any]], **args: Any) -> Any:
        """The call with the workspace's token when there are several: a token Slack refuses is looked
        up again (the workspace may have reinstalled; or uninstalled: then it is paused), never retried
        as it was."""
        if self._tokens is None:
            return await method(**args)
        token = await self._tokens.token(self.workspace, where)
        try:
            return await method(token=token, **args)
        except SlackApiError as exc:
            if error_code(exc) not in TOKEN_REFUSALS:
                raise
            self._tokens.forget(self.workspace)
            fresh = await self._tokens.token(self.workspace, where)  # raises ChannelUnavailable when gone
            if fresh == token:
                raise
        return await method(token=fresh, **args)

    def _mapped(self, channel: str, exc: SlackApiError, method: str = "chat.postMessage") -> Exception:
        return _mapped(self._ref(channel), exc, method, one_token=self._tokens is None)

    def _ref(self, channel: str) -> ChannelRef:
        """The channel in this publisher's workspace (none with one token for all): as refusals name it."""
        return ChannelRef("slack", channel, self.workspace)

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        text, blocks = header_message(post)
        return await self._post(channel, text, blocks, key=key)

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        text, blocks = card_message(card)
        return await self._post(channel, text, blocks, key=key)

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        text, blocks = thread_blocks(card)
        return await self._post(root.channel, text, blocks, thread=root.thread, key=key)

    async def post_message(
        self, channel: str, text: str, blocks: list[dict[str, Any]], thread: str | None
    ) -> MessageRef:
        """Any message (answers to mentions, say), paced and error-mapped like the digest's."""
        return await self._post(channel, text, blocks, thread=thread)

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        text, blocks = note_message(post)
        return await self._post(channel, text, blocks, thread=thread, key=key)

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        """chat.update of the card, paced with the channel's posts; False when Slack says it is deleted."""
        text, blocks = card_message(card)
        try:
            await self._paced(
                ref.channel,
                lambda: self._call(
                    ref.channel, self._client.chat_update, channel=ref.channel, ts=ref.message, text=text, blocks=blocks
                ),
            )
        except SlackApiError as exc:
            if error_code(exc) in GONE:
                return False
            raise self._mapped(ref.channel, exc, "chat.update") from exc
        return True

    async def permalink(self, ref: MessageRef) -> str | None:
        """chat.getPermalink of the thread's root; None for a message or channel that is gone."""
        try:
            response = await self._call(
                ref.channel, self._client.chat_getPermalink, channel=ref.channel, message_ts=ref.thread or ref.message
            )
        except SlackApiError as exc:
            if error_code(exc) in GONE | {"channel_not_found"}:
                return None
            raise self._mapped(ref.channel, exc, "chat.getPermalink") from exc
        link = response.get("permalink")
        return link if isinstance(link, str) and linkable(link) else None

    async def card_exists(self, ref: MessageRef) -> bool:
        """conversations.history of exactly the card's ts: empty once it was deleted."""
        try:
            response = await self._call(
                ref.channel,
                self._client.conversations_history,
                channel=ref.channel,
                oldest=ref.message,
                latest=ref.message,
                inclusive=True,
                limit=1,
            )
        except SlackApiError as exc:
            if error_code(exc) in UNREADABLE:
                return True  # posted with chat:write.public, not readable: not known to be gone
            raise self._mapped(ref.channel, exc, "conversations.history") from exc
        # A deleted message with replies stays as a tombstone ("This message was deleted.").
        messages = response.get("messages") or []
        return any(str(m.get("ts")) == ref.message and m.get("subtype") != "tombstone" for m in messages)

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        """Look through the channel (or thread) since `since` for our message carrying `key` in its metadata."""
        oldest = f"{since.timestamp() - LOOK_BACK_S:.6f}"
        history = self._client.conversations_history if thread is None else self._client.conversations_replies
        within = {} if thread is None else {"ts": thread}
        method = "conversations.history" if thread is None else "conversations.replies"
        cursor: str | None = None
        read = 0
        for _ in range(HISTORY_PAGES):  # newest first: a busy channel may hold many messages since
            try:
                response = await self._call(
                    channel,
                    history,
                    channel=channel,
                    oldest=oldest,
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=cursor,
                    **within,
                )
            except SlackApiError as exc:
                self._unreadable(channel, exc, method)
                return None
            read += len(response.get("messages") or [])
            for message in response.get("messages") or []:
                payload = ((message.get("metadata") or {}).get("event_payload")) or {}
                # a channel shared by two workspaces (Slack Connect) holds both installs' posts, under the same
                # keys: ours say our workspace (those of versions before it said none: taken as ours)
                if payload.get("key") == key and payload.get("workspace", self.workspace) == self.workspace:
                    ts = str(message["ts"])
                    return MessageRef(channel, ts, thread or ts)
            cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
            if not response.get("has_more") or not cursor:
                return None
        log.warning(
            "looked through %d messages in %s for a post begun before a takeover, not further: posting it again",
            read,
            channel,
        )
        return None

    def _unreadable(self, channel: str, exc: SlackApiError, method: str) -> None:
        """A channel whose history cannot be read: said, and nothing found (posted again); else the error."""
        if (code := error_code(exc)) in UNREADABLE:  # posts there (chat:write.public), cannot read there
            log.warning(
                "cannot look in %s for a post begun before a takeover (%s): posting it again, which may"
                " show it twice; invite the bot to the channel to avoid this",
                channel,
                code,
            )
            return
        raise self._mapped(channel, exc, method) from exc

    async def _post(
        self, channel: str, text: str, blocks: list[dict[str, Any]], thread: str | None = None, key: str | None = None
    ) -> MessageRef:
        try:
            response = await self._paced(
                channel,
                lambda: self._call(
                    channel,
                    self._client.chat_postMessage,
                    channel=channel,
                    text=text,
                    blocks=blocks,
                    thread_ts=thread,
                    unfurl_links=False,
                    unfurl_media=False,
                    metadata={"event_type": METADATA_EVENT, "event_payload": self._payload(key)} if key else None,
                ),
            )
        except SlackApiError as exc:
            raise self._mapped(channel, exc) from exc
        ts = str(response["ts"])
        return MessageRef(channel=str(response.get("channel") or channel), message=ts, thread=thread or ts)

    async def _paced(self, channel: str, call: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        """Make the call when the channel's last write is `interval` old: writes to one channel go one at a time."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            last = self._last.get(channel)
            if last is not None:
                wait = self._interval - (self._clock() - last)
                if wait > 0:
                    await self._sleep(wait)
            try:
                return await call()
            finally:
                self._last[channel] = self._clock()
                self._forget_idle()

    def _forget_idle(self) -> None:
        """Past `PACED_CHANNELS`, forget the channels whose last write is over `interval` old and that no
        write is waiting for: else a long-running process kept a lock and a time for every channel it
        ever answered a mention or a Share in."""
        if len(self._last) <= PACED_CHANNELS:
            return
        idle = self._clock() - self._interval
        for channel in [c for c, at in self._last.items() if at <= idle and not self._locks[c].locked()]:
            del self._last[channel], self._locks[channel]


def _unseen_debug_off(logger: logging.Logger) -> None:
    """Stop slack_sdk formatting every request and response for a debug line that nothing will show.

    It decides by the logger's own level (`logger.level <= DEBUG`), not by `isEnabledFor`, and a
    logger's own level is 0 until someone sets it: so each post formats its whole payload and the
    answer into strings that `logger.debug` then drops (about a sixth of a post's CPU in a digest
    sweep). Setting the level the logger already inherits changes nothing that is logged; to see
    slack_sdk's debug lines, configure logging for DEBUG before the publisher is made.
    """
    if logger.level == logging.NOTSET and not logger.isEnabledFor(logging.DEBUG):
        logger.setLevel(logger.getEffectiveLevel())


# aiohttp's words for a connection that broke off after the request went, the answer not come (or cut short)
BROKE_OFF = (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)


def _mapped(
    ref: ChannelRef, exc: SlackApiError, method: str = "chat.postMessage", *, one_token: bool = False
) -> Exception:
    """Slack's refusal as ours: a channel's own refusal stops that channel (`ChannelUnavailable`). A refused
    token or an app refused in the whole workspace (a missing scope) is no channel's fault: with
    `one_token` (one workspace, SLACK_BOT_TOKEN) the delivery fails, to be tried again once it is mended,
    and every channel keeps its digest; with many, the workspace is paused until it installs the app
    again (`WorkspacePaused`: its living threads wait for it too)."""
    code = error_code(exc)
    status = http_status(exc)
    if code in TOKEN_REFUSALS | APP_REFUSALS:
        why = WHY.get(code, "Slack refused the bot token")
        if not one_token:
            return WorkspacePaused(str(ref), f"{code} ({why}; installing the app again resumes)")
        if code in APP_REFUSALS:
            needed = error_fields(exc).get("needed")
            lacking = f"; it needs the {needed} scope" if needed else ""
            return DeliveryError(
                f"Slack refused {method} ({code}: {why}{lacking}): mend the app's install and restart paperboy"
            )
        return DeliveryError(f"Slack refused SLACK_BOT_TOKEN ({code}: {why}): set the right token and restart paperboy")
    if code in PERMANENT:
        return ChannelUnavailable(str(ref), f"{code} ({WHY.get(code, 'Slack refused the bot')})")
    if code in RATE_LIMITED and status != 429:
        return DeliveryError(
            f"Slack kept rate-limiting {method} in {ref.channel} ({code}): tried again at a later sweep"
        )
    if status == 429:
        if (wait := asked_wait(exc)) is not None and wait > MOST_RETRY_AFTER_S:  # refused at once, not retried
            return DeliveryError(
                f"Slack asked to wait {wait:.0f} s (Retry-After) before the next {method} in {ref.channel}, longer "
                f"than the {MOST_RETRY_AFTER_S} s paperboy waits within a sweep: tried again at a later sweep"
            )
        return DeliveryError(f"Slack kept rate-limiting {method} in {ref.channel} (429 after retries)")
    if not code and status is not None and status >= 500:  # a proxy's or Slack's error page: no refusal
        return DeliveryError(
            f"Slack's API answered HTTP {status} to {method} in {ref.channel} (Slack is having trouble)"
        )
    if not code:  # something else answered: Slack refused nothing
        return DeliveryError(
            f"{method} in {ref.channel} was answered HTTP {status} without Slack's JSON: not Slack, a proxy in the"
            " way or PAPERBOY_SLACK_API_URL naming another site; check it"
        )
    if code in REFUSED_MESSAGE:
        return MessageRefused(
            f"Slack refused {method} in {ref.channel} ({code}: {REFUSED_MESSAGE[code]}): a fault in paperboy's"
            " message, not the channel's; please report it with this line"
        )
    return DeliveryError(f"Slack refused {method} in {ref.channel}: {code}")
