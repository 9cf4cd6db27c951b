"""`--date` as the commands take it, and today (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import typer

from bot.domain.errors import UsageError
from bot.domain.our_words import ISO_DAY, calendar_fault


def today() -> date:
    return datetime.now(UTC).date()


def not_future(day: date) -> None:
    """A day that has not begun (here or in UTC) has no listing yet: a usage error, before anything opens."""
    latest = max(today(), date.today())
    if day > latest:
        raise UsageError(
            f"--date {day.isoformat()} is in the future: Hugging Face lists a day's papers on that day "
            f"(give {latest.isoformat()} or earlier)"
        )


def parse_day(value: str | None) -> date | None:
    """`--date`: YYYY-MM-DD, `today` or `yesterday` (UTC), or a day in words as chat takes them (`friday`,
    `last friday`, `aug 20`: the latest such day, today included; they were refused, "not a date")."""
    if value is None:
        return None
    if (word := value.strip().lower()) in ("today", "yesterday", "tomorrow"):  # tomorrow: said to be to come
        return today() + timedelta(days=(word == "tomorrow") - (word == "yesterday"))
    if not ISO_DAY.fullmatch(value):  # fromisoformat also takes 20260821 and 2026-W34-5
        from bot.chat.commands import day_to_come
        from bot.chat.days import NamedDay, named_day, resolved

        named = named_day(value.strip())
        if named is not None and isinstance(named[0], NamedDay) and not named[1]:
            return resolved(named[0], today(), ahead=True)
        if day_to_come(value) is not None:  # as chat says of `next friday` (it was "not a date")
            latest = max(today(), date.today())
            raise UsageError(
                f"--date {' '.join(value.split())!r} is still to come: Hugging Face lists a day's papers on that day "
                f"(give {latest.isoformat()} or earlier)"
            )
        said = named[0] if named is not None and isinstance(named[0], str) else f"{value!r} is not a date"
        raise typer.BadParameter(f"{said} (use YYYY-MM-DD, today, yesterday, friday or aug 20)", param_hint="--date")
    if (why := calendar_fault(value)) is not None:
        raise typer.BadParameter(f"{value!r} is no day of the calendar: {why}", param_hint="--date")
    return date.fromisoformat(value)
