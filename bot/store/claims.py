"""Holds: a digest's claim bound to the life of the process delivering it, so a crash frees it at once.

A claim row names its owner and a lease. While it delivers, the owner also holds a lock that ends
with it. On PostgreSQL, a session-level advisory lock per digest (`pg_try_advisory_lock`), kept on
a connection held open for as long as the process delivers anything: PostgreSQL drops it with the
connection. On SQLite, an `flock`ed file per process in `claims/` beside the database: the kernel
drops it when the process dies. Another process that finds the digest claimed probes the owner's
lock inside its claim transaction, after the row is locked: if it can take it, the owner is gone
and the digest is taken over at once, whatever its lease says. If it can't, the owner is alive and
the digest is its own, however long ago its lease ran out: one post may outlast the lease (Slack's
`Retry-After` waited out, discord.py sleeping out a rate limit, a stalled host), and taking the digest
over then would post the card under way a second time. The lease counts only where the lock can't be
probed (`Holds.sees`): an owner on another host sharing a SQLite file, an owner recorded by a
paperboy from before holds, or a store with no locks at all (an in-memory SQLite). A PostgreSQL
session outliving its host is ended by the server's TCP keepalive, which the holding connection sets
to about a minute (`KEEPALIVE`), and its locks with it.

A PostgreSQL lock is named by the digest (platform, channel, day) *and its owner*, so a probe asks
about that owner only: a process that took a digest over by the lease is never mistaken for dead
because the lock of the one it replaced was let go later.

An owner is `host:pid:token`; a busy claim names its holder by those and the time it was claimed.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import hashlib
import os
import re
import secrets
import socket
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store.group_commit import GroupCommit

HoldKey = tuple[str, str, date]  # platform, channel, day: one digest
LEASE = timedelta(minutes=2)  # how long a claim stands with no word from its owner
# The server's TCP keepalive on a holding connection (over TCP; a Unix socket ignores it): a host that
# died or was cut off with its session open is found out after 30 + 3 × 10 s, and its locks freed.
KEEPALIVE = (
    "SELECT set_config('tcp_keepalives_idle', '30', false), set_config('tcp_keepalives_interval', '10', false),"
    " set_config('tcp_keepalives_count', '3', false)"
)
OWNER_WIDTH = 64  # digests.owner is a VARCHAR(64)
_OWNER = re.compile(r"(?P<host>.+):(?P<pid>\d+):(?P<token>[0-9a-f]+)")
# Owners recorded before holds existed had a six-digit token; they hold no lock to probe.
_BEFORE_HOLDS = re.compile(r".+:\d+:[0-9a-f]{6}")


def process_name() -> str:
    """This process as a claim's owner: `host:pid:token`, the host cut so that it fits the column."""
    tail = f":{os.getpid()}:{secrets.token_hex(4)}"
    return socket.gethostname()[: OWNER_WIDTH - len(tail)] + tail


@dataclass(frozen=True)
class Holder:
    """Who holds a claim, as recorded in it: for the "another process is delivering" message."""

    owner: str
    since: datetime

    @property
    def host(self) -> str:
        found = _OWNER.fullmatch(self.owner)
        return found["host"] if found else self.owner

    @property
    def pid(self) -> int | None:
        found = _OWNER.fullmatch(self.owner)
        return int(found["pid"]) if found else None

    def describe(self) -> str:
        pid = f", pid {self.pid}" if self.pid is not None else ""
        return f"host {self.host}{pid}, since {self.since:%Y-%m-%d %H:%M:%S} UTC"


def probeable(owner: str) -> bool:
    """Whether an owner takes holds (one recorded by an older paperboy does not: only its lease counts)."""
    return _BEFORE_HOLDS.fullmatch(owner) is None


class Holds(Protocol):
    """The locks one process (one `owner`) holds on the digests it is delivering."""

    async def take(self, keys: Sequence[HoldKey]) -> set[HoldKey]:
        """Hold each digest for this owner; the ones now held (a key held already is not taken twice)."""
        ...

    async def free(self, keys: Collection[HoldKey]) -> None:
        """Let these go (those not held are ignored)."""
        ...

    async def holding(self, key: HoldKey) -> bool:
        """Whether this owner still holds the digest (False once its lock could have been lost)."""
        ...

    async def vacant(self, conn: AsyncConnection, owners: Mapping[HoldKey, str]) -> set[HoldKey]:
        """Of these digests, each claimed by the owner given, those whose owner surely holds them no
        longer. Run inside the claim transaction, after its rows are locked."""
        ...

    def sees(self, owner: str) -> bool:
        """Whether `vacant` can tell this owner's lock: if so, a claim of its that is not vacant is held by a
        live process, whatever its lease says; if not, only the lease tells."""
        ...

    async def close(self) -> None:
        """Let everything go."""
        ...


