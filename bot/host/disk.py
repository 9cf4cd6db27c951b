"""The disk under the data dir: how much it reads around each cold page of a mapped file.

tantivy maps the search index's files, and a page fault on a mapped file reads the disk's
`read_ahead_kb` around the page. The kernel's default is 128 KB; some virtual disks say megabytes
(8,192 KB on the VM our figures come from), and each cold read of the index then reads that much:
at 1M papers the cold p99 was 2-3 times the one with 128 KB (docs/search.md, "The disk's
read-ahead"). The setting is the host's: paperboy only says so.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

LARGE_KB = 1024  # from here on, `run` says so at start


def read_ahead_kb(path: Path) -> int | None:
    """The read-ahead of the disk holding `path` (for a partition, its disk's), or None where the
    system does not say (not Linux, no /sys, a network or overlay file system)."""
    with contextlib.suppress(OSError):
        device = os.stat(path).st_dev
        queue = Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}")
        for folder in (queue / "queue", queue / ".." / "queue"):
            with contextlib.suppress(OSError, ValueError):
                return int((folder / "read_ahead_kb").read_text())
    return None


def read_ahead_note(path: Path, ahead: int | None) -> str | None:
    """What to tell the operator about a disk reading `ahead` KB around each cold read, if anything."""
    if ahead is None or ahead < LARGE_KB:
        return None
    return (
        f"the disk under {path} reads {ahead} KB around each cold read of the search index; with 128 KB"
        " cold searches are faster (2-3 times at 1M papers): set its read_ahead_kb to 128 and restart"
        ' paperboy (docs/search.md, "The disk\'s read-ahead")'
    )
