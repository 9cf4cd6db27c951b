"""Discord's side of votes, replies and reading lists: raw reaction events, thread messages, Save buttons
and the `/papers top`, `saved` and `unsave` commands.

Intents: `guild_reactions` (not privileged) for MESSAGE_REACTION_ADD / REMOVE, which discord.py's
raw events deliver for every message, cached or not; `guild_messages` (already asked for) for
MESSAGE_CREATE in a paper's thread. Counting a reply needs its author and thread, not its text, so
the privileged message-content intent stays off.

A reaction added names the message's author (`message_author_id`): any of the bot's messages in a
paper's thread (the seed, its answers) is a message for that paper. A removal carries no author and
no member; it can only take off a vote that was counted, so it is looked up the same wide way.
Discord sends each dispatch once per gateway session, and a replica's copy of one is the same vote
(person, message, emoji) or reply (message id): stored once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from adapters.discord.followup import follow_up
from adapters.discord.render import said
from bot.chat.commands import Saved, Top, paper_option
from bot.chat.replies import replied
from bot.community.service import BOOKMARKS, Community, Reaction
from bot.domain.channels import ChannelRef

if TYPE_CHECKING:
    from adapters.discord.app import PaperBot
    from adapters.discord.render import Message

log = logging.getLogger("paperboy.discord")
SAVE = "save:"
SHARE = "share:"
THREADS = (discord.ChannelType.public_thread, discord.ChannelType.private_thread, discord.ChannelType.news_thread)


def emoji_key(emoji: discord.PartialEmoji) -> str:
    """An emoji as its votes are kept: a server's own by its id alone, a Unicode one as itself. Keyed as
    discord.py writes it (`<a:name:id>`), a removal never met its vote where it came without the
    `animated` flag, with the name a moderator gave the emoji since, or with none (deleted)."""
    return f"<:emoji:{emoji.id}>" if emoji.id is not None else str(emoji)


class CardButtons(discord.ui.View):
    """A Share button (where asked) and a Save button per card; custom ids carry the paper, so a click
    is understood by any replica, after any restart (`on_interaction` here and in the app)."""

    def __init__(self, shares: list[tuple[str, str]], saves: list[tuple[str, str]]) -> None:
        super().__init__(timeout=None)
        share = dict(shares)
        for paper_id, label in saves[:12]:  # 25 components a message at most
            if paper_id in share:
                self.add_item(
                    discord.ui.Button(
                        label=share[paper_id], custom_id=f"{SHARE}{paper_id}", style=discord.ButtonStyle.primary
                    )
                )
            self.add_item(
                discord.ui.Button(label=label, custom_id=f"{SAVE}{paper_id}", style=discord.ButtonStyle.secondary)
            )

    def is_dispatchable(self) -> bool:
        """False: nothing here waits for a click (the custom id says it all), so discord.py keeps no
        copy of the view. It kept each one it sent: every digest card's for the life of the process,
        every answer's for 15 minutes, and a full garbage collection walked them all."""
        return False


def card_buttons(message: Message) -> CardButtons | Any:
    """The buttons under an answer's cards, or MISSING when it has none."""
    if not message.saves:
        return discord.utils.MISSING
    return CardButtons(message.shares, message.saves)


def save_button(paper_id: str) -> CardButtons:
    """The Save button under a card posted in a channel (a digest's, a shared one)."""
    return CardButtons([], [(paper_id, "Save")])


def _in_thread(channel: object) -> bool:
    return getattr(channel, "type", None) in THREADS


