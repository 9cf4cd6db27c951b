"""Installations (a chat app added to a workspace) and the OAuth states of installs under way, in the store.

Tokens are sealed (bot/store/sealing.py) before they are written: the `installations` table holds
ids, names and scopes in the clear and the tokens only as Fernet tokens. Every replica reads the
same rows, so an install made through one is served by all.

Lookups are cached in the process for `ttl` seconds (a request's lookup is a dict hit, not a
query): a save or delete here drops that workspace's entry at once; another replica's cache forgets
it within `ttl` (short: 10 s by default), and a call Slack refuses for a bad token makes the
publisher drop the entry and look again (adapters/slack/installations.py), so nothing is retried
with a token the store no longer has.
"""

from __future__ import annotations

import secrets as random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.engine import as_utc
from bot.store.sealing import Sealer, Unreadable
from bot.store.tables import installations, oauth_states
from bot.store.upsert import changed, insert_for

TTL_SECONDS = 10.0
CACHE_LIMIT = 100_000  # workspaces remembered at once; past it the cache starts afresh


@dataclass(frozen=True)
class Installation:
    """One workspace's installation: `secrets` (tokens) are opened only in memory."""

    platform: str
    workspace: str  # the team id, or the enterprise id of an org-wide install
    secrets: dict[str, str | None] = field(repr=False)
    enterprise_id: str = ""
    team_id: str = ""
    is_enterprise_install: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None
    installed_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Resealed:
    """What `paperboy reseal` did: tokens sealed again with the first key, those that already were, and the
    installations no key opens (`platform:workspace`)."""

    done: int = 0
    kept: int = 0
    unreadable: list[str] = field(default_factory=list)


async def is_installed(engine: AsyncEngine, platform: str, workspace: str) -> bool:
    """Whether the workspace has an installation stored (read without its tokens: no key needed)."""
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(installations.c.workspace).where(
                installations.c.platform == platform, installations.c.workspace == workspace
            )
        )
    return found is not None


