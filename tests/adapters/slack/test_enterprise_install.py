"""An Enterprise Grid org that installs paperboy org-wide, end to end: the install through bolt's OAuth flow
(Slack answers `team: null`, `is_enterprise_install: true`), then commands, an event and a scheduled digest
from two teams of the org, all with the org's one token and all kept under the org's id; a single-team
install in the same deployment that keeps its own; uninstall, reinstall and forget of the org. On both
database backends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Table, select

from adapters.slack.installations import PLATFORM
from adapters.slack.oauth import NOT_INSTALLED
from bot.app.cli.workspaces import parse_team
from bot.store.installations import Installations
from bot.store.papers import PaperStore
from bot.store.sealing import sealer
from bot.store.tables import digests, subscriptions, threads
from bot.store.workspaces import PAUSED, forget
from tests.adapters.slack.workspaces import DUE, KEY, MultiBot, answered, calls_with, multi_bot
from tests.conftest import save_june
from tests.fakes.server import eventually
from tests.fakes.slack import FakeSlack, Workspace
from tests.fakes.slack_requests import command_form

ORG = Workspace("E0001", "Starship", "xoxb-E0001-0a1b2c3d4e5f-orgtoken", teams=("T0101", "T0102"))
LONE = Workspace("T0003", "Lab Three", "xoxb-T0003-6f5e4d3c2b1a-rawtoken")  # a workspace of its own, not in the org


@pytest.fixture
async def grid(store: PaperStore, fake_slack: FakeSlack) -> AsyncIterator[MultiBot]:
    """The org (its teams T0101 and T0102 each with a channel) and Lab Three, whose channel has the same id
    as T0101's (ids are unique within an org, not across Slack)."""
    await save_june(store)
    fake_slack.workspaces = {w.team: Workspace(**vars(w)) for w in (ORG, LONE)}
    fake_slack.channel_teams = {"C0101": {"T0101", "T0003"}, "C0102": {"T0102"}}
    async for bot in multi_bot(store, fake_slack):
        yield bot


async def rows(bot: MultiBot, table: Table) -> set[tuple[str, str]]:
    """The (workspace, channel) of every row of a table keyed by workspace."""
    async with bot.store.engine.connect() as conn:
        found = await conn.execute(select(table.c.workspace, table.c.channel))
    return {(str(w), str(c)) for w, c in found}


