"""`paperboy run` and `paperboy post` against a fake Slack, configured only by the documented variables."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from bot.host.disk import LARGE_KB, read_ahead_kb
from tests.adapters.slack.conftest import SECRET
from tests.app.test_cli import entry_point, run_cli
from tests.conftest import CURRENT, child_env
from tests.fakes.slack import TEAM, FakeSlack
from tests.fakes.slack_requests import signed_headers

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def environment(tmp_path: Path, fake: FakeSlack, port: int) -> dict[str, str]:
    env = child_env()
    env.update(
        PAPERBOY_DATA_DIR=str(tmp_path / "data"),
        PAPERBOY_OFFLINE="1",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SECRET,
        PAPERBOY_SLACK_API_URL=fake.base_url,
        PAPERBOY_SLACK_PORT=str(port),
    )
    return env


async def command_to_run(fake: FakeSlack, port: int, text: str) -> httpx.Response:
    """Wait for `paperboy run` to listen on `port`, then send it a signed `/papers TEXT` from U0001 in C0001."""
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(300):
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("paperboy run never listened")
        body = urlencode(
            {
                "team_id": "T0001",
                "channel_id": "C0001",
                "channel_name": "papers",
                "user_id": "U0001",
                "command": "/papers",
                "text": text,
                "response_url": fake.response_url(),
                "trigger_id": "1",
            }
        )
        headers = signed_headers(body, SECRET, "application/x-www-form-urlencoded")
        return await client.post(f"http://127.0.0.1:{port}/slack/events", content=body, headers=headers)


async def test_post_delivers_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = environment(tmp_path, fake_slack, free_port())
    code, _, err = await run_cli(env, tmp_path, "import", str(CURRENT / "2026-06-01.json"))
    assert code == 0, err
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0001", "--date", "2026-06-01")
    assert code == 0, err
    assert "Posted the 1 June 2026 digest to slack:C0001: 10 papers." in err
    assert len(fake_slack.posts("C0001")) == 1 + 10 * 2
    assert followed_regardless(tmp_path) == [True] * 10  # no subscription here: followed for news all the same
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0001", "--date", "2026-06-01")
    assert code == 0
    assert "already has the 1 June 2026 digest (10 papers): nothing posted." in err
    assert len(fake_slack.posts("C0001")) == 21


@pytest.mark.slow
async def test_post_names_one_channel_however_its_workspace_is_written(tmp_path: Path, fake_slack: FakeSlack) -> None:
    """One bot token: `slack:C0001` and `slack:T0001/C0001` each had a delivery of their own, and a workspace
    not the token's (`slack:T9999/C0001`) posted in the token's all the same: the digest again (QA s76)."""
    env = environment(tmp_path, fake_slack, free_port())
    code, _, err = await run_cli(env, tmp_path, "import", str(CURRENT / "2026-06-01.json"))
    assert code == 0, err
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", f"slack:{TEAM}/C0001", "--date", "2026-06-01")
    assert code == 0 and "10 papers" in err, err
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0001", "--date", "2026-06-01")
    assert code == 0 and "nothing posted" in err, err
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:T9999/C0001", "--date", "2026-06-01")
    assert code == 2, err
    assert f"slack:T9999/C0001: T9999 is not the workspace of SLACK_BOT_TOKEN ({TEAM}): name the channel as" in err
    assert len(fake_slack.posts("C0001")) == 1 + 10 * 2
    # a digest recorded under the workspace's spelling before (a chat subscription's, since ended): that one
    with sqlite3.connect(tmp_path / "data" / "paperboy.db") as db:
        db.execute(
            "INSERT INTO digests (platform, workspace, channel, day, status, owner, lease_until, papers, claimed_at)"
            f" VALUES ('slack', '{TEAM}', 'C0002', '2026-06-01', 'done', 'old', '2026-06-01', 10, '2026-06-01')"
        )
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0002", "--date", "2026-06-01")
    assert code == 0 and "nothing posted" in err and not fake_slack.posts("C0002"), err
    with sqlite3.connect(tmp_path / "data" / "paperboy.db") as db:  # another day without: that day's spelling
        db.execute(
            "INSERT INTO digests (platform, workspace, channel, day, status, owner, lease_until, papers, claimed_at)"
            " VALUES ('slack', '', 'C0002', '2026-05-29', 'done', 'old', '2026-05-29', 10, '2026-05-29')"
        )
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0002", "--date", "2026-06-01")
    assert code == 0 and "nothing posted" in err and not fake_slack.posts("C0002"), err


async def test_post_to_a_channel_of_the_config_file_posts_its_whole_digest(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Before `paperboy run` had saved the file's subscriptions, `post` took its channel for one unsubscribed
    midway at its first check, 3 s in: at Slack's pace, 2 cards of 10 and "Posted … 2 papers"."""
    fake_slack.latency = 0.35  # a card and its thread's seed: 0.7 s; five of them take longer than the check
    config = tmp_path / "paperboy.toml"
    config.write_text('[[subscriptions]]\nchannel = "slack:C0001"\nlimit = 5\n', encoding="utf-8")
    env = environment(tmp_path, fake_slack, free_port()) | {"PAPERBOY_CONFIG": str(config)}
    code, _, err = await run_cli(env, tmp_path, "import", str(CURRENT / "2026-06-01.json"))
    assert code == 0, err
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0001", "--date", "2026-06-01")
    assert code == 0, err
    assert "Posted the 1 June 2026 digest to slack:C0001: 5 papers." in err
    assert len(fake_slack.posts("C0001")) == 1 + 5 * 2
    assert followed_regardless(tmp_path) == [False] * 5  # a subscription's: followed while subscribed


