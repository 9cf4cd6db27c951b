"""The neutral message every surface renders: a header and paper cards, plain text only, no markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

M = TypeVar("M")
MOST_MESSAGES = 5  # Slack lets a command's response_url answer five times; 50 cards fit in five either way


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Section:
    """A titled piece of a paper's thread seed (abstract, AI summary, keywords, links)."""

    title: str
    text: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Card:
    """One paper as a message: the root of its discussion thread, and what the thread is seeded with."""

    paper_id: str
    title: str
    url: str
    authors: str
    organization: str | None
    upvotes: int
    comments: int
    summary: str
    links: tuple[Link, ...]
    thread: tuple[Section, ...]
    thumbnail: str | None = None
    rank: int | None = None
    topics: tuple[str, ...] = ()  # the paper's keywords, for platforms that tag (Discord forum tags)


@dataclass(frozen=True)
class Post:
    """A header, an optional line under it, paragraphs, a code block, the cards, and a note for none.

    `text` paragraphs and `code` are plain text; renderers escape them for their platform.
    """

    header: str
    cards: tuple[Card, ...] = ()
    subheader: str | None = None
    empty: str | None = None
    # What the header says that no card can, even with cards (the days the store lacks): a platform
    # that shows no header above its cards (a Discord forum) posts the header when this is set.
    notice: str | None = None
    day: date | None = None
    text: tuple[str, ...] = field(default=())
    code: str | None = None


def code_within(code: str, limit: int) -> str:
    """The code block's whole entries (blocks between blank lines: a bibliography's) that fit in `limit`
    characters, and a BibTeX comment line saying how many did not: a message never ends halfway through
    an entry that someone will paste."""
    if len(code) <= limit:
        return code
    entries = code.split("\n\n")
    kept = 0
    while kept < len(entries) and len("\n\n".join([*entries[: kept + 1], _more(len(entries) - kept - 1)])) <= limit:
        kept += 1
    return "\n\n".join([*entries[:kept], _more(len(entries) - kept)])[:limit]


def _more(left: int) -> str:
    return f"% …and {left} more: one message holds no more; `saved` lists them all"


def in_messages(post: Post, render: Callable[[Post, bool], tuple[M, int]], most: int = MOST_MESSAGES) -> list[M]:
    """A post whose cards one message cannot hold (a `today` of 23 papers), as up to `most` messages: the
    first with the header, text and the cards that fit, each next one with the cards after it under
    the header and "(continued)". `render(post, last)` makes one message and says how many cards it
    holds; only the last message says how many cards were left out (`last`)."""
    messages: list[M] = []
    header = f"{post.header} (continued)"
    while True:
        last = len(messages) == most - 1
        message, shown = render(post, last)
        if shown < len(post.cards) and not last:
            if shown:
                messages.append(message)
                post = Post(header=header, cards=post.cards[shown:], day=post.day)
                continue
            message, shown = render(post, True)  # not even one card fits: the message says so
        messages.append(message)
        return messages
