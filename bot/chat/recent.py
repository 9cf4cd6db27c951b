"""A search's time words as people type them after its topic: `diffusion this week`, `RL papers from
the last month`, `agents in the past 3 days`, `this week's robotics papers`: the topic, and how many
days back (today included) its papers were listed. Searched as words, they found papers holding
none of them ("None of these papers mentions every word of “diffusion this week”")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.chat.days import Span, resolved, resolved_until
from bot.domain.errors import UsageError
from bot.domain.words import quoted

WEEK = 7
MONTH = 30
YEAR = 365
MOST_DAYS = 366
_UNITS = {"day": 1, "week": WEEK, "month": MONTH, "year": YEAR}
_PERIOD = (
    r"(?:the\s+)?(?P<when>(?:this\s+past|this|last|past)\s+(?:(?P<period>week|month|year)|(?P<count>\d{1,4})\s+"
    r"(?P<unit>day|week|month|year)s?)|(?:past|last)\s+(?P<day>day)|(?P<today>today))"
)
_AFTER = re.compile(
    rf"(?:\A|\s+)(?:(?:from|in|of|during|over|for|within|since)\s+)?{_PERIOD}\s*[?.!]*\s*\Z", re.IGNORECASE
)
_BEFORE = re.compile(  # this week's robotics papers, today diffusion; not "this week in AI", a topic
    rf"\A{_PERIOD}(?:(?:'s|’s)\s+|\s+(?!(?:in|of|on|at|for|with|and|to|from|by)\b))", re.IGNORECASE
)
# `what's new in diffusion`, `any new papers on agents?`: the week's (they were searched over every day)
_NEW = re.compile(r"\A(?:what(?:'s|’s|s|\s+is)|anything|any)\s+new\s+(?:papers?\s+)?(?:in|on|about|for)\s+", re.I)


def _said(text: str) -> tuple[str, int] | None:
    """The text without its time words, and the days they say (1 to `MOST_DAYS`); None without any.
    `UsageError` for a count that says no day or more than `MOST_DAYS` (`past 2 years`): searched as
    words, it found papers holding none of them, and said nothing of the days."""
    if (new := _NEW.match(text)) is not None and (topic := text[new.end() :].rstrip(" ?.!")):
        return _said(topic) or (topic, WEEK)  # `what's new in RL this month`: a month
    for pattern in (_AFTER, _BEFORE):
        found = pattern.search(text)
        if found is None:
            continue
        unit = next(found[name] for name in ("period", "unit", "day", "today") if found[name]).lower()
        days = 1 if unit == "today" else _UNITS[unit] * int(found["count"] or 1)
        if not 1 <= days <= MOST_DAYS:
            words = " ".join(found["when"].split())
            raise UsageError(
                f"“{words}” {'says no day' if days < 1 else 'goes back too far'}: time words reach back 1 to"
                f" {MOST_DAYS} days (`past 3 days`, `this month`, `last year`). Leave them out to search every day."
            )
        rest = (text[: found.start()] + " " + text[found.end() :]).strip()
        return rest, days
    return None


def within(text: str) -> tuple[str, int]:
    """The topic, and the days its papers must have been listed in (0: any day). Time words alone are
    left as typed; `UsageError` for days past `MOST_DAYS` (`_said`)."""
    said = _said(text)
    return said if said is not None and said[0] else (text, 0)


_FILLER = frozenset(
    {"papers", "paper", "new", "latest", "the", "top", "best", "trending", "most", "upvoted", "popular", "show", "me"}
    | {"what's", "whats", "what", "is", "hot", "news", "newest", "anything", "any"}  # `what's trending this week`
)


def only_when(text: str) -> tuple[int, str | None] | None:
    """For a text that says nothing but when (`this week`, `top papers from last week`, `top 20 this
    month`): the days, and how many papers it asks for (`20`, `all`), if it does; None for any other text.
    `UsageError` for days past `MOST_DAYS` (`_said`)."""
    said = _said(text)
    if said is None or (asked := papers_asked(said[0])) is None:
        return None
    return said[1], asked[0]


def papers_asked(text: str) -> tuple[str | None] | None:
    """For a text of only such words as `top 20 papers`, `all papers`, `the latest`: how many papers it
    asks for (`20`, `all`), if it does; None for a text with any other word (a topic)."""
    rest = text.lower().split()
    numbers = [w for w in rest if w.isascii() and w.isdigit()]
    if set(rest) - _FILLER - {"all"} - set(numbers) or len(numbers) > 1 or (numbers and "all" in rest):
        return None
    return (numbers[0] if numbers else "all" if "all" in rest else None,)


def since(today: date, days: int) -> date | None:
    """The first day of the last `days` days, `today` included; None for any day (0)."""
    return today - timedelta(days=days - 1) if days else None


@dataclass(frozen=True)
class Window:
    """The days a search keeps, as of today: from `first` (None: any day), to `last` (None: today)."""

    first: date | None = None
    last: date | None = None
    days: int = 0  # `this week`: the last 7 days; 0 for a named day's (`since monday`, `on friday`)
    today: date | None = field(default=None, compare=False)  # as of which day: a first day after it is to come

    @classmethod
    def of(cls, days: int, span: Span | None, today: date) -> Window:
        """`diffusion this week` (`days`), `agents since monday`, `robotics on friday` and `aug 1 to aug 10`
        (`span`)."""
        if span is None:
            return cls(since(today, days), None, days, today)
        first = resolved(span.first, today, ahead=span.only and span.until is None)  # `diffusion on dec 8`
        if span.until is not None:
            return cls(first, resolved_until(span.until, first, today), today=today)
        return cls(first, first if span.only else None, today=today)

    def listed(self) -> str:
        """What a search's header adds of its days: ", listed in the last 7 days", ", listed on Friday…"."""
        if self.first is None:
            return ""
        if self.days:
            return ", listed today" if self.days == 1 else f", listed in the last {self.days} days"
        return f", listed {self.said()}"

    def said(self) -> str:
        """Its days in words: "on Friday 21 August 2026", "since …", "from … to …"."""
        if self.first is None:
            return ""
        day = f"{self.first:%A %-d %B %Y}"
        if self.last is not None and self.last != self.first:
            return f"from {day} to {self.last:%A %-d %B %Y}"
        return f"{'on' if self.last else 'since'} {day}"

    def none(self, query: str | None, latest: date | None, lacking: str | None = None) -> str | None:
        """What an answer limited to these days that found nothing says (`none_since`); None for any day."""
        if self.first is None:
            return None
        if self.today is not None and self.first > self.today:  # `on aug 20 2027`: not a day the store lacks
            again = "" if query is None else " The same words without the days look at every day."
            span = self.last is not None and self.last != self.first
            days = f"{self.first:%A %-d %B %Y}" + (f" to {self.last:%A %-d %B %Y} are" if span else " is")
            return (
                f"{days} still to come (today is {self.today:%A %-d %B %Y}): Hugging Face lists a day's papers"
                f" on that day.{again}"
            )
        return none_since(query, self.first, latest, self.said(), self.last, lacking)


