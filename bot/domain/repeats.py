"""What a long-running process says about a fault that lasts: the first time, then at most once an
hour while it lasts. `paperboy run` tries a failing digest, sync or sweep again at every tick (each
minute), and said each failure each time: 904 lines in 21 minutes for two channels."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timedelta

EVERY = timedelta(hours=1)
_FORGOTTEN = timedelta(days=1)  # a fault not seen for this long is said again as new


class Repeats:
    def __init__(self, every: timedelta = EVERY) -> None:
        self._every = every
        self._said: dict[Hashable, datetime] = {}

    def first(self, key: Hashable, now: datetime) -> bool:
        """Whether to say the fault `key` now: not said yet, or last said `every` ago or more."""
        last = self._said.get(key)
        if last is not None and timedelta(0) <= now - last < self._every:
            return False
        self._said = {k: t for k, t in self._said.items() if abs(now - t) < _FORGOTTEN}
        self._said[key] = now
        return True
