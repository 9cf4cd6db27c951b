"""A long code block (a reading list as BibTeX) in one Discord message: whole entries, then a note."""

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
