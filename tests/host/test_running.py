"""Another `paperboy run` on the same data dir is found, and a dead one's lock goes with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.host.running import other_run
from tests.conftest import child_env

HOLD = """
import sys, time
from pathlib import Path
from bot.host.running import other_run
assert other_run(Path(sys.argv[1])) is None
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_run_on_the_same_data_dir_is_named_and_a_dead_ones_lock_goes(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=child_env()
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert other_run(tmp_path) == str(holder.pid)  # the one serving, by its process id
    finally:
        holder.kill()  # killed: no clean-up of its own
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert other_run(tmp_path) is None  # its lock went with it: this process holds it now


def test_a_data_dir_it_cannot_write_claims_nothing(tmp_path: Path) -> None:
    assert other_run(tmp_path / "absent") is None


def test_asked_twice_in_one_process_it_does_not_name_itself(tmp_path: Path) -> None:
    assert other_run(tmp_path) is None
    assert other_run(tmp_path) is None  # it said its own pid, as if another run held the lock
