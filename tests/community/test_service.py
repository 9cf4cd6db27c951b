"""The community room's answers on the real store: `/papers top` posts and reading lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.community.periods import since
from bot.community.service import Community, Reaction
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from bot.domain.publishing import MessageRef
from bot.store.engagement import EngagementStore
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.reading import Person, ReadingLists

NOW = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
HERE = ChannelRef("slack", "C0001", "T0001")


@pytest.fixture
async def community(store: PaperStore) -> Community:
    await store.save_papers([Paper(arxiv_id="2606.00001", title="Attention, again", authors=("Ada Lovelace",))])
    await Ledger(store.engine).record_thread("slack", MessageRef("C0001", "1.1", "1.1"), "2606.00001", "digest", NOW)
    return Community(EngagementStore(store.engine), ReadingLists(store.engine), store, clock=lambda: NOW)


def test_periods_reach_back_a_week_a_month_or_forever() -> None:
    assert since("week", NOW) == NOW - timedelta(days=7)
    assert since("month", NOW) == NOW - timedelta(days=30)
    assert since("all", NOW) is None


async def test_top_is_a_post_of_ranked_cards_with_their_counts(store: PaperStore, community: Community) -> None:
    empty = await community.top(HERE, "week")
    assert empty.cards == () and empty.empty and "in the last 7 days" in empty.empty
    assert "top all" not in empty.empty  # no paper here has a vote, ever: `top all` was as empty (QA s73-community #3)
    assert "further back" not in str((await community.top(HERE, "all")).empty)  # nothing further back to look
    posted = await community.reaction(Reaction(HERE, "1.1", "U1", "+1", True, NOW))
    assert posted is not None and posted.arxiv_id == "2606.00001"
    assert await community.reaction(Reaction(HERE, "9.9", "U1", "+1", True, NOW)) is None  # no paper's message
    await community.reply(HERE, "1.1", "1.5", "U2", NOW)
    top = await community.top(HERE, "week")
    [card] = top.cards
    assert (card.rank, card.title) == (1, "Attention, again")
    assert card.summary == "Score 2: 1 person reacted, 1 replied in its thread"  # its 💬 is Hugging Face's comments
    a_week_on = Community(community.engagement, community.lists, store, clock=lambda: NOW + timedelta(days=8))
    later = await a_week_on.top(HERE, "week")  # last week's cards, discussed this week (a roundup channel's):
    assert later.empty == (  # `top` said nobody had voted; then, to look at all time, not at the month that has them
        "No paper posted here in the last 7 days has a reaction or a reply yet; papers posted before have:"
        " `/papers top month` shows them."
    )
    months_on = Community(community.engagement, community.lists, store, clock=lambda: NOW + timedelta(days=40))
    assert str((await months_on.top(HERE, "week")).empty).endswith("`/papers top all` shows them.")
    assert str((await months_on.top(HERE, "month")).empty).endswith("`/papers top all` shows them.")


async def test_saving_listing_citing_and_unsaving(community: Community) -> None:
    ada = Person("slack", "T0001", "U1")
    assert "Saved “Attention, again”" in await community.save(ada, "https://huggingface.co/papers/2606.00001")
    assert "already on your reading list" in await community.save(ada, "2606.00001v2")
    assert "'nonsense' is not an arXiv id or paper URL" in await community.save(ada, "nonsense")
    # a button's value may name any id: one the store lacks is not saved, as typed `save` saves none it cannot find
    assert await community.save(ada, "2401.99999") == (
        "2401.99999 is not in the local store, so it was not saved: ask for it by its id to fetch it."
    )
    assert "2401.99999" not in [s.arxiv_id for s in await community.lists.saved(ada)]
    listing = await community.saved(ada)
    assert listing.text[0].startswith("1. 2606.00001 · Attention, again · saved 3 Jun 2026")
    cited = await community.saved(ada, as_bibtex=True)
    assert cited.code is not None and cited.code.startswith("@misc{lovelace2026attention,")
    assert "Removed “Attention, again” (2606.00001)" in (await community.unsave(ada, "2606.00001")).text[0]
    assert "is not on your reading list" in (await community.unsave(ada, "2606.00001")).text[0]
    assert (await community.saved(ada)).header == "Your reading list is empty"


async def test_each_platform_is_told_what_to_type_in_its_own_words(store: PaperStore, community: Community) -> None:
    from bot.chat.commands import Saved, Top, Unsave
    from bot.chat.service import Asker
    from tests.chat.world import chat_service

    chat = chat_service(store, community=community)
    for platform, further, more, unsave in [
        ("slack", "`/papers top month` shows them", "`/papers saved bibtex` gives it as BibTeX", "unsave 2406"),
        (
            "discord",
            "`/papers top period:month` shows them",
            "`/papers saved format:bibtex` gives it",
            "unsave id:2406",
        ),
    ]:
        asker = Asker(ChannelRef(platform, "C0002"), "U1")
        old_card = MessageRef("C0002", "2.2", "2.2")  # a paper posted 20 days ago, voted for: `top month` has it
        await Ledger(store.engine).record_thread(platform, old_card, "2606.00001", "digest", NOW - timedelta(days=20))
        await community.reaction(Reaction(asker.channel, "2.2", "U9", "+1", True, NOW - timedelta(days=19)))
        assert further in ((await chat.answer(Top("week"), asker)).empty or "")
        await community.save(community.person(asker.channel, "U1"), "2606.00001")
        assert more in str((await chat.answer(Saved(bibtex=False), asker)).footer)
        assert f"Try `/papers {unsave}.12345`." in (await chat.answer(Unsave("nonsense"), asker)).text[0]


async def test_top_keeps_a_voted_paper_the_store_no_longer_holds_in_its_place(
    store: PaperStore, community: Community
) -> None:
    """Ranks have no gap and the list is not called empty when the best-voted paper is not in the store."""
    await Ledger(store.engine).record_thread("slack", MessageRef("C0001", "2.2", "2.2"), "2601.00009", "digest", NOW)
    for user in ("U1", "U2", "U3"):
        await community.reaction(Reaction(HERE, "2.2", user, "+1", True, NOW))
    await community.reaction(Reaction(HERE, "1.1", "U1", "+1", True, NOW))
    top = await community.top(HERE, "week")
    assert [(c.rank, c.paper_id) for c in top.cards] == [(1, "2601.00009"), (2, "2606.00001")]
    assert top.cards[0].title == "arXiv 2601.00009 (not in the local store)"
    assert top.cards[0].url == "https://huggingface.co/papers/2601.00009"


async def test_save_by_id_puts_the_paper_on_the_askers_list(store: PaperStore, community: Community) -> None:
    from bot.chat.commands import Save, Saved, parse_command
    from bot.chat.service import Asker
    from tests.chat.world import chat_service

    chat = chat_service(store, community=community)
    asker = Asker(ChannelRef("slack", "C0002", "T0001"), "U7")
    saved = await chat.answer(parse_command("save https://arxiv.org/abs/2606.00001v2"), asker)
    assert saved.text == ("Saved “Attention, again” to your reading list. `/papers saved` shows it.",)
    assert "already on your reading list" in (await chat.answer(Save("2606.00001"), asker)).text[0]
    listed = await chat.answer(Saved(), asker)
    assert listed.text[0].startswith("1. 2606.00001 · Attention, again")
    unknown = await chat.answer(Save("2606.99999"), asker)  # offline: not stored, not fetched, not saved
    assert "2606.99999" in unknown.text[0] and "Saved" not in unknown.text[0]
    assert len((await chat.answer(Saved(), asker)).text[0].splitlines()) == 1


def test_a_reading_list_line_cuts_a_long_title_in_chat_but_not_on_the_command_line() -> None:
    from bot.community.service import TITLE_CHARS, listing_line
    from bot.store.reading import SavedPaper

    saved = SavedPaper("2606.00001", NOW)
    paper = Paper(arxiv_id="2606.00001", title="Long " * 60)
    assert len(listing_line(1, saved, paper).split(" · ")[1]) <= TITLE_CHARS
    assert listing_line(1, saved, paper, title_chars=None).split(" · ")[1] == ("Long " * 60).strip()
    assert listing_line(2, saved, None) == "2. 2606.00001 · (not in the local store) · saved 3 Jun 2026"


async def test_only_the_add_that_puts_a_bookmark_on_saves_the_paper(community: Community) -> None:
    """Slack retries an event and Discord replays one: the same bookmark add, delivered again after the
    person unsaved the paper, put it back on their list (the vote was counted once; the save ran again)."""
    ada = Person("slack", "T0001", "U1")
    added = Reaction(HERE, "1.1", "U1", "bookmark", True, NOW)

    async def listed() -> list[str]:
        return [s.arxiv_id for s in await community.lists.saved(ada)]

    await community.reaction(added)
    assert await listed() == ["2606.00001"]
    await community.unsave(ada, "2606.00001")
    await community.reaction(added)  # the very same event, again
    assert await listed() == []
    later = NOW + timedelta(minutes=1)
    await community.reaction(Reaction(HERE, "1.1", "U1", "bookmark", False, later))  # taken off: still unsaved
    await community.reaction(added)  # a late copy of the add the removal followed
    assert await listed() == []
    await community.reaction(Reaction(HERE, "1.1", "U1", "bookmark", True, later + timedelta(minutes=1)))
    assert await listed() == ["2606.00001"]  # put on again: saved again
