from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.sources.hf_payload import HFPaper, describe, parse_daily, read_daily
from bot.sources.validation import MAX_COUNT
from tests.conftest import BROKEN, CURRENT, SHAPES

SHAPE_DAYS = sorted(p for p in SHAPES.glob("20*.json"))


@pytest.mark.parametrize("path", SHAPE_DAYS, ids=lambda p: p.stem)
def test_every_recorded_shape_parses(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    listings = parse_daily(raw, date.fromisoformat(path.stem))
    assert len(listings) == len(raw)
    for item, listing in zip(raw, listings, strict=True):
        paper = listing.paper
        assert paper.arxiv_id == item["paper"]["id"]
        assert paper.title
        assert paper.upvotes == item["paper"]["upvotes"]
        assert paper.num_comments == item["numComments"]
        assert paper.authors, "every recorded paper has named authors"
    assert [item.rank for item in listings] == list(range(1, len(raw) + 1))


def test_optional_fields_come_through_when_present() -> None:
    raw = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"))
    first = parse_daily(raw, date(2026, 6, 1))[0].paper
    assert first.arxiv_id == "2605.29307"
    assert first.github_repo == "https://github.com/alirezasalemi7/grepseek"
    assert first.github_stars == 19
    assert first.organization == "University of Massachusetts Amherst"
    assert first.ai_summary and first.ai_summary.startswith("GrepSeek")
    assert "GRPO" not in first.ai_keywords and "Group Relative Policy Optimization" in first.ai_keywords
    assert first.thumbnail == "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2605.29307.png"


def test_oldest_shape_has_no_optional_fields_and_still_parses() -> None:
    raw = json.loads((SHAPES / "2024-05-27.json").read_text(encoding="utf-8"))
    paper = parse_daily(raw, date(2024, 5, 27))[0].paper
    assert paper.github_repo is None and paper.ai_summary is None and paper.ai_keywords == ()
    assert paper.organization is None and paper.thumbnail is None


def test_listing_day_falls_back_to_submission_day() -> None:
    raw = json.loads((CURRENT / "2026-06-02.json").read_text(encoding="utf-8"))
    assert {item.day for item in parse_daily(raw, None)} == {date(2026, 6, 2)}


def test_an_items_own_day_wins_over_the_day_given_only_when_asked() -> None:
    """A sync files what Hugging Face listed for the day asked; a file, whose name may be wrong, files
    each paper under its own day, and the day given only what carries none."""
    raw = [
        {"paper": {"id": "2401.00001", "title": "T", "submittedOnDailyAt": "2026-06-02T07:00:00.000Z"}},
        {"paper": {"id": "2401.00002", "title": "T"}},
    ]
    asked = [x.day for x in parse_daily(raw, date(2026, 6, 1))]
    assert asked == [date(2026, 6, 1), date(2026, 6, 1)]
    own = [x.day for x in parse_daily(raw, date(2026, 6, 1), own_days=True)]
    assert own == [date(2026, 6, 2), date(2026, 6, 1)]


def test_broken_python_repr_file_is_refused_with_a_clear_reason() -> None:
    raw = json.loads(BROKEN.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="items are strings, not JSON objects"):
        parse_daily(raw, date(2024, 12, 11))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            {"error": "Invalid date"},
            r"it answered with an error of its own, 'Invalid date' \(where PAPERBOY_HF_URL",
        ),  # Hugging Face's own words
        ({"papers": []}, "expected a JSON array, got an object$"),
        (None, "expected a JSON array, got null$"),
        ("[]", "expected a JSON array, got a string$"),
        (1.5, "expected a JSON array, got a number$"),
        (True, "expected a JSON array, got true$"),
        ([[{"paper": {}}], [{"paper": {}}]], "an array of arrays, as of several days; give one file a day"),
        ([{"paper": {"title": "no id"}}], r"item 1 \(\.\[0\]\.paper\.id\): missing"),
        ([{"paper": {"id": "not-an-id", "title": "t"}}], "not an arXiv id"),
        ([{"paper": {"id": "2401.00001", "title": "t", "upvotes": "many"}}], "upvotes"),
    ],
)
def test_malformed_payloads_say_what_is_wrong(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_daily(raw, date(2026, 1, 5))


@pytest.mark.parametrize(
    ("raw", "said"), [([], "got an array"), (None, "got null"), (False, "got false"), (7, "got a number")]
)
def test_a_paper_answer_of_another_shape_is_named_in_jsons_words(raw: object, said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        HFPaper.model_validate(raw)
    assert describe(caught.value, raw) == f"not a Hugging Face paper: expected a JSON object, {said}"


def test_a_paper_answer_with_a_wrong_field_names_the_field_not_an_item_of_an_array() -> None:
    """A single paper's answer was said as "item 0.upvotes: …", as if it were an array's first item."""
    raw = {"id": "2605.29307", "title": "GrepSeek", "upvotes": "lots"}
    with pytest.raises(ValidationError) as caught:
        HFPaper.model_validate(raw)
    said = describe(caught.value, raw)
    assert said.startswith("not a Hugging Face paper: its field upvotes: ") and "item 0" not in said
    assert said.endswith("(paper 2605.29307); try again later")


def test_hidden_authors_are_left_out() -> None:
    raw = [
        {
            "paper": {
                "id": "2401.00001v2",
                "title": "  A   title\n",
                "authors": [{"name": "Ada"}, {"name": "Ghost", "hidden": True}, {"name": ""}],
            }
        }
    ]
    paper = parse_daily(raw, date(2026, 1, 5))[0].paper
    assert paper.arxiv_id == "2401.00001"
    assert paper.title == "A title"
    assert paper.authors == ("Ada",)


def test_control_characters_and_bidi_overrides_leave_authors_and_keywords() -> None:
    """A terminal's escape sequences clear the screen; a bidi override turns "gnp.exe" round to read
    "exe.png": neither reaches a card, in a title, an author's name or a keyword."""
    raw = [
        item(
            title="Evil \u009b31m title \u202egnp.exe",
            authors=[{"name": "A\x1b[2Jlice"}, {"name": "Bob\u202e"}, {"name": "\u2066\u2069"}],
            ai_keywords=["deep\x1b[8m learning", "\u202d"],
        )
    ]
    paper = parse_daily(raw, date(2026, 1, 5))[0].paper
    assert (paper.title, paper.authors, paper.ai_keywords) == (
        "Evil title gnp.exe",
        ("Alice", "Bob"),
        ("deep learning",),
    )


def item(arxiv_id: str = "2401.00001", **paper: object) -> dict[str, object]:
    outer: dict[str, object] = {k: paper.pop(k) for k in ("thumbnail", "numComments") if k in paper}
    return {"paper": {"id": arxiv_id, "title": f"Title of {arxiv_id}", **paper}, **outer}


def test_one_bad_item_is_skipped_with_its_position_id_and_reason_and_the_rest_kept() -> None:
    raw = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"))
    raw[3]["paper"]["upvotes"] = "many"
    raw[7]["paper"]["id"] = "not an id"
    raw[9]["paper"]["githubStars"] = "1.2k"  # a shape we cannot read of what a card only shows: left out alone
    parsed = read_daily(raw, date(2026, 6, 1))
    assert len(parsed.listings) == len(raw) - 2
    assert [str(s) for s in parsed.skipped] == [
        f"item 4 (.[3].paper.upvotes): not a whole number (paper {raw[3]['paper']['id']})",
        "item 8 (.[7].paper.id): 'not an id' is not an arXiv id or paper URL "
        "(try 2406.12345, astro-ph/0601001 or https://arxiv.org/abs/2406.12345) (paper 'not an id')",
    ]
    assert raw[3]["paper"]["id"] not in {item.paper.arxiv_id for item in parsed.listings}


def test_the_strict_parse_for_files_still_refuses_the_first_bad_item() -> None:
    with pytest.raises(ValueError, match=r"^item 2 \(\.\[1\]\.paper\.title\): missing \(paper 2401.00002\)$"):
        parse_daily([item("2401.00001"), {"paper": {"id": "2401.00002"}}], date(2026, 1, 5))


@pytest.mark.parametrize("order", ["v1 first", "v2 first"])
def test_the_newest_arxiv_version_wins_in_one_batch(order: str) -> None:
    v1 = item("2401.00001v1", upvotes=3)
    v1["paper"]["title"] = "Old title"  # type: ignore[index]
    v2 = item("2401.00001v2", upvotes=5)
    v2["paper"]["title"] = "New title"  # type: ignore[index]
    raw = [v1, item("2401.00009"), v2] if order == "v1 first" else [v2, item("2401.00009"), v1]
    listings = parse_daily(raw, date(2026, 1, 5))
    assert [(x.paper.arxiv_id, x.paper.title, x.rank) for x in listings] == [
        ("2401.00001", "New title", 1),
        ("2401.00009", "Title of 2401.00009", 2),
    ]


def test_huge_numbers_are_clamped_to_what_the_store_holds() -> None:
    raw = [item(upvotes=10**30, githubStars=2**63, numComments=-4)]
    paper = parse_daily(raw, date(2026, 1, 5))[0].paper
    assert (paper.upvotes, paper.github_stars, paper.num_comments) == (MAX_COUNT, MAX_COUNT, 0)


def test_urls_that_are_not_http_are_dropped_at_parse_time() -> None:
    raw = [
        item(
            thumbnail="javascript:alert(1)",
            githubRepo="ftp://github.com/x/y",
            projectPage=" https://example.org/project ",
        )
    ]
    paper = parse_daily(raw, date(2026, 1, 5))[0].paper
    assert paper.thumbnail is None and paper.github_repo is None
    assert paper.project_page == "https://example.org/project"


def test_a_date_out_of_range_in_utc_is_dropped_not_an_overflow() -> None:
    raw = [item(publishedAt="0001-01-01T00:00:00+05:00")]
    assert parse_daily(raw, date(2026, 1, 5))[0].paper.published_at is None


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("a string", "item 2 (.[1]): not a JSON object"),
        ({"paper": {"id": "2401.00002", "title": ["a", "list"]}}, "item 2 (.[1].paper.title): not text"),
        (
            {"paper": {"id": "2401.00002", "title": "T", "upvotes": 1.5}},
            "item 2 (.[1].paper.upvotes): not a whole number",
        ),
        ({"paper": "2401.00002"}, "item 2 (.[1].paper): not a JSON object"),
        (
            {"paper": {"id": "2401.00002", "title": " \x00\u202e "}},
            "item 2 (.[1].paper.title): blank (paper 2401.00002)",
        ),
    ],
)
def test_a_bad_item_is_said_in_our_words_not_pydantics(bad: object, said: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(said)}") as caught:
        parse_daily([item("2401.00001"), bad], date(2026, 1, 5))
    assert "Input should" not in str(caught.value) and "Field required" not in str(caught.value)


