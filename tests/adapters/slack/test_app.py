"""`/papers`, the Share button and thread mentions, through signed HTTP into the real bolt app."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.chat.replies import OOPS
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from bot.domain.publishing import MessageRef
from tests.adapters.slack.conftest import SlackBot, settled
from tests.fakes.server import eventually


def texts(response: dict[str, object]) -> str:
    return json.dumps(response, ensure_ascii=False)


async def test_a_bad_signature_is_refused(slack_bot: SlackBot) -> None:
    response = await slack_bot.command("today", secret="wrong-secret")
    assert response.status_code == 401
    assert slack_bot.fake.responses == []


async def test_a_stale_timestamp_is_refused(slack_bot: SlackBot) -> None:
    response = await slack_bot.command("today", age=600)
    assert response.status_code == 401
    assert slack_bot.fake.responses == []


@pytest.mark.slow
async def test_the_ack_comes_at_once_while_the_search_is_slow(slack_bot: SlackBot) -> None:
    slack_bot.search.delay = 5.0
    started = time.monotonic()
    response = await slack_bot.command("speculative decoding")
    acked = time.monotonic() - started
    assert response.status_code == 200
    assert acked < 2.5  # Slack allows 3 s; the answer itself takes 5 s here
    assert slack_bot.fake.responses == []
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    answer = slack_bot.fake.responses[0]
    assert answer["response_type"] == "ephemeral"
    assert "Papers on “speculative decoding”" in answer["text"]


async def test_today(slack_bot: SlackBot) -> None:
    await slack_bot.command("")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    answer = slack_bot.fake.responses[0]
    blocks = answer["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Daily Papers · Wednesday 3 June 2026"},
    }
    shares = [b for b in blocks if b["type"] == "actions"]
    assert len(shares) == 5
    assert shares[0]["elements"][0]["action_id"] == "share_paper"


@pytest.mark.parametrize("digest_limit", [50])
async def test_today_with_more_cards_than_a_message_holds_comes_in_two(slack_bot: SlackBot) -> None:
    """3 June 2026 lists 23 papers; one message holds about a dozen cards (50 blocks): the rest come
    in a second answer through the same response_url, numbered on, not "…and 11 more"."""
    await slack_bot.command("today")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) >= 2)
    first, second = slack_bot.fake.responses
    assert first["blocks"][0]["text"]["text"] == "Daily Papers · Wednesday 3 June 2026"
    assert second["blocks"][0]["text"]["text"] == "Daily Papers · Wednesday 3 June 2026 (continued)"
    ids = [b["block_id"].split(":")[1] for r in (first, second) for b in r["blocks"] if b["type"] == "actions"]
    assert len(ids) == len(set(ids)) == 23
    ranks = [b["text"]["text"].split(".")[0] for r in (first, second) for b in r["blocks"] if b["type"] == "section"]
    assert ranks == [str(n) for n in range(1, 24)]
    assert "…and " not in texts(first) + texts(second)
    assert all(r["response_type"] == "ephemeral" for r in (first, second))


async def test_search_cards_have_links_and_a_share_button(slack_bot: SlackBot) -> None:
    await slack_bot.command("search agents")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    blocks = slack_bot.fake.responses[0]["blocks"]
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert any("<https://huggingface.co/papers/2605.29307|GrepSeek: Training Search Agents" in s for s in sections)
    contexts = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert any("<https://arxiv.org/pdf/2605.29307|PDF>" in c and "Code ★19" in c for c in contexts)


async def test_paper_by_id_or_link(slack_bot: SlackBot) -> None:
    await slack_bot.command("paper https://arxiv.org/abs/2605.29307v1")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    answer = slack_bot.fake.responses[0]
    assert answer["text"] == "arXiv 2605.29307 — On Hugging Face Daily Papers 1 June 2026"
    blocks: Any = answer["blocks"]
    assert blocks[0]["text"]["text"] == "arXiv 2605.29307"  # the title is the card's, not also the header's
    assert "GrepSeek" in texts(answer)


async def test_what_slack_escapes_in_a_command_is_read_as_typed(slack_bot: SlackBot) -> None:
    """Slack sends `&`, `<` and `>` in a command's text as `&amp;`, `&lt;` and `&gt;`: `/papers subscribe R&D`."""
    await slack_bot.command("subscribe R&amp;D agents, Q&amp;A datasets, &lt;LLMs&gt;")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    saved = await slack_bot.subscriptions.get(ChannelRef("slack", "C0001"))
    assert saved is not None and saved.topics == ("R&D agents", "Q&A datasets", "<LLMs>")
    assert "&amp;amp;" not in texts(slack_bot.fake.responses[0])  # shown escaped once, as Slack wants


