"""The daily digest: a listing day's papers, ranked as Hugging Face ranks them, filtered for a channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import date

from bot.cards import card
from bot.models import Paper
from bot.post import Post
from bot.search.port import SearchFilters, SearchIndex
from bot.store.papers import PaperStore

# The delivery ledger fills this hook: which of these ids has this channel already been sent?
Delivered = Callable[[Collection[str]], Awaitable[set[str]]]


@dataclass(frozen=True)
class DigestOptions:
    topics: tuple[str, ...] = ()
    limit: int = 10
    min_upvotes: int = 0


@dataclass(frozen=True)
class Digest:
    day: date | None
    papers: tuple[Paper, ...]
    listed: int  # how many papers the day had before filters
    options: DigestOptions

    def to_post(self) -> Post:
        return Post(
            header=header(self.day),
            subheader=self._subheader(),
            cards=tuple(card(p, rank=i) for i, p in enumerate(self.papers, start=1)),
            empty=None if self.papers else self._empty(),
            day=self.day,
        )

    def _subheader(self) -> str:
        parts = [f"{len(self.papers)} of {self.listed} papers" if self.papers else f"{self.listed} papers listed"]
        if self.options.topics:
            parts.append("on " + ", ".join(self.options.topics))
        if self.options.min_upvotes:
            parts.append(f"with at least {self.options.min_upvotes} upvotes")
        return "Hugging Face Daily Papers · " + " ".join(parts)

    def _empty(self) -> str:
        if self.day is None:
            return "No papers yet: run `paperboy sync` or `paperboy import` to fetch some."
        if self.listed == 0:
            weekend = " (Hugging Face lists papers on weekdays)" if self.day.weekday() >= 5 else ""
            return f"No papers were listed on {self.day:%A %-d %B %Y}{weekend}."
        return "None of the day's papers matched this channel's topics and filters."


def header(day: date | None) -> str:
    return f"Daily Papers · {day:%A %-d %B %Y}" if day else "Daily Papers"


@dataclass(frozen=True)
class Matches:
    """A day's papers that pass a set of filters, ranked: what every channel with those filters starts from."""

    day: date
    papers: tuple[Paper, ...]
    listed: int  # how many papers the day had before filters


async def matches(store: PaperStore, search: SearchIndex, options: DigestOptions, day: date) -> Matches:
    """The day's papers with at least `min_upvotes`, on any of the `topics` (all papers when there are none).

    The channel's `limit` plays no part, so channels whose topics and upvotes agree can share one.
    """
    listed = await store.listing(day)
    papers = [p for p in listed if p.upvotes >= options.min_upvotes]
    if options.topics and papers:
        within = frozenset(p.arxiv_id for p in papers)
        wanted: set[str] = set()
        for topic in options.topics:
            hits = await search.search(topic, SearchFilters(within=within, require_all=True), limit=len(within))
            wanted.update(hit.paper.arxiv_id for hit in hits)
        papers = [p for p in papers if p.arxiv_id in wanted]
    return Matches(day, tuple(papers), len(listed))


def digest_of(found: Matches, options: DigestOptions, already: Collection[str] = ()) -> Digest:
    """The first `limit` of the matches, leaving out `already` (papers the channel has been sent)."""
    papers = [p for p in found.papers if p.arxiv_id not in already]
    return Digest(found.day, tuple(papers[: max(options.limit, 0)]), found.listed, options)


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
