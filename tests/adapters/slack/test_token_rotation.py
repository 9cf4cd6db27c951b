"""Slack's token rotation, when the app turns it on: a bot token close to expiry is refreshed with its
refresh token before use, by bolt for requests and by the publisher for digests, and the fresh one saved."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_bolt.context.async_context import AsyncBoltContext
from sqlalchemy import update

from adapters.slack import tokens
from adapters.slack.app import slack_client
from adapters.slack.oauth import OAuthApp, multi_slack
from bot.store.papers import PaperStore
from bot.store.sealing import new_key, sealer
from bot.store.tables import installations
from tests.adapters.slack.workspaces import DUE, KEY, OAUTH_URL, MultiBot, answered, fake_workspaces, multi_bot
from tests.fakes.slack import Failure, FakeSlack, Workspace

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


@pytest.mark.slow
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


async def subscribed_with_t0001_expiring(multi: MultiBot) -> None:
    """Both workspaces installed and subscribed (C1000 in T0001, C2000 in T0002), then T0001's token
    close to expiry again: its next digest refreshes it first."""
    for team, channel in (("T0001", "C1000"), ("T0002", "C2000")):
        await multi.install(team)
        multi.fake.workspaces["T0001"].expires_in = 43200
        await multi.command("subscribe at 09:00 top 1", team, channel=channel, answer=team)
        await answered(multi, team)
    soon = datetime.now(UTC) + timedelta(seconds=30)
    async with multi.store.engine.begin() as connection:
        t0001 = installations.c.workspace == "T0001"
        await connection.execute(update(installations).where(t0001).values(expires_at=soon))
    multi.slack.installations.installations.forget_cached("slack", "T0001")


def posted_in(fake: FakeSlack) -> set[str]:
    return {str(c.args.get("channel")) for c in fake.calls if c.method == "chat.postMessage"}


@pytest.fixture
def no_race_to_lose(monkeypatch: pytest.MonkeyPatch) -> None:
    """No other refresh is under way: a refused one need not wait over a second for its pair to appear."""
    monkeypatch.setattr(tokens, "LOST_RACE_WAIT", 0.01)


@pytest.mark.slow
async def test_a_refresh_refused_for_good_stops_that_workspaces_digests_only(
    multi: MultiBot, no_race_to_lose: None
) -> None:
    await subscribed_with_t0001_expiring(multi)
    multi.fake.workspaces["T0001"].refresh_token = "another"  # Slack no longer takes ours (revoked, or used)
    results = await multi.sweeper(parallel=1).sweep(DUE)  # T0001's batch first: the next one still goes
    outcomes = {r.channel.workspace: (r.outcome, r.reason) for r in results}
    assert outcomes["T0002"] == ("posted", None) and "C2000" in posted_in(multi.fake)
    assert outcomes["T0001"][0] == "stopped" and "invalid_refresh_token" in str(outcomes["T0001"][1])
    statuses = {s.channel.workspace: s.status for s in await multi.subscriptions.all()}
    assert statuses["T0002"] is None and str(statuses["T0001"]).startswith("token_revoked")


@pytest.mark.slow
async def test_a_refresh_slack_fails_to_answer_is_tried_again_at_the_next_sweep(
    multi: MultiBot, no_race_to_lose: None
) -> None:
    await subscribed_with_t0001_expiring(multi)
    multi.fake.fail("oauth.v2.access", Failure(error="internal_error"))  # once
    first = {r.channel.workspace: r for r in await multi.sweeper().sweep(DUE)}
    assert first["T0001"].outcome == "failed" and "internal_error" in str(first["T0001"].reason)
    assert first["T0002"].outcome == "posted" and "C1000" not in posted_in(multi.fake)
    assert all(s.status is None for s in await multi.subscriptions.all())
    again = {r.channel.workspace: r for r in await multi.sweeper().sweep(DUE + timedelta(minutes=1))}
    assert again["T0001"].outcome == "posted" and "C1000" in posted_in(multi.fake)


async def test_two_replicas_refreshing_at_once_both_post_with_the_winners_token(multi: MultiBot) -> None:
    """A refresh token works once: the replica whose refresh Slack refuses finds the other's pair in the
    store and uses it, where it stopped the workspace's digests as if the token were revoked."""
    await multi.install("T0001")
    multi.fake.workspaces["T0001"].expires_in = 43200
    other = multi_slack(
        multi.store.engine,
        sealer(KEY),
        OAuthApp(multi.fake.client_id, multi.fake.client_secret, None, OAUTH_URL),
        slack_client(None, multi.fake.base_url),
        interval=0.0,
    )  # a second replica: its own cache of installations, its own refreshes, the same store
    assert await other.installations.installations.find("slack", "T0001")  # the pair as it was, remembered
    posted = [
        await replica.publisher.for_workspace("T0001").post_message("C1000", "hello", [], None)
        for replica in (multi.slack, other)  # the first refreshes and saves; the second's pair is the old one
    ]
    assert all(posted)
    assert refreshes(multi.fake) == 2  # both asked; the second was refused, and took the first's
    fresh = multi.fake.workspaces["T0001"].token
    assert [c.token for c in multi.fake.calls if c.method == "chat.postMessage"] == [fresh, fresh]


