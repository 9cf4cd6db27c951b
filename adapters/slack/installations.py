"""bolt's installation and OAuth state stores, kept in paperboy's own database (bot/store/installations.py).

bolt's OAuth flow saves an installation here when a workspace adds the app, and its authorize step
finds the workspace's bot token here for every request (bot-only: no user tokens are kept). Only
the bot's ids, names and scopes are stored in the clear; the tokens are sealed with
PAPERBOY_SECRET_KEY before they reach the store.

The lifecycle: a new install resumes the workspace's paused subscriptions; `app_uninstalled` and
`tokens_revoked` (adapters/slack/oauth.py's listeners call `departed`) delete the tokens and pause them
(bot/store/workspaces.py).

A workspace is its team id, or for an org-wide install (Enterprise Grid) the enterprise id.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt.request.internals import extract_enterprise_id, extract_is_enterprise_install, extract_team_id
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation as SlackInstallation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.domain.words import counted
from bot.store.installations import Installation, Installations, OAuthStates
from bot.store.sealing import Unreadable

log = logging.getLogger("paperboy.slack")
PLATFORM = "slack"
Hook = Callable[[str], Awaitable[int]]  # given a workspace, returns how many subscriptions it changed


def workspace_of(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> str:
    """The workspace paperboy keys a channel's rows by: the team, or the org for an org-wide install."""
    return (enterprise_id or "") if is_enterprise_install else (team_id or "")


def named(workspace: str) -> str:
    """A workspace key as a log line names it: `org E0123456` for an org-wide install (Slack's
    Enterprise Grid ids begin with E), else `workspace T0123456`."""
    return f"org {workspace}" if workspace.startswith("E") else f"workspace {workspace}"


def workspace_of_body(body: dict[str, Any]) -> str:
    """The workspace a Slack request comes from (slash command, interaction or event): the one place
    every Slack handler asks. Read as bolt reads it to pick the request's token (`authorize`), so a
    request's rows are kept under the workspace whose token answers it: in a channel shared between
    workspaces (Slack Connect) an event's envelope names the workspace it happened in, and its
    `authorizations[0]` the installation it is delivered for, which is the one bolt uses."""
    return workspace_of(extract_enterprise_id(body), extract_team_id(body), extract_is_enterprise_install(body))


def in_direct_message(body: dict[str, Any]) -> bool:
    """Whether a slash command comes from a direct message (its channel id D…, or Slack names it so)."""
    return is_direct_message(str(body.get("channel_id", ""))) or body.get("channel_name") == "directmessage"


def is_direct_message(channel: str) -> bool:
    """Whether a Slack conversation id is a direct message's (D…; channels are C…, private ones G…)."""
    return channel.startswith("D")


RESUMED_KEPT = 1000


