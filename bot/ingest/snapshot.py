"""The offline snapshot shipped in the package, and the store's memory of having loaded it."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.models import Listing, Paper
from bot.sources.corpus import read_corpus
from bot.store.papers import PaperStore

if TYPE_CHECKING:
    from bot.store.embeddings import StoredVector

META_KEY = "snapshot"
VECTORS_FILE = "snapshot-vectors.npz"


@dataclass(frozen=True)
class SnapshotInfo:
    first_day: date
    last_day: date
    days: int

    def notice(self, today: date, *, offline: bool = False, running: bool = False) -> str:
        """What the papers shown are; `offline`: PAPERBOY_OFFLINE is set, so a sync needs it unset first;
        `running`: said by `paperboy run`, which syncs by itself (not "run `paperboy sync`")."""
        age = (today - self.last_day).days
        shown = f"Showing the bundled offline snapshot: {self.days} listing days up to {self.last_day:%-d %B %Y}"
        if running:
            then = (
                "unset PAPERBOY_OFFLINE and start paperboy again for the latest papers"
                if offline
                else "paperboy fetches the latest papers at each sync while it runs"
            )
            return f"{shown} ({age} days old): {then}."
        sync = "Unset PAPERBOY_OFFLINE and run `paperboy sync`" if offline else "Run `paperboy sync`"
        return f"{shown} ({age} days old). {sync} for the latest papers."


def snapshot_path() -> Path:
    with resources.as_file(resources.files("bot") / "data" / "snapshot.jsonl.gz") as path:
        return Path(path)


def vectors_path() -> Path:
    with resources.as_file(resources.files("bot") / "data" / VECTORS_FILE) as path:
        return Path(path)


def read_snapshot_vectors() -> dict[str, StoredVector]:
    """The snapshot's papers' embeddings (made by `scripts/embed_snapshot.py`), so the offline
    default searches by meaning without computing any; empty when the file or its model differ."""
    import numpy as np  # NumPy and the model's name only when the vectors are read (a first run)

    from bot.embedding.model import MODEL_NAME
    from bot.store.embeddings import StoredVector

    path = vectors_path()
    if not path.is_file():
        return {}
    with np.load(path) as data:
        if str(data["model"]) != MODEL_NAME:
            return {}
        return {
            str(arxiv_id): StoredVector(str(checksum), vector.astype(np.float32))
            for arxiv_id, checksum, vector in zip(data["ids"], data["checksums"], data["vectors"], strict=True)
        }


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
    info = SnapshotInfo(date.fromisoformat(data["first_day"]), date.fromisoformat(data["last_day"]), int(data["days"]))
    # a listing day past the snapshot's is fresher than it, whatever the mark says: a process that loaded the
    # snapshot may write the mark after another's sync or import took it away (the writes are not ordered)
    latest = await store.latest_day()
    return info if latest is None or latest <= info.last_day else None


async def forget_snapshot(store: PaperStore) -> None:
    """Fresh papers arrived (a sync or an import): the store is no longer just the snapshot."""
    await store.set_meta(META_KEY, None)


async def snapshot_papers() -> list[Paper]:
    """The snapshot's papers exactly as a store holds them after loading it (listings merged), by id."""
    from bot.store.engine import create_engine, database_url, migrate

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(database_url(None, Path(folder)))
        try:
            await migrate(engine)
            store = PaperStore(engine)
            await load_snapshot(store)
            return sorted(await store.all_papers(), key=lambda p: p.arxiv_id)
        finally:
            await engine.dispose()
