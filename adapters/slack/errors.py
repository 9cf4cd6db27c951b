"""What Slack said when a Web API call failed: its error code and the HTTP status, read safely (an
answer that was not Slack's JSON, a proxy's text page or a cut body, has neither a code nor a dict)."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError


def error_fields(exc: SlackApiError) -> dict[str, Any]:
    """Slack's answer as a dict (`error`, `needed`, …); {} when the answer was not Slack's JSON."""
    data = getattr(exc.response, "data", None)
    return data if isinstance(data, dict) else {}


def error_code(exc: SlackApiError) -> str:
    """Slack's error code (`channel_not_found`), or "" when the answer was not Slack's JSON."""
    return str(error_fields(exc).get("error", ""))


def http_status(exc: SlackApiError) -> int | None:
    """The answer's HTTP status (slack_sdk hands over its own response or, for a body it could not
    read as JSON, aiohttp's)."""
    status = getattr(exc.response, "status_code", None) or getattr(exc.response, "status", None)
    return status if isinstance(status, int) else None
