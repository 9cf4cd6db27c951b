"""Link cards through Slack's HTTP mode: a signed `link_shared` event to `chat.unfurl` at Slack.

    python -m bench.unfurl_latency [--events 300] [--papers 100000]

The real `paperboy run` in its own process (Slack in HTTP mode, offline, keyword search), its store
holding the corpus (scaled up to `--papers` with bench/synthetic.py); Slack is the test suite's fake,
in this process. Each event links one stored paper (in one of the URL forms people post), one at a
time; timed from sending the event to the `chat.unfurl` call arriving at the fake, and to the ack.
A tenth of the events link a paper the store lacks (offline: its "not in the local store" card).
Aim: p99 ≤ 100 ms for a stored paper. Figures are wall clock on this machine, one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from bench.core import CORPUS, percentile
from bench.slack_latency import timed
from bench.synthetic import scaled
from bot.domain.models import Listing, Paper
from bot.ingest.importer import read_file
from bot.store.engine import create_engine, database_url, migrate
from bot.store.papers import PaperStore
from tests.fakes.slack import FakeSlack

SECRET = "bench-secret"
FORMS = (
    "https://arxiv.org/abs/{}",
    "https://arxiv.org/abs/{}v2",
    "https://arxiv.org/pdf/{}",
    "https://www.arxiv.org/pdf/{}v1.pdf",
    "https://arxiv.org/html/{}v1",
    "https://huggingface.co/papers/{}",
    "https://hf.co/papers/{}",
)


def signed_json(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-slack-request-timestamp": ts, "x-slack-signature": signature}


def event(n: int, url: str) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": f"EvBench{n}",
            "event_time": int(time.time()),
            "event": {
                "type": "link_shared",
                "channel": "C1",
                "user": "U1",
                "message_ts": f"1767225700.{n:06d}",
                "links": [{"domain": httpx.URL(url).host, "url": url}],
                "event_ts": f"1767225700.{n:06d}",
            },
        }
    )


async def fill(folder: Path, size: int) -> list[Paper]:
    corpus = list({item.paper.arxiv_id: item.paper for item in read_file(CORPUS)}.values())
    papers = list(scaled(corpus, size)) if size > len(corpus) else corpus
    engine = create_engine(database_url(None, folder))
    try:
        await migrate(engine)
        listings = [Listing(day=p.day or date(2026, 1, 1), rank=1, paper=p) for p in papers]
        await PaperStore(engine).save_listings(listings)
    finally:
        await engine.dispose()
    return papers


async def run(folder: Path, papers: list[Paper], count: int) -> None:
    fake = FakeSlack()
    await fake.start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOY_", "SLACK_", "DISCORD_"))}
    env.update(
        PAPERBOY_DATA_DIR=str(folder),
        PAPERBOY_OFFLINE="1",
        PAPERBOY_EMBEDDINGS="0",
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        PAPERBOY_SLACK_API_URL=fake.base_url,
        PAPERBOY_SLACK_PORT=str(port),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=folder, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/slack/events"
    rng = random.Random(20261129)
    stored: tuple[list[float], list[float]] = ([], [])
    missing: list[float] = []
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(1200):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("paperboy run never listened")
            for n in range(count + 10):
                absent = n % 10 == 9
                arxiv_id = f"2401.{90000 + n:05d}" if absent else rng.choice(papers).arxiv_id
                body = event(n, rng.choice(FORMS).format(arxiv_id))
                acked, done = await timed(http, fake, url, body, signed_json(body))
                if n < 10:
                    continue  # warm-up
                if absent:
                    missing.append(done)
                else:
                    stored[0].append(acked)
                    stored[1].append(done)
        unfurls = [c.args for c in fake.calls if c.method == "chat.unfurl"]
        assert len(unfurls) == count + 10, "every event got its unfurl"
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 60)
        await fake.stop()
    print(f"store: {len(papers):,} papers; {count} link_shared events through `paperboy run` (Slack HTTP mode)")
    for name, values in (
        ("ack (HTTP 200)", stored[0]),
        ("chat.unfurl, stored", stored[1]),
        ("chat.unfurl, missing", missing),
    ):
        median, p99 = statistics.median(values), percentile(values, 99)
        print(f"event → {name:<22} n={len(values):4d}  median {median:6.1f} ms   p99 {p99:6.1f} ms")
    print("aim: p99 ≤ 100 ms from event to chat.unfurl for a stored paper")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--papers", type=int, default=0, help="scale the corpus up to this many papers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        papers = await fill(Path(folder), args.papers)
        await run(Path(folder), papers, args.events)


if __name__ == "__main__":
    asyncio.run(main())
