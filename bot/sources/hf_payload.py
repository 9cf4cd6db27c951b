"""The wire shapes of Hugging Face's papers API, every optional field optional, parsed at the edge.

Each item is checked on its own: a malformed one is left out (`Skipped` says which and why) and the
rest of the answer kept. Counts are clamped to what the store holds, links that are not http(s) are
dropped, and of two arXiv versions of one paper the newer wins, in whatever order they came.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.domain.ids import ArxivId, is_arxiv_id
from bot.domain.models import Listing, Paper, squash
from bot.domain.our_words import reason
from bot.sources.validation import (
    Skipped,
    before_its_id,
    count,
    future,
    http_url,
    json_kind,
    newest,
    newest_listings,
    nulls_are_absent,
    or_default,
    titled,
    utc,
    version,
)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator("organization", mode="before", check_fields=False)
    @classmethod
    def _named(cls, value: Any) -> Any:
        """An organization sent as a bare name is the organization of that name."""
        return {"name": value} if isinstance(value, str) else value

    _nulls = model_validator(mode="before")(nulls_are_absent)


# Everything of a paper but its id, title and upvotes (what it is, and how it ranks): one of these that
# Hugging Face sends in a shape we cannot read ("1.2k" stars, keywords as one string) is left at its
# default, and the paper kept.
OPTIONAL_PAPER_FIELDS = (
    "summary",
    "authors",
    "publishedAt",
    "submittedOnDailyAt",
    "githubRepo",
    "githubStars",
    "projectPage",
    "ai_summary",
    "ai_keywords",
    "organization",
)


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

    @field_validator("authors", "ai_keywords", mode="before")
    @classmethod
    def _without_nulls(cls, value: Any) -> Any:
        return [v for v in value if v is not None] if isinstance(value, list) else value

    @field_validator("authors", mode="before")
    @classmethod
    def _by_name(cls, value: Any) -> Any:
        """An author sent as a bare name is the author of that name (and a bare name alone, the only one)."""
        if isinstance(value, str):
            return [{"name": value}]
        return [{"name": v} if isinstance(v, str) else v for v in value] if isinstance(value, list) else value

    _optional = field_validator(*OPTIONAL_PAPER_FIELDS, mode="wrap")(or_default)

    _titled = field_validator("title")(titled)


class HFDailyItem(_Wire):
    """One element of `GET /api/daily_papers`: the paper plus listing-level facts."""

    paper: HFPaper
    thumbnail: str | None = None
    numComments: int = 0
    organization: HFOrganization | None = None

    _optional = field_validator("thumbnail", "numComments", "organization", mode="wrap")(or_default)


DAILY_ITEM = TypeAdapter(HFDailyItem)


def to_paper(item: HFDailyItem | HFPaper) -> Paper:
    outer = item if isinstance(item, HFDailyItem) else None
    p = item.paper if isinstance(item, HFDailyItem) else item
    org = p.organization or (outer.organization if outer else None)
    return Paper(
        arxiv_id=p.id,
        title=squash(p.title),
        abstract=squash(p.summary),
        authors=tuple(name for a in p.authors if not a.hidden and (name := squash(a.name))),
        published_at=utc(p.publishedAt),
        upvotes=count(p.upvotes),
        num_comments=count(outer.numComments) if outer else 0,
        organization=org.label if org else None,
        github_repo=http_url(p.githubRepo),
        github_stars=count(p.githubStars) if p.githubStars is not None else None,
        project_page=http_url(p.projectPage),
        ai_summary=squash(p.ai_summary) or None,
        ai_keywords=tuple(word for k in p.ai_keywords or () if (word := squash(k))),
        thumbnail=http_url(outer.thumbnail) if outer else None,
    )


def raw_id(item: object) -> str | None:
    """The paper id an item gives, as given (with its version), whatever else is wrong with it."""
    if isinstance(item, dict):
        inner = item.get("paper", item)
        value = inner.get("id") if isinstance(inner, dict) else None
        if isinstance(value, str):
            return value
    return None


def skipped(position: int, item: object, exc: ValidationError) -> Skipped:
    """Why pydantic refused an item, for people: the field and the reason, not the input's repr."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    given = raw_id(item)
    if given is not None and not is_arxiv_id(given):
        given = repr(given if len(given) <= 40 else given[:37] + "...")
    return Skipped("item", position, reason(first), where, given)


def describe(exc: ValidationError, raw: Any, what: str = "paper") -> str:
    """One line saying what is wrong with a single-object payload, for people rather than for pydantic."""
    if not isinstance(raw, dict):
        return f"not a Hugging Face {what}: expected a JSON object, got {json_kind(raw)}"
    left = skipped(0, raw, exc)  # one object: no "item 1 (.[0])" of an array
    field = f"its field {left.where}: " if left.where else ""
    paper = f" (paper {left.arxiv_id})" if left.arxiv_id else ""
    return said_error(raw) or f"not a Hugging Face {what}: {field}{left.reason}{paper}; try again later"


