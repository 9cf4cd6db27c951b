"""Digests to Discord through the real client: a thread per paper, forum posts with tags, errors."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import discord
import pytest

from adapters.discord.render import TOTAL, card_embed, post_message, said, seed_embed
from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.domain.cards import card
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable
from bot.domain.models import Listing, Paper
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef
from bot.store.ledger import Ledger
from tests.adapters.discord.conftest import DiscordBot
from tests.conftest import search_over
from tests.fakes.discord import FORUM_ID, GUILD_ID, TAGGED_FORUM_ID, TAGS, TEXT_ID, VOICE_ID, FakeDiscord
from tests.fakes.publisher import Crash

JUNE_1 = date(2026, 6, 1)
TEXT = ChannelRef("discord", TEXT_ID)
FORUM = ChannelRef("discord", FORUM_ID)
THREADS = rf"POST /channels/{TEXT_ID}/messages/\d+/threads$"


def delivery(bot: DiscordBot) -> DigestDelivery:
    return bot.delivery()


async def test_a_text_channel_gets_a_header_then_a_message_and_thread_per_paper(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "posted"
    header, *cards = fake.posts_in(TEXT_ID)
    assert header["content"].startswith("**Daily Papers · Monday 1 June 2026**")
    assert len(cards) == 3
    threads = [
        s for s in fake.sent if s.path.startswith(f"/channels/{TEXT_ID}/messages/") and s.path.endswith("/threads")
    ]
    assert len(threads) == 3
    assert all(1 <= len(t.body["name"]) <= 100 for t in threads)
    for thread in threads:
        thread_id = thread.path.split("/")[-2]
        [seed] = fake.posts_in(thread_id)
        assert seed["embeds"][0]["fields"]
    again = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert again.outcome == "already"
    assert len(fake.posts_in(TEXT_ID)) == 4


@pytest.mark.slow
async def test_a_forum_gets_one_tagged_post_per_paper_and_no_header(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    result = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=49), JUNE_1)
    assert result.outcome == "posted"
    assert fake.posts_in(FORUM_ID) == []
    posts = [s for s in fake.sent if s.path == f"/channels/{FORUM_ID}/threads"]
    assert len(posts) == 49
    tagged = [p for p in posts if p.body.get("applied_tags")]
    assert tagged  # some of the day's papers are about reinforcement learning or diffusion
    names = {TAGS[t] for p in tagged for t in p.body["applied_tags"]}
    assert names <= set(TAGS.values())
    rl = next(p for p in tagged if "1000000000000000032" in p.body["applied_tags"])
    arxiv_id = rl.body["message"]["embeds"][0]["url"].rsplit("/", 1)[1]
    paper = await discord_bot.store.get(arxiv_id)
    assert paper is not None
    assert "reinforcement" in " ".join((paper.title, paper.ai_summary or "", *paper.ai_keywords)).lower()
    forum_threads = [c["id"] for c in fake.channels.values() if c.get("parent_id") == FORUM_ID]
    assert len(forum_threads) == 49
    assert await discord_bot.ledger.thread_paper("discord", None, forum_threads[0]) is not None


async def test_a_forum_that_requires_tags_gets_one_on_every_post(discord_bot: DiscordBot) -> None:
    """Discord refuses an untagged post there (40067): a paper matching none gets the forum's first tag."""
    fake = discord_bot.fake
    forum = ChannelRef("discord", TAGGED_FORUM_ID)
    assert (await delivery(discord_bot).deliver(forum, DigestOptions(limit=5), JUNE_1)).outcome == "posted"
    posts = [s for s in fake.sent if s.path == f"/channels/{TAGGED_FORUM_ID}/threads"]
    assert len(posts) == 5 and all(p.body.get("applied_tags") for p in posts)


