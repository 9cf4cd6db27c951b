from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime

import pytest

from bot.delivery.digest import Delivered, Digest, DigestOptions, build_digest, no_listing
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.domain.models import Listing, Paper
from bot.store.papers import DayRecord, PaperStore, day_over_everywhere
from tests.conftest import listings_of, search_over


@pytest.fixture
async def june(store: PaperStore) -> PaperStore:
    for day in ("2026-06-01", "2026-06-02", "2026-06-03"):
        await store.save_listings(listings_of(day))
    return store


async def test_latest_day_by_default_ranked_by_upvotes(june: PaperStore) -> None:
    digest = await build_digest(june, search_over(june), DigestOptions(limit=100))
    assert digest.day == date(2026, 6, 3)
    assert digest.listed == 23
    assert len(digest.papers) == 23
    upvotes = [p.upvotes for p in digest.papers]
    assert upvotes == sorted(upvotes, reverse=True)


async def test_a_given_day_lists_exactly_that_days_papers(june: PaperStore) -> None:
    digest = await build_digest(june, search_over(june), DigestOptions(limit=100), date(2026, 6, 1))
    expected = {item.paper.arxiv_id for item in listings_of("2026-06-01")}
    assert len(digest.papers) == 49
    assert {p.arxiv_id for p in digest.papers} == expected
    assert digest.papers[0].arxiv_id == "2605.29307"


@pytest.mark.parametrize(
    ("topics", "said"),
    [
        (("agents", "search"), "on agents, search"),
        (("-robotics",), "leaving out robotics"),
        (("agents", "author:Hamed Zamani", "-video"), "on agents, by Hamed Zamani, leaving out video"),
    ],
)
@pytest.mark.slow
async def test_the_subheader_says_the_filters_as_they_are(june: PaperStore, topics: tuple[str, ...], said: str) -> None:
    digest = await build_digest(june, search_over(june), DigestOptions(topics=topics), date(2026, 6, 1))
    assert (digest.to_post().subheader or "").endswith(f" of 49 papers {said}")


async def test_limit_and_min_upvotes(june: PaperStore) -> None:
    digest = await build_digest(june, search_over(june), DigestOptions(limit=5, min_upvotes=10), date(2026, 6, 1))
    assert len(digest.papers) == 5
    assert all(p.upvotes >= 10 for p in digest.papers)
    post = digest.to_post()
    assert post.subheader == "Hugging Face Daily Papers · 5 of 49 papers with at least 10 upvotes"
    assert [c.rank for c in post.cards] == [1, 2, 3, 4, 5]


@pytest.mark.slow
async def test_topics_filter_through_search(june: PaperStore) -> None:
    search = search_over(june)
    digest = await build_digest(
        june, search, DigestOptions(topics=("reinforcement learning",), limit=100), date(2026, 6, 1)
    )
    assert 0 < len(digest.papers) < 49
    for paper in digest.papers:
        text = " ".join((paper.title, paper.abstract, paper.ai_summary or "", *paper.ai_keywords)).lower()
        assert "reinforcement" in text
        assert "learn" in text
    both = await build_digest(
        june, search, DigestOptions(topics=("reinforcement learning", "diffusion"), limit=100), date(2026, 6, 1)
    )
    assert len(both.papers) > len(digest.papers)


async def test_a_topic_or_exclusion_is_the_papers_text_not_its_authors_names(store: PaperStore) -> None:
    """`long video` is not on video by a Long Chen, and `-long` does not leave his papers out: names are
    asked for with `author:`, which takes whole names (`author:Han` is not every Zhang)."""
    day = date(2026, 5, 8)
    by_long = Paper(arxiv_id="2605.06356", title="Image-to-video generation, fast", authors=("Long Chen", "Ziao Zhang"))
    on_long = Paper(arxiv_id="2605.06357", title="Long video understanding", authors=("Rujun Han",))
    await store.save_listings([Listing(by_long, day, 1), Listing(on_long, day, 2)])
    search = search_over(store)

    async def ids(*topics: str) -> list[str]:
        built = await build_digest(store, search, DigestOptions(topics=topics, limit=10), day)
        return [p.arxiv_id for p in built.papers]

    assert await ids("long video") == ["2605.06357"]
    assert await ids("video", "-long") == ["2605.06356"]
    assert await ids("video -long") == ["2605.06356"]  # an exclusion inside a topic, as search reads it
    assert await ids("author:Han") == ["2605.06357"]
    assert await ids("author:Long Chen") == ["2605.06356"]


async def test_papers_already_delivered_are_skipped(june: PaperStore) -> None:
    sent = {item.paper.arxiv_id for item in listings_of("2026-06-01")[:3]}
    asked: list[set[str]] = []

    async def delivered(ids: Collection[str]) -> set[str]:
        asked.append(set(ids))
        return sent & set(ids)

    digest = await build_digest(june, search_over(june), DigestOptions(limit=100), date(2026, 6, 1), delivered)
    assert len(digest.papers) == 46
    assert not sent & {p.arxiv_id for p in digest.papers}
    assert len(asked) == 1


