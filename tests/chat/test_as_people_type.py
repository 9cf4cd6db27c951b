"""Commands as people type them, found by an audit of odd input: each was saved wrong, lost something, or
answered with a reason that was not the one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.chat.commands import (
    Ask,
    Command,
    Follow,
    Follows,
    Help,
    PaperLookup,
    Preview,
    Recent,
    RepositoryLookup,
    Save,
    Saved,
    Search,
    Settings,
    Subscribe,
    Thanks,
    Today,
    Top,
    Unknown,
    Unsave,
    Unsubscribe,
    parse_command,
    search_parts,
)
from bot.chat.days import NamedDay, Span


def subscribed(text: str) -> Subscribe:
    command = parse_command(text)
    assert isinstance(command, Subscribe), command
    return command


def refused(text: str) -> str:
    command = parse_command(text)
    assert isinstance(command, Unknown), command
    return command.hint


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("at 9:00 PM", "21:00"),  # was 09:00, with a topic “PM”
        ("at 9pm", "21:00"),
        ("at 9:30 a.m.", "09:30"),
        ("at 12am", "00:00"),
        ("at 12 pm", "12:00"),
        ("at ０９：００", "09:00"),  # full-width, as a Japanese keyboard types it
        ("at 9", "09:00"),  # the hour alone: it was "'9' is not a time of day"
        ("at 21", "21:00"),
        ("at 07", "07:00"),
        ("at 0", "00:00"),
        ("at 9h30", "09:30"),  # as French and German speakers write it
        ("at 9h", "09:00"),
    ],
)
def test_a_time_is_read_as_people_say_it(typed: str, time: str) -> None:
    command = subscribed(f"subscribe diffusion {typed}")
    assert (command.topics, command.time) == (("diffusion",), time)


@pytest.mark.parametrize(("typed", "said"), [("at 24", "'24'"), ("at 123", "'123'"), ("at 9h75", "'9h75'")])
def test_what_is_no_hour_is_still_refused(typed: str, said: str) -> None:
    assert f"{said} is not a time of day" in refused(f"subscribe diffusion {typed}")


def test_a_time_with_a_dot_is_refused_naming_it_with_a_colon() -> None:
    """`at 9.30` was "not a time of day (use HH:MM, 24-hour)", while `at 7.30am` was taken. It is still not
    taken (`subscribe LLMs at 1.58 bits` would be a digest at 01:58), but the time meant is named."""
    assert refused("subscribe diffusion at 9.30") == (
        "“9.30”: type the time with a colon, `at 09:30` (a topic with “at” in it goes in quotes)"
    )
    assert refused("subscribe LLMs at 1.58 bits").startswith("“1.58”: type the time with a colon, `at 01:58`")
    assert subscribed("subscribe diffusion at 7.30am").time == "07:30"


@pytest.mark.parametrize(
    "typed",
    ["LLMs at 4 bits", "transformers at 1 billion parameters", "diffusion at 9 30", "diffusion at 8 in the mornings"],
)
def test_a_number_after_at_that_words_follow_is_refused_not_taken_for_the_hour(typed: str) -> None:
    """`LLMs at 4 bits` would be a digest at 04:00 on “LLMs” and “bits”, the topics it replaced."""
    assert "a time goes HH:MM, such as `at 09:00`; a topic with “at” in it goes in quotes" in refused(
        f"subscribe {typed}"
    )


@pytest.mark.parametrize(
    ("typed", "time"), [("at 9, robotics", "09:00"), ("at 16 on fri", "16:00"), ("at 9 pm", "21:00")]
)
def test_an_hour_before_a_comma_an_option_or_am_pm_is_taken(typed: str, time: str) -> None:
    assert subscribed(f"subscribe weekly diffusion {typed}").time == time


def test_an_hour_past_twelve_with_pm_is_refused_saying_to_type_it_24_hour() -> None:
    assert "type it 24-hour, HH:MM" in refused("subscribe diffusion at 13pm")


@pytest.mark.parametrize("abbreviation", ["EST", "PST", "CET"])
def test_a_zone_abbreviation_after_the_time_is_refused_naming_the_zone(abbreviation: str) -> None:
    """It was saved as a topic, and the digest came at 09:00 UTC."""
    hint = refused(f"subscribe diffusion at 09:00 {abbreviation}")
    assert f"“{abbreviation}” after the time would be read as a topic" in hint and "`tz " in hint


@pytest.mark.parametrize(
    "typed", ["days mon wed fri", "days mon, wed, fri", "days mon,wed fri", "days mon wed fri, robotics"]
)
def test_days_named_apart_are_all_kept(typed: str) -> None:
    """`days mon wed fri` kept Monday only, and saved “wed fri” as a topic."""
    command = subscribed(f"subscribe diffusion {typed}")
    assert command.days == "mon,wed,fri"
    assert command.topics == (("diffusion", "robotics") if "robotics" in typed else ("diffusion",))


def test_a_comma_after_an_option_ends_it_and_the_topic_after_it_is_kept() -> None:
    command = subscribed("subscribe diffusion at 09:00 tz Europe/Berlin, robotics")
    assert (command.topics, command.timezone) == (("diffusion", "robotics"), "Europe/Berlin")
    assert subscribed("subscribe diffusion top 5, robotics").limit == 5


@pytest.mark.parametrize("cadence", ["daily", "weekly"])
def test_a_cadence_after_the_options_is_refused_not_made_a_topic(cadence: str) -> None:
    assert f"`{cadence}` goes first" in refused(f"subscribe diffusion at 09:00 tz Europe/Berlin {cadence}")
    # a topic of the cadence's word alone is one too (it was saved as a topic matching next to nothing)
    assert f"`{cadence}` goes first" in refused(f"subscribe attention on graphs, {cadence}")
    assert subscribed(f'subscribe attention on graphs, "{cadence}"').topics == ("attention on graphs", cadence)
    other = "weekly" if cadence == "daily" else "daily"
    assert "daily or weekly, not both" in refused(f"subscribe {other} {cadence}")
    assert "is given twice" in refused(f"subscribe {cadence} {cadence}")


def test_invisible_characters_of_a_paste_are_not_part_of_a_topic() -> None:
    """`dif\u200bfusion` was saved as typed and matched no paper, unsaid."""
    assert subscribed("subscribe dif\u200bfusion").topics == ("diffusion",)
    assert subscribed("subscribe ｒｏｂｏｔｉｃｓ").topics == ("robotics",)


@pytest.mark.parametrize(
    ("words", "topic"),
    [
        ("diffusion", "diffusion"),
        ("diffusion, robotics", "diffusion, robotics"),
        ("from “robotics” please", "robotics"),
    ],
)
def test_unsubscribe_with_a_topic_names_that_topic_alone(words: str, topic: str) -> None:
    """`unsubscribe diffusion` ended the whole digest, its other topics with it; then it was refused."""
    assert parse_command(f"unsubscribe {words}") == Unsubscribe(topic)


@pytest.mark.parametrize("said", ["unsubscribe", "unsubscribe please", "Unsubscribe now!", "unsubscribe this channel"])
def test_unsubscribe_alone_or_politely_unsubscribes(said: str) -> None:
    assert parse_command(said) == Unsubscribe()


@pytest.mark.parametrize(
    "typed",
    [
        "paper 2608.19880.",
        'paper "2608.19880"',
        "paper <https://arxiv.org/abs/2608.19880|arxiv>",  # Slack's link with a label
        "paper https://huggingface.co/papers/2608.19880/discussion",
        "paper doi:10.48550/arXiv.2608.19880",
        "paper ２６０８．１９８８０",
    ],
)
def test_paper_takes_an_id_as_people_paste_it(typed: str) -> None:
    assert parse_command(typed) == PaperLookup("2608.19880")


def test_paper_with_two_ids_asks_for_one_at_a_time() -> None:
    assert "one paper at a time" in refused("paper 2608.19880 2608.19881")


@pytest.mark.parametrize("typed", ["cite 2608.1988", "code (2608.1988)?", "authors arXiv:2608.198", "save 2406.1234"])
def test_a_question_of_an_id_a_digit_short_says_it_is_not_an_id(typed: str) -> None:
    """It was searched for as words, and answered "No papers match"."""
    assert "is not an arXiv id" in refused(typed)


def test_a_question_word_before_other_words_and_a_number_is_still_a_search() -> None:
    assert isinstance(parse_command("code generation 2024.1"), Search)
    assert parse_command("cite 2608.19880") == Ask("cite", "2608.19880")


@pytest.mark.parametrize(
    ("typed", "topics", "days"),
    [
        ("subscribe days mon-fri SAT solvers", ("SAT solvers",), "mon-fri"),  # review: `SAT` was taken for a day
        ("subscribe robotics days mon-fri sun glare detection", ("robotics", "sun glare detection"), "mon-fri"),
        ("subscribe days weekdays sat solving", ("sat solving",), "weekdays"),
        ("subscribe diffusion days mon sun glare", ("diffusion", "sun glare"), "mon"),
        ("subscribe diffusion days mon wed at 09:00", ("diffusion",), "mon,wed"),
    ],
)
def test_a_topic_after_the_days_that_starts_with_a_days_name_stays_a_topic(
    typed: str, topics: tuple[str, ...], days: str
) -> None:
    command = subscribed(typed)
    assert (command.topics, command.days) == (topics, days)


@pytest.mark.parametrize(
    "typed", ["at 09:00 ROC analysis", "at 09:00 MET office forecasts", "at 09:00 west coast robotics"]
)
def test_a_topic_after_the_time_that_starts_with_a_zones_name_stays_a_topic(typed: str) -> None:
    command = subscribed(f"subscribe {typed}")
    assert command.topics == (typed.split(" ", 2)[2],) and command.time == "09:00"


@pytest.mark.parametrize(
    "said", ["unsubscribe me from this channel", "unsubscribe from all", "unsubscribe weekly", "unsubscribe plz"]
)
def test_unsubscribe_as_people_say_it_unsubscribes(said: str) -> None:
    assert parse_command(said) == Unsubscribe()


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("who wrote 2608.19880?", "authors"),  # docs/chat.md: "who" asks for the authors with its verb
        ("is there code for 2608.19880?", "code"),
        ("can I get the bibtex for 2608.19880", "cite"),
        ("link to the code 2608.19880", "code"),  # a search for those words: "link" made it the card's
        ("link to the code for 2608.19880?", "code"),
    ],
)
def test_a_question_of_a_paper_in_a_sentence_is_asked_as_in_a_thread(typed: str, asked: str) -> None:
    assert parse_command(typed) == Ask(asked, "2608.19880")


def test_words_that_ask_nothing_beside_an_id_are_its_card() -> None:
    """ "who" without its verb asks for no authors: the paper's card (it was a search for the words)."""
    assert parse_command("who wants 2608.19880") == PaperLookup("2608.19880")
    assert isinstance(parse_command("diffusion for 2608.19880"), Search)  # a topic beside it: a search


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("subscribe diffusion days Mon Wed Fri", "mon,wed,fri"),  # as phones write them: Monday only, topic "Wed Fri"
        ("subscribe days Tue, Thu", "tue,thu"),
        ("subscribe diffusion days mon - fri", "mon-fri"),  # was Monday only, and the topic "- fri"
        ("subscribe days mon to fri top 5", "mon-fri"),
    ],
)
def test_days_capitalised_or_spanned_in_words_are_the_days(typed: str, days: str) -> None:
    command = subscribed(typed)
    assert command.days == days and command.topics in ((), ("diffusion",))
    assert subscribed("subscribe SAT solvers days mon").topics == ("SAT solvers",)  # capitals: an acronym's


