"""The event loop every command runs on: uvloop's where it is installed, else asyncio's own.

uvloop (libuv under asyncio's interface) does a loop's I/O in C. A burst of 200 signed `/papers`
at once to Slack's HTTP mode, on a host with every core busy: acknowledged within 37-41 ms for half
of them and 82-112 ms for the slowest, against 88-95 and 117-119 ms on asyncio's loop
(`python -m bench.load --bursts 200`, docs/benchmarks.md). It is not built for Windows, where the
standard loop runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop maker, or None (asyncio's default) where uvloop is not installed."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)` on the loop `loop_factory` gives."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
