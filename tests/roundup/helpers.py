"""Shared by the roundup tests: a settable clock, and a paper changed after its card went out."""

from __future__ import annotations

from bot.store.papers import PaperStore
from tests.delivery.world import Clock

__all__ = ["Clock", "news_for"]  # Clock: the sweep tests' settable clock, for the roundup tests


async def news_for(store: PaperStore, arxiv_id: str, *, upvotes: int | None = None, repo: str | None = None) -> None:
    """What a later sync would bring: more upvotes, a code repository."""
    paper = await store.get(arxiv_id)
    assert paper is not None
    changes: dict[str, object] = {}
    if upvotes is not None:
        changes["upvotes"] = upvotes
    if repo is not None:
        changes["github_repo"] = repo
    await store.save_papers([paper.model_copy(update=changes)])
