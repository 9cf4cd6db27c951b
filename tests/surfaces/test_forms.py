"""The subscribe form saves what the typed command saves, and says which field is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat.commands import Subscribe, parse_subscribe
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.domain.errors import UsageError
from bot.domain.zones import zone_choices
from bot.surfaces.forms import FormErrors, SubscribeForm, read_form
from tests.strategies import FAST


def test_a_form_reads_as_the_typed_command() -> None:
    form = SubscribeForm(topics="diffusion, robots", time="9:00", timezone="Europe/Berlin", days="mon,wed", limit="5")
    typed = parse_subscribe("daily diffusion, robots at 9:00 tz Europe/Berlin days mon,wed top 5")
    assert read_form(form) == typed
    assert typed == Subscribe(("diffusion", "robots"), "09:00", "Europe/Berlin", "mon,wed", 5, cadence="daily")


def test_a_zone_typed_as_a_country_or_a_city_and_its_country_is_its_zone() -> None:
    """The form's zone field, typed (Discord's; Slack's menu offers these): "Berlin, Germany" was refused."""
    for typed, zone in (
        ("Berlin, Germany", "Europe/Berlin"),
        ("UK", "Europe/London"),
        ("Boston, USA", "America/New_York"),
    ):
        assert read_form(SubscribeForm(topics="diffusion", timezone=typed)).timezone == zone
    with pytest.raises(FormErrors) as refused:
        read_form(SubscribeForm(topics="diffusion", timezone="USA"))
    assert "United States has 29 zones" in refused.value.errors["timezone"]


def test_days_typed_in_the_form_read_as_the_typed_days_option() -> None:
    """Discord's days field, typed: `mon wed fri` was refused while `Monday, Wednesday` was taken (QA s76)."""
    for typed, days in [("mon wed fri", "mon,wed,fri"), ("Mon to Fri", "mon-fri"), ("mon,wed", "mon,wed")]:
        assert read_form(SubscribeForm(topics="robots", days=typed)).days == days
        assert parse_subscribe(f"robots days {typed}").days == days
    for written in ("mon-wed,fri", "sat-sun,mon", "every day"):  # days as written stay so (refused for a while)
        assert read_form(SubscribeForm(topics="robots", days=written)).days == written
    with pytest.raises(FormErrors) as refused:
        read_form(SubscribeForm(topics="robots", days="mon wed funday"))
    assert set(refused.value.errors) == {"days"}


def test_topics_one_per_line_are_topics_each_as_with_commas() -> None:
    """Discord's topics box is a paragraph: "diffusion⏎robotics" was saved as one topic "diffusion robotics"."""
    form = SubscribeForm(topics="diffusion\n  robotics \n\nreinforcement learning, agents\n")
    assert read_form(form) == parse_subscribe("daily diffusion, robotics, reinforcement learning, agents")


def test_an_empty_form_changes_nothing_as_an_empty_subscribe_does() -> None:
    assert read_form(SubscribeForm()) == parse_subscribe("daily") == Subscribe(cadence="daily")
    assert read_form(SubscribeForm(cadence="weekly")) == parse_subscribe("weekly") == Subscribe(cadence="weekly")


def test_topics_all_papers_in_the_form_drop_the_topics_as_typed() -> None:
    """A digest on topics could not go back to every paper from the form: "all papers" was a topic, refused."""
    assert read_form(SubscribeForm(topics="all papers")) == parse_subscribe("daily all papers")
    assert read_form(SubscribeForm(topics="All papers")).every_paper


def test_a_topic_that_reads_like_an_option_stays_a_topic() -> None:
    form = SubscribeForm(topics='diffusion tz Europe, top 5 "robots”')
    assert read_form(form).topics == ("diffusion tz Europe", 'top 5 "robots"')


def test_a_quote_nothing_closes_is_refused_as_the_typed_command_refuses_it() -> None:
    with pytest.raises(UsageError, match="is not closed"):
        parse_subscribe('"unclosed, x')
    with pytest.raises(FormErrors) as caught:  # it was saved as the topic “"unclosed”
        read_form(SubscribeForm(topics='"unclosed, x'))
    assert list(caught.value.errors) == ["topics"] and "is not closed" in caught.value.errors["topics"]


def test_each_mistake_is_reported_on_its_field() -> None:
    form = SubscribeForm(topics="diffusion", time="25:00", timezone="Europe/Berln", days="someday", limit="99")
    with pytest.raises(FormErrors) as caught:
        read_form(form)
    errors = caught.value.errors
    assert set(errors) == {"time", "timezone", "days", "limit"}
    assert "'25:00' is not a time of day" in errors["time"]
    assert "Did you mean Europe/Berlin?" in errors["timezone"]
    assert "mon-fri" in errors["days"]
    assert "1 to 50" in errors["limit"]
    assert all("`" not in said for said in errors.values())  # plain text in the form: no command markup
    assert errors["limit"].startswith("Takes a number from 1 to 50")  # under its own label, not `top`'s


