"""The bot's conversational core, shared by every chat adapter: commands, shares, thread mentions.

Adapters translate a platform's payloads into these calls and render the posts they return; the
decisions (what to answer, which paper a thread is about, whether an event was seen) are made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.chat.commands import Command
from bot.chat.discussion import HELP, discuss
from bot.chat.service import Asker, ChatService
from bot.domain.cards import card
from bot.domain.channels import ChannelRef
from bot.domain.errors import NotFound, SourceError
from bot.domain.post import Post
from bot.domain.publishing import MessageRef, Publisher
from bot.ingest.catalog import Catalog
from bot.search.port import SearchIndex
from bot.store.events import EventLog
from bot.store.ledger import Ledger

UNKNOWN_THREAD = (
    "I can only discuss papers in their own threads: mention me under a digest card or a shared paper "
    "with `summary`, `related`, `code`, `authors` or `cite`."
)


@dataclass(frozen=True)
class Shared:
    root: MessageRef
    title: str


class Assistant:
    def __init__(
        self, chat: ChatService, catalog: Catalog, search: SearchIndex, ledger: Ledger, events: EventLog
    ) -> None:
        self._chat = chat
        self._catalog = catalog
        self._search = search
        self._ledger = ledger
        self._events = events

    async def command(self, command: Command, asker: Asker) -> Post:
        return await self._chat.answer(command, asker)

    def help(self, platform: str) -> Post:
        return self._chat.help(platform)

    async def first_time(self, platform: str, event_id: str) -> bool:
        return await self._events.first_time(platform, event_id)

    async def mention(self, platform: str, channel: str | None, thread: str | None, text: str) -> Post:
        """Answer a mention: about the thread's paper when it is one of ours, else a one-line help."""
        arxiv_id = await self._ledger.thread_paper(platform, channel, thread) if thread else None
        if arxiv_id is None:
            return Post(header="paperboy", text=(UNKNOWN_THREAD,))
        try:
            paper = await self._catalog.paper(arxiv_id)
        except (NotFound, SourceError):
            return Post(header="paperboy", text=(f"I lost track of paper {arxiv_id}. {HELP}",))
        return await discuss(paper, text, self._search)

    async def share(self, platform: str, channel: str, paper_ref: str, publisher: Publisher) -> Shared:
        """Post a paper's card publicly, seed its thread, and remember the thread is about it.

        Raises ChannelUnavailable (the bot may not post there), InvalidPaperId, NotFound.
        """
        paper = await self._catalog.paper(paper_ref)
        paper_card = card(paper)
        now = datetime.now(UTC)
        tag = f"share:{paper.arxiv_id}:{now.timestamp():.0f}"
        root = await publisher.post_card(channel, paper_card, tag)
        await self._ledger.record_thread(platform, root, paper.arxiv_id, "share", now)
        seed = await publisher.seed_thread(root, paper_card, f"{tag}:seed")
        await self._ledger.record_message(ChannelRef(platform, channel), seed, paper.arxiv_id, now)
        return Shared(root, paper.title)