class DiscordCommunity:
    """The community events of one PaperBot."""

    def __init__(self, bot: discord.Client, community: Community) -> None:
        self._bot = bot
        self.community = community

    def _me(self) -> int | None:
        return self._bot.user.id if self._bot.user is not None else None

    async def reaction(self, payload: discord.RawReactionActionEvent, *, added: bool) -> None:
        if payload.user_id == self._me():
            return  # the bot's own reactions are not votes
        if payload.guild_id is None:  # a direct message has no channel's votes, but its bookmark saves
            if added and str(payload.emoji) in BOOKMARKS["discord"]:
                where, user = ChannelRef("discord", str(payload.channel_id)), str(payload.user_id)
                try:
                    await self.community.bookmarked_in_direct(where, str(payload.message_id), user, datetime.now(UTC))
                except Exception:
                    log.exception("saving a bookmarked paper in %s failed", where)
            return
        if added:
            if payload.member is not None and payload.member.bot:
                return
            author = getattr(payload, "message_author_id", None)
            if author is not None and author != self._me():
                return  # someone else's message: no paper's
            bot_message = author == self._me()
        else:
            bot_message = True  # a removal names no author: it can only take off a vote that was counted
        where = ChannelRef("discord", str(payload.channel_id), str(payload.guild_id))
        emoji = emoji_key(payload.emoji)
        event = Reaction(
            where,
            str(payload.message_id),
            str(payload.user_id),
            emoji,
            added,
            datetime.now(UTC),
            bot_message,
            burst=bool(getattr(payload, "burst", False)),
        )
        try:
            await self.community.reaction(event)
        except Exception:
            log.exception("counting a reaction in %s failed", where)

    async def cleared(
        self, guild: int | None, channel: int, message: int, emoji: discord.PartialEmoji | None = None
    ) -> None:
        """A moderator took every reaction (or every one of an emoji) off a message: its votes go too."""
        if guild is None:
            return  # a direct message has no channel's votes
        where = ChannelRef("discord", str(channel), str(guild))
        try:
            key = emoji_key(emoji) if emoji is not None else None
            await self.community.reactions_cleared(where, str(message), key, datetime.now(UTC))
        except Exception:
            log.exception("taking off the votes of the reactions cleared in %s failed", where)

    async def message(self, message: discord.Message) -> None:
        """A person's message in a thread: a reply, when the thread is a paper's."""
        channel = message.channel
        if message.author.bot or message.guild is None or message.is_system() or not _in_thread(channel):
            return  # a bot's, a direct message, a notice (a pin, a rename, someone added), or not in a thread
        where = ChannelRef("discord", str(channel.id), str(message.guild.id))
        try:
            await self.community.reply(
                where, str(channel.id), str(message.id), str(message.author.id), message.created_at
            )
        except Exception:
            log.exception("counting a reply in %s failed", where)

    async def interaction(self, interaction: discord.Interaction) -> bool:
        """A Save button's click: the paper goes on the clicker's list (True: it was one)."""
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if interaction.type is not discord.InteractionType.component or not custom_id.startswith(SAVE):
            return False
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except (discord.InteractionResponded, discord.HTTPException):
            return True  # another replica answers this click
        where = ChannelRef("discord", str(interaction.channel_id or ""), str(interaction.guild_id or ""))
        person = self.community.person(where, str(interaction.user.id))
        paper = custom_id.removeprefix(SAVE)
        text = await replied(self.community.save(person, paper), f"saving {paper} for {person}", str)
        await follow_up(interaction, f"the Save of {paper}", content=said(text), ephemeral=True)
        return True


def add_commands(group: app_commands.Group, bot: PaperBot) -> None:
    """`/papers top period:`, `/papers saved format:`, `/papers save id:`, `/papers unsave id:`."""

    @group.command(name="top", description="This channel's most engaged papers (reactions and replies)")
    @app_commands.describe(period="Cards posted in the last week (default), month, or ever")
    @app_commands.choices(
        period=[app_commands.Choice(name=p, value=p) for p in ("week", "month", "all")],
    )
    async def top(interaction: discord.Interaction, period: str = "week") -> None:
        await bot.answer(interaction, Top(period))

    @group.command(name="saved", description="Your reading list (only you see it)")
    @app_commands.rename(fmt="format")
    @app_commands.describe(fmt="list (default) or bibtex")
    @app_commands.choices(fmt=[app_commands.Choice(name=f, value=f) for f in ("list", "bibtex")])
    async def saved(interaction: discord.Interaction, fmt: str = "list") -> None:
        await bot.answer(interaction, Saved(bibtex=fmt == "bibtex"))

    @group.command(name="save", description="Put a paper on your reading list (only you see it)")
    @app_commands.rename(paper_id="id")
    @app_commands.describe(paper_id="The paper's arXiv id (2406.12345) or link; up to 10, with spaces or commas")
    async def save(interaction: discord.Interaction, paper_id: str) -> None:
        await bot.answer(interaction, paper_option("save", paper_id))

    @group.command(name="unsave", description="Take a paper off your reading list")
    @app_commands.rename(paper_id="id")
    @app_commands.describe(paper_id="The paper's arXiv id (2406.12345) or link; up to 10, with spaces or commas")
    async def unsave(interaction: discord.Interaction, paper_id: str) -> None:
        await bot.answer(interaction, paper_option("unsave", paper_id))
