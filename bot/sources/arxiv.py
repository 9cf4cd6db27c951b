"""The arXiv API (Atom): id_list look-ups for papers Hugging Face does not know.

arXiv asks clients for at most one request every 3 seconds on one connection; the throttle here
is shared by every call made through one `Arxiv` instance. Each entry is checked on its own: a
malformed one, or one for a paper nobody asked for, is left out with a warning; of two versions of
one paper the newer wins.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from xml.etree.ElementTree import Element

import httpx
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from bot.domain.errors import InvalidPaperId, NotFound, SourceDataError, SourceError
from bot.domain.ids import canonical, parse_arxiv_id
from bot.domain.models import Paper, squash
from bot.sources import http
from bot.sources.validation import Skipped, newest, utc, version

SOURCE = "arXiv"
BATCH = 100
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}

log = logging.getLogger("paperboy.sources")


class _Pace:
    """When arXiv was last asked, and the lock that keeps its requests one at a time."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.last: float | None = None


class Arxiv:
    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str = "https://export.arxiv.org",
        *,
        min_interval: float = 3.0,
        policy: http.RetryPolicy = http.RetryPolicy(backoff=3.0),
        clock: Callable[[], float] = time.monotonic,
        sleep: http.Sleep = asyncio.sleep,
        limits: http.Limits = http.LIMITS,
    ) -> None:
        self._client = client
        self._url = base_url.rstrip("/") + "/api/query"
        self._min_interval = min_interval
        self._policy = policy
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._pace = _Pace()

    def with_policy(self, policy: http.RetryPolicy) -> Arxiv:
        """The same client trying as `policy` says, paced with this one (one request every `min_interval`)."""
        other = copy.copy(self)
        other._policy = policy
        return other

    async def papers(self, ids: Sequence[str]) -> list[Paper]:
        """Look up papers by id (any version); ids arXiv does not know are left out."""
        return (await self._papers(ids))[0]

    async def paper(self, arxiv_id: str) -> Paper:
        """One paper by id; an answer about another paper is refused (SourceDataError naming both)."""
        papers, foreign = await self._papers([arxiv_id])
        if papers:
            return papers[0]
        if foreign:
            raise SourceDataError(
                SOURCE,
                f"asked for paper {canonical(arxiv_id)} but the answer is paper {foreign[0]}; nothing was kept",
                url=self._url,
            )
        raise NotFound(f"arXiv has no paper {arxiv_id}")

    async def versions(self, ids: Sequence[str]) -> dict[str, int]:
        """The newest version arXiv has of each paper (by canonical id); ids arXiv does not know are left out."""
        found: dict[str, int] = {}
        for ver, paper in (await self._entries(ids))[0]:
            found[paper.arxiv_id] = max(ver, found.get(paper.arxiv_id, 0))
        return found

    async def _papers(self, ids: Sequence[str]) -> tuple[list[Paper], list[str]]:
        """The papers asked for, newest version each, and the ids of entries nobody asked for."""
        found, foreign = await self._entries(ids)
        return newest(found, key=lambda paper: paper.arxiv_id), foreign

    async def _entries(self, ids: Sequence[str]) -> tuple[list[tuple[int, Paper]], list[str]]:
        """Every entry for the papers asked for, with its version, and the ids of entries nobody asked for."""
        found: list[tuple[int, Paper]] = []
        foreign: list[str] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), BATCH):
            chunk = unique[start : start + BATCH]
            asked = {canonical(i) for i in chunk}
            entries = await self._ask_for(chunk)
            for position, (ver, paper) in enumerate(entries):
                if paper is None:
                    continue
                if paper.arxiv_id in asked:
                    found.append((ver, paper))
                else:
                    foreign.append(paper.arxiv_id)
                    log.warning(
                        "%s: left out %s", SOURCE, Skipped("entry", position, "not asked for", arxiv_id=paper.arxiv_id)
                    )
        return found, foreign

    async def _ask_for(self, ids: list[str]) -> list[tuple[int, Paper | None]]:
        """The entries of `ids`. An id arXiv calls malformed (`2413.12345`: a 13th month) is no paper of
        its: it is left out and the others asked for again, not the whole batch failed."""
        while ids:
            try:
                return await self._query({"id_list": ",".join(ids), "start": 0, "max_results": len(ids)})
            except _Malformed as exc:
                if exc.arxiv_id not in ids:
                    raise
                log.warning("%s: left out %s, which arXiv says is not an id of its own", SOURCE, exc.arxiv_id)
                ids = [i for i in ids if i != exc.arxiv_id]
        return []

    async def _query(self, params: dict[str, str | int]) -> list[tuple[int, Paper | None]]:
        """Every entry of the answer, in order: its version and paper, or None where it was malformed."""
        pace = self._pace
        async with pace.lock:
            if pace.last is not None:
                wait = self._min_interval - (self._clock() - pace.last)
                if wait > 0:
                    await self._sleep(wait)
            try:
                reply = await http.get(
                    self._client,
                    self._url,
                    source=SOURCE,
                    params=params,
                    policy=self._policy,
                    limits=self._limits,
                    sleep=self._sleep,
                )
            finally:
                pace.last = self._clock()
        feed = _parse_feed(reply.content, reply.status_code, reply.url)
        error = _error_entry(feed)
        if error is not None:
            malformed = _MALFORMED.fullmatch(error)
            if malformed is not None:
                raise _Malformed(malformed.group(1), f"the query was refused: {error}", reply.status_code, reply.url)
            raise SourceError(SOURCE, f"the query was refused: {error}", status=reply.status_code, url=reply.url)
        if reply.status_code >= 400:
            raise SourceError(SOURCE, "unexpected answer", status=reply.status_code, url=reply.url)
        entries: list[tuple[int, Paper | None]] = []
        left_out: list[Skipped] = []
        for position, entry in enumerate(feed.findall("a:entry", _NS)):
            try:
                entries.append(_to_paper(entry))
            except ValueError as exc:
                left_out.append(Skipped("entry", position, str(exc), arxiv_id=_entry_id(entry)))
                entries.append((0, None))
        if left_out and len(left_out) == len(entries):
            raise SourceDataError(
                SOURCE, f"every entry ({len(entries)}) is malformed; the first: {left_out[0]}", url=reply.url
            )
        for skipped in left_out:
            log.warning("%s: left out %s", SOURCE, skipped)
        return entries


