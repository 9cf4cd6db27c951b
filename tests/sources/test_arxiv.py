from __future__ import annotations

import httpx
import pytest

from bot.errors import NotFound, SourceDataError, SourceError
from bot.sources.arxiv import Arxiv
from tests.conftest import Sleeps
from tests.fakes.papers_api import Answer, FakePapersApi


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def arxiv(client: httpx.AsyncClient, sleeps: Sleeps, clock: Clock | None = None) -> Arxiv:
    return Arxiv(client, min_interval=3.0, clock=clock or Clock(), sleep=sleeps)


async def test_new_style_id(client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    paper = await arxiv(client, sleeps).paper("1605.08386")
    assert paper.arxiv_id == "1605.08386"
    assert paper.title.startswith("Heat-bath random walks")
    assert len(paper.authors) == 2
    assert paper.published_at is not None and paper.published_at.tzinfo is not None


async def test_versioned_id_comes_back_canonical(client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    paper = await arxiv(client, sleeps).paper("2104.12255v1")
    assert paper.arxiv_id == "2104.12255"
    assert paper.authors == ("Quan Thoi Minh Nguyen",)
    assert "funniest number in cryptography" in paper.abstract


@pytest.mark.parametrize(
    ("asked", "expected"), [("astro-ph/0601001", "astro-ph/0601001"), ("quant-ph/0201082v1", "quant-ph/0201082")]
)
async def test_old_style_ids(client: httpx.AsyncClient, sleeps: Sleeps, asked: str, expected: str) -> None:
    paper = await arxiv(client, sleeps).paper(asked)
    assert paper.arxiv_id == expected and paper.title and paper.abstract


async def test_several_ids_in_one_request(client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps) -> None:
    papers = await arxiv(client, sleeps).papers(["0808.05394", "1707.08567"])
    assert [p.arxiv_id for p in papers] == ["1707.08567"]  # arXiv returns only what it knows
    assert len([r for r in fake_api.requests if r.startswith("/api/query")]) == 1


async def test_empty_feed_is_not_found(client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    with pytest.raises(NotFound, match="arXiv has no paper 0000.0000"):
        await arxiv(client, sleeps).paper("0000.0000")


async def test_error_feed_gives_arxivs_reason(client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    with pytest.raises(
        SourceError, match=r"arXiv \(HTTP 400\): the query was refused: incorrect id format for abc"
    ) as caught:
        await arxiv(client, sleeps).papers(["abc"])
    assert caught.value.status == 400


async def test_a_body_that_is_not_atom_is_a_data_error(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    fake_api.fail("/api/query", Answer(200, b"<html><body>rate limited</body>"))
    with pytest.raises(SourceDataError, match="not an Atom feed"):
        await arxiv(client, sleeps).paper("1605.08386")


async def test_requests_are_spaced_three_seconds_apart(client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    clock = Clock()
    source = arxiv(client, sleeps, clock)
    await source.paper("1605.08386")
    clock.now += 1.0
    await source.paper("2104.12255v1")
    clock.now += 5.0
    await source.paper("1707.08567")
    assert sleeps.waits == [pytest.approx(2.0)]  # the second call waited out the rest of 3 s; the third did not
