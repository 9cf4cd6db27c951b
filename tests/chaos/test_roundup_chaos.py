"""Chaos for the roundup: three replicas, SIGKILLed at random and restarted at once, deliver a week's
roundups to 16 channels across a DST change, and keep every posted card's thread alive while two
'syncs' bring news: every roundup comes once, every note is posted once in its thread.

Slack and Discord are the fakes on 127.0.0.1 (their real SDK clients do the talking); the store is one
SQLite file shared by the processes, or one PostgreSQL database. Leases last a week: work a killed
replica had begun can only be finished by another taking it over at once, because its lock died with it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.models import Listing, Paper
from bot.domain.weeks import week_key
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.tables import digests, follows, thread_notes
from tests.chaos.channels import mixed_channel
from tests.chaos.fleet import READY_WAIT_S, discord_cards, kill_all, kill_some, slack_cards, spawner
from tests.chaos.test_chaos import replica_env, write_clock
from tests.conftest import BACKENDS, backend
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack

MONDAY = date(2026, 3, 23)  # Europe's clocks go forward on Sunday 29 March
START = datetime(2026, 3, 26, 23, 50, tzinfo=UTC)
NEWS = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # a sync brings code and upvotes
MARK = datetime(2026, 3, 30, 4, 0, tzinfo=UTC)  # after the last roundup: 600 upvotes for every paper
END = datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
STEP = timedelta(minutes=15)
pytestmark = pytest.mark.slow
PAPERS = 3
# (day, time, zone): Sunday 02:30 in Berlin and 01:30 in London do not exist that week.
SCHEDULES = (
    ("sun", "02:30", "Europe/Berlin"),
    ("sun", "01:30", "Europe/London"),
    ("fri", "16:00", "Europe/Berlin"),
    ("sat", "09:00", "America/New_York"),
    ("fri", "09:00", "Asia/Tokyo"),
    ("sun", "20:00", "America/Los_Angeles"),
    ("fri", "18:30", "UTC"),
    ("sat", "23:45", "Australia/Sydney"),
)


async def seed(url: str | None, data: Path, discord: FakeDiscord) -> list[ChannelRef]:
    engine = create_engine(database_url(url, data))
    await migrate(engine)
    store = PaperStore(engine)
    for offset in range(5):
        day = MONDAY + timedelta(days=offset)
        papers = [
            Paper(arxiv_id=f"2603.{offset}{n:04d}", title=f"Paper {offset}.{n}", upvotes=10 * n) for n in range(6)
        ]
        await store.save_listings([Listing(p, day, rank) for rank, p in enumerate(reversed(papers), 1)], fetched=[day])
    subscriptions = SubscriptionStore(engine)
    channels = []
    for i in range(16):
        channel = mixed_channel(discord, i, 3100000000000000000, f"CW{i:03d}", f"w{i}")
        weekday, at, zone = SCHEDULES[(i // 2) % len(SCHEDULES)]
        await subscriptions.save(
            Subscription(channel=channel, cadence="weekly", days=weekday, time=at, timezone=zone, limit=PAPERS)
        )
        channels.append(channel)
    await engine.dispose()
    return channels


async def bring(url: str | None, data: Path, change: dict[str, object]) -> None:
    """What a sync would write: every paper of the week changed the same way (upvotes only grow)."""
    engine = create_engine(database_url(url, data))
    try:
        store = PaperStore(engine)
        for offset in range(5):
            papers = await store.listing(MONDAY + timedelta(days=offset))
            updated = []
            for p in papers:
                values = {k: (v(p) if callable(v) else v) for k, v in change.items()}
                updated.append(p.model_copy(update=values))
            await store.save_papers(updated)
    finally:
        await engine.dispose()


@pytest.mark.timeout(600)  # 30 kills and two waits of up to two minutes, on a busy machine
@pytest.mark.parametrize("backend_name", BACKENDS)
async def test_replicas_killed_at_random_post_each_roundup_and_each_note_once(
    backend_name: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    discord = FakeDiscord(latency=0.02)
    fake_slack.latency = 0.02
    await discord.start()
    clock = tmp_path / "clock"
    write_clock(clock, START)
    async with backend(backend_name) as url:
        channels = await seed(url, tmp_path, discord)
        env = replica_env(tmp_path, url, fake_slack, discord, clock) | {"CHAOS_READY": str(tmp_path)}

        errors = (tmp_path / "replicas.log").open("ab")

        # what a replica says before it dies (of itself, not of a kill) goes to replicas.log
        spawn = spawner(env, "tests.chaos.roundup_replica", stderr=errors)
        replicas = [await spawn() for _ in range(3)]
        rng = random.Random(23)
        kills = 0
        now = START
        pending: list[tuple[datetime, dict[str, object]]] = [
            (NEWS, {"github_repo": "https://github.com/lab/code", "upvotes": lambda p: p.upvotes + 80}),
            (MARK, {"upvotes": 600}),
        ]
        try:
            while now < END:
                await one_up(replicas, tmp_path)
                now += STEP
                write_clock(clock, now)
                await swept(replicas, tmp_path, now)
                if pending and now >= pending[0][0]:
                    if pending[0][0] == MARK:
                        await roundups_done(channels, url, tmp_path)
                    await bring(url, tmp_path, pending.pop(0)[1])
                await asyncio.sleep(0.05)
                kills += await kill_some(replicas, rng, spawn)
            await settle(channels, url, tmp_path)
        finally:
            await kill_all(replicas)
            errors.close()
        assert kills >= 20
        takeovers = (
            (tmp_path / "takeovers").read_text(encoding="utf-8").splitlines()
            if (tmp_path / "takeovers").exists()
            else []
        )
        print(f"{kills} kills; {len(takeovers)} roundups taken over mid-way")
        await check_ledger(url, tmp_path, channels)
        check_slack(fake_slack, [c for c in channels if c.platform == "slack"])
        check_discord(discord, [c for c in channels if c.platform == "discord"])
    await discord.stop()


async def swept(replicas: list[asyncio.subprocess.Process], ready: Path, now: datetime) -> None:
    """Wait (in real time) until a replica has swept at `now`: every step of simulated time is seen by a
    sweep, so a roundup whose window is one step long (Saturday 23:45 in Sydney) is never missed because
    a loaded machine's replicas were slower than the clock."""
    deadline = time.monotonic() + READY_WAIT_S
    while time.monotonic() < deadline:
        for p in replicas:
            if p.returncode is None and (at := ready / f"{p.pid}.swept").exists():
                try:
                    if datetime.fromisoformat(at.read_text(encoding="utf-8")) >= now:
                        return
                except ValueError:
                    pass  # caught while being written
        await asyncio.sleep(0.01)
    raise AssertionError(f"no replica swept at {now} within {READY_WAIT_S} s")


