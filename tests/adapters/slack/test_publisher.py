"""The Slack publisher's set-up: slack_sdk's debug lines are formatted only when something shows them;
a post whose answer is lost is not sent again by the client."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import http_session, slack_client
from adapters.slack.publisher import PACED_CHANNELS, SlackPublisher
from bot.domain.errors import ChannelUnavailable, DeliveryError, PlatformUnreachable
from bot.domain.post import Post
from bot.domain.publishing import MessageRef
from tests.fakes.slack import Failure, FakeSlack


@pytest.fixture
def sdk_logger() -> Iterator[logging.Logger]:
    """A logger of our own for the client, under a parent at WARNING; levels restored afterwards."""
    parent, child = logging.getLogger("tests.sdk"), logging.getLogger("tests.sdk.client")
    parent.setLevel(logging.WARNING)
    try:
        yield child
    finally:
        parent.setLevel(logging.NOTSET)
        child.setLevel(logging.NOTSET)


def test_slack_sdk_stops_formatting_debug_lines_that_nothing_shows(sdk_logger: logging.Logger) -> None:
    # slack_sdk formats every request and response when `logger.level <= DEBUG`; unset, that is 0.
    assert sdk_logger.level <= logging.DEBUG
    SlackPublisher(AsyncWebClient(token="xoxb-test", logger=sdk_logger))
    assert sdk_logger.level == logging.WARNING  # what it inherited: nothing logged changes
    assert not sdk_logger.isEnabledFor(logging.DEBUG)


def test_a_logger_configured_for_debug_keeps_its_debug_lines(sdk_logger: logging.Logger) -> None:
    logging.getLogger("tests.sdk").setLevel(logging.DEBUG)
    SlackPublisher(AsyncWebClient(token="xoxb-test", logger=sdk_logger))
    assert sdk_logger.level == logging.NOTSET
    assert sdk_logger.isEnabledFor(logging.DEBUG)


async def test_a_post_whose_answer_is_lost_is_not_sent_again(fake_slack: FakeSlack) -> None:
    """Slack kept it; sent again, the channel would show it twice. The error goes up: the digest's
    resume looks for the post by its metadata before posting again."""
    fake_slack.answers_lost = 1
    async with http_session() as session:
        client = slack_client("xoxb-test", fake_slack.base_url, session)
        with pytest.raises(aiohttp.ClientError):
            await client.chat_postMessage(channel="C1", text="a card")
        assert len(fake_slack.posts("C1")) == 1
        assert (await client.chat_postMessage(channel="C1", text="the next"))["ok"]
    assert [p["text"] for p in fake_slack.posts("C1")] == ["a card", "the next"]


async def test_a_post_whose_answer_is_lost_is_said_so_not_as_slack_unreached(fake_slack: FakeSlack) -> None:
    """Slack kept the post and the connection broke before its answer: it said Slack "could not be reached …
    check the network" (QA s72-outside #8), sending the operator after a network fault there was not."""
    fake_slack.answers_lost = 1
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        with pytest.raises(PlatformUnreachable) as lost:
            await publisher.post_header("C1", Post(header="Papers"), "2026-06-02:header")
    said = str(lost.value)
    assert "broke off before it answered (it may have taken the request" in said and "check the network" not in said


