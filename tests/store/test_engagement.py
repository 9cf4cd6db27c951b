"""Votes, replies and `top` on the real store (SQLite and PostgreSQL): each event counted once."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged, Engagement
from bot.domain.models import Paper
from bot.domain.publishing import MessageRef
from bot.store.engagement import EngagementStore, Event, Posted, Reply, Vote
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore

NOW = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
DAY = date(2026, 6, 3)
C1 = ChannelRef("slack", "C0001", "T0001")


async def posted_card(ledger: Ledger, where: ChannelRef, arxiv_id: str, ts: str, at: datetime = NOW) -> MessageRef:
    """A digest card (and its thread seed) as the delivery records them."""
    root = MessageRef(where.channel, ts, ts)
    await ledger.begin_papers(where, DAY, [(1, arxiv_id)], at)
    await ledger.card_sent(where, DAY, arxiv_id, root, at)
    await ledger.seed_sent(where, DAY, arxiv_id, at, MessageRef(where.channel, f"{ts}9", ts))
    return root


def vote(
    posted: Posted, user: str, emoji: str = "+1", *, on: bool = True, at: datetime = NOW, message: str = ""
) -> Vote:
    return Vote(posted, user, message or "1.1", emoji, on, at)


async def test_the_store_is_the_engagement_port(store: PaperStore) -> None:
    port: Engagement = EngagementStore(store.engine)
    assert await port.top(C1, None, None, 5) == []


async def test_cards_and_seeds_are_found_and_other_messages_are_not(store: PaperStore) -> None:
    ledger, engaged = Ledger(store.engine), EngagementStore(store.engine)
    await posted_card(ledger, C1, "2606.00001", "100.1")
    card = await engaged.posted(C1, "100.1")
    seed = await engaged.posted(C1, "100.19")
    assert card == seed == Posted(C1, "2606.00001", NOW)
    assert await engaged.posted(C1, "555.5") is None
    assert await engaged.posted(ChannelRef("slack", "C0002", "T0001"), "100.1") is None
    assert await engaged.posted(C1, "100.1") == card  # a thread is its card


async def test_a_discord_thread_names_its_paper_and_its_cards_channel(store: PaperStore) -> None:
    ledger, engaged = Ledger(store.engine), EngagementStore(store.engine)
    text = ChannelRef("discord", "20", "G1")
    await ledger.record_thread("discord", MessageRef("20", "31", "31"), "2606.00002", "share", NOW)
    in_thread = ChannelRef("discord", "31", "G1")
    assert await engaged.posted(text, "31") == Posted(text, "2606.00002", NOW)  # the card in the text channel
    assert await engaged.posted(in_thread, "77") is None  # someone's message in the thread: not the bot's
    assert await engaged.posted(in_thread, "77", thread_messages=True) == Posted(text, "2606.00002", NOW)
    assert await engaged.posted(in_thread, "31") == Posted(text, "2606.00002", NOW)


async def test_votes_count_people_once_and_follow_removals(store: PaperStore) -> None:
    engaged = EngagementStore(store.engine)
    paper = Posted(C1, "2606.00001", NOW)
    await engaged.record(vote(paper, "U1", "+1"))
    await engaged.record(vote(paper, "U1", "+1"))  # Slack's retry
    await engaged.record(vote(paper, "U1", "tada", message="1.2"))  # a second emoji on the seed: same person
    await engaged.record(vote(paper, "U2", "+1"))
    assert await engaged.top(C1, None, None, 5) == [Engaged("2606.00001", 2, 0)]
    later = NOW + timedelta(seconds=5)
    await engaged.record(vote(paper, "U1", "+1", on=False, at=later))
    assert await engaged.top(C1, None, None, 5) == [Engaged("2606.00001", 2, 0)]  # U1 still has 🎉
    await engaged.record(vote(paper, "U1", "tada", on=False, at=later, message="1.2"))
    await engaged.record(vote(paper, "U2", "+1", on=False, at=later))
    assert await engaged.top(C1, None, None, 5) == []
    await engaged.record(vote(paper, "U2", "+1"))  # a late retry of the first add: older than the removal
    assert await engaged.top(C1, None, None, 5) == []
    await engaged.record(vote(paper, "U2", "+1", at=later + timedelta(seconds=1)))  # put back on for real
    assert await engaged.top(C1, None, None, 5) == [Engaged("2606.00001", 1, 0)]


async def test_a_removal_that_arrives_before_its_add_keeps_the_vote_off(store: PaperStore) -> None:
    engaged = EngagementStore(store.engine)
    paper = Posted(C1, "2606.00001", NOW)
    await engaged.record(vote(paper, "U1", on=False, at=NOW + timedelta(seconds=1)))
    await engaged.record(vote(paper, "U1", on=True, at=NOW))
    assert await engaged.top(C1, None, None, 5) == []


async def test_replies_count_distinct_people_and_each_message_once(store: PaperStore) -> None:
    engaged = EngagementStore(store.engine)
    paper = Posted(C1, "2606.00001", NOW)
    for user, message in (("U1", "2.1"), ("U1", "2.2"), ("U2", "2.3"), ("U2", "2.3")):
        await engaged.record(Reply(paper, user, message, NOW))
    await engaged.record(vote(paper, "U1"))
    assert await engaged.top(C1, None, None, 5) == [Engaged("2606.00001", 1, 2)]


async def test_concurrent_copies_of_the_same_events_count_once(store: PaperStore) -> None:
    """Two replicas (two stores on one database) each given every event several times, all at once."""
    a, b = EngagementStore(store.engine), EngagementStore(store.engine)
    paper = Posted(C1, "2606.00001", NOW)
    events: list[Event] = [
        vote(paper, f"U{i % 7}", emoji, message=m) for i in range(40) for emoji in ("+1", "eyes") for m in "ab"
    ]
    events += [Reply(paper, f"U{i % 5}", f"r{i}", NOW) for i in range(20)]
    await asyncio.gather(*(s.record(e) for e in events for s in (a, b, a)))
    assert await a.top(C1, None, None, 5) == [Engaged("2606.00001", 7, 5)]


async def test_top_ranks_by_score_then_upvotes_within_the_period(store: PaperStore) -> None:
    await store.save_papers(
        [Paper(arxiv_id=f"2606.0000{i}", title=f"Paper {i}", upvotes=u) for i, u in ((1, 5), (2, 50), (3, 1), (4, 9))]
    )
    engaged = EngagementStore(store.engine)
    old = NOW - timedelta(days=20)
    papers = {i: Posted(C1, f"2606.0000{i}", NOW if i != 4 else old) for i in (1, 2, 3, 4)}
    for i, people in ((1, 2), (2, 2), (3, 3), (4, 9)):
        for p in range(people):
            await engaged.record(vote(papers[i], f"U{p}"))
    other = Posted(ChannelRef("slack", "C0001", "T0002"), "2606.00001", NOW)  # same channel id, another workspace
    await engaged.record(vote(other, "U9"))
    week = NOW - timedelta(days=7)
    assert [e.arxiv_id for e in await engaged.top(C1, week, None, 10)] == ["2606.00003", "2606.00002", "2606.00001"]
    assert [e.arxiv_id for e in await engaged.top(C1, None, None, 2)] == ["2606.00004", "2606.00003"]
    assert await engaged.top(C1, week, NOW, 10) == []  # until is exclusive
    anywhere = ChannelRef("slack", "C0001")  # no workspace: every workspace with that channel id
    ranked = await engaged.top(anywhere, week, None, 2)  # 2606.00001: 2 + 1 people, more upvotes than 00003
    assert ranked == [Engaged("2606.00001", 3, 0), Engaged("2606.00003", 3, 0)]


async def test_the_first_card_in_a_channel_dates_the_paper(store: PaperStore) -> None:
    ledger, engaged = Ledger(store.engine), EngagementStore(store.engine)
    early = NOW - timedelta(days=40)
    await posted_card(ledger, C1, "2606.00001", "100.1", at=early)
    await ledger.record_thread("slack", MessageRef("C0001", "200.1", "200.1"), "2606.00001", "share", NOW)
    shared = await engaged.posted(C1, "200.1")
    assert shared is not None and shared.posted_at == early
    await engaged.record(vote(shared, "U1", message="200.1"))
    assert await engaged.top(C1, NOW - timedelta(days=7), None, 5) == []
    assert await engaged.top(C1, None, None, 5) == [Engaged("2606.00001", 1, 0)]


async def test_discussed_counts_what_people_did_in_the_period_whenever_the_card_went_out(store: PaperStore) -> None:
    """A roundup's "most discussed": a card of a paper shared weeks before, reacted to this week, counts
    this week (QA s71-community #2: dated by its first card, it counted in no roundup); a reaction put
    on last week, one taken off, and one put on again this week after last week's removal, as they are now."""
    await store.save_papers([Paper(arxiv_id=f"2606.0000{i}", title=f"Paper {i}", upvotes=i * 10) for i in (1, 2, 3)])
    ledger, engaged = Ledger(store.engine), EngagementStore(store.engine)
    weeks_ago, week = NOW - timedelta(days=30), NOW - timedelta(days=7)
    await posted_card(ledger, C1, "2606.00001", "100.1", at=weeks_ago)
    await ledger.record_thread("slack", MessageRef("C0001", "200.1", "200.1"), "2606.00001", "digest", NOW)
    roundup_card = await engaged.posted(C1, "200.1")
    assert roundup_card is not None and roundup_card.posted_at == weeks_ago  # dated by its first card
    for user in ("U1", "U2", "U3"):
        await engaged.record(vote(roundup_card, user, message="200.1", at=NOW - timedelta(days=1)))
    await engaged.record(Reply(roundup_card, "U1", "200.2", NOW - timedelta(hours=3)))
    await engaged.record(vote(roundup_card, "U4", message="100.1", at=weeks_ago + timedelta(hours=1)))  # before
    second = Posted(C1, "2606.00002", week + timedelta(days=1))
    await engaged.record(vote(second, "U1", at=NOW - timedelta(days=2)))
    await engaged.record(vote(second, "U2", at=NOW - timedelta(days=2)))
    await engaged.record(vote(second, "U2", on=False, at=NOW - timedelta(days=1)))  # taken off again
    third = Posted(C1, "2606.00003", week - timedelta(days=3))
    await engaged.record(vote(third, "U5", on=False, at=week - timedelta(days=1)))
    await engaged.record(vote(third, "U5", at=week + timedelta(hours=1)))  # put on again this week
    there = Posted(ChannelRef("slack", "C0001", "T0002"), "2606.00003", NOW)  # the same channel id, another workspace
    await engaged.record(Reply(there, "U6", "9.9", NOW - timedelta(hours=1)))
    await engaged.record(vote(second, "U7", at=NOW))  # at the window's end: the next one's

    assert await engaged.discussed(C1, week, NOW, 5) == [
        Engaged("2606.00001", 3, 1),
        Engaged("2606.00003", 1, 0),  # ties by upvotes: 30 before 20
        Engaged("2606.00002", 1, 0),
    ]
    assert await engaged.top(C1, week, NOW, 5) == [Engaged("2606.00002", 2, 0)]  # by their cards, every vote on
    assert await engaged.discussed(C1, weeks_ago, week, 5) == [Engaged("2606.00001", 1, 0)]  # U4's, put on then
    assert await engaged.discussed(C1, week, NOW, 1) == [Engaged("2606.00001", 3, 1)]
    anywhere = ChannelRef("slack", "C0001")  # no workspace: every workspace with that channel id
    assert await engaged.discussed(anywhere, week, NOW, 5) == [
        Engaged("2606.00001", 3, 1),
        Engaged("2606.00003", 1, 1),
        Engaged("2606.00002", 1, 0),
    ]
    assert (await engaged.discussed(C1, week, NOW + timedelta(seconds=1), 5))[1] == Engaged("2606.00002", 2, 0)


async def test_two_workspaces_channel_of_the_same_id_keep_their_own_cards_and_dates(store: PaperStore) -> None:
    """Slack channel ids are unique only within a workspace: a card, its date and the remembered lookup
    are each workspace's own; a card recorded without one (the config file's, in one-workspace mode)
    is found from any."""
    ledger, engaged = Ledger(store.engine), EngagementStore(store.engine)
    there = ChannelRef("slack", "C0001", "T0002")
    early = NOW - timedelta(days=40)
    for ts, paper, at, team in (
        ("100.1", "00001", early, "T0001"),
        ("100.1", "00002", NOW, "T0002"),
        ("200.1", "00001", NOW, "T0002"),
    ):
        await ledger.record_thread("slack", MessageRef("C0001", ts, ts), f"2606.{paper}", "share", at, workspace=team)
    assert await engaged.posted(C1, "100.1") == Posted(C1, "2606.00001", early)
    assert await engaged.posted(there, "100.1") == Posted(there, "2606.00002", NOW)  # not the remembered T0001 card
    assert await engaged.posted(C1, "100.1") == Posted(C1, "2606.00001", early)
    shared = await engaged.posted(there, "200.1")
    assert shared == Posted(there, "2606.00001", NOW)  # T0001's card of that paper, 40 days before, is not T0002's
    await engaged.record(vote(shared, "U1", message="200.1"))
    assert await engaged.top(there, NOW - timedelta(days=7), None, 5) == [Engaged("2606.00001", 1, 0)]
    assert await engaged.posted(ChannelRef("slack", "C0001", "T0003"), "100.1") is None
    await ledger.record_thread("slack", MessageRef("C0009", "300.1", "300.1"), "2606.00003", "digest", NOW)
    anywhere = ChannelRef("slack", "C0009", "T0003")
    assert await engaged.posted(anywhere, "300.1") == Posted(anywhere, "2606.00003", NOW)


@pytest.mark.slow
async def test_a_later_copy_of_an_add_keeps_the_reaction_in_the_week_it_was_put_on(store: PaperStore) -> None:
    """Discord stamps a reaction when it arrives: a copy of the same add (a gateway replay, a second
    replica) received after the roundup's boundary moved the reaction into the next week (review s73
    #2). A copy moves only the time that orders the changes; taking it off and putting it on again
    moves it for real, and a late copy of the first add never undoes that removal."""
    engaged = EngagementStore(store.engine)
    where = ChannelRef("discord", "111", "G1")
    card = Posted(where, "2606.00001", NOW - timedelta(days=3))
    boundary = NOW
    week, next_week = (boundary - timedelta(days=7), boundary), (boundary, boundary + timedelta(days=7))
    await engaged.record(vote(card, "U1", at=boundary - timedelta(minutes=1)))
    await engaged.record(vote(card, "U1", at=boundary + timedelta(minutes=1)))  # the copy, received later
    await asyncio.gather(  # copies arriving together, in one batch with a first add
        *(engaged.record(vote(card, user, at=boundary - timedelta(seconds=s))) for user, s in (("U2", 9), ("U2", -9)))
    )
    await asyncio.gather(  # one batch, the later-stamped copy first (review s74 #4: it set the time put on)
        *(engaged.record(vote(card, "U3", at=boundary + timedelta(seconds=s))) for s in (9, -9))
    )
    assert await engaged.discussed(where, *week, 5) == [Engaged("2606.00001", 3, 0)]
    assert await engaged.discussed(where, *next_week, 5) == []
    await engaged.record(vote(card, "U1", on=False, at=boundary + timedelta(hours=1)))
    await engaged.record(vote(card, "U1", at=boundary + timedelta(hours=2)))  # put on again, next week
    await engaged.record(vote(card, "U1", at=boundary + timedelta(minutes=2)))  # a late copy of the first add
    assert await engaged.discussed(where, *week, 5) == [Engaged("2606.00001", 2, 0)]
    assert await engaged.discussed(where, *next_week, 5) == [Engaged("2606.00001", 1, 0)]
    assert await engaged.top(where, None, None, 5) == [Engaged("2606.00001", 3, 0)]


async def test_shuffled_changes_in_batches_end_as_the_newest_change_of_each_vote(store: PaperStore) -> None:
    """Adds, removals, Slack's repeats and late retries of a few votes, recorded many at once (so a
    batch holds several changes of one vote, and later batches find it stored), against a model:
    each vote ends as its newest change (the first of equals to arrive), each person counts once."""
    engaged = EngagementStore(store.engine)
    for seed in range(6):
        rng = random.Random(seed)
        where = ChannelRef("slack", f"C9{seed}", "T0001")
        paper = Posted(where, "2606.00001", NOW)
        events = [
            vote(
                paper,
                f"U{rng.randrange(4)}",
                rng.choice(("+1", "eyes")),
                on=rng.random() < 0.6,
                at=NOW + timedelta(seconds=rng.randrange(6)),
                message=rng.choice(("1.1", "1.2")),
            )
            for _ in range(120)
        ]
        state: dict[tuple[str, str, str], tuple[bool, datetime]] = {}
        for e in events:
            key = (e.user, e.message, e.reaction)
            if key not in state or e.at > state[key][1]:
                state[key] = (e.present, e.at)
        for start in range(0, len(events), 30):  # four rounds of 30 at once
            await asyncio.gather(*(engaged.record(e) for e in events[start : start + 30]))
        people = len({user for (user, _, _), (on, _) in state.items() if on})
        expected = [Engaged("2606.00001", people, 0)] if people else []
        assert await engaged.top(where, None, None, 5) == expected, seed
