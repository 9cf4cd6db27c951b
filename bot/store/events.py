"""Chat events already handled, so a platform's retry of the same event never gets a second answer;
and claims on a piece of work two replicas may each be handed at once (a Share's double click).

Kept in the store rather than in memory: a retry may reach another replica, or the same process
after a restart.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.tables import events
from bot.store.upsert import changed, insert_for

KEEP = timedelta(days=1)  # Slack retries for minutes, Discord never: a day is ample


class EventLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._seen = 0

    async def first_time(self, platform: str, event_id: str) -> bool:
        """True the first time an event id is offered, False for every repeat."""
        now = datetime.now(UTC)
        stmt = insert_for(self._engine.dialect.name, events).on_conflict_do_nothing(
            index_elements=["platform", "event_id"]
        )
        async with self._engine.begin() as conn:
            inserted = await changed(conn, stmt.values(platform=platform, event_id=event_id[:128], seen_at=now))
            self._seen += 1
            if self._seen % 500 == 0:
                await conn.execute(delete(events).where(events.c.seen_at < now - KEEP))
        return inserted

    async def claim(self, platform: str, key: str, now: datetime, within: timedelta) -> bool:
        """True when no one claimed `key` in the `within` before `now`: it is then this caller's, dated
        `now` (another replica handed the same work at once is refused); `let_go` gives it back."""
        key = key[:128]
        stmt = insert_for(self._engine.dialect.name, events).on_conflict_do_nothing(
            index_elements=["platform", "event_id"]
        )
        mine = stmt.values(platform=platform, event_id=key, seen_at=now)
        lapsed = events.c.seen_at < now - within  # an older claim's (done, or its process died)
        taken = update(events).where(events.c.platform == platform, events.c.event_id == key, lapsed)
        async with self._engine.begin() as conn:
            # (inserted again last: a day-old claim another process's `first_time` pruned meanwhile)
            won = await changed(conn, mine) or await changed(conn, taken.values(seen_at=now))
            return won or await changed(conn, mine)

    async def let_go(self, platform: str, key: str, claimed: datetime) -> None:
        """Give back a claim made at `claimed` (the work was not done: the next one asking may do it)."""
        mine = (events.c.platform == platform, events.c.event_id == key[:128], events.c.seen_at == claimed)
        async with self._engine.begin() as conn:
            await conn.execute(delete(events).where(*mine))
