"""Thread notes: each piece of news about a paper (code out, a new arXiv version, upvotes past a mark) posted
once in each thread that follows it, however many processes sync and however often they die.

A note is claimed before it is posted: its row is inserted only if absent, so one process wins it,
and that process holds it by a lock that dies with it (bot/store/claims.py) and by a lease. A note
found claimed by a process that died (its lock is free), or whose lease ran out where its lock
can't be seen, is taken over: the
taker first looks on the platform for the note under its key (it may be out), and posts it only
if it is not. A posted note is written down with its message; a thread that is gone is recorded so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, select, update

from bot.domain.channels import ChannelRef
from bot.store.claims import Claimant, HoldKey
from bot.store.engine import as_utc
from bot.store.tables import thread_notes
from bot.store.upsert import insert_for

NoteKey = tuple[ChannelRef, str, str]  # the channel, the paper, the event ("code", "version:3", "upvotes:250")
NoteState = Literal["new", "resume", "busy", "done"]
_NO_DAY = date(1970, 1, 1)  # a hold is named by (platform, name, day); a note has no day


@dataclass(frozen=True)
class NoteClaim:
    state: NoteState
    intent_at: datetime | None = None  # when posting it was first begun: a takeover looks from there

    @property
    def ours(self) -> bool:
        return self.state in ("new", "resume")


def _hold(key: NoteKey) -> HoldKey:
    channel, arxiv_id, event = key
    return channel.platform, f"note\0{channel.workspace}\0{channel.channel}\0{arxiv_id}\0{event}", _NO_DAY


class NoteLedger(Claimant):
    def _where(self, key: NoteKey) -> ColumnElement[bool]:
        channel, arxiv_id, event = key
        return and_(
            thread_notes.c.platform == channel.platform,
            thread_notes.c.workspace == channel.workspace,
            thread_notes.c.channel == channel.channel,
            thread_notes.c.arxiv_id == arxiv_id,
            thread_notes.c.event == event,
        )

    async def claim(self, key: NoteKey, now: datetime) -> NoteClaim:
        """Take the note: new, ours to resume (its process died or its lease ran out), busy, or done."""
        held = await self._holds.take([_hold(key)])
        if not held:
            return NoteClaim("busy")  # this process is posting it already
        try:
            claim = await self._claim(key, now)
        except BaseException:
            await self._holds.free(held)
            raise
        if not claim.ours:
            await self._holds.free(held)
        return claim

    async def _claim(self, key: NoteKey, now: datetime) -> NoteClaim:
        channel, arxiv_id, event = key
        row = {
            "platform": channel.platform,
            "workspace": channel.workspace,
            "channel": channel.channel,
            "arxiv_id": arxiv_id,
            "event": event,
            "status": "claimed",
            "owner": self.owner,
            "lease_until": now + self.lease,
            "intent_at": now,
        }
        async with self._engine.begin() as conn:
            stmt = (
                insert_for(self._dialect, thread_notes)
                .on_conflict_do_nothing(index_elements=["platform", "workspace", "channel", "arxiv_id", "event"])
                .returning(thread_notes.c.event)
            )
            if (await conn.execute(stmt, [row])).first() is not None:
                return NoteClaim("new", now)
            found = (await conn.execute(select(thread_notes).where(self._where(key)).with_for_update())).first()
            if found is None or found.status != "claimed":
                return NoteClaim("done")
            # A lease ends a claim only where its owner's lock can't be seen: a live one is posting it.
            lapsed = as_utc(found.lease_until) < now and not self._holds.sees(found.owner)
            mine = found.owner == self.owner or lapsed
            if not mine:
                mine = bool(await self._holds.vacant(conn, {_hold(key): found.owner}))  # its holder died
            if not mine:
                return NoteClaim("busy")
            await conn.execute(
                update(thread_notes).where(self._where(key)).values(owner=self.owner, lease_until=now + self.lease)
            )
            return NoteClaim("resume", as_utc(found.intent_at))

    async def holding(self, key: NoteKey) -> bool:
        """Whether this process still holds the note (False: another may be taking it over; don't post)."""
        return await self._holds.holding(_hold(key))

    async def posted(self, key: NoteKey, message: str | None, now: datetime, *, gone: bool = False) -> None:
        """The note is out (or its thread is gone, and it never will be): done, and let go."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(thread_notes)
                .where(self._where(key))
                .values(status="gone" if gone else "posted", message_ref=message, posted_at=now)
            )
        await self._holds.free([_hold(key)])

    async def release(self, key: NoteKey) -> None:
        """Let the note go unposted (an error): another sync, here or elsewhere, tries again."""
        await self._holds.free([_hold(key)])

    async def done(self, arxiv_ids: Collection[str]) -> set[NoteKey]:
        """The notes about these papers that are out or given up."""
        if not arxiv_ids:
            return set()
        t = thread_notes.c
        query = select(t.platform, t.workspace, t.channel, t.arxiv_id, t.event)
        query = query.where(t.arxiv_id.in_(sorted(arxiv_ids)), t.status != "claimed")
        async with self._engine.connect() as conn:
            return {
                (ChannelRef(r.platform, r.channel, r.workspace), r.arxiv_id, r.event) for r in await conn.execute(query)
            }
