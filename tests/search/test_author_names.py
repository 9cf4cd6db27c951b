"""An unquoted `author:` name joined to the words after it (`joined_names`): what it must not break."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from bot.domain.models import Paper
from bot.search.hybrid import HybridIndex
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters, SearchHit
from bot.search.query import parse_query
from bot.search.spelling import Searched, searched


def paper(arxiv_id: str, title: str, **fields: object) -> Paper:
    return Paper.model_validate({"arxiv_id": arxiv_id, "title": title, "listed_on": (date(2026, 6, 1),), **fields})


PAPERS = [
    paper("2401.00001", "Diffusion for images", authors=("Lei Zhang",)),
    paper("2401.00002", "World model agents", authors=("Lei Zhang",)),
    paper("2401.00003", "Diffusion world models", authors=("Lei Zhang",)),
    paper("2401.00004", "Tables", abstract="As Zhang et al. show, tables help.", authors=("Lei Wang",)),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex(PAPERS)


def one_name(names: tuple[str, ...]) -> bool:
    return set(names) <= {"lei", "zhang"}


@pytest.mark.parametrize("query", ["author:Lei \ud800", "diffusion author:Lei Zh\ud800ang"])
def test_a_lone_surrogate_after_an_author_name_is_searched_not_a_crash(index: LexicalIndex, query: str) -> None:
    # JSON's "\ud800" reached the name's words before the query was cleaned: a UnicodeEncodeError
    index.search_now(query)
    HybridIndex(PAPERS).search_now(query)


def test_a_word_with_a_quote_mark_is_not_joined_to_a_name() -> None:
    # `author:Lei Zhang"` joined as `author:"Lei Zhang""` moved the query's other quotes
    typed = 'author:Lei Zhang" diffusion "world model"'
    assert parse_query(typed, one_name) == parse_query(typed)


def test_a_query_of_the_longest_keeps_its_last_word_when_a_name_is_joined() -> None:
    typed = "author:Lei Zhang " + "x" * (4000 - 17 - len(" agents")) + " agents"
    assert len(typed) == 4000
    parsed = parse_query(typed, one_name)
    assert parsed.authors == (("lei", "zhang"),) and parsed.groups[-1] == parse_query(typed).groups[-1]


class Port:
    """The search port over a hybrid index, as the chat reaches it."""

    def __init__(self) -> None:
        self.index = HybridIndex(PAPERS)

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        return await asyncio.to_thread(self.index.search_now, query, filters, limit)

    async def respelled(self, query: str) -> str | None:
        return await asyncio.to_thread(self.index.respelled, query)


async def test_a_respelled_word_after_a_name_is_offered_never_searched_in_its_place() -> None:
    # docs/search.md: "a respelled name is never searched in place of the one typed"; "Zhnag", respelled
    # as a word (an abstract holds "Zhang"), then joined into the name, answered Lei Zhang's papers
    found = await searched(Port(), "author:Lei Zhnag", 10)
    assert found.respelled is None and found.suggested == "author:Lei zhang", found


def test_the_closest_found_note_quotes_the_topic_not_the_joined_name(index: LexicalIndex) -> None:
    """`author:Lei Zhang protein robots`: the note quoted “zhang protein robots”, a name word as a topic's."""
    hits = index.search_now("author:Lei Zhang robots diffusion")
    assert hits and not any(h.whole for h in hits)
    assert Searched(hits, "author:Lei Zhang robots diffusion").note() == (
        "None of these papers mentions every word of “robots diffusion”: they are the closest found."
    )


def test_authors_with_an_s_is_the_author_filter() -> None:
    """`authors:zamani`, as some search forms write it, searched for the word "authors zamani"."""
    assert parse_query("authors:zamani retrieval") == parse_query("author:zamani retrieval")
