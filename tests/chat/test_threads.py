"""Shares and mentions in the core: a paper's thread remembered, each mention answered once, whatever the platform."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.chat.commands import PaperLookup, parse_command
from bot.chat.discussion import all_asked, asks_to_save, discussed, names_a_question, what_is_asked
from bot.chat.service import SHARED_LATELY, Asker, Mention, Shared, SharedBefore, Unshared
from bot.chat.wording import ago
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable, DeliveryError, NotFound
from bot.domain.models import Paper
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef
from bot.search.port import SearchFilters, SearchHit
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.tables import events, threads
from tests.chat.world import NOW, chat_service
from tests.conftest import save_june, search_over
from tests.fakes.publisher import RecordingPublisher

PAPER = "2605.29307"


class Uninvited(RecordingPublisher):
    """A channel the bot was never invited to: the platform refuses every post."""

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        raise ChannelUnavailable(channel, "not_in_channel")


class Said:
    """What the core asked the platform to post, in order."""

    def __init__(self, refuse: bool = False) -> None:
        self.posts: list[Post] = []
        self.refuse = refuse

    async def __call__(self, post: Post) -> None:
        if self.refuse:
            raise DeliveryError("Slack is down")
        self.posts.append(post)


async def test_a_paper_named_outside_its_thread_is_told_how_to_ask_with_it_named(june_store: PaperStore) -> None:
    """It said "Ask me in this thread", in a thread that is not the paper's, which then answered "I can only
    discuss papers in their own threads"."""
    service, said = chat_service(june_store), Said()
    await service.mention(Mention("slack", "EvTop", "C1", None, f"<@UBOT> {PAPER}"), said)
    [help_said] = said.posts
    assert help_said.header.startswith("GrepSeek")
    assert help_said.text == (f"Ask me with the paper named: `summary {PAPER}`, `related {PAPER}`, `code {PAPER}`,"
                              f" `authors {PAPER}` or `cite {PAPER}`.",)  # fmt: skip
    await service.mention(Mention("slack", "EvTop2", "C1", None, f"<@UBOT> who wrote {PAPER}?"), said)
    assert said.posts[-1].header.startswith("Authors · GrepSeek")  # asked with it named: answered


async def test_a_shared_paper_gets_a_thread_that_mentions_are_answered_in(june_store: PaperStore) -> None:
    service, publisher = chat_service(june_store), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared) and shared.title.startswith("GrepSeek")
    assert [p.key.split(":")[0] for p in publisher.posted] == ["share", "share"]  # the card, then its seed
    said = Said()
    await service.mention(Mention("slack", "Ev1", "C1", shared.root.thread, "<@UBOT> who wrote it?"), said)
    [answer] = said.posts
    assert answer.header.startswith("Authors · GrepSeek")


async def test_a_thread_asked_about_its_papers_news_is_told_what_it_will_hear(june_store: PaperStore) -> None:
    """`any news?`, `follow this paper` got the one-line help; `notify me when code is out`, only "no code yet"."""
    service, publisher = chat_service(june_store), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared)
    for n, (text, headers) in enumerate(
        [
            ("<@UBOT> any news?", ["paperboy"]),
            ("<@UBOT> follow this paper", ["paperboy"]),
            ("<@UBOT> notify me when code is out", ["Code · GrepSeek", "paperboy"]),
        ]
    ):
        said = Said()
        await service.mention(Mention("slack", f"EvNews{n}", "C1", shared.root.thread, text), said)
        assert [p.header.split(":")[0] for p in said.posts] == headers, text
        assert said.posts[-1].text[0].startswith("News of this paper comes to this thread for 7 days"), text
        assert "code when a repository appears" not in said.posts[-1].text[0]  # its code is out (QA s77: promised)
    said = Said()  # a mention names its workspace, where a card may be followed under none (a config channel's)
    mention = Mention("slack", "EvNewsT", "C1", shared.root.thread, "<@UBOT> any news?", workspace="T0001")
    await service.mention(mention, said)
    assert said.posts[-1].text[0].startswith("News of this paper comes to this thread"), said.posts
    texts = ["<@UBOT> fake news detection?", "<@UBOT> what is the update rule?", "<@UBOT> what's new in this paper?"]
    for n, text in enumerate(texts):
        said = Said()  # words of the paper's topic, no question of its news: the one-line help
        await service.mention(Mention("slack", f"EvTopic{n}", "C1", shared.root.thread, text), said)
        assert not said.posts[-1].text[0].startswith("News"), text
    assert said.posts[-1].header.startswith("Summary · GrepSeek")  # what's new in it: its summary (QA s77: help)
    assert isinstance(await service.share("slack", "C1", PAPER, publisher), SharedBefore)  # not posted twice…
    await shared_earlier(june_store, SHARED_LATELY)  # …unless it was a while ago
    again = await service.share("slack", "C1", PAPER, publisher)  # a second card: the first one's thread is followed
    assert isinstance(again, Shared)
    said = Said()
    await service.mention(Mention("slack", "EvNews9", "C1", again.root.thread, "<@UBOT> any news?"), said)
    assert said.posts[-1].text[0].startswith("News of this paper in this channel goes to the thread of its first card")


