"""Days as people name them in chat: `aug 20`, `20 August 2026`, `August 20th, 2026`, `friday`, `last
friday`, `friday's papers`, `papers from monday`, and after a search's topic, `since monday`, `on aug
20`, `yesterday` (`named_span`). Searched for as words, they found papers holding none of them. A day
named without its year is the latest such day, today (UTC) included; `last friday` is the one before
today. A weekday or a day without its year is known only when it is answered (`resolved`), so the
command keeps it as named (`NamedDay`)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
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
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})"
    rf"|(?P<last>last\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})"
    r")(?:'s|’s)?(?=[\s,.;!?\-–]|\Z)",
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
    if found["iso_year"]:  # `since 2026-08-01`, `on 2026-8-3`
        year, month, day = int(found["iso_year"]), int(found["iso_month"]), int(found["iso_day"])
        why = calendar_fault(f"{year:04d}-{month:02d}-{day:02d}")
        return (
            f"“{found[0].split()[-1]}” is no day of the calendar: {why}" if why else NamedDay(month, day, year)
        ), rest
    month = _MONTHS[(found["month"] or found["month_after"]).lower()]
    day, year = int(found["day"] or found["day_first"]), int(found["year"] or 0)
    most = calendar.monthrange(year or 2024, month)[1]  # without its year, a day some year has: 29 February
    if not 1 <= day <= most:
        why = calendar_fault(f"{year:04d}-{month:02d}-{day:02d}") if year else None
        why = why or f"{calendar.month_name[month]} has {most} days"
        return f"“{' '.join(found[0].split())}” is no day of the calendar: {why}", rest
    return NamedDay(month, day, year), rest


def resolved_until(named: NamedDay, first: date, today: date) -> date:
    """The last day of a span from `first` (`aug 1 to aug 10`): its own when it has a year, else the first
    such day on or after `first` (`dec 20 to jan 5`: the January after; `feb 1 to feb 29`: its month's
    last, 28 February of a year with none)."""
    if named.year or named.ago >= 0 or named.weekday >= 0:
        return resolved(named, today)
    year = first.year + ((named.month, named.day) < (first.month, first.day))
    return date(year, named.month, min(named.day, calendar.monthrange(year, named.month)[1]))


SOON = 7  # days ahead a day named without its year may be (`dec 8` on 7 December): this year's, to come


def resolved(named: NamedDay, today: date, *, ahead: bool = False) -> date:
    """The day named, as of `today`: its own when it has a year, else the latest such day up to today
    (a weekday: today included, but for `last`), or, for a day asked for alone (`ahead`), one at most
    `SOON` days ahead: `dec 8` asked on 7 December is tomorrow, still to come (it was 8 December of the
    year before, "not in the store"). A span's first day is never ahead: `since jan 1` asked on 28
    December is this year's."""
    if named.ago >= 0:
        return today - timedelta(days=named.ago)
    if named.weekday >= 0:
        back = (today.weekday() - named.weekday) % 7 or (7 if named.last else 0)
        return today - timedelta(days=back)
    if named.year:
        return date(named.year, named.month, named.day)
    for year in (today.year, today.year + 1) if ahead else ():  # (`jan 2` on 28 December: the January after)
        fault = calendar_fault(f"{year:04d}-{named.month:02d}-{named.day:02d}")
        if fault is None and today < (soon := date(year, named.month, named.day)) <= today + timedelta(days=SOON):
            return soon
    year = today.year
    while True:  # 29 February: back to the last leap year
        if calendar_fault(f"{year:04d}-{named.month:02d}-{named.day:02d}") is None:
            day = date(year, named.month, named.day)
            if day <= today:
                return day
        year -= 1


@dataclass(frozen=True)
class Span:
    """The days a search's named day keeps: that day alone (`on friday`, `yesterday`), from it to today
    (`since monday`), or from it to another (`aug 1 to aug 10`: `until`)."""

    first: NamedDay
    only: bool = True
    until: NamedDay | None = None


_BEFORE_DAY = re.compile(r"(?:\A|\s+)(since|on|from)\s+", re.IGNORECASE)
_ENDING = re.compile(r"\s*[?.!]*\s*\Z")
_COUNT_ALONE = re.compile(r"top\s+(?:\d+|all)", re.IGNORECASE)


