"""The Discord bot: the `/papers` app-command group, the Share button, and mentions in paper threads.

Every command defers at once (Discord allows 3 s for the first response) and answers with an
ephemeral followup. The client sends `AllowedMentions.none()` with every message, asks only for
the guilds and guild-messages intents (a message that mentions the bot carries its content without
the privileged message-content intent), and never sleeps on a rate limit for more than 30 s.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord.community import DiscordCommunity, add_commands, card_buttons
from adapters.discord.follows import add_follow_commands
from adapters.discord.followup import follow_up
from adapters.discord.forum_posts import forum_post_trace
from adapters.discord.inflight import HeldTree, InFlight
from adapters.discord.publisher import DiscordPublisher
from adapters.discord.render import Message, post_message, post_messages, said
from adapters.discord.wording import REPLY_TO_A_CARD, shared
from bot.chat.commands import (
    MOST_PAPERS,
    Command,
    Help,
    Preview,
    Settings,
    Subscribe,
    Today,
    Unknown,
    Unsubscribe,
    comma_parts,
    days_option,
    on_day,
    paper_option,
    parse_subscribe,
    search_option,
    time_option,
)
from bot.chat.discussion import names_a_question
from bot.chat.replies import replied
from bot.chat.service import Asker, ChatService, Mention
from bot.community.service import Community
from bot.domain.channels import ChannelRef
from bot.domain.errors import ConfigError, DeliveryError, PlatformUnreachable, UsageError
from bot.domain.ids import papers_named
from bot.domain.post import Post
from bot.host.bursts import ACKS_FIRST

log = logging.getLogger("paperboy.discord")
SHARE = "share:"
MAX_RATELIMIT_WAIT = 30.0  # discord.py's floor; beyond it a call raises RateLimited instead of sleeping


def use_endpoints(api_url: str, gateway_url: str) -> None:
    """Point discord.py at another REST base and gateway (a proxy, or the tests' fake Discord)."""
    discord.http.Route.BASE = api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def intents() -> discord.Intents:
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.guild_reactions = True  # votes (not privileged)
    wanted.dm_messages = True  # a question about a card of a personal digest, asked in the direct message
    wanted.dm_reactions = True  # the bookmark on such a card (no vote: a direct message has no channel's)
    return wanted


ALREADY_ACKNOWLEDGED = 40060  # Discord's error code for a second initial response to one interaction
UNKNOWN_INTERACTION = 10062  # …and for one it has dropped: no first response came within its 3 s
FIRST_RESPONSE_S = 5.0  # Discord takes a first response within 3 s: waiting longer (a 429's retry_after) is vain


async def _defer(interaction: discord.Interaction) -> bool:
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
        f"I can't post a digest in {where}, so it would never arrive: give my role {_listed(lacking)} "
        f"{'here' if where == 'this channel' else 'there'}, "
        "then subscribe again."
    )


def _taggable(forum: discord.ForumChannel) -> bool:
    """Whether the bot can post in the forum as to tags (`forum_tags`: one it may apply, where one is required)."""
    return not forum.flags.require_tag or any(not tag.moderated for tag in forum.available_tags)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class PaperBot(discord.Client):
    def __init__(
        self,
        chat: ChatService,
        *,
        guilds: tuple[int, ...] = (),
        community: Community | None = None,
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
        self.publisher = DiscordPublisher(self)
        self.in_flight = InFlight()  # the handlers under way, which `DiscordRuntime.stop` lets finish
        self.tree = HeldTree(self, self.in_flight)
        group = papers_group(self)
        self.community = DiscordCommunity(self, community) if community is not None else None
        if community is not None:
            add_commands(group, self)
        self.tree.add_command(group)
        self._guilds = guilds
        self.open_form: Callable[[discord.Interaction], Awaitable[None]] | None = None  # adapters.discord.surfaces
        self.forms: Callable[[discord.Interaction], Awaitable[bool]] | None = None  # … and its submissions

    async def setup_hook(self) -> None:
        """Register `/papers`: in the configured guilds at once, or globally (Discord takes a while).

        With guilds listed, it is registered globally too, for direct messages only: Discord offers a
        guild's commands in that guild alone, and `follow`, `follows` and `unfollow` live in a DM with
        the bot. Only for DMs, so the listed servers do not show it twice."""
        if self._guilds:
            for guild_id in self._guilds:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                await _registered(self.tree.sync(guild=guild), f"in the server {guild_id} ([discord] guilds)")
            for command in self.tree.get_commands():
                command.allowed_contexts = app_commands.AppCommandContext(guild=False, dm_channel=True)
        await _registered(self.tree.sync(), "globally")

    async def answer(self, interaction: discord.Interaction, command: Command) -> None:
        self.in_flight.hold()  # a form's submission comes here from outside the command tree
        if not await _defer(interaction):
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
            await self.community.cleared(payload.guild_id, payload.channel_id, payload.message_id, str(payload.emoji))

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
        if not await _defer(interaction):
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
        asked = Mention("discord", str(message.id), str(parent) if parent else None, thread, message.content)

        async def say(post: Post) -> None:
            await self.publisher.post_message(str(channel.id), post_message(post))

        await self.chat.mention(asked, say)

    async def _asked_directly(self, message: discord.Message) -> None:
        """A direct message with the bot (a personal digest's cards) has no threads, and the bot is the only
        one to talk to there: a question named outright (or the bot named) in a Reply to one of its cards
        is asked about that card's paper; one that replies to nothing is told how to ask."""
        if not (names_a_question(message.content) or self._named_in(message)):
            return  # chatter
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
        asked = Mention("discord", str(message.id), where, card, message.content)

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
            files=[discord.File(io.BytesIO(text.encode()), filename=name) for name, text in message.files],
            ephemeral=True,
        ):
            return


