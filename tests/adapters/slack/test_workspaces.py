"""One deployment, many Slack workspaces: the install through bolt's OAuth flow, then commands, events and a
scheduled digest in two workspaces at once, each with its own token; uninstall, reinstall and forget; and the
raw tokens never in the database or the logs. On both database backends."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from bot.app.cli.workspaces import _departed_line
from bot.store.installations import Installations
from bot.store.papers import PaperStore
from bot.store.sealing import new_key, sealer
from bot.store.tables import installations, metadata
from bot.store.workspaces import PAUSED, Departed, departed, forget, installed
from tests.adapters.slack.workspaces import (
    DUE,
    KEY,
    OAUTH_URL,
    TEAMS,
    MultiBot,
    all_paused,
    answered,
    calls_with,
    fake_workspaces,
    multi_bot,
    until_installed,
)
from tests.conftest import local_client, save_june
from tests.fakes.slack import Failure, FakeSlack

T1, T2 = TEAMS["T0001"], TEAMS["T0002"]


@pytest.fixture
async def multi(store: PaperStore, fake_slack: FakeSlack) -> AsyncIterator[MultiBot]:
    await save_june(store)
    fake_workspaces(fake_slack)
    async for bot in multi_bot(store, fake_slack):
        yield bot


@pytest.mark.slow
async def test_the_install_page_links_to_slack_with_the_scopes_and_a_state_cookie(multi: MultiBot) -> None:
    link, state, page = await multi.start_install()
    assert page.status_code == 200 and ">Add to Slack</strong></a>" in page.text  # a link in words, not an image
    assert "paperboy" in page.text and "Slack App Installation" not in page.text  # our page, not bolt's
    assert page.headers["content-type"].startswith("text/html")
    assert link.startswith(OAUTH_URL + "?")
    assert f"client_id={multi.fake.client_id}" in link and "chat:write" in link
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"slack-app-oauth-state={state};") and "HttpOnly" in cookie and "Max-Age=86400" in cookie
    assert page.headers["cache-control"] == "no-store"  # one browser's state, once: no proxy keeps it (QA s77)
    async with local_client(base_url=multi.url, timeout=10) as client:  # a HEAD issues no state (each was a row)
        head = await client.head("/slack/install")
    assert head.status_code == 200 and "set-cookie" not in head.headers
    async with multi.store.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM oauth_states")) == 1


@pytest.mark.slow
async def test_a_workspace_that_uninstalled_is_listed_with_the_data_it_left(multi: MultiBot) -> None:
    """`paperboy workspaces` listed only installations: a workspace gone, its paused digests and people's
    lists kept (for a reinstall), was nowhere to be seen, nor the id `forget` takes to erase it."""
    for team in ("T0001", "T0002"):
        await multi.install(team)
        await multi.command("subscribe at 09:00 top 2", team, channel=f"C{team[1:]}", answer=team)
        await answered(multi, team)
    assert await departed(multi.store.engine) == []
    await multi.event("T0001", {"type": "app_uninstalled"}, "Ev-uninstall")
    await until_installed(multi, 1)
    [gone] = await departed(multi.store.engine)
    assert gone == Departed("slack", "T0001", channels=1, stopped=1, follows=0)
    assert [i.workspace for i in await installed(multi.store.engine)] == ["T0002"]
    assert _departed_line(gone) == (
        "slack:T0001  not installed · 1 channel (1 stopped), 0 follows · its data is kept: an install there resumes"
        " its digests; `paperboy forget --team slack:T0001` erases it"
    )
    org = Departed("slack", "E0001", channels=1, stopped=1, follows=0)  # an org's: said so (QA s77: the label went)
    assert _departed_line(org).startswith("slack:E0001 (an Enterprise Grid org)  not installed · 1 channel")
    listed = Departed("slack", "T0003", channels=0, stopped=0, follows=0, votes=2, saved=1)  # (QA s77: unsaid)
    assert _departed_line(listed) == (
        "slack:T0003  not installed · 0 channels, 0 follows, 2 votes, 1 saved paper · its data is kept: an install"
        " there finds it again; `paperboy forget --team slack:T0003` erases it"
    )
    await forget(multi.store.engine, "slack", "T0001")
    assert await departed(multi.store.engine) == []


@pytest.mark.slow
async def test_two_workspaces_at_once_each_with_its_own_token(multi: MultiBot) -> None:
    fake = multi.fake
    for team in ("T0001", "T0002"):
        done = await multi.install(team)
        assert done.status_code == 200
        assert "/papers subscribe" in done.text and f"installed in {TEAMS[team].name}" in done.text
    assert fake.live_tokens == {T1.token: "T0001", T2.token: "T0002"}

    # The same channel id in both workspaces: two subscriptions, never one.
    await multi.command("subscribe diffusion at 09:00 top 2", "T0001", answer="s1")
    await multi.command("subscribe at 09:00 top 1", "T0002", answer="s2")
    assert "subscribed" in await answered(multi, "s1")
    await answered(multi, "s2")
    subs = {(s.channel.workspace, s.channel.channel): s for s in await multi.subscriptions.all()}
    assert set(subs) == {("T0001", "C0001"), ("T0002", "C0001")}
    assert subs[("T0001", "C0001")].topics == ("diffusion",) and subs[("T0002", "C0001")].topics == ()

    # A command's Web API calls (auth.test through bolt's authorize) carry its own workspace's token.
    assert {c.token for c in fake.calls if c.method == "auth.test"} == {T1.token, T2.token}

    # The scheduled digest: each workspace's channel gets its own, posted with its own token.
    results = await multi.sweeper().sweep(DUE)
    assert sorted((r.channel.workspace, r.outcome, r.papers) for r in results) == [
        ("T0001", "posted", 2),
        ("T0002", "posted", 1),
    ]
    assert calls_with(fake, T1.token) == ["C0001"] * (1 + 2 * 2)
    assert calls_with(fake, T2.token) == ["C0001"] * (1 + 1 * 2)

    # An event (a mention in T2's digest thread) is answered in T2, with T2's token.
    thread = next(c.args for c in fake.calls if c.token == T2.token and c.args.get("thread_ts"))["thread_ts"]
    mention = {"type": "app_mention", "user": "U0001", "text": "<@UBOT> cite", "ts": "1.5", "channel": "C0001"}
    await multi.event("T0002", mention | {"thread_ts": thread, "event_ts": "1.5"}, "Ev-m2")
    await fake.wait_for(lambda: len(calls_with(fake, T2.token)) == 4)
    answer = [c for c in fake.calls if c.method == "chat.postMessage"][-1]
    assert answer.token == T2.token and answer.args["thread_ts"] == thread
    assert len(calls_with(fake, T1.token)) == 5  # nothing more in T1

    # A second sweep posts nothing anywhere: each workspace's digest is recorded as done.
    assert await multi.sweeper().sweep(DUE) == []


@pytest.mark.slow
async def test_an_uninstall_mid_sweep_stops_only_that_workspace_and_a_reinstall_resumes_it(multi: MultiBot) -> None:
    fake = multi.fake
    for team in ("T0001", "T0002"):
        await multi.install(team)
    await multi.command("subscribe at 09:00 top 2", "T0001", channel="C1000", answer="a")
    await multi.command("subscribe at 09:00 top 2", "T0002", channel="C2000", answer="b")
    await answered(multi, "a")
    await answered(multi, "b")
    fake.latency = 0.15  # each post takes a while: the uninstall lands while T1's digest is under way

    sweep = asyncio.create_task(multi.sweeper().sweep(DUE))
    await fake.wait_for(lambda: len(calls_with(fake, T1.token)) >= 1)
    fake.hold = asyncio.Event()  # T1's next post hangs until the uninstall is through, however slow the host
    try:
        await multi.event("T0001", {"type": "app_uninstalled"}, "Ev-uninstall")
        await until_installed(multi, 1)  # the event is acknowledged at once, handled just after
        await all_paused(multi, "T0001")
        fake.revoke("T0001")
        revoked_at = len(fake.calls)
    finally:  # a failure above must not leave the post hanging through the teardown
        fake.hold.set()
    results = {r.channel.workspace: r for r in await sweep}

    assert results["T0002"].outcome == "posted" and results["T0002"].papers == 2
    assert results["T0001"].outcome == "stopped" and results["T0001"].reason == PAUSED
    assert [c for c in fake.calls[revoked_at:] if c.token == T1.token] == []  # nothing retried with it
    status = {s.channel.workspace: s.status for s in await multi.subscriptions.all()}
    assert status == {"T0001": PAUSED, "T0002": None}
    assert await multi.sweeper().sweep(DUE.replace(hour=10)) == []  # the paused one is skipped, not retried
    assert T1.token not in {c.token for c in fake.calls[revoked_at:]}
    assert len(calls_with(fake, T1.token)) < 1 + 2 * 2 == len(calls_with(fake, T2.token))  # T1's stopped midway

    # Installed again: the subscription resumes, and /papers settings says so.
    again = await multi.install("T0001")
    assert again.status_code == 200
    assert "Installed again: its 1 subscription from before is back as it was." in again.text
    assert {s.channel.workspace: s.status for s in await multi.subscriptions.all()} == {"T0001": None, "T0002": None}
    await multi.command("settings", "T0001", channel="C1000", answer="c")
    text = await answered(multi, "c")
    assert "Next digest" in text and "stopped" not in text


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Everything logged at DEBUG, slack_sdk's request and response bodies included, from before the app starts."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="slack_sdk.web.async_base_client")  # a publisher may have raised it
    return caplog


@pytest.mark.slow
async def test_the_raw_tokens_are_never_in_the_database_nor_the_logs(
    debug_logs: pytest.LogCaptureFixture, multi: MultiBot, tmp_path: Path
) -> None:
    caplog = debug_logs
    for team in ("T0001", "T0002"):
        await multi.install(team)
    await multi.command("subscribe at 09:00 top 1", "T0001", answer="a")
    await answered(multi, "a")
    await multi.sweeper().sweep(DUE)
    assert len(calls_with(multi.fake, T1.token)) == 3  # the tokens were used…
    assert "oauth.v2.access" in caplog.text and "xox-(redacted)" in caplog.text  # …and logged, redacted

    rows = []  # …and every stored value, every table, holds neither
    async with multi.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows += [str(tuple(row)) for row in await conn.execute(select(table))]
    dump = "\n".join(rows)
    assert "installations" in {t.name for t in metadata.sorted_tables} and "gAAAAA" in dump  # sealed: Fernet
    for token in (T1.token, T2.token):
        assert token not in dump
        assert token not in caplog.text
        assert token.split("-")[2] not in caplog.text  # not even the secret part
    if multi.store.engine.dialect.name == "sqlite":
        files = await asyncio.to_thread(lambda: {p.name: p.read_bytes() for p in tmp_path.glob("paperboy.db*")})
        assert "paperboy.db" in files  # the file, its WAL and shared memory
        for name, data in files.items():
            assert not any(token.encode() in data for token in (T1.token, T2.token)), name


@pytest.mark.slow
async def test_forget_erases_one_workspace_and_nothing_of_another(multi: MultiBot) -> None:
    for team in ("T0001", "T0002"):
        await multi.install(team)
    for team, answer in (("T0001", "a"), ("T0002", "b")):
        await multi.command("subscribe at 09:00 top 1", team, answer=answer)
        await answered(multi, answer)
    await multi.sweeper().sweep(DUE)
    erased = await forget(multi.store.engine, "slack", "T0001")
    assert erased["installations"] == 1 and erased["subscriptions"] == 1 and erased["digests"] == 1
    assert erased["digest_papers"] == 1 and erased["threads"] == 1
    assert [s.channel.workspace for s in await multi.subscriptions.all()] == ["T0002"]
    found = Installations(multi.store.engine, sealer(KEY))
    assert await found.find("slack", "T0001") is None and await found.find("slack", "T0002") is not None
    assert await forget(multi.store.engine, "slack", "T0001") == dict.fromkeys(erased, 0)


@pytest.mark.slow
async def test_tokens_revoked_deletes_the_bot_token_and_pauses_but_a_user_token_alone_does_not(multi: MultiBot) -> None:
    for team in ("T0001", "T0002"):
        await multi.install(team)
    await multi.command("subscribe at 09:00 top 1", "T0001", answer="a")
    await answered(multi, "a")
    installed = multi.slack.installations.installations
    await multi.event("T0002", {"type": "tokens_revoked", "tokens": {"oauth": ["U0001"]}}, "Ev-user-only")
    await asyncio.sleep(0.3)
    assert await installed.count("slack") == 2  # no user token is kept; the bot's stays
    await multi.event("T0001", {"type": "tokens_revoked", "tokens": {"bot": ["UBOTT0001"]}}, "Ev-bot")
    await until_installed(multi, 1)
    assert await installed.find("slack", "T0001") is None and await installed.find("slack", "T0002") is not None
    await all_paused(multi, "T0001")
    assert [s.status for s in await multi.subscriptions.all()] == [PAUSED]


@pytest.mark.slow
async def test_a_token_no_key_opens_fails_only_its_workspace_s_digests(
    multi: MultiBot, caplog: pytest.LogCaptureFixture
) -> None:
    """One workspace's token sealed with a key no longer given (a rotation's old key dropped too early):
    its digests fail, to be tried again, saying why and what to do (in the delivery's line, at each try,
    not at each tick: that was ~900 lines a channel a day); the other workspace's go out as before."""
    for team, answer in (("T0001", "a"), ("T0002", "b")):
        await multi.install(team)
        await multi.command("subscribe at 09:00 top 1", team, answer=answer)
        await answered(multi, answer)
    other = sealer(new_key()).seal({"bot_token": "xoxb-T0001-sealed-elsewhere"})
    async with multi.store.engine.begin() as connection:
        await connection.execute(update(installations).where(installations.c.workspace == "T0001").values(sealed=other))
    multi.slack.installations.installations.forget_cached("slack", "T0001")
    results = {r.channel.workspace: r for r in await multi.sweeper().sweep(DUE)}
    assert results["T0002"].outcome == "posted"
    assert results["T0001"].outcome == "failed" and "token cannot be read" in (results["T0001"].reason or "")
    assert "put the old key back" in (results["T0001"].reason or "")
    assert (
        "With that key back, run `paperboy reseal`; or erase the workspace with `paperboy forget --team slack:T0001`"
        in (results["T0001"].reason or "")
    )
    sweeper = multi.sweeper()
    with caplog.at_level(logging.WARNING):
        for minute in range(1, 11):  # the next ten ticks
            await sweeper.sweep(DUE + timedelta(minutes=minute))
    said = [r for r in caplog.records if "token cannot be read" in r.getMessage()]
    assert len(said) <= 2 and all(r.name == "paperboy.delivery" for r in said)  # tried after a growing rest


