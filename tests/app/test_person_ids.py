"""`paperboy saved --user` and the ids it takes: each one that would list nothing, without a word, is
refused saying what to write (from an audit)."""

from __future__ import annotations

import pytest

from bot.app.cli.community import parse_person
from bot.domain.errors import UsageError
from bot.store.reading import Person


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("slack:u1", "--user 'slack:u1': Slack's ids are written in capitals: 'slack:U1'"),  # "not a member ID"
        ("console:term", "--user 'console:term': the terminal's person is console:you, whatever channel"),
        ("slack:C1", "--user 'slack:C1': a channel's id: a Slack member ID starts with U or W"),
    ],
)
def test_an_id_that_lists_nothing_is_refused_saying_what_to_write(typed: str, said: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_person(typed)
    assert str(refused.value).startswith(said)


def test_the_ids_people_have_are_taken() -> None:
    assert parse_person("console:you") == Person("console", "", "you")
    assert parse_person("slack:T0123/U0456") == Person("slack", "T0123", "U0456")
    assert parse_person("discord:123") == Person("discord", "", "123")