async def one_up(replicas: list[asyncio.subprocess.Process], ready: Path) -> None:
    """Wait (in real time) until a replica is serving: simulated time passes only while one is, so no
    roundup is missed because every replica was still starting (which takes seconds on a busy machine)."""
    deadline = time.monotonic() + READY_WAIT_S
    while time.monotonic() < deadline:
        if any((ready / str(p.pid)).exists() for p in replicas if p.returncode is None):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no replica came up within {READY_WAIT_S} s")


async def roundups_done(channels: list[ChannelRef], url: str | None, data: Path) -> None:
    """Hold simulated time at MARK until every roundup is done (a busy machine may still be posting the
    last, due an hour before): a card begun after the upvotes pass 500 rightly shows 600 and gets no
    note, and the checks expect one under every card."""
    engine = create_engine(database_url(url, data))
    ledger = Ledger(engine)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if not await roundups_left(ledger, channels):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"roundups not done 120 s after they were due: {await roundups_left(ledger, channels)}")
    finally:
        await engine.dispose()


async def roundups_left(ledger: Ledger, channels: list[ChannelRef]) -> dict[str, str | None]:
    """The channels whose roundup is not done yet, with its ledger status (None: not claimed yet)."""
    statuses = {str(c): await ledger.status(c, week_key(MONDAY)) for c in channels}
    return {c: s for c, s in statuses.items() if s != "done"}


