"""Deliveries that may outlive the sweep that began them.

A channel whose every post waits out a 429 (Slack asks for up to 30 s a time) takes minutes over its
digest. Awaited by the sweep, it held the sweep, and with it every later sweep (the scheduler runs
one at a time): every other channel's digest, due meanwhile, waited for it. So a sweep starts its
deliveries and waits for them only so long (`hold`); what is still running goes on by itself, its
channels left out of the sweeps after it until it ends (never claimed twice by this process), and its
results are given by the first sweep after it ends, or by `finish` when the process stops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.delivery.digest_delivery import DeliveryResult, Wanted
from bot.domain.channels import ChannelRef

log = logging.getLogger("paperboy.delivery")
HOLD_SECONDS = 5.0  # how long a sweep of `run` waits for its deliveries: under the stop's 10 s (SHUTDOWN_SECONDS)

DeliverMany = Callable[[Sequence[Wanted]], Awaitable[list[DeliveryResult]]]


class UnderWay:
    def __init__(self, deliver_many: DeliverMany, parallel: int, hold: float | None = None) -> None:
        """`hold`: how long a sweep waits for the deliveries it starts; None (tests that drive sweeps
        through simulated days), until they end, as a sweep once did."""
        self._deliver_many = deliver_many
        self._parallel = parallel
        self._hold = hold
        self._running: dict[asyncio.Task[list[DeliveryResult]], frozenset[ChannelRef]] = {}
        self._kept: list[DeliveryResult] = []  # results held back by a failure raised (`_ended`)

    def busy(self) -> frozenset[ChannelRef]:
        """The channels with a delivery still under way: no sweep asks about them until it ends."""
        return frozenset().union(*(channels for task, channels in self._running.items() if not task.done()))

    async def start(self, ready: Sequence[Wanted]) -> list[DeliveryResult]:
        """Deliver `ready`, `parallel` channels at a time; the results of every delivery ended by the
        end of the hold, this sweep's and those left running by sweeps before it."""
        if ready:
            task = asyncio.create_task(self._in_turn(ready), name="paperboy-deliveries")
            self._running[task] = frozenset(w.channel for w in ready)
            if self._hold != 0:  # this sweep's own: those before it were waited for by theirs
                try:
                    await asyncio.wait([task], timeout=self._hold)
                except asyncio.CancelledError:  # the sweep cut short (a stop's deadline): its deliveries too
                    await self.cancel()
                    raise
        return self._ended()

    async def finish(self) -> list[DeliveryResult]:
        """At a stop: wait for what is under way. Cancelled (the stop's own deadline), it cancels them."""
        running = list(self._running)
        if running:
            try:
                await asyncio.wait(running)
            except asyncio.CancelledError:
                await self.cancel()
                raise
        return self._ended()

    async def cancel(self) -> None:
        """Cancel what is under way and wait for it to wind up (the ledger's intents let a start resume
        it): a stop cut short left it posting while the store and the platforms closed."""
        running = [task for task in self._running if not task.done()]
        for task in running:
            task.cancel()
        if running:
            channels = sorted({str(c) for task in running for c in self._running[task]})
            log.info(  # (design.md: said at INFO, not as an error; the next start takes them up)
                "the deliveries to %s were cut short by the stop; the next start takes them up",
                ", ".join(channels[:5]) + (f" and {len(channels) - 5} more" if len(channels) > 5 else ""),
            )
            await asyncio.wait(running)
        self._running.clear()

    async def _in_turn(self, ready: Sequence[Wanted]) -> list[DeliveryResult]:
        results: list[DeliveryResult] = []
        for start in range(0, len(ready), self._parallel):
            results += await self._deliver_many(ready[start : start + self._parallel])
        return results

    def _ended(self) -> list[DeliveryResult]:
        """The results of the deliveries that ended, in the order they began. One that failed as a whole
        (its claims could not be made: the store down) raises its error, as the sweep once did, once the
        others' results are kept for the next call."""
        results: list[DeliveryResult] = []
        failed: BaseException | None = None
        for task in [t for t in self._running if t.done()]:
            del self._running[task]
            if task.cancelled():
                continue
            if (error := task.exception()) is not None:
                if failed is not None:  # raised: the first; the others said here, not lost
                    log.error("deliveries failed as a whole", exc_info=error)
                failed = failed or error
                continue
            results += task.result()
        if failed is not None:
            self._kept += results
            raise failed
        kept, self._kept = self._kept, []
        return [*kept, *results]
