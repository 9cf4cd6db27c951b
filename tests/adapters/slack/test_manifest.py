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
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "app_uninstalled",
        "tokens_revoked",
        "app_home_opened",
        "link_shared",
        "reaction_added",
        "reaction_removed",
        "message.channels",
        "message.groups",
        "message.im",
        "message.mpim",
        "user_change",
    }
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True and home["messages_tab_enabled"] is True
    assert not home["messages_tab_read_only_enabled"]  # /papers follow is typed there
    assert {"users:read", "im:write", "im:history", "mpim:history", "channels:read", "groups:read"} <= scopes
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")


def test_the_install_asks_for_the_manifests_scopes_and_comes_back_to_the_redirect_url() -> None:
    from adapters.slack.oauth import REDIRECT_PATH, SCOPES

    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert sorted(SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
    assert [url.endswith(REDIRECT_PATH) for url in manifest["oauth_config"]["redirect_urls"]] == [True]


def test_the_manifest_asks_for_link_cards_and_the_forms_menu() -> None:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert {"links:read", "links:write"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["features"]["unfurl_domains"] == ["arxiv.org", "huggingface.co", "hf.co", "alphaxiv.org"]
    assert manifest["settings"]["interactivity"]["message_menu_options_url"].endswith("/slack/events")
