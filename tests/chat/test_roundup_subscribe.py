"""`/papers subscribe weekly …`: typed on Slack, chosen on Discord, shown by `settings`, mixed forms explained."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.discord.slash import subscribe_command
from bot.chat.commands import Settings, Subscribe, Unknown, parse_command, parse_subscribe
from bot.chat.service import Asker, ChatService
from bot.delivery.subscriptions import SubscriptionStore, from_config
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults, parse_config
from bot.domain.errors import ConfigError, UsageError
from bot.ingest.catalog import Catalog
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.chat.world import chat_service
from tests.conftest import search_over

NOW = datetime(2026, 6, 3, 7, 30, tzinfo=UTC)  # a Wednesday
CHANNEL = ChannelRef("slack", "CROUND")


def chat(store: PaperStore) -> ChatService:
    search = search_over(store)
    catalog = Catalog(store, search, None, None, None)
    return ChatService(store, search, catalog, SubscriptionStore(store.engine), DigestDefaults(limit=5), lambda: NOW)


def test_the_weekly_form_parses() -> None:
    assert parse_subscribe("weekly diffusion, robots on fri at 16:00 tz Europe/Berlin top 8") == Subscribe(
        topics=("diffusion", "robots"), time="16:00", timezone="Europe/Berlin", limit=8, cadence="weekly", day="fri"
    )
    assert parse_subscribe("weekly on Friday").day == "fri"
    assert parse_subscribe("daily diffusion").cadence == "daily"


def test_on_before_a_word_that_is_no_day_stays_in_the_topic() -> None:
    assert parse_subscribe("attention on graphs, tuesday meetings").topics == (
        "attention on graphs",
        "tuesday meetings",
    )
    assert parse_subscribe('"weekly" digests').topics == ("weekly",)  # quoted: a topic; "digests" names no topic
    assert parse_subscribe('"weekly", "digests"').topics == ("weekly", "digests")


async def test_a_weekly_subscription_is_saved_and_shown(june_store: PaperStore) -> None:
    service = chat(june_store)
    asker = Asker(CHANNEL, "U1")
    post = await service.answer(parse_command("subscribe weekly diffusion on fri at 16:00 tz Europe/Berlin"), asker)
    assert post.header == "This channel is subscribed: a weekly roundup of Hugging Face papers"
    saved = await SubscriptionStore(june_store.engine).get(CHANNEL)
    assert saved is not None and (saved.cadence, saved.days, saved.time) == ("weekly", "fri", "16:00")
    settings = await service.answer(Settings(), asker)
    assert settings.header == "This channel's weekly roundup"
    assert "When: weekly roundup, Fridays at 16:00 Europe/Berlin" in settings.text
    assert "Next roundup: Friday 5 June, 16:00 CEST" in settings.text
    again = await service.answer(parse_command("subscribe on mon"), asker)  # stays weekly, moves its day
    assert "When: weekly roundup, Mondays at 16:00 Europe/Berlin" in again.text
    daily = await service.answer(parse_command("subscribe daily"), asker)  # back to a digest on weekdays
    assert "When: 16:00 Europe/Berlin, Monday to Friday" in daily.text


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (
            "subscribe weekly days mon-fri",
            "A weekly roundup comes one day a week, not `days mon-fri`: say which, such as"
            " `/papers subscribe weekly on fri`",
        ),
        (
            "subscribe weekly diffusion on fri days mon",
            "`days mon` is for a daily digest; a weekly roundup comes on the one day `on fri` says:"
            " leave `days mon` out.",
        ),
        ("subscribe daily on fri", "`on fri` is for a weekly roundup: `/papers subscribe weekly on fri`"),
        ("subscribe on fri", "`on fri` is for a weekly roundup"),  # the channel has no roundup to move
    ],
)
async def test_mixing_the_forms_is_explained_and_changes_nothing(june_store: PaperStore, text: str, hint: str) -> None:
    post = await chat(june_store).answer(parse_command(text), Asker(CHANNEL, "U1"))
    assert post.text[0].startswith(hint)
    assert await SubscriptionStore(june_store.engine).get(CHANNEL) is None


async def test_days_on_a_weekly_channel_say_how_to_go_back_to_a_daily_digest(june_store: PaperStore) -> None:
    service = chat(june_store)
    asker = Asker(CHANNEL, "U1")
    await service.answer(parse_command("subscribe weekly diffusion on fri"), asker)
    post = await service.answer(parse_command("subscribe diffusion at 08:00 days mon-fri"), asker)
    assert post.text == (
        "This channel has a weekly roundup, which comes one day a week (`on fri`). For a daily digest instead: "
        "`/papers subscribe daily … days mon-fri`.",
    )
    saved = await SubscriptionStore(june_store.engine).get(CHANNEL)
    assert saved is not None and saved.cadence == "weekly"  # unchanged


def test_stop_alone_points_to_unsubscribe_not_to_top() -> None:
    for word in ("stop", "unsub", "cancel"):
        assert parse_command(word) == Unknown(word, "To stop this channel's digest: `unsubscribe`.")


def test_discord_options_make_the_same_command() -> None:
    assert subscribe_command("diffusion", "16:00", None, None, "weekly", "fri") == parse_subscribe(
        "weekly diffusion on fri at 16:00"
    )
    assert isinstance(subscribe_command(None, "25:00", None, None, "weekly", None), Unknown)


def test_the_config_file_takes_a_weekly_subscription() -> None:
    config = parse_config(
        '[[subscriptions]]\nchannel = "slack:C1"\ncadence = "weekly"\nday = "Friday"\ntime = "16:00"\n', "test.toml"
    )
    [entry] = config.subscriptions
    subscription = from_config(entry, config.digest)
    assert (subscription.cadence, subscription.days) == ("weekly", "fri")
    assert config.digest.follow_days == 7
    default_day = parse_config('[[subscriptions]]\nchannel = "slack:C1"\ncadence = "weekly"\n', "t.toml")
    assert from_config(default_day.subscriptions[0], default_day.digest).days == "fri"


def test_a_config_subscription_without_topics_takes_the_defaults_and_an_empty_list_takes_every_paper() -> None:
    config = parse_config(
        '[digest]\ntopics = ["diffusion"]\n[[subscriptions]]\nchannel = "slack:C1"\n'
        '[[subscriptions]]\nchannel = "slack:C2"\ntopics = []\n',
        "test.toml",
    )
    unsaid, every = (from_config(entry, config.digest) for entry in config.subscriptions)
    assert unsaid.topics == ("diffusion",)
    assert every.topics == ()  # it was the defaults' diffusion: a channel could not ask for every paper


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('cadence = "weekly"\ndays = "mon-fri"', 'a weekly roundup comes one day a week: write day = "fri", not days'),
        ('day = "fri"', 'day is for weekly roundups (add cadence = "weekly"); a daily digest takes days'),
        ('cadence = "weekly"\nday = "fr"', "'fr' is not a day of the week (try fri, or friday)"),
        ('cadence = "monthly"', """'monthly' is not a cadence (use "daily" for a digest, "weekly" for a roundup)"""),
    ],
)
def test_a_bad_weekly_entry_is_explained(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(f'[[subscriptions]]\nchannel = "slack:C1"\n{text}\n', "test.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("test.toml: subscriptions[0]")


async def test_settings_in_a_direct_message_with_no_follows_points_to_follow(june_store: PaperStore) -> None:
    post = await chat(june_store).answer(Settings(), Asker(ChannelRef("slack", "D0001"), "U1", direct=True))
    assert post.text == ("You follow nothing yet. Your own digest here: `/papers follow TOPIC`.",)


DISCORD = ChannelRef("discord", "9001", "777")


@pytest.mark.parametrize(
    ("options", "hint"),
    [
        (
            {"cadence": "daily", "day": "fri"},
            "`day:fri` is for a weekly roundup: `/papers subscribe cadence:weekly day:fri`; "
            "a daily digest takes `days:mon-fri` (the days it comes).",
        ),
        (
            {"cadence": "weekly", "days": "mon-fri"},
            "A weekly roundup comes one day a week, not `days:mon-fri`: say which, such as"
            " `/papers subscribe cadence:weekly day:fri`.",
        ),
    ],
)
async def test_discord_is_told_in_its_own_options(june_store: PaperStore, options: dict[str, str], hint: str) -> None:
    command = subscribe_command(
        None, None, None, None, options.get("cadence"), options.get("day"), days=options.get("days")
    )
    post = await chat_service(june_store).answer(command, Asker(DISCORD, "U1"))
    assert post.text == (hint,)
    assert await SubscriptionStore(june_store.engine).get(DISCORD) is None


async def test_discord_days_on_a_weekly_channel_say_how_to_go_back_to_a_daily_digest(june_store: PaperStore) -> None:
    service = chat_service(june_store)
    await service.answer(subscribe_command("diffusion", None, None, None, "weekly", "fri"), Asker(DISCORD, "U1"))
    post = await service.answer(subscribe_command(None, None, None, None, days="mon,wed"), Asker(DISCORD, "U1"))
    assert post.text == (
        "This channel has a weekly roundup, which comes one day a week (`day:fri`). For a daily digest instead: "
        "`/papers subscribe cadence:daily days:mon,wed`.",
    )


async def test_discord_days_option_sets_a_daily_digest_s_days(june_store: PaperStore) -> None:
    assert subscribe_command(None, None, None, None, days="Mon, Wed, Fri") == parse_subscribe("days mon,wed,fri")
    assert isinstance(subscribe_command(None, None, None, None, days="funday"), Unknown)
    await chat_service(june_store).answer(
        subscribe_command("diffusion", None, None, None, days="tue-thu"), Asker(DISCORD, "U1")
    )
    saved = await SubscriptionStore(june_store.engine).get(DISCORD)
    assert saved is not None and (saved.cadence, saved.days) == ("daily", "tue-thu")


async def test_a_discord_direct_message_points_to_follow_in_discord_s_options(june_store: PaperStore) -> None:
    direct = Asker(ChannelRef("discord", "D9", ""), "U1", direct=True)
    service = chat_service(june_store)
    assert (await service.answer(Settings(), direct)).text == (
        "You follow nothing yet. Your own digest here: `/papers follow topics:…`.",
    )
    refused = await service.answer(parse_subscribe("diffusion"), direct)
    assert "For your own digest here, `/papers follow topics:…` (see `/papers help`)." in refused.text
    follows = await service.answer(parse_command("follows"), direct)
    assert "`/papers follow topics:diffusion -robotics`" in follows.text[0]


async def test_a_command_not_understood_is_said_in_sentences(june_store: PaperStore) -> None:
    post = await chat(june_store).answer(parse_command("subscribe tz Mars/Olympus"), Asker(CHANNEL, "U1"))
    assert post.text[0].startswith("Sorry, I didn't get “subscribe tz Mars/Olympus”. Unknown time zone 'Mars/Olympus'")
    assert await SubscriptionStore(june_store.engine).get(CHANNEL) is None


async def test_a_direct_message_says_its_digest_is_ones_own_and_top_is_a_channels(june_store: PaperStore) -> None:
    """In a direct message `settings` headed a person's follow "This channel's daily digest", and `top`
    said "react to a card or reply in its thread to vote", where reactions are no votes and there are no threads."""
    direct = Asker(ChannelRef("discord", "D9", ""), "U1", direct=True)
    service = chat_service(june_store)
    await service.answer(parse_command("follow diffusion"), direct)
    assert (await service.answer(Settings(), direct)).header == "Your own daily digest"
    top = await service.answer(parse_command("top"), direct)
    assert top.text[0].startswith("Votes are counted in channels")


async def test_the_next_digest_is_not_todays_when_today_had_its_own(june_store: PaperStore) -> None:
    """Today's digest out at 09:05, then `subscribe at 10:00` at 09:31: the answer promised "Next digest:
    today, 10:00", which rightly never came (a channel has one digest a day)."""
    ledger = Ledger(june_store.engine)
    service = chat_service(june_store, ledger=ledger)  # now: Wednesday 3 June, 09:30 in Berlin
    asker = Asker(CHANNEL, "U1", can_manage=True)
    await service.answer(parse_command("subscribe at 09:00 tz Europe/Berlin"), asker)
    await ledger.claim(CHANNEL, date(2026, 6, 3), NOW)
    await ledger.finish(CHANNEL, date(2026, 6, 3), 5, NOW)
    moved = await service.answer(parse_command("subscribe at 10:00 tz Europe/Berlin"), asker)
    assert "Next digest: Thursday 4 June, 10:00 CEST" in moved.text
    assert "Next digest: Thursday 4 June, 10:00 CEST" in (await service.answer(Settings(), asker)).text