class Installations:
    def __init__(
        self,
        engine: AsyncEngine,
        sealer: Sealer,
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._sealer = sealer
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[tuple[str, str], tuple[float, Installation | None]] = {}

    async def save(self, installation: Installation) -> None:
        """Create or replace the workspace's installation."""
        row = self._row(installation)
        stmt = insert_for(self._engine.dialect.name, installations).on_conflict_do_update(
            index_elements=["platform", "workspace"],
            set_={k: v for k, v in row.items() if k not in ("platform", "workspace")},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt, row)
        self.forget_cached(installation.platform, installation.workspace)

    async def refresh(self, installation: Installation) -> bool:
        """The workspace's installation with its refreshed tokens, if it is still the one installed then
        (`installed_at`); False when it is gone or another replaced it meanwhile (an uninstall, a
        reinstall): an upsert wrote the uninstalled workspace's installation back, or the old one's over the
        new."""
        row = self._row(installation)
        which = (
            installations.c.platform == installation.platform,
            installations.c.workspace == installation.workspace,
            installations.c.installed_at == installation.installed_at,
        )
        async with self._engine.begin() as conn:
            kept = await changed(conn, update(installations).where(*which).values(row))
        self.forget_cached(installation.platform, installation.workspace)
        return kept

    def _row(self, installation: Installation) -> dict[str, Any]:
        return {
            "platform": installation.platform,
            "workspace": installation.workspace,
            "enterprise_id": installation.enterprise_id,
            "team_id": installation.team_id,
            "is_enterprise_install": installation.is_enterprise_install,
            "details": installation.details,
            "sealed": self._sealer.seal(installation.secrets),
            "expires_at": installation.expires_at,
            "installed_at": installation.installed_at,
        }

    async def find(self, platform: str, workspace: str) -> Installation | None:
        """The workspace's installation (None if the app is not installed there), from the cache when fresh."""
        key = (platform, workspace)
        now = self._clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(installations).where(
                        installations.c.platform == platform, installations.c.workspace == workspace
                    )
                )
            ).first()
        found = self._from_row(row._mapping) if row is not None else None
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = (now + self._ttl, found)
        return found

    async def delete(self, platform: str, workspace: str, *, installed_before: datetime | None = None) -> bool:
        """Forget the workspace's installation and its tokens; whether there was one. With `installed_before`,
        only an installation made before then (a late word of an uninstall spares the install that followed it)."""
        which = [installations.c.platform == platform, installations.c.workspace == workspace]
        if installed_before is not None:
            which.append(installations.c.installed_at < installed_before)
        async with self._engine.begin() as conn:
            gone = await changed(conn, delete(installations).where(*which))
        self.forget_cached(platform, workspace)
        return gone

    async def exists(self, platform: str, workspace: str) -> bool:
        """Whether the workspace has an installation stored (its token not opened)."""
        return await is_installed(self._engine, platform, workspace)

    def forget_cached(self, platform: str, workspace: str) -> None:
        """Drop this process's cached lookup: the next one reads the store."""
        self._cache.pop((platform, workspace), None)

    async def count(self, platform: str) -> int:
        async with self._engine.connect() as conn:
            found = await conn.scalar(
                select(func.count()).select_from(installations).where(installations.c.platform == platform)
            )
        return int(found or 0)

    async def reseal(self) -> Resealed:
        """Seal every stored installation's tokens with the first key; those no key opens are left as they
        are, and named."""
        resealed = Resealed()
        async with self._engine.begin() as conn:
            rows = (
                await conn.execute(select(installations.c.platform, installations.c.workspace, installations.c.sealed))
            ).all()
            for row in rows:
                if self._sealer.sealed_with_first(row.sealed):
                    resealed.kept += 1
                    continue
                try:
                    again = self._sealer.reseal(row.sealed)
                except Unreadable:
                    resealed.unreadable.append(f"{row.platform}:{row.workspace}")
                    continue
                # only as read: a replica's refreshed tokens saved meanwhile (sealed with the first key) stay
                # theirs; written back, the old pair was one Slack had retired, and the workspace's digests stopped
                ours = await changed(
                    conn,
                    update(installations)
                    .where(
                        installations.c.platform == row.platform,
                        installations.c.workspace == row.workspace,
                        installations.c.sealed == row.sealed,
                    )
                    .values(sealed=again),
                )
                if ours:
                    resealed.done += 1
                else:
                    resealed.kept += 1
        self._cache.clear()
        return resealed

    async def unreadable(self) -> tuple[list[str], int]:
        """The installations (`platform:workspace`) none of the keys opens, and how many are stored in all."""
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(select(installations.c.platform, installations.c.workspace, installations.c.sealed))
            ).all()
        return [f"{r.platform}:{r.workspace}" for r in rows if not self._sealer.opens(r.sealed)], len(rows)

    def _from_row(self, row: Any) -> Installation:
        return Installation(
            platform=row["platform"],
            workspace=row["workspace"],
            secrets=self._sealer.open(row["sealed"]),
            enterprise_id=row["enterprise_id"],
            team_id=row["team_id"],
            is_enterprise_install=bool(row["is_enterprise_install"]),
            details=dict(row["details"] or {}),
            expires_at=as_utc(row["expires_at"]),
            installed_at=as_utc(row["installed_at"]),
        )


def with_secrets(installation: Installation, **secrets: str | None) -> Installation:
    return replace(installation, secrets=installation.secrets | secrets)


STATE_SECONDS = 600  # how long an install link stays usable (Slack's and bolt's default: ten minutes)


class OAuthStates:
    """The `state` values of installs under way: issued with the install link, each consumed once, in time."""

    def __init__(
        self, engine: AsyncEngine, *, seconds: int = STATE_SECONDS, clock: Callable[[], datetime] | None = None
    ) -> None:
        self._engine = engine
        self.seconds = seconds
        self._clock = clock or (lambda: datetime.now(UTC))

    async def issue(self) -> str:
        state = random.token_urlsafe(32)
        now = self._clock()
        async with self._engine.begin() as conn:
            await conn.execute(delete(oauth_states).where(oauth_states.c.expires_at < now))  # the unused ones
            await conn.execute(
                oauth_states.insert().values(state=state, expires_at=now + timedelta(seconds=self.seconds))
            )
        return state

    async def consume(self, state: str) -> bool:
        """True once for a state issued here and not expired; False for a forged, replayed or stale one."""
        if not state or len(state) > 128:
            return False
        async with self._engine.begin() as conn:
            return await changed(
                conn,
                delete(oauth_states).where(oauth_states.c.state == state, oauth_states.c.expires_at > self._clock()),
            )
