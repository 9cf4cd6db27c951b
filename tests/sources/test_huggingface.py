from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import httpx
import pytest

from bot.domain.errors import NotFound, SourceDataError, SourceError
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
    fake_api.daily["2026-06-01"] = day[: PAGE_SIZE + 30]
    listings = await HuggingFace(client).daily(date(2026, 6, 1))
    assert len(listings) == PAGE_SIZE + 30
    assert len({item.paper.arxiv_id for item in listings}) == PAGE_SIZE + 30
    pages = [r for r in fake_api.requests if r.startswith("/api/daily_papers")]
    assert len(pages) == 2 and "p=1" in pages[1]


def _numbered(n: int) -> list[object]:
    """`n` recorded items of 1 June, each a paper of its own, in upvote order."""
    recorded: list[dict[str, Any]] = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"))
    items = (recorded * (n // len(recorded) + 1))[:n]
    return [
        {**item, "paper": {**item["paper"], "id": f"2601.{i:05d}", "upvotes": 1000 - i}} for i, item in enumerate(items)
    ]


async def test_a_service_that_caps_its_pages_below_the_limit_loses_no_paper(
    fake_api: FakePapersApi, client: httpx.AsyncClient
) -> None:
    """A first page of 50 when 100 were asked ended the day: 10 of 60 papers were lost, and the
    answer was called whole, so a sync took them off a day the store held whole."""
    fake_api.page_cap = 50
    fake_api.daily["2026-06-01"] = _numbered(60)
    answer = await HuggingFace(client).daily(date(2026, 6, 1))
    assert len({item.paper.arxiv_id for item in answer}) == 60
    assert not answer.whole  # two pages: a paper moving between them could be missed


async def test_a_day_of_fifty_or_more_asks_once_more_and_is_whole_when_nothing_follows(
    fake_api: FakePapersApi, client: httpx.AsyncClient
) -> None:
    fake_api.daily["2026-06-01"] = _numbered(60)
    answer = await HuggingFace(client).daily(date(2026, 6, 1))
    assert len(answer) == 60 and answer.whole
    pages = [r for r in fake_api.requests if r.startswith("/api/daily_papers")]
    assert len(pages) == 2 and "p=1" in pages[1]


async def test_a_day_of_fewer_than_fifty_takes_one_request(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    answer = await HuggingFace(client).daily(date(2026, 6, 1))  # 49 recorded items
    assert len(answer) == 49 and answer.whole
    assert len([r for r in fake_api.requests if r.startswith("/api/daily_papers")]) == 1


async def test_a_weekend_day_is_empty_not_an_error(client: httpx.AsyncClient) -> None:
    assert await HuggingFace(client).daily(date(2026, 6, 6)) == []


async def test_truncated_json_is_a_clear_data_error(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    body = json_answer(fake_api.daily["2026-06-01"]).body
    fake_api.fail("/api/daily_papers", Answer(200, body[: len(body) // 2], {"Content-Type": "application/json"}))
    with pytest.raises(SourceDataError, match="not valid JSON") as caught:
        await HuggingFace(client).daily(date(2026, 6, 1))
    assert caught.value.source == "Hugging Face"


async def test_an_html_error_page_is_a_clear_data_error(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    """A 200 web page (a proxy's, a network's sign-in page) was said as "not valid JSON (line 1, column 1…)"."""
    fake_api.fail("/api/daily_papers", Answer(200, b"<html>maintenance</html>", {"Content-Type": "text/html"}))
    with pytest.raises(SourceDataError, match=r"the answer is a web page \(HTML\), not the papers' JSON") as caught:
        await HuggingFace(client).daily(date(2026, 6, 1))
    assert "PAPERBOY_HF_URL" in str(caught.value)


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


async def test_a_bad_item_costs_only_itself_and_is_logged(
    fake_api: FakePapersApi, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    items = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"))
    items[5]["paper"]["upvotes"] = {"not": "a number"}
    fake_api.daily["2026-06-01"] = items
    with caplog.at_level(logging.WARNING, logger="paperboy.sources"):
        listings = await HuggingFace(client).daily(date(2026, 6, 1))
    assert len(listings) == 48
    assert [item.rank for item in listings] == list(range(1, 49))
    assert items[5]["paper"]["id"] not in {item.paper.arxiv_id for item in listings}
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith("Hugging Face, listing of 2026-06-01: left out item 6 (.[5].paper.upvotes): ")
    assert line.endswith(f"(paper {items[5]['paper']['id']})")
    hf = HuggingFace(client)
    with caplog.at_level(logging.WARNING, logger="paperboy.sources"):
        caplog.clear()
        for _ in range(3):  # `run` syncs every 15 minutes: the same item was said at each, all day
            await hf.daily(date(2026, 6, 1))
    assert len(caplog.records) == 1


async def test_a_day_of_nothing_but_bad_items_is_a_data_error(
    fake_api: FakePapersApi, client: httpx.AsyncClient
) -> None:
    fake_api.daily["2026-06-01"] = [{"paper": {"title": "no id"}}, {"paper": {"id": "2401.00001"}}]
    with pytest.raises(
        SourceDataError, match=r"every item \(2\) is malformed; the first: item 1 \(\.\[0\]\.paper\.id\)"
    ):
        await HuggingFace(client).daily(date(2026, 6, 1))


async def test_versions_across_pages_keep_the_newest(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    filler = [{"paper": {"id": f"2601.{i:05d}", "title": f"P{i}"}} for i in range(PAGE_SIZE - 1)]
    fake_api.daily["2026-06-02"] = [
        {"paper": {"id": "2401.00001v2", "title": "New"}},
        *filler,
        {"paper": {"id": "2401.00001v1", "title": "Old"}},  # on the second page
    ]
    listings = await HuggingFace(client).daily(date(2026, 6, 2))
    assert len(listings) == PAGE_SIZE
    assert listings[0].paper.title == "New"


async def test_deeply_nested_json_is_a_clear_data_error(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    fake_api.fail("/api/daily_papers", Answer(200, b"[" * 50_000 + b"]" * 50_000))
    with pytest.raises(SourceDataError, match="the answer is JSON nested too deeply"):
        await HuggingFace(client).daily(date(2026, 6, 1))


async def test_a_paper_answered_under_another_id_is_refused(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    other = next(i["paper"] for i in fake_api.daily["2026-06-01"] if i["paper"]["id"] == "2605.29307")  # type: ignore[index]
    fake_api.fail("/api/papers/2101.00001", json_answer(other))
    with pytest.raises(
        SourceDataError, match="asked for paper 2101.00001 but the answer is paper 2605.29307; nothing was kept"
    ):
        await HuggingFace(client).paper("2101.00001v3")


async def test_search_leaves_out_bad_items(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    fake_api.fail("/api/papers/search", json_answer([{"paper": {"id": "x"}}, {"id": "2401.00001", "title": "Ok"}]))
    assert [p.arxiv_id for p in await HuggingFace(client).search("anything")] == ["2401.00001"]


async def test_a_page_of_bad_items_does_not_end_the_day(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    bad = [{"paper": {"title": f"no id {i}"}} for i in range(PAGE_SIZE)]  # a whole first page left out
    fake_api.daily["2026-06-02"] = [*bad, {"paper": {"id": "2601.00001", "title": "On page two"}}]
    listings = await HuggingFace(client).daily(date(2026, 6, 2))
    assert [item.paper.arxiv_id for item in listings] == ["2601.00001"]


@pytest.mark.parametrize("body", [b"null", b"{}", b'"papers"'])
async def test_an_answer_that_is_no_list_is_not_a_day_without_papers(
    fake_api: FakePapersApi, client: httpx.AsyncClient, body: bytes
) -> None:
    """`null` was taken for "the same page again" (the first page compared with no page) and the day
    stored as one Hugging Face listed nothing on, for good."""
    fake_api.fail("/api/daily_papers", Answer(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(SourceDataError) as caught:
        await HuggingFace(client).daily(date(2026, 6, 1))
    assert caught.value.source == "Hugging Face"


async def test_an_answer_listing_another_day_is_refused(fake_api: FakePapersApi, client: httpx.AsyncClient) -> None:
    """Stored under the day asked for, another day's papers would be that day's digest."""
    fake_api.daily["2026-06-02"] = fake_api.daily["2026-06-01"]
    with pytest.raises(
        SourceDataError, match="asked for the listing of 2026-06-02 but its papers were listed on 2026-06-01"
    ):
        await HuggingFace(client).daily(date(2026, 6, 2))


async def test_an_item_left_out_of_a_later_page_is_named_by_its_place_in_that_page(
    fake_api: FakePapersApi, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    recorded = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8")) * 5
    day = [{**item, "paper": {**item["paper"], "id": f"2601.{i:05d}"}} for i, item in enumerate(recorded)]
    day = day[: PAGE_SIZE + 30]
    day[PAGE_SIZE + 5]["paper"]["upvotes"] = {"not": "a number"}  # the 6th item of the second page (p=1)
    fake_api.daily["2026-06-01"] = list(day)
    with caplog.at_level(logging.WARNING, logger="paperboy.sources"):
        await HuggingFace(client).daily(date(2026, 6, 1))
    [line] = [r.getMessage() for r in caplog.records]
    # the day's count, and where jq finds it in the answer that held it (it said `.[105]`, which no page has)
    assert f"left out item {PAGE_SIZE + 6} (page p=1, .[5].paper.upvotes): " in line, line


async def test_one_byte_that_is_no_utf8_costs_a_character_not_the_day(
    fake_api: FakePapersApi, client: httpx.AsyncClient
) -> None:
    # the whole day failed: "the answer is not valid JSON (not UTF-8 text)", its good papers lost
    items = [{"paper": {"id": f"2606.0000{n}", "title": title}} for n, title in enumerate(("Cafe XYZ", "Two"), 1)]
    body = json.dumps(items).encode().replace(b"Cafe XYZ", b"Caf\xe9 XYZ")  # a Latin-1 é
    fake_api.fail("/api/daily_papers?date=2026-06-09", Answer(200, body, {"Content-Type": "application/json"}))
    listings = await HuggingFace(client).daily(date(2026, 6, 9))
    assert [(item.paper.arxiv_id, item.paper.title) for item in listings] == [
        ("2606.00001", "Caf\ufffd XYZ"),
        ("2606.00002", "Two"),
    ]
