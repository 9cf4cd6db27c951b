"""Revision 0014: votes keep since when each reaction is on. A store's reactions still on keep the
time they were stored with, so last week's roundup and this week's count them as before; ones taken
off have none, and a copy of an add after the upgrade moves nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, insert, inspect, select

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged
from bot.store.engagement import EngagementStore, Posted, Vote
from bot.store.engine import alembic_config
from bot.store.tables import votes
from tests.conftest import BACKENDS, upgraded

NOW = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
WHERE = {"platform": "discord", "workspace": "G1", "channel": "111", "arxiv_id": "2606.00001", "message": "5"}


def _at_0013_with_votes(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0013")
    vote = {**WHERE, "reaction": "+1"}
    connection.execute(
        insert(votes),
        [
            {**vote, "user_id": "U1", "present": True, "event_at": NOW - timedelta(days=1)},
            {**vote, "user_id": "U2", "present": False, "event_at": NOW - timedelta(days=2)},
        ],
    )


@pytest.mark.parametrize("name", BACKENDS)
async def test_reactions_on_before_the_upgrade_stay_in_their_week(name: str, tmp_path: Path) -> None:
    async with upgraded(name, tmp_path, _at_0013_with_votes) as engine:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(votes.c.user_id, votes.c.put_on_at).order_by("user_id"))).all()
            indexes = await connection.run_sync(lambda c: {i["name"] for i in inspect(c).get_indexes("votes")})
        assert [(user, on is not None) for user, on in rows] == [("U1", True), ("U2", False)]
        assert "ix_votes_channel_on" in indexes and "ix_votes_channel_at" not in indexes
        engaged, channel = EngagementStore(engine), ChannelRef("discord", "111", "G1")
        week = (NOW - timedelta(days=7), NOW)
        assert await engaged.discussed(channel, *week, 5) == [Engaged("2606.00001", 1, 0)]
        card = Posted(channel, "2606.00001", NOW - timedelta(days=3))
        await engaged.record(Vote(card, "U1", "5", "+1", True, NOW + timedelta(minutes=1)))  # a copy, after
        assert await engaged.discussed(channel, *week, 5) == [Engaged("2606.00001", 1, 0)]
        assert await engaged.discussed(channel, NOW, NOW + timedelta(days=7), 5) == []
