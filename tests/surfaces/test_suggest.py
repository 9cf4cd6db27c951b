"""Suggestions as one types: keywords for a topic, titles for a paper, within Discord's limits."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import date

import pytest

from bot.domain.models import Paper
from bot.store.headlines import Headline
from bot.store.papers import PaperStore
from bot.surfaces import suggestions as suggestions_module
from bot.surfaces.suggest import SuggestIndex
from bot.surfaces.suggestions import Suggestions


def headline(arxiv_id: str, title: str, keywords: tuple[str, ...] = (), upvotes: int = 0, day: int = 1) -> Headline:
    return Headline(arxiv_id, title, keywords, upvotes, date(2026, 6, day))


INDEX_HEADLINES = [
    headline("2606.00001", "Speculative Decoding at Scale", ("speculative decoding", "diffusion models"), 40, 1),
    headline("2606.00002", "Video Diffusion without Tears", ("Diffusion Models", "video diffusion"), 90, 2),
    headline("2606.00003", "Decoding Speculatively for Robots", ("diffusion models", "robotics"), 10, 3),
    headline("2606.00004", "Reinforcement Learning for Agents", ("reinforcement learning", "agents"), 5, 3),
    headline("2606.00005", "Ping @everyone <!channel> <@123> now", ("@everyone", "text diffusion"), 1, 3),
]
INDEX = SuggestIndex(INDEX_HEADLINES)


def test_topics_start_with_what_is_typed_most_used_first() -> None:
    names = [s.name for s in INDEX.topics("diff")]
    assert names[0] == "diffusion models"  # three papers use it; its most used spelling is shown
    assert names[1:] == ["text diffusion", "video diffusion"]  # a word starting with it
    assert all(s.name == s.value for s in INDEX.topics("diff"))


def test_topics_containing_what_is_typed_come_last() -> None:
    assert [s.name for s in INDEX.topics("fusion")] == ["diffusion models", "text diffusion", "video diffusion"]
    assert INDEX.topics("zz") == []


def test_no_text_suggests_the_most_used_topics() -> None:
    assert INDEX.topics("  ")[0].name == "diffusion models"


def test_titles_match_every_typed_word_the_last_half_typed() -> None:
    found = INDEX.titles("speculative dec")
    assert [s.value for s in found] == ["2606.00001", "2606.00003"]  # "Decoding Speculatively" too
    assert [s.value for s in INDEX.titles("video tears")] == ["2606.00002"]
    assert INDEX.titles("video robots") == []
    assert found[0].name == "Speculative Decoding at Scale (2606.00001)"
    assert [s.value for s in INDEX.titles("decod")] == ["2606.00001", "2606.00003"]  # most upvoted first


def test_titles_by_id_prefix() -> None:
    assert [s.value for s in INDEX.titles("2606.0000")] == [
        "2606.00002",
        "2606.00001",
        "2606.00003",
        "2606.00004",
        "2606.00005",
    ]


@pytest.mark.parametrize(
    "typed", ["https://arxiv.org/abs/2606.00003", "2606.00003v2", "arXiv:2606.00003", "https://hf.co/papers/2606.00003"]
)
def test_a_link_or_versioned_id_suggests_its_paper(typed: str) -> None:
    """What `/papers paper` takes, the suggestions understand too."""
    assert [s.value for s in INDEX.titles(typed)] == ["2606.00003"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("2606.00003v", ["2606.00003"]),  # the version half typed: the suggestion stayed away for a keystroke
        ("arXiv:2606.0000", ["2606.00002", "2606.00001", "2606.00003", "2606.00004", "2606.00005"]),
        ("ARXIV: 2606.00004", ["2606.00004"]),
        ("hep-th/9901001", ["hep-th/9901001"]),  # an old-style id, whole or begun: nothing was offered
        ("hep-th/99", ["hep-th/9901001"]),
        ("HEP-TH/9901001v2", ["hep-th/9901001"]),
    ],
)
def test_an_id_is_suggested_however_far_it_is_typed(typed: str, found: list[str]) -> None:
    index = SuggestIndex([*INDEX_HEADLINES, headline("hep-th/9901001", "Large N limit of superconformal theories")])
    assert [s.value for s in index.titles(typed)] == found


def test_papers_rank_by_votes_then_newest_then_id_as_a_sort_of_python_would() -> None:
    """Ranks come from NumPy's sorts (they let go of the GIL): the same order as Python's `sorted`,
    ties on votes and day broken by id, and an id prefix finds its papers in rank order."""
    papers = [
        headline(f"2606.{n:05d}", f"Paper number {n}", upvotes=(n * 7) % 3, day=1 + (n * 5) % 2) for n in range(40)
    ]
    expected = sorted(papers, key=lambda h: (-h.upvotes, -h.day.toordinal() if h.day else 0, h.arxiv_id))
    index = SuggestIndex(papers[::-1])
    assert [s.value for s in index.titles("paper number")][:25] == [h.arxiv_id for h in expected][:25]
    assert [s.value for s in index.titles("2606.0001")] == [
        h.arxiv_id for h in expected if h.arxiv_id.startswith("2606.0001")
    ]
    assert SuggestIndex([]).titles("paper") == []


def test_no_text_suggests_the_newest_days_papers() -> None:
    assert [s.value for s in INDEX.titles("")] == ["2606.00003", "2606.00004", "2606.00005"]


def test_a_choice_pings_no_one() -> None:
    [paper] = INDEX.titles("ping")
    assert "@everyone" not in paper.name
    assert "@\u200beveryone" in paper.name
    [topic] = INDEX.topics("@every")
    assert "@everyone" not in topic.name
    assert topic.value == "@everyone"  # what the search gets: the keyword as written (echoed inert)


def test_at_most_25_choices_of_at_most_100_characters() -> None:
    long = "A Very Long Title " * 20
    index = SuggestIndex(
        [headline(f"2606.{i:05d}", f"{long} {i}", (f"keyword {i} " + "x" * 150,), i) for i in range(60)]
    )
    for found in (index.titles(""), index.titles("very long")):
        assert len(found) == 25
        assert all(1 <= len(s.name) <= 100 and len(s.value) <= 100 for s in found)
    assert index.titles("very long")[0].value == "2606.00059"  # the most upvoted
    # a keyword longer than a choice's value is not offered: cut to 100, picking it searched another keyword
    assert index.topics("keyword") == index.topics("") == []
    fits = SuggestIndex([headline("2606.00001", "T", ("keyword " + "x" * 92,), 1)])
    assert [s.value for s in fits.topics("keyword")] == ["keyword " + "x" * 92]


async def test_suggestions_from_the_store_and_rebuilt_when_old(june_store: PaperStore) -> None:
    now = [0.0]
    suggestions = Suggestions(june_store, max_age=60, clock=lambda: now[0])
    try:
        assert [s.value for s in await suggestions.titles("grepseek")] == ["2605.29307"]
        assert await suggestions.topics("agent")
        await june_store.save_papers([Paper(arxiv_id="2606.99999", title="Grepseek Again", ai_keywords=("grep",))])
        assert [s.value for s in await suggestions.titles("grepseek")] == ["2605.29307"]  # not yet rebuilt
        now[0] = 61.0
        assert [s.value for s in await suggestions.titles("grepseek")] == ["2605.29307"]  # the old one, meanwhile
        deadline = time.monotonic() + 10
        while len(await suggestions.titles("grepseek")) < 2:
            assert time.monotonic() < deadline, "the index was never rebuilt"
            await asyncio.sleep(0.02)
        assert [s.value for s in await suggestions.titles("grepseek again")] == ["2606.99999"]
    finally:
        await suggestions.close()


async def test_an_old_index_of_an_unchanged_store_is_kept(june_store: PaperStore) -> None:
    now = [0.0]
    suggestions = Suggestions(june_store, max_age=60, clock=lambda: now[0])
    try:
        first = await suggestions.index()
        now[0] = 61.0
        await suggestions.index()  # old: checks the store, which has not changed
        await suggestions.refresh()
        assert await suggestions.index() is first
    finally:
        await suggestions.close()


async def test_a_close_cancelled_while_the_build_winds_up_is_cancelled(
    june_store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """close waited for the cancelled build with CancelledError suppressed, so a close cancelled in
    that wait (a stop running out of time) swallowed its own cancellation and returned as if done."""
    started, wound_up = asyncio.Event(), asyncio.Event()

    async def slow_stamp(_engine: object) -> tuple[int, int, object]:
        started.set()
        try:
            await asyncio.sleep(60)
        finally:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(0.2)  # a read winding up
            wound_up.set()
        raise AssertionError("never reached")

    monkeypatch.setattr(suggestions_module, "headlines_stamp", slow_stamp)
    suggestions = Suggestions(june_store)
    suggestions.warm()
    await asyncio.wait_for(started.wait(), 5)
    closing = asyncio.ensure_future(suggestions.close(within=0.0))
    await asyncio.sleep(0.05)  # the build is cancelled, and winding up
    closing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await closing
    await asyncio.wait_for(wound_up.wait(), 5)
    await asyncio.sleep(0)  # the build's task ends
