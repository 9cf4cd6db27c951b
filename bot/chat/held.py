"""What the store holds of a span of days a chat answer covers (`jun 5 to jun 7`, `diffusion this week`):
the weekdays it lacks are named, with how to fetch them, and days before its first are said so in one
line. A span that found nothing said "No papers were listed" of days no sync had fetched, and one that
found some left such days out without a word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.chat.recent import Window
from bot.delivery.digest import no_listing
from bot.delivery.roundup import lacking_days, not_fetched
from bot.store.papers import DayRecord, PaperStore


@dataclass(frozen=True)
class Held:
    """What to say of a span's days the store lacks (None: it lacks none), and whether it holds none of
    the span's weekdays (then that is all there is to say: not "no papers were listed")."""

    said: str | None = None
    none: bool = False


async def span_held(store: PaperStore, first: date, last: date, *, operator: bool = False) -> Held:
    """What the store holds of the days from `first` to `last` (both included; the caller keeps `last`
    within the store's latest day and today); `operator`: said to whoever runs paperboy (`paperboy
    search`), who is told to run the command that fetches a day, else in chat, who can."""
    earliest = await store.earliest_day()
    if earliest is None or last < first:
        return Held()
    lacking = await lacking_days(store, max(first, earliest), last)
    said = [f"The store's papers begin on {earliest:%A %-d %B %Y}: the days before are not in it."]
    said = (said if first < earliest else []) + (
        [not_fetched(lacking, years=True, operator=operator)] if lacking else []
    )
    before = _weekdays(first, min(last, earliest - timedelta(days=1)))
    return Held(" ".join(said) or None, none=bool(said) and _weekdays(first, last) == before + len(lacking))


async def window_held(store: PaperStore, window: Window, today: date, *, operator: bool = False) -> Held:
    """`span_held` of a search's days up to the store's latest and `today` (the days after it are said
    so by `Window.none`)."""
    if window.first is None:  # (most searches: no query of the store)
        return Held()
    if (latest := await store.latest_day()) is None:
        return Held()
    return await span_held(store, window.first, min(window.last or latest, latest, today), operator=operator)


async def found_within(
    store: PaperStore, window: Window, lacking: Held, today: date, *, operator: bool = False
) -> str | None:
    """What a search of days that found papers says of the days it lacks: those among the store's
    (`lacking`, from `window_held`), and the weekdays after its latest day, up to yesterday (today's
    listing may still be to come): `agents from aug 17 to sep 30` over a store ending on 21 August read as
    five weeks without a paper on agents. None where it lacks none."""
    latest = await store.latest_day() if window.first is not None else None
    if window.first is None or latest is None:
        return lacking.said
    last = min(window.last or today, today - timedelta(days=1))
    after = await lacking_days(store, max(window.first, latest + timedelta(days=1)), last)
    told = not_fetched(after, years=True, operator=operator) if after else None
    return " ".join(filter(None, (lacking.said, told))) or None


async def none_within(
    store: PaperStore, query: str, window: Window, lacking: Held, *, operator: bool = False
) -> str | None:
    """What a search of days that found nothing says (chat's and `paperboy search`'s): of one day before
    the store's latest that it lacks, that it lacks it, as `aug 22` alone says it (`diffusion on
    2026-05-26` said no paper on diffusion was listed that day), and of one a sync asked Hugging Face for,
    even after the latest, what it answered (`agents on dec 4` said the store does not hold a day it
    listed no papers on); of days it lacks, which (`lacking`, from
    `window_held`); of days after its latest, which that is (`none_since`). `operator`: as `span_held`'s."""
    latest = await store.latest_day()
    if window.first is not None and window.first == window.last and latest is not None:
        record = await store.day_record(window.first)  # (after the latest: one a sync found empty, said so)
        if record.listed == 0 and (window.first < latest or record.fetched_at is not None):
            return f"{no_listing(record, operator=operator)} The same words without the days look at every day."
    if lacking.none and lacking.said:  # no day of them held: which, not "no paper on it was listed"
        return f"{lacking.said} The same words without the days look at every day."
    return window.none(query, latest, lacking.said)


def _weekdays(first: date, last: date) -> int:
    """How many weekdays (Hugging Face's listing days) there are from `first` to `last`, both included."""
    return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)


def not_today(record: DayRecord, instead: str = "here is the latest day with papers") -> str:
    """Why `/papers today` shows an earlier day (`instead`: what it does): today is not in the store yet,
    or has no papers."""
    when = f"{record.day:%A %-d %B}"
    if record.fetched_at is None:
        weekend = " (a weekend day: Hugging Face lists papers on weekdays)" if record.day.weekday() >= 5 else ""
        why = f"Today ({when}) is not in the store yet{weekend}"
    elif not record.final:
        why = f"Hugging Face has listed no papers for today ({when}) yet"
    else:
        weekend = ", a weekend day" if record.day.weekday() >= 5 else ""
        why = f"Hugging Face listed no papers today ({when}{weekend})"
    return f"{why}: {instead}."


async def today_held(store: PaperStore, window: Window) -> tuple[Window, str | None]:
    """A search of today's papers (`diffusion today`) before today's are in: of the latest day with
    papers, saying so, as `today` shows that day (it answered that the store holds no day since today,
    while `today` showed Friday's papers); else the window as asked, and None. Chat's and `paperboy
    search`'s alike (the command answered nothing where chat answered Friday's)."""
    latest = await store.latest_day() if window.days == 1 and window.today is not None else None
    if latest is None or window.today is None or latest >= window.today:
        return window, None
    record = await store.day_record(window.today)
    return Window(latest, latest, today=window.today), not_today(record, f"searched the latest, {latest:%A %-d %B}")
