"""Postings in segments: each segment covers a run of at most `SEGMENT_DOCS` consecutive positions.

A segment keeps, for every term the vocabulary knew when it was written, the documents holding it
(as 16-bit offsets from the segment's first position) and the term's saturated BM25F weight there
(quantised to a byte): 3 bytes a posting, where flat int32 + float32 arrays took 8. Segments are
written one after another as papers stream in, so a build never holds more than one segment's raw
term lists, and papers added later get segments of their own (the built ones are never touched).

Besides the words of the text fields, a segment holds exact terms, in a vocabulary of their own and
without weights (2 bytes a posting): `AUTHOR` + a word or a pair of words of one author's name (for
`author:`), and `KEYWORD` + a Hugging Face keyword (for expansion).
No query word can spell them: query terms are made of word characters only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from bot.domain.models import Paper
from bot.search.text import term_counts, words
from bot.search.vocabulary import Vocabulary

K1 = 1.2
FIELDS: dict[str, tuple[float, float]] = {  # field: (weight, length normalisation b)
    "title": (3.0, 0.5),
    "keywords": (2.0, 0.3),
    "ai_summary": (1.5, 0.6),
    "abstract": (1.0, 0.75),
    "authors": (1.5, 0.0),
}
AUTHOR = "\x01"
KEYWORD = "\x02"
NAME_WORDS = 6  # words of an author's name paired at most (15 pairs)
SEGMENT_DOCS = 32_768  # positions per segment (at most 65,536: offsets are 16-bit)
_CHUNK = 1 << 20  # keys read at a time when a segment's term table is made
LEVELS = 255  # a weight in (0, 1) is kept as round(weight * LEVELS), at least 1
LEVEL_WEIGHTS = (np.arange(LEVELS + 1) / LEVELS).astype(np.float32)  # a kept level → its weight

_Entries = tuple[  # per (paper, field, term): term, local doc, field, count
    npt.NDArray[np.int32], npt.NDArray[np.uint16], npt.NDArray[np.int8], npt.NDArray[np.float32]
]
_Weighed = tuple[npt.NDArray[np.int32], npt.NDArray[np.uint16], npt.NDArray[np.uint8]]  # term, local doc, level
Postings = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]  # positions (ascending), weights


def author_terms(names: Sequence[str]) -> set[str]:
    """The exact terms of an author's name words: each word, and each pair of them (so that
    author:"yu yang" finds one author with both words, not a Yu and a Yang on the same paper)."""
    distinct = sorted(set(names))[:NAME_WORDS]
    return {AUTHOR + w for w in distinct} | {AUTHOR + a + " " + b for a, b in combinations(distinct, 2)}


def keyword_key(keyword: str) -> str:
    """How a Hugging Face keyword is compared: lower case, words only ("Mixture-of-Experts" → "mixture of experts")."""
    return " ".join(words(keyword))


def field_text(paper: Paper, field: str) -> str:
    if field == "keywords":
        return " ".join(paper.ai_keywords)
    if field == "authors":
        return " ".join(paper.authors)
    if field == "ai_summary":
        return paper.ai_summary or ""
    return str(getattr(paper, field))


@dataclass(frozen=True)
class Table:
    """The terms a segment holds (ascending vocabulary ids) and where each one's postings are: the
    i-th term's are [offsets[i], offsets[i + 1]). Only the terms present are listed, so a segment
    costs 8 bytes per term it holds, not per term of the whole vocabulary (which, with every author
    name of a large index, is millions)."""

    ids: npt.NDArray[np.int32]
    offsets: npt.NDArray[np.uint32]

    @staticmethod
    def of(keys: npt.NDArray[np.int64], shift: int) -> Table:
        """The table of postings packed as sorted keys, each key's term in its bits above `shift`.
        Read a million keys at a time, so the build's peak holds no second array as large as `keys`."""
        ids: list[npt.NDArray[np.int32]] = []
        starts: list[npt.NDArray[np.uint32]] = []
        previous = -1
        for first in range(0, keys.size, _CHUNK):
            terms = keys[first : first + _CHUNK] >> shift
            new = np.flatnonzero(np.concatenate([[terms[0] != previous], terms[1:] != terms[:-1]]))
            ids.append(terms[new].astype(np.int32))
            starts.append((new + first).astype(np.uint32))
            previous = int(terms[-1])
        return Table(
            np.concatenate(ids) if ids else np.zeros(0, np.int32),
            np.concatenate([*starts, np.array([keys.size], np.uint32)]),
        )

    def span(self, term: int) -> slice | None:
        if not 0 <= term < 2**31:
            return None
        i = int(self.ids.searchsorted(np.int32(term)))  # an int32 key: an int64 one would copy `ids` to compare
        if i == self.ids.size or int(self.ids[i]) != term:
            return None
        return slice(int(self.offsets[i]), int(self.offsets[i + 1]))

    def counts(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """The terms held and how many papers hold each."""
        return self.ids, self.offsets[1:].astype(np.int64) - self.offsets[:-1]


@dataclass(frozen=True)
class Segment:
    """Postings of the segment's papers: `terms` locates each term's in `docs` and `weights`,
    `exact_terms` each exact term's in `exact_docs`."""

    base: int  # the position of local document 0
    count: int  # positions covered
    terms: Table
    docs: npt.NDArray[np.uint16]
    weights: npt.NDArray[np.uint8]
    exact_terms: Table
    exact_docs: npt.NDArray[np.uint16]

    def get(self, term: int) -> Postings | None:
        found = self.terms.span(term)
        if found is None:
            return None
        docs = self.docs[found].astype(np.int64)
        docs += self.base
        return docs, LEVEL_WEIGHTS[self.weights[found]]

    def local(self, term: int) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint8]] | None:
        """Term `term`'s postings as stored: offsets from `base`, and weight levels (see `LEVEL_WEIGHTS`)."""
        found = self.terms.span(term)
        return None if found is None else (self.docs[found], self.weights[found])

    def holding(self, exact: int) -> npt.NDArray[np.int64] | None:
        found = self.exact_terms.span(exact)
        if found is None:
            return None
        docs = self.exact_docs[found].astype(np.int64)
        docs += self.base
        return docs


