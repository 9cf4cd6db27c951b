"""Digests to 500 channels against a fake Slack that enforces about one message per second per channel.

    python -m bench.delivery [--channels 500] [--papers 3] [--repeat 3] [--busy | --both]

Each digest is a header, then a card and a thread seed per paper: 1 + 2×papers messages, so no
delivery can beat (2×papers) seconds per channel; with every channel paced on its own, that is also
the floor for all of them together. Prints the median time one sweep takes and its ratio to that
floor, and where the time goes: how long until the last header was out (the sweep's own work before
the first paced post), how far each channel's paced posts ran over their (2×papers) seconds, and
the ledger's closing writes after the last post. The process's heap is frozen once its services are
made, before the search index and the sweeps, as `paperboy run` freezes it (bot/host/heap.py).
`--busy` measures the same sweep with every core kept busy by a spinning process (bench/busy.py);
`--both` measures quiet, then busy.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from adapters.slack.app import http_session, slack_client
from adapters.slack.publisher import SlackPublisher
from bench.busy import busy_host
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef
from bot.host.heap import freeze_heap
from bot.ingest.importer import read_file
from bot.search.service import SearchService
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "fixtures"
    / "hf_daily_papers"
    / "current_2026-06_to_2026-08"
    / "2026-06-02.json"
)
DAY = date(2026, 6, 2)


@dataclass
class TimedPublisher:
    """The Slack publisher, noting when each channel's posts came back (seconds on perf_counter)."""

    inner: SlackPublisher
    headers: dict[str, float] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        ref = await self.inner.post_header(channel, post, key)
        self.headers[channel] = self.last[channel] = time.perf_counter()
        return ref

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        ref = await self.inner.post_card(channel, card, key)
        self.last[channel] = time.perf_counter()
        return ref

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        ref = await self.inner.seed_thread(root, card, key)
        self.last[root.channel] = time.perf_counter()
        return ref

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        return await self.inner.find(channel, key, since, thread=thread, title=title)

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        return await self.inner.note(channel, post, key, thread=thread, about=about)

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        return await self.inner.refresh_card(ref, card)

    async def card_exists(self, ref: MessageRef) -> bool:
        return await self.inner.card_exists(ref)


@dataclass(frozen=True)
class Run:
    took: float  # the sweep, wall clock
    cpu: float  # of this process during the sweep
    last_header: float  # from the sweep's start until the last channel's header was out
    overrun: float  # the slowest channel: from its header to its last post, beyond the floor
    closing: float  # from the last post until the sweep returned (the ledger's last writes)
    fake_cpu: float | None  # of the fake Slack's process during the sweep (Linux only)
    posted: int
    messages: int
    refused: int