async def shared_earlier(store: PaperStore, by: timedelta) -> None:
    """Every Share in the store made `by` ago (and its claim while it posted, `EventLog.claim`)."""
    async with store.engine.begin() as conn:
        await conn.execute(update(threads).values(created_at=datetime.now(UTC) - by))
        await conn.execute(update(events).values(seen_at=datetime.now(UTC) - by))


async def test_a_paper_shared_lately_in_a_channel_is_pointed_to_not_posted_again(june_store: PaperStore) -> None:
    """A second Share of the same paper in the same channel within the hour (a double click, a teammate's
    click) says when it was shared and posts nothing; in another channel or after the hour, it posts."""
    service, publisher = chat_service(june_store), RecordingPublisher()
    first = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(first, Shared)
    posted = len(publisher.posted)
    again = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(again, SharedBefore) and again.title == first.title and again.ago < timedelta(minutes=1)
    assert len(publisher.posted) == posted
    await shared_earlier(june_store, timedelta(minutes=25))
    later = await service.share("slack", "C1", PAPER, publisher, workspace="")
    assert isinstance(later, SharedBefore) and timedelta(minutes=25) <= later.ago < timedelta(minutes=26)
    assert isinstance(await service.share("slack", "C2", PAPER, publisher), Shared)  # another channel
    assert isinstance(await service.share("slack", "C1", PAPER, publisher, workspace="T2"), Shared)  # workspace
    both = await asyncio.gather(*(service.share("slack", "C3", PAPER, publisher) for _ in range(3)))
    assert sorted(type(b).__name__ for b in both) == ["Shared", "SharedBefore", "SharedBefore"]
    await shared_earlier(june_store, SHARED_LATELY)
    assert isinstance(await service.share("slack", "C1", PAPER, publisher), Shared)


class Slow(RecordingPublisher):
    """Posts a card a moment after it is asked to (a platform's round trip), failing the first `refusals`."""

    def __init__(self, refusals: int = 0) -> None:
        super().__init__()
        self.refusals = refusals

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        await asyncio.sleep(0.05)
        if self.refusals:
            self.refusals -= 1
            raise DeliveryError("503 Service Unavailable")
        return await super().post_card(channel, card, key)


async def test_a_double_click_handed_to_two_replicas_posts_once(store: PaperStore) -> None:
    """Two processes on one store, each given one click of a double click at once: each found no Share
    of the paper in the store, and each posted it (two cards, two threads)."""
    await save_june(store)
    replicas, publisher = [chat_service(store), chat_service(store)], Slow()
    both = await asyncio.gather(*(r.share("slack", "C1", PAPER, publisher, workspace="T1") for r in replicas))
    assert sorted(type(b).__name__ for b in both) == ["Shared", "SharedBefore"]
    assert [b.under_way for b in both if isinstance(b, SharedBefore)] == [True]  # told it is being posted
    assert len(publisher.posted) == 2  # the card and its details, once
    assert isinstance(await replicas[1].share("slack", "C1", PAPER, publisher, workspace="T2"), Shared)


class Broken(RecordingPublisher):
    """Fails a card's post with something no platform refusal is (a bug, a store error reading a token)."""

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        raise RuntimeError("no card went out")


async def test_a_share_that_posted_nothing_leaves_the_next_click_free_to_post(store: PaperStore) -> None:
    """Its claim is given back: refused, or failed with any other error before the card went out."""
    await save_june(store)
    replicas, publisher = [chat_service(store), chat_service(store)], Slow(refusals=1)
    assert isinstance(await replicas[0].share("slack", "C1", PAPER, publisher), Unshared)
    assert isinstance(await replicas[1].share("slack", "C1", PAPER, publisher), Shared)  # no claim is left
    with pytest.raises(RuntimeError):
        await replicas[0].share("slack", "C2", PAPER, Broken())
    assert isinstance(await replicas[1].share("slack", "C2", PAPER, publisher), Shared)


class InPlace(RecordingPublisher):
    """Posts a card where it stands, its thread its channel (inside a Discord thread, a forum post)."""

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        posted = await super().post_card(channel, card, key)
        return MessageRef(channel, posted.message, channel)


class NoSeed(RecordingPublisher):
    """Posts the card; the platform fails its details in its thread."""

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        raise DeliveryError("503 Service Unavailable")


async def test_a_paper_shared_in_place_or_without_its_details_is_not_posted_twice(june_store: PaperStore) -> None:
    """A card whose thread is its channel has no thread to record; a card whose details failed was told to
    try again, which posted a second card (and was then told it was shared, refused for the hour)."""
    service, in_place, no_seed = chat_service(june_store), InPlace(), NoSeed()
    assert isinstance(await service.share("discord", "T9", PAPER, in_place), Shared)
    assert isinstance(await service.share("discord", "T9", PAPER, in_place), SharedBefore)
    assert len(in_place.posted) == 2  # the card and its details, once
    assert isinstance(await service.share("slack", "C5", PAPER, no_seed), Shared)  # the card is out
    assert isinstance(await service.share("slack", "C5", PAPER, no_seed), SharedBefore)
    assert len(no_seed.posted) == 1


