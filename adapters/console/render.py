"""A post in the terminal: numbered cards with votes, byline, one-line summary and links.

Paper text is untrusted: it is only ever put into `rich.text.Text` objects, never parsed as markup,
so a title such as "[bold]x" or "[link=…]" prints as written; and its control characters are
dropped first (`plain`), so an escape sequence in a title can't clear the screen or retitle the
terminal.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar, cast

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot.domain.models import BIDI_CHARS
from bot.domain.post import Card, Link, Post

T = TypeVar("T")


# control characters but tab and newline, and bidi overrides and isolates (which turn the text after
# them around: "gnp.exe" shown as "exe.png")
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CHARS}]")


def plain(value: T) -> T:
    """`value` (a post, a card, text, or tuples of them) with every control character of its text dropped."""
    if isinstance(value, str):
        return cast(T, _CONTROL.sub("", value))
    if isinstance(value, tuple):
        return cast(T, tuple(plain(item) for item in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return cast(
            T, dataclasses.replace(value, **{f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
        )
    return value


def render_post(post: Post) -> RenderableType:
    post = plain(post)
    parts: list[RenderableType] = [Text(post.header, style="bold")]
    if post.subheader:
        parts.append(Text(post.subheader, style="dim"))
    # (`post.notice` repeats what the subheader or the empty line says, for platforms that show no header)
    parts.append(Text(""))
    for paragraph in post.text:  # an answer's sentences (`paperboy chat`), a reading list's lines
        parts += [Text(paragraph), Text("")]
    if post.code:  # BibTeX, a reading list's: each line whole, to copy as it is (the terminal may wrap it)
        parts += [Text(post.code, style="dim", no_wrap=True, overflow="ignore"), Text("")]
    if not post.cards and post.empty:
        parts += [Text(post.empty, style="italic"), Text("")]  # a blank line before the next answer, as after cards
    for number, card in enumerate(post.cards, start=1):
        parts.append(render_card(card, card.rank or number))
    if post.footer:
        parts.append(Text(post.footer, style="dim"))
    return Group(*parts)


def render_card(card: Card, number: int) -> RenderableType:
    """A grid row: the rank and votes in a narrow column, the card's text wrapping beside them."""
    card = plain(card)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", width=3, no_wrap=True)
    grid.add_column(width=6, no_wrap=True)
    grid.add_column()
    title = Text(card.title, style=Style(bold=True, link=card.url))
    byline = Text(card.authors, style="cyan")
    if card.organization:
        byline.append(f" · {card.organization}", style="magenta")
    body: list[RenderableType] = [title, byline]
    if card.summary:
        body.append(Text(card.summary))
    body.append(render_links(card.links))
    votes = Text.assemble((f"▲ {card.upvotes}", "bold green"), "\n", (f"💬 {card.comments}", "dim"))
    grid.add_row(Text(f"{number}.", style="bold"), votes, Group(*body))
    return Padding(grid, (0, 0, 1, 0))


def render_links(links: tuple[Link, ...]) -> Text:
    """The first link in full; arXiv and PDF by name (their address follows from the id); others in full."""
    text = Text(style="dim")
    for i, link in enumerate(links):
        if i:
            text.append(" · ")
        if i == 0:
            text.append(link.url, style=Style(link=link.url, underline=True))
        elif link.label in ("arXiv", "PDF"):
            text.append(link.label, style=Style(link=link.url))
        else:
            text.append(f"{link.label} ", style=Style(link=link.url))
            text.append(link.url, style=Style(link=link.url))
    return text
