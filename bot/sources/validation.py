"""Checks every source's data passes on its way in: JSON, counts, URLs, dates and arXiv versions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError, ValidationInfo, ValidatorFunctionWrapHandler

from bot.domain.ids import id_month
from bot.domain.models import BIDI_CHARS, Listing, merge, squash

T = TypeVar("T")

# The store keeps counts (upvotes, comments, stars) in SQL INTEGER columns, which hold 32 bits in
# PostgreSQL (SQLite's hold 64): a larger value would fail the whole batch, so it is clamped here.
MAX_COUNT = 2**31 - 1
MAX_URL = 2048  # longer is no link a person follows, and chat platforms refuse it
_DIGITS = 20  # an integer with more digits is far beyond any column; Python refuses to read 4,300
_SATURATED = 2**64
_VERSION = re.compile(r"v(\d{1,6})$", re.ASCII)
# white space, control characters (C0 and C1), zero-width marks and bidi overrides: a link holding one
# is not what it shows (a URL printed in a terminal or JSON could turn around or send an escape)
_UNSAFE = re.compile(f"[\\s\x00-\x1f\x7f-\x9f\u200b-\u200f{BIDI_CHARS}]")
# scheme, optional user info, a host name or [IPv6] literal, optional port, then anything; a regex
# rather than urlsplit because the store checks every link it writes (urlsplit is ~10x slower)
_HTTP_URL = re.compile(r"https?://(?:[^/?#@]+@)?(?:[^/?#@:\[\]]+|\[[0-9a-f:.]+\])(?::\d{0,5})?(?:[/?#].*)?", re.I)


@dataclass(frozen=True)
class Skipped:
    """An item of an answer or file that was left out: where it was, which paper, and why."""

    what: str  # "item", "entry": what the source calls one element
    position: int  # its index in the array or feed, from 0 (as `jq '.[N]'` finds it)
    reason: str
    where: str = ""  # the field at fault, as a dotted path
    arxiv_id: str | None = None
    page: int | None = None  # the page of the answer it came in (`p=`), where the answer came in pages
    index: int | None = None  # …and its index in that page's array

    def __str__(self) -> str:
        """`item 6 (.[5].paper.upvotes): …`: counted from 1, as people count, and where `jq` finds it
        (an array's item; a feed's entry has no such path): `item 106 (page p=1, .[5].paper.upvotes)`."""
        at = f".[{self.position if self.index is None else self.index}]{f'.{self.where}' if self.where else ''}"
        page = f"page p={self.page}, " if self.page is not None else ""
        path = f" ({page}{at})" if self.what == "item" else ""
        paper = f" (paper {self.arxiv_id})" if self.arxiv_id else ""
        return f"{self.what} {self.position + 1}{path}: {self.reason}{paper}"


class JsonError(ValueError):
    """Text that could not be read as JSON; the message says why in one line.

    `syntax` is the parser's complaint without its position, for callers that say where themselves;
    None when the text is not broken but too deeply nested to read.
    """

    def __init__(self, reason: str, syntax: str | None = None) -> None:
        self.syntax = syntax
        super().__init__(reason)


# The json module's complaints, in our words (a file cut short is the usual cause of the first two)
_JSON_SAYS = {
    "Unterminated string starting at": "a text value that never ends: was it cut short?",
    "Expecting value": "a value was expected here",
    "Expecting ',' delimiter": "a comma was expected here",
    "Expecting ':' delimiter": "a colon was expected here",
    "Expecting property name enclosed in double quotes": "a name in double quotes was expected here",
    "Extra data": "more follows where the JSON should end",
    "Invalid control character at": "a control character inside a text value",
}


def load_json(data: bytes | str) -> object:
    """Parse JSON, or raise JsonError with a one-line reason (never RecursionError).

    An integer too long for Python to read (4,300 digits) is read as a huge one, which the
    counts clamp, so one absurd number costs nothing but itself.
    """
    # a byte-order mark first, as Windows tools write UTF-8, is no JSON error
    data = data.removeprefix(b"\xef\xbb\xbf") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    try:
        parsed = json.loads(data, parse_int=_int)
        half = _HALF.search(data) if isinstance(data, str) else _HALF_BYTES.search(data)
        return _whole(parsed) if half else parsed
    except json.JSONDecodeError as exc:
        said = _JSON_SAYS.get(exc.msg, exc.msg.lower())
        if exc.msg == "Expecting value" and not exc.doc[exc.pos :].strip():
            said += ", where it ends: was it cut short?"
        raise JsonError(f"not valid JSON (line {exc.lineno}, column {exc.colno:,}: {said})", said) from None
    except UnicodeDecodeError:
        raise JsonError("not valid JSON (not UTF-8 text)", "not UTF-8 text") from None
    except RecursionError:
        raise JsonError(
            "JSON nested too deeply (arrays or objects about a thousand levels inside each other); "
            "no Hugging Face answer or export looks like that"
        ) from None


_HALF = re.compile(r"\\u[dD][89a-fA-F]")  # an escaped surrogate: half an emoji, unless its other half follows
_HALF_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


def _whole(value: object) -> object:
    """The parsed JSON with each lone surrogate (`\\ud83d`: an emoji cut in half, as JavaScript cuts
    text) made "\ufffd": valid JSON, but no text a store or a terminal can hold (it crashed every sync
    of the day that carried it, its good papers too). Pairs stay whole (json joins them)."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_whole(item) for item in value]
    if isinstance(value, dict):
        return {_whole(key): _whole(item) for key, item in value.items()}
    return value


