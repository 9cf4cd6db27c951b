"""Migration 0008 (subscriptions.person): a store with subscriptions and delivered digests in it is
upgraded with nothing lost, its subscriptions still a channel's; then follows are stored beside them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, select, text

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.engine import HEAD_REVISION, alembic_config, schema_revisions
from bot.store.tables import digests
from tests.conftest import BACKENDS, upgraded

SINCE = datetime(2026, 6, 1, 8, tzinfo=UTC)


def _to_0004_with_data(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0004")
    connection.execute(
        text(
            'INSERT INTO subscriptions (platform, channel, workspace, topics, time, timezone, days, "limit", '
            "min_upvotes, source, status, updated_at) VALUES "
            "('slack', 'C0001', 'T0001', '[\"diffusion\"]', '09:00', 'Europe/Berlin', 'mon-fri', 5, 0, 'chat', "
            "NULL, :since), ('discord', '42', 'G1', '[]', '08:30', 'UTC', 'mon-sun', 10, 3, 'config', 'gone', :since)"
        ),
        {"since": SINCE},
    )
    connection.execute(
        text(
            "INSERT INTO digests (platform, channel, day, workspace, status, owner, lease_until, papers, claimed_at) "
            "VALUES ('slack', 'C0001', :day, 'T0001', 'done', 'a', :since, 5, :since)"
        ),
        {"day": date(2026, 6, 1), "since": SINCE},
    )


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.slow
async def test_an_older_store_with_data_upgrades_and_keeps_it(name: str, tmp_path: Path) -> None:
    async with upgraded(name, tmp_path, _to_0004_with_data) as engine:
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {HEAD_REVISION}
            delivered = (await connection.execute(select(digests.c.channel, digests.c.papers))).all()
        assert [tuple(r) for r in delivered] == [("C0001", 5)]
        store = SubscriptionStore(engine)
        kept = {s.channel.channel: s for s in await store.all()}
        assert kept["C0001"] == Subscription(
            ChannelRef("slack", "C0001", "T0001"),
            ("diffusion",),
            "09:00",
            "Europe/Berlin",
            "mon-fri",
            5,
            0,
            "chat",
            None,
            SINCE,
            person=None,
        )
        assert kept["42"].source == "config" and kept["42"].status == "gone" and kept["42"].person is None
        follow = Subscription(ChannelRef("slack", "D0001", "T0001"), ("-robotics", "author:LeCun"), person="U0001")
        await store.save(follow, SINCE)
        found = await store.of_person("slack", "T0001", "U0001")
        assert found is not None and found.channel.channel == "D0001" and found.topics == follow.topics
        assert await store.of_person("slack", "T0002", "U0001") is None  # another workspace's U0001
        assert await store.of_person("discord", "T0001", "U0001") is None
        assert await store.of_person("slack", "T0001", "U0002") is None
        assert len(await store.all()) == 3
