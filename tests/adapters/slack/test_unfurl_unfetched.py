"""Link cards with Hugging Face and arXiv reachable (the fake APIs), one paper's fetch failing just now."""

from __future__ import annotations

import httpx
import pytest

from bot.domain.channels import ChannelRef
from bot.ingest.catalog import Catalog
from bot.sources.arxiv import Arxiv
from bot.sources.http import RetryPolicy
from bot.sources.huggingface import HuggingFace
from bot.store.papers import PaperStore
from tests.adapters.slack.conftest import SlackBot, settled
from tests.adapters.slack.test_surfaces import link_shared, unfurled
from tests.conftest import Sleeps, search_over
from tests.fakes.papers_api import FakePapersApi, json_answer

STORED = "2605.29307"  # GrepSeek, in the June store
DOWN = "2401.99999"  # not in the store, and both sources answer 503 for it
FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)


@pytest.fixture
def slack_catalog(
    june_store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps, fake_api: FakePapersApi
) -> Catalog:
    fake_api.fail(f"/api/papers/{DOWN}", *[json_answer({"error": "down"}, status=503)] * 2)
    fake_api.fail("/api/query", *[json_answer({"error": "down"}, status=503)] * 2)
    hf = HuggingFace(client, policy=FAST, sleep=sleeps)
    arxiv = Arxiv(client, min_interval=0.0, policy=FAST, sleep=sleeps)
    return Catalog(june_store, search_over(june_store), hf, arxiv, None)


@pytest.mark.slow
async def test_a_message_linking_two_papers_is_no_link_card_when_one_could_not_be_fetched_just_now(
    slack_bot: SlackBot,
) -> None:
    """The paper that could not be fetched gets no unfurl (a note that may pass would stay under the
    message for good), but it is still a second paper: the message is neither paper's link card, so its
    reactions are no votes for the first (it was recorded as the first's)."""
    ts = "1767225850.000100"
    await link_shared(slack_bot, [f"https://arxiv.org/abs/{STORED}", f"https://arxiv.org/abs/{DOWN}"], message_ts=ts)
    call = await unfurled(slack_bot)
    assert list(call["unfurls"]) == [f"https://arxiv.org/abs/{STORED}"]
    await settled()
    assert await slack_bot.community.engagement.posted(ChannelRef("slack", "C0001", "T0001"), ts) is None
