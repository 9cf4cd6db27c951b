"""A person's home (Slack's App Home): their reading list or follows, the day's top papers, and the
digests of the channels they share with the bot. Neutral data; the Slack adapter renders it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from bot.delivery.delivered import days_had
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from bot.host.tasks import together
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore

TOP_PAPERS = 5
SAVED_SHOWN = 10
CHANNELS_SHOWN = 30  # more than anyone reads; keeps the view well inside Slack's 100 blocks
ASKED_AT_ONCE = 10  # channels whose members are asked about at the same time


class Members(Protocol):
    """Who is in a channel, as the platform says (Slack: the person's conversations, cached by the adapter)."""

    async def is_member(self, channel: str, person: str) -> bool: ...


class ReadingList(Protocol):
    """The port a reading list offers the home: wire it to the reading-list store when there is one."""

    async def saved_papers(self, platform: str, workspace: str, person: str) -> Sequence[str]:
        """The arXiv ids on the person's reading list, most recently saved first."""
        ...


@dataclass(frozen=True)
class Home:
    person: str
    follows: Subscription | None  # their personal digest, if they follow anything
    saved: tuple[Paper, ...] | None  # their reading list; None when no reading list is wired in
    day: date | None  # the latest listing day
    top: tuple[Paper, ...]  # its most upvoted papers
    channels: tuple[Subscription, ...]  # digests of channels they are in, by channel id
    more_channels: int = 0  # how many more there are than are shown
    opened: Subscription | None = None  # a channel's digest whose settings they asked to see
    more_saved: int = 0  # papers on their reading list past those shown
    # the days whose digest their follows and the opened channel already had (`days_had`), by channel
    had: Mapping[ChannelRef, frozenset[date]] = field(default_factory=dict)


class HomeService:
    def __init__(
        self,
        store: PaperStore,
        subscriptions: SubscriptionStore,
        reading: ReadingList | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self._reading = reading
        self._ledger = ledger if ledger is not None else Ledger(store.engine)

    async def home(
        self,
        platform: str,
        workspace: str,
        person: str,
        members: Members,
        opened: str | None = None,
        now: datetime | None = None,
    ) -> Home:
        """What `person` sees at `now`; `opened`: a channel (one of theirs) whose digest settings to show."""
        everything = await self._subscriptions.all()
        follows = await self._subscriptions.of_person(platform, workspace, person)
        candidates = [
            s
            for s in everything
            if s.channel.platform == platform
            and s.person is None
            and (not workspace or not s.channel.workspace or s.channel.workspace == workspace)
        ]
        saved, more_saved = await self._saved(platform, workspace, person)
        theirs: list[Subscription] = []
        for start in range(0, len(candidates), ASKED_AT_ONCE):
            chunk = candidates[start : start + ASKED_AT_ONCE]
            inside = await together(*(members.is_member(s.channel.channel, person) for s in chunk))
            theirs += [s for s, yes in zip(chunk, inside, strict=True) if yes]
        day = await self._store.latest_day()
        top = sorted(await self._store.listing(day), key=lambda p: -p.upvotes)[:TOP_PAPERS] if day else []
        shown = next((s for s in theirs if s.channel.channel == opened), None) if opened else None
        now = now or datetime.now(UTC)
        described = [s for s in (follows, shown) if s is not None]
        had = await together(*(days_had(self._ledger, s, now) for s in described))
        return Home(
            person=person,
            follows=follows,
            saved=saved,
            more_saved=more_saved,
            day=day,
            top=tuple(top),
            channels=tuple(theirs[:CHANNELS_SHOWN]),
            more_channels=max(len(theirs) - CHANNELS_SHOWN, 0),
            opened=shown,
            had={s.channel: frozenset(days) for s, days in zip(described, had, strict=True)},
        )

    async def _saved(self, platform: str, workspace: str, person: str) -> tuple[tuple[Paper, ...] | None, int]:
        """The newest saved papers the store holds (up to `SAVED_SHOWN`), and how many more are saved."""
        if self._reading is None:
            return None, 0
        ids = list(await self._reading.saved_papers(platform, workspace, person))
        papers = await self._store.get_many(ids)
        held = [papers[i] for i in ids if i in papers]
        return tuple(held[:SAVED_SHOWN]), len(ids) - len(held[:SAVED_SHOWN])