def test_a_roundups_day_before_a_comma_is_the_day() -> None:
    command = subscribed("subscribe weekly on mon, robotics")  # was refused as "looks like an option"
    assert (command.day, command.topics) == ("mon", ("robotics",))
    assert "`on` takes one day" in refused("subscribe weekly on fri,mon")


@pytest.mark.parametrize(("typed", "meant"), [("today?", Today()), ("settings?", Settings()), ("help!", Help())])
def test_a_command_with_a_question_mark_is_the_command(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant  # was "Did you mean `today`?"


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("subscribe at noon", "time", "12:00"),  # was "'noon' is not a time of day"
        ("subscribe at midnight", "time", "00:00"),
        ("subscribe days weekday", "days", "weekday"),  # `weekdays` was taken, `weekday` refused
        ("subscribe tz UTC+0", "timezone", "UTC"),  # was "use UTC (these names invert the sign)"
    ],
)
def test_times_days_and_zones_as_said(typed: str, field: str, value: str) -> None:
    assert getattr(subscribed(typed), field) == value


@pytest.mark.parametrize("typed", ["today please", "today's papers", "todays papers?"])
def test_today_with_polite_words_is_today(typed: str) -> None:
    assert parse_command(typed) == Today()  # was searched for "please", answered with unrelated papers


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("today top 20", Today(20)),  # was a search for "today top 20"
        ("today 3", Today(3)),
        ("today top 5 papers please", Today(5)),
        ("today all", Today(50)),
        ("today's papers, all", Today(50)),
        ("today top", Today()),
        ("today top three", Today(3)),  # a count in words (review s77: refused as "1 to 50")
    ],
)
def test_today_takes_how_many_papers(typed: str, meant: Today) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    "typed", ["today top 80", "today top 0", "today ²", "today top -3", "today +5"]
)  # (QA s77: `today top -3` was a search for "top -3"; `today top three` is three)
def test_today_refuses_a_number_it_cannot_show(typed: str) -> None:
    said = parse_command(typed)
    assert isinstance(said, Unknown)
    assert said.hint == "`today` shows 1 to 50 papers, such as `today top 20`; `today all` up to 50."


@pytest.mark.parametrize("typed", ["today all 20", "today top 5 10", "today's llm news", "today top agents"])
def test_today_with_other_words_is_no_today(typed: str) -> None:
    assert not isinstance(parse_command(typed), Today)


@pytest.mark.parametrize("typed", ["today all 20", "today top 5 10"])
def test_today_with_two_counts_is_told_to_give_one(typed: str) -> None:
    """They were searched for, in today's papers, as "all 20" and "top 5 10"."""
    assert refused(typed) == "one count at a time, such as `today top 20`, `this week top 20` or `today all`."


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("arxiv 2605.10730", PaperLookup("2605.10730")),  # was searched for, and "No papers match"
        ("arXiv 2605.10730v1", PaperLookup("2605.10730")),
        ("https://arxiv.org/abs/2406.12345 paper", PaperLookup("2406.12345")),
        ("2406.12345 diffusion", Search("2406.12345 diffusion")),  # other words: a search, as before
    ],
)
def test_an_id_with_a_word_about_it_is_that_paper(typed: str, meant: object) -> None:
    assert parse_command(typed) == meant


def test_two_ids_are_one_paper_at_a_time() -> None:
    said = parse_command("2605.10730 and 2606.27608")
    assert isinstance(said, Unknown)
    assert said.hint == "One paper at a time: `paper 2605.10730`, then `paper 2606.27608`."


@pytest.mark.parametrize(
    ("typed", "changed"),
    [
        ("settings at 10:00", Subscribe(time="10:00", changes=True)),
        ("settings top 3", Subscribe(limit=3, changes=True)),
        ("set time 11:00", Subscribe(time="11:00", changes=True)),
        ("change the time to 11am", Subscribe(time="11:00", changes=True)),
        ("set the number of papers to 3", Subscribe(limit=3, changes=True)),
        ("change timezone to Berlin", Subscribe(timezone="Europe/Berlin", changes=True)),
        ("change the time zone to America/New York", Subscribe(timezone="America/New_York", changes=True)),
        ("set top to 3 and days to mon-fri", Subscribe(limit=3, days="mon-fri", changes=True)),
        ("set time 10 and tz Europe/Paris", Subscribe(time="10:00", timezone="Europe/Paris", changes=True)),
        ("settings topics diffusion, robotics", Subscribe(topics=("diffusion", "robotics"), changes=True)),
        ("set topics to diffusion and top 3", Subscribe(topics=("diffusion",), limit=3, changes=True)),
        ("set day to friday", Subscribe(day="fri", changes=True)),
        ("please update days weekdays", Subscribe(days="weekdays", changes=True)),
        ("update digest time to 9am", Subscribe(time="09:00", changes=True)),
        ("settings weekly", Subscribe(cadence="weekly", changes=True)),  # it showed the settings
    ],
)
def test_a_setting_changed_as_people_say_it_changes_that_setting(typed: str, changed: Subscribe) -> None:
    """`change time to 11:00` and `set top 3` were searched for; `settings top 3` showed the settings,
    the 3 unread."""
    assert parse_command(typed) == changed


@pytest.mark.parametrize(
    "typed",
    [
        "change detection",
        "set prediction",
        "change time series",
        "change point detection",
        "update rules",
        "set topic modeling",
        "update topic models",
    ],
)
def test_set_and_change_before_no_setting_are_searched(typed: str) -> None:
    """`set topic modeling` replaced the channel's topics with “modeling”."""
    assert parse_command(typed) == Search(typed)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("set time to lunch", "'lunch' is not a time of day"),
        ("settings days weekends", "'weekends' holds no weekday"),
        ("settings diffusion", "`settings` changes this channel's digest a setting at a time"),
        ("settings topics", "`topics` needs the topics after it"),  # it said "updated", and changed nothing
    ],
)
def test_a_setting_given_no_value_it_takes_is_told_why(typed: str, said: str) -> None:
    command = parse_command(typed)
    assert isinstance(command, Unknown) and command.hint.startswith(said)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("settings tpo 3", "`settings top 3`"),
        ("settings tpo: 3", "`settings top 3`"),
        ("settings tpo 3.", "`settings top 3`"),
        ("settings weekely", "`settings weekly`"),
        ("settings topcs diffusion, robotics", "`settings topics diffusion, robotics`"),
        ("settings dys mon-fri", "`settings days mon-fri`"),
    ],
)
def test_a_settings_name_mistyped_is_offered_as_meant(typed: str, meant: str) -> None:
    """They got the settings' help alone; the value typed is kept in what is offered."""
    command = parse_command(typed)
    assert isinstance(command, Unknown)
    assert command.hint.startswith(f"Did you mean {meant}? `settings` changes this channel's digest")


@pytest.mark.parametrize(
    "typed",
    [
        "settings diffusion",
        "settings robotics agents",
        "settings tips and tricks",
        "settings weekly diffusion",  # it offered the line back as typed
        "settings tpo",  # `settings top` needs a value: offered, it would be refused in turn
        "settings done",  # `settings zone`, the same
        "settings dairy",  # a word of its own (`subscribe dairy farming` is no `daily`)
    ],
)
def test_a_settings_topic_near_no_name_gets_the_settings_help_alone(typed: str) -> None:
    command = parse_command(typed)
    assert isinstance(command, Unknown) and command.hint.startswith("`settings` changes this channel's digest")


