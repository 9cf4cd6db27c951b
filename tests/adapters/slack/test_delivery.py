"""A digest delivered to Slack through the real slack_sdk client: header, cards, a thread each, once."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from datetime import date

import pytest

from adapters.slack.app import slack_client
from adapters.slack.errors import TOKEN_REFUSALS
from adapters.slack.publisher import APP_REFUSALS, SlackPublisher
from bot.delivery.digest import DigestOptions
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.domain.models import Listing, Paper
from bot.store.workspaces import WORKSPACE_REFUSALS, forgive_refused_token
from tests.adapters.slack.conftest import SlackBot
from tests.conftest import search_over
from tests.fakes.slack import Failure, FakeSlack

CHANNEL = ChannelRef("slack", "C0001", "T0001")
JUNE_1 = date(2026, 6, 1)


def delivery(bot: SlackBot, publisher: SlackPublisher | None = None) -> DigestDelivery:
    return DigestDelivery(
        bot.store, search_over(bot.store), bot.ledger, bot.subscriptions, {"slack": publisher or bot.publisher}
    )


async def test_a_digest_is_a_header_then_a_card_and_a_thread_per_paper(slack_bot: SlackBot) -> None:
    result = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "posted"
    assert result.papers == 3
    posts = slack_bot.fake.posts("C0001")
    assert len(posts) == 1 + 3 * 2
    header, cards = posts[0], posts[1:]
    assert header["blocks"][0]["text"]["text"] == "Daily Papers · Monday 1 June 2026"
    assert "thread_ts" not in header
    roots = cards[0::2]
    seeds = cards[1::2]
    assert all("thread_ts" not in root for root in roots)
    assert "1. *<https://huggingface.co/papers/2605.29307|GrepSeek" in roots[0]["blocks"][0]["text"]["text"]
    assert all(seed["thread_ts"] for seed in seeds)  # each seed replies in a thread
    assert len({seed["thread_ts"] for seed in seeds}) == 3
    assert await slack_bot.ledger.thread_paper("slack", "C0001", seeds[0]["thread_ts"]) == "2605.29307"


async def test_a_second_delivery_posts_nothing(slack_bot: SlackBot) -> None:
    await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=2), JUNE_1)
    before = len(slack_bot.fake.posts())
    again = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=2), JUNE_1)
    assert again.outcome == "already"
    assert again.describe() == "slack:T0001/C0001 already has the 1 June 2026 digest (2 papers): nothing posted."
    assert len(slack_bot.fake.posts()) == before


async def test_a_mention_in_a_digest_thread_is_answered_there(slack_bot: SlackBot) -> None:
    await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1)
    thread = slack_bot.fake.posts()[2]["thread_ts"]
    await slack_bot.mention("<@UBOT> code?", thread=thread)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.posts()) == 4)
    assert slack_bot.fake.posts()[3]["thread_ts"] == thread
    assert "https://github.com/alirezasalemi7/grepseek" in json.dumps(slack_bot.fake.posts()[3]["blocks"])


async def test_a_long_retry_after_is_not_waited_out_by_the_sweep(slack_bot: SlackBot) -> None:
    """A digest sweep waits for each call: one channel's `Retry-After: 100` held every other channel's
    digest for 100 s (and the ticks in between, unlogged). Past 30 s the post is refused, that channel's
    digest fails this time, said, and is tried again at a later tick."""
    slack_bot.fake.fail("chat.postMessage", Failure(status=429, retry_after=100))
    started = time.monotonic()
    result = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1)
    assert time.monotonic() - started < 10
    assert result.outcome == "failed", result
    said = "Slack asked to wait 100 s (Retry-After) before the next chat.postMessage in C0001, longer than the 30 s"
    assert (result.reason or "").startswith(said), result  # one 429, not "kept rate-limiting (after retries)"
    again = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1)
    assert again.outcome == "posted"


@pytest.mark.slow
async def test_429_is_waited_out_then_the_post_succeeds(slack_bot: SlackBot) -> None:
    slack_bot.fake.fail("chat.postMessage", Failure(status=429, retry_after=1))
    started = time.monotonic()
    result = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "posted"
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert len(slack_bot.fake.posts()) == 1 + 3  # the refused header, then header, card and seed


@pytest.mark.slow
async def test_a_rate_limit_said_with_200_is_waited_out_then_said_if_it_lasts(slack_bot: SlackBot) -> None:
    """Slack's `ok: false` `rate_limited` / `ratelimited` (HTTP 200: nothing was posted) stopped a digest
    after 3 of its messages, in Slack's code alone (QA s72). It is waited out as a 429 is."""
    slack_bot.fake.fail("chat.postMessage", Failure(error="rate_limited"))
    result = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "posted", result
    assert len(slack_bot.fake.posts()) == 1 + 3  # the refused header, then header, card and seed
    other = ChannelRef("slack", "C0002", "T0001")
    slack_bot.fake.fail("chat.postMessage", *[Failure(error="ratelimited")] * 4)  # the first try and 3 retries
    lasting = await delivery(slack_bot).deliver(other, DigestOptions(limit=1), JUNE_1)
    assert lasting.outcome == "failed"
    assert (
        lasting.reason
        == "Slack kept rate-limiting chat.postMessage in C0002 (ratelimited): tried again at a later sweep"
    )


