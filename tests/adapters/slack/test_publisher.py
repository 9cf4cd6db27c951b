"""The Slack publisher's set-up: slack_sdk's debug lines are formatted only when something shows them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.publisher import SlackPublisher


@pytest.fixture
def sdk_logger() -> Iterator[logging.Logger]:
    """A logger of our own for the client, under a parent at WARNING; levels restored afterwards."""
    parent, child = logging.getLogger("tests.sdk"), logging.getLogger("tests.sdk.client")
    parent.setLevel(logging.WARNING)
    try:
        yield child
    finally:
        parent.setLevel(logging.NOTSET)
        child.setLevel(logging.NOTSET)


def test_slack_sdk_stops_formatting_debug_lines_that_nothing_shows(sdk_logger: logging.Logger) -> None:
    # slack_sdk formats every request and response when `logger.level <= DEBUG`; unset, that is 0.
    assert sdk_logger.level <= logging.DEBUG
    SlackPublisher(AsyncWebClient(token="xoxb-test", logger=sdk_logger))
    assert sdk_logger.level == logging.WARNING  # what it inherited: nothing logged changes
    assert not sdk_logger.isEnabledFor(logging.DEBUG)


def test_a_logger_configured_for_debug_keeps_its_debug_lines(sdk_logger: logging.Logger) -> None:
    logging.getLogger("tests.sdk").setLevel(logging.DEBUG)
    SlackPublisher(AsyncWebClient(token="xoxb-test", logger=sdk_logger))
    assert sdk_logger.level == logging.NOTSET
    assert sdk_logger.isEnabledFor(logging.DEBUG)