def papers_group(bot: PaperBot) -> app_commands.Group:
    group = app_commands.Group(name="papers", description="Hugging Face Daily Papers: today, search, digests")

    @group.command(name="today", description="Today's trending papers")
    @app_commands.describe(
        top=f"How many papers (1-{MOST_PAPERS}; default: the digest's number)",
        date="Another listing day: 2026-08-20, or yesterday (default: the latest with papers)",
    )
    async def today(
        interaction: discord.Interaction,
        top: app_commands.Range[int, 1, MOST_PAPERS] | None = None,
        date: app_commands.Range[str, 1, 20] | None = None,
    ) -> None:
        asked = on_day(date or "", f"date:{date}")
        await bot.answer(interaction, replace(asked, limit=top) if isinstance(asked, Today) else asked)

    @group.command(name="search", description="Search the papers")
    @app_commands.describe(topic="What to look for, in plain words")
    async def search(interaction: discord.Interaction, topic: str) -> None:
        blank = Unknown("search", "`topic:` needs words to look for, such as `topic:speculative decoding`.")
        await bot.answer(interaction, search_option(topic) if topic.strip() else blank)  # a paper's id: that paper

    @group.command(name="paper", description="One paper by arXiv id or link")
    @app_commands.rename(paper_id="id")
    @app_commands.describe(paper_id="An arXiv id (2406.12345) or an arXiv or Hugging Face link")
    async def paper(interaction: discord.Interaction, paper_id: str) -> None:
        await bot.answer(interaction, paper_option("paper", paper_id))  # `2406.12345.`, `arXiv:2406.12345v2,`

    @group.command(name="subscribe", description="A daily digest or weekly roundup here (needs Manage Channels)")
    @app_commands.describe(
        topics="Topics, separated by commas (default: all papers)",
        time="HH:MM, 24-hour (default 09:00)",
        timezone="An IANA time zone such as Europe/Berlin (default UTC)",
        top="How many papers (1-50)",
        cadence="A daily digest, or a weekly roundup of the week's papers (default: as now, else daily)",
        day="A weekly roundup's day (default Friday)",
        days="The days a daily digest comes, such as mon-fri, mon,wed,fri or daily (default mon-fri)",
    )
    @app_commands.choices(cadence=CADENCES, day=WEEKDAYS)
    async def subscribe(
        interaction: discord.Interaction,
        topics: str | None = None,
        time: str | None = None,
        timezone: str | None = None,
        top: app_commands.Range[int, 1, 50] | None = None,
        cadence: app_commands.Choice[str] | None = None,
        day: app_commands.Choice[str] | None = None,
        days: str | None = None,
    ) -> None:
        chosen = (cadence.value if cadence else None, day.value if day else None)
        given = (topics, time, timezone, top, days, *chosen)
        bare = all(option is None for option in given)
        try:
            may = bool(interaction.permissions.manage_channels)  # else the form's opener says who may
            opens = bot.open_form is not None and bare and (not may or await bot.unreachable(interaction) is None)
        except Exception:  # the store failing, before any answer: `answer` below says so, as for every command
            opens = False
        if opens and bot.open_form is not None:
            await bot.open_form(interaction)  # a bare `/papers subscribe` opens the form
            return
        await bot.answer(interaction, subscribe_command(topics, time, timezone, top, *chosen, days=days))

    @group.command(name="unsubscribe", description="Stop this channel's daily digest (needs Manage Channels)")
    async def unsubscribe(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Unsubscribe())

    @group.command(name="settings", description="This channel's daily digest and when the next one comes")
    async def settings(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Settings())

    @group.command(name="preview", description="What this channel's digest would show now (nothing is posted)")
    async def preview(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Preview())

    @group.command(name="help", description="How to use paperboy")
    async def help_(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Help())

    add_follow_commands(group, bot)
    return group


