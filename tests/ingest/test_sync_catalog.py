from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import httpx
import pytest

from bot.domain.errors import DayNotStored, InvalidPaperId, NotFound, SourceError, SourceUnavailable
from bot.ingest.catalog import Catalog
from bot.ingest.snapshot import snapshot_info
from bot.ingest.sync import Syncer, recent_days
from bot.search.port import SearchFilters
from bot.search.service import SearchService
from bot.sources.arxiv import Arxiv
from bot.sources.http import RetryPolicy
from bot.sources.huggingface import HuggingFace
from bot.store.papers import PaperStore
from tests.conftest import Sleeps, listings_of, local_client, search_over
from tests.fakes.papers_api import Answer, FakePapersApi

FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)


def wire(store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps) -> tuple[Syncer, Catalog, SearchService]:
    search = search_over(store)
    hf = HuggingFace(client, policy=FAST, sleep=sleeps)
    arxiv = Arxiv(client, min_interval=0.0, policy=FAST, sleep=sleeps)
    syncer = Syncer(store, hf, arxiv, search)
    return syncer, Catalog(store, search, hf, arxiv, syncer), search


def test_recent_days_end_today() -> None:
    assert recent_days(date(2026, 6, 3), 3) == [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)]


@pytest.mark.slow
async def test_sync_stores_days_and_reports_weekends(
    store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    syncer, _, _ = wire(store, client, sleeps)
    days = recent_days(date(2026, 6, 8), 5)  # Thursday to Monday; the recording has no Friday 5 June
    progress: list[tuple[date, int]] = []
    report = await syncer.sync(days, lambda day, n: progress.append((day, n)))
    assert report.ok
    assert report.empty_days == [date(2026, 6, 5), date(2026, 6, 6), date(2026, 6, 7)]
    assert [day for day, _ in progress] == days
    assert [n for _, n in progress][1:4] == [0, 0, 0]
    assert report.counts.listings == (await store.counts()).listings > 0
    again = await syncer.sync(days)
    assert (again.counts.new_listings, again.counts.new_papers) == (0, 0)


async def test_an_empty_answer_for_a_day_the_store_holds_is_said_not_counted_as_a_day_of_none(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """It was "1 with no listings", and exit 0, of a day whose papers the store holds (and keeps): a
    glitch of Hugging Face's, most likely (QA s77)."""
    syncer, _, _ = wire(store, client, sleeps)
    first = await syncer.sync([date(2026, 6, 2)])
    assert first.counts.listings > 0
    fake_api.daily["2026-06-02"] = []
    again = await syncer.sync([date(2026, 6, 2)])
    assert again.empty_days == [] and again.held_anyway == {date(2026, 6, 2): first.counts.listings}
    assert (await store.day_record(date(2026, 6, 2))).listed == first.counts.listings  # kept


async def test_a_failing_day_is_reported_and_the_rest_go_on(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    syncer, _, _ = wire(store, client, sleeps)
    fake_api.fail("/api/daily_papers", Answer(500, b""), Answer(500, b""))
    report = await syncer.sync([date(2026, 6, 1), date(2026, 6, 2)])
    assert list(report.failed) == [date(2026, 6, 1)]
    assert "HTTP 500" in report.failed[date(2026, 6, 1)]
    assert (await store.counts()).days == 1


async def test_a_rate_limit_stops_the_sync_and_names_the_days_not_asked(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """Told to wait an hour, it asked for each next day at once (ten days: ten refusals, ten lines)."""
    syncer, _, _ = wire(store, client, sleeps)
    fake_api.fail("/api/daily_papers", Answer(429, b"", {"Retry-After": "3600"}))
    days = [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)]
    report = await syncer.sync(days)
    assert list(report.failed) == days
    assert "asked to wait 3600 s" in report.failed[days[0]]
    assert report.failed[days[2]] == "not asked, as Hugging Face rate-limited us at 2026-06-01: sync it later"
    assert len([r for r in fake_api.requests if r.startswith("/api/daily_papers")]) == 1
    assert (await store.counts()).days == 0


async def test_an_unreachable_source_stops_the_sync(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    syncer, _, _ = wire(store, client, sleeps)
    fake_api.fail("/api/daily_papers", httpx.ConnectError("no route"), httpx.ConnectError("no route"))
    with pytest.raises(SourceUnavailable, match="cannot connect"):
        await syncer.sync([date(2026, 6, 1), date(2026, 6, 2)])


async def test_missing_abstracts_are_completed_from_arxiv(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    fake_api.daily["2026-06-09"] = [{"paper": {"id": "1605.08386", "title": "Heat-bath random walks", "upvotes": 4}}]
    syncer, _, _ = wire(store, client, sleeps)
    report = await syncer.sync([date(2026, 6, 9)])
    assert report.completed_from_arxiv == 1
    saved = await store.get("1605.08386")
    assert saved is not None
    assert saved.abstract
    assert len(saved.authors) == 2
    assert (saved.upvotes, saved.listed_on) == (4, (date(2026, 6, 9),))


async def test_paper_lookup_store_then_hf_then_arxiv(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    _, catalog, search = wire(store, client, sleeps)
    from_hf = await catalog.paper("https://huggingface.co/papers/2605.29307")
    assert from_hf.title.startswith("GrepSeek")
    from_arxiv = await catalog.paper("arXiv:astro-ph/0601001v1")
    assert from_arxiv.arxiv_id == "astro-ph/0601001"
    assert await store.get("astro-ph/0601001") is not None
    calls = len(fake_api.requests)
    assert (await catalog.paper("2605.29307")).arxiv_id == "2605.29307"
    assert len(fake_api.requests) == calls  # the second time it came from the store
    assert [h.paper.arxiv_id for h in await search.search("hot jupiters")] == ["astro-ph/0601001"]
    with pytest.raises(NotFound):
        await catalog.paper("0801.0001")  # an id arXiv could have, neither source holds
    with pytest.raises(InvalidPaperId):
        await catalog.paper("not a paper")


async def test_offline_lookup_never_fetches(store: PaperStore) -> None:
    search = search_over(store)
    catalog = Catalog(store, search, None, None, None)
    with pytest.raises(NotFound, match="offline"):
        await catalog.paper("2605.29307")


@pytest.mark.slow
async def test_an_empty_store_offline_gets_the_snapshot_with_a_notice(store: PaperStore) -> None:
    catalog = Catalog(store, search_over(store), None, None, None)
    notice = await catalog.ensure_papers(date(2026, 11, 26))
    assert notice is not None
    assert notice.startswith("Showing the bundled offline snapshot: 75 listing days up to 21 August 2026 (97 days old)")
    assert await catalog.ensure_papers(date(2026, 11, 26)) == notice  # said again while it is all there is
    assert (await store.counts()).listings == 1945
    assert notice.endswith("Unset PAPERBOY_OFFLINE and run `paperboy sync` for the latest papers.")
    running = await catalog.ensure_papers(date(2026, 11, 26), running=True)  # `run` syncs by itself
    assert running is not None
    assert running.endswith("unset PAPERBOY_OFFLINE and start paperboy again for the latest papers.")


@pytest.mark.slow
async def test_an_empty_store_online_syncs_first(store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    _, catalog, _ = wire(store, client, sleeps)
    assert await catalog.ensure_papers(date(2026, 6, 3)) is None
    counts = await store.counts()
    assert (counts.first_day, counts.last_day) == (date(2026, 6, 1), date(2026, 6, 3))
    assert await snapshot_info(store) is None


@pytest.mark.slow
async def test_an_empty_store_with_the_network_down_falls_back_to_the_snapshot(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    _, catalog, _ = wire(store, client, sleeps)
    fake_api.fail("/api/daily_papers", httpx.ConnectError("no route"))
    notice = await catalog.ensure_papers(date(2026, 11, 26))
    assert notice is not None
    assert notice.startswith("Could not fetch papers (Hugging Face: cannot connect")
    assert "bundled offline snapshot" in notice
    assert len([r for r in fake_api.requests if r.startswith("/api/daily_papers")]) == 1  # probed once, no retries


@pytest.mark.slow
async def test_an_empty_store_says_why_nothing_was_fetched(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """Hugging Face answering, but refusing: the notice names its answer (a rate limit is no "try now")."""
    _, catalog, _ = wire(store, client, sleeps)
    fake_api.fail("/api/daily_papers", Answer(429, b"slow down", {"Retry-After": "600"}))
    notice = await catalog.ensure_papers(date(2026, 11, 26))
    assert notice is not None
    assert notice.startswith(
        "Could not fetch papers (Hugging Face (HTTP 429): rate limited; asked to wait 600 s, "
        "more than the 120 s we wait: try again in about 10 minutes)"
    )
    assert "bundled offline snapshot" in notice
    fake_api.fail("/api/daily_papers", Answer(500, b"down"))
    running = await catalog.ensure_papers(date(2026, 11, 26), running=True)  # `run` syncs by itself
    assert running is not None and running.endswith("paperboy fetches the latest papers at each sync while it runs.")


async def test_a_refusal_from_hugging_face_is_said_in_a_few_words(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    syncer, _, _ = wire(store, client, sleeps)
    fake_api.fail("/api/daily_papers", Answer(404, b"<!DOCTYPE html><html><body>Not found</body></html>"))
    fake_api.fail("/api/daily_papers", Answer(403, b'{"error": "Invalid credentials in Authorization header"}'))
    report = await syncer.sync([date(2026, 6, 2), date(2026, 6, 3)])
    assert list(report.failed.values()) == [
        "Hugging Face (HTTP 404): refused with an HTML page instead of papers; is PAPERBOY_HF_URL right?",
        "Hugging Face (HTTP 403): refused: Invalid credentials in Authorization header; is PAPERBOY_HF_URL right?",
    ]


async def test_a_missing_day_is_fetched_when_asked_for(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    _, catalog, _ = wire(store, client, sleeps)
    record = await catalog.ensure_day(date(2026, 6, 2))
    assert record.listed == 47 and record.fetched_at is not None
    assert len(await store.listing(date(2026, 6, 2))) == 47
    calls = len(fake_api.requests)
    assert (await catalog.ensure_day(date(2026, 6, 2))).listed == 47
    assert len(fake_api.requests) == calls  # already there: not fetched again
    fake_api.fail("/api/daily_papers", Answer(500, b""), Answer(500, b""))
    with pytest.raises(DayNotStored) as failed:
        await catalog.ensure_day(date(2026, 6, 3))
    assert str(failed.value).startswith(
        "2026-06-03 is not in the store (it holds only 2026-06-02) and fetching it failed: Hugging Face (HTTP 500)"
    )


@pytest.mark.slow
async def test_a_day_synced_again_drops_what_hugging_face_no_longer_lists_only_from_a_whole_answer(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    syncer, _, search = wire(store, client, sleeps)
    day = date(2026, 6, 2)
    items = fake_api.daily[day.isoformat()]
    await syncer.sync([day])
    removed = str(cast(dict[str, Any], items[0])["paper"]["id"])
    fake_api.daily[day.isoformat()] = [*items[1:-1], {"paper": None}]  # one removed, one malformed
    report = await syncer.sync([day])
    assert report.counts.unlisted == () and len(await store.listing(day)) == len(items)  # left out: not whole
    fake_api.daily[day.isoformat()] = items[1:]
    report = await syncer.sync([day])
    assert report.counts.unlisted == (removed,)
    assert removed not in {p.arxiv_id for p in await store.listing(day)}
    kept = await store.get(removed)
    assert kept is not None and day not in kept.listed_on  # kept, no longer listed that day
    that_day = SearchFilters(since=day, until=day)  # and the running search index knows it
    assert removed not in [h.paper.arxiv_id for h in await search.search(kept.title, that_day, limit=50)]


async def test_a_day_hugging_face_listed_nothing_for_is_known_and_not_asked_again(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    _, catalog, _ = wire(store, client, sleeps)
    record = await catalog.ensure_day(date(2026, 6, 6))
    assert (record.listed, record.known, record.final) == (0, True, True)
    calls = len(fake_api.requests)
    assert await catalog.ensure_day(date(2026, 6, 6)) == record
    assert len(fake_api.requests) == calls  # a final answer: Hugging Face is not asked again


async def test_offline_a_day_the_store_lacks_names_the_range_it_holds(store: PaperStore) -> None:
    catalog = Catalog(store, search_over(store), None, None, None)
    for day in ("2026-06-01", "2026-06-03"):
        await store.save_listings(listings_of(day))
    assert (await catalog.ensure_day(date(2026, 6, 1))).listed == 49
    with pytest.raises(DayNotStored) as failed:
        await catalog.ensure_day(date(2026, 5, 1))
    assert str(failed.value) == (
        "2026-05-01 is not in the store (it holds 2026-06-01 to 2026-06-03); run `paperboy sync --date 2026-05-01` "
        "online"
    )
    assert failed.value.day == date(2026, 5, 1)


@pytest.mark.slow
async def test_offline_a_weekend_gap_in_the_snapshot_is_hedged(store: PaperStore) -> None:
    catalog = Catalog(store, search_over(store), None, None, None)
    await catalog.ensure_papers(date(2026, 11, 26))
    with pytest.raises(DayNotStored) as failed:
        await catalog.ensure_day(date(2026, 6, 6))
    assert str(failed.value) == (
        "2026-06-06 is not in the store (it holds 2026-05-07 to 2026-08-21 but not this day, the bundled offline "
        "snapshot; Hugging Face lists papers on weekdays, so this Saturday most likely had none); run `paperboy "
        "sync --date 2026-06-06` online"
    )
    with pytest.raises(DayNotStored) as after:  # after its last day too: it was said of a gap only
        await catalog.ensure_day(date(2026, 8, 22))
    assert "; Hugging Face lists papers on weekdays, so this Saturday most likely had none)" in str(after.value)


async def test_a_stale_store_suggests_a_sync(store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    _, catalog, _ = wire(store, client, sleeps)
    await catalog.ensure_day(date(2026, 6, 1))
    assert await catalog.staleness(date(2026, 6, 3)) is None
    assert await catalog.staleness(date(2026, 6, 10)) == (
        "The newest papers in the store are from 1 June 2026; `paperboy sync --days 9` fetches the days since"
        " (`paperboy run` fetches only today's and yesterday's)"
    )


@pytest.mark.slow
async def test_synced_papers_are_searchable_at_once_without_a_rebuild(
    store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    syncer, _, search = wire(store, client, sleeps)
    await syncer.sync([date(2026, 6, 1)])
    index = await search.index()
    assert [h.paper.arxiv_id for h in await search.search("GrepSeek")] == ["2605.29307"]
    june_2 = {item.paper.arxiv_id for item in listings_of("2026-06-02")} - {
        p.arxiv_id for p in await store.all_papers() if date(2026, 6, 1) in p.listed_on
    }
    title = next(item.paper.title for item in listings_of("2026-06-02") if item.paper.arxiv_id in june_2)
    assert not [h for h in await search.search(f'"{title}"') if h.paper.arxiv_id in june_2]
    await syncer.sync([date(2026, 6, 2)])
    assert await search.index() is index  # extended in place, not rebuilt
    found = [h.paper.arxiv_id for h in await search.search(f'"{title}"')]
    assert found
    assert found[0] in june_2


async def test_a_paper_completed_from_arxiv_is_not_asked_for_again_and_keeps_its_title(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """Each sync asked arXiv again (the missing abstract was read off Hugging Face's answer, not the store),
    and the title flipped between Hugging Face's and arXiv's wording."""
    fake_api.daily["2026-06-09"] = [{"paper": {"id": "1605.08386", "title": "Heat-bath walks (HF)", "upvotes": 4}}]
    syncer, _, _ = wire(store, client, sleeps)
    assert (await syncer.sync([date(2026, 6, 9)])).completed_from_arxiv == 1
    asked = len([r for r in fake_api.requests if "/api/query" in r])
    assert asked == 1
    again = await syncer.sync([date(2026, 6, 9)])
    assert again.completed_from_arxiv == 0 and again.counts.updated_papers == 0
    assert len([r for r in fake_api.requests if "/api/query" in r]) == asked
    saved = await store.get("1605.08386")
    assert saved is not None and saved.title == "Heat-bath walks (HF)" and saved.abstract and saved.authors


async def test_a_paper_someone_waits_for_is_tried_twice_at_each_source_and_both_are_named(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """With the network down, `paper ID` in chat took 30 s (Hugging Face four times, then arXiv four times,
    3 s and more apart) and named only Hugging Face. The syncer's sources keep their four tries."""
    hf, arxiv = HuggingFace(client, sleep=sleeps), Arxiv(client, min_interval=0.0, sleep=sleeps)
    catalog = Catalog(store, search_over(store), hf, arxiv, None)
    unknown = httpx.ConnectError("[Errno -2] Name or service not known")
    fake_api.fail("/api/papers/2605.29307", *[unknown] * 8)
    fake_api.fail("/api/query", *[unknown] * 8)
    with pytest.raises(SourceUnavailable) as caught:
        await catalog.paper("2605.29307")
    said = str(caught.value)
    assert said.startswith("Hugging Face: cannot connect to https://huggingface.co (its name does not")  # each by name
    assert "; arXiv: cannot connect to https://export.arxiv.org (its name does not resolve)" in said
    assert [r.split("?")[0] for r in fake_api.requests] == ["/api/papers/2605.29307"] * 2 + ["/api/query"] * 2
    assert len(sleeps.waits) == 2 and max(sleeps.waits) <= 6  # one wait at each source: ~0.5 s and 3 s
    fake_api.requests.clear()
    fake_api.fail("/api/daily_papers", *[unknown] * 4)
    with pytest.raises(SourceUnavailable):
        await Syncer(store, hf, arxiv, search_over(store)).sync([date(2026, 6, 1)])
    assert len(fake_api.requests) == 4  # the sync's own tries: four


@pytest.mark.slow
async def test_a_paper_someone_waits_for_is_given_up_on_after_the_wait_it_is_allowed(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source that takes the connection and never answers had held `paper ID` for minutes (60 s an attempt)."""
    import asyncio

    import bot.ingest.catalog

    taken: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        taken.append(writer)  # read, never answered

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    monkeypatch.setattr(bot.ingest.catalog, "FETCH_SECONDS", 0.5)
    try:
        async with local_client() as client:
            catalog = Catalog(store, search_over(store), HuggingFace(client, url), Arxiv(client, url), None)
            started = asyncio.get_running_loop().time()
            with pytest.raises(SourceUnavailable, match=r"^Hugging Face and arXiv: no answer within 0.5 s: check the"):
                await catalog.paper("2605.29307")
            assert asyncio.get_running_loop().time() - started < 5
            assert taken and await store.get("2605.29307") is None
    finally:
        for writer in taken:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_chat_says_which_sources_could_not_be_reached_and_logs_why(
    store: PaperStore,
    client: httpx.AsyncClient,
    fake_api: FakePapersApi,
    sleeps: Sleeps,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`paper ID` in chat with the network down named only Hugging Face, with the operator's fix
    (PAPERBOY_HF_URL, PAPERBOY_OFFLINE=1) in a channel's answer: the reason goes to the log."""
    from bot.chat.commands import PaperLookup
    from bot.chat.service import Asker, ChatService
    from bot.delivery.subscriptions import SubscriptionStore
    from bot.domain.channels import ChannelRef
    from bot.domain.config import DigestDefaults
    from tests.chat.world import NOW

    search = search_over(store)
    hf, arxiv = HuggingFace(client, sleep=sleeps), Arxiv(client, min_interval=0.0, sleep=sleeps)
    catalog = Catalog(store, search, hf, arxiv, None)
    service = ChatService(store, search, catalog, SubscriptionStore(store.engine), DigestDefaults(), lambda: NOW)
    unknown = httpx.ConnectError("[Errno -2] Name or service not known")
    fake_api.fail("/api/papers/2605.29307", *[unknown] * 2)
    fake_api.fail("/api/query", *[unknown] * 2)
    post = await service.answer(PaperLookup("2605.29307"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert post.text == (
        "Could not fetch that paper just now: Hugging Face and arXiv could not be reached from here. Try again later.",
    )
    assert any("PAPERBOY_HF_URL" in r.getMessage() and "2605.29307" in r.getMessage() for r in caplog.records)


async def test_a_paper_someone_waits_for_is_asked_of_arxiv_when_hugging_face_asks_for_a_long_wait(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """Hugging Face's 429 with Retry-After: 60 was waited out past the 15 s a person waits, then called a
    network fault, and arXiv, which has the paper, was never asked."""
    from tests.fakes.papers_api import atom_answer, atom_entry

    catalog = Catalog(store, search_over(store), HuggingFace(client, sleep=sleeps), Arxiv(client, sleep=sleeps), None)
    fake_api.fail("/api/papers/2401.09999", *[Answer(429, b"{}", {"Retry-After": "60"})] * 4)
    fake_api.arxiv["2401.09999"] = atom_answer(atom_entry("2401.09999v1", "A paper arXiv has"))
    assert (await catalog.paper("2401.09999")).title == "A paper arXiv has"
    assert 60 not in sleeps.waits
    fake_api.fail("/api/papers/2401.09998", *[Answer(429, b"{}", {"Retry-After": "60"})] * 4)  # and arXiv lacks it:
    with pytest.raises(SourceError) as both:  # each said (only Hugging Face's 429 was: QA s77)
        await catalog.paper("2401.09998")
    assert str(both.value).startswith("Hugging Face (HTTP 429)")
    assert str(both.value).endswith("; arXiv has no paper 2401.09998")


@pytest.mark.slow
async def test_a_paper_someone_waits_for_is_asked_of_arxiv_when_hugging_face_hangs(
    store: PaperStore, fake_api: FakePapersApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hugging Face taking the connection and never answering spent the whole wait: arXiv, which has the
    paper, was never asked, and the error blamed both. Hugging Face has its share of the wait, arXiv the rest."""
    import asyncio

    import bot.ingest.catalog

    monkeypatch.setattr(bot.ingest.catalog, "FETCH_SECONDS", 5.0)
    monkeypatch.setattr(bot.ingest.catalog, "HF_SECONDS", 0.3)
    inner = fake_api.transport()

    class Hanging(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.host == "huggingface.co":
                await asyncio.sleep(3600)  # the connection taken, no answer
            return await inner.handle_async_request(request)

    async with httpx.AsyncClient(transport=Hanging()) as client:
        catalog = Catalog(store, search_over(store), HuggingFace(client), Arxiv(client, min_interval=0.0), None)
        paper = await asyncio.wait_for(catalog.paper("1605.08386"), 4.0)
    assert paper.arxiv_id == "1605.08386" and any("/api/query" in r for r in fake_api.requests)


async def test_a_sync_from_a_service_that_caps_its_pages_unlists_nothing(
    store: PaperStore, client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """The day's 60 papers, imported whole, lost 10 to a sync that took a capped first page as the day."""
    syncer, _, _ = wire(store, client, sleeps)
    day = date(2026, 6, 1)
    recorded = cast(list[dict[str, Any]], fake_api.daily[day.isoformat()])
    fake_api.daily[day.isoformat()] = [
        {**item, "paper": {**item["paper"], "id": f"2601.{i:05d}", "upvotes": 1000 - i}}
        for i, item in enumerate((recorded * 2)[:60])
    ]
    assert (await syncer.sync([day])).ok and len(await store.listing(day)) == 60
    fake_api.page_cap = 50
    report = await syncer.sync([day])
    assert report.ok and not report.counts.unlisted
    assert len(await store.listing(day)) == 60


async def test_a_day_not_over_everywhere_that_lists_nothing_yet_is_not_called_a_day_with_no_listings(
    store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    """`paperboy sync --date <today>` summed today up as "1 with no listings": it may still list some."""
    syncer, _, _ = wire(store, client, sleeps)
    today = datetime.now(UTC).date()  # the fake lists nothing for it
    report = await syncer.sync([date(2026, 6, 6), today])  # a Saturday long over, and today
    assert report.ok and report.empty_days == [date(2026, 6, 6)] and report.none_yet == [today]
