"""`/papers follow` on Slack: the person's time zone from their profile (`users.info` → `user.tz`) and
their direct message with the bot (`conversations.open`), where their digest goes; and the zone kept
in step with the profile (`user_change`), so a follower who moves gets their digest at 09:00 there."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import error_code
from adapters.slack.installations import workspace_of_body
from bot.chat.commands import Command, Follow
from bot.chat.service import ChatService
from bot.domain.channels import ChannelRef
from bot.domain.config import check_timezone
from bot.domain.errors import PaperboyError

log = logging.getLogger("paperboy.slack")


async def user_timezone(client: AsyncWebClient, user: str) -> str | None:
    """The IANA zone of the person's Slack profile; None when Slack won't say or names no zone we know."""
    try:
        found = await client.users_info(user=user)
    except SlackApiError as exc:
        log.info("no time zone for %s (%s)", user, error_code(exc))
        return None
    return _zone(found.get("user"))


def _zone(user: Any) -> str | None:
    """The IANA zone of a Slack user object (`tz`), None when it names none we know."""
    zone = str(user.get("tz") or "") if isinstance(user, dict) else ""
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
    if dm is None and not await _own_direct_message(client, channel.channel, user):
        raise PaperboyError(  # saved on a conversation the bot cannot post in, no digest would ever come
            "I couldn't open a direct message with you, where your digest would come, so nothing was saved."
            " Type `/papers follow …` in your direct message with me (open paperboy under Apps in the sidebar"
            " and use its Messages tab); if that fails too, ask whoever manages the app to reinstall it."
        )
    elsewhere = dm is not None and dm != channel.channel  # typed in a DM with someone else
    return replace(command, timezone=zone, elsewhere=elsewhere), replace(channel, channel=dm or channel.channel)


async def _own_direct_message(client: AsyncWebClient, channel: str, user: str) -> bool:
    """Whether `channel` is the bot's own direct message with `user` (one it can post in): a direct
    message between two people is none the bot can read."""
    try:
        found = await client.conversations_info(channel=channel)
    except SlackApiError:
        return False
    info = found.get("channel") or {}
    return isinstance(info, dict) and info.get("is_im") is True and info.get("user") == user


def listen_for_moves(app: AsyncApp, chat: ChatService) -> None:
    """`user_change` (a profile edited, its time zone among what changed): a person who follows topics
    gets their digest at 09:00 in the zone their profile now names. The zone was read once, at their
    first `follow`; without this a follower who moved kept getting it at the old zone's 09:00. A person
    whose account is deactivated (`deleted`) follows nothing any more: nothing is sent to them."""

    @app.event("user_change")
    async def changed(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = event.get("user")
        person = str(user.get("id") or "") if isinstance(user, dict) else ""
        if not person:
            return
        workspace = workspace_of_body(body)
        if isinstance(user, dict) and user.get("deleted") is True:
            if await chat.follows.left("slack", workspace, person):
                log.info("%s's account was deactivated: their follows end", person)
        elif (zone := _zone(user)) and await chat.follows.moved("slack", workspace, person, zone):
            log.info("%s's digest now comes at 09:00 %s (their Slack profile's time zone)", person, zone)
