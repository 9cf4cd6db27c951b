"""`paperboy run` says at start which digest comes next, and when (offline, what it needs)."""

from datetime import UTC, datetime

from bot.app.upcoming import next_digest_note
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef

NOW = datetime(2026, 12, 2, 3, 59, tzinfo=UTC)  # a Wednesday, past the terminal's 00:30


def test_the_next_digest_is_named_with_its_channel_and_its_own_time_zone() -> None:
    terminal = Subscription(ChannelRef("console", "term"), time="00:30", timezone="UTC", days="daily")
    berlin = Subscription(ChannelRef("slack", "C1", "T1"), time="09:00", timezone="Europe/Berlin", days="mon-fri")
    stopped = Subscription(ChannelRef("slack", "C2", "T1"), time="04:00", status="the bot was removed")
    note = next_digest_note([terminal, berlin, stopped], NOW, offline=False)
    assert note == "2 subscriptions; the next digest: slack:C1, Wednesday 2 December at 09:00 CET."
    weekly = Subscription(ChannelRef("console", "term"), time="00:30", days="fri", cadence="weekly")
    assert next_digest_note([weekly], NOW, offline=False) == (
        "1 subscription; the next weekly roundup: console:term, Friday 4 December at 00:30 UTC."
    )


def test_offline_it_says_a_digest_needs_its_day_s_listing() -> None:
    terminal = Subscription(ChannelRef("console", "term"), time="00:30", timezone="UTC", days="daily")
    note = next_digest_note([terminal], NOW, offline=True)
    assert note is not None and note.startswith("1 subscription; the next digest: console:term, Thursday 3 December")
    assert "offline: a digest goes out only for a day whose listing the store holds" in note
    assert "`paperboy import`" in note and "PAPERBOY_OFFLINE" in note


def test_nothing_is_said_without_a_subscription_that_delivers() -> None:
    assert next_digest_note([], NOW, offline=True) is None
    gone = Subscription(ChannelRef("slack", "C2", "T1"), status="the bot was removed")
    assert next_digest_note([gone], NOW, offline=False) is None