async def test_a_voice_channel_s_chat_gets_cards_that_stand_alone(discord_bot: DiscordBot) -> None:
    """No thread can start from a message there (50024): each card is posted once, without a thread,
    where it kept failing and posting its first card again."""
    fake = discord_bot.fake
    voice = ChannelRef("discord", VOICE_ID)
    assert (await delivery(discord_bot).deliver(voice, DigestOptions(limit=3), JUNE_1)).outcome == "posted"
    assert len(fake.posts_in(VOICE_ID)) == 1 + 3
    assert not [s for s in fake.sent if s.path.endswith("/threads")]


@pytest.mark.slow
async def test_429_is_retried_by_discord_py(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    fake.rate_limit(rf"POST /channels/{TEXT_ID}/messages$", 0.3)
    started = time.monotonic()
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "posted"
    assert time.monotonic() - started >= 0.3
    assert len(fake.posts_in(TEXT_ID)) == 1 + 2  # the refused header, the header again, the card


async def test_a_rate_limit_longer_than_patience_fails_without_blocking(discord_bot: DiscordBot) -> None:
    discord_bot.fake.rate_limit(rf"POST /channels/{TEXT_ID}/messages$", 120.0)
    started = time.monotonic()
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    assert time.monotonic() - started < 10
    assert result.outcome == "failed"
    assert "rate-limited" in (result.reason or "")


async def test_a_503_fails_the_delivery_saying_discord_is_in_trouble_and_it_is_tried_again(
    discord_bot: DiscordBot,
) -> None:
    """discord.py retries 500, 502, 504 and 524, not 503: it was "Discord refused a post to …: 503 " (QA s72)."""
    discord_bot.fake.fail(rf"POST /channels/{TEXT_ID}/messages$", 503, {"message": "Service Unavailable"})
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "failed"
    assert result.reason == (
        f"Discord answered HTTP 503 to a post in discord:{TEXT_ID} (Discord is having trouble): the delivery is"
        " tried again later"
    )
    assert (await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)).outcome == "posted"


async def test_403_missing_access_stops_delivery(discord_bot: DiscordBot) -> None:
    discord_bot.fake.fail(rf"POST /channels/{TEXT_ID}/messages$", 403, {"message": "Missing Access", "code": 50001})
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "stopped"
    assert result.reason == (
        "403 missing access (Missing Access): the bot cannot see this channel: give its role View Channel here, "
        "or invite it"
    )
    assert len(discord_bot.fake.posts_in(TEXT_ID)) == 1


async def test_403_of_a_person_who_takes_no_direct_messages_says_so(discord_bot: DiscordBot) -> None:
    """A follow's digest refused by the person's settings: Discord's words alone were all it said."""
    text = "Cannot send messages to this user"
    discord_bot.fake.fail(rf"POST /channels/{TEXT_ID}/messages$", 403, {"message": text, "code": 50007})
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "stopped"
    assert (result.reason or "").startswith(f"403 missing access ({text}): the person takes no direct messages")


