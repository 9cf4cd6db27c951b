"""The door of Slack's HTTP mode: a request is signed by Slack, well formed and small, or turned away cheaply.

bolt verifies signatures too, but after parsing the body (a malformed unsigned body or a
non-numeric timestamp made a 500 with a traceback) and it logs the whole body of every request it
refuses (a megabyte of log a request, for anyone who can reach the port). This aiohttp middleware
runs first, on `/slack/events` only:

- over `MAX_BODY` bytes → 413; no or malformed timestamp, non-UTF-8 body → 400; a bad or stale
  signature → 401. Nothing of the request is logged but a count, at most one line a minute;
- a signed request that bolt still cannot handle → 400 and one log line naming the error's kind;
- a signed slash command, button click or event is acknowledged here, at once (an empty 200 is all
  Slack wants for those), and handed to bolt in a background task. Slack allows 3 s for the ack;
  bolt would give it only after parsing, running its middleware and polling every 10 ms for the
  listener's `ack()`, several milliseconds of a busy event loop per request, so a burst of 200
  commands kept the last ack waiting for seconds. Requests whose answer *is* the response (URL
  verification, view submissions, option suggestions) still go through bolt in line, and so do
  the events that are votes and replies (`adapters/slack/community.py`): they are written down
  before the 200, so one whose write did not commit (the process died) is sent again by Slack.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.host.bursts import ACKS_FIRST

log = logging.getLogger("paperboy.slack")
MAX_BODY = 1024 * 1024  # Slack's payloads are far smaller; aiohttp's default cap, made explicit
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
EARLY_PAYLOADS = frozenset({"block_actions", "shortcut", "message_action"})  # their ack() carries nothing
RECORDED_EVENTS = frozenset({"reaction_added", "reaction_removed", "message"})  # acknowledged once written
_COMMAND = re.compile(rb"(?:^|&)command=[^&]")  # a form's `command` field, not empty (a value's `=` is %3D)


def _interaction(body: bytes) -> dict[str, Any]:
    """A form-encoded interaction's payload (`payload=…`); {} for anything else."""
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=100)
    try:
        payload = json.loads((form.get("payload") or ["{}"])[0])
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


# What this request's person is told in place of bolt's "not installed", where that is untrue (set in the
# request's task by adapters.slack.oauth: the workspace's rotating token expired and Slack did not renew it).
ANSWERED_INSTEAD: ContextVar[str | None] = ContextVar("paperboy_answered_instead", default=None)


def in_the_form(body: bytes, answer: web.StreamResponse) -> web.StreamResponse:
    """A form's submission answered with a bare sentence (bolt's, when the workspace has no installation
    any more): Slack shows a modal nothing but "We had some trouble connecting", so the sentence is shown
    in the modal itself (`response_action: update`; `ANSWERED_INSTEAD` where bolt's is untrue). Any other
    answer as it is."""
    if not isinstance(answer, web.Response) or answer.status != 200 or not answer.text:
        return answer
    said = ANSWERED_INSTEAD.get() or answer.text.strip()
    if said.startswith("{") or _interaction(body).get("type") != "view_submission":
        return answer
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "paperboy"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": said[:3000]}}],
    }
    return web.json_response({"response_action": "update", "view": view})


def acked_early(body: bytes, content_type: str) -> bool:
    """Whether this (signed) request needs nothing in its response but a 200."""
    if content_type.startswith("application/json"):
        try:
            payload = json.loads(body)
            kind, event = payload.get("type"), payload.get("event") or {}
            recorded = isinstance(event, dict) and event.get("type") in RECORDED_EVENTS
        except (ValueError, AttributeError):
            return False
        return bool(kind == "event_callback") and not recorded
    if _COMMAND.search(body):  # a slash command (a burst's usual request): not the whole form parsed
        return True
    return _interaction(body).get("type") in EARLY_PAYLOADS


