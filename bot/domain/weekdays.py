"""Which days of the week a subscription runs: `mon-fri`, `mon,wed,fri`, `daily`, `weekends`."""

from __future__ import annotations

import difflib

_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALIASES = {
    "daily": "mon-sun",
    "everyday": "mon-sun",
    "weekdays": "mon-fri",
    "weekday": "mon-fri",
    "weekends": "sat-sun",
    "weekend": "sat-sun",
}


def parse_days(text: str) -> frozenset[int]:
    """Weekday numbers (Monday is 0); raises ValueError with an example on anything else."""
    spec = _ALIASES.get(text.strip().lower().replace(" ", ""), text.strip().lower())
    days: set[int] = set()
    for part in (p.strip() for p in spec.split(",")):
        first, dash, last = part.partition("-")
        try:
            start = _NAMES.index(parse_weekday(first))
            end = _NAMES.index(parse_weekday(last)) if dash else start
        except ValueError:
            raise ValueError(not_days(text)) from None
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
        days.update(span)
    return frozenset(days)


def digest_days(text: str) -> frozenset[int]:
    """The days of a daily digest, as `parse_days` reads them, holding a weekday: Hugging Face lists
    papers on weekdays only, so a digest on Saturday and Sunday alone would never come (each was
    skipped, "Hugging Face listed no papers", and the channel heard nothing). ValueError, in words."""
    days = parse_days(text)
    if days.isdisjoint(range(5)):
        raise ValueError(
            f"{text!r} holds no weekday: Hugging Face lists papers on weekdays only, so a digest on those days"
            " would never come (try mon-fri; a weekly roundup, the week's papers, may come on a Saturday)"
        )
    return days


def not_days(text: str) -> str:
    """What to say of a text that is no set of days."""
    return f"{text!r} is not a set of days (try mon-fri, mon,wed,fri or daily)"


def format_days(days: frozenset[int]) -> str:
    if days == frozenset(range(7)):
        return "every day"
    if days == frozenset(range(5)):
        return "Monday to Friday"
    return ", ".join(_NAMES[d].capitalize() for d in sorted(days))


def parse_weekday(text: str) -> str:
    """One day of the week (`fri`, `Friday`) as its three-letter name; ValueError with an example otherwise."""
    word = text.strip().lower()
    if len(word) < 3 or word[:3] not in _NAMES or not _FULL[_NAMES.index(word[:3])].startswith(word):
        raise ValueError(f"{text!r} is not a day of the week (try fri, or friday)")
    return word[:3]


def plural_day(name: str) -> str:
    """`fri` → `Fridays`: when a weekly roundup comes."""
    return _FULL[_NAMES.index(name[:3])].capitalize() + "s"


_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def looks_like_a_day(word: str) -> bool:
    """Whether a word is a try at a day of the week, mistyped or not (`fridays`, `Fr`, `funday`, `sat-sun`)."""
    first = word.lower().split("-")[0]
    return bool(difflib.get_close_matches(first, (*_FULL, *_NAMES), n=1, cutoff=0.7))