def json_kind(value: object) -> str:
    """What a parsed JSON value is, in JSON's words ("an object", "null"), for a message that says what
    was given instead."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)  # null, true, false
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    return "a number"


def _int(text: str) -> int:
    if len(text) <= _DIGITS:
        return int(text)
    return -_SATURATED if text.startswith("-") else _SATURATED


def titled(cls: type, value: str) -> str:
    """A paper's title, as a model's field validator: one with nothing to show (spaces, control
    characters) is refused, "blank", as a card without a title says nothing."""
    if not squash(value):
        raise ValueError("blank")
    return value


def future(day: date, latest: date | None) -> str | None:
    """Why a listing day after `latest` (the last day any listing can have yet) is refused; None if it is not."""
    if latest is None or day <= latest:
        return None
    return f"{day} is in the future (no listing is dated after {latest}): mend the date"


def before_its_id(day: date, arxiv_id: str) -> str | None:
    """Why a listing day before its paper's arXiv month (a new-style id's YYMM: `2605.03849` is May 2026) is
    refused, a day of slack for the time zones; None if it is not. A card would say it was on Hugging Face
    Daily Papers years before arXiv had it."""
    month = id_month(arxiv_id)  # None for an old-style id, `hep-th/9901001`: its papers predate Daily Papers
    if month is None or day >= month - timedelta(days=1):
        return None
    return f"{day} is before its paper was on arXiv ({arxiv_id}: {month:%B %Y}): mend the date"


def count(value: int) -> int:
    """A count as the store can hold it: never negative, at most MAX_COUNT."""
    return min(max(value, 0), MAX_COUNT)


def http_url(value: str | None) -> str | None:
    """`value` if it is an absolute http(s) URL with a host, else None (a card links only those)."""
    if not value:
        return None
    text = value.strip()
    if len(text) > MAX_URL or _UNSAFE.search(text) or not _HTTP_URL.fullmatch(text):
        return None
    return text


def utc(value: datetime | None) -> datetime | None:
    """A time in UTC (naive ones taken as UTC), or None when it falls outside the calendar in UTC."""
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00 is in the year 0 in UTC
        return None


def version(arxiv_id: str | None) -> int:
    """The version an arXiv id names (2401.00001v2 → 2); 0 when it names none."""
    match = _VERSION.search(arxiv_id.strip()) if isinstance(arxiv_id, str) else None
    return int(match.group(1)) if match else 0


def newest(
    items: Iterable[tuple[int, T]],
    key: Callable[[T], Hashable],
    *,
    merged: Callable[[T, T, bool], T] | None = None,
) -> list[T]:
    """One item per key: the one with the highest version (the first of equals), wherever it came; with
    `merged`, what `merged(kept, other, other_is_newer)` makes of each two instead.

    The survivors keep the order in which their keys first appeared.
    """
    best: dict[Hashable, tuple[int, T]] = {}
    for ver, item in items:
        k = key(item)
        seen = best.get(k)
        if seen is None:
            best[k] = (ver, item)
        elif merged is not None:
            best[k] = (max(ver, seen[0]), merged(seen[1], item, ver > seen[0]))
        elif ver > seen[0]:
            best[k] = (ver, item)  # a dict keeps the key's first position when its value is replaced
    return [item for _, item in best.values()]


def newest_listings(found: Iterable[tuple[int, Listing]]) -> list[Listing]:
    """One listing per (day, paper): the newest arXiv version's text, at the rank the paper first had.

    A paper twice in one answer or file is kept as the store keeps it from two files: the newer
    version's text (the first line's, of equals), the larger counts (an older line's too: counts only grow).
    """
    found = list(found)
    ranks: dict[tuple[date, str], int] = {}
    for _, item in found:
        ranks.setdefault((item.day, item.paper.arxiv_id), item.rank)
    kept = newest(
        found,
        key=lambda item: (item.day, item.paper.arxiv_id),
        merged=lambda kept, other, newer: kept._replace(paper=merge(kept.paper, other.paper, fresher=newer)),
    )
    return [item._replace(rank=ranks[(item.day, item.paper.arxiv_id)]) for item in kept]


def nulls_are_absent(cls: type[BaseModel], data: Any) -> Any:
    """A field sent as null is a field not sent: its default (a null summary or author list is no
    reason to leave the paper out). A model's `mode="before"` validator."""
    return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


def or_default(cls: type[BaseModel], value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    """The field as sent, or its default when it cannot be read ("1.2k" stars, keywords as one string):
    no reason to leave the paper out. A field's `mode="wrap"` validator."""
    try:
        return handler(value)
    except ValidationError:
        assert info.field_name is not None
        return cls.model_fields[info.field_name].get_default(call_default_factory=True)
