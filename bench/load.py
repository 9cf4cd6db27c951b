"""paperboy under load, quiet and with every core busy: searches, and `/papers` bursts on Slack and Discord.

    python -m bench.load [--papers 100000] [--bursts 10,200]

1. **Search**: the judged queries of bench/relevance.py (labels and paraphrases, 196) through the
   search service, one at a time, timed each; on a quiet host, then with one spinning process per
   usable CPU (bench/busy.py), in `ROUNDS` alternating pairs. A busy round's figures move by up to
   half from one round to the next (most likely with where the host runs the spinners): each
   pair's ratio is printed, and the figures pool every round. Aim: busy p90 ≤ 2× quiet p90.
2. **Chat bursts**: the real `paperboy run` in its own process (Slack in HTTP mode and Discord, a
   store of `--papers` papers with their embeddings, offline), the fake Slack and Discord of the test
   suite in this one. N signed `/papers <topic>` requests at once to Slack, N `/papers search`
   interactions at once through the Discord gateway, each with its own topic (AI keywords and
   title-word pairs of the corpus, none asked twice, so none has its embedding cached). Slack: each
   request, from its bytes leaving to its ack (HTTP 200) arriving, stamped by the kernel
   (`bench/wire.py`: the generator shares the CPUs, and its own wait to send the rest of the burst
   is not the bot's; the acks' p99 from the burst's start follows each row), and the burst's start
   → its answer (the response_url post); Discord: the burst's start → deferred (the callback) and →
   answered (the follow-up). One gateway connection carries a burst's interactions one after
   another, as Discord's does: the time the fake took to send them all is printed with each Discord
   row (the last defer can come no sooner). Aims: ack p99 ≤ 100 ms in every case,
   answers p99 ≤ 2 s at 200 at once, every Discord defer within 3 s.
Figures are wall clock on this machine, one run; medians, p90 and p99 of each burst.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.busy import busy_host, usable_cpus
from bench.core import percentile, queries
from bench.fill import fill_store
from bench.relevance import FRESH, PARAPHRASES
from bench.slack_latency import SECRET, signed
from bench.wire import request, send_at_once
from bot.embedding.model import shared_encoder
from bot.host.heap import freeze_heap
from bot.search.service import SearchService
from bot.store.embeddings import EmbeddingStore
from bot.store.engine import create_engine, database_url
from bot.store.papers import PaperStore
from tests.fakes.discord import APP_ID, FakeDiscord
from tests.fakes.slack import FakeSlack

TOKEN = base64.b64encode(APP_ID.encode()).decode().rstrip("=") + ".bench.token"


ROUNDS = 5  # quiet and busy search rounds, alternating


def judged_queries() -> list[str]:
    return [text for table in (PARAPHRASES, FRESH) for pair in table.items() for text in pair]


def figures(values: list[float]) -> str:
    return f"p50 {statistics.median(values):7.1f}  p90 {percentile(values, 90):7.1f}  p99 {percentile(values, 99):7.1f}"


@contextlib.contextmanager
def host(busy: bool) -> Iterator[None]:
    if busy:
        with busy_host():
            yield
    else:
        yield


async def search_round(search: SearchService, asked: list[str]) -> list[float]:
    index = await search.index()
    index.forget_queries()  # every query's embedding is computed inside its timing
    took = []
    for query in asked:
        started = time.perf_counter()
        await search.search(query)
        took.append((time.perf_counter() - started) * 1000)
    return took


async def search_figures(folder: Path) -> None:
    engine = create_engine(database_url(None, folder))
    search = SearchService(PaperStore(engine), EmbeddingStore(engine), shared_encoder())
    asked = judged_queries()
    await search_round(search, asked[:5])  # index built, model loaded
    quiet: list[float] = []
    busy: list[float] = []
    ratios = []
    for _ in range(ROUNDS):
        quiet_round = await search_round(search, asked)
        with busy_host() as spinners:
            busy_round = await search_round(search, asked)
        ratios.append(percentile(busy_round, 90) / percentile(quiet_round, 90))
        quiet += quiet_round
        busy += busy_round
    await search.close()
    await engine.dispose()
    print(f"\nsearch, {len(asked)} judged queries through the search service, {ROUNDS} rounds of each, ms:")
    print(f"  quiet                     {figures(quiet)}")
    print(f"  busy ({spinners} spinning procs)  {figures(busy)}")
    ratio = percentile(busy, 90) / percentile(quiet, 90)
    each = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"  busy p90 / quiet p90 = {ratio:.2f}x (aim ≤ 2x); each pair of rounds: {each}")


class Chat:
    """`paperboy run` in a child process, talking to the fake Slack and Discord in this one."""

    def __init__(self, folder: Path, topics: list[str]) -> None:
        self.folder = folder
        self.topics = topics
        self.slack = FakeSlack()
        self.discord = FakeDiscord()
        self.process: asyncio.subprocess.Process | None = None
        self.port = 0
        self.asked = 0
        self.sending_ms = 0.0  # how long the last burst took to send
        self.from_start: list[float] = []  # the last Slack burst's acks, from its start

    def topic(self) -> str:
        """The next topic: never one asked before (its embedding would be cached). A run asking more
        than there are tells them apart by number."""
        topic = self.topics[self.asked % len(self.topics)]
        self.asked += 1
        return topic if self.asked <= len(self.topics) else f"{topic} {self.asked}"

    async def start(self) -> None:
        await self.slack.start()
        await self.discord.start()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOY_", "SLACK_", "DISCORD_"))}
        env.update(
            PAPERBOY_DATA_DIR=str(self.folder),
            PAPERBOY_OFFLINE="1",
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            PAPERBOY_SLACK_API_URL=self.slack.base_url,
            PAPERBOY_SLACK_PORT=str(self.port),
            DISCORD_TOKEN=TOKEN,
            PAPERBOY_DISCORD_API_URL=self.discord.api_url,
            PAPERBOY_DISCORD_GATEWAY_URL=self.discord.gateway_url,
        )
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, cwd=self.folder, stderr=subprocess.DEVNULL
        )
        async with httpx.AsyncClient(timeout=5) as client:
            for _ in range(1200):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"http://127.0.0.1:{self.port}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("paperboy run never listened")
        await asyncio.wait_for(self.discord.identified.wait(), 120)
        await self.slack_burst(1, within=600)  # the index is built at the first search
        await self.discord_burst(1, within=600)
        # This process is the instrument: the fakes stamp each ack, defer and answer as it comes. Its
        # full collections (over the fill's objects: up to 230 ms each) would stop those clocks.
        freeze_heap()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 60)
        await self.slack.stop()
        await self.discord.stop()

    async def slack_burst(self, count: int, within: float = 120) -> tuple[list[float], list[float]]:
        """`count` signed /papers requests at once: each one's ms to its ack and to its answer."""
        names = [f"b{self.asked + i}" for i in range(count)]
        bodies = [
            urlencode(
                {
                    "team_id": "T1",
                    "channel_id": "C1",
                    "channel_name": "papers",
                    "user_id": "U1",
                    "command": "/papers",
                    "text": self.topic(),
                    "response_url": self.slack.response_url(name),
                    "trigger_id": "1",
                }
            )
            for name in names
        ]
        started = time.monotonic()
        acks = await send_at_once(self.port, [request(self.port, "/slack/events", b, signed(b)) for b in bodies])
        assert set(acks.statuses) == {200}, acks.statuses
        self.sending_ms, self.from_start = acks.sending, acks.from_start
        await self.slack.wait_for(lambda: all(n in self.slack.answered for n in names), within=within)
        return acks.each, [(self.slack.answered[n] - started) * 1000 for n in names]

    async def discord_burst(self, count: int, within: float = 120) -> tuple[list[float], list[float]]:
        """`count` /papers search interactions at once: each one's ms to its defer and to its follow-up."""
        started = time.monotonic()
        ids = [await self.discord.slash("search", {"topic": self.topic()}) for _ in range(count)]
        self.sending_ms = (time.monotonic() - started) * 1000  # one gateway: the fake sends them in turn

        def seen(pattern: str) -> dict[str, float]:
            found: dict[str, float] = {}
            for sent in self.discord.sent:
                match = re.search(pattern, sent.path)
                if match and match.group(1) in ids:
                    found.setdefault(match.group(1), sent.at)
            return found

        deferred = r"/interactions/(\d+)/[^/]+/callback$"
        answered = r"/webhooks/\d+/token-(\d+)"
        await self.discord.wait_for(lambda: len(seen(answered)) == count, within=within)
        defers, answers = seen(deferred), seen(answered)
        return [(defers[i] - started) * 1000 for i in ids], [(answers[i] - started) * 1000 for i in ids]


