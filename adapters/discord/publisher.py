"""Posting to Discord: a message and a thread per paper in text channels, a post per paper in forums
(and the header as a post of its own where it says what no paper's can: why a day has none).

Every message is sent with a nonce made from its key and its channel, which discord.py marks to be
enforced: Discord answers a repeat within a few minutes with the first message instead of posting a
second. That, not a look through the history, is how a takeover finds a message that was under way
when its process died: Discord shows no nonce in a channel's history, and anything else there (a
bold first line, an embed's title) is only a shape, which another message of the bot's can share.
The ledger records each message's id right after its post, so only the one that was under way is
ever in doubt, and a takeover comes at once when the process died (its lock died with it): well
inside Discord's minutes. Only a takeover later than that (every replica down for a while) could
post that one message twice; a look by shape could just as well skip it for a look-alike.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord

from adapters.discord.community import card_buttons, save_button
from adapters.discord.forum_posts import TRIES, MaybePosted
from adapters.discord.notes import GONE, note_content
from adapters.discord.render import Message, attachments, card_embed, header_message, seed_embed, thread_name
from bot.domain.errors import ChannelUnavailable, DeliveryError, MessageRefused, PlatformOffline, PlatformUnreachable
from bot.domain.ids import is_arxiv_id
from bot.domain.post import Card, Post
from bot.domain.publishing import LOOK_BACK_S, MessageRef
from bot.domain.repeats import Repeats
from bot.search.text import query_terms

MAX_TAGS = 5  # Discord's limit on tags per forum post
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
AUTOMOD = frozenset({200000, 200001})  # the server's AutoMod blocked the message (a word of the paper's)
# Discord's refusals to start a card's thread that asking again would not change, and what to do.
NO_THREAD = {
    160006: "the server has 1,000 active threads, Discord's most: archive some",
    **dict.fromkeys(AUTOMOD, "the server's AutoMod blocked the thread's name (the paper's title)"),
}
# Discord's refusals of a message as paperboy wrote it (a field too long, an empty message): a fault of ours,
# which posting it again repeats. (Not AutoMod's 200000, a forum's required tag, an archived thread: the server's.)
REFUSED_AS_WRITTEN = frozenset({50035, 50006})
log = logging.getLogger("paperboy.discord")


def nonce(channel: str, key: str) -> str:
    """A post's nonce (Discord allows 25 characters): the same key in the same channel always gives the
    same one. The channel is part of it, as Discord matches a nonce by author, and two channels'
    digests share their keys."""
    return hashlib.blake2b(f"{channel}:{key}".encode(), digest_size=12).hexdigest()


THREADLESS = (discord.DMChannel, discord.Thread, discord.VoiceChannel, discord.StageChannel)


def matching_tags(forum: discord.ForumChannel, card: Card) -> list[discord.ForumTag]:
    """The forum's tags whose every word is among the paper's title, keywords and summary words."""
    words = set(query_terms(" ".join((card.title, *card.topics, card.summary))[:4000]))
    found = []
    for tag in (t for t in forum.available_tags if not t.moderated):  # a moderated one needs Manage Threads
        terms = query_terms(tag.name)
        if terms and set(terms) <= words:
            found.append(tag)
    return found[:MAX_TAGS]


def forum_tags(forum: discord.ForumChannel, card: Card | None) -> list[discord.ForumTag]:
    """`matching_tags` (none for a post that is no paper's); in a forum that requires a tag on every post
    and none matches, its first tag the bot may apply (not a moderated one); ChannelUnavailable when it
    has none such."""
    found = matching_tags(forum, card) if card is not None else []
    if found or not forum.flags.require_tag:
        return found
    usable = [tag for tag in forum.available_tags if not tag.moderated]
    if not usable:
        raise ChannelUnavailable(
            f"discord:{forum.id}", "the forum requires a tag on every post and has none the bot may apply"
        )
    return usable[:1]


class DiscordPublisher:
    """Implements the publishing port through a discord.py client (REST only is enough)."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        # Why nothing can be posted now (Discord out of reach since `run` started: `DiscordRuntime`), or None
        self.offline: str | None = None
        self._repeats = Repeats()  # a channel refusing threads is said once an hour, not for every card

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        target = await self._channel(channel)
        message = header_message(post)
        if isinstance(target, discord.ForumChannel):  # each paper is its own post: the header is one only
            if post.cards and not post.notice:  # when it says what no paper's post can (why there are none)
                return None
            return await self._forum_post(
                channel, target, post.header, key, content=message.content, applied_tags=forum_tags(target, None)
            )
        sent = await self._call(channel, _send(target, content=message.content, nonce=nonce(channel, key)))
        return MessageRef(channel, str(sent.id), str(sent.id))

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        target = await self._channel(channel)
        embed = card_embed(card)
        if isinstance(target, discord.ForumChannel):
            tags = forum_tags(target, card)
            return await self._forum_post(
                channel, target, card.title, key, embed=embed, applied_tags=tags, view=save_button(card.paper_id)
            )
        # The nonce makes Discord answer a repeat of this post with the first message, not a second one.
        sent = await self._call(
            channel, _send(target, embed=embed, nonce=nonce(channel, key), view=save_button(card.paper_id))
        )
        if isinstance(target, THREADLESS):  # a direct message (a follow), a thread, a voice channel's chat:
            return MessageRef(channel, str(sent.id), channel)  # no thread can start there; the card stands alone
        return await self._thread_of(channel, sent, card.title)

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        if root.thread == root.channel:
            return root  # a card in a direct message: no thread to seed, the card stands alone
        try:
            thread = await self._channel(root.thread)
            sent = await self._call(root.channel, _send(thread, embed=seed_embed(card), nonce=nonce(root.thread, key)))
        except ChannelUnavailable as exc:
            if not isinstance(exc.__cause__, discord.Forbidden):
                raise
            # The thread is started, but the bot may not post in it (Send Messages in Threads): the card
            # stands with its thread and without its details, as a card whose thread was refused stands
            # alone; it had stopped the digest after its first card, and the channel's schedule with it.
            if self._repeats.first((root.channel, "thread post", exc.__cause__.code), datetime.now(UTC)):
                log.warning(
                    "discord:%s refused the bot a post in a card's thread, %s; cards go out without their details",
                    root.channel,
                    _forbidden(exc.__cause__),
                )
            return root
        return MessageRef(root.channel, str(sent.id), root.thread)

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        target = await self._channel(thread or channel)
        if isinstance(target, discord.ForumChannel):  # a forum takes posts, not messages: a post of its own
            tags = forum_tags(target, None)
            return await self._forum_post(
                channel, target, post.header, key, content=note_content(post), applied_tags=tags
            )
        where = thread or channel
        reference = (  # no thread (a direct message): the note answers its card, so it says which paper
            discord.MessageReference(message_id=int(about), channel_id=int(where), fail_if_not_exists=False)
            if about and about.isdigit() and where == channel
            else None
        )
        content = note_content(post)
        # a refusal names where it was refused: one paper's thread locked or gone is that card's end only
        sent = await self._call(where, _send(target, content=content, nonce=nonce(where, key), reference=reference))
        return MessageRef(channel, str(sent.id), thread or str(sent.id))

    async def _forum_post(
        self, channel: str, forum: discord.ForumChannel, title: str, key: str, **fields: Any
    ) -> MessageRef:
        """A post in the forum under `title`, made once (`adapters.discord.forum_posts`): after a server
        error and a pause, the forum's active threads are looked through for it (`find`) before it is
        asked for again, up to `TRIES` times; then the card is left to the next sweep, which looks first
        too."""
        asked, tries = datetime.now(UTC), 0
        while True:
            try:
                created = await self._call(channel, forum.create_thread(name=thread_name(title), **fields))
                return MessageRef(channel, str(created.message.id), str(created.thread.id))
            except MaybePosted as exc:
                tries += 1
                # 1 s, then 3 s, as discord.py waits between its own tries; before the look, not after
                # it: a 5xx may come while Discord is still making the post, which it lists only then
                await asyncio.sleep(2 * tries - 1)
                found = await self.find(channel, key, asked, title=title)
                if found is not None:
                    log.info(
                        "Discord answered %s to a post in forum %s but made it: %r kept", exc.status, channel, title
                    )
                    return found
                if tries == TRIES:
                    raise DeliveryError(
                        f"Discord answered {exc.status} to a post in forum discord:{channel} {TRIES} times,"
                        " and made none: it is posted at the next sweep"
                    ) from exc

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        """Edit the card's embed; False when it is gone (Unknown Message, or its forum post deleted)."""
        return await self._on_card(ref, lambda card_message: card_message.edit(embed=card_embed(card)))

    async def permalink(self, ref: MessageRef) -> str | None:
        """The thread's address in its server (a forum post's, or the thread a card started, whose id is
        the card's); None in a direct message, which has no server to name, and for a thread that is
        gone (deleted, or the bot may no longer see it)."""
        guild = getattr(await self._channel(ref.channel), "guild", None)
        thread = ref.thread or ref.message
        if guild is None:
            return None
        if thread != ref.channel:
            try:
                await self._channel(thread)
            except ChannelUnavailable:
                return None
        return f"https://discord.com/channels/{guild.id}/{thread}"

    async def card_exists(self, ref: MessageRef) -> bool:
        """The card message fetched: Unknown Message (or its forum post gone) once it was deleted."""
        return await self._on_card(ref, lambda card_message: card_message.fetch())

    async def _on_card(self, ref: MessageRef, act: Callable[[discord.PartialMessage], Awaitable[object]]) -> bool:
        """`act` on the card message; False when the card is gone, other refusals as the port's errors."""
        try:
            target = await self._channel(ref.channel)
            # A forum post's card is its starter message, which lives in the post (the thread) itself.
            holder = await self._channel(ref.thread) if isinstance(target, discord.ForumChannel) else target
            await act(holder.get_partial_message(int(ref.message)))
        except discord.NotFound as exc:
            if exc.code in GONE:
                return False
            await self._call(ref.channel, _raise(exc))
        except ChannelUnavailable:
            return False  # the forum post, with its card, was deleted
        except discord.HTTPException as exc:
            await self._call(ref.channel, _raise(exc))
        return True

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        """Our forum post for `key` since `since`; None for a message in a text channel or a thread.

        A message is posted again under the same nonce instead, which Discord answers with the first
        one if it is out (see the module's docstring). A forum post takes no nonce: it is the one the
        bot started in that forum under the paper's title since the intent was written down.
        """
        if thread is not None:
            return None
        target = await self._channel(channel)
        if not isinstance(target, discord.ForumChannel):
            return None
        me = self._client.user
        after = since - timedelta(seconds=LOOK_BACK_S)
        active = await self._call(channel, target.guild.active_threads())
        name, paper = thread_name(title), key.rpartition(":")[2]
        for post in active:
            if (
                post.parent_id == target.id
                and post.name == name
                and (me is None or post.owner_id == me.id)
                and discord.utils.snowflake_time(post.id) >= after
                and (not is_arxiv_id(paper) or await self._about(channel, post, paper))  # a note: its name alone
            ):
                return MessageRef(channel, str(post.id), str(post.id))
        return None

    async def _about(self, channel: str, post: discord.Thread, paper: str) -> bool:
        """Whether a forum post's card is this paper's: two titles may share the 100 characters of a
        post's name (and blank ones are all "Paper"), its starter message's link tells them apart."""
        starter = await self._call(channel, post.fetch_message(post.id))
        return any((embed.url or "").rstrip("/").endswith(f"/{paper}") for embed in starter.embeds)

    async def _thread_of(self, channel: str, message: discord.Message, title: str) -> MessageRef:
        """The thread started from `message`, started now if it was not yet (it has the message's id)."""
        try:
            thread = await message.create_thread(name=thread_name(title))
        except discord.Forbidden as exc:  # the card is out: stopped now, it would be posted again on resuming
            if self._repeats.first((channel, exc.code), datetime.now(UTC)):
                log.warning(
                    "discord:%s refused the bot a card's discussion thread, %s; its cards stand alone until then",
                    channel,
                    _forbidden(exc),
                )
            return MessageRef(channel, str(message.id), channel)  # posted, recorded: never posted again
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:
                return MessageRef(channel, str(message.id), str(message.id))
            if exc.status == 400:  # refused as asked (too many threads, AutoMod): asking again changes nothing
                log.log(
                    logging.WARNING if exc.code in NO_THREAD else logging.ERROR,  # else a fault of ours, most likely
                    "Discord would not start a thread under the card of %r in %s (%s %s): %s; the card stands alone",
                    title,
                    channel,
                    exc.code,
                    exc.text,
                    NO_THREAD.get(exc.code, "its thread is left out"),
                )
                return MessageRef(channel, str(message.id), channel)  # posted, recorded: never posted again
            await self._call(channel, _raise(exc))
        except (discord.RateLimited, aiohttp.ClientError, TimeoutError) as exc:  # a long 429, no answer: the port's
            await self._call(channel, _raise(exc))
        return MessageRef(channel, str(message.id), str(thread.id))

    async def post_message(self, channel: str, message: Message, *, reply_to: str | None = None) -> MessageRef:
        """`message` in the channel; with `reply_to`, as a Reply to that message of the channel."""
        target = await self._channel(channel)
        reference = (
            discord.MessageReference(message_id=int(reply_to), channel_id=int(channel), fail_if_not_exists=False)
            if reply_to and reply_to.isdigit()
            else None
        )
        content = message.content or None
        buttons = card_buttons(message)  # an answer's cards (`related`) carry Save buttons, as a digest's do
        files = attachments(message) or None
        sent = await self._call(
            channel,
            _send(target, content=content, embeds=message.embeds, reference=reference, view=buttons, files=files),
        )
        return MessageRef(channel, str(sent.id), channel)

    async def _channel(self, channel: str) -> Any:
        if self.offline is not None:  # every post and look asks for its channel first
            raise PlatformOffline(f"discord:{channel}: {self.offline}")
        try:
            snowflake = int(channel)
        except ValueError:
            raise ChannelUnavailable(f"discord:{channel}", "not a Discord channel id") from None
        found = self._client.get_channel(snowflake)
        if found is not None:
            return found
        return await self._call(channel, self._client.fetch_channel(snowflake))

    def _forbidden_in(self, channel: str, exc: discord.Forbidden) -> str:
        """`_forbidden`, but a thread locked is said to be the cause (not the bot's role: an operator
        would change its permissions for nothing)."""
        found = self._client.get_channel(int(channel)) if channel.isdigit() else None
        if exc.code == 50013 and isinstance(found, discord.Thread) and found.locked:
            return (
                f"403 missing permissions ({exc.text or 'Forbidden'}): the thread is locked, and only those who may"
                " manage threads post in it: unlock it, or give the bot's role Manage Threads"
            )
        return _forbidden(exc)

    async def _call(self, channel: str, call: Any) -> Any:
        """Await a discord.py call, turning its errors into the publishing port's."""
        try:
            return await call
        except discord.Forbidden as exc:
            raise ChannelUnavailable(f"discord:{channel}", self._forbidden_in(channel, exc)) from exc
        except discord.NotFound as exc:
            fix = f": {NO_CHANNEL}" if exc.code in (UNKNOWN_CHANNEL, 0) else ""  # (not a message's 10008, say)
            said = f"404 unknown channel ({exc.text or 'Not Found'}){fix}"
            raise ChannelUnavailable(f"discord:{channel}", said) from exc
        except discord.RateLimited as exc:
            raise DeliveryError(f"Discord rate-limited discord:{channel} for {exc.retry_after:.0f} s") from exc
        except discord.DiscordServerError as exc:  # 503 (discord.py retries 500, 502, 504 and 524 itself)
            raise DeliveryError(
                f"Discord answered HTTP {exc.status} to a post in discord:{channel} (Discord is having trouble): the"
                " delivery is tried again later"
            ) from exc
        except discord.HTTPException as exc:
            if exc.status == 400 and exc.code in REFUSED_AS_WRITTEN:  # the message, not the channel nor the server
                raise MessageRefused(
                    f"Discord refused a post to discord:{channel} as written (400 {exc.code}: {exc.text}): a fault in"
                    " paperboy's message, not the channel's; please report it with this line"
                ) from exc
            if exc.status == 400 and exc.code in AUTOMOD:
                raise MessageRefused(
                    f"Discord refused a post to discord:{channel}: the server's AutoMod blocked it ({exc.code}: "
                    f"{exc.text}); a moderator of the server can allow it",
                    automod=True,
                ) from exc
            raise DeliveryError(f"Discord refused a post to discord:{channel}: {exc.status} {exc.text}") from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            url = discord.http.Route.BASE
            raise PlatformUnreachable("Discord", f"discord:{channel}", url, isinstance(exc, TimeoutError)) from exc


UNKNOWN_CHANNEL = 10003
# A 404's cause and fix: the id names no channel now.
NO_CHANNEL = (
    "no channel has this id now (deleted, or mistyped): subscribe in the channel meant, or mend the config file"
)
# Discord's codes for a 403: what the bot's role lacks in the channel, and how to give it.
_FORBIDDEN = {
    50001: "the bot cannot see this channel: give its role View Channel here, or invite it",
    50013: (
        "the bot's role lacks a permission here: give it Send Messages, Embed Links, Create Public Threads "
        "and Send Messages in Threads in this channel"
    ),
    50007: (  # a person's direct message (a follow's digest)
        "the person takes no direct messages from the bot (they left its servers, or turned off direct "
        "messages from server members)"
    ),
}


def _forbidden(exc: discord.Forbidden) -> str:
    """A 403 as the channel's status: Discord's words, then what to do about them."""
    said = f"403 {'missing permissions' if exc.code == 50013 else 'missing access'} ({exc.text or 'Forbidden'})"
    fix = _FORBIDDEN.get(exc.code)
    return f"{said}: {fix}" if fix else said


async def _raise(exc: Exception) -> None:
    raise exc


async def _send(target: Any, **fields: Any) -> discord.Message:
    if not hasattr(target, "send"):
        raise ChannelUnavailable(f"discord:{getattr(target, 'id', '?')}", "not a channel the bot can post in")
    message: discord.Message = await target.send(**{k: v for k, v in fields.items() if v is not None})
    return message
