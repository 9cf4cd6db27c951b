"""A workspace's installation changed from two places at once: an uninstall beside a reinstall, a token
refresh beside an uninstall or a reinstall (two replicas, or Slack's events beside a request)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation as SlackInstallation

from adapters.slack.installations import StoreInstallations
from adapters.slack.oauth import stores
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.installations import Installations
from bot.store.papers import PaperStore
from bot.store.sealing import new_key, sealer
from bot.store.workspaces import pause

KEY = new_key()
T0 = datetime(2026, 12, 1, tzinfo=UTC)
CHANNEL = ChannelRef("slack", "C1", "T1")


def installed(token: str, at: datetime, refresh: str | None = None) -> SlackInstallation:
    """What bolt's OAuth flow hands the store for an install of workspace T1."""
    return SlackInstallation(
        app_id="A1",
        team_id="T1",
        user_id="U1",
        bot_token=token,
        bot_refresh_token=refresh,
        bot_token_expires_at=int((at + timedelta(hours=12)).timestamp()) if refresh else None,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="chat:write",
        installed_at=at.timestamp(),
    )


def refreshed(token: str, refresh: str, installed_at: datetime) -> Bot:
    """What slack_sdk's rotator hands back for the installation made at `installed_at`."""
    return Bot(
        app_id="A1",
        team_id="T1",
        bot_token=token,
        bot_refresh_token=refresh,
        bot_token_expires_at=int((installed_at + timedelta(days=1)).timestamp()),
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes="chat:write",
        installed_at=installed_at.timestamp(),
    )


@pytest.mark.slow
async def test_an_uninstall_beside_a_reinstall_leaves_the_reinstalled_workspace_delivered(store: PaperStore) -> None:
    """The uninstall deleted the installation, the reinstall saved its own and resumed the subscriptions,
    then the uninstall paused them: installed, and no digest came until yet another install."""
    engine = store.engine
    coming, _ = stores(engine, sealer(KEY))
    await coming.async_save(installed("xoxb-1", T0))
    await SubscriptionStore(engine).save(Subscription(CHANNEL, topics=("agents",)))
    deleted, reinstalled = asyncio.Event(), asyncio.Event()

    async def paused_late(workspace: str) -> int:  # the uninstall's pause comes after the reinstall
        deleted.set()
        await reinstalled.wait()
        return await pause(engine, "slack", workspace)

    leaving = StoreInstallations(Installations(engine, sealer(KEY)), installed=coming._installed, removed=paused_late)

    async def reinstall() -> None:
        await deleted.wait()
        await coming.async_save(installed("xoxb-2", T0 + timedelta(days=2)))
        reinstalled.set()

    await asyncio.gather(leaving.departed(None, "T1", False, T0 + timedelta(days=1)), reinstall())
    coming.installations.forget_cached("slack", "T1")
    found = await coming.installations.find("slack", "T1")
    assert found is not None and found.secrets["bot_token"] == "xoxb-2"
    subscription = await SubscriptionStore(engine).get(CHANNEL)
    assert subscription is not None and subscription.status is None


async def test_a_token_refreshed_for_an_installation_gone_or_replaced_is_not_kept(store: PaperStore) -> None:
    """A refresh asked before an uninstall and answered after it wrote the uninstalled workspace's
    installation back (listed as installed, its dead tokens kept); one answered after a reinstall wrote
    the old installation over the new."""
    slack, _ = stores(store.engine, sealer(KEY))
    await slack.async_save(installed("xoxb-1", T0, refresh="xoxe-1"))
    await slack.async_save_bot(refreshed("xoxb-2", "xoxe-2", T0))  # the installation's own: kept
    found = await slack.installations.find("slack", "T1")
    assert found is not None and found.secrets == {"bot_token": "xoxb-2", "bot_refresh_token": "xoxe-2"}

    await slack.departed(None, "T1", False, T0 + timedelta(days=1))
    await slack.async_save_bot(refreshed("xoxb-3", "xoxe-3", T0))
    assert await slack.installations.find("slack", "T1") is None

    await slack.async_save(installed("xoxb-new", T0 + timedelta(days=2), refresh="xoxe-new"))
    await slack.async_save_bot(refreshed("xoxb-4", "xoxe-4", T0))  # the old installation's refresh
    found = await slack.installations.find("slack", "T1")
    assert found is not None and found.secrets == {"bot_token": "xoxb-new", "bot_refresh_token": "xoxe-new"}
    assert found.installed_at == T0 + timedelta(days=2)


async def test_a_late_word_of_an_uninstall_says_the_install_since_stays(
    store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    """It said "which has no installation from before then here", of a workspace installed again since, and
    of one never installed alike (QA s77)."""
    slack, _ = stores(store.engine, sealer(KEY))
    await slack.async_save(installed("xoxb-new", T0 + timedelta(days=2)))
    with caplog.at_level(logging.INFO, logger="paperboy.slack"):
        await slack.departed(None, "T1", False, T0 + timedelta(days=1))  # before the install: it stays
        await slack.departed(None, "T7777", False, T0)  # never installed here
    assert await slack.installations.find("slack", "T1") is not None
    assert "the app left workspace T1 before it was installed again: the new install stays" in caplog.text
    assert "the app left workspace T7777, which has no installation here" in caplog.text


async def test_a_token_no_key_opens_is_named_by_its_workspace_where_a_request_looks_it_up(store: PaperStore) -> None:
    """bolt logs "Failed to call find_bot method: …" for each request: it named no workspace (QA s77)."""
    from bot.store.sealing import Unreadable

    slack, _ = stores(store.engine, sealer(KEY))
    await slack.async_save(installed("xoxb-1", T0))
    other, _ = stores(store.engine, sealer(new_key()))
    with pytest.raises(Unreadable, match=r"^workspace T1: a stored token could not be decrypted"):
        await other.async_find_bot(enterprise_id=None, team_id="T1")
