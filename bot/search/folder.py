"""The index's folder: tantivy's files and `registry.npz`, opened together and checked against each
other. Processes sharing a data dir write the two in turn under tantivy's writer lock (the index's
commit, then the registry's rename), so a reader may meet them apart for a moment, and a process
killed between the two leaves them apart for good. Whether they disagree is settled holding the
lock; only then is the index emptied, in place, to be built again from the store.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import time
from pathlib import Path

from tantivy import FieldType, Index, IndexWriter, Query, Searcher

from bot.domain.errors import PaperboyError, SearchIndexError
from bot.host.cpus import usable_cpus
from bot.search.documents import SCHEMA
from bot.search.registry import VERSION, Registry, newer
from bot.search.text import TERMS, WORDS

WRITER_MB = 48  # tantivy's indexing memory per writer thread
LOCK_WAIT_S = 30.0  # how long a write waits for another process's writer
WRITABLE = "let paperboy write to it, or set PAPERBOY_DATA_DIR to a folder it can"
ROOM = "free some space on its disk, or set PAPERBOY_DATA_DIR to a folder with room"
log = logging.getLogger(__name__)


class IndexBusy(PaperboyError):
    """Another process kept the index's writer longer than `LOCK_WAIT_S`."""


class NewerLayout(IndexBusy):
    """The folder holds a later paperboy's index (a rolling upgrade: the new replica runs beside this
    one): this process neither rebuilds nor writes it (each wrote over the other's, and each then built
    its own again, at every write), and searches an index of its own in memory."""

    def __init__(self, folder: Path, layout: str) -> None:
        super().__init__(
            f"the search index in {folder} is a later paperboy's (layout {layout}; this one's is {VERSION}):"
            " this process leaves it alone and searches an index of its own, in memory, until it is upgraded"
        )


def refuse_newer(folder: Path | None) -> None:
    """`NewerLayout` when the folder's index is a later paperboy's."""
    if folder is not None and newer(layout := Registry.layout_of(folder)):
        raise NewerLayout(folder, str(layout))


def write_failure(exc: BaseException) -> str:
    """Why a write to the index failed, in a few words (the library's text stays in the traceback)."""
    if isinstance(exc, OSError) and exc.strerror:
        named = f": {Path(exc.filename).name}" if exc.filename else ""
        return f"{exc.strerror[:1].lower()}{exc.strerror[1:]}{named}"
    if (code := os_error(exc)) is not None:
        return os.strerror(code)[:1].lower() + os.strerror(code)[1:]
    return "tantivy could not commit its files"


def os_error(exc: BaseException) -> int | None:
    """The system's error number in tantivy's words for a failed read or write ("An IO error occurred:
    'No space left on device (os error 28)'"), None for any other failure."""
    found = re.search(r"\(os error (\d+)\)", str(exc)) if isinstance(exc, ValueError) else None
    return int(found.group(1)) if found else None


def disk_failure(folder: Path, exc: Exception) -> SearchIndexError | None:
    """A full disk, or a folder paperboy may not write, is no damaged index: said, not built again (a
    build on a full disk failed in its turn, with tantivy's words and a traceback)."""
    code = os_error(exc)
    if code is None:
        return None
    return SearchIndexError(str(folder), write_failure(exc), ROOM if code == errno.ENOSPC else WRITABLE)


def tantivy(folder: Path | None) -> Index:
    """The tantivy index in the folder (a new one when it holds none), or in memory."""
    index = Index(SCHEMA, str(folder) if folder is not None else None)
    index.register_tokenizer("terms", TERMS)
    index.register_tokenizer("words", WORDS)
    index.config_reader("manual")
    return index


