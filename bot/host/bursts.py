"""Acks first: the work behind an acknowledged request waits for a burst of acknowledgements to pass.

Slack wants its ack within 3 s and Discord its defer; both are a few hundred microseconds of the
event loop each. The work after them (bolt's middleware, the search, the render) takes far more,
and its searches hold the CPUs, and the GIL, that the next ack needs: in a burst of 200 commands,
the last acks waited behind the first answers. So each request's work first calls `turn()`, which
returns once no other request has been acknowledged for `settle` seconds, or `most` seconds after
the first one waiting, whichever comes first. A lone command waits `settle` (3 ms); a burst's acks
all go out before its first search starts. One gate serves the whole process (Slack and Discord).
"""

from __future__ import annotations

import asyncio


class AcksFirst:
    def __init__(self, settle: float = 0.003, most: float = 0.3) -> None:
        self.settle = settle
        self.most = most
        self._open: asyncio.Future[None] | None = None  # what the requests acknowledged lately wait on
        self._since = 0.0  # when the first of them was acknowledged (loop time)
        self._timer: asyncio.TimerHandle | None = None

    async def turn(self) -> None:
        """Call right after acknowledging a request; returns when its work may start."""
        loop = asyncio.get_running_loop()
        if self._open is None or self._open.done() or self._open.get_loop() is not loop:
            self._open = loop.create_future()
            self._since = loop.time()
        if self._timer is not None:
            self._timer.cancel()
        wait = min(self.settle, self._since + self.most - loop.time())
        self._timer = loop.call_later(max(0.0, wait), self._release, self._open)
        await asyncio.shield(self._open)

    def _release(self, waiting: asyncio.Future[None]) -> None:
        self._timer = None
        if not waiting.done():
            waiting.set_result(None)


ACKS_FIRST = AcksFirst()  # the process's gate
