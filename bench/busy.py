"""Every core busy: the host a benchmark's "busy" column is measured on.

    with busy_host():          # one spinning process per CPU this process may use
        ...measure...

Each spinner is a separate process running `while True: pass` (as an operator's noisy neighbour
would), stopped on the way out and, in any case, after `seconds` (so a crashed benchmark leaves
nothing spinning).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

SPIN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def busy_host(spinners: int | None = None, seconds: float = 900.0) -> Iterator[int]:
    """Start `spinners` (default: one per usable CPU) busy processes; yields how many run."""
    count = usable_cpus() if spinners is None else spinners
    code = SPIN.format(seconds=seconds)
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]
    try:
        time.sleep(0.5)  # let them reach the CPU before anything is timed
        yield count
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()
