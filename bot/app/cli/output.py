"""What the command line prints: its output and error consoles, JSON lines, a paper as JSON, and the one
line a failed command ends with."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.segment import Segment

if TYPE_CHECKING:
    from bot.domain.models import Paper

from bot.domain.errors import OutputClosed

_TRAILING_BLANKS = re.compile(r"[ \t]+\n")


class _Output(Console):
    """The command's output: no line ends in blanks, and when its reader goes (`| head -1`), what is
    left goes nowhere and the command learns it, to say so (rich's own answer is a silent exit 1, and
    `post` would leave a digest half printed, and so half recorded, without a word)."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # A table's cells are padded to their column's width: no line ends in blanks (`| diff`, copies).
        return _TRAILING_BLANKS.sub("\n", super()._render_buffer(buffer))

    def on_broken_pipe(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no file descriptor (a test's)
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, sys.stdout.fileno())
            os.close(nowhere)
        raise OutputClosed()


# No emoji codes: "console:x: no papers" must not print as "console❌ no papers".
out = _Output(highlight=False, soft_wrap=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


class Format(StrEnum):
    text = "text"
    json = "json"


def paper_json(paper: Paper, **extra: Any) -> dict[str, Any]:
    return {
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        "upvotes": paper.upvotes,
        "url": paper.hf_url,
        "arxiv_url": paper.arxiv_url,
        "pdf_url": paper.pdf_url,
        "authors": list(paper.authors),
        "organization": paper.organization,
        "num_comments": paper.num_comments,
        "github_repo": paper.github_repo,
        "github_stars": paper.github_stars,
        "project_page": paper.project_page,
        "ai_summary": paper.ai_summary,
        "ai_keywords": list(paper.ai_keywords),
        "published_at": paper.published_at.isoformat() if paper.published_at else None,
        "listed_on": [d.isoformat() for d in paper.listed_on],
        **extra,
    }


def print_json(value: object) -> None:
    """One JSON line, out at once (a batch's lines as they are answered); a reader that went says so."""
    try:
        sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        out.on_broken_pipe()


def fail(message: str, code: int) -> None:
    err.print(f"paperboy: error: {message}", markup=False)
    sys.exit(code)
