"""A server removing the bot pauses its channels' digests; adding the bot back resumes them, as a Slack
workspace's uninstall and reinstall do (every channel had to be subscribed again by hand: QA s72)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.store.workspaces import SERVER_LEFT
from tests.adapters.discord.conftest import DiscordBot
from tests.fakes.discord import FORUM_ID, GUILD_ID, TEXT_ID, VOICE_ID
from tests.fakes.server import eventually

TEXT = ChannelRef("discord", TEXT_ID, GUILD_ID)
FORUM = ChannelRef("discord", FORUM_ID)  # a config file's: named with no server
GONE = ChannelRef("discord", "1000000000000000055", GUILD_ID)  # deleted: its refusal is its own
UNSEEN = ChannelRef("discord", VOICE_ID, GUILD_ID)  # its digest came while the bot was away, unseen
ELSEWHERE = ChannelRef("discord", "1000000000000000066", "1000000000000000077")
CANNOT_SEE = (
    "403 missing access (Missing Access): the bot cannot see this channel: give its role View Channel here,"
    " or invite it"
)


async def test_removed_from_a_server_its_digests_pause_and_added_back_they_resume(discord_bot: DiscordBot) -> None:
    store, fake = discord_bot.subscriptions, discord_bot.fake
    for ref in (TEXT, FORUM, GONE, UNSEEN, ELSEWHERE):
        await store.save(Subscription(ref, source="config" if ref is FORUM else "chat"))
    await store.set_status(GONE, "404 unknown channel: the channel was deleted")
    await store.set_status(UNSEEN, CANNOT_SEE)

    async def statuses() -> dict[ChannelRef, str | None]:
        return {s.channel: s.status for s in await store.all()}

    async def once(status: str | None) -> dict[ChannelRef, str | None]:
        """The statuses once the event was handled (the text channel's is `status`)."""
        await eventually(lambda: _is(statuses, status), f"the text channel's status {status!r}")
        return await statuses()

    await fake.dispatch("GUILD_DELETE", {"id": GUILD_ID})
    said = await once(SERVER_LEFT)
    assert said[TEXT] == said[FORUM] == SERVER_LEFT
    assert said[GONE] == "404 unknown channel: the channel was deleted" and said[UNSEEN] == CANNOT_SEE
    assert said[ELSEWHERE] is None  # another server's

    joined = {k: v for k, v in fake.guild().items() if k != "unavailable"}  # a join's names no unavailability
    await fake.dispatch("GUILD_CREATE", joined)
    said = await once(None)
    assert said[TEXT] is said[FORUM] is said[UNSEEN] is said[ELSEWHERE] is None
    assert said[GONE] == "404 unknown channel: the channel was deleted"  # deleted still: only subscribe clears it


async def _is(statuses: Callable[[], Awaitable[dict[ChannelRef, str | None]]], status: str | None) -> bool:
    return (await statuses())[TEXT] == status


def test_a_digest_paused_by_its_server_says_how_it_resumes_not_an_install_page() -> None:
    said = Subscription(TEXT, status=SERVER_LEFT).describe(datetime(2026, 6, 1, tzinfo=UTC))
    assert f"Delivery stopped: {SERVER_LEFT}" in said
    assert not any("installed in this workspace" in line or "subscribe again" in line for line in said)


async def test_a_server_that_added_the_bot_back_while_no_process_ran_resumes_at_the_next_connect(
    discord_bot: DiscordBot,
) -> None:
    """No join comes for a server that added the bot back while paperboy was down: its digests stayed paused
    for good (review of 4d5317b). Connecting, the bot's servers resume their leaving's pause; a channel's own
    refusal stays."""
    store = discord_bot.subscriptions
    for ref in (TEXT, FORUM, GONE, ELSEWHERE):
        await store.save(Subscription(ref))
    for ref in (TEXT, FORUM, ELSEWHERE):
        await store.set_status(ref, SERVER_LEFT)  # paused by an earlier process, the servers left
    await store.set_status(GONE, CANNOT_SEE)
    await discord_bot.bot.on_ready()  # as discord.py calls it at each connect
    said = {s.channel: s.status for s in await store.all()}
    assert said[TEXT] is None and said[FORUM] is None  # this server's, the bot in it
    assert said[ELSEWHERE] == SERVER_LEFT  # a server the bot is not in
    assert said[GONE] == CANNOT_SEE  # its own refusal: met again at its next digest, not cleared here
