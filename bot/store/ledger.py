"""The delivery ledger: which digest each channel has had, which papers it was sent, and their threads.

A digest (one row per platform, channel and listing day) is claimed before anything is posted: the
row is inserted only if absent, so exactly one process wins it. The winner holds it by a lock that
dies with the process (bot/store/claims.py) and by a lease, renewed as it posts; if it dies, another
process (or itself, restarted) takes the digest over at once, or, where the lock can't be seen,
once the lease has run out. A live owner whose lock can be seen keeps the digest however long one
post takes. Every message is written down as an *intent* before it is posted and
as *sent* (its id) right after, so a takeover knows which posts may already be out and must be
looked for (or made again under the same key) instead of posted twice.

A sweep asks about hundreds of digests at once, so the ledger answers in sets: `statuses` and
`claim_many` take every due digest in one query and one transaction, and the writes made around
each channel's posts (`begin_papers`, `card_sent`, `seed_sent`, `finish`) are group-committed: those
asked for while one transaction runs share the next one, and each returns only once its own rows
are committed.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, FromClause, Row, Select, Table, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.channels import ChannelRef
from bot.domain.publishing import MessageRef
from bot.store.claims import LEASE, Claimant, Holder, HoldKey
from bot.store.engine import as_utc
from bot.store.progress import Progress, Shows
from bot.store.tables import digest_papers, digests, paper_messages, threads
from bot.store.upsert import changed, insert_for

log = logging.getLogger("paperboy.ledger")
# A live owner that has not renewed its lease for this long has stopped moving: one post (Slack's
# Retry-After waited out three times, discord.py's rate limits) takes a few minutes at the most.
STUCK = timedelta(minutes=15)


def _stuck(channel: ChannelRef, day: date, owner: str, lease_until: datetime) -> None:
    """Said at each sweep while it lasts: a process alive but not moving keeps its digest (taking it over
    could post its card under way twice), and only its operator can end that."""
    log.warning(
        "the digest of %s for %s is held by %s, alive but silent since %s: if that process is hung, "
        "stop it, and its digests are taken over at once",
        channel,
        day,
        owner,
        f"{lease_until:%Y-%m-%d %H:%M} UTC",
    )


ClaimState = Literal["new", "resume", "busy", "done", "stopped", "skipped"]
Key = tuple[ChannelRef, date]  # one digest: a channel's, for a listing day
CHUNK = 500  # channels in one `IN (…)`: well under SQLite's and PostgreSQL's limits on parameters


@dataclass(frozen=True)
class SentPaper:
    arxiv_id: str
    position: int
    intent_at: datetime
    root: MessageRef | None  # None: posting was begun but not confirmed
    seeded: bool


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    header: str | None = None  # the header's message id; "" where the channel has none (a forum)
    header_intent_at: datetime | None = None
    sent: dict[str, SentPaper] = field(default_factory=dict)
    papers: int = 0
    holder: Holder | None = None  # who is delivering it, when busy
    error: str | None = None  # why it stopped, failed or was skipped, as recorded

    @property
    def ours(self) -> bool:
        return self.state in ("new", "resume")


class Ledger(Claimant):
    def __init__(self, engine: AsyncEngine, owner: str | None = None, lease: timedelta = LEASE) -> None:
        super().__init__(engine, owner, lease)
        self._progress = Progress(engine, self.owner)

    def _digest(self, channel: ChannelRef, day: date, table: Table = digests) -> ColumnElement[bool]:
        """The rows of one digest: in `digests`, or its papers in `digest_papers` (the same key)."""
        return and_(
            table.c.platform == channel.platform,
            table.c.workspace == channel.workspace,
            table.c.channel == channel.channel,
            table.c.day == day,
        )

    def _row(self, channel: ChannelRef, day: date, now: datetime, **values: object) -> dict[str, object]:
        """A digest's first row: claimed, or skipped, by this process."""
        new = {"platform": channel.platform, "channel": channel.channel, "day": day, "workspace": channel.workspace}
        return new | {"owner": self.owner, "papers": 0, "claimed_at": now} | values

    async def _insert_new(
        self, conn: AsyncConnection, rows: list[dict[str, object]]
    ) -> set[tuple[str, str, str, date]]:
        """Insert each digest row only if the digest is absent; the keys (`_order`) of those inserted."""
        stmt = (
            insert_for(self._dialect, digests)
            .on_conflict_do_nothing(index_elements=["platform", "workspace", "channel", "day"])
            .returning(digests.c.platform, digests.c.workspace, digests.c.channel, digests.c.day)
        )
        return {_order((ChannelRef(r.platform, r.channel, r.workspace), r.day)) for r in await conn.execute(stmt, rows)}

    async def claim(self, channel: ChannelRef, day: date, now: datetime, *, retry_stopped: bool = False) -> Claim:
        """Take the (channel, day) digest: new, ours to resume, busy elsewhere, or finished one way or another.

        A `stopped` digest (the channel refused the bot) is taken again only when asked (`paperboy post`).
        """
        return (await self.claim_many([(channel, day)], now, retry_stopped=retry_stopped))[(channel, day)]

    async def claim_many(
        self, keys: Collection[Key], now: datetime, *, retry_stopped: bool = False
    ) -> dict[Key, Claim]:
        """`claim` for many digests in one transaction: each is inserted only if absent, so one process wins it.

        Each digest won ("new" or "resume") is held by this process until `release`. One claimed by
        another is taken over when that owner's hold is gone (it died), when its lease has run out and
        its hold can't be seen (another host, an older paperboy), or at once when it was given up
        (`failed`); otherwise it is "busy", with its holder. One this
        process is delivering already is busy too.

        Rows are written and locked in one order (platform, channel, day) in every process, so two
        replicas claiming overlapping sets wait for each other instead of deadlocking. Each digest may
        be named once: two claims won for one digest would post it twice.
        """
        ordered = sorted(keys, key=_order)
        if len({_order(k) for k in ordered}) < len(ordered):
            raise ValueError("a digest (platform, channel and day) was named twice in one claim")
        if not ordered:
            return {}
        # Held before the rows name us, so no other process ever sees us as owner without our lock.
        held = await self._holds.take([_hold(k) for k in ordered])
        claims: dict[Key, Claim] = {}
        try:
            async with self._engine.begin() as conn:
                await self._claim(conn, ordered, held, now, retry_stopped, claims)
        except BaseException:
            await self._holds.free(held)
            raise
        # a digest this process delivers already is busy, and its hold (not taken now) the delivery's own
        await self._holds.free({_hold(k) for k, c in claims.items() if not c.ours} & held)
        return claims

    async def _claim(
        self,
        conn: AsyncConnection,
        ordered: list[Key],
        held: set[HoldKey],
        now: datetime,
        retry_stopped: bool,
        claims: dict[Key, Claim],
    ) -> None:
        # The header is the first thing a new digest posts: its intent is the claim.
        rows = [
            self._row(channel, day, now, status="claimed", lease_until=now + self.lease, header_intent_at=now)
            for channel, day in ordered
            if _hold((channel, day)) in held
        ]
        new = await self._insert_new(conn, rows) if rows else set()
        rest = []
        for channel, day in ordered:
            if _order((channel, day)) in new:
                claims[(channel, day)] = Claim("new", header_intent_at=now)
            else:
                rest.append((channel, day))
        takeable = ("claimed", "failed", "stopped") if retry_stopped else ("claimed", "failed")
        for (platform, workspace, day), chunk in _chunks(rest):
            where = (
                digests.c.platform == platform,
                digests.c.workspace == workspace,
                digests.c.day == day,
                digests.c.channel.in_(list(chunk)),
            )
            existing = await conn.execute(select(digests).where(*where).order_by(digests.c.channel).with_for_update())
            found = {r.channel: r for r in existing}
            take, probe = set(), {}
            for name, row in found.items():
                hold = _hold((chunk[name], day))
                if hold not in held or not (row.status in takeable or (retry_stopped and _never_begun(row))):
                    continue
                if row.status != "claimed" or row.owner == self.owner or self._lapsed(row.owner, row.lease_until, now):
                    take.add(name)
                else:
                    probe[hold] = row.owner
            vacant = await self._holds.vacant(conn, probe)
            take |= {name for name, channel in chunk.items() if _hold((channel, day)) in vacant}  # holders died
            if take:
                await conn.execute(
                    update(digests)
                    .where(*where[:3], digests.c.channel.in_(sorted(take)))
                    .values(
                        owner=self.owner, lease_until=now + self.lease, status="claimed", error=None, claimed_at=now
                    )
                )
            # one recorded as missed begins now, as a new claim does: its header's intent written with the claim
            # (without it, a header posted by a process that died before recording it was posted again)
            begun = sorted(name for name in take if _never_begun(found[name]))
            if begun:
                await conn.execute(
                    update(digests).where(*where[:3], digests.c.channel.in_(begun)).values(header_intent_at=now)
                )
            for name, channel in chunk.items():
                if name not in found:  # held by another Ledger of our own name, and not yet written
                    claims[(channel, day)] = Claim("busy")
                    continue
                mine = found[name]
                if name in take:
                    sent = await self._sent(conn, channel, day)
                    intent_at = now if name in begun else as_utc(mine.header_intent_at)
                    claims[(channel, day)] = Claim("resume", mine.header_ref, intent_at, sent, mine.papers)
                    continue
                state: ClaimState = "busy" if mine.status == "claimed" else mine.status
                holder = Holder(mine.owner, as_utc(mine.claimed_at)) if state == "busy" else None
                if state == "busy" and as_utc(mine.lease_until) < now - STUCK:
                    _stuck(channel, day, mine.owner, as_utc(mine.lease_until))
                claims[(channel, day)] = Claim(
                    state,
                    mine.header_ref,
                    as_utc(mine.header_intent_at),
                    papers=mine.papers,
                    holder=holder,
                    error=mine.error,
                )

    def _lapsed(self, owner: str, lease_until: datetime, now: datetime) -> bool:
        """Whether another owner's claim is ended by its lease: only one whose lock can't be probed. One
        whose lock can be is its owner's for as long as the lock is held (a post may outlast the lease),
        and taken over at once when it is not."""
        return as_utc(lease_until) < now and not self._holds.sees(owner)

    async def release(self, keys: Collection[Key]) -> None:
        """This process no longer delivers these digests: let their holds go (after their last write)."""
        await self._holds.free([_hold(k) for k in keys])

    async def holding(self, channel: ChannelRef, day: date) -> bool:
        """Whether this process still holds the digest (False if its lock may have been lost: stop posting)."""
        return await self._holds.holding(_hold((channel, day)))

    async def _sent(self, conn: AsyncConnection, channel: ChannelRef, day: date) -> dict[str, SentPaper]:
        rows = await conn.execute(select(digest_papers).where(self._digest(channel, day, digest_papers)))
        found: dict[str, SentPaper] = {}
        for r in rows:
            root = MessageRef(channel.channel, r.message_ref, r.thread_ref) if r.message_ref else None
            found[r.arxiv_id] = SentPaper(r.arxiv_id, r.position, as_utc(r.intent_at), root, r.seeded_at is not None)
        return found

    async def renew(self, channel: ChannelRef, day: date, now: datetime) -> bool:
        """Extend our lease; False when another process has taken the digest over."""
        async with self._engine.begin() as conn:
            return await changed(
                conn,
                update(digests)
                .where(self._digest(channel, day), digests.c.owner == self.owner, digests.c.status == "claimed")
                .values(lease_until=now + self.lease),
            )

    async def set_header(self, channel: ChannelRef, day: date, ref: MessageRef | None) -> None:
        await self._set(channel, day, header_ref=ref.message if ref else "")

    async def begin_papers(
        self,
        channel: ChannelRef,
        day: date,
        papers: list[tuple[int, str]],
        now: datetime,
        header: MessageRef | None = None,
        shows: Mapping[str, Shows] | None = None,
    ) -> None:
        """About to post these (position, paper) cards: after a crash, each is looked for before it is posted
        again. Records the header just posted, if any, in the same transaction, and what each card shows
        (`shows`, by paper: its upvotes and code repository), which a living thread follows a card from
        when the process that posted it died before following it. Returns once committed (with whatever
        other channels began at the same time: one transaction for all of them)."""
        await self._progress.begin((channel, day, papers, now, header, dict(shows or {})))

    async def card_sent(self, channel: ChannelRef, day: date, arxiv_id: str, root: MessageRef, now: datetime) -> None:
        """A card is out: its message (the thread's root) is written down right after the post, so a
        takeover knows it for sure and looks for nothing. Shares a transaction with whatever other
        channels' posts are recorded at the same time (group commit); returns once committed."""
        await self._progress.posted((channel, day, arxiv_id, now, root, None))

    async def seed_sent(
        self, channel: ChannelRef, day: date, arxiv_id: str, now: datetime, seed: MessageRef | None = None
    ) -> None:
        """A card's thread seed is out (recorded as `card_sent` is); `seed`, its message, is
        remembered as one of the paper's in the same transaction, so that reactions on it count as votes."""
        await self._progress.posted((channel, day, arxiv_id, now, None, seed))

    async def record_message(self, channel: ChannelRef, ref: MessageRef, arxiv_id: str, now: datetime) -> None:
        """A message the bot posted for a paper besides its card (a thread seed): reactions on it are votes."""
        stmt = insert_for(self._dialect, paper_messages).on_conflict_do_nothing(
            index_elements=["platform", "channel", "message"]
        )
        row = {
            "platform": channel.platform,
            "channel": ref.channel,
            "message": ref.message,
            "workspace": channel.workspace,
            "arxiv_id": arxiv_id,
            "posted_at": now,
        }
        async with self._engine.begin() as conn:
            await conn.execute(stmt, row)

    async def workspaces_of(self, platform: str, channel: str, day: date | None = None) -> set[str]:
        """The workspaces a channel id's digests (of `day`, or of any day) were recorded under ("": none named)."""
        query = select(digests.c.workspace).where(digests.c.platform == platform, digests.c.channel == channel)
        query = query.where(digests.c.day == day) if day is not None else query
        async with self._engine.connect() as conn:
            return {str(workspace or "") for (workspace,) in (await conn.execute(query.distinct())).all()}

    async def finish(self, channel: ChannelRef, day: date, papers: int, now: datetime) -> None:
        """The digest is complete (each of its posts recorded as it went out): done.

        Digests finished at the same time share the transaction (group commit); each call returns
        once its own digest is recorded.
        """
        await self._progress.finish((channel, day, papers, now))

    async def drop_unposted(self, channel: ChannelRef, day: date) -> None:
        """Forget the intents of the digest's cards never posted (its subscription ended midway): those
        papers were not sent, and may come on a later day."""
        async with self._engine.begin() as conn:
            await self._drop_unposted(conn, channel, day)

    async def _drop_unposted(self, conn: AsyncConnection, channel: ChannelRef, day: date) -> None:
        unposted = digest_papers.c.message_ref.is_(None)
        await conn.execute(delete(digest_papers).where(self._digest(channel, day, digest_papers), unposted))

    async def fail(self, channel: ChannelRef, day: date, error: str, now: datetime, *, stopped: bool = False) -> None:
        """Give the digest up: `failed` may be retried at once by anyone; `stopped` is final. Only while it is
        ours: a process whose claim was taken over (its hold lost mid-post) gives up nothing, or another
        process could claim the digest the taker is posting, and post its cards again."""
        status = "stopped" if stopped else "failed"
        await self._set(channel, day, digests.c.owner == self.owner, status=status, error=error, finished_at=now)

    async def skip(self, channel: ChannelRef, day: date, reason: str, now: datetime) -> bool:
        """Record a digest that will not be delivered (missed while down, nothing listed); once."""
        return bool(await self.skip_many({(channel, day): reason}, now))

    async def skip_many(self, reasons: Mapping[Key, str], now: datetime) -> set[Key]:
        """`skip` for many digests in one transaction; returns those recorded now (not already in the ledger)."""
        ordered = sorted(reasons, key=_order)  # one lock order in every process
        if not ordered:
            return set()
        rows = [
            self._row(
                channel, day, now, status="skipped", lease_until=now, error=reasons[(channel, day)], finished_at=now
            )
            for channel, day in ordered
        ]
        async with self._engine.begin() as conn:
            new = await self._insert_new(conn, rows)
        return {(channel, day) for channel, day in ordered if _order((channel, day)) in new}

    async def give_up(self, channel: ChannelRef, day: date, now: datetime) -> bool:
        """A digest that kept failing past its window, or whose process died (its hold gone, or its lease
        run out) by then: record it as skipped, so nothing retries it forever (nor posts it a day late). The
        intents of the cards it never posted go with it: those papers were not sent, and may come on
        a later day."""
        async with self._engine.begin() as conn:
            row = (
                await conn.execute(
                    select(digests.c.status, digests.c.owner, digests.c.lease_until)
                    .where(self._digest(channel, day))
                    .with_for_update()
                )
            ).first()
            if row is None or not await self._abandoned(
                conn, (channel, day), row.status, row.owner, row.lease_until, now
            ):
                return False
            # As read: on SQLite the read takes no lock (FOR UPDATE is PostgreSQL's), and another
            # process may have taken the digest over since; then it is theirs, not given up.
            unchanged = (
                digests.c.status == row.status,
                digests.c.owner == row.owner,
                digests.c.lease_until == row.lease_until,
            )
            given = await conn.execute(
                update(digests).where(self._digest(channel, day), *unchanged).values(status="skipped", finished_at=now)
            )
            if given.rowcount == 0:
                return False
            await self._drop_unposted(conn, channel, day)
            return True

    async def _abandoned(
        self, conn: AsyncConnection, key: Key, status: str, owner: str, lease_until: datetime, now: datetime
    ) -> bool:
        """Whether nobody delivers a digest any more: it failed, or its claimer's hold is gone (the process
        died: known at once, as a claim knows it), or its lease ran out where its hold can't be seen. Ours
        is abandoned once its lease ran out and this process no longer delivers it."""
        if status == "failed":
            return True
        if status != "claimed":
            return False
        if owner == self.owner:
            return as_utc(lease_until) < now and not await self._holds.holding(_hold(key))
        if self._lapsed(owner, lease_until, now):
            return True
        return _hold(key) in await self._holds.vacant(conn, {_hold(key): owner})

    async def status(self, channel: ChannelRef, day: date) -> str | None:
        async with self._engine.connect() as conn:
            found: str | None = await conn.scalar(select(digests.c.status).where(self._digest(channel, day)))
            return found

    async def shown(self, channel: ChannelRef, day: date) -> bool:
        """Whether any of the digest is in the channel: its header, or one of its cards (a forum has no header)."""
        async with self._engine.connect() as conn:
            if await conn.scalar(select(digests.c.header_ref).where(self._digest(channel, day))):
                return True
            posted = self._digest(channel, day, digest_papers), digest_papers.c.message_ref.is_not(None)
            return await conn.scalar(select(digest_papers.c.arxiv_id).where(*posted).limit(1)) is not None

    async def begun_at(self, channel: ChannelRef, day: date) -> datetime | None:
        """When the digest was first claimed (a takeover keeps it), or None for one never begun."""
        async with self._engine.connect() as conn:
            found = await conn.scalar(select(digests.c.header_intent_at).where(self._digest(channel, day)))
        return as_utc(found) if found is not None else None

    async def failed_at(self, channel: ChannelRef, day: date) -> datetime | None:
        """When a digest that last failed failed; None for one that did not."""
        async with self._engine.connect() as conn:
            found = await conn.scalar(
                select(digests.c.finished_at).where(self._digest(channel, day), digests.c.status == "failed")
            )
        return as_utc(found) if found is not None else None

    async def statuses(self, keys: Collection[Key]) -> dict[Key, str]:
        """Each digest's status, as `status` would give it; a digest never claimed nor skipped is left out."""
        found: dict[Key, str] = {}
        async with self._engine.connect() as conn:
            for (platform, workspace, day), chunk in _chunks(sorted(set(keys), key=_order)):
                rows = await conn.execute(
                    select(digests.c.channel, digests.c.status).where(
                        digests.c.platform == platform,
                        digests.c.workspace == workspace,
                        digests.c.day == day,
                        digests.c.channel.in_(list(chunk)),
                    )
                )
                for r in rows:
                    found[(chunk[r.channel], day)] = r.status
        return found

    async def _set(self, channel: ChannelRef, day: date, *where: ColumnElement[bool], **values: object) -> None:
        """Write `values` into the digest's row (where `where` holds as well)."""
        async with self._engine.begin() as conn:
            await conn.execute(update(digests).where(self._digest(channel, day), *where).values(**values))

    async def sent_before(self, channel: ChannelRef, ids: Collection[str], day: date) -> set[str]:
        """Which of `ids` reached this channel in a digest for another day (once per paper per channel)."""
        return (await self.sent_before_many({(channel, day): ids}))[(channel, day)]

    async def sent_before_many(self, wanted: Mapping[Key, Collection[str]]) -> dict[Key, set[str]]:
        """`sent_before` for many digests at once: which of its ids each channel was sent on another day."""
        found: dict[Key, set[str]] = {key: set() for key in wanted}
        async with self._engine.connect() as conn:
            for (platform, workspace, day), chunk in _chunks(
                sorted((k for k, ids in wanted.items() if ids), key=_order)
            ):
                ids = sorted({i for channel in chunk.values() for i in wanted[(channel, day)]})
                rows = await conn.execute(
                    select(digest_papers.c.channel, digest_papers.c.arxiv_id).where(
                        digest_papers.c.platform == platform,
                        digest_papers.c.workspace == workspace,
                        digest_papers.c.channel.in_(list(chunk)),
                        digest_papers.c.day != day,
                        digest_papers.c.arxiv_id.in_(ids),
                    )
                )
                for r in rows:
                    key = (chunk[r.channel], day)
                    if r.arxiv_id in wanted[key]:
                        found[key].add(r.arxiv_id)
        return found

    async def record_thread(
        self, platform: str, root: MessageRef, arxiv_id: str, origin: str, now: datetime, *, workspace: str = ""
    ) -> None:
        """The thread a card started is about its paper. A card that started none (posted inside a thread,
        a direct message: its thread is its channel) claims nothing: that channel is not the paper's."""
        if root.thread == root.channel:
            return
        stmt = insert_for(self._dialect, threads).on_conflict_do_nothing(
            index_elements=["platform", "workspace", "channel", "thread_ref"]
        )
        row = {
            "platform": platform,
            "workspace": workspace,
            "channel": root.channel,
            "thread_ref": root.thread,
            "arxiv_id": arxiv_id,
            "origin": origin,
            "created_at": now,
        }
        async with self._engine.begin() as conn:
            await conn.execute(stmt, row)

    async def shared_since(self, where: ChannelRef, arxiv_id: str, since: datetime) -> datetime | None:
        """When a Share last posted this paper's card in `where`, if it did after `since`."""
        query = select(func.max(threads.c.created_at)).where(
            threads.c.platform == where.platform,
            threads.c.workspace == where.workspace,
            threads.c.channel == where.channel,
            threads.c.arxiv_id == arxiv_id,
            threads.c.origin == "share",
            threads.c.created_at >= since,
        )
        async with self._engine.connect() as conn:
            return as_utc(await conn.scalar(query))

    async def newest_threads(self, where: ChannelRef, arxiv_ids: Collection[str]) -> dict[str, str]:
        """Each paper's newest thread in `where` (its card's), by arXiv id: where its discussion goes on."""
        query = (
            select(threads.c.arxiv_id, threads.c.thread_ref)
            .where(
                threads.c.platform == where.platform,
                threads.c.workspace == where.workspace,
                threads.c.channel == where.channel,
                threads.c.arxiv_id.in_(list(arxiv_ids)),
            )
            .order_by(threads.c.created_at, threads.c.thread_ref)
        )
        async with self._engine.connect() as conn:
            return {str(arxiv_id): str(ref) for arxiv_id, ref in await conn.execute(query)}  # the newest last

    async def has_thread(self, platform: str, channel: str, message: str) -> bool:
        """Whether the bot started a thread from this message of the channel (a card that does not stand alone)."""
        async with self._engine.connect() as conn:
            return await conn.scalar(_started_thread(platform, message, channel).limit(1)) is not None

    async def thread_paper(
        self, platform: str, channel: str | None, thread: str, *, workspace: str | None = None
    ) -> str | None:
        """The paper whose discussion thread this is, if the bot started it, or if it is under a link card
        (a person's message whose links paperboy unfurled: Slack, where a thread is its root's ts), or the
        paper of the card `thread` names (a card in a Discord direct message, which has no threads: a
        question replies to the card).

        `channel` may be unknown (None) where thread ids are unique on their own, as on Discord;
        `workspace` narrows it to one workspace's threads where known.
        """
        query = _started_thread(platform, thread, channel)
        under_card = select(paper_messages.c.arxiv_id).where(
            paper_messages.c.platform == platform, paper_messages.c.message == thread
        )
        if channel is not None:
            under_card = under_card.where(paper_messages.c.channel == channel)
        if workspace is not None:
            query = query.where(threads.c.workspace == workspace)
            under_card = under_card.where(paper_messages.c.workspace == workspace)
        async with self._engine.connect() as conn:
            found: str | None = await conn.scalar(query.limit(1))
            if found is None:  # a link card's thread (Slack), or a card in a direct message replied to (Discord)
                found = await conn.scalar(under_card.limit(1))
            return found


