"""'Most discussed here this week': the channel's own votes and replies, read through the Engagement port,
each paper linked to its thread where the platform gives links."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged, Engagement
from bot.domain.errors import PaperboyError
from bot.domain.post import Post
from bot.domain.publishing import MessageRef, Permalinks, Publisher
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore

DISCUSSED = 5  # papers in the section
TITLE = "Most discussed here this week"
log = logging.getLogger("paperboy.roundup")


async def discussed(
    engagement: Engagement,
    store: PaperStore,
    channel: ChannelRef,
    since: datetime,
    until: datetime,
    threads: tuple[Ledger, Publisher] | None = None,
) -> Post | None:
    """The section, or None when nobody here reacted to or replied about a paper in [since, until).
    `threads`: where each paper's newest thread here is recorded, and the publisher that links it."""
    top = await engagement.discussed(channel, since, until, DISCUSSED)
    papers = await store.get_many([engaged.arxiv_id for engaged in top])
    links = await thread_links(*threads, channel, [e.arxiv_id for e in top]) if threads and top else {}
    lines = []
    for rank, engaged in enumerate(top, start=1):
        paper = papers.get(engaged.arxiv_id)
        named = f"{paper.title} ({engaged.arxiv_id})" if paper is not None else f"arXiv {engaged.arxiv_id}"
        thread = f" · thread: {links[engaged.arxiv_id]}" if engaged.arxiv_id in links else ""
        lines.append(f"{rank}. {named}: {_counts(engaged)}{thread}")
    if not lines:
        return None
    return Post(header=TITLE, text=tuple(lines))


async def thread_links(
    ledger: Ledger, publisher: Publisher, channel: ChannelRef, arxiv_ids: Sequence[str]
) -> dict[str, str]:
    """Each paper's newest thread in the channel, as a link people open; none where the platform gives
    no links (the terminal), and none for a thread it can't link now (deleted, out of reach): the
    section goes out without it."""
    if not isinstance(publisher, Permalinks):
        return {}
    links = {}
    for arxiv_id, thread in (await ledger.newest_threads(channel, arxiv_ids)).items():
        try:
            link = await publisher.permalink(MessageRef(channel.channel, thread, thread))
        except PaperboyError as exc:  # the channel gone, Slack out of reach: said, and the rest goes on
            log.info("%s: %s's thread goes unlinked in the roundup: %s", channel, arxiv_id, exc)
            continue
        if link:
            links[arxiv_id] = link
    return links


def _counts(engaged: Engaged) -> str:
    reactions = f"{engaged.reactions} {'person' if engaged.reactions == 1 else 'people'} reacted"
    replies = f"{engaged.replies} replied"
    return f"{reactions}, {replies}"
