from __future__ import annotations

import time
from datetime import date

import numpy as np
import pytest

from bot.domain.filters import by_author
from bot.domain.models import Paper
from bot.search import clauses
from bot.search.clauses import ONE_OF
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters
from bot.search.query import joined_names, parse_query
from bot.search.text import MAX_QUERY_TERMS, WORDS, folded, query_terms, words
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
        "\ud800 agents \udcff",  # lone surrogates: JSON's "\\ud800", or argv bytes that are not UTF-8
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


def test_words_of_ascii_text_are_the_phrase_analyser_s_words() -> None:
    """`words` reads ASCII text with a regex: it must cut exactly where the analyser that indexes
    phrases does, punctuation, digits and underscores included."""
    texts = [
        "LLM-s 3.5x 0xFF a_b c--d e.f (g) [h]/i",
        "Mixture-of-Experts",
        "\t\n",
        "",
        "ÀB naïve Ｆｕｌｌ",  # not ASCII: the analyser itself
    ]
    for day in ("2026-06-01", "2026-06-02", "2026-06-03"):
        for item in listings_of(day):
            paper = item.paper
            texts += [paper.title, paper.abstract, paper.ai_summary or "", *paper.authors, *paper.ai_keywords]
    assert all(words(text) == WORDS.analyze(folded(text)) for text in texts)
    assert words("a_b c--d") == ["a", "b", "c", "d"]


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


def test_an_initial_in_an_author_name_stands_for_a_word_it_begins_as_in_a_digest() -> None:
    """`author:"M. Cheng"` found no Ming Cheng (a search asked for the name word "m"), while a digest's
    `author:"M. Cheng"` found him; both take an initial the same way now."""
    authors = {
        "2401.00001": ("Ming Cheng",),
        "2401.00002": ("Mei-Ling Cheng", "Zhang Wei"),
        "2401.00003": ("Hao Cheng", "Ming Li"),  # an M. and a Cheng, not one author
        "2401.00004": ("Yann A. LeCun",),
    }
    index = LexicalIndex([paper(i, "Search agents", authors=a) for i, a in authors.items()])
    for name in ('author:"M. Cheng"', "author:“Cheng M”", 'search author:"m cheng"'):
        assert set(ids(index, name)) == {"2401.00001", "2401.00002"}, name
        typed = name.split(":")[-1].strip('"“”')
        assert {i for i, a in authors.items() if by_author(a, typed)} == set(ids(index, name))  # as a digest
    assert set(ids(index, "author:M. Cheng agents")) == {"2401.00001", "2401.00002"}  # unquoted: the name's words
    assert ids(index, 'author:"Y. A. LeCun"') == ["2401.00004"]
    assert ids(index, 'author:"Z. LeCun"') == []


def test_an_unquoted_name_takes_the_words_after_it_that_make_one_authors_name() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Diffusion for meshes", authors=("Biwen Lei", "Kaiyi Zhang")),  # a Lei and a Zhang
            paper("2401.00002", "Diffusion for images", authors=("Lei Zhang",)),
            paper("2401.00003", "Agents", authors=("Lei Zhang", "Yann LeCun")),
            paper("2401.00004", "Diffusion world models", authors=("Yann LeCun",)),
            paper("2401.00005", "Proteins", authors=("María José García López",)),
        ]
    )
    # read as a digest's filter reads `author:Lei Zhang`: one author, not `author:Lei` and the word "zhang"
    assert sorted(ids(index, "author:Lei Zhang")) == ["2401.00002", "2401.00003"]
    assert ids(index, "diffusion author:Lei Zhang") == ["2401.00002"]
    assert sorted(ids(index, "author:zhang lei")) == ["2401.00002", "2401.00003"]
    assert ids(index, "author:LeCun diffusion") == ["2401.00004"]  # no LeCun Diffusion: a word of the text
    assert ids(index, "author:García José López") == ["2401.00005"]  # three words of one name
    assert ids(index, "author:Lei Zhang author:Yann LeCun") == ["2401.00003"]
    assert sorted(ids(index, 'author:"Lei" zhang')) == ["2401.00001", "2401.00002", "2401.00003"]  # as typed


