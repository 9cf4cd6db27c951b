"""The dense index's files in the index's folder: its IVF training (`TRAINED`), kept so that the next
process need not train again, and its vectors (`SAVED` names the file that holds them, with the
checksum of the text each was made from), saved so that the next process searches by meaning at once
(`bot.search.dense`)."""

from __future__ import annotations

import importlib
import logging
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.embedding.model import DIMENSIONS

TRAINED = "dense-trained.faiss"  # the IVF index's training (no vectors), in the index's folder
SAVED = "dense.npz"  # names the file of the IVF index's vectors saved, with each one's text checksum
VECTORS = "dense-vectors-"  # … whose name begins so
log = logging.getLogger(__name__)


def faiss_module() -> Any:
    """faiss, imported when first needed (most stores never reach `EXACT_UP_TO`). Typed loosely: its
    bundled stubs describe the SWIG layer, not the NumPy-friendly methods it patches over it."""
    return importlib.import_module("faiss")


def lists_for(rows: int, sample: int) -> int:
    """How many lists an IVF index over about `rows` vectors has, trained on `sample` of them."""
    return max(16, min(4096, int(4 * math.sqrt(rows)), sample // 39))  # faiss wants 39 per list


def kept_training(path: Path, rows: int) -> Any:
    """The training kept in `path` if it fits an index of about `rows` vectors (within a factor of two
    of the lists they would be given), else None (none kept, one for far fewer or far more vectors,
    or a file that cannot be read: trained again)."""
    faiss = faiss_module()
    if not path.is_file():
        return None
    try:
        index = faiss.read_index(str(path))
    except RuntimeError:  # faiss's word for a damaged or foreign file
        log.warning("the dense index's training in %s cannot be read; training it again", path)
        return None
    found = _fitting(index, rows)
    return found if found is not None and found.ntotal == 0 else None


def _fitting(index: Any, rows: int) -> Any:
    """`index` if it is an IVF-SQ8 index of our vectors with about as many lists as `rows` vectors
    would be given (within a factor of two), else None."""
    faiss = faiss_module()
    lists = lists_for(rows, rows)
    fits = (
        isinstance(index, faiss.IndexIVFScalarQuantizer)
        and index.d == DIMENSIONS
        and index.is_trained
        and index.metric_type == faiss.METRIC_INNER_PRODUCT
        and lists / 2 <= index.nlist <= lists * 2
    )
    return index if fits else None


def keep_training(index: Any, path: Path) -> None:
    """Write the (still empty) trained index to `path` (`_in_place`). A folder that cannot take it
    costs the next start a training, nothing more."""
    try:
        _in_place(path, lambda temporary: faiss_module().write_index(index, str(temporary)))
    except (OSError, RuntimeError) as exc:
        log.warning("could not keep the dense index's training in %s (%s); the next start trains it again", path, exc)


def save_vectors(index: Any, has: npt.NDArray[np.bool_], texts: npt.NDArray[np.uint64], saved: Path) -> None:
    """The index's vectors to a file of their own, then `saved` naming it (`_in_place`: a reader finds
    the old pair or the new); other processes' older files go. An error when the folder cannot take
    them."""
    folder = saved.parent
    name = f"{VECTORS}{os.getpid()}-{time.time_ns()}.faiss"

    def naming(temporary: Path) -> None:
        with temporary.open("wb") as out:
            np.savez(out, has=has, texts=texts, meta=[name])
            out.flush()
            os.fsync(out.fileno())

    try:
        faiss_module().write_index(index, str(folder / name))
        _in_place(saved, naming)
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise
    for old in folder.glob(f"{VECTORS}*.faiss"):
        if old.name != name:
            old.unlink(missing_ok=True)  # a process that named it a moment ago fills from the store


def opened_vectors(saved: Path, rows: int) -> tuple[Any, npt.NDArray[np.bool_], npt.NDArray[np.uint64]] | None:
    """The vectors `saved` names, with which positions have one and their texts' checksums; None when
    there are none, they do not fit an index of about `rows` vectors (`_fitting`), or they cannot be
    read (a warning: the store has them)."""
    if not saved.is_file():
        return None
    try:
        with saved.open("rb") as file, np.load(file) as found:
            has, texts, name = found["has"].astype(bool), found["texts"].astype(np.uint64), str(found["meta"][0])
        index = faiss_module().read_index(str(saved.parent / Path(name).name))
        if has.shape != texts.shape or int(index.ntotal) != int(has.sum()):
            raise ValueError("the vectors and the positions they name disagree")
    except Exception:  # any damage, or a file another process removed after naming it
        log.warning("the saved embeddings in %s cannot be read; reading them from the store", saved.parent)
        return None
    index = _fitting(index, rows)
    return (index, has, texts) if index is not None else None


def _in_place(path: Path, write: Callable[[Path], None]) -> None:
    """`write` a temporary file beside `path`, which then replaces it (a rename: a reader finds the old
    file or the new); nothing is left behind when it fails, and what a process killed while writing
    left (its id in the name, no longer running) goes."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        if not _alive(stale.suffixes[-2].lstrip(".")):
            stale.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _alive(pid: str) -> bool:
    """Whether the process with this id (as a file name holds it) is running."""
    try:
        os.kill(int(pid), 0)
    except PermissionError:  # another user's: running
        return True
    except (ValueError, OSError):
        return False
    return True