def _not_a_feed(body: bytes) -> str:
    """What an answer that is no XML is, in words, and what to do (the parser's "not well-formed (invalid
    token): line 1, column 0" was passed on as it was)."""
    start = body.lstrip()[:15].lower()
    if start.startswith((b"<!doctype html", b"<html")) or start[:1] in (b"{", b"["):
        kind = "a web page (HTML)" if start[:1] == b"<" else "JSON"
        return (
            f"the answer is {kind}, not arXiv's Atom feed: a proxy or a network's sign-in page may be in the way,"
            " or PAPERBOY_ARXIV_URL names another site; check it, or set PAPERBOY_OFFLINE=1 to work from the store"
        )
    return "the answer is not an Atom feed (cut short or garbled on the way): try again later"


def _parse_feed(body: bytes, status: int, url: str) -> Element:
    try:
        root: Element = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException):
        raise SourceDataError(SOURCE, _not_a_feed(body), status=status, url=url) from None
    if root.tag.lower() == "html":  # a well-formed web page
        raise SourceDataError(SOURCE, _not_a_feed(b"<html"), status=status, url=url)
    if root.tag != f"{{{_NS['a']}}}feed":
        raise SourceDataError(SOURCE, f"the answer is not an Atom feed (root <{root.tag}>)", status=status, url=url)
    return root


_MALFORMED = re.compile(r"incorrect id format for (\S+)")  # arXiv's own words, in its error entry


class _Malformed(SourceError):
    """arXiv refused a query for one id it calls malformed."""

    def __init__(self, arxiv_id: str, reason: str, status: int, url: str) -> None:
        self.arxiv_id = arxiv_id
        super().__init__(SOURCE, reason, status=status, url=url)


def _error_entry(feed: Element) -> str | None:
    for entry in feed.findall("a:entry", _NS):
        if "/api/errors" in _text(entry, "a:id") and _text(entry, "a:title") == "Error":
            return _text(entry, "a:summary") or "no reason given"
    return None


def _text(node: Element, path: str) -> str:
    """An element's text as every surface shows it (`squash`: no control characters or bidi overrides)."""
    found = node.find(path, _NS)
    return squash(found.text) if found is not None else ""


def _entry_id(entry: Element) -> str | None:
    """The canonical id an entry names, if it names one."""
    raw_id = _text(entry, "a:id")
    try:
        return parse_arxiv_id(raw_id.split("/abs/", 1)[1]) if "/abs/" in raw_id else None
    except InvalidPaperId:
        return None


def _to_paper(entry: Element) -> tuple[int, Paper]:
    """An entry's version and paper; ValueError saying what is wrong with it."""
    raw_id = _text(entry, "a:id")
    arxiv_id = _entry_id(entry)
    if arxiv_id is None:
        raise ValueError(f"it has no arXiv id ({raw_id!r})")
    if not _text(entry, "a:title"):
        raise ValueError("it has no title")
    published = _text(entry, "a:published")
    try:
        when = datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None
    except ValueError:
        raise ValueError(f"its publication date {published[:40]!r} is not a date") from None
    paper = Paper(
        arxiv_id=arxiv_id,
        title=_text(entry, "a:title"),
        abstract=_text(entry, "a:summary"),
        authors=tuple(name for a in entry.findall("a:author", _NS) if (name := _text(a, "a:name"))),
        published_at=utc(when),
    )
    return version(raw_id), paper