async def test_a_roundup_day_moved_into_a_week_already_had_names_the_next_that_comes(june_store: PaperStore) -> None:
    """Week 23's roundup out on Friday 5 June, then `subscribe on mon` on Saturday: it promised "Next roundup:
    Monday 8 June", the roundup of week 23 again, which rightly never came; week 24's came on 15 June."""
    from bot.domain.weeks import week_key

    saturday = datetime(2026, 6, 6, 10, tzinfo=UTC)
    ledger = Ledger(june_store.engine)
    service = chat_service(june_store, ledger=ledger, clock=lambda: saturday)
    asker = Asker(CHANNEL, "U1", can_manage=True)
    await service.answer(parse_command("subscribe weekly on fri at 16:00"), asker)
    week_23 = week_key(date(2026, 6, 1))
    await ledger.claim(CHANNEL, week_23, saturday)
    await ledger.finish(CHANNEL, week_23, 5, saturday)
    moved = await service.answer(parse_command("subscribe on mon"), asker)
    assert "Next roundup: Monday 15 June, 16:00 UTC" in moved.text
    assert "Next roundup: Monday 15 June, 16:00 UTC" in (await service.answer(Settings(), asker)).text
    sunday = await service.answer(parse_command("subscribe on sun"), asker)  # Sunday 7 June: week 23's too
    assert "Next roundup: Sunday 14 June, 16:00 UTC" in sunday.text


