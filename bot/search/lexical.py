"""A lexical index: BM25F over title, keywords, AI summary, abstract and authors, in memory.

Per-field term frequencies are length-normalised, weighted and summed, then saturated once (BM25F),
so a word in the title counts for more than the same word in the abstract. The score is then
nudged, gently, towards papers that match more of the query, are recent and have upvotes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.models import Paper
from bot.search.port import SearchFilters, SearchHit
from bot.search.query import Query, parse_query
from bot.search.text import term_counts, words

K1 = 1.2
FIELDS: dict[str, tuple[float, float]] = {  # field: (weight, length normalisation b)
    "title": (3.0, 0.5),
    "keywords": (2.0, 0.3),
    "ai_summary": (1.5, 0.6),
    "abstract": (1.0, 0.75),
    "authors": (1.5, 0.0),
}
RECENCY_HALF_LIFE_DAYS = 180.0
RECENCY_WEIGHT = 0.15
UPVOTE_WEIGHT = 0.15
BUILD_CHUNK = 2000  # papers tokenised into one batch of arrays
VERIFY_AT_MOST = 5000  # candidates checked for a quoted phrase or an author, best first


@lru_cache(maxsize=256)
def _phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase's words with only non-word characters between them, as whole words: the same test
    as comparing `words()` sequences, without tokenising every candidate's text."""
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, phrase)) + r"(?![^\W_])")


def _has_phrase(paper: Paper, phrase: tuple[str, ...]) -> bool:
    pattern = _phrase_pattern(phrase)
    return any(
        pattern.search(unicodedata.normalize("NFKC", _field_text(paper, f)).casefold())
        for f in ("title", "ai_summary", "abstract", "keywords")
    )


def _has_author(paper: Paper, names: tuple[str, ...]) -> bool:
    """One author whose name holds all these words (so author:zamani and author:"hamed zamani" both work)."""
    return any(set(names) <= set(words(author)) for author in paper.authors)


def _field_text(paper: Paper, field: str) -> str:
    if field == "keywords":
        return " ".join(paper.ai_keywords)
    if field == "authors":
        return " ".join(paper.authors)
    if field == "ai_summary":
        return paper.ai_summary or ""
    return str(getattr(paper, field))


@dataclass(frozen=True)
class _Postings:
    """Every term's postings in three flat arrays: term t owns [offsets[t], offsets[t + 1])."""

    vocabulary: dict[str, int]
    offsets: npt.NDArray[np.int64]
    docs: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]  # saturated BM25F weight of the term in that doc
    average: dict[str, float]  # the field lengths the weights were normalised by

    def get(self, term: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]] | None:
        t = self.vocabulary.get(term)
        if t is None:
            return None
        lo, hi = self.offsets[t], self.offsets[t + 1]
        return self.docs[lo:hi], self.weights[lo:hi]


