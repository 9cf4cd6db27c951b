"""Operator faults on the command line: each is exit 1 and one line naming the place, the reason and
the fix; never a traceback, never SQL or its parameters (paper data), never a password.

The disk faults are real: a data dir that is a file, a path under a file, a store opened read-only,
a corrupt file, a tmpfs remounted read-only and a 256 KB tmpfs that fills up (these two need the
right to mount, and are skipped cleanly where it is missing). Tests run as root, where `chmod` does
not stop writes, so no test leans on permissions.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.app.test_cli import Run, entry_point, one_line
from tests.conftest import CURRENT, child_env

pytestmark = pytest.mark.slow

SOME_PAPER = "2605.29307"  # listed on 2026-06-01: no fault may show paper data


def paperboy(tmp_path: Path, *args: str, timeout: float = 120, **env: str) -> Run:
    done = subprocess.run(
        [*entry_point(), *args],
        cwd=tmp_path,
        env={**child_env(), "PAPERBOY_OFFLINE": "1", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def fault_line(run: Run) -> str:
    """The one line a fault is: exit 1, `paperboy: error: …`, nothing else on stderr."""
    assert run.code == 1, (run.out, run.err)
    assert "Traceback" not in run.err
    for leak in ("[SQL", "[parameters", "INSERT", "SELECT", SOME_PAPER, "sqlalche.me"):
        assert leak not in run.err, run.err
    line = one_line(run.err)
    assert line.startswith("paperboy: error: ")
    return line.removeprefix("paperboy: error: ")


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at `where`; the test is skipped where mounting is not allowed."""
    where.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True
        )
    except FileNotFoundError:
        pytest.skip("no mount command here")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def a_store(tmp_path: Path, data: Path) -> None:
    run = paperboy(tmp_path, "import", str(CURRENT / "2026-06-01.json"), PAPERBOY_DATA_DIR=str(data))
    assert run.code == 0, run.err


def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("oops", encoding="utf-8")
    run = paperboy(tmp_path, "digest", PAPERBOY_DATA_DIR=str(data))
    assert fault_line(run) == (
        f"the data directory {data} is a file, not a directory; move the file away or set PAPERBOY_DATA_DIR to a "
        "directory paperboy may create and write"
    )


def test_a_data_dir_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("oops", encoding="utf-8")
    run = paperboy(tmp_path, "sync", PAPERBOY_DATA_DIR=str(tmp_path / "file" / "data"))
    assert fault_line(run) == (
        f"the data directory {tmp_path / 'file' / 'data'} cannot be created: {tmp_path / 'file'} is a file; "
        "set PAPERBOY_DATA_DIR to a directory paperboy may create and write"
    )


def test_a_store_opened_read_only_reads_but_refuses_an_import(tmp_path: Path) -> None:
    a_store(tmp_path, tmp_path / "data")
    url = f"sqlite:///file:{tmp_path / 'data' / 'paperboy.db'}?mode=ro&uri=true"
    digest = paperboy(tmp_path, "digest", "--limit", "1", PAPERBOY_DATABASE_URL=url)
    assert digest.code == 0, digest.err
    run = paperboy(tmp_path, "import", str(CURRENT / "2026-06-02.json"), PAPERBOY_DATABASE_URL=url)
    assert fault_line(run) == (
        f"the store {tmp_path / 'data' / 'paperboy.db'} was opened read-only (mode=ro in PAPERBOY_DATABASE_URL) "
        "and this command writes to it; take mode=ro out of PAPERBOY_DATABASE_URL for it"
    )


def test_a_data_dir_on_a_read_only_file_system(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        a_store(tmp_path, mnt / "data")
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        for command in (("digest",), ("import", str(CURRENT / "2026-06-02.json"))):
            run = paperboy(tmp_path, *command, PAPERBOY_DATA_DIR=str(mnt / "data"))
            assert fault_line(run) == (
                f"the store {mnt / 'data' / 'paperboy.db'} cannot be written: {mnt / 'data'} is on a read-only file "
                f"system; make {mnt / 'data'} writable for this user (SQLite keeps its -wal and -shm files beside "
                "the database) or set PAPERBOY_DATA_DIR to a directory paperboy may create and write"
            )
        new = paperboy(tmp_path, "digest", PAPERBOY_DATA_DIR=str(mnt / "new"))
        assert fault_line(new) == (
            f"the data directory {mnt / 'new'} cannot be created: its file system is read-only; set "
            "PAPERBOY_DATA_DIR to a directory paperboy may create and write"
        )


def test_a_full_disk_says_so_without_paper_data(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "mnt", "256k") as mnt:
        run = paperboy(tmp_path, "import", str(CURRENT), PAPERBOY_DATA_DIR=str(mnt / "data"))
        assert fault_line(run) == (
            f"the store {mnt / 'data' / 'paperboy.db'} cannot grow: its disk is full; free some space there (or set "
            "PAPERBOY_DATA_DIR to a directory paperboy may create and write) and run the command again; the write "
            "that failed was not kept"
        )
        assert run.out == ""


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "paperboy.db").write_bytes(random.Random(1).randbytes(64 * 1024))
    run = paperboy(tmp_path, "digest", PAPERBOY_DATA_DIR=str(tmp_path / "data"))
    assert fault_line(run).startswith(
        f"the store {tmp_path / 'data' / 'paperboy.db'} is not a database paperboy can read; restore it from a "
        "backup, or move it aside"
    )