def said_error(raw: Any) -> str | None:
    """Hugging Face's own words when its answer is an error object (`{"error": "Invalid date"}`)."""
    if isinstance(raw, dict) and isinstance(raw.get("error"), str) and raw["error"].strip():
        said = " ".join(raw["error"].split())[:200]
        return (
            f"it answered with an error of its own, {said!r} (where PAPERBOY_HF_URL is set: check it is Hugging Face)"
        )
    return None


def check_array(raw: Any, what: str) -> list[Any]:
    """The items of an answer that must be a JSON array of objects; ValueError in one line if not."""
    if not isinstance(raw, list):
        shape = f"not a Hugging Face {what}: expected a JSON array, got {json_kind(raw)}"
        raise ValueError(said_error(raw) or shape)
    if raw and all(isinstance(x, list) for x in raw):
        raise ValueError(
            f"not a Hugging Face {what}: an array of arrays, as of several days; give one file a day, "
            "named after it (YYYY-MM-DD.json), or use the corpus format (one JSON object a line, .jsonl)"
        )
    if raw and all(isinstance(x, str) for x in raw):
        raise ValueError(
            f"not a Hugging Face {what}: the items are strings, not JSON objects "
            "(it looks like Python reprs saved by a broken downloader)"
        )
    return raw


@dataclass(frozen=True)
class Parsed:
    """A daily-papers array read item by item: the good ones (with the version each named) and the rest."""

    found: list[tuple[int, Listing]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    items: int = 0

    @property
    def listings(self) -> list[Listing]:
        return newest_listings(self.found)


def read_daily(raw: Any, day: date | None, *, own_days: bool = False, latest: date | None = None) -> Parsed:
    """Read a daily-papers array item by item; the listing day is `day`, else each item's submission day.

    With `own_days` (a file, whose name may be wrong or name a week), an item's own submission day
    wins and `day` is for the items that carry none. An item listed after `latest` is left out, as a
    day still to come. A malformed item is left out and said why in `skipped`; an answer that is no
    array at all raises ValueError with a one-line reason.
    """
    items = check_array(raw, "daily-papers response")
    found: list[tuple[int, Listing]] = []
    left_out: list[Skipped] = []
    for position, item in enumerate(items):
        try:
            parsed = DAILY_ITEM.validate_python(item)
        except ValidationError as exc:
            left_out.append(skipped(position, item, exc))
            continue
        own = parsed.paper.submittedOnDailyAt.date() if parsed.paper.submittedOnDailyAt else None
        listed = (own or day) if own_days else (day or own)
        if listed is None:
            reason = "it has no listing day: name the file after its day (YYYY-MM-DD.json)"
            left_out.append(Skipped("item", position, reason, arxiv_id=parsed.paper.id))
            continue
        if (wrong := future(listed, latest) or before_its_id(listed, parsed.paper.id)) is not None:
            where = "paper.submittedOnDailyAt" if listed == own else ""
            left_out.append(Skipped("item", position, wrong, where, parsed.paper.id))
            continue
        found.append((version(raw_id(item)), Listing(to_paper(parsed), listed, position + 1)))
    return Parsed(found, left_out, len(items))


def parse_daily(raw: Any, day: date | None, *, own_days: bool = False, latest: date | None = None) -> list[Listing]:
    """Read a daily-papers array whole or not at all (for files): the first bad item raises ValueError."""
    parsed = read_daily(raw, day, own_days=own_days, latest=latest)
    if parsed.skipped:
        more = len(parsed.skipped) - 1
        raise ValueError(str(parsed.skipped[0]) + (f" (and {more} more bad items)" if more else ""))
    return parsed.listings


def read_search(raw: Any) -> tuple[list[Paper], list[Skipped]]:
    """A search answer (listing items or bare papers), item by item."""
    found: list[tuple[int, Paper]] = []
    left_out: list[Skipped] = []
    for position, item in enumerate(check_array(raw, "search answer")):
        shape: type[HFDailyItem | HFPaper] = HFDailyItem if isinstance(item, dict) and "paper" in item else HFPaper
        try:
            found.append((version(raw_id(item)), to_paper(shape.model_validate(item))))
        except ValidationError as exc:
            left_out.append(skipped(position, item, exc))
    return newest(found, key=lambda paper: paper.arxiv_id), left_out


def listed_elsewhere(raw: object, day: date) -> date | None:
    """The other day most items of a daily-papers answer say they were listed on (`submittedOnDailyAt`),
    when that is not `day`: stored under `day`, they would be another day's digest. None when they
    agree, or say nothing."""
    if not isinstance(raw, list):
        return None
    said = listing_days(raw)
    if not said or day in said:
        return None
    [(other, count)] = said.most_common(1)
    return other if count * 2 > len(raw) else None


def listing_days(raw: object) -> Counter[date]:
    """How many items of a daily-papers array say they were listed on each day (`submittedOnDailyAt`)."""
    return (
        Counter(listed for item in raw if (listed := _listed_on(item)) is not None)
        if isinstance(raw, list)
        else Counter()
    )


def _listed_on(item: object) -> date | None:
    paper = item.get("paper") if isinstance(item, dict) else None
    stamp = paper.get("submittedOnDailyAt") if isinstance(paper, dict) else None
    try:
        return date.fromisoformat(stamp[:10]) if isinstance(stamp, str) else None
    except ValueError:
        return None
