"""Our own replies in Discord: a reading list's lines kept apart, code spans as typed, long BibTeX cut at an entry."""

from __future__ import annotations

from adapters.discord.render import CONTENT, Message, post_message
from bot.domain.citation import bibliography
from bot.domain.models import Paper
from bot.domain.post import Post


def test_a_long_bibliography_ends_with_whole_entries_and_a_note_not_mid_field() -> None:
    titles = [f"A long title number {i} " * 4 for i in range(60)]
    papers = [Paper(arxiv_id=f"2406.{10000 + i}", title=t, authors=("A. B",)) for i, t in enumerate(titles)]
    message = post_message(Post(header="Your reading list as BibTeX (60 papers)", code=bibliography(papers)))
    content = message.content
    assert len(content) <= CONTENT
    assert content.endswith("more: a reply holds no more\n```")
    assert content.count("@misc{") == content.count("\n}")  # every entry shown is closed
    assert content.count("```") == 2
    named = Post(header="Your reading list as BibTeX (60 papers)", code=bibliography(papers), file="reading-list.bib")
    attached = post_message(named)  # a file it names: all of it, attached (QA s77: a mention's lost entries)
    assert [name for name, _ in attached.files] == ["reading-list.bib"] and "@misc{" not in attached.content


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


def long_reading_list(count: int) -> Post:
    lines = [
        f"{i}. 2406.{10000 + i} · {'A long title about diffusion models ' * 3}· saved 3 Jun 2026" for i in range(count)
    ]
    from bot.community.service import LIST_CHARS, in_paragraphs

    return Post(
        header=f"Your reading list ({count} papers)", text=tuple(in_paragraphs(lines, LIST_CHARS)), footer="The hint."
    )


def numbered(messages: list[Message]) -> list[int]:
    return [int(line.split(".")[0]) for m in messages for line in m.content.split("\n") if line[:1].isdigit()]


def test_a_long_reading_list_comes_in_several_full_messages_every_line_whole_and_once() -> None:
    from adapters.discord.render import post_messages

    messages = post_messages(long_reading_list(40))
    assert 1 < len(messages) <= 5
    assert all(len(m.content) <= CONTENT for m in messages)
    assert all(len(m.content) > CONTENT * 0.8 for m in messages[:-1])  # each message filled, not one paragraph
    assert numbered(messages) == list(range(40))  # whole lines, in order, none twice
    assert messages[-1].content.endswith("The hint.")
    assert "The hint." not in "".join(m.content for m in messages[:-1])
    assert messages[1].content.startswith("**Your reading list (40 papers) (continued)**")


def test_a_reading_list_longer_than_five_messages_says_how_many_papers_were_left_out() -> None:
    from adapters.discord.render import post_messages

    messages = post_messages(long_reading_list(300))
    assert len(messages) == 5
    assert messages[-1].content.endswith(f"…and {300 - len(numbered(messages))} more\nThe hint.")
    assert "…and" not in "".join(m.content for m in messages[:-1])


def test_a_threads_one_message_answer_cuts_its_last_paragraph_rather_than_dropping_it() -> None:
    summary, abstract = "An AI summary. " * 46, "The abstract says more. " * 50
    message = post_message(Post(header="Summary · A paper", text=(summary.strip(), abstract.strip())))
    assert len(message.content) <= CONTENT and "The abstract says more." in message.content
    assert "…and" not in message.content


def test_a_long_bibliography_comes_in_several_messages_of_whole_entries() -> None:
    from adapters.discord.render import post_messages

    titles = [f"A long title number {i} " * 4 for i in range(12)]
    papers = [Paper(arxiv_id=f"2406.{10000 + i}", title=t, authors=("A. B",)) for i, t in enumerate(titles)]
    whole = bibliography(papers)
    messages = post_messages(Post(header="Your reading list as BibTeX (12 papers)", code=whole))
    assert len(messages) > 1
    shown = []
    for m in messages:
        assert len(m.content) <= CONTENT and m.content.count("```") == 2
        shown += m.content.split("```\n", 1)[1].rsplit("\n```", 1)[0].split("\n\n")
    assert shown == whole.split("\n\n")  # every entry, whole, once, in order