@pytest.mark.slow
async def test_a_workspace_refusing_the_app_is_paused_and_its_reinstall_resumes_it(multi: MultiBot) -> None:
    """missing_scope (the app installed without a scope it needs) is the workspace's to mend, by
    installing the app again: its channels are paused, not stopped for good, and that resumes them."""
    await multi.install("T0001")
    await multi.command("subscribe at 09:00 top 1", "T0001", answer="a")
    await answered(multi, "a")
    multi.fake.failures["chat.postMessage"] = [Failure(error="missing_scope", status=200)]
    [result] = await multi.sweeper().sweep(DUE)
    assert result.outcome == "stopped" and (result.reason or "").startswith("missing_scope (")
    assert "installing the app again resumes" in (result.reason or "")
    await multi.install("T0001")
    assert [s.status for s in await multi.subscriptions.all()] == [None]


@pytest.mark.slow
async def test_an_uninstall_and_reinstall_keep_a_channel_s_own_refusal(multi: MultiBot) -> None:
    """An archived channel stays refused: the uninstall's pause does not overwrite its refusal, so the
    reinstall's resume does not clear it (only a new `subscribe` there does)."""
    await multi.install("T0001")
    await multi.command("subscribe at 09:00 top 2", "T0001", channel="C1000", answer="a")
    await answered(multi, "a")
    channel = next(s.channel for s in await multi.subscriptions.all())
    await multi.subscriptions.set_status(channel, "is_archived (the channel is archived)")
    await multi.event("T0001", {"type": "app_uninstalled"}, "Ev-uninstall")
    await until_installed(multi, 0)
    await multi.install("T0001")
    assert [s.status for s in await multi.subscriptions.all()] == ["is_archived (the channel is archived)"]