async def test_a_roundup_moved_past_the_week_it_owed_says_that_week_will_not_come(june_store: PaperStore) -> None:
    """Thursday's roundup sums up the week before, Friday's its own: moved on Wednesday 10 June from Thursday
    to Friday, week 23 got no roundup, and nothing said so."""
    wednesday = datetime(2026, 6, 10, 10, tzinfo=UTC)
    service = chat_service(june_store, ledger=Ledger(june_store.engine), clock=lambda: wednesday)
    asker = Asker(CHANNEL, "U1", can_manage=True)
    await service.answer(parse_command("subscribe weekly on thu at 12:00"), asker)
    moved = await service.answer(parse_command("subscribe on fri"), asker)
    [said] = [line for line in moved.text if "will not come" in line]
    assert said.startswith("The roundup of week 23") and "due Thursday 11 June on the old day" in said
    again = await service.answer(parse_command("subscribe on sat"), asker)  # Friday to Saturday: the same week
    assert not any("will not come" in line for line in again.text)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("weekly diffusion every friday", "fri"),  # was refused: “looks like an option, not a topic”
        ("weekly on fridays", "fri"),
        ("diffusion weekly every tuesday", "tue"),
        ("diffusion once a week on fridays", "fri"),
    ],
)
def test_a_roundups_day_said_in_words_is_its_day(typed: str, day: str) -> None:
    said = parse_subscribe(typed)
    assert (said.cadence, said.day) == ("weekly", day) and said.topics in ((), ("diffusion",))


@pytest.mark.parametrize(
    "typed", ["weekly on fri and mon", "weekly on the weekend", "diffusion every friday", "weekly on 5", "weekly on 0"]
)
def test_a_roundups_day_not_one_day_is_refused(typed: str) -> None:
    """`on fri and mon` saved the topic “and mon”; `on the weekend` the topic “on the weekend”; `on 5` the
    topic “on 5”, in place of the channel's topics (QA s76)."""
    with pytest.raises(UsageError):
        parse_subscribe(typed)
