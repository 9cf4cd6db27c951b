"""The chaos tests' replicas and what they leave on the fakes: starting a replica process, killing some at
random and starting them again at once, killing the rest at the end; each channel's cards and threads."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import IO, Any

from bot.domain.channels import ChannelRef
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
Process = asyncio.subprocess.Process
Spawn = Callable[[], Awaitable[Process]]
Message = dict[str, Any]
READY_WAIT_S = 120  # a replica starting on a very busy host


def spawner(env: Mapping[str, str], *args: str, stderr: IO[bytes] | int = subprocess.DEVNULL) -> Spawn:
    """Starts `python -m <args>` from the repository root, with `env`; what it prints goes nowhere,
    but for its standard error when `stderr` is a file."""

    async def spawn() -> Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", *args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr
        )

    return spawn


async def kill(process: Process) -> None:
    """SIGKILL: the replica gets no word and no time to tidy up; returns once it is dead. A replica that
    ended by itself is a failure of the test (what it said is in the test's log, where it keeps one)."""
    assert process.returncode is None, f"replica {process.pid} ended by itself, status {process.returncode}"
    process.send_signal(signal.SIGKILL)
    await process.wait()


async def kill_some(
    replicas: list[Process],
    rng: random.Random,
    spawn: Spawn,
    killed: Callable[[int | None], Awaitable[None]] | None = None,
    ready: Callable[[Process], bool] | None = None,
) -> int:
    """One step in about twelve, kill one replica at random, or (one time in five) all of them, telling
    `killed` each one's pid as it dies, then start each again at once. How many were killed. With
    `ready`, only replicas it says are at work are killed (on a loaded host a replica may take seconds
    to start, and kills that only ever land on starting replicas test nothing); a kill waits for one to
    be at work, so the count of kills is the seed's, however slowly the host starts them."""
    if rng.random() >= 0.08:
        return 0
    deadline = time.monotonic() + READY_WAIT_S
    while not (candidates := [i for i, replica in enumerate(replicas) if ready is None or ready(replica)]):
        assert time.monotonic() < deadline, f"no replica at work {READY_WAIT_S} s after the last kill"
        await asyncio.sleep(0.05)
    victims = candidates if rng.random() < 0.2 else [rng.choice(candidates)]
    for victim in victims:
        await kill(replicas[victim])
        if killed is not None:
            await killed(replicas[victim].pid)
    for victim in victims:
        replicas[victim] = await spawn()
    return len(victims)


async def kill_all(replicas: list[Process]) -> None:
    """The end of a test: kill every replica still running."""
    for process in replicas:
        if process.returncode is None:
            await kill(process)


def slack_cards(fake: FakeSlack, channel: ChannelRef, papers: int) -> list[tuple[Message, list[Message]]]:
    """Each card the fake Slack holds in `channel`, with the replies in its thread, once the channel is
    checked to hold no message twice (by its metadata key) and exactly a header and `papers` cards."""
    stored = fake.stored.get(channel.channel, [])
    keys = [m["metadata"]["event_payload"]["key"] for m in stored if m.get("metadata")]
    assert len(keys) == len(set(keys)), f"duplicates in {channel}: {Counter(keys).most_common(3)}"
    roots = [m for m in stored if "thread_ts" not in m]
    assert len(roots) == 1 + papers, f"{channel}: {len(roots)} top-level messages"
    return [(card, [m for m in stored if m.get("thread_ts") == card["ts"]]) for card in roots[1:]]


def discord_cards(fake: FakeDiscord, channel: ChannelRef, papers: int) -> list[tuple[Message, list[Message]]]:
    """Each card the fake Discord holds in `channel`, with the messages of its thread, once the channel is
    checked to hold exactly a header and `papers` cards."""
    stored = fake.stored.get(channel.channel, [])
    assert len(stored) == 1 + papers, f"{channel}: {len(stored)} messages"
    return [(card, fake.stored.get(card["id"], [])) for card in stored[1:]]
