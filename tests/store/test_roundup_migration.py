"""Migration 0006 (roundup) upgrades a store in use: every row kept, its subscriptions read back as daily."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, MetaData, Table, func, insert, inspect, select

from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.models import Listing, Paper
from bot.domain.publishing import MessageRef
from bot.store.engine import HEAD_REVISION, alembic_config, migrate, schema_revisions
from bot.store.follows import AsPosted, FollowStore
from bot.store.papers import PaperStore
from tests.conftest import BACKENDS, store_engine

NOW = datetime(2026, 6, 2, 9, tzinfo=UTC)
DAY = date(2026, 6, 2)
OLD_ROWS: dict[str, list[dict[str, object]]] = {
    "subscriptions": [
        {
            "platform": "slack",
            "channel": "C1",
            "workspace": "T1",
            "topics": ["diffusion"],
            "time": "09:00",
            "timezone": "Europe/Berlin",
            "days": "mon-fri",
            "limit": 5,
            "min_upvotes": 0,
            "source": "chat",
            "status": None,
            "updated_at": NOW,
        }
    ],
    "digests": [
        {
            "platform": "slack",
            "channel": "C1",
            "day": DAY,
            "workspace": "T1",
            "status": "done",
            "owner": "host:1:abcdef01",
            "lease_until": NOW,
            "papers": 1,
            "claimed_at": NOW,
        }
    ],
    "digest_papers": [
        {
            "platform": "slack",
            "channel": "C1",
            "arxiv_id": "2606.00001",
            "day": DAY,
            "position": 1,
            "intent_at": NOW,
            "message_ref": "1.000001",
            "thread_ref": "1.000001",
            "sent_at": NOW,
        }
    ],
    "threads": [
        {
            "platform": "slack",
            "channel": "C1",
            "thread_ref": "1.000001",
            "arxiv_id": "2606.00001",
            "origin": "digest",
            "created_at": NOW,
        }
    ],
}


def _at_0004_with_rows(connection: Connection) -> None:
    """A store at 0004, its rows written through its own tables (no column 0006 adds)."""
    command.upgrade(alembic_config(connection), "0004")
    old = MetaData()
    for name, rows in OLD_ROWS.items():
        table = Table(name, old, autoload_with=connection)
        assert "cadence" not in table.c
        connection.execute(insert(table), rows)


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.slow
async def test_a_store_at_0004_with_data_upgrades_keeping_everything(name: str, tmp_path: Path) -> None:
    async with store_engine(name, tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(_at_0004_with_rows)
        store = PaperStore(engine)
        await store.save_listings([Listing(Paper(arxiv_id="2606.00001", title="Kept", upvotes=7), DAY, 1)])
        await migrate(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {HEAD_REVISION}
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert {"followed_cards", "thread_notes", "paper_versions"} <= tables
            for name_ in OLD_ROWS:
                assert await connection.scalar(select(func.count()).select_from(Table(name_, MetaData()))) == 1
        [kept] = await SubscriptionStore(engine).all()
        assert (kept.cadence, kept.days, kept.topics, kept.timezone) == (
            "daily",
            "mon-fri",
            ("diffusion",),
            "Europe/Berlin",
        )
        assert (await store.get("2606.00001")) is not None
        follows = FollowStore(engine)
        assert await follows.adopt(datetime(2026, 6, 1, tzinfo=UTC)) == 1  # the card posted before is followed
        [card] = await follows.following(datetime(2026, 6, 1, tzinfo=UTC))
        assert (card.upvotes, card.ref) == (7, MessageRef("C1", "1.000001", "1.000001"))
        assert card.channel == ChannelRef("slack", "C1", "T1")  # under its digest's workspace
        await follows.record(ChannelRef("slack", "C2"), "2606.00001", card.ref, AsPosted(1, 7, None, "7"), NOW)
        assert len(await follows.following(datetime(2026, 6, 1, tzinfo=UTC))) == 2