async def test_no_right_to_start_threads_leaves_the_cards_standing_alone_and_says_so(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The card is out when its thread is refused: the digest was stopped there, its card not written down,
    and on resuming (past Discord's nonce window) the card was posted a second time. Now each card is
    recorded standing alone, and the log names the permission, once."""
    fake = discord_bot.fake
    for _ in range(3):
        fake.fail(THREADS, 403, {"message": "Missing Permissions", "code": 50013})
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "posted" and result.papers == 3
    refused = [r.getMessage() for r in caplog.records if "refused the bot a card's discussion thread" in r.getMessage()]
    assert len(refused) == 1 and "Create Public Threads" in refused[0]
    for messages in fake.stored.values():  # hours later, Discord no longer answers a nonce with its message
        for message in messages:
            message.pop("nonce", None)
    again = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1, retry_stopped=True)
    assert again.outcome == "already"
    cards = [m["embeds"][0]["url"] for m in fake.posts_in(TEXT_ID) if m.get("embeds")]
    assert len(cards) == len(set(cards)) == 3


async def test_a_thread_the_bot_may_not_post_in_leaves_the_cards_without_their_details_and_says_so(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot's role may start threads but not post in them (Send Messages in Threads): the first card's
    details were refused with 403 50013, and the digest stopped after one card, the channel's schedule with
    it, where a refused thread leaves the cards standing alone. Now every card goes out, the log says why once."""
    for _ in range(3):
        discord_bot.fake.fail(
            rf"POST /channels/(?!{TEXT_ID}/)\d+/messages$", 403, {"message": "Missing Permissions", "code": 50013}
        )
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "posted" and result.papers == 3, result.describe()
    assert len([m for m in discord_bot.fake.posts_in(TEXT_ID) if m.get("embeds")]) == 3
    refused = [r.getMessage() for r in caplog.records if "refused the bot a post in a card's thread" in r.getMessage()]
    assert len(refused) == 1 and "Send Messages in Threads" in refused[0]


async def test_a_long_429_on_a_cards_thread_fails_the_digest_as_a_rate_limit(discord_bot: DiscordBot) -> None:
    """discord.py raises RateLimited (no HTTPException) past its patience: it escaped as an unexpected error."""
    discord_bot.fake.rate_limit(THREADS, 120.0)
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "failed" and "rate-limited" in (result.reason or ""), result.reason
    again = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)  # the next tick
    assert again.outcome == "posted"
    assert len([m for m in discord_bot.fake.stored[TEXT_ID] if m.get("embeds")]) == 1  # its nonce: posted once


@pytest.fixture
def moderated(fake_discord: FakeDiscord) -> str:
    """The forum's "reinforcement learning" tag moderated (before the bot connects and reads the forum)."""
    tag = "1000000000000000032"  # some of the day's papers are about reinforcement learning
    for found in fake_discord.channels[FORUM_ID]["available_tags"]:
        found["moderated"] = found["id"] == tag
    return tag


@pytest.mark.slow
async def test_a_forum_post_never_asks_for_a_moderated_tag(moderated: str, discord_bot: DiscordBot) -> None:
    """Only Manage Threads may apply a moderated tag, which the invite does not give: Discord refuses the
    post (403), and the forum's digest was stopped naming permissions the bot has."""
    result = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=49), JUNE_1)
    assert result.outcome == "posted"
    posts = [s.body for s in discord_bot.fake.sent if s.path == f"/channels/{FORUM_ID}/threads"]
    assert len(posts) == 49 and all(moderated not in (p.get("applied_tags") or []) for p in posts)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (160006, "the server has 1,000 active threads, Discord's most: archive some"),
        (200001, "the server's AutoMod blocked the thread's name (the paper's title)"),
    ],
)
async def test_a_thread_discord_will_not_start_leaves_the_card_standing_alone(
    discord_bot: DiscordBot, code: int, said: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The card is out: recorded, never posted again; the digest goes on; the log says why and what to do."""
    thread = rf"POST /channels/{TEXT_ID}/messages/\d+/threads$"
    for _ in range(3):
        discord_bot.fake.fail(thread, 400, {"message": "Refused", "code": code})
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "posted" and result.papers == 3
    cards = [m for m in discord_bot.fake.posts_in(TEXT_ID) if m.get("embeds")]
    assert len(cards) == 3 and len({c["embeds"][0]["title"] for c in cards}) == 3
    assert said in caplog.text and "the card stands alone" in caplog.text
    again = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert again.outcome == "already" and len(discord_bot.fake.posts_in(TEXT_ID)) == 4


async def test_404_unknown_channel_stops_delivery(discord_bot: DiscordBot) -> None:
    gone = ChannelRef("discord", "1999999999999999999")
    result = await delivery(discord_bot).deliver(gone, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "stopped"
    assert result.reason == (  # the cause and the fix, as a 403's (it was Discord's words alone)
        "404 unknown channel (Unknown Channel): no channel has this id now (deleted, or mistyped): subscribe in the"
        " channel meant, or mend the config file"
    )


async def test_403_missing_permissions_is_named_so(discord_bot: DiscordBot) -> None:
    """50013 was labelled "missing access", 50001's name."""
    discord_bot.fake.fail(
        rf"POST /channels/{TEXT_ID}/messages$", 403, {"message": "Missing Permissions", "code": 50013}
    )
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "stopped"
    assert (result.reason or "").startswith("403 missing permissions (Missing Permissions): the bot's role lacks")


def test_embeds_that_would_break_a_limit_are_never_built() -> None:
    huge = Paper(
        arxiv_id="2601.00001",
        title="T" * 500,
        abstract="word " * 3000,
        authors=tuple(f"Author {n}" for n in range(400)),
        organization="O" * 3000,
        ai_summary="S " * 3000,
        ai_keywords=tuple(f"kw{n}" for n in range(300)),
        github_repo="https://github.com/x/y",
    )
    for embed in (card_embed(card(huge)), seed_embed(card(huge))):
        assert len(embed) <= TOTAL
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        assert all(len(f.value or "") <= 1024 for f in embed.fields)
    message = post_message(
        Post(header="H" * 3000, text=("x " * 2000,), cards=tuple(card(huge) for _ in range(12))), share=True
    )
    assert len(message.content) <= 2000
    assert len(message.embeds) <= 10
    assert sum(len(e) for e in message.embeds) <= TOTAL


async def test_hostile_text_is_inert(discord_bot: DiscordBot) -> None:
    hostile = Paper(
        arxiv_id="2606.99999",
        title="@everyone look [here](https://evil.example)",
        authors=("<@1000000000000000003>",),
        upvotes=9999,
        ai_summary="@here **bold** [x](https://evil.example)",
    )
    await discord_bot.store.save_listings([Listing(hostile, JUNE_1, 1)])
    await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    card_post = discord_bot.fake.posts_in(TEXT_ID)[1]
    description = card_post["embeds"][0]["description"]
    assert "](https://evil.example)" not in description.replace("\\]", "")  # masked links are escaped
    assert "\\[x\\](https://evil.example)" in description  # escaped once each: \\[ would free the [
    assert "\\\\[" not in description and "\\\\]" not in description
    assert "@\u200bhere" in description
    assert card_post["allowed_mentions"] == {"parse": []}


def test_a_title_with_markdown_characters_shows_them_as_written() -> None:
    paper = Paper(arxiv_id="2601.00002", title="Q*-Search: *Agents* ~~without~~ __init__ `code` [tags]")
    for embed in (card_embed(card(paper)), seed_embed(card(paper))):
        assert embed.title == r"Q\*-Search: \*Agents\* \~\~without\~\~ \_\_init\_\_ \`code\` \[tags\]"


def test_embed_length_counts_like_discord() -> None:
    embed = discord.Embed(title="a" * 10, description="b" * 20)
    embed.add_field(name="c" * 3, value="d" * 4)
    assert len(embed) == 37


def test_a_reply_quoting_a_title_is_inert_and_fits_a_message() -> None:
    title = "@everyone look [here](https://evil.example) **now** " * 40
    text = said(f"Shared “{title}” here; its thread is open for discussion.")
    assert len(text) <= 2000 and "@\u200beveryone" in text and "@everyone" not in text
    assert "\\[here\\](https://evil.example)" in text and "\\\\[" not in text


class DiesBefore:
    """The bot's publisher, but the process dies when it is about to post `paper`'s card."""

    def __init__(self, inner: Any, paper: str) -> None:
        self._inner, self._paper = inner, paper

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        if card.paper_id == self._paper:
            raise Crash
        result: MessageRef = await self._inner.post_card(channel, card, key)
        return result


async def test_a_resumed_forum_digest_tells_apart_posts_whose_names_are_the_same(discord_bot: DiscordBot) -> None:
    """Two titles sharing their first 100 characters name their forum posts alike: the takeover looks
    for the second paper's post and must not take the first's for it."""
    fake = discord_bot.fake
    prefix = "Scaling Laws for Large Language Model Agents in Open-Ended Multi-Agent Environments: A Study of "
    first = Paper(arxiv_id="2606.90001", title=prefix + "Planning", abstract="A.", upvotes=100000)
    second = Paper(arxiv_id="2606.90002", title=prefix + "Memory", abstract="B.", upvotes=99999)
    await discord_bot.store.save_listings([Listing(first, JUNE_1, 1), Listing(second, JUNE_1, 2)])
    dying = Ledger(discord_bot.store.engine)
    publisher = DiesBefore(discord_bot.bot.publisher, second.arxiv_id)
    store, subscriptions = discord_bot.store, discord_bot.subscriptions
    crashing = DigestDelivery(store, search_over(store), dying, subscriptions, {"discord": publisher})
    with pytest.raises(Crash):
        await crashing.deliver(FORUM, DigestOptions(limit=2), JUNE_1)
    await dying.close()
    later = datetime.now(UTC) + timedelta(minutes=3)  # the dead process's lease has run out
    ledger = Ledger(discord_bot.store.engine)
    resumed = await DigestDelivery(
        discord_bot.store,
        search_over(discord_bot.store),
        ledger,
        discord_bot.subscriptions,
        {"discord": discord_bot.bot.publisher},
        clock=lambda: later,
    ).deliver(FORUM, DigestOptions(limit=2), JUNE_1)
    await ledger.close()
    assert resumed.outcome == "posted"
    posts = [s.body["message"]["embeds"][0]["url"] for s in fake.sent if s.path == f"/channels/{FORUM_ID}/threads"]
    assert [url.rsplit("/", 1)[1] for url in posts] == [first.arxiv_id, second.arxiv_id]


@pytest.mark.parametrize("channel", [TEXT_ID, FORUM_ID, TAGGED_FORUM_ID])
@pytest.mark.slow
async def test_a_weekly_roundup_ends_with_the_most_discussed_in_a_forum_too(
    discord_bot: DiscordBot, channel: str
) -> None:
    """A forum takes posts, not messages: the section is a post of its own (tagged where the forum
    requires a tag), once, where it was dropped. Each paper links its thread in the server (QA F6)."""
    from bot.domain.weeks import week_key
    from tests.roundup.engagement import Card as Engaged
    from tests.roundup.engagement import MemoryEngagement

    where = ChannelRef("discord", channel, GUILD_ID)
    engagement = MemoryEngagement()
    engagement.cards.append(Engaged(where, "2605.29307", datetime(2026, 6, 2, 10, tzinfo=UTC), 5))
    engagement.react(where, "2605.29307", "U1", "U2")
    bot = discord_bot
    thread = MessageRef(channel, "880000000000000001", "880000000000000001")  # last week's card's thread
    at = datetime(2026, 6, 2, 10, tzinfo=UTC)
    await bot.ledger.record_thread("discord", thread, "2606.00042", "digest", at, workspace=GUILD_ID)
    engagement.cards.append(Engaged(where, "2606.00042", at, 1))
    engagement.react(where, "2606.00042", "U3")
    weekly = roundups(bot, engagement, datetime(2026, 6, 5, 16, 5, tzinfo=UTC))
    assert (await weekly.deliver(where, DigestOptions(limit=2), week_key(date(2026, 6, 1)))).outcome == "posted"
    sent = [s for s in bot.fake.sent if s.method == "POST"]
    discussed = [s for s in sent if "Most discussed here this week" in str(s.body)]
    assert len(discussed) == 1
    said = str(discussed[0].body)
    [newest] = (await bot.ledger.newest_threads(where, ["2605.29307"])).values()  # this week's card's
    assert f"replied · thread: https://discord.com/channels/{GUILD_ID}/{newest}" in said
    assert "880000000000000001" not in said  # a thread Discord no longer has: listed without a link
    if channel != TEXT_ID:
        assert discussed[0].path == f"/channels/{channel}/threads"  # a post of the forum's own
        assert discussed[0].body["name"].startswith("Most discussed")


async def test_a_forum_post_of_a_note_is_found_again_by_its_name(discord_bot: DiscordBot) -> None:
    """A roundup resumed after a crash finds the section it posted, rather than posting it twice."""
    publisher = discord_bot.bot.publisher
    since = datetime.now(UTC)
    section = Post(header="Most discussed here this week", text=("1. A paper",))
    posted = await publisher.note(FORUM_ID, section, "2026-05-25:discussed")
    assert posted is not None
    assert await publisher.find(FORUM_ID, "2026-05-25:discussed", since, title=section.header) == posted
    assert await publisher.find(FORUM_ID, "2026-05-25:discussed", since, title="Another week") is None


def forum_posts(bot: DiscordBot, forum: str = FORUM_ID) -> list[dict[str, Any]]:
    """What the bot started in the forum: each post's name and first message."""
    return [s.body for s in bot.fake.sent if s.method == "POST" and s.path == f"/channels/{forum}/threads"]


async def test_a_forum_gets_a_post_saying_why_a_day_has_no_papers(discord_bot: DiscordBot) -> None:
    """A text channel gets a header saying why; a forum got nothing at all (it has no header post), so
    its readers could not tell a day the store lacks from a digest that never ran."""
    lacking = date(2026, 6, 5)  # a Friday no sync fetched: the store has no listing of it
    result = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=3), lacking)
    assert result.outcome == "empty"
    [post] = forum_posts(discord_bot)
    assert post["name"] == "Daily Papers · Friday 5 June 2026"
    assert "not in the store" in post["message"]["content"] and "paperboy sync" in post["message"]["content"]
    assert not post["message"].get("embeds")
    again = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=3), lacking)
    assert again.outcome == "already" and len(forum_posts(discord_bot)) == 1


