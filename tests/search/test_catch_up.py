"""Catching up with the store: a process that did not make a change finds it when it opens its index.

The store's papers are aged first, all but one a day older than the newest, so the catch-up's margin
for late commits (10 minutes) covers none of them: only what the store marks as changed since the
watermark is read again. A store left alone past the margin has nothing to read again.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from bot.ingest.importer import import_paths
from bot.search.port import SearchFilters
from bot.search.service import SearchService
from bot.store.changes import Tally, changes_since
from bot.store.papers import PaperStore, stamp
from bot.store.tables import papers
from tests.conftest import CURRENT

SYNCED = date(2026, 6, 1)
LATER, EARLIER = date(2026, 6, 20), date(2026, 5, 20)  # days no sync ever asked for


def day_file(folder: Path, day: date, items: list[dict[str, Any]]) -> Path:
    """A Hugging Face daily-papers file for `day`, as `paperboy import` takes it: its items say they were
    listed that day, as Hugging Face's do."""
    path = folder / f"{day.isoformat()}.json"
    stamp = f"{day.isoformat()}T08:00:00.000Z"
    listed = [{**item, "paper": {**item["paper"], "submittedOnDailyAt": stamp}} for item in items]
    path.write_text(json.dumps(listed), encoding="utf-8")
    return path


@pytest.mark.slow
async def test_a_listing_imported_for_an_unsynced_day_reaches_every_index(store: PaperStore, tmp_path: Path) -> None:
    items = json.loads((CURRENT / f"{SYNCED.isoformat()}.json").read_text(encoding="utf-8"))
    await import_paths(store, [CURRENT / f"{SYNCED.isoformat()}.json"])
    async with store.engine.begin() as conn:  # stored a day before the newest change the index holds
        await conn.execute(update(papers).values(updated_at=datetime(2026, 6, 1, 12, tzinfo=UTC)))
        newest = update(papers).where(papers.c.arxiv_id == items[-1]["paper"]["id"])
        await conn.execute(newest.values(updated_at=datetime(2026, 6, 2, 12, tzinfo=UTC)))
    first, second = SearchService(store, folder=tmp_path / "a"), SearchService(store, folder=tmp_path / "b")
    for service in (first, second):
        await service.index()
    await second.close()
    moved, older = items[0], items[1]  # papers the store already knows, listed again on other days
    results = await import_paths(store, [day_file(tmp_path, LATER, [moved]), day_file(tmp_path, EARLIER, [older])])
    assert [(r.counts.new_listings, r.counts.updated_papers) for r in results if r.counts] == [(1, 0), (1, 0)]
    first.invalidate()  # as `paperboy import` does: its next search opens the index and catches up
    for service in (first, SearchService(store, folder=tmp_path / "b")):  # the importer, and a restart
        on_that_day = await service.search(moved["title"], SearchFilters(since=LATER, until=LATER), limit=50)
        assert [h.paper.arxiv_id for h in on_that_day] == [moved["paper"]["id"]]
        hits = {h.paper.arxiv_id: h.paper for h in await service.search(older["title"], limit=50)}
        assert hits[older["paper"]["id"]].listed_on == (EARLIER, SYNCED)  # what a card shows: both days
        await service.close()


async def test_a_quiet_store_has_nothing_to_read_again_and_a_late_commit_is_still_read(store: PaperStore) -> None:
    """The watermark vouches only for what is older than the margin: a catch-up an hour after the last
    change leaves nothing for the next start; one a minute after it leaves the last ten minutes."""
    await import_paths(store, [CURRENT / f"{SYNCED.isoformat()}.json"])
    stamped = datetime(2026, 6, 1, 12, tzinfo=UTC)
    async with store.engine.begin() as conn:
        await conn.execute(update(papers).values(updated_at=stamped))
    count = (await store.counts()).papers
    quiet = await changes_since(store, "", 0, now=stamped + timedelta(hours=1))
    assert quiet.rebuild and quiet.watermark == stamped.isoformat()
    assert (await changes_since(store, quiet.watermark, count, now=stamped + timedelta(hours=2))).ids == []
    busy = await changes_since(store, "", 0, now=stamped + timedelta(minutes=1))
    assert busy.watermark == (stamped - timedelta(minutes=9)).isoformat()
    late = datetime(2026, 6, 1, 11, 58, tzinfo=UTC)  # stamped before the newest, committed after that catch-up
    async with store.engine.begin() as conn:
        first = (await store.listing(SYNCED))[0].arxiv_id
        await conn.execute(update(papers).where(papers.c.arxiv_id == first).values(updated_at=late))
    again = await changes_since(store, busy.watermark, count, now=stamped + timedelta(minutes=2))
    assert first in again.ids


