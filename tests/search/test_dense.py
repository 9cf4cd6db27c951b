"""The dense index: exact below the threshold, faiss IVF above it, one filter mask for both."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from bot.embedding.model import DIMENSIONS
from bot.search import dense
from bot.search.dense import DenseIndex
from bot.search.dense_files import SAVED, TRAINED, VECTORS


def unit(rows: int, seed: int = 0, topics: int = 40) -> np.ndarray:
    """Unit vectors around `topics` centres, clustered like paper embeddings (uniform noise has no
    neighbourhoods for an IVF index to find)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, DIMENSIONS)).astype(np.float32)
    v = centres[rng.integers(0, topics, rows)] + 0.6 * rng.standard_normal((rows, DIMENSIONS)).astype(np.float32)
    out: np.ndarray = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def exact_top(vectors: np.ndarray, query: np.ndarray, allowed: np.ndarray, k: int) -> list[int]:
    scores = np.where(allowed, vectors @ query, -np.inf)
    return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.mark.parametrize("exact_up_to", [10_000, 100])
@pytest.mark.slow
def test_top_honours_the_mask_in_both_modes(monkeypatch: pytest.MonkeyPatch, exact_up_to: int) -> None:
    monkeypatch.setattr(dense, "EXACT_UP_TO", exact_up_to)
    monkeypatch.setattr(dense, "EXACT_SUBSET", 50)
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 1000)
    vectors = unit(3000)
    index = DenseIndex(np.arange(3000), vectors, 3000)
    assert (index._ivf is not None) == (exact_up_to < 3000)  # the mode under test
    queries = vectors[:20] + 0.05 * unit(20, seed=1, topics=20)
    for allowed in (np.ones(3000, bool), np.arange(3000) % 3 == 0, np.isin(np.arange(3000), [5, 17, 2999])):
        overlap = []
        for q in queries:
            q = q / np.linalg.norm(q)
            found, cosines = index.top(q, allowed, 10)
            assert allowed[found].all()
            assert list(cosines) == sorted(cosines, reverse=True)
            want = exact_top(vectors, q, allowed, min(10, int(allowed.sum())))
            overlap.append(len(set(found.tolist()) & set(want)) / len(want))
        assert np.mean(overlap) >= (1.0 if exact_up_to > 3000 or allowed.sum() <= 50 else 0.9)


@pytest.mark.parametrize("exact_up_to", [10_000, 100])
def test_put_replaces_and_grows(monkeypatch: pytest.MonkeyPatch, exact_up_to: int) -> None:
    monkeypatch.setattr(dense, "EXACT_UP_TO", exact_up_to)
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 300)
    vectors = unit(500)
    index = DenseIndex(np.arange(400), vectors[:400], 450)  # 50 positions without a vector yet
    everything = np.ones(600, dtype=bool)
    assert not index.mask[420] and len(index) == 400
    index.put(np.array([7]), vectors[450:451])  # paper 7's text changed
    assert index.top(vectors[450], everything, 1)[0].tolist() == [7]
    index.grow(600)
    index.put(np.array([599]), vectors[499:500])
    assert index.top(vectors[499], everything, 1)[0].tolist() == [599]
    assert index.mask[599] and len(index) == 401


def test_a_large_index_without_vectors_yet_trains_once_it_has_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dense, "EXACT_UP_TO", 100)
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 600)
    vectors = unit(1000)
    index = DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 1000)  # a big store, nothing embedded yet
    everything = np.ones(1000, dtype=bool)
    assert len(index) == 0 and index.top(vectors[0], everything, 5)[0].size == 0
    index.put(np.arange(300), vectors[:300])  # embedded in batches, as the backfill does
    assert index.top(vectors[7], everything, 1)[0].tolist() == [7]  # scanned while untrained
    index.put(np.arange(300, 1000), vectors[300:])
    assert len(index) == 1000
    assert index.top(vectors[900], everything, 1)[0].tolist() == [900]  # now from the trained IVF index


def test_the_ivf_training_is_kept_and_taken_by_the_next_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Training the IVF index was most of an opened index's fill (29 s at 100k papers, at every start):
    it is kept beside the index, and the next process, or another one on the same folder, takes it
    and answers with the very same lists."""
    monkeypatch.setattr(dense, "EXACT_UP_TO", 100)
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 1000)
    trained = tmp_path / TRAINED
    vectors = unit(3000)
    first = DenseIndex(np.arange(3000), vectors, 3000, trained=trained)
    assert first._ivf is not None and trained.is_file()
    trainings: list[int] = []
    real = dense._ivf

    def counted(sample: np.ndarray, rows: int, kept: Path | None = None) -> object:
        trainings.append(rows)
        return real(sample, rows, kept)

    monkeypatch.setattr(dense, "_ivf", counted)
    second = DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000, trained=trained)
    assert second._ivf is not None and len(second) == 0  # the training taken at once, before any vector
    second.put(np.arange(3000), vectors)
    assert trainings == []
    everything = np.ones(3000, dtype=bool)
    for q in vectors[:50]:
        assert [a.tolist() for a in first.top(q, everything, 10)] == [a.tolist() for a in second.top(q, everything, 10)]

    bigger = DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000 * 16, trained=trained)  # 4x the lists
    assert bigger._ivf is None  # outgrown: trained again once it has enough vectors

    trained.write_bytes(b"not a faiss index")
    with caplog.at_level("WARNING"):
        damaged = DenseIndex(np.arange(3000), vectors, 3000, trained=trained)
    assert damaged._ivf is not None and "cannot be read; training it again" in caplog.text
    assert DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000, trained=trained)._ivf is not None  # kept anew


def test_saved_vectors_are_opened_as_they_were_and_a_damaged_save_is_read_as_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(dense, "EXACT_UP_TO", 100)
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 1000)
    saved = tmp_path / SAVED
    vectors = unit(3000)
    texts = np.arange(1, 3001, dtype=np.uint64)
    first = DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000)
    assert not first.save(saved)  # nothing trained yet: nothing worth saving
    first.put(np.arange(3000), vectors, texts)
    first.drop(np.array([5, 6, 5]))
    left, writing = tmp_path / f".{saved.name}.999999999.tmp", tmp_path / f".{saved.name}.{os.getppid()}.tmp"
    left.write_bytes(b"a process killed while saving")
    writing.write_bytes(b"another process saving now")
    assert first.save(saved) and len(list(tmp_path.glob(f"{VECTORS}*"))) == 1
    assert not left.exists() and writing.exists()
    assert first.save(saved) and len(list(tmp_path.glob(f"{VECTORS}*"))) == 1  # the older file goes

    opened = DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000, saved=saved)
    assert len(opened) == 2998 and not opened.mask[5] and opened.mask[7]
    assert opened.texts(np.array([4, 5, 2999])).tolist() == [5, 0, 3000]
    everything = np.ones(3000, dtype=bool)
    for q in vectors[:50]:
        assert [a.tolist() for a in first.top(q, everything, 10)] == [a.tolist() for a in opened.top(q, everything, 10)]

    assert DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000 * 16, saved=saved)._ivf is None  # outgrown
    next(tmp_path.glob(f"{VECTORS}*")).write_bytes(b"cut short")
    with caplog.at_level("WARNING"):
        damaged = DenseIndex(np.zeros(0, dtype=np.int64), vectors[:0], 3000, saved=saved)
    assert len(damaged) == 0 and "cannot be read; reading them from the store" in caplog.text
