"""`paperboy run` says at start which digest comes next, and when (offline, what it needs)."""

from datetime import UTC, date, datetime, timedelta

from bot.app.upcoming import next_digest_note, not_served
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore

NOW = datetime(2026, 12, 2, 3, 59, tzinfo=UTC)  # a Wednesday, past the terminal's 00:30
BEGAN = datetime(2026, 12, 2, 3, 58, tzinfo=UTC)  # the subscriptions' start (`paperboy run` seeds them now)
EVERYWHERE = ("console", "slack", "discord")


async def test_the_next_digest_is_named_with_its_channel_and_its_own_time_zone(june_store: PaperStore) -> None:
    ledger, schedule = Ledger(june_store.engine), ScheduleConfig()
    terminal = Subscription(ChannelRef("console", "term"), time="00:30", days="daily", since=BEGAN)
    berlin = Subscription(ChannelRef("slack", "C1", "T1"), time="09:00", timezone="Europe/Berlin", since=BEGAN)
    stopped = Subscription(ChannelRef("slack", "C2", "T1"), time="04:00", status="the bot was removed")
    note = await next_digest_note([terminal, berlin, stopped], ledger, schedule, EVERYWHERE, NOW, offline=False)
    assert note == "2 subscriptions; the next digest: slack:T1/C1, Wednesday 2 December at 09:00 CET."
    weekly = Subscription(ChannelRef("console", "term"), time="00:30", days="fri", cadence="weekly", since=BEGAN)
    assert await next_digest_note([weekly], ledger, schedule, EVERYWHERE, NOW, offline=False) == (
        "1 subscription; the next weekly roundup: console:term, Friday 4 December at 00:30 UTC."
    )
    # a channel on a platform this process does not run gets nothing from it: not named
    assert await next_digest_note([berlin], ledger, schedule, ("console",), NOW, offline=False) is None


async def test_a_digest_still_owed_today_is_the_next_one(june_store: PaperStore) -> None:
    """Subscribed before its 00:30, the terminal's digest of today is still owed at 03:59 (its window open)."""
    ledger, schedule = Ledger(june_store.engine), ScheduleConfig()
    terminal = Subscription(
        ChannelRef("console", "term"), time="00:30", days="daily", since=datetime(2026, 12, 1, tzinfo=UTC)
    )
    note = await next_digest_note([terminal], ledger, schedule, EVERYWHERE, NOW, offline=False)
    assert note == "1 subscription; the next digest: console:term's of Wednesday 2 December, due since 00:30 UTC."
    other = Subscription(ChannelRef("console", "other"), time="00:30", days="daily", since=terminal.since)
    dead = Ledger(june_store.engine, owner="dead", lease=timedelta(minutes=2))  # a process killed midway
    await dead.claim(other.channel, date(2026, 12, 2), NOW)
    await dead.close()
    begun = await next_digest_note([other], ledger, schedule, EVERYWHERE, NOW, offline=False)
    assert begun == note.replace("console:term", "console:other")  # the first sweep finishes it, not "Thursday"
    await ledger.skip_many({(terminal.channel, date(2026, 12, 2)): "the store has no listing"}, NOW)
    later = await next_digest_note([terminal], ledger, schedule, EVERYWHERE, NOW, offline=False)
    assert later == "1 subscription; the next digest: console:term, Thursday 3 December at 00:30 UTC."  # recorded


async def test_offline_it_says_a_digest_needs_its_day_s_listing(june_store: PaperStore) -> None:
    terminal = Subscription(ChannelRef("console", "term"), time="00:30", days="daily", since=BEGAN)
    note = await next_digest_note(
        [terminal], Ledger(june_store.engine), ScheduleConfig(), EVERYWHERE, NOW, offline=True
    )
    assert note is not None and note.startswith("1 subscription; the next digest: console:term, Thursday 3 December")
    assert "offline: a digest goes out only for a day whose listing the store holds" in note
    assert "`paperboy import`" in note and "PAPERBOY_OFFLINE" in note


async def test_nothing_is_said_without_a_subscription_that_delivers(june_store: PaperStore) -> None:
    ledger = Ledger(june_store.engine)
    assert await next_digest_note([], ledger, ScheduleConfig(), EVERYWHERE, NOW, offline=True) is None
    gone = Subscription(ChannelRef("slack", "C2", "T1"), status="the bot was removed")
    assert await next_digest_note([gone], ledger, ScheduleConfig(), EVERYWHERE, NOW, offline=False) is None


def test_channels_on_a_platform_this_process_does_not_run_are_named_with_what_it_needs() -> None:
    """A config file's discord:… channel with no DISCORD_TOKEN set got no digest, and `run` said only "1
    subscription"."""
    slack = Subscription(ChannelRef("slack", "C1", "T1"))
    guilds = [Subscription(ChannelRef("discord", str(n))) for n in range(1, 6)]
    stopped = Subscription(ChannelRef("discord", "9"), status="the channel is gone")  # said by its settings
    assert not_served([slack, *guilds, stopped], ("slack",)) == (
        "No digest goes from this process to discord:1, discord:2, discord:3 and 2 more (DISCORD_TOKEN is not"
        " set): set what is missing and restart, unless another paperboy process delivers them."
    )
    assert not_served([slack], ("slack",)) is None


async def test_a_roundup_still_owed_today_is_the_next_one(june_store: PaperStore) -> None:
    """A Friday 16:00 roundup waiting at 17:00 (a day of its week not in the store yet) went out that
    evening, while `run` said the next one was the Friday after."""
    from bot.domain.weeks import covered_monday, week_key

    ledger, schedule = Ledger(june_store.engine), ScheduleConfig()
    friday = datetime(2026, 6, 5, 17, tzinfo=UTC)
    weekly = Subscription(
        ChannelRef("slack", "C1", "T1"),
        time="16:00",
        days="fri",
        cadence="weekly",
        since=datetime(2026, 6, 1, tzinfo=UTC),
    )
    note = await next_digest_note([weekly], ledger, schedule, EVERYWHERE, friday, offline=False)
    assert note is not None and note.startswith("1 subscription; the next weekly roundup: slack:T1/C1's of week 23")
    assert note.endswith("due since 16:00 UTC.")
    key = week_key(covered_monday(date(2026, 6, 5)))
    await ledger.claim(weekly.channel, key, friday)
    await ledger.finish(weekly.channel, key, 5, friday)  # out: the next is the Friday after
    assert await next_digest_note([weekly], ledger, schedule, EVERYWHERE, friday, offline=False) == (
        "1 subscription; the next weekly roundup: slack:T1/C1, Friday 12 June at 16:00 UTC."
    )
