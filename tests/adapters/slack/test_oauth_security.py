"""What multi-workspace Slack refuses, each with a page or a line saying why: a forged, replayed or stale state,
another browser, a cancelled install, a wrong signing secret, a token used in another workspace's channel."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from adapters.slack.installations import PLATFORM
from adapters.slack.oauth import NOT_INSTALLED
from bot.domain.errors import ChannelUnavailable
from bot.store.papers import PaperStore
from tests.adapters.slack.workspaces import TEAMS, MultiBot, fake_workspaces, multi_bot
from tests.fakes.slack import Failure, FakeSlack

COOKIE = "slack-app-oauth-state"


@pytest.fixture
async def multi(june_store: PaperStore, fake_slack: FakeSlack) -> AsyncIterator[MultiBot]:
    fake_workspaces(fake_slack)
    async for bot in multi_bot(june_store, fake_slack):
        yield bot


async def installed(bot: MultiBot) -> int:
    return await bot.slack.installations.installations.count(PLATFORM)


async def test_a_forged_state_is_refused(multi: MultiBot) -> None:
    await multi.start_install()  # a real state exists, but the browser comes back with one of its own
    code = multi.fake.install_code("T0001")
    page = await multi.get("/slack/oauth_redirect", params={"code": code, "state": "forged"}, cookie=f"{COOKIE}=forged")
    assert page.status_code == 401
    assert "expired or was already used" in page.text and "nothing was installed" in page.text
    assert not [c for c in multi.fake.calls if c.method == "oauth.v2.access"]  # the code was never exchanged
    assert await installed(multi) == 0


async def test_a_replayed_state_is_refused(multi: MultiBot) -> None:
    _, state, start = await multi.start_install()
    cookie = start.headers["set-cookie"].split(";")[0]
    first = await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": state}, cookie=cookie
    )
    assert first.status_code == 200
    again = await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0002"), "state": state}, cookie=cookie
    )
    assert again.status_code == 401 and "already used" in again.text
    assert await installed(multi) == 1  # T0002 was not installed by the replay
    assert "an install it finished before stands" in again.text


async def test_the_installed_page_loaded_again_says_the_install_stands(multi: MultiBot) -> None:
    """A reload of the page that said "installed" (or tabs restored) said "another browser … nothing was
    installed": the success page had deleted the cookie it came back without."""
    _, state, start = await multi.start_install()
    cookie = start.headers["set-cookie"].split(";")[0]
    params = {"code": multi.fake.install_code("T0001"), "state": state}
    first = await multi.get("/slack/oauth_redirect", params=params, cookie=cookie)
    assert first.status_code == 200 and "set-cookie" not in first.headers  # the browser keeps its cookie
    again = await multi.get("/slack/oauth_redirect", params=params, cookie=cookie)
    assert "already used" in again.text and "an install it finished before stands" in again.text
    assert "another browser" not in again.text and await installed(multi) == 1


async def test_an_install_started_in_a_second_tab_still_finishes(multi: MultiBot) -> None:
    """Two installs begun in two tabs of one browser: it keeps the second's cookie. The first one's refusal
    deleted that cookie, and the second, still good, failed too."""
    _, first_state, _ = await multi.start_install()
    _, second_state, second = await multi.start_install()
    cookie = second.headers["set-cookie"].split(";")[0]  # the browser's one cookie: the last install's
    tab_one = await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": first_state}, cookie=cookie
    )
    assert tab_one.status_code == 400 and "the install it started last" in tab_one.text
    assert "set-cookie" not in tab_one.headers  # the second install's cookie is left alone
    tab_two = await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0002"), "state": second_state}, cookie=cookie
    )
    assert tab_two.status_code == 200 and await installed(multi) == 1


async def test_a_state_past_its_ten_minutes_is_said_to_have_expired(multi: MultiBot) -> None:
    """The cookie lived as long as the state, so a browser back late had none and was told it was another
    browser's install: the cookie now outlives the state, and the store refuses the state as expired."""
    _, state, start = await multi.start_install()
    assert "Max-Age=86400" in start.headers["set-cookie"]
    async with multi.store.engine.begin() as conn:
        await conn.execute(text("UPDATE oauth_states SET expires_at = :past"), {"past": "2000-01-01 00:00:00"})
    cookie = start.headers["set-cookie"].split(";")[0]
    page = await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": state}, cookie=cookie
    )
    assert page.status_code == 401 and "has expired or was already used" in page.text
    assert await installed(multi) == 0


