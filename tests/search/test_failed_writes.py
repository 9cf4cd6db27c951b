"""A write to the index that fails changes nothing: the process answers as before it, the folder holds
what it held, the writer is let go, and the same write tried again succeeds.

The faults are real ones at the edge: a directory where the new `registry.npz` is written (the write
fails as on a full or read-only disk; root ignores permissions, a directory it cannot open as a file),
and tantivy's own writer with a commit that fails (as it does when its disk is full).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.domain.errors import SearchIndexError
from bot.domain.models import Listing, Paper
from bot.search.folder import acquire, disk_failure, os_error
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters
from bot.search.registry import staging
from bot.search.service import SearchService
from bot.store.papers import PaperStore

JUNE_1, JUNE_5 = date(2026, 6, 1), date(2026, 6, 5)
QUERIES = ["diffusion", "flow matching", "graph", "speculative", "proteins"]


def paper(arxiv_id: str, title: str, day: date = JUNE_1, upvotes: int = 1) -> Paper:
    return Paper(arxiv_id=arxiv_id, title=title, listed_on=(day,), upvotes=upvotes)


BEFORE = [paper("2401.00001", "Diffusion for proteins"), paper("2401.00002", "Graph learning")]
CHANGE = [paper("2401.00001", "Flow matching for proteins", JUNE_5, 40), paper("2401.00003", "Speculative decoding")]


def answers(index: LexicalIndex) -> dict[str, list[tuple[str, str, float]]]:
    """What every query and day filter finds: ids, titles and scores (the prior moves them)."""
    found = {q: index.search_now(q, limit=10) for q in QUERIES}
    found |= {f"on {d}": index.search_now("proteins", SearchFilters(since=d, until=d)) for d in (JUNE_1, JUNE_5)}
    return {k: [(h.paper.arxiv_id, h.paper.title, round(h.score, 5)) for h in hits] for k, hits in found.items()}


def state(index: LexicalIndex) -> tuple[object, ...]:
    return len(index), index.size, index.watermark, index.alive.tolist(), index.prior.tolist(), answers(index)


@pytest.fixture
def blocked(tmp_path: Path) -> Iterator[Path]:
    """The index's folder, where the next `registry.npz` cannot be written until the test lets it."""
    folder = tmp_path / "search"
    LexicalIndex(BEFORE, folder=folder)
    staging(folder).mkdir()
    yield folder
    if staging(folder).is_dir():
        staging(folder).rmdir()


def test_a_registry_that_cannot_be_written_leaves_the_index_as_it_was(blocked: Path) -> None:
    index = LexicalIndex(folder=blocked)
    before = state(index)
    with pytest.raises(SearchIndexError, match=r"search index in .*search could not be written \(is a directory"):
        index.extend(CHANGE)
    assert state(index) == before
    assert state(LexicalIndex(folder=blocked)) == before  # nothing of it reached the folder
    staging(blocked).rmdir()
    index.extend(CHANGE)  # the same write again
    after = answers(index)
    assert after["flow matching"][0][:2] == ("2401.00001", "Flow matching for proteins")
    assert after["diffusion"] == [] and [a[0] for a in after["on 2026-06-05"]] == ["2401.00001"]
    assert [a[0] for a in after["speculative"]] == ["2401.00003"]
    assert answers(LexicalIndex(folder=blocked)) == after


def test_a_registry_that_cannot_replace_the_old_one_after_the_commit_is_built_again(tmp_path: Path) -> None:
    """The one failure left after tantivy committed: this process goes on with what was committed; the
    old registry stays, and the next to open the folder finds it at odds with the index (a paper at a
    position it never numbered) and builds the index again rather than serve another paper there."""
    folder = tmp_path / "search"
    index = LexicalIndex(BEFORE, folder=folder)
    (folder / "registry.npz").rename(tmp_path / "kept.npz")
    (folder / "registry.npz").mkdir()  # os.replace cannot put a file over it
    with pytest.raises(SearchIndexError, match="the next start brings the index up to date with the store"):
        index.extend(CHANGE)
    found = answers(index)
    assert [a[0] for a in found["flow matching"]] == ["2401.00001"] and found["diffusion"] == []
    assert [a[0] for a in found["on 2026-06-05"]] == ["2401.00001"] and (len(index), index.size) == (3, 3)
    (folder / "registry.npz").rmdir()
    (tmp_path / "kept.npz").rename(folder / "registry.npz")  # the old registry, as the failed rename left it
    again = LexicalIndex(folder=folder)
    assert not again.opened and len(again) == 0


class FullDisk:
    """tantivy's index, handing out its real writer with a commit that fails: the fault, nothing else."""

    def __init__(self, index: Any) -> None:
        self._index = index

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)

    def writer(self, *args: Any) -> Any:
        return FailingCommit(self._index.writer(*args))


class FailingCommit:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)

    def commit(self) -> int:
        raise ValueError("An IO error occurred: 'No space left on device (os error 28)'")


