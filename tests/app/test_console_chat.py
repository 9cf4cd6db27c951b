"""`paperboy chat`: the chat commands typed in the terminal, answered as `/papers` answers them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.app.test_cli import entry_point
from tests.conftest import child_env


def chat(tmp_path: Path, typed: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env["PAPERBOY_EMBEDDINGS"] = "0"
    return subprocess.run(
        [*entry_point(), "chat", *args], input=typed, cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_each_line_is_answered_as_a_chat_command_for_a_console_channel(tmp_path: Path) -> None:
    typed = "help\ntodya\n\nsubscribe diffusion time 10:00\n"
    typed += "subscribe diffusion at 08:00 tz Europe/Berlin\npaper 2605.29307\n"
    run = chat(tmp_path, typed)
    assert run.returncode == 0, run.stderr
    assert "`/papers settings` · `/papers unsubscribe` · `/papers help`" in run.stdout  # help's text, not its header
    assert "Sorry, I didn't get “todya”. Did you mean `today`?" in run.stdout
    assert "looks like an option, not a topic: type `at 10:00`" in run.stdout  # said, and nothing saved
    assert "This channel is subscribed" in run.stdout and "When: 08:00 Europe/Berlin, Monday to Friday" in run.stdout
    assert "arXiv 2605.29307" in run.stdout and "GrepSeek" in run.stdout
    assert "Showing the bundled offline snapshot" in run.stderr  # an empty store is filled first, and said
    again = chat(tmp_path, "settings\n", "--as", "term")  # the subscription is console:term's, kept
    assert "Topics: “diffusion”" in again.stdout and "When: 08:00 Europe/Berlin" in again.stdout
    other = chat(tmp_path, "settings\n", "--as", "lab")
    assert "Topics: “diffusion”" not in other.stdout


@pytest.mark.slow
def test_a_channel_name_it_cannot_be_is_a_usage_error(tmp_path: Path) -> None:
    run = chat(tmp_path, "help\n", "--as", "two words")
    assert run.returncode == 2 and run.stdout == "" and "console:two words" in run.stderr
