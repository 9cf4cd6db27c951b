"""Acks first: the work behind an acknowledged request waits for a burst of acknowledgements to pass.

Slack wants its ack within 3 s and Discord its defer; both are a few hundred microseconds of the
event loop each. The work after them (bolt's middleware, the search, the render) takes far more,
and its searches hold the CPUs, and the GIL, that the next ack needs: in a burst of 200 commands,
the last acks waited behind the first answers. So each request's work first calls `turn()`, which
returns once no other request has been acknowledged for `settle` seconds, or `most` seconds after
the first one waiting, whichever comes first. A lone command waits `settle` (3 ms); a burst's acks
all go out before its first search starts. One gate serves the whole process (Slack and Discord).

Then the burst's work: `Batched` lets requests that arrive together share one piece of work (the
search service embeds a burst's queries in one pass of the model, a fraction of one each).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.host.tasks import stopped

T = TypeVar("T")
log = logging.getLogger(__name__)


class AcksFirst:
    def __init__(self, settle: float = 0.003, most: float = 0.3) -> None:
        self.settle = settle
        self.most = most
        self._open: asyncio.Future[None] | None = None  # what the requests acknowledged lately wait on
        self._since = 0.0  # when the first of them was acknowledged (loop time)
        self._timer: asyncio.TimerHandle | None = None
        self._until = 0.0  # when the gate may open, where acknowledgements came after its timer was set

    async def turn(self) -> None:
        """Call right after acknowledging a request; returns when its work may start."""
        await asyncio.shield(self.acknowledged())

    def acknowledged(self) -> asyncio.Future[None]:
        """Note a request acknowledged (the gate then stays shut `settle` longer, up to `most`), without
        waiting: what its work is to wait for, done once the gate opens. One timer a burst, not one a
        request: when it fires, it looks again at when the gate may open (`_until`)."""
        loop = asyncio.get_running_loop()
        if self._open is None or self._open.done() or self._open.get_loop() is not loop:
            if self._timer is not None:  # (another loop's, in tests: never to fire here)
                self._timer.cancel()
                self._timer = None
            self._open = loop.create_future()
            self._since = loop.time()
        self._until = min(loop.time() + self.settle, self._since + self.most)
        if self._timer is None:
            self._timer = loop.call_at(self._until, self._release, self._open)
        return self._open

    def _release(self, waiting: asyncio.Future[None]) -> None:
        loop = waiting.get_loop()
        if waiting is self._open and not waiting.done() and self._until > loop.time() + 1e-4:  # acknowledged since
            self._timer = loop.call_at(self._until, self._release, waiting)
            return
        if waiting is self._open:
            self._timer = None
        if not waiting.done():
            waiting.set_result(None)


ACKS_FIRST = AcksFirst()  # the process's gate


class Batched(Generic[T]):
    """Work asked for while a batch is under way is done together, as the next batch: a lone request
    is a batch of one and waits for nothing; in a burst, each batch takes what gathered during the
    last one (up to `most`). Batching only saves work: if a batch fails, one line says so (its
    traceback at debug level) and its requests return all the same, to do their part alone; each
    meets the cause again, if it is theirs, and reports it there."""

    def __init__(self, work: Callable[[list[T]], Awaitable[object]], most: int) -> None:
        self._work = work
        self.most = most
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def add(self, item: T) -> None:
        """Returns once a batch holding `item` is done (or failed)."""
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self._waiting.append((item, done))
        if self._runner is None or self._runner.done() or self._runner.get_loop() is not loop:
            self._waiting = [(i, f) for i, f in self._waiting if f.get_loop() is loop]  # another loop's are gone
            self._runner = loop.create_task(self._run())
        await asyncio.shield(done)

    async def _run(self) -> None:
        taken: list[tuple[T, asyncio.Future[None]]] = []
        try:
            while self._waiting:
                taken, self._waiting = self._waiting[: self.most], self._waiting[self.most :]
                try:
                    await self._work([item for item, _ in taken])
                except Exception as exc:  # each request meets the cause again alone, and says it there
                    log.warning("a batch of %d failed (%s); each is done alone instead", len(taken), type(exc).__name__)
                    log.debug("the batch's failure", exc_info=True)
                _release(taken)
        finally:  # cancelled (`close`): nobody is left waiting
            _release(taken + self._waiting)
            self._waiting = []

    async def close(self) -> None:
        await stopped(self._runner)


def _release(waiting: list[tuple[T, asyncio.Future[None]]]) -> None:
    for _, done in waiting:
        if not done.done():
            done.set_result(None)
