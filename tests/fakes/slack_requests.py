"""What Slack sends an app, for tests to send it: the signature headers, a slash command's form, an Events
API callback's envelope and a button's `block_actions` payload, as Slack's docs and bolt's tests show them."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any


def signed_headers(body: str, secret: str, content_type: str = "application/json", *, age: int = 0) -> dict[str, str]:
    """Slack's request signature (v0, HMAC-SHA256 of `v0:timestamp:body`), made `age` seconds ago."""
    timestamp = str(int(time.time()) - age)
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"content-type": content_type, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature}


def command_form(
    text: str,
    response_url: str,
    *,
    team: str = "T0001",
    domain: str = "lab",
    channel: str = "C0001",
    channel_name: str = "papers",
    user: str = "U0001",
) -> dict[str, str]:
    """`/papers text`, as the form Slack posts: typed by `user` in `channel` of the workspace `team`."""
    return {
        "token": "legacy",
        "team_id": team,
        "team_domain": domain,
        "channel_id": channel,
        "channel_name": channel_name,
        "user_id": user,
        "user_name": "ada",
        "command": "/papers",
        "text": text,
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "api_app_id": "A0001",
    }


def event_callback(
    event: dict[str, Any], *, team: str, event_id: str, event_time: int, bot: str = "UBOT"
) -> dict[str, Any]:
    """An Events API callback's envelope around `event`, authorized for the bot user `bot` of `team`."""
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [{"team_id": team, "user_id": bot, "is_bot": True}],
    }


def button_click(
    action: str, block: str, value: str, container: dict[str, Any], *, user: str = "U0001", **where: Any
) -> dict[str, Any]:
    """A `block_actions` payload: `user` of T0001 clicked the button `action` (in `block`, valued `value`)
    of the message or view `container`; `where` adds what Slack sends with it (the channel, the view)."""
    return {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "lab"},
        "user": {"id": user, "username": "ada", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": container,
        "trigger_id": "1.2.3",
        **where,
        "actions": [{"action_id": action, "block_id": block, "type": "button", "value": value, "action_ts": "1.2"}],
    }