def cpu_of(pid: int) -> float | None:
    """CPU seconds a process has used so far, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@contextmanager
def host(busy: bool) -> Iterator[None]:
    with busy_host() if busy else nullcontext():
        yield


async def one_sweep(channels: int, papers: int, url: str | None, busy: bool) -> Run:
    with tempfile.TemporaryDirectory() as folder:
        # The fake Slack runs in its own process, so its work is not counted as the bot's.
        port_file = Path(folder) / "port"
        fake = await asyncio.create_subprocess_exec(sys.executable, "-m", "tests.fakes.slack", "1.0", str(port_file))
        for _ in range(200):
            if port_file.exists() and port_file.read_text():
                break
            await asyncio.sleep(0.05)
        base_url = f"http://127.0.0.1:{port_file.read_text()}/api/"
        engine = create_engine(database_url(url, Path(folder)))
        await migrate(engine)
        store = PaperStore(engine)
        await store.save_listings(read_file(FIXTURE))
        subscriptions = SubscriptionStore(engine)
        for i in range(channels):
            await subscriptions.save(
                Subscription(channel=ChannelRef("slack", f"C{i:05d}"), time="09:00", timezone="UTC", limit=papers)
            )
        ledger = Ledger(engine)
        session = http_session()
        publisher = TimedPublisher(SlackPublisher(slack_client("xoxb-bench", base_url, session), interval=1.0))
        delivery = DigestDelivery(store, SearchService(store), ledger, subscriptions, {"slack": publisher})
        sweeper = Sweeper(subscriptions, ledger, store, delivery, ScheduleConfig(), frozenset({"slack"}))
        # Started: `paperboy run` freezes its heap here, its services open, before its scheduler's first
        # tick (bot/app/dispatch.py); what the search index and the sweeps build after stays in sight.
        freeze_heap()
        await SearchService(store).index()
        await sweeper.sweep(datetime(2026, 6, 2, 8, 59, tzinfo=UTC))  # yesterday's are recorded as missed first
        with host(busy):
            fake_before = cpu_of(fake.pid)
            started, cpu = time.perf_counter(), time.process_time()
            results = await sweeper.sweep(datetime(2026, 6, 2, 9, 0, tzinfo=UTC))
            ended, cpu = time.perf_counter(), time.process_time() - cpu
            fake_after = cpu_of(fake.pid)
        await engine.dispose()
        await session.close()
        async with httpx.AsyncClient() as client:
            stats = (await client.get(base_url.replace("/api/", "/_stats"))).json()
        fake.terminate()
        await fake.wait()
        gc.unfreeze()  # the next run starts from its own heap
    floor = 2.0 * papers
    return Run(
        took=ended - started,
        cpu=cpu,
        last_header=max(publisher.headers.values()) - started,
        overrun=max(publisher.last[c] - h for c, h in publisher.headers.items()) - floor,
        closing=ended - max(publisher.last.values()),
        fake_cpu=None if fake_before is None or fake_after is None else fake_after - fake_before,
        posted=sum(1 for r in results if r.outcome == "posted"),
        messages=stats["posted"],
        refused=stats["attempts"] - stats["posted"],
    )


def report(name: str, runs: list[Run], channels: int, papers: int) -> None:
    floor = 2.0 * papers

    def median(values: list[float]) -> float:
        return statistics.median(values)

    took = median([r.took for r in runs])
    print(f"{name} (median of {len(runs)}): one sweep {took:.2f} s, ratio {took / floor:.2f}× the {floor:.0f} s floor")
    print(f"  each run: {', '.join(f'{r.took:.2f} s' for r in runs)}")
    print(
        f"  last header out at {median([r.last_header for r in runs]):.2f} s; slowest channel's paced posts "
        f"{floor:.0f} s + {median([r.overrun for r in runs]):.2f} s; closing writes "
        f"{median([r.closing for r in runs]):.2f} s"
    )
    fake = [r.fake_cpu for r in runs if r.fake_cpu is not None]
    fake_cpu = f", {median(fake):.2f} s in the fake Slack" if fake else ""
    print(f"  CPU during the sweep: {median([r.cpu for r in runs]):.2f} s in the bot{fake_cpu}")
    posted = min(r.posted for r in runs)
    print(
        f"  digests posted: {posted}/{channels} (fewest in a run); messages: {runs[-1].messages}; "
        f"429s from the fake: {sum(r.refused for r in runs)}"
    )


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description="paperboy delivery benchmark")
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--papers", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="sweeps per condition (the median is reported)")
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--busy", action="store_true", help="with every core kept busy (bench/busy.py)")
    which.add_argument("--both", action="store_true", help="quiet, then busy")
    args = parser.parse_args()
    conditions = [False, True] if args.both else [args.busy]
    each = f"1 header + {args.papers} cards + {args.papers} thread seeds"
    print(f"{args.channels} channels × ({each}) = {args.channels * (1 + 2 * args.papers)} messages a sweep")
    for busy in conditions:
        runs = [await one_sweep(args.channels, args.papers, args.database_url, busy) for _ in range(args.repeat)]
        report("busy (a spinning process per core)" if busy else "quiet", runs, args.channels, args.papers)


if __name__ == "__main__":
    asyncio.run(main())
