"""A weekly roundup: the ISO week's papers across its listing days, most upvoted first, for a channel.

It is a digest (the delivery ledger posts it card by card, once) whose papers come from a week
instead of a day, and which says which of the week's listing days the store lacks instead of
passing them off as days without papers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.delivery.digest import Digest, DigestOptions, Matches, fetch_by, filtered, matches
from bot.domain.cards import card
from bot.domain.filters import sought
from bot.domain.models import Paper
from bot.domain.post import Post
from bot.domain.weeks import week_days, week_name
from bot.domain.words import counted, listed
from bot.search.port import SearchIndex
from bot.store.papers import PaperStore

EARLY_HOURS = 12  # before this hour (UTC) a day's listing is said to be still being listed in a roundup


@dataclass(frozen=True)
class WeekMatches:
    """The week's papers that pass a channel's filters, and which weekdays the store has no listing of."""

    monday: date
    found: Matches
    # weekdays up to today that no sync fetched and no import brought, today's (UTC) when it is listed
    # in part, and those not begun in UTC: said, never passed off as the whole week (east of UTC a
    # Friday roundup comes first)
    missing: tuple[date, ...]


async def missing_days(store: PaperStore, monday: date, today: date) -> tuple[date, ...]:
    """The week's weekdays up to `today` the store cannot speak for (`lacking_days`)."""
    days = week_days(monday, today)
    return await lacking_days(store, days[0], days[-1]) if days else ()


async def lacking_days(store: PaperStore, first: date, last: date) -> tuple[date, ...]:
    """The weekdays (Hugging Face lists papers on weekdays) from `first` to `last` the store cannot speak
    for: no papers, and no sync that asked once the day had ended everywhere (never asked, or asked too
    early, when an empty answer is not the last word). Never passed off as days without papers."""
    if last < first:
        return ()
    records = await store.day_records(first, last)
    return tuple(r.day for r in records if r.day.weekday() < 5 and r.listed == 0 and not r.final)


async def week_matches(
    store: PaperStore, search: SearchIndex, options: DigestOptions, monday: date, now: datetime
) -> WeekMatches:
    """Each listing day's matches (the daily digest's filters), merged: a paper listed twice counts once,
    with its upvotes as the store has them now; most upvotes first, then arXiv id. Today's listing (UTC),
    begun but not half over (`EARLY_HOURS`: east of UTC, a Friday roundup in the morning), is said to be
    still being listed; by the afternoon most of a day's papers are in, and a Friday roundup in Europe or
    the Americas says nothing of the few to come."""
    now = now.astimezone(UTC)
    today = now.date()
    papers: dict[str, Paper] = {}
    listed: dict[str, Paper] = {}
    ongoing: list[date] = []  # today's (UTC) listing, begun and not over: the roundup has part of it
    for day in week_days(monday, today):
        for paper in (await matches(store, search, options, day)).papers:
            papers.setdefault(paper.arxiv_id, paper)
        of_day = await store.listing(day)
        listed.update((p.arxiv_id, p) for p in of_day)
        if day >= today and day.weekday() < 5 and of_day and now.hour < EARLY_HOURS:
            ongoing.append(day)
    # and the week's weekdays not begun in UTC: a Friday roundup in Auckland is due on Thursday (UTC)
    ongoing += [d for d in (monday + timedelta(days=n) for n in range(5)) if d > today]
    ranked = sorted(papers.values(), key=lambda p: (-p.upvotes, p.arxiv_id))
    upvoted = sum(1 for p in listed.values() if p.upvotes >= options.min_upvotes)
    most = max((p.upvotes for p in listed.values()), default=0)
    found = Matches(monday, tuple(ranked), len(listed), upvoted, most)
    missing = await missing_days(store, monday, today)
    return WeekMatches(monday, found, tuple(sorted({*missing, *ongoing})))


