"""'Most discussed here this week': the channel's own votes and replies, read through the Engagement port."""

from __future__ import annotations

from datetime import datetime

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged, Engagement
from bot.domain.post import Post
from bot.store.papers import PaperStore

DISCUSSED = 5  # papers in the section
TITLE = "Most discussed here this week"


async def discussed(
    engagement: Engagement, store: PaperStore, channel: ChannelRef, since: datetime, until: datetime
) -> Post | None:
    """The section, or None when nobody here reacted to or replied about a paper in [since, until)."""
    top = await engagement.discussed(channel, since, until, DISCUSSED)
    papers = await store.get_many([engaged.arxiv_id for engaged in top])
    lines = []
    for rank, engaged in enumerate(top, start=1):
        paper = papers.get(engaged.arxiv_id)
        named = f"{paper.title} ({engaged.arxiv_id})" if paper is not None else f"arXiv {engaged.arxiv_id}"
        lines.append(f"{rank}. {named}: {_counts(engaged)}")
    if not lines:
        return None
    return Post(header=TITLE, text=tuple(lines))


def _counts(engaged: Engaged) -> str:
    reactions = f"{engaged.reactions} {'person' if engaged.reactions == 1 else 'people'} reacted"
    replies = f"{engaged.replies} replied"
    return f"{reactions}, {replies}"
