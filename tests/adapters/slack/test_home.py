"""The App Home, through signed `app_home_opened` events and `block_actions` into the real bolt app:
`views.publish` of the person's follows, the day's top papers and the digests of channels they are
in, within Block Kit's limits (enforced by the fake Slack) and pinging no one."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.home import SETTINGS_ACTION, SlackMembers, home_view
from adapters.slack.render import SAVE_ACTION
from bot.chat.home import HomeService
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.models import Listing, Paper
from bot.store.papers import PaperStore
from bot.store.reading import Person
from tests.adapters.slack.conftest import SlackBot
from tests.adapters.slack.test_surfaces import command, filled, opened_view, submit
from tests.chat.world import NOW
from tests.fakes.slack_requests import button_click


async def open_home(bot: SlackBot, user: str = "U0001", tab: str = "home", event_id: str = "EvHome1") -> None:
    event = {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": tab, "event_ts": "1767225700.1"}
    response = await bot.event(event, event_id=event_id)
    assert response.status_code == 200


async def click_settings(bot: SlackBot, channel: str, user: str = "U0001") -> None:
    payload = button_click(
        SETTINGS_ACTION,
        "b1",
        channel,
        {"type": "view", "view_id": "V0000001"},
        user=user,
        view={"id": "V0000001", "type": "home", "blocks": [], "state": {"values": {}}},
    )
    response = await bot.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert response.status_code == 200


def text_of(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


async def subscribe(bot: SlackBot, channel: str, *, members: list[str], topics: tuple[str, ...] = ()) -> None:
    bot.fake.channels[channel] = {"name": channel.lower(), "members": members}
    await bot.subscriptions.save(Subscription(ChannelRef("slack", channel, "T0001"), topics=topics), NOW)


async def published(bot: SlackBot, user: str = "U0001", count: int = 1) -> dict[str, Any]:
    await bot.fake.wait_for(lambda: sum(1 for c in bot.fake.calls if c.method == "views.publish") >= count)
    assert user in bot.fake.views, [c.args for c in bot.fake.calls if c.method == "views.publish"]
    return bot.fake.views[user]


async def test_the_home_shows_follows_top_papers_and_shared_channels(slack_bot: SlackBot) -> None:
    hostile = Paper(arxiv_id="2606.09999", title="<!channel> Diffusion for <@U0002>", upvotes=9999, authors=("Eve",))
    await slack_bot.store.save_listings([Listing(hostile, date(2026, 6, 3), 99)])
    await subscribe(slack_bot, "C0001", members=["U0002", "UBOT", "U0001"], topics=("<!here> agents", "-robotics"))
    await subscribe(slack_bot, "C0002", members=["U0002", "UBOT"])  # not theirs: not shown
    await subscribe(slack_bot, "C0003", members=["U0003", "U0004", "U0005", "U0001"])  # theirs, on page 2
    await slack_bot.subscriptions.save(
        Subscription(ChannelRef("slack", "D0001", "T0001"), ("diffusion",), timezone="Europe/Berlin", person="U0001")
    )
    await open_home(slack_bot)
    view = await published(slack_bot)
    shown = text_of(view)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "What you follow" in shown and "“diffusion”" in shown and "09:00 Europe/Berlin" in shown
    assert "Top papers of Wednesday 3 June" in shown and "Wednesday 3 June 2026" in shown  # not "today's"
    top = [b for b in view["blocks"] if b["type"] == "section" and "▲" in b["text"]["text"]]
    assert len(top) == 5 and "9999 upvotes" in top[0]["text"]["text"]  # the most upvoted first
    buttons = [b["accessory"]["value"] for b in view["blocks"] if "accessory" in b]
    assert buttons == ["C0001", "C0003"]
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U0002>" not in shown  # pings no one
    assert "&lt;!channel&gt;" in shown and "&lt;!here&gt; agents" in shown

    await click_settings(slack_bot, "C0001")
    view = await published(slack_bot, count=2)
    assert "Settings of <#C0001>" in text_of(view) and "Next digest" in text_of(view)
    await click_settings(slack_bot, "C0002")  # a channel they are not in: its settings stay closed
    view = await published(slack_bot, count=3)
    assert "Settings of" not in text_of(view)
    asked = [c for c in slack_bot.fake.calls if c.method in ("users.conversations", "conversations.members")]
    theirs = [c for c, v in slack_bot.fake.channels.items() if "U0001" in v.get("members", [])]
    assert len(theirs) >= 2 and len(asked) == -(-len(theirs) // 2)  # one listing, in pages of 2, then cached
    assert {(c.method, c.args.get("user")) for c in asked} == {("users.conversations", "U0001")}


async def test_without_follows_it_says_how_to_follow(slack_bot: SlackBot) -> None:
    await open_home(slack_bot)
    shown = text_of(await published(slack_bot))
    assert "You follow nothing yet" in shown and "/papers follow" in shown
    assert "None of the channels you share with me has a digest or roundup" in shown


async def test_a_stopped_digest_says_so_in_the_home(slack_bot: SlackBot) -> None:
    await subscribe(slack_bot, "C0001", members=["UBOT", "U0001"])
    await slack_bot.subscriptions.set_status(
        ChannelRef("slack", "C0001", "T0001"), "is_archived (the channel is archived)"
    )
    await open_home(slack_bot)
    shown = text_of(await published(slack_bot))
    assert "Delivery stopped: is_archived (the channel is archived)" in shown


async def test_the_messages_tab_publishes_nothing(slack_bot: SlackBot) -> None:
    await open_home(slack_bot, tab="messages")
    await open_home(slack_bot, event_id="EvHome2")
    await published(slack_bot)
    assert sum(1 for c in slack_bot.fake.calls if c.method == "views.publish") == 1


@pytest.mark.slow
async def test_many_channels_stay_within_a_hundred_blocks(slack_bot: SlackBot) -> None:
    for n in range(150):
        await subscribe(slack_bot, f"C1{n:04d}", members=["U0001"], topics=("x" * 200,))
    await open_home(slack_bot)
    view = await published(slack_bot)  # the fake refuses a view over 100 blocks
    assert len(view["blocks"]) <= 100
    assert "…and 120 more channels with a digest." in text_of(view)
    # one listing of U0001's conversations (pages of 2), shared by the ten channels asked about at once
    theirs = [c for c, v in slack_bot.fake.channels.items() if "U0001" in v.get("members", [])]
    assert sum(1 for c in slack_bot.fake.calls if c.method == "users.conversations") == -(-len(theirs) // 2) == 75


class SavedPapers:
    """A reading list at the home's port: what the reading-list store answers, kept in a dict."""

    def __init__(self, saved: dict[str, list[str]]) -> None:
        self.saved = saved

    async def saved_papers(self, platform: str, workspace: str, person: str) -> list[str]:
        return self.saved.get(f"{platform}:{person}", [])


