"""A new, empty PostgreSQL database per test on the server `scripts/with-postgres.sh` started."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url


@asynccontextmanager
async def postgres_database(server_url: str) -> AsyncIterator[str]:
    name = f"paperboy_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as conn:
        await conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as conn:
            await conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
