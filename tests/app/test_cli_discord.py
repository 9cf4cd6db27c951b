"""`paperboy run`, `post` and `discord-invite` against a fake Discord, set up by the documented variables only."""

from __future__ import annotations

import asyncio
import base64
import signal
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.app.test_cli import entry_point, run_cli
from tests.conftest import CURRENT, child_env
from tests.fakes.discord import APP_ID, TEXT_ID, FakeDiscord

pytestmark = pytest.mark.slow

TOKEN = base64.b64encode(APP_ID.encode()).decode().rstrip("=") + ".fake.token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def environment(tmp_path: Path, fake: FakeDiscord) -> dict[str, str]:
    env = child_env()
    env.update(
        PAPERBOY_DATA_DIR=str(tmp_path / "data"),
        PAPERBOY_OFFLINE="1",
        DISCORD_TOKEN=TOKEN,
        PAPERBOY_DISCORD_API_URL=fake.api_url,
        PAPERBOY_DISCORD_GATEWAY_URL=fake.gateway_url,
    )
    return env


async def test_post_delivers_once_with_a_thread_per_paper(tmp_path: Path, fake: FakeDiscord) -> None:
    env = environment(tmp_path, fake)
    assert (await run_cli(env, tmp_path, "import", str(CURRENT / "2026-06-01.json")))[0] == 0
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", f"discord:{TEXT_ID}", "--date", "2026-06-01")
    assert code == 0, err
    assert f"Posted the 1 June 2026 digest to discord:{TEXT_ID}: 10 papers." in err
    assert len(fake.posts_in(TEXT_ID)) == 11
    assert len([s for s in fake.sent if s.path.endswith("/threads")]) == 10
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", f"discord:{TEXT_ID}", "--date", "2026-06-01")
    assert code == 0
    assert "nothing posted" in err
    assert len(fake.posts_in(TEXT_ID)) == 11