def test_too_many_topics_is_a_topics_error() -> None:
    with pytest.raises(FormErrors) as caught:
        read_form(SubscribeForm(topics=", ".join(f"topic {i}" for i in range(30))))
    assert list(caught.value.errors) == ["topics"]
    assert caught.value.errors["topics"].startswith("At most 10 topics, not 30")


def test_an_unknown_zone_without_one_guess_lists_close_zones() -> None:
    with pytest.raises(FormErrors) as caught:
        read_form(SubscribeForm(timezone="Kolk"))  # `Kolkata` alone is the zone
    assert "Asia/Kolkata" in caught.value.errors["timezone"]


def test_a_form_is_filled_in_with_the_current_subscription() -> None:
    current = Subscription(ChannelRef("slack", "C1"), ("diffusion", "robots"), "08:30", "Asia/Tokyo", "mon,fri", 7)
    form = SubscribeForm.of(current)
    assert form == SubscribeForm("diffusion, robots", "08:30", "Asia/Tokyo", "mon,fri", "7")
    assert read_form(form) == Subscribe(("diffusion", "robots"), "08:30", "Asia/Tokyo", "mon,fri", 7, "daily")
    assert SubscribeForm.of(None) == SubscribeForm()


def test_a_topic_with_a_comma_comes_back_from_the_form_as_one_topic() -> None:
    topics = ("graph neural networks, GNN", "robots")
    current = Subscription(ChannelRef("slack", "C1"), topics, "08:30", "UTC", "mon", 5)
    form = SubscribeForm.of(current)
    assert form.topics == "“graph neural networks, GNN”, robots"
    assert read_form(form).topics == ("graph neural networks, GNN", "robots")
    assert read_form(SubscribeForm(topics='"agents, bots", llm')).topics == ("agents, bots", "llm")


def test_a_weekly_roundups_form_keeps_it_weekly_with_its_one_day() -> None:
    current = Subscription(
        ChannelRef("slack", "C1"), ("diffusion",), "16:00", "Europe/Berlin", "fri", 5, cadence="weekly"
    )
    form = SubscribeForm.of(current)
    assert form.cadence == "weekly" and form.days == "fri"
    changed = SubscribeForm(form.topics, form.time, form.timezone, "thu", "3", cadence="weekly")
    assert read_form(changed) == parse_subscribe("weekly diffusion at 16:00 tz Europe/Berlin on thu top 3")
    with pytest.raises(FormErrors) as caught:
        read_form(SubscribeForm(days="mon,fri", cadence="weekly"))
    assert list(caught.value.errors) == ["days"]
    assert "one day a week" in caught.value.errors["days"]


@pytest.mark.parametrize(
    ("typed", "first"),
    [("berl", "Europe/Berlin"), ("europe/ber", "Europe/Berlin"), ("new york", "America/New_York"), ("Berlni", None)],
)
def test_zone_choices(typed: str, first: str | None) -> None:
    found = zone_choices(typed)
    assert 0 < len(found) <= 100
    if first:
        assert found[0] == first
    else:
        assert "Europe/Berlin" in found  # a misspelling gets its close zones


def test_zone_choices_are_at_most_a_menu_long() -> None:
    assert len(zone_choices("")) == 100
    assert len(zone_choices("a")) == 100
    assert zone_choices("zzzzzz") == []


@pytest.mark.slow
@given(st.builds(SubscribeForm, st.text(), st.text(), st.text(), st.text(), st.text()))
@settings(FAST, max_examples=300)
def test_any_form_is_saved_or_refused_field_by_field(form: SubscribeForm) -> None:
    """Whatever is typed into the form: a subscription, or errors keyed by the fields that hold them."""
    errors: dict[str, str] = {}
    try:
        read = read_form(form)
    except FormErrors as exc:
        errors = exc.errors
    if errors:
        assert set(errors) <= {"topics", "time", "timezone", "days", "limit"}
        assert all(errors.values())
    else:
        assert read == parse_subscribe(form.typed())


def test_the_forms_words_keep_what_was_typed_and_name_one_zone() -> None:
    with pytest.raises(FormErrors) as caught:
        read_form(SubscribeForm(topics="author:", timezone="UTC+2", limit="`5`"))
    errors = caught.value.errors
    assert errors["topics"].startswith("author: needs a name")  # the filter's own word, not a label
    assert errors["limit"] == "Takes a number from 1 to 50, not '`5`'"  # the echo as typed
    assert "Etc/GMT-2" in errors["timezone"] and "Close:" not in errors["timezone"]  # one zone, not three
