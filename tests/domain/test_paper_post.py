"""`paper <id>` shows the paper's card under its id and where it was listed, never its title twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.domain.cards import card, paper_post
from bot.domain.models import Paper

PAPER = Paper(arxiv_id="2605.29307", title="GrepSeek: searching by grep")


def test_a_listed_paper_says_its_last_listing_day_and_how_many_before() -> None:
    post = paper_post(PAPER.model_copy(update={"listed_on": (date(2026, 5, 29), date(2026, 6, 1))}))
    assert (post.header, post.subheader) == (
        "arXiv 2605.29307",
        "On Hugging Face Daily Papers 1 June 2026 (and 1 day before)",
    )
    [card] = post.cards
    assert card.title == PAPER.title and PAPER.title not in post.header


def test_a_paper_only_on_arxiv_says_when_it_was_published() -> None:
    post = paper_post(PAPER.model_copy(update={"published_at": datetime(2026, 5, 3, 9, tzinfo=UTC)}))
    assert post.subheader == "Published on arXiv 3 May 2026; on none of the Daily Papers days in the store"
    assert paper_post(PAPER).subheader == "On none of the Hugging Face Daily Papers days in the store"


def test_an_answer_s_card_leaves_its_thread_seed_out_and_is_otherwise_the_same() -> None:
    paper = PAPER.model_copy(update={"abstract": "We grep.", "ai_keywords": ("search",)})
    seeded, bare = card(paper), card(paper, seeded=False)
    assert [s.title for s in seeded.thread] == ["Abstract", "Keywords", "Authors", "Links"]
    assert bare.thread == () and replace(bare, thread=seeded.thread) == seeded


def test_a_broken_listings_title_is_cut_on_its_card_and_a_real_one_kept_whole() -> None:
    """A listing's title of 200,000 letters printed whole: 2,858 lines of one paper in the terminal (QA s76)."""
    broken = card(Paper(arxiv_id="2406.00001", title="word " * 40_000))
    assert len(broken.title) <= 300 and broken.title.endswith("…")
    real = "A Title  of 175 Letters, Spaced as Written " * 4
    assert card(Paper(arxiv_id="2406.00001", title=real[:175])).title == real[:175]  # not even its spaces folded