class DiesAfterHeader:
    """The bot's publisher, but the process dies right after its header reached Discord."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        await self._inner.post_header(channel, post, key)
        raise Crash


async def test_a_forum_header_post_is_found_again_not_posted_twice(discord_bot: DiscordBot) -> None:
    lacking = date(2026, 6, 5)
    store, subscriptions = discord_bot.store, discord_bot.subscriptions
    dying = Ledger(store.engine)
    crashing = DigestDelivery(
        store, search_over(store), dying, subscriptions, {"discord": DiesAfterHeader(discord_bot.bot.publisher)}
    )
    with pytest.raises(Crash):
        await crashing.deliver(FORUM, DigestOptions(limit=3), lacking)
    await dying.close()
    later = datetime.now(UTC) + timedelta(minutes=3)  # the dead process's lease has run out
    ledger = Ledger(store.engine)
    resumed = await DigestDelivery(
        store, search_over(store), ledger, subscriptions, {"discord": discord_bot.bot.publisher}, clock=lambda: later
    ).deliver(FORUM, DigestOptions(limit=3), lacking)
    await ledger.close()
    assert resumed.outcome == "empty"
    assert len(forum_posts(discord_bot)) == 1


async def test_a_forum_roundup_says_in_a_post_which_days_the_store_lacks(discord_bot: DiscordBot) -> None:
    """Its papers are posts of their own, but the line naming the days it left out has no paper to go
    with: the header is a post too, then."""
    from bot.domain.weeks import week_key
    from tests.roundup.engagement import MemoryEngagement

    bot = discord_bot
    weekly = roundups(bot, MemoryEngagement(), datetime(2026, 6, 8, 16, 5, tzinfo=UTC))  # Friday 5 June never fetched
    forum = ChannelRef("discord", FORUM_ID, GUILD_ID)
    assert (await weekly.deliver(forum, DigestOptions(limit=2), week_key(date(2026, 6, 1)))).outcome == "posted"
    header, *papers = forum_posts(bot)
    assert header["name"].startswith("Weekly roundup")
    assert "Friday 5 June" in header["message"]["content"] and "not in the store" in header["message"]["content"]
    assert len(papers) == 2 and all(p["message"]["embeds"] for p in papers)


def roundups(bot: DiscordBot, engagement: Any, now: datetime) -> Any:
    """The weekly roundups' delivery to the bot's Discord, at `now`."""
    from bot.roundup.delivery import RoundupDelivery

    return RoundupDelivery(
        bot.store,
        search_over(bot.store),
        bot.ledger,
        bot.subscriptions,
        {"discord": bot.bot.publisher},
        engagement,
        clock=lambda: now,
    )


@pytest.mark.slow
async def test_a_forum_post_discord_made_but_answered_502_for_is_kept_not_made_twice(discord_bot: DiscordBot) -> None:
    """discord.py sends a request again after a 502; a forum post takes no nonce, so the post Discord
    had made was made a second time. Now the forum's active threads are looked through first."""
    fake = discord_bot.fake
    fake.fail_after_acting(rf"^POST /channels/{FORUM_ID}/threads$", 502)
    result = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "posted"
    posts = forum_posts(discord_bot)
    assert len(posts) == 3  # the first asked for once: found, not asked for again
    assert len({p["name"] for p in posts}) == 3
    threads = [c["id"] for c in fake.channels.values() if c.get("parent_id") == FORUM_ID]
    assert len(threads) == 3
    for thread in threads:  # each card's thread is seeded once, the one made despite the 502 too
        assert len(fake.posts_in(thread)) == 1
        assert await discord_bot.ledger.thread_paper("discord", None, thread) is not None