@pytest.mark.slow
async def test_a_late_word_of_an_uninstall_spares_the_reinstall_that_followed_it(multi: MultiBot) -> None:
    """Slack retries an event it could not deliver, keeping its time: a tokens_revoked of the old token
    may arrive after the workspace installed the app again."""
    installs = multi.slack.installations.installations

    def status() -> Awaitable[dict[str, str | None]]:
        async def read() -> dict[str, str | None]:
            return {s.channel.workspace: s.status for s in await multi.subscriptions.all()}

        return read()

    await multi.install("T0001")
    await multi.command("subscribe at 09:00 top 1", "T0001", channel="C1000", answer="a")
    await answered(multi, "a")
    left = int(time.time())
    await multi.event("T0001", {"type": "app_uninstalled"}, "Ev-gone", event_time=left)
    await until_installed(multi, 0)
    await asyncio.sleep(max(0.0, left + 1.1 - time.time()))  # Slack's times are whole seconds: the next one
    assert (await multi.install("T0001")).status_code == 200 and (await status())["T0001"] is None
    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["UBOTT0001"]}}
    await multi.event("T0001", revoked, "Ev-late", event_time=left)
    await multi.command("help", "T0001", answer="h")  # handled after the late event: it is done with
    await answered(multi, "h")
    assert await installs.count("slack") == 1 and (await status())["T0001"] is None
    await multi.event("T0001", {"type": "app_uninstalled"}, "Ev-now")  # a word of now still counts
    await until_installed(multi, 0)
    await all_paused(multi, "T0001")


