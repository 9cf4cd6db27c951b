"""A fake Discord on 127.0.0.1: REST v10 and a gateway websocket, enough for discord.py's real client.

It logs the bot in, sends READY and GUILD_CREATE (a text channel and a forum with tags), answers the
REST calls a bot makes (messages, threads, forum posts, interaction callbacks and followups, command
sync), keeps every message body it was sent, enforces Discord's embed and content limits (400 like
Discord), and can inject 429 (with `Via`, so discord.py retries), 403 and 404 on any route.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.server import WAIT_S, start_server, stop_server, wait_until

APP_ID = "1000000000000000001"
BOT_ID = "1000000000000000002"
HUMAN_ID = "1000000000000000003"
GUILD_ID = "1000000000000000010"
BOT_ROLE_ID = "1000000000000000011"  # the role Discord makes for the bot when it joins (managed, tagged with it)
TEXT_ID = "1000000000000000020"
FORUM_ID = "1000000000000000021"
VOICE_ID = "1000000000000000022"  # a voice channel: its text chat takes messages, never threads
TAGGED_FORUM_ID = "1000000000000000023"  # a forum that requires a tag on every post
DM_ID = "1000000000000000040"  # the bot's direct message with HUMAN_ID
TAGS = {
    "1000000000000000031": "diffusion",
    "1000000000000000032": "reinforcement learning",
    "1000000000000000033": "robotics",
}
MANAGE_CHANNELS = 1 << 4
EVERYTHING = str((1 << 47) - 1)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user(uid: str, name: str, *, bot: bool) -> dict[str, Any]:
    return {
        "id": uid,
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def guild_channel(channel_id: str, name: str, *, kind: int = 0, position: int = 0) -> dict[str, Any]:
    """A channel of the fake's guild as the gateway and REST show it: a text channel (type 0) by default."""
    return {
        "id": channel_id,
        "type": kind,
        "guild_id": GUILD_ID,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def _user(uid: str, *, bot: bool) -> dict[str, Any]:
    return user(uid, "paperboy" if uid == BOT_ID else f"user{uid[-3:]}", bot=bot or uid == BOT_ID)


def embed_problem(embeds: list[dict[str, Any]], content: str) -> str | None:
    """Discord's limits: 2000 content, 10 embeds, 256/4096/25×(256,1024)/2048/256, 6000 in total."""
    if len(content) > 2000:
        return "content longer than 2000"
    if len(embeds) > 10:
        return "more than 10 embeds"
    total = 0
    for embed in embeds:
        title, description = embed.get("title", ""), embed.get("description", "")
        footer = (embed.get("footer") or {}).get("text", "")
        author = (embed.get("author") or {}).get("name", "")
        fields = embed.get("fields", [])
        if len(title) > 256 or len(description) > 4096 or len(footer) > 2048 or len(author) > 256 or len(fields) > 25:
            return "an embed breaks a limit"
        for f in fields:
            if len(f["name"]) > 256 or len(f["value"]) > 1024 or not f["value"]:
                return "an embed field breaks a limit"
        total += (
            len(title)
            + len(description)
            + len(footer)
            + len(author)
            + sum(len(f["name"]) + len(f["value"]) for f in fields)
        )
    return "embeds longer than 6000 in total" if total > 6000 else None


def callback_problem(body: dict[str, Any]) -> str | None:
    """Discord's limits on autocomplete answers (type 8) and modals (type 9)."""
    data = body.get("data") or {}
    if body.get("type") == 8:
        choices = data.get("choices")
        if not isinstance(choices, list) or len(choices) > 25:
            return "autocomplete: at most 25 choices"
        for choice in choices:
            name, value = choice.get("name"), choice.get("value")
            if not isinstance(name, str) or not 1 <= len(name) <= 100:
                return "autocomplete: a choice name must have 1 to 100 characters"
            if isinstance(value, str) and len(value) > 100:
                return "autocomplete: a string choice value must have at most 100 characters"
    if body.get("type") == 9:
        title, custom_id, rows = data.get("title", ""), data.get("custom_id", ""), data.get("components") or []
        if not 1 <= len(title) <= 45 or not 1 <= len(custom_id) <= 100 or not 1 <= len(rows) <= 5:
            return "modal: title 1-45, custom_id 1-100, 1 to 5 rows"
        seen: set[str] = set()
        for row in rows:
            for item in row.get("components") or []:
                label, placeholder = item.get("label", ""), item.get("placeholder", "")
                if item.get("type") != 4 or not 1 <= len(label) <= 45 or len(placeholder) > 100:
                    return "modal: text inputs with labels of 1-45 and placeholders of at most 100 characters"
                if len(item.get("value") or "") > 4000 or int(item.get("max_length", 4000)) > 4000:
                    return "modal: text input values of at most 4000 characters"
                if item.get("custom_id") in seen:
                    return "modal: text input custom_ids must be unique"
                seen.add(item.get("custom_id", ""))
    return None


@dataclass
class Sent:
    method: str
    path: str
    body: Any
    at: float


@dataclass
class FakeDiscord:
    sent: list[Sent] = field(default_factory=list)
    failures: list[tuple[re.Pattern[str], int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    failures_after_acting: list[tuple[re.Pattern[str], int, float]] = field(default_factory=list)
    unlisted_until: dict[str, float] = field(default_factory=dict)  # thread id → when active threads list it
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    dms: dict[str, dict[str, Any]] = field(default_factory=dict)  # direct messages: no guild, no threads
    stored: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel → messages, oldest first
    last_interaction: dict[str, Any] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)  # interactions that got their one initial response
    response_messages: list[str] = field(default_factory=list)  # each initial response's message id, in order
    responded: dict[str, dict[str, Any]] = field(default_factory=dict)  # … and that message, by its id
    port: int = 0
    latency: float = 0.0  # seconds each message-creating request takes
    app_permissions: str = EVERYTHING  # the bot's own permissions in the channel, sent with each interaction
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(2000000000000000000))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    starters: dict[str, dict[str, Any]] = field(default_factory=dict)  # forum post id → its starter message

    # -- for tests -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def fail(
        self, pattern: str, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        """The next request whose "METHOD /path" matches `pattern` gets this answer."""
        self.failures.append((re.compile(pattern), status, body or {}, headers or {}))

    def fail_after_acting(self, pattern: str, status: int, listed_after: float = 0.0) -> None:
        """The next request whose "METHOD /path" matches `pattern` is acted on (a forum post made), and
        answered with this status all the same: a gateway that lost Discord's answer (the post made
        shows among the active threads only `listed_after` seconds later: Discord still making it)."""
        self.failures_after_acting.append((re.compile(pattern), status, listed_after))

    def rate_limit(self, pattern: str, retry_after: float) -> None:
        self.fail(
            pattern,
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            {"Via": "1.1 google", "Retry-After": str(retry_after)},
        )

    def messages(self) -> list[Sent]:
        """Every request that creates a message (channel posts, forum posts, interaction answers)."""
        return [
            s
            for s in self.sent
            if s.method == "POST" and re.search(r"/messages$|/threads$|/callback$|/webhooks/\d+/[^/]+$", s.path)
        ]

    def posts_in(self, channel: str) -> list[dict[str, Any]]:
        return [s.body for s in self.sent if s.method == "POST" and s.path.endswith(f"/channels/{channel}/messages")]

    def followups(self) -> list[dict[str, Any]]:
        return [s.body for s in self.sent if s.method == "POST" and "/webhooks/" in s.path]

    def callbacks(self) -> list[Sent]:
        return [s for s in self.sent if s.path.endswith("/callback")]

    async def wait_for(self, predicate: Any, within: float = WAIT_S) -> None:
        await wait_until(predicate, within, "the fake Discord")

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        for ws in self._sockets:
            await ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    def delete(self, channel: str, message: str) -> None:
        """A person deletes a message (a forum post's starter: the whole post)."""
        self.stored[channel] = [m for m in self.stored.get(channel, []) if m["id"] != message]
        if self.starters.pop(message, None) is not None:
            self.channels.pop(message, None)

    def edits(self) -> list[Sent]:
        return [s for s in self.sent if s.method == "PATCH" and "/messages/" in s.path]

    def _archived(self, channel: str) -> bool:
        return bool(((self.channels.get(channel) or {}).get("thread_metadata") or {}).get("archived"))

    def _edit(self, channel: str, message_id: str, body: dict[str, Any]) -> web.Response:
        """PATCH a message: its content and embeds change; an unknown one is Discord's 10008."""
        if channel not in self.channels and channel not in self.dms:  # a direct message's too, as Discord does
            return self._json({"message": "Unknown Channel", "code": 10003}, 404)
        found = [m for m in self.stored.get(channel, []) if m["id"] == message_id]
        starter = self.starters.get(channel)
        if not found and starter is not None and starter["id"] == message_id:
            found = [starter]
        if not found:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        if self._archived(channel):  # Discord edits nothing in an archived thread (a new message reopens it)
            return self._json({"message": "Thread is archived", "code": 50083}, 400)
        problem = embed_problem(body.get("embeds") or [], body.get("content") or "")
        if problem is not None:
            return self._json(
                {"message": "Invalid Form Body", "code": 50035, "errors": {"_errors": [{"message": problem}]}}, 400
            )
        message = found[0]
        for name in ("content", "embeds", "components"):
            if name in body:
                message[name] = body[name]
        message["edited_timestamp"] = now_iso()
        return self._json({k: v for k, v in message.items() if k != "nonce"})

    def new_id(self) -> str:
        return str(next(self._ids))

    async def slash(
        self,
        subcommand: str,
        options: dict[str, Any] | None = None,
        *,
        channel: str = TEXT_ID,
        permissions: str = EVERYTHING,
        in_guild: bool = True,
    ) -> str:
        """Send `/papers <subcommand>` as INTERACTION_CREATE; returns the interaction id."""
        options_list = [
            {"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in (options or {}).items()
        ]
        data = {
            "id": "3000000000000000001",
            "name": "papers",
            "type": 1,
            "options": [{"name": subcommand, "type": 1, "options": options_list}],
        }
        return await self._interaction(2, data, channel, permissions, in_guild)

    async def click(
        self,
        custom_id: str,
        *,
        channel: str = TEXT_ID,
        on: str | None = None,
        permissions: str = EVERYTHING,
        in_guild: bool = True,
    ) -> str:
        """A click on a button; `on`: the id of the message it is under (an interaction's answer's, from
        `response_messages`: Discord sends that message whole with the click), else a message of its own."""
        message = self._message(channel, {"content": ""}, author=user(BOT_ID, "paperboy", bot=True))
        if on is not None:
            message = {**message, **self.responded.get(on, {}), "id": on}
        return await self._interaction(
            3, {"custom_id": custom_id, "component_type": 2}, channel, permissions, in_guild, message=message
        )

    async def message_command(
        self,
        name: str,
        content: str,
        *,
        embeds: list[dict[str, Any]] | None = None,
        channel: str = TEXT_ID,
        forwarded: bool = False,
    ) -> str:
        """Run the message context-menu command `name` (application command type 3) on a new message from
        ada; `forwarded`: a forward of a message holding `content` and `embeds`, as Discord sends one (its
        own text empty, the forwarded message in `message_snapshots`, a reference of type 1)."""
        body = {"content": content, "embeds": embeds or []}
        target = self._message(channel, {"content": ""} if forwarded else body, author=user(HUMAN_ID, "ada", bot=False))
        if forwarded:
            snapshot = {**body, "attachments": [], "type": 0, "flags": 0, "mentions": [], "mention_roles": []}
            snapshot |= {"timestamp": target["timestamp"], "edited_timestamp": None, "components": []}
            target["flags"] = 1 << 14  # HAS_SNAPSHOT
            target["message_reference"] = {"type": 1, "channel_id": channel, "message_id": "1999999999999999999"}
            target["message_snapshots"] = [{"message": snapshot}]
        data = {
            "id": "3000000000000000002",
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        return await self._interaction(2, data, channel, EVERYTHING, True)

    async def autocomplete(self, subcommand: str, option: str, typed: str, *, channel: str = TEXT_ID) -> str:
        """Type into `/papers <subcommand> <option>:` (an interaction of type 4, answered with type 8)."""
        focused = {"name": option, "type": 3, "value": typed, "focused": True}
        data = {
            "id": "3000000000000000001",
            "name": "papers",
            "type": 1,
            "options": [{"name": subcommand, "type": 1, "options": [focused]}],
        }
        return await self._interaction(4, data, channel, EVERYTHING, True)

    def last_modal(self) -> dict[str, Any]:
        """The data of the last modal the bot opened (interaction callback type 9)."""
        opened = [c.body["data"] for c in self.callbacks() if c.body.get("type") == 9]
        assert opened, "no modal was opened"
        return dict(opened[-1])

    async def submit_modal(
        self, values: dict[str, str], *, permissions: str = EVERYTHING, channel: str = TEXT_ID, form: str | None = None
    ) -> str:
        """Submit the last modal the bot opened (interaction type 5) with `values` by text input custom_id;
        `form`: a modal of that custom_id, with exactly the inputs in `values` (one opened by another process)."""
        modal: dict[str, Any] = self.last_modal() if form is None else {"custom_id": form, "components": []}
        names = [item["custom_id"] for row in modal["components"] for item in row["components"]] or list(values)
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": n, "value": values.get(n, "")}]} for n in names]
        data = {"custom_id": modal["custom_id"], "components": rows}
        return await self._interaction(5, data, channel, permissions, True)

    def answers(self, kind: int) -> list[dict[str, Any]]:
        """The data of every interaction callback of type `kind` (4 message, 5 deferred, 8 choices, 9 modal)."""
        return [c.body.get("data") or {} for c in self.callbacks() if c.body.get("type") == kind]

    async def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        channel: str,
        permissions: str,
        in_guild: bool,
        message: dict[str, Any] | None = None,
    ) -> str:
        interaction_id = self.new_id()
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "channel_id": channel,
            "channel": self.channels.get(channel) or self.dms.get(channel) or {"id": channel, "type": 1},
            "token": f"token-{interaction_id}",
            "version": 1,
            "app_permissions": self.app_permissions,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID} if in_guild else {"1": HUMAN_ID},
            "context": 0 if in_guild else 1,
            "attachment_size_limit": 8388608,
        }
        human = user(HUMAN_ID, "ada", bot=False)
        if in_guild:
            payload["guild_id"] = GUILD_ID
            payload["guild_locale"] = "en-US"
            payload["member"] = {
                "user": human,
                "roles": [],
                "permissions": permissions,
                "joined_at": now_iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
        else:
            payload["user"] = human
        if message is not None:
            payload["message"] = message
        self.last_interaction = payload
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    async def replay(self) -> None:
        """Deliver the last interaction again, as a second gateway session of the same bot would get it."""
        await self.dispatch("INTERACTION_CREATE", self.last_interaction)

    async def mention(self, channel: str, text: str, *, pinged: bool = False, reply_to: str | None = None) -> str:
        """MESSAGE_CREATE from ada; `pinged`: the bot is in `mentions` though the text does not name it (a
        Reply to the bot's message, which pings its author); `reply_to`: the message it is a Reply to."""
        body: dict[str, Any] = {"content": text}
        if reply_to is not None:
            body["message_reference"] = {"message_id": reply_to, "channel_id": channel}
        message = self._message(channel, body, author=user(HUMAN_ID, "ada", bot=False))
        replied = next((m for m in self.stored.get(channel, []) if m["id"] == reply_to), None)
        if replied is not None:
            message["referenced_message"] = replied  # as Discord sends a Reply: the message it answers
        named = pinged or f"<@{BOT_ID}>" in text
        message["mentions"] = [user(BOT_ID, "paperboy", bot=True)] if named else []
        message["mention_roles"] = [BOT_ROLE_ID] if f"<@&{BOT_ROLE_ID}>" in text else []
        message["member"] = {"roles": [], "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0}
        await self.dispatch("MESSAGE_CREATE", message)
        return str(message["id"])

    async def react(
        self,
        channel: str,
        message: str,
        emoji: str | dict[str, Any] = "👍",
        *,
        user: str = HUMAN_ID,
        added: bool = True,
        author: str | None = BOT_ID,
        bot: bool = False,
        burst: bool = False,
    ) -> None:
        """MESSAGE_REACTION_ADD (with the member and the message's author, as Discord sends them) or
        MESSAGE_REACTION_REMOVE (neither); `burst`: a super reaction (type 1); `emoji`: a Unicode one, or
        a server's own as Discord writes it (`{"id": …, "name": …, "animated": …}`)."""
        data: dict[str, Any] = {
            "user_id": user,
            "channel_id": channel,
            "message_id": message,
            "guild_id": GUILD_ID,
            "emoji": emoji if isinstance(emoji, dict) else {"id": None, "name": emoji},
            "burst": burst,
            "type": 1 if burst else 0,
        }
        if added:
            data["member"] = {
                "user": _user(user, bot=bot),
                "roles": [],
                "joined_at": now_iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
            if author is not None:
                data["message_author_id"] = author
        await self.dispatch("MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE", data)

    async def say(
        self, channel: str, *, user: str = HUMAN_ID, bot: bool = False, message_id: str | None = None, kind: int = 0
    ) -> str:
        """MESSAGE_CREATE from someone in a channel or thread, with no content (no message-content intent);
        `kind`: the message type (0 a message; 6 a pin notice, 4 a rename, 1 someone added: system messages)."""
        message = self._message(channel, {"content": ""}, author=_user(user, bot=bot))
        message["type"] = kind
        if message_id is not None:
            message["id"] = message_id
        message["member"] = {"roles": [], "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0}
        await self.dispatch("MESSAGE_CREATE", message)
        return str(message["id"])

    def _refused(self, method: str, path: str, body: Any) -> web.Response | None:
        """Discord's refusals of a thread where none can start (50024) and of an untagged post in a forum
        that requires tags (40067)."""
        started = re.fullmatch(r"/channels/(\d+)/messages/\d+/threads", path)
        if method == "POST" and started and (self.channels.get(started.group(1)) or {}).get("type") in (2, 11, 12, 13):
            return self._json({"message": "Cannot execute action on this channel type", "code": 50024}, 400)
        posted = re.fullmatch(r"/channels/(\d+)/threads", path)
        forum = (self.channels.get(posted.group(1)) or {}) if method == "POST" and posted else {}
        if forum.get("flags", 0) & 16 and not (body or {}).get("applied_tags"):
            message = "A tag is required to create a forum post in this channel"
            return self._json({"message": message, "code": 40067}, 400)
        return None

    # -- server ---------------------------------------------------------------------------

    async def start(self) -> None:
        forum = {
            "available_tags": [
                {"id": k, "name": v, "moderated": False, "emoji_id": None, "emoji_name": None} for k, v in TAGS.items()
            ],
            "default_reaction_emoji": None,
            "default_sort_order": None,
            "default_forum_layout": 0,
            "default_thread_rate_limit_per_user": 0,
        }
        self.channels = {
            TEXT_ID: guild_channel(TEXT_ID, "papers"),
            FORUM_ID: guild_channel(FORUM_ID, "paper-forum", kind=15, position=1) | forum,
            VOICE_ID: guild_channel(VOICE_ID, "lounge", kind=2, position=2)
            | {"bitrate": 64000, "user_limit": 0, "rtc_region": None},
            TAGGED_FORUM_ID: guild_channel(TAGGED_FORUM_ID, "tagged", kind=15, position=3) | forum | {"flags": 16},
        }
        self.dms = {
            DM_ID: {
                "id": DM_ID,
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [user(HUMAN_ID, "ada", bot=False)],
            }
        }
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner, self.port = await start_server(app)

    async def stop(self) -> None:
        await stop_server(self._runner, self._sockets)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                await self._ready(ws)
        self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        me = user(BOT_ID, "paperboy", bot=True)
        ready = {
            "v": 10,
            "user": me,
            "session_id": "session-1",
            "resume_gateway_url": self.gateway_url,
            "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "application": {"id": APP_ID, "flags": 0},
        }
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        guild = self.guild()
        await ws.send_str(json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild}))
        self.identified.set()

    def guild(self) -> dict[str, Any]:
        """The server as GUILD_CREATE gives it: its channels, roles, and the bot as a member."""
        me = user(BOT_ID, "paperboy", bot=True)
        return {
            "id": GUILD_ID,
            "name": "Lab",
            "icon": None,
            "owner_id": HUMAN_ID,
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "roles": [
                {
                    "id": GUILD_ID,
                    "name": "@everyone",
                    "permissions": EVERYTHING,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": BOT_ROLE_ID,
                    "name": "paperboy",
                    "permissions": EVERYTHING,
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": True,
                    "mentionable": True,
                    "flags": 0,
                    "tags": {"bot_id": BOT_ID},
                },
            ],
            "channels": list(self.channels.values()),
            "threads": [],
            "members": [
                {"user": me, "roles": [BOT_ROLE_ID], "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0}
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "joined_at": now_iso(),
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "afk_timeout": 300,
        }

    @staticmethod
    def _json(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # discord.py compares the header with "application/json" exactly: no charset.
        return web.Response(
            body=json.dumps(value).encode(),
            status=status,
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    async def _body(self, request: web.Request) -> Any:
        if request.content_type.startswith("multipart/"):  # a payload_json part, and a part per file
            body: dict[str, Any] = {}
            files: dict[str, str] = {}
            reader = await request.multipart()
            async for part in reader:
                name = getattr(part, "name", None) or ""
                if name == "payload_json":
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                elif name.startswith("files["):
                    files[str(getattr(part, "filename", "") or name)] = await part.text()  # type: ignore[union-attr]
            return body | ({"_files": files} if files else {})
        text = await request.text()
        return json.loads(text) if text else {}

    def _message(
        self, channel: str, body: dict[str, Any], *, author: dict[str, Any] | None = None, flags: int = 0
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": self.new_id(),
            "channel_id": channel,
            "guild_id": GUILD_ID,
            "author": author or user(BOT_ID, "paperboy", bot=True),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": flags,
            "components": body.get("components") or [],
        }
        if body.get("message_reference"):  # a reply: Discord shows the message it answers above it
            message["message_reference"] = {
                **body["message_reference"],
                "message_id": str(body["message_reference"]["message_id"]),
            }
            message["type"] = 19
        if channel in self.dms:
            del message["guild_id"]  # a direct message belongs to no server
        return message

    def _thread(self, thread_id: str, parent: str, name: str, tags: list[str] | None = None) -> dict[str, Any]:
        thread = {
            "id": thread_id,
            "type": 11,
            "guild_id": GUILD_ID,
            "parent_id": parent,
            "name": name,
            "owner_id": BOT_ID,
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "applied_tags": tags or [],
            "total_message_sent": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }
        self.channels[thread_id] = thread
        return thread

    async def _rest(self, request: web.Request) -> web.Response:
        """`_served`, unless a failure after acting (`fail_after_acting`) answers instead."""
        answer = await self._served(request)
        route = f"{request.method} /{request.match_info['path']}"
        for i, (pattern, status, listed_after) in enumerate(self.failures_after_acting):
            if pattern.search(route) and answer.status < 300:
                del self.failures_after_acting[i]
                if listed_after and isinstance(answer.body, bytes):
                    self.unlisted_until[str(json.loads(answer.body)["id"])] = time.monotonic() + listed_after
                return web.Response(status=status, text=f"{status} Bad Gateway", content_type="text/html")
        return answer

    async def _served(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = await self._body(request) if request.method in ("POST", "PUT", "PATCH") else {}
        self.sent.append(Sent(request.method, path, body, time.monotonic()))
        route = f"{request.method} {path}"
        for i, (pattern, status, answer, headers) in enumerate(self.failures):
            if pattern.search(route):
                del self.failures[i]
                return self._json(answer, status, headers)
        if (
            not request.headers.get("Authorization", "").startswith("Bot ")
            and "/webhooks/" not in path
            and "/interactions/" not in path
        ):
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        message = body.get("message") if isinstance(body, dict) and isinstance(body.get("message"), dict) else body
        if path.endswith("/callback") and isinstance(body, dict):
            message = body.get("data") or {}
            if problem := callback_problem(body):
                return self._json(
                    {"message": "Invalid Form Body", "code": 50035, "errors": {"_errors": [{"message": problem}]}}, 400
                )
        if (
            request.method == "POST"
            and isinstance(message, dict)
            and (problem := embed_problem(message.get("embeds") or [], message.get("content") or ""))
        ):
            return self._json(
                {"message": "Invalid Form Body", "code": 50035, "errors": {"_errors": [{"message": problem}]}}, 400
            )
        return await self._route(request.method, path, body)

    async def _route(self, method: str, path: str, body: Any) -> web.Response:
        if self.latency and method == "POST":
            await asyncio.sleep(self.latency)
        if refused := self._refused(method, path, body):
            return refused
        if path == "/users/@me":
            return self._json(user(BOT_ID, "paperboy", bot=True))
        if path == "/oauth2/applications/@me":
            owner = user(HUMAN_ID, "ada", bot=False)
            return self._json(
                {
                    "id": APP_ID,
                    "name": "paperboy",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": owner,
                    "verify_key": "00",
                    "flags": 0,
                }
            )
        if method == "PUT" and re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path):
            commands = body if isinstance(body, list) else []
            return self._json(
                [
                    {"description": "", **c, "id": self.new_id(), "application_id": APP_ID, "version": "1"}
                    for c in commands
                ]
            )
        if match := re.fullmatch(r"/channels/(\d+)", path):
            channel = self.channels.get(match.group(1)) or self.dms.get(match.group(1))
            return self._json(channel) if channel else self._json({"message": "Unknown Channel", "code": 10003}, 404)
        if method == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages", path)):
            target = match.group(1)
            if target not in self.channels and target not in self.dms:
                return self._json({"message": "Unknown Channel", "code": 10003}, 404)
            if self._archived(target):
                self.channels[target]["thread_metadata"]["archived"] = False  # a message reopens an archived thread
            nonce = body.get("nonce") if body.get("enforce_nonce") else None
            for earlier in self.stored.get(target, []):
                if nonce and earlier.get("nonce") == nonce:
                    return self._json(earlier)  # Discord answers a repeated nonce with the first message
            message = self._message(target, body)
            if nonce:
                message["nonce"] = nonce
            self.stored.setdefault(target, []).append(message)
            return self._json(message)
        if method == "PATCH" and (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)):
            return self._edit(match.group(1), match.group(2), body)
        if method == "GET" and (match := re.fullmatch(r"/channels/(\d+)/messages", path)):
            # Discord keeps a nonce only to answer a repeat: a message read back has none.
            history = [{k: v for k, v in m.items() if k != "nonce"} for m in self.stored.get(match.group(1), [])]
            return self._json(list(reversed(history)))
        if method == "GET" and (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)):
            held_in, wanted = match.groups()
            kept = [*self.stored.get(held_in, []), *([self.starters[wanted]] if wanted in self.starters else [])]
            for message in kept:
                if str(message["id"]) == wanted:
                    return self._json({k: v for k, v in message.items() if k != "nonce"})
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        if method == "GET" and re.fullmatch(r"/guilds/\d+/threads/active", path):
            now = time.monotonic()
            active = [
                c
                for c in self.channels.values()
                if c.get("type") == 11 and self.unlisted_until.get(str(c["id"]), 0.0) <= now
            ]
            return self._json({"threads": active, "members": []})
        if method == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)):
            if match.group(1) in self.dms:
                return self._json({"message": "Cannot execute action on a DM channel", "code": 50003}, 403)
            if match.group(2) in self.channels:
                return self._json(
                    {"message": "A thread has already been created for this message", "code": 160004}, 400
                )
            thread = self._thread(match.group(2), match.group(1), body.get("name", ""))
            await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
            return self._json(thread)
        if method == "POST" and (match := re.fullmatch(r"/channels/(\d+)/threads", path)):
            thread_id = self.new_id()
            thread = self._thread(thread_id, match.group(1), body.get("name", ""), body.get("applied_tags"))
            starter = self._message(thread_id, body.get("message") or {})
            starter["id"] = thread_id
            self.starters[thread_id] = starter
            await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
            return self._json({**thread, "message": starter})
        if method == "POST" and (match := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)):
            if match.group(1) in self.acknowledged:  # Discord takes one initial response per interaction
                return self._json({"message": "Interaction has already been acknowledged.", "code": 40060}, 400)
            self.acknowledged.add(match.group(1))
            kind = body.get("type")
            flags = (body.get("data") or {}).get("flags", 0)
            self.response_messages.append(self.new_id())  # what a click on the answer's buttons names
            answer = self._message(TEXT_ID, body.get("data") or {}, flags=flags)
            self.responded[self.response_messages[-1]] = {**answer, "id": self.response_messages[-1]}
            return self._json(
                {
                    "interaction": {
                        "id": match.group(1),
                        "type": 2,
                        "response_message_id": self.response_messages[-1],
                        "response_message_loading": kind == 5,
                        "response_message_ephemeral": bool(flags & 64),
                    },
                    "resource": {"type": kind, "message": answer},
                }
            )
        if match := re.fullmatch(r"/webhooks/(\d+)/([^/]+)(/messages/.+)?", path):
            return self._json(self._message(TEXT_ID, body, flags=body.get("flags", 0)))
        return self._json({"message": "404: Not Found", "code": 0}, 404)