@pytest.mark.parametrize("typed", ["settings", "settings for this channel", "Settings please"])
def test_settings_alone_shows_them(typed: str) -> None:
    assert parse_command(typed) == Settings()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("my subscriptions", Settings()),
        ("What am I subscribed to?", Settings()),
        ("what’s this channel subscribed to", Settings()),
        ("my follows", Follows()),
        ("what do I follow?", Follows()),
        ("my reading list", Saved()),
        ("saved papers", Saved()),
        ("what can you do?", Help()),
        ("commands", Help()),
        ("hi", Help()),  # a greeting: papers holding "hi" were no answer
        ("hey paperboy", Help()),  # was "Did you mean `paper`?"
        ("who are you?", Help()),
    ],
)
def test_a_command_asked_for_by_another_name_is_that_command(typed: str, meant: Command) -> None:
    """They were searched for: "No papers match “my subscriptions”", or papers on following instructions."""
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("subscribe to the daily digest", Subscribe(cadence="daily")),  # the topic “the daily digest”
        ("subscribe to daily papers", Subscribe(cadence="daily")),  # Hugging Face's name: every paper
        ("subscribe weekly roundup", Subscribe(cadence="weekly")),
        ("subscribe roundup", Subscribe(cadence="weekly")),
        ("subscribe to the weekly digest", Subscribe(cadence="weekly")),
        ("subscribe diffusion, weekly roundup", Subscribe(topics=("diffusion",), cadence="weekly")),
        ('subscribe "digest"', Subscribe(topics=("digest",))),  # quoted: a topic, as typed
        ("subscribe paper summary", Subscribe(topics=("paper summary",))),  # a topic of papers
        ("subscribe diffusion papers", Subscribe(topics=("diffusion papers",))),
    ],
)
def test_words_naming_the_subscription_are_no_topic(typed: str, meant: Subscribe) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "time"),
    [("at 8 in the morning", "08:00"), ("at 6 in the evening", "18:00"), ("at 2:30 in the afternoon", "14:30")],
)
def test_a_part_of_the_day_after_the_hour_says_am_or_pm(typed: str, time: str) -> None:
    """`at 8 in the morning` was refused: "`at 8` before “in”: a time goes HH:MM"."""
    assert parse_command(f"subscribe diffusion {typed}") == Subscribe(topics=("diffusion",), time=time)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("at 9:00 Berlin", "“Berlin” after the time would be read as a topic: type `tz Europe/Berlin`"),
        ("at 9:00 in Berlin", "“Berlin” after the time would be read as a topic: type `tz Europe/Berlin`"),
        (
            "at 9:00 in New York, robotics",
            "“New York” after the time would be read as a topic: type `tz America/New_York`",
        ),
        ("at 10:00 Tokyo top 3", "“Tokyo” after the time would be read as a topic: type `tz Asia/Tokyo`"),
    ],
)
def test_a_city_after_the_time_says_to_give_its_zone(typed: str, zone: str) -> None:
    """`at 9:00 Berlin` gave the topic “Berlin”, and a digest at 09:00 UTC."""
    assert refused(f"subscribe diffusion {typed}") == zone


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("subscribe diffusion in <#C024BE7LR|research>", "#research"),  # Slack's mention: it was a topic
        ("subscribe diffusion in #research", "#research"),
        ("subscribe <#C024BE7LR> to diffusion", "that channel"),
    ],
)
def test_subscribe_naming_another_channel_says_where_to_type_it(typed: str, where: str) -> None:
    said = "`subscribe` sets up the digest of the channel it is typed in: type it in"
    assert refused(typed) == f"{said} {where} (invite me there first)"


