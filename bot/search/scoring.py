"""A query's BM25F scores in one segment, computed over the segment's positions.

Each posting is stored as a 16-bit offset and a weight level (`bot/search/postings.py`); a query
term becomes a table of its score at each level (idf × weight), so a term's contribution to every
paper of a segment is one table lookup and one `bincount` over its postings: no positions widened
to 64 bits, no arrays over the whole index (a common word's 30,000 postings in a segment: ~50 µs).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from bot.search.postings import Segment

Term = tuple[int, npt.NDArray[np.float32]]  # a vocabulary id, and the term's score at each weight level
Plan = Sequence[Sequence[Sequence[Term]]]  # per query group, its alternatives, each all of its terms
Sums = npt.NDArray[np.float64]
Counts = npt.NDArray[np.int64]


def segment_scores(segment: Segment, plan: Plan, required: Sequence[int]) -> tuple[Sums, Counts] | None:
    """Per position of the segment: the sum over the query's groups of each group's best alternative
    (an alternative counts where all its terms are), and how many groups matched there; zero
    groups where one of the `required` terms (a quoted phrase's words) is missing. None when no
    paper of the segment can match."""
    size = segment.count
    needed = [segment.local(term) for term in required]
    if any(n is None for n in needed):  # no paper here holds every word of the phrase
        return None
    docs: list[npt.NDArray[np.uint16]] = []
    values: list[npt.NDArray[np.float32]] = []
    combined: list[Sums] = []  # groups with alternatives: a score per position each
    for alternatives in plan:
        if len(alternatives) == 1 and len(alternatives[0]) == 1:  # most groups: one word
            term, score = alternatives[0][0]
            found = segment.local(term)
            if found is not None:
                docs.append(found[0])
                values.append(score[found[1]])
            continue
        best: Sums | None = None
        for alternative in alternatives:
            scored = _alternative(segment, alternative)
            if scored is not None:
                best = scored if best is None else np.maximum(best, scored)
        if best is not None:
            combined.append(best)
    if not (docs or combined):
        return None
    at = np.concatenate(docs) if docs else np.zeros(0, np.uint16)
    sums: Sums = np.asarray(np.bincount(at, np.concatenate(values) if values else None, minlength=size), np.float64)
    held: Counts = np.bincount(at, minlength=size)
    for best in combined:
        sums += best
        held += best > 0
    if needed:
        present = np.bincount(np.concatenate([n[0] for n in needed if n is not None]), minlength=size)
        held[present < len(needed)] = 0
    return sums, held


def _alternative(segment: Segment, terms: Sequence[Term]) -> Sums | None:
    """The alternative's score at each position of the segment: zero where a term is missing."""
    found = [segment.local(term) for term, _ in terms]
    if any(f is None for f in found):
        return None
    postings = [f for f in found if f is not None]
    at = np.concatenate([docs for docs, _ in postings])
    values = [score[levels] for (_, score), (_, levels) in zip(terms, postings, strict=True)]
    scores: Sums = np.asarray(np.bincount(at, np.concatenate(values), minlength=segment.count), dtype=np.float64)
    if len(postings) > 1:
        scores[np.bincount(at, minlength=segment.count) < len(postings)] = 0.0
    return scores