async def settle(channels: list[ChannelRef], url: str | None, data: Path) -> None:
    """Give the replicas (time stopped at the end) up to two minutes by the wall clock to finish what is
    under way, then fail saying what is still missing, so a slow machine's note still on its way is told
    from a lost one: a card followed as posted with 500 upvotes or more (its note will never come), a note
    claimed and never finished, a roundup not done."""
    engine = create_engine(database_url(url, data))
    ledger = Ledger(engine)
    deadline = time.monotonic() + 120
    try:
        while True:
            left = await roundups_left(ledger, channels)
            async with engine.connect() as conn:
                cards = (await conn.execute(select(follows))).all()
                notes = (await conn.execute(select(thread_notes))).all()
            marked = {(n.platform, n.channel, n.arxiv_id) for n in notes if n.event == "upvotes:500"}
            unmarked = [c for c in cards if (c.platform, c.channel, c.arxiv_id) not in marked]
            claimed = [n for n in notes if n.status == "claimed"]
            if not left and len(cards) == len(channels) * PAPERS and not unmarked and not claimed:
                return
            if time.monotonic() >= deadline:
                break
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    lost = [f"{c.platform}:{c.channel} {c.arxiv_id} followed as posted with {c.upvotes}" for c in unmarked]
    raise AssertionError(
        "still not settled after 120 s: "
        f"roundups not done {left or 'none'}; "
        f"{len(cards)} of {len(channels) * PAPERS} cards followed; "
        f"{len(unmarked)} followed cards without a 500-upvotes note ({'; '.join(lost) or 'none'}; "
        "one followed with 500 or more will never get it: lost); "
        f"{len(claimed)} notes claimed and not finished "
        f"({'; '.join(f'{n.platform}:{n.channel} {n.arxiv_id} {n.event} by {n.owner}' for n in claimed) or 'none'})"
    )


def check_slack(fake: FakeSlack, channels: list[ChannelRef]) -> None:
    for channel in channels:
        for card, replies in slack_cards(fake, channel, PAPERS):
            marks = [m for m in replies if m["metadata"]["event_payload"]["key"].endswith(":upvotes:500")]
            assert len(marks) == 1, f"{channel}: {len(marks)} notes of 500 upvotes under {card['ts']}"


def check_discord(fake: FakeDiscord, channels: list[ChannelRef]) -> None:
    for channel in channels:
        for card, thread in discord_cards(fake, channel, PAPERS):
            marks = [m for m in thread if m["content"].startswith("**Past 500 upvotes**")]
            assert len(marks) == 1, f"{channel}: {len(marks)} notes of 500 upvotes in thread {card['id']}"
            contents = [m["content"] for m in thread if m["content"]]
            assert len(contents) == len(set(contents)), f"{channel}: a note twice in thread {card['id']}"


async def check_ledger(url: str | None, data: Path, channels: list[ChannelRef]) -> None:
    engine = create_engine(database_url(url, data))
    try:
        ledger = Ledger(engine)
        statuses = {str(c): await ledger.status(c, week_key(MONDAY)) for c in channels}
        async with engine.connect() as conn:
            rows = (
                await conn.execute(select(digests.c.channel, digests.c.day, digests.c.status, digests.c.error))
            ).all()
        assert Counter(statuses.values()) == Counter({"done": len(channels)}), (statuses, rows)
        async with engine.connect() as conn:
            notes = Counter((await conn.execute(select(thread_notes.c.status))).scalars())
        assert set(notes) == {"posted"}, notes
        print(f"notes posted: {notes['posted']}")
    finally:
        await engine.dispose()
