"""`paperboy run` stops within 10 s of SIGTERM or Ctrl-C, even while it is still starting."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.app.test_cli import entry_point
from tests.conftest import child_env

pytestmark = pytest.mark.slow


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens there once the socket is closed


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_during_start_up_stops_at_once(tmp_path: Path, sig: signal.Signals) -> None:
    env = child_env()
    env.update(
        PAPERBOY_DATA_DIR=str(tmp_path / "data"),
        PAPERBOY_OFFLINE="1",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_APP_TOKEN="xapp-1-test",  # Socket Mode, and Slack unreachable: it retries until stopped
        PAPERBOY_SLACK_API_URL=f"http://127.0.0.1:{closed_port()}/api/",
    )
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + 60
    while b"Socket Mode" not in seen:  # it has tried to connect at least once
        assert time.monotonic() < deadline, seen.decode()
        seen += await asyncio.wait_for(process.stderr.readline(), 60)
    process.send_signal(sig)
    signalled = time.monotonic()
    _, rest = await asyncio.wait_for(process.communicate(), 30)
    took = time.monotonic() - signalled
    err = (seen + rest).decode()
    assert took < 10, f"took {took:.1f} s to stop"
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "cannot connect" in err.lower() or "failed to connect" in err.lower()


async def test_run_warns_of_a_config_files_topic_with_a_typo_and_still_stops_at_once(tmp_path: Path) -> None:
    """The check runs beside the bot, once it has started: a stop while it looks ends it too."""
    config = tmp_path / "paperboy.toml"
    config.write_text('[[subscriptions]]\nchannel = "console:lab"\ntopics = ["difusion"]\n', encoding="utf-8")
    env = child_env()
    env.update(PAPERBOY_DATA_DIR=str(tmp_path / "data"), PAPERBOY_OFFLINE="1", PAPERBOY_CONFIG=str(config))
    process = await asyncio.create_subprocess_exec(
        *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + 60
    while b"Did you mean" not in seen:
        assert time.monotonic() < deadline and not process.stderr.at_eof(), seen.decode()
        seen += await asyncio.wait_for(process.stderr.readline(), 60)
    process.send_signal(signal.SIGINT)
    _, rest = await asyncio.wait_for(process.communicate(), 30)
    err = (seen + rest).decode()
    assert process.returncode == 0 and "Traceback" not in err, err
    assert f"console:lab, subscribed in {config}: Did you mean “diffusion”? No paper holds “difusion”." in err


async def test_a_second_run_on_one_sqlite_file_named_by_its_url_is_warned_of(tmp_path: Path) -> None:
    """With PAPERBOY_DATABASE_URL=sqlite:///… set, a second `paperboy run` on the same data dir was not
    warned of (only an unset URL was looked at), as docs/deploying.md says it is."""
    config = tmp_path / "paperboy.toml"
    config.write_text('[[subscriptions]]\nchannel = "console:lab"\n', encoding="utf-8")
    env = child_env()
    data = tmp_path / "data"
    env.update(
        PAPERBOY_DATA_DIR=str(data),
        PAPERBOY_OFFLINE="1",
        PAPERBOY_CONFIG=str(config),
        PAPERBOY_DATABASE_URL=f"sqlite:///{data / 'paperboy.db'}",
    )
    runs = []
    for _ in range(2):
        process = await asyncio.create_subprocess_exec(
            *entry_point(), "run", env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stderr is not None
        seen, deadline = b"", time.monotonic() + 60
        while b"paperboy is running" not in seen:
            assert time.monotonic() < deadline and not process.stderr.at_eof(), seen.decode()
            seen += await asyncio.wait_for(process.stderr.readline(), 60)
        runs.append((process, seen))
    said = []
    for process, seen in reversed(runs):
        process.send_signal(signal.SIGINT)
        _, rest = await asyncio.wait_for(process.communicate(), 30)
        said.append((seen + rest).decode())
    second, first = said
    assert "another `paperboy run`" not in first
    assert f"another `paperboy run` (pid {runs[0][0].pid}) serves from {data}" in second, second
