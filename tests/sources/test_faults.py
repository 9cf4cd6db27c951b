"""Fault injection for the sources: a fake Hugging Face and arXiv on 127.0.0.1, misbehaving.

Everything runs through the real httpx client, the real `HuggingFace`, `Arxiv`, `Syncer` and
`Catalog`, and a real store. Each fault must leave what was committed before it, keep the good part
of an answer where there is one, and otherwise end in one clear line naming the source.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from bot.domain.errors import SourceDataError, SourceError, SourceUnavailable
from bot.ingest.catalog import Catalog
from bot.ingest.sync import Syncer
from bot.sources.arxiv import Arxiv
from bot.sources.http import Limits, RetryPolicy
from bot.sources.huggingface import HuggingFace
from bot.sources.validation import MAX_COUNT
from bot.store.papers import PaperStore
from tests.conftest import Sleeps, local_client, search_over
from tests.fakes.papers_api import Answer, FakePapersApi, atom_answer, atom_entry, json_answer

MON, TUE, WED = date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)
FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)
DEADLINE = 1.5  # seconds (the real one is http.DEADLINE_SECONDS): room for a busy CI machine, far below a trickle


@dataclass
class World:
    fake: FakePapersApi
    base: str
    client: httpx.AsyncClient
    store: PaperStore
    syncer: Syncer
    catalog: Catalog
    sleeps: Sleeps

    def fail_day(self, day: date, *answers: Answer | Exception) -> None:
        self.fake.fail(f"/api/daily_papers?date={day.isoformat()}", *answers)

    def recorded(self, day: date) -> list[dict[str, object]]:
        items = self.fake.daily[day.isoformat()]
        return [dict(item) for item in items if isinstance(item, dict)]

    async def days(self) -> dict[date, int]:
        """Listings per day in the store."""
        found = {}
        for day in (MON, TUE, WED):
            if listed := await self.store.listing(day):
                found[day] = len(listed)
        return found


@pytest.fixture
def fake() -> FakePapersApi:
    return FakePapersApi.recorded({day.isoformat() for day in (MON, TUE, WED)})


@pytest.fixture
def served(fake: FakePapersApi) -> Iterator[str]:
    with fake.serve() as base:
        yield base


@pytest.fixture
async def world(fake: FakePapersApi, served: str, store: PaperStore, sleeps: Sleeps) -> AsyncIterator[World]:
    async with local_client(timeout=httpx.Timeout(5.0)) as client:
        limits = Limits(deadline=DEADLINE)
        hf = HuggingFace(client, served, FAST, sleeps, limits=limits)
        arxiv = Arxiv(client, served, min_interval=0.0, policy=FAST, sleep=sleeps, limits=limits)
        search = search_over(store)  # keyword-only in tests: cheap to keep up to date
        syncer = Syncer(store, hf, arxiv, search)
        yield World(fake, served, client, store, syncer, Catalog(store, search, hf, arxiv, syncer), sleeps)


def one_line(error: BaseException | str) -> str:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text and text.strip() == text
    return text


def recorded_count(world: World, day: date) -> int:
    return len(world.recorded(day))


# -- the service fails --------------------------------------------------------------------------


async def test_server_errors_cost_that_day_only(world: World) -> None:
    world.fail_day(TUE, Answer(503, b"down"), Answer(503, b"down"))
    report = await world.syncer.sync([MON, TUE, WED])
    assert {day: one_line(reason) for day, reason in report.failed.items()} == {
        TUE: "Hugging Face (HTTP 503): server error after 2 attempts; try again later"
    }
    assert await world.days() == {MON: recorded_count(world, MON), WED: recorded_count(world, WED)}


async def test_a_server_error_that_asks_to_come_back_later_stops_the_sync_as_a_429_does(world: World) -> None:
    """A 503 with Retry-After says the service is down for a while: the next days are not asked (each
    would wait out its retries, minutes a day), and the report says to sync them later."""
    down = Answer(503, b"down", {"Retry-After": "5"})
    world.fail_day(TUE, down, down)
    report = await world.syncer.sync([MON, TUE, WED])
    assert one_line(report.failed[TUE]) == "Hugging Face (HTTP 503): server error after 2 attempts; try again later"
    assert report.failed[WED] == (
        f"not asked, as Hugging Face asked us to come back later (HTTP 503) at {TUE}: sync it later"
    )
    assert await world.days() == {MON: recorded_count(world, MON)}


async def test_429_waits_out_retry_after_then_keeps_the_day(world: World) -> None:
    world.fail_day(TUE, Answer(429, b"slow down", {"Retry-After": "3"}))
    report = await world.syncer.sync([TUE])
    assert report.ok
    assert world.sleeps.waits == [3.0]
    assert await world.days() == {TUE: recorded_count(world, TUE)}


@pytest.mark.slow
async def test_a_trickling_body_is_cut_off_at_the_deadline_and_earlier_days_stay(world: World) -> None:
    trickle = Answer(200, json_answer(world.recorded(TUE)).body, trickle=0.05)
    world.fail_day(TUE, trickle, trickle)
    started = time.monotonic()
    report = await world.syncer.sync([MON, TUE, WED])  # Monday stored: the rest fail in the report, said
    assert time.monotonic() - started < 3 * DEADLINE + 2.0  # two attempts of DEADLINE, not ~4 hours of trickle
    assert one_line(report.failed[TUE]).startswith("Hugging Face: no complete answer from http://127.0.0.1:")
    assert f"within {DEADLINE} s (the deadline for one request) in 2 attempts: try again later;" in report.failed[TUE]
    assert report.failed[WED] == f"not asked, as Hugging Face could not be reached at {TUE}: sync it later"
    assert report.fetched == [MON] and await world.days() == {MON: recorded_count(world, MON)}
    world.fail_day(MON, trickle, trickle)
    with pytest.raises(SourceUnavailable):  # nothing stored yet: no day would fare better
        await world.syncer.sync([MON, TUE])


async def test_a_day_that_failed_before_hugging_face_went_away_is_still_said(world: World) -> None:
    """Monday answered with a proxy's page, then Hugging Face could not be reached: the sync raised the
    outage alone, and Monday's own fault (a page in the way, not an outage) was never said."""
    world.fail_day(MON, Answer(200, b"<html>sign in</html>", {"Content-Type": "text/html"}))
    world.fail_day(TUE, ConnectionResetError(), ConnectionResetError())
    report = await world.syncer.sync([MON, TUE, WED])
    assert one_line(report.failed[MON]).startswith("Hugging Face (HTTP 200): the answer is a web page (HTML)")
    assert isinstance(report.failed[TUE], str) and report.failed[TUE]
    assert report.failed[WED] == f"not asked, as Hugging Face could not be reached at {TUE}: sync it later"
    assert report.fetched == [] and await world.days() == {}


