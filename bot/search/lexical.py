"""The lexical index on tantivy: BM25 over title, keywords, AI summary, abstract and authors, each
field boosted (a word in the title counts for more than the same word in the abstract); quoted
phrases are positional queries over every word as written; `author:` and the filters are clauses of
the same query. The score is then nudged, gently, towards papers that are recent and have upvotes
(the prior, a re-rank: exact, as far down as it could change the order).

What is written, and each paper's position, is `bot.search.writes`'s (`IndexWrites`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
from tantivy import Order, Query

from bot.domain.models import Paper
from bot.domain.words import STOP_WORDS
from bot.host.pools import off_loop
from bot.search.clauses import conditions, held_whole, must, one_of, ranking
from bot.search.documents import SCHEMA, asked_terms, unproven
from bot.search.port import SearchFilters, SearchHit
from bot.search.query import Group, parse_query
from bot.search.query import Query as Parsed
from bot.search.text import RUN_TOGETHER, TERMS, has_names, query_terms, term_text, terms, words
from bot.search.writes import IndexWrites, at

GENERIC_SHARE = 0.02  # a keyword carried by more than this share of the papers expands no query (`expands`)…
GENERIC_FLOOR = 50  # …once it is on more papers than this (a store of a few hundred papers still expands)
RERANK = 2000  # BM25's best hits that the prior re-ranks (see `ranked`)
BY_PRIOR = 100  # hits fetched at first by the prior alone (more when the next could still be better)
PAPERS_KEPT = 4096  # papers kept parsed (`papers_at`)
KEYWORDS_KEPT = 4096  # keywords' papers kept (`keyword_papers`): 60 positions and scores each, about 1 KB
NEAR_PAPERS = 30  # papers read for the words near one no paper holds (`near_words`)
NAMED_AMONG = 10  # the best hits by words whose titles are read for the papers a query names (`named`)
VERSION_WORDS = 3  # a version (or acronym) query of at most this many words: its papers first (`holding_every_word`)
NAMED_FEW = 5  # … at most this many of them holding the query's word in their title: a name, not a topic
Scored = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]  # positions and their scores, best first
_EMPTY: Scored = (np.zeros(0, np.int64), np.zeros(0, np.float32))
K = TypeVar("K")
V = TypeVar("V")


class PerRead(Generic[K, V]):
    """Values kept while the index is read as it was (the same searcher, and whatever else is named),
    at most `most` of them: when full, they start over. Searches in several threads share it: the
    values and what they are for are replaced together, in one assignment."""

    def __init__(self, most: int) -> None:
        self._most = most
        self._held: tuple[tuple[object, ...], dict[K, V]] = ((), {})

    def of(self, *read: object) -> dict[K, V]:
        """The values kept for this read of the index (none, if they were for another)."""
        held_for, held = self._held
        if len(held_for) != len(read) or any(a is not b for a, b in zip(held_for, read, strict=True)):
            held = {}
            self._held = (read, held)
        return held

    def room(self, held: dict[K, V], more: int) -> None:
        """Make room for `more` values: over `most`, the ones kept go."""
        if len(held) + more > self._most:
            held.clear()


class LexicalIndex(IndexWrites):
    """Papers stream in (`load`, then `seal`) or come in place (`extend`, `delete`); searches read the
    last commit. Positions (`bot.search.registry`) are what the embedding side shares."""

    def __init__(self, papers: Sequence[Paper] = (), *, folder: Path | None = None, fresh: bool = False) -> None:
        """`fresh`: whatever the folder holds is thrown away (`bot.search.folder`)."""
        super().__init__(folder=folder, fresh=fresh)
        self._kept: PerRead[int, Paper] = PerRead(PAPERS_KEPT)  # papers read lately, by position
        # a keyword's papers by the prior, for queries with nothing to meet but the keyword (`keyword_papers`)
        self._by_keyword: PerRead[tuple[str, int], Scored] = PerRead(KEYWORDS_KEPT)
        self.load(papers)
        self.seal()

    def papers_at(self, positions: Sequence[int]) -> dict[int, Paper]:
        """The papers at these positions. Those read lately stay parsed (up to `PAPERS_KEPT`, then they
        start over) until the index is read again: a search's expansions and its answer read the same
        papers, and a burst the popular ones."""
        searcher = self._searcher
        kept = self._kept.of(searcher)
        found = {p: paper for p in positions if (paper := kept.get(p)) is not None}
        missing = [p for p in positions if p not in found]
        if missing:
            hits = searcher.search(one_of("pos", missing), len(missing)).hits
            docs = [searcher.doc(address) for _, address in hits]
            read = {
                int(p or 0): Paper.model_validate_json(d["paper"][0])
                for p, d in zip(searcher.fast_field_values("pos", [a for _, a in hits]), docs, strict=True)
            }
            self._kept.room(kept, len(read))
            kept.update(read)
            found |= read
        return found

    def held(self, word: str) -> int:
        """How many papers hold this word (folded, as written) in their text, else in an author's name: a
        search finds papers by their authors' names too ("chen diffusion"), so a name is no typo."""
        return int(self._searcher.doc_freq("words", word)) or int(self._searcher.doc_freq("names", word))

    def _near(self, field: str, word: str, most: int) -> Iterable[Paper]:
        """Some papers holding a word within `most` edits of `word` in this field (`bot.search.spelling`)."""
        fuzzy = Query.fuzzy_term_query(SCHEMA, field, word, distance=most, transposition_cost_one=True)
        hits = self._searcher.search(fuzzy, NEAR_PAPERS, count=False).hits
        return self.papers_at(at(self._searcher, hits).tolist()).values()

    def near_words(self, word: str, most: int) -> set[str]:
        """The words of some papers that hold a word within `most` edits of `word`."""
        papers = self._near("words", word, most)
        return {w for p in papers for t in (p.title, p.abstract, p.ai_summary or "", *p.ai_keywords) for w in words(t)}

    def held_stem(self, word: str) -> int:
        """How many papers hold a word of this word's stem ("Bolding" for "bold"), what a search finds it by."""
        stems = query_terms(word)
        return int(self._searcher.doc_freq("has", stems[0])) if len(stems) == 1 else 0

    def held_name(self, word: str) -> int:
        """How many papers have an author whose name holds this word (folded)."""
        return int(self._searcher.doc_freq("names", word))

    def one_name(self, names: tuple[str, ...]) -> bool:
        """Whether some paper has an author whose name holds every one of these words (folded)."""
        if not unproven(names):  # one word, or two: a term of their own in `names`
            return bool(names) and self._searcher.doc_freq("names", " ".join(sorted(set(names)))) > 0
        query = must(*(Query.term_query(SCHEMA, "names", t) for t in sorted(asked_terms(names))))
        hits = self._searcher.search(query, NEAR_PAPERS, count=False).hits
        return any(has_names(p.authors, names) for p in self.papers_at(at(self._searcher, hits).tolist()).values())

    def near_names(self, word: str, most: int) -> set[str]:
        """The name words of some papers' authors within `most` edits of `word`."""
        return {w for paper in self._near("names", word, most) for a in paper.authors for w in words(a)}

    def expands(self, key: str) -> bool:
        """Whether this Hugging Face keyword (see `keyword_key`) may expand a query: two papers or more
        carry it, and at most `GENERIC_SHARE` of them (or `GENERIC_FLOOR`, in a small store). A keyword
        on one paper in fifty ("reinforcement learning") is half of every topic's: its papers, taken by
        the prior alone, crowded out a rare topic's own ("protein" was answered with popular RL papers),
        and on `bench.relevance` leaving such keywords out raised every hybrid row (docs/search.md)."""
        carried = int(self._searcher.doc_freq("kw", key))
        return 2 <= carried <= max(GENERIC_FLOOR, GENERIC_SHARE * len(self))

    # -- searching ------------------------------------------------------------------------

    def search_now(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """The best `limit` hits, computed here and now: CPU work, refused on an event loop's thread
        (the search service runs it in the CPU pool)."""
        return self.search_parsed(parse_query(query, self.one_name), filters, limit)

    def search_parsed(self, parsed: Parsed, filters: SearchFilters, limit: int) -> list[SearchHit]:
        """`search_now` of a query parsed already (with `one_name`)."""
        off_loop("a search")
        if parsed.empty or not len(self) or limit <= 0:
            return []
        if filters.require_all:  # a topic filter: which papers, not their order; each holds every word
            return self.hits(self.ranked(parsed, filters, limit), None)
        ranked = self.ranked(parsed, filters, max(limit, NAMED_AMONG))
        return self.hits(named_first(ranked, self.named(parsed, ranked[0]), limit), parsed)

    def named(self, parsed: Parsed, ranked: npt.NDArray[np.int64], *, titles: bool = False) -> npt.NDArray[np.int64]:
        """The papers a query names: those of the best `NAMED_AMONG` by words (`ranked`) whose title holds
        a one-word query's word (and a version after it: "phi-4"), when they are at most `NAMED_FEW`. A
        model or a method asked for by its name ("gemma", "kimi") wants the papers titled with it first;
        by meaning and by the keywords of the best papers, papers about the same things (other language
        models, linear attention) ranked above them. A topic ("summarization") is in the title of most
        of the best papers by words: the fused order stands (`bench.relevance`: putting titles first
        for every query cost a tenth of the hybrid's keyword nDCG@10).
        `titles` (a search by meaning too): also a paper a longer query is the title of (`_titled`)."""
        best = ranked[:NAMED_AMONG].tolist()
        one = len([g for g in parsed.groups if not _version(g)]) == 1 or _HYPHENED.fullmatch(parsed.text.strip())
        # a name: one word, or words joined by dashes ("ASI-Bench"), and no quoted phrase
        if not best or parsed.either or (one and parsed.phrases) or not (one or titles):
            return np.zeros(0, np.int64)
        papers = self.papers_at(best)
        if not one:
            return _titled(parsed, {p: papers[p].title for p in best})
        typed = _pieces(parsed.text) - STOP_WORDS  # as written too: "clip" names no
        named = [p for p in best if _holds(parsed, papers[p].title) and typed <= _pieces(papers[p].title)]
        return np.array(named if len(named) <= NAMED_FEW else [], dtype=np.int64)  # "… Clipping" paper

    def hits(self, ranked: Scored, parsed: Parsed | None) -> list[SearchHit]:
        """The papers ranked, each saying whether it holds every word of the query (`whole`; a paper
        found by meaning or by a keyword's papers may not). Without the query (a topic filter's search,
        which requires every word) each does."""
        positions = ranked[0]
        papers = self.papers_at(positions.tolist())
        whole = self.whole(parsed, positions) if parsed is not None else np.ones(positions.size, dtype=bool)
        return [
            SearchHit(papers[p], s, w)
            for p, s, w in zip(positions.tolist(), ranked[1].tolist(), whole.tolist(), strict=True)
        ]

    def whole(self, parsed: Parsed, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of these positions hold every word of the query, in their text or an author's name (one
        small query over them)."""
        if not parsed.groups or not positions.size:
            return np.ones(positions.size, dtype=bool)
        within = one_of("pos", positions.tolist())
        return np.isin(positions, self._matching(must(within, held_whole(parsed)), positions.size))

    def holding_every_word(
        self, parsed: Parsed, by_words: npt.NDArray[np.int64], shown: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """The papers by words (`by_words`, in their order) that hold every word of a query naming a
        version ("gpt-4o", "phi-4", "gemma3": a letter by a digit; three words at most), when the first
        of those `shown` does not. Meaning knows nothing of versions, and the papers of the keywords the best
        ones share outranked the few that mention it: "gpt-4o" showed papers on drug design and agent
        skills and said none of them mentions GPT-4o, while six papers do."""
        numbered = any(_NAMED_NUMBER.search("".join(g.alternatives[0])) for g in parsed.groups)  # not "1 bit"
        # …and a query of two or three words, one an acronym, none of whose papers shown holds every word:
        # papers holding one word often outranked those holding every word of `GRPO DPO`
        counted = any(g.alternatives[0][0].isdigit() for g in parsed.groups)  # "1 bit llm": most abstracts hold a 1
        acronym = len(parsed.groups) > 1 and any(len(g.alternatives) > 1 for g in parsed.groups) and not counted
        if len(parsed.groups) > VERSION_WORDS or not shown.size or not (numbered or acronym):
            return np.zeros(0, np.int64)
        if self.whole(parsed, shown[:1] if numbered else shown).any():
            return np.zeros(0, np.int64)
        return by_words[self.whole(parsed, by_words)]

    def writing(self, parsed: Parsed, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Of these positions, the papers whose own text writes the acronym a query asks for alone, as
        typed ("NeRF", "ViT", "GAN"), or its spelled-out form; none for any other query. Meaning and the
        keywords of the best papers ranked papers that never write a rare acronym above those that do:
        "NeRF" showed papers on world models and red teaming first, "ViT" two diffusion papers."""
        if len(parsed.groups) != 1 or not parsed.groups[0].acronym or not positions.size:
            return np.zeros(0, np.int64)
        in_text = ranking(self._searcher, parsed, require_all=True)  # the body alone: not a Gan's papers
        return self._matching(must(one_of("pos", positions.tolist()), in_text), positions.size)

    def _named(self, parsed: Parsed, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which positions hold every `author:` name of three words or more, in one author's name."""
        names = [a for a in parsed.authors if unproven(a)]
        if not names or not positions.size:
            return np.ones(positions.size, dtype=bool)
        papers = self.papers_at(positions.tolist())
        return np.array([all(has_names(papers[p].authors, n) for n in names) for p in positions.tolist()], bool)

    def ranked(self, parsed: Parsed, filters: SearchFilters, depth: int) -> Scored:
        """The best `depth` papers the query may return (filters, `author:`, quoted phrases, and with
        `require_all` every group), best first: BM25 times the prior, over BM25's best `RERANK` hits
        (to climb from further down, a paper's BM25 would have to be within the prior's whole range,
        30 %, of the last one kept). One run of the query: tantivy scores every match whether 100 or
        2,000 are kept, and a broad query over many near-equal papers, fetched deeper and deeper
        until the prior could not reorder them, cost six runs."""
        if depth <= 0 or not len(self):
            return _EMPTY
        clauses = conditions(parsed, filters)
        if not parsed.groups:  # only an author or a phrase was asked for: the recent and upvoted first
            return self.by_prior(must(*clauses), depth, parsed) if clauses else _EMPTY
        query = must(ranking(self._searcher, parsed, filters.require_all), *clauses)
        fetch = max(RERANK, 2 * depth)
        while True:
            hits = self._searcher.search(query, fetch, count=False).hits
            positions = at(self._searcher, hits)
            bm25 = np.array([s for s, _ in hits], dtype=np.float32)
            keep = self._named(parsed, positions)
            positions, bm25 = positions[keep], bm25[keep]
            best = self.top((positions, bm25 * self.prior[positions]), depth)
            if len(hits) < fetch or best[1].size >= depth:
                return best
            fetch *= 4  # `author:` names of three words or more left fewer than `depth`

    def by_prior(self, query: Query, depth: int, parsed: Parsed) -> Scored:
        """The best `depth` papers the query matches by the prior alone: fetched newest first and most
        upvoted first until no paper older and less upvoted than those could have a higher prior."""
        fetch = max(BY_PRIOR, 2 * depth)
        while True:
            found, floors = [], []
            for field in ("day", "upvotes"):
                hits = self._searcher.search(query, fetch, count=False, order_by_field=field, order=Order.Desc).hits
                found.append(at(self._searcher, hits))
                floors.append(int(getattr(self._registry, field)[found[-1][-1]]) if found[-1].size else 0)
                if found[0].size < fetch:  # every match: no other order to fetch them in
                    break
            positions = np.unique(np.concatenate(found))
            positions = positions[self._named(parsed, positions)]
            best = self.top((positions, self.prior[positions]), depth)
            if found[0].size < fetch or (best[1].size >= depth and self._registry.bound(*floors) < best[1][-1]):
                return best
            fetch *= 4

    def keyword_papers(self, key: str, parsed: Parsed, filters: SearchFilters, depth: int) -> Scored:
        """The best `depth` papers tagged with this keyword that the query admits, by the prior. Where the
        query admits every paper (no filter, `author:`, exclusion or phrase: most queries), they depend on
        the keyword and the index alone, and are kept (up to `KEYWORDS_KEPT`) until it is read again: the
        searches of a burst expand with the same few keywords ("large language models"), and fetching a
        keyword's papers twice over, newest and most upvoted first, was a sixth of a search."""
        clauses = conditions(parsed, filters)
        if clauses:
            return self.by_prior(must(Query.term_query(SCHEMA, "kw", key), *clauses), depth, parsed)
        kept = self._by_keyword.of(self._searcher, self._registry.prior)  # another read: another prior too
        found = kept.get((key, depth))
        if found is None:
            positions, scores = self.by_prior(Query.term_query(SCHEMA, "kw", key), depth, parsed)
            positions.setflags(write=False)  # shared by the searches that ask for it
            scores.setflags(write=False)
            self._by_keyword.room(kept, 1)
            found = kept[(key, depth)] = (positions, scores)
        return found

    def allowed(self, parsed: Parsed, filters: SearchFilters) -> npt.NDArray[np.bool_] | None:
        """Per position: whether the filters and `author:` names allow it (phrases: see `admits`); None
        when they leave nothing out (the dense side needs no mask)."""
        clauses = conditions(parsed, filters, phrases=False)
        if not clauses:
            return None
        held = np.zeros(self.size, dtype=bool)
        held[self._matching(must(*clauses))] = True
        return self._registry.alive & held

    def admits(self, parsed: Parsed, filters: SearchFilters, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of these positions the query may return: filters, `author:` names and quoted phrases."""
        if not positions.size:
            return np.zeros(0, dtype=bool)
        clauses = conditions(parsed, filters)
        if not clauses:  # nothing to meet but being in the index
            return self._registry.alive[positions]
        within = one_of("pos", positions.tolist())
        found = self._matching(must(within, *clauses), positions.size)
        return np.isin(positions, found) & self._named(parsed, positions)

    @staticmethod
    def top(matches: Scored, depth: int) -> Scored:
        """The best `depth` matches, best first (ties by position, so results are stable). Only those
        scoring at least the `depth`-th best are sorted (a sixth of the time for 2,000 matches); the
        scores are finite (BM25, fusion and prior: a NaN would sort otherwise than in a full sort)."""
        candidates, scores = matches
        if 0 < depth < scores.size:
            kept = scores >= np.partition(scores, scores.size - depth)[scores.size - depth]
            candidates, scores = candidates[kept], scores[kept]
        order = np.lexsort((candidates, -scores))[:depth]
        return candidates[order], scores[order].astype(np.float32)


def _version(group: Group) -> bool:
    """Whether a query's term is a version ("4" of "phi-4", "k2" of "kimi k2"): three characters at
    most, one a digit."""
    terms = group.alternatives[0]
    return (
        len(group.alternatives) == 1 and len(terms) == 1 and len(terms[0]) <= 3 and any(c.isdigit() for c in terms[0])
    )


# a letter by a digit, as typed: "gemma3", "4o", "phi" "4" of "phi 4"; not a number alone ("1 bit llm", "100
# languages"), which counts things: most abstracts hold one, and "1 bit llm" showed LLaVA-OneVision-2 third
_NAMED_NUMBER = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")


# words joined by dashes or dots, as a name is written: "ASI-Bench", "Qwen-Image-Edit", "Qwen2.5-VL" (the dot's
# report was 9th); with a letter: "2.5" is a number
_HYPHENED = re.compile(r"(?=\S*[^\W\d_])\w+(?:[-.]\w+)+")


def _pieces(text: str) -> set[str]:
    """The words of `text` as written, a name run together with its number as two ("gemma4" is "gemma",
    "4"): a name and its number typed apart name a title that runs them together, as their group
    matches it (`query._name_and_number`)."""
    pieces: set[str] = set()
    for word in words(text):
        together = RUN_TOGETHER.fullmatch(word)
        pieces.update(together.group(1, 2) if together else (word,))
    return pieces


def _holds(parsed: Parsed, title: str) -> bool:
    """Whether the title holds every group of the query (one of its alternatives, whole)."""
    held = terms(title)
    return all(any(held.issuperset(a) for a in group.alternatives) for group in parsed.groups)


def _titled(parsed: Parsed, titles: dict[int, str]) -> npt.NDArray[np.int64]:
    """Of these papers (position: title), those a query of several words is the title of: their title
    holds its words side by side, in the order typed, and they are half its words or more (before a
    colon: "Count Anything: …"), or it is the only title that holds them ("Segment Anything with
    Motion, …"), when at most `NAMED_FEW` titles hold them side by side at all. The keywords that the
    best papers share ("diffusion transformer") ranked other papers above the one whose whole title was
    asked for: 15th (QA s74 #1). A topic ("attention mechanism") is a small part of the titles that
    hold it, often of several (`bench.relevance`: naming every paper whose title holds the words cost
    a fresh keyword nDCG@10 of 0.013); searched by words alone a paper's title finds it first anyway,
    so the lexical search names none this way."""

    def runs_from(held: tuple[str, ...], at: int, groups: Sequence[Group]) -> bool:
        return not groups or any(
            tuple(held[at : at + len(a)]) == a and runs_from(held, at + len(a), groups[1:])
            for a in groups[0].alternatives
        )

    if len(parsed.groups) < 2:
        return np.zeros(0, np.int64)
    held = {p: _title_terms(title) for p, title in titles.items()}
    first = {a[0] for a in parsed.groups[0].alternatives if a}
    runs = [
        p for p in titles if any(t in first and runs_from(held[p], at, parsed.groups) for at, t in enumerate(held[p]))
    ]
    if len(runs) > NAMED_FEW:
        return np.zeros(0, np.int64)
    heads = {p: _title_terms(_TITLE_HEAD.split(titles[p], maxsplit=1)[0]) for p in runs}
    return np.array([p for p in runs if 2 * len(parsed.groups) >= len(heads[p]) or len(runs) == 1], dtype=np.int64)


_TITLE_HEAD = re.compile(r":\s")  # a title's name before its colon: "Count Anything: …"


@lru_cache(maxsize=16384)  # the best papers by words of a burst's queries: mostly the same titles
def _title_terms(title: str) -> tuple[str, ...]:
    return tuple(TERMS.analyze(term_text(title)))


def named_first(ranked: Scored, named: npt.NDArray[np.int64], depth: int) -> Scored:
    """The first `depth` of `ranked` with the papers the query names (`LexicalIndex.named`) before the
    others, each in its order (their scores kept as they are)."""
    first = np.isin(ranked[0], named)
    order = np.concatenate([np.flatnonzero(first), np.flatnonzero(~first)])[:depth]
    return ranked[0][order], ranked[1][order]
