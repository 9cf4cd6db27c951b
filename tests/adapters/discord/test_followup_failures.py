"""An interaction's answer (its followup, through the interaction's webhook) that Discord refuses: said in
the log in our words, naming the channel and why; what the command did stays done; the bot serves on."""

from __future__ import annotations

import logging

import pytest

from adapters.discord import followup, interactions
from bot.domain.channels import ChannelRef
from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import BOT_ID, TEXT_ID

WEBHOOK = r"POST /webhooks/\d+/[^/]+$"


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("paperboy") and r.levelno >= logging.WARNING
    )


@pytest.mark.parametrize(
    ("status", "code", "text", "reason"),
    [
        (403, 50001, "Missing Access", "can no longer see the channel"),
        (403, 50013, "Missing Permissions", "lacks a permission"),
        (404, 10015, "Unknown Webhook", "token expired"),
        (401, 50027, "Invalid Webhook Token", "token expired"),
        (400, 50035, "Invalid Form Body", "refused"),
    ],
)
async def test_a_refused_answer_is_said_in_the_log_and_the_bot_serves_on(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture, status: int, code: int, text: str, reason: str
) -> None:
    fake = discord_bot.fake
    fake.fail(WEBHOOK, status, {"message": text, "code": code})
    with caplog.at_level(logging.WARNING):
        await fake.slash("subscribe", {"topics": "diffusion"})
        await fake.wait_for(lambda: f"in channel {TEXT_ID}" in logged(caplog))
    line = logged(caplog)
    assert "/papers subscribe" in line and reason in line and str(code) in line, line
    assert "Ignoring exception" not in caplog.text
    assert await discord_bot.subscriptions.get(ChannelRef("discord", TEXT_ID)) is not None  # saved all the same
    await fake.slash("help")  # the next command is answered
    await fake.wait_for(lambda: len(fake.followups()) == 2)
    assert "paperboy" in str(fake.followups()[-1])


async def test_a_refused_share_confirmation_is_said_in_the_log(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    fake = discord_bot.fake
    fake.fail(WEBHOOK, 404, {"message": "Unknown Webhook", "code": 10015})
    with caplog.at_level(logging.WARNING):
        await fake.click("share:2605.29307")
        await fake.wait_for(lambda: f"in channel {TEXT_ID}" in logged(caplog))
    assert "token expired" in logged(caplog) and "Ignoring exception" not in caplog.text
    assert fake.posts_in(TEXT_ID)  # the card was shared all the same


@pytest.mark.slow
async def test_a_rate_limited_answer_comes_after_the_wait(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    fake.rate_limit(WEBHOOK, 0.3)
    await fake.slash("help")
    await fake.wait_for(lambda: any("paperboy" in str(f) for f in fake.followups()))


@pytest.mark.slow
async def test_an_answer_refused_by_a_passing_server_error_comes_on_the_retry(discord_bot: DiscordBot) -> None:
    fake = discord_bot.fake
    fake.fail(WEBHOOK, 503, {"message": "Service Unavailable", "code": 0})
    await fake.slash("help")
    await fake.wait_for(lambda: any("paperboy" in str(f) for f in fake.followups()))


async def test_refused_answers_to_a_save_and_a_paper_card_are_said_in_the_log(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    fake = discord_bot.fake
    with caplog.at_level(logging.WARNING):
        fake.fail(WEBHOOK, 403, {"message": "Missing Access", "code": 50001})
        await fake.click("save:2605.29307")
        await fake.wait_for(lambda: "the Save of 2605.29307" in logged(caplog))
        fake.fail(WEBHOOK, 401, {"message": "Invalid Webhook Token", "code": 50027})
        await fake.message_command("Paper card", "https://arxiv.org/abs/2605.29307")
        await fake.wait_for(lambda: "the answer to Paper card" in logged(caplog))
    assert "Ignoring exception" not in caplog.text
    assert f"in channel {TEXT_ID}" in logged(caplog) and "token expired" in logged(caplog)


CALLBACK = r"POST /interactions/\d+/[^/]+/callback$"


async def test_an_interaction_discord_dropped_is_one_line_not_a_traceback(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Answered too late (a rate limit, a slow host), Discord drops the interaction: its 10062 escaped as
    "Ignoring exception in command 'today'" and a traceback."""
    fake = discord_bot.fake
    fake.fail(CALLBACK, 404, {"message": "Unknown interaction", "code": 10062})
    with caplog.at_level(logging.WARNING):
        await fake.slash("today")
        await fake.wait_for(lambda: "not answered" in logged(caplog))
    assert "gets no first response within 3 s" in logged(caplog) and "Ignoring exception" not in caplog.text
    assert fake.followups() == []  # nothing more is sent for it
    await fake.slash("help")
    await fake.wait_for(lambda: len(fake.followups()) == 1)


@pytest.mark.slow
async def test_a_first_response_is_not_kept_waiting_past_discords_3_s(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """discord.py waits out an interaction response's 429 however long (31 s), after which Discord has
    dropped the interaction all the same."""
    monkeypatch.setattr(interactions, "FIRST_RESPONSE_S", 0.5)
    fake = discord_bot.fake
    fake.rate_limit(CALLBACK, 31.0)
    with caplog.at_level(logging.WARNING):
        await fake.slash("today")
        await fake.wait_for(lambda: "not answered" in logged(caplog), within=10)
    assert "Ignoring exception" not in caplog.text


@pytest.mark.slow
async def test_an_answer_is_not_kept_waiting_on_a_long_rate_limit(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer to `/papers help` waited out a 35 s retry_after: the bot caps every wait at 30 s."""
    monkeypatch.setattr(followup, "MOST_WAIT_S", 0.5)
    fake = discord_bot.fake
    fake.rate_limit(WEBHOOK, 35.0)
    with caplog.at_level(logging.WARNING):
        await fake.slash("help")
        await fake.wait_for(lambda: "not delivered" in logged(caplog), within=10)
    assert "did not take it within 0 s (a long rate limit" in logged(caplog)


async def test_a_mention_in_a_locked_thread_is_logged_as_the_lock_not_the_bots_role(
    discord_bot: DiscordBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A reply refused in a locked thread (403 50013) told the operator to give the bot's role Send Messages
    and the rest (QA s72): the lock is said, and how to lift it."""
    from datetime import date

    from bot.delivery.digest import DigestOptions

    fake = discord_bot.fake
    await discord_bot.delivery().deliver(ChannelRef("discord", TEXT_ID), DigestOptions(limit=1), date(2026, 6, 1))
    thread = next(s for s in fake.sent if s.path.endswith("/threads")).path.split("/")[-2]
    fake.channels[thread]["thread_metadata"]["locked"] = True
    await fake.dispatch("THREAD_UPDATE", fake.channels[thread])
    fake.fail(rf"POST /channels/{thread}/messages$", 403, {"message": "Missing Permissions", "code": 50013})
    caplog.set_level(logging.WARNING)
    await fake.mention(thread, f"<@{BOT_ID}> summary")  # a moderator may still write in a locked thread
    await fake.wait_for(lambda: any("could not answer a mention" in r.getMessage() for r in caplog.records))
    [said] = [r.getMessage() for r in caplog.records if "could not answer a mention" in r.getMessage()]
    assert "the thread is locked" in said and "Manage Threads" in said and "Send Messages" not in said
