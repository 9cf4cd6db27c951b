"""Discord's `/papers subscribe` options become the same command as Slack's text, each value kept whole."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.discord.slash import subscribe_command
from adapters.discord.wording import shared
from bot.chat.commands import Subscribe, Unknown
from bot.chat.service import Shared, SharedBefore
from bot.domain.publishing import MessageRef


def test_a_topic_that_reads_like_an_option_stays_a_topic() -> None:
    command = subscribe_command("diffusion tz Europe,  robotics ", "09:00", "Europe/Berlin", 5)
    assert command == Subscribe(
        topics=("diffusion tz Europe", "robotics"), time="09:00", timezone="Europe/Berlin", days=None, limit=5
    )


def test_no_options_is_a_plain_subscription() -> None:
    assert subscribe_command(",,, ,", None, None, None) == Unknown(  # every paper, unsaid (QA s77)
        "subscribe topics:,,, ,", "`topics:` names no topic: give one or more, or leave it out for every paper."
    )
    assert subscribe_command("llm", "09:00 PST", None, None) == Unknown(  # "not a time of day" (QA s77)
        "subscribe time:09:00 PST", "The zone goes in its own option: `time:09:00 timezone:America/Los_Angeles`."
    )
    assert subscribe_command(None, None, None, None) == Subscribe(
        topics=(), time=None, timezone=None, days=None, limit=None
    )


def test_a_bad_value_is_explained() -> None:
    command = subscribe_command("llm", "25:00", None, None)
    assert isinstance(command, Unknown) and "is not a time of day" in command.hint


def test_a_refused_subscribe_is_quoted_as_its_options_were_given() -> None:
    """Not as Slack's typed text (`subscribe at “9am”`), which the person never typed."""
    command = subscribe_command("diffusion", "25:00", "Europe/Berlin", 5, "weekly", "fri", days=None)
    assert command == Unknown(
        "subscribe topics:diffusion time:25:00 timezone:Europe/Berlin top:5 cadence:weekly day:fri",
        "'25:00' is not a time of day (use HH:MM, 24-hour, such as 09:00)",
    )
    assert subscribe_command(None, "13:00 pm", None, None) == Unknown(  # as typed, not as the chat's words read it
        "subscribe time:13:00 pm", "'13:00 pm' is not a time of day: type it 24-hour, HH:MM, such as `time:21:00`"
    )
    said = subscribe_command("diffusion", "9pm", None, None, None, None, days=None)  # as people say it
    assert isinstance(said, Subscribe) and said.time == "21:00"
    assert subscribe_command(None, None, None, None, days="funday") == Unknown(
        "subscribe days:funday", "'funday' is not a set of days (try mon-fri, mon,wed,fri or daily)"
    )


@pytest.mark.parametrize(
    ("days", "read"),
    [
        ("mon wed fri", "mon,wed,fri"),
        ("Mon to Fri", "mon-fri"),
        ("mon, wed, fri", "mon,wed,fri"),
        ("weekdays", "weekdays"),
    ],
)
def test_days_and_times_written_in_words_are_read_as_slacks_subscribe_reads_them(days: str, read: str) -> None:
    """`days:mon wed fri` was refused as "'monwedfri' is not a set of days", a value nobody typed, and
    `time:9:00 pm` refused: Slack's `days mon wed fri` and `at 9:00 PM` take them."""
    said = subscribe_command("diffusion", "9:00 pm", None, None, days=days)
    assert isinstance(said, Subscribe) and (said.days, said.time) == (read, "21:00"), said
    refused = subscribe_command(None, None, None, None, days="mon wed robotics")
    assert refused == Unknown(
        "subscribe days:mon wed robotics",
        "'mon wed robotics' is not a set of days (try mon-fri, mon,wed,fri or daily)",
    )


def test_a_share_where_no_thread_can_start_does_not_promise_one() -> None:
    """Shared inside a thread, a forum post or a voice channel's chat, the card stands alone: the clicker
    was told "its thread is open for discussion" of a thread that does not exist."""
    alone = Shared(MessageRef("T1", "M1", "T1"), "GrepSeek")
    threaded = Shared(MessageRef("C1", "M1", "M1"), "GrepSeek")
    said = "Shared “GrepSeek” here; to ask me about it, reply to its card (`summary`, `code`, `cite`…)."
    assert shared(alone) == said  # (a mention there was answered of the thread's paper, or not at all: QA s77)
    assert shared(threaded) == "Shared “GrepSeek” here; its thread is open for discussion."
    posting = SharedBefore("GrepSeek", timedelta(0), under_way=True)  # another replica's click, posting it
    assert shared(posting) == "“GrepSeek” is being shared here right now: its thread opens with it."
