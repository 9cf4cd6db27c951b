"""The fake Discord refuses the autocomplete answers and modals Discord would refuse."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.discord import callback_problem


def choices(count: int, name: str = "a choice", value: str = "v") -> dict[str, Any]:
    return {"type": 8, "data": {"choices": [{"name": name, "value": value}] * count}}


def modal(title: str = "A form", rows: int = 5, label: str = "Label", value: str = "") -> dict[str, Any]:
    fields = [
        {"type": 1, "components": [{"type": 4, "custom_id": f"f{i}", "label": label, "style": 1, "value": value}]}
        for i in range(rows)
    ]
    return {"type": 9, "data": {"custom_id": "m1", "title": title, "components": fields}}


def test_what_discord_takes() -> None:
    assert callback_problem(choices(25, "x" * 100, "y" * 100)) is None
    assert callback_problem(modal()) is None


@pytest.mark.parametrize(
    "body",
    [
        choices(26),
        choices(1, name="x" * 101),
        choices(1, name=""),
        choices(1, value="y" * 101),
        modal(title="x" * 46),
        modal(rows=6),
        modal(rows=0),
        modal(label="x" * 46),
        modal(value="x" * 4001),
    ],
)
def test_what_discord_refuses(body: dict[str, Any]) -> None:
    assert callback_problem(body) is not None