def followed_regardless(tmp_path: Path) -> list[bool]:
    """Whether each followed card is followed with or without a subscription, as the store holds it."""
    with closing(sqlite3.connect(tmp_path / "data" / "paperboy.db")) as db:
        return [bool(r) for (r,) in db.execute("SELECT regardless FROM followed_cards ORDER BY arxiv_id")]


async def test_post_to_a_missing_channel_fails_cleanly(tmp_path: Path, fake_slack: FakeSlack) -> None:
    fake_slack.missing_channels.add("C0404")
    env = environment(tmp_path, fake_slack, free_port())
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0404")
    assert code == 1
    assert "paperboy: error: Delivery to slack:C0404 stopped: channel_not_found" in err
    assert "Traceback" not in err


async def test_run_answers_papers_over_http(tmp_path: Path, fake_slack: FakeSlack) -> None:
    port = free_port()
    env = environment(tmp_path, fake_slack, port)
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert (await command_to_run(fake_slack, port, "diffusion")).status_code == 200
        await fake_slack.wait_for(lambda: fake_slack.responses, within=20)
        assert "Papers on “diffusion”" in fake_slack.responses[0]["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert "paperboy is running: Slack (HTTP on port" in err.decode()
    ahead = read_ahead_kb(tmp_path / "data")  # a disk reading megabytes around a cold read is named, once
    assert err.decode().count("read_ahead_kb to 128") == (1 if ahead is not None and ahead >= LARGE_KB else 0)


async def test_run_without_a_signing_secret_says_what_is_missing(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = environment(tmp_path, fake_slack, free_port())
    del env["SLACK_SIGNING_SECRET"]
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1
    assert "is set but no signing secret (SLACK_SIGNING_SECRET or [slack] signing_secret)" in err


async def test_run_with_half_of_slack_s_credentials_says_what_is_missing(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = environment(tmp_path, fake_slack, free_port())
    del env["SLACK_BOT_TOKEN"]  # a signing secret alone used to start without Slack, and say nothing
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1
    assert "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not" in err


@pytest.mark.parametrize(
    ("variable", "said"),
    [
        ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not"),
        ("SLACK_SIGNING_SECRET", "no signing secret (SLACK_SIGNING_SECRET or [slack] signing_secret)"),
    ],
)
async def test_run_with_a_blank_slack_credential_takes_it_for_unset(
    tmp_path: Path, fake_slack: FakeSlack, variable: str, said: str
) -> None:
    env = environment(tmp_path, fake_slack, free_port()) | {variable: "  "}  # slack_bolt's traceback, it was
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1, err
    assert said in err and "Traceback" not in err


async def test_run_reads_the_slack_admins_of_the_config_file(tmp_path: Path, fake_slack: FakeSlack) -> None:
    port = free_port()
    env = environment(tmp_path, fake_slack, port)
    config = tmp_path / "paperboy.toml"
    config.write_text('[slack]\nadmins = ["U0999"]\n')  # not U0001, though U0001 created the channel
    env["PAPERBOY_CONFIG"] = str(config)
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert (await command_to_run(fake_slack, port, "subscribe diffusion")).is_success
        await fake_slack.wait_for(lambda: fake_slack.responses, within=20)
        assert "can't subscribe this channel" in json.dumps(fake_slack.responses[0], ensure_ascii=False)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)


async def test_run_in_the_terminal_alone_serves_its_console_subscriptions(tmp_path: Path) -> None:
    """No Slack, no Discord: a console: channel in the config file is enough, its digests printed here;
    with none, the refusal says how to have one."""
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    code, _, err = await run_cli(env, tmp_path, "run")
    hint = "type `subscribe …` in `paperboy chat` or subscribe a console:NAME channel in the config file"
    assert code == 1 and hint in err, err
    config = tmp_path / "paperboy.toml"
    config.write_text('[[subscriptions]]\nchannel = "console:me"\ntime = "09:00"\n', encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env | {"PAPERBOY_CONFIG": str(config)}, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    try:
        said = b""
        while b"paperboy is running" not in said:
            said += await asyncio.wait_for(process.stderr.readline(), 60)
        assert b"paperboy is running: the terminal (console: subscriptions)" in said
        said += await asyncio.wait_for(process.stderr.readline(), 60)  # and when its digest comes, needing what
        assert b"1 subscription; the next digest: console:me, " in said and b"at 09:00 UTC (offline: " in said
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0


async def stored_subscriptions(data: Path) -> list[str]:
    from bot.app.bootstrap import open_services
    from bot.app.settings import Settings
    from bot.domain.config import FileConfig

    async with open_services(Settings(data_dir=data, offline=True), FileConfig()) as services:
        return sorted(f"{s.channel} {s.source}" for s in await services.subscriptions.all())


async def run_until_running(env: dict[str, str], cwd: Path) -> str:
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    said = b""
    try:
        while b"paperboy is running" not in said:
            line = await asyncio.wait_for(process.stderr.readline(), 60)
            assert line, said.decode()
            said += line
    finally:
        process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(process.communicate(), 30)
    return (said + rest[1]).decode()


async def test_a_run_that_fails_to_start_or_finds_no_config_file_keeps_the_files_subscriptions(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """The config file's subscriptions are saved once the platforms have started: a start that fails
    changes nothing. Started where there is no config file (another folder), `run` keeps what a file set
    up, and says so, rather than stopping every channel's digest."""
    data = tmp_path / "data"
    config = tmp_path / "paperboy.toml"
    config.write_text('[[subscriptions]]\nchannel = "slack:C0001"\ntime = "09:00"\n', encoding="utf-8")
    bare = child_env() | {"PAPERBOY_DATA_DIR": str(data), "PAPERBOY_OFFLINE": "1", "PAPERBOY_CONFIG": str(config)}
    code, _, err = await run_cli(bare, tmp_path, "run")  # no Slack credentials: no platform
    assert code == 1 and "no chat platform is configured" in err
    assert await stored_subscriptions(data) == []

    env = environment(tmp_path, fake_slack, free_port()) | {"PAPERBOY_CONFIG": str(config)}
    await run_until_running(env, tmp_path)
    assert await stored_subscriptions(data) == ["slack:C0001 config"]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    del env["PAPERBOY_CONFIG"]  # the default, config/paperboy.toml, is not in this folder
    said = await run_until_running(env, elsewhere)
    assert "no config file at config/paperboy.toml: keeping the 1 subscription a config file set up, unchanged" in said
    assert await stored_subscriptions(data) == ["slack:C0001 config"]


async def test_a_console_entry_taken_out_of_the_config_file_is_no_platform_to_run(tmp_path: Path) -> None:
    """`run` decided to start on the store's console: subscription that an earlier file had set up, then saved
    the file's, which dropped it: it ran on, serving nothing, where a fresh store said no platform is configured."""
    data, config = tmp_path / "data", tmp_path / "paperboy.toml"
    env = child_env() | {"PAPERBOY_DATA_DIR": str(data), "PAPERBOY_OFFLINE": "1", "PAPERBOY_CONFIG": str(config)}
    config.write_text('[[subscriptions]]\nchannel = "console:a"\n', encoding="utf-8")
    assert "the terminal (console: subscriptions)" in await run_until_running(env, tmp_path)
    assert await stored_subscriptions(data) == ["console:a config"]
    config.write_text('[[subscriptions]]\nchannel = "discord:123456789012345678"\n', encoding="utf-8")
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1 and "no chat platform is configured" in err