def test_how_long_ago_is_said_in_minutes() -> None:
    assert [ago(timedelta(seconds=s)) for s in (0, 59, 60, 119, 1500)] == [
        "a moment ago",
        "a moment ago",
        "1 minute ago",
        "1 minute ago",
        "25 minutes ago",
    ]


async def test_a_save_asked_with_the_news_is_saved(june_store: PaperStore) -> None:
    """`save this and keep me posted` got the news line, and nothing was saved."""
    from bot.community.service import Community
    from bot.store.engagement import EngagementStore
    from bot.store.reading import ReadingLists

    community = Community(EngagementStore(june_store.engine), ReadingLists(june_store.engine), june_store)
    service, publisher = chat_service(june_store, community=community), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared)
    said = Said()
    mention = Mention("slack", "EvSave", "C1", shared.root.thread, "<@UBOT> save this and keep me posted", user="U7")
    await service.mention(mention, said)
    assert len(said.posts) == 2 and said.posts[-1].text[0].startswith("News of this paper")
    saved = await service.answer(parse_command("saved"), Asker(ChannelRef("slack", "C1"), "U7"))
    assert saved.header == "Your reading list (1 paper)" and PAPER in saved.text[0], saved


async def test_a_channel_that_refuses_the_bot_is_a_reason_not_an_error(june_store: PaperStore) -> None:
    publisher = Uninvited()
    assert await chat_service(june_store).share("discord", "C9", PAPER, publisher) == Unshared("not_in_channel")
    assert publisher.posted == []


async def test_an_unknown_paper_is_not_shared(june_store: PaperStore) -> None:
    with pytest.raises(NotFound):
        await chat_service(june_store).share("slack", "C1", "2612.99999", RecordingPublisher())


async def test_each_event_is_answered_once_per_platform(june_store: PaperStore) -> None:
    service, said = chat_service(june_store), Said()
    for platform in ("slack", "slack", "discord", "discord"):  # a retry, or another replica's copy, each
        await service.mention(Mention(platform, "Ev7", None, None, "summary"), said)
    assert len(said.posts) == 2
    assert all("only discuss papers in their own threads" in p.text[0] for p in said.posts)
    assert not await service.first_time("slack", "Ev7")
    assert await service.first_time("slack", "Ev8")


async def test_an_answer_the_platform_refuses_is_logged_not_raised(
    june_store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="paperboy.chat"):
        await chat_service(june_store).mention(Mention("slack", "Ev9", "C1", "1.2", "summary"), Said(refuse=True))
    assert "could not answer a mention in 1.2: Slack is down" in caplog.text


async def test_a_mention_citing_or_saving_several_papers_takes_each(june_store: PaperStore) -> None:
    """`@paperboy cite A and B` got "Name one paper at a time", which `/papers cite A and B` no longer says."""
    from bot.community.service import Community
    from bot.store.engagement import EngagementStore
    from bot.store.reading import ReadingLists

    lists = ReadingLists(june_store.engine)
    community = Community(EngagementStore(june_store.engine), lists, june_store, clock=lambda: NOW)
    service, said = chat_service(june_store, community=community), Said()
    a, b = [paper.arxiv_id for paper in (await june_store.listing(date(2026, 6, 1)))[:2]]
    await service.mention(Mention("slack", "Ev1", "C1", None, f"<@UBOT> cite {a} and {b}", user="U1"), said)
    await service.mention(Mention("discord", "Ev2", "C1", None, f"<@BOT> save {a} and {b}", user="U2"), said)
    cited, saved = said.posts
    assert cited.header == "Cite · 2 papers" and cited.code is not None and cited.code.count("@misc{") == 2
    assert saved.text[-1] == "`/papers saved` shows your reading list."
    person = community.person(ChannelRef("discord", ""), "U2")
    assert sorted(s.arxiv_id for s in await lists.saved(person)) == sorted([a, b])


