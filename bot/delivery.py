"""Delivering a channel's digest once: claim it in the ledger, then header, cards and thread seeds.

Claim → post → record each message reference. A second run for the same channel and day posts
nothing; an interrupted one resumes with the papers not yet out. A channel that refuses the bot for
good stops its delivery with a recorded status and one log line; nothing is retried forever.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from bot.cards import card
from bot.channels import ChannelRef
from bot.digest import DigestOptions, build_digest
from bot.errors import ChannelUnavailable, ConfigError, DeliveryError
from bot.publishing import Publisher
from bot.search.port import SearchIndex
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.subscriptions import SubscriptionStore

log = logging.getLogger("paperboy.delivery")

Outcome = Literal["posted", "already", "empty", "stopped", "failed"]


@dataclass(frozen=True)
class DeliveryResult:
    channel: ChannelRef
    day: date | None
    outcome: Outcome
    papers: int = 0
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("posted", "already", "empty")

    def describe(self) -> str:
        when = f"the {self.day:%-d %B %Y} digest" if self.day else "the digest"
        if self.outcome == "posted":
            return f"Posted {when} to {self.channel}: {self.papers} paper{'s' if self.papers != 1 else ''}."
        if self.outcome == "already":
            return f"{self.channel} already has {when} ({self.papers} papers): nothing posted."
        if self.outcome == "empty":
            return f"No papers to post to {self.channel}: {self.reason}"
        if self.outcome == "stopped":
            return f"Delivery to {self.channel} stopped: {self.reason}"
        return f"Delivery of {when} to {self.channel} failed: {self.reason}"


class DigestDelivery:
    def __init__(
        self,
        store: PaperStore,
        search: SearchIndex,
        ledger: Ledger,
        subscriptions: SubscriptionStore,
        publishers: Mapping[str, Publisher],
    ) -> None:
        self._store = store
        self._search = search
        self._ledger = ledger
        self._subscriptions = subscriptions
        self._publishers = publishers

    async def deliver(self, channel: ChannelRef, options: DigestOptions, day: date | None = None) -> DeliveryResult:
        publisher = self._publishers.get(channel.platform)
        if publisher is None:
            raise ConfigError(f"{channel.platform} is not configured: {_credentials(channel.platform)}")
        day = day or await self._store.latest_day()
        if day is None:
            return DeliveryResult(channel, None, "empty", reason="the store has no papers yet (run paperboy sync)")
        claim = await self._ledger.claim(channel, day)
        if claim.state == "done":
            return DeliveryResult(channel, day, "already", papers=claim.papers)

        async def elsewhere(ids: Collection[str]) -> set[str]:
            return await self._ledger.sent_before(channel, ids, day)

        # A resumed digest keeps what is already out and fills only the places left.
        remaining = replace(options, limit=max(options.limit - len(claim.sent), 0))
        digest = await build_digest(self._store, self._search, remaining, day, elsewhere)
        fresh = [p for p in digest.papers if p.arxiv_id not in claim.sent][: remaining.limit]
        done = len(claim.sent)
        try:
            if claim.header is None:
                post = replace(digest, papers=tuple(fresh) if fresh or not claim.sent else digest.papers).to_post()
                await self._ledger.set_header(channel, day, await publisher.post_header(channel.channel, post))
            for sent in sorted(claim.sent.values(), key=lambda s: s.position):
                if not sent.seeded:
                    paper = await self._store.get(sent.arxiv_id)
                    if paper is not None:
                        await publisher.seed_thread(sent.root, card(paper, rank=sent.position))
                    await self._ledger.mark_seeded(channel, sent.arxiv_id)
            for paper in fresh:
                done += 1
                paper_card = card(paper, rank=done)
                root = await publisher.post_card(channel.channel, paper_card)
                await self._ledger.record_paper(channel, day, done, paper.arxiv_id, root)
                await publisher.seed_thread(root, paper_card)
                await self._ledger.mark_seeded(channel, paper.arxiv_id)
        except ChannelUnavailable as exc:
            await self._ledger.fail(channel, day, exc.reason)
            await self._subscriptions.set_status(channel, exc.reason)
            log.warning("delivery to %s stopped: %s", channel, exc.reason)
            return DeliveryResult(channel, day, "stopped", papers=done, reason=exc.reason)
        except DeliveryError as exc:
            await self._ledger.fail(channel, day, str(exc))
            log.warning("delivery to %s failed (will retry on the next run): %s", channel, exc)
            return DeliveryResult(channel, day, "failed", papers=done, reason=str(exc))
        await self._ledger.finish(channel, day, done)
        if done == 0:
            return DeliveryResult(channel, day, "empty", reason=digest.to_post().empty or "nothing matched")
        return DeliveryResult(channel, day, "posted", papers=done)


def _credentials(platform: str) -> str:
    if platform == "slack":
        return "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"
    if platform == "discord":
        return "set DISCORD_TOKEN"
    return "no such platform"
