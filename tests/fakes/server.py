"""Starting a fake on 127.0.0.1 with aiohttp, on a free port."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web


async def start_server(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)  # a burst of 200 requests is not dropped
    await site.start()
    port: int = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, port


async def stop_server(runner: web.AppRunner | None, sockets: Sequence[web.WebSocketResponse]) -> None:
    """Close the fake's websockets, then the server (a fake never started has no runner)."""
    for ws in sockets:
        await ws.close()
    if runner is not None:
        await runner.cleanup()


# How long a test waits for what it expects before failing: costs nothing when it comes, and a busy
# host (the CI machine is shared) may stall a process for seconds now and then.
WAIT_S = 30.0


async def wait_until(predicate: Callable[[], object], within: float, fake: str) -> None:
    """Poll `predicate` until it holds; after `within` seconds fail saying that `fake` never saw it."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{fake} never saw what was expected")
        await asyncio.sleep(0.01)


async def eventually(check: Callable[[], Awaitable[object]], what: str, within: float = WAIT_S) -> None:
    """Poll the async `check` until it is true (work done after an acknowledgement, on its own time);
    after `within` seconds fail saying `what` never happened."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within:.0f} s")
        await asyncio.sleep(0.02)
