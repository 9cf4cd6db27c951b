"""Suggestions as a person types: Hugging Face keywords for a topic, paper titles for an id.

Built once from the store's headlines (in a worker thread: at 100,000 papers it takes about a
second) and then answered from memory in a few milliseconds, well inside the 3 s a platform allows:

- topics: the keywords Hugging Face gave the papers (`ai_keywords`), those starting with what was
  typed first, then those with a word starting with it, then any containing it; the most used first.
- papers: titles whose words start with every typed word (the last one may be half typed), or
  ids starting with a typed id; the most upvoted, then the newest, first.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.domain.ids import is_arxiv_id, parse_arxiv_id
from bot.store.headlines import Headline

MAX_CHOICES = 25
NAME_CHARS = 100
_WORD = re.compile(r"\w+")
# the start of an id as typed: new style (`2605.29`), old (`hep-th/99`), after `arXiv:`, before a `v`
_ID_PREFIX = re.compile(r"(?:arxiv:\s*)?(\d{1,4}(?:\.\d{0,5})?|[a-z-]+(?:\.[a-z]{2})?/\d{0,7})(?:v\d*)?", re.ASCII)


@dataclass(frozen=True)
class Suggestion:
    """A choice to offer: `name` is what the person sees (plain text), `value` what the command gets."""

    name: str
    value: str


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class _Postings:
    """Keys in sorted order and, for each, the sorted numbers of the items holding it, in one flat array:
    the items under every key starting with a prefix are one slice of it (found by two bisections)."""

    def __init__(self, keys_of_items: Iterable[Iterable[str]]) -> None:
        keys: list[str] = []
        items: list[int] = []
        for item, held in enumerate(keys_of_items):
            for key in set(held):
                keys.append(key)
                items.append(item)
        self.keys = sorted(set(keys))
        number = {key: i for i, key in enumerate(self.keys)}
        key_numbers = np.fromiter((number[k] for k in keys), dtype=np.int64, count=len(keys))
        order = np.argsort(key_numbers, kind="stable")  # stable: each key's items stay in ascending order
        self.flat = np.asarray(items, dtype=np.int32)[order]
        self.offsets = np.searchsorted(key_numbers[order], np.arange(len(self.keys) + 1))

    def under(self, prefix: str) -> npt.NDArray[np.int32]:
        """The items under keys starting with `prefix` (repeated when under several keys)."""
        lo, hi = _span(self.keys, prefix)
        return self.flat[self.offsets[lo] : self.offsets[hi]]


def _span(ordered: Sequence[str], prefix: str) -> tuple[int, int]:
    return bisect.bisect_left(ordered, prefix), bisect.bisect_left(ordered, prefix + "\U0010ffff")


def _smallest(numbers: npt.NDArray[Any], limit: int) -> list[int]:
    """The `limit` smallest numbers, ascending: the best ranked."""
    if numbers.size > limit:
        numbers = np.partition(numbers, limit - 1)[:limit]
    return [int(n) for n in np.sort(numbers)]


def _shown(text: str, limit: int) -> str:
    """Plain, inert text for a choice: white space folded, no @ that reads as a mention, at most `limit` long."""
    text = " ".join(text.split()).replace("@", "@\u200b")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class SuggestIndex:
    def __init__(self, headlines: Sequence[Headline]) -> None:
        # Papers in rank order: the most upvoted first, then the newest; a paper's number is its rank.
        # NumPy sorts the papers (it lets go of the GIL, which Python's `sorted` holds throughout: a
        # rebuild runs in a thread, and the event loop would wait for each sort of 100k papers).
        # NumPy's strings sort as Python's do, by code point (an arXiv id never ends in NUL).
        ids = np.array([h.arxiv_id for h in headlines], dtype=np.str_)
        upvotes = np.fromiter((h.upvotes for h in headlines), np.int64, len(headlines))
        days = np.fromiter(((h.day or date.min).toordinal() for h in headlines), np.int64, len(headlines))
        order = np.lexsort((ids, -days, -upvotes))
        ranked = [headlines[i] for i in order.tolist()]
        self._ids = [h.arxiv_id for h in ranked]
        self._titles = [" ".join(h.title.split()) for h in ranked]
        self._title_words = _Postings(_words(t) for t in self._titles)
        by_id = np.argsort(ids[order], kind="stable").astype(np.int32)  # ranks, in the order of their ids
        self._sorted_ids = [self._ids[i] for i in by_id.tolist()]
        self._sorted_id_ranks = by_id
        newest = max((h.day for h in ranked if h.day), default=None)
        self._recent = [i for i, h in enumerate(ranked) if newest and h.day == newest][:MAX_CHOICES]
        if not self._recent:
            self._recent = list(range(min(MAX_CHOICES, len(ranked))))
        # Keywords, lower-cased, numbered by use (the most used first), each shown in its most used spelling.
        uses: Counter[str] = Counter()
        for raw, n in Counter(k for h in headlines for k in h.keywords).items():
            if raw.strip():
                uses[" ".join(raw.split())] += n
        spelling: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for keyword, n in uses.most_common():
            spelling.setdefault(keyword.lower(), keyword)
            counts[keyword.lower()] += n
        self._keywords = sorted(spelling, key=lambda low: (-counts[low], low))
        self._keyword_names = [spelling[low] for low in self._keywords]
        by_name = sorted(range(len(self._keywords)), key=self._keywords.__getitem__)
        self._sorted_keywords = [self._keywords[i] for i in by_name]
        self._sorted_keyword_ranks = np.asarray(by_name, dtype=np.int32)
        self._keyword_words = _Postings(_words(low) for low in self._keywords)
        # Every keyword on its own line, in rank order: a substring's first matches are the best ranked.
        self._keyword_text = "\n".join(self._keywords)
        self._keyword_starts = np.cumsum([0] + [len(k) + 1 for k in self._keywords[:-1]], dtype=np.int64)

    @property
    def papers(self) -> int:
        return len(self._ids)

    @property
    def keywords(self) -> int:
        return len(self._keywords)

    def topics(self, typed: str, limit: int = MAX_CHOICES) -> list[Suggestion]:
        query = " ".join(typed.lower().split())
        if not query:
            chosen = list(range(min(limit, len(self._keywords))))
        else:
            lo, hi = _span(self._sorted_keywords, query)
            chosen = _smallest(self._sorted_keyword_ranks[lo:hi], limit)
            words = _words(query)
            if len(chosen) < limit and len(words) == 1:
                more = np.setdiff1d(self._keyword_words.under(words[0]), chosen)  # sorted, each once
                chosen += [int(n) for n in more[: limit - len(chosen)]]
            if len(chosen) < limit and len(query) >= 3:
                chosen += self._containing(query, limit - len(chosen), set(chosen))
        # The name is what Discord shows (an inert @); the value what the search gets: the keyword as written,
        # so one longer than a choice's value may be is left out (cut, picking it searched for another keyword)
        names = [self._keyword_names[i] for i in chosen]
        return [Suggestion(_shown(name, NAME_CHARS), name) for name in names if len(name) <= NAME_CHARS]

    def _containing(self, query: str, wanted: int, taken: set[int]) -> list[int]:
        """The best-ranked keywords containing `query` anywhere, not in `taken`."""
        found: list[int] = []
        at = self._keyword_text.find(query)
        while at != -1 and len(found) < wanted:
            number = int(np.searchsorted(self._keyword_starts, at, side="right")) - 1
            if number not in taken:
                found.append(number)
                taken.add(number)
            next_line = self._keyword_text.find("\n", at)
            if next_line == -1:
                break
            at = self._keyword_text.find(query, next_line + 1)
        return found

    def titles(self, typed: str, limit: int = MAX_CHOICES) -> list[Suggestion]:
        query = typed.strip()
        if is_arxiv_id(query):  # a link, a versioned id or `arXiv:…`, as `/papers paper` takes it
            query = parse_arxiv_id(query)
        chosen: list[int] = []
        if started := _ID_PREFIX.fullmatch(query.lower()):
            lo, hi = _span(self._sorted_ids, started[1])
            chosen = _smallest(self._sorted_id_ranks[lo:hi], limit)
        words = _words(query)
        if not query:
            chosen = self._recent[:limit]
        elif words and len(chosen) < limit:
            chosen += [i for i in self._matching(words, limit) if i not in chosen][: limit - len(chosen)]
        return [self._paper(i) for i in chosen]

    def _matching(self, words: list[str], limit: int) -> list[int]:
        """The best-ranked papers whose title has a word starting with each of `words` (a mask a word)."""
        matches: npt.NDArray[np.bool_] | None = None
        for word in dict.fromkeys(words):
            found = self._title_words.under(word)
            if found.size == 0:
                return []
            mask = np.zeros(len(self._ids), dtype=np.bool_)
            mask[found] = True
            matches = mask if matches is None else np.logical_and(matches, mask, out=matches)
        if matches is None:
            return []
        return [int(i) for i in np.flatnonzero(matches)[: limit + 1]]

    def _paper(self, i: int) -> Suggestion:
        arxiv_id = self._ids[i]
        tail = f" ({arxiv_id})"
        return Suggestion(_shown(self._titles[i], NAME_CHARS - len(tail)) + tail, arxiv_id)
