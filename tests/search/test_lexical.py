from __future__ import annotations

import math
import time
from datetime import date

import numpy as np
import pytest

from bot.domain.models import Paper
from bot.search import lexical, postings
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters
from bot.search.query import parse_query
from bot.search.text import MAX_QUERY_TERMS, query_terms
from tests.conftest import listings_of


def paper(arxiv_id: str, title: str, day: date = date(2026, 6, 1), upvotes: int = 0, **fields: object) -> Paper:
    return Paper.model_validate(
        {"arxiv_id": arxiv_id, "title": title, "listed_on": (day,), "upvotes": upvotes, **fields}
    )


@pytest.fixture(scope="module")
def june() -> LexicalIndex:
    papers = {
        item.paper.arxiv_id: item.paper.model_copy(update={"listed_on": (item.day,)})
        for day in ("2026-06-01", "2026-06-02", "2026-06-03")
        for item in listings_of(day)
    }
    return LexicalIndex(list(papers.values()))


def ids(index: LexicalIndex, query: str, **filters: object) -> list[str]:
    return [hit.paper.arxiv_id for hit in index.search_now(query, SearchFilters(**filters), limit=10)]  # type: ignore[arg-type]


def test_a_title_match_outranks_an_abstract_match() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Robots in kitchens", abstract="We study speculative decoding in passing."),
            paper("2401.00002", "Speculative decoding for fast inference"),
            paper("2401.00003", "Unrelated work on proteins"),
        ]
    )
    assert ids(index, "speculative decoding") == ["2401.00002", "2401.00001"]


def test_stems_match_across_word_forms() -> None:
    index = LexicalIndex([paper("2401.00001", "Decoding speculatively"), paper("2401.00002", "Proteins")])
    assert ids(index, "speculative decoder") == ["2401.00001"]


def test_keywords_summary_and_authors_are_searched() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Alpha", ai_keywords=("mixture of experts",)),
            paper("2401.00002", "Beta", ai_summary="A retrieval augmented generator."),
            paper("2401.00003", "Gamma", authors=("Hamed Zamani",)),
        ]
    )
    assert ids(index, "experts") == ["2401.00001"]
    assert ids(index, "retrieval") == ["2401.00002"]
    assert ids(index, "Zamani") == ["2401.00003"]


def test_recency_and_upvotes_nudge_but_do_not_override_relevance() -> None:
    old_exact = paper("2401.00001", "Speculative decoding", day=date(2025, 1, 6), upvotes=1)
    new_popular_partial = paper("2401.00002", "Decoding images", day=date(2026, 6, 1), upvotes=300)
    tie_old = paper("2401.00003", "Speculative decoding", day=date(2025, 1, 6), upvotes=1)
    tie_new = paper("2401.00004", "Speculative decoding", day=date(2026, 6, 1), upvotes=50)
    index = LexicalIndex([old_exact, new_popular_partial, tie_old, tie_new])
    assert ids(index, "speculative decoding") == ["2401.00004", "2401.00001", "2401.00003", "2401.00002"]


def test_real_queries_find_relevant_papers(june: LexicalIndex) -> None:
    hits = june.search_now("search agents", limit=5)
    assert hits
    assert "2605.29307" in [h.paper.arxiv_id for h in hits]  # GrepSeek: Training Search Agents …
    assert all("search" in (h.paper.title + h.paper.abstract).lower() for h in hits)


def test_filters(june: LexicalIndex) -> None:
    everything = ids(june, "language models")
    assert everything
    one_day = SearchFilters(since=date(2026, 6, 2), until=date(2026, 6, 2))
    only_day = june.search_now("language models", one_day, limit=50)
    assert only_day
    assert {h.paper.last_listed for h in only_day} == {date(2026, 6, 2)}
    popular = june.search_now("language models", SearchFilters(min_upvotes=20), limit=50)
    assert popular
    assert all(h.paper.upvotes >= 20 for h in popular)
    within = frozenset(everything[:2])
    assert set(ids(june, "language models", within=within)) == within


