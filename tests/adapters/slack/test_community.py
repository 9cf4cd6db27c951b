"""Votes, replies, `/papers top` and reading lists through signed events into the real bolt app."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from adapters.slack.guard import acked_early
from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged
from bot.domain.models import Listing, Paper
from bot.domain.publishing import MessageRef
from bot.store.reading import Person
from tests.adapters.slack.conftest import SlackBot
from tests.fakes.server import WAIT_S
from tests.fakes.slack import Failure

PAPER = "2605.29307"
HERE = ChannelRef("slack", "C0001", "T0001")
ADA = Person("slack", "T0001", "U0001")


async def shared(slack_bot: SlackBot) -> tuple[str, str]:
    """Share a paper in #papers: its card's and its thread seed's ts."""
    await slack_bot.click_share(PAPER)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.stored.get("C0001", [])) == 2)
    card, seed = slack_bot.fake.stored["C0001"]
    return str(card["ts"]), str(seed["ts"])


def reaction(
    ts: str,
    *,
    user: str = "U0001",
    emoji: str = "+1",
    added: bool = True,
    at: str = "1767225700.000100",
    item_user: str = "UBOT",
) -> dict[str, Any]:
    return {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": emoji,
        "item": {"type": "message", "channel": "C0001", "ts": ts},
        "item_user": item_user,
        "event_ts": at,
    }


def reply(thread: str, ts: str, *, user: str = "U0002", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel": "C0001", "user": user, "text": "nice", "ts": ts, "thread_ts": thread, **extra}


async def counted(slack_bot: SlackBot, expected: list[Engaged], within: float = WAIT_S) -> None:
    """Wait until the channel's counts are `expected` (events are acknowledged before they are counted)."""
    deadline = time.monotonic() + within
    while (found := list(await slack_bot.community.engagement.top(HERE, None, None, 10))) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"counted {found}, expected {expected}")
        await asyncio.sleep(0.02)


@pytest.mark.slow
async def test_reactions_on_the_card_and_its_seed_count_people_once_retries_included(slack_bot: SlackBot) -> None:
    card, seed = await shared(slack_bot)
    assert (await slack_bot.event(reaction(card), event_id="Ev1")).status_code == 200
    await slack_bot.event(reaction(card), event_id="Ev1", retry=1)  # Slack's retry
    await slack_bot.event(reaction(card), event_id="Ev1", retry=2)
    await slack_bot.event(reaction(seed, emoji="eyes"), event_id="Ev2")  # the same person on the seed
    await slack_bot.event(reaction(seed, user="U0002"), event_id="Ev3")
    await counted(slack_bot, [Engaged(PAPER, 2, 0)])
    later = "1767225800.000100"
    await slack_bot.event(reaction(card, added=False, at=later), event_id="Ev4")
    await slack_bot.event(reaction(seed, emoji="eyes", added=False, at=later), event_id="Ev5")
    await counted(slack_bot, [Engaged(PAPER, 1, 0)])
    await slack_bot.event(reaction(card), event_id="Ev1", retry=3)  # a late retry of the add: stays removed
    await slack_bot.event(reaction(seed, user="U0002", added=False, at=later), event_id="Ev6")
    await counted(slack_bot, [])


