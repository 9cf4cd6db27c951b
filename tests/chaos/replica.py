"""One replica for the chaos test: the real sweep, ledger and publishers, on a clock read from a file.

    python -m tests.chaos.replica

It is `paperboy run`'s delivery path without the chat front-ends: the sweep in a loop, Slack and
Discord reached through their real SDK clients at the fakes' addresses (the PAPERBOY_* variables),
and simulated time read from the file named by CHAOS_CLOCK, so a whole day passes in a minute.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from adapters.discord.connection import rest_client, use_endpoints
from adapters.discord.publisher import DiscordPublisher
from adapters.slack.app import slack_client
from adapters.slack.publisher import SlackPublisher
from bot.app.bootstrap import Services, open_services, read_config
from bot.app.settings import Settings, load_settings
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.sweep import Sweeper
from bot.domain.publishing import Publisher
from bot.store.ledger import Claim, Key, Ledger


class NotingLedger(Ledger):
    """The real ledger, noting in the file named by CHAOS_TAKEOVERS each digest it took over (resumed)."""

    async def claim_many(
        self, keys: Collection[Key], now: datetime, *, retry_stopped: bool = False
    ) -> dict[Key, Claim]:
        claims = await super().claim_many(keys, now, retry_stopped=retry_stopped)
        resumed = [f"{channel} {day}\n" for (channel, day), claim in claims.items() if claim.state == "resume"]
        if resumed:
            _note(resumed)
        return claims


def _note(lines: list[str]) -> None:
    with Path(os.environ["CHAOS_TAKEOVERS"]).open("a", encoding="utf-8") as log:
        log.write("".join(lines))  # one short append: whole lines, whichever replica writes at once


def file_clock() -> Callable[[], datetime]:
    """Simulated time: what the file named by CHAOS_CLOCK says now."""
    clock_file = Path(os.environ["CHAOS_CLOCK"])
    return lambda: datetime.fromisoformat(clock_file.read_text(encoding="utf-8").strip())


def lease() -> timedelta:
    return timedelta(minutes=int(os.environ["CHAOS_LEASE_MINUTES"]))


@asynccontextmanager
async def fake_publishers(settings: Settings) -> AsyncIterator[dict[str, Publisher]]:
    """Slack and Discord publishers on their real SDK clients, at the fakes' addresses."""
    slack = SlackPublisher(slack_client("xoxb-chaos", settings.slack_api_url), interval=0.0)
    use_endpoints(settings.discord_api_url, settings.discord_gateway_url)
    client = await rest_client(os.environ["DISCORD_TOKEN"])
    try:
        yield {"slack": slack, "discord": DiscordPublisher(client)}
    finally:
        await client.close()


@asynccontextmanager
async def as_run() -> AsyncIterator[tuple[Services, dict[str, Publisher]]]:
    """The services as `paperboy run` opens them (the config file's subscriptions saved), and the publishers."""
    settings = load_settings()
    async with (
        open_services(settings, read_config(settings), seed=True) as services,
        fake_publishers(settings) as publishers,
    ):
        yield services, publishers


async def main() -> None:
    clock = file_clock()
    async with as_run() as (services, publishers):
        ledger = NotingLedger(services.store.engine, lease=lease())
        delivery = DigestDelivery(
            services.store, services.search, ledger, services.subscriptions, publishers, clock=clock
        )
        sweeper = Sweeper(
            services.subscriptions, ledger, services.store, delivery, services.config.schedule, frozenset(publishers)
        )
        await sweeper.sweep(clock())
        if os.environ.get("CHAOS_READY"):  # at work: the test may kill it from now on
            await asyncio.to_thread(Path(os.environ["CHAOS_READY"], str(os.getpid())).touch)
        while True:
            await asyncio.sleep(0.005)
            await sweeper.sweep(clock())


if __name__ == "__main__":
    asyncio.run(main())
