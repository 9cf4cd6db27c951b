"""Multi-workspace Slack from the command line: `paperboy run` serving installs, `keygen`, `forget`, and
the one-line refusals of a missing or malformed key or half the OAuth credentials."""

from __future__ import annotations

import asyncio
import html
import json
import re
import signal
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet

from tests.app.test_cli import entry_point, run_cli
from tests.app.test_cli_slack import free_port
from tests.conftest import child_env
from tests.fakes.slack import FakeSlack, Workspace

pytestmark = pytest.mark.slow  # the installed command, in subprocesses

SECRET = "cli-signing-secret"
TOKEN = "xoxb-T0001-cli-rawtoken-5e5e"


def environment(tmp_path: Path, fake: FakeSlack, port: int, key: str) -> dict[str, str]:
    env = child_env()
    env.update(
        PAPERBOY_DATA_DIR=str(tmp_path / "data"),
        PAPERBOY_OFFLINE="1",
        SLACK_CLIENT_ID=fake.client_id,
        SLACK_CLIENT_SECRET=fake.client_secret,
        SLACK_SIGNING_SECRET=SECRET,
        PAPERBOY_SECRET_KEY=key,
        PAPERBOY_SLACK_API_URL=fake.base_url,
        PAPERBOY_SLACK_OAUTH_URL="https://slack.test/oauth/v2/authorize",
        PAPERBOY_PUBLIC_URL="https://paperboy.example.org",
        PAPERBOY_SLACK_PORT=str(port),
    )
    return env


async def test_keygen_prints_a_fresh_key(tmp_path: Path) -> None:
    code, out, err = await run_cli(child_env(), tmp_path, "keygen")
    assert code == 0, err
    Fernet(out.strip().encode())  # a usable key
    _, again, _ = await run_cli(child_env(), tmp_path, "keygen")
    assert again != out


async def test_run_refuses_a_missing_or_malformed_key_in_one_line(tmp_path: Path, fake_slack: FakeSlack) -> None:
    for key, said in (("", "PAPERBOY_SECRET_KEY is not set"), ("abc", "PAPERBOY_SECRET_KEY is malformed")):
        env = environment(tmp_path, fake_slack, free_port(), key)
        code, _, err = await run_cli(env, tmp_path, "run")
        assert code == 1
        assert err.startswith(f"paperboy: error: {said}") and err.count("\n") == 1, err
        assert "abc" not in err  # the key is never repeated
    env = environment(tmp_path, fake_slack, free_port(), Fernet.generate_key().decode())
    del env["SLACK_CLIENT_SECRET"]
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1 and "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not" in err


async def test_run_refuses_a_config_channel_that_names_no_workspace(tmp_path: Path, fake_slack: FakeSlack) -> None:
    body = '[[subscriptions]]\nchannel = "slack:C1000"\n[[subscriptions]]\nchannel = "slack:C2000"\n'
    (tmp_path / "paperboy.toml").write_text(body, encoding="utf-8")
    env = environment(tmp_path, fake_slack, free_port(), Fernet.generate_key().decode())
    env["PAPERBOY_CONFIG"] = str(tmp_path / "paperboy.toml")
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1 and err.count("\n") == 2, err  # each at once, under the file's name (it said "config file")
    assert f"{tmp_path / 'paperboy.toml'}: subscriptions[0].channel 'slack:C1000' names no workspace" in err
    assert "write it as slack:TEAM_ID/C1000" in err
    assert "  also subscriptions[1].channel 'slack:C2000' names no workspace" in err