async def chat_figures(folder: Path, bursts: list[int], topics: list[str]) -> None:
    chat = Chat(folder, topics)
    await chat.start()
    try:
        print(
            "\n/papers bursts to `paperboy run` (Slack HTTP mode and Discord), ms. A Slack ack: from its request's"
            "\nsending to its arrival (bench/wire.py; its p99 from the burst's start follows the row). A Discord"
            "\ndefer, and every answer: from the burst's start."
        )
        print(f"  {'host':<6}{'at once':>8}  {'surface':<8} {'first response (ack / defer)':<42} answer")
        for busy in (False, True):
            with host(busy):
                for count in bursts:
                    for surface, burst in (("Slack", chat.slack_burst), ("Discord", chat.discord_burst)):
                        first, answer = await burst(count)
                        late = sum(1 for v in first if v > 3000)
                        sent = f"sent over {chat.sending_ms:.0f} ms"
                        if surface == "Slack":
                            sent = f"acks from the start: p99 {percentile(chat.from_start, 99):.1f}; {sent}"
                        print(
                            f"  {'busy' if busy else 'quiet':<6}{count:>8}  {surface:<8} {figures(first)}"
                            f"{f' ({late} late)' if late else '':<10}  {figures(answer)} ({sent})",
                            flush=True,
                        )
    finally:
        await chat.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--papers", type=int, default=100_000, help="papers in the store (the corpus scaled up)")
    parser.add_argument("--bursts", default="10,200", help="commands sent at once, comma-separated")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--skip-chat", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        papers, listings = await fill_store(folder, args.papers)
        print(f"store: {len(papers):,} papers with embeddings (SQLite); {usable_cpus()} usable CPUs")
        if not args.skip_search:
            await search_figures(folder)
        if not args.skip_chat:
            await chat_figures(
                folder, [int(n) for n in args.bursts.split(",")], list(dict.fromkeys(queries(listings, 1000)))
            )


if __name__ == "__main__":
    asyncio.run(main())