def none_since(
    query: str | None,
    first: date,
    latest: date | None,
    said: str = "",
    last: date | None = None,
    lacking: str | None = None,
) -> str:
    """What an answer limited to recent days (a search's, or `this week`'s: no `query`) that found
    nothing says: since when (or `said`: on that day alone, from it to another); and, when the store
    holds no day as recent (`latest`: its latest day), that it lacks them, not that no papers were
    listed ("No papers were listed since Sunday", of days no sync had fetched), nor holds the days of a
    span after its latest (`last`: the span's last day); `lacking`: which of its days the store lacks
    (`jun 5 to jun 7` said no papers were listed, of a Friday no sync had fetched), said after the days
    it holds."""
    day = f"{first:%A %-d %B %Y}"
    said = said or f"since {day}"
    again = "" if query is None else " The same words without the days look at every day."
    if latest is None or latest < first:
        held = f"its latest day is {latest:%A %-d %B %Y}" if latest is not None else "it holds no listings yet"
        lacks = f"The store does not hold {day}" if last == first else f"The store holds no day {said}"
        return f"{lacks}: {held}.{again}"
    beyond = f" The store holds no day after {latest:%A %-d %B %Y}." if last is not None and latest < last else ""
    if lacking:
        said, beyond = f"{said}, of the days the store holds", f"{beyond} {lacking}"
    if query is None:
        return f"No papers were listed {said}.{beyond}"
    return f"No paper on {quoted(query)} was listed {said}.{beyond}{again}"
