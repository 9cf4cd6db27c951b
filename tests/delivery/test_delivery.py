"""Many digests delivered at once (`deliver_many`), on SQLite and PostgreSQL: each channel gets what
`deliver` would give it alone, while the work before the posts is shared."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.delivery.digest import DigestOptions, build_digest
from bot.delivery.digest_delivery import DigestDelivery, Wanted
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.errors import ConfigError
from bot.domain.models import Listing, Paper
from bot.domain.post import Post
from bot.domain.publishing import MessageRef
from bot.search.port import SearchFilters, SearchHit
from bot.search.service import SearchService
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.tables import fetched_days
from tests.conftest import search_over
from tests.fakes.publisher import RecordingPublisher

DAY = date(2026, 6, 2)
NOW = datetime(2026, 6, 2, 9, tzinfo=UTC)


class CountingSearch:
    """The real search, counting what it is asked."""

    def __init__(self, inner: SearchService) -> None:
        self.inner = inner
        self.queries: list[str] = []

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        self.queries.append(query)
        return await self.inner.search(query, filters, limit)

    async def respelled(self, query: str) -> str | None:
        return await self.inner.respelled(query)


def paper(arxiv_id: str, title: str, upvotes: int) -> Paper:
    return Paper(arxiv_id=arxiv_id, title=title, abstract=f"{title}.", upvotes=upvotes)


async def listed(store: PaperStore) -> None:
    papers = [
        paper("2606.00001", "Diffusion models for video", 90),
        paper("2606.00002", "Reinforcement learning for robots", 80),
        paper("2606.00003", "Diffusion transformers at scale", 70),
        paper("2606.00004", "Speech recognition in noise", 60),
        paper("2606.00005", "Diffusion for molecules", 5),
    ]
    await store.save_listings([Listing(p, DAY, n) for n, p in enumerate(papers, start=1)])


def delivery(store: PaperStore, publisher: RecordingPublisher, search: CountingSearch, owner: str) -> DigestDelivery:
    ledger = Ledger(store.engine, owner=owner, lease=timedelta(minutes=2))
    return DigestDelivery(
        store, search, ledger, SubscriptionStore(store.engine), {"slack": publisher}, clock=lambda: NOW
    )


def cards(publisher: RecordingPublisher, channel: str) -> list[str]:
    return [k.split(":")[1] for k in publisher.keys(channel) if not k.endswith((":header", ":seed"))]


async def test_many_channels_at_once_each_get_their_own_digest(store: PaperStore) -> None:
    await listed(store)
    publisher = RecordingPublisher()
    search = CountingSearch(search_over(store))
    diffusion = DigestOptions(topics=("diffusion",), limit=2)
    wanted = [Wanted(ChannelRef("slack", f"CDIFF{n}"), diffusion, DAY) for n in range(5)]
    wanted += [
        Wanted(ChannelRef("slack", "CALL"), DigestOptions(limit=3), DAY),
        Wanted(ChannelRef("slack", "CVOTED"), DigestOptions(topics=("diffusion",), limit=5, min_upvotes=50), DAY),
    ]
    results = await delivery(store, publisher, search, "a").deliver_many(wanted)
    assert [r.channel for r in results] == [w.channel for w in wanted]  # one result each, in order
    assert [r.outcome for r in results] == ["posted"] * 7
    for n in range(5):
        assert cards(publisher, f"CDIFF{n}") == ["2606.00001", "2606.00003"]
    assert cards(publisher, "CALL") == ["2606.00001", "2606.00002", "2606.00003"]
    assert cards(publisher, "CVOTED") == ["2606.00001", "2606.00003"]
    assert search.queries == ["diffusion", "diffusion"]  # once for the five alike, once with the upvote floor


async def test_a_channel_is_never_sent_a_paper_again_though_its_digest_is_shared(store: PaperStore) -> None:
    await listed(store)
    earlier = DAY - timedelta(days=1)
    await store.save_listings([Listing(paper("2606.00001", "Diffusion models for video", 90), earlier, 1)])
    publisher = RecordingPublisher()
    search = CountingSearch(search_over(store))
    first = delivery(store, publisher, search, "a")
    assert (await first.deliver(ChannelRef("slack", "CSEEN"), DigestOptions(limit=1), earlier)).outcome == "posted"
    options = DigestOptions(limit=2)
    results = await first.deliver_many([Wanted(ChannelRef("slack", c), options, DAY) for c in ("CSEEN", "CNEW")])
    assert [r.papers for r in results] == [2, 2]
    assert cards(publisher, "CSEEN") == ["2606.00001", "2606.00002", "2606.00003"]  # the 1st came yesterday
    assert cards(publisher, "CNEW") == ["2606.00001", "2606.00002"]


async def test_digests_claimed_elsewhere_or_already_delivered_are_left_alone(store: PaperStore) -> None:
    await listed(store)
    publisher = RecordingPublisher()
    search = CountingSearch(search_over(store))
    options = DigestOptions(limit=1)
    done, held, free = (ChannelRef("slack", c) for c in ("CDONE", "CHELD", "CFREE"))
    a = delivery(store, publisher, search, "a")
    await a.deliver(done, options, DAY)
    elsewhere = Ledger(store.engine, owner="elsewhere", lease=timedelta(minutes=2))  # a live process
    await elsewhere.claim(held, DAY, NOW)
    before = len(publisher.posted)
    try:
        results = await a.deliver_many([Wanted(c, options, DAY) for c in (done, held, free)])
    finally:
        await elsewhere.close()
    assert [r.outcome for r in results] == ["already", "busy", "posted"]
    assert results[0].papers == 1
    assert {p.channel for p in publisher.posted[before:]} == {"CFREE"}


class Faulty(RecordingPublisher):
    """Posts to every channel but one, whose first post meets `error`, which no step expects."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        if channel == "CBROKEN":
            raise self.error
        return await super().post_header(channel, post, key)


