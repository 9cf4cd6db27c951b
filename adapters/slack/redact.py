"""No token in the logs: Slack tokens in a log line are replaced by a mark before any handler sees them.

slack_sdk logs whole request and response bodies at DEBUG level (an `oauth.v2.access` answer carries
the new workspace's bot token and refresh token); bolt and our own lines name errors that may quote
a request. The filter goes on the loggers those lines are written to.
"""

from __future__ import annotations

import logging
import re

# xoxb-…, xoxp-…, xoxe-1-… (refresh tokens), xoxe.xoxb-… (rotating tokens), xapp-…
_TOKEN = re.compile(r"\b(?:xox[a-z]?|xapp)[.-][A-Za-z0-9.\-]+")
MARK = "xox-(redacted)"


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg, record.args = _TOKEN.sub(MARK, message), None
        return True


def redact_tokens(*loggers: logging.Logger) -> None:
    """Put the filter on each logger (once)."""
    for logger in loggers:
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