async def run_answering_a_slash_command(tmp_path: Path, fake: FakeDiscord, once: bytes) -> tuple[str, str]:
    """`paperboy run` against the fake, asked `/papers search` once its log says `once`; its log up to then
    and what it said after, once stopped by SIGTERM (exit 0)."""
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=environment(tmp_path, fake), cwd=tmp_path, stderr=subprocess.PIPE
    )
    log = b""
    try:
        assert process.stderr is not None
        while once not in log:
            line = await asyncio.wait_for(process.stderr.readline(), 60)
            assert line, log.decode()
            log += line
        await fake.slash("search", {"topic": "diffusion"})
        await fake.wait_for(lambda: fake.followups(), within=30)
        assert "Papers on “diffusion”" in fake.followups()[0]["content"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    return log.decode(), err.decode()


async def test_run_answers_a_slash_command(tmp_path: Path, fake: FakeDiscord) -> None:
    log, err = await run_answering_a_slash_command(tmp_path, fake, b"paperboy is running")
    assert "paperboy is running: Discord (as paperboy)" in log
    assert "voice will NOT be supported" not in log + err


async def test_a_refused_token_is_one_clear_line(tmp_path: Path, fake: FakeDiscord) -> None:
    fake.fail(r"GET /users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    code, _, err = await run_cli(environment(tmp_path, fake), tmp_path, "run")
    assert code == 1
    assert "Discord refused DISCORD_TOKEN (401)" in err
    assert "Traceback" not in err
    in_file = environment(tmp_path, fake)  # the token in the config file: it named DISCORD_TOKEN, which is unset
    config = tmp_path / "paperboy.toml"
    config.write_text(f'[discord]\ntoken = "{in_file.pop("DISCORD_TOKEN")}"\n', encoding="utf-8")
    fake.fail(r"GET /users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    code, _, err = await run_cli(in_file | {"PAPERBOY_CONFIG": str(config)}, tmp_path, "run")
    assert code == 1 and f"Discord refused [discord] token in {config} (401)" in err, err


@pytest.mark.parametrize("command", [("run",), ("post", "--channel", f"discord:{TEXT_ID}")])
async def test_an_api_url_that_is_not_discord_s_is_one_clear_line(
    tmp_path: Path, fake: FakeDiscord, command: tuple[str, ...]
) -> None:
    fake.fail(r"GET /users/@me", 200, {"hello": "a proxy's answer"})  # not a user: KeyError in discord.py
    code, _, err = await run_cli(environment(tmp_path, fake), tmp_path, *command)
    assert code == 1, err
    assert "did not answer as Discord's API does when paperboy logged in: check PAPERBOY_DISCORD_API_URL" in err
    assert "Traceback" not in err


async def test_a_login_discord_answers_with_a_server_error_is_one_clear_line(tmp_path: Path, fake: FakeDiscord) -> None:
    """`post` printed discord.py's traceback, ending in the proxy's HTML."""
    fake.fail(r"GET /users/@me", 503, {"message": "<html>upstream down</html>"})  # 503: not retried by discord.py
    code, _, err = await run_cli(environment(tmp_path, fake), tmp_path, "post", "--channel", f"discord:{TEXT_ID}")
    assert code == 1, err
    assert f"logging in: {fake.api_url.rstrip('/')} answered HTTP 503 (Discord's API is having trouble)" in err
    assert "Traceback" not in err and "upstream down" not in err


async def test_run_goes_on_while_discord_is_out_of_reach_and_serves_it_once_it_answers(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    """A 503 at login (or no answer at all) was `run`'s exit 1: a deployment's Slack and terminal digests
    waited for a restart too. It is said, and Discord asked again in the background."""
    fake.fail(r"GET /users/@me", 503, {"message": "<html>upstream down</html>"})  # once: the next login is let in
    said, _ = await run_answering_a_slash_command(tmp_path, fake, b"Discord is reached now")
    assert f"logging in: {fake.api_url.rstrip('/')} answered HTTP 503 (Discord's API is having trouble)" in said
    assert "paperboy runs on without Discord, and tries again in 5 s" in said
    assert "paperboy is running: Discord (out of reach: trying again)" in said
    assert "Traceback" not in said and "upstream down" not in said


async def test_discord_invite_reads_the_token_from_the_config_file_too(tmp_path: Path, fake: FakeDiscord) -> None:
    env = environment(tmp_path, fake)
    del env["DISCORD_TOKEN"]
    config = tmp_path / "paperboy.toml"
    config.write_text(f'[discord]\ntoken = "{TOKEN}"\n', encoding="utf-8")
    code, out, err = await run_cli(env | {"PAPERBOY_CONFIG": str(config)}, tmp_path, "discord-invite")
    assert code == 0, err
    assert parse_qs(urlsplit(out.strip()).query)["client_id"] == [APP_ID]


async def test_discord_invite_prints_the_oauth_url(tmp_path: Path, fake: FakeDiscord) -> None:
    code, out, _ = await run_cli(environment(tmp_path, fake), tmp_path, "discord-invite")
    assert code == 0
    query = parse_qs(urlsplit(out.strip()).query)
    assert query["client_id"] == [APP_ID]
    assert set(query["scope"][0].split()) == {"bot", "applications.commands"}
    permissions = int(query["permissions"][0])
    for bit in (
        10,
        11,
        14,
        16,
        35,
        38,
    ):  # view, send, embed links, read history, create public threads, send in threads
        assert permissions & (1 << bit)
    env = environment(tmp_path, fake)
    del env["DISCORD_TOKEN"]
    code, _, err = await run_cli(env, tmp_path, "discord-invite")
    assert code == 2
    assert "--client-id" in err


async def test_discord_invite_with_a_token_it_cannot_read_says_so(tmp_path: Path, fake: FakeDiscord) -> None:
    env = environment(tmp_path, fake) | {"DISCORD_TOKEN": "abc"}
    code, _, err = await run_cli(env, tmp_path, "discord-invite")
    assert code == 2 and "DISCORD_TOKEN is not a Discord bot token (three parts joined by dots" in err, err
    assert "or give --client-id" in err
    env["DISCORD_TOKEN"] = "xoxb-1-2-3"  # said as `run` says it ("not a bot token?" before; QA s76)
    code, _, err = await run_cli(env, tmp_path, "discord-invite")
    assert code == 2 and "DISCORD_TOKEN holds a Slack token (it starts xoxb-)" in err, err
