"""A lexical index: BM25F over title, keywords, AI summary, abstract and authors.

Per-field term frequencies are length-normalised, weighted and summed, then saturated once (BM25F),
so a word in the title counts for more than the same word in the abstract. The score is then
nudged, gently, towards papers that match more of the query, are recent and have upvotes.

The postings live in segments (`bot/search/postings.py`), the papers on a shelf (`bot/search/shelf.py`:
on disk for a large index), the ids in sorted arrays: what stays in memory is a few hundred bytes
a paper, so a million papers fit beside the model and the embedding index.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.domain.models import Paper
from bot.host.pools import off_loop
from bot.search.heap import release_memory
from bot.search.ids import Ids
from bot.search.port import SearchFilters, SearchHit
from bot.search.postings import (
    AUTHOR,
    KEYWORD,
    LEVEL_WEIGHTS,
    SEGMENT_DOCS,
    Postings,
    Segment,
    SegmentWriter,
    author_terms,
)
from bot.search.query import Query, parse_query
from bot.search.scoring import Plan, Term, segment_scores
from bot.search.shelf import Shelf, phrase_text, shelf_for
from bot.search.text import query_terms, words
from bot.search.vocabulary import Vocabulary

RECENCY_HALF_LIFE_DAYS = 180.0
RECENCY_WEIGHT = 0.15
UPVOTE_WEIGHT = 0.15
LOAD_CHUNK = 2000  # papers tokenised into one batch of arrays
VERIFY_AT_MOST = 5000  # candidates checked for a quoted phrase or an author, best first
DENSE_ABOVE = 32  # membership of more than 1/32 of the positions: a mask over every position, not binary search
MAX_TAIL = 8  # small segments from `extend` before they are merged into one
Positions = npt.NDArray[np.int64]
Weights = npt.NDArray[np.float32]
Scored = tuple[Positions, Weights]  # positions and their scores


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


def _holding_phrases(texts: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> list[int]:
    """Which of these texts (by index, ascending) hold every phrase. They are searched as one string,
    joined by " Z " like the fields within a text, so no match spans two of them."""
    starts = list(itertools.accumulate((len(t) + 3 for t in texts), initial=0))
    joined = " Z ".join(texts)
    holding: set[int] | None = None
    for phrase in phrases:
        found = {bisect.bisect_right(starts, m.start()) - 1 for m in _phrase_pattern(phrase).finditer(joined)}
        holding = found if holding is None else holding & found
    return sorted(holding or ())


def _unproven(names: tuple[str, ...]) -> bool:
    """Whether `admits` leaves this `author:` name to be checked: its words were all found in one
    author's name when there are two or fewer (an indexed pair), not always when there are more."""
    return len(set(names)) > 2


def _has_names(authors: Sequence[str], names: tuple[str, ...]) -> bool:
    """One author whose name holds all these words (so author:zamani and author:"hamed zamani" both work)."""
    return any(set(names) <= _name_words(author) for author in authors)


@lru_cache(maxsize=65_536)
def _name_words(author: str) -> frozenset[str]:
    """An author's name as words; names recur across papers, so each is split once."""
    return frozenset(words(author))