async def test_subscribe_settings_unsubscribe(slack_bot: SlackBot) -> None:
    await slack_bot.command("subscribe diffusion, reinforcement learning at 8:30 tz Europe/Berlin top 3")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 1)
    saved = await slack_bot.subscriptions.get(ChannelRef("slack", "C0001"))
    assert saved is not None
    assert (saved.topics, saved.time, saved.timezone, saved.limit) == (
        ("diffusion", "reinforcement learning"),
        "08:30",
        "Europe/Berlin",
        3,
    )
    confirmation = texts(slack_bot.fake.responses[0])
    assert "This channel is subscribed" in confirmation
    assert "Next digest: Thursday 4 June, 08:30 CEST" in confirmation  # 07:30 UTC is 09:30 in Berlin: today's is past

    await slack_bot.command("settings")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 2)
    assert "“reinforcement learning”" in texts(slack_bot.fake.responses[1])

    await slack_bot.command("unsubscribe")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 3)
    assert "Unsubscribed" in texts(slack_bot.fake.responses[2])
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "C0001")) is None


async def test_subscribe_is_refused_in_direct_messages(slack_bot: SlackBot) -> None:
    await slack_bot.command("subscribe diffusion", channel="D0001")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert "Digests go to channels" in texts(slack_bot.fake.responses[0])
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "D0001")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscibe diffusion", "Did you mean `subscribe diffusion`?"),
        ("subscribe llm tz Europe/Berln", "Did you mean Europe/Berlin?"),
        ("subscribe llm at 25:99", "is not a time of day"),
        ("help", "/papers subscribe diffusion, robotics at 09:00 tz Europe/Berlin top 5"),
        ("paper", "`paper` needs an arXiv id or link"),
        ("paper 2612.99999", "not in the local store"),
    ],
)
async def test_mistakes_get_a_short_help(slack_bot: SlackBot, text: str, expected: str) -> None:
    await slack_bot.command(text)
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert expected in texts(slack_bot.fake.responses[0])


async def test_share_posts_the_card_and_seeds_its_thread(slack_bot: SlackBot) -> None:
    response = await slack_bot.click_share("2605.29307")
    assert response.status_code == 200
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    root, seed = slack_bot.fake.posts("C0001")
    assert "thread_ts" not in root
    assert "GrepSeek" in root["text"]
    assert seed["thread_ts"] == slack_bot.fake.stored["C0001"][0]["ts"]  # the reply is in the card's thread
    assert "*Abstract*" in json.dumps(seed["blocks"])
    assert "Shared “GrepSeek" in slack_bot.fake.responses[0]["text"]
    assert await slack_bot.ledger.thread_paper("slack", "C0001", seed["thread_ts"]) == "2605.29307"
    # kept under the workspace it was shared in, so that `paperboy forget --team slack:T0001` erases it
    assert await slack_bot.ledger.thread_paper("slack", "C0001", seed["thread_ts"], workspace="T0001") == "2605.29307"


async def test_a_double_click_on_share_posts_the_card_once_and_points_the_second_to_it(slack_bot: SlackBot) -> None:
    """Two clicks on Share at once (a double click): one card and one seed, not two threads."""
    clicks = [slack_bot.click("share_paper", "2605.29307", response=f"share{n}") for n in (1, 2)]
    assert [r.status_code for r in await asyncio.gather(*clicks)] == [200, 200]
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 2)
    assert len(slack_bot.fake.posts("C0001")) == 2  # the card and its seed
    first, second = sorted(
        (r["text"] for r in slack_bot.fake.responses), key=lambda text: not text.startswith("Shared")
    )
    assert first.startswith("Shared “GrepSeek")
    assert second.startswith("“GrepSeek")
    assert second.endswith("” was shared in this channel a moment ago: its thread is open for discussion.")
    await slack_bot.click_share("2605.29307", channel="C0002")  # another channel gets its own card
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 3)
    assert len(slack_bot.fake.posts("C0002")) == 2


async def test_share_where_the_bot_is_not_invited(slack_bot: SlackBot) -> None:
    slack_bot.fake.missing_channels.add("C0404")
    await slack_bot.click_share("2605.29307", channel="C0404")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    said = slack_bot.fake.responses[0]["text"]  # Slack's code and the channel's id are the operator's words
    assert said == "I'm not in this channel: invite me with `/invite @paperboy`, then Share again."


