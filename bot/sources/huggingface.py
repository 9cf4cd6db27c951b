"""Hugging Face's papers API: daily listings (paged), one paper, and search."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import httpx
from pydantic import ValidationError

from bot.errors import NotFound, SourceDataError
from bot.models import Listing, Paper
from bot.sources import http
from bot.sources.hf_payload import PAPERS, HFPaper, describe, parse_daily, to_paper

SOURCE = "Hugging Face"
PAGE_SIZE = 100
MAX_PAGES = 20  # a day has had at most ~120 papers; this bounds a server that ignores `p`


class HuggingFace:
    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str = "https://huggingface.co",
        policy: http.RetryPolicy = http.RetryPolicy(),
        sleep: http.Sleep = asyncio.sleep,
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._policy = policy
        self._sleep = sleep

    def with_policy(self, policy: http.RetryPolicy) -> HuggingFace:
        return HuggingFace(self._client, self._base, policy, self._sleep)

    async def daily(self, day: date) -> list[Listing]:
        """Every paper listed on `day`, in Hugging Face's order; [] for a day with no listings."""
        listings: list[Listing] = []
        seen: set[str] = set()
        for page in range(MAX_PAGES):
            params: dict[str, str | int] = {"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}
            raw = await self._json("/api/daily_papers", params)
            try:
                batch = parse_daily(raw, day)
            except ValueError as exc:
                raise SourceDataError(SOURCE, str(exc), url=f"{self._base}/api/daily_papers") from None
            fresh = [item for item in batch if item.paper.arxiv_id not in seen]
            for item in fresh:
                seen.add(item.paper.arxiv_id)
                listings.append(Listing(item.paper, day, len(listings) + 1))
            if len(batch) < PAGE_SIZE or not fresh:
                break
        return listings

    async def paper(self, arxiv_id: str) -> Paper:
        raw = await self._json(f"/api/papers/{arxiv_id}", None, missing=f"Hugging Face has no paper {arxiv_id}")
        try:
            return to_paper(HFPaper.model_validate(raw))
        except ValidationError as exc:
            raise SourceDataError(
                SOURCE, describe(exc, [raw], "paper"), url=f"{self._base}/api/papers/{arxiv_id}"
            ) from None

    async def search(self, query: str) -> list[Paper]:
        raw = await self._json("/api/papers/search", {"q": query})
        try:
            return [to_paper(item) for item in PAPERS.validate_python(raw)]
        except ValidationError as exc:
            raise SourceDataError(
                SOURCE, describe(exc, raw, "search answer"), url=f"{self._base}/api/papers/search"
            ) from None

    async def _json(self, path: str, params: dict[str, str | int] | None, *, missing: str | None = None) -> object:
        url = f"{self._base}{path}"
        response = await http.get(
            self._client, url, source=SOURCE, params=params, policy=self._policy, sleep=self._sleep
        )
        if response.status_code == 404 and missing:
            raise NotFound(missing)
        if response.status_code >= 400:
            raise SourceDataError(
                SOURCE, f"unexpected answer: {response.text[:120]!r}", status=response.status_code, url=url
            )
        try:
            return json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceDataError(
                SOURCE,
                f"the answer is not valid JSON ({exc.msg if isinstance(exc, json.JSONDecodeError) else exc})",
                status=response.status_code,
                url=url,
            ) from None
