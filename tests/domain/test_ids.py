from __future__ import annotations

import pytest

from bot.domain.errors import InvalidPaperId
from bot.domain.ids import canonical, is_arxiv_id, papers_named, parse_arxiv_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2406.12345", "2406.12345"),
        ("2406.12345v3", "2406.12345"),
        ("arXiv:2406.12345v2", "2406.12345"),
        ("0808.0539", "0808.0539"),
        ("astro-ph/0601001", "astro-ph/0601001"),
        ("astro-ph/0601001v2", "astro-ph/0601001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/abs/2406.12345v2", "2406.12345"),
        ("http://arxiv.org/pdf/2406.12345v1.pdf", "2406.12345"),
        ("https://export.arxiv.org/abs/quant-ph/0201082v1", "quant-ph/0201082"),
        ("https://huggingface.co/papers/2605.29307", "2605.29307"),
        ("<https://huggingface.co/papers/2605.29307?foo=bar>", "2605.29307"),
        ("  2605.29307  ", "2605.29307"),
        ("arXiv: 2605.29307", "2605.29307"),  # as papers cite it, with a space
        ("https://doi.org/10.48550/arXiv.2605.29307", "2605.29307"),  # the DOI arXiv gives each paper
        ("doi.org/10.48550/arxiv.2605.29307v2", "2605.29307"),
    ],
)
def test_parses_ids_and_urls_to_the_canonical_id(text: str, expected: str) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "2406.123",
        "24061.2345",
        "https://example.com/abs/2406.12345",
        "2406.12345; DROP TABLE",
        "x" * 500,
        "2406.1234",  # four digits after the dot since 1501: a typo, no paper arXiv could have
        "https://arxiv.org/abs/1501.0001v2",
        "https://doi.org/10.1145/2406.12345",  # another publisher's DOI
        "0703.0001",  # new-style ids began in April 2007
        "0001.00001",
        "1412.12345",  # five digits after the dot only since 1501
        "arXiv:  ",
    ],
)
def test_refuses_what_is_not_an_id(text: str) -> None:
    with pytest.raises(InvalidPaperId, match="not an arXiv id"):
        parse_arxiv_id(text)
    assert not is_arxiv_id(text)


def test_canonical_strips_the_version_only() -> None:
    assert canonical("2104.12255v1") == "2104.12255"
    assert canonical("Astro-Ph/0601001v3") == "astro-ph/0601001"


def test_papers_named_in_a_sentence() -> None:
    text = "cite (2406.12345)？ and https://doi.org/10.48550/arXiv.2406.54321, not 2406.1234 or arXiv:2406.12345v2"
    assert papers_named(text) == ["2406.54321", "2406.12345"]  # links first, each paper once
