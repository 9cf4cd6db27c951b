"""The terminal as a publishing target: `paperboy post --channel console:NAME` prints the digest once."""

from __future__ import annotations

import itertools
from datetime import datetime

from rich.console import Console
from rich.text import Text

from adapters.console.render import plain, render_card, render_post
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef


class ConsolePublisher:
    """Implements the publishing port on a rich Console; thread seeds are printed under their card."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._ids = itertools.count(1)

    def _ref(self, channel: str) -> MessageRef:
        number = str(next(self._ids))
        return MessageRef(channel, number, number)

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        self._console.print(
            render_post(
                Post(header=post.header, subheader=post.subheader, empty=post.empty if not post.cards else None)
            )
        )
        return self._ref(channel)

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        self._console.print(render_card(card, card.rank or 0))
        return self._ref(channel)

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        return self._ref(root.channel)  # the card already shows what a thread would; nothing more to print

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        return None  # a terminal keeps nothing to look through

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        self._console.print(render_post(Post(header=post.header, subheader=post.subheader)))
        for paragraph in post.text:
            self._console.print(Text(plain(paragraph)))
        return self._ref(channel)

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        return True  # printed lines can't change; the card is not gone, so there is nothing to stop

    async def card_exists(self, ref: MessageRef) -> bool:
        return True  # printed lines stay