def test_a_hash_in_a_topic_is_no_channel() -> None:
    assert parse_command("subscribe C# compilers") == Subscribe(topics=("C# compilers",))
    assert parse_command("subscribe #diffusion, #llm") == Subscribe(topics=("#diffusion", "#llm"))  # tags
    assert refused("subscribe diffusion <#123456789012>").endswith("type it in that channel (invite me there first)")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("bookmark 2406.12345", Save("2406.12345")),  # these were searched for, the id a word
        ("add 2406.12345 to my reading list", Save("2406.12345")),
        ("remove 2406.12345 from my list", Unsave("2406.12345")),
        ("unbookmark https://arxiv.org/abs/2406.12345", Unsave("2406.12345")),
        ("my saved bibtex", Saved(bibtex=True)),
        ("saved papers bibtex", Saved(bibtex=True)),
    ],
)
def test_the_reading_list_in_other_words(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("add 2406.12345 and 2501.00001 to my list", Save("2406.12345", others=("2501.00001",))),
        ("bookmark 2406.12345, 2501.00001", Save("2406.12345", others=("2501.00001",))),
        ("remove 2406.12345 & 2501.00001 from my reading list", Unsave("2406.12345", others=("2501.00001",))),
        ("save 2406.12345, 2501.00001 and 2501.00002", Save("2406.12345", others=("2501.00001", "2501.00002"))),
        ("unsave 2406.12345 and 2501.00001.", Unsave("2406.12345", others=("2501.00001",))),
        ("save 2406.12345 and 2406.12345", Save("2406.12345")),
        (  # "… is not an arXiv id"
            "save https://arxiv.org/abs/2406.12345 and https://huggingface.co/papers/2501.00001",
            Save("2406.12345", others=("2501.00001",)),
        ),
        ("save 2406.12345 and https://arxiv.org/abs/2501.00001", Save("2406.12345", others=("2501.00001",))),
        ("save 2406.12345,2501.00001", Save("2406.12345", others=("2501.00001",))),  # searched for
        ("cite 2406.12345,2501.00001", Ask("cite", "2406.12345", others=("2501.00001",))),
        ("code and pdf 2406.12345", Ask("code", "2406.12345", more=("links",))),  # its links too
        # "`cite` takes one paper at a time"
        ("cite both 2406.12345 and 2501.00001", Ask("cite", "2406.12345", others=("2501.00001",))),
        ("bibtex for 2406.12345 and 2501.00001", Ask("cite", "2406.12345", others=("2501.00001",))),
        ("cite 2406.12345 and 2501.00001 apa", Ask("cite", "2406.12345", style="APA", others=("2501.00001",))),
        ("cite 2406.12345 and 2501.00001 and save them", Ask("cite", "2406.12345", save=True, others=("2501.00001",))),
        ("save 2406.12345 and 2501.00001 and cite them", Ask("cite", "2406.12345", save=True, others=("2501.00001",))),
        ("save both 2406.12345 and 2501.00001", Save("2406.12345", others=("2501.00001",))),
        # questions in a sentence, each clause's (the code alone was answered)
        ("who wrote 2406.12345 and where is the code", Ask("authors", "2406.12345", more=("code",))),
        ("is there code for 2406.12345? cite it too", Ask("code", "2406.12345", more=("cite",))),
        ("tell me who wrote 2406.12345 and cite it", Ask("authors", "2406.12345", more=("cite",))),
        ("authors and cite 2406.12345 apa", Ask("authors", "2406.12345", more=("cite",), style="APA")),
    ],
)
def test_several_papers_onto_the_list_are_each_taken(typed: str, meant: Command) -> None:
    """These were searched for, the ids as words; then each said "one at a time"."""
    assert parse_command(typed) == meant
    for typo in ("save 2406.1234 and 2501.00001", "cite 2406.1234 and 2501.00001", "unsave 2406.12345, 2501.0001"):
        assert "is not an arXiv id" in refused(typo)  # the one near an id was left out without a word
    many = " ".join(f"2501.{n:05}" for n in range(11))
    assert refused(f"save {many}") == "`save` takes up to 10 papers at a time; 11 are named here."
    assert isinstance(parse_command("add diffusion and 2406.12345 to my list"), Search)  # one paper, and words


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("top 5 diffusion", Search("diffusion", limit=5)),  # searched for "top 5 diffusion", five papers shown
        ("today top 5 diffusion", Search("diffusion", 1, limit=5)),
        ("top 5 diffusion today", Search("diffusion", 1, limit=5)),
        ("this week top 3 agents", Search("agents", 7, limit=3)),
        ("top 5 accuracy", Search("top 5 accuracy")),  # a metric, not a count
        ("top-1 accuracy", Search("top-1 accuracy")),  # was "Did you mean `top`?"
        ("top k sampling", Search("top k sampling")),
        ("top 5 error rate", Search("top 5 error rate")),
    ],
)
def test_a_count_before_the_topic_or_after_its_day(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


def test_a_count_after_a_named_day_before_a_topic() -> None:
    found = parse_command("yesterday top 3 robotics")
    assert isinstance(found, Search) and (found.query, found.limit) == ("robotics", 3)
    assert found.span is not None and found.span.first.ago == 1
    assert isinstance(parse_command("yesterday top 3"), Today)  # that day's papers, as before
    assert isinstance(parse_command("aug 20 top 5"), Today)


@pytest.mark.parametrize("typed", ["save this", "save it"])
def test_save_with_no_paper_named_says_what_it_needs(typed: str) -> None:
    """Outside a card's buttons there is no "this": searched for, it found papers on saving."""
    assert refused(typed).startswith("`save` needs the paper's arXiv id")


@pytest.mark.parametrize(
    "typed",
    [
        "subscribe help",  # subscribed the channel to the topic “help”, replacing its topics
        "follow help",  # followed “help”
        "unsubscribe help",  # “You don't follow help” / dropped nothing
        "follow --help",
        "subscribe?",  # "Did you mean `subscribe`?"
        "unsubscribe?",  # stopped the channel's digest, on a question
        "how do I subscribe?",  # these were searched for
        "how to follow a topic",
        "how do I save a paper",
        "how can we stop the digest",
        "how do I change the time?",
    ],
)
def test_asking_how_a_command_is_used_gets_the_help(typed: str) -> None:
    assert parse_command(typed) == Help()


@pytest.mark.parametrize("typed", ["how to follow instructions", "how to train your vit", "how do llms reason"])
def test_how_to_a_topic_stays_a_search(typed: str) -> None:
    assert isinstance(parse_command(typed), Search)
    assert parse_command("unsubscribe!") == parse_command("unsubscribe") == Unsubscribe()


@pytest.mark.parametrize(
    "typed",
    [
        "stop the digest",  # "Did you mean `top`?"
        "pause",  # these were searched for
        "pause the digest",
        "turn off the digest",
        "cancel my subscription",
        "stop posting here",
        "subscribe stop",  # subscribed the channel to the topic “stop”, replacing its topics
        "subscribe cancel",
        "subscribe pause",
    ],
)
def test_stopping_the_digest_in_other_words_says_unsubscribe(typed: str) -> None:
    assert refused(typed) == "To stop this channel's digest: `unsubscribe`."


@pytest.mark.parametrize("typed", ["resume", "resume the digest", "restart the digest", "start", "turn on the digest"])
def test_starting_the_digest_in_other_words_says_subscribe(typed: str) -> None:
    assert refused(typed).startswith("To start this channel's digest: `subscribe`, with its topics and time")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("subscribe to this channel", Subscribe()),  # the topic “this channel”
        ("subscribe to the channel at 10:00", Subscribe(time="10:00")),
        ("subscribe status", Settings()),  # the topic “status”
        ("subscribe settings", Settings()),
        ("unsubscribe all topics", Unsubscribe()),  # dropped the topic “topics”
        ("stop words", Search("stop words")),  # a topic: "Did you mean `top`?"
        ("pause tokens", Search("pause tokens")),
    ],
)
def test_the_channels_digest_in_other_words(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("settings add robotics", Subscribe(topics=("robotics",), changes=True, adds=True)),
        ("add topic robotics", Subscribe(topics=("robotics",), changes=True, adds=True)),
        ("add robotics to the digest", Subscribe(topics=("robotics",), changes=True, adds=True)),
        ("add topics robotics, agents", Subscribe(topics=("robotics", "agents"), changes=True, adds=True)),
        ("remove topic robotics", Unsubscribe("robotics")),
        ("remove robotics from topics", Unsubscribe("robotics")),
        ("settings remove robotics", Unsubscribe("robotics")),
        ("add noise", Search("add noise")),  # searches, as before
        ("remove background", Search("remove background")),
    ],
)
def test_one_topic_added_or_removed_in_words(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant
    assert refused("add topic").startswith("`add` takes the topics to add")


def test_a_follow_of_words_that_name_no_topic_says_what_they_mean() -> None:
    """Each was followed as a topic: “list”, “stop”, “@lecun”, “this author”."""
    assert parse_command("follow list") == parse_command("follow status") == Follows()
    assert refused("follow stop") == "To stop following: `unfollow TOPIC` stops one, `unfollow` all."
    assert refused("follow @lecun").endswith("such as `follow author:lecun`.")
    assert refused("follow @channel").endswith("such as `follow author:NAME`.")  # not `author:channel`
    assert refused("follow this author").endswith("such as `follow author:NAME`.")
    assert parse_command("follow yann lecun") == Follow(("yann lecun",))  # words a paper may hold
    from bot.chat.commands import parse_follow

    assert parse_follow("follow", "help", "follow help") == Help()  # Discord's `topics:help`: followed “help”


@pytest.mark.parametrize("typed", ["what's trending this week", "what is trending this week", "news this week"])
def test_the_weeks_papers_asked_in_other_words(typed: str) -> None:
    """They were searched for as words within the week ("what's trending")."""
    assert parse_command(typed) == Recent(7)
    assert refused("top today").endswith("Today's top papers: `today`.")


@pytest.mark.parametrize(
    "typed",
    [
        "add topic-aware attention",  # added “attention”, leaving out “-aware”
        "remove topic-specific bias",
        "drop topics in LDA",
        "add topic modeling",  # added “modeling”
        "top-5 diffusion",  # five results
        "top-1 imagenet accuracy",
        "top 2 gating",
        "top 10 percent",
        "stop words",
    ],
)
def test_searches_that_look_like_commands_stay_searches(typed: str) -> None:
    assert parse_command(typed) == Search(typed)


def test_topic_modeling_is_one_topic_where_an_add_is_plainly_meant() -> None:
    assert parse_command("add topic modeling to the digest") == Subscribe(("topic modeling",), changes=True, adds=True)
    assert parse_command("settings add topic modeling") == Subscribe(("topic modeling",), changes=True, adds=True)
    assert refused("add weekly agents to the digest").startswith("`add` takes topics only")


@pytest.mark.parametrize(
    "typed",
    ["stop it", "stop the bot", "stop daily digest", "stop the weekly roundup", "pause the weekly roundup",
     "stop notifications", "mute the digest"],
)  # fmt: skip
def test_more_ways_to_ask_the_digest_to_stop(typed: str) -> None:
    """These became searches when `stop` before other words stopped being "Did you mean `top`?"."""
    assert refused(typed) == "To stop this channel's digest: `unsubscribe`."


@pytest.mark.parametrize("typed", ["how to save time", "how to follow up", "how to set priorities"])
def test_how_to_with_a_topics_words_stays_a_search(typed: str) -> None:
    assert isinstance(parse_command(typed), Search)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # read as both words ("but" and "not" left out), the opposite of what was asked
        ("subscribe diffusion but not robotics", Subscribe(("diffusion", "-robotics"))),
        ("subscribe agents excluding robotics", Subscribe(("agents", "-robotics"))),
        ("follow diffusion but not video", Follow(("diffusion", "-video"))),
        # a list's last `and`: it saved “diffusion”, “robotics and agents”
        ("subscribe diffusion, robotics and agents", Subscribe(("diffusion", "robotics", "agents"))),
        ("follow gans, vits, and llms", Follow(("gans", "vits", "llms"))),
        ("subscribe vision and language", Subscribe(("vision and language",))),  # one topic, as before
        # a topic added in words: each replaced the channel's topics with “add agents”, “robotics too”, …
        ("settings topics add agents", Subscribe(("agents",), changes=True, adds=True)),
        ("update the topics to include agents", Subscribe(("agents",), changes=True, adds=True)),
        ("subscribe robotics too", Subscribe(("robotics",), adds=True)),
        ("subscribe to robotics as well", Subscribe(("robotics",), adds=True)),
        ("subscribe also robotics", Subscribe(("robotics",), adds=True)),
        # days said in words: saved as topics, the digest on its old days
        ("subscribe diffusion at 9am tue-thu", Subscribe(("diffusion",), time="09:00", days="tue-thu")),
        ("subscribe diffusion mon to thu", Subscribe(("diffusion",), days="mon-thu")),
        ("subscribe diffusion at 9 on workdays", Subscribe(("diffusion",), time="09:00", days="mon-fri")),
        ("subscribe diffusion every weekday morning at 9", Subscribe(("diffusion",), time="09:00", days="mon-fri")),
        ("subscribe weekly roundup of diffusion on friday", Subscribe(("diffusion",), cadence="weekly", day="fri")),
    ],
)
def test_what_a_subscription_or_follow_says_in_words_is_kept(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("subscribe diffusion at 9am ET", "“ET” after the time would be read as a topic: type `tz America/New_York`"),
        ("subscribe diffusion at 9am pacific time", "“pacific time” after the time would be read as a topic: type"),
        ("subscribe diffusion at 9am utc+2", "“utc+2” after the time would be read as a topic: type the zone's name"),
        ("subscribe diffusion at 9am local time", "“local time” after the time would be read as a topic: type the"),
        ("subscribe diffusion at 9am (Berlin)", "“(Berlin)” after the time would be read as a topic: type `tz Europe"),
        ("subscribe to diffusion, 9am Berlin time, top 5", "“9am Berlin time” looks like an option, not a topic:"),
        ("subscribe diffusion twice a week", "a digest comes daily, on the days you pick (`days mon,thu` for twice"),
        ("subscribe monthly", "a digest comes daily, on the days you pick"),
        # an option before the topic, saved as part of it ("on fridays diffusion", on weekdays)
        ("subscribe on fridays diffusion", "“on fridays diffusion” looks like an option, not a topic: type `on` and"),
        ("subscribe weekly on mondays robotics", "“on mondays robotics” looks like an option, not a topic: type `on`"),
    ],
)
def test_a_zone_or_a_cadence_said_loosely_is_refused_not_saved_as_a_topic(typed: str, said: str) -> None:
    """Each was saved as a topic, the digest at 09:00 UTC (or on its old days)."""
    assert refused(typed).startswith(said)
    assert "`at 9am tz Europe/Berlin`" in refused("subscribe to diffusion, 9am Berlin time, top 5")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("subscribe diffusion evry day", "`days daily`"),
        ("subscribe everyday", "`days daily`"),
        ("subscribe diffusion Europe/Berlin", "`tz Europe/Berlin`"),
        ("subscribe diffusion in europe/pari", "`tz europe/pari`"),  # (`tz` then offers Europe/Paris)
        ("subscribe diffusion at9am", "`at 9am`"),
        ("settings topics diffusion at9am", "`at 9am`"),
        ("subscribe diffusion day mon", "`days mon`"),
        ("subscribe diffusion tomorrow", "`at` and a time, such as `at 09:00`: a digest begins at its next one"),
        ("subscribe diffusion every morning", "`at 09:00`, or the hour you want"),
        ("subscribe diffusion each weekday", "`days mon-fri`"),
        ("subscribe diffusion max 5", "`top 5`"),
    ],
)
def test_a_schedule_said_in_words_after_a_topic_is_refused_not_saved_as_its_words(typed: str, meant: str) -> None:
    """Each was saved as the topic (“diffusion on fry”), whose digest then found nothing, every day."""
    assert f"looks like an option, not a topic: type {meant}" in refused(typed)


