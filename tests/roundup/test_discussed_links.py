"""'Most discussed here this week' links each paper to its newest thread in the channel where the
platform gives links (Discord QA F6: the section named papers nobody could click to), and goes out
without a link it can't have."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable
from bot.domain.models import Paper
from bot.domain.publishing import MessageRef
from bot.roundup.discussed import discussed
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.fakes.publisher import RecordingPublisher
from tests.roundup.engagement import Card, MemoryEngagement

NOW = datetime(2026, 6, 5, 16, tzinfo=UTC)
WEEK = (NOW - timedelta(days=7), NOW)
HERE = ChannelRef("slack", "CTALK", "T1")


@dataclass
class LinkingPublisher(RecordingPublisher):
    gone: set[str] = field(default_factory=set)  # threads whose channel refuses the bot now
    asked: list[MessageRef] = field(default_factory=list)

    async def permalink(self, ref: MessageRef) -> str | None:
        self.asked.append(ref)
        if ref.thread in self.gone:
            raise ChannelUnavailable(f"slack:{ref.channel}", "channel_not_found")
        return None if ref.thread == "404.1" else f"https://lab.example/{ref.channel}/{ref.thread}"


async def _discussed_here(store: PaperStore, publisher: RecordingPublisher) -> tuple[str, ...]:
    engagement, ledger = MemoryEngagement(), Ledger(store.engine)
    await store.save_papers([Paper(arxiv_id=f"2606.0000{i}", title=f"Paper {i}", upvotes=10 - i) for i in range(1, 6)])
    for i in range(1, 6):
        engagement.cards.append(Card(HERE, f"2606.0000{i}", NOW - timedelta(days=30), 10 - i))
        engagement.react(HERE, f"2606.0000{i}", "U1", at=NOW - timedelta(days=1))
    threads = {"2606.00001": ("100.1", "300.1"), "2606.00002": ("404.1",), "2606.00003": ("500.1",)}
    for arxiv_id, refs in threads.items():
        for n, ref in enumerate(refs):
            at = NOW - timedelta(days=30 - n)
            await ledger.record_thread("slack", MessageRef("CTALK", ref, ref), arxiv_id, "digest", at, workspace="T1")
    await ledger.record_thread("slack", MessageRef("COTHER", "9.9", "9.9"), "2606.00004", "share", NOW, workspace="T1")
    section = await discussed(engagement, store, HERE, *WEEK, threads=(ledger, publisher))
    await ledger.close()
    assert section is not None
    return section.text


async def test_each_paper_links_its_newest_thread_here(store: PaperStore) -> None:
    publisher = LinkingPublisher(gone={"500.1"})
    assert await _discussed_here(store, publisher) == (
        "1. Paper 1 (2606.00001): 1 person reacted, 0 replied · thread: https://lab.example/CTALK/300.1",  # the newer
        "2. Paper 2 (2606.00002): 1 person reacted, 0 replied",  # its message deleted: no link
        "3. Paper 3 (2606.00003): 1 person reacted, 0 replied",  # its channel refused the bot: said, left out
        "4. Paper 4 (2606.00004): 1 person reacted, 0 replied",  # its card's thread is another channel's
        "5. Paper 5 (2606.00005): 1 person reacted, 0 replied",  # no thread recorded
    )
    assert {ref.thread for ref in publisher.asked} == {"300.1", "404.1", "500.1"}


async def test_a_platform_without_links_lists_the_papers_alone(store: PaperStore) -> None:
    text = await _discussed_here(store, RecordingPublisher())
    assert text[0] == "1. Paper 1 (2606.00001): 1 person reacted, 0 replied" and "thread" not in "".join(text)
