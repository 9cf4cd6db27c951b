"""Channels as people name them: PLATFORM:CHANNEL_ID, a workspace before the channel where several share it."""

from __future__ import annotations

import pytest

from bot.domain.channels import ChannelRef, parse_channel
from bot.domain.errors import UsageError


def test_a_channel_is_its_platform_its_id_and_maybe_its_workspace() -> None:
    assert parse_channel(" slack:C0123 ") == ChannelRef("slack", "C0123")
    assert parse_channel("slack:T1/C0123") == ChannelRef("slack", "C0123", "T1")
    assert parse_channel("console:me") == ChannelRef("console", "me")


KNOWN = "(console, discord, slack; such as slack:C0123456, discord:1234567890 or console:NAME)"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("slak:C123", f"'slak:C123': 'slak' is not a platform {KNOWN}. Did you mean 'slack:C123'?"),
        ("irc:C123", f"'irc:C123': 'irc' is not a platform {KNOWN}"),
        ("Slack:T1/C123", "'Slack:T1/C123': a platform is written in lower case: 'slack:T1/C123'"),
        ("DISCORD:123", "'DISCORD:123': a platform is written in lower case: 'discord:123'"),
        ("C0123", "'C0123' is not PLATFORM:CHANNEL_ID (such as slack:C0123456, discord:1234567890 or console:NAME)"),
        # each was saved, and failed at the first digest (`channel_not_found`)
        ("slack:c0123456", "'slack:c0123456': Slack's ids are written in capitals: 'slack:C0123456'"),
        ("slack:t0002/C0123456", "'slack:t0002/C0123456': Slack's ids are written in capitals: 'slack:T0002/C0123456'"),
        (
            "slack:ml-team-2",  # a name with a digit: not "in capitals", 'slack:ML-TEAM-2' is no id either
            "'slack:ml-team-2': 'ml-team-2' is a channel's name, and paperboy takes its id (C…, at the bottom of"
            " the channel's details in Slack), such as slack:C0123456",
        ),
        (
            "slack:C1/C2",  # `paperboy top --channel slack:C1/C2` listed nothing, the channel taken for the workspace
            "'slack:C1/C2': 'C1' is no workspace's id (a workspace's starts with T, an Enterprise Grid org's with E),"
            " such as slack:T0123ABCD/C0123456",
        ),
        (
            "slack:general",
            "'slack:general': 'general' is a channel's name, and paperboy takes its id (C…, at the bottom of the"
            " channel's details in Slack), such as slack:C0123456",
        ),
        ("slack:#C0123456", "'slack:#C0123456': an id is written without the #: 'slack:C0123456'"),
        (
            "slack:#general",  # "is not PLATFORM:CHANNEL_ID"
            "'slack:general': 'general' is a channel's name, and paperboy takes its id (C…, at the bottom of the"
            " channel's details in Slack), such as slack:C0123456",
        ),
    ],
)
def test_a_mistyped_channel_says_what_is_wrong(typed: str, said: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_channel(typed)
    assert str(refused.value) == said