@pytest.mark.parametrize(
    "topic",
    [
        *("diffusion on the", "real time 3d reconstruction", "gpt 4 papers", "training on tpu", "segmentation on sam"),
        *("cities of tomorrow", "ai for tomorrow", "household robots everyday", "ai policy US/China"),
    ],
)
def test_a_topic_ending_near_a_schedule_word_is_still_a_topic(topic: str) -> None:
    assert parse_command(f"subscribe {topic}") == Subscribe((topic,))


@pytest.mark.parametrize(
    "typed",
    ["flow matching", "topic modeling", "helm benchmark", "unsafe prompts", "setting up RL environments",
     "subscriber prediction", "followers graph"],
)  # fmt: skip
def test_a_word_near_a_command_begins_a_search(typed: str) -> None:
    """Each got "Did you mean `follow`?" (`top`, `help`, `unsave`, `settings`, …) and no paper."""
    assert parse_command(typed) == Search(typed)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("folow diffusion", "follow diffusion"),  # the line to type again (it was `follow` alone)
        ("subscibe agents", "subscribe agents"),
        ("setings at 10:00", "settings at 10:00"),
        ("setings blah blah", "settings"),  # `settings blah blah` would not be read either
        ("folows diffusion", "follow diffusion"),  # `follows`, nearer, would refuse it
        ("followw diffusion", "follow diffusion"),  # offered the search's respelling "follow diffusion", a command
        ("preveiw", "preview"),  # searched for
        ("top montly", "top month"),  # "Did you mean “top mostly”?", and a search
        ("yesterdy", "yesterday"),  # "No papers match “yesterdy”", where `todya` was said so
        ("yesterdy diffusion", "yesterday diffusion"),
        ("tdoay", "today"),  # two letters swapped: searched for, and respelled “today”
        ("tdoay top 5", "today top 5"),
    ],
)
def test_a_command_mistyped_is_still_said_so(typed: str, meant: str) -> None:
    assert refused(typed) == f"Did you mean `{meant}`?"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("today top5", Today(limit=5)),  # a search for "top5"
        ("yesterday top5", Today(limit=5, ago=1)),
        ("most upvoted papers", Today()),  # "holds no word to look for", where `popular` was today's
        ("most popular papers", Today()),
        ("top5 accuracy", Search("top5 accuracy")),  # a topic
        ("otp authentication", Search("otp authentication")),  # not `top` with two letters swapped
        ("tpo 5", Search("tpo 5")),
    ],
)
def test_todays_papers_asked_in_other_words(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ctie 2608.19880", "cite 2608.19880"),
        ("paepr 2608.19880?", "paper 2608.19880"),
    ],
)
def test_a_command_on_a_paper_mistyped_is_said_so(typed: str, meant: str) -> None:
    """Each was a search for its words, and answered "No papers match", the paper named in the store."""
    assert refused(typed) == f"Did you mean `{meant}`?"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("papers 2608.19880", PaperLookup("2608.19880")),  # read so before: not "Did you mean `paper`?"
        ("saved 2608.19880", Save("2608.19880")),
        ("svae 2608.19880", Save("2608.19880")),
        ("unsaved 2608.19880", Unsave("2608.19880")),
    ],
)
def test_a_paper_command_read_before_is_read_so_still(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize("typed", ["follow ‘’", "follow «»", "subscribe ‘’", "follow ''"])
def test_empty_quotes_of_any_style_are_no_topic(typed: str) -> None:
    """They followed (or subscribed to) every paper: the quotes were taken off, and nothing was left."""
    assert isinstance(parse_command(typed), Unknown)


@pytest.mark.parametrize(
    "typed",
    [
        "check out https://arxiv.org/abs/2608.19880 and https://arxiv.org/abs/2606.11180",  # searched for its words
        "has anyone read 2608.19880, 2606.11180?",
    ],
)
def test_two_papers_named_in_a_sentence_are_one_at_a_time(typed: str) -> None:
    assert refused(typed) == "One paper at a time: `paper 2608.19880`, then `paper 2606.11180`."


def test_a_link_alone_is_its_papers_card_whatever_its_path_says() -> None:
    """alphaXiv's `/overview/` link was read as asking for the summary ("overview")."""
    for link in ("https://www.alphaxiv.org/overview/2608.19880", "alphaxiv.org/overview/2608.19880v1"):
        command = parse_command(link)
        assert isinstance(command, PaperLookup) and "2608.19880" in command.ref, command


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("follow authors LeCun, Bengio", Follow(("author:LeCun", "author:Bengio"))),  # “Bengio” was a topic
        ("follow robotics too", Follow(("robotics",))),  # “robotics too”
        ("follow topics diffusion", Follow(("diffusion",))),  # each was followed as typed, and matched no paper
        ("follow topic: agents", Follow(("agents",))),
        ("follow the topic: diffusion", Follow(("diffusion",))),
        ("follow new topics: RL", Follow(("RL",))),
        ('follow topics: "world models"', Follow(("world models",))),  # the label alone was a topic
        ('follow diffusion -"image editing".', Follow(("diffusion", '-"image editing"'))),  # “diffusion .”
        ('follow author:"Ann Lee".', Follow(("author:Ann Lee",))),  # kept as typed, no one's name
        ("follow new topic detection", Follow(("new topic detection",))),  # topics of their own, whole
        ("follow the topic model", Follow(("the topic model",))),
        ("follow topics: diffusion, robotics", Follow(("diffusion", "robotics"))),
        ("follow diffusion; robotics", Follow(("diffusion", "robotics"))),
        ("follow LeCun's papers", Follow(("author:LeCun",))),
        ("follow topic modeling", Follow(("topic modeling",))),  # a topic of its own
        ('follow "topics diffusion"', Follow(("topics diffusion",))),  # quoted: as typed
        ("follow Today's papers", Follow(("Today's papers",))),  # a day's, no one's
        ("check out https://arxiv.org/abs/2607.29677", PaperLookup("2607.29677")),  # these were searched for,
        ("has anyone read 2607.29677?", PaperLookup("2607.29677")),  # the paper not among the answers
        ("who wants to present 2607.29677?", PaperLookup("2607.29677")),
        ("link to 2607.29677", PaperLookup("2607.29677")),
        ("can someone share the pdf for 2607.29677", PaperLookup("2607.29677")),
        ("any news on 2607.29677?", PaperLookup("2607.29677")),  # "No papers match “any news on 2607.29677?”"
        ("more info on https://arxiv.org/abs/2607.29677", PaperLookup("2607.29677")),
        ("sav 2607.29677", Save("2607.29677")),  # "Did you mean `saved`?"
        ("remove 2607.29677", Unsave("2607.29677")),  # searched for
    ],
)
def test_papers_and_people_named_in_other_words(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("save 2607.29677 and cite 2607.28618", "One command at a time: `save 2607.29677`"),  # searched for
        ("follow everything", "`follow` needs a topic or an author"),  # followed “everything”
        ("follow diffusion daily", "“daily”: a follow takes topics only"),  # followed “diffusion daily”
        ("follow robotics, -robotics", "“robotics” is both wanted and left out"),  # kept both: none came
    ],
)
def test_a_follow_or_a_save_that_cannot_be_says_why(typed: str, said: str) -> None:
    assert refused(typed).startswith(said)


@pytest.mark.parametrize(
    ("link", "meant"),
    [
        ("https://huggingface.co/papers?date=2026-08-20", Today(day=date(2026, 8, 20))),
        ("https://huggingface.co/papers/date/2026-08-20", Today(day=date(2026, 8, 20))),
        (
            "<https://huggingface.co/papers/date/2026-08-20|huggingface.co/papers/date/2026-08-20>",
            Today(day=date(2026, 8, 20)),
        ),
        ("https://huggingface.co/papers", Today()),
        ("huggingface.co/papers", Today()),
        ("https://huggingface.co/papers/trending", Today()),
        ("https://huggingface.co/papers?q=speculative+decoding", Search("speculative decoding")),  # its search
        (  # a week's list: its days' papers (it said to type `this week`, another week)
            "https://huggingface.co/papers/week/2026-W34",
            Recent(0, span=Span(NamedDay(8, 17, 2026), only=False, until=NamedDay(8, 23, 2026))),
        ),
        (
            "https://huggingface.co/papers/month/2026-02",
            Recent(0, span=Span(NamedDay(2, 1, 2026), only=False, until=NamedDay(2, 28, 2026))),
        ),
    ],
)
def test_a_hugging_face_days_list_pasted_is_that_days_papers(link: str, meant: Command) -> None:
    """They were searched for as the address's words, and found papers holding "huggingface" or "date"."""
    assert parse_command(link) == meant


