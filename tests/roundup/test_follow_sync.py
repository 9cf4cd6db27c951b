"""Where a living thread's facts come from: the followed papers' listing days fetched again from Hugging
Face (upvotes, code), and their newest versions from arXiv (which Hugging Face's listings do not carry)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from bot.domain.channels import ChannelRef
from bot.domain.publishing import MessageRef
from bot.ingest.sync import Syncer
from bot.roundup.follow import Follower
from bot.roundup.follow_sync import FollowSources
from bot.sources.arxiv import Arxiv
from bot.sources.http import RetryPolicy
from bot.sources.huggingface import HuggingFace
from bot.store.follows import AsPosted, FollowStore
from bot.store.notes import NoteLedger
from bot.store.papers import PaperStore
from tests.conftest import Sleeps, listings_of, search_over
from tests.fakes.papers_api import FakePapersApi, atom_answer, atom_entry
from tests.fakes.publisher import RecordingPublisher
from tests.roundup.helpers import Clock

FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)
NOW = datetime(2026, 6, 4, 10, tzinfo=UTC)
PAPER = "2605.31604"  # listed on Monday 1 June 2026, 38 upvotes and no code in the recording
CHANNEL = ChannelRef("slack", "CSYNC")


async def test_a_sync_refetches_followed_days_and_reads_arxiv_versions(store: PaperStore, sleeps: Sleeps) -> None:
    api = FakePapersApi.recorded({"2026-06-01"})
    async with httpx.AsyncClient(transport=api.transport(), base_url="https://huggingface.co") as client:
        arxiv = Arxiv(client, min_interval=0.0, policy=FAST, sleep=sleeps)
        syncer = Syncer(store, HuggingFace(client, policy=FAST, sleep=sleeps), arxiv, search_over(store))
        await store.save_listings(listings_of("2026-06-01"), fetched=[date(2026, 6, 1)])
        follows = FollowStore(store.engine)
        await follows.save_versions({PAPER: 1}, NOW - timedelta(days=3))
        await follows.record(
            CHANNEL, PAPER, MessageRef("CSYNC", "1", "1"), AsPosted(3, 38, None, "as posted"), NOW - timedelta(days=3)
        )
        # Since then Hugging Face counts 120 upvotes and links code; arXiv has a second version.
        for item in api.daily["2026-06-01"]:
            assert isinstance(item, dict)
            if item["paper"]["id"] == PAPER:
                item["paper"].update(upvotes=120, githubRepo="https://github.com/lab/code")
        api.arxiv[PAPER] = atom_answer(atom_entry(f"{PAPER}v2", "The paper, revised"))

        clock = Clock(NOW)
        report = await FollowSources(follows, store, syncer, arxiv, 7, clock).refresh(synced={date(2026, 6, 4)})
        assert report.days == [date(2026, 6, 1)] and report.versions == 1 and report.failed == []
        assert "/api/daily_papers?date=2026-06-01" in {r.split("&")[0] for r in api.requests}
        assert await follows.versions([PAPER]) == {PAPER: 2}
        paper = await store.get(PAPER)
        assert paper is not None and (paper.upvotes, paper.github_repo) == (120, "https://github.com/lab/code")

        publisher = RecordingPublisher()
        follower = Follower(follows, NoteLedger(store.engine), store, {"slack": publisher}, 7, clock=clock)
        result = await follower.sweep()
        assert result.notes == {"code": 1, "version": 1, "upvotes": 1}
        assert [p.header for p in publisher.headers] == ["Code is out", "arXiv version 2 is out", "Past 100 upvotes"]

        before = len(api.requests)
        assert (await FollowSources(follows, store, syncer, arxiv, 0, clock).refresh()).days == []
        assert len(api.requests) == before  # follow_days = 0: a living thread asks for nothing


@pytest.mark.slow
async def test_a_card_of_a_paper_listed_long_before_it_has_its_listing_day_fetched(
    store: PaperStore, sleeps: Sleeps
) -> None:
    """A roundup on Thursday 11 June carries papers of Monday 1 June; a share may be of an older paper."""
    api = FakePapersApi.recorded({"2026-06-01"})
    async with httpx.AsyncClient(transport=api.transport(), base_url="https://huggingface.co") as client:
        syncer = Syncer(store, HuggingFace(client, policy=FAST, sleep=sleeps), None, search_over(store))
        await store.save_listings(listings_of("2026-06-01"), fetched=[date(2026, 6, 1)])
        follows = FollowStore(store.engine)
        card = datetime(2026, 6, 11, 16, tzinfo=UTC)
        await follows.record(CHANNEL, PAPER, MessageRef("CSYNC", "1", "1"), AsPosted(3, 38, None, "as posted"), card)
        for days_on in (0, 3, 6):
            sources = FollowSources(follows, store, syncer, None, 7, Clock(card + timedelta(days=days_on)))
            report = await sources.refresh()
            assert report.days == [date(2026, 6, 1)] and report.failed == []
