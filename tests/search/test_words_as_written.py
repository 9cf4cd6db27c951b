"""What a query's words find, as papers write them (from an audit of the search against the shipped corpus):
a name with a word twice, letters Unicode does not decompose (ł, ø), capitals' plurals, a keyword's
phrase, a compound excluded. Each of these found papers it should not, or missed ones it should."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.models import Paper
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters


def paper(arxiv_id: str, title: str, **fields: object) -> Paper:
    return Paper.model_validate({"arxiv_id": arxiv_id, "title": title, "listed_on": (date(2026, 6, 1),), **fields})


PAPERS = [
    paper("2401.00001", "Kimi K3", authors=("Yang Liu", "Zhilin Yang", "Yang Gao")),  # Yangs, no Yang Yang
    paper("2401.00002", "Vision at scale", authors=("Yang Yang", "Wei Chen")),
    paper("2401.00003", "Spatial intelligence", authors=("Li Fei-Fei",)),
    paper("2401.00004", "Agents", authors=("Fei Zhang", "Hao Fei")),
    paper("2401.00005", "Rough paths", authors=("Rafał Marcin Łochowski",)),
    paper("2401.00006", "Fjords", authors=("Sunniva Bjørklund",)),
    paper("2401.00007", "Training at scale", abstract="We train using only 8 GPUs."),
    paper("2401.00008", "Sequence models", ai_keywords=("LSTMs", "Large Reasoning Models (LRMs)")),
    paper("2401.00009", "Rewards", ai_keywords=("loss-driven reward", "model-driven reward")),
    paper("2401.00010", "Reward modelling", abstract="A reward model trained on preferences."),
    paper("2401.00011", "Thinking small", abstract="Self-distillation after supervised fine-tuning for reasoning."),
    paper("2401.00012", "Pretraining", abstract="Self-supervised reasoning from raw video."),
    paper("2401.00013", "Reasoning with LLMs", abstract="Large language models that reason."),
    paper("2401.00016", "Pretraining too", abstract="Reasoning learnt with self-supervision."),
    paper("2401.00017", "Tuned reasoners", abstract="Reasoning models, fine-tuned."),
    paper("2401.00014", "AI-generated C++ in production", abstract="We study C++ and C# code written by models."),
    paper("2401.00015", "Section C of the survey", abstract="Appendix C lists the prompts."),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex(PAPERS)


def ids(index: LexicalIndex, query: str) -> set[str]:
    return {hit.paper.arxiv_id for hit in index.search_now(query, SearchFilters(), limit=50)}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('author:"Yang Yang"', {"2401.00002"}),  # it found Kimi K3's three Yangs: the name's terms are Yang's
        ("author:Fei-Fei", {"2401.00003"}),  # it found Fei Zhang and Hao Fei
        ("author:Lochowski", {"2401.00005"}),  # ł and ø: found nothing, and said no such author exists
        ('author:"Rafal Lochowski"', {"2401.00005"}),
        ("author:Bjorklund", {"2401.00006"}),
        ("author:Bjørklund", {"2401.00006"}),
    ],
)
def test_an_author_is_found_as_named(index: LexicalIndex, query: str, found: set[str]) -> None:
    assert ids(index, query) == found


@pytest.mark.parametrize(
    ("query", "paper_id"),
    [
        ("GPU", "2401.00007"),
        ("gpus", "2401.00007"),
        ("LRM", "2401.00008"),
        ("lstm", "2401.00008"),
        ("lstms", "2401.00008"),
    ],
)
def test_a_word_in_capitals_finds_its_plural(index: LexicalIndex, query: str, paper_id: str) -> None:
    assert paper_id in ids(index, query)  # "GPUs", "LRMs", "LSTMs" kept their "s" as a word of their own


def test_a_quoted_phrase_never_spans_two_keywords(index: LexicalIndex) -> None:
    assert ids(index, '"reward model"') == {"2401.00010"}  # not "loss-driven reward" + "model-driven reward"


def test_a_compound_excluded_leaves_out_the_papers_writing_it_only(index: LexicalIndex) -> None:
    """`-self-supervised` left out a paper on self-distillation and supervised fine-tuning."""
    every = {"2401.00008", "2401.00011", "2401.00012", "2401.00013", "2401.00016", "2401.00017"}
    assert ids(index, "reasoning") == every
    # each leaves out the other forms of its last word too, as `-video` leaves out "videos"; it left
    # "self-supervision" in
    assert ids(index, "reasoning -self-supervised") == every - {"2401.00012", "2401.00016"}
    assert ids(index, "reasoning -self-supervision") == every - {"2401.00012", "2401.00016"}
    assert ids(index, "reasoning -fine-tuning") == every - {"2401.00011", "2401.00017"}
    # a compound with an acronym's spelled-out form keeps its stems and the acronym: as -LLM leaves out
    assert (
        ids(index, "reasoning -large-language-model")
        == ids(index, "reasoning -LLM")
        == ids(index, "reasoning") - {"2401.00013"}
    )


def test_an_acronym_ending_in_s_keeps_it_and_a_number_keeps_its_decade() -> None:
    from bot.search.text import query_terms

    assert query_terms("3DGS tts 1990s campus gpus LSTMs") == ["3dgs", "tts", "1990s", "campus", "gpu", "lstm"]
    assert query_terms("ASs GANs") == ["ass", "gan"]  # "ASs" is not the stop word "as"
    assert query_terms("NaNs IoUs LLaMAs") == ["nan", "iou", "llama"]  # capitals and lower case mixed


def test_a_language_named_with_a_sign_is_a_word() -> None:
    """`C++` was the single letter "c", which is no term: searched alone it was refused as holding no word,
    and beside others it found the papers of the other words."""
    index = LexicalIndex(PAPERS)
    assert ids(index, "C++") == ids(index, "c++ code") == ids(index, "C#") == {"2401.00014"}
    assert ids(index, '"C++ in production"') == {"2401.00014"}
    assert index.search_now("c++ prompts", SearchFilters(), limit=2)[0].paper.arxiv_id == "2401.00014"


def test_a_run_of_letters_no_one_searches_for_is_left_out_as_both_sides_read_it() -> None:
    """A listing's broken title of 300,000 letters cost the index's commit 13 s, its time going with the
    square of the word's length (QA s72): a word of LONGEST bytes or more is no term, for documents and
    queries alike, and the rest of the text is found as before."""
    from bot.search.text import LONGEST, TERMS, WORDS, folded, query_terms, words

    long, short = "y" * LONGEST, "z" * (LONGEST - 1)
    for text in (f"{long} normal words {short}", f"Ünï {long} normal {short}"):
        assert words(text) == WORDS.analyze(folded(text))  # the ASCII fast path agrees with the analyser
        assert long not in words(text) and short in words(text)
    assert TERMS.analyze(f"{long} normal") == ["normal"] and query_terms(f"{long} normal") == ["normal"]
    index = LexicalIndex([paper("2401.00011", f"Normal {'Y' * 300_000} title", abstract="y" * 300_000)])
    assert [h.paper.arxiv_id for h in index.search_now("normal title", SearchFilters(), 5)] == ["2401.00011"]
    assert index.search_now('"normal title"', SearchFilters(), 5) == []  # the long word still stands between
