"""An interaction's answer after its defer (a followup, through the interaction's webhook), and what is
said when Discord will not take it: the bot left the channel, the 15 minutes of the interaction's token
ran out, a rate limit or an outage that outlasted discord.py's own retries."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord

log = logging.getLogger("paperboy.discord")
MOST_WAIT_S = 30.0  # the longest an answer waits on Discord (as the bot's other calls: max_ratelimit_timeout)

# Discord's refusals of an interaction's answer (its followup, through the interaction's webhook) that
# are no fault of ours, and what they mean.
_EXPIRED = "the interaction's token expired (Discord takes answers for 15 minutes after a command)"
UNANSWERABLE = {
    50001: "the bot can no longer see the channel (removed from it, or its View Channel taken away)",
    50013: "the bot lacks a permission there (Send Messages, Embed Links)",
    10015: _EXPIRED,  # Unknown Webhook
    50027: _EXPIRED,  # Invalid Webhook Token
}


async def follow_up(interaction: discord.Interaction, doing: str, **fields: Any) -> bool:
    """Send an answer to the interaction; False, said in the log, when Discord refuses it or cannot be
    reached (after discord.py's own retries of a 429 and a 5xx). What the command did stays done."""
    where = interaction.channel_id
    try:
        async with asyncio.timeout(MOST_WAIT_S):  # discord.py waits out a webhook's 429 however long it is
            await interaction.followup.send(**fields)
    except TimeoutError:
        log.warning(
            "the answer to %s in channel %s was not delivered: Discord did not take it within %.0f s (a long rate"
            " limit, or Discord out of reach); what the command did is done",
            doing,
            where,
            MOST_WAIT_S,
        )
        return False
    except discord.HTTPException as exc:
        if exc.code in UNANSWERABLE:
            level, why = logging.WARNING, UNANSWERABLE[exc.code]
        elif exc.status == 429:
            level, why = logging.WARNING, "Discord rate-limited it"
        elif exc.status >= 500:
            level, why = logging.WARNING, "Discord's API is having trouble (https://discordstatus.com)"
        else:
            level, why = logging.ERROR, "Discord refused it, most likely a fault of ours"
        log.log(
            level,
            "the answer to %s in channel %s was not delivered: %s (%s %s: %s); what the command did is done",
            doing,
            where,
            why,
            exc.status,
            exc.code,
            exc.text,
        )
        return False
    except aiohttp.ClientError as exc:
        log.warning(
            "the answer to %s in channel %s was not delivered: Discord could not be reached (%r)", doing, where, exc
        )
        return False
    return True