class NoOne:
    async def is_member(self, channel: str, person: str) -> bool:
        return False


async def test_a_paper_both_saved_and_in_the_top_gives_a_view_slack_takes(slack_bot: SlackBot) -> None:
    day = await slack_bot.store.latest_day()
    assert day is not None
    best = max(await slack_bot.store.listing(day), key=lambda paper: paper.upvotes)
    await slack_bot.community.lists.save(Person("slack", "T0001", "U0001"), best.arxiv_id, NOW)
    await open_home(slack_bot)
    view = await published(slack_bot)  # the fake refuses a view naming one block id twice
    shown = text_of(view)
    assert "Your reading list" in shown and "What you follow" in shown and "Top papers of" in shown
    assert shown.count(f'"value": "{best.arxiv_id}"') >= 2  # its Save button in the reading list and in the top


async def test_with_a_reading_list_the_home_shows_it_before_follows(june_store: PaperStore) -> None:
    subscriptions = SubscriptionStore(june_store.engine)
    reading = SavedPapers({"slack:U0001": ["2605.29307", "9999.99999"]})  # a paper the store lacks is left out
    homes = HomeService(june_store, subscriptions, reading)
    view = home_view(await homes.home("slack", "T0001", "U0001", NoOne()), NOW)
    shown = text_of(view)
    assert "Your reading list" in shown and "GrepSeek" in shown and "What you follow" in shown
    assert shown.index("Your reading list") < shown.index("What you follow")
    assert "Today's top papers" in shown  # on the day of the latest listing
    assert "…and 1 more: `/papers saved` lists them all." in shown  # the one the store lacks, counted
    empty = home_view(await homes.home("slack", "T0001", "U0002", NoOne()), NOW)
    assert "Nothing saved yet" in text_of(empty)
    gone = HomeService(june_store, subscriptions, SavedPapers({"slack:U0001": ["9999.99999"]}))  # none held
    said = text_of(home_view(await gone.home("slack", "T0001", "U0001", NoOne()), NOW))
    assert "1 saved, not in the store now: `/papers saved` lists them all." in said and "…and" not in said


async def test_a_long_reading_list_in_the_home_says_how_many_more(june_store: PaperStore) -> None:
    day = await june_store.latest_day()
    assert day is not None
    ids = [p.arxiv_id for p in await june_store.listing(day)][:13]
    homes = HomeService(june_store, SubscriptionStore(june_store.engine), SavedPapers({"slack:U0001": ids}))
    view = home_view(await homes.home("slack", "T0001", "U0001", NoOne()), NOW)
    assert sum(1 for b in view["blocks"] if b.get("block_id", "").startswith("saved")) == 10
    assert "…and 3 more: `/papers saved` lists them all." in text_of(view)


