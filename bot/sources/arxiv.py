"""The arXiv API (Atom): id_list look-ups for papers Hugging Face does not know.

arXiv asks clients for at most one request every 3 seconds on one connection; the throttle here
is shared by every call made through one `Arxiv` instance.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from xml.etree.ElementTree import Element

import httpx
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from bot.errors import NotFound, SourceDataError, SourceError
from bot.ids import canonical
from bot.models import Paper
from bot.sources import http

SOURCE = "arXiv"
BATCH = 100
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


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
    ) -> None:
        self._client = client
        self._url = base_url.rstrip("/") + "/api/query"
        self._min_interval = min_interval
        self._policy = policy
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._last: float | None = None

    async def papers(self, ids: Sequence[str]) -> list[Paper]:
        """Look up papers by id (any version); ids arXiv does not know are left out."""
        found: list[Paper] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), BATCH):
            chunk = unique[start : start + BATCH]
            found.extend(await self._query({"id_list": ",".join(chunk), "start": 0, "max_results": len(chunk)}))
        return found

    async def paper(self, arxiv_id: str) -> Paper:
        papers = await self.papers([arxiv_id])
        if not papers:
            raise NotFound(f"arXiv has no paper {arxiv_id}")
        return papers[0]

    async def _query(self, params: dict[str, str | int]) -> list[Paper]:
        async with self._lock:
            if self._last is not None:
                wait = self._min_interval - (self._clock() - self._last)
                if wait > 0:
                    await self._sleep(wait)
            try:
                response = await http.get(
                    self._client, self._url, source=SOURCE, params=params, policy=self._policy, sleep=self._sleep
                )
            finally:
                self._last = self._clock()
        url = str(response.request.url)
        feed = _parse_feed(response.content, response.status_code, url)
        error = _error_entry(feed)
        if error is not None:
            raise SourceError(SOURCE, f"the query was refused: {error}", status=response.status_code, url=url)
        if response.status_code >= 400:
            raise SourceError(SOURCE, "unexpected answer", status=response.status_code, url=url)
        return [_to_paper(entry, url) for entry in feed.findall("a:entry", _NS)]


def _parse_feed(body: bytes, status: int, url: str) -> Element:
    try:
        root: Element = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise SourceDataError(SOURCE, f"the answer is not an Atom feed ({exc})", status=status, url=url) from None
    if root.tag != f"{{{_NS['a']}}}feed":
        raise SourceDataError(SOURCE, f"the answer is not an Atom feed (root <{root.tag}>)", status=status, url=url)
    return root


def _error_entry(feed: Element) -> str | None:
    for entry in feed.findall("a:entry", _NS):
        if "/api/errors" in _text(entry, "a:id") and _text(entry, "a:title") == "Error":
            return _text(entry, "a:summary") or "no reason given"
    return None


def _text(node: Element, path: str) -> str:
    found = node.find(path, _NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def _to_paper(entry: Element, url: str) -> Paper:
    raw_id = _text(entry, "a:id")
    marker = "/abs/"
    if marker not in raw_id:
        raise SourceDataError(SOURCE, f"an entry has no arXiv id ({raw_id!r})", url=url)
    published = _text(entry, "a:published")
    return Paper(
        arxiv_id=canonical(raw_id.split(marker, 1)[1]),
        title=_text(entry, "a:title"),
        abstract=_text(entry, "a:summary"),
        authors=tuple(_text(a, "a:name") for a in entry.findall("a:author", _NS)),
        published_at=datetime.fromisoformat(published.replace("Z", "+00:00")) if published else None,
    )
