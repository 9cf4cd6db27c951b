"""Two Slack workspaces with the same channel id (a Slack Connect channel) and the same user id: living
threads and personal follows keyed by workspace, each posted with its own workspace's token, and
`forget` erasing one workspace's rows of them only. On both database backends."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.domain.channels import ChannelRef
from bot.roundup.follow import Follower
from bot.store.follows import FollowStore
from bot.store.notes import NoteLedger
from bot.store.papers import PaperStore
from bot.store.tables import follows, thread_notes
from bot.store.workspaces import forget
from tests.adapters.slack.workspaces import TEAMS, MultiBot, fake_workspaces, multi_bot
from tests.conftest import listings_of, search_over
from tests.fakes.server import eventually
from tests.fakes.slack import Call, FakeSlack
from tests.roundup.helpers import Clock, news_for

DAY = date(2026, 6, 3)
POSTED = datetime(2026, 6, 3, 9, 30, tzinfo=UTC)
T1, T2 = TEAMS["T0001"], TEAMS["T0002"]
SHARED = {team: ChannelRef("slack", "C0001", team) for team in TEAMS}  # one channel id in both workspaces


@pytest.fixture
async def multi(store: PaperStore, fake_slack: FakeSlack) -> AsyncIterator[MultiBot]:
    await store.save_listings(listings_of(DAY.isoformat()))
    fake_workspaces(fake_slack)
    async for bot in multi_bot(store, fake_slack):
        for team in TEAMS:
            assert (await bot.install(team)).status_code == 200
        yield bot


def living(bot: MultiBot, clock: Clock) -> tuple[Follower, DigestDelivery]:
    engine = bot.store.engine
    publishers = {"slack": bot.slack.publisher}
    follower = Follower(
        FollowStore(engine), NoteLedger(engine), bot.store, publishers, 7, clock=clock, refreshes_per_minute=6000
    )
    delivery = DigestDelivery(
        bot.store,
        search_over(bot.store),
        bot.ledger,
        bot.subscriptions,
        publishers,
        clock=clock,
        posted=follower.posted,
    )
    return follower, delivery


def notes_with(fake: FakeSlack, token: str) -> list[Call]:
    return [
        c
        for c in fake.calls
        if c.method == "chat.postMessage" and c.token == token and "note:" in str(c.args.get("metadata"))
    ]


def card_ts(fake: FakeSlack, token: str, arxiv_id: str) -> str:
    """The ts of the workspace's card for the paper: where its token posted the paper's thread seed."""
    [seed] = [
        c
        for c in fake.calls
        if c.method == "chat.postMessage" and c.token == token and f"{arxiv_id}:seed" in str(c.args.get("metadata"))
    ]
    return str(seed.args["thread_ts"])


@pytest.mark.slow
async def test_the_same_paper_in_the_same_channel_id_of_two_workspaces_has_two_living_threads(multi: MultiBot) -> None:
    fake, clock = multi.fake, Clock(POSTED)
    follower, delivery = living(multi, clock)
    for channel in SHARED.values():
        assert (await delivery.deliver(channel, DigestOptions(limit=2), DAY)).outcome == "posted"
    cards = await FollowStore(multi.store.engine).following(POSTED - timedelta(days=1))
    assert (
        sorted((c.channel.workspace, c.channel.channel) for c in cards)
        == [("T0001", "C0001")] * 2 + [("T0002", "C0001")] * 2
    )  # both workspaces' cards followed, none lost to the other's
    arxiv_id = cards[0].arxiv_id
    threads = {team: card_ts(fake, w.token, arxiv_id) for team, w in TEAMS.items()}
    assert threads["T0001"] != threads["T0002"]

    await news_for(multi.store, arxiv_id, repo="https://github.com/lab/shared-code")
    clock.now = POSTED + timedelta(minutes=30)
    report = await follower.sweep()
    assert report.notes["code"] == 2  # one note in each workspace's thread: neither claim suppresses the other
    for team, space in TEAMS.items():
        [note] = notes_with(fake, space.token)  # posted with its own workspace's token…
        assert note.args["thread_ts"] == threads[team]  # …in its own workspace's thread
        assert f"note:{arxiv_id}:code" in str(note.args["metadata"])
    assert report.refreshed == 2  # each card with its note
    updated = {c.token: c.args["ts"] for c in fake.calls if c.method == "chat.update"}
    assert updated == {T1.token: threads["T0001"], T2.token: threads["T0002"]}  # each card with its own token

    clock.now = POSTED + timedelta(hours=1, minutes=1)
    again = await follower.sweep()
    assert sum(again.notes.values()) == 0 and again.refreshed == 0  # nothing new

    erased = await forget(multi.store.engine, "slack", "T0001")
    assert erased["followed_cards"] == 2 and erased["thread_notes"] == 1
    left = await FollowStore(multi.store.engine).following(POSTED - timedelta(days=1))
    assert {c.channel for c in left} == {SHARED["T0002"]} and len(left) == 2
    async with multi.store.engine.connect() as conn:
        kept = (await conn.execute(select(thread_notes.c.workspace, thread_notes.c.event))).all()
        assert [tuple(r) for r in kept] == [("T0002", "code")]
        assert await conn.scalar(select(func.count()).select_from(follows).where(follows.c.workspace == "T0001")) == 0


@pytest.mark.slow
async def test_a_workspace_whose_token_slack_refuses_keeps_its_living_threads_for_its_reinstall(
    multi: MultiBot,
) -> None:
    """Slack refuses a workspace's token before any uninstall event says why: its cards wait, as an
    uninstalled workspace's do, and get their notes once it installs the app again; the other's go on."""
    fake, clock = multi.fake, Clock(POSTED)
    follower, delivery = living(multi, clock)
    for channel in SHARED.values():
        assert (await delivery.deliver(channel, DigestOptions(limit=2), DAY)).outcome == "posted"
    arxiv_id = (await FollowStore(multi.store.engine).following(POSTED - timedelta(days=1)))[0].arxiv_id
    fake.revoke("T0001")
    await news_for(multi.store, arxiv_id, repo="https://github.com/lab/shared-code")
    clock.now = POSTED + timedelta(minutes=30)
    report = await follower.sweep()
    assert report.stopped == 0 and report.notes["code"] == 1 and len(notes_with(fake, T2.token)) == 1
    assert len(await FollowStore(multi.store.engine).following(POSTED - timedelta(days=1))) == 4  # none let go
    assert (await multi.install("T0001")).status_code == 200
    clock.now = POSTED + timedelta(hours=2)
    assert (await follower.sweep()).notes["code"] == 1
    [note] = notes_with(fake, T1.token)
    assert f"note:{arxiv_id}:code" in str(note.args["metadata"])


async def say(bot: MultiBot, text: str, team: str, channel: str) -> str:
    """A slash command by U0001 in `team`, and the answer it got (one command at a time)."""
    before = len(bot.fake.responses)
    await bot.command(text, team, channel=channel, answer=f"{team}-{before}")
    await bot.fake.wait_for(lambda: len(bot.fake.responses) > before)
    return json.dumps(bot.fake.responses[-1], ensure_ascii=False)


async def test_the_same_user_id_in_two_workspaces_has_follows_of_its_own(multi: MultiBot) -> None:
    multi.fake.users["U0001"] = {"name": "ada"}  # a person of each workspace (one directory in the fake)
    multi.fake.ims["U0001"] = "D0001"  # and even the same direct message id
    assert "You now follow “diffusion”" in await say(multi, "follow diffusion", "T0001", "D0001")
    said = await say(multi, "follow robotics", "T0002", "D0001")
    assert "You now follow “robotics”" in said and "diffusion" not in said  # a list of its own

    one, two = await say(multi, "follows", "T0001", "C0001"), await say(multi, "follows", "T0002", "C0001")
    assert "diffusion" in one and "robotics" not in one
    assert "robotics" in two and "diffusion" not in two
    mine = {s.channel.workspace: s.topics for s in await multi.subscriptions.all() if s.person == "U0001"}
    assert mine == {"T0001": ("diffusion",), "T0002": ("robotics",)}

    assert "no more personal digests" in await say(multi, "unfollow", "T0001", "D0001")
    found = await multi.subscriptions.of_person("slack", "T0002", "U0001")
    assert found is not None and found.topics == ("robotics",)  # the other workspace's is kept
    assert await multi.subscriptions.of_person("slack", "T0001", "U0001") is None


@pytest.mark.slow
async def test_a_profile_zone_change_moves_that_workspaces_follow_only(multi: MultiBot) -> None:
    multi.fake.users["U0001"] = {"name": "ada"}
    multi.fake.ims["U0001"] = "D0001"
    await say(multi, "follow diffusion", "T0001", "D0001")
    await say(multi, "follow robotics", "T0002", "D0001")
    event = {"type": "user_change", "user": {"id": "U0001", "team_id": "T0002", "tz": "Asia/Tokyo"}}
    assert (await multi.event("T0002", event, "Ev1")).status_code == 200

    async def moved() -> bool:
        found = await multi.subscriptions.of_person("slack", "T0002", "U0001")
        return found is not None and found.timezone == "Asia/Tokyo"

    await eventually(moved, "T0002's follow moved to Asia/Tokyo")
    zones = {s.channel.workspace: s.timezone for s in await multi.subscriptions.all() if s.person == "U0001"}
    assert zones == {"T0001": "UTC", "T0002": "Asia/Tokyo"}
