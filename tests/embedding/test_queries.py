from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from bot.embedding.model import DIMENSIONS, Vectors, shared_encoder
from bot.embedding.queries import QueryVectors


class Alone:
    """A stand-in encoder: each text's vector from its length; every call recorded."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        out[np.arange(len(texts)), [len(t) % DIMENSIONS for t in texts]] = 1.0
        return out


class Counting(Alone):
    """…that embeds texts together too (each text's vector is its own: the same bits either way)."""

    def encode_apart(self, texts: Sequence[str]) -> Vectors:
        return self.encode(texts)


def test_a_query_is_embedded_once_and_remembered() -> None:
    encoder = Counting()
    vectors = QueryVectors(encoder)
    first = vectors("speculative decoding")
    assert np.array_equal(vectors("speculative decoding"), first)
    assert encoder.calls == [["speculative decoding"]]
    vectors.clear()
    vectors("speculative decoding")
    assert len(encoder.calls) == 2


def test_a_burst_is_embedded_in_one_pass_and_only_what_is_missing() -> None:
    encoder = Counting()
    vectors = QueryVectors(encoder)
    vectors("world models")
    vectors.prepare(["world models", "video generation", "video generation", "agents"])
    assert encoder.calls[1:] == [["video generation", "agents"]]
    assert vectors.soon("agents", beside=False)()[len("agents")] == 1.0
    assert len(encoder.calls) == 2


def test_an_encoder_that_cannot_embed_apart_leaves_each_query_to_its_search() -> None:
    encoder = Alone()
    vectors = QueryVectors(encoder)
    vectors.prepare(["video generation", "agents"])
    assert encoder.calls == []
    vectors("agents")
    assert encoder.calls == [["agents"]]


def test_only_the_latest_queries_are_kept() -> None:
    encoder = Counting()
    vectors = QueryVectors(encoder)
    vectors.prepare([f"query {i}" for i in range(QueryVectors.KEPT + 1)])
    vectors(f"query {QueryVectors.KEPT}")  # the newest: still kept
    assert len(encoder.calls) == 1
    vectors("query 0")  # the oldest: gone
    assert encoder.calls[-1] == ["query 0"]


def test_a_query_begun_beside_gives_the_same_vector() -> None:
    encoder = Counting()
    vectors = QueryVectors(encoder)
    later = vectors.soon("diffusion", beside=True)
    assert np.array_equal(later(), vectors("diffusion"))
    assert encoder.calls == [["diffusion"]]


@pytest.mark.slow
def test_a_query_alone_has_the_very_bits_it_has_in_a_burst() -> None:
    """A lone query and the same query in a burst of them: one vector, to the bit (the same query
    ranks the same either way), with the real model on this host's BLAS."""
    burst = [f"{topic} {n}" for n in range(9) for topic in ("world models", "speculative decoding", "LLM agents")]
    together = QueryVectors(shared_encoder())
    together.prepare(burst)
    alone = QueryVectors(shared_encoder())
    for text in burst:
        assert np.array_equal(alone(text), together(text)), text