CADENCES = [
    app_commands.Choice(name="daily digest", value="daily"),
    app_commands.Choice(name="weekly roundup", value="weekly"),
]
WEEKDAYS = [
    app_commands.Choice(name=name, value=name[:3].lower())
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def _quoted(value: str) -> str:
    return "“" + value.replace("”", "'").replace("“", "'").replace('"', "'") + "”"


def subscribe_command(
    topics: str | None,
    time: str | None,
    timezone: str | None,
    top: int | None,
    cadence: str | None = None,
    day: str | None = None,
    *,
    days: str | None = None,
) -> Command:
    """Discord's options, checked by the same rules as Slack's `subscribe` text. Each value is quoted,
    so a topic that reads like an option ("diffusion tz Europe") stays a topic."""
    listed = [" ".join(t.split()) for t in comma_parts(topics or "")]  # "graph neural networks, GNN" is one
    words = [cadence or "", ", ".join(_quoted(t) for t in listed if t)]
    if day:
        words += ["on", day]
    if time:
        words += ["at", _quoted(time_option(time))]  # `9:00 pm`
    if timezone:
        words += ["tz", _quoted(timezone)]
    if top:
        words += ["top", str(top)]
    try:
        if days:
            words += ["days", _quoted(days_option(days))]  # `mon wed fri`, `Mon to Fri`: one option's value
        return parse_subscribe(" ".join(w for w in words if w))
    except UsageError as exc:  # what they gave, as Discord shows it (not as Slack's typed text would read)
        given = {"topics": topics, "time": time, "timezone": timezone, "top": top}
        given |= {"cadence": cadence, "day": day, "days": days}
        options = [f"{name}:{value}" for name, value in given.items() if value]
        # the example in Discord's option, not Slack's typed `at 21:00`
        return Unknown(" ".join(["subscribe", *options]), str(exc).replace("`at 21:00`", "`time:21:00`"))


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


class DiscordRuntime:
    """Logs in, connects to the gateway and waits for READY; `stop` closes it all."""

    def __init__(self, bot: PaperBot, token: str) -> None:
        self.bot = bot
        self._token = token
        self._task: asyncio.Task[None] | None = None

    async def start(self, within: float = 60.0) -> None:
        self._task = asyncio.create_task(self.bot.start(self._token))
        ready = asyncio.create_task(self.bot.wait_until_ready())
        done, _ = await asyncio.wait({self._task, ready}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            ready.cancel()
            error = self._task.exception()
            await self.bot.close()  # its HTTP session let go (it had logged in)
            if isinstance(error, discord.LoginFailure):
                raise ConfigError("Discord refused DISCORD_TOKEN (401): check the bot token") from error
            if isinstance(error, NOT_DISCORD) and _in_login(error):
                raise ConfigError(not_discord()) from error
            if isinstance(error, discord.HTTPException) and _in_login(error):
                raise DeliveryError(login_refused(error)) from error
            if isinstance(error, aiohttp.ClientError | TimeoutError) and _in_login(error):
                raise PlatformUnreachable(
                    "Discord", "logging in", discord.http.Route.BASE, isinstance(error, TimeoutError)
                ) from error
            # discord.py fails on its own words when its gateway is out of reach: said in ours
            if error is not None and (lost := _network_fault(error)) is not None:
                gateway = str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
                where = "connecting to its gateway (PAPERBOY_DISCORD_GATEWAY_URL, where set)"
                raise PlatformUnreachable("Discord", where, gateway, isinstance(lost, TimeoutError)) from error
            log.error("the Discord client stopped while connecting", exc_info=error)
            raise ConfigError(f"the Discord client stopped while connecting: {error}") from error
        if ready not in done:
            ready.cancel()
            raise ConfigError(f"Discord did not become ready within {within:.0f} s")
        self._task.add_done_callback(self._ended)
        log.info("Discord: ready as %s", self.bot.user)

    def _ended(self, task: asyncio.Task[None]) -> None:
        """The client stopped while serving, not by `stop`: Discord ended the session for a reason
        discord.py does not reconnect from (a token reset, an intent turned off). Said at once: its
        error was otherwise dropped at the stop, and Discord went unanswered without a word."""
        if task.cancelled() or (error := task.exception()) is None:
            return
        log.error("the Discord client stopped: %s; Discord is not served until paperboy is restarted", error)

    async def stop(self) -> None:
        await self.bot.in_flight.drain()  # before the client closes: a handler's answer still goes out
        await self.bot.close()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)


def _network_fault(error: BaseException) -> BaseException | None:
    """The refused connection or timeout behind an error (its cause or context, at any depth), if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, aiohttp.ClientConnectionError | TimeoutError | ConnectionError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    embed_links=True,
    create_public_threads=True,
    send_messages_in_threads=True,
    read_message_history=True,
)


def invite_url(client_id: int) -> str:
    """The OAuth2 URL that adds the bot to a server with the scopes and permissions it needs."""
    return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands"))


async def _registered(sync: Awaitable[object], where: str) -> None:
    """A command sync, whose refusal is said and passed over: one server the bot is not in (or a rate
    limit after restarts in a row) stopped `paperboy run`, Slack too, with discord.py's traceback. The
    commands stay as Discord last registered them, and are registered again at the next start."""
    try:
        await sync
    except discord.Forbidden as exc:
        log.warning(
            "`/papers` is not registered %s: Discord refused (403: %s), most likely as the bot is not in that"
            " server: invite it there (`paperboy discord-invite`), or take the id out of guilds; paperboy runs on",
            where,
            exc.text or "Missing Access",
        )
    except discord.RateLimited as exc:
        log.warning(
            "`/papers` is not registered %s now: Discord asks to wait %.0f s (restarts in a row?); it stays as"
            " last registered, and is registered again at the next start",
            where,
            exc.retry_after,
        )
    except discord.HTTPException as exc:
        log.warning(
            "`/papers` is not registered %s now: Discord answered %s %s; it stays as last registered, and is"
            " registered again at the next start",
            where,
            exc.status,
            exc.text,
        )


def application_id(token: str) -> int | None:
    """A bot token's first part is its user id, base64-encoded; for bots that is the application id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):  # ValueError: not ASCII (the README's `…`)
        return None
    return int(decoded) if decoded.isdigit() else None