async def test_forget_needs_a_workspace_and_says_what_it_erased(tmp_path: Path) -> None:
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    code, _, err = await run_cli(env, tmp_path, "forget", "--team", "T0001")
    assert code == 2 and "is not PLATFORM:TEAM_ID" in err
    code, out, err = await run_cli(env, tmp_path, "forget", "--team", "slack:C0123456")  # "Nothing was stored", 0
    assert code == 2 and "is a channel's id, not a workspace's: a Slack workspace's id starts with T" in err, out
    code, out, err = await run_cli(env, tmp_path, "forget", "--team", "slack:T0001")
    assert code == 0, err
    assert "Nothing was stored about slack:T0001." in out
    hint = "kept under the org's enterprise id: forget that, as --team slack:E0123456"  # a team of an org?
    assert hint in " ".join(out.split())
    code, out, err = await run_cli(env, tmp_path, "forget", "--team", "slack:E0123456")
    assert code == 0 and out.strip() == "Nothing was stored about slack:E0123456.", err  # not told to run itself


async def test_run_serves_the_install_and_forget_erases_it(tmp_path: Path, fake_slack: FakeSlack) -> None:
    fake_slack.workspaces["T0001"] = Workspace("T0001", "Lab One", TOKEN)
    port = free_port()
    env = environment(tmp_path, fake_slack, port, Fernet.generate_key().decode())
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(300):
                try:
                    page = await client.get("/slack/install")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            link = html.unescape(re.findall(r'<a href="([^"]+)"', page.text)[0])
            query = parse_qs(urlsplit(link).query)
            assert query["redirect_uri"] == ["https://paperboy.example.org/slack/oauth_redirect"]
            state = query["state"][0]
            client.cookies.clear()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            done = await client.get(
                "/slack/oauth_redirect",
                params={"code": fake_slack.install_code("T0001"), "state": state},
                headers={"cookie": f"slack-app-oauth-state={state}"},
            )
        assert done.status_code == 200 and "installed in Lab One" in done.text
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    said = stderr.decode()
    assert process.returncode == 0, said
    assert "install page https://paperboy.example.org/slack/install" in said
    assert "PAPERBOY_PUBLIC_URL is not set" not in said
    assert TOKEN not in said and "installed in Slack workspace T0001" in said
    data = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("paperboy.db*"))
    assert TOKEN.encode() not in data and b"T0001" in data

    code, out, said = await run_cli(env, tmp_path, "forget", "--team", "slack:T0001")  # still installed:
    assert code == 2 and out == ""  # its people's saves were stored again by a running paperboy (QA s77)
    assert "slack:T0001 is still installed: its people can go on using paperboy" in said
    assert "Uninstall the app from the workspace first" in said and "--even-if-installed" in said
    code, out, said = await run_cli(env, tmp_path, "forget", "--team", "slack:T0001", "--even-if-installed")
    assert code == 0, said
    assert out.startswith("Forgot slack:T0001: 1 installation.")


