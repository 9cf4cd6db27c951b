"""Resuming a Discord digest after a crash: what is out is known by its recorded id or its nonce, never by its shape.

A process dies with a post out that it had not yet written down; the bot has since posted a
message of the same shape (a reply, another digest's header). The process that takes over must
neither take the look-alike for its own post nor post its own twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import discord
import pytest

from adapters.discord.publisher import DiscordPublisher
from adapters.discord.render import Message, seed_embed
from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.domain.cards import card
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef
from bot.store.ledger import Ledger
from tests.adapters.discord.conftest import DiscordBot
from tests.conftest import search_over
from tests.fakes.discord import TEXT_ID

JUNE_1 = date(2026, 6, 1)
TEXT = ChannelRef("discord", TEXT_ID)


class Crash(BaseException):  # a process dying: no handler of ours may take it for an error
    """The process dying right after a post went out, before it was written down."""


@dataclass
class Dying:
    """The real publisher, until the process dies right after the post named by `after`."""

    inner: DiscordPublisher
    after: str  # "header" or "card"

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        ref = await self.inner.post_header(channel, post, key)
        if self.after == "header":
            raise Crash
        return ref

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        ref = await self.inner.post_card(channel, card, key)
        if self.after == "card":
            raise Crash
        return ref

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        return await self.inner.seed_thread(root, card, key)

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        return await self.inner.find(channel, key, since, thread=thread, title=title)


def delivery(bot: DiscordBot, publisher: Any, ledger: Ledger, at: datetime | None = None) -> DigestDelivery:
    clock = (lambda: at) if at else (lambda: datetime.now(UTC))
    return DigestDelivery(
        bot.store, search_over(bot.store), ledger, bot.subscriptions, {"discord": publisher}, clock=clock
    )


async def crash(bot: DiscordBot, after: str) -> None:
    dying = Ledger(bot.store.engine)
    with pytest.raises(Crash):
        await delivery(bot, Dying(bot.bot.publisher, after), dying).deliver(TEXT, DigestOptions(limit=2), JUNE_1)
    await dying.close()


async def resume(bot: DiscordBot) -> None:
    # Three minutes on: the dead process's lease is over too, so this holds however the takeover is decided.
    later = datetime.now(UTC) + timedelta(minutes=3)
    ledger = Ledger(bot.store.engine)
    try:
        result = await delivery(bot, bot.bot.publisher, ledger, later).deliver(TEXT, DigestOptions(limit=2), JUNE_1)
        assert result.outcome == "posted", result
    finally:
        await ledger.close()


async def test_a_look_alike_of_the_header_is_not_taken_for_it(discord_bot: DiscordBot) -> None:
    fake, publisher = discord_bot.fake, discord_bot.bot.publisher
    # A moment before the digest, the bot posted a message of the header's shape (a bold first line, no
    # embed: the same day's header, as a `/papers digest` answer would be), under another nonce.
    shape = "**Daily Papers · Monday 1 June 2026**\nThe day's most upvoted papers."
    before = await publisher.post_message(TEXT_ID, Message(content=shape))
    await crash(discord_bot, after="header")
    header_id = fake.stored[TEXT_ID][1]["id"]
    after = await publisher.post_message(TEXT_ID, Message(content=shape))  # and another one since
    await resume(discord_bot)
    stored = fake.stored[TEXT_ID]
    plain = [m["id"] for m in stored if not m["embeds"]]
    assert plain == [before.message, header_id, after.message]  # the header was not posted again
    assert len([m for m in stored if m["embeds"]]) == 2
    done = await Ledger(discord_bot.store.engine).claim(TEXT, JUNE_1, datetime.now(UTC))
    assert done.state == "done"
    assert done.header == header_id  # the digest's own header, not a look-alike


@pytest.mark.slow
async def test_look_alikes_of_a_card_and_of_its_seed_are_not_taken_for_them(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await crash(discord_bot, after="card")  # the first card is out, with its thread; not yet written down
    [_, first] = fake.posts_in(TEXT_ID)
    thread = first_id = fake.stored[TEXT_ID][1]["id"]
    assert fake.stored.get(thread) is None  # its seed was never posted
    # The bot then posts the same card elsewhere in the channel (a search answer), and answers in the thread.
    publisher = discord_bot.bot.publisher
    await publisher.post_message(TEXT_ID, Message(embeds=[discord.Embed.from_dict(first["embeds"][0])]))
    paper = Paper(arxiv_id="2606.99999", title="Another paper", abstract="Something else.")
    answer = await publisher.post_message(thread, Message(embeds=[seed_embed(card(paper))]))
    await resume(discord_bot)
    cards = [m for m in fake.stored[TEXT_ID] if m["embeds"]]
    assert len(cards) == 3  # the first card (not posted again), the search answer, the second card
    assert cards[0]["id"] == first_id
    in_thread = fake.stored[thread]
    assert [m["id"] for m in in_thread[:1]] == [answer.message]  # the answer, left alone
    assert len(in_thread) == 2  # and the card's own seed
    assert in_thread[1]["embeds"][0]["title"] != "Another paper"
    assert len(fake.stored[cards[2]["id"]]) == 1  # the second card's seed, once
    assert str(cards[1]["id"]) not in fake.channels  # no thread was started on the look-alike
