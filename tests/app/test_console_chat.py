"""`paperboy chat`: the chat commands typed in the terminal, answered as `/papers` answers them."""

from __future__ import annotations

import json
import os
import pty
import pwd
import re
import select
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from adapters.console.wording import EXAMPLE
from bot.app.cli.chat import PROMPT
from tests.app.test_cli import entry_point
from tests.conftest import child_env


def chat(tmp_path: Path, typed: str, *args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env |= {"PAPERBOY_CONFIG": str(config)} if config is not None else {}
    env["PAPERBOY_EMBEDDINGS"] = "0"
    return subprocess.run(
        [*entry_point(), "chat", *args], input=typed, cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_each_line_is_answered_as_a_chat_command_for_a_console_channel(tmp_path: Path) -> None:
    typed = "help\ntodya\n\nsubscribe diffusion time 10:00\n"
    typed += "subscribe diffusion at 08:00 tz Europe/Berlin\npaper 2605.29307\nsaved\ntop\n"
    typed += f"cite {EXAMPLE}\n"  # the help's example paper: in the bundled snapshot (2406.12345 was in none)
    run = chat(tmp_path, typed)
    assert run.returncode == 0, run.stderr
    help_line = "`settings` (`settings at 10:00`, `top 3`, `add robotics`, …: one changed) · `preview` (what the digest"
    assert help_line in " ".join(run.stdout.split())  # help's text in the terminal's words (wrapped at 80)
    assert "button" not in run.stdout and "/papers follow" not in run.stdout  # no chat platform's
    assert "Sorry, I didn't get “todya”. Did you mean `today`?" in run.stdout
    assert "looks like an option, not a topic: type `at 10:00`" in run.stdout  # said, and nothing saved
    assert "This channel is subscribed" in run.stdout and "When: 08:00 Europe/Berlin, Monday to Friday" in run.stdout
    assert "arXiv 2605.29307" in run.stdout and "GrepSeek" in run.stdout
    said = " ".join(run.stdout.split())  # an empty reading list and `top`, in what the terminal has
    assert f"Save a paper with `save {EXAMPLE}`." in said and "the terminal has none" in said
    assert f"`cite {EXAMPLE}` — its BibTeX" in said and "Cite · EnvHarness" in said and "not in the local" not in said
    assert "Showing the bundled offline snapshot" in run.stderr  # an empty store is filled first, and said
    again = chat(tmp_path, "settings\n", "--as", "term")  # the subscription is console:term's, kept
    assert "Topics: “diffusion”" in again.stdout and "When: 08:00 Europe/Berlin" in again.stdout
    other = chat(tmp_path, "settings\n", "--as", "lab")
    assert "Topics: “diffusion”" not in other.stdout


@pytest.mark.slow
def test_a_channel_the_config_file_lists_and_run_has_not_saved_is_said_so(tmp_path: Path) -> None:
    """Chat said such a channel had no digest and took a `subscribe`, which the next `run` replaced with
    the file's entry (and `paperboy post` used it meanwhile), without a word."""
    filed = tmp_path / "paperboy.toml"
    filed.write_text('[[subscriptions]]\nchannel = "console:wk"\ntopics = ["agents"]\n', encoding="utf-8")
    run = chat(tmp_path, "settings\n", "--as", "wk", config=filed)
    said = " ".join(run.stderr.split())
    assert (
        f"paperboy: console:wk is in the config file ({filed}), whose entries `paperboy run` saves when it starts"
        in said
    )
    assert "is in the config file" not in " ".join(
        chat(tmp_path, "settings\n", "--as", "lab", config=filed).stderr.split()
    )


@pytest.mark.slow
def test_the_terminal_speaks_of_what_it_has(tmp_path: Path) -> None:
    """From an audit: the terminal said `/papers help` and `/papers follow …`, offered a daily digest for
    `roundup`, `today top 0` for `top 0`, and `save ID and cite it` saved nothing."""
    typed = f"roundup\nfollow {EXAMPLE}\nzzqx glimmerfoo\nsave {EXAMPLE} and cite it\ntop 0\nunfollow robotics\n"
    run = chat(tmp_path, typed)
    assert run.returncode == 0, run.stderr
    said = " ".join(run.stdout.split())
    assert "/papers" not in said
    assert "This channel has no roundup to preview. To start one: `subscribe weekly diffusion on fri at 16:00`." in said
    follows = "The terminal has no direct messages; `subscribe` with topics gives this terminal a digest."
    assert said.count(follows) == 2  # `unfollow robotics` said "You follow nothing", as if the terminal had follows
    assert "Try fewer or broader words, or `help`." in said
    assert "to your reading list. `saved` shows it. @misc{" in said  # saved, and cited
    assert "`today top N` shows 1 to 50 of the day's papers." in said and "today top 0" not in said


@pytest.mark.slow
def test_a_channel_name_it_cannot_be_is_a_usage_error(tmp_path: Path) -> None:
    run = chat(tmp_path, "help\n", "--as", "two words")
    assert run.returncode == 2 and run.stdout == ""
    assert (
        "--as 'two words': a channel's name is 1 to 64 letters a to z (no accents), digits" in run.stderr
    )  # what was typed


@pytest.mark.slow
def test_a_command_copied_from_help_with_its_slash_command_is_the_command(tmp_path: Path) -> None:
    run = chat(tmp_path, "/papers subscribe diffusion at 08:00\n/Papers settings\n/paper help\n")
    assert "This channel is subscribed" in run.stdout and "When: 08:00 UTC" in run.stdout
    assert "Papers on “/paper" not in run.stdout  # never searched for as words, one letter short or not
    assert "Ctrl-D ends" in run.stdout  # `/paper help`: the help


@pytest.mark.slow
def test_a_citation_asked_of_a_paper_prints_its_bibtex_lines_whole(tmp_path: Path) -> None:
    run = chat(tmp_path, "cite 2605.29307\n")
    assert run.returncode == 0, run.stderr
    assert "Cite · GrepSeek" in run.stdout and "@misc{" in run.stdout
    [title] = [line for line in run.stdout.splitlines() if line.strip().startswith("title")]
    assert title.rstrip().endswith("}},")  # one line, however wide, to copy as it is


def as_in_a_terminal() -> None:
    """Ctrl-C as a terminal's shell leaves it to a command it starts: a suite started in the background
    (`make test &`) passes its children SIGINT ignored, and Python then takes no KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def exit_status(process: subprocess.Popen[bytes], terminal: int) -> int:
    """The process's exit status; held past 30 s, a failure showing where each of its threads stood."""
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # the fault handler writes every thread's stack
        process.wait(timeout=30)
        shown = b""
        while select.select([terminal], [], [], 1)[0]:
            try:
                shown += os.read(terminal, 65536)
            except OSError:  # the other end closed: all of it read
                break
        pytest.fail("still running 30 s after Ctrl-C:\n" + shown.decode(errors="replace"))


@pytest.mark.slow
def test_ctrl_c_at_the_prompt_stops_it_at_once(tmp_path: Path) -> None:
    """The read blocked on the terminal does not hold the process (it did, until Enter was pressed)."""
    assert chat(tmp_path, "diffusion\n").returncode == 0  # the store filled and its index built: nothing under way
    main, terminal = pty.openpty()
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env["PAPERBOY_EMBEDDINGS"] = "0"  # nothing but the read under way (the test before the fix: held until Enter)
    env["PYTHONFAULTHANDLER"] = "1"  # held past the wait: every thread's stack is shown (`exit_status`)
    process = subprocess.Popen(
        [*entry_point(), "chat"], stdin=terminal, stdout=terminal, stderr=terminal, env=env, cwd=tmp_path,
        preexec_fn=as_in_a_terminal,
    )  # fmt: skip
    try:
        shown, deadline = b"", time.monotonic() + 60
        while PROMPT.encode() not in shown and time.monotonic() < deadline:
            shown += os.read(main, 4096)
        assert PROMPT.encode() in shown, shown
        process.send_signal(signal.SIGINT)
        assert exit_status(process, main) == 130
    finally:
        process.kill()
        process.wait()
        os.close(main)
        os.close(terminal)


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_while_reading_a_pipe_exits_as_documented(tmp_path: Path, signum: int, status: int) -> None:
    """Reading a pipe (`docker run -i`, a command feed), Ctrl-C or SIGTERM ended in "Fatal Python error:
    _enter_buffered_busy" and exit 134: the interpreter, ending, waited on buffered stdin's lock, which the
    reading thread held."""
    assert chat(tmp_path, "diffusion\n").returncode == 0  # the store filled and its index built
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env["PAPERBOY_EMBEDDINGS"] = "0"
    read, write = os.pipe()  # held open all along (`communicate` would close it: an end, not a wait)
    try:
        with subprocess.Popen(
            [*entry_point(), "chat"], stdin=read, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, cwd=tmp_path, preexec_fn=as_in_a_terminal,
        ) as process:  # fmt: skip
            assert process.stdout is not None
            os.write(write, b"help\n")
            assert b"paperboy" in process.stdout.readline()  # answered…
            time.sleep(1.0)  # … and, its answer printed, waiting for the next line
            process.send_signal(signum)
            _, said = process.communicate(timeout=30)
    finally:
        os.close(read)
        os.close(write)
    assert process.returncode == status, said
    assert b"Fatal Python error" not in said


@pytest.mark.slow
def test_the_first_search_of_a_chat_ranks_as_paperboy_search_does(tmp_path: Path) -> None:
    """A one-shot chat answered its first search by words alone (the vectors not yet loaded), unlike
    `paperboy search` and unlike the same line typed again; the contract says they are the same search."""
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env["PAPERBOY_EMBEDDINGS"] = "1"  # by meaning too: the bundled snapshot's vectors, the model to ask
    run = partial(subprocess.run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=True)
    found = json.loads(run([*entry_point(), "search", "diffusion", "--json", "--limit", "5"]).stdout)
    titles = [hit["title"].split()[0] for hit in found["results"]]
    chatted = run([*entry_point(), "chat"], input="diffusion\ndiffusion\n").stdout
    first, second = chatted.split("Papers on “diffusion”")[1:]
    assert re.findall(r"^ *\d+\. ▲ *\d+ +(\S+)", first, re.MULTILINE)[:5] == titles
    assert first.strip() == second.strip()  # the same line twice, the same answer


@pytest.mark.slow
def test_a_store_file_this_user_may_not_write_is_said_with_a_fix_that_works(tmp_path: Path) -> None:
    """`paperboy chat` said "Please try again in a moment" above a SQLAlchemy traceback, and lost the save;
    the CLI's line said to make the folder writable, which it was (the file was not)."""
    assert chat(tmp_path, "today\n").returncode == 0
    store = tmp_path / "data" / "paperboy.db"
    store.chmod(0o444)
    # root writes whatever the mode says: without the capabilities that let it, as another user would be
    as_a_user = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []
    # wide: a long temporary path (pytest-xdist's) was cut across two lines, in the middle of its file's name
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1", "COLUMNS": "1000"}
    run = subprocess.run(
        [*as_a_user, *entry_point(), "chat"], input="save 2605.29307\n", cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    said = " ".join(run.stdout.split())
    assert f"the store {store} is read-only for this user; make the file readable and writable" in said, run
    assert f"(chmod u+rw {store})" in said and "Traceback" not in run.stderr
    if os.geteuid() != 0:
        return  # only root can give the file to another user, as the case below needs
    os.chown(store, 65534, 65534)  # another user's (a run under sudo leaves it root's): chmod cannot mend it
    store.chmod(0o644)
    run = subprocess.run(
        [*as_a_user, *entry_point(), "chat"], input="save 2605.29307\n", cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    said = " ".join(run.stdout.split())
    assert f"is read-only for this user (it belongs to {pwd.getpwuid(65534).pw_name}); give it to this user" in said


_SECOND_CTRL_C = """
import signal, sys
from bot.app.cli.interrupts import interrupted
try:
    interrupted(own=True)
except SystemExit as exit:
    print(exit.code, signal.getsignal(signal.SIGINT) is signal.SIG_IGN)
"""


@pytest.mark.slow
def test_a_second_ctrl_c_while_stopping_is_not_taken(tmp_path: Path) -> None:
    """A second Ctrl-C while the interpreter waited for a worker thread at exit printed that thread's
    traceback after the "interrupted" line; once stopping, the process takes no more (its deadline ends it)."""
    done = subprocess.run(
        [sys.executable, "-c", _SECOND_CTRL_C], env=child_env(), cwd=tmp_path, capture_output=True, timeout=60,
        preexec_fn=as_in_a_terminal,
    )  # fmt: skip
    assert done.stdout.decode().split() == ["130", "True"], done.stderr.decode()
    assert done.stderr.decode().startswith("paperboy: error: interrupted (Ctrl-C)")