class LexicalIndex:
    """Papers stream in (`load`, then `seal`); `search` is cheap (one pass over each query term's
    postings). One search at a time: searches share scratch arrays (the search service serialises
    them).

    `extend` adds or replaces papers without rebuilding: the new ones get a segment of their own
    (normalised by the first segment's field lengths, so scores stay comparable), replaced ones are
    masked out, and document frequencies count both.
    """

    def __init__(self, papers: Sequence[Paper] = (), *, expected: int = 0) -> None:
        self._vocabulary = Vocabulary()
        self._exact = Vocabulary()  # `AUTHOR` and `KEYWORD` terms
        self._segments: list[Segment] = []
        self._exact_df = np.zeros(0, dtype=np.int64)
        self._df = np.zeros(0, dtype=np.int64)
        self._writer: SegmentWriter | None = None
        self._average: npt.NDArray[np.float32] | None = None
        self._shelf: Shelf = shelf_for(max(expected, len(papers)))
        self._ids = Ids()
        self._day = np.zeros(0, dtype=np.int32)
        self._upvotes = np.zeros(0, dtype=np.int32)
        self._alive = np.zeros(0, dtype=bool)
        self._loaded: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = []
        self._added = 0
        self._prior = np.zeros(0, dtype=np.float32)
        self._alive_count = 0
        self._scratch_mask = np.zeros(0, dtype=bool)
        self.load(papers)
        self.seal()

    def load(self, papers: Sequence[Paper]) -> None:
        """Take in the next papers of a build (`seal` makes them searchable)."""
        for first in range(0, len(papers), LOAD_CHUNK):
            chunk = papers[first : first + LOAD_CHUNK]
            self._shelf.append(chunk)
            self._ids.append([p.arxiv_id for p in chunk])
            self._loaded.append(
                (
                    np.array([p.day.toordinal() if p.day else 0 for p in chunk], dtype=np.int32),
                    np.array([p.upvotes for p in chunk], dtype=np.int32),
                )
            )
            while chunk:
                if self._writer is None:
                    self._writer = SegmentWriter(self.size - len(chunk), self._average)
                room = SEGMENT_DOCS - self._writer.count
                self._writer.add(chunk[:room], self._vocabulary, self._exact)
                chunk = chunk[room:]
                if self._writer.full:
                    self._flush()

    @property
    def size(self) -> int:
        """Positions in use, replaced versions included (the length of every per-position array)."""
        return len(self._ids)

    def _flush(self) -> None:
        if self._writer is None or self._writer.count == 0:
            return
        if self._average is None:
            self._average = self._writer.averages()
        release_memory()  # what the batches since the last segment freed, before this one's temporaries
        self._segments.append(self._writer.finish(self._average))
        self._writer = None
        self._count_documents()
        release_memory()  # and the temporaries, before the next segment is collected

    def seal(self) -> None:
        """Make everything loaded searchable."""
        self._flush()
        self._vocabulary.compact()
        self._exact.compact()
        if self._loaded:
            self._day = np.concatenate([self._day, *(d for d, _ in self._loaded)])
            self._upvotes = np.concatenate([self._upvotes, *(u for _, u in self._loaded)])
            self._alive = np.concatenate([self._alive, np.ones(self.size - self._alive.size, dtype=bool)])
            self._loaded = []
        self._priors()

    def _priors(self) -> None:
        n = self.size
        self._today = int(self._day.max()) if n else 0
        top = float(self._upvotes.max()) if n else 0.0
        age = np.maximum(self._today - self._day, 0).astype(np.float32)
        recency = np.where(self._day > 0, 0.5 ** (age / RECENCY_HALF_LIFE_DAYS), 0.0)
        popularity = np.log1p(self._upvotes) / math.log1p(top) if top > 0 else np.zeros(n)
        self._prior = (1.0 + RECENCY_WEIGHT * recency + UPVOTE_WEIGHT * popularity).astype(np.float32)
        self._alive_count = int(self._alive.sum())

    def __len__(self) -> int:
        return self._alive_count

    def positions(self, ids: Sequence[str]) -> npt.NDArray[np.int64]:
        """The current position of each of these papers, or -1."""
        return self._ids.positions(ids)

    def ids(self, positions: npt.NDArray[np.int64]) -> list[str]:
        return self._ids.ids(positions)

    @property
    def alive(self) -> npt.NDArray[np.bool_]:
        """Per position: whether it holds the current version of its paper."""
        return self._alive

    @property
    def added(self) -> int:
        """How many papers came in through `extend` since the index was built."""
        return self._added

    def extend(self, papers: Sequence[Paper]) -> None:
        """Make these papers searchable now: new ones added, known ones replaced by their new version."""
        latest = {p.arxiv_id: p for p in papers}
        papers = list(latest.values())
        old = self.positions(list(latest))
        self._alive[old[old >= 0]] = False
        self.load(papers)
        self.seal()
        self._added += len(papers)
        self._merge_tail()

    def _merge_tail(self) -> None:
        """Many small segments from `extend` cost every query a little: past `MAX_TAIL` of them,
        the trailing ones that fit in one segment are written again as one (from the shelf)."""
        tail, total = 0, 0
        for segment in reversed(self._segments):
            if total + segment.count > SEGMENT_DOCS:
                break
            tail, total = tail + 1, total + segment.count
        if tail <= MAX_TAIL or self._average is None:
            return
        base = self._segments[-tail].base
        writer = SegmentWriter(base, self._average)
        for first in range(base, base + total, LOAD_CHUNK):
            stop = min(first + LOAD_CHUNK, base + total)
            writer.add([self._shelf.paper(p) for p in range(first, stop)], self._vocabulary, self._exact)
        self._segments[-tail:] = [writer.finish(self._average)]
        self._count_documents()

    def _count_documents(self) -> None:
        """How many papers hold each term and each exact term (replaced versions too), summed over
        the segments."""
        df = np.zeros(len(self._vocabulary), dtype=np.int64)
        exact_df = np.zeros(len(self._exact), dtype=np.int64)
        for segment in self._segments:
            held, count = segment.terms.counts()
            df[held] += count
            held, count = segment.exact_terms.counts()
            exact_df[held] += count
        self._df, self._exact_df = df, exact_df

    @property
    def segments(self) -> int:
        return len(self._segments)

    def _term(self, term: str) -> Postings | None:
        """Every position holding `term` (ascending) and the term's weight there."""
        t = self._vocabulary.get(term)
        if t is None:
            return None
        found = [p for p in (segment.get(t) for segment in self._segments) if p is not None]
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        return np.concatenate([d for d, _ in found]), np.concatenate([w for _, w in found])

    def holding(self, term: str) -> npt.NDArray[np.int64]:
        """The positions holding `term` (a search term, or an `AUTHOR`/`KEYWORD` exact term), ascending."""
        if term[:1] in (AUTHOR, KEYWORD):
            e = self._exact.get(term)
            parts = [] if e is None else [segment.holding(e) for segment in self._segments]
            found = [d for d in parts if d is not None]
        else:
            postings = self._term(term)
            found = [] if postings is None else [postings[0]]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def keyword_papers(self, key: str) -> npt.NDArray[np.int64]:
        """The positions of the papers Hugging Face tagged with this keyword (see `keyword_key`)."""
        return self.holding(KEYWORD + key)

    def shared_keyword(self, key: str) -> bool:
        """Whether two or more papers carry this keyword."""
        e = self._exact.get(KEYWORD + key)
        return e is not None and e < self._exact_df.size and int(self._exact_df[e]) >= 2

    def search_now(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """The best `limit` hits, computed here and now: CPU work, refused on an event loop's thread
        (the search service runs it in the CPU pool)."""
        off_loop("a search")
        parsed = parse_query(query)
        if parsed.empty or not self.size or limit <= 0:
            return []
        ranked = self.ranked(parsed, filters, VERIFY_AT_MOST if self.needs_text(parsed) else limit)
        return self.verified(parsed, ranked, limit)

    def paper(self, position: int) -> Paper:
        return self._shelf.paper(position)

    def keywords(self, position: int) -> tuple[str, ...]:
        return self._shelf.keywords(position)

    def ranked(
        self, parsed: Query, filters: SearchFilters, depth: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> Scored:
        """The best `depth` papers the query may return (filters, current versions, `author:`, a
        quoted phrase's words, and with `require_all` every term), best first, with their scores.

        Segment by segment, each query term costs one pass over its postings there
        (`bot/search/scoring.py`); a segment's papers below the best `depth` found so far are
        dropped as it is done, so no array the size of the index is built. `allowed`: `allowed()`,
        when the caller has it already."""
        if not parsed.groups:  # only an author was asked for: the recent and upvoted first
            candidates = self._author_candidates(parsed)
            candidates = candidates[self.admits(parsed, filters, candidates)]
            return self.top((candidates, self._prior[candidates]), depth)
        plan = self._plan(parsed)
        phrase_terms = sorted({term for phrase in parsed.phrases for term in query_terms(" ".join(phrase))})
        required = [self._vocabulary.get(term) for term in phrase_terms]  # a paper holding a phrase holds its words
        if not plan or None in required or depth <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if allowed is None:
            allowed = self.allowed(parsed, filters) if self.narrows(parsed, filters) else self._alive
        total = len(parsed.groups)
        pool: list[Scored] = []
        pooled, floor = 0, -np.inf
        for segment in self._segments:
            scored = segment_scores(segment, plan, [t for t in required if t is not None])
            if scored is None:
                continue
            sums, held = scored
            first = segment.base
            keep = (held >= total if filters.require_all else held > 0) & allowed[first : first + segment.count]
            found = np.flatnonzero(keep)
            final = (sums[found] * (0.5 + 0.5 * held[found] / total) * self._prior[first + found]).astype(np.float32)
            above = final >= floor  # what cannot make the best `depth` any more is dropped at once
            pool.append((found[above] + first, final[above]))
            pooled += int(above.sum())
            if pooled >= 2 * depth:
                pool = [self.top(_joined(pool), depth)]
                pooled, floor = depth, float(pool[0][1][-1])
        return self.top(_joined(pool), depth)

    def _plan(self, parsed: Query) -> Plan:
        """The query's groups as vocabulary terms with their scores per weight level (idf × weight);
        alternatives with a word no paper holds are left out, and groups left with none."""
        alive = self._alive_count
        plan: list[list[list[Term]]] = []
        for group in parsed.groups:
            alternatives: list[list[Term]] = []
            for alternative in group.alternatives:
                ids = [self._vocabulary.get(term) for term in alternative]
                terms: list[Term] = []
                for t in ids:
                    if t is None:
                        break
                    df = int(self._df[t]) if t < self._df.size else 0  # a term loaded, not sealed yet
                    idf = (
                        math.log(1.0 + (alive - df + 0.5) / (df + 0.5))
                        if df <= alive
                        else math.log(1.5 / (alive + 0.5) + 1.0)
                    )
                    terms.append((t, (np.float32(idf) * LEVEL_WEIGHTS).astype(np.float32)))
                else:
                    alternatives.append(terms)
            if alternatives:
                plan.append(alternatives)
        return plan

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
            within = self.positions(sorted(filters.within))
            keep &= np.isin(positions, within[within >= 0])
        for names in parsed.authors:
            for term in sorted(author_terms(names)):
                keep &= self._member(positions, self.holding(term))
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
        """`admits` over every position, as whole-array comparisons."""
        mask = self._alive.copy()
        if filters.since is not None:
            mask &= self._day >= filters.since.toordinal()
        if filters.until is not None:
            mask &= self._day <= filters.until.toordinal()
        if filters.min_upvotes > 0:
            mask &= self._upvotes >= filters.min_upvotes
        if filters.within is not None:
            within = self.positions(sorted(filters.within))
            mask &= _only(self.size, within[within >= 0])
        if parsed.authors:
            mask &= _only(self.size, self._author_candidates(parsed))
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
        return [SearchHit(self._shelf.paper(p), s) for p, s in zip(positions.tolist(), scores.tolist(), strict=True)]

    def satisfying(self, parsed: Query, ranked: Scored, limit: int) -> Scored:
        """The first `limit` of `ranked` (checking at most `VERIFY_AT_MOST`) holding the query's
        phrases and authors; all of the first `limit` when the query has neither."""
        positions, scores = ranked
        if not self.needs_text(parsed):
            return positions[:limit], scores[:limit]
        chosen: list[int] = []
        checked = positions[:VERIFY_AT_MOST].tolist()
        if any(_unproven(names) for names in parsed.authors):  # rare: a name of three words or more
            for i, position in enumerate(checked):
                if self._satisfied_at(position, parsed):
                    chosen.append(i)
                    if len(chosen) == limit:
                        break
            return positions[chosen], scores[chosen]
        start, step = 0, 4 * limit  # phrases: a block of texts at a time, one regex pass over the block
        while start < len(checked) and len(chosen) < limit:
            block = checked[start : start + step]
            chosen.extend(start + i for i in _holding_phrases(self._shelf.phrase_texts(block), parsed.phrases))
            start, step = start + len(block), 4 * step
        return positions[chosen[:limit]], scores[chosen[:limit]]

    @staticmethod
    def needs_text(parsed: Query) -> bool:
        """Whether candidates must be checked in their text: for a quoted phrase, or an `author:`
        name of three words or more (the postings settle the rest)."""
        return bool(parsed.phrases) or any(_unproven(names) for names in parsed.authors)

    def _satisfied_at(self, position: int, parsed: Query) -> bool:
        if parsed.phrases:
            text = self._shelf.phrase_text(position)
            if not all(_phrase_pattern(p).search(text) for p in parsed.phrases):
                return False
        names = [a for a in parsed.authors if _unproven(a)]
        return not names or all(_has_names(self._shelf.authors(position), a) for a in names)

    @staticmethod
    def satisfies(paper: Paper, parsed: Query) -> bool:
        """Whether the paper holds the query's phrases (in order, as words) and its `author:` names."""
        text = phrase_text(paper)
        return all(_phrase_pattern(p).search(text) for p in parsed.phrases) and all(
            _has_names(paper.authors, a) for a in parsed.authors
        )

    def _author_candidates(self, parsed: Query) -> npt.NDArray[np.int64]:
        """Positions with every word of every `author:` name (all positions when there is none)."""
        if not parsed.authors:
            return np.arange(self.size, dtype=np.int64)
        found: npt.NDArray[np.int64] | None = None
        for names in parsed.authors:
            for term in sorted(author_terms(names)):
                these = self.holding(term)
                found = these if found is None else np.intersect1d(found, these, assume_unique=True)
        return found if found is not None else np.zeros(0, np.int64)

    def _mask(self) -> npt.NDArray[np.bool_]:
        """An array over every position, all False, kept and cleaned after each use: a fresh one
        costs a page fault every 4 KB (a few ms at 1M)."""
        if self._scratch_mask.size != self.size:
            self._scratch_mask = np.zeros(self.size, dtype=bool)
        return self._scratch_mask

    def _dense(self, size: int) -> bool:
        """Whether a mask over every position beats binary search for `size` positions."""
        return size * DENSE_ABOVE > self.size

    def _member(self, positions: npt.NDArray[np.int64], ascending: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """`np.isin` for a sorted right-hand side: by binary search when few are asked about (not a
        hash of a common author word's tens of thousands of papers), by a mask over every position
        when many are."""
        if ascending.size == 0:
            return np.zeros(positions.size, dtype=bool)
        if self._dense(positions.size + ascending.size):
            mask = self._mask()
            mask[ascending] = True
            found: npt.NDArray[np.bool_] = mask[positions]
            mask[ascending] = False
        else:
            at = np.minimum(np.searchsorted(ascending, positions), ascending.size - 1)
            found = ascending[at] == positions
        return found


def _joined(parts: Sequence[Scored]) -> Scored:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate([p for p, _ in parts]), np.concatenate([v for _, v in parts])


def _only(size: int, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """A mask over `size` positions, True at these."""
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask
