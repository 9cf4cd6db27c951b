"""The lexical index's writes and its positions: papers in (`load` then `seal`, or `extend` in place), each
paper's position and stored version (`bot.search.registry`), and the index shared with other processes.

With a folder the index lives there (tantivy's files and `registry.npz`) and is opened, not built,
by the next process; without one it is in memory. Writes take tantivy's single-writer lock only for
the time of one batch, so two processes sharing a data dir take turns; each notices the other's
commits (`reopen_if_changed`). `bot.search.lexical.LexicalIndex` searches what is written here.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tantivy import DocAddress, IndexWriter, Query, Searcher

from bot.domain.errors import SearchIndexError
from bot.domain.models import Paper
from bot.search.clauses import one_of
from bot.search.documents import document
from bot.search.folder import (
    NewerLayout,
    acquire,
    agrees,
    disk_failure,
    opened,
    refuse_newer,
    tantivy,
    write_failure,
)
from bot.search.registry import Registry, unstage
from bot.store.changes import Tally, stamp_of

NONE_KNOWN: Mapping[str, int] = {}  # no paper's version stamp known: each is read again at a catch-up


class IndexOutOfStep(SearchIndexError):
    """The index's last commit and its registry disagree (`IndexWrites._take_writer`)."""


class IndexWrites:
    """The index as written: papers in, their positions (what the embedding side shares) and versions;
    searches read the last commit (`LexicalIndex`)."""

    def __init__(self, *, folder: Path | None = None, fresh: bool = False) -> None:
        """`fresh`: whatever the folder holds is thrown away (`bot.search.folder`)."""
        self._folder = folder
        self._writer: IndexWriter | None = None
        if folder is None:
            self._index, self._registry = tantivy(None), Registry()
        else:
            self._index, self._registry, self._writer = opened(folder, fresh=fresh)
        self._searcher: Searcher = self._index.searcher()
        self._refused: tuple[int, int] | None = None  # a saved registry found at odds with the index
        self.opened = self._registry.size > 0  # an index on disk, ready to search
        self._added = 0

    # -- writes ---------------------------------------------------------------------------

    def _take_writer(self) -> IndexWriter:
        """The writer, with this process's registry describing the index's last commit (another
        process's commits read first), waiting up to `folder.LOCK_WAIT_S` for another process's
        (`IndexBusy`). `IndexOutOfStep` when they cannot agree: a process stopped
        between writing the two, and the index is built again when it is next opened."""
        if self._writer is None:
            writer = acquire(self._index, self._folder)
            try:
                refuse_newer(self._folder)  # a later paperboy's now: written over, each rebuilt the other's
            except NewerLayout:
                writer.wait_merging_threads()  # lets the lock go
                raise
            self.reopen_if_changed()
            self._index.reload()
            if self._folder is not None and not agrees(self._index.searcher(), self._registry):
                writer.wait_merging_threads()  # lets the lock go
                raise IndexOutOfStep(
                    str(self._folder),
                    "its last commit holds papers its registry does not describe",
                    "it is built again from the store when it is next opened",
                )
            self._writer = writer
        return self._writer

    def load(self, papers: Sequence[Paper], stamps: Mapping[str, int] = NONE_KNOWN) -> None:
        """Take in papers the index does not hold yet (a build; `seal` makes them searchable), with the
        store's stamp of each one's version, where known (`bot/store/changes.py`)."""
        if not papers:
            return
        papers = list({p.arxiv_id: p for p in papers}.values())
        writer = self._take_writer()
        for paper, position in zip(papers, self._registry.append(papers, stamps).tolist(), strict=True):
            writer.add_document(document(paper, position))

    def seal(self, watermark: str | None = None) -> None:
        """Commit what was written (and the store `watermark` it brings the index up to), and read it. A
        full disk is said in one line, the writer let go: tantivy's words ended `paperboy search` with a
        traceback, and the writer's lock, still held, kept `paperboy chat` waiting 30 s for "another process"."""
        try:
            self._seal(watermark)
        except ValueError as exc:
            failed = disk_failure(self._folder, exc) if self._folder is not None else None
            if failed is None:
                raise
            self._let_go()
            raise failed from None

    def _seal(self, watermark: str | None = None) -> None:
        if watermark is not None and watermark != self._registry.watermark:
            if self._folder is not None:
                self._take_writer()  # saved with a commit, under the lock, after other processes' commits
            self._registry.watermark = watermark
        if self._writer is not None:
            self._commit(self._writer)
        self._index.reload()
        self._searcher = self._index.searcher()
        self._registry.reprior()

    def _commit(self, writer: IndexWriter) -> None:
        """tantivy's commit, with the registry that describes it: written first (a temporary file), so
        a registry that cannot be written leaves nothing committed; put in place right after."""
        staged = self._registry.stage(self._folder) if self._folder is not None else None
        try:
            writer.commit()
        except BaseException:
            if self._folder is not None:
                unstage(self._folder)
            raise
        self._writer = None  # committed: what failed after this is not rolled back
        try:
            if staged is not None and self._folder is not None:
                self._registry.publish(staged, self._folder)
        finally:
            writer.wait_merging_threads()  # also lets the lock go

    def extend(self, papers: Sequence[Paper], gone: Sequence[str] = (), stamps: Mapping[str, int] = NONE_KNOWN) -> None:
        """Make these papers searchable now: new ones added, known ones replaced by their new version;
        the `gone` ones leave (their positions stay taken). All or nothing: a write that fails leaves
        the index as it was (`SearchIndexError`), and the same write may be tried again."""
        writer = self._take_writer()
        self._sealed(lambda: self._replace(writer, papers, gone, stamps))
        self._added += len({p.arxiv_id for p in papers})

    def _sealed(self, write: Callable[[], object]) -> None:
        """`write`, then `seal`; when either fails, `_undo` back to the registry as it was."""
        before = copy.deepcopy(self._registry)
        try:
            write()
            self._seal()
        except Exception as exc:
            raise self._undo(before, exc) from exc

    def _undo(self, before: Registry, exc: Exception) -> SearchIndexError:
        """After a write failed: what tantivy did not commit is rolled back and the registry goes back
        to `before`. The error to raise, in our words."""
        where = str(self._folder) if self._folder is not None else "memory"
        reason = write_failure(exc)
        if not self._let_go():  # committed, but registry.npz could not replace the old one
            self._index.reload()  # this process goes on with both as committed; the next to open the
            self._searcher = self._index.searcher()  # folder finds the old registry at odds with the
            self._registry.reprior()  # index, or behind the store, and catches up
            return SearchIndexError(where, reason, "the next start brings the index up to date with the store")
        self._registry = before
        return SearchIndexError(
            where,
            reason,
            "it answers as it did before this write; the papers are in the store, and the index takes them"
            " at the next start (free some space, or let the folder be written, first)",
        )

    def _let_go(self) -> bool:
        """Roll back what the writer did not commit and let it go (its lock with it); whether there was
        one. A writer let go uncommitted drops its changes all the same, whatever tantivy says of them."""
        writer, self._writer = self._writer, None
        if writer is None:
            return False
        with contextlib.suppress(ValueError):
            writer.rollback()
        with contextlib.suppress(ValueError):
            writer.wait_merging_threads()
        return True

    def _replace(
        self, writer: IndexWriter, papers: Sequence[Paper], gone: Sequence[str], stamps: Mapping[str, int]
    ) -> None:
        """`extend`'s changes, uncommitted."""
        latest = {p.arxiv_id: p for p in papers}
        if gone:
            dropped = self.positions(gone)
            for arxiv_id in gone:
                writer.delete_documents_by_term("id", arxiv_id)
            self._registry.alive[dropped[dropped >= 0]] = False
        known = self.positions(list(latest))
        for arxiv_id in np.array(list(latest))[known >= 0].tolist():
            writer.delete_documents_by_term("id", arxiv_id)
        old = [p for p, at in zip(latest.values(), known.tolist(), strict=True) if at >= 0]
        self._registry.set(known[known >= 0], old, stamps)
        for paper, position in zip(old, known[known >= 0].tolist(), strict=True):
            writer.add_document(document(paper, position))
        self.load([p for p, at in zip(latest.values(), known.tolist(), strict=True) if at < 0], stamps)

    def changed_elsewhere(self) -> bool:
        """Whether another process committed to the index since this one read it (one `stat`)."""
        if self._folder is None:
            return False
        stamp = Registry.stamp_of(self._folder)
        return stamp != self._registry.stamp and stamp != self._refused

    def reopen_if_changed(self) -> bool:
        """Read the index again if another process committed to it; True when it did. A registry that
        cannot be read, or does not describe the index's last commit (another process between its two
        writes, or one that stopped there), is not taken: this process answers from what it holds
        until the registry on disk changes again."""
        if self._folder is None or not self.changed_elsewhere():
            return False
        found = Registry.read(self._folder)
        self._index.reload()
        searcher = self._index.searcher()
        if found is None or not agrees(searcher, found):
            self._refused = Registry.stamp_of(self._folder) if found is None else found.stamp
            return False
        self._registry, self._searcher = found, searcher
        return True

    # -- positions and papers -------------------------------------------------------------

    @property
    def size(self) -> int:
        """Positions in use, deleted papers' too (the length of every per-position array)."""
        return self._registry.size

    def __len__(self) -> int:
        return int(self._searcher.num_docs)

    @property
    def added(self) -> int:
        """How many papers came in through `extend` since the index was opened."""
        return self._added

    @property
    def watermark(self) -> str:
        return self._registry.watermark

    @property
    def alive(self) -> npt.NDArray[np.bool_]:
        return self._registry.alive

    @property
    def prior(self) -> npt.NDArray[np.float32]:
        return self._registry.prior

    def ids(self, positions: npt.NDArray[np.int64]) -> list[str]:
        return [i.decode() for i in self._registry.ids[positions].tolist()]

    def positions(self, ids: Sequence[str]) -> npt.NDArray[np.int64]:
        """The position of each of these papers, or -1 when the index does not hold it."""
        found = self._matching(one_of("id", list(ids)), len(ids))
        at = dict(zip(self.ids(found), found.tolist(), strict=True))
        return np.array([at.get(i, -1) for i in ids], dtype=np.int64)

    def tally(self) -> Tally | None:
        """The versions it holds changed after its watermark, counted and summed (`changes_since`)."""
        if not self._registry.watermark:
            return None
        versions = self._registry.versions
        held = versions[self._registry.alive & (versions > stamp_of(self._registry.watermark))]
        whole, rest = np.divmod(held, 1_000_000)  # each sum then fits in 64 bits
        return Tally(len(held), int(whole.sum()) * 1_000_000 + int(rest.sum()))

    def stale(self, stamps: Mapping[str, int]) -> list[str]:
        """Which of these papers the index does not hold at the version stamped (or at all)."""
        ids = list(stamps)
        positions = self.positions(ids)
        held = np.zeros(len(ids), dtype=np.int64)
        held[positions >= 0] = self._registry.versions[positions[positions >= 0]]
        return [i for i, version in zip(ids, held.tolist(), strict=True) if version != stamps[i]]

    def texts(self, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        """The checksum of the text as embedded of the version held at each position, 0: not known."""
        return self._registry.texts[positions]

    def _matching(self, query: Query, at_most: int | None = None) -> npt.NDArray[np.int64]:
        """The positions of every paper the query matches (it matches `at_most` of them), ascending."""
        if at_most is None:
            at_most = self._searcher.search(query, 1, count=True).count  # type: ignore[attr-defined]
        hits = self._searcher.search(query, at_most, count=False).hits if at_most else []
        return np.sort(at(self._searcher, hits))


def at(searcher: Searcher, hits: Sequence[tuple[float, DocAddress]]) -> npt.NDArray[np.int64]:
    """The positions of these hits, in their order."""
    return np.array(searcher.fast_field_values("pos", [a for _, a in hits]), dtype=np.int64)
