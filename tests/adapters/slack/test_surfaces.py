"""Link cards and the subscribe form, through signed HTTP into the real bolt app, against the fake Slack."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from adapters.slack.render import SAVE_ACTION
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from tests.adapters.slack.conftest import SlackBot, settled
from tests.fakes.slack import Failure, check_options, check_view, check_view_errors

STORED = "2605.29307"  # GrepSeek, in the June store
HOSTILE = Paper(
    arxiv_id="2606.00666",
    title="<!channel> @everyone <@U0001> Free <https://evil.example|pizza> & more",
    abstract="<!here> An abstract that pings.",
    authors=("<!subteam^S1> Mallory",),
    ai_summary="<!everyone> click <https://evil.example|here>",
)


async def link_shared(
    bot: SlackBot,
    urls: list[str],
    *,
    composer: bool = False,
    event_id: str = "EvL1",
    message_ts: str = "1767225700.000100",
    source: str | None = None,
) -> None:
    """Slack's `link_shared`: for a posted message (with `source`, also its `unfurl_id`, as newer payloads
    carry, `conversations_history`), or with `composer` for the preview in someone's composer."""
    event: dict[str, Any] = {
        "type": "link_shared",
        "channel": "COMPOSER" if composer else "C0001",
        "is_bot_user_member": True,
        "user": "U0001",
        "message_ts": message_ts,
        "links": [{"domain": httpx.URL(u).host, "url": u} for u in urls],
        "event_ts": "1767225700.000200",
    }
    if composer:
        event |= {"unfurl_id": "C0001.1767225700.ABCDEF", "source": "composer"}
    elif source is not None:
        event |= {"unfurl_id": f"C0001.{message_ts}.ABCDEF", "source": source}
    response = await bot.event(event, event_id=event_id)
    assert response.status_code == 200


async def unfurled(bot: SlackBot, count: int = 1) -> dict[str, Any]:
    await bot.fake.wait_for(lambda: len(bot.fake.calls_of("chat.unfurl")) >= count)
    return bot.fake.calls_of("chat.unfurl")[count - 1]


def shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


