"""Queries' embeddings: each query text's vector, made once and remembered a while, made beside the
search that needs it or together with the other queries of a burst."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

from bot.embedding.model import ApartEncoder, TextEncoder, Vectors
from bot.host.pools import aside


class QueryVectors:
    """Query text → embedding, the last `KEPT` remembered; thread-safe (holds no index alive).
    `prepare` encodes those it lacks together (a burst's queries), each with the bits it gets alone
    (`ApartEncoder.encode_apart`); an encoder that cannot leaves each to its search."""

    KEPT = 512

    def __init__(self, encoder: TextEncoder) -> None:
        self._encoder = encoder
        # a lone query's bits are the ones it gets in a burst, where the encoder can embed apart
        self._encode_one = encoder.encode_apart if isinstance(encoder, ApartEncoder) else encoder.encode
        self._kept: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Vectors:
        found = self._get(text)
        if found is None:
            found = self._encode_one([text])[0]
            self._put({text: found})
        return found

    def soon(self, text: str, *, beside: bool) -> Callable[[], Vectors]:
        """The text's embedding when called: one at hand, or (`beside`) one begun now beside the
        caller's work (`bot.host.pools.Aside`), so a lone search's keyword query and embedding run at
        once; else it is made when called."""
        found = self._get(text)
        if found is not None:
            return lambda: found
        return aside().start(lambda: self(text)) if beside else lambda: self(text)

    def prepare(self, texts: Sequence[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if self._get(t) is None]
        if missing and isinstance(self._encoder, ApartEncoder):
            self._put(dict(zip(missing, self._encoder.encode_apart(missing), strict=True)))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def _get(self, text: str) -> Vectors | None:
        with self._lock:
            found = self._kept.get(text)
            if found is not None:
                self._kept.move_to_end(text)
            return found

    def _put(self, found: Mapping[str, Vectors]) -> None:
        with self._lock:
            self._kept.update(found)
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)
