"""The relevance harness's measures and judgements, on small cases worked by hand."""

from __future__ import annotations

import math

import pytest

from bench.relevance import ALL_LABELS, Judgements, evaluate, judgements, ndcg_at_10, normal, recall_at_10
from bot.domain.models import Paper
from bot.search.text import query_terms


def test_ndcg_and_recall() -> None:
    assert ndcg_at_10(["a", "b"], {"a": 2, "b": 2}) == 1.0
    assert ndcg_at_10(["x", "a"], {"a": 2}) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_10(["x"], {"a": 2}) == 0.0
    # graded: the exact-keyword paper (gain 3) belongs above the one whose keyword merely holds the label (gain 1)
    assert ndcg_at_10(["b", "a"], {"a": 2, "b": 1}) == pytest.approx((1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3)))
    assert recall_at_10(["a", "x"], {"a": 2, "b": 1}) == 0.5
    assert recall_at_10([f"p{i}" for i in range(10)], {f"p{i}": 1 for i in range(50)}) == 1.0  # capped at 10


def test_unjudged_papers_are_condensed_away() -> None:
    judged = Judgements({"x": {"a": 2}}, frozenset({"a", "b"}))
    assert evaluate(lambda q: ["u1", "u2", "a"], {"x": "q"}, judged) == (1.0, 1.0)  # u1, u2 have no keywords
    assert evaluate(lambda q: ["b", "a"], {"x": "q"}, judged)[0] == pytest.approx(1 / math.log2(3))


def test_judgements_follow_the_keywords() -> None:
    papers = [
        Paper(arxiv_id="2401.00001", title="A", ai_keywords=("Speculative Decoding",)),
        Paper(arxiv_id="2401.00002", title="B", ai_keywords=("Mixture-of-Experts (MoE)",)),
        Paper(arxiv_id="2401.00003", title="C", ai_keywords=("decoding",)),
        Paper(arxiv_id="2401.00004", title="D", ai_keywords=("self-speculative decoding methods",)),
        Paper(arxiv_id="2401.00005", title="E"),
    ]
    found = judgements(papers)
    assert found.grades["speculative decoding"] == {"2401.00001": 2, "2401.00004": 1}
    assert found.grades["mixture-of-experts"] == {"2401.00002": 2}
    assert found.judged == {"2401.00001", "2401.00002", "2401.00003", "2401.00004"}
    assert normal("World-Models") == normal("world models")


def test_paraphrases_share_no_word_with_their_label() -> None:
    for label, paraphrase in ALL_LABELS.items():
        assert not set(query_terms(label)) & set(query_terms(paraphrase)), label  # stems, stop words aside
