from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from bot.errors import NotFound, SourceDataError, SourceError
from bot.sources.http import RetryPolicy
from bot.sources.huggingface import PAGE_SIZE, HuggingFace
from tests.conftest import CURRENT, Sleeps
from tests.fakes.papers_api import Answer, FakePapersApi, json_answer

FAST = RetryPolicy(attempts=3, backoff=0.0, max_backoff=0.0)


async def test_daily_returns_the_days_papers_in_order(client: httpx.AsyncClient) -> None:
    listings = await HuggingFace(client).daily(date(2026, 6, 1))
    assert len(listings) == 49
    assert listings[0].paper.arxiv_id == "2605.29307"
    assert {item.day for item in listings} == {date(2026, 6, 1)}
    assert [item.rank for item in listings] == list(range(1, 50))


async def test_daily_pages_until_a_short_page(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    recorded = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8")) * 5
    day: list[object] = [{**item, "paper": {**item["paper"], "id": f"2601.{i:05d}"}} for i, item in enumerate(recorded)]
    fake_api.daily["2026-06-02"] = day[: PAGE_SIZE + 30]
    listings = await HuggingFace(client).daily(date(2026, 6, 2))
    assert len(listings) == PAGE_SIZE + 30
    assert len({item.paper.arxiv_id for item in listings}) == PAGE_SIZE + 30
    pages = [r for r in fake_api.requests if r.startswith("/api/daily_papers")]
    assert len(pages) == 2 and "p=1" in pages[1]


async def test_a_weekend_day_is_empty_not_an_error(client: httpx.AsyncClient) -> None:
    assert await HuggingFace(client).daily(date(2026, 6, 6)) == []


async def test_truncated_json_is_a_clear_data_error(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    body = json_answer(fake_api.daily["2026-06-01"]).body
    fake_api.fail("/api/daily_papers", Answer(200, body[: len(body) // 2], {"Content-Type": "application/json"}))
    with pytest.raises(SourceDataError, match="not valid JSON") as caught:
        await HuggingFace(client).daily(date(2026, 6, 1))
    assert caught.value.source == "Hugging Face"


async def test_an_html_error_page_is_a_clear_data_error(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    fake_api.fail("/api/daily_papers", Answer(200, b"<html>maintenance</html>", {"Content-Type": "text/html"}))
    with pytest.raises(SourceDataError, match="not valid JSON"):
        await HuggingFace(client).daily(date(2026, 6, 1))


async def test_a_wrong_shape_is_refused(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    fake_api.fail("/api/daily_papers", json_answer({"papers": []}))
    with pytest.raises(SourceDataError, match="expected a JSON array"):
        await HuggingFace(client).daily(date(2026, 6, 1))


async def test_429_with_retry_after_then_success(
    fake_api: FakePapersApi, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    fake_api.fail("/api/daily_papers", Answer(429, b"{}", {"Retry-After": "2"}))
    listings = await HuggingFace(client, policy=FAST, sleep=sleeps).daily(date(2026, 6, 1))
    assert len(listings) == 49
    assert sleeps.waits == [2.0]


async def test_500_then_success(fake_api: FakePapersApi, client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    fake_api.fail("/api/daily_papers", Answer(500, b"oops"))
    assert len(await HuggingFace(client, policy=FAST, sleep=sleeps).daily(date(2026, 6, 1))) == 49


async def test_a_timeout_then_success(fake_api: FakePapersApi, client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    fake_api.fail("/api/daily_papers", httpx.ReadTimeout("slow"))
    assert len(await HuggingFace(client, policy=FAST, sleep=sleeps).daily(date(2026, 6, 1))) == 49


async def test_persistent_server_errors_name_the_source_and_status(
    fake_api: FakePapersApi, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    fake_api.fail("/api/daily_papers", *[Answer(503, b"down") for _ in range(3)])
    with pytest.raises(SourceError, match=r"Hugging Face \(HTTP 503\)"):
        await HuggingFace(client, policy=FAST, sleep=sleeps).daily(date(2026, 6, 1))


async def test_paper_by_id(client: httpx.AsyncClient) -> None:
    paper = await HuggingFace(client).paper("2605.29307")
    assert paper.title.startswith("GrepSeek")
    assert paper.num_comments == 0  # the paper endpoint has no listing-level counts


async def test_unknown_paper_is_not_found(client: httpx.AsyncClient) -> None:
    with pytest.raises(NotFound, match="Hugging Face has no paper 2101.00001"):
        await HuggingFace(client).paper("2101.00001")


async def test_search_accepts_listing_items(client: httpx.AsyncClient) -> None:
    papers = await HuggingFace(client).search("GrepSeek")
    assert [p.arxiv_id for p in papers] == ["2605.29307"]