async def test_a_body_broken_off_mid_answer_is_one_line_and_earlier_days_stay(world: World) -> None:
    body = json_answer(world.recorded(TUE)).body
    cut = Answer(200, body, {"Content-Type": "application/json"}, cut=len(body) // 2)
    world.fail_day(TUE, cut, cut)
    report = await world.syncer.sync([MON, TUE])
    said = one_line(report.failed[TUE])
    assert said.startswith("Hugging Face: the connection to http://127.0.0.1:")
    assert said.endswith("broke off (the answer was cut short); try again later")
    assert await world.days() == {MON: recorded_count(world, MON)}


@pytest.mark.slow
async def test_a_truncated_body_costs_that_day_only(world: World) -> None:
    body = json_answer(world.recorded(TUE)).body
    world.fail_day(TUE, Answer(200, body[: len(body) // 2], {"Content-Type": "application/json"}))
    report = await world.syncer.sync([MON, TUE, WED])
    assert one_line(report.failed[TUE]).startswith(
        "Hugging Face (HTTP 200): the answer is not valid JSON (line 1, column "
    )
    assert list(report.failed) == [TUE]
    assert set(await world.days()) == {MON, WED}


async def test_a_body_that_claims_compression_but_is_not_costs_that_day_only(world: World) -> None:
    garbled = Answer(200, b"[not gzip]", {"Content-Type": "application/json", "Content-Encoding": "gzip"})
    world.fail_day(TUE, garbled)
    report = await world.syncer.sync([MON, TUE, WED])
    assert one_line(report.failed[TUE]) == "Hugging Face: the answer says it is compressed but cannot be decompressed"
    assert set(await world.days()) == {MON, WED}


async def test_a_redirect_loop_is_one_line(world: World, served: str) -> None:
    """The bot's client follows redirects (bot/app/bootstrap.py); one that loops is said in our words."""
    loop = Answer(302, b"", {"Location": f"{served}/api/daily_papers?date={TUE.isoformat()}"})
    world.fail_day(TUE, *[loop] * 25)
    async with local_client(follow_redirects=True) as following:
        hf = HuggingFace(following, served, FAST, world.sleeps, limits=Limits(deadline=DEADLINE))
        with pytest.raises(SourceError) as caught:
            await hf.daily(TUE)
    assert one_line(caught.value) == "Hugging Face: the answer redirects in a loop (more than 20 redirects)"


# -- the answer is wrong ------------------------------------------------------------------------


async def test_a_wrong_shape_costs_that_day_only(world: World) -> None:
    world.fail_day(TUE, json_answer({"papers": []}))
    report = await world.syncer.sync([MON, TUE, WED])
    assert one_line(report.failed[TUE]) == (
        "Hugging Face: not a Hugging Face daily-papers response: expected a JSON array, got an object"
    )
    assert set(await world.days()) == {MON, WED}


async def test_one_malformed_item_costs_only_itself(world: World, caplog: pytest.LogCaptureFixture) -> None:
    items = world.recorded(TUE)
    broken = dict(items[2])
    broken["paper"] = {**broken["paper"], "title": None}  # type: ignore[dict-item]
    world.fake.daily[TUE.isoformat()] = [*items[:2], broken, *items[3:]]
    with caplog.at_level(logging.WARNING, logger="paperboy.sources"):
        report = await world.syncer.sync([TUE])
    assert report.ok
    assert await world.days() == {TUE: len(items) - 1}
    [warning] = [one_line(r.getMessage()) for r in caplog.records]
    assert warning.startswith("Hugging Face, listing of 2026-06-02: left out item 3 (.[2].paper.title): ")


async def test_nulls_in_optional_fields_and_unreadable_dates_keep_the_paper(world: World) -> None:
    """Only a missing id or title leaves a paper out: a null summary, author list, count or keyword,
    or a date we cannot read, is that field not given. A title of white space is no title."""
    items = world.recorded(TUE)[:4]
    nulls = {"summary": None, "authors": None, "upvotes": None, "ai_keywords": [None, "agents"]}
    items[0] = {**items[0], "paper": {**items[0]["paper"], **nulls, "publishedAt": "the day after"}}  # type: ignore[dict-item]
    items[1] = {**items[1], "numComments": None, "paper": {**items[1]["paper"], "authors": [{"name": None}]}}  # type: ignore[dict-item]
    items[2] = {**items[2], "paper": {**items[2]["paper"], "title": " \n\x00 "}}  # type: ignore[dict-item]
    answered: list[object] = [*items]
    world.fake.daily[TUE.isoformat()] = answered
    report = await world.syncer.sync([TUE])
    assert report.ok and await world.days() == {TUE: 3}
    kept = {paper.arxiv_id: paper for paper in await world.store.listing(TUE)}
    first = kept[str(items[0]["paper"]["id"])]  # type: ignore[index]
    assert (first.abstract, first.authors, first.upvotes, first.ai_keywords) == ("", (), 0, ("agents",))
    assert str(items[2]["paper"]["id"]) not in kept  # type: ignore[index]


async def test_a_service_that_ignores_the_page_number_is_asked_twice_not_twenty_times(world: World) -> None:
    """A full page (100 items), then the same page again whatever `p` asks: reading stops there."""
    first = world.recorded(TUE)[0]
    paper = first["paper"]
    assert isinstance(paper, dict)
    full = [{**first, "paper": {**paper, "id": f"2401.{n:05d}"}} for n in range(100)]
    world.fail_day(TUE, *[json_answer(full)] * 20)
    report = await world.syncer.sync([TUE])
    asked = [r for r in world.fake.requests if r.startswith("/api/daily_papers") and f"date={TUE}" in r]
    assert report.ok and len(asked) == 2 and await world.days() == {TUE: 100}


async def test_huge_numbers_are_clamped_not_an_overflow(world: World) -> None:
    items = world.recorded(TUE)
    first = items[0]["paper"]
    assert isinstance(first, dict)
    items[0] = {**items[0], "paper": {**first, "upvotes": 10**30, "githubStars": 2**63}, "numComments": 7}
    body = json.dumps(items).encode().replace(b'"numComments": 7', b'"numComments": ' + b"9" * 5000, 1)
    world.fail_day(TUE, Answer(200, body, {"Content-Type": "application/json"}))
    report = await world.syncer.sync([TUE])
    assert report.ok
    saved = await world.store.get(str(first["id"]))
    assert saved is not None
    assert (saved.upvotes, saved.github_stars, saved.num_comments) == (MAX_COUNT, MAX_COUNT, MAX_COUNT)
    assert await world.days() == {TUE: len(items)}


@pytest.mark.slow
async def test_deep_nesting_costs_that_day_only(world: World) -> None:
    world.fail_day(TUE, Answer(200, b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}))
    report = await world.syncer.sync([MON, TUE, WED])
    assert one_line(report.failed[TUE]).startswith("Hugging Face (HTTP 200): the answer is JSON nested too deeply")
    assert set(await world.days()) == {MON, WED}


async def test_deep_nesting_inside_a_field_we_ignore_is_harmless(world: World) -> None:
    items = world.recorded(TUE)
    items[0] = {**items[0], "mediaUrls": json.loads("[" * 400 + "]" * 400)}
    world.fake.daily[TUE.isoformat()] = [*items]
    assert (await world.syncer.sync([TUE])).ok
    assert await world.days() == {TUE: len(items)}


async def test_an_answer_larger_than_we_read_costs_that_day_only(world: World, sleeps: Sleeps) -> None:
    hf = HuggingFace(world.client, world.base, FAST, sleeps, limits=Limits(deadline=DEADLINE, max_bytes=50_000))
    report = await Syncer(world.store, hf, None, search_over(world.store)).sync([TUE, date(2026, 6, 6)])
    assert (
        one_line(report.failed[TUE])
        == "Hugging Face (HTTP 200): the answer is larger than 50,000 bytes, more than we read"
    )
    assert list(report.failed) == [TUE]


async def test_urls_that_are_not_http_never_reach_a_card(world: World) -> None:
    items = world.recorded(TUE)
    paper = items[0]["paper"]
    assert isinstance(paper, dict)
    items[0] = {**items[0], "thumbnail": "javascript:alert(1)", "paper": {**paper, "githubRepo": "file:///etc/x"}}
    world.fake.daily[TUE.isoformat()] = [*items]
    assert (await world.syncer.sync([TUE])).ok
    saved = await world.store.get(str(paper["id"]))
    assert saved is not None and saved.thumbnail is None and saved.github_repo is None


async def test_the_newest_version_wins_whatever_the_order(world: World) -> None:
    world.fake.daily[TUE.isoformat()] = [
        {"paper": {"id": "2401.00001v2", "title": "Second version", "upvotes": 3}},
        {"paper": {"id": "2401.00001v1", "title": "First version", "upvotes": 5}},
    ]
    assert (await world.syncer.sync([TUE])).ok
    saved = await world.store.get("2401.00001")
    assert saved is not None and saved.title == "Second version"


async def test_a_paper_answered_under_another_id_is_not_kept(world: World) -> None:
    other = world.recorded(MON)[0]["paper"]
    assert isinstance(other, dict)
    world.fake.fail("/api/papers/2101.00001", json_answer(other))
    with pytest.raises(SourceDataError) as caught:
        await world.catalog.paper("2101.00001")
    assert one_line(caught.value) == (
        f"Hugging Face: asked for paper 2101.00001 but the answer is paper {other['id']}; nothing was kept;"
        " arXiv has no paper 2101.00001"  # what each source said (arXiv's was left out: QA s77)
    )
    assert await world.store.get("2101.00001") is None
    assert await world.store.get(str(other["id"])) is None


async def test_arxiv_answering_another_id_is_not_kept(world: World) -> None:
    world.fake.arxiv["2101.00001"] = atom_answer(atom_entry("1605.08386v1", "Someone else"))
    with pytest.raises(SourceDataError) as caught:
        await world.catalog.paper("2101.00001")  # Hugging Face has no such paper: arXiv is asked next
    assert one_line(caught.value) == (
        "arXiv: asked for paper 2101.00001 but the answer is paper 1605.08386; nothing was kept"
    )
    assert (await world.store.counts()).papers == 0


# -- arXiv, filling in what Hugging Face left out -----------------------------------------------


def needs_arxiv(world: World) -> None:
    world.fake.daily[TUE.isoformat()] = [{"paper": {"id": "1605.08386", "title": "Heat-bath random walks"}}]


async def test_arxiv_server_errors_keep_the_days_listing(world: World) -> None:
    needs_arxiv(world)
    world.fake.fail("/api/query", Answer(502, b""), Answer(502, b""))
    report = await world.syncer.sync([TUE])
    assert one_line(report.failed[TUE]) == (
        "details from arXiv: arXiv (HTTP 502): server error after 2 attempts; try again later"
    )
    assert await world.days() == {TUE: 1}


@pytest.mark.slow
async def test_a_trickling_arxiv_keeps_the_days_listing(world: World) -> None:
    needs_arxiv(world)
    feed = world.fake.arxiv["1605.08386"]
    world.fake.fail("/api/query", *[Answer(200, feed.body, feed.headers, trickle=0.05)] * 2)
    report = await world.syncer.sync([TUE])
    assert one_line(report.failed[TUE]).startswith("details from arXiv: arXiv: no complete answer from http://")
    assert f"within {DEADLINE} s (the deadline for one request) in 2 attempts: try again later;" in report.failed[TUE]
    assert await world.days() == {TUE: 1}


async def test_arxiv_html_instead_of_atom_keeps_the_days_listing(world: World) -> None:
    needs_arxiv(world)
    world.fake.fail("/api/query", Answer(200, b"<html><body>rate limited</body></html>"))
    report = await world.syncer.sync([TUE])
    assert one_line(report.failed[TUE]).startswith(
        "details from arXiv: arXiv (HTTP 200): the answer is a web page (HTML), not arXiv's Atom feed"
    )
    saved = await world.store.get("1605.08386")
    assert saved is not None and saved.abstract == ""


async def test_every_fault_is_a_source_error(world: World) -> None:
    """A day's failure is reported as one line; nothing here may escape as a traceback."""
    world.fail_day(MON, Answer(200, b"[" * 100_000))
    world.fail_day(TUE, Answer(200, b'[{"paper": 1}]'))
    world.fail_day(WED, Answer(200, b"\xff\xfe\xfa"))
    report = await world.syncer.sync([MON, TUE, WED])
    assert set(report.failed) == {MON, TUE, WED}
    for reason in report.failed.values():
        one_line(reason)
