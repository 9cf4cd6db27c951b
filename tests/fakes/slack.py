"""A fake Slack on 127.0.0.1: the Web API bolt and slack_sdk call, response_url, and a Socket Mode socket.

It keeps what it was sent, enforces Block Kit limits and a per-channel posting rate like Slack's,
and can be told to fail a method with an error code or an HTTP status (429 with Retry-After).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from tests.fakes.server import WAIT_S, start_server, stop_server, wait_until

BOT_USER = "UBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float
    token: str = ""  # the bearer token the call carried


@dataclass
class Workspace:
    """A workspace the fake knows, for multi-workspace tests: an install there hands out `token`."""

    team: str
    name: str
    token: str
    refresh_token: str | None = None  # set: token rotation is on (the token expires in `expires_in`)
    expires_in: int = 43200
    enterprise: str | None = None
    # An Enterprise Grid org installed org-wide: `team` is then the enterprise id (E…), `teams` the org's
    # workspaces the app was added to. Its one token works in all their channels, and Slack answers its
    # install (`oauth.v2.access`) and `auth.test` as for an org: `team: null`, `is_enterprise_install: true`.
    teams: tuple[str, ...] = ()

    @property
    def org_wide(self) -> bool:
        return bool(self.teams)

    def names(self) -> dict[str, Any]:
        """How `oauth.v2.access` names the install: the team, and its org if any (an org-wide one: only the org)."""
        org = self.team if self.org_wide else self.enterprise
        return {
            "team": None if self.org_wide else {"id": self.team, "name": self.name},
            "enterprise": {"id": org, "name": self.name if self.org_wide else "Org"} if org else None,
            "is_enterprise_install": self.org_wide,
        }


@dataclass
class Failure:
    error: str | None = None  # Slack's error code, answered with HTTP 200 and ok=false
    status: int = 200
    retry_after: int | None = None
    text: str | None = None  # answered as a plain-text page instead (a proxy's, not Slack's JSON)
    needed: str | None = None  # with missing_scope: the scope Slack says the method needs


@dataclass
class FakeSlack:
    min_interval: float = 0.0  # enforce ~1 message/s per channel when set (429 with Retry-After)
    latency: float = 0.0  # seconds each chat.postMessage takes, as a real network would
    hold: asyncio.Event | None = None  # when given, each chat.postMessage arriving waits for it to be set
    answers_lost: int = 0  # the next posts Slack keeps while the connection drops before their answers
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # answers Slack would have refused, and why
    answered: dict[str, float] = field(default_factory=dict)  # response_url name → when it was first posted to
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    missing_channels: set[str] = field(default_factory=set)
    unread_channels: set[str] = field(default_factory=set)  # history refused: not_in_channel
    acks: list[dict[str, Any]] = field(default_factory=list)
    stored: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel → messages, as Slack keeps them
    # Who is who, for the permission checks: users.info (is_admin, is_owner, …), conversations.info
    # (creator, …), usergroups.users.list. Unknown ids get Slack's user_not_found, channel_not_found, no_such_subteam.
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    # Multi-workspace: the users of one workspace (by team), asked with its token; else `users`.
    team_users: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # Multi-workspace Slack: the app's credentials, the workspaces it may be installed in, the one-time
    # codes an "Add to Slack" hands out, and which workspace each channel is in. Once any token is
    # issued, a call must carry a live token, and a channel of another workspace is channel_not_found.
    client_id: str = "1111.2222"
    client_secret: str = "fake-client-secret"
    workspaces: dict[str, Workspace] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # code → team
    channel_teams: dict[str, set[str]] = field(default_factory=dict)  # a channel id → the workspaces that have one
    live_tokens: dict[str, str] = field(default_factory=dict)  # token → team
    # App Home: the last view published for each user (views.publish); direct messages (conversations.open).
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    ims: dict[str, str] = field(default_factory=dict)  # user → the bot's direct message with them (D…)
    members_page: int = 2  # conversations.members and users.conversations answer this many a page (paging)
    # files.getUploadURLExternal, the upload, files.completeUploadExternal: id → name, content, channel
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    upload_status: int = 200  # what the upload URL answers (another status: the upload failed)
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

    async def wait_for(self, predicate: Any, within: float = WAIT_S) -> None:
        await wait_until(predicate, within, "the fake Slack")

    # -- server ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/link", self._link)
        app.router.add_get("/_stats", self._stats)
        self._runner, self.port = await start_server(app)

    async def stop(self) -> None:
        await stop_server(self._runner, self._sockets)

    async def _args(self, request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        body = await request.text()
        if request.content_type == "application/json":
            return dict(request.query) | dict(json.loads(body or "{}"))
        # Slack reads arguments from the query string too (slack_sdk sends some methods' there).
        args: dict[str, Any] = dict(request.query) | {k: v[0] for k, v in parse_qs(body).items()}
        for key in ("blocks", "attachments", "view", "unfurls"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, args, time.monotonic(), auth.removeprefix("Bearer ")))
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            if failure.text is not None:
                return web.Response(text=failure.text, status=failure.status)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            body = {"ok": False, "error": failure.error or ("ratelimited" if failure.status == 429 else "fatal_error")}
            if failure.needed is not None:
                body["needed"] = failure.needed
            return web.json_response(body, status=failure.status, headers=headers)
        if method == "oauth.v2.access":
            return web.json_response(self._oauth(args, auth))
        app_level = method == "apps.connections.open" and auth.startswith("Bearer xapp-")
        if not auth.startswith("Bearer xox") and not app_level:
            return web.json_response({"ok": False, "error": "not_authed"})
        team = self.live_tokens.get(auth.removeprefix("Bearer "))
        if self.workspaces and not app_level:
            refused = self._wrong_token(team, args)
            if refused is not None:
                return web.json_response({"ok": False, "error": refused})
        if method == "auth.test" and team is not None:
            return web.json_response(self._whoami(team))
        if method == "auth.test" and "xoxp-" in auth:  # a person's token (refreshable: xoxe.xoxp-…): no bot named
            return web.json_response({"ok": True, "user_id": "U0PERSON", "team_id": TEAM, "team": "Lab"})
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
            if self.hold is not None:
                await self.hold.wait()
            posted = self._post_message(args)
            if self.answers_lost and request.transport is not None:  # kept; the connection drops
                self.answers_lost -= 1
                request.transport.close()
            return posted
        if method == "chat.update":
            return self._update(args)
        if method in ("conversations.history", "conversations.replies"):
            return self._history(method, args)
        if method in ("users.info", "conversations.info", "usergroups.users.list"):
            return web.json_response(self._directory(method, args, team))
        if method == "conversations.members":
            return web.json_response(self._members(args))
        if method == "users.conversations":
            return web.json_response(self._conversations(args))
        if method == "conversations.open":
            user = str(args.get("users", ""))
            if user not in self.team_users.get(team or "", self.users):  # a user of the token's workspace
                return web.json_response({"ok": False, "error": "user_not_found"})
            dm = self.ims.setdefault(user, f"D{len(self.ims) + 1:07d}")
            return web.json_response({"ok": True, "channel": {"id": dm}})
        if method == "views.publish":
            return web.json_response(self._publish_view(args))
        if method == "files.getUploadURLExternal":
            file = f"F{len(self.files) + 1:07d}"
            self.files[file] = {"name": args.get("filename"), "length": int(args.get("length") or 0)}
            url = f"http://127.0.0.1:{self.port}/upload/{file}"
            return web.json_response({"ok": True, "upload_url": url, "file_id": file})
        if method == "files.completeUploadExternal":
            return web.json_response(self._complete_upload(args))
        if method == "chat.unfurl":
            return web.json_response(self._unfurl(args))
        if method == "views.open":
            return web.json_response(self._open_view(args))
        if method == "chat.getPermalink":
            return web.json_response(self._permalink(args, team))
        if method == "chat.postEphemeral":
            problem = check_blocks(args.get("blocks") or [])
            return web.json_response(
                {"ok": False, "error": "invalid_blocks", "errors": [problem]} if problem else {"ok": True}
            )
        return web.json_response({"ok": True})

    def install_code(self, team: str) -> str:
        """The one-time code Slack hands the browser when `team` approves the install (an org's admin, for an
        org-wide install: `team` is then the enterprise id)."""
        code = f"code-{team}-{next(self._ts)}"
        self.codes[code] = team
        return code

    def revoke(self, team: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        self.live_tokens = {t: w for t, w in self.live_tokens.items() if w != team}

    def tokens_used(self, method: str = "chat.postMessage") -> dict[str, set[str]]:
        """For each channel, the tokens the calls of `method` to it carried."""
        found: dict[str, set[str]] = {}
        for call in self.calls:
            if call.method == method:
                found.setdefault(str(call.args.get("channel", "")), set()).add(call.token)
        return found

    def _whoami(self, team: str) -> dict[str, Any]:
        """auth.test for a workspace's token; for an org-wide token, Slack names the org: its id as `team_id`
        and `enterprise_id`, `is_enterprise_install: true`, the org's URL (bolt keeps it as `enterprise_url`)."""
        space = self.workspaces.get(team)
        answer = {"ok": True, "user_id": f"UBOT{team}", "bot_id": f"B{team}", "team_id": team, "team": team}
        if space is not None and space.org_wide:
            url = f"https://{team.lower()}.enterprise.slack.com/"
            return answer | {"team": space.name, "url": url, "enterprise_id": team, "is_enterprise_install": True}
        if space is not None and space.enterprise:
            return answer | {"enterprise_id": space.enterprise, "is_enterprise_install": False}
        return answer

    def _wrong_token(self, team: str | None, args: dict[str, Any]) -> str | None:
        """Slack's answer to a token that is not (or no longer) valid, or to a channel of another workspace."""
        if team is None:
            return "invalid_auth"
        channel = str(args.get("channel", ""))
        space = self.workspaces.get(team)
        reach = {team, *(space.teams if space is not None else ())}  # an org-wide token: every team of the org
        if channel and reach.isdisjoint(self.channel_teams.get(channel, {team})):
            return "channel_not_found"  # a workspace's token sees none of another's channels
        return None

    def _oauth(self, args: dict[str, Any], auth: str) -> dict[str, Any]:
        """oauth.v2.access: a code (once) or a refresh token for a workspace's tokens, given the app's credentials."""
        client_id, client_secret = str(args.get("client_id", "")), str(args.get("client_secret", ""))
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return {"ok": False, "error": "invalid_client_id" if client_id != self.client_id else "bad_client_secret"}
        if args.get("grant_type") == "refresh_token":
            owner = next(
                (w for w in self.workspaces.values() if w.refresh_token == args.get("refresh_token")),
                None,
            )
            if owner is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            self.revoke(owner.team)
            n = next(self._ts)
            owner.token, owner.refresh_token = f"xoxe.xoxb-{owner.team}-{n}", f"xoxe-1-{owner.team}-{n}"
            self.live_tokens[owner.token] = owner.team
            return {
                "ok": True,
                "access_token": owner.token,
                "refresh_token": owner.refresh_token,
                "expires_in": owner.expires_in,
                "token_type": "bot",
            } | owner.names()
        team = self.codes.pop(str(args.get("code", "")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        space = self.workspaces[team]
        self.live_tokens[space.token] = team
        answer: dict[str, Any] = {
            "ok": True,
            "app_id": "A0001",
            "authed_user": {"id": "U0001"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": space.token,
            "bot_user_id": f"UBOT{team}",
        } | space.names()
        if space.refresh_token:
            answer |= {"refresh_token": space.refresh_token, "expires_in": space.expires_in}
        return answer

    def _members(self, args: dict[str, Any]) -> dict[str, Any]:
        """conversations.members: `channels[id]["members"]`, `members_page` at a time, with Slack's cursor."""
        channel = str(args.get("channel", ""))
        if channel in self.missing_channels or channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        everyone = list(self.channels[channel].get("members", []))
        start = int(args.get("cursor") or 0)
        page = everyone[start : start + self.members_page]
        after = start + self.members_page
        cursor = str(after) if after < len(everyone) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal gave: the file's bytes, as many as announced."""
        file = self.files.get(request.match_info["file"])
        data = await request.read()
        if self.upload_status != 200:
            return web.Response(status=self.upload_status, text="upstream unavailable")
        if file is None or len(data) != file["length"]:
            return web.Response(status=400, text="bad upload")
        file["content"] = data.decode()
        return web.Response(text="OK - " + str(len(data)))

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        """files.completeUploadExternal: the uploaded files shared in `channel_id`."""
        listed = args.get("files")
        done = json.loads(listed) if isinstance(listed, str) else listed or []
        if not done or any("content" not in self.files.get(str(f.get("id")), {}) for f in done):
            return {"ok": False, "error": "file_not_found"}
        for f in done:
            self.files[str(f["id"])] |= {"channel": args.get("channel_id"), "comment": args.get("initial_comment")}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in done]}

    def _conversations(self, args: dict[str, Any]) -> dict[str, Any]:
        """users.conversations: the channels whose `members` hold `user`, `members_page` at a time."""
        if not 0 < int(args.get("limit") or 100) <= 999:
            return {"ok": False, "error": "invalid_limit"}
        user = str(args.get("user", ""))
        theirs = [{"id": c, "name": v.get("name", c)} for c, v in self.channels.items() if user in v.get("members", [])]
        start = int(args.get("cursor") or 0)
        after = start + self.members_page
        cursor = str(after) if after < len(theirs) else ""
        return {"ok": True, "channels": theirs[start:after], "response_metadata": {"next_cursor": cursor}}

    def _publish_view(self, args: dict[str, Any]) -> dict[str, Any]:
        """views.publish: a home view for a known user, within Block Kit's limits for views."""
        user = str(args.get("user_id", ""))
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        if not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        problem = check_blocks(view.get("blocks") or [], most=100)
        if problem is None and len(str(view.get("private_metadata", ""))) > 3000:
            problem = "private_metadata longer than 3000"
        if problem is not None:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [problem]}}
        self.views[user] = view
        return {"ok": True, "view": {"id": f"V{len(self.views):07d}", **view}}

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def _unfurl(self, args: dict[str, Any]) -> dict[str, Any]:
        """chat.unfurl: `unfurls` a JSON object keyed by URL, each `{"blocks": [...]}` within Block Kit's limits,
        for a message (`channel` + `ts`) or a composer preview (`unfurl_id` + `source`)."""
        unfurls = args.get("unfurls")
        if not (args.get("channel") and args.get("ts")) and not (args.get("unfurl_id") and args.get("source")):
            return {"ok": False, "error": "invalid_arguments"}
        if not isinstance(unfurls, dict) or not unfurls:
            return {"ok": False, "error": "invalid_unfurls_format"}
        for url, unfurl in unfurls.items():
            blocks = unfurl.get("blocks") if isinstance(unfurl, dict) else None
            problem = "no blocks" if not isinstance(blocks, list) or not blocks else check_blocks(blocks)
            if problem is not None:
                return {"ok": False, "error": "invalid_unfurls", "errors": [f"{url}: {problem}"]}
        self._notify()
        return {"ok": True}

    def _open_view(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = args.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": ["no view"]}}
        if (problem := check_view(view)) is not None:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [problem]}}
        self._notify()
        return {"ok": True, "view": {**view, "id": f"V{next(self._ts):08d}", "state": {"values": {}}}}

    def _directory(self, method: str, args: dict[str, Any], team: str | None = None) -> dict[str, Any]:
        """users.info, conversations.info and usergroups.users.list, from `users` (`team_users` of the
        token's workspace when it has some), `channels`, `usergroups`."""
        if method == "users.info":
            user = str(args.get("user", ""))
            users = self.team_users.get(team or "", self.users)
            if user not in users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "is_admin": False, "is_owner": False, **users[user]}}
        if method == "conversations.info":
            # A channel not described in `channels` is a public one (C…), which the bot sees member or not
            # (channels:read); a private one (G…) it was not invited to does not exist, as far as it knows.
            channel = str(args.get("channel", ""))
            if channel in self.missing_channels or (channel not in self.channels and not channel.startswith("C")):
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, **self.channels.get(channel, {})}}
        group = str(args.get("usergroup", ""))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _history(self, method: str, args: dict[str, Any]) -> web.Response:
        """Messages in a channel (or one thread), newest first, with metadata: what a takeover reads."""
        channel = str(args.get("channel", ""))
        if channel in self.missing_channels:
            return web.json_response({"ok": False, "error": "channel_not_found"})
        if channel in self.unread_channels:  # public, posted to with chat:write.public, not joined
            return web.json_response({"ok": False, "error": "not_in_channel"})
        oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
        thread = args.get("ts") if method == "conversations.replies" else None
        found = [
            m
            for m in self.stored.get(channel, [])
            if oldest <= float(m["ts"]) <= latest and (m.get("thread_ts") == thread if thread else "thread_ts" not in m)
        ]
        # A page at a time, newest first, as Slack does: `limit` (its default 100) and a cursor to the next.
        newest_first, limit = list(reversed(found)), int(args.get("limit") or 100)
        start = int(str(args.get("cursor") or "0"))
        page, more = newest_first[start : start + limit], start + limit < len(newest_first)
        meta = {"next_cursor": str(start + limit) if more else ""}
        return web.json_response({"ok": True, "messages": page, "has_more": more, "response_metadata": meta})

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

    def _permalink(self, args: dict[str, Any], team: str | None) -> dict[str, Any]:
        """chat.getPermalink: the address of a message the channel holds (`message_not_found` for none),
        as Slack writes it: the workspace's domain, the channel, `p` and the ts without its dot."""
        channel, ts = str(args.get("channel", "")), str(args.get("message_ts", ""))
        if channel in self.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        if not any(m.get("ts") == ts for m in self.stored.get(channel, [])):
            return {"ok": False, "error": "message_not_found"}
        domain = (team or "lab").lower()
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

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
        args = await self._args(request)
        blocks = args.get("blocks") or []
        problem = check_blocks(blocks) if isinstance(blocks, list) else "blocks is not a list"
        if problem:  # as Slack refuses them: 400 with the error as text (the message is not shown)
            self.refused.append(f"response_url: {problem}")
            return web.Response(status=400, text="invalid_blocks")
        self.responses.append(args)
        self.answered.setdefault(request.match_info["name"], time.monotonic())
        self._notify()
        return web.json_response({"ok": True})

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    def next_response(self) -> asyncio.Future[None]:
        """A future resolved by the next response_url post, chat.unfurl or views.open (for latency measurements)."""
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


