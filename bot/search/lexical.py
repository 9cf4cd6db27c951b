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
VERIFY_AT_MOST = 5000
Scored = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.float32]
]  # positions and their scores  # candidates checked for a quoted phrase or an author, best first


@lru_cache(maxsize=256)
def _phrase_pattern(phrase: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase's words with only non-word characters between them, as whole words: the same test
    as comparing `words()` sequences, without tokenising every candidate's text."""
    first = re.escape(phrase[0])
    # The first word leads, so the engine scans for it as a literal; the look-behind after it then
    # checks that no word character came just before it (leading with the look-behind is 6x slower).
    return re.compile(
        first + rf"(?<![^\W_]{first})" + "".join(rf"[\W_]+{re.escape(w)}" for w in phrase[1:]) + r"(?![^\W_])"
    )


def _has_phrase(paper: Paper, phrase: tuple[str, ...]) -> bool:
    """Whether one of the text fields holds the phrase. The fields are folded as one string, joined
    by " Z ": a word character no folded phrase contains, so a phrase never spans two fields."""
    joined = "\x00".join((paper.title, paper.ai_summary or "", paper.abstract, " ".join(paper.ai_keywords)))
    # ASCII text is its own NFKC form and casefolds as it lowercases: skip the Unicode work (most papers)
    folded = joined.lower() if joined.isascii() else unicodedata.normalize("NFKC", joined).casefold()
    return _phrase_pattern(phrase).search(folded.replace("\x00", " Z ")) is not None


def _has_author(paper: Paper, names: tuple[str, ...]) -> bool:
    """One author whose name holds all these words (so author:zamani and author:"hamed zamani" both work)."""
    return any(set(names) <= _name_words(author) for author in paper.authors)


@lru_cache(maxsize=65_536)
def _name_words(author: str) -> frozenset[str]:
    """An author's name as words; names recur across papers, so each is split once."""
    return frozenset(words(author))


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
        self._alive_count = int(self._alive.sum())

    def __len__(self) -> int:
        return self._alive_count

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
        matches = self.matches(parsed, filters)
        ranked = self.top(matches, limit if not parsed.phrases and not parsed.authors else VERIFY_AT_MOST)
        return self.verified(parsed, ranked, limit)

    def paper(self, position: int) -> Paper:
        return self._papers[position]

    def matches(self, parsed: Query, filters: SearchFilters) -> Scored:
        """The papers the query may return (filters, current versions, `author:`, and with `require_all`
        every term), with their scores, in position order.

        Scoring walks the query terms' postings only, never an array over the whole index, so a
        query costs what its terms' postings cost."""
        if not parsed.groups:  # only an author was asked for: the recent and upvoted first
            candidates = self._author_candidates(parsed)
            candidates = candidates[self.admits(parsed, filters, candidates)]
            return candidates, self._prior[candidates]
        groups: list[Scored] = []
        for group in parsed.groups:
            found = [a for a in (self._alternative(alt) for alt in group.alternatives) if a is not None]
            if found:
                docs = np.concatenate([d for d, _ in found])
                scores = np.concatenate([v for _, v in found])
                order = np.argsort(docs, kind="stable")
                docs, scores = docs[order], scores[order]
                starts = _run_starts(docs)
                groups.append((docs[starts], np.maximum.reduceat(scores, starts)))
        total = len(parsed.groups)
        if not groups:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        docs = np.concatenate([d for d, _ in groups])
        scores = np.concatenate([v for _, v in groups])
        order = np.argsort(docs, kind="stable")  # stable: each paper's group scores add up in query order
        docs, scores = docs[order], scores[order]
        starts = _run_starts(docs)
        candidates = docs[starts]
        summed = np.add.reduceat(scores, starts)
        matched = np.diff(np.append(starts, docs.size))
        keep = self.admits(parsed, filters, candidates)
        if filters.require_all:
            keep &= matched >= total
        final = (summed * (0.5 + 0.5 * matched / total) * self._prior[candidates]).astype(np.float32)
        return candidates[keep], final[keep]

    def admits(self, parsed: Query, filters: SearchFilters, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of these positions the filters and `author:` allow, current versions only."""
        keep = self._alive[positions]
        if filters.since is not None:
            keep &= self._day[positions] >= filters.since.toordinal()
        if filters.until is not None:
            keep &= self._day[positions] <= filters.until.toordinal()
        if filters.min_upvotes > 0:
            keep &= self._upvotes[positions] >= filters.min_upvotes
        if filters.within is not None:
            keep &= np.isin(positions, [self._position[i] for i in filters.within if i in self._position])
        for names in parsed.authors:
            for name in names:
                keep &= _member(positions, self._author_words.get(name, np.zeros(0, dtype=np.int32)))
        return keep

    def narrows(self, parsed: Query, filters: SearchFilters) -> bool:
        """Whether anything but replaced versions is left out (else the dense side needs no mask)."""
        return bool(
            parsed.authors
            or filters.since is not None
            or filters.until is not None
            or filters.min_upvotes > 0
            or filters.within is not None
        )

    def allowed(self, parsed: Query, filters: SearchFilters) -> npt.NDArray[np.bool_]:
        """`admits` over every position (for the dense side of a narrowed query)."""
        candidates = self._author_candidates(parsed) if parsed.authors else np.arange(self.size, dtype=np.int64)
        mask = np.zeros(self.size, dtype=bool)
        mask[candidates[self.admits(parsed, filters, candidates)]] = True
        return mask

    @property
    def prior(self) -> npt.NDArray[np.float32]:
        """Per position: 1 plus the gentle recency and upvote nudges."""
        return self._prior

    @staticmethod
    def top(matches: Scored, depth: int) -> Scored:
        """The best `depth` matches, best first (ties by position, so results are stable)."""
        candidates, scores = matches
        if candidates.size > depth:
            cut = np.argpartition(-scores, depth - 1)[:depth]
            chosen = scores >= scores[cut].min()
            candidates, scores = candidates[chosen], scores[chosen]
        order = np.lexsort((candidates, -scores))[:depth]
        return candidates[order], scores[order]

    def verified(self, parsed: Query, ranked: Scored, limit: int) -> list[SearchHit]:
        """The first `limit` of `ranked` holding the query's phrases and authors, as hits."""
        positions, scores = self.satisfying(parsed, ranked, limit)
        return [SearchHit(self._papers[p], s) for p, s in zip(positions.tolist(), scores.tolist(), strict=True)]

    def satisfying(self, parsed: Query, ranked: Scored, limit: int) -> Scored:
        """The first `limit` of `ranked` (checking at most `VERIFY_AT_MOST`) holding the query's
        phrases and authors; all of the first `limit` when the query has neither."""
        positions, scores = ranked
        if not parsed.phrases and not parsed.authors:
            return positions[:limit], scores[:limit]
        chosen: list[int] = []
        for i, position in enumerate(positions[:VERIFY_AT_MOST].tolist()):
            if self.satisfies(self._papers[position], parsed):
                chosen.append(i)
                if len(chosen) == limit:
                    break
        return positions[chosen], scores[chosen]

    @staticmethod
    def satisfies(paper: Paper, parsed: Query) -> bool:
        return all(_has_phrase(paper, p) for p in parsed.phrases) and all(_has_author(paper, a) for a in parsed.authors)

    def _author_candidates(self, parsed: Query) -> npt.NDArray[np.int64]:
        """Positions with every word of every `author:` name (all positions when there is none)."""
        if not parsed.authors:
            return np.arange(self.size, dtype=np.int64)
        found: npt.NDArray[np.int64] | None = None
        for names in parsed.authors:
            for name in names:
                these = self._author_words.get(name, np.zeros(0, dtype=np.int32)).astype(np.int64)
                found = these if found is None else np.intersect1d(found, these, assume_unique=True)
        return found if found is not None else np.zeros(0, np.int64)

    def _alternative(self, terms: tuple[str, ...]) -> Scored | None:
        """The docs holding every one of `terms` (an acronym, or its spelled-out words), with scores."""
        alive = self._alive_count
        docs: npt.NDArray[np.int64] | None = None
        scores: npt.NDArray[np.float32] = np.zeros(0, np.float32)
        for term in terms:
            postings = self._term(term)
            if postings is None:
                return None
            these, weights = postings
            df = len(these)
            idf = (
                math.log(1.0 + (alive - df + 0.5) / (df + 0.5)) if df <= alive else math.log(1.5 / (alive + 0.5) + 1.0)
            )
            weighted = (np.float32(idf) * weights).astype(np.float32)
            if docs is None:
                docs, scores = these.astype(np.int64), weighted
            else:
                docs, mine, theirs = np.intersect1d(docs, these, assume_unique=True, return_indices=True)
                scores = scores[mine] + weighted[theirs]
        return (docs, scores) if docs is not None and docs.size else None


def _member(positions: npt.NDArray[np.int64], ascending: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """`np.isin` for a sorted right-hand side, by binary search: costs the few positions asked about,
    not a hash of a common author word's tens of thousands of papers."""
    if ascending.size == 0:
        return np.zeros(positions.size, dtype=bool)
    at = np.minimum(np.searchsorted(ascending, positions), ascending.size - 1)
    found: npt.NDArray[np.bool_] = ascending[at] == positions
    return found


def _run_starts(sorted_docs: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """Where each run of equal values starts in a sorted array."""
    if sorted_docs.size == 0:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(np.concatenate([[True], sorted_docs[1:] != sorted_docs[:-1]]))


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
