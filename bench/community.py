"""`/papers top` and a roundup's "most discussed" over a million recorded votes and replies, and how fast
events are counted.

    python -m bench.community [--events 1000000] [--channels 10000] [--queries 2000] [--ingest 20000]
                              [--database-url postgresql://…]

Fills a fresh store (SQLite in a temp dir, or the database given) with `--events` recorded events
over `--channels` channels (80% reactions, 20% thread replies, on 20 cards a channel posted over the
last 90 days, each event at a random time between its card and now), written in bulk with the
per-person and per-paper counts the real path keeps. Then:

- `top`: `Community.top` (what `/papers top week` answers, Post included) for random channels,
  one at a time: median and p99 in milliseconds (aim: p99 ≤ 20 ms);
- `discussed`: the weekly roundup's "Most discussed here this week" section (the week's reactions
  and replies on any card, Post included) for random channels, one at a time: median and p99;
- `ingest`: `--ingest` reaction events (new votes, Slack's repeats, removals) through
  `Community.reaction`, 64 at a time as a busy workspace sends them: events counted per second
  (aim: ≥ 2,000/s on SQLite).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.community.service import Community, Reaction
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from bot.roundup.discussed import discussed
from bot.store.engagement import EngagementStore
from bot.store.engine import create_engine, database_url, migrate, refresh_statistics
from bot.store.papers import PaperStore
from bot.store.reading import ReadingLists
from bot.store.tables import engagement, reactors, repliers, replies, threads, votes

CARDS = 20  # per channel
PEOPLE = 40  # per channel
EMOJIS = ("+1", "eyes", "tada", "heart", "rocket")
POOL = 2000  # distinct papers across channels
CHUNK = 20_000
NOW = datetime.now(UTC)


def channel_ref(i: int) -> ChannelRef:
    return ChannelRef("slack", f"C{i:06d}", f"T{i % 50:04d}")


def card_ts(channel: int, card: int) -> str:
    return f"{1760000000 + channel}.{card:06d}"


async def fill(engine: Any, events: int, channels: int, rng: random.Random) -> None:
    store = PaperStore(engine)
    papers = [
        Paper(
            arxiv_id=f"2606.{i:05d}", title=f"Synthetic paper {i}", authors=("A. Author",), upvotes=rng.randrange(500)
        )
        for i in range(POOL)
    ]
    await store.save_papers(papers)
    per_channel = events // channels
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    async def flush(force: bool = False) -> None:
        for table in (threads, votes, reactors, replies, repliers, engagement):
            pending = rows[table.name]
            if pending and (force or len(pending) >= CHUNK):
                async with engine.begin() as conn:
                    await conn.execute(insert(table), pending)
                pending.clear()

    for c in range(channels):
        where = channel_ref(c)
        key = {"platform": "slack", "workspace": where.workspace, "channel": where.channel}
        cards = rng.sample(range(POOL), CARDS)
        posted = [NOW - timedelta(days=rng.uniform(0, 90)) for _ in cards]
        for n, (paper, at) in enumerate(zip(cards, posted, strict=True)):
            rows["threads"].append(
                {
                    "platform": "slack",
                    "channel": where.channel,
                    "thread_ref": card_ts(c, n),
                    "arxiv_id": papers[paper].arxiv_id,
                    "origin": "digest",
                    "created_at": at,
                }
            )
        seen_votes: set[tuple[int, int, str]] = set()
        reacting: dict[int, set[int]] = defaultdict(set)
        replying: dict[int, set[int]] = defaultdict(set)
        reactions_of: dict[tuple[int, int], int] = defaultdict(int)
        replies_of: dict[tuple[int, int], int] = defaultdict(int)
        made = 0
        while made < per_channel:
            n, person = rng.randrange(CARDS), rng.randrange(PEOPLE)
            arxiv_id = papers[cards[n]].arxiv_id
            at = posted[n] + (NOW - posted[n]) * rng.random()  # between the card and now
            if rng.random() < 0.8:
                emoji = rng.choice(EMOJIS)
                if (n, person, emoji) in seen_votes:
                    continue
                seen_votes.add((n, person, emoji))
                rows["votes"].append(
                    key
                    | {
                        "arxiv_id": arxiv_id,
                        "user_id": f"U{person:05d}",
                        "message": card_ts(c, n),
                        "reaction": emoji,
                        "present": True,
                        "event_at": at,
                    }
                )
                reacting[n].add(person)
                reactions_of[(n, person)] += 1
            else:
                rows["replies"].append(
                    key
                    | {
                        "message": f"{card_ts(c, n)}{made:04d}",
                        "arxiv_id": arxiv_id,
                        "user_id": f"U{person:05d}",
                        "replied_at": at,
                    }
                )
                replying[n].add(person)
                replies_of[(n, person)] += 1
            made += 1
        for (n, person), count in reactions_of.items():
            rows["reactors"].append(
                key | {"arxiv_id": papers[cards[n]].arxiv_id, "user_id": f"U{person:05d}", "reactions": count}
            )
        for (n, person), count in replies_of.items():
            rows["repliers"].append(
                key | {"arxiv_id": papers[cards[n]].arxiv_id, "user_id": f"U{person:05d}", "replies": count}
            )
        for n in set(reacting) | set(replying):
            rows["engagement"].append(
                key
                | {
                    "arxiv_id": papers[cards[n]].arxiv_id,
                    "reactions": len(reacting[n]),
                    "replies": len(replying[n]),
                    "posted_at": posted[n],
                }
            )
        await flush()
    await flush(force=True)


async def bench_top(community: Community, channels: int, queries: int, rng: random.Random) -> list[float]:
    took = []
    for _ in range(queries):
        where = channel_ref(rng.randrange(channels))
        started = time.perf_counter()
        post = await community.top(where, "week")
        took.append((time.perf_counter() - started) * 1000)
        assert post.header
    return took


async def bench_discussed(
    engaged: EngagementStore, store: PaperStore, channels: int, queries: int, rng: random.Random
) -> list[float]:
    took = []
    week = NOW - timedelta(days=7, hours=2)  # a roundup's window when the channel had none before
    for _ in range(queries):
        where = channel_ref(rng.randrange(channels))
        started = time.perf_counter()
        section = await discussed(engaged, store, where, week, NOW)
        took.append((time.perf_counter() - started) * 1000)
        assert section is None or section.text
    return took


async def bench_ingest(community: Community, channels: int, count: int, rng: random.Random) -> tuple[float, int]:
    """Seconds to count `count` reaction events, 64 in flight at a time."""
    events = []
    base = NOW.timestamp()
    for i in range(count):
        c, n = rng.randrange(channels), rng.randrange(CARDS)
        where = channel_ref(c)
        user, emoji = f"W{rng.randrange(1000):05d}", rng.choice(EMOJIS)
        roll = rng.random()
        added = roll >= 0.1  # one in ten is a removal (of that vote, if it was ever added)
        at = datetime.fromtimestamp(base + i / 1000, UTC)
        events.append(Reaction(where, card_ts(c, n), user, emoji, added, at))
        if roll > 0.9:  # one in ten arrives twice, as Slack's retry
            events.append(Reaction(where, card_ts(c, n), user, emoji, added, at))
    gate = asyncio.Semaphore(64)

    async def one(event: Reaction) -> None:
        async with gate:
            await community.reaction(event)

    started = time.perf_counter()
    await asyncio.gather(*(one(e) for e in events))
    return time.perf_counter() - started, len(events)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--ingest", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(database_url(args.database_url, Path(tmp)))
        await migrate(engine)
        try:
            started = time.perf_counter()
            await fill(engine, args.events, args.channels, rng)
            took_s = time.perf_counter() - started
            print(f"filled: {args.events:,} events over {args.channels:,} channels in {took_s:.0f} s")
            await refresh_statistics(engine)  # as every start and the hourly upkeep do
            community = Community(EngagementStore(engine), ReadingLists(engine), PaperStore(engine))
            await bench_top(community, args.channels, 50, rng)  # warm
            took = await bench_top(community, args.channels, args.queries, rng)
            print(
                f"/papers top week ({engine.dialect.name}): median {statistics.median(took):.2f} ms, "
                f"p99 {percentile(took, 0.99):.2f} ms over {args.queries} channels"
            )
            engaged, store = EngagementStore(engine), PaperStore(engine)
            await bench_discussed(engaged, store, args.channels, 50, rng)  # warm
            took = await bench_discussed(engaged, store, args.channels, args.queries, rng)
            print(
                f"roundup's most discussed ({engine.dialect.name}): median {statistics.median(took):.2f} ms, "
                f"p99 {percentile(took, 0.99):.2f} ms over {args.queries} channels"
            )
            seconds, sent = await bench_ingest(community, args.channels, args.ingest, rng)
            print(
                f"ingest ({engine.dialect.name}): {sent:,} reaction events in {seconds:.1f} s = {sent / seconds:,.0f}/s"
            )
        finally:
            await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
