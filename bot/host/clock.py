"""Whether the host's wall clock was stepped (NTP, a VM resumed, an operator), seen against the monotonic
clock: a sweep that read a clock stepped a day ahead recorded every digest still to come as missed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

log = logging.getLogger(__name__)
STEP_S = 120.0  # wall and monotonic time apart by more than this between two readings: a step
GRACE_S = 600.0  # for this long after a step (monotonic), what the wall clock says of deadlines is doubted


class ClockWatch:
    """Readings of the wall clock (each sweep's `now`) beside the monotonic clock."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._last: tuple[float, float] | None = None  # (wall, monotonic) of the last reading
        self._stepped_at: float | None = None  # monotonic time of the last step seen

    def doubted(self, now: datetime) -> bool:
        """Whether `now` comes within `GRACE_S` of a step of the wall clock (said once a step)."""
        wall, mono = now.timestamp(), self._monotonic()
        if self._last is not None:
            step = (wall - self._last[0]) - (mono - self._last[1])
            if abs(step) > STEP_S:
                self._stepped_at = mono
                log.warning(
                    "the host's clock was stepped %s by %.0f s: for %.0f minutes no digest is recorded as"
                    " missed on its word (fix the host's time sync if this repeats)",
                    "forward" if step > 0 else "back",
                    abs(step),
                    GRACE_S / 60,
                )
        self._last = (wall, mono)
        return self._stepped_at is not None and mono - self._stepped_at < GRACE_S