async def test_two_channels_of_a_workspace_at_once_both_get_the_refreshed_token(multi: MultiBot) -> None:
    """The second asker waited for the first's refresh, read the new pair, and was handed the pair it had
    read before waiting: the token just replaced (its calls refused, then tried again)."""
    await multi.install("T0001")
    multi.fake.workspaces["T0001"].expires_in = 43200
    assert await multi.slack.installations.installations.find("slack", "T0001")  # the pair, remembered
    here = multi.slack.publisher.for_workspace("T0001")
    posted = await asyncio.gather(*(here.post_message(c, "digest", [], None) for c in ("C1000", "C1001")))
    assert all(posted) and refreshes(multi.fake) == 1
    fresh = multi.fake.workspaces["T0001"].token
    assert [c.token for c in multi.fake.calls if c.method == "chat.postMessage"] == [fresh, fresh]


async def test_a_request_after_another_replica_refreshed_the_token_is_answered(multi: MultiBot) -> None:
    """Replica A refreshes the rotating token for a digest; replica B, remembering the old pair, gets a
    request from that workspace: bolt's refresh with the used refresh token is refused, and the person
    was told paperboy is not installed. B now reads the store again and answers with A's token."""
    await multi.install("T0001")
    multi.fake.workspaces["T0001"].expires_in = 43200
    client = slack_client(None, multi.fake.base_url)
    replica_b = multi_slack(
        multi.store.engine,
        sealer(KEY),
        OAuthApp(multi.fake.client_id, multi.fake.client_secret, None, OAUTH_URL),
        client,
        interval=0.0,
    )
    assert await replica_b.installations.installations.find("slack", "T0001")  # the pair as it was, remembered
    assert await multi.slack.publisher.for_workspace("T0001").post_message("C1000", "digest", [], None)  # A refreshes
    assert refreshes(multi.fake) == 1
    authorized = await replica_b.oauth.authorize(  # what bolt runs before B answers the request
        context=AsyncBoltContext({"is_enterprise_install": False, "client": client}),
        enterprise_id=None,
        team_id="T0001",
        user_id="U0001",
    )
    assert authorized is not None and authorized.bot_token == multi.fake.workspaces["T0001"].token