@pytest.mark.parametrize(
    ("link", "said"),
    [
        (
            "https://huggingface.co/meta-llama/Llama-3-8B",
            "that link is a Hugging Face model's page (meta-llama/Llama-3-8B), not a paper's: paste a paper's link"
            " (huggingface.co/papers/2406.12345) or its arXiv id, or search for its name: `Llama 3 8B`.",
        ),
        (
            "https://huggingface.co/datasets/HuggingFaceFW/fineweb-edu/viewer",
            "that link is a Hugging Face dataset's page (HuggingFaceFW/fineweb-edu), not a paper's: paste a paper's"
            " link (huggingface.co/papers/2406.12345) or its arXiv id, or search for its name: `fineweb edu`.",
        ),
        (
            "https://huggingface.co/datasets/squad/viewer",  # the oldest have no owner
            "that link is a Hugging Face dataset's page (squad), not a paper's: paste a paper's link"
            " (huggingface.co/papers/2406.12345) or its arXiv id, or search for its name: `squad`.",
        ),
        (
            "https://huggingface.co/papers/week/2026-W60",
            "“2026-W60” in that link is no week: a week's list ends in 2026-W34.",
        ),
        (
            "https://huggingface.co/blog/smolvlm",
            "that Hugging Face page names no paper: paste a paper's link (huggingface.co/papers/2406.12345) or its"
            " arXiv id.",
        ),
        (
            "https://huggingface.co/papers/date/2026-02-30",
            "“2026-02-30” in that link is no day: a day's list ends in 2026-08-20.",
        ),
        # arXiv's pages that are no paper's: each was searched for as its address's words
        (
            "https://arxiv.org/list/cs.CL/recent",
            "that link is arXiv's list of cs.CL papers, not a paper's: paste a paper's link"
            " (huggingface.co/papers/2406.12345) or its arXiv id.",
        ),
        (
            "https://arxiv.org/a/huang_c_1",
            "that link is an author's page on arXiv, not a paper's: `author:Huang` lists the papers here by authors"
            " of that name, or paste a paper's link (huggingface.co/papers/2406.12345) or its arXiv id.",
        ),
        (
            "https://arxiv.org/search/?query=diffusion&searchtype=all",
            "that arXiv page names no paper: paste a paper's link (huggingface.co/papers/2406.12345) or its arXiv id.",
        ),
    ],
)
def test_a_hugging_face_or_arxiv_page_that_is_no_papers_says_what_it_is(link: str, said: str) -> None:
    assert parse_command(link) == Unknown(link, said)


def test_a_link_to_no_paper_in_a_sentence_only_about_it_is_read_as_the_link_alone() -> None:
    """`check out https://arxiv.org/list/cs.CL/new` was searched for as "check out https arxiv …"."""
    listed = "that link is arXiv's list of cs.CL papers, not a paper's"
    for text in ("check out https://arxiv.org/list/cs.CL/new", "any thoughts on <https://arxiv.org/list/cs.CL/new>?"):
        asked = parse_command(text)
        assert isinstance(asked, Unknown) and asked.hint.startswith(listed), text
    assert parse_command("check out https://github.com/NVlabs/Fast-dLLM") == RepositoryLookup("NVlabs/Fast-dLLM")
    day = parse_command("cool, see https://huggingface.co/papers?date=2026-08-20")
    assert isinstance(day, Today) and day.day == date(2026, 8, 20)
    # a word of a topic beside it, or two links: searched, as before
    assert isinstance(parse_command("diffusion https://arxiv.org/list/cs.CL/new"), Search)
    assert isinstance(parse_command("see https://arxiv.org/list/cs.CL/new https://arxiv.org/list/cs.LG/new"), Search)


def test_a_slack_links_label_of_words_is_not_the_sentences() -> None:
    """Slack sends a link pasted with a label of two words as `<url|my repo>`: its words were the sentence's,
    so `check out <…|this paper>` was searched for (QA s76)."""
    assert parse_command("check out <https://github.com/a/b|my repo>") == RepositoryLookup("a/b")
    assert parse_command("look at <https://arxiv.org/abs/2406.12345|this paper>") == PaperLookup("2406.12345")
    assert isinstance(parse_command("diffusion <https://github.com/a/b|my repo>"), Search)  # a topic beside it


def test_a_hugging_face_papers_page_is_still_that_paper() -> None:
    for other in ("format/2406.12345", "e-print/2406.12345"):  # a paper's other arXiv pages: that paper
        assert parse_command(f"https://arxiv.org/{other}") == PaperLookup(f"https://arxiv.org/{other}")
        assert parse_command(f"summary https://arxiv.org/{other}") == Ask("summary", "2406.12345")
    assert parse_command("https://arxiv.org/abs/2406.12345v2") == PaperLookup("https://arxiv.org/abs/2406.12345v2")
    assert parse_command("https://huggingface.co/papers/2406.12345") == PaperLookup(
        "https://huggingface.co/papers/2406.12345"
    )
    assert search_parts("https://huggingface.co/meta-llama/Llama-3-8B")[0] == "Llama 3 8B"  # `paperboy search`


@pytest.mark.parametrize(
    ("typed", "thanked"),
    [("thanks!", True), ("Thank you so much.", True), ("thx", True), ("ok", False), ("got it", False), ("👍", False)],
)
def test_thanks_and_acknowledgements_are_answered_not_searched_for(typed: str, thanked: bool) -> None:
    """`thanks!` found five papers."""
    assert parse_command(typed) == Thanks(thanked)
    assert isinstance(parse_command("thanks for the memories"), Search)  # a sentence with it stays a search


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("settings 10am", Subscribe(time="10:00", changes=True)),
        ("settings 9:30", Subscribe(time="09:30", changes=True)),
        ("settings Europe/Berlin", Subscribe(timezone="Europe/Berlin", changes=True)),
    ],
)
def test_a_time_or_a_zone_alone_after_settings_is_that_setting(typed: str, meant: Subscribe) -> None:
    """They were refused, saying to type `at 10am`: which alone was a search."""
    assert parse_command(typed) == meant
    assert isinstance(parse_command("settings robotics 9:30"), Unknown)  # a topic with it: said, not dropped


@pytest.mark.parametrize("typed", ["at 10am", "tz Europe/Berlin", "days mon-fri", "at 10:00 tz Europe/Paris"])
def test_settings_alone_say_how_to_change_or_start_a_digest(typed: str) -> None:
    assert refused(typed) == f"to change this channel's digest: `settings {typed}`; to start one: `subscribe {typed}`."
    assert parse_command(f"settings {typed}") == replace(subscribed(f"subscribe {typed}"), changes=True)


@pytest.mark.parametrize("typed", ["at the end of training", "at scale", "days of future past", "tz dependence"])
def test_words_after_an_options_name_that_set_nothing_stay_a_search(typed: str) -> None:
    assert parse_command(typed) == Search(typed)


def test_a_typo_as_near_to_save_as_to_unsave_is_asked_about_not_acted_on() -> None:
    """`usave 2608.19880` saved the paper: the opposite of what was meant."""
    assert refused("usave 2608.19880") == "Did you mean `save 2608.19880` or `unsave 2608.19880`?"
    assert parse_command("sav 2608.19880") == Save("2608.19880")


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("save 2608.20335 and cite it", Save("2608.20335", ("cite",))),  # it answered the citation, saved nothing
        ("unsave 2608.19880 and show me the code", Unsave("2608.19880", ("code",))),
        ("save 2608.20335", Save("2608.20335")),
    ],
)
def test_a_save_asked_with_a_question_is_saved_and_keeps_the_question(typed: str, command: Save | Unsave) -> None:
    assert parse_command(typed) == command


@pytest.mark.parametrize(("typed", "meant"), [("subscribe weekely diffusion", "weekly"), ("subscribe dialy", "daily")])
def test_a_cadence_mistyped_is_asked_about_not_subscribed_as_a_topic(typed: str, meant: str) -> None:
    """`subscribe weekely diffusion` was a daily digest of the topic “weekely diffusion”, saved without a word."""
    assert refused(typed).startswith(f"did you mean `subscribe {meant} …`?")
    assert subscribed("subscribe weakly supervised learning").topics == ("weakly supervised learning",)  # a word


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("cit", "cite"), ("cod", "code"), ("summ", "summary"), ("rel", "related"), ("auth", "authors")],
)
def test_a_paper_command_cut_short_is_said_as_meant(typed: str, meant: str) -> None:
    """`cit 2608.19880` was searched for as words: "No papers match"."""
    assert refused(f"{typed} 2608.19880") == f"Did you mean `{meant} 2608.19880`?"
    assert isinstance(parse_command("gan 2608.19880"), Search)


@pytest.mark.parametrize(("typed", "roundup"), [("roundup", True), ("show me the roundup", True), ("preview", False)])
def test_the_roundup_asked_for_is_a_preview_of_it(typed: str, roundup: bool) -> None:
    assert parse_command(typed) == Preview(roundup=roundup)