@pytest.mark.slow
async def test_a_hold_lost_while_a_429_is_waited_out_posts_nothing_more(slack_bot: SlackBot) -> None:
    """On PostgreSQL a hold goes with its database session: lost during a 15 s Retry-After, another process
    took the digest over and posted the message, and this one's retry then posted it again. The retry now
    asks first whether the digest is still this process's."""
    slack_bot.fake.fail("chat.postMessage", Failure(status=429, retry_after=2))
    delivering = asyncio.ensure_future(delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1))
    await slack_bot.fake.wait_for(lambda: any(c.method == "chat.postMessage" for c in slack_bot.fake.calls))
    await slack_bot.ledger.release([(CHANNEL, JUNE_1)])  # as a lost session lets it go: another may take it
    result = await delivering
    assert result.outcome == "busy"
    assert result.describe() == (
        "Another paperboy process took the 1 June 2026 digest for slack:T0001/C0001 over midway: it posts the rest."
    )
    assert [c.method for c in slack_bot.fake.calls].count("chat.postMessage") == 1  # the refused one, no retry


@pytest.mark.slow
async def test_pacing_keeps_to_one_message_a_second_per_channel(fake_slack: FakeSlack, slack_bot: SlackBot) -> None:
    fake_slack.min_interval = 0.2  # the fake answers 429 to anything faster
    paced = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url), interval=0.25)
    result = await delivery(slack_bot, paced).deliver(CHANNEL, DigestOptions(limit=2), JUNE_1)
    assert result.outcome == "posted"
    times = [c.at for c in fake_slack.calls if c.method == "chat.postMessage"]
    assert len(times) == 5
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(times))


async def test_a_missing_channel_stops_delivery_with_a_status(slack_bot: SlackBot) -> None:
    gone = ChannelRef("slack", "C0404")
    await slack_bot.subscriptions.save(Subscription(channel=gone, topics=("diffusion",)))
    slack_bot.fake.missing_channels.add("C0404")
    result = await delivery(slack_bot).deliver(gone, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "stopped"
    assert result.reason is not None
    assert result.reason.startswith("channel_not_found")
    assert len(slack_bot.fake.posts("C0404")) == 1  # tried once, never retried
    saved = await slack_bot.subscriptions.get(gone)
    assert saved is not None
    assert saved.status is not None
    assert saved.status.startswith("channel_not_found")


async def test_a_stopped_digest_stays_stopped_unless_posted_by_hand(slack_bot: SlackBot) -> None:
    first = delivery(slack_bot)
    slack_bot.fake.missing_channels.add("C0001")
    stopped = await first.deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)
    assert stopped.outcome == "stopped"
    slack_bot.fake.missing_channels.clear()
    again = await first.deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)
    assert again.outcome == "stopped"  # the scheduler does not retry a channel that refused the bot
    by_hand = await first.deliver(CHANNEL, DigestOptions(limit=3), JUNE_1, retry_stopped=True)
    assert by_hand.outcome == "posted"
    assert by_hand.papers == 3


async def test_a_refused_bot_token_fails_the_delivery_and_stops_no_channel(slack_bot: SlackBot) -> None:
    """One workspace, one token: Slack refusing it is no channel's fault. The delivery fails (tried again
    at the next sweep), the channel keeps its digest, and the reason says what to mend."""
    await slack_bot.subscriptions.save(Subscription(channel=CHANNEL, topics=("diffusion",)))
    slack_bot.fake.failures["chat.postMessage"] = [Failure(error="invalid_auth", status=200)]
    result = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "failed"
    assert result.reason == (
        "Slack refused SLACK_BOT_TOKEN (invalid_auth: the bot token is invalid): set the right token and "
        "restart paperboy"
    )
    saved = await slack_bot.subscriptions.get(CHANNEL)
    assert saved is not None and saved.status is None
    again = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)  # the token mended
    assert again.outcome == "posted"