def test_require_all_terms() -> None:
    index = LexicalIndex([paper("2401.00001", "Robot learning at scale"), paper("2401.00002", "Learning to rank")])
    assert ids(index, "robot learning", require_all=True) == ["2401.00001"]
    assert set(ids(index, "robot learning")) == {"2401.00001", "2401.00002"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "the of and",
        '"speculative decoding"',
        "title:(foo OR bar) AND NOT baz* NEAR/3 ^2 ~",
        "'; DROP TABLE papers; --",
        "🤖🦾 robots ü ß 漢字",
        "x" * 10_000,
        "a " * 5_000,
        "\x00\x1b[31m",
        "%s %d {0} ${x}",
    ],
)
def test_hostile_queries_neither_crash_nor_crawl(june: LexicalIndex, query: str) -> None:
    started = time.perf_counter()
    hits = june.search_now(query, limit=10)
    assert time.perf_counter() - started < 1.0  # generous: a crawl would be seconds
    assert len(hits) <= 10


def test_query_terms_are_capped_and_deduplicated() -> None:
    words = " ".join(f"word{i}" for i in range(500))
    assert len(query_terms(words)) == MAX_QUERY_TERMS
    assert query_terms("Diffusion diffusion DIFFUSION models") == ["diffus", "model"]
    assert query_terms("ｄｉｆｆｕｓｉｏｎ") == ["diffus"]  # full-width folds to ASCII


def test_an_empty_index_answers_nothing() -> None:
    assert LexicalIndex([]).search_now("anything") == []


def test_acronyms_and_their_expansions_match_each_other() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Scaling RL for reasoning"),
            paper("2401.00002", "Reinforcement learning from scratch"),
            paper("2401.00003", "Mixture-of-Experts routing"),
            paper("2401.00004", "Efficient LLMs on phones"),
            paper("2401.00005", "Large language models as judges"),
            paper("2401.00006", "KV cache eviction"),
            paper("2401.00007", "Learning to rank"),
        ]
    )
    assert set(ids(index, "reinforcement learning")) == {"2401.00001", "2401.00002"}
    assert set(ids(index, "RL")) == {"2401.00001", "2401.00002"}
    assert ids(index, "MoE") == ["2401.00003"]
    assert set(ids(index, "LLM")) == {"2401.00004", "2401.00005"}  # the plural "LLMs" too
    assert set(ids(index, "large language models")) == {"2401.00004", "2401.00005"}
    assert ids(index, "key value cache") == ["2401.00006"]
    # quoted, an acronym stands for itself: a phrase is the words typed
    assert ids(index, '"LLMs on"') == ["2401.00004"]
    assert ids(index, '"large language"') == ["2401.00005"]
    assert set(ids(index, 'LLM "efficient LLMs"')) == {"2401.00004"}
    assert parse_query('LLM "efficient LLMs"').groups[0].alternatives == (("llm",), ("larg", "languag", "model"))


def test_author_filter() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Search agents", authors=("Hamed Zamani", "Ada Lovelace")),
            paper("2401.00002", "Search engines", authors=("Ada Zamani",)),
            paper("2401.00003", "Search agents", authors=("Grace Hopper",)),
        ]
    )
    assert set(ids(index, "author:zamani")) == {"2401.00001", "2401.00002"}
    assert ids(index, 'author:"Hamed Zamani"') == ["2401.00001"]
    assert ids(index, "search author:hopper") == ["2401.00003"]
    assert ids(index, "author:“hamed lovelace”") == []  # the words must belong to one author


def test_quoted_phrases_must_appear_in_order() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "A world model for driving"),
            paper("2401.00002", "The model of the world"),
            paper("2401.00003", "Driving", abstract="We train a World-Model end to end."),
        ]
    )
    assert set(ids(index, '"world model"')) == {"2401.00001", "2401.00003"}
    assert set(ids(index, "world model")) == {"2401.00001", "2401.00002", "2401.00003"}
    assert set(ids(index, '"world model" driving')) == {"2401.00001", "2401.00003"}


