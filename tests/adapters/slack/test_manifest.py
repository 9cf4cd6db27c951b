"""The app manifest a user pastes into Slack asks for exactly what the app uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[3] / "config" / "slack-manifest.yml"


def test_the_manifest_matches_the_app() -> None:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/papers"]
    assert commands[0]["url"].endswith("/slack/events")
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "commands",
        "chat:write",
        "app_mentions:read",
        "channels:history",
        "groups:history",
        "reactions:read",
    } <= scopes
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "reaction_added",
        "reaction_removed",
        "message.channels",
        "message.groups",
    ]
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
