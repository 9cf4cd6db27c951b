"""`paperboy run`'s log says what paperboy does, not each library's every step."""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.app.cli.serving import quiet_libraries


def test_requests_to_hugging_face_are_not_each_a_line_of_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """httpx logs every request at INFO: a sync through the day wrote "HTTP Request: GET …" for each page."""
    quiet_libraries()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
    with caplog.at_level(logging.INFO), httpx.Client(transport=transport) as client:
        client.get("https://huggingface.co/api/daily_papers")
        logging.getLogger("paperboy").info("synced")
    assert [r.getMessage() for r in caplog.records] == ["synced"]
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