@pytest.mark.slow
async def test_a_forum_post_discord_did_not_make_after_a_502_is_asked_for_again(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    fake.fail(rf"^POST /channels/{FORUM_ID}/threads$", 502)
    result = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=2), JUNE_1)
    assert result.outcome == "posted"
    asked = forum_posts(discord_bot)
    assert len(asked) == 3 and asked[0]["name"] == asked[1]["name"]  # the first refused, then made
    assert len([c for c in fake.channels.values() if c.get("parent_id") == FORUM_ID]) == 2


@pytest.mark.slow
async def test_a_forum_post_discord_lists_a_moment_after_its_502_is_found_not_made_twice(
    discord_bot: DiscordBot,
) -> None:
    """A 502 may come while Discord is still making the post: the forum is looked through after the
    pause before asking again, not at once, when the post would not show yet."""
    fake = discord_bot.fake
    fake.fail_after_acting(rf"^POST /channels/{FORUM_ID}/threads$", 502, listed_after=0.5)
    result = await delivery(discord_bot).deliver(FORUM, DigestOptions(limit=2), JUNE_1)
    assert result.outcome == "posted"
    assert len(forum_posts(discord_bot)) == 2  # the first asked for once
    assert len([c for c in fake.channels.values() if c.get("parent_id") == FORUM_ID]) == 2