@pytest.mark.slow
async def test_run_without_a_public_url_says_installs_come_back_to_this_machine_only(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Without PAPERBOY_PUBLIC_URL every install from another machine came back to localhost, and failed,
    without a word (QA s76)."""
    port = free_port()
    env = environment(tmp_path, fake_slack, port, Fernet.generate_key().decode())
    del env["PAPERBOY_PUBLIC_URL"]
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(300):
                try:
                    assert (await client.get("/slack/install")).status_code == 200
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    said = " ".join(stderr.decode().split())
    assert process.returncode == 0, said
    assert (
        "PAPERBOY_PUBLIC_URL is not set: Slack sends people back after an install to"
        f" http://localhost:{port}/slack/oauth_redirect, which only a browser on this machine reaches"
    ) in said


async def test_run_refuses_an_http_public_url_and_a_key_that_opens_no_stored_token(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    key = Fernet.generate_key().decode()
    env = environment(tmp_path, fake_slack, free_port(), key) | {"PAPERBOY_PUBLIC_URL": "http://bot.example.org"}
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1 and err.count("\n") == 1, err
    assert "PAPERBOY_PUBLIC_URL is 'http://bot.example.org': Slack's install needs HTTPS" in err

    from bot.store.engine import create_engine, database_url, migrate
    from bot.store.installations import Installation, Installations
    from bot.store.sealing import sealer

    engine = create_engine(database_url(None, tmp_path / "data"))
    try:
        await migrate(engine)
        await Installations(engine, sealer(key)).save(Installation("slack", "T0001", {"bot_token": TOKEN}))
    finally:
        await engine.dispose()
    env = environment(tmp_path, fake_slack, free_port(), Fernet.generate_key().decode())  # another key
    code, _, err = await run_cli(env, tmp_path, "run")
    assert code == 1 and err.count("\n") == 1, err
    assert "no key in PAPERBOY_SECRET_KEY opens any of the 1 stored Slack installations" in err
    assert "then run `paperboy reseal`" in err
    env = environment(tmp_path, fake_slack, free_port(), key)
    code, out, err = await run_cli(env, tmp_path, "reseal")
    assert code == 0 and "Re-encrypted 0 installations with the first key; 1 already was." in out, err
    env["PAPERBOY_SECRET_KEY"] = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    code, out, err = await run_cli(env, tmp_path, "reseal")
    assert code == 1 and "no key in PAPERBOY_SECRET_KEY opens the token of slack:T0001" in err, err
    assert "paperboy forget --team slack:T0001" in err


async def test_workspaces_lists_the_installs_and_says_when_no_key_opens_one(tmp_path: Path) -> None:
    from bot.store.engine import create_engine, database_url, migrate
    from bot.store.installations import Installation, Installations
    from bot.store.sealing import sealer

    key = Fernet.generate_key().decode()
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    code, out, err = await run_cli(env, tmp_path, "workspaces")
    assert code == 0, err
    assert out.startswith("No workspace has installed paperboy.")
    engine = create_engine(database_url(None, tmp_path / "data"))
    try:
        await migrate(engine)
        lab = Installation("slack", "T0001", {"bot_token": TOKEN}, team_id="T0001", details={"team_name": "Lab One"})
        long_name = {"team_name": "The Very Long Name of a Research Group of Somewhere Far Away " * 2}
        await Installations(engine, sealer(key)).save(
            Installation("slack", "T0002", {"bot_token": TOKEN}, details=long_name)
        )
        await Installations(engine, sealer(key)).save(lab)
    finally:
        await engine.dispose()
    code, out, err = await run_cli(env | {"PAPERBOY_SECRET_KEY": key}, tmp_path, "workspaces")
    assert code == 0, err
    line = " ".join(out.split())
    assert line.startswith("slack:T0001 Lab One · installed ") and "· 0 channels, 0 follows slack:T0002 " in line
    code, out, err = await run_cli(
        env | {"PAPERBOY_SECRET_KEY": Fernet.generate_key().decode()}, tmp_path, "workspaces", "--json"
    )
    assert code == 0, err
    [line] = out.splitlines()  # one line, however long the names: scripts read it
    listed, _ = json.loads(line)["workspaces"]
    assert (listed["team"], listed["name"], listed["token_opens"]) == ("slack:T0001", "Lab One", False)
    assert TOKEN not in out
    code, out, err = await run_cli(env, tmp_path, "workspaces")  # no key: listed, not checked
    assert code == 0 and "whether each token can be opened was not checked" in " ".join(out.split()), err


async def test_post_to_a_channel_of_no_workspace_or_an_uninstalled_one_records_nothing(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """A typo (`slack:C0002`) recorded a stopped digest under no workspace, which `forget` could never reach."""
    env = environment(tmp_path, fake_slack, free_port(), Fernet.generate_key().decode())
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C0002")
    assert code == 2 and "slack:C0002: no Slack workspace has installed paperboy yet: add it to one from" in err
    assert "slack:TEAM_ID/C0002" in err
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:T0009/C0001")
    assert code == 2 and "workspace T0009 has not installed paperboy" in err
    with sqlite3.connect(tmp_path / "data" / "paperboy.db") as db:  # nothing recorded for either
        assert db.execute("select count(*) from digests").fetchone() == (0,)
    # An org-wide install keeps its channels under the org's id: a team's id (or a typo) is no workspace
    # here, and was let through, recording a stopped digest under it.
    from bot.store.engine import create_engine, database_url
    from bot.store.installations import Installation, Installations
    from bot.store.sealing import sealer

    engine = create_engine(database_url(None, tmp_path / "data"))
    try:
        org = Installation("slack", "E0001", {"bot_token": TOKEN}, enterprise_id="E0001", is_enterprise_install=True)
        await Installations(engine, sealer(env["PAPERBOY_SECRET_KEY"])).save(org)
    finally:
        await engine.dispose()
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:T0003/C3000")
    assert code == 2 and "workspace T0003 has not installed paperboy" in err
    assert "named by the organization's id, as slack:E0001/C3000" in " ".join(err.split())
    with sqlite3.connect(tmp_path / "data" / "paperboy.db") as db:
        assert db.execute("select count(*) from digests").fetchone() == (0,)
    # one workspace installed: a channel named without one is that one's ("paperboy serves several", QA s76)
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:C3000")
    assert "names no workspace" not in err and "slack:E0001/C3000" in err, err
    with sqlite3.connect(tmp_path / "data" / "paperboy.db") as db:  # recorded under that workspace, no other
        assert db.execute("select platform, workspace, channel from digests").fetchall() == [
            ("slack", "E0001", "C3000")
        ], err


def test_a_rotating_token_past_its_expiry_is_said_expired_not_due() -> None:
    """`paperboy workspaces` said "due for refresh by" a time already past, with no word that the token
    had expired (Slack's refresh failing): its requests are told to try again meanwhile."""
    from datetime import UTC, datetime, timedelta

    from bot.app.cli.workspaces import _line
    from bot.store.workspaces import Installed

    now = datetime.now(UTC)
    one = Installed("slack", "T1", "Lab", False, now - timedelta(days=3), now - timedelta(minutes=5), None, 1, 0, 0)
    assert "rotating token expired at" in _line(one) and "due for refresh" not in _line(one)
    later = Installed("slack", "T1", "Lab", False, now - timedelta(days=3), now + timedelta(hours=2), None, 1, 0, 0)
    assert "rotating token, due for refresh by" in _line(later)


def test_a_workspace_written_in_small_letters_is_refused_with_its_capitals() -> None:
    """`forget --team slack:t0123456` said "Nothing was stored", exit 0, for the workspace T0123456 (QA s76)."""
    from bot.app.cli.workspaces import parse_team
    from bot.domain.errors import UsageError

    with pytest.raises(UsageError, match=r"Slack's ids are written in capitals: 'slack:T0123456'"):
        parse_team("slack:t0123456")
    assert parse_team("slack:T0123456") == ("slack", "T0123456")
    with pytest.raises(UsageError, match=r"'thelab' is a name, and paperboy takes the workspace's id"):
        parse_team("slack:thelab")  # not "written in capitals: 'slack:THELAB'"


def test_a_workspace_name_with_control_characters_prints_as_one_line() -> None:
    """A name with escape codes and a newline (Slack's `team.name`, chosen by whoever installs) drew a forged
    line in `paperboy workspaces` (QA s77)."""
    from datetime import UTC, datetime

    from bot.app.cli.workspaces import _line
    from bot.store.workspaces import Installed

    name = "\x1b[31mRED\x1b[0m\nslack:T9999  Fake line"
    one = Installed("slack", "T0002", name, False, datetime(2026, 11, 2, tzinfo=UTC), None, None, 0, 0, 0)
    line = _line(one)
    assert "\n" not in line and "\x1b" not in line
    assert line.startswith("slack:T0002  RED slack:T9999 Fake line · installed 2 November 2026")  # (codes gone whole)
