"""Start-up time of the command line: `paperboy --help` and a warm offline `paperboy digest`.

    python -m bench.startup [--runs 5]

Each run is a fresh process of the installed `paperboy` (the console script beside this Python, else
`python -m bot`), timed from spawn to exit, in a temporary data dir that one untimed offline digest
has filled from the bundled snapshot. Prints every run's wall time and the median against the
targets, with the median CPU time and the load average: on a shared machine the wall times carry
the other work's load, the CPU times much less so.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"help": 0.3, "digest": 0.8}  # seconds, median


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds from spawn to exit
    cpu: float  # seconds of user and system time the process used


def entry_point() -> list[str]:
    script = Path(sys.executable).with_name("paperboy")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def clean_env(data_dir: Path) -> dict[str, str]:
    """The caller's environment without paperboy's, Slack's or Discord's settings: the defaults, offline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERBOY_", "SLACK_", "DISCORD_"))}
    env.update(PAPERBOY_DATA_DIR=str(data_dir), PAPERBOY_OFFLINE="1")
    return env


def run_once(args: list[str], env: dict[str, str]) -> Timing:
    """How long `paperboy ARGS` took; a failed run stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*entry_point(), *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"paperboy {' '.join(args)} failed ({done.returncode}): {done.stderr.decode().strip()}")
    return Timing(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def report(label: str, timings: list[Timing], target: float) -> None:
    median = statistics.median(t.wall for t in timings)
    runs = " ".join(f"{t.wall:.3f}" for t in timings)
    cpu = statistics.median(t.cpu for t in timings)
    verdict = "met" if median <= target else "MISSED"
    print(f"{label:<32} median {median:.3f} s  runs: {runs}  cpu {cpu:.3f} s  target <= {target:.1f} s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description="paperboy start-up benchmark")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        env = clean_env(Path(folder))
        fill = run_once(["digest"], env)  # untimed: fills the store from the snapshot
        run_once(["--help"], env)  # untimed: the interpreter and packages into the page cache
        helps = [run_once(["--help"], env) for _ in range(args.runs)]
        digests = [run_once(["digest"], env) for _ in range(args.runs)]

    print(f"{' '.join(entry_point())}, {args.runs} fresh processes each (the first digest, untimed: {fill.wall:.2f} s)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    report("paperboy --help", helps, TARGETS["help"])
    report("paperboy digest (offline, warm)", digests, TARGETS["digest"])


if __name__ == "__main__":
    main()
