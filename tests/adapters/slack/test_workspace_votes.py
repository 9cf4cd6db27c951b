"""Votes in a deployment serving several Slack workspaces: each workspace's cards, dates and remembered
lookups are its own, though two of its channels share an id (C0001), and what the running app remembers
of a workspace goes with its reinstall (after `paperboy forget` erased its cards)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import func, select, update

from bot.community.service import Community
from bot.domain.channels import ChannelRef
from bot.store.engagement import EngagementStore
from bot.store.papers import PaperStore
from bot.store.reading import ReadingLists
from bot.store.tables import engagement, threads
from bot.store.workspaces import forget
from tests.adapters.slack.workspaces import MultiBot, fake_workspaces, multi_bot
from tests.conftest import save_june
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_requests import button_click, event_callback

PAPER = "2605.29307"


@pytest.fixture
async def voting(store: PaperStore, fake_slack: FakeSlack) -> AsyncIterator[tuple[MultiBot, Community]]:
    await save_june(store)
    fake_workspaces(fake_slack)
    fake_slack.users["U0002"] = {"name": "bea"}
    community = Community(EngagementStore(store.engine), ReadingLists(store.engine), store)
    async for bot in multi_bot(store, fake_slack, community=community):
        yield bot, community


async def share(bot: MultiBot, team: str, channel: str = "C0001") -> str:
    """Someone in `team` clicks Share on the paper's card: the card posted in `channel` (its ts)."""
    before = len(bot.fake.stored.get(channel, []))
    payload = button_click(
        "share_paper",
        f"share:{PAPER}",
        PAPER,
        {"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": False},
        channel={"id": channel, "name": "papers"},
        response_url=bot.fake.response_url(f"share-{team}-{before}"),
    )
    payload["team"] = {"id": team, "domain": team.lower()}
    payload["user"]["team_id"] = team
    await bot.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    await bot.fake.wait_for(lambda: len(bot.fake.stored.get(channel, [])) == before + 2)  # the card and its seed
    return str(bot.fake.stored[channel][before]["ts"])


async def react(bot: MultiBot, team: str, card: str, user: str, event_id: str) -> httpx.Response:
    event: dict[str, Any] = {
        "type": "reaction_added",
        "user": user,
        "reaction": "+1",
        "item": {"type": "message", "channel": "C0001", "ts": card},
        "item_user": f"UBOT{team}",
        "event_ts": f"{time.time():.6f}",
    }
    body = event_callback(event, team=team, event_id=event_id, event_time=int(time.time()), bot=f"UBOT{team}")
    return await bot.send(json.dumps(body), "application/json")


@pytest.mark.slow
async def test_a_paper_shared_in_two_workspaces_is_dated_by_each_ones_own_card(
    voting: tuple[MultiBot, Community],
) -> None:
    bot, community = voting
    await bot.install("T0001")
    await bot.install("T0002")
    await share(bot, "T0001")
    async with bot.store.engine.begin() as conn:  # T0001 shared it in its C0001 twenty days ago
        await conn.execute(
            update(threads)
            .where(threads.c.workspace == "T0001")
            .values(created_at=datetime.now(UTC) - timedelta(days=20))
        )
    card = await share(bot, "T0002")  # T0002 shares it in its own C0001 today
    assert (await react(bot, "T0002", card, "U0002", "Ev1")).status_code == 200
    week = datetime.now(UTC) - timedelta(days=7)
    top = await community.engagement.top(ChannelRef("slack", "C0001", "T0002"), week, None, 5)
    assert [(e.arxiv_id, e.reactions) for e in top] == [(PAPER, 1)]
    assert await community.engagement.top(ChannelRef("slack", "C0001", "T0001"), None, None, 5) == []


@pytest.mark.slow
async def test_a_vote_on_a_card_erased_by_forget_is_not_counted_after_the_reinstall(
    voting: tuple[MultiBot, Community],
) -> None:
    bot, _ = voting
    await bot.install("T0001")
    card = await share(bot, "T0001")
    await react(bot, "T0001", card, "U0002", "Ev1")  # the app now remembers the card's paper
    erased = await forget(bot.store.engine, "slack", "T0001")  # `paperboy forget`, in another process
    assert erased["threads"] == 1 and erased["engagement"] == 1
    await bot.install("T0001")
    bot.fake.users["U0003"] = {"name": "cy"}
    assert (await react(bot, "T0001", card, "U0003", "Ev2")).status_code == 200
    async with bot.store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(engagement)) == 0


async def test_a_bot_in_one_workspace_is_no_bot_in_another(voting: tuple[MultiBot, Community]) -> None:
    """A user id is unique only within its workspace: a bot's id in one, a person's in another, votes there."""
    bot, community = voting
    bot.fake.team_users = {
        "T0001": {"U0042": {"name": "standup", "is_bot": True}},
        "T0002": {"U0042": {"name": "carol"}},
    }
    await bot.install("T0001")
    await bot.install("T0002")
    card1, card2 = await share(bot, "T0001"), await share(bot, "T0002")
    assert (await react(bot, "T0001", card1, "U0042", "Ev1")).status_code == 200
    assert (await react(bot, "T0002", card2, "U0042", "Ev2")).status_code == 200
    week = datetime.now(UTC) - timedelta(days=7)
    assert await community.engagement.top(ChannelRef("slack", "C0001", "T0001"), week, None, 5) == []
    [voted] = await community.engagement.top(ChannelRef("slack", "C0001", "T0002"), week, None, 5)
    assert voted.reactions == 1
