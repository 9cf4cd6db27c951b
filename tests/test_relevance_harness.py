"""The relevance harness's measures and judgements, on small cases worked by hand."""

from __future__ import annotations

import math

from bench.relevance import PARAPHRASES, judgements, ndcg_at_10, normal, recall_at_10
from bot.models import Paper
from bot.search.text import query_terms


def test_ndcg_and_recall() -> None:
    assert ndcg_at_10(["a", "b"], {"a", "b"}) == 1.0
    assert ndcg_at_10(["x", "a"], {"a"}) == 1 / math.log2(3)
    assert ndcg_at_10(["x"], {"a"}) == 0.0
    assert recall_at_10(["a", "x"], {"a", "b"}) == 0.5
    assert recall_at_10([f"p{i}" for i in range(10)], {f"p{i}" for i in range(50)}) == 1.0  # capped at 10


def test_judgements_follow_the_keywords() -> None:
    papers = [
        Paper(arxiv_id="2401.00001", title="A", ai_keywords=("Speculative Decoding",)),
        Paper(arxiv_id="2401.00002", title="B", ai_keywords=("Mixture-of-Experts (MoE)",)),
        Paper(arxiv_id="2401.00003", title="C", ai_keywords=("decoding",)),
    ]
    found = judgements(papers)
    assert found["speculative decoding"] == {"2401.00001"}
    assert found["mixture-of-experts"] == {"2401.00002"}
    assert normal("World-Models") == normal("world models")


def test_paraphrases_share_no_word_with_their_label() -> None:
    for label, paraphrase in PARAPHRASES.items():
        assert not set(query_terms(label)) & set(query_terms(paraphrase)), label  # stems, stop words aside