class SegmentWriter:
    """Collects the postings of up to `SEGMENT_DOCS` papers, then writes them as one segment.

    Once the field-length averages are known (every segment but an index's first), each batch of
    papers is weighed as it comes: a few bytes per (term, paper) are kept, never a float per field
    entry of the whole segment, so writing the last segment of a large index costs little memory
    beside it. The first segment keeps its raw counts until its own averages are known."""

    def __init__(self, base: int, average: npt.NDArray[np.float32] | None = None) -> None:
        self.base = base
        self.count = 0
        self._average = average
        self._raw: list[tuple[_Entries, npt.NDArray[np.float32], int]] = []  # entries, lengths, first doc
        self._weighed: list[_Weighed] = []
        self._exact: list[tuple[npt.NDArray[np.int32], npt.NDArray[np.uint16]]] = []

    @property
    def full(self) -> bool:
        return self.count >= SEGMENT_DOCS

    def add(self, papers: Sequence[Paper], vocabulary: Vocabulary, exact: Vocabulary) -> None:
        """Tokenise these papers (the next positions); new terms join `vocabulary` (and `exact`)."""
        fields = list(FIELDS)
        lengths = np.zeros((len(papers), len(fields)), dtype=np.float32)
        terms: list[str] = []
        docs: list[int] = []
        field_ids: list[int] = []
        counts: list[int] = []
        names: list[str] = []
        exact_docs: list[int] = []
        for i, paper in enumerate(papers):
            local = self.count + i
            for f, field in enumerate(fields):
                counted = term_counts(field_text(paper, field))
                if not counted:
                    continue
                lengths[i, f] = sum(counted.values())
                terms.extend(counted)
                counts.extend(counted.values())
                docs.extend([local] * len(counted))
                field_ids.extend([f] * len(counted))
            held = {t for author in paper.authors for t in author_terms(words(author))}
            held |= {KEYWORD + keyword_key(k) for k in paper.ai_keywords}
            held.discard(KEYWORD)
            names.extend(held)
            exact_docs.extend([local] * len(held))
        self._exact.append((exact.add(names), np.array(exact_docs, dtype=np.uint16)))
        term_ids = vocabulary.add(terms)
        entries = (
            term_ids,
            np.array(docs, dtype=np.uint16),
            np.array(field_ids, dtype=np.int8),
            np.array(counts, dtype=np.float32),
        )
        if self._average is not None:
            self._weighed.append(_weigh(entries, lengths, self.count, self._average))
        else:
            self._raw.append((entries, lengths, self.count))
        self.count += len(papers)

    def averages(self) -> npt.NDArray[np.float32]:
        """The mean length of each field over the papers collected (at least 1)."""
        lengths = np.concatenate([r[1] for r in self._raw]) if self._raw else np.zeros((0, len(FIELDS)), np.float32)
        means: npt.NDArray[np.float32] = np.maximum(lengths.sum(axis=0) / max(lengths.shape[0], 1), 1.0)
        return means.astype(np.float32)

    def finish(self, average: npt.NDArray[np.float32]) -> Segment:
        """The segment, with field lengths normalised by `average`.

        Each posting is packed into one int64 (term, paper, weight) and the array sorted in place:
        8 bytes a posting for the sort, where an argsort and its gathers took three times that."""
        self._weighed += [_weigh(entries, lengths, first, average) for entries, lengths, first in self._raw]
        self._raw = []
        packed = np.concatenate(
            [(t.astype(np.int64) << 32) | (d.astype(np.int64) << 16) | w for t, d, w in self._weighed]
            or [np.zeros(0, np.int64)]
        )
        self._weighed = []
        packed.sort()
        terms = Table.of(packed, 32)
        docs = ((packed >> 16) & 0xFFFF).astype(np.uint16)
        packed &= 0xFF
        weights = packed.astype(np.uint8)
        del packed
        exact = np.concatenate([(t.astype(np.int64) << 16) | d for t, d in self._exact] or [np.zeros(0, np.int64)])
        self._exact = []
        exact.sort()
        return Segment(
            self.base, self.count, terms, docs, weights, Table.of(exact, 16), (exact & 0xFFFF).astype(np.uint16)
        )