@dataclass(frozen=True)
class Roundup(Digest):
    """A week's digest: its papers, what the store lacks of the week, and why it is empty when it is."""

    missing: tuple[date, ...] = ()
    upto: date | None = None  # the last day it drew on

    def to_post(self) -> Post:
        assert self.day is not None  # a roundup always has its week's Monday
        return Post(
            header=f"Weekly roundup · {week_name(self.day)}",
            subheader=self._line(),
            cards=tuple(card(p, rank=i) for i, p in enumerate(self.papers, start=1)),
            empty=None if self.papers else self._why_empty(),
            day=self.day,
            notice=lacking(self.missing, self.upto) if self.missing else None,
        )

    def _line(self) -> str:
        """The line under the header (every platform shows it): what the roundup holds, and what the store lacks."""
        line = self._holds()  # (a week with nothing listed says what the store lacks in its empty line)
        return f"{line}. {lacking(self.missing, self.upto)}" if self.missing and self.listed else line

    def _holds(self) -> str:
        if not self.listed:  # of the days the store has: it may lack the others
            return "Hugging Face Daily Papers · " + (
                "no papers of this week in the store" if self.missing else "no papers listed this week"
            )
        parts = [
            f"top {len(self.papers)} of {self.listed} papers this week by upvotes"
            if self.papers
            else f"none of {self.listed} papers this week"
        ]
        if self.options.topics:
            parts.append(filtered(self.options.topics))  # "on diffusion, by Song Han, leaving out video"
        if self.options.min_upvotes:
            parts.append(f"with at least {self.options.min_upvotes} upvotes")
        return "Hugging Face Daily Papers · " + ", ".join(parts)  # "…by upvotes, by Song Han"

    def _why_empty(self) -> str:
        assert self.day is not None
        week = week_name(self.day)
        if self.listed == 0:
            if self.missing:
                return f"The store has no listing of {week} yet: {lacking(self.missing, self.upto)}"
            return f"Hugging Face listed no papers in {week}."
        if self.upvoted == 0:
            return (
                f"None of the {self.listed} papers of {week} has {self.options.min_upvotes} upvotes or more "
                f"(the most has {self.most_upvotes})."
            )
        if self.on_topic == 0:
            return f"None of the papers of {week} is {sought(self.options.topics)}."
        if self.unsent == 0:
            return f"Every paper of {week} that fits this channel's filters reached it before."
        return f"No papers to show from {week}."


def lacking(days: tuple[date, ...], today: date | None = None) -> str:
    """Which listing days the store lacks, and how to get them: never 'no papers' for a day not fetched.
    A day not over yet in UTC (`today` or later: a Friday roundup due Friday morning east of UTC) is one
    Hugging Face is still listing: no sync could bring it sooner."""
    ongoing = tuple(d for d in days if today is not None and d >= today)
    past = tuple(d for d in days if d not in ongoing)
    said = []
    if past:
        said.append(not_fetched(past, operator=False))  # the roundup's header: read in chat
    if ongoing:  # today's listing (UTC) under way, and the days after it not begun (they were "being listed")
        under_way = [f"{d:%A %-d %B} is still being listed on Hugging Face (not over yet in UTC)" for d in ongoing]
        under_way = under_way[:1] if ongoing[0] == today else []
        if later := [f"{d:%A %-d %B}" for d in ongoing if d != today]:
            verb = "is" if len(later) == 1 else "are"
            under_way.append(f"{listed(later)} {verb} still to come on Hugging Face (not begun yet in UTC)")
        said.append(
            f"{', and '.join(under_way)}, so this roundup has only what was listed so far; a later hour, or a"
            " roundup on the day after, takes the whole week in."
        )
    return " ".join(said)


NAMED_AT_MOST = 3  # lacking days named; the rest counted


def not_fetched(days: tuple[date, ...], *, years: bool = False, operator: bool = False) -> str:
    """That these days are not in the store, so their papers are left out, and how to fetch them (`years`:
    each day with its year, for days of any span; `operator`: said to whoever runs paperboy)."""
    form = "%A %-d %B %Y" if years else "%A %-d %B"
    named = [f"{d:{form}}" for d in days[:NAMED_AT_MOST]]
    if len(days) > NAMED_AT_MOST:
        named.append(f"{counted(len(days) - NAMED_AT_MOST, 'more weekday')}")
    names = listed(named)
    if len(days) == 1:
        return (
            f"{names} is not in the store (not fetched from Hugging Face yet), so its papers are left out; "
            f"{fetch_by(f'`paperboy sync --date {days[0].isoformat()}`', operator=operator)}."
        )
    return (
        f"{names} are not in the store (not fetched from Hugging Face yet), so their papers are left out; "
        f"{fetch_by('`paperboy sync --date YYYY-MM-DD`', 'each', operator=operator)}."
    )


def roundup_of(week: WeekMatches, options: DigestOptions, already: set[str], upto: date) -> Roundup:
    """The first `limit` of the week's matches not in `already`, as a roundup."""
    papers = [p for p in week.found.papers if p.arxiv_id not in already]
    base = Digest(
        week.monday,
        tuple(papers[: max(options.limit, 0)]),
        week.found.listed,
        options,
        upvoted=week.found.upvoted,
        on_topic=len(week.found.papers),
        unsent=len(papers),
        most_upvotes=week.found.most_upvotes,
    )
    return Roundup(**{f: getattr(base, f) for f in Digest.__dataclass_fields__}, missing=week.missing, upto=upto)