def test_joined_names_rewrites_only_unquoted_names_followed_by_their_words() -> None:
    known = {("lei", "zhang"), ("garcia", "maria"), ("garcia", "lopez", "maria")}  # folded, as `words` gives

    def one_name(names: tuple[str, ...]) -> bool:
        return len(names) == 1 or tuple(sorted(names)) in known

    assert joined_names("diffusion author:Lei Zhang -video", one_name) == 'diffusion author:"Lei Zhang" -video'
    assert joined_names("author:LeCun diffusion", one_name) == "author:LeCun diffusion"
    assert joined_names('author:"Lei" Zhang', one_name) == 'author:"Lei" Zhang'
    assert joined_names("author:María García López x", one_name) == 'author:"María García López" x'
    assert joined_names('author:Lei "Zhang"', one_name) == 'author:Lei "Zhang"'  # a phrase is no name word


def test_joined_names_costs_a_bounded_number_of_lookups_whatever_the_query() -> None:
    asked: list[tuple[str, ...]] = []

    def one_name(names: tuple[str, ...]) -> bool:
        asked.append(names)
        return True  # every word after a name is more of it: the most a query can ask

    long_name = joined_names("author:Lei " + "Zhang Lei " * 400, one_name)
    assert long_name.startswith('author:"Lei Zhang Lei Zhang Lei Zhang Lei Zhang Lei Zhang Lei Zhang" Lei')
    asked.clear()
    joined_names("author:a b " * 360, one_name)
    assert len(asked) == 24  # then the names are read as typed


def test_every_word_of_a_long_name_finds_its_author() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Proteins", authors=("María José García de la Fuente López",)),
            paper("2401.00002", "Graphs", authors=("María Chen", "Wei García")),
        ]
    )
    assert sorted(ids(index, "author:maría")) == ["2401.00001", "2401.00002"]
    assert ids(index, 'author:"maría garcía"') == ["2401.00001"]  # one author with both: not the second paper
    assert ids(index, 'author:"garcía lópez"') == ["2401.00001"]


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


def test_phrases_are_exact_across_stop_words_punctuation_and_fields() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "The model of the world", abstract="A study of scaling."),
            paper("2401.00002", "Of the world: models", abstract="Model of a world."),
            paper("2401.00003", "State-space models, at scale", abstract="We scale up."),
            paper("2401.00004", "Models of the", abstract="world we live in."),  # the title ends, the abstract begins
            paper("2401.00005", "World models", abstract="The model of the world and the model of the world."),
        ]
    )
    assert set(ids(index, '"model of the world"')) == {"2401.00001", "2401.00005"}  # stop words are words here
    assert set(ids(index, '"of the world"')) == {"2401.00001", "2401.00002", "2401.00005"}  # not across fields
    assert ids(index, '"state space models"') == ["2401.00003"]  # a hyphen parts words, as typed or not
    assert ids(index, '"models, at scale"') == ["2401.00003"]  # punctuation between the words
    assert ids(index, '"the world we"') == []  # "the" ends the title, "world" starts the abstract
    assert ids(index, '"of a world"') == ["2401.00002"]
    assert ids(index, '"world the"') == []  # the words of the phrase, out of order
    assert ids(index, '"the model of the world and the model"') == ["2401.00005"]  # a pair twice


def test_extend_adds_and_replaces_without_a_rebuild() -> None:
    index = LexicalIndex([paper("2401.00001", "Diffusion for proteins"), paper("2401.00002", "Graph learning")])
    index.extend(
        [paper("2401.00003", "Speculative decoding at scale"), paper("2401.00001", "Flow matching for proteins")]
    )
    assert len(index) == 3
    assert index.size == 3  # a new version keeps its paper's position (the embedding row)
    assert index.added == 2
    assert ids(index, "speculative decoding") == ["2401.00003"]
    assert ids(index, "flow matching") == ["2401.00001"]
    assert ids(index, "diffusion") == []  # the old version of 2401.00001 is gone
    assert ids(index, "proteins") == ["2401.00001"]
    assert ids(index, "graph") == ["2401.00002"]


