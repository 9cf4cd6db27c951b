"""A fake Slack on 127.0.0.1: the Web API bolt and slack_sdk call, response_url, and a Socket Mode socket.

It keeps what it was sent, enforces Block Kit limits and a per-channel posting rate like Slack's,
and can be told to fail a method with an error code or an HTTP status (429 with Retry-After).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from tests.fakes.server import start_server

BOT_USER = "UBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float


@dataclass
class Failure:
    error: str | None = None  # Slack's error code, answered with HTTP 200 and ok=false
    status: int = 200
    retry_after: int | None = None


@dataclass
class FakeSlack:
    min_interval: float = 0.0  # enforce ~1 message/s per channel when set (429 with Retry-After)
    latency: float = 0.0  # seconds each chat.postMessage takes, as a real network would
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    answered: dict[str, float] = field(default_factory=dict)  # response_url name → when it was first posted to
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    missing_channels: set[str] = field(default_factory=set)
    acks: list[dict[str, Any]] = field(default_factory=list)
    stored: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel → messages, as Slack keeps them
    # Who is who, for the permission checks: users.info (is_admin, is_owner, …), conversations.info
    # (creator, …), usergroups.users.list. Unknown ids get Slack's user_not_found, channel_not_found, no_such_subteam.
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _last_post: dict[str, float] = field(default_factory=dict)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _waiters: list[asyncio.Future[None]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def fail(self, method: str, *failures: Failure) -> None:
        self.failures.setdefault(method, []).extend(failures)

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        return [
            c.args
            for c in self.calls
            if c.method == "chat.postMessage" and (channel is None or c.args.get("channel") == channel)
        ]

    async def wait_for(self, predicate: Any, within: float = 5.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("the fake Slack never saw what was expected")
            await asyncio.sleep(0.01)

    # -- server ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_get("/link", self._link)
        app.router.add_get("/_stats", self._stats)
        self._runner, self.port = await start_server(app)

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        body = await request.text()
        if request.content_type == "application/json":
            return dict(json.loads(body or "{}"))
        args: dict[str, Any] = {k: v[0] for k, v in parse_qs(body).items()}
        for key in ("blocks", "attachments"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, args, time.monotonic()))
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            body = {"ok": False, "error": failure.error or ("ratelimited" if failure.status == 429 else "fatal_error")}
            return web.json_response(body, status=failure.status, headers=headers)
        app_level = method == "apps.connections.open" and auth.startswith("Bearer xapp-")
        if not auth.startswith("Bearer xox") and not app_level:
            return web.json_response({"ok": False, "error": "not_authed"})
        if method == "auth.test":
            return web.json_response(
                {
                    "ok": True,
                    "user_id": BOT_USER,
                    "bot_id": "B0001",
                    "team_id": TEAM,
                    "team": "Lab",
                    "url": "https://lab.slack.com/",
                }
            )
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"})
        if method == "chat.postMessage":
            if self.latency:
                await asyncio.sleep(self.latency)
            return self._post_message(args)
        if method == "chat.update":
            return self._update(args)
        if method in ("conversations.history", "conversations.replies"):
            return self._history(method, args)
        if method in ("users.info", "conversations.info", "usergroups.users.list"):
            return web.json_response(self._directory(method, args))
        return web.json_response({"ok": True})

    def _directory(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        """users.info, conversations.info and usergroups.users.list, from `users`, `channels`, `usergroups`."""
        if method == "users.info":
            user = str(args.get("user", ""))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "is_admin": False, "is_owner": False, **self.users[user]}}
        if method == "conversations.info":
            channel = str(args.get("channel", ""))
            if channel in self.missing_channels or channel not in self.channels:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, **self.channels[channel]}}
        group = str(args.get("usergroup", ""))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _history(self, method: str, args: dict[str, Any]) -> web.Response:
        """Messages in a channel (or one thread), newest first, with metadata: what a takeover reads."""
        channel = str(args.get("channel", ""))
        if channel in self.missing_channels:
            return web.json_response({"ok": False, "error": "channel_not_found"})
        oldest = float(args.get("oldest") or 0)
        thread = args.get("ts") if method == "conversations.replies" else None
        found = [
            m
            for m in self.stored.get(channel, [])
            if float(m["ts"]) >= oldest and (m.get("thread_ts") == thread if thread else "thread_ts" not in m)
        ]
        return web.json_response({"ok": True, "messages": list(reversed(found)), "has_more": False})

    def _post_message(self, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel", ""))
        if channel in self.missing_channels:
            return web.json_response({"ok": False, "error": "channel_not_found"})
        problem = check_blocks(args.get("blocks") or [])
        if problem is not None:
            return web.json_response({"ok": False, "error": "invalid_blocks", "errors": [problem]})
        if not args.get("text") and not args.get("blocks"):
            return web.json_response({"ok": False, "error": "no_text"})
        now = time.monotonic()
        last = self._last_post.get(channel)
        if self.min_interval and last is not None and now - last < self.min_interval:
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        self._last_post[channel] = now
        ts = f"{time.time():.0f}.{next(self._ts):06d}"  # like Slack's: seconds since the epoch, unique
        message: dict[str, Any] = {"type": "message", "text": args.get("text"), "ts": ts, "bot_id": "B0001"}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        if metadata:
            message["metadata"] = metadata
        self.stored.setdefault(channel, []).append(message)
        return web.json_response({"ok": True, "channel": channel, "ts": ts, "message": message})

    def _update(self, args: dict[str, Any]) -> web.Response:
        """chat.update: the message with `ts` in the channel gets new text and blocks; a deleted one can't."""
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        if channel in self.missing_channels:
            return web.json_response({"ok": False, "error": "channel_not_found"})
        problem = check_blocks(args.get("blocks") or [])
        if problem is not None:
            return web.json_response({"ok": False, "error": "invalid_blocks", "errors": [problem]})
        for message in self.stored.get(channel, []):
            if message["ts"] == ts:
                message.update(text=args.get("text"), blocks=args.get("blocks"), edited={"user": BOT_USER})
                return web.json_response({"ok": True, "channel": channel, "ts": ts, "text": args.get("text")})
        return web.json_response({"ok": False, "error": "message_not_found"})

    def delete(self, channel: str, ts: str) -> None:
        """A person deletes a message (Slack keeps no trace of it for the bot)."""
        self.stored[channel] = [m for m in self.stored.get(channel, []) if m["ts"] != ts]

    def updates(self, channel: str | None = None) -> list[dict[str, Any]]:
        return [
            c.args
            for c in self.calls
            if c.method == "chat.update" and (channel is None or c.args.get("channel") == channel)
        ]

    async def _stats(self, _request: web.Request) -> web.Response:
        attempts = sum(1 for c in self.calls if c.method == "chat.postMessage")
        return web.json_response(
            {"attempts": attempts, "posted": len(self.posts()) - 0 and sum(len(v) for v in self.stored.values())}
        )

    async def _response(self, request: web.Request) -> web.Response:
        self.responses.append(await self._args(request))
        self.answered.setdefault(request.match_info["name"], time.monotonic())
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        return web.json_response({"ok": True})

    def next_response(self) -> asyncio.Future[None]:
        """A future resolved by the next response_url post (for latency measurements)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters = [w for w in self._waiters if not w.done()] + [waiter]
        return waiter

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to every connected client."""
        for ws in self._sockets:
            await ws.send_str(json.dumps(envelope))


