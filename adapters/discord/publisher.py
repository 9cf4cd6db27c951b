"""Posting to Discord: a message and a thread per paper in text channels, a post per paper in forums."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

import discord

from adapters.discord.render import TITLE, Message, card_embed, cut, header_message, seed_embed, thread_name
from bot.errors import ChannelUnavailable, DeliveryError
from bot.post import Card, Post
from bot.publishing import MessageRef
from bot.search.text import query_terms

MAX_TAGS = 5  # Discord's limit on tags per forum post
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
LOOK_BACK = 60.0  # seconds before a recorded intent to start reading, for clocks that disagree


def nonce(key: str) -> str:
    """A post's nonce (Discord allows 25 characters): the same key always gives the same nonce."""
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def card_title(title: str) -> str:
    return cut(title, TITLE - 6)


def matching_tags(forum: discord.ForumChannel, card: Card) -> list[discord.ForumTag]:
    """The forum's tags whose every word is among the paper's title, keywords and summary words."""
    words = set(query_terms(" ".join((card.title, *card.topics, card.summary))[:4000]))
    found = []
    for tag in forum.available_tags:
        terms = query_terms(tag.name)
        if terms and set(terms) <= words:
            found.append(tag)
    return found[:MAX_TAGS]


class DiscordPublisher:
    """Implements the publishing port through a discord.py client (REST only is enough)."""

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        target = await self._channel(channel)
        if isinstance(target, discord.ForumChannel):
            return None  # a forum has no place for a header: each paper is its own post
        message = header_message(post)
        sent = await self._call(channel, _send(target, content=message.content, nonce=nonce(key)))
        return MessageRef(channel, str(sent.id), str(sent.id))

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        target = await self._channel(channel)
        embed = card_embed(card)
        if isinstance(target, discord.ForumChannel):
            created = await self._call(
                channel,
                target.create_thread(
                    name=thread_name(card.title), embed=embed, applied_tags=matching_tags(target, card)
                ),
            )
            return MessageRef(channel, str(created.message.id), str(created.thread.id))
        # The nonce makes Discord answer a repeat of this post with the first message, not a second one.
        sent = await self._call(channel, _send(target, embed=embed, nonce=nonce(key)))
        return await self._thread_of(channel, sent, card.title)

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        thread = await self._channel(root.thread)
        sent = await self._call(root.channel, _send(thread, embed=seed_embed(card), nonce=nonce(key)))
        return MessageRef(root.channel, str(sent.id), root.thread)

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        """Our message for `key` since `since`: a forum post by its title, else by reading the history."""
        me = self._client.user
        target = await self._channel(thread or channel)
        after = since - timedelta(seconds=LOOK_BACK)
        if isinstance(target, discord.ForumChannel):
            active = await self._call(channel, target.guild.active_threads())
            name = thread_name(title)
            for post in active:
                if post.parent_id == target.id and post.name == name and (me is None or post.owner_id == me.id):
                    return MessageRef(channel, str(post.id), str(post.id))
            return None
        async for message in target.history(after=after, limit=200):
            if me is not None and message.author.id != me.id:
                continue
            if thread is not None:
                return MessageRef(channel, str(message.id), thread)  # a paper's thread holds one seed of ours
            if key.endswith(":header") and message.content.startswith("**") and not message.embeds:
                return MessageRef(channel, str(message.id), str(message.id))
            if title and message.embeds and (message.embeds[0].title or "").endswith(card_title(title)):
                return await self._thread_of(channel, message, title)
        return None

    async def _thread_of(self, channel: str, message: discord.Message, title: str) -> MessageRef:
        """The thread started from `message`, started now if it was not yet (it has the message's id)."""
        try:
            thread = await message.create_thread(name=thread_name(title))
        except discord.HTTPException as exc:
            if exc.code != THREAD_EXISTS:
                await self._call(channel, _raise(exc))
            return MessageRef(channel, str(message.id), str(message.id))
        return MessageRef(channel, str(message.id), str(thread.id))

    async def post_message(self, channel: str, message: Message) -> MessageRef:
        target = await self._channel(channel)
        sent = await self._call(channel, _send(target, content=message.content or None, embeds=message.embeds))
        return MessageRef(channel, str(sent.id), channel)

    async def _channel(self, channel: str) -> Any:
        try:
            snowflake = int(channel)
        except ValueError:
            raise ChannelUnavailable(f"discord:{channel}", "not a Discord channel id") from None
        found = self._client.get_channel(snowflake)
        if found is not None:
            return found
        return await self._call(channel, self._client.fetch_channel(snowflake))

    async def _call(self, channel: str, call: Any) -> Any:
        """Await a discord.py call, turning its errors into the publishing port's."""
        try:
            return await call
        except discord.Forbidden as exc:
            raise ChannelUnavailable(f"discord:{channel}", f"403 missing access ({exc.text or 'Forbidden'})") from exc
        except discord.NotFound as exc:
            raise ChannelUnavailable(f"discord:{channel}", f"404 unknown channel ({exc.text or 'Not Found'})") from exc
        except discord.RateLimited as exc:
            raise DeliveryError(f"Discord rate-limited discord:{channel} for {exc.retry_after:.0f} s") from exc
        except discord.HTTPException as exc:
            raise DeliveryError(f"Discord refused a post to discord:{channel}: {exc.status} {exc.text}") from exc


async def _raise(exc: Exception) -> None:
    raise exc


async def _send(target: Any, **fields: Any) -> discord.Message:
    if not hasattr(target, "send"):
        raise ChannelUnavailable(f"discord:{getattr(target, 'id', '?')}", "not a channel the bot can post in")
    message: discord.Message = await target.send(**{k: v for k, v in fields.items() if v is not None})
    return message
