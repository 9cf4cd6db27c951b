"""Discord's `/papers subscribe` options become the same command as Slack's text, each value kept whole."""

from __future__ import annotations

from adapters.discord.app import subscribe_command
from bot.chat.commands import Subscribe, Unknown


def test_a_topic_that_reads_like_an_option_stays_a_topic() -> None:
    command = subscribe_command("diffusion tz Europe,  robotics ", "09:00", "Europe/Berlin", 5)
    assert command == Subscribe(
        topics=("diffusion tz Europe", "robotics"), time="09:00", timezone="Europe/Berlin", days=None, limit=5
    )


def test_no_options_is_a_plain_subscription() -> None:
    assert subscribe_command(None, None, None, None) == Subscribe(
        topics=(), time=None, timezone=None, days=None, limit=None
    )


def test_a_bad_value_is_explained() -> None:
    command = subscribe_command("x", "25:00", None, None)
    assert isinstance(command, Unknown) and "is not a time of day" in command.hint
