"""Digests to 500 channels against a fake Slack that enforces about one message per second per channel.

    python -m bench.delivery [--channels 500] [--papers 3]

Each digest is a header, then a card and a thread seed per paper: 1 + 2×papers messages, so no
delivery can beat (2×papers) seconds per channel; with every channel paced on its own, that is also
the floor for all of them together. Prints the time one sweep takes and its ratio to that floor.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from adapters.slack.app import http_session, slack_client
from adapters.slack.publisher import SlackPublisher
from bot.channels import ChannelRef
from bot.config import ScheduleConfig
from bot.delivery import DigestDelivery
from bot.importer import read_file
from bot.search.service import SearchService
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.subscriptions import Subscription, SubscriptionStore
from bot.sweep import Sweeper

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "fixtures"
    / "hf_daily_papers"
    / "current_2026-06_to_2026-08"
    / "2026-06-02.json"
)
DAY = date(2026, 6, 2)


async def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description="paperboy delivery benchmark")
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--papers", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # The fake Slack runs in its own process, so its work is not counted as the bot's.
        port_file = Path(folder) / "port"
        fake = await asyncio.create_subprocess_exec(sys.executable, "-m", "tests.fakes.slack", "1.0", str(port_file))
        for _ in range(200):
            if port_file.exists() and port_file.read_text():
                break
            await asyncio.sleep(0.05)
        base_url = f"http://127.0.0.1:{port_file.read_text()}/api/"
        engine = create_engine(database_url(args.database_url, Path(folder)))
        await migrate(engine)
        store = PaperStore(engine)
        await store.save_listings(read_file(FIXTURE))
        subscriptions = SubscriptionStore(engine)
        for i in range(args.channels):
            await subscriptions.save(
                Subscription(channel=ChannelRef("slack", f"C{i:05d}"), time="09:00", timezone="UTC", limit=args.papers)
            )
        ledger = Ledger(engine)
        session = http_session()
        publisher = SlackPublisher(slack_client("xoxb-bench", base_url, session), interval=1.0)
        delivery = DigestDelivery(store, SearchService(store), ledger, subscriptions, {"slack": publisher})
        sweeper = Sweeper(subscriptions, ledger, store, delivery, ScheduleConfig(), frozenset({"slack"}))
        await SearchService(store).index()
        await sweeper.sweep(datetime(2026, 6, 2, 8, 59, tzinfo=UTC))  # yesterday's are recorded as missed first
        started, cpu = time.perf_counter(), time.process_time()
        results = await sweeper.sweep(datetime(2026, 6, 2, 9, 0, tzinfo=UTC))
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        await engine.dispose()
        await session.close()
        async with httpx.AsyncClient() as client:
            stats = (await client.get(base_url.replace("/api/", "/_stats"))).json()
        fake.terminate()
        await fake.wait()
    posted = sum(1 for r in results if r.outcome == "posted")
    messages = stats["posted"]
    refused = stats["attempts"] - messages
    floor = 2.0 * args.papers
    each = f"1 header + {args.papers} cards + {args.papers} thread seeds"
    print(f"{args.channels} channels × ({each}) = {messages} messages")
    print(f"digests posted: {posted}/{args.channels}; 429s from the fake: {refused}")
    print(f"one sweep: {took:.2f} s ({cpu:.2f} s of CPU in the bot)")
    print(f"rate-limit floor: {floor:.1f} s; ratio {took / floor:.2f}×")


if __name__ == "__main__":
    asyncio.run(main())
