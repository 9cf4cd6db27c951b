"""Starting a fake on 127.0.0.1 with aiohttp, on a free port."""

from __future__ import annotations

from aiohttp import web


async def start_server(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)  # a burst of 200 requests is not dropped
    await site.start()
    port: int = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, port