async def test_a_share_slack_refuses_as_written_is_not_to_be_tried_again(slack_bot: SlackBot) -> None:
    """`msg_too_long` told the clicker to try again in a minute (QA s73-community #4): the same card is
    refused the same way."""
    from tests.fakes.slack import Failure

    slack_bot.fake.fail("chat.postMessage", Failure(error="msg_too_long"))
    await slack_bot.click_share("2605.29307", channel="C0001")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert slack_bot.fake.responses[0]["text"] == (
        "Slack refused this paper's card as paperboy wrote it (its length or its layout), so sharing it again would"
        " fail too: whoever runs paperboy finds why in its log, to report."
    )


async def shared_thread(slack_bot: SlackBot) -> str:
    """Share 2605.29307 in the channel (its card, then its seed); the thread they started."""
    await slack_bot.click_share("2605.29307")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    return str(slack_bot.fake.posts()[1]["thread_ts"])


async def test_a_mention_in_a_paper_thread_answers_there(slack_bot: SlackBot) -> None:
    thread = await shared_thread(slack_bot)
    await slack_bot.mention("<@UBOT> cite please", thread=thread)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    answer = slack_bot.fake.posts()[2]
    assert answer["thread_ts"] == thread
    body = json.dumps(answer["blocks"])
    assert "@misc{salemi2026grepseek" in body
    assert "archivePrefix" in body


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("summary", "AI summary"),
        ("code", "github.com/alirezasalemi7/grepseek"),
        ("authors", "Hamed Zamani"),
        ("related", "Related to"),
        ("what now?", "Ask me in this thread"),
    ],
)
async def test_each_thread_question(slack_bot: SlackBot, asked: str, expected: str) -> None:
    thread = await shared_thread(slack_bot)
    await slack_bot.mention(f"<@UBOT> {asked}", thread=thread)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    assert expected in json.dumps(slack_bot.fake.posts()[2], ensure_ascii=False)


async def test_a_mention_asking_two_things_gets_two_answers_in_the_thread(slack_bot: SlackBot) -> None:
    thread = await shared_thread(slack_bot)
    await slack_bot.mention("<@UBOT> code and authors?", thread=thread)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 4)
    code, authors = slack_bot.fake.posts()[2:]
    assert code["thread_ts"] == authors["thread_ts"] == thread
    assert "github.com/alirezasalemi7/grepseek" in json.dumps(code) and "Hamed Zamani" in json.dumps(authors)


async def test_save_in_a_mention_puts_the_threads_paper_on_the_asker_s_reading_list(slack_bot: SlackBot) -> None:
    """`@paperboy save` got the one-line help: the Save button was the only way from a thread."""
    from bot.store.reading import Person

    thread = await shared_thread(slack_bot)
    await slack_bot.mention("<@UBOT> save this, and the code?", thread=thread)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    [code] = slack_bot.fake.posts()[2:]
    [saved] = whispers(slack_bot)  # to the asker alone, in the thread (QA s77: posted for all to see)
    assert saved["thread_ts"] == code["thread_ts"] == thread and saved["user"] == "U0001"
    assert "Saved “GrepSeek" in json.dumps(saved, ensure_ascii=False) and "/papers saved" in json.dumps(saved)
    assert "github.com/alirezasalemi7/grepseek" in json.dumps(code)
    lists = slack_bot.community.lists
    assert [s.arxiv_id for s in await lists.saved(Person("slack", "T0001", "U0001"))] == ["2605.29307"]
    await slack_bot.mention("<@UBOT> bookmark it", thread=thread, event_id="Ev0002")
    await slack_bot.fake.wait_for(lambda: len(whispers(slack_bot)) == 2)
    assert "already on your reading list" in json.dumps(whispers(slack_bot)[1]) and len(slack_bot.fake.posts()) == 3


def whispers(slack_bot: SlackBot) -> list[dict[str, Any]]:
    """What the bot said to one person alone (chat.postEphemeral), in order."""
    return [call.args for call in slack_bot.fake.calls if call.method == "chat.postEphemeral"]