def check_blocks(blocks: list[dict[str, Any]], most: int = 50) -> str | None:
    """Slack's Block Kit limits, as slack_sdk's validators state them (`most`: 50 a message, 100 a view)."""
    if len(blocks) > most:
        return f"too many blocks: {len(blocks)} > {most}"
    ids = [block["block_id"] for block in blocks if "block_id" in block]
    if len(ids) != len(set(ids)):
        return "duplicate block_id"  # Slack refuses a message or view that names one block twice
    for i, block in enumerate(blocks):
        kind = block.get("type")
        text = (block.get("text") or {}).get("text", "")
        if kind == "header" and not 0 < len(text) <= 150:
            return f"blocks[{i}] header text must have 1 to 150 characters, not {len(text)}"
        if kind in ("section", "header") and "text" in block and not text:
            return f"blocks[{i}] {kind} text is empty"  # a text object needs at least one character
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
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button" and (
            len((accessory.get("text") or {}).get("text", "")) > 75 or len(str(accessory.get("value", ""))) > 2000
        ):
            return f"blocks[{i}] accessory button text > 75 or value > 2000"
    return None


_ELEMENTS = {"plain_text_input", "timepicker", "external_select", "static_select", "checkboxes", "number_input"}


def _plain(value: Any, most: int, what: str) -> str | None:
    if not isinstance(value, dict) or value.get("type") != "plain_text" or not isinstance(value.get("text"), str):
        return f"{what} must be a plain_text object"
    if not value["text"] or len(value["text"]) > most:
        return f"{what} must have 1 to {most} characters, not {len(value['text'])}"
    return None


