"""The flattened corpus format: one JSON object per (listing day, paper) line, optionally gzipped."""

from __future__ import annotations

import gzip
import re
import stat
from collections.abc import Iterator
from datetime import date, datetime
from io import BufferedIOBase
from pathlib import Path
from typing import IO

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from bot.domain.ids import ArxivId
from bot.domain.models import Listing, Paper, squash
from bot.domain.our_words import reason
from bot.sources.validation import (
    JsonError,
    before_its_id,
    count,
    future,
    http_url,
    load_json,
    newest_listings,
    nulls_are_absent,
    or_default,
    titled,
    utc,
    version,
)


class CorpusRow(BaseModel):
    """One line of a corpus. Its id, day, title and upvotes must be read, or the line is refused; the
    rest, unreadable, is left at its default, as a daily-papers item's is; null is absent throughout."""

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

    _titled = field_validator("title")(titled)
    _nulls = model_validator(mode="before")(nulls_are_absent)
    _optional = field_validator(
        "authors",
        "summary",
        "published_at",
        "num_comments",
        "organization",
        "organization_fullname",
        "github_repo",
        "github_stars",
        "project_page",
        "ai_summary",
        "ai_keywords",
        "thumbnail",
        mode="wrap",
    )(or_default)

    def to_listing(self) -> Listing:
        paper = Paper(
            arxiv_id=self.arxiv_id,
            title=squash(self.title),
            abstract=squash(self.summary),
            authors=tuple(name for a in self.authors if (name := squash(a))),
            published_at=utc(self.published_at),
            upvotes=count(self.upvotes),
            num_comments=count(self.num_comments),
            organization=squash(self.organization_fullname or self.organization) or None,
            github_repo=http_url(self.github_repo),
            github_stars=count(self.github_stars) if self.github_stars is not None else None,
            project_page=http_url(self.project_page),
            ai_summary=squash(self.ai_summary) or None,
            ai_keywords=tuple(word for k in self.ai_keywords or () if (word := squash(k))),
            thumbnail=http_url(self.thumbnail),
        )
        return Listing(paper, self.daily_date, self.rank_in_file)


def open_text(path: Path) -> IO[str]:
    if _gzipped(path):
        return gzip.open(path, "rt", encoding="utf-8-sig")  # utf-8, a byte-order mark first or not
    return path.open("r", encoding="utf-8-sig")


def open_bytes(path: Path) -> BufferedIOBase:
    if _gzipped(path):
        return gzip.open(path, "rb")
    return path.open("rb")


def where_not_utf8(path: Path) -> str:
    """Why a file is no UTF-8 text, naming the line and byte of the first fault: for a file whose text
    reader already failed, read again line by line (a newline is never inside a UTF-8 character)."""
    with open_bytes(path) as handle:
        for number, data in enumerate(handle, start=1):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _not_utf8(number, exc.start + 1)
    return "not UTF-8 text: save the file as UTF-8"


def _not_utf8(line: int, column: int) -> str:
    return f"line {line:,}: not UTF-8 text (at byte {column:,} of the line): save the file as UTF-8"


def _gzipped(path: Path) -> bool:
    """Whether the file is gzip's: named `.gz`, or starting as gzip does whatever its name (a `.json`
    gzipped was read as text, and said to be no UTF-8)."""
    if path.suffix.lower() == ".gz":
        return True
    try:  # a regular file only: a pipe's bytes read here would be gone (`/dev/stdin`), a FIFO opened twice waits
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as handle:
            return handle.read(2) == b"\x1f\x8b"
    except OSError:
        return False  # (the open that follows says why)


def read_corpus(path: Path) -> Iterator[Listing]:
    """Yield the listings of a corpus file; a bad line raises ValueError naming its line number."""
    for _, listing in read_versioned(path):
        yield listing


def read_newest(path: Path, *, latest: date | None = None) -> list[Listing]:
    """A corpus file's listings, with one per (day, paper): the newest arXiv version's."""
    return newest_listings(read_versioned(path, latest=latest))


def read_versioned(path: Path, *, latest: date | None = None) -> Iterator[tuple[int, Listing]]:
    """Each listing of a corpus file with the arXiv version its line named (0: none); a line dated
    after `latest` raises ValueError, as a day still to come."""
    with open_bytes(path) as handle:
        started = False
        for number, data in enumerate(handle, start=1):
            line = _decoded(data, number).removeprefix("\ufeff")  # as Windows tools write UTF-8: no error
            if not line.strip():
                continue
            if not started and line.lstrip().startswith("["):
                raise ValueError(_an_array(path, number))
            started = True
            yield _row(line, number, latest)


def _decoded(data: bytes, number: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(_not_utf8(number, exc.start + 1)) from None


def _an_array(path: Path, number: int) -> str:
    """A daily-papers array (one JSON value for the whole file) saved under a corpus's name."""
    name = re.sub(r"\.jsonl(?=(\.gz)?$)", ".json", path.name, flags=re.IGNORECASE)
    return (
        f"line {number} begins a JSON array: it looks like a daily-papers array, not a corpus "
        f"(one JSON object a line); rename it {name}"
    )


def _row(line: str, number: int, latest: date | None) -> tuple[int, Listing]:
    """One line's listing, with the arXiv version it named; ValueError naming the line and the fault."""
    try:
        raw = load_json(line)
    except JsonError as exc:
        if exc.syntax is not None:
            raise ValueError(f"line {number} is not JSON ({exc.syntax})") from None
        raise ValueError(f"line {number}: {exc}") from None
    given = raw.get("arxiv_id") if isinstance(raw, dict) else None
    try:
        row = CorpusRow.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "row"
        raise ValueError(f"line {number}: {where}: {reason(first)}") from None
    if (wrong := future(row.daily_date, latest) or before_its_id(row.daily_date, row.arxiv_id)) is not None:
        raise ValueError(f"line {number}: daily_date: {wrong}")
    return version(given if isinstance(given, str) else None), row.to_listing()