@pytest.mark.slow
async def test_bots_and_other_peoples_messages_are_not_votes(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0666"] = {"name": "otherbot", "is_bot": True}
    card, _ = await shared(slack_bot)
    await slack_bot.event(reaction(card, user="UBOT"), event_id="Ev1")  # the bot itself
    await slack_bot.event(reaction(card, user="U0666"), event_id="Ev2")  # another bot
    await slack_bot.event(reaction("999.1", item_user="U0003"), event_id="Ev3")  # someone's own message
    await slack_bot.event(reaction("999.2"), event_id="Ev4")  # a bot message that is no paper's
    await slack_bot.event(reaction(card, user="U0007"), event_id="Ev5")  # unknown to users.info: a person
    await counted(slack_bot, [Engaged(PAPER, 1, 0)])
    looked_up = [str(c.args.get("user")) for c in slack_bot.fake.calls if c.method == "users.info"]
    assert sorted(looked_up) == ["U0001", "U0007", "U0666"]  # once each; never for the bot itself


@pytest.mark.slow
async def test_replies_in_the_thread_count_people_once(slack_bot: SlackBot) -> None:
    card, _ = await shared(slack_bot)
    await slack_bot.event(reply(card, "1767225701.000001"), event_id="Ev1")
    await slack_bot.event(reply(card, "1767225701.000001"), event_id="Ev1", retry=1)
    await slack_bot.event(reply(card, "1767225702.000001"), event_id="Ev2")  # the same person again
    await slack_bot.event(reply(card, "1767225703.000001", user="U0003", subtype="thread_broadcast"), event_id="Ev3")
    await slack_bot.event(reply(card, "1767225704.000001", user="U0009", bot_id="B0009"), event_id="Ev4")
    await slack_bot.event(reply(card, "1767225705.000001", subtype="message_changed"), event_id="Ev5")
    await slack_bot.event(reply("555.5", "1767225706.000001"), event_id="Ev6")  # not a paper's thread
    await slack_bot.event(reply(card, card), event_id="Ev7")  # the thread's root itself
    await counted(slack_bot, [Engaged(PAPER, 0, 2)])
    # Slackbot, and a bot user posting without a bot_id: no people (they had counted as two replies)
    slack_bot.fake.users["U0666"] = {"name": "otherbot", "is_bot": True}
    await slack_bot.event(reply(card, "1767225708.000001", user="USLACKBOT"), event_id="Ev8")
    await slack_bot.event(reply(card, "1767225709.000001", user="U0666"), event_id="Ev9")
    await slack_bot.event(reply(card, "1767225710.000001", user="U0004"), event_id="Ev10")  # a person, after them
    await counted(slack_bot, [Engaged(PAPER, 0, 3)])
    await asyncio.sleep(0.2)
    await counted(slack_bot, [Engaged(PAPER, 0, 3)], within=0)


async def test_a_reply_under_a_personal_digests_card_in_a_dm_is_no_vote(slack_bot: SlackBot) -> None:
    """A direct message has no channel's votes: its reactions never counted, and now its replies neither
    (asking "summary" under a card in the DM made `/papers top` there say "1 replied")."""
    card = "1767225600.000100"
    await slack_bot.ledger.record_thread(
        "slack", MessageRef("D0001", card, card), PAPER, "digest", datetime.now(UTC), workspace="T0001"
    )
    dm = {"channel": "D0001", "channel_type": "im", "user": "U0001"}
    await slack_bot.event({**reply(card, "1767225701.000001"), **dm}, event_id="EvM")
    card_here, _ = await shared(slack_bot)
    await slack_bot.event(reply(card_here, "1767225702.000001"), event_id="EvC")  # in a channel: a vote
    await counted(slack_bot, [Engaged(PAPER, 0, 1)])
    there = ChannelRef("slack", "D0001", "T0001")
    assert list(await slack_bot.community.engagement.top(there, None, None, 10)) == []


async def test_events_not_of_slack_s_shape_are_acknowledged_and_count_nothing(slack_bot: SlackBot) -> None:
    card, _ = await shared(slack_bot)
    odd = [
        {**reaction(card), "item": "C0001"},  # an item that is no object: was a 500, and Slack's retries
        {**reaction(card), "item": ["C0001", card]},
        {**reaction(card), "user": {"id": "U0001"}},
        reply(card, "1767225701.000001", user={"id": "U0007"}),  # type: ignore[arg-type]
        {**reply(card, {"ts": 1}), "event_ts": "1767225701.5"},  # type: ignore[arg-type]
        {k: v for k, v in reply(card, "1767225702.000001").items() if k != "ts"},
    ]
    for n, event in enumerate(odd):
        assert (await slack_bot.event(event, event_id=f"Ev{n}")).status_code == 200
    await slack_bot.event(reply(card, "1767225703.000001"), event_id="EvLast")
    await counted(slack_bot, [Engaged(PAPER, 0, 1)])  # the one well-formed reply, nothing else


async def test_papers_top_lists_counts_with_share_and_save_buttons(slack_bot: SlackBot) -> None:
    card, _ = await shared(slack_bot)
    await slack_bot.event(reaction(card), event_id="Ev1")
    await slack_bot.event(reply(card, "1767225701.000001"), event_id="Ev2")
    await counted(slack_bot, [Engaged(PAPER, 1, 1)])
    slack_bot.fake.responses.clear()
    await slack_bot.command("top")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    answer = slack_bot.fake.responses[0]
    text = json.dumps(answer, ensure_ascii=False)
    assert "Most engaged papers here, posted in the last 7 days" in text
    assert "Score 2: 1 person reacted, 1 replied" in text
    buttons = [e["action_id"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["share_paper", "save_paper"]
    await slack_bot.command("top all", channel="C0002")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 2)
    assert "No paper posted here at any time has a reaction or a reply yet" in json.dumps(slack_bot.fake.responses[1])


async def test_the_bookmark_reaction_saves_and_taking_it_off_does_not_unsave(slack_bot: SlackBot) -> None:
    card, _ = await shared(slack_bot)
    await slack_bot.event(reaction(card, emoji="bookmark"), event_id="Ev1")
    await counted(slack_bot, [Engaged(PAPER, 1, 0)])
    await slack_bot.event(reaction(card, emoji="bookmark", added=False, at="1767225800.0"), event_id="Ev2")
    await counted(slack_bot, [])
    assert [s.arxiv_id for s in await slack_bot.community.lists.saved(ADA)] == [PAPER]


@pytest.mark.slow
async def test_the_save_button_and_the_reading_list_commands(slack_bot: SlackBot) -> None:
    await slack_bot.click_save(PAPER)
    await slack_bot.fake.wait_for(lambda: "save" in slack_bot.fake.answered)
    assert "Saved “GrepSeek" in slack_bot.fake.responses[-1]["text"]
    assert slack_bot.fake.responses[-1]["response_type"] == "ephemeral"
    await slack_bot.click_save(PAPER)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 2)
    assert "already on your reading list" in slack_bot.fake.responses[-1]["text"]

    await slack_bot.command("saved")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 3)
    listing = json.dumps(slack_bot.fake.responses[-1], ensure_ascii=False)
    assert "Your reading list (1 paper)" in listing and f"1. {PAPER} · GrepSeek" in listing
    assert slack_bot.fake.responses[-1]["response_type"] == "ephemeral"

    await slack_bot.command("saved bibtex")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 4)
    assert f"eprint        = {{{PAPER}}}" in json.dumps(slack_bot.fake.responses[-1], ensure_ascii=False)

    await slack_bot.command("saved", user="U0002")  # someone else's list is their own
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 5)
    emptied = json.dumps(slack_bot.fake.responses[-1], ensure_ascii=False)
    assert "Your reading list is empty" in emptied and "`/papers save 2406.12345`" in emptied

    await slack_bot.command(f"unsave https://arxiv.org/abs/{PAPER}v2")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 6)
    assert f"({PAPER}) from your reading list" in json.dumps(slack_bot.fake.responses[-1])
    await slack_bot.command("unsave nonsense")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 7)
    assert "`unsave` needs the paper's arXiv id, such as `unsave 2406.12345`" in json.dumps(
        slack_bot.fake.responses[-1], ensure_ascii=False
    )


