"""The fake Slack refuses the modals, unfurls and menus Slack would refuse, and our own pass."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.app import slack_client
from adapters.slack.surfaces import form_view, result_view, unfurl_blocks, zone_options
from bot.domain.channels import ChannelRef
from bot.domain.post import Post
from bot.surfaces.forms import SubscribeForm
from bot.surfaces.links import LinkCard
from tests.fakes.slack import FakeSlack, check_options, check_view, check_view_errors

VIEW = form_view(SubscribeForm("a, b", "08:00", "Asia/Tokyo", "sat,sun", "9"), ChannelRef("slack", "C0001", "T0001"))


def broken(change: str) -> dict[str, Any]:
    view = copy.deepcopy(VIEW)
    if change == "long title":
        view["title"]["text"] = "x" * 25
    elif change == "101 blocks":
        view["blocks"] += [{"type": "divider"}] * (101 - len(view["blocks"]))
    elif change == "no submit":
        del view["submit"]
    elif change == "same block_id twice":
        view["blocks"][2]["block_id"] = "topics"
    elif change == "eleven checkboxes":
        days = next(b for b in view["blocks"] if b.get("block_id") == "days")
        days["element"]["options"] = days["element"]["options"] * 2
    elif change == "a long option":
        zone = next(b for b in view["blocks"] if b.get("block_id") == "timezone")
        zone["element"]["initial_option"]["text"]["text"] = "x" * 76
    elif change == "a number as a number":
        limit = next(b for b in view["blocks"] if b.get("block_id") == "limit")
        limit["element"]["initial_value"] = 9
    return view


def test_our_form_and_answers_are_within_the_limits() -> None:
    assert check_view(VIEW) is None
    assert check_view(result_view(Post(header="x" * 500, text=("<!channel>",) * 200), SubscribeForm())) is None
    assert check_options(zone_options("")) is None
    [meant, *_] = zone_options("UTC+3")  # the offset it means first: its name says the opposite sign
    assert meant == {"text": {"type": "plain_text", "text": "UTC+3 (Etc/GMT-3)"}, "value": "Etc/GMT-3"}
    assert check_view_errors(VIEW, {"limit": "too many"}) is None
    assert check_view_errors(VIEW, {"nowhere": "too many"}) is not None
    assert unfurl_blocks(LinkCard("https://arxiv.org/abs/2401.00001", "2401.00001", None, "not here"))


@pytest.mark.parametrize(
    "change",
    [
        "long title",
        "101 blocks",
        "no submit",
        "same block_id twice",
        "eleven checkboxes",
        "a long option",
        "a number as a number",
    ],
)
def test_the_fake_refuses_what_slack_refuses(change: str) -> None:
    assert check_view(broken(change)) is not None


async def test_views_open_and_chat_unfurl_are_checked_on_the_wire(fake_slack: FakeSlack) -> None:
    client = slack_client("xoxb-test", fake_slack.base_url)
    assert (await client.views_open(trigger_id="1.2.3", view=VIEW))["ok"]
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        await client.views_open(trigger_id="1.2.3", view=broken("long title"))
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        await client.views_open(trigger_id="", view=VIEW)
    url = "https://arxiv.org/abs/2401.00001"
    assert (await client.chat_unfurl(channel="C1", ts="1.2", unfurls={url: {"blocks": [{"type": "divider"}]}}))["ok"]
    too_many = {url: {"blocks": [{"type": "divider"}] * 51}}
    with pytest.raises(SlackApiError, match="invalid_unfurls"):
        await client.chat_unfurl(channel="C1", ts="1.2", unfurls=too_many)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        await client.chat_unfurl(channel="C1", unfurls={url: {"blocks": [{"type": "divider"}]}})
