"""Time zones as people type them: an offset, an abbreviation or a city gets the zone it means first."""

from __future__ import annotations

import re

import pytest

from bot.domain.zones import zone_choices, zone_hint, zone_label, zone_meant, zone_named


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("UTC+2", "Etc/GMT-2"),  # the name inverts the sign: Etc/GMT+2 is UTC-2, hours off
        ("GMT+2", "Etc/GMT-2"),
        ("+2", "Etc/GMT-2"),
        ("UTC-5", "Etc/GMT+5"),
        ("PST", "America/Los_Angeles"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("delhi", "Asia/Kolkata"),
        ("Bangalore", "Asia/Kolkata"),
        ("beijing", "Asia/Shanghai"),
        ("berlin", "Europe/Berlin"),
        ("Europe/Berln", "Europe/Berlin"),
    ],
)
def test_the_zone_meant_comes_first_and_no_inverted_offset_is_offered(typed: str, first: str) -> None:
    choices = zone_choices(typed)
    assert choices[0] == first
    assert not [z for z in choices if z.startswith("Etc/GMT") and z != first]


@pytest.mark.parametrize("typed", ["GMT", "Etc", "etc/gmt", "gmt+"])
def test_a_zone_named_with_its_sign_inverted_is_never_offered_for_its_name(typed: str) -> None:
    """Typed `GMT`, the menu listed Etc/GMT+1 … +12: picked, a digest came hours off (Etc/GMT+3 is UTC-3)."""
    assert not [z for z in zone_choices(typed) if re.fullmatch(r"Etc/GMT[+-]0*[1-9]\d*", z)]


def test_an_inverted_zone_is_labelled_with_the_offset_it_means() -> None:
    assert zone_label("Etc/GMT-3") == "UTC+3 (Etc/GMT-3)"
    assert zone_label("Etc/GMT+5") == "UTC-5 (Etc/GMT+5)"
    assert zone_label("Etc/GMT") == "Etc/GMT" and zone_label("Europe/Berlin") == "Europe/Berlin"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("delhi", " Did you mean Asia/Kolkata?"),
        ("mumbai", " Did you mean Asia/Kolkata?"),
        ("beijing", " Did you mean Asia/Shanghai?"),
        ("Europe/Berln", " Did you mean Europe/Berlin?"),
        ("Berln", " Did you mean Europe/Berlin?"),
    ],
)
def test_a_city_that_names_no_zone_is_hinted_its_zone_not_a_lookalike(typed: str, hint: str) -> None:
    assert zone_hint(typed) == hint


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("america/new york", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("indianapolis", "America/Indiana/Indianapolis"),  # not the old link America/Indianapolis
        ("delhi", "Asia/Kolkata"),
        ("pacific", None),  # Canada/Pacific or US/Pacific
        ("EST", None),  # an abbreviation: summer time or not, it is said, not guessed
        ("GMT+3", None),  # Etc/GMT+3 is UTC-3
        ("Berln", None),  # a spelling is offered (`zone_hint`), never taken
    ],
)
def test_a_zone_is_named_for_certain_or_not_at_all(typed: str, zone: str | None) -> None:
    assert zone_named(typed) == zone


@pytest.mark.parametrize(
    ("typed", "meant", "choices"),
    [  # (QA s76: `Germany` was offered Europe/Guernsey and Asia/Tehran, `Berlin, Germany` Australia/Lindeman)
        ("Germany", "Europe/Berlin", ["Europe/Berlin", "Europe/Busingen"]),  # a town of 1,400 is not it
        ("UK", "Europe/London", ["Europe/London"]),  # (was Africa/Timbuktu, America/Nuuk, Canada/Yukon)
        ("united kingdom", "Europe/London", ["Europe/London"]),
        ("Korea", "Asia/Seoul", ["Asia/Seoul"]),
        ("Berlin, Germany", "Europe/Berlin", ["Europe/Berlin"]),
        ("Munich, Germany", "Europe/Berlin", ["Europe/Berlin"]),
        ("Boston, USA", "America/New_York", ["America/New_York"]),
        ("USA", None, ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix"]),
        ("Paris, Texas", None, ["Europe/Paris"]),  # a city's zone to pick, never taken for one elsewhere
        ("Springfield, USA", None, ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix"]),
    ],
)
def test_a_country_or_a_city_and_its_country_is_the_zone_people_there_keep(
    typed: str, meant: str | None, choices: list[str]
) -> None:
    assert zone_meant(typed) == meant
    assert zone_choices(typed)[: len(choices)] == choices
    assert zone_named(typed) is None  # a topic's last word is never taken for a zone: `robotics germany`


def test_a_country_of_many_zones_is_hinted_its_main_ones_and_a_city_elsewhere_nothing() -> None:
    assert zone_hint("USA") == (
        " United States has 29 zones: type the one of the city meant, such as America/New_York, America/Chicago,"
        " America/Denver, America/Phoenix, America/Los_Angeles (or 24 more)."
    )
    assert zone_hint("Germany") == " Did you mean Europe/Berlin?"
    # a city and no country of its: its zone asked (as the menu offers it), never taken
    assert zone_hint("Paris, Texas") == " Did you mean Europe/Paris?" and zone_meant("Paris, Texas") is None
    assert zone_hint("Hong Kong, China") == " Did you mean Asia/Hong_Kong?"  # not China's Asia/Shanghai


@pytest.mark.parametrize("word", ["south", "north", "western", "french", "dutch", "american", "Georgia"])
def test_a_word_of_a_countrys_name_is_no_country(word: str) -> None:
    """iso3166.tab's "Korea (South)", "Samoa (western)", "St Martin (French)" made `tz south` Asia/Seoul and
    `tz western` Pacific/Apia; Georgia is a state of the US too (review s76)."""
    assert zone_meant(word) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Ukraine", "Europe/Kyiv"),  # the main zone first, though the tz database lists Simferopol first
        ("Uzbekistan", "Asia/Tashkent"),
        ("Kiev, Ukraine", "Europe/Kyiv"),  # a city's zone by another name of it (a link): the country's
        ("Montreal, Canada", "America/Toronto"),
        ("Singapore, Singapore", "Asia/Singapore"),
        ("Samoa", "Pacific/Apia"),  # the tz database's old Pacific/Samoa is American Samoa, a day behind
        ("La Paz, Bolivia", "America/La_Paz"),  # a city of two countries (La Paz, Mexico), told by its own
        ("Cordoba, Argentina", "America/Argentina/Cordoba"),
        ("san juan, puerto rico", "America/Puerto_Rico"),
        ("Lyon, France", "Europe/Paris"),  # a town no zone names, in a country of one zone
    ],
)
def test_a_countrys_main_zone_and_a_city_named_by_another_of_its_names(typed: str, zone: str) -> None:
    assert zone_meant(typed) == zone
    assert zone_choices(typed)[0] == zone


def test_an_area_typed_lists_the_zones_people_live_in_first() -> None:
    """`america` listed 100 zones from America/Adak on, cut before America/New_York and America/Sao_Paulo."""
    first = zone_choices("america")[:25]
    assert {"America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "America/Toronto"} <= set(first)
    assert {"Europe/Berlin", "Europe/London"} <= set(zone_choices("europe")[:10])