async def test_the_stores_tally_of_the_changes_is_exact_to_the_microsecond(store: PaperStore) -> None:
    """The catch-up lists no changed paper when the index's tally (count, sum of the stamps) is the
    store's: so the store's, summed in SQL, must be the stamps' sum to the microsecond, on both backends."""
    await import_paths(store, [CURRENT / f"{SYNCED.isoformat()}.json"])
    ids = sorted(p.arxiv_id for p in await store.listing(SYNCED))
    mark = datetime(2026, 6, 1, 12, tzinfo=UTC)
    moments = {arxiv_id: mark + timedelta(seconds=n * 61, microseconds=n * 7919 + 1) for n, arxiv_id in enumerate(ids)}
    async with store.engine.begin() as conn:
        for arxiv_id, moment in moments.items():
            await conn.execute(update(papers).where(papers.c.arxiv_id == arxiv_id).values(updated_at=moment))
    held = Tally(len(ids), sum(stamp(moment) for moment in moments.values()))
    now = mark + timedelta(days=1)
    assert (await changes_since(store, mark.isoformat(), len(ids), now=now, held=held)).ids == []
    for off in (Tally(held.count, held.total + 1), Tally(held.count - 1, held.total - stamp(moments[ids[0]]))):
        assert (await changes_since(store, mark.isoformat(), len(ids), now=now, held=off)).ids == ids
    assert (await changes_since(store, mark.isoformat(), len(ids), now=now)).ids == ids  # no tally: all listed


@pytest.mark.slow
async def test_a_restart_right_after_a_write_lists_only_what_its_index_does_not_hold(
    store: PaperStore, tmp_path: Path
) -> None:
    """Right after an import every paper is within the margin. The index holds each as it is: its tally
    is the store's, and the restart's catch-up lists none. A paper changed behind its back (another
    process's write) makes them differ: every change is listed, and the new version is read."""
    await import_paths(store, [CURRENT / f"{SYNCED.isoformat()}.json"])
    built = SearchService(store, folder=tmp_path / "index")
    index = await built.index()
    await built.close()
    held = index.lexical.tally()
    assert held is not None and held.count == (await store.counts()).papers  # all of them within the margin
    assert (await changes_since(store, index.lexical.watermark, len(index), held=held)).ids == []
    changed = (await store.listing(SYNCED))[0].arxiv_id
    async with store.engine.begin() as conn:
        values = {"title": "Quokka alignment", "updated_at": datetime.now(UTC)}
        await conn.execute(update(papers).where(papers.c.arxiv_id == changed).values(**values))
    found = await changes_since(store, index.lexical.watermark, len(index), held=held)
    assert changed in found.ids and len(found.ids) == held.count
    restarted = SearchService(store, folder=tmp_path / "index")
    assert [h.paper.arxiv_id for h in await restarted.search("quokka")] == [changed]
    reopened = await restarted.index()  # caught up: the next start lists none again
    now_held = reopened.lexical.tally()
    assert now_held is not None and now_held != held
    assert (await changes_since(store, reopened.lexical.watermark, len(reopened), held=now_held)).ids == []
    await restarted.close()


async def test_the_stores_tally_holds_a_stamp_within_half_a_millisecond_of_the_next_second(store: PaperStore) -> None:
    """SQLite's date functions round a time to the millisecond: `strftime('%s')` of '…:00.999600' is
    the next second. Read from a time cut to its seconds, the store's tally is the index's all the same."""
    await import_paths(store, [CURRENT / f"{SYNCED.isoformat()}.json"])
    ids = sorted(p.arxiv_id for p in await store.listing(SYNCED))
    mark = datetime(2026, 6, 1, 12, tzinfo=UTC)
    moments = {arxiv_id: mark + timedelta(seconds=n + 1, microseconds=999_500 + n) for n, arxiv_id in enumerate(ids)}
    async with store.engine.begin() as conn:
        for arxiv_id, moment in moments.items():
            await conn.execute(update(papers).where(papers.c.arxiv_id == arxiv_id).values(updated_at=moment))
    held = Tally(len(ids), sum(stamp(moment) for moment in moments.values()))
    found = await changes_since(store, mark.isoformat(), len(ids), now=mark + timedelta(days=1), held=held)
    assert found.ids == []
