"""`/papers follow` on Slack: the person's time zone from their profile (`users.info` → `user.tz`) and
their direct message with the bot (`conversations.open`), where their digest goes."""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import error_code
from bot.chat.commands import Command, Follow
from bot.domain.channels import ChannelRef
from bot.domain.config import check_timezone

log = logging.getLogger("paperboy.slack")


async def user_timezone(client: AsyncWebClient, user: str) -> str | None:
    """The IANA zone of the person's Slack profile; None when Slack won't say or names no zone we know."""
    try:
        found = await client.users_info(user=user)
    except SlackApiError as exc:
        log.info("no time zone for %s (%s)", user, error_code(exc))
        return None
    zone = str((found.get("user") or {}).get("tz") or "")
    try:
        return check_timezone(zone)
    except ValueError:
        return None


async def direct_message(client: AsyncWebClient, user: str) -> str | None:
    """The id of the bot's direct message with `user` (D…), opened if need be; None if Slack refuses."""
    try:
        opened = await client.conversations_open(users=user)
    except SlackApiError as exc:
        log.info("could not open a direct message with %s (%s)", user, error_code(exc))
        return None
    return str((opened.get("channel") or {}).get("id") or "") or None


async def personal(
    client: AsyncWebClient, command: Command, channel: ChannelRef, user: str, direct: bool
) -> tuple[Command, ChannelRef]:
    """A `follow` typed in a direct message gets the person's zone and the bot's own DM with them (the
    command may have come from a DM with someone else, where the bot cannot post); anything else is
    left as it is."""
    if not isinstance(command, Follow) or not direct:
        return command, channel
    zone, dm = await user_timezone(client, user), await direct_message(client, user)
    return replace(command, timezone=zone), replace(channel, channel=dm or channel.channel)