def check_option(option: Any, what: str) -> str | None:
    """An option of a select or checkboxes: plain_text of at most 75 characters, a value of at most 150."""
    if not isinstance(option, dict):
        return f"{what} is not an option object"
    value = option.get("value")
    if not isinstance(value, str) or not value or len(value) > 150:
        return f"{what} value must have 1 to 150 characters"
    return _plain(option.get("text"), 75, f"{what} text")


def _check_element(element: dict[str, Any], where: str) -> str | None:
    kind = element.get("type")
    if kind not in _ELEMENTS:
        return f"{where} has an element of unknown type {kind!r}"
    if not isinstance(element.get("action_id"), str) or not 0 < len(element["action_id"]) <= 255:
        return f"{where} element needs an action_id of 1 to 255 characters"
    if "placeholder" in element and (problem := _plain(element["placeholder"], 150, f"{where} placeholder")):
        return problem
    if kind == "plain_text_input":
        if not 0 <= int(element.get("max_length", 3000)) <= 3000:
            return f"{where} max_length must be at most 3000"
        if len(str(element.get("initial_value", ""))) > int(element.get("max_length", 3000)):
            return f"{where} initial_value is longer than max_length"
    if kind == "timepicker" and "initial_time" in element and not re.fullmatch(r"\d\d:\d\d", element["initial_time"]):
        return f"{where} initial_time must be HH:mm"
    if kind == "number_input":
        if not isinstance(element.get("is_decimal_allowed"), bool):
            return f"{where} number_input needs is_decimal_allowed"
        for key in ("min_value", "max_value", "initial_value"):
            if key in element and not isinstance(element[key], str):
                return f"{where} {key} must be a string"
    options = element.get("options") or []
    if kind == "static_select" and not 0 < len(options) <= 100:
        return f"{where} static_select needs 1 to 100 options"
    if kind == "checkboxes" and not 0 < len(options) <= 10:
        return f"{where} checkboxes need 1 to 10 options"
    for i, option in enumerate(options + list(element.get("initial_options") or [])):
        if problem := check_option(option, f"{where} option {i}"):
            return problem
    if kind == "checkboxes" and any(o not in options for o in element.get("initial_options") or []):
        return f"{where} initial_options must be among the options"
    if "initial_option" in element and (problem := check_option(element["initial_option"], f"{where} initial_option")):
        return problem
    return None