def read_only_write(folder: Path) -> DBAPIError:
    """SQLAlchemy's error for a write to a read-only SQLite file, as a delivery's store write would meet it."""
    path = folder / "ro.db"
    sqlite3.connect(path).execute("CREATE TABLE t (secret TEXT)").connection.commit()
    try:
        sqlite3.connect(f"file:{path}?mode=ro", uri=True).execute("INSERT INTO t VALUES ('a secret title')")
    except sqlite3.OperationalError as exc:
        return OperationalError("INSERT INTO t VALUES (?)", ("a secret title",), exc)
    raise AssertionError("the read-only write went through")


@pytest.mark.parametrize("kind", ["a fault of ours", "the store's"])
async def test_an_unexpected_error_in_one_channel_fails_that_digest_and_sees_the_others_through(
    store: PaperStore, kind: str, tmp_path: Path
) -> None:
    """Said in our words, a store's fault as the store's: never the error's own text (SQL, parameters)."""
    error = KeyError("a fault of ours") if kind == "a fault of ours" else read_only_write(tmp_path)
    await listed(store)
    publisher = Faulty(error)
    search = CountingSearch(search_over(store))
    options = DigestOptions(limit=2)
    wanted = [Wanted(ChannelRef("slack", c), options, DAY) for c in ("CFIRST", "CBROKEN", "CLAST")]
    results = await delivery(store, publisher, search, "a").deliver_many(wanted)
    assert [r.outcome for r in results] == ["posted", "failed", "posted"]
    reason = results[1].reason or ""
    assert reason.endswith("; tried again at the next sweep") and "secret" not in reason and "INSERT" not in reason
    if kind == "a fault of ours":
        assert reason.startswith("an unexpected error (KeyError; see the log)")
    elif store.engine.url.get_backend_name() == "sqlite":  # the store's words for the store it is
        assert reason.startswith("the store ") and "writable" in reason
    assert {p.channel for p in publisher.posted} == {"CFIRST", "CLAST"}
    with pytest.raises(type(error)):  # one digest asked for (`paperboy post`): its error goes up, as before
        await delivery(store, publisher, search, "b").deliver(ChannelRef("slack", "CBROKEN"), options, DAY)


@pytest.mark.parametrize(
    ("fetched", "said"),
    [
        (True, "Hugging Face listed no papers on Saturday 6 June 2026 (it lists papers on weekdays)."),
        (
            False,
            "Saturday 6 June 2026 is not in the store (a Saturday: Hugging Face lists papers on weekdays, so it most"
            " likely had none): run `paperboy sync --date 2026-06-06` to fetch it.",
        ),
    ],
)
async def test_a_digest_of_a_day_with_no_papers_says_whether_it_was_listed_empty_or_never_fetched(
    store: PaperStore, fetched: bool, said: str
) -> None:
    """A day a sync found empty was posted as "not in the store" (the delivery read no record of it), where
    `paperboy digest` said what is true (found by the delivery audit)."""
    empty = date(2026, 6, 6)
    if fetched:
        await store.save_listings([], fetched=[empty])
        async with store.engine.begin() as conn:  # fetched once the day had ended everywhere: final
            await conn.execute(update(fetched_days).values(fetched_at=datetime(2026, 6, 7, 13, tzinfo=UTC)))
    publisher = RecordingPublisher()
    result = await delivery(store, publisher, CountingSearch(search_over(store)), "a").deliver(
        ChannelRef("slack", "CEMPTY"), DigestOptions(), empty
    )
    assert [h.empty for h in publisher.headers] == [said] and result.reason == said
    built = await build_digest(store, search_over(store), DigestOptions(), empty)
    assert built.to_post().empty == said  # what `paperboy digest` says of it


async def test_a_post_to_a_platform_not_configured_says_what_a_post_needs(store: PaperStore) -> None:
    """It said to set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET: a post needs the bot token alone."""
    await listed(store)
    only_slack = delivery(store, RecordingPublisher(), CountingSearch(search_over(store)), "a")
    with pytest.raises(ConfigError) as refused:
        await only_slack.deliver(ChannelRef("discord", "123"), DigestOptions(limit=3), DAY)
    assert str(refused.value) == "Discord is not configured: set DISCORD_TOKEN (or [discord] token in the config file)"