# a month named as a search's days (`diffusion in august`, `papers from may 2026`, `august`): searched as
# words, "august" found nothing
_MONTH_SAID = re.compile(
    rf"(?:\A|(?<=\s))(?:(?P<prep>in|from|during|since)\s+)?(?P<month>{_MONTH_NAMES})\.?"
    r"(?:\s+(?P<year>\d{4}))?(?P<papers>(?:'s|’s)?\s+papers?)?[\s?.!]*\Z",
    re.IGNORECASE,
)


def month_as_span(text: str) -> str:
    """The text with a month it names at its end as the span of that month's days, as a search reads them:
    `diffusion in august` as `diffusion from aug 1 to aug 31`, `since may` as `since may 1`; the text as it
    is where it names none (a month right after a topic's words, `diffusion august`, stays a word)."""
    found = _MONTH_SAID.search(text)
    if found is None or not (found["prep"] or found.start() == 0):
        return text
    month = _MONTHS[found["month"].lower()]
    name, year = calendar.month_abbr[month].lower(), found["year"]
    last = calendar.monthrange(int(year) if year else 2025, month)[1]  # no year: February's 28 days
    days = f"since {name} 1" if (found["prep"] or "").lower() == "since" else f"from {name} 1 to {name} {last}"
    before = text[: found.start()].strip()
    return " ".join(filter(None, (before, "papers" if found["papers"] and not before else "", days))) + (
        f", {year}" if year else ""
    )


_NUMERIC = re.compile(r"(?<![\w/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\w/])")  # 20/08/2026, 08.20.2026


def numeric_as_iso(text: str) -> str:
    """The text with each day written with slashes or dots that can be one day only (`20/08/2026`,
    `08/20/2026`: searched as words) as 2026-08-20, as the chat reads days; the rest as it is."""
    return _NUMERIC.sub(lambda found: next(iter(meant)) if len(meant := _meant(found)) == 1 else found[0], text)


def _meant(found: re.Match[str]) -> set[str]:
    a, b, year = int(found[1]), int(found[2]), int(found[3])
    return {
        f"{year:04d}-{month:02d}-{day:02d}"
        for day, month in ((a, b), (b, a))
        if 1 <= month <= 12 and calendar_fault(f"{year:04d}-{month:02d}-{day:02d}") is None
    }


# a day written with slashes or dots where a day is named (`on 05/06/2026`, `since 1/2/2026`, or alone)
_NUMERIC_NAMED = re.compile(rf"(?:\A|\b(?:on|since|from|to|until|today)\s+){_NUMERIC.pattern}\s*[?.!]*\Z", re.I)


def numeric_day(text: str) -> None:
    """`UsageError` for a day written with slashes or dots where a day is named that could be two days
    (`05/06/2026`), or none: which to write (`numeric_as_iso` reads one that can be one day only)."""
    found = _NUMERIC_NAMED.search(text)
    if found is None:
        return
    said = found[0].split()[-1].rstrip("?.!")
    meant = _meant(_NUMERIC.search(said))  # type: ignore[arg-type]
    if not meant:
        raise UsageError(f"“{said}” is no day of the calendar. Write a day as 2026-08-20 or `aug 20`.")
    if len(meant) > 1:
        first, second = sorted(meant)
        raise UsageError(f"“{said}” could be {first} or {second}: write the one you mean that way.")


def named_span(text: str) -> tuple[str, Span] | None:
    """The topic, and the days a named day after it keeps: `agents since monday`, `diffusion on aug 20`,
    `RL papers from last friday`, `robotics yesterday`, or before it: `yesterday's diffusion papers`,
    `friday's robotics papers`, `aug 20 agents`; None where no day is named so, or no topic is with it. A
    day no calendar has raises `UsageError`."""
    text = _ENDING.sub("", text)
    if (ranged := _named_range(text)) is not None:
        return ranged
    for found in _BEFORE_DAY.finditer(text):
        said = named_day(text[found.end() :])
        topic = text[: found.start()].strip()
        if said is None or said[1] or not (topic or found[1].lower() == "since"):  # `since aug 1`: its papers
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