@pytest.mark.parametrize(
    "failure", [Failure(status=502, text="<html>Bad Gateway</html>"), Failure(error="internal_error")]
)
async def test_slack_failing_the_code_s_exchange_is_not_blamed_on_the_code(multi: MultiBot, failure: Failure) -> None:
    _, state, start = await multi.start_install()
    cookie = start.headers["set-cookie"].split(";")[0]
    multi.fake.fail("oauth.v2.access", failure)
    page = await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": state}, cookie=cookie
    )
    assert page.status_code == 503 and "Slack did not answer as it should" in page.text
    assert "authorization code" not in page.text and await installed(multi) == 0


async def test_a_state_from_another_browser_is_refused(multi: MultiBot) -> None:
    _, state, _ = await multi.start_install()
    page = await multi.get("/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": state})
    assert page.status_code == 400 and "another browser" in page.text
    assert await installed(multi) == 0


async def test_a_cancelled_install_says_so(multi: MultiBot) -> None:
    page = await multi.get("/slack/oauth_redirect", params={"error": "access_denied", "state": "x"})
    assert page.status_code == 200 and "cancelled" in page.text and "Back to the install page" in page.text


async def test_a_code_slack_does_not_accept_is_refused(multi: MultiBot) -> None:
    _, state, start = await multi.start_install()
    cookie = start.headers["set-cookie"].split(";")[0]
    page = await multi.get("/slack/oauth_redirect", params={"code": "made-up", "state": state}, cookie=cookie)
    assert page.status_code == 401 and "did not accept the authorization code" in page.text
    assert await installed(multi) == 0


async def test_a_client_secret_that_is_not_the_apps_is_said_to_the_operator_not_blamed_on_the_code(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong SLACK_CLIENT_SECRET: every install failed as "did not accept the authorization code", and
    the log said `invalid_code`; the cause, `bad_client_secret`, was only in bolt's own warning."""
    _, state, start = await multi.start_install()
    cookie = start.headers["set-cookie"].split(";")[0]
    multi.fake.client_secret = "the-app-s-real-secret"  # paperboy's is another
    with caplog.at_level(logging.WARNING, logger="paperboy.slack"):
        page = await multi.get(
            "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": state}, cookie=cookie
        )
    assert "Slack settings are not set right" in page.text and "authorization code" not in page.text
    assert "SLACK_CLIENT_ID or SLACK_CLIENT_SECRET does not match the app's (Slack: bad_client_secret)" in caplog.text
    assert await installed(multi) == 0


async def refused_by_slack(multi: MultiBot, error: str) -> httpx.Response:
    """The page of an install whose code's exchange Slack refuses with `error`."""
    _, state, start = await multi.start_install()
    cookie = start.headers["set-cookie"].split(";")[0]
    multi.fake.fail("oauth.v2.access", Failure(error=error))
    return await multi.get(
        "/slack/oauth_redirect", params={"code": multi.fake.install_code("T0001"), "state": state}, cookie=cookie
    )