def test_extend_adds_and_replaces_without_a_rebuild() -> None:
    index = LexicalIndex([paper("2401.00001", "Diffusion for proteins"), paper("2401.00002", "Graph learning")])
    main = index._segments[0]
    index.extend(
        [paper("2401.00003", "Speculative decoding at scale"), paper("2401.00001", "Flow matching for proteins")]
    )
    assert index._segments[0] is main  # the built segment was not touched
    assert len(index) == 3
    assert index.added == 2
    assert ids(index, "speculative decoding") == ["2401.00003"]
    assert ids(index, "flow matching") == ["2401.00001"]
    assert ids(index, "diffusion") == []  # the old version of 2401.00001 is gone
    assert ids(index, "proteins") == ["2401.00001"]
    assert ids(index, "graph") == ["2401.00002"]


def oracle(index: LexicalIndex, query: str, filters: SearchFilters) -> dict[int, float]:
    """The scoring rule spelled out paper by paper: for each query group, the best of its alternatives
    (an alternative counts when the paper holds all its terms), summed, scaled by the share of groups
    matched and by the prior."""
    parsed = parse_query(query)
    alive = len(index)
    out: dict[int, float] = {}
    for position in range(index.size):
        total, matched = 0.0, 0
        for group in parsed.groups:
            best = None
            for alternative in group.alternatives:
                found = [index._term(t) for t in alternative]  # the oracle reads the postings themselves
                if any(f is None or position not in f[0] for f in found):
                    continue
                score = 0.0
                for docs, weights in (f for f in found if f is not None):
                    idf = math.log(1.0 + (alive - len(docs) + 0.5) / (len(docs) + 0.5))
                    score += idf * float(weights[list(docs).index(position)])
                best = score if best is None else max(best, score)
            if best is not None:
                total, matched = total + best, matched + 1
        complete = matched == len(parsed.groups) or not filters.require_all
        if matched and complete and index.admits(parsed, filters, np.array([position]))[0]:
            out[position] = total * (0.5 + 0.5 * matched / len(parsed.groups)) * float(index.prior[position])
    return out


@pytest.fixture(scope="module")
def june_in_segments(june: LexicalIndex) -> LexicalIndex:
    """The same papers in segments of 7 (the layout of a large index), weighed alike."""
    papers = [june.paper(p) for p in range(june.size)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postings, "SEGMENT_DOCS", 7)
        patch.setattr(lexical, "SEGMENT_DOCS", 7)
        split = LexicalIndex()
        split._average = june._average  # field lengths are normalised by the first segment's
        split.load(papers)
        split.seal()
    assert split.segments > 5
    return split


QUERIES = ["diffusion models", "RL for LLM agents", "video world model", "mixture of experts routing", "zzz video"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("require_all", [False, True])
@pytest.mark.parametrize("layout", ["one segment", "segments of 7"])
def test_scores_follow_the_rule(
    june: LexicalIndex, june_in_segments: LexicalIndex, query: str, require_all: bool, layout: str
) -> None:
    index = june if layout == "one segment" else june_in_segments
    filters = SearchFilters(require_all=require_all, min_upvotes=3)
    positions, scores = index.ranked(parse_query(query), filters, depth=index.size)
    expected = oracle(index, query, filters)
    assert sorted(positions.tolist()) == sorted(expected)
    for position, score in zip(positions.tolist(), scores.tolist(), strict=True):
        assert score == pytest.approx(expected[position], rel=1e-4)
    assert scores.tolist() == sorted(scores.tolist(), reverse=True)  # best first


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("depth", [1, 3, 10])
def test_the_best_few_are_the_best_of_all(june_in_segments: LexicalIndex, query: str, depth: int) -> None:
    """Segments drop what cannot make the best `depth` as they go: what is left is the head of the full ranking."""
    parsed = parse_query(query)
    every = june_in_segments.ranked(parsed, SearchFilters(), depth=june_in_segments.size)
    best = june_in_segments.ranked(parsed, SearchFilters(), depth=depth)
    assert best[0].tolist() == every[0][:depth].tolist()
    assert best[1].tolist() == every[1][:depth].tolist()
