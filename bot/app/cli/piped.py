"""Lines from a pipe on standard input (`paperboy chat`, `paperboy search --batch -`), read where a read
that waits never holds the process's end."""

from __future__ import annotations

import os
import sys


class Piped:
    """Lines from a pipe, read from its file descriptor unbuffered: Python's buffered stdin keeps a lock
    while a read waits, and the interpreter, ending on Ctrl-C or SIGTERM, waited for it from the
    reading thread ("Fatal Python error: _enter_buffered_busy", exit 134 instead of 130 or 143)."""

    def __init__(self) -> None:
        self._raw = os.fdopen(os.dup(sys.stdin.fileno()), "rb", buffering=0, closefd=True)
        self._held = b""

    def line(self) -> str | None:
        while b"\n" not in self._held:
            chunk = self._raw.read(CHUNK)
            if not chunk:  # the end: a last line without its newline is a line
                last, self._held = self._held, b""
                return last.decode("utf-8", "replace") if last else None
            self._held += chunk
        line, _, self._held = self._held.partition(b"\n")
        return line.decode("utf-8", "replace").removesuffix("\r")


CHUNK = 65_536
