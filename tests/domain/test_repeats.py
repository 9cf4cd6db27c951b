"""A fault that lasts is said the first time, then once an hour while it lasts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.repeats import Repeats

T0 = datetime(2026, 12, 2, 9, tzinfo=UTC)


def test_a_fault_is_said_first_then_hourly_and_each_fault_apart() -> None:
    repeats = Repeats()
    said = [repeats.first("disk full", T0 + timedelta(minutes=m)) for m in range(0, 130, 1)]
    assert [m for m, s in enumerate(said) if s] == [0, 60, 120]
    assert repeats.first("token revoked", T0 + timedelta(minutes=1))  # another fault: its own first time


def test_a_clock_stepped_back_does_not_silence_a_fault_for_the_step() -> None:
    repeats = Repeats()
    assert repeats.first("disk full", T0)
    assert repeats.first("disk full", T0 - timedelta(hours=3))  # not "said 3 hours in the future"