def test_a_paper_command_given_a_link_to_no_paper_says_so() -> None:
    """`cite https://openreview.net/forum?id=abc` was a search for its address's words (OpenBioRQ first),
    and `save <a repository's link>` one for "save https github"."""
    assert refused("cite https://openreview.net/forum?id=abc") == (
        "that link names no paper I can read: `cite` takes a paper's arXiv id or link, such as `cite 2406.12345`."
    )
    assert parse_command("save https://github.com/google-research/envharness") == RepositoryLookup(
        "google-research/envharness"
    )  # the papers whose code it is, as the link alone
    assert parse_command("cite https://arxiv.org/abs/2406.12345") == Ask("cite", "2406.12345")


@pytest.mark.parametrize(("first", "then"), [("save", "cite"), ("unsave", "save")])
def test_two_papers_after_a_save_are_one_at_a_time_each_with_its_command(first: str, then: str) -> None:
    """A search for the whole sentence since the save stopped answering the question ("one at a time" before)."""
    said = f"One command at a time: `{first} 2608.19880`, then `{then} 2608.20335`."
    assert refused(f"{first} 2608.19880 and {then} 2608.20335") == said


@pytest.mark.parametrize("typed", ["save 2608.19880 — great code!", "save 2608.19880 for my citation list"])
def test_a_save_asks_no_question_its_other_words_name(typed: str) -> None:
    assert parse_command(typed) == Save("2608.19880")  # it said "ask `code 2608.19880` next", unasked
    assert parse_command("save 2608.19880, then the code") == Save("2608.19880", ("code",))


@pytest.mark.parametrize(
    "typed", ["settings add daisy", "settings topics dialy diffusion", "subscribe daisy descriptor"]
)
def test_a_topic_near_a_cadence_stays_a_topic_where_a_topic_is_meant(typed: str) -> None:
    """`settings add daisy` was told "did you mean `subscribe daily …`?", a command that replaces the digest."""
    assert isinstance(parse_command(typed), Subscribe)


@pytest.mark.parametrize(
    "typed", ["top 14 days", "top 4 weeks", "top of the year", "top the year", "top -1", "top -5 week", "top 10 all"]
)
def test_a_span_top_does_not_take_is_said_not_searched(typed: str) -> None:
    """`top 14 days` searched for "days", 14 of them; `top -1` for "top -1", as `top 0` is refused (QA s76)."""
    assert refused(typed).startswith("`top` takes `week`, `month` or `all`")


@pytest.mark.parametrize(
    ("typed", "more"),
    [
        ("save and cite 2608.20335", ("cite",)),  # the question before the paper: it was dropped
        ("save 2608.20335; cite it", ("cite",)),
        ("save 2608.20335. Great code!", ()),  # a remark of its own after the full stop
        ("save 2608.20335 for later and cite it", ("cite",)),
        ("save 2608.20335 because the code and authors are great", ()),  # no question asked
        ("save paper 2608.20335 and cite it", ("cite",)),
        ("save that paper 2608.20335 and cite it", ("cite",)),
        ("save 2608.20335. Cite it", ("cite",)),  # a sentence asking, after a full stop
    ],
)
def test_a_save_hears_the_question_joined_to_it_and_no_other(typed: str, more: tuple[str, ...]) -> None:
    assert parse_command(typed) == Save("2608.20335", more)


@pytest.mark.parametrize(
    ("typed", "then"),
    [
        ("save 2608.19880 and who wrote 2608.20335", "authors"),
        ("save 2608.19880 and cite, 2608.20335", "cite"),  # the comma was kept: `cite, 2608.20335`
        ("unsave 2608.19880; save 2608.20335", "save"),  # it offered `unsave` for the one to save
        ("save 2608.19880. Cite 2608.20335", "cite"),
    ],
)
def test_the_second_paper_is_offered_with_what_was_asked_of_it(typed: str, then: str) -> None:
    assert refused(typed).endswith(f"then `{then} 2608.20335`.")


@pytest.mark.parametrize(
    "typed",
    [
        "save 2608.19880 for the related work section and 2608.20335",  # not `related`
        "save 2608.19880 which cites 2608.20335",  # nothing asked of the second
        "save 2608.19880 or 2608.20335",  # "`save` takes one paper at a time", though it takes ten
    ],
)
def test_two_papers_saved_with_other_words_between_them_are_asked_which(typed: str) -> None:
    assert refused(typed) == (
        "I couldn't read the words between or after the papers' ids: `save 2608.19880 and 2608.20335` for both,"
        " or `save 2608.19880` for one."
    )


@pytest.mark.parametrize(
    "typed",
    [
        "save 2608.19880 + 2608.20335",
        "save 2608.19880 / 2608.20335",
        "save 2608.19880 plus 2608.20335",
        "save 2608.19880 and also 2608.20335",
        "save 2608.19880 and 2608.20335 to my reading list",
        "save 2608.19880 and then 2608.20335",
        "save 2608.19880, then 2608.20335",
    ],
)
def test_papers_saved_with_a_plus_or_a_slash_between_them_are_each_saved(typed: str) -> None:
    assert parse_command(typed) == Save("2608.19880", others=("2608.20335",))


@pytest.mark.parametrize(
    ("typed", "cadence", "topics"),
    [
        ("subscribe weekly: robotics", "weekly", ("robotics",)),
        ("subscribe daily, agents", "daily", ("agents",)),
    ],
)
def test_a_cadence_with_a_mark_after_it_is_the_cadence(typed: str, cadence: str, topics: tuple[str, ...]) -> None:
    """`subscribe weekly: robotics` was a daily digest of the topic “weekly: robotics”."""
    command = subscribed(typed)
    assert (command.cadence, command.topics) == (cadence, topics)


def test_top_takes_a_question_mark_and_one_week() -> None:
    assert refused("top 14 days?").startswith("`top` takes")  # searched "days?"
    assert parse_command("top 1 week") == Top("week")
    assert parse_command("cite 2608.19880 chicago") == Ask("cite", "2608.19880", style="Chicago")  # not CHICAGO


def test_a_cadence_mistyped_with_a_mark_after_it_is_asked_about() -> None:
    assert refused("subscribe weekely: robotics").startswith("did you mean `subscribe weekly …`?")


@pytest.mark.parametrize("typed", ["top year?", "top the month?", "top 10?"])
def test_top_with_a_question_mark_reads_as_without(typed: str) -> None:
    assert refused(typed).startswith("`top` takes")
    assert parse_command("top today?") == Today()