async def test_unsave_in_a_thread_takes_its_paper_off_the_askers_list(june_store: PaperStore) -> None:
    """`@paperboy unsave` (or `remove this from my list`) in a paper's thread got the one-line help: only
    `/papers unsave ID` took it off (QA s77). The answer is the asker's alone where the platform can."""
    from bot.community.service import Community
    from bot.store.engagement import EngagementStore
    from bot.store.reading import ReadingLists

    lists = ReadingLists(june_store.engine)
    community = Community(EngagementStore(june_store.engine), lists, june_store, clock=lambda: NOW)
    service, said = chat_service(june_store, community=community), Said()
    shared = await service.share("slack", "C1", PAPER, RecordingPublisher())
    assert isinstance(shared, Shared)
    for n, text in enumerate(("save this", "unsave", "remove this from my list", "unsave and summary")):
        await service.mention(Mention("slack", f"Ev{n}", "C1", shared.root.thread, f"<@UBOT> {text}", user="U1"), said)
    saved, removed, again, *both = said.posts
    assert removed.text[0].startswith("Removed “GrepSeek") and removed.private and saved.private
    assert "is not on your reading list" in again.text[0]
    assert [post.header.split(" · ")[0] for post in both] == ["paperboy", "Summary"]  # (review s77: no summary)
    assert await lists.saved(community.person(ChannelRef("slack", ""), "U1")) == []


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("<@UBOT> cite", "cite"),
        ("<@UBOT> I'd like a summary please", "summary"),
        ("<@UBOT> who can give me the bibtex?", "cite"),
        ("<@UBOT> who wrote this?", "authors"),
        ("<@UBOT> looks like magic, any github?", "code"),
        ("<@UBOT> related or code?", "related"),  # both named outright: the first
        ("<#C0001|papers> <@UBOT> thanks", None),
        ("<@UBOT> tl;dr?", "summary"),
        ("<@UBOT> summery please", "summary"),  # mistyped, and near one question only
        ("<@UBOT> authers?", "authors"),
        ("<@UBOT> who else cites this?", None),  # who cites it, not its BibTeX (QA s77: BibTeX)
        ("<@UBOT> how does it decode speech?", None),  # near `code`, but not near enough
        ("<@UBOT> references?", "cite"),
        ("<@UBOT> any repos", "code"),
        ("<@UBOT> tl dr", "summary"),
        ("<@UBOT> who wants to present this on friday?", None),  # "who" asks for the authors with its verb only
        ("<@UBOT> thanks! no code needed", None),  # a question said not to be wanted
        ("<@UBOT> not the code, the summary please", "summary"),  # it was code: only the next word was dropped
        ("<@UBOT> I don't need the summary, just the code", "code"),  # "don't" was no negation
        ("<@UBOT> don't need code, who wrote it?", "authors"),
        ("<@UBOT> I don't know who wrote it", "authors"),  # not knowing is asking
        ("<@UBOT> cite it, without the summary", "cite"),
        ("<@UBOT> not sure what this does — summary?", "summary"),  # a dash ends the negation's clause
        ("<@UBOT> not OP but could you cite this?", "cite"),
        ("<@UBOT> I don't have time to read the whole thing tldr?", "summary"),  # too far to be negated
        ("<@UBOT> no worries if not but a summary would be nice", "summary"),
        ("<@UBOT> ｓｕｍｍａｒｙ", "summary"),  # full-width letters are the letters
        # the first word asking decides: "code" after it is the paper's topic (these were all `code`/`related`)
        ("<@UBOT> can you summarize this code generation paper?", "summary"),
        ("<@UBOT> give me the bibtex for this code paper", "cite"),
        ("<@UBOT> tl;dr of this code model please", "summary"),
        ("<@UBOT> summarize the related work section", "summary"),
        # asked in other words (these got the one-line help)
        ("<@UBOT> what is this about?", "summary"),
        ("<@UBOT> ELI5", "summary"),
        ("<@UBOT> explain please", "summary"),
        ("<@UBOT> key findings?", "summary"),
        ("<@UBOT> pdf?", "links"),
        ("<@UBOT> arxiv link", "links"),
        ("<@UBOT> link to the code", "code"),  # a weak word: "code" asks first
        ("<@UBOT> what is this code about", "code"),
    ],
)
def test_the_first_word_asking_decides(text: str, asked: str | None) -> None:
    assert what_is_asked(text) == asked


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("tl;dr", True),
        ("bibtex please", True),
        ("github?", True),
        ("citation", True),
        ("Summary", True),
        ("who wrote this", False),  # a weak word: not enough to take a message as asked of the bot
        ("can you explain how follow works?", False),  # a mention's word: not enough either
        ("summery", False),  # a near miss neither
        ("great paper", False),
    ],
)
def test_a_reply_without_a_mention_is_a_question_when_it_plainly_asks_one(text: str, named: bool) -> None:
    """In a direct message a reply to a card with no mention is taken as asked of the bot when it asks
    what a mention would be answered for in a channel's thread."""
    assert names_a_question(text) is named
    if named:
        assert what_is_asked(text) is not None


