"""Migration 0007 on a store with data in it: every row kept, the workspace filled in, the new keys in force."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, text

from bot.store.engine import alembic_config
from tests.conftest import BACKENDS, upgraded

AT = datetime(2026, 6, 1, 9, tzinfo=UTC)
DAY = date(2026, 6, 1)


def _upgrade_to_0004(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0004")


def _old_rows(connection: Connection) -> None:
    """What a store at 0004 may hold: a chat subscription (with its team), a config one (none), their ledger."""
    sub = (
        'INSERT INTO subscriptions (platform, channel, workspace, topics, time, timezone, days, "limit",'
        " min_upvotes, source, status, updated_at) VALUES (:p, :c, :w, '[]', '09:00', 'UTC', 'mon-fri', 5, 0, :s,"
        " NULL, :at)"
    )
    connection.execute(text(sub), [{"p": "slack", "c": "C1", "w": "T1", "s": "chat", "at": AT}])
    connection.execute(text(sub), [{"p": "slack", "c": "C2", "w": "", "s": "config", "at": AT}])
    digest = (
        "INSERT INTO digests (platform, channel, day, workspace, status, owner, lease_until, papers, claimed_at)"
        " VALUES ('slack', :c, :d, :w, 'done', 'old', :at, 1, :at)"
    )
    connection.execute(
        text(digest), [{"c": "C1", "d": DAY, "w": "T1", "at": AT}, {"c": "C2", "d": DAY, "w": "", "at": AT}]
    )
    paper = (
        "INSERT INTO digest_papers (platform, channel, arxiv_id, day, position, intent_at, message_ref, thread_ref)"
        " VALUES ('slack', :c, '2606.00001', :d, 1, :at, :ts, :ts)"
    )
    connection.execute(
        text(paper), [{"c": "C1", "d": DAY, "at": AT, "ts": "1.1"}, {"c": "C2", "d": DAY, "at": AT, "ts": "2.2"}]
    )
    thread = (
        "INSERT INTO threads (platform, channel, thread_ref, arxiv_id, origin, created_at)"
        " VALUES ('slack', :c, :ts, '2606.00001', :o, :at)"
    )
    connection.execute(
        text(thread),
        [
            {"c": "C1", "ts": "1.1", "o": "digest", "at": AT},
            {"c": "C1", "ts": "9.9", "o": "share", "at": AT},  # a share: its workspace comes from the subscription
            {"c": "C3", "ts": "3.3", "o": "share", "at": AT},  # a channel we know nothing else of: ""
        ],
    )


def _rows(connection: Connection, table: str, *columns: str) -> set[tuple[object, ...]]:
    return {tuple(r) for r in connection.execute(text(f"SELECT {', '.join(columns)} FROM {table}"))}


@pytest.mark.parametrize("name", BACKENDS)
async def test_0005_keeps_every_row_and_keys_them_by_workspace(name: str, tmp_path: Path) -> None:
    async with upgraded(name, tmp_path, _upgrade_to_0004, _old_rows) as engine, engine.begin() as connection:
        assert await connection.run_sync(_rows, "subscriptions", "workspace", "channel", "source") == {
            ("T1", "C1", "chat"),
            ("", "C2", "config"),
        }
        assert await connection.run_sync(_rows, "digests", "workspace", "channel", "status") == {
            ("T1", "C1", "done"),
            ("", "C2", "done"),
        }
        assert await connection.run_sync(_rows, "digest_papers", "workspace", "channel", "thread_ref") == {
            ("T1", "C1", "1.1"),
            ("", "C2", "2.2"),
        }
        assert await connection.run_sync(_rows, "threads", "workspace", "channel", "thread_ref") == {
            ("T1", "C1", "1.1"),
            ("T1", "C1", "9.9"),
            ("", "C3", "3.3"),
        }
        # The same channel id in another workspace is a row of its own now.
        await connection.execute(
            text(
                "INSERT INTO subscriptions (platform, workspace, channel, topics, time, timezone, days,"
                " \"limit\", min_upvotes, source, updated_at) VALUES ('slack', 'T2', 'C1', '[]',"
                " '09:00', 'UTC', 'mon-fri', 5, 0, 'chat', :at)"
            ),
            {"at": AT},
        )
        assert len(await connection.run_sync(_rows, "subscriptions", "workspace", "channel")) == 3
        tables = await connection.run_sync(_rows, "installations", "platform")
        assert tables == set()
