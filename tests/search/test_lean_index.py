"""The large-index layout: postings in many segments, papers on a file shelf, ids in arrays. It must
answer exactly as the small layout does (one segment, papers in memory)."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.domain.models import Paper
from bot.search import lexical, postings, vocabulary
from bot.search.ids import Ids
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters
from bot.search.postings import author_terms
from bot.search.shelf import FileShelf, MemoryShelf, shelf_for
from bot.search.text import words
from bot.search.vocabulary import Vocabulary
from tests.conftest import listings_of

QUERIES = [
    "language models",
    "RL for LLM agents",
    '"world model"',
    '"agents for"',
    "video diffusion author:wang",
    'author:"Yu Zhang"',
    "mixture of experts routing",
]


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    found = {
        item.paper.arxiv_id: item.paper.model_copy(update={"listed_on": (item.day,)})
        for day in ("2026-06-01", "2026-06-02", "2026-06-03", "2026-06-08", "2026-06-09")
        for item in listings_of(day)
    }
    return list(found.values())


def answers(index: LexicalIndex, filters: SearchFilters = SearchFilters()) -> list[list[tuple[str, float]]]:
    return [[(h.paper.arxiv_id, round(h.score, 5)) for h in index.search_now(q, filters, limit=20)] for q in QUERIES]


def test_many_segments_and_a_file_shelf_answer_like_one_segment(
    papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    small = LexicalIndex(papers)
    assert small.segments == 1
    monkeypatch.setattr(postings, "SEGMENT_DOCS", 7)
    monkeypatch.setattr(lexical, "SEGMENT_DOCS", 7)
    monkeypatch.setattr(lexical, "LOAD_CHUNK", 5)
    large = LexicalIndex(expected=10**6)  # a file shelf
    large._average = small._average  # field lengths are normalised by the first segment's: make it the same
    for first in range(0, len(papers), 11):  # streamed, in batches that do not line up with segments
        large.load(papers[first : first + 11])
    large.seal()
    assert large.segments == -(-len(papers) // 7)
    expected = answers(small)
    assert all(expected)  # every query finds something
    assert answers(large) == expected
    assert answers(large, SearchFilters(since=date(2026, 6, 3), min_upvotes=5)) == answers(
        small, SearchFilters(since=date(2026, 6, 3), min_upvotes=5)
    )


@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_a_term_table_locates_each_terms_postings(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postings, "_CHUNK", chunk)  # runs of one term across the chunks read
    terms = np.array([2, 2, 2, 5, 7, 7, 9, 9, 9, 9, 40], dtype=np.int64)
    keys = (terms << 16) | np.arange(terms.size)
    table = postings.Table.of(keys, 16)
    assert table.ids.tolist() == [2, 5, 7, 9, 40]
    assert table.counts()[1].tolist() == [3, 1, 2, 4, 1]
    assert table.span(9) == slice(6, 10)
    assert table.span(40) == slice(10, 11)
    assert all(table.span(t) is None for t in (0, 3, 8, 41, 10**6))  # absent, between, past the last
    empty = postings.Table.of(np.zeros(0, np.int64), 16)
    assert empty.span(0) is None and empty.counts()[1].size == 0


def test_a_vocabulary_gives_each_term_one_id_across_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "MERGE_AT", 4)  # merged into the arrays many times over
    known = Vocabulary()
    terms = [f"term{i % 37}" for i in range(200)]
    ids = np.concatenate([known.add(terms[i : i + 9]) for i in range(0, len(terms), 9)])
    assert len(known) == 37
    assert ids.tolist() == [i % 37 for i in range(200)]  # ids in the order terms first came
    assert all(known.get(f"term{i}") == i for i in range(37))
    assert known.get("term37") is None and known.get("") is None
    assert known.add(["term5", "new", "new"]).tolist() == [5, 37, 37]
    monkeypatch.setattr(vocabulary, "COMPACT_AT", 1)
    known.compact()
    assert not known._recent
    assert all(known.get(f"term{i}") == i for i in range(37)) and known.get("new") == 37


def test_segments_hold_every_posting_of_a_term(papers: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    small = LexicalIndex(papers)
    monkeypatch.setattr(postings, "SEGMENT_DOCS", 5)
    monkeypatch.setattr(lexical, "SEGMENT_DOCS", 5)
    split = LexicalIndex()
    split._average = small._average  # the same field-length normalisation, so the same weights
    split.load(papers)
    split.seal()
    for term in ("model", "agent", "diffus"):
        one, many = small._term(term), split._term(term)
        assert one is not None and many is not None
        assert one[0].tolist() == many[0].tolist()  # the same papers, in order, with the same weights
        assert one[1].tolist() == many[1].tolist()
        assert np.all(np.diff(many[0]) > 0)
    named = (author_terms(words(a)) for p in papers for a in p.authors)
    pair = next(t for terms in named for t in sorted(terms) if " " in t and small.holding(t).size > 1)
    for term in ("model", "\x01wang", pair, "\x02large language models"):
        assert small.holding(term).size > 1
        assert small.holding(term).tolist() == split.holding(term).tolist()


def test_extends_get_small_segments_then_one_merged(papers: list[Paper], monkeypatch: pytest.MonkeyPatch) -> None:
    index = LexicalIndex(papers[:20])
    for n, paper in enumerate(papers[20:32]):
        index.extend([paper])
        assert index.segments <= 1 + lexical.MAX_TAIL, n
    assert index.added == 12
    whole = LexicalIndex(papers[:32])
    for query in QUERIES:
        assert [h.paper.arxiv_id for h in index.search_now(query, limit=50)] == [
            h.paper.arxiv_id for h in whole.search_now(query, limit=50)
        ]


def test_an_author_pair_is_one_author(monkeypatch: pytest.MonkeyPatch) -> None:
    def paper(arxiv_id: str, *authors: str) -> Paper:
        return Paper(arxiv_id=arxiv_id, title="Agents", authors=authors, listed_on=(date(2026, 6, 1),))

    index = LexicalIndex(
        [
            paper("2401.00001", "Yu Yang"),
            paper("2401.00002", "Yu Zhang", "Li Yang"),  # a Yu and a Yang, not Yu Yang
            paper("2401.00003", "Yang Yu-Wei Chen"),
            paper("2401.00004", "Anna Maria de la Cruz"),
        ]
    )
    assert [h.paper.arxiv_id for h in index.search_now('agents author:"Yu Yang"')] == ["2401.00001", "2401.00003"]
    assert [h.paper.arxiv_id for h in index.search_now('author:"de la cruz"')] == ["2401.00004"]
    assert [h.paper.arxiv_id for h in index.search_now('author:"maria cruz anna"')] == ["2401.00004"]
    assert index.search_now('author:"anna la zhang"') == []


@pytest.mark.parametrize("make", [MemoryShelf, FileShelf])
def test_shelves_give_back_what_they_were_given(papers: list[Paper], make: type[MemoryShelf | FileShelf]) -> None:
    shelf = make()
    tricky = papers[0].model_copy(
        update={"title": "Ｆｕｌｌ-width ＴＩＴＬＥ\x1e with \x00 controls", "authors": ("A\x1fB", "Zoë Ünal")}
    )
    shelf.append([tricky])
    shelf.append(papers[1:])
    assert len(shelf) == len(papers)
    assert shelf.paper(0) == tricky
    assert shelf.paper(len(papers) - 1) == papers[-1]
    assert "full-width title" in shelf.phrase_text(0)
    assert shelf.authors(0)[-1] == "Zoë Ünal"
    assert shelf.keywords(5) == papers[5].ai_keywords
    some = [len(papers) - 1, 0, 5, 5]
    assert shelf.phrase_texts(some) == [shelf.phrase_text(i) for i in some]
    with pytest.raises(IndexError):
        shelf.paper(len(papers))
    with pytest.raises(IndexError):
        shelf.phrase_texts([3, len(papers)])


def test_reading_texts_does_not_depend_on_read_ahead_advice(
    papers: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    shelf = FileShelf()
    shelf.append(papers[:8])
    expected = [shelf.phrase_text(i) for i in range(8)]

    def refused(*_: object) -> None:
        raise OSError(22, "Invalid argument")  # a file system that does not take the advice

    monkeypatch.setattr(os, "posix_fadvise", refused)
    assert shelf.phrase_texts(range(8)) == expected


def test_a_large_index_keeps_its_papers_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert isinstance(shelf_for(10), MemoryShelf)
    assert isinstance(shelf_for(10**6), FileShelf)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))  # $TMPDIR unusable
    assert isinstance(shelf_for(10**6), MemoryShelf)
    assert "cannot write the search index's paper file" in caplog.text


def test_ids_find_the_latest_position() -> None:
    ids = Ids()
    ids.append(["2401.00002", "2401.00001"])
    assert ids.positions(["2401.00001"]).tolist() == [1]
    ids.append(["hep-th/9901001", "2401.00002"])  # longer ids widen the arrays; a new version moves
    asked = ["2401.00002", "hep-th/9901001", "2401.0000", "2401.000011", ""]
    assert ids.positions(asked).tolist() == [3, 2, -1, -1, -1]
    for n in range(100):  # many at once are sorted whole, a few are inserted
        ids.append([f"2402.{n:05d}"])
        assert ids.positions([f"2402.{n:05d}"]).tolist() == [4 + n]
    assert ids.ids(np.array([0, 2, 103])) == ["2401.00002", "hep-th/9901001", "2402.00099"]
    assert len(ids) == 104


@pytest.mark.parametrize("expected", [0, 10**6], ids=["memory shelf", "file shelf"])
def test_a_phrase_never_spans_two_papers(expected: int) -> None:
    def paper(arxiv_id: str, title: str) -> Paper:
        return Paper(arxiv_id=arxiv_id, title=title, listed_on=(date(2026, 6, 1),))

    index = LexicalIndex(
        [
            paper("2401.00001", "Making small LLMs"),  # checked together, their texts are joined
            paper("2401.00002", "Via distillation, LLMs learn"),
            paper("2401.00003", "LLMs via distillation"),
            paper("2401.00004", "Compressing LLMs: via pruning"),
        ],
        expected=expected,
    )
    assert [h.paper.arxiv_id for h in index.search_now('"LLMs via"')] in (
        ["2401.00003", "2401.00004"],
        ["2401.00004", "2401.00003"],
    )
    assert [h.paper.arxiv_id for h in index.search_now('"LLMs via" "via pruning"')] == ["2401.00004"]
    assert index.search_now('"small llms via"') == []