@pytest.mark.slow
async def test_a_token_slack_refuses_with_no_event_is_not_subscribed_with(multi: MultiBot) -> None:
    """bolt keeps a token's auth.test answer for the process's life: after one request, a token revoked
    with no event to say so passes for installed, and `subscribe` read Slack's invalid_auth as "can't tell"
    and saved the channel under a promise of a digest the token could never post."""
    await multi.install("T0001")
    await multi.command("help", "T0001", answer="a")
    await answered(multi, "a")
    multi.fake.revoke("T0001")  # no app_uninstalled event comes
    await multi.command("subscribe diffusion", "T0001", answer="b")
    said = await answered(multi, "b")
    assert "Slack refuses paperboy's token in this workspace (invalid_auth)" in said and "subscribed" not in said
    assert await multi.subscriptions.all() == []


async def test_a_resumed_post_in_a_channel_two_workspaces_share_finds_only_its_own(multi: MultiBot) -> None:
    """A Slack Connect channel shared by two workspaces has one id and one history, holding both installs'
    posts under the same keys: a digest resumed in one took the other's header and cards for its own."""
    from datetime import UTC, datetime

    from bot.domain.post import Post

    await multi.install("T0001")
    await multi.install("T0002")
    since = datetime.now(UTC)
    one, two = (multi.slack.publisher.for_workspace(team) for team in ("T0001", "T0002"))
    posted = await one.post_header("C0001", Post(header="Daily Papers"), "2026-06-01:header")
    assert posted is not None
    assert await one.find("C0001", "2026-06-01:header", since) == posted
    assert await two.find("C0001", "2026-06-01:header", since) is None  # T0001's: not T0002's to resume
