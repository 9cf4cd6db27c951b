"""What the bot says to a `/papers` command: the same answers on every platform, as neutral posts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.chat.commands import (
    Command,
    Help,
    PaperLookup,
    Saved,
    Search,
    Settings,
    Subscribe,
    Today,
    Top,
    Unknown,
    Unsave,
    Unsubscribe,
)
from bot.community.service import Community
from bot.delivery.digest import DigestOptions, build_digest
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.cards import card
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults
from bot.domain.errors import InvalidPaperId, NotFound, SourceError
from bot.domain.post import Post
from bot.ingest.catalog import Catalog
from bot.search.port import SearchIndex
from bot.store.papers import PaperStore

SEARCH_RESULTS = 5

# Who may change a channel's digest. The adapter finds out whether the asker is one of them
# (Asker.can_manage); the core refuses, in these words, when they are not.
MANAGERS = {
    "slack": (
        "the people the bot's config file lists under `[slack] admins`, or, when it lists none, "
        "workspace owners and admins and the person who created the channel"
    ),
    "discord": "people with the Manage Channels permission there",
}

HELP = {
    "slack": (
        "`/papers` or `/papers today` — today's trending papers",
        "`/papers speculative decoding` — search (results only you see, with a button to share)",
        "`/papers paper 2406.12345` — one paper, by arXiv id or link",
        "`/papers subscribe diffusion, robotics at 09:00 tz Europe/Berlin top 5` — a daily digest here",
        "`/papers settings` · `/papers unsubscribe` · `/papers help`",
        "In a paper's thread, mention me with `summary`, `related`, `code`, `authors` or `cite`.",
        "`/papers top [week|month|all]` — this channel's most engaged papers · "
        "`/papers saved [bibtex]` · `/papers unsave 2406.12345` — your reading list",
        f"Who may subscribe or unsubscribe a channel: {MANAGERS['slack']}.",
    ),
    "discord": (
        "`/papers today` — today's trending papers",
        "`/papers search topic:speculative decoding` — search (only you see it; share with a button)",
        "`/papers paper id:2406.12345` — one paper, by arXiv id or link",
        "`/papers subscribe topics:diffusion, robotics time:09:00 timezone:Europe/Berlin top:5` — a daily digest",
        "`/papers settings` · `/papers unsubscribe` · `/papers help`",
        "In a paper's thread, mention me with `summary`, `related`, `code`, `authors` or `cite`.",
        "`/papers top period:week` — this channel's most engaged papers · "
        "`/papers saved` · `/papers unsave id:2406.12345` — your reading list",
        f"Who may subscribe or unsubscribe a channel: {MANAGERS['discord']}.",
    ),
}


def manages_channel(command: Command) -> bool:
    """Whether answering `command` changes the channel's digest, so the asker must be allowed to manage it."""
    return isinstance(command, Subscribe | Unsubscribe)


@dataclass(frozen=True)
class Asker:
    """Who asked, and where: enough for the core to decide, nothing platform-specific."""

    channel: ChannelRef
    user: str
    direct: bool = False  # a direct message: no channel to subscribe
    can_manage: bool = True  # may change the channel's subscription