async def test_settings_for_someone_who_may_not_change_it_shows_them_and_says_why(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0002"] = {"name": "bea"}
    await subscribe(slack_bot, "C0004", members=["U0002", "UBOT"], topics=("agents",))  # not bea's channel
    await click_settings(slack_bot, "C0004", user="U0002")
    view = await published(slack_bot, user="U0002")
    shown = text_of(view)
    assert "Settings of <#C0004>" in shown
    assert "Sorry, you can't subscribe this channel" in shown  # why no form opened, above its settings
    assert "that is for the workspace's owners and admins and the person who created the channel" in shown
    assert "Change them with" not in shown  # (QA s76: told to change what they may not, under the refusal)
    assert not any(c.method == "views.open" for c in slack_bot.fake.calls)


async def test_settings_opens_the_channels_form_for_someone_who_may_change_it(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0001"] = {"name": "ada", "is_admin": True}
    await subscribe(slack_bot, "C0001", members=["U0001", "UBOT"], topics=("agents",))
    await click_settings(slack_bot, "C0001")
    await slack_bot.fake.wait_for(lambda: any(c.method == "views.open" for c in slack_bot.fake.calls))
    (opened,) = [c.args for c in slack_bot.fake.calls if c.method == "views.open"]
    assert opened["trigger_id"] == "1.2.3"
    assert "C0001" in json.dumps(opened["view"]) and "agents" in json.dumps(opened["view"])  # that channel's form
    assert not any(c.method == "views.publish" for c in slack_bot.fake.calls)  # no inline settings instead


async def test_settings_saved_in_the_form_the_home_opened_show_in_the_home(slack_bot: SlackBot) -> None:
    """The home said "09:00 UTC" still after its form saved 07:15 Asia/Tokyo: published again once saved."""
    slack_bot.fake.users["U0001"] = {"name": "ada", "is_admin": True}
    await subscribe(slack_bot, "C0001", members=["U0001", "UBOT"], topics=("agents",))
    await click_settings(slack_bot, "C0001")
    await slack_bot.fake.wait_for(lambda: any(c.method == "views.open" for c in slack_bot.fake.calls))
    (opened,) = [c.args for c in slack_bot.fake.calls if c.method == "views.open"]
    saved = filled(opened["view"], topics="robots", time="07:15", zone="Asia/Tokyo", days=["mon"], limit="3")
    assert (await submit(slack_bot, saved))["response_action"] == "update"
    home = text_of(await published(slack_bot))
    assert "07:15 Asia/Tokyo" in home and "robots" in home


async def test_a_form_opened_by_the_command_publishes_no_home(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0001"] = {"name": "ada", "is_admin": True}
    await subscribe(slack_bot, "C0001", members=["U0001", "UBOT"])
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    filled_in = filled(view, topics="robots", time="07:15", zone="Asia/Tokyo", days=["mon"], limit="3")
    assert (await submit(slack_bot, filled_in))["response_action"] == "update"
    assert not any(c.method == "views.publish" for c in slack_bot.fake.calls)


async def test_a_save_in_the_home_shows_there_under_the_reading_list(slack_bot: SlackBot) -> None:
    """A Save clicked in the App Home has no channel to answer in: the home is published again with it."""
    await open_home(slack_bot)
    home = await published(slack_bot)
    [paper] = [e["value"] for b in home["blocks"] if b.get("type") == "actions" for e in b["elements"]][:1]
    payload = button_click(
        SAVE_ACTION,
        f"top:save:{paper}",
        paper,
        {"type": "view", "view_id": "V0001"},
        view={"id": "V0001", "type": "home"},
    )
    response = await slack_bot.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert response.status_code == 200
    again = await published(slack_bot, count=2)
    assert "Your reading list" in text_of(again) and "Nothing saved yet" not in text_of(again)
    assert [s.arxiv_id for s in await slack_bot.community.lists.saved(Person("slack", "T0001", "U0001"))] == [paper]
    assert slack_bot.fake.calls_of("chat.postEphemeral") == []  # not to a channel of no id


class Conversations:
    """users.conversations answering every person with one channel, counting the calls."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def users_conversations(self, **args: Any) -> dict[str, Any]:
        self.asked.append(str(args["user"]))
        return {"ok": True, "channels": [{"id": "C0001"}], "response_metadata": {"next_cursor": ""}}


async def test_listings_past_their_time_are_forgotten_not_kept_forever() -> None:
    """One listing per person, kept five minutes: a person's listing whose time is over leaves memory
    (a workspace's every home opener stayed in it, with all their channels)."""
    now = [0.0]
    slack = Conversations()
    members = SlackMembers(cast(AsyncWebClient, slack), ttl=300.0, clock=lambda: now[0])
    for n in range(100):
        assert await members.is_member("C0001", f"U{n:04d}")
    assert await members.is_member("C0001", "U0000") and len(slack.asked) == 100  # kept: not asked again
    now[0] = 301.0
    assert await members.is_member("C0001", "U0100")
    assert len(members._cache) == 1  # the hundred listings whose time is over are gone
    assert await members.is_member("C0001", "U0000") and len(slack.asked) == 102  # asked again, as it must be
