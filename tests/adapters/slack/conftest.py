"""A real bolt AsyncApp over HTTP on 127.0.0.1, wired to the real core, talking to a fake Slack."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from adapters.slack.app import SlackRuntime, create_app, slack_client
from adapters.slack.community import register
from adapters.slack.home import SlackMembers, home_again
from adapters.slack.publisher import SlackPublisher
from bot.chat.home import HomeService
from bot.community.service import Community
from bot.delivery.subscriptions import SubscriptionStore
from bot.ingest.catalog import Catalog
from bot.search.port import SearchFilters, SearchHit
from bot.search.service import SearchService
from bot.store.engagement import EngagementStore
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.reading import ReadingLists
from bot.surfaces.links import LinkCards
from bot.surfaces.service import Surfaces
from bot.surfaces.suggestions import Suggestions
from tests.chat.world import NOW, chat_service, offline_catalog
from tests.conftest import local_client, search_over
from tests.fakes.server import WAIT_S
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_requests import button_click, command_form, event_callback, signed_headers

SECRET = "test-signing-secret"


class SlowSearch:
    """The real search, made slow (the ack must not wait for it), or broken (a fault of ours)."""

    def __init__(self, inner: SearchService, delay: float) -> None:
        self.inner = inner
        self.delay = delay
        self.broken = False

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        import asyncio

        await asyncio.sleep(self.delay)
        if self.broken:
            raise RuntimeError("the index file vanished")
        return await self.inner.search(query, filters, limit)

    async def respelled(self, query: str) -> str | None:
        return await self.inner.respelled(query)


@dataclass
class SlackBot:
    fake: FakeSlack
    url: str
    store: PaperStore
    ledger: Ledger
    subscriptions: SubscriptionStore
    publisher: SlackPublisher
    search: SlowSearch
    community: Community
    runtime: SlackRuntime

    async def send(
        self, body: str, content_type: str, *, secret: str = SECRET, age: int = 0, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        sent = signed_headers(body, secret, content_type, age=age) | (headers or {})
        async with local_client(timeout=10) as client:
            return await client.post(self.url, content=body, headers=sent)

    async def command(
        self, text: str, *, channel: str = "C0001", user: str = "U0001", secret: str = SECRET, age: int = 0
    ) -> httpx.Response:
        name = "directmessage" if channel.startswith("D") else "papers"
        form = command_form(text, self.fake.response_url(), channel=channel, channel_name=name, user=user)
        return await self.send(urlencode(form), "application/x-www-form-urlencoded", secret=secret, age=age)

    async def click_share(self, arxiv_id: str, channel: str = "C0001") -> httpx.Response:
        return await self.click("share_paper", arxiv_id, channel=channel, response="share")

    async def click_save(self, arxiv_id: str, *, user: str = "U0001", channel: str = "C0001") -> httpx.Response:
        """The Save button under a card the bot posted in the channel (not an ephemeral answer)."""
        return await self.click("save_paper", arxiv_id, channel=channel, user=user, response="save", ephemeral=False)

    async def click(
        self,
        action: str,
        arxiv_id: str,
        *,
        channel: str = "C0001",
        user: str = "U0001",
        response: str = "r1",
        ephemeral: bool = True,
    ) -> httpx.Response:
        payload = button_click(
            action,
            f"{action.split('_')[0]}:{arxiv_id}",
            arxiv_id,
            {"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": ephemeral},
            user=user,
            channel={"id": channel, "name": "papers"},
            response_url=self.fake.response_url(response),
        )
        return await self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def event(
        self, event: dict[str, Any], *, event_id: str, retry: int | None = None, team: str = "T0001"
    ) -> httpx.Response:
        """An Events API callback, signed; `retry` adds Slack's retry headers (X-Slack-Retry-Num)."""
        when = int(float(event.get("event_ts") or event.get("ts") or time.time()))
        body = event_callback(event, team=team, event_id=event_id, event_time=when)
        headers = {"x-slack-retry-num": str(retry), "x-slack-retry-reason": "http_timeout"} if retry else None
        return await self.send(json.dumps(body), "application/json", headers=headers)

    async def mention(
        self,
        text: str,
        *,
        thread: str | None,
        event_id: str = "Ev0001",
        retry: int | None = None,
        channel: str = "C0001",
    ) -> httpx.Response:
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": "U0001",
            "text": text,
            "ts": "1767225700.000001",
            "channel": channel,
            "event_ts": "1767225700.000001",
        }
        if thread:
            event["thread_ts"] = thread
        return await self.event(event, event_id=event_id, retry=retry)


async def settled(within: float = WAIT_S) -> None:
    """Wait for bolt's listeners still running after their ack (events are acknowledged first), so a
    test ends with no database work in flight."""
    import asyncio

    deadline = time.monotonic() + within
    while any(
        getattr(task.get_coro(), "__name__", "") == "run_ack_function_asynchronously" for task in asyncio.all_tasks()
    ):
        if time.monotonic() > deadline:
            raise AssertionError("bolt listeners still running")
        await asyncio.sleep(0.01)


@pytest.fixture
def slack_admins() -> tuple[str, ...]:
    """The config file's `[slack] admins` for the app under test (parametrize to change it)."""
    return ()


@pytest.fixture
def slack_catalog(june_store: PaperStore) -> Catalog:
    """Where link cards find their papers: the store alone (override it to fetch from the fake APIs)."""
    return offline_catalog(june_store)


@pytest.fixture
async def slack_bot(
    fake_slack: FakeSlack,
    june_store: PaperStore,
    slack_admins: tuple[str, ...],
    digest_limit: int,
    slack_catalog: Catalog,
) -> AsyncIterator[SlackBot]:
    # The workspace as Slack knows it: ada (U0001), who sends the commands, created #papers (C0001).
    fake_slack.users["U0001"] = {"name": "ada"}
    fake_slack.channels["C0001"] = {"name": "papers", "creator": "U0001"}
    store = june_store
    search = SlowSearch(search_over(store), 0.0)
    subscriptions = SubscriptionStore(store.engine)
    ledger = Ledger(store.engine)
    community = Community(EngagementStore(store.engine), ReadingLists(store.engine), store, clock=lambda: NOW)
    chat = chat_service(store, search=search, ledger=ledger, community=community, limit=digest_limit)
    client = slack_client("xoxb-test", fake_slack.base_url)
    publisher = SlackPublisher(client, interval=0.0)
    surfaces = Surfaces(
        LinkCards(slack_catalog), Suggestions(store), subscriptions, chat.answer, ledger, chat.first_time
    )
    homes = HomeService(store, subscriptions, reading=community.lists)
    app = create_app(chat, client, SECRET, publisher, admins=slack_admins, home=homes, surfaces=surfaces)
    register(app, community, home_again=home_again(homes, SlackMembers(client)))  # as bot.app.wiring does
    runtime = SlackRuntime(
        app,
        signing_secret=SECRET,
        port=0,
        host="127.0.0.1",
    )
    await runtime.start()
    try:
        yield SlackBot(
            fake_slack,
            f"http://127.0.0.1:{runtime.port}/slack/events",
            store,
            ledger,
            subscriptions,
            publisher,
            search,
            community,
            runtime,
        )
    finally:
        await settled()
        await runtime.stop()