async def test_code_is_found_where_hugging_face_links_none(june_store: PaperStore) -> None:
    """A GitHub project page was said to be no code; an abstract naming its repository too."""
    search = search_over(june_store)
    page = Paper(arxiv_id="2504.19838", title="T", project_page="https://github.com/PhoneLLM/x")
    assert (await discussed(page, "code", search))[0].text == (
        "Code: https://github.com/PhoneLLM/x (its project page; Hugging Face links no repository)",
    )
    named = Paper(arxiv_id="2405.15738", title="T", abstract="Code: https://github.com/alibaba/conv-llava.")
    assert (await discussed(named, "code", search))[0].text == (
        "No code is linked on Hugging Face, but the abstract names a repository: https://github.com/alibaba/conv-llava",
    )
    bare = Paper(arxiv_id="2410.07095", title="T", abstract="open-source (github.com/openai/mle-bench/).")
    assert (await discussed(bare, "code", search))[0].text == (  # was "No code is linked on Hugging Face yet"
        "No code is linked on Hugging Face, but the abstract names a repository: https://github.com/openai/mle-bench",
    )
    elsewhere = Paper(arxiv_id="2410.07096", title="T", abstract="see https://mirror.example/github.com/a/b")
    assert (await discussed(elsewhere, "code", search))[0].text[0].startswith("No code is linked on Hugging Face yet")
    both = Paper(
        arxiv_id="2503.01785", title="T", github_repo="https://github.com/L/R", project_page="https://github.com/L/R/"
    )
    assert (await discussed(both, "code", search))[0].text == ("Code: https://github.com/L/R",)  # the same page once


async def test_links_asked_in_a_thread_are_the_papers_pages(june_store: PaperStore) -> None:
    paper = Paper(arxiv_id="2606.00001", title="T", github_repo="https://github.com/L/R", github_stars=1200)
    post = (await discussed(paper, "<@UBOT> pdf?", search_over(june_store)))[0]
    assert post.header == "Links · T"
    assert post.text == (
        "Hugging Face: https://huggingface.co/papers/2606.00001",
        "arXiv: https://arxiv.org/abs/2606.00001",
        "PDF: https://arxiv.org/pdf/2606.00001",
        "Code ★1,200: https://github.com/L/R",
    )
    assert parse_command("pdf 2606.00001") == PaperLookup("2606.00001")  # a command: the paper's card
    assert parse_command("what is 2606.00001 about?") == PaperLookup("2606.00001")


async def test_code_says_when_no_code_is_linked_even_with_a_project_page(june_store: PaperStore) -> None:
    paper = Paper(arxiv_id="2606.00001", title="T", authors=("A",), project_page="https://proj.example")
    post = (await discussed(paper, "code", search_over(june_store)))[0]
    assert post.text[0].startswith("No code is linked on Hugging Face yet")
    assert post.text[1] == "Project page: https://proj.example"


async def test_the_authors_of_a_large_collaboration_are_counted_and_the_organization_kept(
    june_store: PaperStore,
) -> None:
    paper = Paper(
        arxiv_id="2606.00500",
        title="A large collaboration",
        authors=tuple(f"Áuthor Number {i}" for i in range(500)),
        organization="CERN",
    )
    post = (await discussed(paper, "authors", search_over(june_store)))[0]
    names, organization = post.text
    assert len(names) <= 1600 and names.endswith("(500 authors in all)") and " more " in names
    assert organization == "Organization: CERN"
    small = (await discussed(paper.model_copy(update={"authors": ("Ada", "Bea")}), "authors", search_over(june_store)))[
        0
    ]
    assert small.text[0] == "Ada, Bea"


@pytest.mark.parametrize(
    ("typed", "header", "said"),
    [
        (f"cite {PAPER}", "Cite · GrepSeek", "@"),  # BibTeX, whose entries start with @
        (f"authors https://huggingface.co/papers/{PAPER}", "Authors · GrepSeek", ""),
        (f"summary arxiv.org/abs/{PAPER}v1", "Summary · GrepSeek", ""),
    ],
)
async def test_a_threads_question_of_one_paper_is_answered_anywhere(
    june_store: PaperStore, typed: str, header: str, said: str
) -> None:
    """`/papers cite 2605.29307` answers as the paper's thread would, not with a search for those words."""
    post = await chat_service(june_store).answer(parse_command(typed), Asker(ChannelRef("slack", "C1"), "U1"))
    assert post.header.startswith(header)
    assert (post.code or "").startswith(said) and (post.text or post.code)


async def test_a_threads_question_of_a_paper_the_store_lacks_says_so(june_store: PaperStore) -> None:
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    post = await chat_service(june_store).answer(parse_command("cite 2612.99999"), asker)
    assert post.header == "paperboy" and "2612.99999" in post.text[0]


async def test_a_question_naming_another_paper_is_answered_about_that_paper_saying_so(june_store: PaperStore) -> None:
    """`cite 2605.31264` in GrepSeek's thread gave GrepSeek's BibTeX, with nothing to say the id was ignored: a
    wrong citation pasted into a paper."""
    service, publisher = chat_service(june_store), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared)
    other = await june_store.get("2605.31264")
    assert other is not None
    said = Said()
    for n, text in enumerate(["<@UBOT> cite 2605.31264", "<@UBOT> summary of https://arxiv.org/abs/2605.31264v1"]):
        await service.mention(Mention("slack", f"Ev{n}", "C1", shared.root.thread, text), said)
    cite, summary = said.posts
    assert cite.header.startswith("Cite · " + other.title[:20]) and cite.code is not None and "2605.31264" in cite.code
    assert cite.subheader == "About arXiv 2605.31264, as you named it"
    assert summary.header.startswith("Summary · " + other.title[:20])
    await service.mention(Mention("slack", "Ev9", "C1", shared.root.thread, f"<@UBOT> cite {PAPER}"), said)
    assert said.posts[-1].subheader is None  # the thread's own paper, named: nothing to say


