from __future__ import annotations

import pytest

from bot.domain.errors import InvalidPaperId
from bot.domain.ids import canonical, is_arxiv_id, parse_arxiv_id


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
    ],
)
def test_refuses_what_is_not_an_id(text: str) -> None:
    with pytest.raises(InvalidPaperId, match="not an arXiv id"):
        parse_arxiv_id(text)
    assert not is_arxiv_id(text)


def test_canonical_strips_the_version_only() -> None:
    assert canonical("2104.12255v1") == "2104.12255"
    assert canonical("Astro-Ph/0601001v3") == "astro-ph/0601001"
