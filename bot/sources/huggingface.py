"""Hugging Face's papers API: daily listings (paged), one paper, and search."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from datetime import date

import httpx
from pydantic import ValidationError

from bot.domain.errors import NotFound, SourceDataError
from bot.domain.ids import canonical
from bot.domain.models import Listing, Paper, squash
from bot.sources import http
from bot.sources.hf_payload import HFPaper, describe, listed_elsewhere, read_daily, read_search, to_paper
from bot.sources.validation import Skipped, load_json, newest_listings

SOURCE = "Hugging Face"
PAGE_SIZE = 100
MAX_PAGES = 20  # a day has had at most ~120 papers; this bounds a server that ignores `p`
MAYBE_CAPPED = 50  # the API's own page size (below PAGE_SIZE): a short page this long may be a cap, so read on
_NO_PAGE = object()
WARNED_KEPT = 10_000  # malformed items remembered as said; past it, all are forgotten
MAX_WARNINGS = 10  # items left out of one answer that are named one by one; the rest are counted

log = logging.getLogger("paperboy.sources")


class DayAnswer(list[Listing]):
    """A day's listings as Hugging Face answered them; `whole`: every paper it lists that day is here."""

    def __init__(self, listings: Sequence[Listing] = (), *, whole: bool = False) -> None:
        super().__init__(listings)
        self.whole = whole


def refusal(reply: http.Reply) -> str:
    """A 4xx answer in a few words: Hugging Face's own error message when it gives one, else what it was."""
    try:
        said = load_json(reply.content)
    except ValueError:
        said = None
    error = said.get("error") if isinstance(said, dict) else None
    if isinstance(error, str) and error.strip():
        return f"refused: {squash(error)[:200]}; is PAPERBOY_HF_URL right?"
    looks = "an HTML page" if reply.text.lstrip()[:1] == "<" else "no JSON"
    return f"refused with {looks} instead of papers; is PAPERBOY_HF_URL right?"


_WEB_PAGE = (
    "the answer is a web page (HTML), not the papers' JSON: a proxy or a network's sign-in page may be in the"
    " way, or PAPERBOY_HF_URL names another site; check it, or set PAPERBOY_OFFLINE=1 to work from the store alone"
)