async def test_the_code_answer_links_the_repository(slack_bot: SlackBot) -> None:
    """Its text is `verbatim` (no word of a paper's may become a mention), which keeps Slack from linking
    a bare URL: the address is written as a link."""
    await slack_bot.mention("<@UBOT> code", thread=await shared_thread(slack_bot))
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    blocks: Any = slack_bot.fake.posts()[2]["blocks"]
    [line] = [b["text"] for b in blocks if b.get("type") == "section" and "Code:" in b["text"]["text"]]
    assert line["verbatim"] is True
    assert line["text"].startswith("Code: <https://github.com/alirezasalemi7/grepseek>")


async def test_a_question_in_a_direct_messages_card_thread_is_answered_named_or_not(slack_bot: SlackBot) -> None:
    """A personal digest's card in the person's direct message with the bot: Slack sends no app_mention
    there, only `message` (message.im). A question named outright in a card's thread is answered there,
    and anything naming the bot; chatter (a word that only suggests a question too), a question in a
    thread that is no card's, an edit, the bot's own message and a message in a channel are not."""
    card = "1767225600.000100"
    now = datetime(2026, 6, 3, 9, tzinfo=UTC)
    await slack_bot.ledger.record_thread("slack", MessageRef("D0001", card, card), "2605.29307", "digest", now)

    def said(text: str, ts: str, **more: Any) -> dict[str, Any]:
        return {"type": "message", "channel": "D0001", "channel_type": "im", "user": "U0001", "text": text,
                "ts": ts, "event_ts": ts, "thread_ts": card} | more  # fmt: skip

    await slack_bot.event(said("thanks, reading it tonight", "1767225700.000001"), event_id="Ev61")
    await slack_bot.event(said("cite", "1767225700.000002", bot_id="B0001"), event_id="Ev62")
    await slack_bot.event(said("summary", "1767225700.000003", subtype="message_changed"), event_id="Ev63")
    await slack_bot.event(said("code", "1767225700.000004", channel="C0001", channel_type="channel"), event_id="Ev64")
    await slack_bot.event(said("who else on the team should read this?", "1767225700.000008"), event_id="Ev68")
    await slack_bot.event(said("code", "1767225700.000009", thread_ts="1767225000.000001"), event_id="Ev69")
    await slack_bot.event(said("cite please", "1767225700.000005"), event_id="Ev65")
    await slack_bot.event(said("<@UBOT> hello there", "1767225700.000006"), event_id="Ev66")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    answers = sorted(json.dumps(p, ensure_ascii=False) for p in slack_bot.fake.posts())
    assert all(p["channel"] == "D0001" and p["thread_ts"] == card for p in slack_bot.fake.posts())
    assert (
        sum("Ask me in this thread" in a for a in answers) == sum("@misc{salemi2026grepseek" in a for a in answers) == 1
    )
    await slack_bot.event(said("code", "1767225700.000007"), event_id="Ev67")  # a question after them all
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    assert "github.com" in json.dumps(slack_bot.fake.posts()[2])


@pytest.mark.slow
async def test_save_in_a_direct_messages_card_thread_saves_its_paper_unmentioned(slack_bot: SlackBot) -> None:
    """A personal digest's card: `save` in its thread, with no mention (Slack sends only `message.im`
    there), went unanswered; `don't save this` is chatter still."""
    from bot.store.reading import Person

    card = "1767225600.000100"
    now = datetime(2026, 6, 3, 9, tzinfo=UTC)
    await slack_bot.ledger.record_thread("slack", MessageRef("D0001", card, card), "2605.29307", "digest", now)

    def said(text: str, ts: str) -> dict[str, Any]:
        return {"type": "message", "channel": "D0001", "channel_type": "im", "user": "U0001", "text": text,
                "ts": ts, "event_ts": ts, "thread_ts": card}  # fmt: skip

    await slack_bot.event(said("don't save this", "1767225700.000001"), event_id="Ev81")
    await slack_bot.event(said("save it for later", "1767225700.000002"), event_id="Ev82")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 1)
    assert "Saved “GrepSeek" in json.dumps(slack_bot.fake.posts()[0], ensure_ascii=False)
    lists = slack_bot.community.lists
    assert [s.arxiv_id for s in await lists.saved(Person("slack", "T0001", "U0001"))] == ["2605.29307"]
    await settled()
    assert len(slack_bot.fake.posts()) == 1


