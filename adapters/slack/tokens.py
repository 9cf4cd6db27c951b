"""The bot token a delivery posts with, in multi-workspace mode: its workspace's, from the installation store.

Requests get theirs from bolt's authorize step; scheduled digests and `paperboy post` get theirs
here, by the subscription's workspace. A rotating token (Slack's token rotation) close to expiry is
refreshed first, as bolt does for requests, and the refreshed one saved for every replica.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import aiohttp
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from adapters.slack.installations import PLATFORM, StoreInstallations, as_bot, named
from bot.domain.channels import ChannelRef
from bot.domain.errors import ChannelUnavailable, DeliveryError, WorkspacePaused
from bot.store.sealing import Unreadable
from bot.store.workspaces import PAUSED

log = logging.getLogger(__name__)


# oauth.v2.access's answers to a refresh that mean the refresh token will never work again: the
# workspace's digests stop (an install resumes them). Anything else (rate limits, Slack's own faults)
# fails this digest only, and the next sweep tries again.
LOST_RACE_LOOKS, LOST_RACE_WAIT = 5, 0.3  # how long a refused refresh looks for another one's pair: ~1 s
REFUSED_FOR_GOOD = frozenset({"invalid_refresh_token", "token_revoked", "invalid_auth", "account_inactive"})


def _refused(shown: str, error: SlackApiError) -> ChannelUnavailable | DeliveryError:
    """A refused refresh as ours; `shown`: the channel as `ChannelRef` prints it."""
    code = str(error.response.get("error") or "unknown_error") if error.response is not None else "unknown_error"
    if code in REFUSED_FOR_GOOD:
        return WorkspacePaused(  # installing the app again gives it a new pair, and resumes it
            shown, f"token_revoked (Slack refused to refresh the workspace's rotating token: {code})"
        )
    return DeliveryError(
        f"{shown}: Slack did not refresh the workspace's rotating token ({code}); tried again at the next sweep"
    )


def good_until(bot: Bot, margin_s: float) -> datetime | None:
    """When the bot's rotating token expires, if it has `margin_s` or more left: a refresh that failed
    leaves it in use until then (Slack's rotation refreshes it hours early). None otherwise."""
    expires = bot.bot_token_expires_at
    if not bot.bot_token or expires is None or expires <= datetime.now(UTC).timestamp() + margin_s:
        return None
    return datetime.fromtimestamp(expires, UTC)


def _still_good(bot: Bot, failed: ChannelUnavailable | DeliveryError, workspace: str) -> str:
    """The token as it stands when its refresh failed for a reason that may pass and it has not expired
    (a Slack fault at the refresh had stopped the digest); else `failed` is raised."""
    until = None if isinstance(failed, ChannelUnavailable) else good_until(bot, 60)  # a digest takes a while
    if until is None or not bot.bot_token:
        raise failed
    log.warning(
        "%s: %s; its current token, good until %s UTC, posts meanwhile", named(workspace), failed, f"{until:%H:%M}"
    )
    return bot.bot_token


class WorkspaceTokens:
    """Implements adapters.slack.publisher.Tokens over the installation store."""

    def __init__(
        self, store: StoreInstallations, rotator: AsyncTokenRotator | None = None, *, rotate_minutes: int = 120
    ) -> None:
        self._store = store
        self._rotator = rotator
        self._rotate_minutes = rotate_minutes
        self._rotating: dict[str, asyncio.Lock] = {}

    async def token(self, workspace: str, channel: str) -> str:
        shown = str(ChannelRef(PLATFORM, channel, workspace))  # as refusals and failures name the channel
        if not workspace:
            raise ChannelUnavailable(
                shown,
                "its workspace is unknown, and this deployment serves several: name it, as slack:TEAM_ID/CHANNEL_ID",
            )
        try:
            found = await self._store.installations.find(PLATFORM, workspace)
        except Unreadable as exc:  # this workspace's digests fail (tried again); the others' go on. Said by
            # whoever reports the delivery (the sweep, once an hour; `post`, in its one line), with the fix
            raise DeliveryError(
                f"{shown}: {named(workspace)}'s token cannot be read: {exc}. With that key back, run"
                f" `paperboy reseal`; or erase the workspace with `paperboy forget --team slack:{workspace}` and"
                " install paperboy there again"
            ) from exc
        if found is None:
            raise WorkspacePaused(shown, PAUSED)
        bot = as_bot(found)
        if bot.bot_refresh_token and self._rotator is not None:
            async with self._rotating.setdefault(workspace, asyncio.Lock()):  # one refresh at a time
                used = as_bot(await self._store.installations.find(PLATFORM, workspace) or found)
                try:
                    fresh = await self._rotator.perform_bot_token_rotation(
                        bot=used, minutes_before_expiration=self._rotate_minutes
                    )
                except SlackTokenRotationError as exc:  # slack_sdk's wrapper of oauth.v2.access's refusal
                    if (other := await self._refreshed_elsewhere(workspace, used.bot_refresh_token)) is not None:
                        return other
                    return _still_good(used, _refused(shown, exc.api_error), workspace)
                except SlackApiError as exc:
                    return _still_good(used, _refused(shown, exc), workspace)
                except (aiohttp.ClientError, TimeoutError) as exc:
                    failed = DeliveryError(
                        f"{shown}: Slack could not be reached to refresh the workspace's rotating token "
                        f"({type(exc).__name__}); tried again at the next sweep"
                    )
                    return _still_good(used, failed, workspace)
                if fresh is not None:
                    await self._store.async_save_bot(fresh)
                bot = fresh or used  # `used`: what the store holds now, a refresh that ran meanwhile's pair
        return bot.bot_token

    async def _refreshed_elsewhere(self, workspace: str, used: str | None) -> str | None:
        """The bot token another refresh saved meanwhile (bolt's, for a request, or another replica's): a
        refresh token works once, so the one that lost the race is refused, and the winner's pair is in
        the store (once the winner, whose answer came first, has saved it: looked for a moment). None when
        the store keeps the same refresh token: Slack refused it for itself."""
        for attempt in range(LOST_RACE_LOOKS):
            if attempt:
                await asyncio.sleep(LOST_RACE_WAIT)
            self._store.installations.forget_cached(PLATFORM, workspace)
            again = await self._store.installations.find(PLATFORM, workspace)
            bot = as_bot(again) if again is not None else None
            if bot is None or not bot.bot_refresh_token:
                return None
            if bot.bot_refresh_token != used:
                log.info("%s: its rotating token was refreshed elsewhere meanwhile: using it", named(workspace))
                return bot.bot_token
        return None

    def forget(self, workspace: str) -> None:
        self._store.installations.forget_cached(PLATFORM, workspace)
