"""The suggestion index kept current: built from the store in a worker thread, rebuilt when it ages.

An index older than `MAX_AGE` is rebuilt only if the store changed since (a count and the newest update
tell). A platform gives an autocomplete 3 s, and it cannot be deferred: the first request waits for the
first build at most `FIRST_WAIT` seconds (then answers nothing rather than nothing in time); later
ones answer from the index they have while a fresher one is built beside it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.host.tasks import stopped
from bot.store.headlines import headlines, headlines_stamp
from bot.store.papers import PaperStore

if TYPE_CHECKING:  # the index (and NumPy) is imported by the first build, not by whoever builds this
    from bot.surfaces.suggest import SuggestIndex, Suggestion

log = logging.getLogger(__name__)
MAX_AGE = 600.0  # seconds: a sync brings new papers a few times a day
FIRST_WAIT = 2.0
CLOSE_WAIT = 5.0  # of paperboy's 10 s to stop


class Suggestions:
    def __init__(
        self, store: PaperStore, *, max_age: float = MAX_AGE, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._max_age = max_age
        self._clock = clock
        self._index: SuggestIndex | None = None
        self._built_at = 0.0
        self._building: asyncio.Task[None] | None = None
        self._stamp: tuple[int, int, object] | None = None

    def warm(self) -> None:
        """Start building now (at start-up), so the first person to type gets suggestions."""
        self._build()

    async def refresh(self) -> None:
        """Build a fresh index now (after a build under way, which may predate the store's latest papers)."""
        if self._building is not None and not self._building.done():
            await asyncio.wait({self._building})
        self._building = None
        await self._build()

    async def close(self, within: float = CLOSE_WAIT) -> None:
        """Let a build under way finish its read (a read cut off midway leaves its connection open), then
        stop it if it still runs after `within` seconds."""
        if self._building is not None and not self._building.done():
            await asyncio.wait({self._building}, timeout=within)
            await stopped(self._building)

    async def topics(self, typed: str) -> list[Suggestion]:
        index = await self.index()
        return index.topics(typed) if index is not None else []

    async def titles(self, typed: str) -> list[Suggestion]:
        index = await self.index()
        return index.titles(typed) if index is not None else []

    async def index(self, within: float = FIRST_WAIT) -> SuggestIndex | None:
        """The current index (a rebuild started when it is old), or the first one if it comes `within` seconds."""
        if self._index is not None:
            if self._clock() - self._built_at > self._max_age:
                self._build()
            return self._index
        await asyncio.wait({self._build()}, timeout=within)
        return self._index

    def _build(self) -> asyncio.Task[None]:
        if self._building is None or self._building.done():
            self._building = asyncio.create_task(self._rebuild())
        return self._building

    async def _rebuild(self) -> None:
        started = self._clock()
        try:
            stamp = await headlines_stamp(self._store.engine)
            if self._index is not None and stamp == self._stamp:  # nothing new: the index is current
                self._built_at = started
                return
            rows = await headlines(self._store.engine)
            from bot.surfaces.suggest import SuggestIndex

            index = await asyncio.to_thread(SuggestIndex, rows)
        except Exception:  # a background build: say why, keep the index there is, try again on the next ask
            log.exception("suggestions could not be rebuilt from the store")
            return
        self._index, self._built_at, self._stamp = index, self._clock(), stamp
        log.info(
            "suggestions: %d papers, %d keywords indexed in %.1f s",
            index.papers,
            index.keywords,
            self._clock() - started,
        )