# two days that bound a search's (`diffusion from aug 1 to aug 10`, `agents 2026-08-01 - 2026-08-10`,
# `between aug 1 and aug 10`, `aug 1 to aug 10` alone: their papers). The first was taken alone, and
# "to aug 10" searched for
_BETWEEN = re.compile(r"(?:between|from)\s+", re.IGNORECASE)
_UNTIL = re.compile(r"(?:(?:to|until|till|through|thru|and)\b|-|–|\.\.)\s*(?=\S)", re.IGNORECASE)


def starts_a_span(text: str) -> bool:
    """Whether a text after a day goes on to a span's last day (`to aug 10`, `..2026-08-10`)."""
    return _UNTIL.match(text) is not None


def _named_range(text: str) -> tuple[str, Span] | None:
    """The topic around two days that bound it, and their span; None where no two days are named so (a
    weekday is none: `mon to fri` of a search is no span known). A day no calendar has raises `UsageError`."""
    for start in (0, *(space.end() for space in re.finditer(r"\s+", text))):
        head = text[start:]
        after = _BETWEEN.match(head)
        first = named_day(head[after.end() :] if after else head)
        if first is None or not (until := _UNTIL.match(first[1])):
            continue
        last = named_day(first[1][until.end() :]) or _same_month(first[0], first[1][until.end() :])
        if last is None:
            continue
        begins, ends = first[0], last[0]
        for named in (begins, ends):
            if isinstance(named, str):
                raise UsageError(f"{named}. Write a day as 2026-08-20, `aug 20`, `friday` or `yesterday`.")
        if not isinstance(begins, NamedDay) or not isinstance(ends, NamedDay) or begins.ago >= 0 or ends.ago >= 0:
            return None
        if begins.weekday >= 0 or ends.weekday >= 0:
            return None
        said = head[: len(head) - len(last[1])].strip(" ,")
        if until[0].lower().startswith("and") and not after:  # `aug 1 and aug 3`: two days, or the days between?
            raise UsageError(f"“{said}”: for the days from one to the other, write `to` between them.")
        topic = " ".join((text[:start].strip(" ,"), last[1])).strip()
        begins, ends = _with_years(begins, ends, said)
        return topic, Span(begins, only=False, until=ends)
    return None


def _with_years(begins: NamedDay, ends: NamedDay, said: str) -> tuple[NamedDay, NamedDay]:
    """A span's first and last days, the year one gives also the other's (`aug 1 to aug 10, 2025`; `dec 20
    2025 to jan 5`: the January after). `UsageError` for a span that ends before it starts (without years,
    one over a new year may run six months: `oct 1 to jan 1`, not `aug 10 to aug 1`), or a day no
    calendar has."""
    wrapped = (ends.month, ends.day) < (begins.month, begins.day)
    backwards = f"“{said}” ends before it starts: write the first day first."
    if begins.year and not ends.year:
        ends = replace(ends, year=begins.year + wrapped)
    elif ends.year and not begins.year:
        begins = replace(begins, year=ends.year - wrapped)
    elif not begins.year and wrapped and (ends.month == begins.month or (ends.month - begins.month) % 12 > 6):
        raise UsageError(backwards)
    if begins.year and (ends.year, ends.month, ends.day) < (begins.year, begins.month, begins.day):
        raise UsageError(backwards)
    for day in (begins, ends) if begins.year else ():
        if not 1 <= day.year <= 9999:
            raise UsageError(f"“{said}” runs past the calendar's last year, 9999.")
        if why := calendar_fault(f"{day.year:04d}-{day.month:02d}-{day.day:02d}"):
            raise UsageError(f"“{said}” holds a day no calendar has: {why}.")
    return begins, ends


_DAY_ALONE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?=[\s,.;!?]|\Z)")  # `10`, `10, 2025`


def _same_month(begins: NamedDay | str, text: str) -> tuple[NamedDay | str, str] | None:
    """A span's last day written as its number alone, in the first's month (`aug 1 to 10`, `aug 1-10`), and
    the text after it; None where the text starts with no such number."""
    found = _DAY_ALONE.match(text)
    if found is None or not isinstance(begins, NamedDay) or not begins.month:
        return None
    year = found[2] or (str(begins.year) if begins.year else "")
    said = named_day(f"{calendar.month_abbr[begins.month]} {found[1]}{f', {year}' if year else ''}")
    return (said[0], text[found.end() :].strip(" ,")) if said is not None else None