async def rest_client(token: str) -> discord.Client:
    """A client logged in over REST only (no gateway): enough to post a digest. Close it after use."""
    client = discord.Client(
        intents=intents(),
        allowed_mentions=discord.AllowedMentions.none(),
        max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
        http_trace=forum_post_trace(),
    )
    try:
        await client.login(token)
    except discord.LoginFailure as exc:
        await client.close()
        raise ConfigError("Discord refused DISCORD_TOKEN (401): check the bot token") from exc
    except (aiohttp.ClientError, TimeoutError) as exc:
        await client.close()
        raise PlatformUnreachable(
            "Discord", "logging in", discord.http.Route.BASE, isinstance(exc, TimeoutError)
        ) from exc
    except NOT_DISCORD as exc:
        await client.close()
        raise ConfigError(not_discord()) from exc
    except discord.HTTPException as exc:  # a 5xx after discord.py's own retries, or another refusal than 401
        await client.close()
        raise DeliveryError(login_refused(exc)) from exc
    return client


# What discord.py raises reading an answer that is not Discord's (a proxy's page, a wrong URL's JSON)
NOT_DISCORD = (TypeError, KeyError, ValueError)


def _in_login(error: BaseException) -> bool:
    """Whether discord.py raised it reading the answer to its login (GET /users/@me), not from our own
    code or the gateway's."""
    frames = traceback.extract_tb(error.__traceback__)
    at = next((i for i, f in enumerate(frames) if f.name == "login" and "discord" in f.filename), None)
    return at is not None and not any(own in f.filename for f in frames[at:] for own in ("/adapters/", "/bot/"))


def login_refused(error: discord.HTTPException) -> str:
    """Discord's answer to the login, other than 401, in one line (never its body: a proxy's HTML page)."""
    status = getattr(error, "status", None) or "?"
    trouble = "Discord's API is having trouble" if isinstance(error, discord.DiscordServerError) else "it refused"
    return (
        f"logging in: {discord.http.Route.BASE} answered HTTP {status} ({trouble}): try again later "
        "(https://discordstatus.com), and check PAPERBOY_DISCORD_API_URL (unset: Discord's own)"
    )


def not_discord() -> str:
    return (
        f"{discord.http.Route.BASE} did not answer as Discord's API does when paperboy logged in: check "
        "PAPERBOY_DISCORD_API_URL (unset: Discord's own)"
    )
