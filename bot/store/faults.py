"""Store faults in our words: a database that cannot be opened, read or written, as one `StoreError`.

The driver's own text is not shown: SQLAlchemy puts the statement and its parameters (paper data)
into its messages, and sqlite3's and psycopg's words name no fix. The fault is read from error codes
(SQLite's result code, PostgreSQL's SQLSTATE) and from the disk itself, then said with the place
(a path, or a host with no credentials), the reason and what to do.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from bot.domain.errors import StoreError, UnexpectedStoreError
from bot.store.engine import describe, sqlite_path

# SQLite's primary result codes (the low byte of an extended code such as SQLITE_IOERR_WRITE).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 3, 5, 6, 8, 10, 11, 13, 14, 26
_RESTORE = (
    "restore it from a backup, or move it aside and run paperboy again to start an empty store "
    "(`paperboy sync` refills the papers; the delivery records go with the old file, so a channel may get "
    "a day's digest again)"
)


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, the members of exception groups and the causes behind each, outermost first."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        found = pending.pop(0)
        if id(found) in seen:
            continue
        seen.add(id(found))
        yield found
        if isinstance(found, BaseExceptionGroup):
            pending.extend(found.exceptions)
        pending.extend(e for e in (found.__cause__, found.__context__) if e is not None)


def store_fault(exc: BaseException, url: URL, setting: str = "PAPERBOY_DATA_DIR") -> StoreError | None:
    """What `exc` means for the store at `url`, or None when it is no fault of the store.

    `setting` is what the operator set to choose the store: `PAPERBOY_DATA_DIR` (the default SQLite
    file in it) or `PAPERBOY_DATABASE_URL`; the fix names it.
    """
    for found in causes(exc):
        if url.get_backend_name() == "sqlite":
            fault = _sqlite(found, _Where(sqlite_path(url), url.query.get("mode") == "ro", setting))
        else:
            fault = _postgres(found, url)
        if fault is not None:
            return fault
    return None


@dataclass(frozen=True)
class _Where:
    path: Path
    read_only: bool  # opened with `mode=ro` in the URL
    setting: str

    @property
    def store(self) -> str:
        return f"the store {self.path}"

    @property
    def elsewhere(self) -> str:
        if self.setting == "PAPERBOY_DATA_DIR":
            return "set PAPERBOY_DATA_DIR to a directory paperboy may create and write"
        return f"point {self.setting} at a file in a directory paperboy may write"


def _sqlite(exc: BaseException, where: _Where) -> StoreError | None:
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlite_errorcode", None)
        if code is None:
            return None
        return _sqlite_code(code & 0xFF, where) or unexpected(exc, where.store)
    if isinstance(exc, OSError) and exc.filename is not None:
        named = _path(exc.filename)
        if named is not None and (named == where.path or named in where.path.parents):
            return _os_error(exc, named, where)
    return None


def _sqlite_code(code: int, where: _Where) -> StoreError | None:
    folder = where.path.parent
    if code == _FULL or (code == _IOERR and _disk_full(folder)):
        return StoreError(
            where.store,
            "cannot grow: its disk is full",
            f"free some space there (or {where.elsewhere}) and run the command again; the write that failed "
            "was not kept",
        )
    if code in (_READONLY, _CANTOPEN, _PERM) or (code == _IOERR and _read_only(folder)):
        if where.read_only and code == _READONLY:
            return StoreError(
                where.store,
                f"was opened read-only (mode=ro in {where.setting}) and this command writes to it",
                f"take mode=ro out of {where.setting} for it",
            )
        fix = (
            f"make {folder} writable for this user (SQLite keeps its -wal and -shm files beside the database) "
            f"or {where.elsewhere}"
        )
        try:
            if where.path.is_dir():
                return StoreError(
                    where.store, "is a directory, not a database file", f"move it away, or {where.elsewhere}"
                )
            if (file := _file_refused(where.path)) is not None:
                return StoreError(where.store, file[0], f"{file[1]}, or {where.elsewhere}")
            return StoreError(where.store, _why_unwritable(where.path), fix)
        except OSError:  # its folder may not even be entered (made by root, run as a service's user)
            return StoreError(where.store, "cannot be opened: this user may not enter its directory", fix)
    if code in (_NOTADB, _CORRUPT):
        what = "is not a database paperboy can read" if code == _NOTADB else "is damaged (SQLite found corrupt pages)"
        return StoreError(where.store, what, _RESTORE)
    if code in (_BUSY, _LOCKED):
        return StoreError(
            where.store,
            "stayed locked by another process for 30 s",
            "run the command again; if it stays locked, stop whatever holds it (another paperboy, a sqlite3 shell)",
        )
    if code == _IOERR:
        return StoreError(where.store, "could not be read or written (a disk error)", "check the disk, then run again")
    return None  # not the disk's or the file's doing: `unexpected` says it without the statement


def _file_refused(path: Path) -> tuple[str, str] | None:
    """The database file's own permissions, where they are what refuses this user (its folder may be
    writable: "make the folder writable" was a fix that did not work): the reason and the fix."""
    if not path.exists() or not os.access(path.parent, os.W_OK):
        return None
    if os.access(path, os.R_OK) and os.access(path, os.W_OK):
        return None
    readable = os.access(path, os.R_OK)
    why = "is read-only for this user" if readable else "cannot be read: this user may not read the file"
    owner = path.stat().st_uid
    if owner != os.geteuid():  # most often a run under sudo left it root's: chmod as this user cannot mend it
        return f"{why} (it belongs to {_user(owner)})", f"give it to this user (chown {_user(os.geteuid())} {path})"
    return why, f"make the file readable and writable for this user (chmod u+rw {path})"


def _user(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _why_unwritable(path: Path) -> str:
    folder = path.parent
    if not folder.is_dir():
        return f"cannot be opened: {folder} is not a directory"
    if _read_only(folder):
        return f"cannot be written: {folder} is on a read-only file system"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "cannot be written: this user may not write it or its directory"
    return "cannot be opened for writing"


def _os_error(exc: OSError, named: Path, where: _Where) -> StoreError:
    """An error creating the store's directory (before SQLite is asked anything)."""
    folder = f"the data directory {where.path.parent}"
    if exc.errno == errno.EEXIST and named == where.path.parent:
        return StoreError(folder, "is a file, not a directory", f"move the file away or {where.elsewhere}")
    if exc.errno == errno.ENOTDIR:
        blocking = next((p for p in (named, *named.parents) if p.exists() and not p.is_dir()), named)
        return StoreError(folder, f"cannot be created: {blocking} is a file", where.elsewhere)
    if exc.errno == errno.ENOSPC:
        return StoreError(folder, "cannot be created: the disk is full", f"free some space there, or {where.elsewhere}")
    if exc.errno == errno.EROFS:
        return StoreError(folder, "cannot be created: its file system is read-only", where.elsewhere)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StoreError(folder, f"cannot be created: this user may not write {named.parent}", where.elsewhere)
    return StoreError(folder, f"cannot be created ({os.strerror(exc.errno or 0).lower()})", where.elsewhere)


