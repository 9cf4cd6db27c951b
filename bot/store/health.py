"""Is the store usable right now? One cheap query, bounded in time, answered in one line."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.faults import store_fault

HEALTH_TIMEOUT = 3.0  # seconds; a health check that hangs is a failed one


async def database_problem(engine: AsyncEngine, within: float = HEALTH_TIMEOUT) -> str | None:
    """None when the database answers a read of the schema's version; otherwise what is wrong, in one
    line that names no credentials (the URL's password never appears)."""
    backend = engine.url.get_backend_name()
    try:
        async with asyncio.timeout(within):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT count(*) FROM alembic_version"))
    except TimeoutError:
        return f"database: {backend} did not answer within {within:g} s"
    except (SQLAlchemyError, OSError) as exc:
        # In our words (bot.store.faults), never the driver's text: that can carry statements and values.
        fault = store_fault(exc, engine.url)
        reason = fault.reason if fault is not None else type(getattr(exc, "orig", None) or exc).__name__
        return f"database: {backend} cannot be read ({reason})"
    return None
