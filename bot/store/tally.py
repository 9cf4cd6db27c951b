"""One batch of votes and replies written in one transaction, a handful of statements for all of them.

The common case, a new vote or reply, is one row of one multi-row insert (`ON CONFLICT DO NOTHING
RETURNING` says which were new). The votes already stored (a removal, Slack's repeat, a late add)
are read in one statement (locked on PostgreSQL), replayed in arrival order in memory, and their new
states written back in one more. The per-person counts then move in one multi-row upsert that returns
the new counts (0 → n: a new reactor; n → 0: one no longer), and the per-paper `engagement` rows in
one more. Every statement writes its rows in key order, and the tables in one order, so two
replicas' batches take their row locks in one global order and never deadlock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.channels import ChannelRef
from bot.store.engine import as_utc
from bot.store.tables import engagement, reactors, repliers, replies, votes
from bot.store.upsert import insert_for


@dataclass(frozen=True)
class Posted:
    """A message the bot posted for a paper: the card's channel, the paper, and when its first card
    went to that channel (what `/papers top week` filters on)."""

    channel: ChannelRef
    arxiv_id: str
    posted_at: datetime


SUPER = " (super)"  # after the emoji: a Discord super reaction, a reaction of its own


@dataclass(frozen=True)
class Vote:
    """A person's reaction put on (`present`) or taken off one of the bot's messages for a paper."""

    posted: Posted
    user: str
    message: str
    reaction: str
    present: bool
    at: datetime


@dataclass(frozen=True)
class Reply:
    """A person's message in a paper's thread."""

    posted: Posted
    user: str
    message: str
    at: datetime


Event = Vote | Reply


@dataclass(frozen=True)
class VoteState:
    """A stored vote: on or off, when it last changed (what orders the changes), and since when it has
    been on. A later copy of the same add (Discord stamps an event when it arrives) moves `at` but not
    `put_on_at`, so a reaction stays in the week it was put on."""

    present: bool
    at: datetime
    put_on_at: datetime | None

    @classmethod
    def first(cls, present: bool, at: datetime) -> VoteState:
        return cls(present, at, at if present else None)

    def then(self, present: bool, at: datetime) -> VoteState:
        return VoteState(True, at, self.put_on_at) if present and self.present else VoteState.first(present, at)


PERSON = ("platform", "workspace", "channel", "arxiv_id", "user_id")
PAPER = ("platform", "workspace", "channel", "arxiv_id")
VOTE = (*PERSON, "message", "reaction")
REPLY = ("platform", "workspace", "channel", "message")
PIECE = 100  # stored votes read a statement


def utc(value: datetime) -> datetime:
    # SQLite keeps no zone and compares timestamps as text: every one is written in UTC.
    return value.astimezone(UTC)


def place(where: ChannelRef, arxiv_id: str) -> dict[str, str]:
    return {"platform": where.platform, "workspace": where.workspace, "channel": where.channel, "arxiv_id": arxiv_id}


class Tally:
    """The writes of one batch; `votes`, `replies`, then `close` (the per-paper rows)."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._dialect = conn.dialect.name
        self._papers: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, 0, None])

    def _posted(self, paper: tuple[Any, ...], at: datetime) -> None:
        counts = self._papers[paper]
        counts[2] = min(counts[2] or at, at)

    async def votes(self, rows: list[dict[str, Any]]) -> None:
        """Rows of `votes` (with `present`, `event_at`, `posted_at`), in arrival order."""
        by_key: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            by_key[tuple(row[k] for k in VOTE)].append(row)
            self._posted(tuple(row[k] for k in PAPER), row["posted_at"])
        keys = sorted(by_key)
        for key in keys:  # oldest first (equals in arrival order): a later-stamped copy first kept the add's time
            by_key[key].sort(key=lambda row: row["event_at"])
        firsts = [_first(by_key[key][0]) for key in keys]
        inserted = await self._insert_new(votes, VOTE, firsts)
        stored = await self._stored([key for key in keys if key not in inserted])
        moved: dict[tuple[Any, ...], int] = defaultdict(int)
        changes: dict[tuple[Any, ...], VoteState] = {}
        for key in keys:
            rest = by_key[key]
            state = stored.get(key)
            if key in inserted:
                moved[key[:5]] += 1 if rest[0]["present"] else 0  # a removal seen first keeps its add out
                state, rest = VoteState.first(rest[0]["present"], rest[0]["event_at"]), rest[1:]
            if state is None:  # erased (`paperboy forget`) between the insert and the read
                continue
            was = state
            for row in rest:  # a change counts only when newer than the one stored
                if row["event_at"] > state.at:
                    if row["present"] != state.present:
                        moved[key[:5]] += 1 if row["present"] else -1
                    state = state.then(row["present"], row["event_at"])
            if state != was:
                changes[key] = state
        await self._rewrite(changes)
        await self._people(reactors, "reactions", moved, 0)

    async def _stored(self, keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], VoteState]:
        """Votes already stored, read in one statement a piece, in key order and, on PostgreSQL,
        locked (`FOR UPDATE`) until the batch commits."""
        found: dict[tuple[Any, ...], VoteState] = {}
        for start in range(0, len(keys), PIECE):
            piece = keys[start : start + PIECE]
            # An OR of full keys: one primary-key seek each on both engines.
            query = (
                select(*(votes.c[k] for k in VOTE), votes.c.present, votes.c.event_at, votes.c.put_on_at)
                .where(or_(*(and_(*(votes.c[k] == v for k, v in zip(VOTE, key, strict=True))) for key in piece)))
                .order_by(*(votes.c[k] for k in VOTE))
            )
            if self._dialect == "postgresql":
                query = query.with_for_update()
            for r in await self._conn.execute(query):
                on = r[-1] and utc(as_utc(r[-1]))
                found[tuple(r[: len(VOTE)])] = VoteState(bool(r[-3]), utc(as_utc(r[-2])), on)
        return found

    async def _rewrite(self, changes: dict[tuple[Any, ...], VoteState]) -> None:
        """Store each vote's newest state, one statement for all of them (in key order)."""
        if not changes:
            return
        stmt = (
            update(votes)
            .where(*(votes.c[k] == bindparam(f"key_{k}") for k in VOTE))
            .values(present=bindparam("new_present"), event_at=bindparam("new_at"), put_on_at=bindparam("new_on"))
        )
        rows = [
            {f"key_{k}": v for k, v in zip(VOTE, key, strict=True)}
            | {"new_present": state.present, "new_at": state.at, "new_on": state.put_on_at}
            for key, state in sorted(changes.items())
        ]
        await self._conn.execute(stmt, rows)

    async def replies(self, rows: list[dict[str, Any]]) -> None:
        """Rows of `replies` (with `posted_at`); each message counts once."""
        unique: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            unique.setdefault(tuple(row[k] for k in REPLY), row)
            self._posted(tuple(row[k] for k in PAPER), row["posted_at"])
        keys = sorted(unique)
        inserted = await self._insert_new(
            replies, REPLY, [{k: v for k, v in unique[key].items() if k != "posted_at"} for key in keys]
        )
        moved: dict[tuple[Any, ...], int] = defaultdict(int)
        for key in keys:
            if key in inserted:
                moved[tuple(unique[key][k] for k in PERSON)] += 1
        await self._people(repliers, "replies", moved, 1)

    async def _insert_new(self, table: Table, key: Sequence[str], rows: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
        """Insert each row whose key is absent; the keys of those inserted."""
        found: set[tuple[Any, ...]] = set()
        if not rows:
            return found
        # One compiled statement, its rows sent as multi-row VALUES by SQLAlchemy's "insertmanyvalues".
        stmt = insert_for(self._dialect, table).on_conflict_do_nothing(index_elements=list(key))
        result = await self._conn.execute(stmt.returning(*(table.c[k] for k in key)), rows)
        found |= {tuple(r) for r in result}
        return found

    async def _people(self, table: Table, column: str, moved: dict[tuple[Any, ...], int], slot: int) -> None:
        """Add each person's change to their count; 0 → n and n → 0 move the paper's count of people."""
        steps = sorted((person, step) for person, step in moved.items() if step)
        if not steps:
            return
        stmt = insert_for(self._dialect, table)
        upsert = stmt.on_conflict_do_update(
            index_elements=list(PERSON), set_={column: table.c[column] + stmt.excluded[column]}
        )
        rows = [dict(zip(PERSON, person, strict=True)) | {column: step} for person, step in steps]
        result = await self._conn.execute(upsert.returning(*(table.c[k] for k in PERSON), table.c[column]), rows)
        for r in result:
            person, now = tuple(r[:5]), int(r[5])
            before = now - moved[person]
            if before <= 0 < now:
                self._papers[person[:4]][slot] += 1
            elif now <= 0 < before:
                self._papers[person[:4]][slot] -= 1

    async def close(self) -> None:
        """The papers' counts of people, and when each was first posted, in one upsert."""
        rows = [
            dict(zip(PAPER, paper, strict=True)) | {"reactions": r, "replies": p, "posted_at": utc(at)}
            for paper, (r, p, at) in sorted(self._papers.items())
            if r or p
        ]
        if not rows:
            return
        stmt = insert_for(self._dialect, engagement)
        new = stmt.excluded
        upsert = stmt.on_conflict_do_update(
            index_elements=list(PAPER),
            set_={
                "reactions": engagement.c.reactions + new.reactions,
                "replies": engagement.c.replies + new.replies,
                "posted_at": case(
                    (new.posted_at < engagement.c.posted_at, new.posted_at), else_=engagement.c.posted_at
                ),
            },
        )
        await self._conn.execute(upsert, rows)


def _first(row: dict[str, Any]) -> dict[str, Any]:
    """The `votes` row a vote's first event makes."""
    first = {k: v for k, v in row.items() if k != "posted_at"}
    return first | {"put_on_at": VoteState.first(row["present"], row["event_at"]).put_on_at}


def rows_of(events: Iterable[Event]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of `votes` and of `replies` the events make (each with the paper's `posted_at`)."""
    vote_rows, reply_rows = [], []
    for event in events:
        posted = event.posted
        base = place(posted.channel, posted.arxiv_id) | {"user_id": event.user, "posted_at": posted.posted_at}
        if isinstance(event, Vote):
            changes = {"reaction": event.reaction, "present": event.present, "event_at": utc(event.at)}
            vote_rows.append(base | {"message": event.message} | changes)
        else:
            reply_rows.append(base | {"message": event.message, "replied_at": utc(event.at)})
    return vote_rows, reply_rows