@pytest.mark.parametrize("folder", [True, False], ids=["on disk", "in memory"])
def test_a_commit_that_fails_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: bool) -> None:
    index = LexicalIndex(BEFORE, folder=tmp_path / "search" if folder else None)
    before = state(index)
    real = index._index
    monkeypatch.setattr(index, "_index", FullDisk(real))
    with pytest.raises(SearchIndexError, match=r"could not be written \(no space left on device\)"):
        index.extend(CHANGE, gone=["2401.00002"])
    assert state(index) == before
    monkeypatch.setattr(index, "_index", real)
    index.extend([paper("2401.00004", "Robot grasping")])  # the failed write's changes are not in this one
    found = answers(index)
    assert (len(index), index.size) == (3, 3)
    assert [a[:2] for a in found["diffusion"]] == [("2401.00001", "Diffusion for proteins")]
    assert found["flow matching"] == found["speculative"] == found["on 2026-06-05"] == []
    index.extend(CHANGE, gone=["2401.00002"])  # and the same write again succeeds
    assert answers(index)["graph"] == [] and [a[0] for a in answers(index)["flow matching"]] == ["2401.00001"]
    assert index.positions(["2401.00001", "2401.00002", "2401.00003", "2401.00004"]).tolist() == [0, -1, 3, 2]


def test_a_build_on_a_full_disk_says_so_and_lets_the_writer_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's commit on a full disk ended `paperboy search` with tantivy's words and a traceback, and its
    writer, still holding the lock, kept `paperboy chat` waiting 30 s for "another process"."""
    folder = tmp_path / "search"
    index = LexicalIndex(folder=folder)
    real = index._index
    monkeypatch.setattr(index, "_index", FullDisk(real))
    index.load(BEFORE)
    with pytest.raises(SearchIndexError, match=r"could not be written \(no space left on device\); free some space"):
        index.seal("stamp")
    acquire(real, folder, wait=0).wait_merging_threads()  # the lock is free at once


@pytest.mark.slow
async def test_a_refresh_that_cannot_write_keeps_searching_and_the_next_one_takes_the_papers(
    store: PaperStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "search"
    await store.save_listings([Listing(p, JUNE_1, n) for n, p in enumerate(BEFORE, 1)])
    search = SearchService(store, folder=folder)
    assert [h.paper.arxiv_id for h in await search.search("diffusion")] == ["2401.00001"]
    await store.save_listings([Listing(p, p.listed_on[0], n) for n, p in enumerate(CHANGE, 1)])
    staging(folder).mkdir()
    with caplog.at_level(logging.WARNING):
        await search.refresh([p.arxiv_id for p in CHANGE])  # a sync goes on: the papers are in the store
    assert "could not be written" in caplog.text
    assert [h.paper.arxiv_id for h in await search.search("diffusion")] == ["2401.00001"]  # as before
    assert await search.search("speculative") == []
    staging(folder).rmdir()
    await search.refresh([p.arxiv_id for p in CHANGE])
    assert await search.search("diffusion") == []
    assert [h.paper.arxiv_id for h in await search.search("speculative")] == ["2401.00003"]
    await search.close()


def test_a_full_disk_in_tantivys_words_is_said_as_one_not_as_a_damaged_index(tmp_path: Path) -> None:
    """tantivy reports a failed read or write as a ValueError naming the system's error: on a full disk the
    index was taken for damaged, "built again", and the build's own failure ended `paperboy search` with a
    traceback."""
    words = "An IO error occurred: 'No space left on device (os error 28) at path \"/data/search/.tmp0AWQcl\"'"
    assert os_error(ValueError(words)) == errno.ENOSPC and os_error(ValueError("Schema error")) is None
    failure = disk_failure(tmp_path, ValueError(words))
    assert failure is not None and str(failure) == (
        f"the search index in {tmp_path} could not be written (no space left on device); free some space on its"
        " disk, or set PAPERBOY_DATA_DIR to a folder with room"
    )
    assert disk_failure(tmp_path, ValueError("Failed to open field 'words'")) is None  # damaged: built again


_CUT_SHORT = """
import os, resource, signal, sys
from datetime import date
from pathlib import Path
from bot.domain.models import Paper
from bot.search.lexical import LexicalIndex
folder = Path(sys.argv[1])
index = LexicalIndex(folder=folder)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file past the limit fails to write (EFBIG), as on a full disk
# tantivy's meta.json is written last: the deletions' file and the registry fit, the commit's end does not
resource.setrlimit(resource.RLIMIT_FSIZE, (os.path.getsize(folder / "meta.json") - 1, resource.RLIM_INFINITY))
try:
    index.extend([Paper(arxiv_id="2401.00001", title="Flow matching for proteins", listed_on=(date(2026, 6, 5),))])
except Exception as exc:
    print(type(exc).__name__)
"""


@pytest.mark.slow
def test_a_commit_cut_short_leaves_no_file_that_fails_every_later_one(tmp_path: Path) -> None:
    """A commit cut short (killed, a full disk) after tantivy wrote its deletions' file: the file stayed,
    registered, and each later commit of the same change failed on it ("FileAlreadyExists …7.del"): every
    search at every start, for good. A writer now clears the files no commit uses before it writes."""
    import subprocess
    import sys

    from tests.conftest import child_env

    folder = tmp_path / "search"
    LexicalIndex(BEFORE, folder=folder)
    cut = subprocess.run(
        [sys.executable, "-c", _CUT_SHORT, str(folder)], env=child_env(), capture_output=True, text=True, timeout=60
    )
    assert cut.stdout.strip() == "SearchIndexError", cut.stderr
    assert [p.name for p in folder.glob("*.del")]  # left behind, as a process killed there leaves it
    index = LexicalIndex(folder=folder)  # the next start, catching up with the same change
    index.extend([CHANGE[0]])
    assert [h.paper.title for h in index.search_now("proteins")] == ["Flow matching for proteins"]
    assert not [p.name for p in folder.glob("*.7.del")]
