"""Acks first: the work behind acknowledged requests waits for a burst of acknowledgements to pass."""

from __future__ import annotations

import asyncio

from bot.host.bursts import AcksFirst


async def burst(gate: AcksFirst, count: int, apart: float) -> tuple[list[float], list[float]]:
    """`count` requests acknowledged `apart` seconds apart: when each was acknowledged, when its work began."""
    loop = asyncio.get_running_loop()
    acked: list[float] = []
    began: list[float] = []

    async def request() -> None:
        acked.append(loop.time())
        await gate.turn()
        began.append(loop.time())

    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(request()))
        await asyncio.sleep(apart)
    await asyncio.gather(*tasks)
    return acked, began


async def test_no_work_begins_until_the_burst_of_acks_has_passed() -> None:
    acked, began = await burst(AcksFirst(settle=0.5, most=10.0), count=6, apart=0.01)
    assert len(began) == 6
    assert min(began) >= max(acked) + 0.4  # every one waited for the last ack, then `settle` more


async def test_a_long_stream_of_acks_holds_work_back_at_most_most_seconds() -> None:
    acked, began = await burst(AcksFirst(settle=0.2, most=0.3), count=20, apart=0.05)
    assert min(began) < max(acked)  # the first ones began while acks still came, about 0.3 s in
    assert min(began) - min(acked) >= 0.25


async def test_a_lone_request_waits_only_settle() -> None:
    acked, began = await burst(AcksFirst(settle=0.003, most=0.1), count=1, apart=0.0)
    assert began[0] - acked[0] < 0.1
