"""A store at revision 0004, full of data, upgrades to 0005 in place: nothing lost, old cards count votes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, func, insert, inspect, select

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged
from bot.domain.models import Listing, Paper
from bot.store.engagement import EngagementStore, Vote
from bot.store.engine import HEAD_REVISION, alembic_config, migrate, schema_revisions
from bot.store.papers import PaperStore
from bot.store.tables import digest_papers, digests, listings, papers, subscriptions, threads
from tests.conftest import BACKENDS, store_engine

NOW = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
DAY = date(2026, 6, 3)
NEW_TABLES = {"paper_messages", "votes", "reactors", "replies", "repliers", "engagement", "saved"}


def _before_community(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0007")  # the revision community builds on


def _fill(connection: Connection) -> None:
    connection.execute(
        insert(subscriptions),
        [
            {
                "platform": "slack",
                "channel": "C0001",
                "workspace": "T0001",
                "topics": ["diffusion"],
                "time": "09:00",
                "timezone": "UTC",
                "days": "mon-fri",
                "limit": 5,
                "min_upvotes": 0,
                "source": "chat",
                "updated_at": NOW,
            }
        ],
    )
    connection.execute(
        insert(digests),
        [
            {
                "platform": "slack",
                "channel": "C0001",
                "day": DAY,
                "workspace": "T0001",
                "status": "done",
                "owner": "old",
                "lease_until": NOW,
                "papers": 1,
                "claimed_at": NOW,
            }
        ],
    )
    connection.execute(
        insert(digest_papers),
        [
            {
                "platform": "slack",
                "channel": "C0001",
                "arxiv_id": "2606.00001",
                "day": DAY,
                "position": 1,
                "intent_at": NOW,
                "message_ref": "100.1",
                "thread_ref": "100.1",
                "sent_at": NOW,
            }
        ],
    )
    connection.execute(
        insert(threads),
        [
            {
                "platform": "slack",
                "channel": "C0001",
                "thread_ref": "100.1",
                "arxiv_id": "2606.00001",
                "origin": "digest",
                "created_at": NOW,
            }
        ],
    )


def _counts(connection: Connection) -> dict[str, int]:
    tables = (papers, listings, subscriptions, digests, digest_papers, threads)
    return {t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables}


@pytest.mark.parametrize("name", BACKENDS)
async def test_a_0007_store_with_data_upgrades_with_nothing_lost(name: str, tmp_path: Path) -> None:
    async with store_engine(name, tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(_before_community)
        store = PaperStore(engine)
        await store.save_listings(
            [Listing(Paper(arxiv_id="2606.00001", title="Old paper", upvotes=12), DAY, 1)], fetched=[DAY]
        )
        async with engine.begin() as connection:
            await connection.run_sync(_fill)
            before = await connection.run_sync(_counts)
        await migrate(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {HEAD_REVISION} == {"0015"}
            assert await connection.run_sync(_counts) == before
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables >= NEW_TABLES
        assert (await store.get("2606.00001")) is not None
        engaged = EngagementStore(engine)
        where = ChannelRef("slack", "C0001", "T0001")
        card = await engaged.posted(where, "100.1")  # a card posted before the upgrade
        assert card is not None
        await engaged.record(Vote(card, "U1", "100.1", "+1", True, NOW))
        assert await engaged.top(where, None, None, 5) == [Engaged("2606.00001", 1, 0)]


@pytest.mark.parametrize("name", BACKENDS)
async def test_discord_votes_stored_by_an_emojis_name_are_kept_by_its_id_on_upgrade(name: str, tmp_path: Path) -> None:
    """0015: a server's own emoji was kept as `<a:parrot:111>`; a removal that came without the animated flag
    or with a new name never met it. Stored votes are rewritten, and a vote left on by such a removal
    (two rows, on and off) is taken off, the counts with it (review s76)."""
    from datetime import timedelta

    from bot.domain.publishing import MessageRef
    from bot.store.ledger import Ledger

    async with store_engine(name, tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "0014"))
        await PaperStore(engine).save_listings(
            [Listing(Paper(arxiv_id="2606.00001", title="P"), DAY, 1)], fetched=[DAY]
        )
        where = ChannelRef("discord", "300", "200")
        await Ledger(engine).record_message(where, MessageRef("300", "400", "400"), "2606.00001", NOW)
        engaged = EngagementStore(engine)
        card = await engaged.posted(where, "400")
        assert card is not None
        later = NOW + timedelta(minutes=1)
        for vote in (
            Vote(card, "U1", "400", "<a:parrot:111>", True, NOW),
            Vote(card, "U2", "400", "<:old:222>", True, NOW),
            Vote(card, "U2", "400", "<:new:222>", False, later),  # its removal, by its new name: met nothing
            Vote(card, "U3", "400", "👍", True, NOW),
            Vote(card, "U4", "400", "<a:parrot:111> (super)", True, NOW),  # a super reaction: its own
        ):
            await engaged.record(vote)
        assert await engaged.top(where, None, None, 5) == [Engaged("2606.00001", 4, 0)]  # U2's stuck on
        await migrate(engine)
        engaged = EngagementStore(engine)
        assert await engaged.top(where, None, None, 5) == [Engaged("2606.00001", 3, 0)]
        card = await engaged.posted(where, "400")
        assert card is not None
        await engaged.record(Vote(card, "U1", "400", "<:emoji:111>", False, later))  # as the adapter keys it now
        await engaged.record(Vote(card, "U4", "400", "<:emoji:111> (super)", False, later))
        assert await engaged.top(where, None, None, 5) == [Engaged("2606.00001", 1, 0)]  # U3's 👍, as it was
        async with engine.begin() as connection:  # a second run finds nothing to do
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0014"))
        await migrate(engine)
        assert await EngagementStore(engine).top(where, None, None, 5) == [Engaged("2606.00001", 1, 0)]
