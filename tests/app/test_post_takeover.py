"""`paperboy post` killed mid-digest and run again at once: the new process takes over without waiting
for the dead one's lease, and the channel gets each message once. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.app.test_cli import entry_point, run_cli
from tests.app.test_cli_slack import environment, free_port
from tests.conftest import BACKENDS, CURRENT, backend
from tests.fakes.slack import FakeSlack

pytestmark = pytest.mark.slow

PAPERS = 3
POST = ("post", "--channel", "slack:C0001", "--date", "2026-06-01")


@pytest.mark.parametrize("backend_name", BACKENDS)
async def test_a_killed_post_is_taken_over_at_once_by_the_next(
    backend_name: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    config = tmp_path / "paperboy.toml"
    config.write_text(f"[digest]\nlimit = {PAPERS}\n", encoding="utf-8")
    async with backend(backend_name) as url:
        env = environment(tmp_path, fake_slack, free_port()) | {"PAPERBOY_CONFIG": str(config)}
        if url:
            env["PAPERBOY_DATABASE_URL"] = url
        code, _, err = await run_cli(env, tmp_path, "import", str(CURRENT / "2026-06-01.json"))
        assert code == 0, err

        first = await asyncio.create_subprocess_exec(
            *entry_point(), *POST, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            await fake_slack.wait_for(lambda: len(fake_slack.posts("C0001")) >= 2, within=60)  # paced 1 a second
            # While it lives, another `post` leaves the digest to it and says who has it.
            code, _, err = await run_cli(env, tmp_path, *POST)
            assert code == 0, err
            assert "Another paperboy process is delivering the 1 June 2026 digest to slack:C0001" in err
            assert f"(host {socket.gethostname()}, pid {first.pid}, since " in err
        finally:
            first.send_signal(signal.SIGKILL)  # mid-digest: header and a card or two are out
            await first.wait()
        out = len(fake_slack.posts("C0001"))
        assert 2 <= out < 1 + 2 * PAPERS

        code, _, err = await run_cli(env, tmp_path, *POST)  # at once: the dead one's lease has ~2 minutes left
        assert code == 0, err
        finished = re.search(  # with how many the killed one had posted (recorded): it said all were this one's
            rf"Posted the 1 June 2026 digest to slack:C0001: {PAPERS} papers"
            r"(?: \((\d+) of them by an earlier try, which stopped midway\))?\.",
            err,
        )
        assert finished is not None, err
        assert int(finished[1] or 0) < PAPERS

    stored = fake_slack.stored["C0001"]
    keys = Counter(m["metadata"]["event_payload"]["key"] for m in stored)
    assert keys.most_common(1)[0][1] == 1, keys  # nothing twice
    assert len(keys) == 1 + 2 * PAPERS  # nothing missed