def test_two_papers_asked_about_with_or_are_one_at_a_time() -> None:
    """A later regex of the same name had shadowed the papers' joins: this was a search again."""
    assert refused("has anyone read 2608.19880 or 2608.20335?").startswith("One paper at a time")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("diffusion since last month", Search("diffusion", days=30)),  # "diffusion since", closest found
        ("agents since last week", Search("agents", days=7)),
        ("this past week", Recent(days=7)),  # “this” finds nothing
        ("diffusion this past week", Search("diffusion", days=7)),
        ("today date:2026-06-05", Today(day=date(2026, 6, 5))),  # Discord's option, typed: searched as words
        ("today date:yesterday", Today(ago=1)),
        ("next token prediction", Search("next token prediction")),
        ("tomorrow diffusion", Search("tomorrow diffusion")),
    ],
)
def test_time_words_as_people_type_them_are_days(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize("typed", ["tomorrow", "Tomorrow?", "tomorrow's papers", "next friday", "papers for next week"])
def test_a_day_still_to_come_is_said_so(typed: str) -> None:
    """`tomorrow` was searched for ("No papers match"), `next friday` found "Next Implicit Token Prediction"."""
    assert refused(typed).split(" is still to come: ")[1] == (
        "Hugging Face lists each day's papers on that day. `today` shows the latest day's."
    )


def test_a_topic_starting_with_a_cadences_word_is_a_topic() -> None:
    """`daily activity recognition` and `weekly forecasting` are topics, not a cadence mistyped."""
    assert subscribed("subscribe robotics, daily activity recognition").topics == (
        "robotics",
        "daily activity recognition",
    )
    assert subscribed("subscribe weekly forecasting, agents").topics[0].endswith("forecasting")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (
            "august",
            Recent(0, span=Span(NamedDay(8, 1), only=False, until=NamedDay(8, 31))),
        ),  # "No papers match “august”"
        ("papers from august", Recent(0, span=Span(NamedDay(8, 1), only=False, until=NamedDay(8, 31)))),
        ("August 2025", Recent(0, span=Span(NamedDay(8, 1, 2025), only=False, until=NamedDay(8, 31, 2025)))),
        ("diffusion in august", Search("diffusion", span=Span(NamedDay(8, 1), only=False, until=NamedDay(8, 31)))),
        ("agents during feb", Search("agents", span=Span(NamedDay(2, 1), only=False, until=NamedDay(2, 28)))),
        ("robotics since may", Search("robotics", span=Span(NamedDay(5, 1), only=False))),
        ("diffusion august", Search("diffusion august")),  # a month right after the words: a word
        ("papers that may", Search("papers that may")),
        ("20/08/2026", Today(day=date(2026, 8, 20))),  # searched as words: "closest found"
        ("08/20/2026", Today(day=date(2026, 8, 20))),
        ("20.08.2026", Today(day=date(2026, 8, 20))),
    ],
)
def test_a_month_or_a_day_written_with_slashes_is_its_days(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


def test_a_day_written_with_slashes_that_could_be_two_is_asked_which() -> None:
    assert refused("05/06/2026") == "“05/06/2026” could be 2026-05-06 or 2026-06-05: write the one you mean that way."
    assert refused("diffusion on 05/06/2026").startswith("“05/06/2026” could be 2026-05-06 or 2026-06-05")
    assert parse_command("today 20/08/2026") == Today(day=date(2026, 8, 20))
    on_the_day = parse_command("diffusion on 20/08/2026")
    assert isinstance(on_the_day, Search) and on_the_day.span == Span(NamedDay(8, 20, 2026))
    assert parse_command("gpt-4 1/2/2024") == Search("gpt-4 1/2/2024")  # no day named there: words
    assert refused("31/02/2026").startswith("“31/02/2026” is no day of the calendar.")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("make it weekly", Subscribe(cadence="weekly", changes=True)),  # "Did you mean “make it weakly”?"
        ("switch to daily", Subscribe(cadence="daily", changes=True)),
        ("change the digest to weekly", Subscribe(cadence="weekly", changes=True)),
        ("make it a weekly roundup", Subscribe(cadence="weekly", changes=True)),
        ("move the digest to 10am", Subscribe(time="10:00", changes=True)),
        ("set it to 9:30", Subscribe(time="09:30", changes=True)),
        ("change it to 3 papers", Subscribe(limit=3, changes=True)),
        ("can we make it weekly?", Subscribe(cadence="weekly", changes=True)),  # searched for, asked so
        ("let's switch to daily please", Subscribe(cadence="daily", changes=True)),
        ("could you move the digest to 10am?", Subscribe(time="10:00", changes=True)),
        ("can you set it to 3 papers instead?", Subscribe(limit=3, changes=True)),
        ("can we make it work?", Search("can we make it work?")),
        ("digest at 8am", Subscribe(time="08:00", changes=True)),  # "No papers match “digest at 8am”"
        ("can you send the digest at 8am?", Subscribe(time="08:00", changes=True)),
        ("I'd like the digest at 8am", Subscribe(time="08:00", changes=True)),
        ("only 3 papers in the digest please", Subscribe(limit=3, changes=True)),
        (  # today's three, or the digest's? said, not done: the digest is the whole channel's
            "only 3 papers please",
            Unknown(
                "only 3 papers", "`today top 3` shows 3 of today's papers; `settings top 3` makes the digest 3 papers."
            ),
        ),
        ("just 5 papers a day", Subscribe(limit=5, changes=True)),
        ("digest attention", Search("digest attention")),
        ("change detection", Search("change detection")),
        ("make it work", Search("make it work")),
    ],
)
def test_a_setting_changed_in_a_sentence_is_that_setting(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize("typed", ['settings topics ""', 'subscribe ""', 'subscribe diffusion, ""'])
def test_an_empty_quoted_topic_is_refused(typed: str) -> None:
    """`settings topics ""` said "This channel is updated" and changed nothing; `subscribe ""` saved every paper."""
    assert refused(typed).startswith('“""” is an empty topic: type a topic\'s words, such as `diffusion`')


def test_the_bots_name_typed_before_a_command_is_no_search() -> None:
    """`@paperboy today`, as typed in Slack, searched for “@paperboy” in the terminal."""
    assert parse_command("@paperboy today") == Today()
    assert parse_command("@paperboy, diffusion") == Search("diffusion")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("settings top 3?", Subscribe(limit=3, changes=True)),  # "`top` takes a number from 1 to 50, not '3?'"
        ("settings at 8am?", Subscribe(time="08:00", changes=True)),  # "'8am?' is not a time of day"
        ("settings tz Europe/Paris?", Subscribe(timezone="Europe/Paris", changes=True)),  # "Did you mean Europe/Paris?"
        ("could you change the time to 8am?", Subscribe(time="08:00", changes=True)),
        ("subscribe diffusion at 8am?", Subscribe(topics=("diffusion",), time="08:00")),
        ("subscribe diffusion top 3.", Subscribe(topics=("diffusion",), limit=3)),
        ("unsubscribe robotics?", Unsubscribe("robotics")),  # the topic “robotics?”, which no digest has
    ],
)
def test_a_sentences_closing_mark_after_an_options_value_is_no_part_of_it(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


def test_paperboy_search_reads_a_pasted_words_invisible_characters_as_chat_does() -> None:
    """`paperboy search $'diff\\u200busion'` searched for the word with the zero-width space: nothing matched it,
    and the header showed “diffusion”."""
    assert search_parts("diff\u200busion this week")[:2] == ("diffusion", 7)
    assert search_parts("dif\u00adfusion")[0] == "diffusion"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("settings: top 3", Subscribe(limit=3, changes=True)),  # searched for “settings:”
        ("Settings, at 8am", Subscribe(time="08:00", changes=True)),
        ("top: month", Top("month")),
        ("subscribe: robotics", Subscribe(topics=("robotics",))),
        ("saved: bibtex", Saved(bibtex=True)),
    ],
)
def test_a_colon_or_comma_after_a_command_word_is_no_part_of_it(typed: str, meant: Command) -> None:
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    "typed", ["cite help", "summary help", "code help", "settings help", "today help", "settings --help", "cite -h"]
)
def test_a_commands_name_before_help_is_the_help(typed: str) -> None:
    """`cite help`, `summary help` and `code help` were searched for; `settings help`: "Sorry, I didn't get"."""
    assert parse_command(typed) == Help()
    assert parse_command("code usage") == Search("code usage")  # a topic: only `help` after these is the help
    assert parse_command("paper: attention is all you need") == Search("paper: attention is all you need")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("paper 2608.19880v2.pdf", PaperLookup("2608.19880")),  # "not an arXiv id or paper URL"
        ("2608.19880.pdf", PaperLookup("2608.19880")),  # searched for
        ("save 2608.19880.pdf", Save("2608.19880")),  # searched for: nothing saved
        ("cite 2608.19880v2.pdf", Ask("cite", "2608.19880")),  # searched for; not its pdf link asked too
    ],
)
def test_a_downloaded_pdfs_name_is_its_paper(typed: str, meant: Command) -> None:
    """arXiv names its downloads `2608.19880v2.pdf`: pasted, the link form was read, the name was not."""
    assert parse_command(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("paper https://github.com/google-research/envharness", RepositoryLookup("google-research/envharness")),
        ("paper EnvHarness: Awakening Static Worlds", Search("EnvHarness: Awakening Static Worlds")),  # its title
        ("paper https://papers.cool/arxiv/2608.19880", PaperLookup("2608.19880")),
        ("paper 2608.1988", PaperLookup("2608.1988")),  # a digit short: the catalog says it is no id
        ("paper hep-th/99", PaperLookup("hep-th/99")),
        ("paper arXiv: 2406.1234", PaperLookup("arXiv: 2406.1234")),
        ("paper gpt4", Search("gpt4")),  # a name with a digit, as `gpt4` alone is
        ("paper qwen2.5", Search("qwen2.5")),
    ],
)
def test_paper_with_no_id_reads_what_it_names_as_the_same_text_alone_does(typed: str, meant: Command) -> None:
    """`paper <a repository's link>` and `paper <its title>` said "not an arXiv id or paper URL", though the
    link or the title alone found the paper."""
    assert parse_command(typed) == meant


@pytest.mark.parametrize("typed", ["top papers", "top papers here", "top in this channel", "most discussed"])
def test_the_channels_top_papers_asked_in_words_is_top(typed: str) -> None:
    """`top papers` was told it "holds no word to look for"; `most discussed` was searched for."""
    assert parse_command(typed) == Top("week")


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("most discussed this week", "week"),
        ("most discussed papers this month", "month"),
        ("most engaged of all time", "all"),
        ("Most discussed here ever?", "all"),
    ],
)
def test_the_most_discussed_of_a_period_is_top_of_that_period(typed: str, period: str) -> None:
    """`most discussed this week` was searched for; a topic after it still is, and `top papers this week`
    is still the week's listing."""
    assert parse_command(typed) == Top(period)
    assert not isinstance(parse_command("most discussed diffusion"), Top)
    assert not isinstance(parse_command("top papers this week"), Top)


@pytest.mark.parametrize("typed", ["top week month", "top all all"])
def test_two_periods_after_top_are_refused_not_searched(typed: str) -> None:
    """`top week month` dropped "top" and searched for “week month”."""
    assert refused(typed).startswith("`top` takes `week`, `month` or `all`, such as `top month`")


@pytest.mark.parametrize(
    ("typed", "then"),
    [("unsubscribe and subscribe robotics", "subscribe robotics"), ("unsubscribe, then settings", "settings")],
)
def test_a_command_after_unsubscribe_is_no_topic_of_it(typed: str, then: str) -> None:
    """It said: This channel's digest has no topic “and subscribe robotics”."""
    assert refused(typed) == f"One command at a time: `unsubscribe`, then `{then}`."
    assert parse_command("unsubscribe today") == Unsubscribe()  # not the topic “today”
    assert parse_command("unsubscribe follow-up studies") == Unsubscribe("follow-up studies")  # a topic
    assert refused("unsubscribe and unfollow diffusion") == (
        "One command at a time: `unsubscribe`, then `unfollow diffusion`."
    )


def test_a_citation_then_a_save_of_another_paper_is_one_command_at_a_time() -> None:
    """It offered `cite A and B`, which would cite B, not save it."""
    assert refused("cite 2608.19880 and save 2608.20335").endswith("`cite 2608.19880`, then `save 2608.20335`.")