async def test_a_day_hugging_face_listed_nothing_for_says_so(june: PaperStore) -> None:
    await june.save_listings([], fetched=[date(2026, 6, 6)])
    digest = await build_digest(june, search_over(june), DigestOptions(), date(2026, 6, 6))
    post = digest.to_post()
    assert post.cards == ()
    assert post.subheader == "Hugging Face Daily Papers · no papers listed"
    assert post.empty == "Hugging Face listed no papers on Saturday 6 June 2026 (it lists papers on weekdays)."


async def test_a_day_the_store_never_had_is_not_called_empty(june: PaperStore) -> None:
    digest = await build_digest(june, search_over(june), DigestOptions(), date(2026, 6, 6))
    post = digest.to_post()
    assert post.subheader == "Hugging Face Daily Papers · not in the store"  # was "no papers listed"
    assert post.empty == (
        "Saturday 6 June 2026 is not in the store (a Saturday: Hugging Face lists papers on weekdays, so it most"
        " likely had none): run `paperboy sync --date 2026-06-06` to fetch it."
    )
    monday = (await build_digest(june, search_over(june), DigestOptions(), date(2026, 6, 8))).to_post()
    assert monday.empty == "Monday 8 June 2026 is not in the store: run `paperboy sync --date 2026-06-08` to fetch it."


def test_an_early_empty_answer_is_not_the_last_word() -> None:
    day = date(2026, 6, 8)
    asked = datetime(2026, 6, 8, 6, 30, tzinfo=UTC)
    assert no_listing(DayRecord(day, 0, asked)) == (
        "Hugging Face had listed no papers for Monday 8 June 2026 when last asked (8 June 06:30 UTC); "
        "they may still come."
    )
    assert (
        no_listing(DayRecord(day, 0, day_over_everywhere(day)))
        == "Hugging Face listed no papers on Monday 8 June 2026."
    )
    early = Digest(day, (), 0, DigestOptions(), record=DayRecord(day, 0, asked)).to_post()
    assert early.subheader == "Hugging Face Daily Papers · no papers listed yet"


@pytest.mark.slow
async def test_an_empty_digest_names_the_filter_that_left_nothing_counting_each(june: PaperStore) -> None:
    search = search_over(june)
    monday = date(2026, 6, 1)

    async def empty(options: DigestOptions, delivered: Delivered | None = None) -> str | None:
        return (await build_digest(june, search, options, monday, delivered)).to_post().empty

    assert await empty(DigestOptions(min_upvotes=10000)) == (
        "None of the 49 papers listed on Monday 1 June 2026 has 10000 upvotes or more (the most has 61)."
    )
    assert await empty(DigestOptions(topics=("quantum gravity", "protein folding"), min_upvotes=20)) == (
        "None of the 12 papers with at least 20 upvotes listed on Monday 1 June 2026 is on “quantum gravity” or "
        "“protein folding”."
    )

    async def all_sent(ids: Collection[str]) -> set[str]:
        return set(ids)

    assert await empty(DigestOptions(min_upvotes=50), all_sent) == (
        "All 2 papers with at least 50 upvotes listed on Monday 1 June 2026 reached this channel on an earlier day."
    )
    follows = Subscription(ChannelRef("slack", "D0001", "T0001"), min_upvotes=50, person="U0001").options()
    assert await empty(follows, all_sent) == (  # a person's follows, in their direct message: no channel
        "All 2 papers with at least 50 upvotes listed on Monday 1 June 2026 reached you on an earlier day."
    )
    filtered = await build_digest(june, search, DigestOptions(min_upvotes=10000), monday)
    assert filtered.to_post().subheader == "Hugging Face Daily Papers · 0 of 49 papers with at least 10000 upvotes"


async def test_an_empty_store_says_how_to_fill_it(store: PaperStore) -> None:
    digest = await build_digest(store, search_over(store), DigestOptions())
    assert digest.day is None
    assert "paperboy sync" in (digest.to_post().empty or "")


async def test_cards_carry_the_thread_seed(june: PaperStore) -> None:
    digest = await build_digest(june, search_over(june), DigestOptions(limit=1), date(2026, 6, 1))
    card = digest.to_post().cards[0]
    assert card.title.startswith("GrepSeek")
    assert card.url == "https://huggingface.co/papers/2605.29307"
    assert [link.label for link in card.links] == ["Hugging Face", "arXiv", "PDF", "Code ★19"]
    assert [s.title for s in card.thread] == ["Abstract", "AI summary", "Keywords", "Authors", "Links"]
    assert card.summary.startswith("GrepSeek enables")
    assert card.authors == "Alireza Salemi, Chang Zeng, Atharva Nijasure, Jui-Hui Chung and 3 more"
