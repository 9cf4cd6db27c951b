"""The paper model: what the store keeps and every surface shows."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

HF_PAPERS = "https://huggingface.co/papers"
ARXIV = "https://arxiv.org"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A terminal's escape sequences: CSI (ESC [ or its one-byte form, … final), OSC (ESC ] … BEL or ESC \),
# and two-byte ones.
_ESCAPES = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
# bidi overrides and isolates: they turn the text after them around ("gnp.exe" shown as "exe.png")
BIDI_CHARS = "\u202a-\u202e\u2066-\u2069"  # a character class's range, for every check that drops them
# what a paste carries unseen inside a word (soft hyphen, zero-width space and joiners, word joiner, BOM): a
# character class's ranges, as BIDI_CHARS
ZERO_WIDTH_CHARS = "\u00ad\u200b-\u200d\u2060\ufeff"
_BIDI = re.compile(f"[{BIDI_CHARS}]")
# what cannot be seen in text: control characters but white space's (escape sequences begin with one), bidi
# overrides and isolates. `squash` has more to do than fold white space only where text has one (most has none:
# squashed at a third of the cost); a config file's topic holding one is refused (bot.domain.config).
UNSEEN = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x9f{BIDI_CHARS}]")


def squash(text: str | None) -> str:
    """Text with every run of white space folded to one space, as every surface shows it, a terminal's
    escape sequences dropped whole (`\x1b[2J`, not `[2J` left behind), its other control characters
    and bidi overrides too."""
    if not text:
        return ""
    if UNSEEN.search(text) is None:  # (tab, newline and the rest of white space: what `split` splits at)
        return " ".join(text.split())
    return " ".join(_CONTROL.sub(" ", _BIDI.sub("", _ESCAPES.sub("", text))).split())


class Paper(BaseModel):
    """One paper, keyed by its canonical arXiv id (no version)."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    listed_on: tuple[date, ...] = Field(default=(), description="HF listing days, oldest first")
    upvotes: int = 0
    num_comments: int = 0
    organization: str | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    thumbnail: str | None = None

    @property
    def hf_url(self) -> str:
        return f"{HF_PAPERS}/{self.arxiv_id}"

    @property
    def arxiv_url(self) -> str:
        return f"{ARXIV}/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"{ARXIV}/pdf/{self.arxiv_id}"

    @property
    def last_listed(self) -> date | None:
        return self.listed_on[-1] if self.listed_on else None

    @property
    def day(self) -> date | None:
        """The date that counts for recency: the last listing day, else the publication day."""
        if self.listed_on:
            return self.listed_on[-1]
        return self.published_at.date() if self.published_at else None


class Listing(NamedTuple):
    """A paper as it appeared on one Hugging Face listing day."""

    paper: Paper
    day: date
    rank: int


def merge(old: Paper | None, new: Paper, *, fresher: bool = True) -> Paper:
    """What the store keeps when it sees `new` for a paper it may know: fresher text, larger counts.

    Counts only grow (an import of an older file never lowers them). Text comes from the fresher
    of the two (`fresher` says whether `new` is); fields an older API shape lacks are kept, never
    erased. So importing the same files again, in any order, changes nothing.
    """
    if old is None:
        return new
    if not fresher:
        old, new = new, old
    stars = [s for s in (old.github_stars, new.github_stars) if s is not None]
    return Paper(
        arxiv_id=new.arxiv_id,
        title=new.title or old.title,
        abstract=new.abstract or old.abstract,
        authors=new.authors or old.authors,
        published_at=new.published_at or old.published_at,
        listed_on=tuple(sorted(set(old.listed_on) | set(new.listed_on))),
        upvotes=max(old.upvotes, new.upvotes),
        num_comments=max(old.num_comments, new.num_comments),
        organization=new.organization or old.organization,
        github_repo=new.github_repo or old.github_repo,
        github_stars=max(stars) if stars else None,
        project_page=new.project_page or old.project_page,
        ai_summary=new.ai_summary or old.ai_summary,
        ai_keywords=new.ai_keywords or old.ai_keywords,
        thumbnail=new.thumbnail or old.thumbnail,
    )
