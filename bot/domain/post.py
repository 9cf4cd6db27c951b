"""The neutral message every surface renders: a header and paper cards, plain text only, no markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

M = TypeVar("M")
MOST_MESSAGES = 5  # Slack lets a command's response_url answer five times


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

    def counts(self) -> str:
        """What the card displays that changes after posting (counts, code link, stars): equal means no refresh."""
        return "|".join((str(self.upvotes), str(self.comments), *(f"{link.label} {link.url}" for link in self.links)))

    def repo(self) -> str | None:
        """The code repository the card links to, if any (the card's links name it "Code")."""
        return next((link.url for link in self.links if link.label.startswith("Code")), None)


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
    footer: str | None = None  # a last line after all the rest (what else to type), in a post's last message
    file: str | None = None  # a name for `code` as a file, where a platform attaches what one message can't hold
    private: bool = False  # for the asker's eyes only where the platform can show it so (a save's, in a thread)


@dataclass(frozen=True)
class Shown:
    """How much of a post one message holds: its first `paragraphs` paragraphs of text, the first
    `entries` entries of its code (blocks between blank lines: a bibliography's), its first `cards`."""

    paragraphs: int
    entries: int
    cards: int


def entries_of(code: str | None) -> list[str]:
    return code.split("\n\n") if code else []


READING_LIST_FILE = "reading-list.bib"  # a reading list's BibTeX where a message cannot hold it (`Post.file`)
CITED_FILE = "citations.bib"  # `cite A, B …`'s


def code_head(code: str, limit: int, *, note: bool = True, file: str | None = None) -> tuple[str, int]:
    """The code's first whole entries that fit in `limit` characters (at least one, cut if it must be),
    and how many; with `note`, a BibTeX comment line after them saying how many did not fit, and where
    the rest is had (the post's `file` says whose they are): a message never ends halfway through an
    entry that someone will paste."""
    entries = entries_of(code)
    if len(code) <= limit:
        return code, len(entries)

    def joined(kept: int) -> str:
        return "\n\n".join([*entries[:kept], *([_more(len(entries) - kept, file)] if note else [])])

    kept = 0
    while kept < len(entries) and len(joined(kept + 1)) <= limit:
        kept += 1
    return joined(max(kept, 1))[:limit], max(kept, 1)


def _more(left: int, file: str | None) -> str:
    rest = {READING_LIST_FILE: "; `saved` lists every paper", CITED_FILE: "; cite fewer at a time for the rest"}
    return f"% …and {left} more: a reply holds no more{rest.get(file or '', '')}"


def holds_all(post: Post, shown: Shown) -> bool:
    """Whether a message showed all of the post (then its footer goes under it)."""
    return shown == Shown(len(post.text), len(entries_of(post.code)), len(post.cards))


def unfenced(code: str) -> str:
    """Code to put between ``` fences: its own ``` (a paper's title may hold one) written ʼʼʼ, else it
    would end the block early and the rest would be read as formatting."""
    return code.replace("```", "ʼʼʼ")


def goes_as_file(post: Post, shown: Callable[[], Shown]) -> bool:
    """Whether the post's code goes as its file (`Post.file`): it names one, and a message (which holds
    `shown()` of the post) cannot hold the post whole. The message is laid out only for a post that names
    a file: a Discord answer of ten cards took 1.4-1.9 ms to lay out when this asked first, 0.7-1.0 ms
    now (its cards' texts escaped once, not twice; five rounds of 40 answers, the median of each)."""
    return bool(post.code and post.file) and not holds_all(post, shown())


def left_out(post: Post, shown: Shown) -> str | None:
    """What a post's last message says of what it could not hold: its cards and its text's lines (the
    code says so itself, in `code_head`'s note)."""
    lines = sum(len(p.splitlines()) for p in post.text[shown.paragraphs :] if p.strip())
    left = lines + len(post.cards) - shown.cards
    return f"…and {left} more" if left > 0 else None


def in_messages(post: Post, render: Callable[[Post, bool], tuple[M, Shown]], most: int = MOST_MESSAGES) -> list[M]:
    """A post one message cannot hold (a `today` of 23 papers, a long reading list), as up to `most`
    messages: the first with the header and what fits of the text, the code and the cards, in that
    order; each next one with what comes after, under the header and "(continued)". `render(post,
    last)` makes one message and says how much it holds; only the last message says what was left
    out (`last`)."""
    messages: list[M] = []
    header = f"{post.header} (continued)"
    while True:
        last = len(messages) == most - 1
        message, shown = render(post, last)
        entries = entries_of(post.code)
        if not holds_all(post, shown) and not last:
            if shown != Shown(0, 0, 0):
                messages.append(message)
                code = "\n\n".join(entries[shown.entries :]) or None
                text = post.text[shown.paragraphs :]
                post = Post(header, post.cards[shown.cards :], day=post.day, text=text, code=code, footer=post.footer)
                continue
            message, shown = render(post, True)  # nothing fits but the header: the message says so
        messages.append(message)
        return messages
