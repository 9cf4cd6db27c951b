"""How a command runs: the services opened, papers made sure of, its work, and the store's faults said in
our words."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from bot.app.cli import days
from bot.app.cli.interrupts import deadline_at_interrupt
from bot.app.cli.output import err
from bot.domain.errors import ConfigError, PaperboyError
from bot.host.heap import loaded

if TYPE_CHECKING:
    from bot.app.bootstrap import Services
    from bot.app.settings import Settings

T = TypeVar("T")


def with_services(work: Callable[[Services], Awaitable[T]], *, ensure: bool = True) -> T:
    """Open the services, make sure there are papers
    (announcing a snapshot), run `work`.

    The snapshot notice follows the work (`run` says it once started), so a command that fails says one
    line only: what went wrong. Store faults become that line (`faults`).
    """
    import asyncio

    from bot.app.bootstrap import open_services, read_config
    from bot.app.settings import load_settings

    # A connection closed while Ctrl-C cancels the command is no news: SQLAlchemy's pool printed its
    # traceback above the command's one line. Nor in `run`: a query that fails says so itself.
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
    settings = load_settings()
    config = read_config(settings)

    async def main() -> T:
        with deadline_at_interrupt():
            return await served()

    async def served() -> T:
        async with open_services(settings, config) as services:
            loaded()  # start-up is over (bot/host/heap.py)
            notice = await services.catalog.ensure_papers(days.today()) if ensure else None
            done = await work(services)
            if notice:
                err.print(notice, style="yellow", markup=False)
            return done

    with faults(settings):
        return asyncio.run(main())


@contextmanager
def faults(settings: Settings) -> Iterator[None]:
    """Operator faults as one `PaperboyError` each, in our words: a store that cannot be opened, read
    or written (`bot.store.faults`), the Slack port taken. Anything else is left as it is."""
    try:
        yield
    except PaperboyError:
        raise
    except Exception as exc:
        import errno

        from bot.app.settings import store_setting
        from bot.store.engine import database_url
        from bot.store.faults import causes, store_fault

        fault = store_fault(exc, database_url(settings.database_url, settings.data_dir), store_setting(settings))
        if fault is not None:
            raise fault from exc
        for found in causes(exc):
            if isinstance(found, OSError) and found.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {settings.slack_port} (PAPERBOY_SLACK_PORT) is already in use by another program: "
                    "stop it, or set PAPERBOY_SLACK_PORT to a free port"
                ) from exc
            if isinstance(found, OSError) and found.errno == errno.EACCES and settings.slack_port < 1024:
                raise ConfigError(
                    f"port {settings.slack_port} (PAPERBOY_SLACK_PORT) needs root, and paperboy does not run as"
                    " root (the Docker image neither): keep port 3000 and let the HTTPS proxy in front listen on"
                    f" {settings.slack_port}"
                ) from exc
        raise
