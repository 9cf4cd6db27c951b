"""An interaction's answer and what it may do: the first response (one per interaction, which also
judges between replicas), the followups, who asks and where, whether they may post here, and whether
the bot can post a digest here."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

import discord

from adapters.discord.community import card_buttons
from adapters.discord.followup import follow_up
from adapters.discord.render import Message, attachments
from bot.chat.asker import Asker
from bot.domain.channels import ChannelRef
from bot.domain.words import listed

log = logging.getLogger("paperboy.discord")


ALREADY_ACKNOWLEDGED = 40060  # Discord's error code for a second initial response to one interaction
UNKNOWN_INTERACTION = 10062  # …and for one it has dropped: no first response came within its 3 s
FIRST_RESPONSE_S = 5.0  # Discord takes a first response within 3 s: waiting longer (a 429's retry_after) is vain


async def defer(interaction: discord.Interaction) -> bool:
    """Defer at once (Discord allows 3 s); False when another replica answered first (`first_response`).
    No database write comes before it."""
    return await first_response(interaction.response.defer(ephemeral=True, thinking=True))


async def first_response(response: Awaitable[object]) -> bool:
    """Give an interaction's initial response. Discord takes one per interaction, so it is also the
    judge between replicas whose gateway sessions both received it: False means another one (or an
    earlier delivery of the same event) answered first."""
    try:
        async with asyncio.timeout(FIRST_RESPONSE_S):
            await response
    except discord.InteractionResponded:
        return False
    except discord.HTTPException as exc:
        if exc.code == ALREADY_ACKNOWLEDGED:
            return False
        if exc.code != UNKNOWN_INTERACTION:
            raise
    except TimeoutError:  # a rate limit discord.py would wait out, or a host too slow: Discord has dropped it
        pass
    else:
        return True
    log.warning("an interaction was not answered: %s", LATE)
    return False


LATE = (
    "Discord drops an interaction that gets no first response within 3 s, and this one got none in time (a rate"
    " limit, or a host too busy to answer); its user saw 'This interaction failed' and may try again"
)


def doing_of(interaction: discord.Interaction) -> str:
    """The command an interaction runs, for the log: `/papers subscribe`, or the form's submission."""
    command = interaction.command
    return f"/{command.qualified_name}" if command is not None else "the subscribe form"


NOT_YOURS_TO_POST = (
    "You can't send messages here, so paperboy won't post this card here for you: share it where you can post, "
    "or ask someone who can post here."
)


def may_post(interaction: discord.Interaction) -> bool:
    """Whether the person may send messages where the interaction comes from (in a thread: in threads):
    a Share posts in their name, so only where they could have posted it themselves."""
    if interaction.guild_id is None:  # a direct message: theirs to post in (Discord sends no permissions)
        return True
    allowed = interaction.permissions
    in_thread = isinstance(interaction.channel, discord.Thread)
    return bool(allowed.send_messages_in_threads if in_thread else allowed.send_messages)


def out_of_reach(interaction: discord.Interaction, *, of_parent: bool = False) -> str | None:
    """Why a digest subscribed here would never arrive (the bot's own permissions in the channel, which
    Discord sends with the interaction), or None. A forum takes posts (Send Messages), and each card's
    post its thread's seed (Send Messages in Threads); a text channel also a thread under each card.
    `of_parent`: the digest is the channel's that the thread is in (a thread's permissions are its
    channel's)."""
    if interaction.guild_id is None:
        return None
    mine, channel = interaction.app_permissions, interaction.channel
    where = "this channel"
    if of_parent and isinstance(channel, discord.Thread):
        where = f"<#{channel.parent_id}>"
        channel = channel.parent  # None when not cached: judged as a channel that takes messages
    needed = {"View Channel": mine.view_channel, "Embed Links": mine.embed_links}
    if isinstance(channel, discord.Thread):
        needed["Send Messages in Threads"] = mine.send_messages_in_threads
    else:
        needed["Send Messages"] = mine.send_messages
    if isinstance(channel, discord.ForumChannel):
        needed["Send Messages in Threads"] = mine.send_messages_in_threads
    if isinstance(channel, discord.TextChannel):
        needed |= {
            "Create Public Threads": mine.create_public_threads,
            "Send Messages in Threads": mine.send_messages_in_threads,
        }
    lacking = [name for name, allowed in needed.items() if not allowed]
    if not lacking and isinstance(channel, discord.ForumChannel) and not _taggable(channel):
        return (
            f"I can't post a digest in {where}, so it would never arrive: the forum requires a tag on every post and"
            " has none I may apply (all are moderated). Add a tag anyone may apply, then subscribe again."
        )
    if not lacking:
        return None
    return (
        f"I can't post a digest in {where}, so it would never arrive: give my role {listed(lacking)} "
        f"{'here' if where == 'this channel' else 'there'}, "
        "then subscribe again."
    )


def _taggable(forum: discord.ForumChannel) -> bool:
    """Whether the bot can post in the forum as to tags (`forum_tags`: one it may apply, where one is required)."""
    return not forum.flags.require_tag or any(not tag.moderated for tag in forum.available_tags)


async def follow_ups(interaction: discord.Interaction, doing: str, messages: list[Message]) -> None:
    """An answer of one or more messages, each seen only by the one who asked, with its cards' buttons
    and files; after a message Discord refused, the rest are not sent (they would meet the same)."""
    for message in messages:
        if not await follow_up(
            interaction,
            doing,
            content=message.content or discord.utils.MISSING,
            embeds=message.embeds,
            view=card_buttons(message),
            files=attachments(message),
            ephemeral=True,
        ):
            return


def asker_of(interaction: discord.Interaction) -> Asker:
    """Who asks, and where: in a thread (a forum's post, a paper's thread), the channel it is in is the
    asker's `parent`, whose digest and votes a channel command is about (bot.chat.service)."""
    channel, guild = interaction.channel, str(interaction.guild_id or "")
    parent = channel.parent_id if isinstance(channel, discord.Thread) and channel.parent_id else None
    return Asker(
        ChannelRef("discord", str(interaction.channel_id or ""), guild),
        str(interaction.user.id),
        direct=interaction.guild_id is None,
        can_manage=bool(interaction.permissions.manage_channels),
        parent=ChannelRef("discord", str(parent), guild) if parent else None,
    )
