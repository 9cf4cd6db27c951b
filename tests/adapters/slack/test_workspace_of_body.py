"""Every Slack handler names a request's workspace the same way, org-wide installs included."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.installations import workspace_of_body


@pytest.mark.parametrize(
    ("body", "workspace"),
    [
        ({"team_id": "T1", "enterprise_id": "E1", "is_enterprise_install": "false"}, "T1"),  # a slash command
        ({"team_id": "T1", "enterprise_id": "E1", "is_enterprise_install": "true"}, "E1"),  # … org-wide
        ({"team": {"id": "T1"}, "enterprise": {"id": "E1"}, "is_enterprise_install": True}, "E1"),  # an action
        ({"team": None, "user": {"id": "U1", "team_id": "T2"}}, "T2"),  # an action that names only its user's team
        (  # an event: the install kind is in its authorizations
            {"team_id": "T1", "enterprise_id": "E1", "authorizations": [{"is_enterprise_install": True}]},
            "E1",
        ),
        ({"team_id": "T1", "enterprise_id": "E1", "authorizations": [{"is_enterprise_install": False}]}, "T1"),
        ({}, ""),
    ],
)
def test_the_workspace_of_a_request(body: dict[str, Any], workspace: str) -> None:
    assert workspace_of_body(body) == workspace
