"""Any text typed after `/papers` gets a post both platforms can render, never an exception."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord import wording as discord_wording
from adapters.discord.render import post_message as discord_message
from adapters.slack.render import post_message as slack_message
from bot.chat.commands import Help, Preview, Search, Settings, Subscribe, Today, Unknown, Unsubscribe, parse_command
from bot.chat.service import Asker, ChatService, manages_channel
from bot.chat.wording import TYPED
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.models import Listing
from bot.domain.post import Post
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.chat.test_commands import TEXTS
from tests.chat.world import NOW, PHRASEBOOKS, chat_service
from tests.strategies import FAST


@pytest.fixture
def service(june_store: PaperStore) -> ChatService:
    """One service for all of a property test's examples: its search index is built once."""
    return chat_service(june_store)


@pytest.mark.slow
@settings(FAST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXTS, platform=st.sampled_from(["slack", "discord"]), direct=st.booleans(), manager=st.booleans())
async def test_any_text_gets_an_answer_both_platforms_render(
    service: ChatService, text: str, platform: str, direct: bool, manager: bool
) -> None:
    asker = Asker(ChannelRef(platform, "C0PROP"), "U0001", direct=direct, can_manage=manager)
    post = await service.answer(parse_command(text), asker)
    assert post.header.strip()
    assert post.text or post.cards or post.empty
    slack_message(post, share=True)
    discord_message(post, share=True)


async def test_without_the_right_the_channel_is_left_alone(june_store: PaperStore) -> None:
    service = chat_service(june_store)
    channel = ChannelRef("discord", "C0PROP")
    for command in (Subscribe(topics=("diffusion",)), Unsubscribe()):
        post = await service.answer(command, Asker(channel, "U1", can_manage=False))
        assert discord_wording.MANAGERS in post.text[0]
        assert await SubscriptionStore(june_store.engine).get(channel) is None


def test_only_subscribe_and_unsubscribe_need_the_right() -> None:
    assert manages_channel(Subscribe()) and manages_channel(Unsubscribe())
    assert not any(manages_channel(c) for c in (Today(), Search("x"), Settings(), Help()))


async def test_help_and_hints_are_in_each_platforms_own_words(june_store: PaperStore) -> None:
    service = chat_service(june_store)
    for platform, words in PHRASEBOOKS.items():
        asker = Asker(ChannelRef(platform, "C0PROP"), "U1")
        help_ = await service.answer(Help(), asker)
        assert help_.text[: len(words.commands)] == words.commands
        assert any(words.managers in line for line in help_.text)  # who may subscribe, as that platform has it
        unknown = await service.answer(parse_command("subscibe diffusion"), asker)
        assert unknown.text[1:] == words.examples
        assert words.subscribe in (await service.answer(Settings(), asker)).text[0]
    assert "topics:diffusion" in discord_wording.PHRASES.subscribe  # Discord's options, not Slack's typed text


async def test_a_platform_without_words_of_its_own_gets_the_typed_commands(june_store: PaperStore) -> None:
    post = await chat_service(june_store).answer(Help(), Asker(ChannelRef("console", "C0PROP"), "U1"))
    assert post.text[: len(TYPED.commands)] == TYPED.commands
    assert any(TYPED.managers in line for line in post.text)


async def test_today_says_when_the_day_it_shows_is_not_today(june_store: PaperStore) -> None:
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    later = chat_service(june_store, clock=lambda: datetime(2026, 6, 20, 9, tzinfo=UTC))  # the store ends 3 June
    post = await later.answer(Today(), asker)
    assert post.header == "Daily Papers · Wednesday 3 June 2026" and post.cards
    assert post.subheader is not None
    assert post.subheader.startswith(
        "Today (Saturday 20 June) is not in the store yet (a weekend day: Hugging Face lists papers on weekdays):"
        " here is the latest day"
    )
    assert post.subheader.splitlines()[1].startswith("Hugging Face Daily Papers · ")  # a line of its own
    same_day = await chat_service(june_store).answer(Today(), asker)  # NOW is 3 June
    assert same_day.subheader is not None and "not in the store" not in same_day.subheader