async def until(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait for an event's listener (run after its ack) to have done its work."""
    await eventually(check, "the event's work")


@pytest.mark.slow
async def test_an_org_wide_install_serves_every_team_of_the_org_with_the_org_token(grid: MultiBot) -> None:
    fake = grid.fake
    page = await grid.install("E0001")
    assert page.status_code == 200 and "installed in Starship" in page.text
    # Slack adds an org-wide app to none of the org's workspaces: the page says where the admin does that.
    assert "https://app.slack.com/manage/E0001/integrations/profile/A0001/workspaces/add" in page.text
    assert (await grid.install("T0003")).status_code == 200
    assert fake.live_tokens == {ORG.token: "E0001", LONE.token: "T0003"}
    stored = grid.slack.installations.installations
    org = await stored.find(PLATFORM, "E0001")
    assert org is not None and org.is_enterprise_install and (org.enterprise_id, org.team_id) == ("E0001", "")
    assert org.details["enterprise_name"] == "Starship" and org.secrets["bot_token"] == ORG.token
    assert await stored.count(PLATFORM) == 2

    # Two teams of the org and Lab Three subscribe; the org's channels are kept under the org.
    await grid.command("subscribe diffusion at 09:00 top 2", "T0101", channel="C0101", answer="a", org="E0001")
    await grid.command("subscribe at 09:00 top 1", "T0102", channel="C0102", answer="b", org="E0001")
    await grid.command("subscribe at 09:00 top 1", "T0003", channel="C0101", answer="c")
    for name in "abc":
        assert "subscribed" in await answered(grid, name)
    assert await rows(grid, subscriptions) == {("E0001", "C0101"), ("E0001", "C0102"), ("T0003", "C0101")}

    # `/papers <topic>` and `/papers settings` from a team of the org: answered, with the org's token.
    await grid.command("diffusion", "T0102", channel="C0102", answer="d", org="E0001")
    await grid.command("settings", "T0101", channel="C0101", answer="e", org="E0001")
    said = await answered(grid, "e")
    await answered(grid, "d")
    assert "Next digest" in said and "diffusion" in said and NOT_INSTALLED not in said
    assert {c.token for c in fake.calls if c.method == "auth.test"} == {ORG.token, LONE.token}

    # The digest sweep: the org's two channels with the org's token, Lab Three's with its own.
    results = await grid.sweeper().sweep(DUE)
    assert sorted((r.channel.workspace, r.channel.channel, r.outcome, r.papers) for r in results) == [
        ("E0001", "C0101", "posted", 2),
        ("E0001", "C0102", "posted", 1),
        ("T0003", "C0101", "posted", 1),
    ]
    assert sorted(calls_with(fake, ORG.token)) == ["C0101"] * (1 + 2 * 2) + ["C0102"] * (1 + 1 * 2)
    assert calls_with(fake, LONE.token) == ["C0101"] * (1 + 1 * 2)
    assert await rows(grid, digests) == {("E0001", "C0101"), ("E0001", "C0102"), ("T0003", "C0101")}
    assert ("E0001", "C0102") in await rows(grid, threads) and ("T0101", "C0101") not in await rows(grid, threads)

    # A mention in T0102's digest thread (an org-wide event) is answered there with the org's token.
    thread = next(c.args for c in fake.calls if c.args.get("channel") == "C0102" and c.args.get("thread_ts"))
    mention = {"type": "app_mention", "user": "W0001", "text": "<@UBOT> cite", "ts": "1.5", "channel": "C0102"}
    await grid.event("T0102", mention | {"thread_ts": thread["thread_ts"], "event_ts": "1.5"}, "Ev-m", org="E0001")
    await fake.wait_for(lambda: len(calls_with(fake, ORG.token)) == 9)
    answer = fake.calls[-1]
    assert answer.token == ORG.token and answer.args["thread_ts"] == thread["thread_ts"]
    assert await grid.sweeper().sweep(DUE) == []  # each digest is recorded as done, under its own key


@pytest.mark.parametrize(
    ("gone", "names_team"),  # the event's authorizations name the org only (bolt's tests), or a team too (Slack's)
    [
        ({"type": "app_uninstalled"}, False),
        ({"type": "tokens_revoked", "tokens": {"bot": ["UBOTE0001"]}}, True),
    ],
)
@pytest.mark.slow
async def test_the_org_leaving_pauses_only_the_org_and_a_reinstall_resumes_it(
    grid: MultiBot, gone: dict[str, Any], names_team: bool
) -> None:
    fake, stored = grid.fake, grid.slack.installations.installations
    for space in ("E0001", "T0003"):
        await grid.install(space)
    await grid.command("subscribe at 09:00 top 1", "T0101", channel="C0101", answer="a", org="E0001")
    await grid.command("subscribe at 09:00 top 1", "T0003", channel="C0101", answer="b")
    await answered(grid, "a")
    await answered(grid, "b")

    await grid.event("T0102", gone, "Ev-gone", org="E0001", names_team=names_team)  # the org's, from any team
    await until(lambda: _gone(grid, paused=True))  # the token deleted, then (just after) the digests paused
    assert await stored.find(PLATFORM, "T0003") is not None
    status = {(s.channel.workspace, s.channel.channel): s.status for s in await grid.subscriptions.all()}
    assert status == {("E0001", "C0101"): PAUSED, ("T0003", "C0101"): None}
    fake.revoke("E0001")

    results = await grid.sweeper().sweep(DUE)
    assert [(r.channel.workspace, r.outcome) for r in results] == [("T0003", "posted")]
    assert calls_with(fake, ORG.token) == []
    # A command from a team of the org now: bolt finds no token, nothing is called, the person is told.
    before = len(fake.calls)
    await grid.command("today", "T0102", channel="C0102", answer="c", org="E0001")
    assert NOT_INSTALLED in await answered(grid, "c")
    assert fake.calls[before:] == []

    again = await grid.install("E0001")
    assert again.status_code == 200
    assert "Installed again: its 1 subscription from before is back as it was." in again.text  # (the org's)
    assert [s.status for s in await grid.subscriptions.all()] == [None, None]
    results = await grid.sweeper().sweep(DUE)
    assert [(r.channel.workspace, r.outcome) for r in results] == [("E0001", "posted")]
    assert calls_with(fake, ORG.token) == ["C0101"] * 3


async def _gone(bot: MultiBot, workspace: str = "E0001", *, paused: bool = False) -> bool:
    if await bot.slack.installations.installations.find(PLATFORM, workspace) is not None:
        return False
    mine = [s for s in await bot.subscriptions.all() if s.channel.workspace == workspace]
    return not paused or all(s.status == PAUSED for s in mine)


@pytest.mark.slow
async def test_a_team_of_the_org_leaving_its_own_install_leaves_the_orgs_alone(grid: MultiBot) -> None:
    """A team of the org with an install of its own (made before the org-wide one): Slack's two events for its
    uninstall (tokens_revoked, then app_uninstalled, each maybe retried) delete that install, never the org's."""
    grid.fake.workspaces["T0104"] = Workspace("T0104", "Crew", "xoxb-T0104-99aa88bb77cc-rawtoken", enterprise="E0001")
    for space in ("E0001", "T0104"):
        await grid.install(space)
    crew = await grid.slack.installations.installations.find(PLATFORM, "T0104")
    assert crew is not None and (crew.enterprise_id, crew.is_enterprise_install) == ("E0001", False)
    await grid.command("subscribe at 09:00 top 1", "T0101", channel="C0101", answer="a", org="E0001")
    await answered(grid, "a")

    revoked: dict[str, Any] = {"type": "tokens_revoked", "tokens": {"bot": ["UBOTT0104"]}}
    for n, gone in enumerate((revoked, {"type": "app_uninstalled"}, {"type": "app_uninstalled"})):
        await grid.event("T0104", gone, f"Ev-{n}", org="E0001", org_wide=False)
        await until(lambda: _gone(grid, "T0104"))
    await asyncio.sleep(0.2)  # the last events' listeners are done
    assert await grid.slack.installations.installations.find(PLATFORM, "E0001") is not None
    assert [s.status for s in await grid.subscriptions.all()] == [None]


@pytest.mark.slow
async def test_forget_names_the_org_by_its_enterprise_id_and_erases_only_the_org(grid: MultiBot) -> None:
    for space in ("E0001", "T0003"):
        await grid.install(space)
    await grid.command("subscribe at 09:00 top 1", "T0101", channel="C0101", answer="a", org="E0001")
    await grid.command("subscribe at 09:00 top 1", "T0102", channel="C0102", answer="b", org="E0001")
    await grid.command("subscribe at 09:00 top 1", "T0003", channel="C0101", answer="c")
    for name in "abc":
        await answered(grid, name)
    await grid.sweeper().sweep(DUE)

    # `paperboy forget --team slack:E0001` (what the command runs): the org's rows, none of Lab Three's.
    assert parse_team("slack:E0001") == ("slack", "E0001")
    nothing = await forget(grid.store.engine, "slack", "T0101")  # a team of the org keeps nothing of its own
    assert sum(nothing.values()) == 0
    erased = await forget(grid.store.engine, "slack", "E0001")
    assert erased["installations"] == 1 and erased["subscriptions"] == 2 and erased["digests"] == 2
    assert erased["threads"] == 2 and erased["digest_papers"] == 2
    for table in (subscriptions, digests, threads):
        assert await rows(grid, table) == {("T0003", "C0101")}
    stored = Installations(grid.store.engine, sealer(KEY))  # as another process sees it (no cached lookups)
    assert await stored.find(PLATFORM, "E0001") is None and await stored.find(PLATFORM, "T0003") is not None


async def test_a_team_request_not_flagged_org_wide_is_not_answered_with_the_orgs_token(grid: MultiBot) -> None:
    """Answered with the org's token, its subscription was kept under the team, where no delivery finds a
    token: confirmed, then never delivered, and paused for good. Now the team is told paperboy is not
    installed in it, and nothing is saved."""
    assert (await grid.install("E0001")).status_code == 200
    form = command_form("subscribe at 09:00 top 1", grid.fake.response_url("a"), team="T0101", domain="t0101")
    form |= {"channel_id": "C0101", "enterprise_id": "E0001", "is_enterprise_install": "false"}
    await grid.send(urlencode(form), "application/x-www-form-urlencoded")
    said = await answered(grid, "a")
    assert NOT_INSTALLED in said and "subscribed" not in said
    assert await rows(grid, subscriptions) == set()
    assert await grid.sweeper().sweep(DUE) == []
