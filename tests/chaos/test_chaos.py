"""Chaos: three replicas, SIGKILLed at random and restarted at once, deliver a simulated day to 50 channels.

Slack and Discord are the fakes on 127.0.0.1 (their real SDK clients do the talking); the store is
one SQLite file shared by the processes, or one PostgreSQL database. No lease runs out during the
test (they last a week): a digest a killed replica was delivering can only be finished by another
taking it over at once, because the dead one's lock died with it. At the end every channel has
exactly its digest: one header, three cards, one thread seed under each card; nothing twice.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.tables import digests
from tests.app.test_cli_discord import TOKEN
from tests.chaos.channels import mixed_channel
from tests.chaos.fleet import READY_WAIT_S, discord_cards, kill_all, kill_some, slack_cards, spawner
from tests.conftest import BACKENDS, backend, child_env, listings_of
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack

pytestmark = pytest.mark.slow

DAY = date(2026, 6, 2)
START = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)
END = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)
STEP = timedelta(minutes=2)
ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
)
PAPERS = 3
LEASE_MINUTES = 7 * 24 * 60  # longer than the test's simulated days: no takeover waits for a lease


def write_clock(path: Path, now: datetime) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(now.isoformat(), encoding="utf-8")
    tmp.replace(path)  # atomic: a replica never reads half a time


async def seed(url: str | None, data: Path, discord: FakeDiscord) -> list[ChannelRef]:
    engine = create_engine(database_url(url, data))
    await migrate(engine)
    store = PaperStore(engine)
    await store.save_listings(listings_of(DAY.isoformat()))
    rng = random.Random(7)
    channels = []
    subscriptions = SubscriptionStore(engine)
    for i in range(50):
        channel = mixed_channel(discord, i, 3000000000000000000, f"C{i:04d}", f"c{i}")
        at = f"{rng.randint(6, 21):02d}:{rng.choice(('00', '15', '30', '45'))}"
        await subscriptions.save(
            Subscription(channel=channel, time=at, timezone=ZONES[i % len(ZONES)], days="daily", limit=PAPERS)
        )
        channels.append(channel)
    await engine.dispose()
    return channels


def replica_env(data: Path, url: str | None, slack: FakeSlack, discord: FakeDiscord, clock: Path) -> dict[str, str]:
    """A replica's environment: the data dir, the fakes, the shared clock and lease, the database."""
    env = child_env()
    env.update(
        PAPERBOY_DATA_DIR=str(data),
        PAPERBOY_OFFLINE="1",
        PAPERBOY_SLACK_API_URL=slack.base_url,
        PAPERBOY_DISCORD_API_URL=discord.api_url,
        PAPERBOY_DISCORD_GATEWAY_URL=discord.gateway_url,
        DISCORD_TOKEN=TOKEN,
        CHAOS_CLOCK=str(clock),
        CHAOS_LEASE_MINUTES=str(LEASE_MINUTES),
        CHAOS_TAKEOVERS=str(data / "takeovers"),
        CHAOS_READY=str(data / "ready"),
    )
    if url:
        env["PAPERBOY_DATABASE_URL"] = url
    return env


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.timeout(600)  # about a minute alone; several on a busy machine (the others set the same)
async def test_three_replicas_killed_at_random_deliver_everything_once(
    backend_name: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    discord = FakeDiscord(latency=0.02)
    fake_slack.latency = 0.02  # a digest takes a while, so kills land in the middle of some
    await discord.start()
    clock = tmp_path / "clock"
    write_clock(clock, START)
    async with backend(backend_name) as url:
        channels = await seed(url, tmp_path, discord)
        env = replica_env(tmp_path, url, fake_slack, discord, clock)

        ready = tmp_path / "ready"
        ready.mkdir()
        spawn = spawner(env, "tests.chaos.replica")
        replicas = [await spawn() for _ in range(3)]
        rng = random.Random(42)
        kills = orphaned = 0
        now = START
        watch = create_engine(database_url(url, tmp_path))

        async def orphans(pid: int | None) -> None:
            nonlocal orphaned
            orphaned += await claims_of(watch, pid)

        try:
            while now < END:
                now += STEP
                write_clock(clock, now)
                await asyncio.sleep(0.05)
                # about one kill a second, now and then of all three at once
                kills += await kill_some(replicas, rng, spawn, orphans, lambda r: (ready / str(r.pid)).exists())
            await settle(channels, url, tmp_path)
        finally:
            await watch.dispose()
            await kill_all(replicas)
        assert kills >= 20
        looked = sum(1 for c in fake_slack.calls if c.method.startswith("conversations."))
        looked += sum(1 for s in discord.sent if s.method == "GET" and s.path.endswith("/messages"))
        takeovers = (tmp_path / "takeovers").read_text(encoding="utf-8").splitlines()
        print(
            f"{kills} kills; {orphaned} digests seen left mid-way, {len(takeovers)} taken over; "
            f"{looked} looks for a post under way"
        )
        assert takeovers  # the kills did land mid-digest, and the digests were taken over, leases or not
        check_slack(fake_slack, [c for c in channels if c.platform == "slack"])
        check_discord(discord, [c for c in channels if c.platform == "discord"])
        await check_ledger(url, tmp_path, channels)
    await discord.stop()


async def claims_of(engine: AsyncEngine, pid: int | None) -> int:
    """How many digests a (killed) replica was delivering: claimed in its name, not finished."""
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(func.count())
            .select_from(digests)
            .where(digests.c.status == "claimed", digests.c.owner.like(f"%:{pid}:%"))
        )
    return int(found or 0)


async def settle(channels: list[ChannelRef], url: str | None, data: Path) -> None:
    """Give the replicas (time stopped at the end) the time to finish what is under way: after a kill of
    all three near the end, new ones must start and take over, which takes a while on a busy host."""
    engine = create_engine(database_url(url, data))
    ledger = Ledger(engine)
    deadline = time.monotonic() + READY_WAIT_S
    try:
        while True:
            statuses = {c: await ledger.status(c, DAY) for c in channels}
            if all(s == "done" for s in statuses.values()):
                return
            left = ", ".join(f"{c} {s}" for c, s in statuses.items() if s != "done")
            assert time.monotonic() < deadline, f"digests not done {READY_WAIT_S} s after the clock stopped: {left}"
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()


def check_slack(fake: FakeSlack, channels: list[ChannelRef]) -> None:
    for channel in channels:
        for card, seeds in slack_cards(fake, channel, PAPERS):
            assert len(seeds) == 1, f"{channel}: {len(seeds)} seeds under {card['ts']}"


def check_discord(fake: FakeDiscord, channels: list[ChannelRef]) -> None:
    for channel in channels:
        for card, seeds in discord_cards(fake, channel, PAPERS):
            assert card["id"] in fake.channels, f"{channel}: card {card['id']} has no thread"
            assert len(seeds) == 1, f"{channel}: {len(seeds)} seeds in thread {card['id']}"


async def check_ledger(url: str | None, data: Path, channels: list[ChannelRef]) -> None:
    engine = create_engine(database_url(url, data))
    try:
        ledger = Ledger(engine)
        statuses = Counter([await ledger.status(c, DAY) for c in channels])
        assert statuses == Counter({"done": len(channels)}), statuses
    finally:
        await engine.dispose()
