"""Slack's token rotation, when the app turns it on: a bot token close to expiry is refreshed with its
refresh token before use, by bolt for requests and by the publisher for digests, and the fresh one saved."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store.papers import PaperStore
from tests.adapters.slack.workspaces import MultiBot, fake_workspaces, multi_bot
from tests.fakes.slack import FakeSlack, Workspace

FIRST = "xoxe.xoxb-T0001-first-rotating"


@pytest.fixture
async def multi(june_store: PaperStore, fake_slack: FakeSlack) -> AsyncIterator[MultiBot]:
    fake_workspaces(fake_slack)
    fake_slack.workspaces["T0001"] = Workspace(
        "T0001", "Lab One", FIRST, refresh_token="xoxe-1-T0001-r0", expires_in=60
    )
    async for bot in multi_bot(june_store, fake_slack):
        yield bot


def refreshes(fake: FakeSlack) -> int:
    return sum(1 for c in fake.calls if c.method == "oauth.v2.access" and c.args.get("grant_type") == "refresh_token")


async def test_a_request_refreshes_an_expiring_token_first(multi: MultiBot) -> None:
    await multi.install("T0001")
    multi.fake.workspaces["T0001"].expires_in = 43200  # the refreshed token lasts twelve hours
    await multi.command("help", "T0001", answer="h")
    await multi.fake.wait_for(lambda: "h" in multi.fake.answered)
    assert refreshes(multi.fake) == 1
    fresh = multi.fake.workspaces["T0001"].token
    assert fresh != FIRST and FIRST not in multi.fake.live_tokens
    assert [c.token for c in multi.fake.calls if c.method == "auth.test"][-1] == fresh
    # The refreshed token was saved: a digest post uses it, with no second refresh.
    await multi.slack.publisher.for_workspace("T0001").post_message("C1000", "hello", [], None)
    assert multi.fake.calls[-1].token == fresh and refreshes(multi.fake) == 1


async def test_a_digest_refreshes_an_expiring_token_first(multi: MultiBot) -> None:
    await multi.install("T0001")
    multi.fake.workspaces["T0001"].expires_in = 43200
    publisher = multi.slack.publisher.for_workspace("T0001")
    await publisher.post_message("C1000", "hello", [], None)
    await publisher.post_message("C1000", "again", [], None)
    assert refreshes(multi.fake) == 1
    tokens = [c.token for c in multi.fake.calls if c.method == "chat.postMessage"]
    assert tokens == [multi.fake.workspaces["T0001"].token] * 2 and FIRST not in tokens
