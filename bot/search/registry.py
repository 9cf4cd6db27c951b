"""What the search side keeps per position beside the tantivy index: each paper's id, listing day,
upvotes, the stamp of the version indexed (`bot/store/changes.py`), the checksum of its text as
embedded (`bot.embedding.papers.checksum`: a stored vector is that version's when they agree) and
whether it is still in the index, the prior they give, and the store watermark.

A position is a paper's row number for good (a new version keeps it), shared with the embedding
index. The arrays are saved next to the tantivy files after each commit (one `registry.npz`,
replaced atomically), so an index is opened with them, not rebuilt.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.domain.models import Paper
from bot.embedding.papers import checksum

RECENCY_HALF_LIFE_DAYS = 180.0
RECENCY_WEIGHT = 0.15
UPVOTE_WEIGHT = 0.15
# another layout on disk (or other documents: -3 indexes long names' words, -4 drops accents, -5 adds the
# titles' and keywords' word pairs, -6 folds ł and ø, makes "GPUs" "gpu", keeps keywords apart for phrases,
# -7 spells out "C++", "C#" and "F#", -8 leaves out words of 100 bytes or more)
# is built again
VERSION = "tantivy-8"
FILE = "registry.npz"
ARRAYS = ("ids", "day", "upvotes", "alive", "versions", "texts")  # one value per position, saved


def newer(layout: str | None) -> bool:
    """Whether a saved layout is a later paperboy's than this one's (`tantivy-5` against `tantivy-4`)."""
    ours, _, mine = VERSION.rpartition("-")
    theirs, _, number = (layout or "").rpartition("-")
    return theirs == ours and number.isdigit() and int(number) > int(mine)


class Registry:
    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype="S32")  # the store's arxiv_id is at most 32 characters
        self.day = np.zeros(0, dtype=np.int32)  # the last listing (or publication) day's ordinal, 0: none
        self.upvotes = np.zeros(0, dtype=np.int32)
        self.alive = np.zeros(0, dtype=bool)
        self.versions = np.zeros(0, dtype=np.int64)  # the version indexed (the store's stamp), 0: not known
        self.texts = np.zeros(0, dtype=np.uint64)  # that version's embedded text's checksum, 0: not known
        self.watermark = ""  # the store's newest change this index holds (ISO time), "": none known
        self.prior = np.zeros(0, dtype=np.float32)
        self.stamp: tuple[int, int] | None = None  # the saved file's (mtime, size) when read or written

    @property
    def size(self) -> int:
        return len(self.ids)

    def append(self, papers: Sequence[Paper], stamps: Mapping[str, int]) -> npt.NDArray[np.int64]:
        """New positions for these papers (at the end)."""
        start = self.size
        for name in ARRAYS[1:]:
            array = getattr(self, name)
            setattr(self, name, np.concatenate([array, np.zeros(len(papers), dtype=array.dtype)]))
        self.ids = np.concatenate([self.ids, np.array([p.arxiv_id.encode() for p in papers], dtype="S32")])
        positions = np.arange(start, self.size, dtype=np.int64)
        self.set(positions, papers, stamps)
        return positions

    def set(self, positions: npt.NDArray[np.int64], papers: Sequence[Paper], stamps: Mapping[str, int]) -> None:
        """These papers' versions at these positions (`stamps`: the store's, where known)."""
        self.day[positions] = [p.day.toordinal() if p.day else 0 for p in papers]
        self.upvotes[positions] = [p.upvotes for p in papers]
        self.versions[positions] = [stamps.get(p.arxiv_id, 0) for p in papers]
        self.texts[positions] = [as_sum(checksum(p)) for p in papers]  # the text as embedded
        self.alive[positions] = True

    def reprior(self) -> None:
        """Per position: 1 plus the gentle recency and upvote nudges (relative to the newest day and the
        most upvoted paper)."""
        today = int(self.day.max()) if self.size else 0
        top = float(self.upvotes.max()) if self.size else 0.0
        age = np.maximum(today - self.day, 0).astype(np.float32)
        recency = np.where(self.day > 0, 0.5 ** (age / RECENCY_HALF_LIFE_DAYS), 0.0)
        popularity = np.log1p(self.upvotes) / math.log1p(top) if top > 0 else np.zeros(self.size)
        self.prior = (1.0 + RECENCY_WEIGHT * recency + UPVOTE_WEIGHT * popularity).astype(np.float32)

    def bound(self, day: int, upvotes: int) -> float:
        """The highest prior a paper listed on `day` or before, with `upvotes` or fewer, can have."""
        today, top = (int(self.day.max()), int(self.upvotes.max())) if self.size else (0, 0)
        recency = 0.5 ** (max(today - day, 0) / RECENCY_HALF_LIFE_DAYS) if day > 0 else 0.0
        popularity = math.log1p(max(upvotes, 0)) / math.log1p(top) if top > 0 else 0.0
        return 1.0 + RECENCY_WEIGHT * recency + UPVOTE_WEIGHT * popularity

    def stage(self, folder: Path) -> Path:
        """Write the arrays to a temporary file beside the index; `publish` puts it in place (a failure
        to write them, a full disk say, so comes before the index commits what they describe). Written
        to the disk before it is renamed, so that a machine that loses power keeps the old arrays or the
        new. A file another process left, killed while writing one, goes (the caller holds the writer
        lock: no other process is writing one)."""
        for stale in folder.glob(f".{FILE}.*.tmp"):
            if stale.is_file():
                stale.unlink(missing_ok=True)
        temporary = staging(folder)
        try:
            with temporary.open("wb") as out:
                np.savez(out, meta=[VERSION, self.watermark], **{name: getattr(self, name) for name in ARRAYS})
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            unstage(folder)
            raise
        return temporary

    def publish(self, staged: Path, folder: Path) -> None:
        """The staged arrays replace the saved ones (a rename: readers see the old file or the new)."""
        path = folder / FILE
        os.replace(staged, path)
        self.stamp = _stamp(path)

    @staticmethod
    def stamp_of(folder: Path) -> tuple[int, int] | None:
        """The saved arrays' (mtime, size), None when there are none."""
        return _stamp(folder / FILE)

    @staticmethod
    def layout_of(folder: Path) -> str | None:
        """The layout the saved arrays say they are of (`VERSION`), None when none can be read."""
        try:
            with (folder / FILE).open("rb") as file, np.load(file) as saved:
                return str(saved["meta"][0])
        except Exception:  # none, damaged: no layout to speak of
            return None

    @classmethod
    def read(cls, folder: Path) -> Registry | None:
        """The saved arrays, or None when there are none, they are from another layout, or they cannot
        be read (a damaged file: the index is then built again)."""
        path = folder / FILE
        try:
            stamp = _stamp(path)
            with path.open("rb") as file, np.load(file) as saved:  # closed even when unreadable
                version, watermark = (str(v) for v in saved["meta"])
                if version != VERSION:
                    return None
                registry = cls()
                for name in ARRAYS:
                    setattr(registry, name, saved[name])
        except Exception:  # any damage (truncated, not a zip, pickled) reads as none
            return None
        if len({len(getattr(registry, name)) for name in ARRAYS}) != 1:
            return None
        registry.watermark, registry.stamp = watermark, stamp
        registry.reprior()
        return registry


def as_sum(hexadecimal: str) -> int:
    """A stored checksum as a number, 0 kept for "not known" (a checksum of 0 counts as 1); 0 for one
    that is not 16 hexadecimal digits (a damaged row: it agrees with no text)."""
    try:
        value = int(hexadecimal, 16)
    except ValueError:
        return 0
    return (value or 1) if len(hexadecimal) == 16 and 0 <= value < 2**64 else 0


def staging(folder: Path) -> Path:
    """Where this process writes the arrays before they replace `registry.npz`."""
    return folder / f".{FILE}.{os.getpid()}.tmp"


def unstage(folder: Path) -> None:
    """Remove a staged file a failed write left (a directory in its way is not ours to remove)."""
    if staging(folder).is_file():
        staging(folder).unlink()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_mtime_ns, found.st_size
