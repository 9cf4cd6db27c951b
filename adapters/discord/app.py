"""The Discord bot's client: each interaction answered (the `/papers` group is `adapters.discord.slash`'s),
the Share button, reactions, and mentions in paper threads. Reaching Discord is
`adapters.discord.connection`'s; an interaction's first response and followups
`adapters.discord.interactions`'.

Every command defers at once (Discord allows 3 s for the first response) and answers with an
ephemeral followup. The client sends `AllowedMentions.none()` with every message, asks only for
the guilds and guild-messages intents (a message that mentions the bot carries its content without
the privileged message-content intent), and never sleeps on a rate limit for more than 30 s.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from adapters.discord.community import SHARE, DiscordCommunity, add_commands
from adapters.discord.connection import MAX_RATELIMIT_WAIT, intents, registered
from adapters.discord.followup import follow_up
from adapters.discord.forum_posts import forum_post_trace
from adapters.discord.inflight import HeldTree, InFlight
from adapters.discord.interactions import (
    NOT_YOURS_TO_POST,
    asker_of,
    defer,
    doing_of,
    follow_ups,
    may_post,
    out_of_reach,
)
from adapters.discord.publisher import DiscordPublisher
from adapters.discord.render import Message, post_message, post_messages, said
from adapters.discord.servers import ServerMembership
from adapters.discord.slash import papers_group
from adapters.discord.wording import REPLY_TO_A_CARD, shared
from bot.chat.commands import Command, Subscribe
from bot.chat.discussion import asks_of_reading_list, names_a_question
from bot.chat.replies import replied
from bot.chat.service import ChatService, Mention
from bot.community.service import Community
from bot.domain.ids import papers_named
from bot.domain.post import Post
from bot.host.bursts import ACKS_FIRST

log = logging.getLogger("paperboy.discord")


class PaperBot(discord.Client):
    def __init__(
        self,
        chat: ChatService,
        *,
        guilds: tuple[int, ...] = (),
        community: Community | None = None,
        servers: ServerMembership | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            http_trace=forum_post_trace(),
            **options,
        )
        self.chat = chat
        self.servers = servers
        self.publisher = DiscordPublisher(self)
        self.in_flight = InFlight()  # the handlers under way, which `DiscordRuntime.stop` lets finish
        self.tree = HeldTree(self, self.in_flight)
        group = papers_group(self)
        self.community = DiscordCommunity(self, community) if community is not None else None
        if community is not None:
            add_commands(group, self)
        self.tree.add_command(group)
        self._guilds = guilds
        self._registered = False  # `/papers`, once a process (`setup_hook` runs at every login)
        # adapters.discord.surfaces: the form, given when the command came (the check before it shares the budget)
        self.open_form: Callable[[discord.Interaction, float], Awaitable[None]] | None = None
        self.forms: Callable[[discord.Interaction], Awaitable[bool]] | None = None  # … and its submissions

    async def setup_hook(self) -> None:
        """Register `/papers`: in the configured guilds at once, or globally (Discord takes a while).

        With guilds listed, it is registered globally too, for direct messages only: Discord offers a
        guild's commands in that guild alone, and `follow`, `follows` and `unfollow` live in a DM with
        the bot. Only for DMs, so the listed servers do not show it twice."""
        if self._registered:  # a login again, after Discord was out of reach: registered at the first
            return
        self._registered = True
        if self._guilds:
            for guild_id in self._guilds:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                await registered(self.tree.sync(guild=guild), f"in the server {guild_id} ([discord] guilds)")
            for command in self.tree.get_commands():
                command.allowed_contexts = app_commands.AppCommandContext(guild=False, dm_channel=True)
        await registered(self.tree.sync(), "globally")

    async def answer(self, interaction: discord.Interaction, command: Command) -> None:
        self.in_flight.hold()  # a form's submission comes here from outside the command tree
        if not await defer(interaction):
            return  # another replica, on its own gateway session, is answering this one
        await ACKS_FIRST.turn()  # a burst's other defers go out before this search starts
        asker = asker_of(interaction)
        direct = asker.direct

        async def answered() -> list[Message]:
            # whether the bot can post here is asked for those who may subscribe (the others are told so)
            reach = isinstance(command, Subscribe) and asker.can_manage
            if reach and (refused := await self.unreachable(interaction)) is not None:
                return [Message(content=refused)]
            return post_messages(await self.chat.answer(command, asker), share=not direct and may_post(interaction))

        messages = await replied(answered(), f"/papers {command!r}", lambda line: [Message(content=line)])
        await follow_ups(interaction, doing_of(interaction), messages)

    async def unreachable(self, interaction: discord.Interaction) -> str | None:
        """`out_of_reach` for the channel whose digest a subscribe here changes (in a thread, most often
        the thread's channel)."""
        asker = asker_of(interaction)
        meant = await self.chat.meant(asker) if asker.parent is not None else asker
        return out_of_reach(interaction, of_parent=meant.channel != asker.channel)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        self.in_flight.hold()
        if self.servers is not None:
            await self.servers.left(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        self.in_flight.hold()
        if self.servers is not None:
            await self.servers.joined(guild)

    async def on_ready(self) -> None:
        """Connected: the servers the bot is in resume what their leaving paused (added back while no
        process was connected, no join came)."""
        self.in_flight.hold()
        if self.servers is not None:
            await self.servers.present(self.guilds)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.in_flight.hold()
        if self.community is not None:
            await self.community.reaction(payload, added=True)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.in_flight.hold()
        if self.community is not None:
            await self.community.reaction(payload, added=False)

    async def on_raw_reaction_clear(self, payload: discord.RawReactionClearEvent) -> None:
        self.in_flight.hold()
        if self.community is not None:
            await self.community.cleared(payload.guild_id, payload.channel_id, payload.message_id)

    async def on_raw_reaction_clear_emoji(self, payload: discord.RawReactionClearEmojiEvent) -> None:
        self.in_flight.hold()
        if self.community is not None:
            await self.community.cleared(payload.guild_id, payload.channel_id, payload.message_id, payload.emoji)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.in_flight.hold()
        if self.community is not None and await self.community.interaction(interaction):
            return
        if self.forms is not None and await self.forms(interaction):
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if interaction.type is not discord.InteractionType.component or not custom_id.startswith(SHARE):
            return
        if not await defer(interaction):
            return  # another replica is sharing it
        paper = custom_id.removeprefix(SHARE)
        if not may_post(interaction):  # a Share button from before, or an announcements channel
            await follow_up(interaction, f"the Share of {paper}", content=NOT_YOURS_TO_POST, ephemeral=True)
            return

        async def answered() -> str:
            workspace = str(interaction.guild_id or "")  # what `paperboy forget --team discord:GUILD` erases
            return shared(
                await self.chat.share(
                    "discord", str(interaction.channel_id), paper, self.publisher, workspace=workspace
                )
            )

        text = await replied(answered(), f"sharing {paper} in {interaction.channel_id}", str)
        await follow_up(interaction, f"the Share of {paper}", content=said(text), ephemeral=True)

    def _named_in(self, message: discord.Message) -> bool:
        """Whether the text names the bot: its user, or the role Discord made for it when it joined a
        server (the member list offers both when someone types @paperboy)."""
        if self.user is None:
            return False
        if self.user.id in message.raw_mentions:
            return True
        me = message.guild.me if message.guild is not None else None
        roles = me.roles if isinstance(me, discord.Member) else []
        own = {role.id for role in roles if role.tags is not None and role.tags.bot_id == self.user.id}
        return not own.isdisjoint(message.raw_role_mentions)

    async def on_message(self, message: discord.Message) -> None:
        self.in_flight.hold()
        if self.community is not None:
            await self.community.message(message)  # a reply in a paper's thread counts
        if message.author.bot:
            return
        if message.guild is None:
            await self._asked_directly(message)
            return
        if not self._named_in(message):
            return  # asked only when named in the text (a reply to the bot pings it without asking it)
        channel = message.channel
        is_thread = getattr(channel, "type", None) in (
            discord.ChannelType.public_thread,
            discord.ChannelType.private_thread,
            discord.ChannelType.news_thread,
        )
        parent = getattr(channel, "parent_id", None)
        thread = str(channel.id) if is_thread else None
        if not (thread and await self.chat.discusses("discord", str(parent or ""), thread)):
            # no paper's thread: a Reply to a card that stands alone (a voice channel's chat, a thread as
            # the channel, a card whose thread Discord would not start) is about that card, as in a DM
            card = await self._card_replied_to(str(channel.id), message.reference)
            if card is not None and await self.chat.stands_alone("discord", str(channel.id), card):
                await self._ask_about(message, str(channel.id), card)
                return
        guild = str(message.guild.id)  # (a direct message went to `_asked_directly`)
        asked = Mention(
            "discord",
            str(message.id),
            str(parent) if parent else None,
            thread,
            message.content,
            str(message.author.id),
            guild,
        )

        async def say(post: Post) -> None:
            await self.publisher.post_message(str(channel.id), post_message(post))

        await self.chat.mention(asked, say)

    async def _asked_directly(self, message: discord.Message) -> None:
        """A direct message with the bot (a personal digest's cards) has no threads, and the bot is the only
        one to talk to there: a question named outright (or the bot named) in a Reply to one of its cards
        is asked about that card's paper; one that replies to nothing is told how to ask."""
        if not (names_a_question(message.content) or asks_of_reading_list(message.content) or self._named_in(message)):
            return  # chatter (`save`, as a Reply to a card: that card's paper onto their reading list)
        where = str(message.channel.id)
        card = await self._card_replied_to(where, message.reference)
        if card is None and papers_named(message.content):  # `cite 2406.12345`: about the paper named
            await self._ask_about(message, where, None)
            return
        if card is None:
            if await self.chat.first_time("discord", str(message.id)):
                await self.publisher.post_message(where, Message(content=REPLY_TO_A_CARD))
            return
        await self._ask_about(message, where, card)

    async def _ask_about(self, message: discord.Message, where: str, card: str | None) -> None:
        """The question asked about the card it replies to, answered as a Reply to that card (with no
        card: about the paper the question names, as a Reply to the question)."""
        guild = str(message.guild.id) if message.guild is not None else ""
        asked = Mention("discord", str(message.id), where, card, message.content, str(message.author.id), guild)

        async def say(post: Post) -> None:  # a Reply to the card: a Reply to the answer finds the card again
            await self.publisher.post_message(where, post_message(post), reply_to=card or str(message.id))

        await self.chat.mention(asked, say)

    async def _card_replied_to(self, where: str, reference: discord.MessageReference | None) -> str | None:
        """The card a Reply in a direct message is about: the message it replies to, or the card that
        message itself replies to (the bot's answer, or a note on the card); None for neither."""
        if reference is None or not reference.message_id:
            return None
        candidates = [str(reference.message_id)]
        resolved = reference.resolved
        mine = isinstance(resolved, discord.Message) and self.user is not None and resolved.author.id == self.user.id
        above = resolved.reference if mine and isinstance(resolved, discord.Message) else None
        if above is not None and above.message_id:
            candidates.append(str(above.message_id))
        for candidate in candidates:
            if await self.chat.discusses("discord", where, candidate):
                return candidate
        return None
