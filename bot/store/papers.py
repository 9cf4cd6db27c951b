"""The paper repository: upserts keyed by canonical id, listing days, and reads for every surface."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Column, Row, SmallInteger, Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import Integer

from bot.domain.models import Listing, Paper, merge
from bot.host.pools import by_size
from bot.sources.validation import http_url, utc
from bot.store.engine import as_utc
from bot.store.locks import hold
from bot.store.tables import fetched_days, listings, meta, papers
from bot.store.upsert import upsert

_CHUNK = 500
LISTING_TTL = 10.0  # seconds; another process's sync shows up at most this late
_COUNTS = ("upvotes", "num_comments", "github_stars")
_LINKS = ("github_repo", "project_page", "thumbnail")
_TEXTS = ("title", "abstract", "organization", "ai_summary")
_TEXT_TUPLES = ("authors", "ai_keywords")


def stamp(moment: datetime) -> int:
    """A paper's `updated_at` as whole microseconds since 0001-01-01 in UTC (a naive time, as SQLite
    gives it back, is UTC): the version of it an index holds (`bot/store/changes.py`). Exact, and five
    times cheaper than subtracting datetimes: a start right after an import of 1M papers stamps each."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    seconds = moment.toordinal() * 86400 + moment.hour * 3600 + moment.minute * 60 + moment.second
    return seconds * 1_000_000 + moment.microsecond


@dataclass(frozen=True)
class Versions:
    """Papers as the store holds them, each with the `stamp` of that version, read together; in the
    order they were asked for."""

    papers: dict[str, Paper]
    stamps: dict[str, int]

    def __len__(self) -> int:
        return len(self.papers)


def _int_range(column: Column[Any]) -> tuple[int, int] | None:
    """What an integer column holds on both backends, or None for another type.

    SQLite's INTEGER holds 64 bits whatever the declaration; PostgreSQL's SMALLINT holds 16, INTEGER
    32 and BIGINT 64, so the declared type rules. One value out of range fails the whole statement
    (OverflowError from sqlite3, "integer out of range" from PostgreSQL): values are clamped first.
    """
    kind = column.type
    if not isinstance(kind, Integer):
        return None
    bits = 64 if isinstance(kind, BigInteger) else 16 if isinstance(kind, SmallInteger) else 32
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _ranges(table: Table) -> dict[str, tuple[int, int]]:
    return {column.name: found for column in table.columns if (found := _int_range(column)) is not None}


_PAPER_RANGES = _ranges(papers)
_LISTING_RANGES = _ranges(listings)


def _clamp(value: int, name: str, ranges: dict[str, tuple[int, int]]) -> int:
    low, high = ranges[name]
    return min(max(value, low), high)


def fit(paper: Paper) -> Paper:
    """The paper as the store's columns can hold it, whatever source it came from.

    Counts are clamped to their INTEGER columns (and to 0 from below: they are counts); links that
    are not http(s) are dropped, so no card carries them; NUL characters, which PostgreSQL's text
    refuses, are removed; a time that overflows in UTC is dropped. Each would otherwise fail the
    whole batch, or every digest that shows the paper.
    """
    changes: dict[str, Any] = {}
    for name in _COUNTS:
        value = getattr(paper, name)
        if value is not None and value != (fitted := max(0, _clamp(value, name, _PAPER_RANGES))):
            changes[name] = fitted
    for name in _LINKS:
        value = getattr(paper, name)
        if value is not None and value != (link := http_url(value)):
            changes[name] = link
    for name in _TEXTS:
        value = getattr(paper, name)
        if value is not None and "\x00" in value:
            changes[name] = value.replace("\x00", "")
    for name in _TEXT_TUPLES:
        values = getattr(paper, name)
        if "\x00" in "".join(values):
            changes[name] = tuple(value.replace("\x00", "") for value in values)
    if paper.published_at is not None and (when := utc(paper.published_at)) != paper.published_at:
        changes["published_at"] = when
    return paper.model_copy(update=changes) if changes else paper


@dataclass(frozen=True)
class SaveCounts:
    listings: int = 0
    new_listings: int = 0
    new_papers: int = 0
    updated_papers: int = 0
    unlisted: tuple[str, ...] = ()  # papers a day Hugging Face was asked for again no longer lists

    def __add__(self, other: SaveCounts) -> SaveCounts:
        return SaveCounts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class StoreCounts:
    papers: int
    listings: int
    days: int
    first_day: date | None
    last_day: date | None