def check_view(view: dict[str, Any]) -> str | None:
    """A modal as views.open, views.update or a response_action `update` takes it: Slack's limits and shapes."""
    if view.get("type") != "modal":
        return "view type must be modal"
    for key, most in (("title", 24), ("submit", 24), ("close", 24)):
        if (key == "title" or key in view) and (problem := _plain(view.get(key), most, key)):
            return problem
    blocks = view.get("blocks") or []
    if any(b.get("type") == "input" for b in blocks) and "submit" not in view:
        return "a modal with input blocks needs a submit button"
    if len(str(view.get("private_metadata", ""))) > 3000 or len(str(view.get("callback_id", ""))) > 255:
        return "private_metadata over 3000 or callback_id over 255 characters"
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(ids) != len(set(ids)) or any(not 0 < len(i) <= 255 for i in ids):
        return "block_ids must be unique, of 1 to 255 characters"
    for i, block in enumerate(blocks):
        if block.get("type") != "input":
            continue
        where = f"blocks[{i}]"
        if problem := _plain(block.get("label"), 2000, f"{where} label"):
            return problem
        if "hint" in block and (problem := _plain(block["hint"], 2000, f"{where} hint")):
            return problem
        if problem := _check_element(block.get("element") or {}, where):
            return problem
    return (
        check_blocks([b for b in blocks if b.get("type") != "input"], most=100)
        if len(blocks) <= 100
        else (f"too many blocks: {len(blocks)} > 100")
    )


def check_view_errors(view: dict[str, Any], errors: dict[str, Any]) -> str | None:
    """`response_action: errors`: each key a block_id of an input block in the view, each message a string."""
    inputs = {b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"}
    for block_id, message in errors.items():
        if block_id not in inputs:
            return f"errors name {block_id!r}, which is no input block of the view"
        if not isinstance(message, str) or not message:
            return f"the error for {block_id!r} is empty"
    return None


def check_options(options: list[dict[str, Any]]) -> str | None:
    """An options load (block_suggestion) answer: at most 100 options."""
    if len(options) > 100:
        return f"{len(options)} options > 100"
    for i, option in enumerate(options):
        if problem := check_option(option, f"options[{i}]"):
            return problem
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
