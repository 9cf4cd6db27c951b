"""One replica for the roundup chaos test: the real weekly sweep and living-thread sweep, on a file clock.

    python -m tests.chaos.roundup_replica

`paperboy run`'s roundup parts (bot/roundup/wiring.py builds the same ones) without the chat
front-ends: Slack and Discord through their real SDK clients at the fakes' addresses, simulated
time read from the file named by CHAOS_CLOCK.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from bot.roundup.delivery import RoundupDelivery
from bot.roundup.follow import Follower
from bot.roundup.weekly import WeeklySweeper
from bot.store.follows import FollowStore
from bot.store.notes import NoteLedger
from tests.chaos.replica import NotingLedger, as_run, file_clock, lease

log = logging.getLogger("chaos")


async def main() -> None:
    clock = file_clock()
    async with as_run() as (services, publishers):
        engine = services.store.engine
        ledger = NotingLedger(engine, lease=lease())
        notes = NoteLedger(engine, lease=lease())
        try:
            follower = Follower(
                FollowStore(engine), notes, services.store, publishers, 7, clock=clock, refreshes_per_minute=60_000
            )
            delivery = RoundupDelivery(
                services.store,
                services.search,
                ledger,
                services.subscriptions,
                publishers,
                services.engagement,
                clock=clock,
                posted=follower.posted,
            )
            weekly = WeeklySweeper(
                services.subscriptions,
                ledger,
                services.store,
                delivery,
                services.config.schedule,
                frozenset(publishers),
            )
            log.info("replica %d up at %s", os.getpid(), clock())
            ready = Path(os.environ["CHAOS_READY"])
            (ready / str(os.getpid())).touch()  # the test's clock waits for one of us
            while True:
                now = clock()
                results = await weekly.sweep(now)
                (ready / f"{os.getpid()}.swept").write_text(now.isoformat(), encoding="utf-8")  # and for a sweep
                report = await follower.sweep()
                log.info("swept at %s: %d roundups, %d notes", now, len(results), sum(report.notes.values()))
                await asyncio.sleep(0.005)
        finally:
            await notes.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(main())