@dataclass(frozen=True)
class DayRecord:
    """What the store knows of one listing day: its listings, and when a sync last asked Hugging Face for it."""

    day: date
    listed: int  # papers the store holds for the day
    fetched_at: datetime | None  # None: no sync ever asked (the listings, if any, came from an import or the snapshot)

    @property
    def known(self) -> bool:
        """Whether the store can tell what Hugging Face listed that day: papers, or a fetch that found none."""
        return self.listed > 0 or self.fetched_at is not None

    @property
    def final(self) -> bool:
        """Whether the last fetch came after the day had ended everywhere, so an empty answer will stay empty."""
        return self.fetched_at is not None and self.fetched_at >= day_over_everywhere(self.day)


def day_over_everywhere(day: date) -> datetime:
    """When `day` has ended in every time zone (UTC-12 is the last): noon UTC the next day."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC) + timedelta(days=1)


class PaperStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self._listings: dict[date, tuple[float, list[Paper]]] = {}
        self._listing_lock = asyncio.Lock()

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    # -- writes ---------------------------------------------------------------------------

    async def save_listings(
        self, items: Sequence[Listing], *, fetched: Sequence[date] = (), whole: Sequence[date] = ()
    ) -> SaveCounts:
        """Store a batch of listings and their papers in one transaction (all or nothing).

        `fetched`: the days Hugging Face was just asked for (a sync), recorded with the listings, so a
        day it answered with nothing is known to be empty rather than missing. `whole`: those of them
        whose answer holds every paper Hugging Face lists that day: papers it lacks leave the day.
        """
        self._listings.clear()
        items = [item._replace(paper=fit(item.paper)) for item in items]
        now = datetime.now(UTC)
        async with self._engine.begin() as conn:
            await hold(conn, "papers")  # before the reads that count what is new (`bot.store.locks`)
            counts = await self._save_papers(conn, [(item.paper, item.day) for item in items], now)
            keys = [(item.day, item.paper.arxiv_id) for item in items]
            existing = await self._existing_listings(conn, keys)
            rows = {
                (item.day, item.paper.arxiv_id): {
                    "day": item.day,
                    "arxiv_id": item.paper.arxiv_id,
                    "rank": _clamp(item.rank, "rank", _LISTING_RANGES),
                    "upvotes": _clamp(item.paper.upvotes, "upvotes", _LISTING_RANGES),
                }
                for item in items
            }
            stmt = upsert(self._dialect, listings, ["day", "arxiv_id"], keep_greatest=("upvotes",))
            values = list(rows.values())
            for start in range(0, len(values), _CHUNK):
                await conn.execute(stmt, values[start : start + _CHUNK])
            unlisted = await self._unlist(conn, items, whole)
            await self._touch(conn, sorted({arxiv_id for _, arxiv_id in set(rows) - existing} | set(unlisted)), now)
            if fetched:
                await conn.execute(
                    upsert(self._dialect, fetched_days, ["day"]), [{"day": d, "fetched_at": now} for d in set(fetched)]
                )
        return counts + SaveCounts(listings=len(rows), new_listings=len(set(rows) - existing), unlisted=tuple(unlisted))

    async def _unlist(self, conn: AsyncConnection, items: Sequence[Listing], whole: Sequence[date]) -> list[str]:
        """A day Hugging Face just answered whole holds what it answered: the papers it no longer lists
        that day leave that day's listing (they stay in the store). An empty answer, which may be a
        hiccup of its own early in a day, takes nothing away. The ids that left."""
        gone: list[str] = []
        for day in sorted(set(whole)):
            answered = {item.paper.arxiv_id for item in items if item.day == day}
            if not answered:
                continue
            held = (await conn.execute(select(listings.c.arxiv_id).where(listings.c.day == day))).scalars()
            stale = sorted(set(held) - answered)
            for start in range(0, len(stale), _CHUNK):
                chunk = stale[start : start + _CHUNK]
                await conn.execute(delete(listings).where(listings.c.day == day, listings.c.arxiv_id.in_(chunk)))
            gone += stale
        return gone

    async def save_papers(self, items: Sequence[Paper]) -> SaveCounts:
        self._listings.clear()
        async with self._engine.begin() as conn:
            await hold(conn, "papers")  # before the reads that count what is new (`bot.store.locks`)
            return await self._save_papers(conn, [(paper, None) for paper in items], datetime.now(UTC))

    async def _touch(self, conn: AsyncConnection, ids: Sequence[str], now: datetime) -> None:
        """These papers gained a listing day: their `updated_at` moves to `now` (unless this transaction
        wrote them already), so whatever catches up with the store by that column (the search index:
        their day and `listed_on` changed) sees it, whichever process or command added the listing."""
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            await conn.execute(
                update(papers).where(papers.c.arxiv_id.in_(chunk), papers.c.updated_at < now).values(updated_at=now)
            )

    async def _save_papers(
        self, conn: AsyncConnection, items: Sequence[tuple[Paper, date | None]], now: datetime
    ) -> SaveCounts:
        """Merge papers into the store; `day` is the listing day each was seen on (None: just fetched)."""
        incoming: dict[str, tuple[Paper, date | None]] = {}
        for given, day in items:
            paper = fit(given)
            seen = incoming.get(paper.arxiv_id)
            if seen is None:
                incoming[paper.arxiv_id] = (paper, day)
            else:
                fresher = _is_fresher(day, seen[1])
                incoming[paper.arxiv_id] = (merge(seen[0], paper, fresher=fresher), day if fresher else seen[1])
        old = await self._load(conn, list(incoming), pooled=False)  # never wait for the pool holding the write lock
        rows: list[dict[str, Any]] = []
        new_papers = updated = 0
        for arxiv_id, (paper, day) in incoming.items():
            before = old.get(arxiv_id)
            fresher = before is None or _is_fresher(day, before.last_listed)
            merged = fit(merge(before, paper.model_copy(update={"listed_on": ()}), fresher=fresher))
            if before is None:
                new_papers += 1
            elif merged.model_copy(update={"listed_on": ()}) == before.model_copy(update={"listed_on": ()}):
                continue
            else:
                updated += 1
            rows.append(_to_row(merged, now))
        stmt = upsert(self._dialect, papers, ["arxiv_id"], keep_greatest=_COUNTS)
        for start in range(0, len(rows), _CHUNK):
            await conn.execute(stmt, rows[start : start + _CHUNK])
        return SaveCounts(new_papers=new_papers, updated_papers=updated)

    async def _existing_listings(self, conn: AsyncConnection, keys: list[tuple[date, str]]) -> set[tuple[date, str]]:
        found: set[tuple[date, str]] = set()
        for day in {d for d, _ in keys}:
            ids = [i for d, i in keys if d == day]
            for start in range(0, len(ids), _CHUNK):
                result = await conn.execute(
                    select(listings.c.arxiv_id).where(
                        listings.c.day == day, listings.c.arxiv_id.in_(ids[start : start + _CHUNK])
                    )
                )
                found.update((day, row.arxiv_id) for row in result)
        return found

    async def set_meta(self, key: str, value: str | None) -> None:
        """Set `key` to `value` (None: no value), in one statement: a delete, then an insert, run by two
        processes at once (two replicas loading the snapshot) failed on PostgreSQL with a duplicate key."""
        async with self._engine.begin() as conn:
            if value is None:
                await conn.execute(delete(meta).where(meta.c.key == key))
                return
            await conn.execute(upsert(self._engine.dialect.name, meta, ["key"]), {"key": key, "value": value})

    # -- reads ----------------------------------------------------------------------------

    async def get_meta(self, key: str) -> str | None:
        async with self._engine.connect() as conn:
            value: str | None = await conn.scalar(select(meta.c.value).where(meta.c.key == key))
            return value

    async def get(self, arxiv_id: str) -> Paper | None:
        return (await self.get_many([arxiv_id])).get(arxiv_id)

    async def get_many(self, ids: Sequence[str]) -> dict[str, Paper]:
        async with self._engine.connect() as conn:
            return await self._load(conn, list(ids))

    async def versions(self, ids: Sequence[str]) -> Versions:
        """These papers (those the store holds), with the stamp of the version read."""
        async with self._engine.connect() as conn:
            return await self._versions(conn, list(ids))

    async def all_papers(self) -> list[Paper]:
        async with self._engine.connect() as conn:
            days = await self._days_by_paper(conn, None)
            rows = (await conn.execute(select(papers))).all()
            return list((await by_size(len(rows), _papers, rows, days)).values())

    async def batches(self, size: int = 5000) -> AsyncIterator[Versions]:
        """Every paper, `size` at a time in id order (a store of millions is never held whole), with the
        stamp of each version read."""
        after = ""
        while True:
            async with self._engine.connect() as conn:
                result = await conn.execute(
                    select(papers.c.arxiv_id).where(papers.c.arxiv_id > after).order_by(papers.c.arxiv_id).limit(size)
                )
                ids = [row.arxiv_id for row in result]
                if not ids:
                    return
                batch = await self._versions(conn, ids)
            yield batch
            after = ids[-1]

    async def latest_day(self, on_or_before: date | None = None) -> date | None:
        query = select(func.max(listings.c.day))
        if on_or_before is not None:
            query = query.where(listings.c.day <= on_or_before)
        async with self._engine.connect() as conn:
            day: date | None = await conn.scalar(query)
            return day

    async def earliest_day(self) -> date | None:
        """The first day the store holds listings of."""
        async with self._engine.connect() as conn:
            day: date | None = await conn.scalar(select(func.min(listings.c.day)))
            return day

    async def day_record(self, day: date) -> DayRecord:
        async with self._engine.connect() as conn:
            listed = await conn.scalar(select(func.count()).select_from(listings).where(listings.c.day == day)) or 0
            fetched_at = await conn.scalar(select(fetched_days.c.fetched_at).where(fetched_days.c.day == day))
        return DayRecord(day, listed, as_utc(fetched_at))

    async def day_records(self, first: date, last: date) -> list[DayRecord]:
        """`day_record` of each day from `first` to `last` (both included), in two queries."""
        async with self._engine.connect() as conn:
            in_range = listings.c.day.between(first, last)
            counts = select(listings.c.day, func.count()).where(in_range).group_by(listings.c.day)
            listed: dict[date, int] = dict((await conn.execute(counts)).all())
            fetched = select(fetched_days.c.day, fetched_days.c.fetched_at).where(
                fetched_days.c.day.between(first, last)
            )
            asked: dict[date, datetime | None] = dict((await conn.execute(fetched)).all())
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [DayRecord(day, listed.get(day, 0), as_utc(asked.get(day))) for day in days]

    async def listing(self, day: date) -> list[Paper]:
        """The papers listed on `day`, as Hugging Face ranks them: most upvotes first.

        Remembered for a few seconds: a sweep asks for the same day once per channel, hundreds of times.
        """
        cached = self._listings.get(day)
        if cached is not None and time.monotonic() - cached[0] < LISTING_TTL:
            return list(cached[1])
        async with self._listing_lock:
            cached = self._listings.get(day)
            if cached is not None and time.monotonic() - cached[0] < LISTING_TTL:
                return list(cached[1])
            found = await self._listing(day)
            self._listings[day] = (time.monotonic(), found)
            return list(found)

    async def most_upvoted(self, first: date, last: date, limit: int) -> tuple[list[Paper], int]:
        """The `limit` most upvoted of the papers listed from `first` to `last` (both included), ties by
        id, and how many were listed: one query, not one a day (`top this year` read 365 listings)."""
        listed = select(listings.c.arxiv_id).where(listings.c.day.between(first, last)).distinct().subquery()
        best = (
            select(papers.c.arxiv_id)
            .where(papers.c.arxiv_id.in_(select(listed.c.arxiv_id)))
            .order_by(papers.c.upvotes.desc(), papers.c.arxiv_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            count = await conn.scalar(select(func.count()).select_from(listed)) or 0
            ids = list((await conn.execute(best)).scalars())
            loaded = await self._load(conn, ids)
        return [loaded[i] for i in ids if i in loaded], count

    async def linking(self, urls: Sequence[str], limit: int = 50) -> list[Paper]:
        """The papers whose code is at one of `urls` (lower-cased: how a repository's URL may be written),
        most upvoted first: a pasted repository's papers."""
        found = (
            select(papers.c.arxiv_id)
            .where(func.lower(papers.c.github_repo).in_(list(urls)))
            .order_by(papers.c.upvotes.desc(), papers.c.arxiv_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            ids = list((await conn.execute(found)).scalars())
            loaded = await self._load(conn, ids)
        return [loaded[i] for i in ids if i in loaded]

    async def _listing(self, day: date) -> list[Paper]:
        async with self._engine.connect() as conn:
            result = await conn.execute(
                select(listings.c.arxiv_id).where(listings.c.day == day).order_by(listings.c.rank)
            )
            ids = [row.arxiv_id for row in result]
            loaded = await self._load(conn, ids)
        order = {arxiv_id: i for i, arxiv_id in enumerate(ids)}
        return sorted(loaded.values(), key=lambda p: (-p.upvotes, order[p.arxiv_id]))

    async def counts(self) -> StoreCounts:
        async with self._engine.connect() as conn:
            n_papers = await conn.scalar(select(func.count()).select_from(papers)) or 0
            row = (
                await conn.execute(
                    select(
                        func.count(),
                        func.count(func.distinct(listings.c.day)),
                        func.min(listings.c.day),
                        func.max(listings.c.day),
                    )
                )
            ).one()
        return StoreCounts(n_papers, row[0], row[1], row[2], row[3])

    async def _versions(self, conn: AsyncConnection, ids: list[str]) -> Versions:
        stamps: dict[str, int] = {}
        found = await self._load(conn, ids, stamps=stamps)
        return Versions({i: found[i] for i in ids if i in found}, stamps)

    async def _load(
        self, conn: AsyncConnection, ids: list[str], *, pooled: bool = True, stamps: dict[str, int] | None = None
    ) -> dict[str, Paper]:
        """These papers, by id (and each one's version `stamp` into `stamps`). Many rows are made into
        papers in the CPU pool (`by_size`) unless not `pooled`: inside a write transaction, which must
        not wait behind a burst of searches there. A paper's row is read before its listing days: a
        day added in between (PostgreSQL reads each statement afresh) comes with a later stamp than
        the one kept, so the paper is read again at the next catch-up, never left with its old days."""
        found: dict[str, Paper] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = (await conn.execute(select(papers).where(papers.c.arxiv_id.in_(chunk)))).all()
            days = await self._days_by_paper(conn, chunk)
            if stamps is not None:
                stamps.update((row.arxiv_id, stamp(row.updated_at)) for row in rows)
            found.update(await by_size(len(rows), _papers, rows, days) if pooled else _papers(rows, days))
        return found

    async def _days_by_paper(self, conn: AsyncConnection, ids: list[str] | None) -> dict[str, tuple[date, ...]]:
        query = select(listings.c.arxiv_id, listings.c.day).order_by(listings.c.day)
        if ids is not None:
            query = query.where(listings.c.arxiv_id.in_(ids))
        grouped: defaultdict[str, list[date]] = defaultdict(list)
        for row in await conn.execute(query):
            grouped[row.arxiv_id].append(row.day)
        return {k: tuple(v) for k, v in grouped.items()}


def _is_fresher(day: date | None, than: date | None) -> bool:
    """A fetch with no listing day is news; a listing is fresher than an older or equal one."""
    return day is None or than is None or day >= than


def _to_row(paper: Paper, now: datetime) -> dict[str, Any]:
    row = paper.model_dump(exclude={"listed_on"})
    row["authors"] = list(paper.authors)
    row["ai_keywords"] = list(paper.ai_keywords)
    row["published_at"] = paper.published_at.astimezone(UTC) if paper.published_at else None
    row["updated_at"] = now
    return row


def _papers(rows: Sequence[Row[Any]], days: dict[str, tuple[date, ...]]) -> dict[str, Paper]:
    """Rows as papers, by id (CPU work: many are made in the CPU pool, `by_size`)."""
    return {row.arxiv_id: _from_row(row, days.get(row.arxiv_id, ())) for row in rows}


def _from_row(row: Row[Any], days: Iterable[date]) -> Paper:
    return Paper(
        arxiv_id=row.arxiv_id,
        title=row.title,
        abstract=row.abstract,
        authors=tuple(row.authors or ()),
        published_at=as_utc(row.published_at),
        listed_on=tuple(days),
        upvotes=row.upvotes,
        num_comments=row.num_comments,
        organization=row.organization,
        github_repo=row.github_repo,
        github_stars=row.github_stars,
        project_page=row.project_page,
        ai_summary=row.ai_summary,
        ai_keywords=tuple(row.ai_keywords or ()),
        thumbnail=row.thumbnail,
    )
