"""`paperboy subscriptions`: every channel's digest and roundup and every person's follow digest, with the
config file's entries `paperboy run` has not saved yet."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.engine import create_engine, database_url, migrate
from tests.app.test_cli_departed import printed

pytestmark = pytest.mark.slow  # the whole command in-process, a store opened each time

CONFIG = """
[[subscriptions]]
channel = "slack:T0001/C0003"
topics = ["robotics"]

[[subscriptions]]
channel = "slack:T0001/C0005"
topics = ["agents", "robotics"]

[[subscriptions]]
channel = "slack:T0001/C0004"
cadence = "weekly"
day = "mon"
time = "16:00"

[[subscriptions]]
channel = "slack:C0001"
topics = ["diffusion"]
"""


async def _stored(data: Path) -> None:
    engine = create_engine(database_url(None, data))
    try:
        await migrate(engine)
        store = SubscriptionStore(engine)
        await store.save(Subscription(ChannelRef("slack", "C0001", "T0001"), ("agents",), "07:30", "Asia/Tokyo"))
        await store.save(Subscription(ChannelRef("discord", "42")))
        await store.set_status(ChannelRef("discord", "42"), "the bot was removed from the channel")
        await store.save(Subscription(ChannelRef("slack", "D0001", "T0001"), ("diffusion",), person="U0001"))
        await store.save(Subscription(ChannelRef("slack", "C0003", "T0001"), ("robotics",), source="config"))
        await store.save(Subscription(ChannelRef("slack", "C0005", "T0001"), ("agents",), source="config"))
        await store.save(Subscription(ChannelRef("slack", "C0006", "T0001"), ("gone",), source="config"))
    finally:
        await engine.dispose()


def _listed(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    return printed(capsys, "subscriptions", *args)


def test_every_subscription_and_follow_is_listed_with_the_config_files_unsaved_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_stored(tmp_path / "data"))
    (tmp_path / "paperboy.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    monkeypatch.setenv("PAPERBOY_CONFIG", str(tmp_path / "paperboy.toml"))
    said = _listed(capsys)
    blocks = said.strip().split("\n\n")
    assert blocks[
        0
    ] == (  # the store's (it counted a changed entry twice), then what the file changes (QA s73-operator #1)
        "5 subscriptions, 1 follow digest; in the config file, 2 not saved yet, 1 changed since it saved them, 1 no"
        " longer in it: `paperboy run` takes the file as it starts"
    )
    titles = [b.splitlines()[0] for b in blocks[1:]]
    assert titles == [
        "discord:42 · daily digest · made in chat",
        "slack:T0001/C0001 · daily digest · made in chat; the config file's entry for slack:C0001 replaces it when"
        " `paperboy run` starts",  # an entry naming no workspace takes its channel over (seed)
        "slack:T0001/C0003 · daily digest · from the config file",  # the file's, as saved: listed once
        "slack:T0001/C0005 · daily digest · from the config file",  # as saved, in effect until `run` starts
        "slack:T0001/C0006 · daily digest · from the config file, no longer in it: `paperboy run` stops it when it"
        " starts",
        "slack:T0001/D0001 · U0001's follow digest, in their direct message · made in chat",
        "slack:T0001/C0005 · daily digest · changed in the config file since `paperboy run` saved it: it saves"
        " this when it starts",
        "slack:T0001/C0004 · weekly roundup · in the config file, not saved yet: `paperboy run` saves it when it"
        " starts",
        "slack:C0001 · daily digest · in the config file, not saved yet: `paperboy run` saves it when it starts",
    ]
    assert "  Topics: “agents”, “robotics”" in blocks[7].splitlines()
    tokyo = blocks[2].splitlines()
    assert tokyo[1:4] == ["  Topics: “agents”", "  When: 07:30 Asia/Tokyo, Monday to Friday", "  Papers: top 10"]
    assert tokyo[4].startswith("  Next digest: ") and "07:30 JST" in tokyo[4]  # today's or the next weekday's
    assert "  Delivery stopped: the bot was removed from the channel" in blocks[1].splitlines()
    assert not any(line.startswith("  Next digest") for line in blocks[1].splitlines())  # stopped: none comes
    assert "  When: weekly roundup, Mondays at 16:00 UTC" in blocks[8].splitlines()
    listing = json.loads(_listed(capsys, "--json"))
    assert [(s["channel"], s["person"], s["source"], s["saved"]) for s in listing] == [
        ("discord:42", None, "chat", True),
        ("slack:T0001/C0001", None, "chat", True),
        ("slack:T0001/C0003", None, "config", True),
        ("slack:T0001/C0005", None, "config", True),
        ("slack:T0001/C0006", None, "config", True),
        ("slack:T0001/D0001", "U0001", "chat", True),
        ("slack:T0001/C0005", None, "config", False),
        ("slack:T0001/C0004", None, "config", False),
        ("slack:C0001", None, "config", False),
    ]
    assert [s["replaced_by"] for s in listing] == [None, "slack:C0001", *[None] * 7]
    assert [s["leaves_at_start"] for s in listing] == [False] * 4 + [True] + [False] * 4
    assert listing[0]["stopped"] == "the bot was removed from the channel"
    assert listing[1]["topics"] == ["agents"] and listing[1]["timezone"] == "Asia/Tokyo"
    assert listing[7]["cadence"] == "weekly" and listing[7]["days"] == "mon"


def test_with_none_it_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    monkeypatch.delenv("PAPERBOY_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert _listed(capsys).strip().startswith("0 subscriptions, 0 follow digests")
    assert json.loads(_listed(capsys, "--json")) == []


def test_a_config_entry_for_the_very_channel_of_a_chat_subscription_is_said_to_replace_it() -> None:
    """`subscribe` typed in `console:ops`, and the file naming `console:ops` too: listed twice, the chat one
    as plain "made in chat", `replaced_by` null, where `run` replaces it (QA s77)."""
    from bot.app.cli.subscriptions import _taker
    from bot.delivery.subscriptions import Subscription
    from bot.domain.channels import ChannelRef

    ops, named = ChannelRef("console", "ops"), ChannelRef("slack", "C0001", "T0001")
    unnamed = {("slack", "C0001"): ChannelRef("slack", "C0001")}
    assert _taker(Subscription(ops), unnamed, {ops}) == ops
    assert _taker(Subscription(named), unnamed, {ops}) == ChannelRef("slack", "C0001")  # as before
    assert _taker(Subscription(ops, source="config"), unnamed, {ops}) is None  # the file's own
    assert _taker(Subscription(ChannelRef("console", "dev")), unnamed, {ops}) is None
