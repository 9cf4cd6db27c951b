"""The daily digest: a listing day's papers, ranked as Hugging Face ranks them, filtered for a channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import date

from bot.domain.cards import card
from bot.domain.filters import by_author, sought, split_filters
from bot.domain.models import Paper
from bot.domain.post import Post
from bot.search.port import SearchFilters, SearchIndex
from bot.store.papers import DayRecord, PaperStore

# The delivery ledger fills this hook: which of these ids has this channel already been sent?
Delivered = Callable[[Collection[str]], Awaitable[set[str]]]


@dataclass(frozen=True)
class DigestOptions:
    topics: tuple[str, ...] = ()
    limit: int = 10
    min_upvotes: int = 0
    reader: str = "this channel"  # who the digest is for, as an empty one says it ("you": a person's follows)
    operator: bool = True  # read by whoever runs paperboy (a command, a log), else in chat: who can fetch a day


@dataclass(frozen=True)
class Digest:
    """A day's papers for a reader, and, for each filter, how many papers it let through, so that an
    empty digest says which one left nothing (a day with no listing, min upvotes, topics, or papers
    the channel already had)."""

    day: date | None
    papers: tuple[Paper, ...]
    listed: int  # how many papers the day had before filters
    options: DigestOptions
    upvoted: int | None = None  # of those, how many had at least min_upvotes (None: not counted)
    on_topic: int | None = None  # of those, how many are on one of the topics (all, without topics)
    unsent: int | None = None  # of those, how many the channel had not been sent on another day
    most_upvotes: int = 0  # the most upvotes any of the day's papers has
    record: DayRecord | None = None  # for a day with no listings: what the store knows of it

    def to_post(self) -> Post:
        return Post(
            header=header(self.day),
            subheader=self._subheader(),
            cards=tuple(card(p, rank=i) for i, p in enumerate(self.papers, start=1)),
            empty=None if self.papers else self._empty(),
            day=self.day,
        )

    def _subheader(self) -> str:
        if not self.listed:  # said as `_empty` says it: a day the store lacks is no day without papers
            stored = self.day is not None and (self.record is None or self.record.fetched_at is not None)
            pending = self.record is not None and self.record.fetched_at is not None and not self.record.final
            said = "not in the store" if not stored else "no papers listed yet" if pending else "no papers listed"
            return f"Hugging Face Daily Papers · {said}"
        parts = [f"{len(self.papers)} of {self.listed} papers"]
        if self.options.topics:
            parts.append(filtered(self.options.topics))
        if self.options.min_upvotes:
            parts.append(f"with at least {self.options.min_upvotes} upvotes")
        return "Hugging Face Daily Papers · " + " ".join(parts)

    def _empty(self) -> str:
        if self.day is None:
            fetch = "`paperboy sync` or `paperboy import`"
            return f"No papers yet: {fetch_by(fetch, 'some', operator=self.options.operator)}."
        if self.listed == 0:
            return no_listing(self.record or DayRecord(self.day, 0, None), operator=self.options.operator)
        on = f"listed on {self.day:%A %-d %B %Y}"
        upvoted = self.listed if self.upvoted is None else self.upvoted
        if upvoted == 0:
            return (
                f"None of the {_papers(self.listed)} {on} has {self.options.min_upvotes} upvotes or more "
                f"(the most has {self.most_upvotes})."
            )
        with_upvotes = f" with at least {self.options.min_upvotes} upvotes" if self.options.min_upvotes else ""
        on_topic = upvoted if self.on_topic is None else self.on_topic
        if on_topic == 0:
            return f"None of the {_papers(upvoted)}{with_upvotes} {on} is {sought(self.options.topics)}."
        if self.unsent == 0:
            about = f" {filtered(self.options.topics)}" if self.options.topics else ""
            every = "The only paper" if on_topic == 1 else f"All {on_topic} papers"
            return f"{every}{about}{with_upvotes} {on} reached {self.options.reader} on an earlier day."
        return f"No papers to show from the {_papers(self.listed)} {on}."


def fetch_by(command: str, what: str = "it", *, operator: bool = False) -> str:
    """How what the store lacks is fetched: to whoever runs paperboy (`operator`), run the command; in
    chat, who can (its people cannot run paperboy's commands)."""
    return f"run {command} to fetch {what}" if operator else f"whoever runs paperboy can fetch {what} with {command}"


def no_listing(record: DayRecord, *, operator: bool = False) -> str:
    """Why a day has no papers: Hugging Face listed none, has listed none yet, or the store lacks the day
    (`operator`: said to whoever runs paperboy, who can fetch it; else in chat, saying who can)."""
    when = f"{record.day:%A %-d %B %Y}"
    if record.fetched_at is None:
        weekend = (
            f" (a {record.day:%A}: Hugging Face lists papers on weekdays, so it most likely had none)"
            if record.day.weekday() >= 5
            else ""
        )
        sync = f"`paperboy sync --date {record.day.isoformat()}`"
        return f"{when} is not in the store{weekend}: {fetch_by(sync, operator=operator)}."
    if not record.final:
        return (
            f"Hugging Face had listed no papers for {when} when last asked "
            f"({record.fetched_at:%-d %B %H:%M} UTC); they may still come."
        )
    weekend = " (it lists papers on weekdays)" if record.day.weekday() >= 5 else ""
    return f"Hugging Face listed no papers on {when}{weekend}."


def filtered(topics: tuple[str, ...]) -> str:
    """The filters as the subheader says them: “on diffusion, robots”, “by LeCun”, “leaving out robotics”."""
    filters = split_filters(topics)
    said = [f"on {', '.join(filters.topics)}"] if filters.topics else []
    said += [f"by {', '.join(filters.authors)}"] if filters.authors else []
    said += [f"leaving out {', '.join(filters.left_out)}"] if filters.excluded else []
    return ", ".join(said)


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"


def header(day: date | None) -> str:
    return f"Daily Papers · {day:%A %-d %B %Y}" if day else "Daily Papers"


@dataclass(frozen=True)
class Matches:
    """A day's papers that pass a set of filters, ranked: what every channel with those filters starts from."""

    day: date
    papers: tuple[Paper, ...]
    listed: int  # how many papers the day had before filters
    upvoted: int  # of those, how many had at least min_upvotes
    most_upvotes: int  # the most upvotes any of the day's papers has
    record: DayRecord | None = None  # of a day with no papers: whether Hugging Face listed none, or it is not stored


async def matches(store: PaperStore, search: SearchIndex, options: DigestOptions, day: date) -> Matches:
    """The day's papers with at least `min_upvotes`, on any of the topics or by any of the `author:`
    filters (all papers when there are neither), and on none of the `-exclusions` (bot.domain.filters).

    The channel's `limit` plays no part, so channels whose topics and upvotes agree can share one.
    """
    listed = await store.listing(day)
    papers = [p for p in listed if p.upvotes >= options.min_upvotes]
    upvoted = len(papers)
    filters = split_filters(options.topics)
    if filters.narrowed and papers:
        wanted = await _on_topics(search, papers, filters.topics)
        wanted.update(p.arxiv_id for p in papers if any(by_author(p.authors, name) for name in filters.authors))
        papers = [p for p in papers if p.arxiv_id in wanted]
    if filters.excluded and papers:
        unwanted = await _on_topics(search, papers, filters.excluded)
        papers = [p for p in papers if p.arxiv_id not in unwanted]
    most = max((p.upvotes for p in listed), default=0)
    record = None if listed else await store.day_record(day)  # "listed none" and "not stored" are told apart
    return Matches(day, tuple(papers), len(listed), upvoted, most, record)


async def _on_topics(search: SearchIndex, papers: Collection[Paper], topics: Collection[str]) -> set[str]:
    """Which of `papers` are on any of `topics` (every word of a topic matching)."""
    within = frozenset(p.arxiv_id for p in papers)
    found: set[str] = set()
    for topic in topics:
        hits = await search.search(topic, SearchFilters(within=within, require_all=True), limit=len(within))
        found.update(hit.paper.arxiv_id for hit in hits)
    return found


def digest_of(found: Matches, options: DigestOptions, already: Collection[str] = ()) -> Digest:
    """The first `limit` of the matches, leaving out `already` (papers the channel has been sent)."""
    papers = [p for p in found.papers if p.arxiv_id not in already]
    return Digest(
        found.day,
        tuple(papers[: max(options.limit, 0)]),
        found.listed,
        options,
        upvoted=found.upvoted,
        on_topic=len(found.papers),
        unsent=len(papers),
        most_upvotes=found.most_upvotes,
        record=found.record,
    )


async def build_digest(
    store: PaperStore,
    search: SearchIndex,
    options: DigestOptions,
    day: date | None = None,
    delivered: Delivered | None = None,
) -> Digest:
    """The digest for `day` (default: the latest day with papers)."""
    if day is None:
        day = await store.latest_day()
        if day is None:
            return Digest(None, (), 0, options)
    found = await matches(store, search, options, day)
    already = await delivered([p.arxiv_id for p in found.papers]) if delivered is not None and found.papers else set()
    return digest_of(found, options, already)