class Background:
    """bolt's handling of requests already acknowledged: kept referenced until done, errors logged.
    bolt then runs each listener in a task of its own, which it keeps no hold on (its request's
    handling returns at the listener's `ack()`): the listener counts its task here too (`hold`, from
    `SlackRuntime`), so that `drain` waits for the answer, not only for the ack.

    It starts once a burst's acks are out (`bot.host.bursts`), and at most `at_once` are inside bolt
    together: a burst's acks are not held up behind bolt's middleware and the searches of the
    requests already acknowledged. Until then a request waits in a queue, not in a task of its own: an
    ack costs no task made and started on the event loop the other acks are waiting for."""

    def __init__(self, at_once: int = 8) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(at_once)
        self._queued: deque[tuple[Handler, web.Request, asyncio.Future[None]]] = deque()
        self._starter: asyncio.Task[None] | None = None

    def start(self, handler: Handler, request: web.Request) -> None:
        self._queued.append((handler, request, ACKS_FIRST.acknowledged()))
        if self._starter is None or self._starter.done():
            self._starter = self._track(self._start_in_turn())

    def hold(self) -> None:
        """Count the running task (a bolt listener's) as under way until it ends."""
        task = asyncio.current_task()
        if task is not None and task not in self.tasks:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def _track(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _start_in_turn(self) -> None:
        """Each queued request's handling, begun once its turn comes (the gate it was acknowledged at)."""
        while self._queued:
            handler, request, turn = self._queued.popleft()
            await asyncio.shield(turn)
            self._track(self._handle_in_slot(handler, request))

    async def _handle_in_slot(self, handler: Handler, request: web.Request) -> None:
        async with self._slots:
            await self._handle(handler, request)

    @staticmethod
    async def _handle(handler: Handler, request: web.Request) -> None:
        try:
            response = await handler(request)
        except Exception as exc:
            log.warning("a signed Slack request could not be handled (%s)", type(exc).__name__)
            return
        if response.status >= 400:
            log.warning("bolt answered an acknowledged Slack request with %d", response.status)

    async def drain(self) -> None:
        """Wait for the requests under way (at shutdown), and the listeners they start meanwhile."""
        while pending := self.tasks - {asyncio.current_task()}:
            await asyncio.gather(*pending, return_exceptions=True)


class Refusals:
    """Counts refused requests and says so at most once every `every` seconds."""

    def __init__(self, every: float = 60.0) -> None:
        self.every = every
        self.count = 0
        self._said_at = float("-inf")
        self._unsaid = 0

    def refuse(self, status: int, reason: str, why: str | None = None) -> web.Response:
        """`reason` is answered; `why`, where given, is what the log says of it (the fix, for the operator)."""
        self.count += 1
        self._unsaid += 1
        now = time.monotonic()
        if now - self._said_at >= self.every:
            said = why or reason
            log.warning("refused %d request(s) to the Slack endpoint; the last: %s (%d)", self._unsaid, said, status)
            self._said_at, self._unsaid = now, 0
        return web.json_response({"error": reason}, status=status)


STALE_SECONDS = 300  # how old a request's timestamp may be (bolt's SignatureVerifier: five minutes)
WRONG_SECRET = (
    "a signature that SLACK_SIGNING_SECRET does not give: if every request is refused, it is not the app's"
    " (copy it from the app's Basic Information → App Credentials → Signing Secret, and restart paperboy)"
)


def _unverified(timestamp: int) -> str:
    """Why a request's signature failed, for the operator: a stale timestamp (a replay, or a clock far off),
    else a secret that is not the app's (every request then fails: the bot is deaf)."""
    if abs(time.time() - timestamp) > STALE_SECONDS:
        return "a request over five minutes old (a replay, or this host's clock is off)"
    return WRONG_SECRET


def slack_guard(
    signing_secret: str, path: str, background: Background, refusals: Refusals | None = None
) -> Callable[..., Awaitable[web.StreamResponse]]:
    verifier = SignatureVerifier(signing_secret)
    said = refusals if refusals is not None else Refusals()

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path != path or request.method != "POST":
            return await handler(request)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return said.refuse(413, "body too large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return said.refuse(413, "body too large")
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not timestamp or not signature:
            return said.refuse(401, "not signed")
        if not timestamp.isdigit() or len(timestamp) > 12:
            return said.refuse(400, "malformed timestamp")
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return said.refuse(400, "body is not UTF-8")
        if not verifier.is_valid(body, timestamp, signature):
            return said.refuse(401, "invalid or stale signature", _unverified(int(timestamp)))
        if acked_early(body, request.content_type):
            background.start(handler, request)
            return web.Response(status=200)
        try:
            return in_the_form(body, await handler(request))
        except web.HTTPException:
            raise
        except Exception as exc:  # signed, yet bolt could not read it: the sender's fault, not a crash
            log.warning("a signed Slack request could not be handled (%s); answered 400", type(exc).__name__)
            return web.json_response({"error": "malformed request"}, status=400)

    return guard
