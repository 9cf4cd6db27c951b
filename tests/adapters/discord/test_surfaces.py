"""Paper card (a message command), autocomplete and the subscribe modal, through the real discord.py client."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import date
from typing import Any

import discord
import pytest

from bot.delivery.digest import DigestOptions
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import FORUM_ID, GUILD_ID, TEXT_ID

STORED = "2605.29307"  # GrepSeek, in the June store
HOSTILE = Paper(
    arxiv_id="2606.00666",
    title="@everyone @here <@&1000000000000000099> hostile grepseek title",
    abstract="@everyone an abstract",
    authors=("@here Mallory",),
    ai_keywords=("@everyone keyword",),
)


def shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


async def followup(bot: DiscordBot, count: int = 1) -> dict[str, Any]:
    await bot.fake.wait_for(lambda: len(bot.fake.followups()) >= count)
    return bot.fake.followups()[count - 1]


async def test_paper_card_is_registered_as_a_message_command(discord_bot: DiscordBot) -> None:
    synced = next(s for s in discord_bot.fake.sent if s.method == "PUT" and s.path.endswith("/commands")).body
    assert [c["type"] for c in synced if c["name"] == "Paper card"] == [3]
    papers = next(c for c in synced if c["name"] == "papers")
    options = {o["name"]: o for o in papers["options"]}
    assert next(o for o in options["search"]["options"] if o["name"] == "topic")["autocomplete"] is True
    assert next(o for o in options["paper"]["options"] if o["name"] == "id")["autocomplete"] is True


async def test_paper_card_answers_the_caller_with_each_linked_paper(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    text = f"Have you seen https://arxiv.org/abs/{STORED}v1 (also https://hf.co/papers/{STORED}) and https://arxiv.org/pdf/2401.99999?"
    await fake.message_command("Paper card", text)
    await fake.wait_for(lambda: fake.callbacks())
    assert fake.callbacks()[0].body["type"] == 5
    assert fake.callbacks()[0].body["data"]["flags"] & 64  # only the caller sees it
    message = await followup(discord_bot)
    assert message["flags"] & 64
    assert len(message["embeds"]) == 1  # two links to one paper: one card
    assert message["embeds"][0]["title"].startswith("GrepSeek")
    assert "2401.99999 is not in the local store" in message["content"]
    assert message["components"][0]["components"][0]["custom_id"] == f"share:{STORED}"
    await fake.click(f"share:{STORED}")  # Share works from the card as from a search
    await fake.wait_for(lambda: fake.posts_in(TEXT_ID))
    assert "GrepSeek" in shown(fake.posts_in(TEXT_ID)[0])


async def test_paper_card_reads_the_links_of_a_messages_embeds(discord_bot: DiscordBot) -> None:
    """A card a bot posted has no text, only an embed linking the paper several times: one card."""
    embed = {
        "title": "GrepSeek",
        "url": f"https://huggingface.co/papers/{STORED}",
        "description": f"[arXiv](https://arxiv.org/abs/{STORED}) · [PDF](https://arxiv.org/pdf/{STORED})",
    }
    await discord_bot.fake.message_command("Paper card", "", embeds=[embed])
    message = await followup(discord_bot)
    assert message["content"].startswith("**The paper linked in this message**")
    assert [e["title"][:8] for e in message["embeds"]] == ["GrepSeek"]


async def test_paper_card_on_a_forwarded_message_shows_the_paper_it_forwards(discord_bot: DiscordBot) -> None:
    """A forward's own text is empty: what people see, and right-click, is the forwarded message's; it
    was answered "links to no paper"."""
    await discord_bot.fake.message_command(
        "Paper card", f"worth a read https://arxiv.org/abs/{STORED}v1", forwarded=True
    )
    message = await followup(discord_bot)
    assert message["content"].startswith("**The paper linked in this message**")
    assert [e["title"][:8] for e in message["embeds"]] == ["GrepSeek"]


async def test_paper_card_on_a_message_without_paper_links(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.message_command("Paper card", "lunch at noon? https://example.com/menu")
    message = await followup(discord_bot)
    assert message["flags"] & 64
    assert "links to no paper" in message["content"]
    assert not message.get("embeds")


async def test_paper_card_shows_each_of_ten_long_papers_in_as_many_messages_as_they_need(
    discord_bot: DiscordBot,
) -> None:
    """Ten cards of long papers outgrow one message's 6,000 characters of embeds: they were cut to eight,
    with "…and 2 more" the caller could never see."""
    papers = [
        Paper(
            arxiv_id=f"2607.{10000 + i}",
            title=f"Paper {i} " + "word " * 50,
            abstract="a" * 3000,
            authors=tuple(f"Author Number {j}" for j in range(30)),
            ai_summary="s" * 400,
        )
        for i in range(11)
    ]
    await discord_bot.store.save_papers(papers)
    text = "have a look: " + " ".join(f"arxiv.org/abs/{p.arxiv_id}" for p in papers)  # as pasted: no https://
    await discord_bot.fake.message_command("Paper card", text)

    def cards() -> int:
        return sum(len(m.get("embeds") or []) for m in discord_bot.fake.followups())

    await discord_bot.fake.wait_for(lambda: cards() >= 10)
    sent = discord_bot.fake.followups()
    assert len(sent) > 1 and all(m["flags"] & 64 for m in sent)
    titles = [e["title"] for m in sent for e in m.get("embeds") or []]
    assert [t.split()[1] for t in titles] == [str(i) for i in range(10)]  # the first ten, every one
    assert "more papers linked" not in shown(sent) and "…and 1 more paper linked" in shown(sent)


async def test_paper_card_pings_no_one(discord_bot: DiscordBot) -> None:
    await discord_bot.store.save_papers([HOSTILE])
    await discord_bot.fake.message_command("Paper card", f"https://arxiv.org/abs/{HOSTILE.arxiv_id}")
    message = await followup(discord_bot)
    assert message["allowed_mentions"] == {"parse": []}
    embed = shown(message["embeds"])
    assert "@everyone" not in embed and "@here" not in embed and "<@&1" not in embed


async def choices(bot: DiscordBot, subcommand: str, option: str, typed: str) -> list[dict[str, Any]]:
    before = len(bot.fake.answers(8))
    started = time.monotonic()
    await bot.fake.autocomplete(subcommand, option, typed)
    await bot.fake.wait_for(lambda: len(bot.fake.answers(8)) > before)
    assert time.monotonic() - started < 3.0
    found: list[dict[str, Any]] = bot.fake.answers(8)[-1]["choices"]
    assert len(found) <= 25
    assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in found)
    return found


async def test_search_topics_are_suggested_from_the_papers_keywords(discord_bot: DiscordBot) -> None:
    found = await choices(discord_bot, "search", "topic", "agent")
    assert found
    assert all("agent" in c["value"].lower() for c in found)
    assert found[0]["value"].lower().startswith("agent")


async def test_paper_ids_are_suggested_by_title(discord_bot: DiscordBot) -> None:
    found = await choices(discord_bot, "paper", "id", "grepseek")
    assert [c["value"] for c in found] == [STORED]
    assert found[0]["name"].startswith("GrepSeek") and found[0]["name"].endswith(f"({STORED})")
    newest = await discord_bot.store.listing(date(2026, 6, 3))
    assert {c["value"] for c in await choices(discord_bot, "paper", "id", "")} == {p.arxiv_id for p in newest}


async def test_a_suggestion_pings_no_one(discord_bot: DiscordBot) -> None:
    await discord_bot.store.save_papers([HOSTILE])
    await discord_bot.suggestions.refresh()
    found = [c for c in await choices(discord_bot, "paper", "id", "hostile grepseek") if c["value"] == HOSTILE.arxiv_id]
    assert found
    assert "@everyone" not in found[0]["name"] and "@here" not in found[0]["name"]
    topics = await choices(discord_bot, "search", "topic", "@every")
    assert topics and all("@everyone" not in c["name"] for c in topics)  # the value, echoed: see below


def modal_inputs(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["custom_id"]: item for row in modal["components"] for item in row["components"]}


async def test_a_bare_subscribe_opens_the_form_and_saves_what_typing_saves(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("subscribe")
    await fake.wait_for(lambda: fake.answers(9))
    modal = fake.last_modal()
    assert list(modal_inputs(modal)) == ["topics", "time", "timezone", "days", "limit"]
    await fake.submit_modal(
        {"topics": "diffusion, robotics", "time": "8:30", "timezone": "Europe/Berlin", "days": "mon,wed", "limit": "3"}
    )
    assert "This channel is subscribed" in shown(await followup(discord_bot))
    [saved] = await discord_bot.subscriptions.all()
    assert (saved.topics, saved.time, saved.timezone, saved.days, saved.limit) == (
        ("diffusion", "robotics"),
        "08:30",
        "Europe/Berlin",
        "mon,wed",
        3,
    )
    await fake.slash("subscribe")  # the form again: filled in with what was saved
    await fake.wait_for(lambda: len(fake.answers(9)) == 2)
    values = {k: v.get("value") for k, v in modal_inputs(fake.last_modal()).items()}
    assert values == {
        "topics": "diffusion, robotics",
        "time": "08:30",
        "timezone": "Europe/Berlin",
        "days": "mon,wed",
        "limit": "3",
    }


async def test_a_weekly_roundups_form_keeps_it_weekly(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("subscribe", {"topics": "diffusion", "cadence": "weekly"})
    await fake.wait_for(lambda: fake.followups())
    await fake.slash("subscribe")
    await fake.wait_for(lambda: fake.answers(9))
    modal = fake.last_modal()
    assert modal["title"] == "Weekly roundup for this channel"
    values = {k: str(v.get("value") or "") for k, v in modal_inputs(modal).items()}
    assert values["days"] == "fri"
    await fake.submit_modal(values | {"days": "mon,fri", "limit": "99"})  # a mistake in each: named as labelled
    await fake.wait_for(lambda: fake.answers(4))
    said = fake.answers(4)[-1]["content"]
    assert "**Day (one)**: A weekly roundup comes one day a week" in said
    assert "**Papers in each roundup (1-50)**" in said
    await fake.slash("subscribe")  # the form closes on a submission: opened again
    await fake.wait_for(lambda: len(fake.answers(9)) == 2)
    await fake.submit_modal(values | {"limit": "3"})
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    assert "weekly roundup" in shown(fake.followups()[-1])
    [saved] = await discord_bot.subscriptions.all()
    assert (saved.cadence, saved.days, saved.limit) == ("weekly", "fri", 3)


@pytest.mark.slow
async def test_the_form_holds_the_longest_topics_a_channel_may_have(discord_bot: DiscordBot) -> None:
    """Ten topics of up to 200 characters are allowed; the form shows them whole (it cut them at 1,000
    characters, and saving it with only the time changed dropped what was cut)."""
    fake = discord_bot.fake
    topics = ", ".join(f"topic{i} " + "w" * 180 for i in range(6))
    await fake.slash("subscribe", {"topics": topics})
    await fake.wait_for(lambda: fake.followups())
    await fake.slash("subscribe")
    await fake.wait_for(lambda: fake.answers(9))
    assert modal_inputs(fake.last_modal())["topics"].get("value") == topics
    await fake.submit_modal({"topics": topics, "time": "16:00", "timezone": "", "days": "", "limit": ""})
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    [saved] = await discord_bot.subscriptions.all()
    assert ", ".join(saved.topics) == topics and saved.time == "16:00"


async def test_mistakes_in_the_form_are_named_and_nothing_is_saved(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("subscribe")
    await fake.wait_for(lambda: fake.answers(9))
    await fake.submit_modal({"topics": "diffusion", "time": "25:00", "timezone": "Europe/Berln", "limit": "@everyone"})
    await fake.wait_for(lambda: fake.answers(4))
    answer = fake.answers(4)[-1]
    assert answer["flags"] & 64
    assert "**Time of day (09:00, or 9:00 pm)**" in answer["content"]
    assert "**Time zone (IANA)**" in answer["content"] and "Did you mean Europe/Berlin?" in answer["content"]
    assert "**Papers in each digest (1-50)**" in answer["content"]
    assert "@everyone" not in answer["content"]
    assert await discord_bot.subscriptions.all() == []
    [button] = [b for row in answer["components"] for b in row["components"]]
    assert button["label"] == "Fix the form"
    await fake.click(button["custom_id"], on=fake.response_messages[-1])  # the form again, as typed
    await fake.wait_for(lambda: len(fake.answers(9)) == 2)
    typed = {k: v.get("value") for k, v in modal_inputs(fake.last_modal()).items()}
    assert (typed["time"], typed["timezone"], typed["limit"]) == (
        "25:00",
        "Europe/Berln",
        "@ev",
    )  # as long as it may be


async def test_a_form_opened_before_a_restart_is_saved_by_the_process_that_gets_it(discord_bot: DiscordBot) -> None:
    """Nothing of a form is held in memory: a submission of one this process never opened (another
    replica's, or its own before a restart) is read and saved all the same."""
    fake = discord_bot.fake
    values = {"topics": "agents", "time": "07:15", "timezone": "Asia/Tokyo", "days": "fri", "limit": "4"}
    await fake.submit_modal(values, form="paperboy:form:weekly")
    assert "weekly roundup" in shown(await followup(discord_bot))
    [saved] = await discord_bot.subscriptions.all()
    assert (saved.cadence, saved.topics, saved.time, saved.timezone, saved.days, saved.limit) == (
        "weekly",
        ("agents",),
        "07:15",
        "Asia/Tokyo",
        "fri",
        4,
    )


async def test_the_fix_button_reopens_the_form_as_typed_from_its_message_alone(discord_bot: DiscordBot) -> None:
    """The button under a form's mistakes reads what was typed from the message it is under (shown
    there): a process that never saw the form reopens it as typed."""
    fake = discord_bot.fake
    typed = {"topics": "diffusion, *robots*", "time": "9", "timezone": "Europe/Berlin", "days": "", "limit": "0"}
    await fake.submit_modal(typed, form="paperboy:form:daily")
    await fake.wait_for(lambda: fake.answers(4))
    answer = fake.answers(4)[-1]
    [embed] = answer["embeds"]
    assert embed["title"] == "What you typed" and embed["description"] == "diffusion, *robots*"
    assert [(f["name"], f["value"]) for f in embed["fields"]] == [
        ("Time of day (09:00, or 9:00 pm)", "9"),
        ("Time zone (IANA)", "Europe/Berlin"),
        ("Papers in each digest (1-50)", "0"),
    ]
    [button] = [b for row in answer["components"] for b in row["components"]]
    await fake.click(button["custom_id"], on=fake.response_messages[-1])
    await fake.wait_for(lambda: fake.answers(9))
    modal = fake.last_modal()
    assert modal["custom_id"] == "paperboy:form:daily"
    assert {k: v.get("value") for k, v in modal_inputs(modal).items()} == typed | {"days": None}
    assert await discord_bot.subscriptions.all() == []


@pytest.mark.slow
async def test_a_form_the_store_is_slow_to_decide_is_not_sent_after_discords_3_s(
    discord_bot: DiscordBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's reads before the modal had no deadline: a slow or locked store sent it after the
    interaction's 3 s, and Discord showed "This interaction failed". The person is told in our words."""
    import adapters.discord.surfaces as surfaces_module
    from bot.surfaces.service import Surfaces

    async def slow_form(self: Surfaces, channel: object) -> object:
        await asyncio.sleep(1.0)
        raise AssertionError("not reached: the deadline comes first")

    monkeypatch.setattr(surfaces_module, "OPEN_SECONDS", 0.2)
    monkeypatch.setattr(Surfaces, "form", slow_form)
    fake = discord_bot.fake
    await fake.slash("subscribe")
    await fake.wait_for(lambda: fake.answers(4))
    assert fake.answers(4)[-1]["content"].startswith("The form could not open in time. Type it instead:")
    assert fake.answers(9) == []


@pytest.mark.slow
async def test_the_check_before_a_form_and_the_forms_own_reads_share_one_deadline(
    discord_bot: DiscordBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two budgets one after the other (1 s for the check, then 2 s for the form's reads) spent all of
    Discord's 3 s on a slow store (QA: the fallback 2.96 s after the command, too late on real Discord).
    A check that took the whole budget leaves the form unread: the person is told at once."""
    import adapters.discord.surfaces as surfaces_module
    from bot.delivery.subscriptions import SubscriptionStore

    real_get = SubscriptionStore.get
    reads: list[object] = []

    async def slow_get(self: SubscriptionStore, channel: ChannelRef) -> object:
        reads.append(channel)
        await asyncio.sleep(0.5)
        return await real_get(self, channel)

    monkeypatch.setattr(surfaces_module, "OPEN_SECONDS", 0.3)  # the check alone (0.5 s, within its 1 s) is past it
    monkeypatch.setattr(SubscriptionStore, "get", slow_get)
    fake = discord_bot.fake
    forum = ChannelRef("discord", FORUM_ID, GUILD_ID)  # in a forum, commands come from its posts: checked first
    await discord_bot.delivery().deliver(forum, DigestOptions(limit=1), date(2026, 6, 1))
    reads.clear()
    await fake.slash("subscribe", channel=next(iter(fake.starters)))
    await fake.wait_for(lambda: fake.answers(4))
    assert fake.answers(4)[-1]["content"].startswith("The form could not open in time. Type it instead:")
    assert fake.answers(9) == []
    assert len(reads) <= 1  # the check's read only: the form's were not begun


async def test_no_form_without_manage_channels(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("subscribe", permissions="0")
    await fake.wait_for(lambda: fake.answers(4))
    assert "Manage Channels" in fake.answers(4)[-1]["content"]
    assert fake.answers(9) == []


async def test_a_form_submitted_without_the_permission_is_refused(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("subscribe")
    await fake.wait_for(lambda: fake.answers(9))
    await fake.submit_modal({"topics": "diffusion"}, permissions="0")
    assert "Manage Channels" in shown(await followup(discord_bot))
    assert await discord_bot.subscriptions.get(ChannelRef("discord", TEXT_ID)) is None


@pytest.mark.slow
async def test_a_form_and_its_fix_button_seen_by_two_replicas_are_answered_once_without_errors(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Every replica's gateway session gets the submission and the click, and each can answer them
    from what they carry: the one Discord takes first answers, the other lets it be (as a command's
    defer does), with no "Ignoring exception in on_interaction" traceback."""
    fake = discord_bot.fake
    typed = {"topics": "agents", "time": "9.30", "timezone": "", "days": "", "limit": ""}
    await fake.submit_modal(typed, form="paperboy:form:daily")
    await fake.wait_for(lambda: fake.answers(4))
    await fake.replay()
    [button] = [b for row in fake.answers(4)[-1]["components"] for b in row["components"]]
    await fake.click(button["custom_id"], on=fake.response_messages[-1])
    await fake.wait_for(lambda: fake.answers(9))
    await fake.replay()
    await asyncio.sleep(0.3)  # the replayed ones' answers tried, and refused by Discord
    assert len(fake.acknowledged) == 2  # the submission and the click, each answered once
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_topic_with_an_at_is_searched_as_the_keyword_reads(discord_bot: DiscordBot) -> None:
    """A keyword such as "pass@k" is offered with an inert @ in its name (Discord shows the name), and
    the keyword itself as its value: picking it searches for "pass@k", not for an altered text."""
    await discord_bot.store.save_papers(
        [Paper(arxiv_id="2606.00777", title="Sampling budgets", ai_keywords=("pass@k", "@everyone keyword"))]
    )
    await discord_bot.suggestions.refresh()
    found = {c["value"]: c["name"] for c in await choices(discord_bot, "search", "topic", "pass@")}
    assert found.get("pass@k") == "pass@\u200bk"
    found = {c["value"]: c["name"] for c in await choices(discord_bot, "search", "topic", "@every")}
    assert found.get("@everyone keyword") == "@\u200beveryone keyword"
    await discord_bot.fake.slash("search", {"topic": "@everyone keyword"})  # the value picked, echoed inert
    message = await followup(discord_bot)
    assert message["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in shown(message) and "@\u200beveryone keyword" in shown(message)


def test_what_was_typed_is_shown_without_fields_of_blanks_alone() -> None:
    """A field typed as spaces alone went into the refusal's embed as such (Discord long refused a field of
    blanks with a 400, losing what was typed); read back, the form is as typed but for them."""
    from adapters.discord.surfaces import typed_embed, typed_form
    from bot.surfaces.forms import SubscribeForm

    embed = typed_embed(SubscribeForm(topics="  diffusion ", time="   ", timezone=" ", days="mon-fri", limit="0"))
    assert embed.description == "diffusion"
    assert [f.value for f in embed.fields] == ["mon-fri", "0"]  # the time and the zone left out
    message = discord.Message.__new__(discord.Message)
    message.embeds = [embed]
    assert typed_form(message, "daily") == SubscribeForm(topics="diffusion", days="mon-fri", limit="0")
