"""A living thread: after each sync, every followed card's paper is compared with the card as posted.

News (code out, a new arXiv version, upvotes past 100/250/500/1000) is posted once in the paper's
thread, claimed in the note ledger first (bot/store/notes.py), so replicas and restarts never post
it twice. The card itself is refreshed in place when what it shows has changed, at most once an
hour (one process wins each hour's refresh), and at most `refreshes_per_minute` a workspace (Slack
team, Discord guild), paced, inside Slack's chat.update tier (each workspace's own) and Discord's
edit limits (each channel's, and 50 requests a second for the bot). A card a person deleted is left
alone and followed no more; a channel that unsubscribed gets neither notes nor refreshes while it stays so.
Each channel is worked through in order; channels go side by side.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.delivery.subscriptions import Subscription, SubscriptionStore, meant, workspace_stopped
from bot.domain.cards import card as card_of
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable, DeliveryError, PlatformUnreachable, UsageError, WorkspacePaused
from bot.domain.models import Paper
from bot.domain.post import Card
from bot.domain.publishing import LeaseLost, MessageRef, Publisher, holding, publisher_for
from bot.domain.repeats import Repeats
from bot.domain.words import counted
from bot.host.tasks import each_to_its_end
from bot.roundup.news import News, news
from bot.store.follows import AsPosted, Followed, FollowStore
from bot.store.notes import NoteKey, NoteLedger
from bot.store.papers import PaperStore

log = logging.getLogger("paperboy.follow")
REFRESH_EVERY = timedelta(hours=1)
Sleep = Callable[[float], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


def following(
    follows: FollowStore, follow_days: int, *, regardless: bool = False
) -> Callable[[ChannelRef, Card, MessageRef, datetime], Awaitable[None]]:
    """DigestDelivery's `posted` hook: each card out is followed, as posted, for `follow_days` (0: none).
    `paperboy post` follows its cards so too: they were followed only once a sync had come, and until then
    "any news?" in their threads was told that none would come. `regardless`: whether or not the channel
    is subscribed (`post` to a channel with no subscription: its cards got no news, as if it had unsubscribed)."""

    async def posted(channel: ChannelRef, card: Card, ref: MessageRef, now: datetime) -> None:
        if follow_days:
            renew = now - timedelta(days=follow_days)  # a card of the paper there followed no more: this one is
            await follows.record(channel, card.paper_id, ref, AsPosted.of(card), now, renew, regardless=regardless)

    return posted


@dataclass
class FollowReport:
    followed: int = 0
    notes: Counter[str] = field(default_factory=Counter)  # posted notes by kind (code, version, upvotes)
    refreshed: int = 0
    stopped: int = 0  # cards found deleted, no longer followed


class Follower:
    def __init__(
        self,
        follows: FollowStore,
        notes: NoteLedger,
        store: PaperStore,
        publishers: Mapping[str, Publisher],
        follow_days: int,
        *,
        clock: Callable[[], datetime] = _now,
        refreshes_per_minute: int = 40,
        sleep: Sleep = asyncio.sleep,
        subscriptions: SubscriptionStore | None = None,
    ) -> None:
        self._follows = follows
        self._notes = notes
        self._store = store
        self._publishers = publishers
        self._days = follow_days
        self.posted = following(follows, follow_days)  # DigestDelivery's `posted` hook: each card out, followed
        self._clock = clock
        self._gap = 60.0 / refreshes_per_minute
        self._sleep = sleep
        self._last_refresh: dict[tuple[str, str], float] = {}  # by platform and workspace
        self._pace: dict[tuple[str, str], asyncio.Lock] = {}
        self._subscriptions = subscriptions
        self._repeats = Repeats()  # a failure met again at every sync is said once an hour

    async def sweep(self) -> FollowReport:
        """Compare every card posted in the last `follow_days` with its paper now; note and refresh."""
        report = FollowReport()
        if not self._days:
            return report
        since = self._clock() - timedelta(days=self._days)
        await self._follows.adopt(since)
        followed = [f for f in await self._follows.following(since) if f.channel.platform in self._publishers]
        followed = await self._subscribed(followed)
        report.followed = len(followed)
        ids = sorted({f.arxiv_id for f in followed})
        versions = await self._follows.versions(ids)
        papers = await self._store.get_many(ids) if ids else {}
        done = await self._notes.done(ids)
        channels: dict[ChannelRef, list[Followed]] = {}
        for item in followed:
            channels.setdefault(item.channel, []).append(item)
        await each_to_its_end(*(self._channel(items, papers, versions, done, report) for items in channels.values()))
        return report

    async def _subscribed(self, followed: list[Followed]) -> list[Followed]:
        """The cards of channels still subscribed: a channel that unsubscribed hears no more from the bot,
        not even its digest cards' news (they go on if it subscribes again within `follow_days`); a card
        a person shared there is theirs, and is followed with or without a subscription. Those of a
        workspace stopped (a refused token) wait for its install: each card's refresh called Slack with
        the token it had refused, at every sync."""
        if self._subscriptions is None:
            return followed
        found: dict[tuple[str, str], list[Subscription]] = {}
        for subscription in await self._subscriptions.all():  # one read, however many channels
            found.setdefault((subscription.channel.platform, subscription.channel.channel), []).append(subscription)
        unsubscribed, stopped = set(), set()
        for channel in {f.channel for f in followed}:
            try:
                current = meant(channel, found.get((channel.platform, channel.channel), []))
            except UsageError:  # a channel id named by no workspace, subscribed in several: followed still
                continue
            if current is None:
                unsubscribed.add(channel)
            elif workspace_stopped(current.status):  # its token refused: no call
                stopped.add(channel)
        if unsubscribed or stopped:
            log.debug("living threads of %d unsubscribed channels wait", len(unsubscribed | stopped))
        return [f for f in followed if f.channel not in stopped and (f.shared or f.channel not in unsubscribed)]

    async def _channel(
        self,
        items: Sequence[Followed],
        papers: Mapping[str, Paper],
        versions: Mapping[str, int],
        done: Collection[NoteKey],
        report: FollowReport,
    ) -> None:
        channel = items[0].channel
        publisher = publisher_for(self._publishers[channel.platform], channel.workspace)  # its workspace's token
        for item in items:
            paper = papers.get(item.arxiv_id)
            if paper is None:
                continue
            version = versions.get(item.arxiv_id)
            if item.version is None and version is not None:
                await self._follows.set_version(item.key, version)  # the first version seen is the one posted
            pending = [f for f in news(item, paper, version) if (channel, item.arxiv_id, f.event) not in done]
            try:
                refreshed = await self._refreshed(publisher, item, paper, report)
                if refreshed == "gone" or (
                    pending and refreshed == "as is" and not await self._there(publisher, item, report)
                ):
                    continue  # a note would go into a deleted card's orphaned thread
                for found in pending:
                    if await self._note(publisher, item, found):
                        report.notes[found.event.partition(":")[0]] += 1
            except WorkspacePaused as exc:  # uninstalled: its cards come back with it, untouched till then
                log.info("living threads in %s wait: %s", channel, exc.reason)
                return
            except ChannelUnavailable as exc:
                # the channel refused (the bot was removed): none of its cards is asked again, those before
                # this one too (with nothing new they asked nothing yet); else the card's own thread did
                # (Discord), which ends that card alone
                # (a publisher names the channel with its workspace or, with one token for all, without)
                whole = exc.channel in (str(channel), str(replace(channel, workspace="")))
                gone = [each for each in (items if whole else [item]) if await self._follows.stop(each.key, exc.reason)]
                report.stopped += len(gone)  # a card this sweep stopped already (deleted) counts once
                what = counted(len(gone), "card") if whole else item.arxiv_id
                log.warning("stopped following %s in %s: %s", what, channel, exc.reason)
                if whole:
                    return
            except PlatformUnreachable as exc:  # the rest of the channel's cards would wait for it too
                if self._repeats.first((channel, str(exc)), self._clock()):
                    log.warning("living threads wait: %s (tried again at the next sync)", exc)  # it names the channel
                return
            except DeliveryError as exc:
                if self._repeats.first((channel, item.arxiv_id, str(exc)), self._clock()):
                    log.warning(
                        "living thread of %s in %s: %s (tried again at the next sync)", item.arxiv_id, channel, exc
                    )

    async def _there(self, publisher: Publisher, item: Followed, report: FollowReport) -> bool:
        """Whether the card is still there (asked before a note when no refresh told); stopped if not."""
        if await publisher.card_exists(item.ref):
            return True
        await self._deleted(item, report)
        return False

    async def _deleted(self, item: Followed, report: FollowReport) -> None:
        await self._follows.stop(item.key, "the card was deleted")
        report.stopped += 1
        log.info("the card of %s in %s was deleted: no longer followed", item.arxiv_id, item.channel)

    async def _refreshed(
        self, publisher: Publisher, item: Followed, paper: Paper, report: FollowReport
    ) -> Literal["refreshed", "as is", "gone"]:
        """`_refresh`; a refresh refused for a while (Discord edits nothing in an archived thread, and a
        forum post's card is in its own) leaves the card as is, and its notes still go out: a note
        reopens the thread, and the card is refreshed at its next hour."""
        try:
            return await self._refresh(publisher, item, paper, report)
        except PlatformUnreachable:
            raise  # the platform down: the channel's other cards and notes are not asked either
        except DeliveryError as exc:
            log.info("the card of %s in %s was not refreshed: %s", item.arxiv_id, item.channel, exc)
            return "as is"

    async def _refresh(
        self, publisher: Publisher, item: Followed, paper: Paper, report: FollowReport
    ) -> Literal["refreshed", "as is", "gone"]:
        """Refresh the card if what it shows changed and its hour is up (at most once an hour a card):
        refreshed, left as is (nothing asked of the platform), or gone (a person deleted it)."""
        fresh = card_of(paper, rank=item.rank)
        if fresh.counts() == item.shown:
            return "as is"
        if item.refreshed_at is not None and self._clock() - item.refreshed_at < REFRESH_EVERY:
            return "as is"  # refreshed within the hour, as read a moment ago: not worth a write to ask
        # Slack limits chat.update per workspace: a deployment serving many paces each on its own
        pace = (item.channel.platform, item.channel.workspace)
        async with self._pace.setdefault(pace, asyncio.Lock()):
            if not await self._follows.claim_refresh(item.key, self._clock(), REFRESH_EVERY):
                return "as is"  # refreshed within the hour (here or by another process)
            loop = asyncio.get_running_loop()
            last = self._last_refresh.get(pace)
            if last is not None and (wait := self._gap - (loop.time() - last)) > 0:
                await self._sleep(wait)
            self._last_refresh[pace] = loop.time()
            there = await publisher.refresh_card(item.ref, fresh)
        if not there:
            await self._deleted(item, report)
            return "gone"
        await self._follows.refreshed(item.key, fresh.counts())
        report.refreshed += 1
        return "refreshed"

    async def _note(self, publisher: Publisher, item: Followed, found: News) -> bool:
        """Post one note in the paper's thread, once; whether this process posted it (False: it is out
        already, or another process holds it; a failure raises, and the next sync tries again)."""
        key: NoteKey = (item.channel, item.arxiv_id, found.event)
        claim = await self._notes.claim(key, self._clock())
        if not claim.ours:
            return False
        where, platform_key = item.channel.channel, f"note:{item.arxiv_id}:{found.event}"
        try:
            ref = None
            if claim.state == "resume" and claim.intent_at is not None:
                ref = await publisher.find(where, platform_key, claim.intent_at, thread=item.ref.thread)
            if ref is not None:
                await self._notes.posted(key, ref.message, self._clock())
                return False  # out before the process that began it died
            if not await self._notes.holding(key):
                return False  # another process may be taking it over: it will post it
            with holding(functools.partial(self._notes.holding, key)):  # asked again after a 429's wait
                ref = await publisher.note(
                    where, found.note, platform_key, thread=item.ref.thread, about=item.ref.message
                )
        except LeaseLost:  # lost while a 429 was waited out: another process may be posting it
            await self._notes.release(key)
            return False
        except WorkspacePaused:
            await self._notes.release(key)  # posted once the workspace is back
            raise
        except ChannelUnavailable:
            await self._notes.posted(key, None, self._clock(), gone=True)
            raise
        except BaseException:
            await self._notes.release(key)
            raise
        await self._notes.posted(key, ref.message if ref else None, self._clock())
        return True
