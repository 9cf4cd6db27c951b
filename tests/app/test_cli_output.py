"""The command's output closing under it (`paperboy post … | head -1`): said on stderr, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from tests.app.test_cli import entry_point
from tests.conftest import child_env

CHANNEL = "console:reading-group"
DAY = "2026-08-18"  # a day of the bundled snapshot


def offline_env(tmp_path: Path) -> dict[str, str]:
    env = child_env()
    env.update(PAPERBOY_DATA_DIR=str(tmp_path / "data"), PAPERBOY_OFFLINE="1")
    return env


def offline(tmp_path: Path, *args: str, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """`paperboy ARGS` offline, on a data dir in `tmp_path` (the bundled snapshot)."""
    return subprocess.run(
        [*entry_point(), *args],
        cwd=tmp_path,
        env=offline_env(tmp_path),
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


def into_closed_pipe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`paperboy ARGS` writing to a pipe nobody reads any more: its first write fails."""
    read, write = os.pipe()
    os.close(read)
    try:
        return offline(tmp_path, *args, stdout=write)
    finally:
        os.close(write)


@pytest.mark.slow
def test_a_post_whose_output_closes_says_so_and_posts_it_all_next_time(tmp_path: Path) -> None:
    closed = into_closed_pipe(tmp_path, "post", "--channel", CHANNEL, "--date", DAY)
    assert closed.returncode == 1
    assert "the output closed before everything was written" in closed.stderr
    assert "Traceback" not in closed.stderr

    again = offline(tmp_path, "post", "--channel", CHANNEL, "--date", DAY)
    assert again.returncode == 0, again.stderr
    assert "Daily Papers · Tuesday 18 August 2026" in again.stdout  # nothing was printed, so nothing recorded
    assert "Posted the 18 August 2026 digest to console:reading-group: 10 papers." in again.stderr


@pytest.mark.slow
def test_a_digest_whose_output_closes_says_so_in_one_line(tmp_path: Path) -> None:
    closed = into_closed_pipe(tmp_path, "digest", "--date", DAY)
    assert closed.returncode == 1
    said = [line for line in closed.stderr.splitlines() if line.startswith("paperboy: error:")]
    assert said == ["paperboy: error: the output closed before everything was written (its reader stopped reading)"]


@pytest.mark.slow
@pytest.mark.slow
def test_a_search_batch_whose_output_closes_says_so_in_one_line(tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("diffusion\nagents\n", encoding="utf-8")
    closed = into_closed_pipe(tmp_path, "search", "--batch", str(queries))
    assert closed.returncode == 1
    assert closed.stderr.strip().splitlines()[-1] == (
        "paperboy: error: the output closed before everything was written (its reader stopped reading)"
    )


@pytest.mark.slow
def test_printed_lines_end_without_the_blanks_a_table_pads_them_with(tmp_path: Path) -> None:
    done = offline(tmp_path, "digest", "--date", DAY, "--limit", "3")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) > 10 and any(line.startswith("           https://") for line in lines)
    assert [line for line in lines if line != line.rstrip()] == []


def piped_batch(tmp_path: Path, queries: str) -> subprocess.CompletedProcess[str]:
    """`paperboy search --batch - --limit 3`, offline, given `queries` on a pipe."""
    return subprocess.run(
        [*entry_point(), "search", "--batch", "-", "--limit", "3"],
        cwd=tmp_path,
        env=offline_env(tmp_path),
        input=queries,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_a_search_batch_reads_its_queries_from_standard_input_with_a_dash(tmp_path: Path) -> None:
    done = piped_batch(tmp_path, "\ufeffdiffusion\n\nagents\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["diffusion", "", "agents"]  # each line's answer in its place
    assert lines[1]["error"] == "nothing to search for: a blank line"
    assert all(len(line["results"]) == 3 for line in (lines[0], lines[2]))


@pytest.mark.slow
def test_a_search_batch_on_a_pipe_answers_each_query_as_it_comes(tmp_path: Path) -> None:
    """A co-process writes a query and waits for its answer: nothing was answered until the pipe closed."""
    batch = subprocess.Popen(
        [*entry_point(), "search", "--batch", "-", "--limit", "3"],
        cwd=tmp_path,
        env=offline_env(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert batch.stdin is not None and batch.stdout is not None
    stuck = threading.Timer(90, batch.kill)  # a batch that waits for the pipe to close: killed, its answer ''
    stuck.start()
    try:
        batch.stdin.write("\ufeffdiffusion\n")
        batch.stdin.flush()
        first = json.loads(batch.stdout.readline())  # answered with the pipe still open
        assert first["query"] == "diffusion" and len(first["results"]) == 3
        batch.stdin.write("\nagents\n\n")  # a blank line inside is answered in its place; at the end, none
        batch.stdin.close()
        rest = [json.loads(line) for line in batch.stdout.read().splitlines()]
        assert [line["query"] for line in rest] == ["", "agents"]
        assert batch.wait(timeout=60) == 0
    finally:
        stuck.cancel()
        batch.kill()
        batch.wait()
        for stream in (batch.stdout, batch.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.slow
def test_a_search_batch_of_an_empty_pipe_says_it_holds_no_queries(tmp_path: Path) -> None:
    done = piped_batch(tmp_path, "\n\n")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == "paperboy: error: --batch - holds no queries: write one query a line"


async def test_the_digests_run_prints_in_the_terminal_end_no_line_in_blanks(capsys: pytest.CaptureFixture[str]) -> None:
    """`paperboy run`'s console: digests were printed on a console of their own, whose cards' lines were
    padded to 80 columns (QA s73-operator): they go through the command's output, as `digest`'s do."""
    from rich.console import Console

    from adapters.console.publisher import ConsolePublisher
    from bot.app.cli.output import out
    from bot.domain.cards import card
    from bot.domain.models import Paper

    paper = Paper(arxiv_id="2406.00001", title="Agent Learning", authors=("Ada Lovelace",), upvotes=12)
    await ConsolePublisher(Console(width=80)).post_card("me", card(paper, 1), "k")
    assert any(line.endswith(" ") for line in capsys.readouterr().out.splitlines())  # (as it was)
    await ConsolePublisher(out).post_card("me", card(paper, 1), "k")
    printed = capsys.readouterr().out.splitlines()
    assert "Agent Learning" in "\n".join(printed) and not any(line.endswith((" ", "\t")) for line in printed)
