"""The pure Post → Block Kit renderer: escaping once, cutting at words, and every limit respected."""

from __future__ import annotations

import re
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from adapters.slack.render import (
    MAX_BLOCKS,
    card_message,
    cut,
    escape,
    header_message,
    post_message,
    safe_url,
    thread_blocks,
)
from bot.domain.cards import card
from bot.domain.models import Paper
from bot.domain.post import Post
from tests.fakes.slack import check_blocks


def validated(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """slack_sdk's own validators, and the fake Slack's, both accept the blocks."""
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()
    assert check_blocks(blocks) is None
    return blocks


def huge_paper(i: int = 1) -> Paper:
    return Paper(
        arxiv_id=f"2601.{i:05d}",
        title="T" * 400 + " <!channel>",
        abstract=("word " * 3000) + "& <@U1>",
        authors=tuple(f"Author {n} <!here>" for n in range(300)),
        organization="O" * 500,
        ai_summary="S " * 2000,
        ai_keywords=tuple(f"kw{n}" for n in range(100)),
        github_repo="https://github.com/x/y",
        project_page="https://example.com/a b|c>d",
    )


def test_escape_is_exactly_once_and_ampersand_first() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("&lt;") == "&amp;lt;"
    assert escape("<!channel>") == "&lt;!channel&gt;"


def test_cut_never_splits_an_entity() -> None:
    text = escape("x" * 95 + " <!channel>")
    for limit in range(90, 110):
        out = cut(text, limit)
        assert len(out) <= limit
        tail = out.rstrip("…")
        assert "&" not in tail[-6:] or tail.endswith(("&lt;", "&gt;", "&amp;")) or ";" in tail[tail.rfind("&") :]


def test_safe_url_cannot_break_out_of_a_link() -> None:
    assert "|" not in safe_url("https://e.com/a|b")
    assert ">" not in safe_url("https://e.com/a>b")
    assert " " not in safe_url("https://e.com/a b")


def test_oversized_papers_fit_every_limit() -> None:
    paper_card = card(huge_paper())
    _, blocks = card_message(paper_card, share=True)
    validated(blocks)
    _, seed = thread_blocks(paper_card)
    validated(seed)
    assert all(len(b["text"]["text"]) <= 3000 for b in seed if b["type"] == "section")


def test_many_cards_are_trimmed_to_fifty_blocks_with_a_note() -> None:
    post = Post(header="H" * 400, subheader="sub", cards=tuple(card(huge_paper(i)) for i in range(40)))
    text, blocks = post_message(post, share=True)
    assert len(blocks) <= MAX_BLOCKS
    validated(blocks)
    assert blocks[0]["type"] == "header"
    assert len(blocks[0]["text"]["text"]) <= 150
    assert "more" in blocks[-1]["elements"][0]["text"]
    assert len(text) <= 3000


def test_header_message_carries_the_empty_note() -> None:
    text, blocks = header_message(Post(header="Daily Papers · Saturday 6 June 2026", empty="No papers were listed."))
    validated(blocks)
    assert blocks[-1]["text"]["text"] == "No papers were listed."
    assert text.startswith("Daily Papers")


@pytest.mark.parametrize("code", ["@misc{x,\n  title = {a & b <c>}\n}", "```"])
def test_code_blocks_are_escaped(code: str) -> None:
    _, blocks = post_message(Post(header="Cite", code=code))
    validated(blocks)
    assert "<c>" not in blocks[-1]["text"]["text"]


@pytest.mark.parametrize("filler", ["<x> ", "x<> ", "xx<> ", "a&b "])
def test_a_code_block_cut_to_fit_never_ends_inside_an_escaped_character(filler: str) -> None:
    """An entry too long for one section is cut once escaped: the cut never leaves half of an `&lt;`
    (Slack would show "&lt" where the title had a "<")."""
    _, blocks = post_message(Post(header="Cite", code="@misc{x,\n  title = {" + filler * 1000 + "}\n}"))
    code = blocks[-1]["text"]["text"]
    assert len(code) <= 3000 and code.endswith("```")
    assert re.search(r"&[a-z]*$", code.removesuffix("```")) is None, code[-20:]


def test_an_address_in_text_is_a_link_without_the_sentences_punctuation() -> None:
    from adapters.slack.render import linkified

    assert linkified("Code: https://github.com/a/b (★1).") == "Code: <https://github.com/a/b> (★1)."
    assert linkified("see https://en.wikipedia.org/wiki/T_(ml).") == "see <https://en.wikipedia.org/wiki/T_(ml)>."
    assert linkified("(https://x.org/a), <!channel>") == "(<https://x.org/a>), &lt;!channel&gt;"
    assert linkified("Topics: “https://arxiv.org/abs/2605.29307”") == "Topics: “<https://arxiv.org/abs/2605.29307>”"
    assert linkified("«https://x.org/a»") == "«<https://x.org/a>»"
    # LaTeX's \url{…} and \href{…}{…} around an address, as abstracts have them: braces are no part of it
    assert linkified(r"\url{https://github.com/C/L/.}") == r"\url{<https://github.com/C/L/>.}"
    assert linkified(r"\href{https://h.co/m}{x}") == r"\href{<https://h.co/m>}{x}"
    # an inline command ends at its backtick, which no URL holds unencoded (QA s74 #1: it became `%60`)
    said = "(`paper https://arxiv.org/abs/2605.29307` shows that paper)"
    assert linkified(said) == "(`paper <https://arxiv.org/abs/2605.29307>` shows that paper)"


def test_a_seed_section_near_its_limit_never_cuts_inside_a_link() -> None:
    """The section holds the title too: text that fits linked on its own but not after the title is
    only escaped, so the section's cut can't leave a link open (`<https://…` with no `>`)."""
    from adapters.slack.render import SECTION_CHARS, section_blocks
    from bot.domain.post import Section

    url = "https://github.com/o/" + "r" * 900
    for filler in range(SECTION_CHARS - len(url) - 40, SECTION_CHARS - len(url)):
        text = "a " + "b" * filler + "(" + url + ")"  # no space in the second half: the cut falls in a word
        block = section_blocks(Section(title="Abstract", text=text))[0]
        shown = block["text"]["text"]
        assert len(shown) <= SECTION_CHARS
        assert shown.count("<") == shown.count(">"), (filler, shown[-40:])
    validated(section_blocks(Section(title="Abstract", text="a b " * 740 + "https://x.org/a")))


def test_an_address_in_a_thread_seeds_abstract_is_a_link() -> None:
    """The seed's mrkdwn is verbatim, which Slack never links: "(https://github.com/…)" was dead text."""
    paper = Paper(arxiv_id="2405.15682", title="T", abstract="Code is at (https://github.com/fb/schedule_free).")
    _, blocks = thread_blocks(card(paper))
    assert blocks[0]["text"]["text"] == "*Abstract*\nCode is at (<https://github.com/fb/schedule_free>)."
    assert blocks[0]["text"]["verbatim"] is True


def test_a_long_bibliography_ends_with_whole_entries_and_a_note_not_mid_field() -> None:
    from bot.domain.citation import bibliography

    papers = [
        Paper(arxiv_id=f"2406.{10000 + i}", title=f"A long title number {i} " * 4, authors=("A. B",)) for i in range(60)
    ]
    reading = Post(header="Your reading list as BibTeX (60 papers)", code=bibliography(papers), file="reading-list.bib")
    _, blocks = post_message(reading)
    validated(blocks)
    shown = blocks[-1]["text"]["text"]
    assert shown.startswith("```") and shown.endswith("more: a reply holds no more; `saved` lists every paper```")
    assert shown.count("@misc{") == shown.count("\n}")  # every entry shown is closed


def test_a_long_bibliography_and_a_long_reading_list_come_in_several_messages() -> None:
    from adapters.slack.render import post_messages
    from bot.community.service import LIST_CHARS, in_paragraphs
    from bot.domain.citation import bibliography

    papers = [
        Paper(arxiv_id=f"2406.{10000 + i}", title=f"A long title number {i} " * 4, authors=("A. B",)) for i in range(20)
    ]
    whole = bibliography(papers)
    messages = post_messages(Post(header="Your reading list as BibTeX (20 papers)", code=whole))
    assert len(messages) > 1
    entries = []
    for _, blocks in messages:
        validated(blocks)
        [code] = [b["text"]["text"] for b in blocks if b["type"] == "section"]
        entries += code.removeprefix("```").removesuffix("```").split("\n\n")
    assert entries == whole.split("\n\n")

    lines = [
        f"{i}. 2406.{10000 + i} · {'A long title about diffusion models ' * 3}· saved 3 Jun 2026" for i in range(4000)
    ]
    messages = post_messages(
        Post(header="Your reading list (4000 papers)", text=tuple(in_paragraphs(lines, LIST_CHARS)))
    )
    assert len(messages) == 5
    for _, blocks in messages:
        validated(blocks)
        sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
        assert all(len(text) <= 3000 for text in sections)
        assert sum(len(text) for text in sections) <= 12_000  # Slack refuses much longer messages
    shown = [
        line
        for _, blocks in messages
        for b in blocks
        if b["type"] == "section"
        for line in b["text"]["text"].split("\n")
    ]
    assert [int(line.split(".")[0]) for line in shown] == list(range(len(shown)))
    assert messages[-1][1][-1]["elements"][0]["text"] == f"…and {4000 - len(shown)} more"


def test_a_cards_notification_text_counts_one_upvote_as_one() -> None:
    from adapters.slack.render import card_message
    from bot.domain.cards import card
    from bot.domain.models import Paper

    text, _ = card_message(card(Paper(arxiv_id="2608.19861", title="NARU", upvotes=1)))
    assert "(1 upvote)" in text


def test_an_answers_notification_says_what_it_says_not_paperboy_alone() -> None:
    """`@paperboy save this` in a thread notified "paperboy": the answer was in its blocks only (QA s76)."""
    text, _ = post_message(Post(header="paperboy", text=("Saved “A & B” to your reading list.", "More.")))
    assert text == "Saved “A &amp; B” to your reading list."
    text, _ = post_message(Post(header="Papers on “R&D”", text=("None of these papers mentions it.",)))
    assert text == "Papers on “R&amp;D”: None of these papers mentions it."  # escaped once
    assert post_message(Post(header="A & B"))[0] == "A &amp; B"
    said = Post(header="paperboy", text=("Nothing saved yet: `save 2406.12345` in a paper's thread.",))
    assert post_message(said)[0] == "Nothing saved yet: save 2406.12345 in a paper's thread."  # no backticks shown


def test_a_thread_notes_notification_shows_no_backticks() -> None:
    from adapters.slack.notes import note_message

    text, blocks = note_message(Post(header="Code is out", text=("Run `pip install naru` to try it.",)))
    assert text == "Code is out: Run pip install naru to try it."
    named = Post(header="Code is out", subheader="GrepSeek (arXiv 2605.29307)", text=("https://github.com/lab/g",))
    assert note_message(named)[0] == "Code is out — GrepSeek (arXiv 2605.29307): https://github.com/lab/g"  # (QA s77)
    assert "`pip install naru`" in str(blocks)  # the message itself keeps its code