def test_a_keyword_s_papers_hold_the_quoted_phrase_and_are_the_best_by_the_prior() -> None:
    papers = [
        paper(
            f"2401.{i:05d}",
            "A world model for driving" if i % 3 else "The model of the world",
            day=date(2026, 1, 1 + i % 28),
            upvotes=i,
            ai_keywords=("world models",),
        )
        for i in range(1, 301)
    ]
    index = LexicalIndex(papers)
    parsed = parse_query('"world model" driving')
    found, scores = index.keyword_papers("world models", parsed, SearchFilters(), 60)
    holding = {p.arxiv_id for p in papers if "world model" in p.title}
    assert len(found) == 60 and set(index.ids(found)) <= holding
    assert list(scores) == sorted(scores, reverse=True)
    best_possible = sorted((float(index.prior[p]) for p in index.positions(sorted(holding))), reverse=True)[:60]
    assert np.allclose(scores, best_possible)  # the best 60 by the prior, not only 60 of them


@pytest.mark.parametrize("count", [0, 1, 3, ONE_OF - 1, ONE_OF, 400])
def test_papers_are_found_by_id_and_position_however_many_are_asked(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = [paper(f"2401.{i:05d}", f"Paper {i} on language models", upvotes=i % 7) for i in range(450)]
    index = LexicalIndex(papers)
    asked = [p.arxiv_id for p in papers[::-1][:count]] + ["2499.99999"]  # newest first, one unknown
    positions = index.positions(asked)
    assert index.ids(positions[:-1]) == asked[:-1] and positions[-1] == -1
    assert sorted(index.papers_at(positions[:-1].tolist())) == sorted(positions[:-1].tolist())
    within = SearchFilters(within=frozenset(asked))
    hits = [(h.paper.arxiv_id, h.score) for h in index.search_now("language models", within, limit=500)]
    assert {i for i, _ in hits} == set(asked) - {"2499.99999"}
    monkeypatch.setattr(clauses, "ONE_OF", 0)  # tantivy's term-set query, whatever the count
    assert [(h.paper.arxiv_id, h.score) for h in index.search_now("language models", within, limit=500)] == hits


def test_a_small_keyword_s_papers_are_all_read_once_and_the_best_by_the_prior_come_first() -> None:
    papers = [
        paper(
            f"2401.{i:05d}", f"Paper {i}", day=date(2026, 1, 1 + i % 28), upvotes=(i * 7) % 40, ai_keywords=("agents",)
        )
        for i in range(1, 51)
    ] + [paper("2402.00001", "Elsewhere", ai_keywords=("diffusion",))]
    index = LexicalIndex(papers)
    found, scores = index.keyword_papers("agents", parse_query("agents"), SearchFilters(), 10)
    holding = sorted(p.arxiv_id for p in papers[:50])
    best = sorted(((float(index.prior[p]), -int(p)) for p in index.positions(holding)), reverse=True)[:10]
    assert [int(p) for p in found] == [-p for _, p in best]  # by the prior, ties by position
    assert np.allclose(scores, [s for s, _ in best])


def test_a_keyword_s_papers_are_kept_until_the_index_changes_and_a_query_s_conditions_still_apply() -> None:
    """A burst's searches expand with the same keywords: their papers are fetched once per read of the
    index, the same as fetched afresh; a write (a new, more upvoted paper) is seen at once, and a query
    with conditions (here a date) is never answered from what was kept for another."""
    papers = [
        paper(f"2401.{i:05d}", f"Paper {i}", day=date(2026, 1, i), upvotes=i, ai_keywords=("agents",))
        for i in range(1, 21)
    ]
    index = LexicalIndex(papers)
    asked = parse_query("agents")
    first = index.keyword_papers("agents", asked, SearchFilters(), 5)
    again = index.keyword_papers("agents", asked, SearchFilters(), 5)
    assert again[0] is first[0] and not again[0].flags.writeable  # kept, and shared read-only
    fresh = LexicalIndex(papers).keyword_papers("agents", asked, SearchFilters(), 5)
    assert first[0].tolist() == fresh[0].tolist() and first[1].tolist() == fresh[1].tolist()
    dated = index.keyword_papers("agents", asked, SearchFilters(until=date(2026, 1, 10)), 5)
    assert index.ids(dated[0]) == [f"2401.{i:05d}" for i in (10, 9, 8, 7, 6)]
    index.extend([paper("2402.00001", "Newest", day=date(2026, 2, 1), upvotes=500, ai_keywords=("agents",))])
    after = index.keyword_papers("agents", asked, SearchFilters(), 5)
    assert index.ids(after[0])[0] == "2402.00001"


@pytest.mark.parametrize("depth", [0, 1, 5, 60, 199, 200, 400])
def test_the_best_matches_are_the_full_sorts_first_ties_by_position(depth: int) -> None:
    rng = np.random.default_rng(depth)
    candidates = rng.permutation(10_000)[:200].astype(np.int64)
    scores = rng.choice(np.array([0.5, 1.0, 1.25, 2.0], dtype=np.float32), 200)  # ties everywhere
    order = np.lexsort((candidates, -scores))[:depth]
    found, kept = LexicalIndex.top((candidates, scores), depth)
    assert found.tolist() == candidates[order].tolist() and kept.tolist() == scores[order].tolist()


def test_an_author_prefix_with_no_name_is_left_out_and_noted() -> None:
    from bot.search.query import parse_query

    bare = parse_query("diffusion author:")
    assert bare.nameless and not bare.empty and bare.text == "diffusion"  # the rest is still searched
    assert parse_query('author:"  "').nameless and parse_query('author:"  "').empty
    assert not parse_query("author:LeCun").nameless


def test_an_acronym_finds_its_spelled_out_form_as_written_not_its_words_anywhere() -> None:
    """ "SSM" found papers holding "state", "space" and "model" anywhere (a model's state space, a latent
    space), ranked by those common words: no state-space-model paper came first, and a digest's topic
    "SSM" took them all in. A digest's topic now takes the form only as written (in order), and a search
    puts the papers writing it in a title or keyword first."""
    index = LexicalIndex(
        [
            paper("2401.00001", "Mamba: linear-time sequence modeling with selective state space models"),
            paper("2401.00002", "A State-Space Model for long video"),
            paper("2401.00003", "SSM layers at scale"),
            paper("2401.00004", "The state of the art model of latent space diffusion, state by state"),
            paper("2401.00005", "Model space search", abstract="The state of a model in its space."),
        ]
    )
    ssm = {"2401.00001", "2401.00002", "2401.00003"}
    for query in ("SSM", "ssms"):
        assert set(ids(index, query, require_all=True)) == set(ids(index, query)) == ssm, query
    # spelled out, the words typed count too: "low-rank adapters" is no "low rank adaptation" as written
    assert set(ids(index, "state space models", require_all=True)) == set(ids(index, "state space models"))
    assert set(ids(index, "state space models", require_all=True)) == ssm | {"2401.00004", "2401.00005"}
    # two of its words are no acronym's form: they are found anywhere, as any words are
    assert set(ids(index, "state space", require_all=True)) == {"2401.00001", "2401.00002", "2401.00004", "2401.00005"}


def test_a_query_s_words_as_typed_in_order_come_first() -> None:
    """ "stable diffusion" ranked a paper saying "stable" and "diffusion" twice each, apart, above one on
    Stable Diffusion (the model) with a longer text: a paper holding the query as typed now comes first."""
    filler = " ".join(f"word{n}" for n in range(80))
    index = LexicalIndex(
        [
            paper("2401.00001", "Diffusion for stable, stable training of diffusion"),
            paper("2401.00002", "Sketch control for Stable Diffusion", abstract=filler),
            paper("2401.00003", "Stable sketches"),
        ]
    )
    assert ids(index, "stable diffusion") == ["2401.00002", "2401.00001", "2401.00003"]
    assert ids(index, "diffusion stable") == ["2401.00001", "2401.00002", "2401.00003"]  # not as written: as before
    assert ids(index, "stable diffusions")[0] == "2401.00002"  # its last word in the other number: as typed too


def test_an_excluded_acronym_leaves_out_its_spelled_out_form_as_written() -> None:
    """As a digest's `-LLM` does: the acronym and its spelled-out form are one concept, the form as written.
    `-LLM` had left out every paper holding "large", "language" and "model" anywhere (68 of the corpus's
    1,512 diffusion papers mention neither LLMs nor large language models: "…Diffusion Language Model…")."""
    from bot.search.query import parse_query

    assert parse_query("agents -RL").excluded == (("rl",),)  # the term the index gives both forms
    assert parse_query("agents -video").excluded == (("video",),)
    index = LexicalIndex(
        [
            paper("2401.00001", "Diffusion language models from scratch", abstract="A large corpus."),
            paper("2401.00002", "Diffusion for large language models"),
            paper("2401.00003", "Diffusion as an LLM"),
            paper("2401.00004", "Diffusion of images"),
        ]
    )
    assert sorted(h.paper.arxiv_id for h in index.search_now("diffusion -LLM")) == ["2401.00001", "2401.00004"]


def test_a_quoted_exclusion_leaves_out_the_papers_holding_its_words() -> None:
    """`-"reinforcement learning"` was read as the words `-"reinforcement` and `learning"`, searched for."""
    index = LexicalIndex(
        [
            paper("2401.00001", "Agents trained with reinforcement learning", upvotes=50),
            paper("2401.00002", "Agents that plan", upvotes=1),
        ]
    )
    for query in ('agents -"reinforcement learning"', "agents -“reinforcement learning”"):
        parsed = parse_query(query)
        assert parsed.excluded == (("reinforc", "learn"), ("rl",)) and len(parsed.groups) == 1  # RL too
        assert [h.paper.arxiv_id for h in index.search_now(query)] == ["2401.00002"]


def test_a_boolean_not_in_capitals_leaves_out_what_follows_it() -> None:
    """`diffusion NOT video` searched for "diffusion" and "video" ("not" is a stop word): the papers meant
    to be left out came first. In capitals, before a word or a quote, it is `-`; lower case, or inside
    quotes, a word as before."""
    index = LexicalIndex(
        [
            paper("2401.00001", "Video diffusion at scale", upvotes=50),
            paper("2401.00002", "Diffusion for molecules", upvotes=1),
            paper("2401.00003", "Agents trained with reinforcement learning", upvotes=50),
            paper("2401.00004", "Agents that plan", upvotes=1),
        ]
    )
    assert [h.paper.arxiv_id for h in index.search_now("diffusion NOT video")] == ["2401.00002"]
    assert [h.paper.arxiv_id for h in index.search_now('agents NOT "reinforcement learning"')] == ["2401.00004"]
    assert parse_query("NOT diffusion").excluded == (("diffus",),) and parse_query("NOT diffusion").empty
    assert parse_query("diffusion not video").excluded == ()  # a word of a sentence
    assert parse_query('"Attention is NOT all you need"').phrases == (("attention", "is", "not", "all", "you", "need"),)
    assert parse_query("KNOT theory").excluded == ()


def test_quoted_phrases_joined_by_a_boolean_or_find_either() -> None:
    """`"flow matching" OR "rectified flow"` found only papers holding both ("or" is a stop word)."""
    index = LexicalIndex(
        [
            paper("2401.00001", "Flow matching for images"),
            paper("2401.00002", "Rectified flow transformers"),
            paper("2401.00003", "Rectified flow meets flow matching"),
            paper("2401.00004", "Normalizing flows"),
        ]
    )
    hits = index.search_now('"flow matching" OR "rectified flow"')
    assert {h.paper.arxiv_id for h in hits} == {"2401.00001", "2401.00002", "2401.00003"}
    assert all(h.whole for h in hits)  # each holds what was asked (QA s74 #2: "none mentions every word")
    assert not index.search_now('images "flow matching" OR "rectified flow"')[1].whole  # the other word too
    # a word typed outside the phrases too is asked for (review s74: it was taken for the phrase's)
    apart = {h.paper.arxiv_id: h.whole for h in index.search_now('matching "flow matching" OR "rectified flow"')}
    assert apart == {"2401.00001": True, "2401.00002": False, "2401.00003": True}
    assert {h.paper.arxiv_id for h in index.search_now('"flow matching" or "rectified flow"')} == {"2401.00003"}
    parsed = parse_query('"flow matching" OR "rectified flow" OR "normalizing flows" "for images"')
    assert parsed.either == ((("flow", "matching"), ("rectified", "flow"), ("normalizing", "flows")),)
    assert parsed.phrases == (("for", "images"),)
    assert parse_query('"flow matching" OR diffusion').phrases == (("flow", "matching"),)  # a word: ranked, as before


@pytest.mark.parametrize(
    ("typed", "as_read"),
    [
        ("title:diffusion", "diffusion"),
        ('Title:"world models" agents', '"world models" agents'),
        ("keywords:RL -abstract:video", "RL -video"),
        ('"title:diffusion" models', '"title:diffusion" models'),  # quoted: as typed
        ("subtitle:generation", "subtitle:generation"),  # no other engine's field
    ],
)
def test_another_search_engine_s_field_before_a_word_is_that_word(typed: str, as_read: str) -> None:
    """`title:diffusion` asked for "title" too, and said no paper shown held every word of it."""
    assert parse_query(typed) == parse_query(as_read)


@pytest.mark.parametrize("require_all", [False, True])
def test_a_search_returns_at_most_its_limit_however_deep_it_reads(june: LexicalIndex, require_all: bool) -> None:
    """A one-word query reads the 10 best by words for the papers it names: never more than asked come back."""
    for limit in (1, 3, 10):
        hits = june.search_now("diffusion", SearchFilters(require_all=require_all), limit=limit)
        assert len(hits) == limit and len({h.paper.arxiv_id for h in hits}) == limit


def test_a_name_and_its_number_typed_apart_match_them_run_together_too() -> None:
    """The index keeps "Qwen2.5" as "qwen2" and "5": "qwen 2.5" found no paper holding Qwen2.5, and said
    none of its papers did. Typed together, a name and its number match only as written: apart they
    would be the name and any such number in the text, and a digest's topic "qwen2" took in papers on
    Qwen-Image-2.0."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Qwen2.5-VL Technical Report"),
            paper("2601.00002", "The Llama 3 Herd of Models"),
            paper("2601.00003", "Llama3 agents in 5 games"),
            paper("2601.00004", "Qwen-Image 2.0 Technical Report"),  # the name, and a 2 elsewhere
        ]
    )

    def whole(query: str, require_all: bool = False) -> set[str]:
        return {h.paper.arxiv_id for h in index.search_now(query, SearchFilters(require_all=require_all)) if h.whole}

    assert whole("qwen 2.5") == whole("qwen2.5") == {"2601.00001"}
    assert whole("llama 3") == {"2601.00002", "2601.00003"}
    assert whole("llama3") == {"2601.00003"}  # run together: as written
    assert whole("qwen2", require_all=True) == {"2601.00001"}  # a digest's topic: not Qwen-Image 2.0


@pytest.mark.parametrize(("query", "report"), [("Qwen2.5-VL", "2502.13923"), ("Qwen2.5-Omni", "2503.20215")])
def test_a_model_named_with_a_dotted_version_is_a_name(query: str, report: str) -> None:
    """A name is words joined by dashes, and by dots too: "Qwen2.5-VL" was no name (its report 9th on the
    corpus, "Qwen2.5-Omni" and "Qwen2.5-Coder" out of the first five), "Qwen3-VL" was."""
    index = LexicalIndex(
        [
            paper("2502.13923", "Qwen2.5-VL Technical Report", upvotes=5),
            paper("2503.20215", "Qwen2.5-Omni Technical Report", upvotes=5),
            paper("2409.12186", "Qwen2.5-Coder Technical Report", upvotes=5),
            *(
                paper(f"2506.0000{n}", f"Agents {n}", abstract="We fine-tune Qwen2.5-VL and Qwen2.5-Omni.")
                for n in range(8)
            ),
        ]
    )
    parsed = parse_query(query, index.one_name)
    assert (
        index.named(parsed, index.ranked(parsed, SearchFilters(), 60)[0]).tolist() == index.positions([report]).tolist()
    )
    assert not index.named(parse_query("2.5"), index.ranked(parse_query("2.5"), SearchFilters(), 60)[0]).size