class HuggingFace:
    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str = "https://huggingface.co",
        policy: http.RetryPolicy = http.RetryPolicy(),
        sleep: http.Sleep = asyncio.sleep,
        *,
        limits: http.Limits = http.LIMITS,
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._policy = policy
        self._sleep = sleep
        self._limits = limits
        self._warned: set[str] = set()  # each malformed item said once (a sync every 15 minutes asks again)

    def with_policy(self, policy: http.RetryPolicy) -> HuggingFace:
        other = HuggingFace(self._client, self._base, policy, self._sleep, limits=self._limits)
        other._warned = self._warned  # what one said, the other need not say again
        return other

    async def daily(self, day: date) -> DayAnswer:
        """Every paper listed on `day`, in Hugging Face's order; [] for a day with no listings.

        A malformed item is left out with a warning; a day whose every item is malformed is a
        SourceDataError. The answer is `whole` when it came in one page with nothing left out: then a
        paper it lacks is one Hugging Face no longer lists that day (pages of a listing sorted by
        upvotes can miss a paper that moved between them). A short page of MAYBE_CAPPED items or more
        is read past: a service that caps its pages below `limit` gives short pages with more to come.
        """
        url = f"{self._base}/api/daily_papers"
        found: list[tuple[int, Listing]] = []
        left_out: list[Skipped] = []
        items = 0
        paged = 0  # pages that held items
        seen: set[str] = set()
        last: object = _NO_PAGE  # (not None: a page of `null` is a malformed answer, not the same page again)
        for page in range(MAX_PAGES):
            params: dict[str, str | int] = {"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}
            raw = await self._json("/api/daily_papers", params)
            if raw == last:  # the same page again: the service ignores the page number
                break
            last = raw
            if (other := listed_elsewhere(raw, day)) is not None:
                said = f"asked for the listing of {day} but its papers were listed on {other}; nothing was kept"
                raise SourceDataError(SOURCE, said, url=url)
            try:
                parsed = read_daily(raw, day)
            except ValueError as exc:
                raise SourceDataError(SOURCE, str(exc), url=url) from None
            offset = items  # positions count from the day's first item, across pages
            items += parsed.items
            paged += parsed.items > 0
            left_out.extend(
                dataclasses.replace(s, position=s.position + offset, page=page if page else None, index=s.position)
                for s in parsed.skipped
            )
            fresh = {item.paper.arxiv_id for _, item in parsed.found} - seen
            found.extend(parsed.found)
            seen |= fresh
            if not (fresh or parsed.skipped) or parsed.items < MAYBE_CAPPED:  # (a page of bad items: read on)
                break
        self._left_out(f"listing of {day.isoformat()}", left_out, bool(found), url)
        ranked = [item._replace(rank=rank) for rank, item in enumerate(newest_listings(found), start=1)]
        return DayAnswer(ranked, whole=paged <= 1 and items < PAGE_SIZE and not left_out)

    async def paper(self, arxiv_id: str) -> Paper:
        """One paper by id; an answer about another paper is refused (SourceDataError naming both)."""
        asked = canonical(arxiv_id)
        url = f"{self._base}/api/papers/{asked}"
        raw = await self._json(f"/api/papers/{asked}", None, missing=f"Hugging Face has no paper {asked}")
        try:
            paper = to_paper(HFPaper.model_validate(raw))
        except ValidationError as exc:
            raise SourceDataError(SOURCE, describe(exc, raw), url=url) from None
        if paper.arxiv_id != asked:
            raise SourceDataError(
                SOURCE, f"asked for paper {asked} but the answer is paper {paper.arxiv_id}; nothing was kept", url=url
            )
        return paper

    async def search(self, query: str) -> list[Paper]:
        url = f"{self._base}/api/papers/search"
        raw = await self._json("/api/papers/search", {"q": query})
        try:
            papers, left_out = read_search(raw)
        except ValueError as exc:
            raise SourceDataError(SOURCE, str(exc), url=url) from None
        self._left_out(f"search for {query!r}", left_out, bool(papers), url)
        return papers

    def _left_out(self, what: str, left_out: Sequence[Skipped], kept_any: bool, url: str) -> None:
        """Warn of each item left out; when nothing was good, fail with the first reason instead."""
        if not left_out:
            return
        if not kept_any:
            raise SourceDataError(
                SOURCE, f"every item ({len(left_out)}) is malformed; the first: {left_out[0]}", url=url
            )
        news = [s for s in left_out if f"{what}: {s}" not in self._warned]  # said at an earlier ask: not again
        if len(self._warned) > WARNED_KEPT:
            self._warned.clear()
        self._warned.update(f"{what}: {s}" for s in news)
        for skipped in news[:MAX_WARNINGS]:
            log.warning("%s, %s: left out %s", SOURCE, what, skipped)
        if len(news) > MAX_WARNINGS:
            log.warning("%s, %s: left out %d more malformed items", SOURCE, what, len(news) - MAX_WARNINGS)

    async def _json(self, path: str, params: dict[str, str | int] | None, *, missing: str | None = None) -> object:
        url = f"{self._base}{path}"
        reply = await http.get(
            self._client, url, source=SOURCE, params=params, policy=self._policy, limits=self._limits, sleep=self._sleep
        )
        if reply.status_code == 404 and missing:
            raise NotFound(missing)
        if reply.status_code >= 400:
            raise SourceDataError(SOURCE, refusal(reply), status=reply.status_code, url=reply.url)
        try:  # a byte that is no UTF-8 (a Latin-1 é in one title) costs that character, not the day
            return load_json(reply.content.decode("utf-8", "replace"))
        except ValueError as exc:
            # a web page where papers were expected: a proxy's or a captive portal's, or another site
            said = _WEB_PAGE if reply.text.lstrip()[:1] == "<" else f"the answer is {exc}"
            raise SourceDataError(SOURCE, said, status=reply.status_code, url=reply.url) from None