def test_a_bad_corpus_line_is_said_in_our_words(tmp_path: Path) -> None:
    from bot.sources.corpus import read_newest

    path = tmp_path / "corpus.jsonl"
    path.write_text('{"title": "no id"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"^line 1: arxiv_id: missing$"):
        read_newest(path)


def test_a_field_a_card_only_shows_sent_in_an_odd_shape_costs_the_paper_nothing() -> None:
    """What a paper is (its id and title) and how it ranks (its upvotes) must be read; the rest, sent in a
    shape we cannot read, is left at its default: a paper lost for its thumbnail was worse."""
    odd = item(
        "2401.00001",
        thumbnail=123,
        numComments="x",
        githubStars="1.2k",
        ai_keywords="a,b",
        authors=["Ada Lovelace", {"name": "Alan Turing"}],
        summary=5,
        projectPage=[],
        githubRepo={},
        ai_summary=1,
        organization="Meta AI",
    )
    odd["organization"] = "Meta"
    [listing] = parse_daily([odd], date(2026, 1, 5))
    paper = listing.paper
    assert (paper.arxiv_id, paper.authors, paper.organization) == (
        "2401.00001",
        ("Ada Lovelace", "Alan Turing"),
        "Meta AI",
    )
    assert (paper.abstract, paper.ai_keywords, paper.github_repo, paper.ai_summary, paper.thumbnail) == (
        "",
        (),
        None,
        None,
        None,
    )
    assert parse_daily([{"paper": {"id": "2401.00002", "title": "T", "authors": "Ada"}}], date(2026, 1, 5))[
        0
    ].paper.authors == ("Ada",)