def _started_thread(platform: str, thread: str, channel: str | None) -> Select[tuple[str]]:
    """The paper of a thread the bot started (in `channel`, when known): not a card standing alone,
    recorded with the channel as its thread."""
    query = select(threads.c.arxiv_id).where(
        threads.c.platform == platform, threads.c.thread_ref == thread, threads.c.thread_ref != threads.c.channel
    )
    return query if channel is None else query.where(threads.c.channel == channel)


async def follow_channel(conn: AsyncConnection, channel: ChannelRef, old: ChannelRef) -> set[date]:
    """Move the ledger's record of what a channel got, kept under another key (`old`), to `channel`'s key:
    its digests and the papers they sent. A subscription that changes key is still the same reader: a
    config file's entry, naming no workspace, taking over a chat subscription made under the workspace's
    id (or the reverse), or a person's follow moved to a new direct message (Discord reopens them). A day
    it has had, and a paper it was sent, are not new under the other key. A day (or paper) recorded
    under both keys stays where it is. Returns the days moved; run in the transaction that moves the
    subscription."""

    def of(table: FromClause, ref: ChannelRef) -> ColumnElement[bool]:
        return and_(
            table.c.platform == ref.platform, table.c.workspace == ref.workspace, table.c.channel == ref.channel
        )

    there = set((await conn.execute(select(digests.c.day).where(of(digests, channel)))).scalars())
    days = set((await conn.execute(select(digests.c.day).where(of(digests, old)))).scalars()) - there
    if not days:
        return set()
    kept = digest_papers.alias("kept")  # a paper the channel was sent under its new key already stays put
    sent_there = select(kept.c.arxiv_id).where(of(kept, channel), kept.c.arxiv_id == digest_papers.c.arxiv_id).exists()
    for chunk in _batches(sorted(days)):
        await conn.execute(
            update(digests)
            .where(of(digests, old), digests.c.day.in_(chunk))
            .values(workspace=channel.workspace, channel=channel.channel)
        )
        await conn.execute(
            update(digest_papers)
            .where(of(digest_papers, old), digest_papers.c.day.in_(chunk), ~sent_there)
            .values(workspace=channel.workspace, channel=channel.channel)
        )
    return days