def holds_for(engine: AsyncEngine, owner: str) -> Holds:
    """The holds that suit the store: advisory locks on PostgreSQL, lock files beside a SQLite file."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLocks(engine, owner)
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        return LockFile(Path(database).parent / "claims", owner)
    return LeaseOnly()


class Claimant:
    """What claims rows for this process (the digest ledger, the note ledger): its store, its name as an
    owner, the lease its claims get, and the holds that tie them to its life."""

    def __init__(self, engine: AsyncEngine, owner: str | None = None, lease: timedelta = LEASE) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self.owner = owner or process_name()
        self.lease = lease
        self._holds = holds_for(engine, self.owner)

    async def close(self) -> None:
        """Let every hold go (the process is done delivering)."""
        await self._holds.close()


def lock_id(key: HoldKey, owner: str) -> int:
    """A digest's advisory lock for one owner: a signed 64-bit key from (platform, channel, day, owner)."""
    platform, channel, day = key
    named = f"{platform}\0{channel}\0{day.isoformat()}\0{owner}".encode()
    return int.from_bytes(hashlib.blake2b(named, digest_size=8).digest(), "big", signed=True)


class LeaseOnly:
    """No lock to hold (an in-memory SQLite store): a claim is freed by its lease alone."""

    def __init__(self) -> None:
        self._held: set[HoldKey] = set()

    async def take(self, keys: Sequence[HoldKey]) -> set[HoldKey]:
        new = set(keys) - self._held
        self._held |= new
        return new

    async def free(self, keys: Collection[HoldKey]) -> None:
        self._held -= set(keys)

    async def holding(self, key: HoldKey) -> bool:
        return key in self._held

    async def vacant(self, conn: AsyncConnection, owners: Mapping[HoldKey, str]) -> set[HoldKey]:
        return set()

    def sees(self, owner: str) -> bool:
        return False

    async def close(self) -> None:
        self._held.clear()