async def test_an_app_refused_in_the_whole_workspace_fails_the_delivery_and_stops_no_channel(
    slack_bot: SlackBot,
) -> None:
    """missing_scope is the app's install to mend, not the channel's: as with a refused token, every channel
    keeps its digest, tried again; a status left by an earlier version is cleared when paperboy starts."""
    await slack_bot.subscriptions.save(Subscription(channel=CHANNEL, topics=("diffusion",)))
    slack_bot.fake.failures["chat.postMessage"] = [Failure(error="missing_scope", status=200)]
    result = await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=3), JUNE_1)
    assert result.outcome == "failed"
    assert result.reason is not None and result.reason.startswith("Slack refused chat.postMessage (missing_scope: ")
    assert "config/slack-manifest.yml" in result.reason
    saved = await slack_bot.subscriptions.get(CHANNEL)
    assert saved is not None and saved.status is None
    await slack_bot.subscriptions.set_status(CHANNEL, "missing_scope (the app lacks a scope it needs)")
    assert await forgive_refused_token(slack_bot.store.engine, "slack") == 1
    saved = await slack_bot.subscriptions.get(CHANNEL)
    assert saved is not None and saved.status is None


async def test_hostile_titles_never_ping_anyone(slack_bot: SlackBot) -> None:
    hostile = Paper(
        arxiv_id="2606.99999",
        title="<!channel> <!here> <!everyone> <@U0BOSS> <!subteam^S123> see <https://evil.example|arxiv.org>",
        abstract="Abstract with <!channel> & <@U0BOSS> inside.",
        authors=("<@U0BOSS>", "Eve <!here>"),
        organization="<!channel> Labs",
        ai_summary="Summary <!here>",
        ai_keywords=("<!channel>",),
        upvotes=9999,
        project_page="https://ok.example/x|<!channel>",
    )
    await slack_bot.store.save_listings([Listing(hostile, JUNE_1, 1)])
    await delivery(slack_bot).deliver(CHANNEL, DigestOptions(limit=1), JUNE_1)
    await slack_bot.command("paper 2606.99999")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    everything = json.dumps([c.args for c in slack_bot.fake.calls] + slack_bot.fake.responses, ensure_ascii=False)
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U0BOSS>", "<!subteam", "<https://evil.example"):
        assert raw not in everything
    assert "&lt;!channel&gt;" in everything
    assert "&amp;lt;" not in everything  # escaped exactly once
    assert not any(c.args.get("link_names") or c.args.get("parse") == "full" for c in slack_bot.fake.calls)


def test_the_store_clears_exactly_the_refusals_the_publisher_blames_on_the_workspace() -> None:
    """Two layers, one list: what the publisher pauses a workspace for is what a reinstall or a restart clears."""
    assert set(WORKSPACE_REFUSALS) == TOKEN_REFUSALS | APP_REFUSALS


async def test_a_direct_message_slack_refuses_stops_that_follow_with_what_to_do(slack_bot: SlackBot) -> None:
    """The app's Messages tab turned off: not tried again every minute of every weekday, but stopped, saying why."""
    dm = ChannelRef("slack", "D0001")
    slack_bot.fake.failures["chat.postMessage"] = [Failure(error="messages_tab_disabled", status=200)]
    result = await delivery(slack_bot).deliver(dm, DigestOptions(limit=1), JUNE_1)
    assert result.outcome == "stopped"
    assert (result.reason or "").startswith("messages_tab_disabled (the app's Messages tab is turned off")


async def test_a_post_is_found_by_a_takeover_on_a_host_whose_clock_runs_fast(slack_bot: SlackBot) -> None:
    """The intent is stamped by this host's clock, the post by Slack's: a host 5 minutes fast looked for
    its card from after it had been posted, found nothing, and posted it again."""
    from datetime import UTC, datetime, timedelta

    from bot.domain.cards import card
    from bot.domain.publishing import LOOK_BACK_S

    paper = Paper(arxiv_id="2605.29307", title="GrepSeek")
    posted = await slack_bot.publisher.post_card("C0001", card(paper), "2026-06-01:2605.29307")
    fast = datetime.now(UTC) + timedelta(minutes=5)  # the intent, as the fast host wrote it, after the post
    found = await slack_bot.publisher.find("C0001", "2026-06-01:2605.29307", fast)
    assert found is not None and found.message == posted.message
    assert LOOK_BACK_S >= 600  # ten minutes of disagreement, at least
