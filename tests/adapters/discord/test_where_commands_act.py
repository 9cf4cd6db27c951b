"""A command run in a forum's post (the only place a forum takes commands) acts on the forum; any other
thread is a channel of its own; `subscribe`'s options read as the typed command reads them; a shared card
belongs to its server (what `paperboy forget` erases)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.delivery.digest import DigestOptions
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.tables import paper_messages, threads
from bot.store.workspaces import forget
from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import FORUM_ID, GUILD_ID, TAGGED_FORUM_ID, TEXT_ID, FakeDiscord

BEA = "1000000000000000004"
FORUM = ChannelRef("discord", FORUM_ID, GUILD_ID)


async def forum_post(bot: DiscordBot) -> str:
    """The forum subscribed, and its first post (a thread) made by a delivery."""
    delivery = bot.delivery()
    await bot.subscriptions.save(Subscription(channel=FORUM, topics=(), limit=1))
    assert (await delivery.deliver(FORUM, DigestOptions(limit=1), date(2026, 6, 1))).outcome == "posted"
    return str(next(c["id"] for c in bot.fake.channels.values() if c.get("parent_id") == FORUM_ID))


async def test_settings_and_subscribe_in_a_forum_post_are_the_forums(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    post = await forum_post(discord_bot)
    await fake.slash("settings", channel=post)
    await fake.wait_for(lambda: fake.followups())
    assert "no daily digest" not in fake.followups()[-1]["content"]
    await fake.slash("subscribe", {"topics": "robotics"}, channel=post)
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    [forum] = await discord_bot.subscriptions.all()  # the post got no digest of its own
    assert (forum.channel.channel, forum.topics) == (FORUM_ID, ("robotics",))


async def test_top_in_a_forum_post_counts_the_forums_votes(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    post = await forum_post(discord_bot)
    await fake.react(post, post)
    await fake.say(post, user=BEA)
    deadline = time.monotonic() + 30  # gateway events are handled on their own time
    while (
        not (engaged := await discord_bot.community.engagement.top(FORUM, None, None, 10))
        or min(engaged[0].reactions, engaged[0].replies) < 1
    ):
        assert time.monotonic() < deadline, f"counted {engaged}"
        await asyncio.sleep(0.02)
    await fake.slash("top", {"period": "all"}, channel=post)
    await fake.wait_for(lambda: fake.followups())
    assert fake.followups()[-1].get("embeds")


async def test_a_quoted_topic_keeps_its_comma_and_a_zone_may_have_a_space(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.slash("subscribe", {"topics": '"graph neural networks, GNN", robots', "timezone": "America/New York"})
    await fake.wait_for(lambda: fake.followups())
    [saved] = await discord_bot.subscriptions.all()
    assert saved.topics == ("graph neural networks, GNN", "robots")
    assert saved.timezone == "America/New_York"


async def test_forget_erases_the_cards_shared_in_the_server(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    await fake.click("share:2605.29307")
    await fake.wait_for(lambda: fake.followups())
    engine = discord_bot.store.engine
    await forget(engine, "discord", GUILD_ID)
    async with engine.connect() as conn:
        assert (await conn.execute(select(threads.c.channel))).all() == []
        assert (await conn.execute(select(paper_messages.c.channel))).all() == []


async def test_a_thread_of_a_text_channel_is_a_channel_of_its_own(discord_bot: DiscordBot) -> None:
    """A digest kept in a thread is seen and stopped from there (only a forum's posts speak for the forum)."""
    fake = discord_bot.fake
    await fake.click("share:2605.29307")  # a card in the text channel, and its thread
    await fake.wait_for(lambda: fake.followups())
    thread = str(next(c["id"] for c in fake.channels.values() if c.get("parent_id") == TEXT_ID))
    where = ChannelRef("discord", thread, GUILD_ID)
    await discord_bot.subscriptions.save(Subscription(channel=where, topics=("diffusion",)))
    await fake.slash("unsubscribe", channel=thread)
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    assert await discord_bot.subscriptions.get(where) is None


async def test_in_a_papers_thread_the_channels_digest_is_seen_and_changed(discord_bot: DiscordBot) -> None:
    """A thread with no digest of its own speaks for its channel: settings, subscribe and top there are the
    channel's (they made a second digest, posted into the paper's thread)."""
    fake = discord_bot.fake
    text = ChannelRef("discord", TEXT_ID, GUILD_ID)
    await discord_bot.subscriptions.save(Subscription(channel=text, topics=("diffusion",)))
    await fake.click("share:2605.29307")
    await fake.wait_for(lambda: fake.followups())
    thread = str(next(c["id"] for c in fake.channels.values() if c.get("parent_id") == TEXT_ID))
    await fake.slash("settings", channel=thread)
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    assert "diffusion" in fake.followups()[-1]["content"]
    await fake.slash("subscribe", {"topics": "robotics"}, channel=thread)
    await fake.wait_for(lambda: len(fake.followups()) == 3)
    [only] = await discord_bot.subscriptions.all()
    assert (only.channel.channel, only.topics) == (TEXT_ID, ("robotics",))


@pytest.mark.slow
async def test_the_form_in_a_forum_post_is_the_forums(discord_bot: DiscordBot) -> None:
    """Prefilled from, and saved for, the channel the typed command would change: the forum's roundup."""
    from tests.adapters.discord.test_surfaces import modal_inputs

    fake = discord_bot.fake
    post = await forum_post(discord_bot)
    weekly = Subscription(channel=FORUM, topics=("diffusion",), time="16:00", days="fri", limit=5, cadence="weekly")
    await discord_bot.subscriptions.save(weekly)
    await fake.slash("subscribe", channel=post)  # bare: the form
    await fake.wait_for(lambda: fake.answers(9))
    modal = fake.last_modal()
    values = {k: str(v.get("value") or "") for k, v in modal_inputs(modal).items()}
    assert modal["title"] == "Weekly roundup for this channel" and values["topics"] == "diffusion"
    await fake.submit_modal(values | {"limit": "3"}, channel=post)
    await fake.wait_for(lambda: fake.followups())
    [forum] = await discord_bot.subscriptions.all()
    assert (forum.channel.channel, forum.cadence, forum.limit) == (FORUM_ID, "weekly", 3)


async def test_subscribe_in_a_papers_thread_checks_what_the_bot_may_do_in_the_channel(discord_bot: DiscordBot) -> None:
    """Subscribe in a paper's thread is the channel's digest: a bot that may write in threads but not post
    or start threads in the channel is told what its role lacks, not told the channel is subscribed."""
    fake = discord_bot.fake
    await fake.click("share:2605.29307")
    await fake.wait_for(lambda: fake.followups())
    thread = str(next(c["id"] for c in fake.channels.values() if c.get("parent_id") == TEXT_ID))
    fake.app_permissions = str(1 << 10 | 1 << 14 | 1 << 38)  # View Channel, Embed Links, Send Messages in Threads
    await fake.slash("subscribe", {"topics": "robotics"}, channel=thread)
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    said = fake.followups()[-1]["content"]
    assert "I can't post a digest in <#" + TEXT_ID + ">" in said, said
    assert "give my role Send Messages and Create Public Threads" in said
    assert await discord_bot.subscriptions.all() == []
    await fake.slash("subscribe", channel=thread)  # bare: the same answer, not a form
    await fake.wait_for(lambda: len(fake.followups()) == 3)
    assert "Send Messages and Create Public Threads" in fake.followups()[-1]["content"]
    assert fake.answers(9) == []


@pytest.mark.slow
async def test_subscribe_in_a_forum_post_asks_for_what_a_forum_digest_needs(discord_bot: DiscordBot) -> None:
    """A forum digest makes a post per paper and seeds each post's thread with a second message, which
    Discord takes only with Send Messages in Threads: without it the digest's seeds would all fail."""
    fake = discord_bot.fake
    post = await forum_post(discord_bot)
    fake.app_permissions = str(1 << 10 | 1 << 11 | 1 << 14)  # View Channel, Send Messages, Embed Links
    await fake.slash("subscribe", {"topics": "robotics"}, channel=post)
    await fake.wait_for(lambda: fake.followups())
    said = fake.followups()[-1]["content"]
    assert f"I can't post a digest in <#{FORUM_ID}>, so it would never arrive" in said, said
    assert "give my role Send Messages in Threads there" in said
    [forum] = await discord_bot.subscriptions.all()
    assert forum.topics == ()  # as it was


async def test_a_bare_subscribe_in_a_forum_post_is_answered_when_the_store_fails(
    discord_bot: DiscordBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The forum it acts on was looked up before any answer: the store failing there left the interaction
    unanswered ("The application did not respond"), where every other command apologises."""
    fake = discord_bot.fake
    post = await forum_post(discord_bot)

    async def failing(*args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(SubscriptionStore, "get", failing)
    await fake.slash("subscribe", {}, channel=post)
    await fake.wait_for(lambda: fake.followups())
    assert "Sorry, something went wrong" in fake.followups()[-1]["content"]


@pytest.fixture
def moderated_tags(fake_discord: FakeDiscord) -> str:
    """The forum that requires a tag with every tag moderated (before the bot reads the server), and a post."""
    for tag in fake_discord.channels[TAGGED_FORUM_ID]["available_tags"]:
        tag["moderated"] = True
    post = fake_discord.new_id()
    fake_discord._thread(post, TAGGED_FORUM_ID, "Welcome")
    return post


async def test_a_forum_requiring_a_tag_the_bot_may_not_apply_is_refused_at_subscribe(
    moderated_tags: str, discord_bot: DiscordBot
) -> None:
    """Every tag moderated: the subscribe was confirmed, and its first digest stopped, unable to post."""
    fake = discord_bot.fake
    await fake.slash("subscribe", {"topics": "diffusion"}, channel=moderated_tags)
    await fake.wait_for(lambda: fake.followups())
    assert "the forum requires a tag on every post and has none I may apply" in fake.followups()[-1]["content"]
    assert await discord_bot.subscriptions.all() == []
