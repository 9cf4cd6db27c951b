"""The flattened corpus format: one JSON object per (listing day, paper) line, optionally gzipped."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.ids import ArxivId
from bot.models import Listing, Paper, squash


class CorpusRow(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    arxiv_id: ArxivId
    daily_date: date
    rank_in_file: int = 0
    title: str
    authors: list[str] = []
    summary: str | None = None
    published_at: datetime | None = None
    upvotes: int = 0
    num_comments: int = 0
    organization: str | None = None
    organization_fullname: str | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    ai_keywords: list[str] | None = None
    thumbnail: str | None = None

    def to_listing(self) -> Listing:
        paper = Paper(
            arxiv_id=self.arxiv_id,
            title=squash(self.title),
            abstract=squash(self.summary),
            authors=tuple(a.strip() for a in self.authors if a.strip()),
            published_at=self.published_at,
            upvotes=max(self.upvotes, 0),
            num_comments=max(self.num_comments, 0),
            organization=squash(self.organization_fullname or self.organization) or None,
            github_repo=self.github_repo or None,
            github_stars=self.github_stars,
            project_page=self.project_page or None,
            ai_summary=squash(self.ai_summary) or None,
            ai_keywords=tuple(k.strip() for k in self.ai_keywords or () if k.strip()),
            thumbnail=self.thumbnail,
        )
        return Listing(paper, self.daily_date, self.rank_in_file)


def open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def read_corpus(path: Path) -> Iterator[Listing]:
    """Yield the listings of a corpus file; a bad line raises ValueError naming its line number."""
    with open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield CorpusRow.model_validate(json.loads(line)).to_listing()
            except json.JSONDecodeError as exc:
                raise ValueError(f"line {number} is not JSON ({exc.msg})") from None
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "row"
                raise ValueError(f"line {number}: {where}: {first['msg']}") from None
