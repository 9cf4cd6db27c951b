"""Paper links in messages: which URLs are papers (for unfurls and Paper card), and which are not."""

from __future__ import annotations

import pytest

from bot.domain.ids import impossible_links, paper_links, paper_url_id


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2406.12345", "2406.12345"),
        ("https://arxiv.org/abs/2406.12345v2", "2406.12345"),
        ("http://arxiv.org/pdf/2406.12345", "2406.12345"),
        ("https://arxiv.org/pdf/2406.12345v1.pdf", "2406.12345"),
        ("https://arxiv.org/html/2406.12345v1", "2406.12345"),
        ("https://arxiv.org/html/2406.12345v1/", "2406.12345"),
        ("https://www.arxiv.org/abs/2406.12345", "2406.12345"),
        ("https://export.arxiv.org/abs/2406.12345", "2406.12345"),
        ("https://arxiv.org/abs/astro-ph/0601001v2", "astro-ph/0601001"),
        ("https://huggingface.co/papers/2406.12345", "2406.12345"),
        ("https://hf.co/papers/2406.12345?utm=x#comments", "2406.12345"),
        ("HTTPS://ArXiv.org/ABS/2406.12345", "2406.12345"),
        ("arxiv.org/abs/2406.12345", "2406.12345"),  # as pasted: Slack links it, and so do we
        ("hf.co/papers/2406.12345", "2406.12345"),
        # mirrors people read arXiv papers on: their links were "no paper", and posted, no card
        ("https://www.alphaxiv.org/abs/2406.12345", "2406.12345"),
        ("https://alphaxiv.org/overview/2406.12345v2", "2406.12345"),
        ("https://ar5iv.labs.arxiv.org/html/2406.12345", "2406.12345"),
        ("https://ar5iv.org/abs/2406.12345", "2406.12345"),
        ("https://browse.arxiv.org/abs/2406.12345", "2406.12345"),
        # other sites' pages of a paper, named by its arXiv id: "That link names no paper I can read"
        ("https://www.semanticscholar.org/arxiv/2406.12345", "2406.12345"),
        ("https://papers.cool/arxiv/2406.12345", "2406.12345"),
        ("https://scirate.com/arxiv/2406.12345v3", "2406.12345"),
        ("https://www.emergentmind.com/papers/2406.12345", "2406.12345"),
    ],
)
def test_paper_urls_name_their_paper(url: str, expected: str) -> None:
    assert paper_url_id(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "2406.12345",  # an id, not a link
        "https://myarxiv.org/abs/2406.12345",
        "https://my.arxiv.org/abs/2406.12345",
        "https://arxiv.org/abs/2406.123456",
        "https://arxiv.org/abs/2406.12345.foo",
        "https://arxiv.org/list/cs.AI/recent",
        "https://huggingface.co/papers",
        "https://huggingface.co/models/2406.12345",
        "https://example.com/abs/2406.12345",
        "https://arxiv.org.evil.com/abs/2406.12345",
        "ftp://arxiv.org/abs/2406.12345",
        "https://notalphaxiv.org/abs/2406.12345",
        "https://alphaxiv.org/explore/2406.12345",
        "https://www.semanticscholar.org/paper/2406.12345",  # (a paper's own id there, not arXiv's)
        "https://notpapers.cool/arxiv/2406.12345",
    ],
)
def test_other_urls_are_not_papers(url: str) -> None:
    assert paper_url_id(url) is None


def test_links_in_a_message_are_found_in_order_each_url_once() -> None:
    text = (
        "read <https://arxiv.org/abs/2406.12345v2|this>, https://hf.co/papers/2401.00001, "
        "(https://arxiv.org/pdf/2402.00002.pdf). again https://arxiv.org/abs/2406.12345v2 "
        "and the same paper as https://huggingface.co/papers/2406.12345. Not https://arxiv.org/abs/24061.2345, "
        "xhttps://arxiv.org/abs/2406.11111 or https://example.com/abs/2406.22222"
    )
    assert paper_links(text) == [
        ("https://arxiv.org/abs/2406.12345v2", "2406.12345"),
        ("https://hf.co/papers/2401.00001", "2401.00001"),
        ("https://arxiv.org/pdf/2402.00002.pdf", "2402.00002"),
        ("https://huggingface.co/papers/2406.12345", "2406.12345"),
    ]


def test_a_link_pasted_without_its_scheme_is_found_but_not_inside_another_address() -> None:
    text = "have a look: arxiv.org/abs/2605.29307, (hf.co/papers/2401.00001) and www.arxiv.org/pdf/2402.00002v1"
    text += " but not https://example.com/arxiv.org/abs/2406.11111 or notarxiv.org/abs/2406.22222"
    assert paper_links(text) == [
        ("arxiv.org/abs/2605.29307", "2605.29307"),
        ("hf.co/papers/2401.00001", "2401.00001"),
        ("www.arxiv.org/pdf/2402.00002v1", "2402.00002"),
    ]


def test_links_to_ids_no_paper_can_have_are_named_as_written() -> None:
    text = "arxiv.org/abs/9999.99999 and arxiv.org/pdf/2406.1234v2, hf.co/papers/9999.99999, arxiv.org/abs/2406.12345"
    assert impossible_links(text) == ["9999.99999", "2406.1234v2"]
    assert impossible_links("arxiv.org/abs/2406.12345v0") == ["2406.12345v0"]  # the version is what cannot be
    assert impossible_links("https://example.com/abs/9999.99999 2406.12345") == []


def test_a_message_without_paper_links_has_none() -> None:
    assert paper_links("no links here, only 2406.12345 and https://example.com") == []


def test_a_link_in_a_chats_italics_or_bold_is_found() -> None:
    """Slack's and Discord's `_…_` italics: the underscores were read as a word glued to the link."""
    for marked in ("_https://arxiv.org/abs/2608.19880_", "*arxiv.org/abs/2608.19880*", "__hf.co/papers/2608.19880__"):
        assert [arxiv_id for _, arxiv_id in paper_links(f"see {marked} today")] == ["2608.19880"], marked
    assert paper_links("https://arxiv.org/abs/2608.19880_draft") == []  # glued to a word: no link of a paper