async def test_the_save_buttons_answer_quotes_a_hostile_title_inert(slack_bot: SlackBot) -> None:
    hostile = Paper(
        arxiv_id="2606.09998", title="R&D <https://evil.example|Hugging Face> <!here> x<y", authors=("Eve",)
    )
    await slack_bot.store.save_listings([Listing(hostile, date(2026, 6, 3), 99)])
    await slack_bot.click_save(hostile.arxiv_id)
    await slack_bot.fake.wait_for(lambda: "save" in slack_bot.fake.answered)
    text = slack_bot.fake.responses[-1]["text"]
    assert "Saved “R&amp;D &lt;https://evil.example|Hugging Face&gt; &lt;!here&gt; x&lt;y”" in text
    assert "<!here>" not in text and "<https://" not in text


async def test_digest_and_shared_cards_carry_a_save_button(slack_bot: SlackBot) -> None:
    await shared(slack_bot)
    card = slack_bot.fake.posts("C0001")[0]
    actions = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(a["action_id"], a["value"]) for a in actions] == [("save_paper", PAPER)]


def test_votes_and_replies_are_answered_only_once_written() -> None:
    """The door acknowledges a mention at once, but hands reaction and message events to bolt in line:
    their 200 comes after the write, so a replica killed before it makes Slack send them again."""
    for kind, early in (
        ("app_mention", True),
        ("reaction_added", False),
        ("reaction_removed", False),
        ("message", False),
    ):
        body = json.dumps({"type": "event_callback", "event": {"type": kind}}).encode()
        assert acked_early(body, "application/json") is early, kind


