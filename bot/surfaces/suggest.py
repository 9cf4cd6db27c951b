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
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.store.headlines import Headline

MAX_CHOICES = 25
NAME_CHARS = 100
_WORD = re.compile(r"\w+")
_ID_PREFIX = re.compile(r"\d{1,4}(?:\.\d{0,5})?", re.ASCII)
_SCAN = 20_000  # above this many candidates, walk the papers in rank order instead (common words end it early)


@dataclass(frozen=True)
class Suggestion:
    """A choice to offer: `name` is what the person sees (plain text), `value` what the command gets."""

    name: str
    value: str


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class _Prefixes:
    """Sorted keys with, for each, a list of item numbers: every item under keys starting with a prefix."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        grouped: dict[str, list[int]] = {}
        for key, item in pairs:
            grouped.setdefault(key, []).append(item)
        self.keys = sorted(grouped)
        self.items = [sorted(set(grouped[k])) for k in self.keys]
        self.sizes = [0]
        for found in self.items:
            self.sizes.append(self.sizes[-1] + len(found))

    def span(self, prefix: str) -> tuple[int, int]:
        return bisect.bisect_left(self.keys, prefix), bisect.bisect_left(self.keys, prefix + "\U0010ffff")

    def size(self, prefix: str) -> int:
        """How many (key, item) pairs lie under `prefix`: an upper bound on its items, in O(log n)."""
        lo, hi = self.span(prefix)
        return self.sizes[hi] - self.sizes[lo]

    def under(self, prefix: str) -> set[int]:
        lo, hi = self.span(prefix)
        found: set[int] = set()
        for items in self.items[lo:hi]:
            found.update(items)
        return found


def _shown(text: str, limit: int) -> str:
    """Plain, inert text for a choice: white space folded, no @ that reads as a mention, at most `limit` long."""
    text = " ".join(text.split()).replace("@", "@\u200b")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class SuggestIndex:
    def __init__(self, headlines: Sequence[Headline]) -> None:
        # Papers in rank order: the most upvoted first, then the newest; a paper's number is its rank.
        ranked = sorted(headlines, key=lambda h: (-h.upvotes, -(h.day or date.min).toordinal(), h.arxiv_id))
        self._ids = [h.arxiv_id for h in ranked]
        self._titles = [" ".join(h.title.split()) for h in ranked]
        self._spaced = [" " + " ".join(_words(t)) for t in self._titles]  # " w1 w2 …": a word prefix is " "+prefix
        self._words = _Prefixes((w, i) for i, t in enumerate(self._titles) for w in set(_words(t)))
        self._by_id = sorted((a, i) for i, a in enumerate(self._ids))
        newest = max((h.day for h in ranked if h.day), default=None)
        self._recent = [i for i, h in enumerate(ranked) if newest and h.day == newest][:MAX_CHOICES]
        if not self._recent:
            self._recent = list(range(min(MAX_CHOICES, len(ranked))))
        # Keywords: each spelling once (the most used spelling of a lower-cased keyword), most used first.
        uses = Counter(" ".join(k.split()) for h in headlines for k in h.keywords if k.strip())
        spelling: dict[str, str] = {}
        for keyword, _ in uses.most_common():
            spelling.setdefault(keyword.lower(), keyword)
        counts = Counter(dict.fromkeys(spelling, 0))
        for keyword, n in uses.items():
            counts[keyword.lower()] += n
        self._keywords = sorted(spelling, key=lambda low: (-counts[low], low))  # by use; a keyword's number
        self._keyword_names = [spelling[low] for low in self._keywords]
        numbered = list(enumerate(self._keywords))
        self._keyword_starts = _Prefixes((low, i) for i, low in numbered)
        self._keyword_words = _Prefixes((w, i) for i, low in numbered for w in set(_words(low)))

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
            chosen = heapq.nsmallest(limit, self._keyword_starts.under(query))
            if len(chosen) < limit:
                words = _words(query)
                more = self._keyword_words.under(words[-1]) if len(words) == 1 else set()
                chosen += heapq.nsmallest(limit - len(chosen), more - set(chosen))
            if len(chosen) < limit and len(query) >= 3:
                taken = set(chosen)
                chosen += [i for i, low in enumerate(self._keywords) if query in low and i not in taken][
                    : limit - len(chosen)
                ]
        return [
            Suggestion(_shown(self._keyword_names[i], NAME_CHARS), _shown(self._keyword_names[i], NAME_CHARS))
            for i in chosen
        ]

    def titles(self, typed: str, limit: int = MAX_CHOICES) -> list[Suggestion]:
        query = typed.strip()
        chosen: list[int] = []
        if _ID_PREFIX.fullmatch(query):
            lo = bisect.bisect_left(self._by_id, (query,))
            hi = bisect.bisect_left(self._by_id, (query + "\U0010ffff",))
            chosen = heapq.nsmallest(limit, (i for _, i in self._by_id[lo:hi]))
        words = _words(query)
        if not query:
            chosen = self._recent[:limit]
        elif words and len(chosen) < limit:
            chosen += [i for i in self._matching(words, limit) if i not in chosen][: limit - len(chosen)]
        return [self._paper(i) for i in chosen]

    def _matching(self, words: list[str], limit: int) -> list[int]:
        """The best-ranked papers whose title has a word starting with each of `words`."""
        rarest = min(words, key=self._words.size)
        needles = [" " + w for w in words if w != rarest]
        if self._words.size(rarest) > _SCAN:  # only common words: walk the ranking, it ends early
            needles.append(" " + rarest)
            candidates: Iterable[int] = range(len(self._ids))
        else:
            candidates = sorted(self._words.under(rarest))
        found: list[int] = []
        for i in candidates:
            spaced = self._spaced[i]
            if all(n in spaced for n in needles):
                found.append(i)
                if len(found) == limit:
                    break
        return found

    def _paper(self, i: int) -> Suggestion:
        arxiv_id = self._ids[i]
        tail = f" ({arxiv_id})"
        return Suggestion(_shown(self._titles[i], NAME_CHARS - len(tail)) + tail, arxiv_id)