@pytest.mark.slow
async def test_a_refresh_slack_fails_to_answer_leaves_a_request_answered_with_the_token_still_good(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    """bolt refreshes a rotating token well before it expires; when Slack failed that refresh (a 500), the
    person was told paperboy was not installed and an admin should add it again, and the log said
    "Failed to rotate tokens due to …", in slack_sdk's words."""
    await multi.install("T0001")
    multi.fake.fail("oauth.v2.access", *[Failure(status=500)] * 4)
    await multi.command("help", "T0001", answer="h")
    said = await answered(multi, "h")
    assert "not installed" not in said and "subscribe" in said  # the help, answered with the token as it stands
    assert [c.token for c in multi.fake.calls if c.method == "auth.test"][-1] == FIRST
    renewal, meanwhile = [r.getMessage() for r in caplog.records if "rotat" in r.getMessage()]
    # once, though bolt tried twice; in one line of our words (not slack_sdk's two), naming the workspace
    assert renewal == "Slack did not renew workspace T0001's rotating token (fatal_error)"
    assert meanwhile.startswith("Slack did not renew workspace T0001's rotating token just now; its current token")
    assert meanwhile.endswith("UTC, answers meanwhile (tried again at the next request)")
    caplog.clear()
    multi.fake.failures["oauth.v2.access"] = []  # Slack answers again…
    multi.fake.workspaces["T0001"].refresh_token = "another"  # Slack refuses the refresh token it holds, for good
    await multi.command("help", "T0001", answer="h2")
    assert "subscribe" in await answered(multi, "h2")
    renewal, meanwhile = [r.getMessage() for r in caplog.records if "rotat" in r.getMessage()]
    assert renewal == (
        "Slack did not renew workspace T0001's rotating token (invalid_refresh_token), and never will: paperboy"
        " must be installed there again"
    )
    assert meanwhile.endswith("UTC, answers meanwhile (then paperboy must be installed there again)")


@pytest.mark.slow
async def test_a_refresh_slack_fails_while_the_token_is_good_for_an_hour_still_posts_the_digest(
    multi: MultiBot, no_race_to_lose: None, caplog: pytest.LogCaptureFixture
) -> None:
    """A token is refreshed two hours before it expires; Slack failing that refresh stopped the digest
    though the token had an hour left. It posts with it, and says so once."""
    await subscribed_with_t0001_expiring(multi)
    later = datetime.now(UTC) + timedelta(hours=1)
    async with multi.store.engine.begin() as connection:
        await connection.execute(
            update(installations).where(installations.c.workspace == "T0001").values(expires_at=later)
        )
    multi.slack.installations.installations.forget_cached("slack", "T0001")
    multi.fake.fail("oauth.v2.access", Failure(error="internal_error"))  # once
    outcomes = {r.channel.workspace: r.outcome for r in await multi.sweeper().sweep(DUE)}
    assert outcomes == {"T0001": "posted", "T0002": "posted"} and "C1000" in posted_in(multi.fake)
    said = [r.getMessage() for r in caplog.records if "posts meanwhile" in r.getMessage()]
    assert len(said) == 1 and "internal_error" in said[0], said


async def test_an_expired_token_slack_does_not_renew_is_said_so_not_not_installed(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Its token expired and Slack's refresh failing (a 500), the person was told paperboy is not installed
    and to ask an admin to add it again: untrue, and a reinstall is no fix for an outage."""
    multi.fake.workspaces["T0001"].expires_in = 0  # expired as it is handed out
    await multi.install("T0001")
    multi.fake.fail("oauth.v2.access", *[Failure(status=500)] * 4)
    await multi.command("settings", "T0001", answer="s")
    said = await answered(multi, "s")
    assert "Slack did not renew this workspace's access token just now" in said and "not installed" not in said
    assert len(multi.fake.responses) == 1  # (bolt's own "not installed" after it: none)
    logged = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("workspace T0001's rotating token has expired") for line in logged), logged
    assert not any("not installed" in line for line in logged), logged


async def test_a_workspace_no_key_opens_is_told_paperboy_is_not_installed(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    """As `run` says at start; the request got no answer at all and a traceback was logged (bolt's second
    look in the store, ours, let the store's "could not be decrypted" through: a 500)."""
    await multi.install("T0001")
    async with multi.store.engine.begin() as conn:  # sealed with a key PAPERBOY_SECRET_KEY no longer lists
        await conn.execute(update(installations).values(sealed=sealer(new_key()).seal({"bot_token": "xoxb-x"})))
    multi.slack.installations.installations.forget_cached("slack", "T0001")
    await multi.command("help", "T0001", answer="h")
    assert "paperboy is not installed in this workspace" in await answered(multi, "h")
    assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records if r.exc_info]


async def test_an_expired_token_in_a_form_is_said_in_the_form_and_one_refused_for_good_asks_for_an_install(
    multi: MultiBot, no_race_to_lose: None
) -> None:
    """A form submitted with the token expired showed bolt's "not installed" in the modal; a refresh token
    Slack refuses for good (only a new install mends it) was told to try again in a few minutes, for ever."""
    import json
    from urllib.parse import urlencode

    from adapters.slack.surfaces import FORM

    multi.fake.workspaces["T0001"].expires_in = 0
    await multi.install("T0001")
    multi.fake.fail("oauth.v2.access", *[Failure(status=500)] * 2)  # (the request's refresh, and bolt's again)
    view = {"id": "V1", "team_id": "T0001", "callback_id": FORM, "type": "modal", "private_metadata": "", "state": {}}
    payload = {"type": "view_submission", "team": {"id": "T0001"}, "user": {"id": "U1", "team_id": "T0001"}}
    form = urlencode({"payload": json.dumps(payload | {"api_app_id": "A1", "trigger_id": "1", "view": view})})
    shown = (await multi.send(form, "application/x-www-form-urlencoded")).json()
    assert "Slack did not renew this workspace's access token" in shown["view"]["blocks"][0]["text"]["text"]
    multi.fake.workspaces["T0001"].refresh_token = "another"  # Slack refuses ours from now on: invalid_refresh_token
    await multi.command("settings", "T0001", answer="s")
    said = await answered(multi, "s")
    assert "paperboy is not installed in this workspace" in said and "did not renew" not in said