class LexicalIndex:
    """Built once from a list of papers; `search` is pure and cheap (one pass over each term's postings).

    `extend` adds or replaces papers without rebuilding: the new ones get postings of their own
    (normalised by the main index's field lengths, so scores stay comparable), replaced ones are
    masked out, and document frequencies count both.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._papers = list(papers)
        self._position = {p.arxiv_id: i for i, p in enumerate(self._papers)}
        self._postings = _build(self._papers)
        self._added: _Postings | None = None
        self._added_papers: list[Paper] = []
        self._alive = np.ones(len(self._papers), dtype=bool)
        self._author_words = _author_words(self._papers)
        self._priors()

    def _priors(self) -> None:
        n = len(self._papers)
        days = [p.day for p in self._papers]
        self._day = np.array([d.toordinal() if d else 0 for d in days], dtype=np.int32)
        self._upvotes = np.array([p.upvotes for p in self._papers], dtype=np.int32)
        self._today = int(self._day.max()) if n else 0
        top = float(self._upvotes.max()) if n else 0.0
        age = np.maximum(self._today - self._day, 0).astype(np.float32)
        recency = np.where(self._day > 0, 0.5 ** (age / RECENCY_HALF_LIFE_DAYS), 0.0)
        popularity = np.log1p(self._upvotes) / math.log1p(top) if top > 0 else np.zeros(n)
        self._prior = (1.0 + RECENCY_WEIGHT * recency + UPVOTE_WEIGHT * popularity).astype(np.float32)

    def __len__(self) -> int:
        return int(self._alive.sum())

    @property
    def size(self) -> int:
        """Positions in use, replaced versions included (the length of every per-position array)."""
        return len(self._papers)

    def position(self, arxiv_id: str) -> int:
        """The current position of this paper, or -1."""
        return self._position.get(arxiv_id, -1)

    def current(self) -> list[Paper]:
        """The papers searchable now (replaced versions left out)."""
        return [p for p, alive in zip(self._papers, self._alive.tolist(), strict=True) if alive]

    @property
    def added(self) -> int:
        """How many papers came in through `extend` since the index was built."""
        return len(self._added_papers)

    def extend(self, papers: Sequence[Paper]) -> None:
        """Make these papers searchable now: new ones added, known ones replaced by their new version."""
        for paper in papers:
            old = self._position.get(paper.arxiv_id)
            if old is not None:
                self._alive[old] = False
            self._position[paper.arxiv_id] = len(self._papers)
            self._papers.append(paper)
            self._added_papers.append(paper)
            for word in {w for author in paper.authors for w in words(author)}:
                self._author_words[word] = np.append(
                    self._author_words.get(word, np.zeros(0, np.int32)), len(self._papers) - 1
                )
        self._alive = np.concatenate([self._alive, np.ones(len(self._papers) - len(self._alive), dtype=bool)])
        start = len(self._papers) - len(self._added_papers)
        self._added = _build(self._added_papers, self._postings.average, offset=start)
        self._priors()

    def _term(self, term: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]] | None:
        main = self._postings.get(term)
        extra = self._added.get(term) if self._added is not None else None
        if main is None or extra is None:
            return main or extra
        return np.concatenate([main[0], extra[0]]), np.concatenate([main[1], extra[1]])

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        return self.search_now(query, filters, limit)

    def search_now(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        parsed = parse_query(query)
        if parsed.empty or not self._papers or limit <= 0:
            return []
        final, keep = self.scores(parsed, filters)
        ranked = self.ranked(final, keep, limit if not parsed.phrases and not parsed.authors else VERIFY_AT_MOST)
        return self.verified(parsed, ranked, final, limit)

    def paper(self, position: int) -> Paper:
        return self._papers[position]

    def scores(self, parsed: Query, filters: SearchFilters) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
        """Every position's score for the query, and which positions may be returned at all (filters,
        replaced versions, `author:`, and with `require_all` the papers matching every term)."""
        n = len(self._papers)
        keep = self.allowed(parsed, filters)
        if not parsed.groups:  # only an author was asked for: the recent and upvoted first
            return self._prior.copy(), keep
        scores = np.zeros(n, dtype=np.float32)
        matched = np.zeros(n, dtype=np.int16)
        for group in parsed.groups:
            best = np.zeros(n, dtype=np.float32)
            hit = np.zeros(n, dtype=bool)
            for alternative in group.alternatives:
                found = self._alternative(alternative)
                if found is not None:
                    np.maximum(best, found[0], out=best)
                    hit |= found[1]
            scores += best
            matched += hit
        total = len(parsed.groups)
        keep &= matched >= (total if filters.require_all else 1)
        final: npt.NDArray[np.float32] = (scores * (0.5 + 0.5 * matched / total) * self._prior).astype(np.float32)
        return final, keep

    def allowed(self, parsed: Query, filters: SearchFilters) -> npt.NDArray[np.bool_]:
        """Positions the filters and `author:` allow, current versions only."""
        keep = self._allowed(filters) & self._alive
        for names in parsed.authors:
            keep &= self._by_author(names)
        return keep

    @property
    def prior(self) -> npt.NDArray[np.float32]:
        """Per position: 1 plus the gentle recency and upvote nudges."""
        return self._prior

    @staticmethod
    def ranked(final: npt.NDArray[np.float32], keep: npt.NDArray[np.bool_], depth: int) -> npt.NDArray[np.int64]:
        """The best `depth` kept positions, best first (ties by position, so results are stable)."""
        candidates = np.flatnonzero(keep)
        if candidates.size > depth:
            cut = np.argpartition(-final[candidates], depth - 1)[:depth]
            threshold = final[candidates[cut]].min()
            candidates = candidates[final[candidates] >= threshold]
        return candidates[np.lexsort((candidates, -final[candidates]))][:depth]

    def verified(
        self, parsed: Query, ranked: npt.NDArray[np.int64], scores: npt.NDArray[np.float32], limit: int
    ) -> list[SearchHit]:
        """The first `limit` of `ranked` holding the query's phrases and authors, as hits."""
        hits: list[SearchHit] = []
        for position in ranked[:VERIFY_AT_MOST]:
            paper = self._papers[int(position)]
            if self.satisfies(paper, parsed):
                hits.append(SearchHit(paper, float(scores[position])))
                if len(hits) == limit:
                    break
        return hits

    @staticmethod
    def satisfies(paper: Paper, parsed: Query) -> bool:
        return all(_has_phrase(paper, p) for p in parsed.phrases) and all(_has_author(paper, a) for a in parsed.authors)

    def _by_author(self, names: tuple[str, ...]) -> npt.NDArray[np.bool_]:
        """Papers with every one of these words in their author list (one author is checked later)."""
        mask = np.ones(len(self._papers), dtype=bool)
        for name in names:
            only = np.zeros(len(self._papers), dtype=bool)
            only[self._author_words.get(name, np.zeros(0, dtype=np.int32))] = True
            mask &= only
        return mask

    def _alternative(self, terms: tuple[str, ...]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]] | None:
        """Scores of the docs holding every one of `terms` (an acronym, or its spelled-out words)."""
        n = len(self._papers)
        alive = len(self)
        scores = np.zeros(n, dtype=np.float32)
        counts = np.zeros(n, dtype=np.int16)
        for term in terms:
            postings = self._term(term)
            if postings is None:
                return None
            docs, weights = postings
            df = len(docs)
            idf = (
                math.log(1.0 + (alive - df + 0.5) / (df + 0.5)) if df <= alive else math.log(1.5 / (alive + 0.5) + 1.0)
            )
            scores[docs] += idf * weights
            counts[docs] += 1
        hit = counts == len(terms)
        return scores * hit, hit

    def _allowed(self, filters: SearchFilters) -> npt.NDArray[np.bool_]:
        mask = np.ones(len(self._papers), dtype=bool)
        if filters.since is not None:
            mask &= self._day >= filters.since.toordinal()
        if filters.until is not None:
            mask &= self._day <= filters.until.toordinal()
        if filters.min_upvotes > 0:
            mask &= self._upvotes >= filters.min_upvotes
        if filters.within is not None:
            only = np.zeros(len(self._papers), dtype=bool)
            positions = [self._position[i] for i in filters.within if i in self._position]
            only[positions] = True
            mask &= only
        return mask


