"""`paperboy workspaces` and the workspaces that left: listed where workspaces install paperboy, not beside a
single SLACK_BOT_TOKEN (whose workspace has data and never had an installation)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.app import cli
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.engine import create_engine, database_url, migrate
from bot.store.installations import Installation, Installations
from bot.store.sealing import new_key, sealer


async def _subscribed(data: Path, key: str) -> None:
    """T0001's channel subscribed, with no installation; T0002 installed (a row left from trying the OAuth flow
    beside a single SLACK_BOT_TOKEN, say)."""
    engine = create_engine(database_url(None, data))
    try:
        await migrate(engine)
        await SubscriptionStore(engine).save(Subscription(ChannelRef("slack", "C0001", "T0001")))
        await Installations(engine, sealer(key)).save(Installation("slack", "T0002", {"bot_token": "xoxb-2"}))
    finally:
        await engine.dispose()


def printed(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What a command run in this process printed; it must succeed."""
    with pytest.raises(SystemExit) as ended:
        cli.main(list(argv))
    said = capsys.readouterr()
    assert ended.value.code == 0, said.err
    return said.out


def _workspaces(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    return printed(capsys, "workspaces", *args)


@pytest.mark.slow
def test_a_workspace_with_data_and_no_installation_is_listed_only_where_workspaces_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = new_key()
    asyncio.run(_subscribed(tmp_path / "data", key))
    monkeypatch.setenv("PAPERBOY_SECRET_KEY", key)
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "PAPERBOY_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no paperboy.toml here
    said = " ".join(_workspaces(capsys).split())
    assert said.startswith("slack:T0002 (no name) · installed") and "slack:T0001" not in said
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    said = " ".join(_workspaces(capsys).split())
    assert "slack:T0001 not installed · 1 channel, 0 follows · its data is kept" in said
    listing = json.loads(_workspaces(capsys, "--json"))
    assert [w["team"] for w in listing["workspaces"]] == ["slack:T0002"]
    assert listing["departed"] == [
        {"team": "slack:T0001", "channels": 1, "stopped": 0, "follows": 0, "votes": 0, "saved": 0}
    ]


def test_stopped_channels_are_said_where_their_reason_is_shown() -> None:
    """It said `paperboy run` logs why: a stop `paperboy post` made is in no run's log; each reason is stored."""
    from datetime import UTC, datetime

    from bot.app.cli.workspaces import _line
    from bot.store.workspaces import Installed

    one = Installed("slack", "T1", "Lab", False, datetime.now(UTC), None, None, 3, 1, 0)
    assert "3 channels (1 stopped: `/papers settings` in each, and paperboy's Home tab, say why)" in _line(one)


async def _posted_unnamed_and_saved(data: Path, teams: tuple[str, ...]) -> None:
    """A digest `paperboy post --channel slack:C0001` delivered (kept under no workspace), and a subscription
    in each of `teams`."""
    from datetime import UTC, date, datetime

    from bot.store.ledger import Ledger

    engine = create_engine(database_url(None, data))
    try:
        await migrate(engine)
        day, at = date(2026, 6, 1), datetime(2026, 6, 1, 9, tzinfo=UTC)
        await Ledger(engine).begin_papers(ChannelRef("slack", "C0001"), day, [(1, "2606.00001")], at)
        for team in teams:
            await SubscriptionStore(engine).save(Subscription(ChannelRef("slack", "C0009", team)))
    finally:
        await engine.dispose()


def test_forget_with_one_token_takes_the_channels_named_without_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With one SLACK_BOT_TOKEN, `paperboy post --channel slack:C0001`'s records are kept under no workspace:
    `forget --team slack:T0001` left them and said "Nothing was stored" (QA s72-contract #1)."""
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "PAPERBOY_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    for n, teams in enumerate([(), ("T0001",), ("T0001", "T0002")]):
        data = tmp_path / f"data{n}"
        asyncio.run(_posted_unnamed_and_saved(data, teams))
        monkeypatch.setenv("PAPERBOY_DATA_DIR", str(data))
        said = " ".join(printed(capsys, "forget", "--team", "slack:T0001").split())
        if not teams:  # nothing names T0001: a mistyped id takes nothing of the rest
            assert said == (
                "Nothing was stored about slack:T0001. If it is a workspace of an Enterprise Grid org that installed"
                " paperboy org-wide, its data is kept under the org's enterprise id: forget that, as --team"
                " slack:E0123456 (it erases the whole org's). Kept: what is stored for Slack channels named without a"
                " workspace, as nothing else stored names slack:T0001: whose it is can't be told."
            )
        elif len(teams) < 2:  # the one workspace's: erased with it
            assert said.startswith("Forgot slack:T0001: ") and "1 paper posted in a digest" in said
            assert said.endswith("(with the channels named without a workspace, which one bot token serves).")
            again = " ".join(printed(capsys, "forget", "--team", "slack:T0001").split())
            assert again.startswith("Nothing was stored about slack:T0001.") and "Kept" not in again
        else:  # another workspace's data too: whose they are can't be told
            assert said.startswith("Forgot slack:T0001: 1 subscription or follow.")
            assert "Kept: what is stored for Slack channels named without a workspace" in said and "T0002" in said


async def test_a_departed_workspaces_votes_and_reading_lists_are_counted(tmp_path: Path) -> None:
    """A workspace gone with only votes and saved papers was listed "0 channels, 0 follows · … an install there
    resumes its digests" (QA s77): what is kept went unsaid."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from bot.store.reading import Person, ReadingLists
    from bot.store.tables import votes
    from bot.store.workspaces import departed

    engine = create_engine(database_url(None, tmp_path / "data"))
    now = datetime(2026, 12, 1, tzinfo=UTC)
    try:
        await migrate(engine)
        await ReadingLists(engine).save(Person("slack", "T0009", "U1"), "2606.00001", now)
        row = {"platform": "slack", "workspace": "T0009", "channel": "C1", "arxiv_id": "2606.00001", "message": "1.1"}
        async with engine.begin() as conn:
            for user, present in (("U1", True), ("U2", True), ("U3", False)):  # one taken off: no vote
                await conn.execute(
                    insert(votes).values(**row, user_id=user, reaction="+1", present=present, event_at=now)
                )
        [gone] = await departed(engine)
    finally:
        await engine.dispose()
    assert (gone.workspace, gone.votes, gone.saved, gone.channels) == ("T0009", 2, 1, 0)
