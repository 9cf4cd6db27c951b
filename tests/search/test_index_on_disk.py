"""The lexical index on disk: opened, not rebuilt; updated in place (add, replace, leave); caught up
with the store at start; shared by two processes that take turns writing."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from bot.domain.errors import SearchIndexError
from bot.domain.models import Listing, Paper
from bot.search import folder as folder_module
from bot.search import registry as registry_module
from bot.search.folder import IndexBusy
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters
from bot.search.service import SearchService
from bot.search.writes import IndexOutOfStep
from bot.store.papers import PaperStore, Versions
from bot.store.tables import papers as paper_rows
from tests.conftest import listings_of

QUERIES = ["language models", "RL for LLM agents", '"world model"', "video diffusion author:wang", 'author:"Yu Zhang"']


def paper(arxiv_id: str, title: str, *authors: str, abstract: str = "") -> Paper:
    return Paper(arxiv_id=arxiv_id, title=title, authors=authors, abstract=abstract, listed_on=(date(2026, 6, 1),))


def ids(index: LexicalIndex, query: str) -> list[str]:
    return [h.paper.arxiv_id for h in index.search_now(query, limit=20)]


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    found = {
        item.paper.arxiv_id: item.paper.model_copy(update={"listed_on": (item.day,)})
        for day in ("2026-06-01", "2026-06-02", "2026-06-03")
        for item in listings_of(day)
    }
    return list(found.values())


@pytest.mark.slow
def test_an_index_on_disk_is_opened_and_answers_as_it_did(papers: list[Paper], tmp_path: Path) -> None:
    built = LexicalIndex(papers, folder=tmp_path / "search")
    answers = [[(h.paper.arxiv_id, round(h.score, 5)) for h in built.search_now(q, limit=20)] for q in QUERIES]
    assert all(answers[:3])
    opened = LexicalIndex(folder=tmp_path / "search")
    assert opened.opened and len(opened) == len(papers) == opened.size
    again = [[(h.paper.arxiv_id, round(h.score, 5)) for h in opened.search_now(q, limit=20)] for q in QUERIES]
    assert again == answers
    assert LexicalIndex(papers, folder=tmp_path / "memory") is not None  # another folder, another index
    assert ids(LexicalIndex(), "language models") == []  # in memory: nothing kept


def test_updates_in_place_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "search"
    index = LexicalIndex(
        [paper("2401.00001", "Diffusion for proteins"), paper("2401.00002", "Graph learning")], folder=folder
    )
    index.extend([paper("2401.00001", "Flow matching for proteins"), paper("2401.00003", "Speculative decoding")])
    index.extend([], gone=["2401.00002"])
    opened = LexicalIndex(folder=folder)
    assert ids(opened, "diffusion") == [] and ids(opened, "flow matching") == ["2401.00001"]
    assert ids(opened, "graph") == [] and ids(opened, "speculative") == ["2401.00003"]
    assert len(opened) == 2 and opened.size == 3  # a replaced paper keeps its position; one left
    assert opened.positions(["2401.00001", "2401.00002", "2401.00003"]).tolist() == [0, -1, 2]


@pytest.mark.parametrize("lacking", ["versions", "texts"])
def test_a_registry_without_one_of_its_arrays_is_built_again(tmp_path: Path, lacking: str) -> None:
    """Every registry of the layout read (`registry.VERSION`) was saved with all its arrays: one without
    is damaged, not an earlier paperboy's (those have another layout, and are built again)."""
    folder = tmp_path / "search"
    assert LexicalIndex(folder=folder).stale({"2401.00001": 7}) == ["2401.00001"]  # an empty index holds none
    LexicalIndex(folder=folder).extend([paper("2401.00001", "Diffusion for proteins")], stamps={"2401.00001": 7})
    assert LexicalIndex(folder=folder).stale({"2401.00001": 7, "2401.00002": 7}) == ["2401.00002"]
    with np.load(folder / "registry.npz") as saved:
        arrays = {name: saved[name] for name in saved.files if name != lacking}
    np.savez(folder / "registry.npz", **arrays)
    reopened = LexicalIndex(folder=folder)
    assert not reopened.opened and len(reopened) == 0


