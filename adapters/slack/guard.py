"""The door of Slack's HTTP mode: a request is signed by Slack, well formed and small, or turned away cheaply.

bolt verifies signatures too, but after parsing the body (a malformed unsigned body or a
non-numeric timestamp made a 500 with a traceback) and it logs the whole body of every request it
refuses (a megabyte of log a request, for anyone who can reach the port). This aiohttp middleware
runs first, on `/slack/events` only:

- over `MAX_BODY` bytes → 413; no or malformed timestamp, non-UTF-8 body → 400; a bad or stale
  signature → 401. Nothing of the request is logged but a count, at most one line a minute;
- a signed request that bolt still cannot handle → 400 and one log line naming the error's kind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger("paperboy.slack")
MAX_BODY = 1024 * 1024  # Slack's payloads are far smaller; aiohttp's default cap, made explicit
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refusals:
    """Counts refused requests and says so at most once every `every` seconds."""

    def __init__(self, every: float = 60.0) -> None:
        self.every = every
        self.count = 0
        self._said_at = float("-inf")
        self._unsaid = 0

    def refuse(self, status: int, reason: str) -> web.Response:
        self.count += 1
        self._unsaid += 1
        now = time.monotonic()
        if now - self._said_at >= self.every:
            log.warning("refused %d request(s) to the Slack endpoint; the last: %s (%d)", self._unsaid, reason, status)
            self._said_at, self._unsaid = now, 0
        return web.json_response({"error": reason}, status=status)


def slack_guard(
    signing_secret: str, path: str, refusals: Refusals | None = None
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
            return said.refuse(401, "invalid or stale signature")
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except Exception as exc:  # signed, yet bolt could not read it: the sender's fault, not a crash
            log.warning("a signed Slack request could not be handled (%s); answered 400", type(exc).__name__)
            return web.json_response({"error": "malformed request"}, status=400)

    return guard
