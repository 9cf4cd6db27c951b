from __future__ import annotations

import dataclasses
import re

from rich.console import Console

from adapters.console.render import render_post
from bot.domain.cards import card
from bot.domain.models import Paper, squash
from bot.domain.post import Post


def show(post: Post) -> str:
    console = Console(width=100, record=True, force_terminal=False, color_system=None)
    console.print(render_post(post))
    return console.export_text()


def test_a_card_shows_votes_title_byline_summary_and_links() -> None:
    paper = Paper(
        arxiv_id="2605.29307",
        title="GrepSeek: Training Search Agents",
        authors=("Alireza Salemi", "Hamed Zamani"),
        organization="UMass Amherst",
        upvotes=61,
        num_comments=1,
        ai_summary="GrepSeek trains search agents.",
        github_repo="https://github.com/alirezasalemi7/grepseek",
        github_stars=19,
    )
    text = show(Post(header="Daily Papers · Monday 1 June 2026", cards=(card(paper, rank=1),)))
    for expected in (
        "Daily Papers · Monday 1 June 2026",
        "1.",
        "▲ 61",
        "💬 1",
        "GrepSeek: Training Search Agents",
        "Alireza Salemi, Hamed Zamani · UMass Amherst",
        "GrepSeek trains search agents.",
        "https://huggingface.co/papers/2605.29307 · arXiv · PDF · Code ★19",
        "https://github.com/alirezasalemi7/grepseek",
    ):
        assert expected in text


def test_paper_text_is_never_read_as_markup() -> None:
    paper = Paper(
        arxiv_id="2401.00001", title="[bold red]Pwned[/] [link=https://evil]x[/link]", authors=("[i]Eve[/i]",)
    )
    text = show(Post(header="[blink]h[/blink]", cards=(card(paper),)))
    assert "[bold red]Pwned[/] [link=https://evil]x[/link]" in text
    assert "[i]Eve[/i]" in text
    assert "[blink]h[/blink]" in text


def test_an_empty_post_shows_its_note() -> None:
    assert "Nothing today." in show(Post(header="Daily Papers", empty="Nothing today."))


def test_an_empty_post_ends_with_a_blank_line_as_one_with_cards_does() -> None:
    # in `paperboy chat` the next answer's header followed the note on the next line
    assert show(Post(header="Papers on “x”", empty="No papers match “x”.")).endswith("No papers match “x”.\n\n")


def test_a_terminals_escape_sequences_in_paper_text_are_dropped() -> None:
    """Clear the screen, retitle the terminal, hide text: none of it reaches the terminal."""
    evil = "\x1b[2JCleared \x1b]0;pwned\x07 \x1b[8mhidden\x1b[0m"
    paper = Paper(arxiv_id="2401.00001", title=evil, authors=("Eve\x1b[5m",), ai_summary="sum\x9bmary")
    console = Console(width=100, record=True, force_terminal=True, color_system="standard")
    console.print(render_post(Post(header=f"head {evil}", cards=(card(paper),))))
    shown = console.export_text(styles=False)
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "[2JCleared ]0;pwned [8mhidden[0m" in shown and "Eve[5m" in shown and "summary" in shown
    assert squash("a\x1b[2Jb\tc\nd") == "ab c d"  # an escape sequence dropped whole
    assert squash("\u202aa\u202bb\u202cc\u202dd\u202ee \u2066f\u2067g\u2068h\u2069") == "abcde fgh"


def test_a_bidi_override_in_paper_text_or_a_link_does_not_reach_the_terminal() -> None:
    """U+202E turns the text after it around ("gnp.exe" shown as "exe.png"): dropped from every field,
    links too (a link is printed in full)."""
    from bot.domain.post import Link

    paper = Paper(arxiv_id="2401.00001", title="safe \u202egnp.exe", authors=("A\u2066B\u2069",))
    shown_card = card(paper)
    shown_card = dataclasses.replace(shown_card, links=(Link("Code", "https://x.org/\u202ea"), *shown_card.links))
    console = Console(width=200, record=True, force_terminal=True, color_system="standard")
    console.print(render_post(Post(header="h\u202dx", cards=(shown_card,))))
    shown = console.export_text(styles=False)
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", shown), ascii(shown)
    assert "safe gnp.exe" in shown and "AB" in shown and "https://x.org/a" in shown and "hx" in shown