async def test_a_question_at_the_top_of_a_direct_message_is_answered_or_told_how_to_ask(slack_bot: SlackBot) -> None:
    """Outside a card's thread, a direct message's question got nothing at all: one naming a paper is answered
    about it, one naming none is told how to ask; chatter still gets nothing."""

    def said(text: str, ts: str) -> dict[str, Any]:
        return {"type": "message", "channel": "D0001", "channel_type": "im", "user": "U0001", "text": text,
                "ts": ts, "event_ts": ts}  # fmt: skip

    await slack_bot.event(said("good morning", "1767225700.000001"), event_id="Ev71")
    await slack_bot.event(said("cite https://arxiv.org/abs/2605.29307", "1767225700.000002"), event_id="Ev72")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 1)
    await slack_bot.event(said("summary", "1767225700.000003"), event_id="Ev73")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    cite, summary = slack_bot.fake.posts()
    assert cite["thread_ts"] == "1767225700.000002" and "@misc{salemi2026grepseek" in json.dumps(cite)
    assert "or name the paper" in json.dumps(summary, ensure_ascii=False)


async def test_a_mention_outside_a_paper_thread_gets_a_one_line_help(slack_bot: SlackBot) -> None:
    await slack_bot.mention("<@UBOT> summary", thread=None)
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.posts())
    answer = slack_bot.fake.posts()[0]
    assert answer["thread_ts"] == "1767225700.000001"  # replies under the mention, not in the channel
    assert "only discuss papers in their own threads" in answer["text"] + json.dumps(answer["blocks"])


async def test_an_event_retry_gets_no_second_answer(slack_bot: SlackBot) -> None:
    first = await slack_bot.mention("<@UBOT> summary", thread=None, event_id="Ev42")
    again = await slack_bot.mention("<@UBOT> summary", thread=None, event_id="Ev42", retry=1)
    assert (first.status_code, again.status_code) == (200, 200)
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.posts())
    await slack_bot.mention("<@UBOT> summary", thread=None, event_id="Ev43")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    assert len(slack_bot.fake.posts()) == 2  # Ev42 once, Ev43 once


async def test_the_share_answer_pings_no_one_with_the_papers_title(slack_bot: SlackBot) -> None:
    title = "Hi <!channel> see <https://evil.example|arxiv.org/abs/2606.99999> <@U0002>"
    await slack_bot.store.save_papers([Paper(arxiv_id="2606.99999", title=title)])
    await slack_bot.click_share("2606.99999")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    text = slack_bot.fake.responses[-1]["text"]
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text and "<https://evil" not in text
    assert "<@U0002>" not in text


async def test_an_edited_mention_gets_no_second_answer(slack_bot: SlackBot) -> None:
    """Slack sends `app_mention` again, with a new event id and `edited`, when the message is edited."""
    await slack_bot.mention("<@UBOT> summary", thread=None, event_id="Ev50")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.posts())
    edited: dict[str, object] = {
        "type": "app_mention",
        "user": "U0001",
        "text": "<@UBOT> summary, thanks",
        "ts": "1767225700.000001",
        "channel": "C0001",
        "event_ts": "1767225760.000100",
        "edited": {"user": "U0001", "ts": "1767225760.000000"},
    }
    assert (await slack_bot.event(edited, event_id="Ev51")).status_code == 200
    await slack_bot.mention("<@UBOT> code", thread=None, event_id="Ev52")  # a new mention after it
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    assert len(slack_bot.fake.posts()) == 2


async def test_another_bots_mention_gets_no_answer(slack_bot: SlackBot) -> None:
    """A relay or another assistant posting `@paperboy summary` was answered: two bots answering each
    other can loop (Discord and direct messages ignored bots already)."""
    for n, marks in enumerate(({"bot_id": "B0OTHER"}, {"subtype": "bot_message", "bot_id": "B0OTHER"})):
        event: dict[str, object] = {
            "type": "app_mention",
            "user": "U0BOT2",
            "text": "<@UBOT> summary",
            "ts": f"1767225800.00000{n}",
            "channel": "C0001",
            "event_ts": f"1767225800.00000{n}",
            **marks,
        }
        assert (await slack_bot.event(event, event_id=f"EvBot{n}")).status_code == 200
    await slack_bot.mention("<@UBOT> code", thread=None, event_id="EvPerson")  # a person's, after them
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.posts())
    [answered] = slack_bot.fake.posts()  # the person's alone (outside a paper's thread: how to ask)
    assert not answered["thread_ts"].startswith("1767225800")


async def test_a_thread_answer_that_fails_gets_an_apology_in_the_thread(slack_bot: SlackBot) -> None:
    thread = await shared_thread(slack_bot)
    slack_bot.search.broken = True
    await slack_bot.mention("<@UBOT> related", thread=thread)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    answer = slack_bot.fake.posts()[2]
    assert answer["thread_ts"] == thread and "Sorry" in json.dumps(answer)