def _path(filename: object) -> Path | None:
    if isinstance(filename, str | bytes):
        return Path(os.fsdecode(filename))
    return None


def _statvfs(folder: Path) -> os.statvfs_result | None:
    for candidate in (folder, *folder.parents):
        try:
            return os.statvfs(candidate)
        except OSError:
            continue
    return None


def _disk_full(folder: Path) -> bool:
    found = _statvfs(folder)
    return found is not None and found.f_bavail == 0


def _read_only(folder: Path) -> bool:
    found = _statvfs(folder)
    return found is not None and bool(found.f_flag & os.ST_RDONLY)


# PostgreSQL: SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_PG_STATES = {
    "53100": ("has a full disk", "free space on the database server, then run the command again"),
    "53200": ("ran out of memory", "run the command again; if it persists, look at the server"),
    "53300": ("has no connection to spare", "raise its max_connections or run fewer paperboy processes"),
    "25006": ("is read-only (a standby?)", "point PAPERBOY_DATABASE_URL at the primary"),
    "28P01": ("refused the password", "correct the user and password in PAPERBOY_DATABASE_URL"),
    "28000": ("refused the user", "correct the user in PAPERBOY_DATABASE_URL, or grant it access in pg_hba.conf"),
    "3D000": ("has no such database", "create it (createdb) or correct the database name in PAPERBOY_DATABASE_URL"),
    "42501": ("refused this user the tables", "grant the user rights on the database, or use its owner"),
}
# What psycopg says when it could not connect at all (no SQLSTATE then), and what that means.
_PG_CONNECT = (
    ("does not support ssl", "takes no TLS (SSL), which the URL's sslmode requires"),  # was "cannot be reached"
    ("root certificate", "has a TLS certificate this host cannot check (sslmode verify-ca or verify-full)"),
    ("certificate verify failed", "has a TLS certificate this host does not trust"),
    ("connection refused", "cannot be reached: nothing is listening there"),
    ("password authentication failed", "refused the password"),
    ('role "', "has no such user"),  # role "x" does not exist
    ('database "', "has no such database"),  # database "x" does not exist
    ("timeout expired", "did not answer in time"),
    ("timed out", "did not answer in time"),
    ("translate host name", "cannot be reached: the host name is unknown"),
    ("name or service not known", "cannot be reached: the host name is unknown"),
    ("no route to host", "cannot be reached: no route to the host"),
    ("server closed the connection", "closed the connection"),
    ("the database system is starting up", "is still starting"),
    ("the database system is shutting down", "is shutting down"),
)
_PG_REACH = "start it, or correct the host and port in PAPERBOY_DATABASE_URL"
# What psycopg says, before it connects, of an option after the URL's `?` that it does not take (no SQLSTATE).
_PG_OPTION = ("invalid connection option", "invalid uri query parameter", "bad value for ", "value: ")


