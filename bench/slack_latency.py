"""`/papers <topic>` through Slack's HTTP mode, with the whole corpus loaded: signed request to ack, and to answer.

    python -m bench.slack_latency [--queries 200] [--papers 100000]

The bot is the real bolt AsyncApp on 127.0.0.1 wired to the real core; Slack is the test suite's fake
(its response_url receives the answer). Figures are wall-clock on this machine, medians and p99.
Search is hybrid (the embedding model and stored embeddings, as `paperboy run` has them); with
`--papers N` the store holds the corpus scaled up to N papers (bench/synthetic.py) and their vectors.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from adapters.slack.app import SlackRuntime, create_app, slack_client
from adapters.slack.publisher import SlackPublisher
from bench.core import percentile, queries
from bench.fill import fill_store
from bot.chat.service import ChatService
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.config import DigestDefaults
from bot.embedding.model import shared_encoder
from bot.ingest.catalog import Catalog
from bot.search.service import SearchService
from bot.store.embeddings import EmbeddingStore
from bot.store.engine import create_engine, database_url
from bot.store.papers import PaperStore
from tests.fakes.slack import FakeSlack

SECRET = "bench-secret"


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


async def timed(
    http: httpx.AsyncClient, fake: FakeSlack, url: str, body: str, headers: dict[str, str]
) -> tuple[float, float]:
    """POST a signed request: ms to its HTTP 200, and to what it makes the bot send the fake Slack next."""
    answered = fake.next_response()
    started = time.perf_counter()
    response = await http.post(url, content=body, headers=headers)
    acked = time.perf_counter()
    await asyncio.wait_for(answered, 10)
    done = time.perf_counter()
    assert response.status_code == 200, response.text
    return (acked - started) * 1000, (done - started) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--papers", type=int, default=0, help="scale the corpus up to this many papers")
    args = parser.parse_args()
    fake = FakeSlack()
    await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        papers, listings = await fill_store(Path(folder), args.papers)
        engine = create_engine(database_url(None, Path(folder)))
        store = PaperStore(engine)
        embeddings = EmbeddingStore(engine)
        search = SearchService(store, embeddings, shared_encoder())
        index = await search.index()  # warm: the bot builds its index once at start
        assert index.embedded == len(papers)
        shared_encoder().encode(["warm up"])
        catalog = Catalog(store, search, None, None, None)
        chat = ChatService(store, search, catalog, SubscriptionStore(engine), DigestDefaults())
        client = slack_client("xoxb-bench", fake.base_url)
        runtime = SlackRuntime(
            create_app(chat, client, SECRET, SlackPublisher(client)),
            signing_secret=SECRET,
            port=0,
            host="127.0.0.1",
        )
        await runtime.start()
        url = f"http://127.0.0.1:{runtime.port}/slack/events"
        acks: list[float] = []
        answers: list[float] = []
        asked = queries(listings, args.queries)
        async with httpx.AsyncClient(timeout=10) as http:
            for i, query in enumerate(["warm-up"] * 5 + asked):
                body = urlencode(
                    {
                        "team_id": "T1",
                        "channel_id": "C1",
                        "channel_name": "papers",
                        "user_id": "U1",
                        "command": "/papers",
                        "text": query,
                        "response_url": fake.response_url(f"q{i}"),
                        "trigger_id": "1",
                    }
                )
                acked, done = await timed(http, fake, url, body, signed(body))
                if i >= 5:
                    acks.append(acked)
                    answers.append(done)
        await runtime.stop()
        await engine.dispose()
    await fake.stop()
    print(f"store: {len(papers):,} papers, hybrid search; {len(acks)} /papers <topic> commands over HTTP mode")
    for name, values in (("ack (HTTP 200)", acks), ("answer posted", answers)):
        median, p99 = statistics.median(values), percentile(values, 99)
        print(f"signed request → {name:<15} median {median:6.1f} ms   p99 {p99:6.1f} ms")
    print("Slack's limit for the ack is 3000 ms.")


if __name__ == "__main__":
    asyncio.run(main())
