"""A lexical index: BM25F over title, keywords, AI summary, abstract and authors, in memory.

Per-field term frequencies are length-normalised, weighted and summed, then saturated once (BM25F),
so a word in the title counts for more than the same word in the abstract. The score is then
nudged, gently, towards papers that match more of the query, are recent and have upvotes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.models import Paper
from bot.search.port import SearchFilters, SearchHit
from bot.search.text import query_terms, term_counts

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

    def get(self, term: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]] | None:
        t = self.vocabulary.get(term)
        if t is None:
            return None
        lo, hi = self.offsets[t], self.offsets[t + 1]
        return self.docs[lo:hi], self.weights[lo:hi]


class LexicalIndex:
    """Built once from a list of papers; `search` is pure and cheap (one pass over each term's postings)."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self._papers = list(papers)
        self._position = {p.arxiv_id: i for i, p in enumerate(self._papers)}
        self._postings = _build(self._papers)
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
        return len(self._papers)

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        return self.search_now(query, filters, limit)

    def search_now(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        wanted = query_terms(query)
        n = len(self._papers)
        if not wanted or n == 0 or limit <= 0:
            return []
        scores = np.zeros(n, dtype=np.float32)
        matched = np.zeros(n, dtype=np.int16)
        for term in wanted:
            postings = self._postings.get(term)
            if postings is None:
                continue
            docs, weights = postings
            idf = math.log(1.0 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            scores[docs] += idf * weights
            matched[docs] += 1
        keep = matched >= (len(wanted) if filters.require_all else 1)
        keep &= self._allowed(filters)
        candidates = np.flatnonzero(keep)
        if candidates.size == 0:
            return []
        coverage = matched[candidates] / len(wanted)
        final = scores[candidates] * (0.5 + 0.5 * coverage) * self._prior[candidates]
        best = np.argpartition(-final, limit - 1)[:limit] if candidates.size > limit else np.arange(candidates.size)
        order = best[np.lexsort((candidates[best], -final[best]))]
        return [SearchHit(self._papers[int(candidates[i])], float(final[i])) for i in order]

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


def _build(papers: list[Paper]) -> _Postings:
    per_field = [{field: term_counts(_field_text(p, field)) for field in FIELDS} for p in papers]
    n = max(len(papers), 1)
    average = {f: max(sum(sum(c[f].values()) for c in per_field) / n, 1.0) for f in FIELDS}
    vocabulary: dict[str, int] = {}
    term_ids: list[int] = []
    docs: list[int] = []
    tfs: list[float] = []
    for position, counted in enumerate(per_field):
        for field, counts in counted.items():
            if not counts:
                continue
            weight, b = FIELDS[field]
            scale = weight / (1.0 - b + b * sum(counts.values()) / average[field])
            term_ids.extend([vocabulary.setdefault(t, len(vocabulary)) for t in counts])
            tfs.extend([tf * scale for tf in counts.values()])
            docs.extend([position] * len(counts))
    # One (term, doc) pair per posting: sum the weighted field frequencies, then saturate once.
    keys = np.array(term_ids, dtype=np.int64) * n + np.array(docs, dtype=np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    combined = np.bincount(inverse, weights=np.array(tfs, dtype=np.float64))
    terms_of = unique // n
    offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms_of, minlength=len(vocabulary)), out=offsets[1:])
    return _Postings(
        vocabulary,
        offsets,
        (unique % n).astype(np.int32),
        (combined / (K1 + combined)).astype(np.float32),
    )
