"""Whether another `paperboy run` serves from this data dir: two on one SQLite store each sync Hugging
Face and sweep every channel (each digest still goes out once: the ledger sees to that), and nothing
said so; the second logged "another process is delivering" per channel at every tick.

A lock on a file in the data dir, held while the process lives: the kernel lets it go when the process
ends, killed or not, so a dead one's claim goes at once.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_FILE = "run.lock"
_held: dict[Path, int] = {}  # each lock's descriptor, open for the process's life


def other_run(data_dir: Path) -> str | None:
    """Take this data dir's run lock; the process id of the `paperboy run` holding it already, or "" when
    one does that did not say, or None when none does (or the lock cannot be taken: no claim either way)."""
    path = (data_dir / LOCK_FILE).absolute()
    if path in _held:  # this process holds it already (a second start in one process): no other run
        return None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip()
        os.close(fd)
        return None if holder == str(os.getpid()) else holder
    except OSError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    _held[path] = fd
    return None
