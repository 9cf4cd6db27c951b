"""Acks first: the work behind acknowledged requests waits for a burst of acknowledgements to pass;
then `Batched` lets the burst's requests share their work."""

from __future__ import annotations

import asyncio

import pytest

from bot.host.bursts import AcksFirst, Batched


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


@pytest.mark.slow
async def test_no_work_begins_until_the_burst_of_acks_has_passed() -> None:
    acked, began = await burst(AcksFirst(settle=0.5, most=10.0), count=6, apart=0.01)
    assert len(began) == 6
    assert min(began) >= max(acked) + 0.4  # every one waited for the last ack, then `settle` more


@pytest.mark.slow
async def test_a_long_stream_of_acks_holds_work_back_at_most_most_seconds() -> None:
    acked, began = await burst(AcksFirst(settle=0.2, most=0.3), count=20, apart=0.05)
    assert min(began) < max(acked)  # the first ones began while acks still came, about 0.3 s in
    assert min(began) - min(acked) >= 0.25


async def test_a_lone_request_waits_only_settle() -> None:
    acked, began = await burst(AcksFirst(settle=0.003, most=5.0), count=1, apart=0.0)
    assert began[0] - acked[0] < 1.0  # not `most`


class Recorder:
    """Work that records each batch it is given; takes `pause` seconds; fails on a batch holding "boom"."""

    def __init__(self, pause: float = 0.05) -> None:
        self.batches: list[list[str]] = []
        self.pause = pause

    async def __call__(self, batch: list[str]) -> None:
        self.batches.append(batch)
        await asyncio.sleep(self.pause)
        if "boom" in batch:
            raise RuntimeError("boom")


async def test_a_lone_request_is_a_batch_of_one_and_waits_for_nothing_else() -> None:
    work = Recorder(pause=0.0)
    batched = Batched(work, most=8)
    await batched.add("a")
    await batched.add("b")
    assert work.batches == [["a"], ["b"]]


async def test_requests_arriving_during_a_batch_are_the_next_batch_up_to_most() -> None:
    work = Recorder()
    batched = Batched(work, most=3)
    first = asyncio.create_task(batched.add("first"))
    await asyncio.sleep(0.01)  # the first batch is under way: these gather meanwhile
    await asyncio.gather(first, *(batched.add(str(i)) for i in range(5)))
    assert work.batches == [["first"], ["0", "1", "2"], ["3", "4"]]


async def test_a_failed_batch_is_logged_and_its_requests_return(caplog: pytest.LogCaptureFixture) -> None:
    work = Recorder()
    batched = Batched(work, most=8)
    first = asyncio.create_task(batched.add("first"))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(first, batched.add("boom"), batched.add("fine")), 5)
    assert work.batches == [["first"], ["boom", "fine"]]
    said = [r for r in caplog.records if "a batch of 2 failed" in r.getMessage()]
    assert said and said[0].levelname == "WARNING" and said[0].exc_info is None  # one line: each search says the rest
    await batched.add("after")  # and the next one is worked on
    assert work.batches[-1] == ["after"]


async def test_close_lets_every_waiting_request_return() -> None:
    batched = Batched(Recorder(pause=60.0), most=8)
    waiting = [asyncio.create_task(batched.add(str(i))) for i in range(3)]
    await asyncio.sleep(0.01)
    await batched.close()
    await asyncio.wait_for(asyncio.gather(*waiting), 5)


async def test_a_burst_of_acks_arms_one_timer_and_opens_settle_after_the_last() -> None:
    """Each ack cancelled the gate's timer and set another: 200 timers a burst on the acks' event loop."""
    loop = asyncio.get_running_loop()
    gate = AcksFirst(settle=0.05, most=5.0)
    opened = gate.acknowledged()
    timer = gate._timer
    for _ in range(199):
        assert gate.acknowledged() is opened and gate._timer is timer
    await asyncio.sleep(0.03)
    last = loop.time()
    gate.acknowledged()  # later in the burst: the same timer looks again when it fires
    await opened
    assert loop.time() - last >= 0.045 and gate._timer is None
    assert gate.acknowledged() is not opened  # the next burst waits on a gate of its own