async def test_a_search_of_today_before_its_papers_are_in_searches_the_latest_day_as_today_shows_it(
    june_store: PaperStore,
) -> None:
    """`today` showed the latest day's papers, saying so; `diffusion today` answered only that the store
    holds no day since today."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    later = chat_service(june_store, clock=lambda: datetime(2026, 6, 5, 9, tzinfo=UTC))  # the store ends 3 June
    latest = {p.arxiv_id for p in await june_store.listing(date(2026, 6, 3))}
    for typed in ("diffusion today", "today diffusion", "today's diffusion papers"):
        post = await later.answer(parse_command(typed), asker)
        assert post.header.startswith("Papers on “diffusion") and post.header.endswith(
            ", listed on Wednesday 3 June 2026"
        )
        assert post.subheader is not None and post.subheader.startswith(
            "Today (Friday 5 June) is not in the store yet: searched the latest, Wednesday 3 June."
        )
        assert post.cards and {c.paper_id for c in post.cards} <= latest
    same_day = await chat_service(june_store).answer(parse_command("diffusion today"), asker)  # NOW is 3 June
    assert same_day.subheader is None or "not in the store" not in same_day.subheader


async def test_today_says_how_to_see_the_papers_it_leaves_out(june_store: PaperStore) -> None:
    """3 June lists 23 papers; the digest's number is 5: the rest were out of reach in chat."""
    service = chat_service(june_store)
    for platform, words in PHRASEBOOKS.items():
        post = await service.answer(Today(), Asker(ChannelRef(platform, "C1"), "U1"))
        assert len(post.cards) == 5
        assert post.footer == f"The day has 23 papers: {words.today_all} shows them all."
    every = await service.answer(parse_command("today all"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert len(every.cards) == 23 and every.footer is None
    some = await service.answer(parse_command("today top 7"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert len(some.cards) == 7 and some.subheader == "Hugging Face Daily Papers · 7 of 23 papers"
    assert some.footer == "The day has 23 papers: `/papers today all` shows them all."


async def test_another_day_s_papers_in_each_platforms_words(june_store: PaperStore) -> None:
    """`2026-06-02` and `yesterday` were searched for; the store holds 1, 2 and 3 June (NOW: 3 June)."""
    service = chat_service(june_store)
    for platform, words in PHRASEBOOKS.items():
        post = await service.answer(parse_command("2026-06-02"), Asker(ChannelRef(platform, "C1"), "U1"))
        assert post.header == "Daily Papers · Tuesday 2 June 2026" and len(post.cards) == 5
        listed = int(post.footer.split()[3]) if post.footer else 0
        every = words.day_all.format(day="2026-06-02")
        assert listed > 5 and post.footer == f"The day has {listed} papers: {every} shows them all."
        assert post.subheader == f"Hugging Face Daily Papers · 5 of {listed} papers"  # no "today is not…" note
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    yesterday = await service.answer(parse_command("yesterday all"), asker)
    assert yesterday.header == "Daily Papers · Tuesday 2 June 2026" and len(yesterday.cards) == listed
    assert yesterday.footer is None
    first = await service.answer(parse_command("today 2026-06-01 top 2"), asker)
    assert first.header == "Daily Papers · Monday 1 June 2026" and len(first.cards) == 2


async def test_a_day_named_in_words_is_the_latest_such_day(june_store: PaperStore) -> None:
    """NOW is Wednesday 3 June 2026; the store holds 1, 2 and 3 June."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    for typed, header in [
        ("monday", "Monday 1 June 2026"),
        ("Tuesday's papers top 2", "Tuesday 2 June 2026"),
        ("wednesday", "Wednesday 3 June 2026"),  # today
        ("june 2", "Tuesday 2 June 2026"),
        ("2nd of June, 2026", "Tuesday 2 June 2026"),
    ]:
        post = await service.answer(parse_command(typed), asker)
        assert post.header == f"Daily Papers · {header}" and post.cards, typed
    week_ago = await service.answer(parse_command("last wednesday"), asker)  # not today: the one before
    assert (
        week_ago.empty == "Wednesday 27 May 2026 is not in the store: whoever runs paperboy can fetch it"
        " with `paperboy sync --date 2026-05-27`."
    )
    tomorrow = await service.answer(parse_command("june 4"), asker)  # was last year's: "not in the store"
    assert tomorrow.text == (
        "Thursday 4 June 2026 is still to come: Hugging Face lists a day's papers on that day.",
    ), tomorrow
    year_ago = await service.answer(parse_command("june 20"), asker)  # further ahead: last year's
    assert year_ago.header == "Daily Papers · Friday 20 June 2025"


async def test_chat_says_who_can_fetch_what_the_store_lacks_not_to_run_a_command(store: PaperStore) -> None:
    """People in a channel or a direct message cannot run `paperboy sync` (QA s71-community #4): chat says
    who can, as the roundup's header does; `paperboy digest` still says to run it (tests/app)."""
    service = chat_service(store)
    asker = Asker(ChannelRef("slack", "D1"), "U1")
    empty = await service.answer(parse_command("today"), asker)
    assert (
        empty.empty == "No papers yet: whoever runs paperboy can fetch some with `paperboy sync` or `paperboy import`."
    )
    lacked = await service.answer(parse_command("2026-05-29"), asker)
    assert lacked.empty is not None and lacked.empty.endswith(
        "whoever runs paperboy can fetch it with `paperboy sync --date 2026-05-29`."
    )


async def test_a_day_with_no_papers_here_says_why(june_store: PaperStore) -> None:
    """Not "no papers": the store lacks the day, or it is still to come."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    missing = await service.answer(parse_command("2026-05-29"), asker)
    assert not missing.cards and missing.header == "Daily Papers · Friday 29 May 2026"
    assert (
        missing.empty == "Friday 29 May 2026 is not in the store: whoever runs paperboy can fetch it"
        " with `paperboy sync --date 2026-05-29`."
    )
    coming = await service.answer(parse_command("2026-06-04"), asker)
    assert coming.text == ("Thursday 4 June 2026 is still to come: Hugging Face lists a day's papers on that day.",)
    later = chat_service(june_store, clock=lambda: datetime(2026, 6, 5, 9, tzinfo=UTC))
    gone = await later.answer(parse_command("yesterday"), asker)  # Thursday 4 June: not synced
    assert gone.empty is not None and gone.empty.startswith("Thursday 4 June 2026 is not in the store")


async def test_a_search_typed_with_the_commands_name_searches_its_topic(june_store: PaperStore) -> None:
    """`search diffusion` (the CLI's and Discord's verb) searched for "search" too: search agents, no
    diffusion paper. A topic that starts with the word (`search agents`) is searched as typed."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    plain = await service.answer(parse_command("diffusion"), asker)
    for typed in ("search diffusion", "search: diffusion", "Search diffusion"):
        named = await service.answer(parse_command(typed), asker)
        assert named.header == "Papers on “diffusion”" and named.cards == plain.cards, typed
        assert named.subheader is not None and named.subheader.startswith("“search” is left out: it is the command's")
    for typed in ("search agents", "search agents for robotics"):  # papers write "search agents": a topic
        agents = await service.answer(parse_command(typed), asker)
        assert agents.header == f"Papers on “{typed}”" and agents.cards, typed


async def test_a_search_this_week_shows_only_the_papers_listed_in_it(june_store: PaperStore) -> None:
    """NOW is 3 June: `past 1 day` is 3 June's papers, `this week` 28 May to 3 June (the store's three days)."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    today = {p.arxiv_id for p in await june_store.listing(date(2026, 6, 3))}
    days = today | {p.arxiv_id for d in (1, 2) for p in await june_store.listing(date(2026, 6, d))}
    anytime = await service.answer(parse_command("agents"), asker)
    one = await service.answer(parse_command("agents past 1 day"), asker)
    week = await service.answer(parse_command("agents this week"), asker)
    assert one.header == "Papers on “agents”, listed today" and one.cards
    assert {c.paper_id for c in one.cards} <= today < days
    assert week.header == "Papers on “agents”, listed in the last 7 days"
    assert [c.paper_id for c in week.cards] == [c.paper_id for c in anytime.cards]  # every day in the store is in it
    assert {c.paper_id for c in anytime.cards} - today  # … and some of them not listed today


async def test_this_week_alone_is_the_week_s_most_upvoted_papers(june_store: PaperStore) -> None:
    """`this week` was searched for as words. NOW is 3 June; the store holds 1 to 3 June."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    listed = {p.arxiv_id: p for d in (1, 2, 3) for p in await june_store.listing(date(2026, 6, d))}
    best = sorted(listed.values(), key=lambda p: (-p.upvotes, p.arxiv_id))
    week = await service.answer(parse_command("this week"), asker)
    assert week.header == "Daily Papers · the last 7 days"
    assert week.subheader == (
        f"Hugging Face Daily Papers · 5 of {len(listed)} listed 28 May to 3 June 2026, most upvoted first."
        " The store's papers begin on Monday 1 June 2026: the days before are not in it."
    )  # (the days the store lacks went unsaid)
    assert [c.paper_id for c in week.cards] == [p.arxiv_id for p in best[:5]]  # the digest's number
    every = await service.answer(parse_command("all papers this week"), asker)
    assert [c.paper_id for c in every.cards] == [p.arxiv_id for p in best[:50]]
    later = chat_service(june_store, clock=lambda: datetime(2026, 6, 20, 9, tzinfo=UTC))
    none = await later.answer(parse_command("papers from last week"), asker)
    assert not none.cards and none.empty == (
        "The store holds no day since Sunday 14 June 2026: its latest day is Wednesday 3 June 2026."
    )


async def test_days_of_a_span_the_store_lacks_are_named_not_said_to_have_no_papers(june_store: PaperStore) -> None:
    """`jun 5 to jun 7` said "No papers were listed", and `diffusion this week` left out a day without a
    word, of days no sync had fetched (the store holds 1 to 3 June; 4 and 5 June are weekdays it lacks)."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store, clock=lambda: datetime(2026, 6, 8, 9, tzinfo=UTC))
    await june_store.save_listings([], fetched=[date(2026, 6, 4)], whole=[date(2026, 6, 4)])  # asked: none listed
    monday = (await june_store.listing(date(2026, 6, 1)))[0]
    await june_store.save_listings([Listing(day=date(2026, 6, 8), rank=1, paper=monday)])  # a later day held
    span = await service.answer(parse_command("jun 4 to jun 5"), asker)
    assert not span.cards and span.empty == (
        "No papers were listed from Thursday 4 June 2026 to Friday 5 June 2026, of the days the store holds."
        " Friday 5 June 2026 is not in the store (not fetched from Hugging Face yet), so its papers are left out;"
        " whoever runs paperboy can fetch it with `paperboy sync --date 2026-06-05`."
    )
    lacked = await service.answer(parse_command("jun 5 to jun 7"), asker)  # no day of them held: that alone
    assert lacked.empty is not None and lacked.empty.startswith("Friday 5 June 2026 is not in the store")
    found = await service.answer(parse_command("agents from jun 1 to jun 5"), asker)
    assert (
        found.cards and found.subheader is not None and found.subheader.endswith("`paperboy sync --date 2026-06-05`.")
    )
    none = await service.answer(parse_command("zzyzx quux from jun 4 to jun 5"), asker)
    assert none.empty is not None and "Friday 5 June 2026 is not in the store" in none.empty


async def test_time_words_alone_name_the_weekdays_after_the_stores_latest_it_lacks(june_store: PaperStore) -> None:
    """`this week` on Friday 5 June, the store holding 1 to 3 June: Thursday was never fetched, and the
    answer said nothing of it, as `diffusion this week` does (QA s73-community #2). Today may still be
    being listed: not named."""
    asker = Asker(ChannelRef("slack", "D1"), "U1")
    service = chat_service(june_store, clock=lambda: datetime(2026, 6, 5, 12, tzinfo=UTC))
    thursday = (
        "Thursday 4 June 2026 is not in the store (not fetched from Hugging Face yet), so its papers are left out;"
        " whoever runs paperboy can fetch it with `paperboy sync --date 2026-06-04`."
    )
    for typed in ("this week", "since jun 2", "jun 1 to jun 5"):
        answer = await service.answer(parse_command(typed), asker)
        assert answer.cards and answer.subheader is not None, typed
        assert answer.subheader.endswith(f"first. {thursday}") or answer.subheader.endswith(f"in it. {thursday}"), (
            typed,
            answer.subheader,
        )


async def test_days_from_an_earlier_year_say_its_year(june_store: PaperStore) -> None:
    """`this year` in June 2026 starts in June 2025: "listed 4 June to 3 June 2026" said the wrong year."""
    year = await chat_service(june_store).answer(
        parse_command("papers this year"), Asker(ChannelRef("slack", "C1"), "U1")
    )
    assert year.header == "Daily Papers · the last 365 days" and year.cards
    assert year.subheader is not None and "listed 4 June 2025 to 3 June 2026, most upvoted first" in year.subheader


async def test_a_search_on_a_named_day_keeps_that_day_s_papers(june_store: PaperStore) -> None:
    """NOW is Wednesday 3 June 2026; the store holds 1, 2 and 3 June."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    listed = {d: {p.arxiv_id for p in await june_store.listing(date(2026, 6, d))} for d in (1, 2, 3)}
    tuesday = await service.answer(parse_command("agents on tuesday"), asker)
    assert tuesday.header == "Papers on “agents”, listed on Tuesday 2 June 2026" and tuesday.cards
    assert {c.paper_id for c in tuesday.cards} <= listed[2]
    yesterday = await service.answer(parse_command("agents yesterday"), asker)
    assert [c.paper_id for c in yesterday.cards] == [c.paper_id for c in tuesday.cards]
    since = await service.answer(parse_command("agents since tuesday"), asker)
    assert since.header == "Papers on “agents”, listed since Tuesday 2 June 2026" and since.cards
    assert {c.paper_id for c in since.cards} <= listed[2] | listed[3]
    best = await service.answer(parse_command("top 3 papers since tuesday"), asker)
    assert best.header == "Daily Papers · since Tuesday 2 June"
    assert best.subheader is not None and best.subheader.endswith("listed 2 June to 3 June 2026, most upvoted first")
    assert len(best.cards) == 3 and {c.paper_id for c in best.cards} <= listed[2] | listed[3]
    none = await service.answer(parse_command("agents on last wednesday"), asker)  # a day the store lacks
    assert none.empty == (  # it said no paper on agents was listed that day
        "Wednesday 27 May 2026 is not in the store: whoever runs paperboy can fetch it"
        " with `paperboy sync --date 2026-05-27`."
        " The same words without the days look at every day."
    )
    later = await service.answer(parse_command("agents on 2026-06-10"), asker)  # a day to come: not one it lacks
    assert later.empty == (  # it said the store does not hold it (QA s74 search #7)
        "Wednesday 10 June 2026 is still to come (today is Wednesday 3 June 2026): Hugging Face lists a day's"
        " papers on that day. The same words without the days look at every day."
    )


async def test_a_span_of_days_keeps_their_papers_and_says_which_it_lacks(june_store: PaperStore) -> None:
    """`jun 1 to jun 2` was 1 June alone and a search for "to jun 2". NOW is 3 June 2026; the store holds 1-3 June."""
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    listed = {d: {p.arxiv_id for p in await june_store.listing(date(2026, 6, d))} for d in (1, 2, 3)}
    both = await service.answer(parse_command("jun 1 to jun 2"), asker)
    assert both.header == "Daily Papers · from Monday 1 June to Tuesday 2 June"
    assert both.subheader is not None and both.subheader.endswith("listed 1 June to 2 June 2026, most upvoted first")
    assert {c.paper_id for c in both.cards} <= listed[1] | listed[2]
    assert {c.paper_id for c in both.cards} & listed[1] and {c.paper_id for c in both.cards} & listed[2]
    agents = await service.answer(parse_command("agents between 2026-06-01 and 2026-06-02"), asker)
    assert agents.header == "Papers on “agents”, listed from Monday 1 June 2026 to Tuesday 2 June 2026"
    assert agents.cards and {c.paper_id for c in agents.cards} <= listed[1] | listed[2]
    since = await service.answer(parse_command("since 2026-06-02"), asker)
    assert since.header == "Daily Papers · since Tuesday 2 June"
    a_week_on = chat_service(june_store, clock=lambda: datetime(2026, 6, 10, 9, tzinfo=UTC))  # the store ends 3 June
    behind = await a_week_on.answer(parse_command("since 2026-06-02"), asker)
    assert behind.subheader is not None and (
        "listed 2 June to 3 June 2026 (the store's latest day), most upvoted first. Thursday 4 June 2026, Friday 5"
        in behind.subheader  # not "to 10 June"; and the weekdays since, which no sync fetched, named
    )
    later = await service.answer(parse_command("agents jun 10-12"), asker)  # (of 2025: the last 10 June to now)
    assert later.empty == (  # it said "No paper on “agents” was listed from Tuesday 10 June 2025"
        "The store's papers begin on Monday 1 June 2026: the days before are not in it. The same words without"
        " the days look at every day."
    )
    ahead = await service.answer(parse_command("2026-07-01 to 2026-07-03"), asker)
    assert ahead.header == "Daily Papers · from Wednesday 1 July to Friday 3 July"  # not "… to Wednesday 3 June"
    assert ahead.empty == (  # days to come, not days the store lacks
        "Wednesday 1 July 2026 to Friday 3 July 2026 are still to come (today is Wednesday 3 June 2026): Hugging"
        " Face lists a day's papers on that day."
    )


async def test_a_search_shows_as_many_results_as_asked(june_store: PaperStore) -> None:
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    service = chat_service(june_store)
    usual = await service.answer(parse_command("agents"), asker)
    more = await service.answer(parse_command("agents top 12"), asker)
    assert len(usual.cards) == 5 and len(more.cards) == 12
    assert [c.paper_id for c in more.cards[:5]] == [c.paper_id for c in usual.cards]


async def test_a_search_that_found_papers_names_the_days_after_the_stores_latest(june_store: PaperStore) -> None:
    """`agents from jun 1 to jun 12` over a store ending on 3 June, on 10 June: its papers, and the weekdays
    after 3 June up to yesterday are not in the store (they read as days without a paper on agents)."""
    later = chat_service(june_store, clock=lambda: datetime(2026, 6, 10, 9, tzinfo=UTC))
    post = await later.answer(parse_command("agents from jun 1 to jun 12"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert post.cards
    assert post.subheader is not None and post.subheader.endswith(
        "Thursday 4 June 2026, Friday 5 June 2026, Monday 8 June 2026 and 1 more weekday are not in the store (not"
        " fetched from Hugging Face yet), so their papers are left out; whoever runs paperboy can fetch each with"
        " `paperboy sync --date YYYY-MM-DD`."
    )  # (today, 10 June, may still be listed: not named)
    held = await chat_service(june_store).answer(
        parse_command("agents this week"), Asker(ChannelRef("slack", "C1"), "U1")
    )
    assert held.cards and "not in the store" not in (held.subheader or "")  # on 3 June: every day held


async def test_a_search_this_week_over_a_store_behind_says_its_latest_day(june_store: PaperStore) -> None:
    """Not "No papers match": the store holds no day of the week asked for."""
    later = chat_service(june_store, clock=lambda: datetime(2026, 6, 20, 9, tzinfo=UTC))
    post = await later.answer(parse_command("agents this week"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert not post.cards
    assert post.empty == (
        "The store holds no day since Sunday 14 June 2026: its latest day is Wednesday 3 June 2026. The same words"
        " without the days look at every day."
    )


async def test_an_author_named_no_one_beside_words_is_said_to_be_left_out(june_store: PaperStore) -> None:
    """`diffusion author:` searched “diffusion” without a word of the `author:` it left out."""
    answer = await chat_service(june_store).answer(Search("agents author:"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert answer.cards
    assert answer.subheader is not None and answer.subheader.startswith(
        '`author:` needs a name after it, such as author:LeCun or author:"Yann LeCun": these papers are found'
        " without it."
    )


async def test_a_span_since_another_year_says_its_year(june_store: PaperStore) -> None:
    since = await chat_service(june_store).answer(
        parse_command("since 1990-01-01"), Asker(ChannelRef("slack", "C1"), "U1")
    )
    assert since.header == "Daily Papers · since Monday 1 January 1990"  # not this year's 1 January


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("the of", "holds no word to look for (only very common words"),
        ("?!", "holds no word to look for"),
        ("x" * 120, "holds no word to look for (a word of 100 letters or more is none)"),  # not "very common"
        ("the " * 1200 + "diffusion", "its first 4,000 characters, all a search reads, hold no word to look for"),
        ("-video", "only says what to leave out: add what to look for"),
        ("author:", "`author:` needs a name after it, such as author:LeCun"),
        ('author:"" -video', "`author:` needs a name after it"),
        ("zzqx glimmerwickish", "No papers match “zzqx glimmerwickish”. Try fewer or broader words"),
        ('author:"Qwzx Plorb"', "No paper in the store has an author named “Qwzx Plorb”."),
        ("扩散模型", "“扩散模型” finds nothing: the papers are in English, and are found by their English words"),
        ("диффузия author:Chen", "finds nothing: the papers are in English"),  # the name is no word to search
        # Latin letters typed full width (a CJK keyboard) are searched as English: no "try English" then
        ("ｚｚｑｘ ｇｌｉｍｍｅｒ", "No papers match “ｚｚｑｘ ｇｌｉｍｍｅｒ”. Try fewer or broader words"),
    ],
)
async def test_a_search_that_finds_nothing_says_why(june_store: PaperStore, query: str, said: str) -> None:
    answer = await chat_service(june_store).answer(Search(query), Asker(ChannelRef("slack", "C1"), "U1"))
    assert not answer.cards and said in (answer.empty or "")


async def test_a_persons_papers_asked_for_in_words_are_theirs(june_store: PaperStore) -> None:
    """`papers by Razieh Rahimi` was a search for those words; the papers of a person named so come now,
    the answer saying how `author:` finds them; none on the words asked says so."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    theirs = await service.answer(parse_command("papers by Razieh Rahimi"), asker)
    assert [c.paper_id for c in theirs.cards] == ["2605.29307"]
    assert theirs.subheader == 'Papers with an author named “Razieh Rahimi” (as `author:"Razieh Rahimi"` finds them).'
    none = await service.answer(parse_command("protein folding by Razieh Rahimi"), asker)
    assert not none.cards and none.empty == (
        "None of the papers with an author named “Razieh Rahimi” is on “protein folding”:"
        ' a search for `author:"Razieh Rahimi"` lists theirs.'
    )


async def test_a_typo_is_answered_with_what_it_finds_and_the_respelling_offered(june_store: PaperStore) -> None:
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    typed = await service.answer(Search("speculative decodng"), asker)  # "speculative" alone finds papers
    assert typed.header == "Papers on “speculative decodng”" and typed.cards
    assert typed.subheader == "Did you mean “speculative decoding”? No paper holds “decodng”."
    meant = await service.answer(Search("speculative decoding"), asker)
    assert meant.subheader is None  # nothing said of a query as papers spell it


async def test_a_command_asking_several_questions_of_a_paper_answers_each(june_store: PaperStore) -> None:
    """`code and cite 2605.29307` answered the code alone, without a word of the citation; then it said
    to ask the citation next. One post now answers each, in the order asked."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    paper = await june_store.get("2605.29307")
    assert paper is not None
    answer = await service.answer(parse_command("code and cite 2605.29307"), asker)
    assert answer.header.startswith("Code and citation · ")
    assert answer.code is not None and answer.code.startswith("@") and "2605.29307" in answer.code
    assert answer.text and answer.text[0].startswith(("Code: ", "No code is linked"))
    assert not any("next." in line for line in answer.text)
    three = await service.answer(parse_command("summary, authors and cite of 2605.29307"), asker)
    assert three.header.startswith("Summary, authors and citation · ") and three.code is not None
    assert three.text[0] == "Summary:" and "Authors:" in three.text  # each text under its name
    assert three.text[three.text.index("Authors:") + 1].startswith(paper.authors[0])
    related = await service.answer(parse_command("related and code 2605.29307"), asker)
    # named in the order shown (the cards come last), the cards' start said
    assert related.header.startswith("Code and related papers · ") and related.cards
    assert related.text[-1] == "Related papers:"
    assert three.text[-1] == "Citation:"  # where the BibTeX, after the texts, begins
    assert "2605.29307" not in {shown.paper_id for shown in related.cards}
    pages = await service.answer(parse_command("code and pdf 2605.29307"), asker)
    assert pages.header.startswith("Code and links · ") and "Links:" in pages.text
    one = await service.answer(parse_command("cite 2605.29307"), asker)
    assert one.header.startswith("Cite · ") and not one.text


@pytest.mark.parametrize("word", ["cite", "Summary", "code "])
async def test_a_threads_question_asked_of_no_paper_is_searched_and_says_how_to_ask_it(
    june_store: PaperStore, word: str
) -> None:
    assert parse_command(word) == Search(word.strip())  # a topic too: `/papers code` finds papers on code
    answer = await chat_service(june_store).answer(Search(word.strip()), Asker(ChannelRef("slack", "C1"), "U1"))
    asked = word.strip().lower()
    assert answer.subheader is not None and answer.subheader.endswith(
        f"Asking about a paper? `{asked} 2406.12345`, or `{asked}` in the paper's thread."
    )


async def test_a_citation_asked_in_another_style_says_bibtex_is_the_one_given(june_store: PaperStore) -> None:
    """`cite 2605.29307 apa` gave the BibTeX without a word, as if it were APA."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    styled = await service.answer(parse_command("cite 2605.29307 in apa format"), asker)
    assert styled.code is not None and styled.code.startswith("@")
    assert styled.text[-1] == "BibTeX is the one form given here: a reference manager turns it into APA."
    plain = await service.answer(parse_command("cite 2605.29307"), asker)
    assert not any("BibTeX is the one form" in line for line in plain.text)


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        *[("cite?", "cite"), ("summary of this paper", "summary"), ("code it", "code"), ("related to this", "related")],
        ("who wrote it?", "authors"),  # in other words: searched for, and respelled “who write it?”
        ("is there code for this?", "code"),
    ],
)
async def test_a_question_of_this_paper_asked_outside_its_thread_says_how_to_ask_it(
    june_store: PaperStore, typed: str, asked: str
) -> None:
    """Only the bare word said it: `cite?` listed papers about citations, and nothing else."""
    answer = await chat_service(june_store).answer(Search(typed), Asker(ChannelRef("slack", "C1"), "U1"))
    assert answer.subheader is not None
    assert answer.subheader.endswith(f"Asking about a paper? `{asked} 2406.12345`, or `{asked}` in the paper's thread.")
    for topic in ("code generation", "llms that write code", "agents that cite sources"):  # topics, no questions
        other = await chat_service(june_store).answer(Search(topic), Asker(ChannelRef("slack", "C1"), "U1"))
        assert "Asking about a paper" not in (other.subheader or ""), topic


async def test_a_typo_that_finds_nothing_as_typed_is_answered_by_its_respelling(june_store: PaperStore) -> None:
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    meant = await service.answer(Search("grepseek"), asker)
    typed = await service.answer(Search("grepsek"), asker)
    assert typed.cards == meant.cards and typed.cards
    assert typed.subheader is not None and typed.subheader.startswith("No paper holds “grepsek”: showing papers on")


async def test_a_topic_none_of_the_papers_found_holds_whole_is_said_so(june_store: PaperStore) -> None:
    """Papers holding only some of a topic's words are the closest found, not papers on it: said."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    partly = await service.answer(Search("speculative robot"), asker)
    assert partly.cards
    assert (
        partly.subheader
        == "None of these papers mentions every word of “speculative robot”: they are the closest found."
    )
    whole = await service.answer(Search("speculative decoding"), asker)
    assert whole.cards and whole.subheader is None


async def test_a_follow_not_understood_shows_follows_not_the_channel_commands(june_store: PaperStore) -> None:
    asker = Asker(ChannelRef("slack", "D0001"), "U0001", direct=True)
    post = await chat_service(june_store).answer(parse_command("follow diffusion at 09:00"), asker)
    assert "looks like an option" in post.text[0]
    assert post.text[1:] == ("`/papers follow diffusion -robotics` or `/papers follow author:LeCun` — your own digest",)


@pytest.mark.parametrize(
    "typed",
    [
        'subscribe diffusion, "robotics, humanoid", -video at 10:00 tz Europe/Berlin top 5 days mon,wed',
        "subscribe weekly agents, author:LeCun on fri at 16:00",
        "subscribe",
    ],
)
async def test_unsubscribe_says_how_to_have_the_digest_back_as_it_was(june_store: PaperStore, typed: str) -> None:
    """`unsubscribe` (and `unsubscribe me`, which stops it for the whole channel) forgot every setting and said
    only "Unsubscribed": the `subscribe` it gives back starts the same digest again."""
    from adapters.discord.slash import subscribe_command

    service = chat_service(june_store)
    store = SubscriptionStore(june_store.engine)
    for platform in ("slack", "discord"):
        channel = Asker(ChannelRef(platform, f"C0AGAIN{platform}"), "U1")
        await service.answer(parse_command(typed), channel)
        before = await store.get(channel.channel)
        stopped = await service.answer(parse_command("unsubscribe me"), channel)
        said, _, again = stopped.text[0].partition(" To have it back as it was: ")
        assert said.startswith("Unsubscribed: no more") and again.startswith("`/papers subscribe")
        if platform == "slack":
            command = parse_command(again.strip("`").removeprefix("/papers "))
        else:  # Discord's form: its options, as `/papers subscribe` takes them
            given = again.strip("`").removeprefix("/papers subscribe ")
            fields = dict(f.split(":", 1) for f in given.split(" ") if ":" in f)
            topics = given.partition("topics:")[2].partition(" time:")[0] if "topics:" in given else None
            time, zone, top, cadence, day = (
                fields["time"],
                fields["timezone"],
                int(fields["top"]),
                *(
                    fields.get("cadence"),
                    fields.get("day"),
                ),
            )
            command = subscribe_command(topics, time, zone, top, cadence, day, days=fields.get("days"))
        assert isinstance(command, Subscribe), (again, command)
        await service.answer(command, channel)
        after = await store.get(channel.channel)
        assert before is not None and after is not None
        same = ("topics", "time", "timezone", "days", "limit", "cadence")
        assert [getattr(after, f) for f in same] == [getattr(before, f) for f in same], again


async def test_unsubscribe_a_topic_drops_it_and_keeps_the_rest(june_store: PaperStore) -> None:
    """It was refused ("takes no topic"): dropping one meant typing every other again, options too."""
    service = chat_service(june_store)
    channel = Asker(ChannelRef("slack", "C0DROP"), "U1")
    store = SubscriptionStore(june_store.engine)
    await service.answer(parse_command("subscribe diffusion, robotics, agents -video at 10:00 top 3"), channel)
    post = await service.answer(parse_command("unsubscribe robotics, video"), channel)
    assert post.header == "This channel is updated: a daily digest of Hugging Face papers"
    saved = await store.get(channel.channel)
    assert saved is not None and (saved.topics, saved.time, saved.limit) == (("diffusion", "agents"), "10:00", 3)
    unknown = await service.answer(parse_command("unsubscribe robots"), channel)
    assert unknown.text == (
        "This channel's digest has no topic “robots”: it is on “diffusion”, “agents”. `unsubscribe` with no topic"
        " stops the digest.",
    )
    await service.answer(parse_command("unsubscribe agents"), channel)
    last = await service.answer(parse_command("unsubscribe diffusion"), channel)  # it would be every paper
    assert last.text[0].startswith(
        "“diffusion” is this digest's only topic: without it the digest would have every paper."
    )
    kept = await store.get(channel.channel)
    assert kept is not None and kept.topics == ("diffusion",)
    await service.answer(parse_command("subscribe Robotics, Agents"), channel)  # "“agents, robotics” is … only topic"
    both = await service.answer(parse_command("unsubscribe agents, robotics"), channel)
    assert both.text[0].startswith(
        "“Robotics” and “Agents” are all this digest's topics: without them the digest would have"
    )
    await service.answer(parse_command("subscribe diffusion -robotics"), channel)
    narrowed = await service.answer(parse_command("unsubscribe diffusion"), channel)
    assert narrowed.text[0].startswith(
        "“diffusion” is this digest's only topic: without it the digest would have every paper (but those it"
        " leaves out)."
    ), narrowed.text


async def test_a_setting_changed_keeps_the_rest_and_starts_no_digest(june_store: PaperStore) -> None:
    """`settings at 10:00` in a channel without a digest says so: it starts none, on every paper, unasked."""
    service = chat_service(june_store)
    channel = Asker(ChannelRef("slack", "C0SET"), "U1")
    store = SubscriptionStore(june_store.engine)
    none = await service.answer(parse_command("settings at 10:00"), channel)
    assert none.text[0].startswith("This channel has no digest to change. To start one: `/papers subscribe")
    assert await store.get(channel.channel) is None
    await service.answer(parse_command("subscribe diffusion, robotics at 09:00 top 5"), channel)
    await service.answer(parse_command("change the time to 11am"), channel)
    saved = await store.get(channel.channel)
    assert saved is not None and (saved.topics, saved.time, saved.limit) == (("diffusion", "robotics"), "11:00", 5)
    shown = await service.answer(parse_command("settings"), channel)
    assert shown.text[-1].startswith("To change a setting and keep the rest: `/papers settings at 10:00`")
    assert "`days mon-fri`" in shown.text[-1]
    await service.answer(parse_command("subscribe weekly on fri"), channel)
    weekly = await service.answer(parse_command("settings"), channel)  # it named `days mon-fri`, which it refuses
    assert "`on fri`" in weekly.text[-1] and "days" not in weekly.text[-1]


async def test_topics_replaced_by_subscribe_are_named_with_how_to_keep_them(june_store: PaperStore) -> None:
    """`subscribe agents` to add a topic dropped the others, and only the new list showed it."""
    service = chat_service(june_store)
    channel = Asker(ChannelRef("slack", "C0ADD"), "U1")
    await service.answer(parse_command("subscribe diffusion, robotics"), channel)
    post = await service.answer(parse_command("subscribe agents"), channel)
    assert post.text[-1] == (
        "Replaced its topics (“diffusion”, “robotics”). To have them back beside the new: `/papers settings add"
        " diffusion, robotics`."
    )
    same = await service.answer(parse_command("subscribe Agents at 10:00"), channel)  # the same topic, as typed
    dropped = await service.answer(parse_command("settings topics robotics"), channel)  # said: nothing to add
    assert not any(line.startswith("Replaced") for line in (*same.text, *dropped.text))
    await service.answer(parse_command("subscribe diffusion -robotics"), channel)  # "Replaced its topics all papers"
    excluded = await service.answer(parse_command("subscribe diffusion, author:Chengsong Huang"), channel)
    assert excluded.text[-1] == (
        "Replaced its topics (leaving out “robotics”). To have it back beside the new: `/papers settings add"
        " -robotics`."
    )


async def test_a_topic_added_or_removed_keeps_the_others(june_store: PaperStore) -> None:
    """`settings add robotics`, `add topic robotics`: searched for, or "`settings` changes … a setting at a
    time"; to add a topic meant typing every other again."""
    service = chat_service(june_store)
    channel = Asker(ChannelRef("slack", "C0TOP"), "U1")
    none = await service.answer(parse_command("settings add robotics"), channel)
    assert none.text[0].startswith("This channel has no digest to change. To start one:")
    await service.answer(parse_command("subscribe diffusion at 10:00 top 3"), channel)
    added = await service.answer(parse_command("add topic robotics, agents"), channel)
    assert "Topics: “diffusion”, “robotics”, “agents”" in added.text
    assert "When: 10:00 UTC, Monday to Friday" in added.text
    again = await service.answer(parse_command("settings add Robotics"), channel)
    assert again.text == ("This digest is on “diffusion”, “robotics”, “agents” already: nothing was added.",)
    removed = await service.answer(parse_command("remove agents from the digest"), channel)
    assert "Topics: “diffusion”, “robotics”" in removed.text and "Papers: top 3" in removed.text
    too = await service.answer(parse_command("subscribe agents too"), channel)  # it replaced them, noted
    assert "Topics: “diffusion”, “robotics”, “agents”" in too.text
    assert not any(line.startswith("Replaced") for line in too.text)
    await service.answer(parse_command("remove topic agents"), channel)
    for typed, said in [
        ("settings add b1, b2, b3, b4, b5, b6, b7, b8, b9", "A digest takes at most 10 topics, and this one would"),
        ("subscribe robotics, -video", ""),
        ("settings add video", "This digest leaves out “video”: `settings remove video` stops that first."),
        ("settings add -robotics", "This digest is on “robotics”: leaving it out too would leave none of its papers."),
        ("subscribe all papers", ""),
        ("settings add vision", "This digest has every paper, so there is nothing to add to: `settings topics"),
    ]:
        answer = await service.answer(parse_command(typed), channel)
        assert answer.text[0].startswith(said), (typed, answer.text)
    assert (await service.answer(parse_command("settings"), channel)).text[0] == "Topics: all papers"
    direct = Asker(ChannelRef("slack", "D0TOP"), "U1", direct=True)
    elsewhere = await service.answer(parse_command("remove topic robotics"), direct)
    assert elsewhere.text[0] == "Digests go to channels: run `/papers unsubscribe robotics` in the channel itself."
    assert elsewhere.text[1].startswith("Your own digest here: `/papers unfollow TOPIC` stops one")  # a follow of it
    stopping = await service.answer(parse_command("stop"), direct)
    assert stopping.text[0].endswith(
        "To stop your own digest here: `/papers unfollow TOPIC` stops one, `/papers unfollow` all."
    )
    outsider = Asker(ChannelRef("slack", "C0TOP"), "U2", can_manage=False)
    dropping = await service.answer(parse_command("settings remove robotics"), outsider)
    assert dropping.text[0].startswith("Sorry, you can't change the digest of this channel")
    refused = await service.answer(parse_command("settings add vision"), outsider)
    assert refused.text[0].startswith("Sorry, you can't change the digest of this channel")


async def test_preview_shows_the_digest_as_its_filters_pick_and_posts_nothing(june_store: PaperStore) -> None:
    """`preview` (and `digest`, `show the digest`, `roundup`) were searched for."""
    service = chat_service(june_store)
    channel = Asker(ChannelRef("slack", "C0PRE"), "U1")
    none = await service.answer(parse_command("preview"), channel)
    assert none.text[0].startswith("This channel has no digest to preview. To start one: `/papers subscribe")
    await service.answer(parse_command("subscribe diffusion top 3"), channel)
    daily = await service.answer(parse_command("show the digest"), channel)
    built = await service.answer(parse_command("today"), channel)  # the latest day: 3 June, 07:30 UTC
    assert daily.header == f"Preview · {built.header}"
    assert daily.subheader is not None and daily.subheader.endswith("papers on diffusion")
    assert 0 < len(daily.cards) <= 3
    assert daily.footer == (
        "A preview: nothing was posted. The next digest comes Wednesday 3 June, 09:00 UTC, and leaves out"
        " papers this channel had before."
    )
    assert not await Ledger(june_store.engine).statuses([(channel.channel, date(2026, 6, 3))])  # none delivered
    months = chat_service(june_store, clock=lambda: datetime(2026, 12, 8, 8, tzinfo=UTC))  # a store months old
    stale = await months.answer(parse_command("preview"), channel)  # (the bundled snapshot: QA s77, unsaid)
    assert stale.footer is not None and stale.footer.endswith(
        "The store's latest day is Wednesday 3 June 2026: it has not fetched the days since (`paperboy sync`), so a"
        " digest comes once it does."
    )
    await service.answer(parse_command("settings days mon"), channel)  # due in five days, the store up to date:
    fresh = await service.answer(parse_command("preview"), channel)  # nothing to say of it (review s77)
    assert fresh.footer is not None and "latest day" not in fresh.footer
    await service.answer(parse_command("subscribe weekly on fri"), channel)
    weekly = await service.answer(parse_command("roundup"), channel)
    assert weekly.header == "Preview · Weekly roundup · week 23 (1–7 June 2026)"  # so far: Monday to Wednesday
    assert weekly.footer is not None and weekly.footer.startswith("A preview: nothing was posted. The next roundup")
    assert "not begun yet" not in weekly.footer  # Wednesday: the week the next roundup sums up, so far
    saturday = chat_service(june_store, clock=lambda: datetime(2026, 6, 6, 10, tzinfo=UTC))
    after = await saturday.answer(parse_command("roundup"), channel)  # Friday's roundup is out: its week is shown
    assert after.header == "Preview · Weekly roundup · week 23 (1–7 June 2026)"
    assert after.footer is not None and after.footer.endswith(
        "It sums up week 24 (8–14 June 2026), not begun yet: this is the week before."
    )
    await SubscriptionStore(june_store.engine).set_status(channel.channel, "the bot was removed from the channel")
    stopped = await service.answer(parse_command("preview"), channel)
    assert stopped.footer == (
        "A preview: nothing was posted, and no roundup comes: its delivery is stopped (`settings` says why)."
    )
    direct = await service.answer(parse_command("preview"), Asker(ChannelRef("slack", "D0PRE"), "U1", direct=True))
    assert direct.text[0].startswith("You follow nothing yet, so there is no digest to preview: `/papers follow")


async def test_a_repository_pasted_is_its_papers_and_another_sites_page_its_words(june_store: PaperStore) -> None:
    """They were searched for as typed: `https`, `github` and `com` the words, the page's id respelled."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    coded = next(p for p in await june_store.all_papers() if p.github_repo)
    link = (coded.github_repo or "").rstrip("/") + "/tree/main"
    post = await service.answer(parse_command(f"<{link}|{link}>"), asker)
    assert [c.title for c in post.cards] == [coded.title]
    assert post.subheader is not None and post.subheader.endswith(f"its code: {link.split('://')[1][:-10]}")
    other = await service.answer(parse_command("https://github.com/nobody/grepseek-x"), asker)
    assert other.subheader is not None and other.subheader.startswith(
        "No paper in the store links its code to github.com/nobody/grepseek-x: these are papers on “grepseek x”."
    )
    page = "https://www.semanticscholar.org/paper/Speculative-Decoding-Survey/204e3073870fae3d05bcbc2f6a8e263d9b72e776"
    assert parse_command(page) == Search("Speculative Decoding Survey")
    none = parse_command("https://openreview.net/forum?id=abc123")
    assert isinstance(none, Unknown) and none.hint.startswith("that link names no paper I can read")


async def test_a_hugging_face_days_list_pasted_shows_that_days_papers(june_store: PaperStore) -> None:
    """Hugging Face's list of a day's papers was searched for as the words of its address."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    day = await service.answer(parse_command("https://huggingface.co/papers/date/2026-06-02"), asker)
    assert day.header == (await service.answer(parse_command("2026-06-02"), asker)).header
    assert "2 June 2026" in day.header and day.cards
    thanked = await service.answer(parse_command("thanks!"), asker)
    assert thanked.text == ("You're welcome. `/papers help` lists what I can do.",)


async def test_settings_alone_say_where_they_apply(june_store: PaperStore) -> None:
    """`at 10am` was searched for; in a direct message, `settings at 10am` and `subscribe` are refused."""
    service = chat_service(june_store)
    channel = await service.answer(parse_command("at 10am"), Asker(ChannelRef("slack", "C1"), "U1"))
    assert channel.text[0] == (
        "Sorry, I didn't get “at 10am”. To change this channel's digest: `settings at 10am`; to start one:"
        " `subscribe at 10am`."
    )
    direct = await service.answer(parse_command("at 10am"), Asker(ChannelRef("slack", "D1"), "U1", direct=True))
    assert direct.text[0] == (
        "Sorry, I didn't get “at 10am”. Your own digest here comes at 09:00 on weekdays, your time; settings are a"
        " channel digest's."
    )


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_a_direct_message_is_offered_its_own_commands_not_a_channels(
    june_store: PaperStore, platform: str
) -> None:
    """In a direct message, `help` and every reply not understood offered `subscribe … a daily digest here`,
    which a direct message refuses, and `resume` said to type `subscribe`."""
    service = chat_service(june_store)
    direct = Asker(ChannelRef(platform, "D0HELP"), "U1", direct=True)
    for typed in ("help", "resume", "paper", "ctie 2608.19880"):
        said = "\n".join((await service.answer(parse_command(typed), direct)).text)
        assert "subscribe" not in said and "/papers settings" not in said and "/papers top" not in said, typed
        assert "follow" in said, typed
    words = PHRASEBOOKS[platform]
    resumed = await service.answer(parse_command("resume"), direct)
    assert resumed.text[0] == f"Sorry, I didn't get “resume”. To get your own digest here: {words.follow_examples}."
    own = await service.answer(Help(), direct)
    assert "`/papers preview` — what your own digest would show now" in own.text  # it works there
    channel = await service.answer(Help(), Asker(ChannelRef(platform, "C0HELP"), "U1"))
    assert any("subscribe" in line for line in channel.text)  # a channel's help is whole


async def test_resume_where_the_digest_is_on_says_so(june_store: PaperStore) -> None:
    """It said how to start one, with `subscribe` (which would have replaced its settings)."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C0RESUME"), "U1")
    assert "To start this channel's digest" in (await service.answer(parse_command("resume"), asker)).text[0]
    await service.answer(parse_command("subscribe weekly diffusion"), asker)
    on = await service.answer(parse_command("resume the roundup"), asker)
    assert on.text[0].endswith("This channel's weekly roundup is on already: `settings` shows when the next one comes.")


async def test_a_topic_with_a_typo_is_kept_as_typed_and_its_respelling_offered(june_store: PaperStore) -> None:
    service = chat_service(june_store)
    channel = Asker(ChannelRef("slack", "C0TYPO"), "U1")
    post = await service.answer(parse_command("subscribe difusion, robotics"), channel)
    assert post.text[-1] == (
        "Did you mean “diffusion”? No paper holds “difusion”. To have that instead, subscribe again with it in this"
        " topic's place."
    )
    assert len([line for line in post.text if line.startswith("Did you mean")]) == 1  # "robotics" is held
    subscribed = await SubscriptionStore(june_store.engine).get(channel.channel)
    assert subscribed is not None and subscribed.topics == ("difusion", "robotics")  # as typed: nothing lost
    direct = Asker(ChannelRef("slack", "D0TYPO"), "U2", direct=True)
    followed = await service.answer(parse_command("follow difusion"), direct)
    assert (
        "Did you mean “diffusion”? No paper holds “difusion”. To follow that instead, unfollow this topic and"
        " follow that."
    ) in followed.text
    again = await service.answer(parse_command("follow diffusion"), direct)  # spelled as papers write it: nothing said
    assert not any("Did you mean" in line for line in again.text)


async def test_subscribe_all_papers_takes_a_digest_on_topics_back_to_every_paper(june_store: PaperStore) -> None:
    """`settings` says "Topics: all papers" of a digest with none, but a digest on topics could not go back
    to it: `subscribe all papers` was refused as stop words, and `subscribe everything` saved as a topic."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C0ALL"), "U1")
    store = SubscriptionStore(june_store.engine)
    await service.answer(parse_command("subscribe diffusion, robotics at 10:00 top 3"), asker)
    post = await service.answer(parse_command("subscribe all papers"), asker)
    assert "Topics: all papers" in post.text
    subscribed = await store.get(asker.channel)
    assert subscribed is not None and (subscribed.topics, subscribed.time, subscribed.limit) == ((), "10:00", 3)
    await service.answer(parse_command("subscribe agents"), asker)
    await service.answer(parse_command("subscribe everything"), asker)
    subscribed = await store.get(asker.channel)
    assert subscribed is not None and subscribed.topics == ()


async def test_the_roundup_asked_for_where_the_digest_is_daily_says_so(june_store: PaperStore) -> None:
    """`roundup` previewed the daily digest without a word of its being no roundup."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    none = await service.answer(Preview(roundup=True), asker)
    assert none.text == ("This channel has no roundup to preview. To start one: "
                         "`/papers subscribe weekly diffusion on fri at 16:00`.",)  # fmt: skip
    await service.answer(parse_command("subscribe diffusion"), asker)
    daily = await service.answer(Preview(roundup=True), asker)
    assert daily.text[0] == (
        "This channel's digest is daily, not a weekly roundup (`/papers subscribe weekly on fri` makes it one)."
        " It would show:"
    )
    dm = Asker(ChannelRef("slack", "D1"), "U2", direct=True)  # one's own digest: no channel's to make weekly
    await service.answer(parse_command("follow diffusion"), dm)
    own = await service.answer(Preview(roundup=True), dm)
    assert own.header.startswith("Preview")
    assert own.text[0] == "Your own digest is daily: a weekly roundup is a channel's. It would show:"


async def test_several_papers_cited_at_once_are_one_bibliography(june_store: PaperStore) -> None:
    """`cite A and B` said "one at a time"."""
    service = chat_service(june_store)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    both = await service.answer(parse_command("cite 2605.29307, 2605.99999 and 2605.29307"), asker)
    assert both.header.startswith("Cite · GrepSeek") and both.code is not None and both.code.count("@misc{") == 1
    assert both.text and "2605.99999" in both.text[0]  # the one not found, said
    listed = [paper.arxiv_id for paper in (await june_store.listing(date(2026, 6, 1)))[:2]]
    two = await service.answer(parse_command(f"cite {listed[0]} and {listed[1]}"), asker)
    assert two.header == "Cite · 2 papers" and two.code is not None and two.code.count("@misc{") == 2
    assert two.file == "citations.bib"  # attached where a message cannot hold it (ten papers of 40 authors)
    assert not two.text


async def test_several_papers_saved_at_once_are_each_saved_or_said_why_not(june_store: PaperStore) -> None:
    """`save A, B and C` said "one at a time", and saved none."""
    from bot.community.service import Community
    from bot.store.engagement import EngagementStore
    from bot.store.reading import ReadingLists

    lists = ReadingLists(june_store.engine)
    community = Community(EngagementStore(june_store.engine), lists, june_store, clock=lambda: NOW)
    service = chat_service(june_store, community=community)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    person = community.person(asker.channel, asker.user)
    answer = await service.answer(parse_command("save 2605.29307, 2605.99999 and 2605.29307"), asker)
    assert answer.text[0] == "Saved “GrepSeek" + answer.text[0].removeprefix("Saved “GrepSeek")
    assert answer.text[0].endswith("to your reading list.") and "2605.99999" in answer.text[1]
    assert answer.text[-1] == "`/papers saved` shows your reading list."
    assert [s.arxiv_id for s in await lists.saved(person)] == ["2605.29307"]
    none = await service.answer(parse_command("save 2605.99998 and 2605.99999"), asker)
    assert len(none.text) == 2 and not any("shows your reading list" in line for line in none.text)
    gone = await service.answer(parse_command("unsave 2605.29307 and 2605.99999"), asker)
    assert gone.text[0].startswith("Removed “GrepSeek") and gone.text[1].startswith("2605.99999 is not on your")
    assert await lists.saved(person) == []


async def test_a_question_asked_with_a_save_answers_and_saves(june_store: PaperStore) -> None:
    """`cite 2605.29307 and save it` answered the citation, and saved nothing without a word."""
    from bot.community.service import Community
    from bot.store.engagement import EngagementStore
    from bot.store.reading import ReadingLists

    lists = ReadingLists(june_store.engine)
    community = Community(EngagementStore(june_store.engine), lists, june_store, clock=lambda: NOW)
    service = chat_service(june_store, community=community)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    answer = await service.answer(parse_command("cite 2605.29307 and save it"), asker)
    assert answer.code is not None and answer.text[-1].startswith("Saved “GrepSeek")
    assert [s.arxiv_id for s in await lists.saved(community.person(asker.channel, asker.user))] == ["2605.29307"]
    other = Asker(ChannelRef("slack", "C1"), "U2")  # `save … and cite it` saved, and said to ask `cite` next
    both = await service.answer(parse_command("save 2605.29307 and code and cite it"), other)
    assert both.header.startswith("Code and citation · ") and both.code is not None and "2605.29307" in both.code
    assert both.text[-1].startswith("Saved “GrepSeek") and not any("next." in line for line in both.text)
    assert [s.arxiv_id for s in await lists.saved(community.person(other.channel, other.user))] == ["2605.29307"]
    off = await service.answer(parse_command("unsave 2605.29307 and cite it"), other)  # it said to ask next
    assert off.code is not None and off.text[-1].startswith("Removed “GrepSeek")
    assert await lists.saved(community.person(other.channel, other.user)) == []


async def test_several_papers_cited_in_a_style_and_saved_say_so_and_are_saved(june_store: PaperStore) -> None:
    """`cite A and B apa` and `cite A and B and save them` said "`cite` takes one paper at a time"."""
    from bot.community.service import Community
    from bot.store.engagement import EngagementStore
    from bot.store.reading import ReadingLists

    lists = ReadingLists(june_store.engine)
    community = Community(EngagementStore(june_store.engine), lists, june_store, clock=lambda: NOW)
    service = chat_service(june_store, community=community)
    asker = Asker(ChannelRef("slack", "C1"), "U1")
    a, b = [paper.arxiv_id for paper in (await june_store.listing(date(2026, 6, 1)))[:2]]
    styled = await service.answer(parse_command(f"cite both {a} and {b} apa"), asker)
    assert styled.header == "Cite · 2 papers" and styled.code is not None and styled.code.count("@misc{") == 2
    assert styled.text == ("BibTeX is the one form given here: a reference manager turns it into APA.",)
    assert await lists.saved(community.person(asker.channel, asker.user)) == []
    saved = await service.answer(parse_command(f"save {a} and {b} and cite them"), asker)
    assert saved.header == "Cite · 2 papers" and [line[:6] for line in saved.text[:2]] == ["Saved ", "Saved "]
    assert saved.text[-1] == "`/papers saved` shows your reading list."  # once, as `save A and B` says it
    assert sorted(s.arxiv_id for s in await lists.saved(community.person(asker.channel, asker.user))) == sorted([a, b])


def test_a_paper_among_several_that_could_not_be_had_is_named() -> None:
    """“Could not fetch that paper just now” said not which, among the papers of `save A, B and C`."""
    from bot.chat.service import _why_not
    from bot.domain.post import Post

    fetched = Post(header="paperboy", text=("Could not fetch that paper just now: Hugging Face could not be reached.",))
    assert _why_not("2605.99999", fetched) == (
        "2605.99999: Could not fetch that paper just now: Hugging Face could not be reached.",
    )
    named = Post(header="paperboy", text=("2605.99999 is not in the local store.",))
    assert _why_not("2605.99999", named) == named.text


def test_days_the_store_lacks_are_named_up_to_three_then_counted() -> None:
    """“… and 1 more weekdays”; days of any span name their year (days of 2025 read as the coming week)."""
    from bot.delivery.roundup import not_fetched

    days = (date(2025, 12, 8), date(2025, 12, 9), date(2025, 12, 10), date(2025, 12, 11))
    assert not_fetched(days, years=True).startswith(
        "Monday 8 December 2025, Tuesday 9 December 2025, Wednesday 10 December 2025 and 1 more weekday are not in"
    )
    assert not_fetched(days[:2]).startswith("Monday 8 December and Tuesday 9 December are not in the store")


@pytest.mark.parametrize(
    ("where", "start", "add", "drop", "added", "dropped"),
    [  # a channel's digest (two teammates), one person's follows (two windows, two replicas)
        ("C0RACE", "subscribe", "settings add", "unsubscribe", "This channel is updated", "This channel is updated"),
        ("D0RACE", "follow", "follow", "unfollow", "You now follow", "You no longer follow “vision”."),
    ],
)
async def test_changes_to_one_digest_at_the_same_moment_are_each_kept(
    store: PaperStore, where: str, start: str, add: str, drop: str, added: str, dropped: str
) -> None:
    """Two teammates' `settings add` at once kept one topic (each change read the digest, then saved it made
    from what it read), and both were told "updated"; a topic dropped meanwhile came back. One person's
    follows changed from two places did the same."""
    import asyncio

    service = chat_service(store)
    asker = Asker(ChannelRef("slack", where, "T1"), "U1", can_manage=True, direct=where.startswith("D"))
    await service.answer(parse_command(f"{start} diffusion, vision"), asker)
    topics = ["robotics", "agents", "speech", "math"]
    answers = await asyncio.gather(
        *(service.answer(parse_command(f"{add} {topic}"), asker) for topic in topics),
        service.answer(parse_command(f"{drop} vision"), asker),
    )
    assert all(answer.header.startswith(added) for answer in answers[:-1]), answers
    assert dropped in f"{answers[-1].header} {answers[-1].text[0]}", answers[-1]
    subscriptions = SubscriptionStore(store.engine)
    stored = await (subscriptions.of_person("slack", "T1", "U1") if asker.direct else subscriptions.get(asker.channel))
    assert stored is not None and sorted(stored.topics) == sorted(["diffusion", *topics])


async def test_unsubscribe_where_there_is_no_digest_says_how_to_start_one(store: PaperStore) -> None:
    """It said "This channel has no daily digest." alone: the one "no digest" answer without a next step."""
    post = await chat_service(store).answer(Unsubscribe(), Asker(ChannelRef("slack", "C0NONE"), "U1"))
    assert post.text == (
        "This channel has no digest to stop. To start one: `/papers subscribe diffusion at 09:00 tz Europe/Berlin`.",
    )


async def test_two_first_subscribes_at_the_same_moment_are_one_then_the_other(store: PaperStore) -> None:
    """With no digest yet there was no row to lock on PostgreSQL: both were told "subscribed", one replaced."""
    import asyncio

    service = chat_service(store)
    asker = Asker(ChannelRef("slack", "C0FIRST", "T1"), "U1", can_manage=True)
    answers = await asyncio.gather(*(service.answer(parse_command(f"subscribe {t}"), asker) for t in ("a1", "b2")))
    assert sorted(answer.header.split(":")[0] for answer in answers) == [
        "This channel is subscribed",
        "This channel is updated",
    ]


class _ReadThenWait(SubscriptionStore):
    """Follows whose next read (`of_person`), once `armed`, waits for `go` after reading."""

    def __init__(self, store: PaperStore) -> None:
        super().__init__(store.engine)
        self.armed, self.read, self.go = False, asyncio.Event(), asyncio.Event()

    async def of_person(self, platform: str, workspace: str, person: str) -> Subscription | None:
        found = await super().of_person(platform, workspace, person)
        if self.armed:
            self.armed = False
            self.read.set()
            await self.go.wait()
        return found


async def test_the_last_topic_unfollowed_beside_a_follow_keeps_the_follow(store: PaperStore) -> None:
    """`unfollow vision` (the last topic) read the follows, a `follow robotics` was saved, then the unfollow
    deleted the follows: "You now follow robotics", and nothing followed."""
    subscriptions = _ReadThenWait(store)
    service = chat_service(store, subscriptions=subscriptions)
    asker = Asker(ChannelRef("slack", "D0LAST", "T1"), "U1", direct=True)
    await service.answer(parse_command("follow vision"), asker)

    async def unfollow() -> Post:
        subscriptions.armed = True
        return await service.answer(parse_command("unfollow vision"), asker)

    async def follow() -> Post:
        await subscriptions.read.wait()
        answer = await service.answer(parse_command("follow robotics"), asker)
        subscriptions.go.set()
        return answer

    unfollowed, followed = await asyncio.gather(unfollow(), follow())
    assert followed.header.startswith("You now follow “robotics”"), followed
    assert unfollowed.text[0].startswith("You no longer follow “vision”"), unfollowed
    stored = await SubscriptionStore(store.engine).of_person("slack", "T1", "U1")
    assert stored is not None and stored.topics == ("robotics",)
