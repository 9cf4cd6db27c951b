"""The NumPy MiniLM encoder against vectors sentence-transformers made from the same weights."""

from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from bot.embedding.model import (
    DIMENSIONS,
    MODEL_NAME,
    TILES,
    Encoder,
    ModelMissing,
    Spans,
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


def test_short_texts_share_a_tile_one_at_its_start_and_one_at_its_end() -> None:
    """A query of five tokens on a host whose kernel computes 12-row tiles took a tile of its own: two
    of them share one, each always on its own side (`right_side`), the long ones filling whole tiles."""
    spans = Spans([5, 7, 30, 2, 12], 12, [False, True, False, True, False])
    assert len(spans.real) == 72  # 36 + 12 for the long ones, one tile for 5 and 2, one for 7 alone
    assert spans.order.tolist() == [2, 4, 0, 3, 1]
    assert spans.rows.tolist() == [[0, 30], [36, 48], [48, 53], [58, 60], [65, 72]]
    assert int(spans.real.sum()) == 56 and spans.padded
    together = Spans([3, 4, 9], 1)  # a kernel that computes every row alike: end to end, no padding
    assert together.rows.tolist() == [[0, 3], [3, 7], [7, 16]] and not together.padded


@pytest.mark.slow
def test_a_burst_of_short_queries_gets_the_bits_each_gets_alone() -> None:
    """Whatever a query shares its tile with, and on whichever side, its vector is the one it gets alone."""
    encoder = shared_encoder()
    words = [
        "diffusion",
        "speculative",
        "decoding",
        "video",
        "agents",
        "protein",
        "of",
        "the",
        "RAG",
        "LLM",
        "🚀",
        "mixture",
        "experts",
    ]
    rng = random.Random(3)
    texts = list(dict.fromkeys(" ".join(rng.choices(words, k=rng.randint(0, 14))) for _ in range(150)))
    alone = np.vstack([encoder.encode_apart([t]) for t in texts])
    for _ in range(4):
        picked = rng.sample(range(len(texts)), rng.randint(2, len(texts)))
        assert np.array_equal(encoder.encode_apart([texts[i] for i in picked]), alone[picked])
    assert np.abs(encoder.encode(texts) - alone).max() < 1e-5


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


@pytest.mark.slow
def test_the_model_file_replaced_or_cut_under_a_running_encoder(tmp_path: Path) -> None:
    """The token embeddings are read from the model's file as queries need them: a reinstall that rewrote
    the file with a longer header gave vectors at a cosine of 0.05 from the right ones, silently, and a
    file cut short a NumPy error. The file as opened at start is read; a short read says what to do."""
    import shutil

    from safetensors.numpy import load_file, save_file

    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    encoder = Encoder(folder)
    before = encoder.encode(["diffusion models"])
    new = tmp_path / "new.safetensors"
    save_file(load_file(str(folder / "model.safetensors")), str(new), metadata={"format": "pt", "note": "x" * 100})
    new.replace(folder / "model.safetensors")  # atomically, as an installer does
    assert np.array_equal(encoder.encode(["diffusion models"]), before)
    cut = Encoder(folder)
    with (folder / "model.safetensors").open("r+b") as file:
        file.truncate(100_000)
    with pytest.raises(ModelMissing, match=r"ends before its token \d+: reinstall the model .* and restart paperboy"):
        cut.encode(["diffusion models"])