def _batches(days: list[date]) -> Iterator[list[date]]:
    for start in range(0, len(days), CHUNK):
        yield days[start : start + CHUNK]


def _order(key: Key) -> tuple[str, str, str, date]:
    """The order rows are locked in, in every process (bot/store/progress.py uses it too)."""
    channel, day = key
    return channel.platform, channel.workspace, channel.channel, day


def _hold(key: Key) -> HoldKey:
    """A digest's hold: the channel id qualified by its workspace, when it has one (so the hold of a
    digest with no workspace is what it was before workspaces were part of its key)."""
    channel, day = key
    return channel.platform, f"{channel.workspace}/{channel.channel}" if channel.workspace else channel.channel, day


def _chunks(keys: Iterable[Key]) -> Iterator[tuple[tuple[str, str, date], dict[str, ChannelRef]]]:
    """Digests by platform, workspace and day, at most CHUNK channels at a time (by channel id): one `IN (…)` each."""
    groups: dict[tuple[str, str, date], dict[str, ChannelRef]] = {}
    for channel, day in keys:
        groups.setdefault((channel.platform, channel.workspace, day), {})[channel.channel] = channel
    for group, channels in groups.items():
        names = list(channels)
        for start in range(0, len(names), CHUNK):
            yield group, {name: channels[name] for name in names[start : start + CHUNK]}


def _never_begun(row: Row[Any]) -> bool:
    """A digest recorded as skipped before any of it was begun (missed while the host was down, or its
    day never listed): nothing of it is in the channel, so `paperboy post` may deliver it. One given up
    after its header was begun stays refused: part of it may be there."""
    return bool(row.status == "skipped" and row.header_intent_at is None and row.header_ref is None)
