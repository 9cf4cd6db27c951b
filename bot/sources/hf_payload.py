"""The wire shapes of Hugging Face's papers API, every optional field optional, parsed at the edge."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from bot.ids import ArxivId
from bot.models import Listing, Paper, squash


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class HFAuthor(_Wire):
    name: str | None = None
    hidden: bool = False


class HFOrganization(_Wire):
    name: str | None = None
    fullname: str | None = None

    @property
    def label(self) -> str | None:
        return squash(self.fullname or self.name) or None


class HFPaper(_Wire):
    id: ArxivId
    title: str
    summary: str = ""
    authors: list[HFAuthor] = []
    publishedAt: datetime | None = None
    submittedOnDailyAt: datetime | None = None
    upvotes: int = 0
    githubRepo: str | None = None
    githubStars: int | None = None
    projectPage: str | None = None
    ai_summary: str | None = None
    ai_keywords: list[str] | None = None
    organization: HFOrganization | None = None


class HFDailyItem(_Wire):
    """One element of `GET /api/daily_papers`: the paper plus listing-level facts."""

    paper: HFPaper
    thumbnail: str | None = None
    numComments: int = 0
    organization: HFOrganization | None = None


DAILY = TypeAdapter(list[HFDailyItem])
PAPERS = TypeAdapter(list[HFDailyItem | HFPaper])


def to_paper(item: HFDailyItem | HFPaper) -> Paper:
    outer = item if isinstance(item, HFDailyItem) else None
    p = item.paper if isinstance(item, HFDailyItem) else item
    org = p.organization or (outer.organization if outer else None)
    return Paper(
        arxiv_id=p.id,
        title=squash(p.title),
        abstract=squash(p.summary),
        authors=tuple(a.name.strip() for a in p.authors if a.name and a.name.strip() and not a.hidden),
        published_at=p.publishedAt,
        upvotes=max(p.upvotes, 0),
        num_comments=max(outer.numComments, 0) if outer else 0,
        organization=org.label if org else None,
        github_repo=p.githubRepo or None,
        github_stars=p.githubStars,
        project_page=p.projectPage or None,
        ai_summary=squash(p.ai_summary) or None,
        ai_keywords=tuple(k.strip() for k in p.ai_keywords or () if k.strip()),
        thumbnail=outer.thumbnail if outer else None,
    )


def describe(exc: ValidationError, raw: Any, what: str = "daily-papers response") -> str:
    """One line saying what is wrong with a payload, for people rather than for pydantic."""
    if isinstance(raw, list) and raw and all(isinstance(x, str) for x in raw):
        return (
            f"not a Hugging Face {what}: the items are strings, not JSON objects "
            "(it looks like Python reprs saved by a broken downloader)"
        )
    if not isinstance(raw, list):
        return f"not a Hugging Face {what}: expected a JSON array, got {type(raw).__name__}"
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"not a Hugging Face {what}: item {where}: {first['msg']}"


def parse_daily(raw: Any, day: date | None) -> list[Listing]:
    """Validate a daily-papers array; the listing day is `day`, else each item's submission day.

    Raises ValueError with a one-line reason.
    """
    try:
        items = DAILY.validate_python(raw)
    except ValidationError as exc:
        raise ValueError(describe(exc, raw)) from None
    listings: list[Listing] = []
    for rank, item in enumerate(items, start=1):
        listed = day or (item.paper.submittedOnDailyAt.date() if item.paper.submittedOnDailyAt else None)
        if listed is None:
            raise ValueError(f"item {rank} has no listing day: name the file after its day (YYYY-MM-DD.json)")
        listings.append(Listing(to_paper(item), listed, rank))
    return listings