@pytest.mark.slow
async def test_a_link_card_takes_votes_and_saves_on_the_message_it_was_unfurled_in(slack_bot: SlackBot) -> None:
    """A person's message whose paper link paperboy unfurled is that paper's link card (contract,
    *Community*); one linking two papers names neither, and other people's messages take no votes."""
    from tests.adapters.slack.test_surfaces import link_shared, unfurled

    await link_shared(slack_bot, [f"https://arxiv.org/abs/{PAPER}", f"https://hf.co/papers/{PAPER}"])
    ts = str((await unfurled(slack_bot))["ts"])  # ada's message
    slack_bot.fake.users["U0002"] = {"name": "bea"}
    await slack_bot.event(reaction(ts, user="U0002", item_user="U0001"), event_id="EvL2")
    await slack_bot.event(reaction(ts, user="U0002", emoji="bookmark", item_user="U0001"), event_id="EvL3")
    await counted(slack_bot, [Engaged(PAPER, 1, 0)])
    bea = Person("slack", "T0001", "U0002")
    assert [s.arxiv_id for s in await slack_bot.community.lists.saved(bea)] == [PAPER]
    two = "1767225800.000100"  # a message linking two papers
    await link_shared(
        slack_bot,
        [f"https://arxiv.org/abs/{PAPER}", "https://arxiv.org/abs/2605.31264"],
        message_ts=two,
        event_id="EvU2",
    )
    await unfurled(slack_bot, 2)
    assert await slack_bot.community.engagement.posted(HERE, two) is None
    unknown = "1767225850.000100"  # two papers, one of them not found: no card for it, and still two papers
    await link_shared(
        slack_bot,
        [f"https://arxiv.org/abs/{PAPER}", "https://arxiv.org/abs/2401.99999"],
        message_ts=unknown,
        event_id="EvU3",
    )
    await unfurled(slack_bot, 3)
    assert await slack_bot.community.engagement.posted(HERE, unknown) is None
    for n, message in enumerate((two, "1767225900.000100")):  # and someone's message with no link at all
        await slack_bot.event(reaction(message, user="U0002", item_user="U0001"), event_id=f"EvL{5 + n}")
    await slack_bot.event(reaction(ts, user="U0001", item_user="U0001"), event_id="EvL9")  # ada on her own card
    await counted(slack_bot, [Engaged(PAPER, 2, 0)])


