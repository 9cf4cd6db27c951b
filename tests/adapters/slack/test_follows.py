"""Personal follows on Slack, through signed slash commands into the real bolt app: the zone from the
person's profile (users.info), their direct message with the bot (conversations.open), and the digest
delivered there once by the sweep at 09:00 their time."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.sweep import Sweeper
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.store.reading import Person
from tests.adapters.slack.conftest import SlackBot, settled
from tests.chat.world import NOW
from tests.fakes.server import eventually
from tests.fakes.slack import Failure


async def answer(bot: SlackBot, text: str, channel: str = "D0001") -> str:
    before = len(bot.fake.responses)
    await bot.command(text, channel=channel)
    await bot.fake.wait_for(lambda: len(bot.fake.responses) > before)
    return json.dumps(bot.fake.responses[-1], ensure_ascii=False)


def called(bot: SlackBot, method: str) -> int:
    return sum(1 for c in bot.fake.calls if c.method == method)


def follow_sweeper(bot: SlackBot) -> Sweeper:
    delivery = DigestDelivery(
        bot.store, bot.search, bot.ledger, bot.subscriptions, {"slack": bot.publisher}, clock=lambda: NOW
    )
    return Sweeper(bot.subscriptions, bot.ledger, bot.store, delivery, ScheduleConfig(), frozenset({"slack"}))


@pytest.mark.slow
async def test_follow_in_a_dm_uses_the_profiles_zone_and_the_bots_dm(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"
    slack_bot.fake.ims["U0001"] = "D0001"
    said = await answer(slack_bot, "follow diffusion -robotics")
    assert "You now follow “diffusion”, leaving out “robotics”" in said and "09:00 America/New_York" in said
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and follow.channel == ChannelRef("slack", "D0001", "T0001")
    assert follow.topics == ("diffusion", "-robotics") and follow.timezone == "America/New_York"
    assert (called(slack_bot, "users.info"), called(slack_bot, "conversations.open")) == (1, 1)

    listed = await answer(slack_bot, "follows")
    assert "“diffusion”, leaving out “robotics”" in listed
    await answer(slack_bot, "unfollow -robotics")
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and follow.topics == ("diffusion",)
    kept = await answer(slack_bot, 'unfollow ""')  # a topic named empty ended every follow
    assert "You don't follow “”. You follow: `diffusion`." in kept, kept
    assert (await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")) is not None
    assert "no more personal digests" in await answer(slack_bot, "unfollow")
    assert await slack_bot.subscriptions.all() == []


async def test_a_follow_typed_in_someone_elses_dm_goes_to_the_bots_own(slack_bot: SlackBot) -> None:
    said = await answer(slack_bot, "follow author:LeCun", channel="D0999")  # a DM between two people
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and follow.channel.channel == slack_bot.fake.ims["U0001"] != "D0999"
    # the answer, shown where it was typed, said "your digest here", where none comes
    assert "your digest in your direct message with me, weekdays" in said and "your digest here" not in said, said
    own = await answer(slack_bot, "follow agents", channel=slack_bot.fake.ims["U0001"])
    assert "your digest here, weekdays" in own, own


async def test_without_a_zone_in_the_profile_it_is_utc_and_says_so(slack_bot: SlackBot) -> None:
    said = await answer(slack_bot, "follow diffusion")
    assert "09:00 UTC" in said and "could not read a time zone from your Slack profile" in said


async def test_follow_in_a_channel_says_to_dm_the_bot(slack_bot: SlackBot) -> None:
    said = await answer(slack_bot, "follow diffusion", channel="C0001")
    assert "direct message with me" in said and "Messages tab" in said
    assert await slack_bot.subscriptions.all() == []
    assert called(slack_bot, "users.info") == 0  # nothing asked of Slack for a refused follow


@pytest.mark.slow
async def test_the_follow_is_delivered_once_to_the_dm_at_nine_their_time(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"  # 09:00 EDT is 13:00 UTC
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")  # at NOW, 07:30 UTC on Wednesday 3 June
    sweeper = follow_sweeper(slack_bot)
    early = NOW.replace(hour=12, minute=59)
    assert await sweeper.sweep(early) == []
    [result] = await sweeper.sweep(early + timedelta(minutes=1))
    assert result.outcome == "posted" and result.channel.channel == "D0001", result.describe()
    assert await sweeper.sweep(early + timedelta(minutes=2)) == []  # once only
    posts = slack_bot.fake.posts("D0001")
    assert posts and "Daily Papers · Wednesday 3 June 2026" in json.dumps(posts[0]["blocks"], ensure_ascii=False)
    assert slack_bot.fake.posts("C0001") == []


def user_change(user: str, zone: str) -> dict[str, object]:
    """Slack's `user_change` event: the user object as `users.info` gives it, edited."""
    return {"type": "user_change", "user": {"id": user, "team_id": "T0001", "tz": zone}, "event_ts": "1780471800.1"}


