"""The per-request cost of finding a workspace's installation (multi-workspace Slack), with many installed.

    python -m bench.installations [--installations 10000] [--lookups 20000] [--database-url URL]

Every Slack request goes through bolt's authorize, which asks the installation store for the
workspace's bot (`async_find_bot`); every delivery asks for its workspace's token. This fills the store
with N installations (tokens sealed, as `paperboy run` keeps them), then times lookups for random
workspaces: cold (the first for each workspace: a query and a Fernet decryption) and warm (the
in-process cache, which a save or delete here invalidates at once and other replicas' caches forget
within its ttl of 10 s). It also shows an uninstall seen by the very next lookup. Figures are
wall-clock on this machine, p50 and p99, in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.slack.installations import PLATFORM, StoreInstallations
from bench.core import percentile
from bot.store.engine import create_engine, database_url, migrate
from bot.store.installations import Installations
from bot.store.sealing import new_key, sealer
from bot.store.tables import installations


async def _nothing(_workspace: str) -> int:
    return 0


async def main(count: int, lookups: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(database_url(url, Path(tmp)))
        await migrate(engine)
        keys = sealer(new_key())
        now = datetime.now(UTC)
        teams = [f"T{n:08d}" for n in range(count)]
        rows = [
            {
                "platform": PLATFORM,
                "workspace": team,
                "enterprise_id": "",
                "team_id": team,
                "is_enterprise_install": False,
                "details": {"bot_id": f"B{team}", "bot_user_id": f"U{team}", "bot_scopes": "commands,chat:write"},
                "sealed": keys.seal({"bot_token": f"xoxb-{team}-{n}", "bot_refresh_token": None}),
                "expires_at": None,
                "installed_at": now,
            }
            for n, team in enumerate(teams)
        ]
        started = time.perf_counter()
        async with engine.begin() as conn:
            await conn.execute(installations.delete())
            for start in range(0, len(rows), 1000):
                await conn.execute(installations.insert(), rows[start : start + 1000])
        print(f"{count} installations stored ({engine.dialect.name}) in {time.perf_counter() - started:.1f} s")

        # A long ttl here so the warm figures are of cache hits only; `paperboy run` uses 10 s, so each
        # workspace costs at most one cold lookup every 10 s, and every other lookup is a hit.
        store = StoreInstallations(Installations(engine, keys, ttl=3600), installed=_nothing, removed=_nothing)
        rng = random.Random(20261129)
        cold: list[float] = []
        for team in rng.sample(teams, min(2000, count)):
            began = time.perf_counter()
            bot = await store.async_find_bot(enterprise_id=None, team_id=team, is_enterprise_install=False)
            cold.append((time.perf_counter() - began) * 1000)
            if bot is None or not bot.bot_token.startswith(f"xoxb-{team}-"):
                raise SystemExit(f"the installation of {team} came back wrong")
        for team in teams:  # every workspace has been asked for once: the cache holds them all
            await store.async_find_bot(enterprise_id=None, team_id=team, is_enterprise_install=False)
        warm: list[float] = []
        for _ in range(lookups):
            team = rng.choice(teams)
            began = time.perf_counter()
            await store.async_find_bot(enterprise_id=None, team_id=team, is_enterprise_install=False)
            warm.append((time.perf_counter() - began) * 1000)
        for name, values in (("cold (query + decrypt)", cold), ("warm (cached)", warm)):
            print(
                f"lookup {name:24} n={len(values):6}  p50 {percentile(values, 50):7.3f} ms  "
                f"p99 {percentile(values, 99):7.3f} ms"
            )
        gone = teams[0]
        await store.async_delete_bot(enterprise_id=None, team_id=gone)
        began = time.perf_counter()
        after = await store.async_find_bot(enterprise_id=None, team_id=gone, is_enterprise_install=False)
        print(
            f"after an uninstall here, the next lookup finds nothing: {after is None} "
            f"({(time.perf_counter() - began) * 1000:.3f} ms); other replicas' within their cache ttl (10 s)"
        )
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--installations", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary directory")
    args = parser.parse_args()
    asyncio.run(main(args.installations, args.lookups, args.database_url))