class LockFile:
    """One `flock`ed file per process, `claims/<hash of owner>.lock`, held while it holds any digest: the
    kernel drops it when the process dies. (One per process, not per digest: a digest's row already
    names its process, and a file made per digest cost a sweep of 500 channels 500 file creations.)
    A probe opens the owner's file without creating it, so a missing file is a process holding nothing;
    it never removes one, lest it remove a file the owner has just made again. A lock on another host
    can't be seen, so an owner there is left to its lease."""

    def __init__(self, directory: Path, owner: str) -> None:
        self._directory = directory
        self._owner = owner
        self._fd: int | None = None
        self._held: set[HoldKey] = set()

    def _path(self, owner: str) -> Path:
        return self._directory / f"{hashlib.blake2b(owner.encode(), digest_size=16).hexdigest()}.lock"

    async def take(self, keys: Sequence[HoldKey]) -> set[HoldKey]:
        new = set(keys) - self._held
        if new and self._fd is None:
            self._directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(self._path(self._owner), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            if not _lock(fd):  # another Ledger of our own name holds it (tests), or a probe this instant
                os.close(fd)
                return set()
            self._fd = fd
        self._held |= new
        return new

    async def free(self, keys: Collection[HoldKey]) -> None:
        self._held -= set(keys)
        if not self._held and self._fd is not None:
            # Removed while still locked: a probe that opened it before sees it free, one after, missing.
            self._path(self._owner).unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None

    async def holding(self, key: HoldKey) -> bool:
        # A file removed by hand is a lock no probe can see any more.
        return key in self._held and self._fd is not None and os.fstat(self._fd).st_nlink > 0

    async def vacant(self, conn: AsyncConnection, owners: Mapping[HoldKey, str]) -> set[HoldKey]:
        dead: dict[str, bool] = {}
        for owner in set(owners.values()):
            if not probeable(owner) or not _this_host(owner):
                dead[owner] = False  # another host's process, or an older paperboy's: only the lease tells
                continue
            try:
                fd = os.open(self._path(owner), os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                dead[owner] = True  # it holds nothing
                continue
            try:
                dead[owner] = _lock(fd)  # if we can lock it, its owner died and the kernel dropped its lock
            finally:
                os.close(fd)
        return {key for key, owner in owners.items() if dead[owner]}

    def sees(self, owner: str) -> bool:
        return probeable(owner) and _this_host(owner)

    async def close(self) -> None:
        await self.free(list(self._held))


def _this_host(owner: str) -> bool:
    """Whether the owner runs on this host (one not named `host:pid:token`, as in tests, is taken to)."""
    named = _OWNER.fullmatch(owner)
    if named is None:
        return True
    here, host = socket.gethostname(), named["host"]
    return here == host or (len(owner) == OWNER_WIDTH and here.startswith(host))  # a name cut to fit


def _lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


class AdvisoryLocks:
    """Session-level advisory locks on one connection of this process's own, open while it holds any.

    PostgreSQL ends them with the session, whichever way it ends; the connection is checked before
    each post (shared by the posts asking at the same moment), so a process whose connection broke
    stops instead of posting beside the one that took its digests over. A probe takes the owner's
    lock for its transaction only (`pg_try_advisory_xact_lock`), so nothing is left to unlock."""

    def __init__(self, engine: AsyncEngine, owner: str) -> None:
        self._engine = engine
        self._owner = owner
        self._conn: AsyncConnection | None = None
        self._held: dict[HoldKey, int] = {}
        self._lock = asyncio.Lock()  # one statement at a time on the connection
        self._ping = GroupCommit(self._ping_all)
        self._release = GroupCommit(self._free_all)

    async def take(self, keys: Sequence[HoldKey]) -> set[HoldKey]:
        wanted = {lock_id(key, self._owner): key for key in keys if key not in self._held}
        if not wanted:
            return set()
        async with self._lock:
            if self._conn is None:
                conn = await self._engine.connect()
                try:
                    self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                except BaseException:  # cancelled too: the connection goes back, not to the garbage collector
                    await conn.close()
                    raise
                try:  # a host that dies with this session open: the server ends it (and its locks) in a minute
                    await self._conn.execute(text(KEEPALIVE))
                except BaseException:  # cancelled too: SQLAlchemy gave the connection up, let it go
                    await self._drop()
                    raise
            try:
                rows = await self._conn.execute(
                    text("SELECT k FROM unnest(CAST(:ids AS BIGINT[])) AS k WHERE pg_try_advisory_lock(k)"),
                    {"ids": list(wanted)},
                )
            except BaseException:  # cancelled too: the lock may be taken, and SQLAlchemy gave the connection up
                await self._drop()  # a broken connection: every lock on it is gone
                raise
            taken = {wanted[r.k]: int(r.k) for r in rows}
            self._held.update(taken)
            return set(taken)

    async def free(self, keys: Collection[HoldKey]) -> None:
        if any(key in self._held for key in keys):
            await self._release(list(keys))

    async def _free_all(self, batches: list[list[HoldKey]]) -> None:
        ids = [i for keys in batches for key in keys if (i := self._held.pop(key, None)) is not None]
        async with self._lock:
            if self._conn is None or not ids:
                return
            try:
                if self._held:
                    await self._conn.execute(
                        text("SELECT pg_advisory_unlock(k) FROM unnest(CAST(:ids AS BIGINT[])) AS k"), {"ids": ids}
                    )
                else:
                    await self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
                    await self._close()
            except Exception:
                await self._drop()  # its session ends, and every lock on it: let go all the same

    async def holding(self, key: HoldKey) -> bool:
        if key not in self._held:
            return False
        try:
            await self._ping(None)
        except Exception:
            return False
        return key in self._held

    async def _ping_all(self, _: list[None]) -> None:
        async with self._lock:
            if self._conn is None:
                return
            try:
                await self._conn.execute(text("SELECT 1"))
            except Exception:
                await self._drop()
                raise

    async def vacant(self, conn: AsyncConnection, owners: Mapping[HoldKey, str]) -> set[HoldKey]:
        probed = {lock_id(key, owner): key for key, owner in owners.items() if probeable(owner)}
        if not probed:
            return set()
        rows = await conn.execute(
            text("SELECT k FROM unnest(CAST(:ids AS BIGINT[])) AS k WHERE pg_try_advisory_xact_lock(k)"),
            {"ids": list(probed)},
        )
        return {probed[r.k] for r in rows}

    def sees(self, owner: str) -> bool:
        return probeable(owner)

    async def close(self) -> None:
        """Let every lock go now: unlocked on the connection, then the connection dropped. Dropped alone, the
        server ended the session, and its locks, a moment later: a sweep that looked at once found the
        digests of a replica that had stopped still held."""
        async with self._lock:
            self._held.clear()
            if self._conn is not None:
                with contextlib.suppress(Exception):  # a broken connection: dropping it ends the session anyway
                    await self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
            await self._drop()

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()

    async def _drop(self) -> None:
        """Close the connection for good (not back to the pool), so its session and locks end."""
        self._held.clear()
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.invalidate()
            finally:
                await conn.close()