def check_blocks(blocks: list[dict[str, Any]]) -> str | None:
    """Slack's Block Kit limits, as slack_sdk's validators state them."""
    if len(blocks) > 50:
        return f"too many blocks: {len(blocks)} > 50"
    for i, block in enumerate(blocks):
        kind = block.get("type")
        text = (block.get("text") or {}).get("text", "")
        if kind == "header" and len(text) > 150:
            return f"blocks[{i}] header text {len(text)} > 150"
        if kind == "header" and (block.get("text") or {}).get("type") != "plain_text":
            return f"blocks[{i}] header must be plain_text"
        if kind == "section" and len(text) > 3000:
            return f"blocks[{i}] section text {len(text)} > 3000"
        if kind == "context" and len(block.get("elements", [])) > 10:
            return f"blocks[{i}] context has more than 10 elements"
        if kind == "actions":
            for element in block.get("elements", []):
                if len((element.get("text") or {}).get("text", "")) > 75:
                    return f"blocks[{i}] button text > 75"
    return None


async def _serve(min_interval: float, port_file: str) -> None:
    """Run the fake on its own, for benchmarks: writes its port to `port_file`; GET /_stats counts."""
    fake = FakeSlack(min_interval=min_interval)
    await fake.start()
    await asyncio.to_thread(Path(port_file).write_text, str(fake.port), encoding="utf-8")
    await asyncio.Event().wait()


if __name__ == "__main__":
    import sys

    asyncio.run(_serve(float(sys.argv[1]), sys.argv[2]))
