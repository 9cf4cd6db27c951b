"""Stopping the Slack app lets the requests it has acknowledged finish their answers before the HTTP
session closes and the store is disposed: Slack will not send an acknowledged command again."""

from __future__ import annotations

import asyncio

import pytest

from tests.adapters.slack.conftest import SlackBot


@pytest.mark.slow
async def test_a_command_acknowledged_before_the_stop_is_answered(slack_bot: SlackBot) -> None:
    slack_bot.search.delay = 0.5  # the answer takes a while; the ack came at once
    assert (await slack_bot.command("diffusion")).status_code == 200
    await asyncio.sleep(0.1)  # bolt has taken it (its listener runs, searching)
    await slack_bot.runtime.stop()
    assert len(slack_bot.fake.responses) == 1  # answered before the stop returned, not cut off after it