async def test_a_posted_messages_unfurl_by_its_unfurl_id_is_a_link_card_too(slack_bot: SlackBot) -> None:
    """Slack's newer `link_shared` for a posted message carries an `unfurl_id` with `source`
    `conversations_history` beside its channel and ts (Slack's own example payload): the message is
    still the paper's link card; only a composer's preview is no message yet."""
    from tests.adapters.slack.test_surfaces import link_shared, unfurled

    ts = "1767225700.000300"
    await link_shared(slack_bot, [f"https://arxiv.org/abs/{PAPER}"], message_ts=ts, source="conversations_history")
    call = await unfurled(slack_bot)
    assert call["source"] == "conversations_history"
    slack_bot.fake.users["U0002"] = {"name": "bea"}
    await slack_bot.event(reaction(ts, user="U0002", item_user="U0001"), event_id="EvL2")
    await counted(slack_bot, [Engaged(PAPER, 1, 0)])


async def test_a_link_cards_thread_is_its_papers_to_ask_in(slack_bot: SlackBot) -> None:
    from tests.adapters.slack.test_surfaces import link_shared, unfurled

    await link_shared(slack_bot, [f"https://arxiv.org/abs/{PAPER}"])
    ts = str((await unfurled(slack_bot))["ts"])
    await slack_bot.mention("<@UBOT> cite", thread=ts)
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.posts())
    [answer] = slack_bot.fake.posts()
    assert answer["thread_ts"] == ts and "@misc{" in json.dumps(answer)


async def saved_many(bot: SlackBot, count: int = 60) -> list[Paper]:
    """`count` papers of the store on ada's reading list."""
    papers: list[Paper] = []
    day = await bot.store.latest_day()
    while day is not None and len(papers) < count:
        papers += await bot.store.listing(day)
        day = await bot.store.latest_day(day - timedelta(days=1))
    for paper in papers[:count]:
        await bot.community.lists.save(ADA, paper.arxiv_id, datetime.now(UTC))
    return papers[:count]


@pytest.mark.slow
async def test_a_reading_list_too_long_for_the_answers_goes_whole_as_a_bib_file_to_the_dm(slack_bot: SlackBot) -> None:
    """Contract: `saved bibtex` gives the whole list. Slack lets a command answer five times (31 of 60
    entries, then "…and 29 more"): the whole list goes as reading-list.bib to ada's direct message
    with the bot, and the answer says so."""
    papers = await saved_many(slack_bot)
    slack_bot.fake.ims["U0001"] = "D0001"
    await slack_bot.command("saved bibtex", channel="C0001")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    await asyncio.sleep(0.2)  # no second answer follows
    [said] = slack_bot.fake.responses
    shown = json.dumps(said, ensure_ascii=False)
    assert said["response_type"] == "ephemeral" and "Your reading list as BibTeX (60 papers)" in shown
    assert "All 60 entries are in `reading-list.bib`, sent to our direct message" in shown
    [sent] = slack_bot.fake.files.values()
    assert (sent["name"], sent["channel"]) == ("reading-list.bib", "D0001")
    assert all(f"{{{p.arxiv_id}}}" in sent["content"] for p in papers)


@pytest.mark.slow
async def test_without_the_files_scope_the_answers_hold_what_they_can_and_say_why(slack_bot: SlackBot) -> None:
    await saved_many(slack_bot)
    slack_bot.fake.ims["U0001"] = "D0001"
    slack_bot.fake.fail("files.getUploadURLExternal", Failure("missing_scope", needed="files:write"))
    await slack_bot.command("saved bibtex", channel="C0001")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 5)
    last = json.dumps(slack_bot.fake.responses[-1], ensure_ascii=False)
    assert "more: a reply holds no more" in last
    assert "The whole list could not come as a file (this app may not send files yet" in last
    assert "adds the `files:write` scope" in last
    assert slack_bot.fake.files == {}


