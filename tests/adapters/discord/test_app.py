"""`/papers` as INTERACTION_CREATE, the Share button, and mentions, through the real discord.py client."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from datetime import date
from typing import Any

import pytest

from adapters.discord.app import PaperBot
from adapters.discord.connection import DiscordRuntime, application_id, token_fault
from bot.app.cli.serving import _reconnecting
from bot.store.papers import PaperStore
from tests.adapters.discord.conftest import DiscordBot
from tests.chat.world import chat_service
from tests.fakes.discord import BOT_ID, BOT_ROLE_ID, DM_ID, GUILD_ID, TEXT_ID, FakeDiscord


@pytest.mark.slow
async def test_login_and_ready(discord_bot: DiscordBot) -> None:
    assert discord_bot.bot.user is not None
    assert str(discord_bot.bot.user.id) == BOT_ID
    guild = discord_bot.bot.guilds[0]
    assert {c.name for c in guild.channels} == {"papers", "paper-forum", "lounge", "tagged"}
    synced = [s for s in discord_bot.fake.sent if s.method == "PUT" and s.path.endswith("/commands")]
    assert synced
    assert synced[0].body[0]["name"] == "papers"


@pytest.mark.slow
async def test_with_guilds_listed_the_command_is_theirs_and_global_for_direct_messages_only(
    fake_discord: FakeDiscord, june_store: PaperStore
) -> None:
    """Discord offers a guild's commands in that guild alone: `follow` lives in a DM with the bot."""
    bot = PaperBot(chat_service(june_store), guilds=(int(GUILD_ID),), guild_ready_timeout=0.05)
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    try:
        synced = {s.path: s.body for s in fake_discord.sent if s.method == "PUT" and s.path.endswith("/commands")}
    finally:
        await runtime.stop()
    [in_guild] = [body for path, body in synced.items() if f"/guilds/{GUILD_ID}/" in path]
    [everywhere] = [body for path, body in synced.items() if "/guilds/" not in path]
    assert [c["name"] for c in in_guild] == [c["name"] for c in everywhere] == ["papers"]
    assert everywhere[0]["contexts"] == [1]  # BOT_DM: not offered again in the listed servers
    assert in_guild[0].get("contexts") in (None, [0, 1, 2])