class ChatService:
    def __init__(
        self,
        store: PaperStore,
        search: SearchIndex,
        catalog: Catalog,
        subscriptions: SubscriptionStore,
        defaults: DigestDefaults,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        community: Community | None = None,
    ) -> None:
        self._community = community
        self._store = store
        self._search = search
        self._catalog = catalog
        self._subscriptions = subscriptions
        self._defaults = defaults
        self._clock = clock

    async def answer(self, command: Command, asker: Asker) -> Post:
        match command:
            case Today():
                return await self._today()
            case Search(query):
                hits = await self._search.search(query, limit=SEARCH_RESULTS)
                return Post(
                    header=f"Papers on “{query[:100]}”",
                    cards=tuple(card(h.paper) for h in hits),
                    empty=f"No papers match “{query[:100]}”. Try fewer or broader words, or `/papers help`.",
                )
            case PaperLookup(ref):
                return await self._paper(ref)
            case Subscribe():
                return await self._subscribe(command, asker)
            case Unsubscribe():
                return await self._unsubscribe(asker)
            case Settings():
                return await self._settings(asker)
            case Help():
                return self.help(asker.channel.platform)
            case Top() | Saved() | Unsave():
                return await self._engaged(command, asker)
            case Unknown(text, hint):
                return Post(
                    header="paperboy", text=(f"Sorry, I didn't get “{text[:100]}”. {hint}", *self._examples(asker))
                )
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    async def _engaged(self, command: Top | Saved | Unsave, asker: Asker) -> Post:
        """`top`, `saved`, `unsave`: the channel's votes and the asker's own reading list."""
        if self._community is None:
            return Post(header="paperboy", text=("Votes and reading lists are not available here.",))
        person = self._community.person(asker.channel, asker.user)
        match command:
            case Top(period):
                return await self._community.top(asker.channel, period)
            case Saved(as_bibtex):
                return await self._community.saved(person, as_bibtex=as_bibtex)
            case Unsave(ref):
                return await self._community.unsave(person, ref)

    def help(self, platform: str) -> Post:
        return Post(header="paperboy: Hugging Face Daily Papers in chat", text=HELP.get(platform, HELP["slack"]))

    def _examples(self, asker: Asker) -> tuple[str, ...]:
        lines = HELP.get(asker.channel.platform, HELP["slack"])
        return (lines[0], lines[1], lines[3])

    async def _today(self) -> Post:
        digest = await build_digest(self._store, self._search, DigestOptions(limit=self._defaults.limit))
        return digest.to_post()

    async def _paper(self, ref: str) -> Post:
        try:
            paper = await self._catalog.paper(ref)
        except InvalidPaperId as exc:
            return Post(header="paperboy", text=(str(exc),))
        except NotFound as exc:
            return Post(header="paperboy", text=(f"{exc}.",))
        except SourceError as exc:
            return Post(header="paperboy", text=(f"Could not fetch that paper just now ({exc}). Try again later.",))
        return Post(header=paper.title, cards=(card(paper),))

    def _refusal(self, asker: Asker, verb: str) -> Post | None:
        if asker.direct:
            return Post(
                header="paperboy", text=(f"Digests go to channels: run `/papers {verb}` in the channel itself.",)
            )
        if not asker.can_manage:
            managers = MANAGERS.get(asker.channel.platform, "people who can manage this channel")
            return Post(
                header="paperboy",
                text=(f"Sorry, you can't {verb} this channel: that is for {managers}. Ask one of them to do it.",),
            )
        return None

    async def _subscribe(self, command: Subscribe, asker: Asker) -> Post:
        refused = self._refusal(asker, "subscribe")
        if refused is not None:
            return refused
        current = await self._subscriptions.get(asker.channel)
        if current is not None and current.source == "config":
            return Post(
                header="paperboy",
                text=(
                    "This channel's digest is managed by the config file; change it there.",
                    *current.describe(self._clock()),
                ),
            )
        subscription = Subscription(
            channel=asker.channel,
            topics=command.topics or (current.topics if current else self._defaults.topics),
            time=command.time or (current.time if current else "09:00"),
            timezone=command.timezone or (current.timezone if current else "UTC"),
            days=command.days or (current.days if current else "mon-fri"),
            limit=command.limit or (current.limit if current else self._defaults.limit),
            min_upvotes=current.min_upvotes if current else self._defaults.min_upvotes,
        )
        now = self._clock()
        await self._subscriptions.save(subscription, now)  # dated: a due time already past is not owed
        verb = "updated" if current else "subscribed"
        return Post(
            header=f"This channel is {verb}: a daily digest of Hugging Face papers",
            text=tuple(subscription.describe(now)),
        )

    async def _unsubscribe(self, asker: Asker) -> Post:
        refused = self._refusal(asker, "unsubscribe")
        if refused is not None:
            return refused
        current = await self._subscriptions.get(asker.channel)
        if current is None:
            return Post(header="paperboy", text=("This channel has no daily digest.",))
        if current.source == "config":
            return Post(
                header="paperboy", text=("This channel's digest is managed by the config file; remove it there.",)
            )
        await self._subscriptions.remove(asker.channel)
        return Post(header="paperboy", text=("Unsubscribed: no more daily digests here.",))

    async def _settings(self, asker: Asker) -> Post:
        current = await self._subscriptions.get(asker.channel)
        if current is None:
            return Post(
                header="paperboy",
                text=(
                    "This channel has no daily digest. Try `/papers subscribe diffusion at 09:00 tz Europe/Berlin`.",
                ),
            )
        return Post(header="This channel's daily digest", text=tuple(current.describe(self._clock())))
