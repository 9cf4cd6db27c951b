"""Our own replies in Discord: a reading list's lines kept apart, code spans as typed, long BibTeX cut at an entry."""

from __future__ import annotations

from adapters.discord.render import CONTENT, post_message
from bot.domain.citation import bibliography
from bot.domain.models import Paper
from bot.domain.post import Post


def test_a_long_bibliography_ends_with_whole_entries_and_a_note_not_mid_field() -> None:
    titles = [f"A long title number {i} " * 4 for i in range(60)]
    papers = [Paper(arxiv_id=f"2406.{10000 + i}", title=t, authors=("A. B",)) for i, t in enumerate(titles)]
    message = post_message(Post(header="Your reading list as BibTeX (60 papers)", code=bibliography(papers)))
    content = message.content
    assert len(content) <= CONTENT
    assert content.endswith("more: one message holds no more; `saved` lists them all\n```")
    assert content.count("@misc{") == content.count("\n}")  # every entry shown is closed
    assert content.count("```") == 2


def test_a_reading_lists_lines_stay_lines() -> None:
    lines = "1. 2605.29307 · GrepSeek · saved 3 Jun 2026\n2. 2605.30557 · Other *title* · saved 2 Jun 2026"
    hint = "`/papers unsave ID` takes one off."
    message = post_message(Post(header="Your reading list (2 papers)", text=(lines, hint)))
    assert message.content.split("\n")[1:] == [
        "1. 2605.29307 · GrepSeek · saved 3 Jun 2026",
        "2. 2605.30557 · Other \\*title\\* · saved 2 Jun 2026",  # inert as ever
        "`/papers unsave ID` takes one off.",
    ]


def test_our_sentences_code_spans_show_as_typed_and_the_rest_stays_inert() -> None:
    from adapters.discord.render import prose

    shown = prose("`/papers unfollow [topic]` stops one; *not bold* @everyone, `<@123>`")
    assert shown == "`/papers unfollow [topic]` stops one; \\*not bold\\* @\u200beveryone, `<@\u200b123>`"
