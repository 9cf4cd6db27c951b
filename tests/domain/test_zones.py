"""Time zones as people type them: an offset, an abbreviation or a city gets the zone it means first."""

from __future__ import annotations

import pytest

from bot.domain.zones import zone_choices, zone_hint


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
