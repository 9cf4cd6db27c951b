"""Revision 0010: the unposted intents of digests given up before it stop counting as sent; the
posted cards, and the intents of digests still under way, stay."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select

from bot.domain.channels import ChannelRef
from bot.store.engine import alembic_config
from bot.store.ledger import Ledger
from bot.store.tables import digest_papers, digests
from tests.conftest import BACKENDS, upgraded

NOW = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
GIVEN_UP, UNDER_WAY = date(2026, 6, 1), date(2026, 6, 2)


def _at_0009_with_intents(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0009")
    where = {"platform": "slack", "workspace": "T1", "channel": "C1"}
    connection.execute(
        insert(digests),
        [
            {**where, "day": GIVEN_UP, "status": "skipped", "owner": "old", "lease_until": NOW, "claimed_at": NOW},
            {**where, "day": UNDER_WAY, "status": "failed", "owner": "old", "lease_until": NOW, "claimed_at": NOW},
        ],
    )
    intent = {**where, "position": 1, "intent_at": NOW, "message_ref": None}
    connection.execute(
        insert(digest_papers),
        [
            {**intent, "day": GIVEN_UP, "arxiv_id": "2606.00001", "message_ref": "100.1"},  # posted
            {**intent, "day": GIVEN_UP, "arxiv_id": "2606.00002"},  # never posted: the digest was given up
            {**intent, "day": UNDER_WAY, "arxiv_id": "2606.00003"},  # its digest may still post it
        ],
    )


@pytest.mark.parametrize("name", BACKENDS)
async def test_the_intents_a_given_up_digest_never_posted_are_removed(name: str, tmp_path: Path) -> None:
    async with upgraded(name, tmp_path, _at_0009_with_intents) as engine:
        async with engine.connect() as connection:
            kept = set((await connection.execute(select(digest_papers.c.arxiv_id))).scalars())
        assert kept == {"2606.00001", "2606.00003"}
        channel = ChannelRef("slack", "C1", "T1")
        sent = await Ledger(engine).sent_before(channel, ["2606.00001", "2606.00002", "2606.00003"], date(2026, 6, 4))
        assert sent == {"2606.00001", "2606.00003"}
