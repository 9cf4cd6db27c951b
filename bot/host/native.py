"""The native libraries' own thread pools (OpenBLAS, OpenMP for faiss, rayon for tokenizers): one thread each.

`bot/__init__.py` presets the variables these libraries read when they load, so importing paperboy
is enough; `bot.host.pools` explains why one thread each, and where the parallelism comes from.
"""

from __future__ import annotations

import os

NATIVE_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "RAYON_NUM_THREADS",
)


def preset_native_threads() -> None:
    """Ask the native libraries for one thread each before they load (they read these at start).

    Variables the operator set are left alone here; `limit_native_threads` then applies the limit to
    the libraries that are loaded."""
    for name in NATIVE_VARIABLES:
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def limit_native_threads() -> None:
    """Hold every loaded native pool (BLAS, OpenMP) to one thread, for the calling thread's OpenMP too."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def native_thread_counts() -> dict[str, int]:
    """Each loaded native pool's library and its thread count (what `limit_native_threads` set)."""
    from threadpoolctl import threadpool_info

    return {f"{info['user_api']}:{info['internal_api']}": int(info["num_threads"]) for info in threadpool_info()}