async def test_a_listed_server_the_bot_is_not_in_is_said_and_passed_over(
    fake_discord: FakeDiscord, june_store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord refuses a command sync in a server the bot is not in (403, 50001): it stopped `paperboy run`,
    Slack too, with discord.py's traceback; `[discord] guilds` was named nowhere."""
    fake_discord.fail(
        rf"PUT /applications/\d+/guilds/{GUILD_ID}/commands", 403, {"message": "Missing Access", "code": 50001}
    )
    bot = PaperBot(chat_service(june_store), guilds=(int(GUILD_ID),), guild_ready_timeout=0.05)
    runtime = DiscordRuntime(bot, "fake-token")
    with caplog.at_level(logging.WARNING, logger="paperboy"):
        await runtime.start(within=10)
        try:
            synced = [s.path for s in fake_discord.sent if s.method == "PUT" and s.path.endswith("/commands")]
        finally:
            await runtime.stop()
    assert any("/guilds/" not in path for path in synced)  # registered globally all the same
    [said] = [r.getMessage() for r in caplog.records if "is not registered" in r.getMessage()]
    assert said.startswith(f"`/papers` is not registered in the server {GUILD_ID} ([discord] guilds): Discord refused")
    assert "invite it there (`paperboy discord-invite`), or take the id out of guilds; paperboy runs on" in said


@pytest.mark.parametrize("token", ["…", "é.x.y", "not base64 at all"])
def test_a_token_that_names_no_application_is_none(token: str) -> None:
    assert application_id(token) is None  # "…", the README's placeholder, raised a ValueError's traceback


def test_a_token_that_cannot_be_a_bots_is_said_before_discord_is_asked() -> None:
    """A Slack token pasted into DISCORD_TOKEN waited for Discord's 401, which never came offline or
    with Discord out of reach: `run` tried again for ever. Its shape is said at start; never the token."""
    assert token_fault("MTIz.abc.def", "DISCORD_TOKEN") is None
    slack = token_fault("xoxb-1234-5678-secret", "DISCORD_TOKEN")
    assert slack is not None and slack.startswith("DISCORD_TOKEN holds a Slack token (it starts xoxb-)")
    assert "secret" not in slack
    assert token_fault("Bot MTIz.abc.def", "[discord] token in p.toml") == (
        "[discord] token in p.toml begins with “Bot ”: set the token alone (paperboy adds that word itself)"
    )
    for token in ("MTIz", "MTIz.abc", "…", "abc.def.ghi", "MTIz.a.b.c"):
        fault = token_fault(token, "DISCORD_TOKEN")
        assert fault is not None and fault.startswith("DISCORD_TOKEN is not a Discord bot token"), token


async def test_search_is_deferred_then_followed_up(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    started = time.monotonic()
    await fake.slash("search", {"topic": "speculative decoding"})
    await fake.wait_for(lambda: fake.callbacks())
    assert time.monotonic() - started < 3.0
    assert fake.callbacks()[0].body["type"] == 5  # deferred
    assert fake.callbacks()[0].body["data"]["flags"] & 64  # ephemeral
    await fake.wait_for(lambda: fake.followups())
    answer = fake.followups()[0]
    assert "Papers on “speculative decoding”" in answer["content"]
    assert 1 <= len(answer["embeds"]) <= 5
    assert answer["components"][0]["components"][0]["custom_id"].startswith("share:")


async def test_a_search_for_nothing_says_what_topic_wants(discord_bot: DiscordBot) -> None:
    """`topic:"   "` was answered with the whole help, never saying the topic was empty."""
    fake = discord_bot.fake
    await fake.slash("search", {"topic": "   "})
    await fake.wait_for(lambda: fake.followups())
    assert "`topic:` needs words to look for, such as `topic:speculative decoding`." in fake.followups()[0]["content"]


async def test_a_search_topic_asking_of_a_paper_is_answered_as_the_typed_question(discord_bot: DiscordBot) -> None:
    """Discord has no `/papers cite`: `topic:cite 2605.29307` said "No papers match" of a stored paper."""
    await discord_bot.fake.slash("search", {"topic": "cite 2605.29307"})
    assert "@misc{salemi2026grepseek" in shown(await answer(discord_bot))


async def answer(discord_bot: DiscordBot, count: int = 1) -> dict[str, object]:
    await discord_bot.fake.wait_for(lambda: len(discord_bot.fake.followups()) >= count)
    return discord_bot.fake.followups()[count - 1]


def shown(message: dict[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False)


async def test_today(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("today")
    message = await answer(discord_bot)
    assert "Daily Papers · Wednesday 3 June 2026" in str(message["content"])
    assert len(message["embeds"]) == 5  # type: ignore[arg-type]
    assert "The day has 23 papers: `/papers today top:50` shows them all." in shown(message)  # as Discord takes it


async def test_today_takes_another_day(discord_bot: DiscordBot) -> None:
    """`date:` names the listing day (the store holds 1 to 3 June); one that is no day says how to write it."""
    await discord_bot.fake.slash("today", {"date": "2026-06-02", "top": 2})
    message = await answer(discord_bot)
    assert "Daily Papers · Tuesday 2 June 2026" in str(message["content"])
    assert len(message["embeds"]) == 2  # type: ignore[arg-type]
    assert "`/papers today date:2026-06-02 top:50` shows them all." in shown(message)
    await discord_bot.fake.slash("today", {"date": "last friday"})  # NOW is Wednesday 3 June 2026
    friday = await answer(discord_bot, 2)
    assert "Friday 29 May 2026 is not in the store" in str(friday["content"])
    await discord_bot.fake.slash("today", {"date": "next friday"})
    refused = await answer(discord_bot, 3)
    assert "'next friday' is not a day: write it as 2026-08-20, `aug 20`, `friday` or `yesterday`." in str(
        refused["content"]
    )


async def test_today_takes_how_many_papers(discord_bot: DiscordBot) -> None:
    """Past the digest's number (5 here) a day's other papers were out of reach in chat."""
    await discord_bot.fake.slash("today", {"top": 12})
    messages = [await answer(discord_bot, n) for n in (1, 2)]
    assert [len(m["embeds"]) for m in messages] == [10, 2]  # type: ignore[arg-type]
    assert "12 of 23 papers" in shown(messages[0])


@pytest.mark.parametrize("digest_limit", [50])
async def test_today_with_more_cards_than_a_message_holds_comes_in_three(discord_bot: DiscordBot) -> None:
    """3 June 2026 lists 23 papers; a message holds ten embeds: three follow-ups, numbered on."""
    await discord_bot.fake.slash("today")
    messages = [await answer(discord_bot, n) for n in (1, 2, 3)]
    assert [len(m["embeds"]) for m in messages] == [10, 10, 3]  # type: ignore[arg-type]
    assert "**Daily Papers · Wednesday 3 June 2026 (continued)**" in str(messages[2]["content"])
    titles = [e["title"] for m in messages for e in m["embeds"]]  # type: ignore[attr-defined]
    assert [t.split(".")[0] for t in titles] == [str(n) for n in range(1, 24)]
    assert "…and " not in shown(messages[0]) + shown(messages[2])
    assert all(m["flags"] & 64 for m in messages)  # type: ignore[operator]  # ephemeral


async def test_paper_by_id(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("paper", {"id": "https://huggingface.co/papers/2605.29307"})
    message = await answer(discord_bot)
    embed = message["embeds"][0]  # type: ignore[index]
    assert embed["title"].startswith("GrepSeek")
    assert embed["url"] == "https://huggingface.co/papers/2605.29307"
    assert "[PDF](https://arxiv.org/pdf/2605.29307)" in embed["description"]


async def test_subscribe_needs_manage_channels(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("subscribe", {"topics": "diffusion"}, permissions="0")
    assert "Manage Channels" in shown(await answer(discord_bot))
    assert await discord_bot.subscriptions.all() == []


@pytest.mark.slow
async def test_subscribe_settings_unsubscribe(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash(
        "subscribe", {"topics": "diffusion, robotics", "time": "8:00", "timezone": "America/New_York", "top": 4}
    )
    assert "This channel is subscribed" in shown(await answer(discord_bot))
    [saved] = await discord_bot.subscriptions.all()
    assert (saved.channel.channel, saved.topics, saved.time, saved.timezone, saved.limit) == (
        TEXT_ID,
        ("diffusion", "robotics"),
        "08:00",
        "America/New_York",
        4,
    )
    await fake.slash("settings")
    assert "Next digest: Wednesday 3 June, 08:00 EDT" in shown(await answer(discord_bot, 2))
    await fake.slash("preview")
    previewed = shown(await answer(discord_bot, 3))
    assert "Preview · Daily Papers" in previewed and "A preview: nothing was posted." in previewed
    await fake.slash("unsubscribe")
    assert "Unsubscribed" in shown(await answer(discord_bot, 4))
    assert await discord_bot.subscriptions.all() == []


async def test_a_bad_timezone_gets_a_hint(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("subscribe", {"timezone": "America/NewYork"})
    assert "Did you mean America/New\\\\_York?" in shown(await answer(discord_bot))  # markdown-escaped


async def test_help(discord_bot: DiscordBot) -> None:
    await discord_bot.fake.slash("help")
    assert "/papers search topic:" in shown(await answer(discord_bot))


async def test_share_posts_the_card_and_opens_its_thread(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.click("share:2605.29307")
    assert "Shared “GrepSeek" in shown(await answer(discord_bot))
    [card] = fake.posts_in(TEXT_ID)
    assert card["embeds"][0]["title"].startswith("GrepSeek")
    [thread] = [s for s in fake.sent if s.path.endswith("/threads")]
    assert thread.body["name"].startswith("GrepSeek")
    thread_id = thread.path.split("/")[-2]
    [seed] = fake.posts_in(thread_id)
    assert seed["embeds"][0]["description"].startswith("Large Language Model")
    assert await discord_bot.ledger.thread_paper("discord", None, thread_id) == "2605.29307"


async def test_a_double_click_on_share_posts_the_card_once_and_points_the_second_to_it(discord_bot: DiscordBot) -> None:
    """Two clicks on Share at once (two interactions): one card and one thread, not two."""
    fake = discord_bot.fake
    await asyncio.gather(fake.click("share:2605.29307"), fake.click("share:2605.29307"))
    await answer(discord_bot, 2)
    said = sorted(str(m["content"]) for m in fake.followups())
    assert said[0].startswith("Shared “GrepSeek")
    assert said[1].startswith("“GrepSeek")
    assert said[1].endswith("” was shared here a moment ago: its thread is open for discussion.")
    assert len(fake.posts_in(TEXT_ID)) == 1
    assert len([s for s in fake.sent if s.path.endswith("/threads")]) == 1


VIEW_AND_COMMANDS = str(1 << 10 | 1 << 31)  # an announcements channel: no Send Messages


async def test_share_is_for_people_who_may_post_in_the_channel(discord_bot: DiscordBot) -> None:
    """A Share posts in the clicker's name: not in a channel where they cannot send messages, and their
    search there offers no Share button."""
    fake = discord_bot.fake
    await fake.slash("search", {"topic": "diffusion"}, permissions=VIEW_AND_COMMANDS)
    found = shown(await answer(discord_bot))
    assert '"save:' in found and '"share:' not in found
    await fake.click("share:2605.29307", permissions=VIEW_AND_COMMANDS)
    assert "You can't send messages here" in shown(await answer(discord_bot, 2))
    assert fake.posts_in(TEXT_ID) == []
    await fake.click("share:2605.29307", channel=DM_ID, in_guild=False)  # a DM carries no permissions: theirs
    assert "You can't send messages here" not in shown(await answer(discord_bot, 3))


@pytest.mark.slow
async def test_subscribe_where_the_bot_cannot_post_says_what_to_give_it(discord_bot: DiscordBot) -> None:
    """Discord sends the bot's own permissions with each interaction: a digest it could not post is
    refused at once, naming what its role lacks, and no form opens for it."""
    fake = discord_bot.fake
    fake.app_permissions = str(1 << 10)  # View Channel only
    await fake.slash("subscribe", {"topics": "diffusion"})
    said = shown(await answer(discord_bot))
    assert "I can't post a digest in this channel, so it would never arrive: give my role Embed Links, " in said
    assert "Send Messages, Create Public Threads and Send Messages in Threads here" in said
    await fake.slash("subscribe")  # bare: the same answer, not a form
    assert "I can't post a digest in this channel" in shown(await answer(discord_bot, 2))
    assert fake.answers(9) == []
    assert await discord_bot.subscriptions.all() == []


async def shared_thread(discord_bot: DiscordBot) -> str:
    """GrepSeek shared in the channel: its thread's id."""
    fake = discord_bot.fake
    await fake.click("share:2605.29307")
    await answer(discord_bot)
    return next(s for s in fake.sent if s.path.endswith("/threads")).path.split("/")[-2]


async def asked(discord_bot: DiscordBot, question: str) -> tuple[str, dict[str, Any]]:
    """`question` asked of the bot in a shared paper's thread: the thread's id and the bot's answer."""
    fake = discord_bot.fake
    thread_id = await shared_thread(discord_bot)
    await fake.mention(thread_id, f"<@{BOT_ID}> {question}")
    await fake.wait_for(lambda: len(fake.posts_in(thread_id)) == 2)
    return thread_id, fake.posts_in(thread_id)[1]


async def test_a_mention_in_a_paper_thread_answers_there(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    thread_id, reply = await asked(discord_bot, "cite")
    assert "@misc{salemi2026grepseek" in reply["content"]
    await fake.mention(thread_id, "no mention here")
    await fake.mention(TEXT_ID, f"<@{BOT_ID}> summary")
    await fake.wait_for(lambda: len(fake.posts_in(TEXT_ID)) == 2)
    assert "only discuss papers in their own threads" in fake.posts_in(TEXT_ID)[1]["content"]
    assert len(fake.posts_in(thread_id)) == 2


async def test_a_mention_citing_more_than_a_message_holds_attaches_them_all(discord_bot: DiscordBot) -> None:
    """`@paperboy cite A and B … and J` in a thread gave four entries and "…and 6 more: a reply holds no
    more", where the command attaches `citations.bib` (QA s77)."""
    papers = await discord_bot.store.listing(await discord_bot.store.latest_day() or date(2026, 6, 3))
    many = [p.arxiv_id for p in papers[:10]]
    assert len(many) == 10
    _, reply = await asked(discord_bot, "cite " + " and ".join(many))
    bib = reply["_files"]["citations.bib"]
    assert all(f"{{{arxiv_id}}}" in bib for arxiv_id in many)
    assert "All 10 entries are in the attached `citations.bib`." in reply["content"]


@pytest.mark.slow
async def test_save_in_a_mention_puts_the_threads_paper_on_the_asker_s_reading_list(discord_bot: DiscordBot) -> None:
    """`@paperboy save` got the one-line help: the Save button and the bookmark were the only ways."""
    from bot.store.reading import Person
    from tests.fakes.discord import HUMAN_ID

    _, reply = await asked(discord_bot, "save")
    assert "Saved “GrepSeek" in reply["content"] and "`/papers saved` shows it" in reply["content"]
    lists = discord_bot.community.lists
    assert [s.arxiv_id for s in await lists.saved(Person("discord", GUILD_ID, HUMAN_ID))] == ["2605.29307"]


@pytest.mark.slow
async def test_related_papers_in_a_thread_carry_save_buttons(discord_bot: DiscordBot) -> None:
    _, reply = await asked(discord_bot, "related")
    buttons = [b for row in reply["components"] for b in row["components"]]
    assert buttons and len(buttons) == len(reply["embeds"])
    assert all(b["custom_id"].startswith("save:") for b in buttons)


@pytest.mark.parametrize(
    ("unasked", "asked"),
    [
        # Discord's Reply pings the replied-to author: the bot is in `mentions`, though the text never names it
        (("Who else tried this? Looks like a neat trick", True), f"<@{BOT_ID}> code"),
        # typing @paperboy offers the bot's user and the role Discord made for it: either one asks, another role not
        ((f"<@&{GUILD_ID}> code please", False), f"<@&{BOT_ROLE_ID}> code"),
    ],
)
async def test_only_a_message_naming_the_bot_or_its_role_asks_it(
    discord_bot: DiscordBot, unasked: tuple[str, bool], asked: str
) -> None:
    fake = discord_bot.fake
    thread_id = await shared_thread(discord_bot)
    await fake.wait_for(lambda: len(fake.posts_in(thread_id)) == 1)
    text, pinged = unasked
    await fake.mention(thread_id, text, pinged=pinged)
    await fake.mention(thread_id, asked)  # a question after it
    await fake.wait_for(lambda: len(fake.posts_in(thread_id)) == 2)
    assert "github.com" in fake.posts_in(thread_id)[1]["content"]
    assert len(fake.posts_in(thread_id)) == 2


async def test_every_message_disables_mentions(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("search", {"topic": "diffusion"})
    await answer(discord_bot)
    await fake.click("share:2605.29307")
    await answer(discord_bot, 2)
    created = fake.messages()
    carrying = 0
    for sent in created:
        body = sent.body
        if sent.path.endswith("/callback"):
            body = body.get("data") or {}
        elif sent.path.endswith("/threads") and "message" in body:
            body = body["message"]  # a forum post's first message
        if not (body.get("content") or body.get("embeds")):
            continue  # a deferral, or a thread opened from an existing message: no message of its own
        carrying += 1
        assert body.get("allowed_mentions") == {"parse": []}, sent.path
    assert carrying >= 4


async def test_an_interaction_seen_by_two_replicas_is_answered_once(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("help")
    await answer(discord_bot)
    await fake.replay()  # what another replica's gateway session receives too
    await fake.slash("today")  # a later interaction is still answered
    await answer(discord_bot, 2)
    assert len(fake.acknowledged) == 2
    assert len(fake.followups()) == 2


async def test_share_where_the_bot_may_not_post_says_why(discord_bot: DiscordBot) -> None:
    discord_bot.fake.fail(rf"POST /channels/{TEXT_ID}/messages$", 403, {"message": "Missing Access", "code": 50001})
    await discord_bot.fake.click("share:2605.29307")
    said = str((await answer(discord_bot))["content"])
    assert said == "I can't post here: the bot cannot see this channel: give its role View Channel here, or invite it."
    assert await discord_bot.ledger.thread_paper("discord", None, TEXT_ID) is None


PASTED = "2606.01249"  # Trust Region On-Policy Distillation, in the june store


@pytest.mark.parametrize(
    ("command", "option", "typed", "said"),
    [
        ("paper", "id", f"{PASTED}.", "Trust Region On-Policy Distillation"),
        ("paper", "id", f"({PASTED})", "Trust Region On-Policy Distillation"),
        ("paper", "id", f"arXiv:{PASTED}v2,", "Trust Region On-Policy Distillation"),
        ("paper", "id", f"doi:10.48550/arXiv.{PASTED}", "Trust Region On-Policy Distillation"),
        ("search", "topic", PASTED, "Trust Region On-Policy Distillation"),
        ("search", "topic", f"https://arxiv.org/abs/{PASTED}", "Trust Region On-Policy Distillation"),
        ("search", "topic", "https://arxiv.org/abs/9999.99999", "names no paper"),
        ("save", "id", f"arXiv {PASTED}", "Saved"),
    ],
)
async def test_a_pasted_id_or_link_is_read_as_slacks_papers_reads_it(
    discord_bot: DiscordBot, command: str, option: str, typed: str, said: str
) -> None:
    """`/papers paper id:2606.01249.` (a sentence's full stop) was refused as no arXiv id, `search topic:` an id
    or a link searched its words (five unrelated papers), `save id:arXiv 2606.01249` refused: Slack's `/papers`
    took each."""
    await discord_bot.fake.slash(command, {option: typed})
    assert said in shown(await answer(discord_bot))


def test_discords_reconnect_traceback_is_one_line() -> None:
    try:
        raise ConnectionRefusedError("Connect call failed ('127.0.0.1', 9)")
    except ConnectionRefusedError:
        record = logging.LogRecord(
            "discord.client", logging.ERROR, "", 0, "Attempting a reconnect in %.2fs", (1.95,), sys.exc_info()
        )
    assert _reconnecting(record) and record.exc_info is None and record.levelname == "WARNING"
    assert record.getMessage() == (
        "Discord's gateway connection failed (ConnectionRefusedError: Connect call failed ('127.0.0.1', 9));"
        " tried again in 1.95s"
    )
