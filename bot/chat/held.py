"""What the store holds of a span of days a chat answer covers (`jun 5 to jun 7`, `diffusion this week`):
the weekdays it lacks are named, with how to fetch them, and days before its first are said so in one
line. A span that found nothing said "No papers were listed" of days no sync had fetched, and one that
found some left such days out without a word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.delivery.roundup import lacking_days, not_fetched
from bot.store.papers import PaperStore


@dataclass(frozen=True)
class Held:
    """What to say of a span's days the store lacks (None: it lacks none), and whether it holds none of
    the span's weekdays (then that is all there is to say: not "no papers were listed")."""

    said: str | None = None
    none: bool = False


async def span_held(store: PaperStore, first: date, last: date) -> Held:
    """What the store holds of the days from `first` to `last` (both included; the caller keeps `last`
    within the store's latest day and today)."""
    earliest = await store.earliest_day()
    if earliest is None or last < first:
        return Held()
    lacking = await lacking_days(store, max(first, earliest), last)
    said = [f"The store's papers begin on {earliest:%A %-d %B %Y}: the days before are not in it."]
    said = (said if first < earliest else []) + ([not_fetched(lacking, years=True)] if lacking else [])
    before = _weekdays(first, min(last, earliest - timedelta(days=1)))
    return Held(" ".join(said) or None, none=bool(said) and _weekdays(first, last) == before + len(lacking))


def _weekdays(first: date, last: date) -> int:
    """How many weekdays (Hugging Face's listing days) there are from `first` to `last`, both included."""
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)
