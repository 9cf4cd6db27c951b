"""What is new about a followed paper since its card was posted: code, an arXiv version, upvotes past a mark."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.cards import shorten
from bot.domain.models import Paper
from bot.domain.post import Post
from bot.store.follows import Followed

MARKS = (100, 250, 500, 1000)  # upvotes worth a note when a paper passes them
ABOUT_CHARS = 100  # the paper's title in a note, at most


@dataclass(frozen=True)
class News:
    event: str  # its name in the ledger, once per thread: "code", "version:3", "upvotes:250"
    note: Post


def news(followed: Followed, paper: Paper, version: int | None) -> list[News]:
    """Each piece of news, compared with the card as posted. Upvotes that jumped past several marks at
    once make one note, for the highest; a paper at v3 that was posted at v1 makes one, for v3."""
    found = []
    # each note names its paper: in a thread that is plain, but not in a notification, a terminal (no
    # threads: the notes print under the day's digest) or a direct message's reply to an old card
    about = f"{shorten(paper.title, ABOUT_CHARS)} (arXiv {paper.arxiv_id})"
    if paper.github_repo and not followed.repo:
        stars = f" (★{paper.github_stars:,})" if paper.github_stars else ""
        found.append(News("code", Post(header="Code is out", subheader=about, text=(f"{paper.github_repo}{stars}",))))
    if version is not None and followed.version is not None and version > followed.version:
        link = f"{paper.arxiv_url}v{version}"
        out = Post(header=f"arXiv version {version} is out", subheader=about, text=(link,))
        found.append(News(f"version:{version}", out))
    passed = [mark for mark in MARKS if followed.upvotes < mark <= paper.upvotes]
    if passed:
        text = (f"Now {paper.upvotes:,} upvotes on Hugging Face: {paper.hf_url}",)
        found.append(
            News(f"upvotes:{passed[-1]}", Post(header=f"Past {passed[-1]:,} upvotes", subheader=about, text=text))
        )
    return found