async def asked_in_thread(store: PaperStore, *texts: str) -> list[Post]:
    """The answers to each mention, asked by U1 in turn in the thread of PAPER shared in slack:C1."""
    service = chat_service(store)
    shared = await service.share("slack", "C1", PAPER, RecordingPublisher())
    assert isinstance(shared, Shared)
    said = Said()
    for n, text in enumerate(texts):
        await service.mention(Mention("slack", f"Ev{n}", "C1", shared.root.thread, text, user="U1"), said)
    return said.posts


async def test_this_and_another_paper_in_a_thread_are_both(june_store: PaperStore) -> None:
    """`cite this and 2605.31264` in GrepSeek's thread gave the other's BibTeX alone, GrepSeek's left out
    without a word; another paper named with no question got "Ask me in this thread", whose answers are
    then of the thread's paper (QA s77)."""
    asked = (  # the last three: another question, or "it" beside a comma, of the paper named alone (review s77)
        "cite this and 2605.31264",
        "compare with 2605.31264",
        "summary of 2605.31264, it looks related",
        "cite 2605.31264, it is the follow-up",
        "authors of this and 2605.31264",
    )
    both, named, summary, cite, authors = await asked_in_thread(june_store, *(f"<@UBOT> {text}" for text in asked))
    assert both.code is not None and PAPER in both.code and "2605.31264" in both.code
    assert named.text[0].startswith("Ask me with the paper named:") and "2605.31264" in named.text[0]
    assert summary.header.startswith("Summary · ") and cite.code and PAPER not in cite.code
    assert not authors.header.startswith("Cite")


async def test_a_threads_news_that_ended_says_when_not_to_look_elsewhere(june_store: PaperStore) -> None:
    """Eight days after a share, `any news?` in its thread said news goes to "the thread of its first card":
    this one, whose 7 days were over (QA s77)."""
    later = datetime.now(UTC) + timedelta(days=8)  # a share is stamped by the wall clock
    service, publisher = chat_service(june_store, clock=lambda: later), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared)
    said = Said()
    await service.mention(Mention("slack", "Ev1", "C1", shared.root.thread, "<@UBOT> any news?"), said)
    ended = f"{datetime.now(UTC) + timedelta(days=7):%A %-d %B}"
    assert said.posts[-1].text[0].startswith("This thread's news (a new arXiv version")  # (its code is out)
    assert said.posts[-1].text[0].endswith(f") ended on {ended}, 7 days after its card went out.")


async def test_a_threads_citation_in_a_style_says_bibtex_is_the_one_given(june_store: PaperStore) -> None:
    """`@paperboy cite apa` in a thread gave BibTeX without a word, where `cite ID apa` says so (QA s77)."""
    styled, plain = await asked_in_thread(june_store, "<@UBOT> cite apa", "<@UBOT> cite")
    assert (
        styled.code and styled.text[-1] == "BibTeX is the one form given here: a reference manager turns it into APA."
    )
    assert plain.code and not plain.text