def _weigh(
    entries: _Entries, lengths: npt.NDArray[np.float32], first: int, average: npt.NDArray[np.float32]
) -> _Weighed:
    """One batch's entries (per paper, field and term) as postings (per paper and term), paper by
    paper: the field frequencies length-normalised, weighted and summed, then saturated once (BM25F)."""
    term, doc, field, tf = entries
    weight = np.array([w for w, _ in FIELDS.values()], dtype=np.float32)
    b = np.array([b for _, b in FIELDS.values()], dtype=np.float32)
    own = lengths[doc.astype(np.intp) - first, field]
    tf = (tf * weight[field] / (1.0 - b[field] + b[field] * own / average[field])).astype(np.float32, copy=False)
    # stable: a paper's entries for one term add up in field order
    order = np.argsort((doc.astype(np.int64) << 32) | term, kind="stable")
    term, doc, tf = term[order], doc[order], tf[order]
    changes = (term[1:] != term[:-1]) | (doc[1:] != doc[:-1])
    starts = np.flatnonzero(np.concatenate([[True], changes])) if term.size else np.zeros(0, np.intp)
    combined = np.add.reduceat(tf, starts) if tf.size else np.zeros(0, np.float32)
    saturated = np.clip(np.rint(combined / (K1 + combined) * LEVELS), 1, LEVELS).astype(np.uint8)
    return term[starts], doc[starts], saturated