def test_a_database_with_corrupt_pages(tmp_path: Path) -> None:
    a_store(tmp_path, tmp_path / "data")
    path = tmp_path / "data" / "paperboy.db"
    shutil.copy(path, tmp_path / "good.db")
    body = bytearray(path.read_bytes())
    noise = random.Random(2).randbytes(len(body) - 4 * 4096)
    body[4 * 4096 :] = noise  # the header and the schema's first pages stay; the rest is noise
    path.write_bytes(bytes(body))
    run = paperboy(tmp_path, "digest", PAPERBOY_DATA_DIR=str(tmp_path / "data"))
    assert fault_line(run).startswith(f"the store {path} is damaged (SQLite found corrupt pages); restore it")


def test_postgresql_down_names_the_host_not_the_password(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"postgresql://paperboy:hunter2@127.0.0.1:{port}/papers"
    for command in (("digest",), ("import", str(CURRENT / "2026-06-01.json"))):
        run = paperboy(tmp_path, *command, PAPERBOY_DATABASE_URL=url)
        assert fault_line(run) == (
            f"PostgreSQL at 127.0.0.1:{port} (database papers) cannot be reached: nothing is listening there; "
            "start it, or correct the host and port in PAPERBOY_DATABASE_URL"
        )
        assert "hunter2" not in run.err


def test_a_database_url_with_a_port_that_is_no_number_is_one_line(tmp_path: Path) -> None:
    run = paperboy(tmp_path, "digest", PAPERBOY_DATABASE_URL="postgresql://u:hunter2@127.0.0.1:notaport/db")
    assert run.code == 1
    assert run.err.strip() == (
        "paperboy: error: PAPERBOY_DATABASE_URL: its port 'notaport' is not a number: write host:PORT, such as"
        " localhost:5432"
    )  # (was "not a database URL", as if nothing of it were right)
    run = paperboy(tmp_path, "digest", PAPERBOY_DATABASE_URL="postgresql://u:hunter2@127.0.0.1:99999/db")
    assert (
        fault_line(run)
        == "PAPERBOY_DATABASE_URL: its port 99999 is out of range (1 to 65535): PostgreSQL's own is 5432"
    )
    assert "hunter2" not in run.err


def test_a_database_url_that_is_no_url_is_said_with_the_other_variables_faults(tmp_path: Path) -> None:
    """It was said only once the others were mended: two rounds for two faults (QA s73-operator #2)."""
    run = paperboy(tmp_path, "digest", PAPERBOY_DATABASE_URL="foo", PAPERBOY_OFFLINE="maybe")
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert lines[0].startswith("paperboy: error: PAPERBOY_DATABASE_URL: not a database URL (try sqlite:///"), lines
    assert lines[1] == "  also PAPERBOY_OFFLINE is 'maybe': use 1 or 0 (or true, false, yes, no)", lines


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_database_in_memory_is_refused_it_would_keep_nothing(tmp_path: Path, url: str) -> None:
    run = paperboy(tmp_path, "digest", PAPERBOY_DATABASE_URL=url)
    assert run.code == 1
    assert fault_line(run).startswith("PAPERBOY_DATABASE_URL names a SQLite database in memory, which keeps nothing")


def test_the_slack_port_in_use(tmp_path: Path) -> None:
    a_store(tmp_path, tmp_path / "data")
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # where paperboy binds
        taken.listen()
        port = taken.getsockname()[1]
        run = run_on_slack(tmp_path, PAPERBOY_SLACK_PORT=str(port))
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    errors = [line for line in run.err.splitlines() if line.startswith("paperboy: error:")]
    assert errors == [
        f"paperboy: error: port {port} (PAPERBOY_SLACK_PORT) is already in use by another program: stop it, or "
        "set PAPERBOY_SLACK_PORT to a free port"
    ]
    assert run.err.rstrip().endswith(errors[0])  # the last word; before it only `paperboy run`'s own log lines


def run_on_slack(tmp_path: Path, **env: str) -> Run:
    """`paperboy run` in Slack HTTP mode, Slack's API unreachable (nothing answers on port 9)."""
    return paperboy(
        tmp_path,
        "run",
        timeout=60,
        PAPERBOY_DATA_DIR=str(tmp_path / "data"),
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        PAPERBOY_SLACK_API_URL="http://127.0.0.1:9/api/",
        **env,
    )


def test_a_slack_host_that_is_not_this_machine_s(tmp_path: Path) -> None:
    a_store(tmp_path, tmp_path / "data")
    run = run_on_slack(tmp_path, PAPERBOY_SLACK_HOST="192.0.2.1")  # TEST-NET-1: no machine's own address
    assert run.code == 1, run.err
    assert "Traceback" not in run.err  # before the fault, only the line saying Slack's API did not answer (port 9)
    [error] = [line for line in run.err.splitlines() if line.startswith("paperboy: error:")]
    assert error.startswith("paperboy: error: paperboy cannot listen on 192.0.2.1 (PAPERBOY_SLACK_HOST): it is not an")


def test_a_port_below_1024_without_root_is_one_line_saying_to_keep_3000(tmp_path: Path) -> None:
    """The Docker image runs as a user: PAPERBOY_SLACK_PORT=443 ended in a 66-line traceback."""
    import errno

    from bot.app.cli.running import faults
    from bot.app.settings import Settings
    from bot.domain.errors import ConfigError

    settings = Settings(data_dir=tmp_path, slack_port=443)
    denied = OSError(errno.EACCES, "error while attempting to bind on address ('0.0.0.0', 443): permission denied")
    needs_root = r"^port 443 \(PAPERBOY_SLACK_PORT\) needs root.*keep port 3000"
    with pytest.raises(ConfigError, match=needs_root), faults(settings):
        raise denied
