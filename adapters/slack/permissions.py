"""Who may subscribe and unsubscribe a Slack channel: the config file's allow list, or Slack's own roles.

With `[slack] admins` set, exactly the members and user groups it lists may ("*" lets everyone); an
entry `T…:U…` counts in that workspace only (each entry names its workspace when paperboy serves
many). In a workspace no entry counts in, workspace owners and admins may (`users.info`), and so may
whoever created the channel (`conversations.info`): the people a workspace already trusts with that
channel. The adapter finds this out; the core (`bot.chat.service`) refuses the command when the answer is no.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.errors import TOKEN_REFUSALS, error_fields
from bot.domain.errors import ConfigError, PaperboyError

log = logging.getLogger("paperboy.slack")
SCOPES = ("users:read", "channels:read", "groups:read", "mpim:read", "usergroups:read")


class PermissionUnknown(PaperboyError):
    """Slack would not say whether someone may manage a channel; the message says what to do about it."""

    def __init__(self, method: str, error: str, needed: str | None = None) -> None:
        self.method = method
        self.error = error
        self.needed = needed
        head = "I can't tell whether you may change this channel's digest"
        if error == "missing_scope":
            fix = (
                f"the app lacks Slack's {needed or 'read'} permission (scope). Whoever installed paperboy can add "
                f"{', '.join(SCOPES)} (as in config/slack-manifest.yml) and reinstall it, or list who may "
                "under `[slack] admins` in paperboy's config file"
            )
        elif error in ("channel_not_found", "not_in_channel"):
            fix = "I can't see this channel. Invite me first: `/invite @paperboy`"
        elif error == "no answer":
            fix = f"Slack did not answer {method}. Try again in a moment"
        else:
            fix = f"Slack answered {method} with {error}. Try again in a moment"
        super().__init__(f"{head}: {fix}.")


class OutOfReach(PaperboyError):
    """The bot cannot post in the channel a person subscribes: a digest there would never arrive."""


class Managers:
    """Answers "may this person change this channel's digest?" for the Slack adapter. An entry of
    `[slack] admins` written `T…:U…` or `T…:S…` counts in that workspace only; a workspace that no
    entry counts in keeps Slack's own roles."""

    def __init__(self, admins: Sequence[str] = (), *, many: bool = False) -> None:
        """`many`: paperboy serves many workspaces, so an entry names its workspace (or is "*")."""
        unplaced = [a for a in admins if a != "*" and ":" not in a]
        if many and unplaced:
            raise ConfigError(
                f"[slack] admins lists {', '.join(unplaced)} without a workspace, and paperboy serves many: a "
                f"member or user group belongs to one workspace, so write its workspace's id in front "
                f'("T0123ABCD:{unplaced[0]}"); a workspace that no entry names keeps Slack\'s own roles'
            )
        self._admins = tuple(admins)
        self._outside: set[str] = set()  # public channels the bot posts to without being in them (`outside`)

    def listed(self, workspace: str) -> tuple[str, ...]:
        """The entries that count in this workspace, without their workspace."""
        return tuple(
            entry.partition(":")[2] if ":" in entry else entry
            for entry in self._admins
            if ":" not in entry or entry.partition(":")[0] == workspace
        )

    async def can_manage(
        self,
        client: AsyncWebClient,
        user: str,
        channel: str,
        *,
        workspace: str = "",
        seen: dict[str, Any] | None = None,
    ) -> bool:
        """Raises PermissionUnknown when Slack would not tell (a missing scope, a channel the bot can't see).
        `seen`: the channel as `reachable` found it, not asked of Slack again."""
        listed = self.listed(workspace)
        if listed:
            return "*" in listed or user in listed or await _in_group(client, user, [a for a in listed if a[0] == "S"])
        person = (await _call("users.info", client.users_info(user=user))).get("user") or {}
        if person.get("is_owner") or person.get("is_admin") or person.get("is_primary_owner"):
            return True
        if seen is None:
            seen = (await _call("conversations.info", client.conversations_info(channel=channel))).get("channel")
        return bool(user) and (seen or {}).get("creator") == user

    async def may_subscribe(self, client: AsyncWebClient, user: str, channel: str, *, workspace: str = "") -> bool:
        """`can_manage` for a subscription: first whether the bot can post there at all (OutOfReach when
        not), the channel asked of Slack once for both."""
        seen = await self.reachable(client, channel)
        return await self.can_manage(client, user, channel, workspace=workspace, seen=seen)

    async def reachable(self, client: AsyncWebClient, channel: str) -> dict[str, Any] | None:
        """The channel as Slack shows it to the bot; OutOfReach when the bot could not post a digest there: a
        private channel it was not invited to (Slack says it does not exist), or an archived one. Asked for
        whoever subscribes, admins too; None when Slack gives no answer either way."""
        self._outside.discard(channel)  # known again only from Slack's answer (`outside`)
        try:
            found = await _call("conversations.info", client.conversations_info(channel=channel))
        except PermissionUnknown as exc:
            if exc.error in TOKEN_REFUSALS:  # not this channel: the workspace's token (none of its digests go out)
                raise OutOfReach(
                    f"Slack refuses paperboy's token in this workspace ({exc.error}): paperboy was removed here or"
                    " its token revoked, so no digest could be posted. Ask a workspace admin to add paperboy again"
                    " (or, where paperboy runs with one SLACK_BOT_TOKEN, whoever runs it to set a working one)."
                ) from None
            if exc.error not in ("channel_not_found", "not_in_channel"):
                return None  # Slack would not say (a scope the app lacks, a 500): who may decides, as before
            raise OutOfReach(
                "I can't post in this channel, so its digest would never arrive: invite me first "
                "(`/invite @paperboy`), then subscribe again."
            ) from None
        conversation: dict[str, Any] = found.get("channel") or {}
        if conversation.get("is_archived"):
            raise OutOfReach("This channel is archived: a digest can't be posted here. Unarchive it first.")
        if conversation.get("is_member") is False:  # posted to all the same (chat:write.public)
            self._outside.add(channel)
        return conversation

    def outside(self, channel: str) -> bool:
        """Whether the bot was not a member of this public channel when `reachable` last asked: its digest
        is posted all the same, but Slack sends the bot no reaction, reply or mention from it, so its
        votes, replies and thread questions never arrive."""
        return channel in self._outside


async def _in_group(client: AsyncWebClient, user: str, groups: Sequence[str]) -> bool:
    """Whether the user is in one of these user groups. A group this workspace does not have (another
    workspace's, or one deleted since) has nobody in it here."""
    for group in groups:
        try:
            members = await _call("usergroups.users.list", client.usergroups_users_list(usergroup=group))
        except PermissionUnknown as exc:
            if exc.error != "no_such_subteam":
                raise
            log.warning("[slack] admins lists the user group %s, which this workspace does not have", group)
            continue
        if user in (members.get("users") or ()):
            return True
    return False


async def _call(method: str, call: Awaitable[AsyncSlackResponse]) -> dict[str, Any]:
    try:
        response = await call
    except SlackApiError as exc:
        data = error_fields(exc)  # {} for an answer that is not Slack's JSON: no code, no scope named
        log.warning("Slack %s refused a permission check: %s", method, data.get("error"))
        raise PermissionUnknown(method, str(data.get("error") or "an error"), data.get("needed")) from None
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("Slack %s failed during a permission check: %s", method, exc)
        raise PermissionUnknown(method, "no answer") from None
    return dict(response.data) if isinstance(response.data, dict) else {}
