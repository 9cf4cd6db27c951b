"""Who may subscribe and unsubscribe a Slack channel, through signed commands into the real bolt app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.slack.permissions import SCOPES, Managers
from bot.domain.channels import ChannelRef
from bot.domain.errors import ConfigError
from tests.adapters.slack.conftest import SlackBot
from tests.fakes.slack import TEAM, Failure

MANIFEST = Path(__file__).resolve().parents[3] / "config" / "slack-manifest.yml"
C0001 = ChannelRef("slack", "C0001")


async def answer(slack_bot: SlackBot, text: str, *, channel: str = "C0001", user: str = "U0001") -> str:
    before = len(slack_bot.fake.responses)
    await slack_bot.command(text, channel=channel, user=user)
    await slack_bot.fake.wait_for(lambda: len(slack_bot.fake.responses) > before)
    return json.dumps(slack_bot.fake.responses[-1], ensure_ascii=False)


def asked(slack_bot: SlackBot) -> list[tuple[str, dict[str, Any]]]:
    checks = ("users.info", "conversations.info", "usergroups.users.list")
    return [(c.method, c.args) for c in slack_bot.fake.calls if c.method in checks]


async def test_a_member_who_did_not_create_the_channel_is_refused(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0002"] = {"name": "bob"}
    said = await answer(slack_bot, "subscribe diffusion", user="U0002")
    assert "Sorry, you can't subscribe this channel" in said
    assert "the workspace's owners and admins and the person who created the channel" in said
    assert await slack_bot.subscriptions.get(C0001) is None


async def test_the_channel_creator_may(slack_bot: SlackBot) -> None:
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion")
    assert [m for m, _ in asked(slack_bot)] == ["conversations.info", "users.info"]  # the channel asked of once
    assert asked(slack_bot)[0][1]["channel"] == "C0001"


@pytest.mark.parametrize("role", ["is_admin", "is_owner", "is_primary_owner"])
async def test_workspace_admins_and_owners_may(slack_bot: SlackBot, role: str) -> None:
    slack_bot.fake.users["U0ADMIN"] = {"name": "root", role: True}
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0ADMIN")
    assert [m for m, _ in asked(slack_bot)] == ["conversations.info", "users.info"]  # whether the bot can post
    assert "Unsubscribed" in await answer(slack_bot, "unsubscribe", user="U0ADMIN")
    assert [m for m, _ in asked(slack_bot)][2:] == ["users.info"]  # leaving needs no channel the bot can post in


@pytest.mark.slow
async def test_a_public_channel_the_bot_is_not_in_is_subscribed_and_told_to_invite_it(slack_bot: SlackBot) -> None:
    """The digest is posted there (chat:write.public), but Slack sends no reaction, reply or mention from a
    channel the bot is not in: votes and thread questions never arrived, and nothing said so."""
    from adapters.slack.wording import NOT_A_MEMBER

    slack_bot.fake.channels["C0001"]["is_member"] = False
    nothing = await answer(slack_bot, "settings at 10:00")  # no digest here yet: nothing posted, nothing to say
    assert "no digest to change" in nothing and "I'm not a member of this channel" not in nothing
    outside = json.loads(await answer(slack_bot, "subscribe diffusion"))
    assert "This channel is subscribed" in outside["text"] and NOT_A_MEMBER in json.dumps(outside, ensure_ascii=False)
    slack_bot.fake.channels["C0001"]["is_member"] = True  # invited since
    inside = await answer(slack_bot, "subscribe diffusion at 10:00")
    assert "This channel is updated" in inside and "I'm not a member of this channel" not in inside


async def test_unsubscribe_is_held_to_the_same_rule(slack_bot: SlackBot) -> None:
    await answer(slack_bot, "subscribe diffusion")
    slack_bot.fake.users["U0002"] = {"name": "bob"}
    assert "Sorry, you can't unsubscribe this channel" in await answer(slack_bot, "unsubscribe", user="U0002")
    assert await slack_bot.subscriptions.get(C0001) is not None


@pytest.mark.slow
async def test_reading_commands_ask_slack_nothing(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0002"] = {"name": "bob"}
    for text in ("settings", "help", "today", "paper 2605.29307", "diffusion"):
        await answer(slack_bot, text, user="U0002")
    assert asked(slack_bot) == []


async def test_a_direct_message_asks_slack_nothing_and_points_to_the_channel(slack_bot: SlackBot) -> None:
    assert "Digests go to channels" in await answer(slack_bot, "subscribe diffusion", channel="D0001", user="U0009")
    assert asked(slack_bot) == []


async def test_help_says_who_may(slack_bot: SlackBot) -> None:
    said = await answer(slack_bot, "help")
    assert "Who may subscribe or unsubscribe a channel" in said
    assert "`[slack] admins`" in said


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (
            Failure(error="missing_scope"),
            "the app lacks Slack's read permission (scope). Whoever installed paperboy can add users:read",
        ),
        (Failure(error="user_not_found"), "Slack answered users.info with user_not_found. Try again in a moment"),
        (Failure(status=500), "Try again in a moment"),
    ],
)
@pytest.mark.slow
async def test_when_slack_will_not_say_the_answer_says_why_and_what_to_do(
    slack_bot: SlackBot, failure: Failure, expected: str
) -> None:
    slack_bot.fake.fail("users.info", failure)
    said = await answer(slack_bot, "subscribe diffusion")
    assert "I can't tell whether you may change this channel's digest" in said
    assert expected in said
    assert "something went wrong" not in said
    assert await slack_bot.subscriptions.get(C0001) is None


async def test_a_private_channel_the_bot_is_not_in(slack_bot: SlackBot) -> None:
    said = await answer(slack_bot, "subscribe diffusion", channel="G0PRIVATE")
    assert "I can't post in this channel, so its digest would never arrive: invite me first" in said


@pytest.mark.parametrize("role", ["is_admin", "is_owner"])
async def test_an_admin_is_not_told_subscribed_where_the_bot_cannot_post(slack_bot: SlackBot, role: str) -> None:
    """A digest there would never arrive: a private channel the bot was not invited to, an archived one."""
    slack_bot.fake.users["U0ADMIN"] = {"name": "root", role: True}
    said = await answer(slack_bot, "subscribe diffusion", channel="G0PRIVATE", user="U0ADMIN")
    assert "invite me first (`/invite @paperboy`), then subscribe again" in said and "subscribed" not in said
    slack_bot.fake.channels["C0OLD"] = {"is_archived": True}
    said = await answer(slack_bot, "subscribe diffusion", channel="C0OLD", user="U0ADMIN")
    assert "This channel is archived" in said
    for gone in ("G0PRIVATE", "C0OLD"):
        assert await slack_bot.subscriptions.get(ChannelRef("slack", gone)) is None


@pytest.mark.parametrize("slack_admins", [("U0002", "S0TEAM")])
@pytest.mark.slow
async def test_with_an_allow_list_only_those_listed_may(slack_bot: SlackBot) -> None:
    slack_bot.fake.usergroups["S0TEAM"] = ["U0003"]
    slack_bot.fake.users["U0ADMIN"] = {"name": "root", "is_admin": True}
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0002")
    assert "This channel is updated" in await answer(slack_bot, "subscribe robots", user="U0003")  # via S0TEAM
    for outsider in ("U0001", "U0ADMIN"):  # the creator and a workspace admin: the list decides
        assert "Sorry, you can't unsubscribe" in await answer(slack_bot, "unsubscribe", user=outsider)
    methods = [m for m, _ in asked(slack_bot)]
    assert (
        methods == ["conversations.info", "conversations.info", "usergroups.users.list"] + ["usergroups.users.list"] * 2
    )
    assert await slack_bot.subscriptions.get(C0001) is not None


@pytest.mark.parametrize("slack_admins", [(f"{TEAM}:U0002", "T0OTHER:U0001", "T0OTHER:S0THEIRS")])
async def test_an_entry_with_a_workspace_counts_in_that_workspace_only(slack_bot: SlackBot) -> None:
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0002")
    # U0001 is listed for another workspace: here, the list (naming U0002 for this one) decides
    assert "Sorry, you can't unsubscribe" in await answer(slack_bot, "unsubscribe", user="U0001")
    assert "usergroups.users.list" not in [m for m, _ in asked(slack_bot)]  # another workspace's group


@pytest.mark.parametrize("slack_admins", [("T0OTHER:U0002", "T0OTHER:S0THEIRS")])
async def test_a_workspace_no_entry_names_keeps_slacks_own_roles(slack_bot: SlackBot) -> None:
    slack_bot.fake.users["U0ADMIN"] = {"name": "root", "is_admin": True}
    slack_bot.fake.users["U0002"] = {"name": "bob"}
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0ADMIN")
    assert "Sorry, you can't unsubscribe" in await answer(slack_bot, "unsubscribe", user="U0002")


@pytest.mark.parametrize("slack_admins", [("S0GONE", "S0TEAM")])
async def test_a_user_group_this_workspace_lacks_has_nobody_in_it(slack_bot: SlackBot) -> None:
    """Slack's no_such_subteam (a group deleted, or another workspace's) is no member, not "try again"."""
    slack_bot.fake.usergroups["S0TEAM"] = ["U0003"]
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0003")
    said = await answer(slack_bot, "unsubscribe", user="U0001")
    assert "Sorry, you can't unsubscribe" in said and "no_such_subteam" not in said


def test_with_many_workspaces_each_entry_names_its_workspace() -> None:
    with pytest.raises(ConfigError, match=r'U0002, S0TEAM without a workspace.*"T0123ABCD:U0002"'):
        Managers(("*", "T0001:U0001", "U0002", "S0TEAM"), many=True)
    assert Managers(("*", "T0001:U0001"), many=True).listed("T0001") == ("*", "U0001")
    assert Managers(("T0001:U0001", "U0002")).listed("T0002") == ("U0002",)  # one workspace: for it


@pytest.mark.parametrize("slack_admins", [("*",)])
async def test_an_allow_list_of_star_lets_everyone(slack_bot: SlackBot) -> None:
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0STRANGER")
    assert [m for m, _ in asked(slack_bot)] == ["conversations.info"]  # only whether the bot can post there


@pytest.mark.parametrize("slack_admins", [("*",)])
async def test_when_slack_will_not_say_whether_the_bot_can_post_the_allow_list_decides(slack_bot: SlackBot) -> None:
    """Only Slack's definite word (no such channel, archived) refuses: a scope the app lacks or a 500 does not."""
    slack_bot.fake.fail("conversations.info", Failure(error="missing_scope"))
    assert "This channel is subscribed" in await answer(slack_bot, "subscribe diffusion", user="U0STRANGER")
    slack_bot.fake.fail("conversations.info", Failure(status=500))
    assert "This channel is updated" in await answer(slack_bot, "subscribe robots", user="U0STRANGER")


def test_the_manifest_asks_for_the_scopes_the_check_needs() -> None:
    manifest: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert set(SCOPES) <= set(manifest["oauth_config"]["scopes"]["bot"])