def test_an_index_cut_short_is_built_again(tmp_path: Path) -> None:
    folder = tmp_path / "search"
    LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    (folder / "registry.npz").unlink()
    reopened = LexicalIndex(folder=folder)
    assert not reopened.opened and len(reopened) == 0


@pytest.mark.slow
def test_two_processes_on_one_folder_take_turns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "search"
    first = LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    second = LexicalIndex(folder=folder)
    first.extend([paper("2401.00002", "Graph learning")])
    second.extend([paper("2401.00003", "Speculative decoding")])  # numbered after the first's paper
    assert ids(second, "graph") == ["2401.00002"]
    assert first.reopen_if_changed() and not first.reopen_if_changed()
    assert first.positions(["2401.00001", "2401.00002", "2401.00003"]).tolist() == [0, 1, 2]
    assert ids(first, "speculative") == ["2401.00003"]
    monkeypatch.setattr(folder_module, "LOCK_WAIT_S", 0.4)
    first._take_writer()  # held, as during a long build
    with pytest.raises(IndexBusy, match="locked by another process"):
        second.extend([paper("2401.00004", "Robots")])
    first.seal()
    second.extend([paper("2401.00004", "Robots")])
    assert ids(second, "robots") == ["2401.00004"]


def test_a_watermark_is_saved_after_the_other_process_s_commits(tmp_path: Path) -> None:
    """A process that caught up with the store saves its watermark under the writer lock, over the
    other process's commit: never an older registry over a newer index."""
    folder = tmp_path / "search"
    first = LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    second = LexicalIndex(folder=folder)
    first.extend([paper("2401.00002", "Graph learning")])
    second.seal("2026-09-01T00:00:00+00:00")
    assert ids(second, "graph") == ["2401.00002"] and second.watermark == "2026-09-01T00:00:00+00:00"
    again = LexicalIndex(folder=folder)
    assert again.opened and ids(again, "graph") == ["2401.00002"] and again.size == 2
    again.extend([paper("2401.00003", "Speculative decoding")])
    assert again.positions(["2401.00001", "2401.00002", "2401.00003"]).tolist() == [0, 1, 2]


@pytest.mark.slow
def test_an_index_opened_while_another_process_commits_waits_for_it(tmp_path: Path) -> None:
    """Between another process's commit and its registry's rename the two disagree for a moment: the
    process starting then waits for the writer lock and opens what was committed; it empties nothing."""
    folder = tmp_path / "search"
    writing = LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    committed, go = threading.Event(), threading.Event()
    publish = registry_module.Registry.publish

    def slow_publish(self: registry_module.Registry, staged: Path, where: Path) -> None:
        committed.set()  # tantivy has committed; the registry is not renamed yet
        go.wait(10)
        publish(self, staged, where)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry_module.Registry, "publish", slow_publish)
        extend = threading.Thread(target=writing.extend, args=([paper("2401.00002", "Graph learning")],))
        extend.start()
        assert committed.wait(10)
        threading.Timer(0.5, go.set).start()
        starting = LexicalIndex(folder=folder)
        extend.join()
    assert starting.opened and ids(starting, "graph") == ["2401.00002"] and ids(starting, "diffusion") == ["2401.00001"]
    assert LexicalIndex(folder=folder).size == 2