async def test_a_mention_naming_a_paper_outside_a_thread_is_answered(june_store: PaperStore) -> None:
    """`/papers cite ID` answered anywhere; the same question as a mention was refused outside a paper's thread."""
    service, said = chat_service(june_store), Said()
    await service.mention(Mention("slack", "Ev1", "C1", None, f"<@UBOT> cite https://arxiv.org/abs/{PAPER}"), said)
    await service.mention(Mention("discord", "Ev2", "C1", None, "<@BOT> authors of 2605.31264 and 2605.29307"), said)
    await service.mention(Mention("discord", "Ev3", "C1", None, "<@BOT> cite 2612.99999"), said)
    cite, two, missing = said.posts
    assert cite.header.startswith("Cite · GrepSeek") and cite.subheader is None
    assert two.text == ("Name one paper at a time: 2605.31264, then 2605.29307.",)
    assert "2612.99999" in missing.text[0]  # the catalog's own words for a paper it cannot find
    await service.mention(Mention("slack", "Ev4", "C1", None, "<@UBOT> cite"), said)
    assert "or name the paper, such as “cite 2406.12345”" in said.posts[-1].text[0]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("<@UBOT> code and authors", ("code", "authors")),
        ("<@UBOT> cite, code & the summary please", ("cite", "code", "summary")),
        ("<@UBOT> github + bibtex?", ("code", "cite")),
        ("<@UBOT> code and authers", ("code", "authors")),  # a listed question mistyped is still asked
        ("<@UBOT> code and code", ("code",)),  # once each
        ("<@UBOT> summarize this code paper", ("summary",)),  # "code" is the paper's topic there
        ("<@UBOT> the bibtex of this code paper", ("cite",)),
        ("<@UBOT> code, not the authors", ("code",)),
        ("<@UBOT> code and not the authors", ("code",)),
        ("<@UBOT> who wrote it?", ("authors",)),
        ("<@UBOT> hello", ()),
        ("<@UBOT> never mind\ncode?", ("code",)),  # a line ends a clause: the negation does not reach it
        # each clause's question (each asked the first alone)
        ("<@UBOT> who wrote it and where is the code?", ("authors", "code")),
        ("<@UBOT> is there code? and a citation", ("code", "cite")),
        ("<@UBOT> cite it, and who are the authors", ("cite", "authors")),
        ("<@UBOT> any code? also who wrote it", ("code", "authors")),
        ("<@UBOT> can you summarize and find related papers", ("summary", "related")),
        ("<@UBOT> what is this about and who wrote it", ("summary", "authors")),  # a question's weak word
        ("<@UBOT> thanks for the link, and the code?", ("code",)),  # not a question: no links
        ("<@UBOT> tl;dr and code", ("summary", "code")),
        ("<@UBOT> link?", ("links",)),
        # a remark after a question asks nothing
        ("<@UBOT> summary please, I'll cite it later", ("summary",)),
        ("<@UBOT> summary. btw the pdf is broken", ("summary",)),
        ("<@UBOT> summarize this, the authors are from Google", ("summary",)),
        ("<@UBOT> summary please and don't bother with the authors", ("summary",)),
        ("<@UBOT> the code is broken and the authors don't respond", ("code",)),
        ("<@UBOT> related work and citations please", ("related", "cite")),
        ("<@UBOT> what is it about, I need a citation", ("summary", "cite")),  # each lost its second
        ("<@UBOT> tldr? I'd need the bibtex too", ("summary", "cite")),
        ("<@UBOT> summary please, the github link?", ("summary", "code")),
        ("<@UBOT> summary, btw where is the code", ("summary", "code")),
        ("<@UBOT> summary, also the pdf link is broken", ("summary",)),
        ("<@UBOT> summary, plus I already read the code", ("summary",)),
    ],
)
def test_every_question_listed_together_is_asked_in_order(text: str, asked: tuple[str, ...]) -> None:
    assert all_asked(text) == asked


async def test_a_mention_asking_two_things_gets_both_answers_in_order(june_store: PaperStore) -> None:
    posts = await asked_in_thread(june_store, "<@UBOT> code and authors")
    assert [post.header.split(" · ")[0] for post in posts] == ["Code", "Authors"]
    assert "github.com/alirezasalemi7/grepseek" in posts[0].text[0]


async def test_two_questions_about_a_paper_named_in_another_thread_say_whose_they_are(june_store: PaperStore) -> None:
    service, publisher = chat_service(june_store), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared)
    other = "2605.29398"
    said = Said()
    text = f"<@UBOT> summary and cite {other}"
    await service.mention(Mention("slack", "Ev1", "C1", shared.root.thread, text), said)
    assert [post.header.split(" · ")[0] for post in said.posts] == ["Summary", "Cite"]
    assert {post.subheader for post in said.posts} == {f"About arXiv {other}, as you named it"}


async def test_a_thread_whose_paper_the_store_lost_says_why_not_what_else_to_ask(june_store: PaperStore) -> None:
    lost = "2601.99999"
    await Ledger(june_store.engine).record_thread("slack", MessageRef("C1", "100", "100"), lost, "digest", NOW)
    said = Said()
    await chat_service(june_store).mention(Mention("slack", "Ev1", "C1", "100", "<@UBOT> code"), said)
    [answer] = said.posts
    assert answer.subheader == f"This thread's paper, arXiv {lost}"
    assert answer.text == (
        f"{lost} is not in the local store (offline: nothing was fetched;"
        " paperboy fetches it when run without PAPERBOY_OFFLINE).",
    )


@pytest.mark.parametrize(
    ("text", "saves"),
    [
        ("<@UBOT> save", True),
        ("<@123456> please save this paper", True),
        ("@paperboy bookmark it", True),
        ("<@UBOT> save it for later, and the code?", True),
        ("<@UBOT> add this to my reading list", True),
        ("<@UBOT> how does it save memory?", False),  # a question of the paper
        ("<@UBOT> does this save compute over LoRA?", False),
        ("<@UBOT> can this save memory at inference?", False),
        ("<@UBOT> don't save this", False),  # these saved it
        ("<@UBOT> no need to save it", False),
        ("<@UBOT> can we save it in fp16?", False),
        ("<@UBOT> how do they save it to disk", False),
        ("<@UBOT> save memory vs speed?", False),
        ("<@UBOT> bookmark tokens, what are they?", False),
        ("<@UBOT> summary, then save it", True),
        ("<@UBOT> can you save this?", True),
        ("<@UBOT> summary", False),
    ],
)
def test_a_mention_asks_to_save_in_words(text: str, saves: bool) -> None:
    assert asks_to_save(text) is saves