async def test_each_paper_link_is_unfurled_keyed_by_the_url_as_posted(slack_bot: SlackBot) -> None:
    urls = [
        f"https://arxiv.org/abs/{STORED}v1",
        f"https://www.arxiv.org/pdf/{STORED}.pdf",
        f"https://huggingface.co/papers/{STORED}",
        "https://arxiv.org/list/cs.AI/recent",  # arxiv.org, but no paper
        "https://hf.co/papers/2401.99999",  # a paper the offline store lacks
    ]
    await link_shared(slack_bot, urls)
    call = await unfurled(slack_bot)
    assert (call["channel"], call["ts"]) == ("C0001", "1767225700.000100")
    unfurls = call["unfurls"]
    assert list(unfurls) == [urls[0], urls[1], urls[2], urls[4]]
    for url in urls[:3]:
        assert "GrepSeek" in shown(unfurls[url]["blocks"][0])
        actions = [e["action_id"] for b in unfurls[url]["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert actions == [SAVE_ACTION]  # Save, but no Share: the message is public already
    assert "2401.99999 is not in the local store" in shown(unfurls[urls[4]])


async def test_a_composer_preview_is_unfurled_by_its_unfurl_id(slack_bot: SlackBot) -> None:
    await link_shared(slack_bot, [f"https://hf.co/papers/{STORED}"], composer=True)
    call = await unfurled(slack_bot)
    assert (call["unfurl_id"], call["source"]) == ("C0001.1767225700.ABCDEF", "composer")
    assert "channel" not in call


async def test_links_that_are_not_papers_get_no_unfurl(slack_bot: SlackBot) -> None:
    await link_shared(slack_bot, ["https://arxiv.org/list/cs.AI", "https://huggingface.co/models"], event_id="EvL1")
    await link_shared(slack_bot, [f"https://arxiv.org/abs/{STORED}"], event_id="EvL2")
    call = await unfurled(slack_bot)
    assert list(call["unfurls"]) == [f"https://arxiv.org/abs/{STORED}"]
    assert len(slack_bot.fake.calls_of("chat.unfurl")) == 1


async def test_an_unfurl_pings_no_one(slack_bot: SlackBot) -> None:
    await slack_bot.store.save_papers([HOSTILE])
    await link_shared(slack_bot, [f"https://arxiv.org/abs/{HOSTILE.arxiv_id}"])
    sent = shown((await unfurled(slack_bot))["unfurls"])
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@U0001>", "<!subteam", "<https://evil.example"):
        assert ping not in sent
    assert "&lt;!channel&gt;" in sent


async def command(bot: SlackBot, text: str, *, channel: str = "C0001", user: str = "U0001") -> None:
    response = await bot.command(text, channel=channel, user=user)
    assert response.status_code == 200


async def opened_view(bot: SlackBot) -> dict[str, Any]:
    await bot.fake.wait_for(lambda: bot.fake.calls_of("views.open"))
    call = bot.fake.calls_of("views.open")[-1]
    assert call["trigger_id"] == "1.2.3"
    view: dict[str, Any] = call["view"]
    assert check_view(view) is None
    return view


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


async def test_a_bare_subscribe_opens_the_form(slack_bot: SlackBot) -> None:
    await command(slack_bot, "  Subscribe\u200b ")  # a zero-width space pasted with it: bare as the parser reads it
    view = await opened_view(slack_bot)
    elements = inputs(view)
    assert list(elements) == ["topics", "time", "timezone", "days", "limit"]
    assert [e["type"] for e in elements.values()] == [
        "plain_text_input",
        "timepicker",
        "external_select",
        "checkboxes",
        "number_input",
    ]
    assert elements["time"]["initial_time"] == "09:00"
    assert elements["timezone"]["initial_option"]["value"] == "UTC"
    assert [o["value"] for o in elements["days"]["initial_options"]] == ["mon", "tue", "wed", "thu", "fri"]
    assert slack_bot.fake.responses == []  # the form is the answer


async def test_the_form_is_filled_in_with_the_current_digest(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe diffusion, robotics at 8:30 tz Asia/Tokyo days mon,fri top 7")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    await command(slack_bot, "subscribe")
    elements = inputs(await opened_view(slack_bot))
    assert elements["topics"]["initial_value"] == "diffusion, robotics"
    assert elements["time"]["initial_time"] == "08:30"
    assert elements["timezone"]["initial_option"]["value"] == "Asia/Tokyo"
    assert [o["value"] for o in elements["days"]["initial_options"]] == ["mon", "fri"]
    assert elements["limit"]["initial_value"] == "7"


async def test_no_form_where_subscribing_is_refused(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0002"] = {"name": "bob"}
    await command(slack_bot, "subscribe", channel="D0001")
    await command(slack_bot, "subscribe", user="U0002")  # neither an admin nor the channel's creator
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) == 2)
    answers = sorted(shown(r) for r in slack_bot.fake.responses)
    assert any("Digests go to channels" in a for a in answers)
    assert any("you can't subscribe this channel" in a for a in answers)
    assert slack_bot.fake.calls_of("views.open") == []


def filled(
    view: dict[str, Any], *, topics: str | None, time: str, zone: str, days: list[str], limit: str | None
) -> dict[str, Any]:
    """The view as Slack sends it back on submission, with `state.values[block_id][action_id]`."""
    values = {
        "topics": {"topics": {"type": "plain_text_input", "value": topics}},
        "time": {"time": {"type": "timepicker", "selected_time": time}},
        "timezone": {
            "timezone": {
                "type": "external_select",
                "selected_option": {"text": {"type": "plain_text", "text": zone}, "value": zone},
            }
        },
        "days": {
            "days": {
                "type": "checkboxes",
                "selected_options": [{"text": {"type": "plain_text", "text": d}, "value": d} for d in days],
            }
        },
        "limit": {"limit": {"type": "number_input", "value": limit}},
    }
    return {**view, "id": "V0001", "team_id": "T0001", "state": {"values": values}, "hash": "1.abc"}


async def interact(bot: SlackBot, payload: dict[str, Any]) -> httpx.Response:
    base = {
        "team": {"id": "T0001", "domain": "lab"},
        "user": {"id": "U0001", "username": "ada", "name": "ada", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "1.2.4",
    }
    return await bot.send(urlencode({"payload": json.dumps(base | payload)}), "application/x-www-form-urlencoded")


async def submit(bot: SlackBot, view: dict[str, Any]) -> dict[str, Any]:
    response = await interact(bot, {"type": "view_submission", "view": view, "response_urls": []})
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


async def test_submitting_the_form_saves_what_the_typed_command_saves(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    answer = await submit(
        slack_bot,
        filled(view, topics="diffusion, robotics", time="08:30", zone="Europe/Berlin", days=["mon", "wed"], limit="3"),
    )
    assert answer["response_action"] == "update"
    assert check_view(answer["view"]) is None
    assert "This channel is subscribed" in shown(answer["view"])
    by_form = await slack_bot.subscriptions.get(ChannelRef("slack", "C0001"))
    slack_bot.fake.channels["C0002"] = {"name": "more-papers", "creator": "U0001"}
    await command(
        slack_bot, "subscribe diffusion, robotics at 08:30 tz Europe/Berlin days mon,wed top 3", channel="C0002"
    )
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    by_typing = await slack_bot.subscriptions.get(ChannelRef("slack", "C0002"))
    assert by_form is not None and by_typing is not None
    assert (
        (by_form.topics, by_form.time, by_form.timezone, by_form.days, by_form.limit)
        == (
            by_typing.topics,
            by_typing.time,
            by_typing.timezone,
            by_typing.days,
            by_typing.limit,
        )
        == (("diffusion", "robotics"), "08:30", "Europe/Berlin", "mon,wed", 3)
    )


async def test_a_weekly_roundups_form_picks_its_day_and_saves_it_weekly(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe weekly diffusion on fri at 16:00")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    assert view["title"]["text"] == "Weekly roundup"
    day = inputs(view)["days"]
    assert day["type"] == "static_select" and day["initial_option"]["value"] == "fri"
    sent = filled(view, topics="diffusion", time="16:00", zone="UTC", days=[], limit="3")
    sent["state"]["values"]["days"] = {"days": {"type": "static_select", "selected_option": day["options"][3]}}
    answer = await submit(slack_bot, sent)
    assert answer["response_action"] == "update" and "weekly roundup" in shown(answer["view"])
    saved = await slack_bot.subscriptions.get(ChannelRef("slack", "C0001"))
    assert saved is not None and (saved.cadence, saved.days, saved.limit, saved.time) == ("weekly", "thu", 3, "16:00")


async def test_mistakes_are_shown_in_the_form_and_nothing_is_saved(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    answer = await submit(
        slack_bot, filled(view, topics="<!channel>, xai", time="09:00", zone="Europe/Berln", days=["mon"], limit="99")
    )
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"timezone", "limit"}
    assert check_view_errors(view, answer["errors"]) is None
    assert "Did you mean Europe/Berlin?" in answer["errors"]["timezone"]
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "C0001")) is None


async def test_the_forms_answer_pings_no_one(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    answer = await submit(
        slack_bot, filled(view, topics="<!channel> news, <@U0002>", time="09:00", zone="UTC", days=["mon"], limit=None)
    )
    assert answer["response_action"] == "update"
    assert "<!channel>" not in shown(answer) and "<@U0002>" not in shown(answer)
    saved = await slack_bot.subscriptions.get(ChannelRef("slack", "C0001"))
    assert saved is not None and saved.topics == ("<!channel> news", "<@U0002>")  # kept as typed, shown inert


async def test_a_refusal_on_submit_is_shown_in_the_form(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    slack_bot.fake.channels["C0001"]["creator"] = "U0009"  # ada no longer may
    answer = await submit(slack_bot, filled(view, topics=None, time="09:00", zone="UTC", days=["mon"], limit=None))
    assert answer["response_action"] == "update"
    assert "you can't subscribe this channel" in shown(answer["view"])
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "C0001")) is None


@pytest.mark.parametrize(
    ("method", "error", "expected"),
    [
        ("users.info", "user_not_found", "I can't tell whether you may change this channel's digest: Slack answered"),
        ("views.open", "expired_trigger_id", "Slack would not open the form in time. Type it instead:"),
    ],
)
@pytest.mark.slow
async def test_when_slack_fails_the_form_the_asker_is_told_why(
    slack_bot: SlackBot, method: str, error: str, expected: str
) -> None:
    slack_bot.fake.fail(method, Failure(error=error))
    await command(slack_bot, "subscribe")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    said = shown(slack_bot.fake.responses)
    assert expected in said
    assert "something went wrong" not in said
    assert len(slack_bot.fake.calls_of("views.open")) == (1 if method == "views.open" else 0)


async def test_no_form_and_no_saving_where_the_bot_cannot_post(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0ADMIN"] = {"name": "root", "is_admin": True}
    await command(slack_bot, "subscribe", channel="G0PRIVATE", user="U0ADMIN")  # never invited
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert "invite me first" in shown(slack_bot.fake.responses) and slack_bot.fake.calls_of("views.open") == []
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    slack_bot.fake.channels["C0001"]["is_archived"] = True  # archived while the form was open
    answer = await submit(slack_bot, filled(view, topics=None, time="09:00", zone="UTC", days=["mon"], limit=None))
    assert "This channel is archived" in shown(answer["view"])
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "C0001")) is None


async def test_when_slack_will_not_say_who_may_on_submit_the_form_says_why(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    slack_bot.fake.fail("users.info", Failure(status=500))
    answer = await submit(slack_bot, filled(view, topics=None, time="09:00", zone="UTC", days=["mon"], limit=None))
    assert answer["response_action"] == "errors"  # the form stays open with what was typed
    assert "I can't tell whether you may change this channel's digest" in answer["errors"]["topics"]
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "C0001")) is None


@pytest.mark.slow
async def test_a_form_slack_is_slow_to_allow_is_not_opened_after_its_trigger_expired(slack_bot: SlackBot) -> None:
    """A 429 waited out before views.open opened the form past its trigger_id's 3 s: "Slack would not open
    the form (expired_trigger_id)". The checks have a deadline, and the asker is told in our words."""
    slack_bot.fake.fail("conversations.info", Failure(status=429, retry_after=4))
    await command(slack_bot, "subscribe")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    said = shown(slack_bot.fake.responses)
    assert "The form could not open in time. Type it instead:" in said and "expired_trigger_id" not in said
    assert slack_bot.fake.calls_of("views.open") == []


@pytest.mark.slow
async def test_a_form_is_answered_within_slacks_3_s_while_slack_is_slow_to_say_who_may(slack_bot: SlackBot) -> None:
    """Asking Slack who may change the channel waited out a 429 past the form's 3 s: Slack showed its own
    error, and then the digest was saved anyway. Field errors come first, without asking Slack."""
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    bad = await submit(slack_bot, filled(view, topics=None, time="25:00", zone="UTC", days=["mon"], limit=None))
    assert bad["response_action"] == "errors" and "time" in bad["errors"]
    slack_bot.fake.fail("conversations.info", Failure(status=429, retry_after=4))
    started = time.monotonic()
    slow = await submit(slack_bot, filled(view, topics=None, time="09:00", zone="UTC", days=["mon"], limit=None))
    assert time.monotonic() - started < 3
    assert slow["response_action"] == "errors" and "press Save again" in slow["errors"]["topics"]
    await asyncio.sleep(4.5)  # the slow answer comes after all: still nothing saved
    assert await slack_bot.subscriptions.get(ChannelRef("slack", "C0001")) is None


async def test_time_zones_are_suggested_as_one_types(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe")
    view = await opened_view(slack_bot)
    response = await interact(
        slack_bot,
        {
            "type": "block_suggestion",
            "container": {"type": "view", "view_id": "V0001"},
            "action_id": "timezone",
            "block_id": "timezone",
            "value": "berl",
            "view": view,
        },
    )
    assert response.status_code == 200
    options = response.json()["options"]
    assert check_options(options) is None
    assert options[0] == {"text": {"type": "plain_text", "text": "Europe/Berlin"}, "value": "Europe/Berlin"}


async def test_subscribe_with_words_still_saves_at_once(slack_bot: SlackBot) -> None:
    await command(slack_bot, "subscribe diffusion")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert "This channel is subscribed" in shown(slack_bot.fake.responses[0])
    assert slack_bot.fake.calls_of("views.open") == []


async def test_no_form_for_a_digest_the_config_file_manages(slack_bot: SlackBot) -> None:
    await slack_bot.subscriptions.seed([Subscription(ChannelRef("slack", "C0001", "T0001"), ("x",), source="config")])
    await command(slack_bot, "subscribe")
    await slack_bot.fake.wait_for(lambda: slack_bot.fake.responses)
    assert "managed by the config file" in shown(slack_bot.fake.responses[0])
    assert slack_bot.fake.calls_of("views.open") == []


def test_a_note_of_a_fault_that_may_pass_is_not_unfurled() -> None:
    from adapters.slack.surfaces import unfurlable
    from bot.surfaces.links import LinkCard

    lacking = LinkCard("https://arxiv.org/abs/2401.00001", "2401.00001", None, "not in the local store")
    failing = LinkCard("https://arxiv.org/abs/2401.00002", "2401.00002", None, "could not be fetched", passing=True)
    assert unfurlable([lacking, failing]) == [lacking]


@pytest.mark.slow
async def test_a_retried_link_shared_is_unfurled_once(slack_bot: SlackBot) -> None:
    """Slack sends an event again (same event_id, X-Slack-Retry-Num) when it thinks the first was not
    acknowledged in time: one unfurl, one lookup, as for every event."""
    await link_shared(slack_bot, [f"https://arxiv.org/abs/{STORED}"], event_id="EvR1")
    await unfurled(slack_bot)
    event = {
        "type": "link_shared",
        "channel": "C0001",
        "is_bot_user_member": True,
        "user": "U0001",
        "message_ts": "1767225700.000100",
        "links": [{"domain": "arxiv.org", "url": f"https://arxiv.org/abs/{STORED}"}],
        "event_ts": "1767225700.000200",
    }
    assert (await slack_bot.event(event, event_id="EvR1", retry=1)).status_code == 200
    await link_shared(slack_bot, [f"https://arxiv.org/abs/{STORED}"], event_id="EvR2")  # a new event is answered
    await unfurled(slack_bot, 2)
    await asyncio.sleep(0.2)  # the retry's handler, had it run, would have called by now
    await settled()
    assert len(slack_bot.fake.calls_of("chat.unfurl")) == 2
