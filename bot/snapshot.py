"""The offline snapshot shipped in the package, and the store's memory of having loaded it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from bot.models import Listing
from bot.sources.corpus import read_corpus
from bot.store.papers import PaperStore

META_KEY = "snapshot"


@dataclass(frozen=True)
class SnapshotInfo:
    first_day: date
    last_day: date
    days: int

    def notice(self, today: date) -> str:
        age = (today - self.last_day).days
        return (
            f"Showing the bundled offline snapshot: {self.days} listing days up to "
            f"{self.last_day:%-d %B %Y} ({age} days old). Run `paperboy sync` for the latest papers."
        )


def snapshot_path() -> Path:
    with resources.as_file(resources.files("bot") / "data" / "snapshot.jsonl.gz") as path:
        return Path(path)


def read_snapshot() -> list[Listing]:
    return list(read_corpus(snapshot_path()))


async def load_snapshot(store: PaperStore) -> SnapshotInfo:
    listings = read_snapshot()
    await store.save_listings(listings)
    days = sorted({item.day for item in listings})
    info = SnapshotInfo(days[0], days[-1], len(days))
    value = {"first_day": info.first_day.isoformat(), "last_day": info.last_day.isoformat(), "days": info.days}
    await store.set_meta(META_KEY, json.dumps(value))
    return info


async def snapshot_info(store: PaperStore) -> SnapshotInfo | None:
    """What the snapshot holds, while the store has nothing fresher than it."""
    raw = await store.get_meta(META_KEY)
    if raw is None:
        return None
    data = json.loads(raw)
    return SnapshotInfo(date.fromisoformat(data["first_day"]), date.fromisoformat(data["last_day"]), int(data["days"]))


async def forget_snapshot(store: PaperStore) -> None:
    """Fresh papers arrived (a sync or an import): the store is no longer just the snapshot."""
    await store.set_meta(META_KEY, None)