async def test_thanks_in_a_thread_or_anywhere_is_welcomed_not_given_the_help(june_store: PaperStore) -> None:
    """`@paperboy thanks` under an answer got the one-line help, or "not a paper's thread"."""
    service, publisher = chat_service(june_store), RecordingPublisher()
    shared = await service.share("slack", "C1", PAPER, publisher)
    assert isinstance(shared, Shared)
    said = Said()
    await service.mention(Mention("slack", "Ev1", "C1", shared.root.thread, "<@UBOT> thanks!"), said)
    await service.mention(Mention("discord", "Ev2", "C1", None, "<@BOT> thank you"), said)
    await service.mention(Mention("slack", "Ev3", "C1", shared.root.thread, "<@UBOT> ok"), said)
    assert [post.text for post in said.posts] == [("You're welcome.",), ("You're welcome.",), ("👍",)]
    await service.mention(Mention("slack", "Ev4", "C1", shared.root.thread, "<@UBOT> thanks, and the code?"), said)
    assert said.posts[-1].header.startswith("Code · ")  # a question asked with it is answered


class _FindsNothing:
    """A search with no papers to offer: no paper is related."""

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        return []

    async def respelled(self, query: str) -> str | None:
        return None


async def test_answers_together_say_no_related_paper_in_their_place(june_store: PaperStore) -> None:
    """`code and related ID` with no related paper: "No related papers …" came first, above the code, where
    Slack and Discord show a post's `empty`."""
    from bot.chat.discussion import answered_together

    paper = await june_store.get("2605.29307")
    assert paper is not None
    post = await answered_together(paper, ("code", "related"), _FindsNothing())
    assert post.empty is None and not post.cards
    assert post.text[-2:] == ("Related papers:", "No other paper in the store matches its title or keywords.")
    assert post.text[0].startswith(("Code: ", "No code is linked", "Code:"))


async def test_any_news_under_a_digest_card_not_followed_yet_says_what_will_come(june_store: PaperStore) -> None:
    """A digest's cards posted by `paperboy post` or by a digest resumed after a crash are followed once the
    next follow sweep adopts them, before it looks for news: until then "any news?" under them was told
    none would come. And a channel without a digest hears no news of its digest cards."""
    from datetime import timedelta

    from bot.delivery.digest import DigestOptions
    from bot.delivery.digest_delivery import DigestDelivery
    from bot.delivery.subscriptions import Subscription, SubscriptionStore
    from bot.store.follows import FollowStore

    channel = ChannelRef("slack", "C7")
    subscriptions = SubscriptionStore(june_store.engine)
    await subscriptions.save(Subscription(channel))
    publisher = RecordingPublisher()
    ledger = Ledger(june_store.engine, owner="test", lease=timedelta(minutes=2))
    delivery = DigestDelivery(
        june_store, search_over(june_store), ledger, subscriptions, {"slack": publisher}, clock=lambda: NOW
    )
    result = await delivery.deliver(channel, DigestOptions(limit=3), date(2026, 6, 2))  # no `posted` hook
    assert result.ok, result
    first = next(p for p in publisher.posted if p.thread is None and not p.key.endswith(":header"))
    root = str(publisher.posted.index(first) + 1)  # the recording publisher's message ids count from 1
    service = chat_service(june_store)

    async def news(event: str) -> str:
        said = Said()
        await service.mention(Mention("slack", event, "C7", root, "<@UBOT> any news?"), said)
        return said.posts[-1].text[0]

    assert (await news("Ev1")).startswith("News of this paper comes to this thread for 7 days")
    await subscriptions.remove(channel)
    assert (await news("Ev2")).startswith("No news of this paper comes to this thread"), "unsubscribed: none comes"
    await subscriptions.save(Subscription(channel))
    cards = FollowStore(june_store.engine)
    assert await cards.adopt(NOW - timedelta(days=7)) == 3  # what the next follow sweep does first
    [adopted] = [f for f in await cards.following(NOW - timedelta(days=7)) if f.ref.thread == root]
    assert (await news("Ev3")).startswith("News of this paper comes to this thread for 7 days")
    assert await cards.stop(adopted.key, "the card was deleted")
    assert (await news("Ev4")).startswith("No news of this paper comes to this thread"), "a deleted card: none"


async def test_related_papers_as_many_as_asked(june_store: PaperStore) -> None:
    """`related 2605.29307 top 3` and `papers like … top 8` showed five, whatever the number; in a thread,
    `@paperboy related top 2` too. At most 10 (20 showed as 12 or 10 and "…and 8 more", in one message of a
    thread), five where no number is said; `related 3` is three (QA s77: five)."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    for typed, shown in [
        ("related 2605.29307 top 3", 3),
        ("papers like 2605.29307 top 8", 8),
        ("related 2605.29307", 5),
        ("related 2605.29307 top 50", 10),
    ]:
        post = await service.answer(parse_command(typed), asker)
        assert post.header.startswith("Related to ") and len(post.cards) == shown, typed
    paper = await june_store.get("2605.29307")
    assert paper is not None
    [two] = await discussed(paper, "<@UBOT> related top 2", search_over(june_store))
    assert len(two.cards) == 2
    [three] = await discussed(paper, "<@UBOT> related 3", search_over(june_store))
    assert len(three.cards) == 3