async def test_an_answer_that_is_not_slack_s_json_is_a_delivery_error(fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.postMessage", Failure(status=503, text="upstream connect error or disconnect/reset"))
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        said = r"Slack's API answered HTTP 503 to chat.postMessage in C1 \(Slack is having trouble\)"  # no refusal
        with pytest.raises(DeliveryError, match=said):
            await publisher.post_header("C1", Post(header="Papers"), "2026-06-02:header")
    fake_slack.fail("chat.postMessage", Failure(status=404, text="<html>not here</html>"))
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        with pytest.raises(
            DeliveryError, match="chat.postMessage in C1 was answered HTTP 404 without Slack's JSON: not Slack"
        ):
            await publisher.post_header("C1", Post(header="Papers"), "2026-06-02:header")


async def test_a_channel_it_may_post_to_but_not_read_is_posted_to_again_not_stopped(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """A public channel the bot posts to with chat:write.public without being a member: after a takeover
    it cannot look for a post begun there, so it posts again (and says why) rather than stop the channel."""
    fake_slack.unread_channels.add("CPUBLIC")
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        assert await publisher.find("CPUBLIC", "2026-06-02:header", datetime(2026, 6, 2, 9, tzinfo=UTC)) is None
    assert "invite the bot to the channel" in caplog.text


@pytest.mark.slow
async def test_a_takeover_finds_its_post_under_a_busy_channels_newer_messages(fake_slack: FakeSlack) -> None:
    """History comes newest first, a page at a time: a post begun before a takeover, with 450 messages
    after it, is found on the third page, not posted again."""
    async with http_session() as session:
        client = slack_client("xoxb-test", fake_slack.base_url, session)
        publisher = SlackPublisher(client, interval=0)
        since = datetime.now(UTC)
        posted = await publisher.post_header("C1", Post(header="Papers"), "2026-06-02:header")
        for n in range(450):
            await client.chat_postMessage(channel="C1", text=f"chatter {n}")
        found = await publisher.find("C1", "2026-06-02:header", since)
    assert found == posted
    pages = [c for c in fake_slack.calls if c.method == "conversations.history"]
    assert len(pages) == 3 and pages[-1].args["cursor"] == "400"


async def test_a_history_read_refused_for_a_scope_names_the_method_and_the_scope(fake_slack: FakeSlack) -> None:
    fake_slack.fail("conversations.history", Failure(error="missing_scope", needed="groups:history"))
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        with pytest.raises(DeliveryError) as refused:
            await publisher.find("G0PRIVATE", "2026-06-02:header", datetime.now(UTC))
    said = str(refused.value)
    assert said.startswith("Slack refused conversations.history (missing_scope: ")
    assert "it needs the groups:history scope" in said


@pytest.mark.slow
async def test_a_long_running_publisher_forgets_the_pace_of_channels_it_no_longer_writes_to(
    fake_slack: FakeSlack,
) -> None:
    """A mention's answer or a Share in any channel paces that channel's writes; a process running for
    months must not keep a lock and a time for every channel it ever wrote to."""
    now = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async with http_session() as session:
        publisher = SlackPublisher(
            slack_client("xoxb-test", fake_slack.base_url, session), clock=lambda: now[0], sleep=sleep
        )
        for i in range(PACED_CHANNELS + 100):
            now[0] += 2.0  # each channel's last write long past its interval
            await publisher.post_message(f"C{i}", "an answer", [], thread=None)
        assert len(publisher._locks) <= PACED_CHANNELS and len(publisher._last) <= PACED_CHANNELS
        await publisher.post_message(f"C{PACED_CHANNELS + 99}", "another", [], thread=None)
    assert waits == [1.0]  # a channel just written to is still paced


class OneTokenEach:
    """Each workspace's token, as `WorkspaceTokens` gives it (multi-workspace mode)."""

    async def token(self, workspace: str, channel: str) -> str:
        return f"xoxb-{workspace}"

    def forget(self, workspace: str) -> None:
        pass


async def test_a_refused_channel_is_named_with_its_workspace_where_there_are_several(fake_slack: FakeSlack) -> None:
    """`slack:T0001/C1`, as the command line takes it and the subscription prints (the same id is a channel
    in each workspace a Slack Connect channel joins); with one token for all, `slack:C1`."""
    fake_slack.fail("chat.postMessage", Failure(error="not_in_channel"), Failure(error="not_in_channel"))
    async with http_session() as session:
        client = slack_client("xoxb-test", fake_slack.base_url, session)
        several = SlackPublisher(client, interval=0, tokens=OneTokenEach()).for_workspace("T0001")
        for publisher, named in ((several, "slack:T0001/C1"), (SlackPublisher(client, interval=0), "slack:C1")):
            with pytest.raises(ChannelUnavailable) as refused:
                await publisher.post_header("C1", Post(header="Papers"), "2026-06-02:header")
            assert (refused.value.channel, refused.value.reason.split(" ")[0]) == (named, "not_in_channel")


async def test_a_message_slack_refuses_is_said_as_paperboy_s_fault_not_in_slack_s_code_alone(
    fake_slack: FakeSlack,
) -> None:
    """`msg_too_long` said only "Slack refused chat.postMessage in C1: msg_too_long" (QA s72-outside #4): it
    is the message's fault, not the channel's, which keeps its digest."""
    fake_slack.fail("chat.postMessage", Failure(error="msg_too_long"))
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        with pytest.raises(DeliveryError) as refused:
            await publisher.post_header("C1", Post(header="Papers"), "2026-06-02:header")
    assert not isinstance(refused.value, ChannelUnavailable)
    assert str(refused.value) == (
        "Slack refused chat.postMessage in C1 (msg_too_long: the message is longer than Slack takes): a fault in"
        " paperboy's message, not the channel's; please report it with this line"
    )


async def test_a_thread_is_linked_by_slacks_permalink_and_a_gone_one_not_at_all(fake_slack: FakeSlack) -> None:
    """The roundup's *Most discussed* links each paper's thread: chat.getPermalink of its root."""
    fake_slack.missing_channels.add("CGONE")
    async with http_session() as session:
        publisher = SlackPublisher(slack_client("xoxb-test", fake_slack.base_url, session), interval=0)
        root = await publisher.post_header("C1", Post(header="A card"), "2026-06-02:card")
        assert root is not None
        link = await publisher.permalink(root)
        assert link == f"https://lab.slack.com/archives/C1/p{root.message.replace('.', '')}"
        assert await publisher.permalink(MessageRef("C1", "1.000009", "1.000009")) is None  # deleted
        assert await publisher.permalink(MessageRef("CGONE", "1.1", "1.1")) is None
        fake_slack.fail("chat.getPermalink", Failure(error="missing_scope", needed="chat:write"))
        with pytest.raises(DeliveryError, match="chat.getPermalink"):
            await publisher.permalink(root)
