"""Link cards: one per paper link as posted, fetched when missing (online), a note when offline."""

from __future__ import annotations

import httpx
import pytest

from bot.ingest.catalog import Catalog
from bot.sources.arxiv import Arxiv
from bot.sources.http import RetryPolicy
from bot.sources.huggingface import HuggingFace
from bot.store.papers import PaperStore
from bot.surfaces.links import MAX_LINKS, LinkCards
from tests.conftest import Sleeps, search_over
from tests.fakes.papers_api import FakePapersApi, json_answer

FAST = RetryPolicy(attempts=2, backoff=0.0, max_backoff=0.0)
STORED = "2605.29307"  # GrepSeek, in the June store
LACKS = (
    "arXiv 2401.99999 is not in the local store (offline: nothing was fetched;"
    " paperboy fetches it when run without PAPERBOY_OFFLINE)."
)


async def test_offline_each_paper_url_gets_its_card_or_a_note(june_store: PaperStore) -> None:
    links = LinkCards(Catalog(june_store, search_over(june_store), None, None, None))
    urls = [
        f"https://arxiv.org/abs/{STORED}v1",
        "https://example.com/not-a-paper",
        f"https://hf.co/papers/{STORED}",
        "https://arxiv.org/pdf/2401.99999",
        f"https://arxiv.org/abs/{STORED}v1",  # Slack may list a URL twice: one unfurl
    ]
    found = await links.for_urls(urls)
    assert [(f.url, f.paper_id) for f in found] == [
        (f"https://arxiv.org/abs/{STORED}v1", STORED),
        (f"https://hf.co/papers/{STORED}", STORED),
        ("https://arxiv.org/pdf/2401.99999", "2401.99999"),
    ]
    assert found[0].card is not None
    assert found[0].card.title.startswith("GrepSeek")
    assert found[1].card == found[0].card
    assert found[2].card is None
    assert found[2].note == LACKS


async def test_online_a_missing_paper_is_fetched_and_kept(
    store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    search = search_over(store)
    hf = HuggingFace(client, policy=FAST, sleep=sleeps)
    arxiv = Arxiv(client, min_interval=0.0, policy=FAST, sleep=sleeps)
    links = LinkCards(Catalog(store, search, hf, arxiv, None))
    [fetched, unknown] = await links.for_urls(
        [f"https://huggingface.co/papers/{STORED}", "https://arxiv.org/abs/2612.99998"]
    )
    assert fetched.card is not None
    assert fetched.card.title.startswith("GrepSeek")
    assert await store.get(STORED) is not None
    assert unknown.card is None
    assert "2612.99998" in unknown.note


async def test_hugging_face_down_the_paper_comes_from_arxiv(
    store: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps, fake_api: FakePapersApi
) -> None:
    """A card from arXiv's record while Hugging Face answers 503 (it would have been a note to try later,
    which on Slack stays under the message for good)."""
    recorded = "1605.08386"  # an answer of arXiv's own, recorded
    fake_api.fail(f"/api/papers/{recorded}", *[json_answer({"error": "down"}, status=503)] * 2)
    hf = HuggingFace(client, policy=FAST, sleep=sleeps)
    arxiv = Arxiv(client, min_interval=0.0, policy=FAST, sleep=sleeps)
    [found] = await LinkCards(Catalog(store, search_over(store), hf, arxiv, None)).for_urls(
        [f"https://arxiv.org/abs/{recorded}"]
    )
    assert found.card is not None and found.paper_id == recorded and not found.passing


@pytest.mark.slow
async def test_a_message_post_for_paper_card(june_store: PaperStore) -> None:
    links = LinkCards(Catalog(june_store, search_over(june_store), None, None, None))
    post = await links.post(f"look: https://arxiv.org/abs/{STORED} and https://arxiv.org/abs/2401.99999v2 !")
    assert post.header == "The papers linked in this message"
    assert [c.paper_id for c in post.cards] == [STORED]
    assert post.text == (LACKS,)
    many = await links.post(" ".join(f"https://arxiv.org/abs/2401.{i:05d}" for i in range(13)))
    assert many.text[-1] == "…and 3 more papers linked: a message gets the first 10."
    none = await links.post("no paper here: https://example.com")
    assert not none.cards
    assert "links to no paper" in none.text[0] and "ar5iv" in none.text[0]
    named = await links.post(f"read arXiv:{STORED}, it's good")  # QA s76: "links to no paper"
    assert [c.paper_id for c in named.cards] == [STORED] and named.header == "The paper linked in this message"
    both = await links.post(f"arXiv:{STORED} (https://arxiv.org/abs/{STORED}v2) and 2401.99999")
    assert [c.paper_id for c in both.cards] == [STORED] and both.text == (LACKS,)  # one card a paper
    typo = await links.post("this one: https://arxiv.org/abs/2413.01234")  # QA s74 #2: said it links to no paper
    assert not typo.cards
    assert typo.text[0].startswith("That message links to 2413.01234, which no arXiv paper can have (")


async def test_at_most_ten_links_a_message(june_store: PaperStore) -> None:
    links = LinkCards(Catalog(june_store, search_over(june_store), None, None, None))
    found = await links.for_urls([f"https://arxiv.org/abs/2401.{i:05d}" for i in range(30)])
    assert len(found) == MAX_LINKS


async def test_the_ten_papers_are_counted_by_paper_not_by_link(june_store: PaperStore) -> None:
    links = LinkCards(Catalog(june_store, search_over(june_store), None, None, None))
    urls = [f"https://{host}/2401.{i:05d}" for i in range(12) for host in ("arxiv.org/abs", "hf.co/papers")]
    found = await links.for_urls(urls)
    assert len(found) == 2 * MAX_LINKS
    assert len({f.paper_id for f in found}) == MAX_LINKS