def test_a_process_killed_between_its_two_writes_leaves_an_index_that_is_built_again(tmp_path: Path) -> None:
    """A paper replaced by a new one leaves the count as it was; the new one's position, beyond what the
    old registry numbered, gives the disagreement away (no other paper is served at it)."""
    folder = tmp_path / "search"
    LexicalIndex([paper("2401.00001", "Diffusion for proteins"), paper("2401.00002", "Graph")], folder=folder)
    old = (folder / "registry.npz").read_bytes()
    running = LexicalIndex(folder=folder)  # another process, open all along
    LexicalIndex(folder=folder).extend([paper("2401.00003", "Speculative decoding")], gone=["2401.00002"])
    (folder / "registry.npz").write_bytes(old)  # as if killed before the rename
    with pytest.raises(IndexOutOfStep, match="built again from the store when it is next opened"):
        running.extend([paper("2401.00004", "Robots")])
    assert ids(running, "graph") == ["2401.00002"]  # it answers from what it holds meanwhile
    again = LexicalIndex(folder=folder)
    assert not again.opened and len(again) == 0


@pytest.mark.parametrize(
    "damage", ["truncated registry", "empty registry", "corrupt meta.json", "a positions file gone"]
)
def test_a_damaged_folder_is_built_again_saying_so(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A file tantivy reads only at a field's first query (a segment's positions) is checked at the open too."""
    folder = tmp_path / "search"
    LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    if damage == "a positions file gone":
        [positions] = folder.glob("*.pos")
        positions.unlink()
    else:
        name, cut = {"truncated registry": ("registry.npz", 40), "empty registry": ("registry.npz", 0)}.get(
            damage, ("meta.json", 7)
        )
        (folder / name).write_bytes((folder / name).read_bytes()[:cut])
    again = LexicalIndex(folder=folder)
    assert not again.opened and len(again) == 0
    again.extend([paper("2401.00002", "Graph learning")])
    assert ids(LexicalIndex(folder=folder), "graph") == ["2401.00002"]
    if damage in ("corrupt meta.json", "a positions file gone"):
        assert "cannot be read (a file of it is missing or damaged" in caplog.text
        assert "building it again from the store" in caplog.text and "tantivy" not in caplog.text


def test_a_registry_at_odds_with_the_index_is_not_taken_nor_read_at_every_search(tmp_path: Path) -> None:
    folder = tmp_path / "search"
    first = LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    second = LexicalIndex(folder=folder)
    first.extend([paper("2401.00002", "Graph learning")])
    (folder / "registry.npz").write_bytes(b"not a registry")
    assert second.changed_elsewhere() and not second.reopen_if_changed()
    assert not second.changed_elsewhere()  # refused once: searches do not read it again
    assert ids(second, "diffusion") == ["2401.00001"] and ids(second, "graph") == []
    first.extend([paper("2401.00003", "Speculative decoding")])  # a good registry again
    assert second.reopen_if_changed() and ids(second, "graph") == ["2401.00002"]


def test_an_author_pair_is_one_author() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Agents", "Yu Yang"),
            paper("2401.00002", "Agents", "Yu Zhang", "Li Yang"),  # a Yu and a Yang, not Yu Yang
            paper("2401.00003", "Agents", "Yang Yu-Wei Chen"),
            paper("2401.00004", "Agents", "Anna Maria de la Cruz"),
        ]
    )
    assert ids(index, 'agents author:"Yu Yang"') == ["2401.00001", "2401.00003"]
    assert ids(index, 'author:"de la cruz"') == ["2401.00004"]
    assert ids(index, 'author:"maria cruz anna"') == ["2401.00004"]
    assert index.search_now('author:"anna la zhang"') == []


def test_phrases_are_exact_across_stop_words_and_punctuation() -> None:
    texts = [
        ("Making small LLMs", ""),
        ("Via distillation, LLMs learn", ""),
        ("LLMs via distillation", ""),
        ("Compressing LLMs: via pruning", ""),
        ("The model of the world", "A model of a world."),
        ("Models of worlds", "The model, of the world!"),
    ]
    index = LexicalIndex([paper(f"2401.{n:05d}", t, abstract=a) for n, (t, a) in enumerate(texts, 1)])
    assert sorted(ids(index, '"LLMs via"')) == ["2401.00003", "2401.00004"]
    assert ids(index, '"LLMs via" "via pruning"') == ["2401.00004"]
    assert index.search_now('"small llms via"') == []  # a phrase never spans two papers or two fields
    assert sorted(ids(index, '"model of the world"')) == ["2401.00005", "2401.00006"]
    assert ids(index, '"model of a world"') == ["2401.00005"]  # the stop words count
    assert index.search_now('"model of world"') == []


def test_accents_are_ignored_on_both_sides_as_in_a_digests_filters() -> None:
    index = LexicalIndex(
        [
            paper("2401.00001", "Graph learning", "Joseph E. Gonzalez"),
            paper("2401.00002", "Robot learning", "David González-Martínez"),
            paper("2401.00003", "Spéculative décoding at scale"),
        ]
    )
    for name in ("gonzalez", "González", "GONZÁLEZ"):
        assert sorted(ids(index, f"author:{name}")) == ["2401.00001", "2401.00002"], name
    assert ids(index, 'author:"david gonzalez martinez"') == ["2401.00002"]
    assert ids(index, "speculative decoding") == ids(index, "Spéculative") == ["2401.00003"]
    assert ids(index, '"speculative decoding"') == ["2401.00003"]


def test_an_excluded_word_leaves_its_papers_out() -> None:
    texts = ["Diffusion for video", "Diffusion for proteins", "Video-language diffusion", "x-ray diffusion"]
    index = LexicalIndex([paper(f"2401.{n:05d}", t) for n, t in enumerate(texts, 1)])
    assert sorted(ids(index, "diffusion -video")) == ["2401.00002", "2401.00004"]
    assert sorted(ids(index, "diffusion -videos -proteins")) == ["2401.00004"]  # stemmed, like every word
    assert ids(index, "x-ray") == ["2401.00004"]  # a dash inside a word is not an exclusion
    assert index.search_now("-video") == []


async def built_then_listed(store: PaperStore, folder: Path) -> list[Listing]:
    """An index built in `folder` from 1 June's listing by a process that then stopped; 2 June's listing
    saved after it (returned)."""
    await store.save_listings(listings_of("2026-06-01"))
    first = SearchService(store, folder=folder)
    assert await first.search("agents")
    await first.close()
    later = listings_of("2026-06-02")
    await store.save_listings(later)
    return later


@pytest.mark.slow
async def test_a_restart_opens_the_index_and_catches_up(
    store: PaperStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "search"
    later = await built_then_listed(store, folder)  # the second day while no process ran
    moved = later[0].paper
    relisted = [Listing(day=date(2026, 6, 9), rank=1, paper=moved)]
    await store.save_listings(relisted, fetched=[date(2026, 6, 9)])  # a sync that only adds a listing day
    batches: list[int] = []

    async def spy(self: PaperStore, size: int = 5000) -> AsyncIterator[Versions]:
        batches.append(size)
        yield Versions({}, {})

    monkeypatch.setattr(PaperStore, "batches", spy)
    second = SearchService(store, folder=folder)
    index = await second.index()
    assert batches == []  # opened, not built from the store
    assert len(index) == (await store.counts()).papers
    found = await second.search(moved.title, limit=50)
    assert moved.arxiv_id in [h.paper.arxiv_id for h in found]
    since = await second.search(moved.title, SearchFilters(since=date(2026, 6, 9)), limit=50)
    assert [h.paper.arxiv_id for h in since] == [moved.arxiv_id]
    await second.close()


@pytest.mark.slow
async def test_a_restart_reads_again_only_the_papers_it_does_not_hold_as_the_store_has_them(
    store: PaperStore, tmp_path: Path
) -> None:
    """Everything written within the catch-up's margin (10 minutes) is looked at again by the next
    start, but only papers whose version the index does not hold are read: an import of 100,000
    followed at once by `paperboy run` used to read them all again (85 s, `/papers` waiting)."""
    folder = tmp_path / "search"
    later = await built_then_listed(store, folder)  # every paper written a moment ago
    held = await SearchService(store, folder=folder).index()
    assert held.added == len({listing.paper.arxiv_id for listing in later})  # 2 June's, new or listed again
    assert (await SearchService(store, folder=folder).index()).added == 0  # nothing changed since
    first, late = later[0].paper, later[1].paper
    await store.save_papers([first.model_copy(update={"upvotes": first.upvotes + 40})])
    async with store.engine.begin() as conn:  # a change stamped before the last catch-up, committed after it
        stamped = select(paper_rows.c.updated_at).where(paper_rows.c.arxiv_id == late.arxiv_id)
        stored = await conn.scalar(stamped)
        assert isinstance(stored, datetime)
        earlier = stored - timedelta(seconds=30)
        await conn.execute(update(paper_rows).where(paper_rows.c.arxiv_id == late.arxiv_id).values(updated_at=earlier))
    search = SearchService(store, folder=folder)
    assert (await search.index()).added == 2
    hits = {h.paper.arxiv_id: h.paper for h in await search.search(first.title, limit=50)}
    assert hits[first.arxiv_id].upvotes == first.upvotes + 40
    await search.close()


async def test_an_index_whose_registry_cannot_be_read_again_still_answers(store: PaperStore, tmp_path: Path) -> None:
    folder = tmp_path / "search"
    await store.save_listings(listings_of("2026-06-01"))
    search = SearchService(store, folder=folder)
    try:
        before = [h.paper.arxiv_id for h in await search.search("agents")]
        assert before
        (folder / "registry.npz").unlink()  # as after a registry that could not be renamed into place
        for _ in range(3):  # changed on disk, unreadable: answered from what the process holds, every time
            assert [h.paper.arxiv_id for h in await search.search("agents")] == before
    finally:
        await search.close()


@pytest.mark.slow
async def test_a_service_whose_index_fell_out_of_step_builds_it_again_from_the_store(
    store: PaperStore, tmp_path: Path
) -> None:
    folder = tmp_path / "search"
    await store.save_listings(listings_of("2026-06-01"))
    search = SearchService(store, folder=folder)
    try:
        assert await search.search("agents")
        old = (folder / "registry.npz").read_bytes()
        LexicalIndex(folder=folder).extend([paper("2401.99999", "Zebrafish segmentation")])  # another process
        (folder / "registry.npz").write_bytes(old)  # killed before its registry's rename
        later = listings_of("2026-06-02")
        await store.save_listings(later)
        await search.refresh([listing.paper.arxiv_id for listing in later])  # refused, said in the log
        found = await search.search(later[0].paper.title, limit=50)  # the folder opened again: built again
        assert later[0].paper.arxiv_id in [h.paper.arxiv_id for h in found]
        assert len(await search.index()) == (await store.counts()).papers
        assert await search.search("zebrafish") == []  # the store never had it
    finally:
        await search.close()


def test_a_folder_that_cannot_be_written_is_said_in_our_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "search"
    LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    monkeypatch.setattr("bot.search.folder.os.access", lambda *_: False)  # a read-only folder, to a user not root
    with pytest.raises(SearchIndexError, match=r"could not be written \(permission denied: search\); let paperboy"):
        LexicalIndex(folder=folder)


@pytest.mark.parametrize("fault", ["out of step", "busy"])
@pytest.mark.slow
async def test_a_start_whose_catch_up_cannot_write_builds_again_or_answers_as_it_is(
    store: PaperStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "search"
    later = await built_then_listed(store, folder)
    listed = {listing.paper.arxiv_id for listing in listings_of("2026-06-01")}
    new = next(listing.paper for listing in later if listing.paper.arxiv_id not in listed)
    error = (
        IndexOutOfStep(str(folder), "its last commit holds papers its registry does not describe", "built again")
        if fault == "out of step"
        else IndexBusy(f"the search index in {folder} stayed locked by another process for 30 s")
    )

    def refuse(self: LexicalIndex, papers: object, gone: object = (), stamps: object = None) -> None:
        raise error

    with monkeypatch.context() as patch:
        patch.setattr(LexicalIndex, "extend", refuse)
        second = SearchService(store, folder=folder)
        found = [h.paper.arxiv_id for h in await second.search(new.title, limit=50)]
    assert str(error) in caplog.text
    assert (new.arxiv_id in found) == (fault == "out of step")  # built again from the store, or as it was
    if fault == "out of step":
        assert len(await second.index()) == (await store.counts()).papers
    await second.close()
    third = SearchService(store, folder=folder)  # the next start catches up either way
    assert new.arxiv_id in [h.paper.arxiv_id for h in await third.search(new.title, limit=50)]
    await third.close()


def test_an_index_of_an_earlier_layout_is_said_to_be_built_again_for_that(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An index saved by an earlier paperboy (layout tantivy-3) was said to "not match its registry", which
    reads as damage: an upgrade's one-time rebuild is said as such."""
    folder = tmp_path / "search"
    LexicalIndex([paper("2401.00001", "Diffusion for proteins")], folder=folder)
    with np.load(folder / registry_module.FILE) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["meta"] = np.array(["tantivy-3", str(arrays["meta"][1])])
    np.savez(folder / registry_module.FILE, **arrays)  # as the earlier paperboy left it
    with caplog.at_level("WARNING", logger="bot.search.folder"):
        opened = LexicalIndex(folder=folder)
    assert not opened.opened  # built again, as before
    assert f"is of another paperboy's layout (tantivy-3; this one's is {registry_module.VERSION})" in caplog.text
    assert "does not match its registry" not in caplog.text


