"""The NumPy MiniLM encoder against vectors sentence-transformers made from the same weights."""

from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest

from bot.embedding.model import (
    DIMENSIONS,
    MODEL_NAME,
    TILES,
    ModelMissing,
    _gelu,
    _layer_norm,
    model_dir,
    shared_encoder,
)
from tests.fakes.papers_api import FIXTURES


@pytest.mark.slow
def test_matches_sentence_transformers() -> None:
    reference = json.loads((FIXTURES / "minilm_reference.json").read_text())
    assert reference["model"] == MODEL_NAME
    vectors = shared_encoder().encode(reference["texts"])
    expected = np.array(reference["vectors"], dtype=np.float32)
    assert vectors.shape == (len(reference["texts"]), DIMENSIONS)
    cosines = (vectors * expected).sum(axis=1)
    assert cosines.min() > 0.9999, cosines  # emoji, markup and a text past 256 tokens among them
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_texts_embedded_apart_get_the_bits_they_get_alone_on_any_host() -> None:
    """Texts encoded together are their own rows (no padding): a text's vector in a batch is its vector
    alone, up to the last bits. `encode_apart`, which queries go through, gives each text the very
    bits it gets alone, whatever the host's BLAS kernel: in one pass with each text in whole tiles of
    the rows the kernel computes alike (`tile`: OpenBLAS's Haswell kernel computes the rows of a
    12-row tile in two ways), and text by text where no tile does."""
    encoder = shared_encoder()
    texts = ["speculative decoding", "a much longer sentence about mixture of experts routing " * 5, "", "🚀"]
    together = encoder.encode(texts)
    assert np.abs(together - np.vstack([encoder.encode([t]) for t in texts])).max() < 1e-5
    alone = np.vstack([encoder.encode_apart([t]) for t in texts])
    assert np.abs(alone - together).max() < 1e-5  # the padding rows take nothing from a text's rows
    assert encoder.tile() in TILES
    assert np.array_equal(encoder.encode_apart(texts), alone)
    assert np.array_equal(encoder.encode_apart(texts[::-1]), alone[::-1])
    found = encoder._tile
    for tile in (encoder.tile(), None):  # the tile this host's kernel agrees at, and text by text
        encoder._tile = (tile,)
        try:
            each = np.vstack([encoder.encode_apart([t]) for t in texts])
            assert np.array_equal(encoder.encode_apart(texts), each)
            assert np.abs(each - together).max() < 1e-5
        finally:
            encoder._tile = found
    assert encoder.encode([]).shape == encoder.encode_apart([]).shape == (0, DIMENSIONS)


def test_the_in_place_steps_give_the_plain_formulas_bits() -> None:
    """Layer norm and GELU work in their argument's array (no megabyte temporaries): the vectors
    stored before must still match the ones made now, so each gives what the plain formula gives,
    to the bit."""
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((300, 384)) * 3).astype(np.float32)
    weight, bias = rng.standard_normal(384).astype(np.float32), rng.standard_normal(384).astype(np.float32)
    centred = x - x.mean(axis=-1, keepdims=True)
    plain = centred / np.sqrt((centred * centred).mean(axis=-1, keepdims=True) + 1e-12) * weight + bias
    assert np.array_equal(_layer_norm(x.copy(), weight, bias, 1e-12), plain)
    inner = np.float32(math.sqrt(2 / math.pi)) * (x + np.float32(0.044715) * x * x * x)
    plain = np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))
    assert np.array_equal(_gelu(x.copy()), plain)


@pytest.mark.slow
def test_meaning_is_closer_than_words() -> None:
    a, b, c = shared_encoder().encode(
        [
            "making llm inference faster with a draft model",
            "speculative decoding for large language models",
            "3D Gaussian splatting",
        ]
    )
    assert a @ b > a @ c + 0.2


def test_missing_model_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name.startswith("gt_") else real(name, *a)
    )
    with pytest.raises(ModelMissing, match="model-requirements.txt"):
        model_dir()