def acquire(index: Index, folder: Path | None, wait: float | None = None) -> IndexWriter:
    """The index's writer, waiting up to `wait` seconds (default `LOCK_WAIT_S`, read when called, so a
    test may shorten it) for another process's (`IndexBusy` after)."""
    wait = LOCK_WAIT_S if wait is None else wait
    waited = 0.0
    while True:
        try:
            writer = index.writer(WRITER_MB * 2**20 * usable_cpus(), usable_cpus())
        except ValueError as exc:  # tantivy's lock: another process is writing
            if folder is not None and (failed := disk_failure(folder, exc)) is not None:
                raise failed from None  # a full disk, or one it may not write: no lock to wait for
            if waited >= wait:
                raise IndexBusy(
                    f"the search index in {folder} stayed locked by another process for {wait:.0f} s;"
                    " the papers are searchable once it is written again"
                ) from exc
            time.sleep(0.2)
            waited += 0.2
            continue
        # The files no commit uses, gone first: a commit cut short (killed, a full disk) left its
        # deletions' file behind, registered, and every later commit of the same stamp failed on it
        # ("FileAlreadyExists …1947.del"): each write, at every start, for good.
        with contextlib.suppress(ValueError, OSError):
            writer.garbage_collect_files()
        return writer


# The fields a query reads. tantivy opens a field's files (terms, postings, positions) at its first
# query: a term looked up in each makes a missing or damaged file show itself here, at the open, where
# the index is built again, not at a person's search.
_QUERIED = ("id", "body", "authors", "has", "words", "names", "kw")


def agrees(searcher: Searcher, registry: Registry) -> bool:
    """Whether the registry describes this commit of the index: as many papers alive as it holds, and
    none at a position the registry has not numbered. A ValueError when a file of it cannot be read."""
    for field in _QUERIED:
        searcher.search(Query.term_query(SCHEMA, field, "paperboy", index_option="basic"), 1)
    if searcher.num_docs != int(registry.alive.sum()):
        return False
    beyond = Query.range_query(SCHEMA, "pos", FieldType.Integer, registry.size, None)
    return int(searcher.search(beyond, 1, count=True).count) == 0  # type: ignore[attr-defined]


def opened(folder: Path, *, fresh: bool) -> tuple[Index, Registry, IndexWriter | None]:
    """The folder's index and the registry that describes it. When none does (a new folder, another
    layout, another store: `fresh`, a process stopped between the two writes) the index is emptied,
    and comes with the writer that emptied it: the lock is held until the caller commits."""
    refuse_newer(folder)  # fresh or not: never emptied under a later paperboy
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(13, "Permission denied", str(folder))
        index = tantivy(folder)
        registry = None if fresh else Registry.read(folder)
        if registry is not None and agrees(index.searcher(), registry):
            return index, registry, None
        writer = acquire(index, folder)  # another process may be between its commit and its rename
        index.reload()
        registry = None if fresh else Registry.read(folder)
        if registry is not None and agrees(index.searcher(), registry):
            writer.wait_merging_threads()  # lets the lock go
            return index, registry, None
    except ValueError as exc:  # tantivy cannot read its files: damaged, or of another schema
        if (failure := disk_failure(folder, exc)) is not None:
            raise failure from exc
        log.warning(
            "the search index in %s cannot be read (a file of it is missing or damaged, or of another version);"
            " building it again from the store",
            folder,
        )
        log.debug("tantivy's words: %s", exc)
        return _emptied(folder), Registry(), None
    except OSError as exc:
        raise SearchIndexError(str(folder), write_failure(exc), WRITABLE) from exc
    layout = Registry.layout_of(folder)
    if index.searcher().num_docs and not fresh and layout not in (None, VERSION):  # an upgrade's, once
        log.warning(
            "the search index in %s is of another paperboy's layout (%s; this one's is %s): building it again"
            " from the store, once (about 40 s at 100k papers; searches wait for it)",
            folder,
            layout,
            VERSION,
        )
    elif index.searcher().num_docs and not fresh:
        log.warning("the search index in %s does not match its registry; building it again from the store", folder)
    writer.delete_all_documents()
    return index, Registry(), writer


def _emptied(folder: Path) -> Index:
    """A new index in the folder, whatever it held removed first."""
    try:
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        return tantivy(folder)
    except (ValueError, OSError) as exc:  # (an OSError is no ValueError: `disk_failure` gives None)
        raise (disk_failure(folder, exc) or SearchIndexError(str(folder), write_failure(exc), WRITABLE)) from exc
