"""The process heap around an index build: what a build leaves behind is handed back, and what it
made is kept out of the garbage collector's way."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None
    return trim


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Give freed heap pages back to the system. glibc keeps them for reuse, and the temporaries of
    a large build (tens of MB per segment) left hundreds of MB of them resident at a million papers."""
    if _TRIM is not None:
        _TRIM(0)


def settle_heap() -> None:
    """Move what is alive now (the new index's millions of objects) out of the garbage collector's
    sight: they live as long as the index, and its full passes over them paused searches for
    20-40 ms at 100k papers. What an earlier call froze is thawed and collected first, so a replaced
    index is never kept (it is freed by reference counting anyway: it holds no cycles)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_memory()
