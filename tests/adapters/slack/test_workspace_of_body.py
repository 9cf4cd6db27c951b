"""Every Slack handler names a request's workspace the same way, org-wide installs included."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.installations import named, workspace_of, workspace_of_body

AUTH = {"enterprise_id": "E1", "team_id": "T1", "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}


@pytest.mark.parametrize(
    ("body", "workspace"),
    [
        ({"team_id": "T1", "enterprise_id": "E1", "is_enterprise_install": "false"}, "T1"),  # a slash command
        ({"team_id": "T1", "enterprise_id": "E1", "is_enterprise_install": "true"}, "E1"),  # … org-wide
        ({"team": {"id": "T1"}, "enterprise": {"id": "E1"}, "is_enterprise_install": True}, "E1"),  # an action
        ({"team": None, "user": {"id": "U1", "team_id": "T2"}}, "T2"),  # an action that names only its user's team
        (  # an event: the installation it is delivered for is its authorizations' first
            {"team_id": "T1", "enterprise_id": "E1", "authorizations": [{**AUTH, "is_enterprise_install": True}]},
            "E1",
        ),
        ({"team_id": "T1", "enterprise_id": "E1", "authorizations": [AUTH]}, "T1"),
        (  # a channel shared with another workspace (Slack Connect): the envelope names the one the event
            # happened in, T2; bolt answers it with T1's token, and its rows are T1's
            {"team_id": "T2", "is_ext_shared_channel": True, "authorizations": [{**AUTH, "enterprise_id": None}]},
            "T1",
        ),
        ({"view": {"app_installed_team_id": "T1", "team_id": "T2"}, "team": {"id": "T2"}}, "T1"),  # a shared modal
        ({}, ""),
    ],
)
def test_the_workspace_of_a_request(body: dict[str, Any], workspace: str) -> None:
    assert workspace_of_body(body) == workspace


def test_a_log_line_names_an_org_wide_install_as_the_org() -> None:
    assert (named(workspace_of("E1", "T1", True)), named(workspace_of("E1", "T1", False))) == ("org E1", "workspace T1")