async def test_a_fault_of_ours_gets_an_apology_and_a_logged_traceback(
    slack_bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    slack_bot.search.broken = True
    with caplog.at_level(logging.ERROR, logger="paperboy"):
        await slack_bot.command("speculative decoding")
        await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    answer = slack_bot.fake.responses[0]
    assert (answer["text"], answer["blocks"], answer["response_type"]) == (OOPS, [], "ephemeral")
    assert "the index file vanished" in caplog.text  # in the log, with its traceback; never in the reply


async def test_an_uninstall_in_one_workspace_mode_is_said_in_our_words(
    slack_bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The manifest subscribes `app_uninstalled` and `tokens_revoked` in either mode: with SLACK_BOT_TOKEN
    they are a line of ours, not bolt's "Unhandled request" with a listener to copy and a 404."""
    caplog.set_level(logging.INFO)
    events: list[dict[str, Any]] = [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": ["U0001"]}},  # a user's token alone: nothing to say
        {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}},
    ]
    for n, event in enumerate(events):
        response = await slack_bot.event(event | {"event_ts": "1767225700.1"}, event_id=f"EvGone{n}")
        assert response.status_code == 200

    def gone() -> list[str]:
        return [r.getMessage() for r in caplog.records if "SLACK_BOT_TOKEN no longer works" in r.getMessage()]

    async def both() -> bool:
        return len(gone()) == 2

    await eventually(both, "both departures said")
    await settled()
    said = [r.getMessage() for r in caplog.records]
    assert not [line for line in said if "Unhandled request" in line or "404" in line], said
    assert len(gone()) == 2 and "workspace T0001" in gone()[0]


async def test_a_cite_answer_stays_one_code_block_whatever_the_title_holds(slack_bot: SlackBot) -> None:
    """A title's own ``` would end the answer's code block early, and what follows would be read as mrkdwn."""
    title = "Fences ``` *bold* _italic_ ~struck~ ``` in a title"
    await slack_bot.store.save_papers([Paper(arxiv_id="2606.99998", title=title, authors=("Ada Lovelace",))])
    await slack_bot.click_share("2606.99998")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    await slack_bot.mention("<@UBOT> cite", thread=slack_bot.fake.posts()[1]["thread_ts"])
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    blocks: Any = slack_bot.fake.posts()[2]["blocks"]
    [code] = [b["text"]["text"] for b in blocks if b.get("type") == "section" and "@misc{" in b["text"]["text"]]
    assert code.startswith("```@misc{") and code.endswith("}```")
    assert code.count("```") == 2, code


async def test_a_cite_answer_of_a_title_full_of_ampersands_still_closes_its_code_block(slack_bot: SlackBot) -> None:
    """Each `&` is five characters once escaped: the entry was measured before, and the section's cut at
    3,000 characters then took the closing ``` with the entry's end."""
    await slack_bot.store.save_papers([Paper(arxiv_id="2606.99997", title="Q&A " * 400, authors=("Ada Lovelace",))])
    await slack_bot.click_share("2606.99997")
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 2)
    await slack_bot.mention("<@UBOT> cite", thread=slack_bot.fake.posts()[1]["thread_ts"])
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 3)
    blocks: Any = slack_bot.fake.posts()[2]["blocks"]
    [code] = [b["text"]["text"] for b in blocks if b.get("type") == "section" and "@misc{" in b["text"]["text"]]
    assert len(code) <= 3000
    assert code.startswith("```@misc{") and code.endswith("```") and code.count("```") == 2, code[-80:]


def test_a_refused_share_is_told_in_the_clickers_words() -> None:
    """A Share refused showed the publisher's reason: Slack's code, the channel's id, the operator's fix."""
    from adapters.slack.wording import shared
    from bot.chat.service import SharedBefore, Unshared

    assert shared(Unshared("is_archived (the channel is archived)")) == "I can't post in this channel: it is archived."
    other = shared(Unshared("restricted_action (Slack refused the bot)"))
    assert other.startswith("I can't post in this channel: Slack refused it.") and "restricted_action" not in other
    posting = SharedBefore("GrepSeek", timedelta(0), under_way=True)  # another replica's click, posting it
    assert shared(posting) == "“GrepSeek” is being shared in this channel right now: its thread opens with it."