async def test_a_mention_citing_more_papers_than_a_reply_holds_sends_them_whole_as_a_file(slack_bot: SlackBot) -> None:
    """`@paperboy cite A, B … J` answered 6 of 10 entries in the thread, saying `saved` lists every paper
    (nothing was saved): the whole bibliography goes as citations.bib to the asker's DM, as `/papers cite`'s."""
    papers = await saved_many(slack_bot, 10)
    slack_bot.fake.ims["U0001"] = "D0001"
    await slack_bot.mention("<@UBOT> cite " + " ".join(p.arxiv_id for p in papers), thread=None)
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.posts("C0001"))
    said = json.dumps(slack_bot.fake.posts("C0001"), ensure_ascii=False)
    assert "All 10 entries are in `citations.bib`, sent to the asker's direct message with paperboy" in said
    [sent] = slack_bot.fake.files.values()
    assert (sent["name"], sent["channel"]) == ("citations.bib", "D0001")
    assert all(f"{{{p.arxiv_id}}}" in sent["content"] for p in papers)
    assert "`saved` lists every paper" not in said


async def test_a_short_reading_list_is_answered_in_place(slack_bot: SlackBot) -> None:
    papers = await saved_many(slack_bot, 2)
    await slack_bot.command("saved bibtex", channel="C0001")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    said = json.dumps(slack_bot.fake.responses[-1])
    assert all(f"eprint        = {{{p.arxiv_id}}}" in said for p in papers) and slack_bot.fake.files == {}


@pytest.mark.slow
async def test_an_upload_that_fails_leaves_the_answers_holding_what_they_can(slack_bot: SlackBot) -> None:
    """The upload itself (to the URL files.getUploadURLExternal gave) failing is no Slack API error
    (slack_sdk's SlackRequestError): the answers still come, saying the file did not, not "Sorry,
    something went wrong" with nothing of the list."""
    await saved_many(slack_bot)
    slack_bot.fake.ims["U0001"] = "D0001"
    slack_bot.fake.upload_status = 503
    await slack_bot.command("saved bibtex", channel="C0001")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 5)
    first, last = (
        json.dumps(r, ensure_ascii=False) for r in (slack_bot.fake.responses[0], slack_bot.fake.responses[-1])
    )
    assert "@misc{" in first and "Sorry" not in first
    assert "The whole list could not come as a file (Slack did not take it: the upload failed)" in last


@pytest.mark.slow
async def test_whether_a_user_is_a_person_has_a_deadline_and_only_answers_are_kept(slack_bot: SlackBot) -> None:
    """users.info under a rate limit held an event's ack past Slack's 3 s (each retry asked again), and
    one failed lookup made a bot a person for good: its reactions were counted as votes."""
    from adapters.slack.app import slack_client
    from adapters.slack.people import People

    fake = slack_bot.fake
    fake.users["U0666"] = {"name": "otherbot", "is_bot": True}
    client = slack_client("xoxb-test", fake.base_url)

    def asked() -> int:
        return sum(1 for c in fake.calls if c.method == "users.info" and c.args.get("user") == "U0666")

    people = People(seconds=0.2)
    fake.fail("users.info", Failure(status=429, retry_after=1))  # waited out by the client's retry
    at_once = await asyncio.gather(*(people.is_person(client, "T0001", "U0666", "UBOT") for _ in range(5)))
    assert at_once == [True] * 5  # no answer in time: a person, this once
    await fake.wait_for(lambda: asked() == 2)  # one lookup for the five, asked again after the 429
    assert await people.is_person(client, "T0001", "U0666", "UBOT") is False  # the answer, kept
    assert asked() == 2

    other = People()
    fake.fail("users.info", Failure(error="internal_error"))
    assert await other.is_person(client, "T0001", "U0666", "UBOT") is True  # a failure: a person, this once
    assert await other.is_person(client, "T0001", "U0666", "UBOT") is False  # asked again: a bot
    assert await other.is_person(client, "T0001", "U0666", "UBOT") is False and asked() == 4