async def test_a_note_refused_in_one_papers_thread_names_that_thread(discord_bot: DiscordBot) -> None:
    """A moderator locked one paper's thread: the refusal named the card's channel, and the living thread
    then stopped following every card in it (bot.roundup.follow stops a channel's cards when it is the
    channel that refuses)."""
    result = await delivery(discord_bot).deliver(TEXT, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "posted"
    thread = next(c["id"] for c in discord_bot.fake.channels.values() if c.get("parent_id") == TEXT_ID)
    discord_bot.fake.fail(rf"POST /channels/{thread}/messages$", 403, {"message": "Thread is locked", "code": 160005})
    with pytest.raises(ChannelUnavailable) as refused:
        await discord_bot.bot.publisher.note(TEXT_ID, Post(header="Code is out"), "note:code", thread=thread)
    assert refused.value.channel == f"discord:{thread}"


async def test_a_thread_is_linked_in_its_server_and_a_direct_message_not_at_all(discord_bot: DiscordBot) -> None:
    from tests.fakes.discord import DM_ID

    publisher = discord_bot.bot.publisher
    post = await publisher.post_card(FORUM_ID, card(Paper(arxiv_id="2606.00001", title="A paper")), "k:card")
    link = await publisher.permalink(post)
    assert link == f"https://discord.com/channels/{GUILD_ID}/{post.thread}" and post.thread != FORUM_ID
    assert await publisher.permalink(MessageRef(FORUM_ID, "55", "880000000000000001")) is None  # gone
    assert await publisher.permalink(MessageRef(DM_ID, "56", "56")) is None  # no server to name
    with pytest.raises(ChannelUnavailable):
        await publisher.permalink(MessageRef("not-a-channel", "57", "57"))
