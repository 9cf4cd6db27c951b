"""What Slack said when a Web API call failed: its error code and the HTTP status, read safely (an
answer that was not Slack's JSON, a proxy's text page or a cut body, has neither a code nor a dict)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.sources.http import retry_after_seconds

MOST_RETRY_AFTER_S = 30  # the longest a 429's Retry-After is waited out, as for Discord (then: tried again later)
RATE_LIMITED = frozenset({"rate_limited", "ratelimited"})  # `ok: false` codes of Slack's rate limits
# Slack refuses the token itself (the app removed, its token revoked or expired): the whole workspace's calls fail.
TOKEN_REFUSALS = frozenset({"invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed"})


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


def retry_after(headers: Mapping[str, Any]) -> float | None:
    """A 429's Retry-After in seconds (delta seconds or an HTTP date), None when it says none."""
    said = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    value = said[0] if isinstance(said, list) and said else said  # slack_sdk keeps each header's values in a list
    return retry_after_seconds(value if isinstance(value, str) else None)


def asked_wait(exc: SlackApiError) -> float | None:
    """The Retry-After of the answer that failed the call, None when it named none."""
    headers = getattr(exc.response, "headers", None)
    return retry_after(headers) if isinstance(headers, Mapping) else None