@pytest.mark.slow
async def test_a_later_paperboys_index_is_left_alone_and_one_in_memory_answers(
    store: PaperStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A rolling upgrade on one data dir: each version took the other's index for damage and wrote its own
    over it, and each then built it again, at every write, for as long as both ran."""
    folder = tmp_path / "search"
    later = await built_then_listed(store, folder)
    with np.load(folder / registry_module.FILE) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["meta"] = np.array(["tantivy-99", str(arrays["meta"][1])])  # as a later paperboy saves it
    np.savez(folder / registry_module.FILE, **arrays)
    written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    older = SearchService(store, folder=folder)
    with caplog.at_level("WARNING"):
        found = await older.search(later[0].paper.title, limit=50)  # caught up in memory: 2 June's too
        await older.refresh([later[0].paper.arxiv_id])
    assert later[0].paper.arxiv_id in [h.paper.arxiv_id for h in found]
    assert "is a later paperboy's (layout tantivy-99; this one's is" in caplog.text
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written  # not a file touched
    await older.close()


@pytest.mark.slow
async def test_an_index_a_later_paperboy_takes_over_while_running_is_written_no_more(
    store: PaperStore, tmp_path: Path
) -> None:
    """The later replica starts beside a running one and saves its own layout: the running one's next
    write wrote its older registry back over it."""
    folder = tmp_path / "search"
    later = await built_then_listed(store, folder)
    running = SearchService(store, folder=folder)
    assert await running.search("agents")  # opened, caught up
    with np.load(folder / registry_module.FILE) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["meta"] = np.array(["tantivy-99", str(arrays["meta"][1])])
    np.savez(folder / registry_module.FILE, **arrays)  # the later paperboy's commit
    written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    await running.refresh([later[0].paper.arxiv_id])  # refused: the index is the later one's now
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written
    found = await running.search(later[0].paper.title, limit=50)  # from an index of its own, in memory
    assert later[0].paper.arxiv_id in [h.paper.arxiv_id for h in found]
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written
    await running.close()
