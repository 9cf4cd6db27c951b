from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.sources.hf_payload import parse_daily
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


def test_broken_python_repr_file_is_refused_with_a_clear_reason() -> None:
    raw = json.loads(BROKEN.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="items are strings, not JSON objects"):
        parse_daily(raw, date(2024, 12, 11))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ({"error": "x"}, "expected a JSON array, got dict"),
        ([{"paper": {"title": "no id"}}], r"item 0\.paper\.id: Field required"),
        ([{"paper": {"id": "not-an-id", "title": "t"}}], "not an arXiv id"),
        ([{"paper": {"id": "2401.00001", "title": "t", "upvotes": "many"}}], "upvotes"),
    ],
)
def test_malformed_payloads_say_what_is_wrong(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_daily(raw, date(2026, 1, 5))


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
