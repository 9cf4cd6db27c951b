"""Days as people name them in chat: `aug 20`, `20 August 2026`, `August 20th, 2026`, `friday`, `last
friday`, `friday's papers`, `papers from monday`, and after a search's topic, `since monday`, `on aug
20`, `yesterday` (`named_span`). Searched for as words, they found papers holding none of them. A day
named without its year is the latest such day, today (UTC) included; `last friday` is the one before
today. A weekday or a day without its year is known only when it is answered (`resolved`), so the
command keeps it as named (`NamedDay`)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.errors import UsageError
from bot.domain.our_words import calendar_fault

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}  # whole: "SUN" is a dataset
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NAMED = re.compile(
    r"(?:(?:papers?\s+)?(?:from|on)\s+)?(?:(?P<yesterday>yesterday)|"
    rf"(?:(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day_first>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_after>{_MONTH_NAMES})\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?"
    rf"|(?P<last>last\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})"
    r")(?:'s|’s)?(?=[\s,.;!?]|\Z)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NamedDay:
    """A day as named: a month and its day (and year, when given), or a weekday (`last`: before today)."""

    month: int = 0
    day: int = 0
    year: int = 0
    weekday: int = -1
    last: bool = False
    ago: int = -1  # `yesterday`: 1


def named_day(text: str) -> tuple[NamedDay | str, str] | None:
    """The day the text starts by naming (or, for a day no calendar has, what to say), and the rest of
    the text; None where it names none."""
    found = _NAMED.match(text)
    if found is None:
        return None
    rest = text[found.end() :].strip(" ,")
    if found["yesterday"]:
        return NamedDay(ago=1), rest
    if found["weekday"]:
        return NamedDay(weekday=_WEEKDAYS[found["weekday"].lower()], last=bool(found["last"])), rest
    month = _MONTHS[(found["month"] or found["month_after"]).lower()]
    day, year = int(found["day"] or found["day_first"]), int(found["year"] or 0)
    most = calendar.monthrange(year or 2024, month)[1]  # without its year, a day some year has: 29 February
    if not 1 <= day <= most:
        why = calendar_fault(f"{year:04d}-{month:02d}-{day:02d}") if year else None
        why = why or f"{calendar.month_name[month]} has {most} days"
        return f"“{' '.join(found[0].split())}” is no day of the calendar: {why}", rest
    return NamedDay(month, day, year), rest


def resolved(named: NamedDay, today: date) -> date:
    """The day named, as of `today`: its own when it has a year, else the latest such day up to today
    (a weekday: today included, but for `last`)."""
    if named.ago >= 0:
        return today - timedelta(days=named.ago)
    if named.weekday >= 0:
        back = (today.weekday() - named.weekday) % 7 or (7 if named.last else 0)
        return today - timedelta(days=back)
    if named.year:
        return date(named.year, named.month, named.day)
    year = today.year
    while True:  # 29 February: back to the last leap year
        if calendar_fault(f"{year:04d}-{named.month:02d}-{named.day:02d}") is None:
            day = date(year, named.month, named.day)
            if day <= today:
                return day
        year -= 1


@dataclass(frozen=True)
class Span:
    """The days a search's named day keeps: that day alone (`on friday`, `yesterday`), or from it to today
    (`since monday`)."""

    first: NamedDay
    only: bool = True


_BEFORE_DAY = re.compile(r"\s+(since|on|from)\s+", re.IGNORECASE)
_ENDING = re.compile(r"\s*[?.!]*\s*\Z")
_COUNT_ALONE = re.compile(r"top\s+(?:\d+|all)", re.IGNORECASE)


def named_span(text: str) -> tuple[str, Span] | None:
    """The topic, and the days a named day after it keeps: `agents since monday`, `diffusion on aug 20`,
    `RL papers from last friday`, `robotics yesterday`, or before it: `yesterday's diffusion papers`,
    `friday's robotics papers`, `aug 20 agents`; None where no day is named so, or no topic is with it. A
    day no calendar has raises `UsageError`."""
    text = _ENDING.sub("", text)
    for found in _BEFORE_DAY.finditer(text):
        said = named_day(text[found.end() :])
        topic = text[: found.start()].strip()
        if said is None or said[1] or not topic:
            continue
        if isinstance(said[0], str):
            raise UsageError(f"{said[0]}. Write a day as 2026-08-20, `aug 20`, `friday` or `yesterday`.")
        return topic, Span(said[0], only=found[1].lower() != "since")
    topic, _, last = text.rpartition(" ")
    if last.lower() == "yesterday" and topic.strip():
        return topic.strip(), Span(NamedDay(ago=1))
    first = named_day(text)  # `yesterday's diffusion papers`, `friday's robotics papers`, `aug 20 agents`
    if first is None or not isinstance(first[0], NamedDay) or not first[1] or first[1].startswith("-"):
        return None
    if _COUNT_ALONE.fullmatch(first[1]):  # `aug 20 top 5`: that day's papers (`yesterday top 3 robotics`: a search)
        return None
    named = text[: len(text) - len(first[1])].rstrip(" ,")
    if first[0].weekday >= 0 and not named.endswith(("'s", "’s")):  # `sunday funday` is a search
        return None
    return first[1], Span(first[0])