async def test_an_app_not_yet_distributed_is_said_to_the_operator_not_blamed_on_the_code(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Public distribution not turned on (the docs' step 3): every other workspace's admin was told the code
    had expired and to start again, which could never work."""
    with caplog.at_level(logging.WARNING, logger="paperboy.slack"):
        page = await refused_by_slack(multi, "invalid_team_for_non_distributed_app")
    assert "only in the workspace that made it" in page.text and "authorization code" not in page.text
    assert "Activate Public Distribution" in caplog.text
    assert await installed(multi) == 0


@pytest.mark.parametrize("error", ["cannot_install_an_org_installed_app", "team_added_to_org"])
async def test_an_install_slack_refuses_for_its_own_reason_names_it(multi: MultiBot, error: str) -> None:
    page = await refused_by_slack(multi, error)
    assert f"Slack refused to install paperboy here (“{error}”)" in page.text
    assert "authorization code" not in page.text


async def test_a_request_signed_with_another_secret_is_refused(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    await multi.install("T0001")
    before = len(multi.fake.calls)
    with caplog.at_level(logging.WARNING, logger="paperboy.slack"):
        refused = await multi.command("subscribe", "T0001", secret="not-the-secret")
    assert refused.status_code == 401 and refused.json() == {"error": "invalid or stale signature"}
    # the log names the setting to check: a wrong SLACK_SIGNING_SECRET makes the bot deaf, one line a minute
    assert "a signature that SLACK_SIGNING_SECRET does not give" in caplog.text
    await asyncio.sleep(0.1)
    assert multi.fake.calls[before:] == [] and multi.fake.responses == []


async def test_a_token_is_never_used_in_another_workspaces_channel(multi: MultiBot) -> None:
    for team in ("T0001", "T0002"):
        await multi.install(team)
    # T0001's publisher asked for T0002's own channel: Slack (the fake) refuses T0001's token there.
    with pytest.raises(ChannelUnavailable, match="channel_not_found"):
        await multi.slack.publisher.for_workspace("T0001").post_message("C2000", "hello", [], None)
    refused = multi.fake.calls[-1]
    assert refused.token == TEAMS["T0001"].token and refused.args["channel"] == "C2000"
    # Each workspace's publisher carries its own token, whatever the channel id.
    await multi.slack.publisher.for_workspace("T0002").post_message("C2000", "hello", [], None)
    assert multi.fake.calls[-1].token == TEAMS["T0002"].token


@pytest.mark.slow
async def test_a_workspace_without_an_installation_gets_nothing_posted(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    await multi.install("T0001")
    with pytest.raises(ChannelUnavailable, match="uninstalled"):
        await multi.slack.publisher.for_workspace("T0002").post_message("C2000", "hello", [], None)
    with pytest.raises(ChannelUnavailable, match="name it, as slack:TEAM_ID/CHANNEL_ID"):
        await multi.slack.publisher.for_workspace("").post_message("C2000", "hello", [], None)
    assert [c for c in multi.fake.calls if c.method == "chat.postMessage"] == []
    # A command from a workspace that never installed the app: bolt finds no token, nothing is called.
    before = len(multi.fake.calls)
    with caplog.at_level(logging.INFO):
        await multi.command("today", "T0002", channel="C2000")
        await asyncio.sleep(0.2)
    assert [c.method for c in multi.fake.calls[before:]] == []
    assert [r["text"] for r in multi.fake.responses] == [NOT_INSTALLED]
    # bolt's ERROR ("Although the app should be installed…"), said in our words, at INFO: no fault of ours
    assert [
        r.levelname for r in caplog.records if r.name.startswith("slack_bolt") and r.levelno >= logging.WARNING
    ] == []
    assert "a request came from a Slack workspace where paperboy is not installed" in caplog.text


async def test_an_install_page_whose_database_fails_says_so(multi: MultiBot, caplog: pytest.LogCaptureFixture) -> None:
    async with multi.store.engine.begin() as conn:
        await conn.execute(text("DROP TABLE oauth_states"))
    page = await multi.get("/slack/install")
    assert page.status_code == 503 and "did not answer, so nothing was installed" in page.text
    assert "Traceback" not in caplog.text
    assert "the Slack install page /slack/install failed (OperationalError)" in caplog.text


def test_a_workspace_without_paperboy_is_given_the_install_pages_whole_address() -> None:
    """`/slack/install` alone leads nowhere from inside Slack: with PAPERBOY_PUBLIC_URL, the whole address."""
    from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

    from adapters.slack.oauth import not_installed

    public = AsyncOAuthSettings(
        client_id="1", client_secret="x", redirect_uri="https://pb.example.org/slack/oauth_redirect"
    )
    assert not_installed(public).endswith("add it again at https://pb.example.org/slack/install")
    assert not_installed(AsyncOAuthSettings(client_id="1", client_secret="x")) == NOT_INSTALLED