class StoreInstallations(AsyncInstallationStore):
    """bolt's AsyncInstallationStore (bot tokens only) over paperboy's store."""

    def __init__(self, installations: Installations, *, installed: Hook, removed: Hook) -> None:
        self.installations = installations
        self._installed = installed
        self.resumed: dict[str, int] = {}  # subscriptions an install resumed, by workspace, till its page says so
        self._removed = removed
        self.watchers: list[Callable[[str], None]] = []  # told each workspace installed or removed (caches)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: SlackInstallation) -> None:
        """An install through the OAuth flow: keep its bot token, resume the workspace's deliveries."""
        bot = installation.to_bot()
        if not bot.bot_token:
            return  # a user-token-only authorization: paperboy keeps none
        await self.installations.save(_installation(bot))
        workspace = workspace_of(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        self._tell(workspace)
        resumed = await self._installed(workspace)
        if len(self.resumed) > RESUMED_KEPT:  # (pages never shown: an install whose browser went away)
            self.resumed.clear()
        self.resumed[workspace] = resumed
        log.info("installed in Slack %s%s", named(workspace), f"; {resumed} subscription(s) resumed" if resumed else "")

    async def async_save_bot(self, bot: Bot) -> None:
        """A bot token refreshed (bolt's token rotation, `WorkspaceTokens`; an install comes to `async_save`):
        kept if the installation it was refreshed for is still the workspace's."""
        workspace = workspace_of(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        if not await self.installations.refresh(_installation(bot)):
            log.info(
                "Slack %s: a token refreshed for an installation removed or replaced meanwhile is not kept",
                named(workspace or "?"),
            )

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        """The bot of the workspace a request names, and only that one, as slack_sdk's own stores find it:
        a team's request is answered with the team's token, never its org's (Slack flags a request an
        org-wide install answers `is_enterprise_install`). Answered with the org's, its rows would be
        kept under the team (`workspace_of_body`), where no delivery finds a token."""
        workspace = workspace_of(enterprise_id, team_id, is_enterprise_install)
        try:
            found = await self.installations.find(PLATFORM, workspace)
        except Unreadable as exc:  # whose: bolt's line for each request named none (the start's did)
            raise Unreadable(f"{named(workspace)}: {exc}") from None
        return as_bot(found) if found is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> SlackInstallation | None:
        raise NotImplementedError("bot tokens only: bolt falls back to async_find_bot")

    async def departed(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool, at: datetime | None = None
    ) -> None:
        """Slack says the app left (`app_uninstalled`, or its bot token revoked): the installation the event
        was sent for is deleted, its subscriptions paused. That is the org's for an org-wide install's event
        (or one naming no team), else the team's own, never its org's, even when the team's is already gone
        (Slack sends both events, and retries them). `at`: when Slack says it happened (the event's time,
        kept on its retries): an installation made after it is a reinstall, and stays."""
        await self._remove(workspace_of(enterprise_id, team_id, is_enterprise_install or not team_id), at)

    # bolt's InstallationStore deletions, as slack_sdk's own stores read them: no team means the org-wide install.
    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.departed(enterprise_id, team_id, False)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # the whole workspace (app_uninstalled); one user's token is none of ours
            await self.departed(enterprise_id, team_id, False)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.departed(enterprise_id, team_id, False)

    async def _remove(self, workspace: str, at: datetime | None = None) -> None:
        self._tell(workspace)
        # Slack's event time is in whole seconds: the second after it is still before any reinstall
        before = at + timedelta(seconds=1) if at is not None else None
        if workspace and await self.installations.delete(PLATFORM, workspace, installed_before=before):
            paused = await self._removed(workspace)
            log.info(
                "Slack %s uninstalled paperboy or revoked its token: token deleted, %s paused until it is"
                " installed again",
                named(workspace),
                counted(paused, "subscription"),
            )
            return
        # (a late word of an uninstall, a reinstall since: "which has no installation from before then" read oddly)
        if workspace and before is not None and await self.installations.exists(PLATFORM, workspace):
            log.info(
                "Slack says the app left workspace %s before it was installed again: the new install stays", workspace
            )
        else:
            log.info("Slack says the app left workspace %s, which has no installation here", workspace or "?")

    def _tell(self, workspace: str) -> None:
        for watcher in self.watchers:
            watcher(workspace)


def _installation(bot: Bot) -> Installation:
    """The store's installation of a bolt bot (a workspace's token, and its refresh token if it rotates)."""
    expires = bot.bot_token_expires_at
    return Installation(
        platform=PLATFORM,
        workspace=workspace_of(bot.enterprise_id, bot.team_id, bot.is_enterprise_install),
        secrets={"bot_token": bot.bot_token, "bot_refresh_token": bot.bot_refresh_token},
        enterprise_id=bot.enterprise_id or "",
        team_id=bot.team_id or "",
        is_enterprise_install=bool(bot.is_enterprise_install),
        details={
            "app_id": bot.app_id,
            "enterprise_name": bot.enterprise_name,
            "team_name": bot.team_name,
            "bot_id": bot.bot_id,
            "bot_user_id": bot.bot_user_id,
            "bot_scopes": ",".join(bot.bot_scopes or []),
        },
        expires_at=datetime.fromtimestamp(expires, UTC) if expires is not None else None,
        installed_at=datetime.fromtimestamp(bot.installed_at, UTC),
    )


def as_bot(found: Installation) -> Bot:
    details = found.details
    return Bot(
        app_id=details.get("app_id"),
        enterprise_id=found.enterprise_id or None,
        enterprise_name=details.get("enterprise_name"),
        team_id=found.team_id or None,
        team_name=details.get("team_name"),
        bot_token=str(found.secrets.get("bot_token") or ""),
        bot_id=str(details.get("bot_id") or ""),
        bot_user_id=str(details.get("bot_user_id") or ""),
        bot_scopes=str(details.get("bot_scopes") or ""),
        bot_refresh_token=found.secrets.get("bot_refresh_token"),
        bot_token_expires_at=int(found.expires_at.timestamp()) if found.expires_at is not None else None,
        is_enterprise_install=found.is_enterprise_install,
        installed_at=found.installed_at.timestamp(),
    )


class StoreStates(AsyncOAuthStateStore):
    """bolt's AsyncOAuthStateStore over paperboy's store: shared by every replica, each state used once."""

    def __init__(self, states: OAuthStates) -> None:
        self.states = states

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await self.states.issue()

    async def async_consume(self, state: str) -> bool:
        return await self.states.consume(state)
