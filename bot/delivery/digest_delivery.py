"""Delivering a channel's digest once: claim it in the ledger, then header, cards and thread seeds.

Claim → post → record each message reference right after its post. A second run for the same
channel and day posts nothing; an interrupted one is resumed (by this process or another: at once
when the one that died held it by a lock that died with it, else once its lease has run out) with
what is not yet out, after looking on the platform for a post that was under way and not yet
recorded. A channel that refuses the bot for good stops its delivery with a recorded status and
one log line.

A sweep delivers many digests at once (`deliver_many`): they are claimed in one transaction, what
each channel has already been sent is looked up in one query, and channels with the same filters
share one digest, so the headers go out together; then each channel posts at its own pace.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal

from bot.delivery.digest import Digest, DigestOptions, Matches, digest_of, matches
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.cards import card
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable, ConfigError, DeliveryError, PaperboyError, WorkspacePaused
from bot.domain.post import Card
from bot.domain.publishing import LeaseLost, MessageRef, Publisher, holding, publisher_for
from bot.domain.repeats import Repeats
from bot.domain.words import counted
from bot.search.port import SearchIndex
from bot.store.claims import Holder
from bot.store.faults import store_fault
from bot.store.ledger import Claim, Key, Ledger
from bot.store.papers import PaperStore

log = logging.getLogger("paperboy.delivery")

Outcome = Literal["posted", "already", "busy", "empty", "stopped", "failed", "skipped"]
# What a claim that is not ours means for the caller.
RECHECK_S = 3.0  # how often a digest going out asks whether its channel is still subscribed (at most)
TAKEN_OVER = "taken over midway"  # a busy digest's reason when this process had begun it
_NOT_OURS: dict[str, Outcome] = {"done": "already", "busy": "busy", "stopped": "stopped", "skipped": "skipped"}
Clock = Callable[[], datetime]
# Told of each card right after it is out, as posted (a living thread follows it from there); not of a
# card a process that died may have posted, which the living thread adopts from its intent.
CardPosted = Callable[[ChannelRef, Card, MessageRef, datetime], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeliveryResult:
    channel: ChannelRef
    day: date | None
    outcome: Outcome
    papers: int = 0
    reason: str | None = None
    holder: Holder | None = None  # who is delivering it, when busy
    begun: bool = False  # skipped after its header was begun: part of it may be in the channel
    before: int = 0  # of `papers`, those an earlier try posted (another process, or this one before a failure)

    @property
    def ok(self) -> bool:
        return self.outcome in ("posted", "already", "busy", "empty", "skipped")

    @property
    def for_the_log(self) -> bool:
        """Whether `run`'s sweep logs this outcome: a failure or a stop is logged by the delivery itself
        (it was said twice, at WARNING and again at INFO, every tick), and another replica delivering
        a digest is the fleet at work (said for each channel at every tick while it posted)."""
        return self.outcome not in ("failed", "stopped") and not (self.outcome == "busy" and self.reason != TAKEN_OVER)

    def describe(self, what: str | None = None) -> str:
        """The outcome in words; `what` was delivered (the day's digest, else a roundup's week, which is
        named with its dates in brackets: the count of papers it already has is then left out)."""
        when = what or (f"the {self.day:%-d %B %Y} digest" if self.day else "the digest")
        holder = f" ({self.holder.describe()})" if self.holder else ""
        held = "" if what else f" ({counted(self.papers, 'paper')})"
        return {
            "posted": f"Posted {when} to {self.channel}: {counted(self.papers, 'paper')}"
            + (f" ({self.before} of them by an earlier try, which stopped midway)." if self.before else "."),
            "already": f"{self.channel} already has {when}{held}: nothing posted.",
            "busy": f"Another paperboy process took {when} for {self.channel} over midway: it posts the rest."
            if self.reason == TAKEN_OVER
            else f"Another paperboy process is delivering {when} to {self.channel}{holder}: nothing posted.",
            # with a day, its header went out, saying why it holds no card; without one, nothing did
            "empty": f"Posted {when} to {self.channel} with no papers: {self.reason}"
            if self.day
            else f"No papers to post to {self.channel}: {self.reason}",
            "skipped": f"{when[:1].upper()}{when[1:]} for {self.channel} was given up midway ({self.reason}): part of"
            " it may be in the channel, so it is not posted again."  # why not now, then why then ("The 2 June")
            if self.begun
            else f"{when[:1].upper()}{when[1:]} for {self.channel} was skipped: {self.reason}",
            "stopped": f"Delivery to {self.channel} stopped: {self.reason}",
            "failed": f"Delivery of {when} to {self.channel} failed: {self.reason}",
        }[self.outcome]


@dataclass(frozen=True)
class Wanted:
    """A channel's digest for a listing day, with the channel's filters: what `deliver_many` is asked for."""

    channel: ChannelRef
    options: DigestOptions
    day: date
    subscribed: bool = True  # the channel has a subscription (`paperboy post` may post to one that has none)

    @property
    def key(self) -> Key:
        return self.channel, self.day


def key(day: date, *parts: str) -> str:
    return ":".join((day.isoformat(), *parts))


class DigestDelivery:
    def __init__(
        self,
        store: PaperStore,
        search: SearchIndex,
        ledger: Ledger,
        subscriptions: SubscriptionStore,
        publishers: Mapping[str, Publisher],
        clock: Clock = _now,
        posted: CardPosted | None = None,
    ) -> None:
        self._posted = posted
        self._store = store
        self._search = search
        self._ledger = ledger
        self._subscriptions = subscriptions
        self._publishers = publishers
        self._clock = clock
        self._renewed: dict[tuple[ChannelRef, date], datetime] = {}
        self.cut_short: set[tuple[ChannelRef, date]] = set()  # digests stopped by an unsubscribe midway
        self._repeats = Repeats()  # a failure tried again at every tick is said once an hour
        self.recheck_s = RECHECK_S

    async def deliver(
        self,
        channel: ChannelRef,
        options: DigestOptions,
        day: date | None = None,
        *,
        retry_stopped: bool = False,
        subscribed: bool = True,
    ) -> DeliveryResult:
        self._publisher(channel)
        day = day or await self._store.latest_day()
        if day is None:
            return DeliveryResult(channel, None, "empty", reason="the store has no papers yet (run paperboy sync)")
        wanted = Wanted(channel, options, day, subscribed)
        [result] = await self._many([wanted], retry_stopped=retry_stopped, apart=False)
        return result

    async def deliver_many(self, wanted: Sequence[Wanted], *, retry_stopped: bool = False) -> list[DeliveryResult]:
        """Each digest delivered as `deliver` would, all at the same time, one result each in order. An
        error no step expects in one fails that digest only (`_unexpected`): the others are seen through.

        Each digest (platform, channel and day) may be asked for once (the ledger refuses it twice)."""
        return await self._many(wanted, retry_stopped=retry_stopped, apart=True)

    async def _many(self, wanted: Sequence[Wanted], *, retry_stopped: bool, apart: bool) -> list[DeliveryResult]:
        """`deliver_many`; not `apart` (one digest asked for, as by `paperboy post`), its error goes up."""
        publishers = [self._publisher(w.channel) for w in wanted]
        claimed_at = self._clock()
        claims = await self._ledger.claim_many([w.key for w in wanted], claimed_at, retry_stopped=retry_stopped)
        ours = [w for w in wanted if claims[w.key].ours]
        try:
            digests = await self._digests(ours, claims)
        except BaseException:
            await self._ledger.release([w.key for w in ours])
            raise

        async def one(w: Wanted, publisher: Publisher) -> DeliveryResult:
            claim = claims[w.key]
            if not claim.ours:
                outcome = _NOT_OURS[claim.state]
                return DeliveryResult(
                    w.channel,
                    w.day,
                    outcome,
                    papers=claim.papers,
                    reason=claim.error or f"recorded as {claim.state}",
                    holder=claim.holder,
                    begun=claim.header is not None or claim.header_intent_at is not None,
                )
            self._renewed[w.key] = claimed_at
            try:
                result = await self._deliver(publisher, w.channel, w.day, claim, digests[w.key], w.subscribed)
                if retry_stopped and result.outcome in ("posted", "empty"):  # it reached the channel
                    await self._subscriptions.resumed(w.channel, self._clock())
                return result
            finally:
                self._renewed.pop(w.key, None)  # a long-running process keeps no state per digest
                await self._ledger.release([w.key])  # after its last write: finished, failed, or given up

        started = (one(w, p) for w, p in zip(wanted, publishers, strict=True))
        done = await asyncio.gather(*started, return_exceptions=apart)
        pairs = zip(wanted, done, strict=True)
        return [self._unexpected(w, d) if isinstance(d, BaseException) else d for w, d in pairs]

    def _unexpected(self, wanted: Wanted, exc: BaseException) -> DeliveryResult:
        """One digest's error that no delivery step expects (a store gone, a fault of ours): that digest
        fails, to be tried again at the next sweep, said in our words (a store's fault as the store's,
        never its SQL); the traceback goes to the log. Interruptions (cancelled, stopped) go up."""
        if not isinstance(exc, Exception):
            raise exc
        log.error("delivery of %s to %s failed", wanted.day, wanted.channel, exc_info=exc)
        if isinstance(exc, PaperboyError):
            said = str(exc)
        else:
            fault = store_fault(exc, self._store.engine.url)
            said = str(fault) if fault is not None else f"an unexpected error ({type(exc).__name__}; see the log)"
        return DeliveryResult(wanted.channel, wanted.day, "failed", reason=f"{said}; tried again at the next sweep")

    def _publisher(self, channel: ChannelRef) -> Publisher:
        publisher = self._publishers.get(channel.platform)
        if publisher is None:
            raise ConfigError(f"{channel.platform.capitalize()} is not configured: {_credentials(channel.platform)}")
        return publisher_for(publisher, channel.workspace)

    async def _digests(self, wanted: Sequence[Wanted], claims: Mapping[Key, Claim]) -> dict[Key, Digest]:
        """Each claimed channel's digest: of the day's papers that match its filters (worked out once for
        all channels with the same filters), the first it has not been sent, in the places left."""
        found: dict[tuple[date, tuple[str, ...], int], Matches] = {}
        for w in wanted:
            filters = (w.day, w.options.topics, w.options.min_upvotes)
            if filters not in found:
                found[filters] = await self._matches(w.options, w.day)

        def of(w: Wanted) -> Matches:
            return found[(w.day, w.options.topics, w.options.min_upvotes)]

        before = await self._ledger.sent_before_many({w.key: [p.arxiv_id for p in of(w).papers] for w in wanted})
        digests = {}
        for w in wanted:
            claim = claims[w.key]
            # A resumed digest keeps what was begun and fills only the places left.
            places = max(w.options.limit - len(claim.sent), 0)
            digests[w.key] = await self._digest_of(
                w, of(w), replace(w.options, limit=places), before[w.key] | set(claim.sent)
            )
        return digests

    async def _matches(self, options: DigestOptions, day: date) -> Matches:
        """The papers a digest keyed by `day` starts from (a weekly roundup reads its week's days)."""
        return await matches(self._store, self._search, options, day)

    async def _digest_of(self, wanted: Wanted, found: Matches, options: DigestOptions, already: set[str]) -> Digest:
        """The digest to post from its matches, `options.limit` places, leaving out `already`."""
        return digest_of(found, options, already)

    async def _deliver(
        self, publisher: Publisher, channel: ChannelRef, day: date, claim: Claim, digest: Digest, subscribed: bool
    ) -> DeliveryResult:
        try:
            with holding(functools.partial(self._ledger.holding, channel, day)):  # asked again after a 429's wait
                done = await self._post(publisher, channel, day, claim, digest, subscribed)
            self.cut_short.discard((channel, day))  # (read by a roundup's `_post`, after the cards)
        except WorkspacePaused as exc:
            # Not the channel's refusal: the workspace took the app away, and an install brings it back
            # (clearing the status), perhaps within the digest's window: failed, tried again then.
            await self._ledger.fail(channel, day, exc.reason, self._clock())
            await self._subscriptions.set_status(channel, exc.reason)
            log.warning("delivery of %s to %s paused (tried again if installed in time): %s", day, channel, exc.reason)
            return DeliveryResult(channel, day, "stopped", reason=exc.reason)
        except ChannelUnavailable as exc:
            await self._ledger.fail(channel, day, exc.reason, self._clock(), stopped=True)
            await self._subscriptions.set_status(channel, exc.reason)
            held = await self._subscriptions.get(channel)
            log.warning(
                "delivery of %s to %s stopped, and its later digests with it: %s. Once the bot may post there, %s",
                day,
                channel,
                exc.reason,
                _resumed_by(held),
            )
            return DeliveryResult(channel, day, "stopped", reason=exc.reason)
        except DeliveryError as exc:
            await self._ledger.fail(channel, day, str(exc), self._clock())
            if self._repeats.first((channel, day, str(exc)), self._clock()):  # once an hour while it lasts
                log.warning("delivery of %s to %s failed (it will be tried again): %s", day, channel, exc)
            return DeliveryResult(channel, day, "failed", reason=str(exc))
        except LeaseLost:  # this process may have posted some of it ("nothing posted" was said)
            log.info("another process took over the %s digest for %s", day, channel)
            return DeliveryResult(channel, day, "busy", reason=TAKEN_OVER)
        await self._ledger.finish(channel, day, done, self._clock())
        if done == 0:  # the digest says which filter left nothing, counted
            why = digest.to_post().empty or "no papers matched this channel's topics and filters"
            return DeliveryResult(channel, day, "empty", reason=why)
        before = sum(1 for sent in claim.sent.values() if sent.root is not None)  # (a takeover said it posted all)
        return DeliveryResult(channel, day, "posted", papers=done, before=min(before, done))

    async def _post(
        self,
        publisher: Publisher,
        channel: ChannelRef,
        day: date,
        claim: Claim,
        digest: Digest,
        subscribed: bool,
    ) -> int:
        """Post the digest's header and cards (each recorded as it goes out); `subscribed`: the channel had
        a subscription, so one ended meanwhile (an unsubscribe, an unfollow) stops the cards."""
        fresh = list(digest.papers)
        where = channel.channel

        header: MessageRef | None = None
        if claim.header is None:
            if claim.state == "resume" and claim.header_intent_at is not None:
                title = digest.to_post().header  # a forum's header, when it has one, is a post of that name
                header = await publisher.find(where, key(day, "header"), claim.header_intent_at, title=title)
            if header is None:
                header = await publisher.post_header(where, digest.to_post(), key(day, "header"))
            if header is None:
                await self._ledger.set_header(channel, day, None)  # a forum: no header, and none to look for
        position = max((s.position for s in claim.sent.values()), default=0)
        planned = [(position + n, paper) for n, paper in enumerate(fresh, start=1)]
        intents = [(n, p.arxiv_id) for n, p in planned]
        shows = {p.arxiv_id: (p.upvotes, p.github_repo) for _, p in planned}  # what its card shows, as `card` makes it
        await self._ledger.begin_papers(channel, day, intents, self._clock(), header, shows)
        await self._renew(channel, day)

        for sent in sorted(claim.sent.values(), key=lambda s: s.position):
            paper = await self._store.get(sent.arxiv_id)
            if paper is not None:
                paper_card = card(paper, rank=sent.position)
                await self._card(publisher, channel, day, paper_card, sent.root, sent.seeded, sent.intent_at)
        checked = time.monotonic()  # asked again every `recheck_s`, not at once: a sweep's group commits stay few
        for done, (number, paper) in enumerate(planned):
            if subscribed and done and time.monotonic() - checked >= self.recheck_s:
                checked = time.monotonic()  # (a channel takes a card a second: a check every third card)
                if not await self._subscriptions.exists(channel):  # unsubscribed (or unfollowed) midway, and
                    left = len(planned) - done  # told nothing more comes: nothing more does
                    log.info("%s unsubscribed during its %s digest: %d of its cards not posted", channel, day, left)
                    await self._ledger.drop_unposted(channel, day)
                    self.cut_short.add((channel, day))
                    return position + done
            await self._card(publisher, channel, day, card(paper, rank=number), None, False, None)
        return position + len(planned)

    async def _card(
        self,
        publisher: Publisher,
        channel: ChannelRef,
        day: date,
        paper_card: Card,
        root: MessageRef | None,
        seeded: bool,
        begun: datetime | None,
    ) -> None:
        """Post (or, resuming after a crash, find) one paper's card and its thread seed; each is written
        down right after it is out, so a takeover has to look only for a post that was under way."""
        where, pid = channel.channel, paper_card.paper_id
        if seeded and root is not None:
            return
        found_root = root
        if found_root is None and begun is not None:
            found_root = await publisher.find(where, key(day, pid), begun, title=paper_card.title)
        fresh_root = found_root is None
        if found_root is None:
            found_root = await publisher.post_card(where, paper_card, key(day, pid))
        if root is None:
            await self._ledger.card_sent(channel, day, pid, found_root, self._clock())
            # A card begun by a process that died may be its post (found, or Discord's answer to the same
            # nonce), showing the paper as it was then, not `paper_card`: the living thread adopts it
            # from what its intent recorded (FollowStore.adopt), so news since then is still news.
            if self._posted is not None and begun is None:
                await self._posted(channel, paper_card, found_root, self._clock())
            await self._renew(channel, day)
        seed = None
        if not fresh_root and begun is not None:
            seed = await publisher.find(where, key(day, pid, "seed"), begun, thread=found_root.thread)
        if seed is None:
            seed = await publisher.seed_thread(found_root, paper_card, key(day, pid, "seed"))
        await self._ledger.seed_sent(channel, day, pid, self._clock(), seed)
        await self._renew(channel, day)

    async def _renew(self, channel: ChannelRef, day: date) -> None:
        """Before the next post: stop if our hold on the digest may be lost (another process may be taking
        it over), and extend the lease once a quarter of it has gone by (not after every post: a write)."""
        if not await self._ledger.holding(channel, day):
            raise LeaseLost
        now = self._clock()
        renewed = self._renewed.get((channel, day))
        if renewed is not None and now - renewed < self._ledger.lease / 4:
            return
        if not await self._ledger.renew(channel, day, now):
            raise LeaseLost
        self._renewed[(channel, day)] = now


def _credentials(platform: str) -> str:
    if platform == "slack":  # a post needs the bot token alone; `run` the signing secret too
        return (
            "set SLACK_BOT_TOKEN (or [slack] bot_token in the config file; for many workspaces, SLACK_CLIENT_ID"
            " and the settings docs/slack-workspaces.md lists)"
        )
    if platform == "discord":
        return "set DISCORD_TOKEN (or [discord] token in the config file)"
    return "no such platform"


def _resumed_by(held: Subscription | None) -> str:
    """What resumes a stopped channel's digests, for its log line: the config file's channel is tried
    again at the next start (its `/papers subscribe` is refused), a person's follows by their `follow`."""
    if held is not None and held.source == "config":
        return "restarting paperboy resumes them (the config file names the channel)"
    if held is not None and held.person:
        return "their `/papers follow` resumes them"
    return "`/papers subscribe` in the channel resumes them"
