"""One replica for the chaos test: the real sweep, ledger and publishers, on a clock read from a file.

    python -m tests.chaos.replica

It is `paperboy run`'s delivery path without the chat front-ends: the sweep in a loop, Slack and
Discord reached through their real SDK clients at the fakes' addresses (the PAPERBOY_* variables),
and simulated time read from the file named by CHAOS_CLOCK, so a whole day passes in a minute.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta
from pathlib import Path

from adapters.discord.app import rest_client, use_endpoints
from adapters.discord.publisher import DiscordPublisher
from adapters.slack.app import slack_client
from adapters.slack.publisher import SlackPublisher
from bot.bootstrap import open_services, read_config
from bot.delivery import DigestDelivery
from bot.publishing import Publisher
from bot.settings import load_settings
from bot.store.ledger import Ledger
from bot.sweep import Sweeper


async def main() -> None:
    clock_file = Path(os.environ["CHAOS_CLOCK"])

    def clock() -> datetime:
        return datetime.fromisoformat(clock_file.read_text(encoding="utf-8").strip())

    settings = load_settings()
    async with open_services(settings, read_config(settings)) as services:
        ledger = Ledger(services.store.engine, lease=timedelta(minutes=int(os.environ["CHAOS_LEASE_MINUTES"])))
        slack = SlackPublisher(slack_client("xoxb-chaos", settings.slack_api_url), interval=0.0)
        use_endpoints(settings.discord_api_url, settings.discord_gateway_url)
        client = await rest_client(os.environ["DISCORD_TOKEN"])
        try:
            publishers: dict[str, Publisher] = {"slack": slack, "discord": DiscordPublisher(client)}
            delivery = DigestDelivery(
                services.store, services.search, ledger, services.subscriptions, publishers, clock=clock
            )
            sweeper = Sweeper(
                services.subscriptions,
                ledger,
                services.store,
                delivery,
                services.config.schedule,
                frozenset(publishers),
            )
            while True:
                await sweeper.sweep(clock())
                await asyncio.sleep(0.005)
        finally:
            await client.close()


if __name__ == "__main__":
    asyncio.run(main())
