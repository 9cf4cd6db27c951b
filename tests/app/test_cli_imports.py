"""What the command line imports: `--help` loads no chat SDK, store or search stack, and a warm
offline digest no chat SDK, index, HTTP client or alembic (issue 12; `bench/startup.py` times it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.test_cli import entry_point
from tests.conftest import child_env

pytestmark = pytest.mark.slow

CHAT = {"discord", "slack_bolt", "slack_sdk", "aiohttp"}
SEARCH = {"faiss", "numpy", "tokenizers", "tantivy", "bot.search.service"}

# Runs the command line in this process, then writes down every module it loaded.
PROBE = """
import json, sys
from bot.app.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as out:
    json.dump(sorted(sys.modules), out)
"""


def loaded(tmp_path: Path, env: dict[str, str], *args: str) -> set[str]:
    """The top-level packages (and `bot.` modules) a `paperboy ARGS` process had imported by its end."""
    found = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(found), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert found.exists(), done.stderr
    names: list[str] = json.loads(found.read_text())
    return {name.split(".")[0] for name in names} | {name for name in names if name.startswith("bot.")}


@pytest.mark.parametrize("args", [["--help"], ["digest", "--help"], ["run", "--help"]])
def test_help_loads_no_sdk_store_or_search(tmp_path: Path, args: list[str]) -> None:
    modules = loaded(tmp_path, child_env(), *args)
    assert "typer" in modules  # the probe did run the command line
    assert modules & (CHAT | SEARCH | {"alembic", "sqlalchemy", "httpx", "pydantic_settings"}) == set()


def test_a_warm_offline_digest_loads_no_sdk_search_http_or_alembic(tmp_path: Path) -> None:
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env["PAPERBOY_EMBEDDINGS"] = "1"  # the default: the model is there, and still not wanted for a digest
    first = subprocess.run(
        [*entry_point(), "digest"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert first.returncode == 0, first.stderr  # fills the store from the bundled snapshot
    modules = loaded(tmp_path, env, "digest")
    assert {"sqlalchemy", "aiosqlite", "rich"} <= modules  # it did open the store and print
    assert modules & (CHAT | SEARCH | {"alembic", "httpx", "bot.chat.commands"}) == set()  # no topic: no parser