async def in_zone(bot: SlackBot, zone: str, team: str = "T0001") -> None:
    """Wait until U0001's follow in `team` is in `zone` (bolt runs event listeners after its ack)."""

    async def there() -> bool:
        follow = await bot.subscriptions.of_person("slack", team, "U0001")
        return follow is not None and follow.timezone == zone

    await eventually(there, f"the follow's zone moved to {zone}")


async def test_a_follower_whose_profile_zone_changes_gets_the_digest_at_nine_there(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")
    assert (await slack_bot.event(user_change("U0001", "Asia/Tokyo"), event_id="Ev1")).status_code == 200
    await in_zone(slack_bot, "Asia/Tokyo")
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and (follow.topics, follow.time, follow.days) == (("agents",), "09:00", "mon-fri")
    assert "09:00 Asia/Tokyo" in await answer(slack_bot, "follows")


@pytest.mark.slow
async def test_a_digest_not_yet_come_comes_at_once_after_a_move_past_nine_and_only_once(slack_bot: SlackBot) -> None:
    """Followed at 07:30 UTC with New York's zone (09:00 is 13:00 UTC), moved to Paris (07:00 UTC) at
    10:00 UTC, before the day's digest: it comes at once, as Paris's 09:00 has passed (though before the
    follow was made), and not again at New York's 09:00."""
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")  # at NOW, 07:30 UTC
    sweeper = follow_sweeper(slack_bot)
    assert await sweeper.sweep(NOW.replace(hour=10)) == []  # 06:00 in New York
    await slack_bot.event(user_change("U0001", "Europe/Paris"), event_id="Ev1")
    await in_zone(slack_bot, "Europe/Paris")
    [result] = await sweeper.sweep(NOW.replace(hour=10, minute=1))
    assert result.outcome == "posted" and result.channel.channel == "D0001", result.describe()
    assert await sweeper.sweep(NOW.replace(hour=13, minute=1)) == []  # New York's 09:00: once only
    assert len([p for p in slack_bot.fake.posts("D0001") if "Daily Papers" in json.dumps(p)]) == 1


@pytest.mark.slow
async def test_a_profile_change_of_someone_who_follows_nothing_or_names_no_zone_changes_nothing(
    slack_bot: SlackBot,
) -> None:
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")
    changes = [("U0002", "Asia/Tokyo"), ("U0001", "Mars/Olympus"), ("U0001", ""), ("U0001", "Europe/Paris")]
    for n, (user, zone) in enumerate(changes):  # the last one, a real move, is waited for
        assert (await slack_bot.event(user_change(user, zone), event_id=f"Ev{n}")).status_code == 200
    await in_zone(slack_bot, "Europe/Paris")
    await settled()
    assert await slack_bot.subscriptions.of_person("slack", "T0001", "U0002") is None
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and follow.timezone == "Europe/Paris"


@pytest.mark.slow
async def test_a_reaction_on_a_personal_digests_card_is_no_vote_and_the_bookmark_saves(slack_bot: SlackBot) -> None:
    """As on Discord: a direct message has no channel's votes (`/papers top` there stays empty), and the
    bookmark on one of its cards puts the paper on the person's reading list."""
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")
    [result] = await follow_sweeper(slack_bot).sweep(NOW.replace(hour=9, minute=1))
    assert result.outcome == "posted", result.describe()
    card = slack_bot.fake.stored["D0001"][1]  # after the header
    paper = str(card["metadata"]["event_payload"]["key"]).split(":")[1]
    for n, emoji in enumerate(["+1", "bookmark"]):
        event = {
            "type": "reaction_added",
            "user": "U0001",
            "reaction": emoji,
            "item": {"type": "message", "channel": "D0001", "ts": card["ts"]},
            "item_user": "UBOT",
            "event_ts": f"1780471800.{n}",
        }
        assert (await slack_bot.event(event, event_id=f"Ev{n}")).status_code == 200
    person = Person("slack", "T0001", "U0001")

    async def saved() -> bool:
        return bool(await slack_bot.community.lists.saved(person))

    await eventually(saved, "the bookmarked paper saved")
    await settled()
    assert [s.arxiv_id for s in await slack_bot.community.lists.saved(person)] == [paper]
    dm = ChannelRef("slack", "D0001", "T0001")
    assert list(await slack_bot.community.engagement.top(dm, None, None, 10)) == []


@pytest.mark.slow
async def test_a_deactivated_account_follows_nothing_any_more(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")
    gone = {"type": "user_change", "user": {"id": "U0001", "team_id": "T0001", "deleted": True, "tz": "Asia/Tokyo"}}
    assert (await slack_bot.event(gone, event_id="Ev1")).status_code == 200

    async def ended() -> bool:
        return await slack_bot.subscriptions.of_person("slack", "T0001", "U0001") is None

    await eventually(ended, "the deactivated person's follows ended")


async def test_a_follow_whose_dm_cannot_be_opened_is_not_saved_where_no_digest_could_come(slack_bot: SlackBot) -> None:
    """conversations.open refused (an app installed before im:write): the follow was saved on the DM it was
    typed in, between two people, where the bot cannot post: "You now follow" and never a digest."""
    slack_bot.fake.fail("conversations.open", Failure(error="missing_scope", needed="im:write"))
    said = await answer(slack_bot, "follow agents", channel="D0999")
    assert "couldn't open a direct message with you" in said and "nothing was saved" in said
    assert await slack_bot.subscriptions.all() == []


async def test_a_follow_typed_in_the_bots_own_dm_is_saved_there_when_no_other_can_be_opened(
    slack_bot: SlackBot,
) -> None:
    slack_bot.fake.fail("conversations.open", Failure(error="missing_scope", needed="im:write"))
    slack_bot.fake.channels["D0001"] = {"is_im": True, "user": "U0001"}  # the bot's own DM with ada
    assert "You now follow “agents”" in await answer(slack_bot, "follow agents", channel="D0001")
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and follow.channel.channel == "D0001"


async def test_a_stopped_follow_says_to_follow_again_which_resumes_it(slack_bot: SlackBot) -> None:
    """`follows` on a follow whose direct message refused the bot said "subscribe again … to resume", which
    a direct message refuses; `follow` with one of the topics is what resumes it."""
    slack_bot.fake.users["U0001"]["tz"] = "America/New_York"
    slack_bot.fake.ims["U0001"] = "D0001"
    await answer(slack_bot, "follow agents")
    slack_bot.fake.missing_channels.add("D0001")
    await follow_sweeper(slack_bot).sweep(NOW.replace(hour=13, minute=1))
    slack_bot.fake.missing_channels.discard("D0001")
    listed = await answer(slack_bot, "follows")
    assert "Delivery stopped" in listed and "`/papers follow agents` (any of your topics) resumes them" in listed
    assert "subscribe again" not in listed
    assert "Your digest resumes" in await answer(slack_bot, "follow agents")  # was "You follow these already"
    follow = await slack_bot.subscriptions.of_person("slack", "T0001", "U0001")
    assert follow is not None and follow.status is None and follow.topics == ("agents",)


async def test_a_follower_s_unsubscribe_and_settings_in_a_direct_message_speak_of_their_own_digest(
    slack_bot: SlackBot,
) -> None:
    """`unsubscribe` in the bot's DM answered "For your own digest here, `/papers follow TOPIC`": it stopped
    nothing, and offered to follow more. `settings` in a DM with a colleague said "You follow nothing yet"
    where `follows` listed “diffusion” (a follow typed there goes to the bot's DM)."""
    slack_bot.fake.ims["U0001"] = "D0001"
    assert "You now follow" in await answer(slack_bot, "follow diffusion")
    said = await answer(slack_bot, "unsubscribe")
    assert "Your own digest here: `/papers unfollow TOPIC` stops one, `/papers unfollow` all." in said, said
    settings = await answer(slack_bot, "settings", channel="D0999")
    assert "What you follow" in settings and "“diffusion”" in settings, settings