def _author_words(papers: list[Paper]) -> dict[str, npt.NDArray[np.int32]]:
    found: dict[str, list[int]] = {}
    for position, paper in enumerate(papers):
        for word in {w for author in paper.authors for w in words(author)}:
            found.setdefault(word, []).append(position)
    return {word: np.array(positions, dtype=np.int32) for word, positions in found.items()}


def _build(papers: list[Paper], average: dict[str, float] | None = None, offset: int = 0) -> _Postings:
    """Postings for `papers` (numbered from `offset`), with field lengths normalised by `average`
    (by default, these papers' own average lengths).

    Papers are tokenised `BUILD_CHUNK` at a time into NumPy arrays (term, doc, field, count), so the
    build holds a few bytes per posting rather than a Python object each: at 100k papers this took
    the build's peak from 2.7 GB to about a third of it."""
    fields = list(FIELDS)
    vocabulary: dict[str, int] = {}
    lengths = np.zeros((len(papers), len(fields)), dtype=np.float32)
    parts: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int8], npt.NDArray[np.float32]]] = []
    for first in range(0, len(papers), BUILD_CHUNK):
        term_ids: list[int] = []
        docs: list[int] = []
        field_ids: list[int] = []
        counts: list[int] = []
        for position in range(first, min(first + BUILD_CHUNK, len(papers))):
            for f, field in enumerate(fields):
                counted = term_counts(_field_text(papers[position], field))
                if not counted:
                    continue
                lengths[position, f] = sum(counted.values())
                term_ids.extend([vocabulary.setdefault(t, len(vocabulary)) for t in counted])
                counts.extend(counted.values())
                docs.extend([position] * len(counted))
                field_ids.extend([f] * len(counted))
        parts.append(
            (
                np.array(term_ids, dtype=np.int32),
                np.array(docs, dtype=np.int32),
                np.array(field_ids, dtype=np.int8),
                np.array(counts, dtype=np.float32),
            )
        )
    if not parts:  # no papers: one empty chunk keeps the dtypes
        parts.append((np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0, np.float32)))
    term, doc, field_of, tf = (np.concatenate([p[i] for p in parts]) for i in range(4))
    del parts
    if average is None:
        means = lengths.sum(axis=0) / max(len(papers), 1)
        average = {f: max(float(means[i]), 1.0) for i, f in enumerate(fields)}
    weight = np.array([FIELDS[f][0] for f in fields], dtype=np.float32)
    b = np.array([FIELDS[f][1] for f in fields], dtype=np.float32)
    mean = np.array([average[f] for f in fields], dtype=np.float32)
    field_index = field_of.astype(np.intp)
    tf *= weight[field_index] / (1.0 - b[field_index] + b[field_index] * lengths[doc, field_index] / mean[field_index])
    del field_of, field_index, lengths
    # One (term, doc) pair per posting: sum the weighted field frequencies, then saturate once.
    n = max(len(papers), 1)
    keys = term.astype(np.int64) * n + doc
    del term, doc
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    tf = tf[order]
    del order
    starts = np.flatnonzero(np.concatenate([keys[:1] == keys[:1], keys[1:] != keys[:-1]]))
    combined = np.add.reduceat(tf, starts) if keys.size else np.zeros(0, np.float32)
    unique = keys[starts]
    terms_of = unique // n
    offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms_of, minlength=len(vocabulary)), out=offsets[1:])
    return _Postings(
        vocabulary,
        offsets,
        (unique % n + offset).astype(np.int32),
        (combined / (K1 + combined)).astype(np.float32),
        average,
    )
