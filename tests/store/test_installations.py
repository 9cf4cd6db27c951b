"""Installations and OAuth states in the store: tokens sealed, keys rotated, lookups cached and invalidated,
states used once and in time; a workspace paused, resumed and forgotten."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.util import await_only

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef, parse_channel
from bot.domain.errors import ConfigError, UsageError
from bot.store.installations import Installation, Installations, OAuthStates, Resealed
from bot.store.papers import PaperStore
from bot.store.sealing import Unreadable, new_key, sealer
from bot.store.tables import installations
from bot.store.workspaces import PAUSED, installed, pause, resume

TOKEN = "xoxb-111-222-secretpart"


def install(workspace: str, token: str = TOKEN) -> Installation:
    return Installation("slack", workspace, {"bot_token": token, "bot_refresh_token": None}, team_id=workspace)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_tokens_are_sealed_at_rest_and_opened_in_memory(store: PaperStore) -> None:
    keys = sealer(new_key())
    found = Installations(store.engine, keys)
    await found.save(install("T1"))
    async with store.engine.connect() as conn:
        sealed = await conn.scalar(select(installations.c.sealed))
    assert TOKEN not in str(sealed) and str(sealed).startswith("gAAAAA")
    again = await Installations(store.engine, keys).find("slack", "T1")
    assert again is not None and again.secrets["bot_token"] == TOKEN
    assert TOKEN not in repr(again)


async def test_a_key_rotation_keeps_every_token_readable(store: PaperStore) -> None:
    old, new = new_key(), new_key()
    await Installations(store.engine, sealer(old)).save(install("T1"))
    rotating = Installations(store.engine, sealer(f"{new},{old}"))  # the new key first, the old one kept
    assert (await rotating.find("slack", "T1")) is not None
    assert await rotating.reseal() == Resealed(1, 0)
    assert await rotating.reseal() == Resealed(0, 1)
    after = await Installations(store.engine, sealer(new)).find("slack", "T1")  # the old key dropped
    assert after is not None and after.secrets["bot_token"] == TOKEN
    with pytest.raises(Unreadable, match="put the old key back"):
        await Installations(store.engine, sealer(old)).find("slack", "T1")


async def test_a_reseal_keeps_a_token_pair_a_replica_refreshed_while_it_ran(store: PaperStore) -> None:
    """`paperboy reseal` runs while the replicas do: it read every row, then wrote each back resealed, and a
    pair a replica refreshed in between (Slack retires the old refresh token) was overwritten with the old."""
    old, new = new_key(), new_key()
    await Installations(store.engine, sealer(old)).save(install("T1", "xoxb-old"))
    rotated = sealer(f"{new},{old}")  # the replicas restarted with the new key first, as documented
    read, refreshed = asyncio.Event(), asyncio.Event()

    @event.listens_for(store.engine.sync_engine, "before_cursor_execute")
    def between(_c: object, _cur: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE INSTALLATIONS") and not refreshed.is_set():
            read.set()  # the reseal has read the rows and writes the first: the replica's refresh comes here
            await_only(refreshed.wait())

    async def refresh() -> None:
        await read.wait()
        await Installations(store.engine, rotated).save(install("T1", "xoxb-refreshed"))
        refreshed.set()

    try:
        done, _ = await asyncio.gather(Installations(store.engine, rotated).reseal(), refresh())
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", between)
    assert done == Resealed(0, 1)  # sealed with the first key already, by the replica
    found = await Installations(store.engine, sealer(new)).find("slack", "T1")
    assert found is not None and found.secrets["bot_token"] == "xoxb-refreshed"


async def test_a_reseal_reseals_what_it_can_and_names_what_no_key_opens(store: PaperStore) -> None:
    old, lost, new = new_key(), new_key(), new_key()
    await Installations(store.engine, sealer(old)).save(install("T1"))
    await Installations(store.engine, sealer(lost)).save(install("T3"))
    rotating = Installations(store.engine, sealer(f"{new},{old}"))
    assert await rotating.unreadable() == (["slack:T3"], 2)
    assert await rotating.reseal() == Resealed(1, 0, ["slack:T3"])
    assert (await Installations(store.engine, sealer(new)).find("slack", "T1")) is not None
    assert await Installations(store.engine, sealer(f"{new},{lost}")).unreadable() == ([], 2)


def test_a_missing_or_malformed_key_is_one_clear_line() -> None:
    for value, said in (
        (None, "PAPERBOY_SECRET_KEY is not set"),
        ("  ", "PAPERBOY_SECRET_KEY is not set"),
        ("not-a-key", "PAPERBOY_SECRET_KEY is malformed (it is not 32 bytes"),
        (f"{new_key()},short", "PAPERBOY_SECRET_KEY is malformed (key 2 of 2"),
        (f"{new_key()},", "PAPERBOY_SECRET_KEY is malformed (nothing between two commas, or after the last)"),
    ):
        with pytest.raises(ConfigError) as raised:
            sealer(value)
        assert str(raised.value).startswith(said) and "\n" not in str(raised.value)
        assert "paperboy keygen" in str(raised.value)


async def test_lookups_are_cached_and_a_delete_here_is_seen_at_once(store: PaperStore) -> None:
    clock = Clock()
    keys = sealer(new_key())
    here = Installations(store.engine, keys, ttl=10, clock=clock)
    there = Installations(store.engine, keys, ttl=10, clock=clock)  # another replica
    await here.save(install("T1"))
    assert await there.find("slack", "T1") is not None
    assert await here.delete("slack", "T1") is True
    assert await here.find("slack", "T1") is None  # invalidated here at once
    assert await there.find("slack", "T1") is not None  # still cached over there…
    clock.now = 10.5
    assert await there.find("slack", "T1") is None  # …for at most the ttl
    there.forget_cached("slack", "T1")
    await here.save(install("T1", "xoxb-new"))
    found = await there.find("slack", "T1")
    assert found is not None and found.secrets["bot_token"] == "xoxb-new"


async def test_a_state_works_once_and_only_in_time(store: PaperStore) -> None:
    now = [datetime(2026, 6, 1, tzinfo=UTC)]
    states = OAuthStates(store.engine, seconds=600, clock=lambda: now[0])
    first, second = await states.issue(), await states.issue()
    assert first != second and len(first) >= 40
    assert await states.consume(first) is True
    assert await states.consume(first) is False  # replayed
    assert await states.consume("forged") is False
    assert await states.consume("") is False and await states.consume("x" * 500) is False
    now[0] += timedelta(seconds=601)
    assert await states.consume(second) is False  # expired


async def test_pause_and_resume_touch_only_that_workspace(store: PaperStore) -> None:
    subs = SubscriptionStore(store.engine)
    here, there = ChannelRef("slack", "C1", "T1"), ChannelRef("slack", "C1", "T2")
    await subs.save(Subscription(here))
    await subs.save(Subscription(there))
    await subs.save(Subscription(ChannelRef("slack", "C9", "T1")))
    await subs.set_status(ChannelRef("slack", "C9", "T1"), "is_archived (the channel is archived)")
    assert await pause(store.engine, "slack", "T1") == 1
    archived = "is_archived (the channel is archived)"  # the channel's own refusal: kept through both
    assert {(s.channel.channel, s.channel.workspace): s.status for s in await subs.all()} == {
        ("C1", "T1"): PAUSED,
        ("C9", "T1"): archived,
        ("C1", "T2"): None,
    }
    await subs.set_status(here, "token_revoked (the bot token was revoked)")
    assert await resume(store.engine, "slack", "T1") == 1
    assert {s.channel.channel + s.channel.workspace: s.status for s in await subs.all()} == {
        "C1T1": None,
        "C9T1": archived,
        "C1T2": None,
    }


async def test_a_pause_in_an_earlier_versions_words_is_resumed_too(store: PaperStore) -> None:
    subs = SubscriptionStore(store.engine)
    here = ChannelRef("slack", "C1", "T1")
    await subs.save(Subscription(here))
    earlier = "paused: the app was uninstalled from this workspace (or its token revoked); installing it again resumes"
    await subs.set_status(here, earlier)
    assert await resume(store.engine, "slack", "T1") == 1
    assert [s.status for s in await subs.all()] == [None]


async def test_forgiving_a_refused_token_clears_only_its_refusals(store: PaperStore) -> None:
    from bot.store.workspaces import forgive_refused_token

    subs = SubscriptionStore(store.engine)
    refused, archived = ChannelRef("slack", "C1", "T1"), ChannelRef("slack", "C2", "T1")
    for channel in (refused, archived):
        await subs.save(Subscription(channel))
    await subs.set_status(refused, "invalid_auth (the bot token is invalid)")
    await subs.set_status(archived, "is_archived (the channel is archived)")
    assert await forgive_refused_token(store.engine, "slack") == 1
    assert {s.channel.channel: s.status for s in await subs.all()} == {
        "C1": None,
        "C2": "is_archived (the channel is archived)",
    }


async def test_a_channel_id_is_unique_only_within_its_workspace(store: PaperStore) -> None:
    subs = SubscriptionStore(store.engine)
    config = Subscription(parse_channel("slack:C1"), source="config")  # the config file names no workspace
    await subs.save(config)
    found = await subs.get(ChannelRef("slack", "C1", "T1"))  # one-workspace mode: chat finds it
    assert found is not None and found.source == "config"
    await subs.save(Subscription(ChannelRef("slack", "C2", "T1"), topics=("a",)))
    await subs.save(Subscription(ChannelRef("slack", "C2", "T2"), topics=("b",)))
    mine = await subs.get(ChannelRef("slack", "C2", "T2"))
    assert mine is not None and mine.topics == ("b",)
    with pytest.raises(UsageError, match=r"several workspaces \(T1, T2\): name one, as slack:T1/C2"):
        await subs.get(parse_channel("slack:C2"))
    named = await subs.get(parse_channel("slack:T1/C2"))
    assert named is not None and named.topics == ("a",)
    assert await subs.remove(ChannelRef("slack", "C2", "T1")) is True
    assert [s.channel.workspace for s in await subs.all() if s.channel.channel == "C2"] == ["T2"]


async def test_forget_erases_a_workspaces_votes_and_reading_lists_and_nothing_of_another(store: PaperStore) -> None:
    from bot.store.reading import Person, ReadingLists
    from bot.store.workspaces import forget

    lists = ReadingLists(store.engine)
    now = datetime(2026, 6, 3, tzinfo=UTC)
    for team in ("T0001", "T0002"):
        assert await lists.save(Person("slack", team, "U0001"), "2606.00001", now)
    erased = await forget(store.engine, "slack", "T0001")
    assert erased["saved"] == 1
    assert {"votes", "reactors", "replies", "repliers", "engagement", "paper_messages"} <= set(erased)
    assert await lists.saved_papers("slack", "T0001", "U0001") == []
    assert await lists.saved_papers("slack", "T0002", "U0001") == ["2606.00001"]


async def test_the_installations_are_listed_with_their_channels_and_whether_a_key_opens_them(store: PaperStore) -> None:
    key = new_key()
    found = Installations(store.engine, sealer(key))
    await found.save(install("T1"))
    org = Installation(
        "slack",
        "E9",
        {"bot_token": TOKEN},
        enterprise_id="E9",
        is_enterprise_install=True,
        details={"enterprise_name": "Big Org", "team_name": None},
        expires_at=datetime(2026, 12, 1, 6, tzinfo=UTC),
    )
    await found.save(org)
    subscriptions = SubscriptionStore(store.engine)
    for channel in ("C1", "C2", "C3"):
        await subscriptions.save(Subscription(ChannelRef("slack", channel, "T1")))
    await subscriptions.set_status(ChannelRef("slack", "C2", "T1"), "channel_not_found")
    await subscriptions.save(Subscription(ChannelRef("slack", "D1", "T1"), person="U1"))  # a follow
    await subscriptions.save(Subscription(ChannelRef("slack", "C1", "T2")))  # a workspace with no install

    listed = {i.workspace: i for i in await installed(store.engine, sealer(key).opens)}
    assert set(listed) == {"E9", "T1"}
    assert (listed["T1"].channels, listed["T1"].stopped, listed["T1"].follows) == (3, 1, 1)
    assert (listed["T1"].name, listed["T1"].org_wide, listed["T1"].expires_at) == ("", False, None)
    assert (listed["E9"].name, listed["E9"].org_wide, listed["E9"].channels) == ("Big Org", True, 0)
    assert listed["E9"].expires_at == datetime(2026, 12, 1, 6, tzinfo=UTC)
    assert all(i.token_opens for i in listed.values())
    assert [i.token_opens for i in await installed(store.engine, sealer(new_key()).opens)] == [False, False]
    assert [i.token_opens for i in await installed(store.engine)] == [None, None]  # no key: not checked
