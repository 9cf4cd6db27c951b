"""Where the search index keeps its papers, by position: the hits it returns and the text it checks
quoted phrases and `author:` names against.

A small index keeps the `Paper` objects in memory. A large one (`ON_DISK_ABOVE` papers expected)
writes them to an unlinked temporary file, one record each, and keeps only their offsets (8 bytes a
paper): a million papers are about 5 GB as Python objects, and a search reads a few dozen of them.
Reads go through the page cache with `pread`, so they cost no memory of the process's own. Each
record leads with what the checks need (the folded text, the authors, the keywords), so a check
never parses the paper's JSON.
"""

from __future__ import annotations

import logging
import os
import tempfile
import unicodedata
import weakref
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.domain.models import Paper

ON_DISK_ABOVE = 50_000
log = logging.getLogger(__name__)
_FIELD, _ITEM, _BODY = "\x1e", "\x1f", "\x00"


def phrase_text(paper: Paper) -> str:
    """The text fields folded (NFKC, case-folded) as one string, joined by " Z ": a word character
    no folded phrase holds, so a phrase never spans two fields."""
    joined = "\x00".join((paper.title, paper.ai_summary or "", paper.abstract, " ".join(paper.ai_keywords)))
    # ASCII text is its own NFKC form and casefolds as it lowercases: skip the Unicode work (most papers)
    folded = joined.lower() if joined.isascii() else unicodedata.normalize("NFKC", joined).casefold()
    return folded.replace("\x00", " Z ")


class Shelf(Protocol):
    def __len__(self) -> int: ...
    def append(self, papers: Sequence[Paper]) -> None: ...
    def paper(self, position: int) -> Paper: ...
    def phrase_text(self, position: int) -> str: ...
    def phrase_texts(self, positions: Sequence[int]) -> list[str]: ...
    def authors(self, position: int) -> tuple[str, ...]: ...
    def keywords(self, position: int) -> tuple[str, ...]: ...


def shelf_for(expected: int) -> Shelf:
    if expected <= ON_DISK_ABOVE:
        return MemoryShelf()
    try:
        return FileShelf()
    except OSError as error:  # no writable temporary folder: slower to start, heavier, but working
        log.warning("cannot write the search index's paper file (%s); keeping %d papers in memory", error, expected)
        return MemoryShelf()


class MemoryShelf:
    def __init__(self) -> None:
        self._papers: list[Paper] = []

    def __len__(self) -> int:
        return len(self._papers)

    def append(self, papers: Sequence[Paper]) -> None:
        self._papers.extend(papers)

    def paper(self, position: int) -> Paper:
        return self._papers[position]

    def phrase_text(self, position: int) -> str:
        return phrase_text(self._papers[position])

    def phrase_texts(self, positions: Sequence[int]) -> list[str]:
        return [phrase_text(self._papers[p]) for p in positions]

    def authors(self, position: int) -> tuple[str, ...]:
        return self._papers[position].authors

    def keywords(self, position: int) -> tuple[str, ...]:
        return self._papers[position].ai_keywords


def _grown(array: npt.NDArray[Any], needed: int) -> npt.NDArray[Any]:
    grown = np.zeros(max(needed, 2 * array.size), dtype=array.dtype)
    grown[: array.size] = array
    return grown


def _clean(text: str) -> str:
    return text.replace(_FIELD, " ").replace(_ITEM, " ").replace(_BODY, " ")


class FileShelf:
    """Records `folded text ␞ authors ␞ keywords ␀ paper JSON` in an unlinked temporary file."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="paperboy-index-")  # noqa: SIM115 - lives as long as the index
        weakref.finalize(self, self._file.close)  # closed (and its space freed) with the index
        self._ends: npt.NDArray[np.int64] = np.zeros(1024, dtype=np.int64)  # where each record ends
        self._heads: npt.NDArray[np.uint32] = np.zeros(1024, dtype=np.uint32)  # the length of its lead
        self._texts: npt.NDArray[np.uint32] = np.zeros(1024, dtype=np.uint32)  # … and of the lead's text
        self._count = 0
        self._size = 0

    def __len__(self) -> int:
        return self._count

    def append(self, papers: Sequence[Paper]) -> None:
        texts = [_clean(phrase_text(p)).encode() for p in papers]
        heads = [
            text
            + _FIELD.join(
                ("", _ITEM.join(_clean(a) for a in p.authors), _ITEM.join(_clean(k) for k in p.ai_keywords))
            ).encode()
            for text, p in zip(texts, papers, strict=True)
        ]
        records = [head + b"\x00" + p.model_dump_json().encode() for head, p in zip(heads, papers, strict=True)]
        if not records:
            return
        ends = self._size + np.cumsum([len(r) for r in records], dtype=np.int64)
        os.pwrite(self._file.fileno(), b"".join(records), self._size)
        needed = self._count + len(records)
        if needed > self._ends.size:
            self._ends = _grown(self._ends, needed)
            self._heads = _grown(self._heads, needed)
            self._texts = _grown(self._texts, needed)
        self._ends[self._count : needed] = ends
        self._heads[self._count : needed] = [len(h) for h in heads]
        self._texts[self._count : needed] = [len(t) for t in texts]
        self._count, self._size = needed, int(ends[-1])

    def _start(self, position: int) -> int:
        if not 0 <= position < self._count:
            raise IndexError(position)
        return int(self._ends[position - 1]) if position else 0

    def _head(self, position: int) -> list[str]:
        """The lead of the record only: the checks never read the JSON."""
        return os.pread(self._file.fileno(), int(self._heads[position]), self._start(position)).decode().split(_FIELD)

    def paper(self, position: int) -> Paper:
        start = self._start(position) + int(self._heads[position]) + 1
        return Paper.model_validate_json(os.pread(self._file.fileno(), int(self._ends[position]) - start, start))

    def phrase_text(self, position: int) -> str:
        return self._head(position)[0]

    def phrase_texts(self, positions: Sequence[int]) -> list[str]:
        """The folded texts of these papers, reading nothing else."""
        at = np.asarray(positions, dtype=np.int64)
        if at.size and (at.min() < 0 or at.max() >= self._count):
            raise IndexError(positions)
        starts = np.where(at > 0, self._ends[np.maximum(at - 1, 0)], 0).tolist()  # whole arrays, not a call each
        fd = self._file.fileno()
        spans = list(zip(self._texts[at].tolist(), starts, strict=True))
        if len(spans) > 1:
            _advise(fd, spans)
        return [os.pread(fd, n, s).decode() for n, s in spans]

    def authors(self, position: int) -> tuple[str, ...]:
        found = self._head(position)[1]
        return tuple(found.split(_ITEM)) if found else ()

    def keywords(self, position: int) -> tuple[str, ...]:
        found = self._head(position)[2]
        return tuple(found.split(_ITEM)) if found else ()


def _advise(fd: int, spans: Sequence[tuple[int, int]]) -> None:
    """Ask the kernel for all these (length, offset) spans before any is read: those the page cache
    no longer holds then come from the disk side by side, not one wait after another (5,000 cold
    records: 67 ms, not 300). Only advice: where it is not supported, the reads just wait."""
    if not hasattr(os, "posix_fadvise"):
        return
    try:
        for n, s in spans:
            os.posix_fadvise(fd, s, n, os.POSIX_FADV_WILLNEED)
    except OSError:
        return
