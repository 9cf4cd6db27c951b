"""Hybrid search: keyword ranking, embedding neighbours and keyword-vocabulary expansion, fused.

    query ─┬─ lexical BM25F (filters, author:, acronyms) ──────────────┐
           ├─ dense: MiniLM cosine over the papers' embeddings ────────┤ first fusion (RRF)
           │                                                          │
           └─ expansion: the Hugging Face keywords that recur in the   │
              first fusion's top papers ("video generation" for         │
              "synthesizing moving clips"), each one's papers ─────────┴─ weighted RRF × gentle priors

Each list is cut at `DEPTH`; reciprocal-rank fusion needs no score calibration between them. The
weights and depths were tuned on half of the judged queries of `bench/relevance.py` and are reported
on the other half. Topic filters (`require_all`) and author-only queries stay purely lexical, and a
query with nothing close enough in embedding space gets no dense results (gibberish finds nothing).
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.domain.models import Paper
from bot.embedding.model import DIMENSIONS, TextEncoder, Vectors
from bot.embedding.queries import QueryVectors
from bot.host.pools import aside, off_loop
from bot.search.dense import DenseIndex
from bot.search.dense_files import SAVED, TRAINED
from bot.search.lexical import LexicalIndex, Scored, named_first
from bot.search.port import SearchFilters, SearchHit
from bot.search.query import Query, parse_query
from bot.search.registry import as_sum
from bot.search.spelling import respell
from bot.search.text import keyword_key
from bot.search.writes import NONE_KNOWN
from bot.store.embeddings import StoredVector

DEPTH = 60  # candidates taken from each list
RRF_K = 60
FEEDBACK = 20  # first-fusion papers whose keywords suggest expansions
EXPANSIONS = 3  # keywords added at most, each shared by 2+ of those papers
EXPANSION_WEIGHT = 3.5  # the expansions' lists together weigh this much (lexical and dense: 1 each; retuned on tantivy)
MIN_COSINE = 0.3  # a dense neighbour further than this is noise, not a match
MIN_COSINE_ALONE = 0.45  # … and when no paper holds any of the query's words, a likelier off-topic query


def fuse(lists: Sequence[npt.NDArray[np.int64]], weights: Sequence[float]) -> dict[int, float]:
    """Weighted reciprocal-rank fusion: position → sum of weight / (k + rank)."""
    fused: dict[int, float] = {}
    for ranked, weight in zip(lists, weights, strict=True):
        for rank, position in enumerate(ranked.tolist()):
            fused[position] = fused.get(position, 0.0) + weight / (RRF_K + rank + 1)
    return fused


class HybridIndex:
    """The lexical index plus, for papers that have one, an embedding; searches fuse both.

    Without an encoder (the model package not installed) or without any embedding it is exactly the
    lexical index. A large index is built by streaming: `load` each batch of papers with their
    vectors, then `seal`. `put_vectors` adds embeddings as they are computed; `extend` adds papers.
    With a `folder` the lexical index is opened from there (the embeddings come with `put_vectors`).
    """

    def __init__(
        self,
        papers: Sequence[Paper] = (),
        vectors: Mapping[str, Vectors] | None = None,
        encoder: TextEncoder | None = None,
        *,
        expected: int = 0,
        folder: Path | None = None,
        fresh: bool = False,
    ) -> None:
        self.lexical = LexicalIndex(folder=folder, fresh=fresh)
        self._running = 0  # searches under way (`search_now`), to know one that runs alone
        self._running_lock = threading.Lock()
        expected = max(expected, len(papers), self.lexical.size)
        self._dense: DenseIndex | None = None
        if encoder is not None:
            self._dense = DenseIndex(
                np.zeros(0, np.int64),
                np.zeros((0, DIMENSIONS), np.float32),
                self.lexical.size,
                expected=expected,
                trained=folder / TRAINED if folder is not None else None,
                saved=folder / SAVED if folder is not None else None,
            )
            self._current_only(self._dense)
            self._query_vector = QueryVectors(encoder)
        self._folder = folder
        self.load(papers, vectors)
        self.seal()

    def load(
        self,
        papers: Sequence[Paper],
        vectors: Mapping[str, Vectors] | None = None,
        stamps: Mapping[str, int] = NONE_KNOWN,
    ) -> None:
        """Take in the next papers of a build, with the embeddings of those that have one (and the
        store's version stamps, `LexicalIndex.load`)."""
        start = self.lexical.size
        self.lexical.load(papers, stamps)
        if self._dense is not None:
            self._dense.grow(self.lexical.size)
            have = vectors or {}
            found = [(start + i, have[p.arxiv_id]) for i, p in enumerate(papers) if p.arxiv_id in have]
            if found:
                at = np.array([i for i, _ in found], dtype=np.int64)
                self._dense.put(at, np.vstack([v for _, v in found]), self.lexical.texts(at))

    def _current_only(self, dense: DenseIndex, positions: npt.NDArray[np.int64] | None = None) -> None:
        """Vectors stay (at these positions, or all) only where made from the text the index holds
        there (the registry's checksum): saved ones (`DenseIndex.save`) of papers changed since, and
        those of papers just changed (`extend`). The rest are read again from the store or embedded."""
        held = np.flatnonzero(dense.mask) if positions is None else positions[dense.mask[positions]]
        inside = held[held < self.lexical.size]
        current = dense.texts(inside) == self.lexical.texts(inside)
        dense.drop(np.concatenate([held[held >= self.lexical.size], inside[~current]]))

    def seal(self, watermark: str | None = None) -> None:
        """Make everything loaded searchable (up to the store's `watermark`, when given)."""
        self.lexical.seal(watermark)

    def __len__(self) -> int:
        return len(self.lexical)

    @property
    def added(self) -> int:
        return self.lexical.added

    @property
    def embedded(self) -> int:
        return len(self._dense) if self._dense is not None else 0

    def unembedded(self) -> list[str]:
        """The ids of current papers that have no embedding yet (none when there is no encoder: none to make)."""
        if self._dense is None:
            return []
        return self.lexical.ids(np.flatnonzero(self.lexical.alive & ~self._dense.mask[: self.lexical.size]))

    def papers(self, ids: Sequence[str]) -> list[Paper]:
        """The current version of each of these papers that the index holds."""
        found = self.lexical.papers_at([p for p in self.lexical.positions(ids).tolist() if p >= 0])
        return list(found.values())

    def put_vectors(self, vectors: Mapping[str, Vectors]) -> None:
        """Embeddings for papers already in the index (computed after it was built)."""
        if self._dense is None or not vectors:
            return
        ids = list(vectors)
        positions = self.lexical.positions(ids)
        known = positions >= 0
        if known.any():
            rows = [vectors[i] for i, k in zip(ids, known.tolist(), strict=True) if k]
            self._dense.put(positions[known], np.vstack(rows), self.lexical.texts(positions[known]))

    def put_stored(self, stored: Mapping[str, StoredVector]) -> None:
        """Stored embeddings for papers the index holds, each taken where it is of the text the index
        holds (its checksum agrees with the registry's), with no paper read."""
        if self._dense is None or not stored:
            return
        dense, ids = self._dense, list(stored)
        positions = self.lexical.positions(ids)
        held = np.flatnonzero(positions >= 0)
        known = self.lexical.texts(positions[held])
        sums = np.array([as_sum(stored[ids[i]].checksum) for i in held.tolist()], dtype=np.uint64)
        whole = np.array([stored[ids[i]].vector.shape == (DIMENSIONS,) for i in held.tolist()], dtype=bool)
        had = dense.mask[positions[held]] & (dense.texts(positions[held]) == known)  # saved, and current
        taken = (known == sums) & (sums > 0) & whole & ~had  # a damaged row (checksum, length) is none
        if taken.any():
            at = positions[held[taken]]
            dense.put(at, np.vstack([stored[ids[i]].vector for i in held[taken].tolist()]), sums[taken])

    def save_vectors(self) -> bool:
        """Save the embeddings in the index's folder, for the next process to open (`DenseIndex.save`);
        False when there is nothing to save. Nothing may be put meanwhile."""
        if self._dense is None or self._folder is None:
            return False
        return self._dense.save(self._folder / SAVED)

    def extend(
        self,
        papers: Sequence[Paper],
        vectors: Mapping[str, Vectors] | None = None,
        gone: Sequence[str] = (),
        stamps: Mapping[str, int] = NONE_KNOWN,
    ) -> None:
        """Make these papers searchable now (new versions replace old ones), with their embeddings if
        given; the `gone` ones are searchable no more."""
        self.lexical.extend(papers, gone, stamps)
        self.grown()
        if self._dense is not None and papers:
            changed = self.lexical.positions([p.arxiv_id for p in papers])
            self._current_only(self._dense, changed[changed >= 0])
        self.put_vectors({p.arxiv_id: vectors[p.arxiv_id] for p in papers if vectors and p.arxiv_id in vectors})

    def reopen(self) -> bool:
        """Read the index again if another process wrote to it; True when it did."""
        if not self.lexical.reopen_if_changed():
            return False
        self.grown()
        return True

    def grown(self) -> None:
        """The lexical side has more positions (extended, or written by another process): rows for them."""
        if self._dense is not None:
            self._dense.grow(self.lexical.size)

    def forget_queries(self) -> None:
        """Drop the cached query embeddings (benchmarks time a query's first sight)."""
        if self._dense is not None:
            self._query_vector.clear()

    def prepare_queries(self, asked: Sequence[tuple[str, SearchFilters, int]]) -> None:
        """Embed, together, the queries of these searches (query, filters, limit) that will search by
        meaning; their searches then find the embeddings made, with the bits each gets alone. CPU work,
        like a search. An encoder that cannot (no `encode_apart`) leaves each to its search."""
        off_loop("embedding queries")
        if self._dense is not None:
            parsed = [(parse_query(q, self.lexical.one_name), f, n) for q, f, n in asked]
            self._query_vector.prepare([p.text for p, f, n in parsed if self._by_meaning(p, f, n)])

    def _by_meaning(self, parsed: Query, filters: SearchFilters, limit: int) -> bool:
        dense = self._dense
        return dense is not None and len(dense) > 0 and not filters.require_all and bool(parsed.groups) and limit > 0

    def search_if_current(self, query: str, filters: SearchFilters, limit: int) -> list[SearchHit] | None:
        """`search_now`, or None when another process has written to the index since it was read (then
        `reopen` first). Thread-safe: several run at once, as long as nothing writes to the index."""
        return None if self.lexical.changed_elsewhere() else self.search_now(query, filters, limit)

    def search_now(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """The best `limit` hits, computed here and now: CPU work, refused on an event loop's thread
        (the search service runs it in the CPU pool)."""
        off_loop("a search")
        parsed = parse_query(query, self.lexical.one_name)
        dense = self._dense
        if dense is None or not self._by_meaning(parsed, filters, limit):
            return self.lexical.search_parsed(parsed, filters, limit)
        with self._running_lock:
            self._running += 1
            alone = self._running == 1
        try:
            hits = self._fused(dense, parsed, filters, limit, alone, DEPTH)
            if limit > DEPTH and len(hits) < limit:  # the rest from deeper lists, after the first ones as they were
                shown = {hit.paper.arxiv_id for hit in hits}
                deeper = self._fused(dense, parsed, filters, limit, alone, limit)
                hits += [hit for hit in deeper if hit.paper.arxiv_id not in shown][: limit - len(hits)]
            return hits
        finally:
            with self._running_lock:
                self._running -= 1

    def _fused(
        self, dense: DenseIndex, parsed: Query, filters: SearchFilters, limit: int, alone: bool, depth: int
    ) -> list[SearchHit]:
        """`search_now` by words and meaning, each list cut at `depth`: `DEPTH` for the first answers
        whatever the `limit`, so that the answer to a short list is the start of the answer to a long one
        (with the lists cut at the limit, `agents --limit 100` and `--limit 10` began with other papers).
        A search running `alone` in the index does two pieces on
        the `Aside` thread when it is free: its query's embedding, during the keyword query, and the
        first keyword expansion's fetch, during the others' (tantivy lets go of the GIL). Beside other
        searches it does them itself: the CPUs are taken already, and a third thread only contends."""
        lexical = self.lexical
        vector = self._query_vector.soon(parsed.text, beside=alone)
        by_words, _ = lexical.ranked(parsed, filters, depth)  # phrases and names held already
        near, cosines = dense.top(vector(), lexical.allowed(parsed, filters), depth)
        near = near[cosines >= (MIN_COSINE if by_words.size else MIN_COSINE_ALONE)]
        by_meaning = near[lexical.admits(parsed, filters, near)]  # and so do these, then
        lists = [by_words, by_meaning]
        weights = [1.0, 1.0]
        expansions = self._expansions(fuse(lists, weights))
        # each keyword's papers, recent and upvoted first; the first begun beside, the rest here, last first
        fetches: list[Callable[[], Scored]] = [
            functools.partial(lexical.keyword_papers, k, parsed, filters, depth) for k in expansions
        ]
        if alone and fetches:
            fetches[0] = aside().start(fetches[0])
        found = [fetch()[0] for fetch in reversed(fetches)][::-1]
        lists += found
        weights += [EXPANSION_WEIGHT / len(found)] * len(found) if found else []
        fused = fuse(lists, weights)
        if not fused:
            return []
        positions = np.fromiter(fused.keys(), dtype=np.int64, count=len(fused))
        scores = np.fromiter(fused.values(), dtype=np.float32, count=len(fused)) * lexical.prior[positions]
        named = lexical.named(parsed, by_words, titles=True)  # among the best by words: in the fusion, first
        writing = lexical.writing(parsed, positions)  # a lone acronym: the papers writing it, then the rest
        ranked = lexical.top((positions, scores), positions.size if named.size or writing.size else limit)
        if writing.size:
            ranked = named_first(ranked, writing, positions.size)
        if not named.size and (named := lexical.holding_every_word(parsed, by_words, ranked[0][:limit])).size:
            ranked = lexical.top((positions, scores), positions.size)
        return lexical.hits(named_first(ranked, named, limit), parsed)

    def respelled(self, query: str) -> str | None:
        """`bot.search.spelling.respell` over the papers' words: CPU work, like a search. None while
        another process's write is not read yet (the search beside it reads it): a word it just wrote
        would be taken for a typo."""
        off_loop("respelling a query")
        if self.lexical.changed_elsewhere():
            return None
        lexical = self.lexical
        names = (lexical.held_name, lexical.near_names)
        return respell(query, lexical.held, lexical.near_words, names, stemmed=lexical.held_stem)

    def _expansions(self, first: dict[int, float]) -> list[str]:
        """Keywords shared by two or more of the first fusion's best papers, most shared first; none carried
        by too many papers to say anything of the topic (`LexicalIndex.expands`)."""
        best = sorted(first, key=lambda p: (-first[p], p))[:FEEDBACK]
        counts: Counter[str] = Counter()
        for paper in self.lexical.papers_at(best).values():
            counts.update({keyword_key(k) for k in paper.ai_keywords})
        # Most shared first, ties by the keyword itself: never by a set's order, which changes with
        # each process's string hashing (the same query would rank differently from run to run).
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return list(itertools.islice((k for k, n in ranked if n >= 2 and self.lexical.expands(k)), EXPANSIONS))
