from __future__ import annotations

import logging

import httpx
import pytest

from bot.domain.errors import NotFound, SourceDataError, SourceError
from bot.sources.arxiv import Arxiv
from bot.sources.http import RetryPolicy
from tests.conftest import Sleeps
from tests.fakes.papers_api import Answer, FakePapersApi, atom_answer, atom_entry


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


async def test_an_id_arxiv_calls_malformed_is_no_paper_and_the_others_are_asked_again(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """arXiv refuses a whole query for one malformed id (HTTP 400, an error entry, as recorded for `abc`)."""
    assert await arxiv(client, sleeps).papers(["abc"]) == []
    with pytest.raises(NotFound, match="arXiv has no paper abc"):
        await arxiv(client, sleeps).paper("abc")
    fake_api.arxiv["abc,1707.08567"] = fake_api.arxiv["abc"]
    papers = await arxiv(client, sleeps).papers(["abc", "1707.08567"])
    assert [p.arxiv_id for p in papers] == ["1707.08567"]


async def test_an_error_feed_gives_arxivs_reason(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    refusal = fake_api.arxiv["abc"].body.replace(b"incorrect id format for abc", b"max_results is too large")
    fake_api.arxiv["1605.08386"] = Answer(400, refusal)
    with pytest.raises(
        SourceError, match=r"arXiv \(HTTP 400\): the query was refused: max_results is too large"
    ) as caught:
        await arxiv(client, sleeps).papers(["1605.08386"])
    assert caught.value.status == 400


async def test_a_body_that_is_not_atom_is_a_data_error(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    fake_api.fail("/api/query", Answer(200, b"<html><body>rate limited</body>"))
    with pytest.raises(SourceDataError, match="a web page \\(HTML\\), not arXiv's Atom feed: a proxy or a network's"):
        await arxiv(client, sleeps).paper("1605.08386")


async def test_requests_are_spaced_three_seconds_apart(client: httpx.AsyncClient, sleeps: Sleeps) -> None:
    clock = Clock()
    source = arxiv(client, sleeps, clock)
    await source.paper("1605.08386")
    clock.now += 1.0
    await source.with_policy(RetryPolicy(attempts=2)).paper("2104.12255v1")  # another policy, the same pace
    clock.now += 5.0
    await source.paper("1707.08567")
    assert sleeps.waits == [pytest.approx(2.0)]  # the second call waited out the rest of 3 s; the third did not


async def test_a_paper_answered_under_another_id_is_refused(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    fake_api.arxiv["1605.08386"] = atom_answer(atom_entry("2401.99999v1", "Someone else"))
    with pytest.raises(
        SourceDataError, match="asked for paper 1605.08386 but the answer is paper 2401.99999; nothing was kept"
    ):
        await arxiv(client, sleeps).paper("1605.08386")


async def test_entries_nobody_asked_for_are_left_out(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.arxiv["1605.08386,2104.12255"] = atom_answer(
        atom_entry("1605.08386v2", "Asked"), atom_entry("2401.99999v1", "Not asked")
    )
    with caplog.at_level(logging.WARNING, logger="paperboy.sources"):
        papers = await arxiv(client, sleeps).papers(["1605.08386", "2104.12255"])
    assert [p.title for p in papers] == ["Asked"]
    assert [r.getMessage() for r in caplog.records] == ["arXiv: left out entry 2: not asked for (paper 2401.99999)"]


@pytest.mark.parametrize("order", ["v1 first", "v2 first"])
async def test_the_newest_version_wins_in_one_answer(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps, order: str
) -> None:
    v1, v2 = atom_entry("2401.00001v1", "Old title"), atom_entry("2401.00001v2", "New title")
    fake_api.arxiv["2401.00001v1,2401.00001v2"] = atom_answer(*((v1, v2) if order == "v1 first" else (v2, v1)))
    papers = await arxiv(client, sleeps).papers(["2401.00001v1", "2401.00001v2"])
    assert [(p.arxiv_id, p.title) for p in papers] == [("2401.00001", "New title")]


async def test_a_bad_entry_costs_only_itself(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    fake_api.arxiv["2401.00001,2401.00002,2401.00003"] = atom_answer(
        atom_entry("2401.00001v1", "Good"),
        atom_entry("2401.00002v1", "Bad date", published="the day before yesterday"),
        atom_entry("not-an-id", "No id"),
    )
    with caplog.at_level(logging.WARNING, logger="paperboy.sources"):
        papers = await arxiv(client, sleeps).papers(["2401.00001", "2401.00002", "2401.00003"])
    assert [p.arxiv_id for p in papers] == ["2401.00001"]
    assert [r.getMessage() for r in caplog.records] == [
        "arXiv: left out entry 2: its publication date 'the day before yesterday' is not a date (paper 2401.00002)",
        "arXiv: left out entry 3: it has no arXiv id ('http://arxiv.org/abs/not-an-id')",
    ]


async def test_an_answer_of_nothing_but_bad_entries_is_a_data_error(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    fake_api.arxiv["2401.00002"] = atom_answer(atom_entry("2401.00002v1", "Bad", published="soon"))
    with pytest.raises(SourceDataError, match=r"every entry \(1\) is malformed; the first: entry 1"):
        await arxiv(client, sleeps).papers(["2401.00002"])


async def test_control_characters_and_bidi_overrides_leave_titles_and_authors(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps
) -> None:
    """XML lets C1 controls (a terminal's escape, \\x9b) and bidi overrides through: arXiv's text is
    cleaned as Hugging Face's is."""
    entry = atom_entry("2401.00001v1", "Evil \u009b31m title \u202egnp.exe").replace(
        "Ada Lovelace", "A\u009b2Jda\u2067 Lovelace"
    )
    fake_api.arxiv["2401.00001"] = atom_answer(entry)
    paper = await arxiv(client, sleeps).paper("2401.00001")
    assert (paper.title, paper.authors) == ("Evil title gnp.exe", ("Ada Lovelace",))  # escape sequences dropped whole


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"error": "invalid_auth"}', "the answer is JSON, not arXiv's Atom feed: a proxy"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", r"not an Atom feed \(cut short or garbled on the way\)"),
    ],
)
async def test_an_answer_that_is_no_xml_is_said_in_our_words(
    client: httpx.AsyncClient, fake_api: FakePapersApi, sleeps: Sleeps, body: bytes, said: str
) -> None:
    """It said the parser's "not well-formed (invalid token): line 1, column 0"."""
    fake_api.fail("/api/query", Answer(200, body))
    with pytest.raises(SourceDataError, match=said) as caught:
        await arxiv(client, sleeps).paper("1605.08386")
    assert "line 1" not in str(caught.value) and "well-formed" not in str(caught.value)