def _postgres(exc: BaseException, url: URL) -> StoreError | None:
    if not isinstance(exc, DBAPIError):
        return None
    where = describe(url)
    state = getattr(exc.orig, "sqlstate", None)
    if state in _PG_STATES:
        reason, fix = _PG_STATES[state]
        return StoreError(where, reason, fix)
    if state is not None and state.startswith(("08", "57P")):
        return StoreError(where, "dropped the connection", "run the command again once the database is up")
    if state is None:  # no answer from the server at all, or one before the session began
        text = str(exc.orig).lower()
        if any(fragment in text for fragment in _PG_OPTION):  # never tried: not "cannot be reached"
            option = str(exc.orig).strip().splitlines()[0].removeprefix("connection is bad: ")[:200]
            return StoreError(
                where,
                f"was not tried: an option of PAPERBOY_DATABASE_URL is wrong ({option})",
                "correct or remove it after the ? in PAPERBOY_DATABASE_URL",
            )
        for fragment, reason in _PG_CONNECT:
            if fragment in text:
                return StoreError(where, reason, _pg_fix(reason))
        if type(exc.orig).__name__ == "OperationalError":
            return StoreError(where, "cannot be reached", _PG_REACH)
    return unexpected(exc, where)


def unexpected(exc: DBAPIError, where: str) -> StoreError:
    """A database error that is no fault of the disk, the file or the server (most likely ours), in one
    line: the driver's first line, which names no values, never SQLAlchemy's, which carries them."""
    orig = exc.orig
    first = (str(orig).strip().splitlines() or [""])[0][:200]
    state = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
    said = f"{type(orig).__name__}{f' {state}' if state else ''}: {first}"
    return UnexpectedStoreError(
        where, f"failed unexpectedly ({said})", "run the command again; if it fails again, report it"
    )


def _pg_fix(reason: str) -> str:
    if "certificate" in reason:
        return "name the server's CA file with sslrootcert= in PAPERBOY_DATABASE_URL, or change its sslmode"
    if "TLS" in reason:
        return "turn TLS on at the server, or change sslmode in PAPERBOY_DATABASE_URL"
    if "host name is unknown" in reason:  # nothing to start there
        return "correct the host in PAPERBOY_DATABASE_URL"
    if "reached" in reason or "answer" in reason:
        return _PG_REACH
    if "database" in reason:
        return _PG_STATES["3D000"][1]
    if "user" in reason or "password" in reason:
        return "correct the user and password in PAPERBOY_DATABASE_URL"
    return "run the command again once the database is up"
