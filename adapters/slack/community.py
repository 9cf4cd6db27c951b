"""Slack's side of votes, replies and reading lists: reaction and thread-message events, the Save button.

Events (scopes `reactions:read`, `channels:history`, `groups:history`; subscriptions
`reaction_added`, `reaction_removed`, `message.channels`, `message.groups`):

- `reaction_added` / `reaction_removed` on a message the bot posted (`item_user` is the bot) by a
  person: a vote put on or taken off, timed by the event's `event_ts` so a late retry of an add
  never undoes the removal that followed it; `bookmark` also saves the paper for the person. In a
  direct message (a personal digest's cards) a reaction is no vote, and `bookmark` only saves.
- `message` with a `thread_ts` other than its own `ts`, from a person: a reply in that thread.

Slack retries an event it thinks was not acknowledged in 3 s; the store keys every vote and reply
by what it is (person, message, emoji), so a retry, to this replica or another, counts nothing more.
A "person" is anyone but a bot: the bot itself, messages with a `bot_id` or a bot subtype, and users
whose `users.info` says `is_bot` (asked once per user and remembered).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.errors import error_code
from adapters.slack.home import HomeAgain
from adapters.slack.installations import StoreInstallations, is_direct_message, workspace_of_body
from adapters.slack.people import People
from adapters.slack.render import SAVE_ACTION, escape
from bot.chat.replies import replied
from bot.community.service import BOOKMARKS, Community, Reaction
from bot.domain.channels import ChannelRef

log = logging.getLogger("paperboy.slack")
REPLY_SUBTYPES = frozenset({"thread_broadcast", "file_share"})  # a person's reply all the same


def event_time(value: object) -> datetime:
    """An event's `event_ts` ("1767225700.000100") as a time; now when it is missing or malformed."""
    try:
        return datetime.fromtimestamp(float(str(value)), UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(UTC)


def _texts(*values: object) -> tuple[str, ...]:
    """An event's ids as strings; "" for one that is not a string (not Slack's shape: ignored)."""
    return tuple(v if isinstance(v, str) else "" for v in values)


# Publishes a person's App Home again (client, team, user): after a Save there, whose list it shows.


def register(app: AsyncApp, community: Community, *, home_again: HomeAgain | None = None) -> None:
    """Add the community listeners to the bolt app; in multi-workspace mode, what they remember of a
    workspace goes when it is installed again or removed. `home_again`: a Save clicked in the App Home
    (which has no channel to answer in) shows there, in its reading list."""
    people = People()
    if isinstance(app.installation_store, StoreInstallations):
        app.installation_store.watchers.append(partial(community.engagement.forget, "slack"))

    async def reaction(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, bot_user: str | None, added: bool
    ) -> None:
        item = event.get("item")
        if not isinstance(item, dict) or item.get("type") != "message":
            return  # not a message (or not an event of Slack's shape): no paper's vote
        # Someone's own message counts too when it is a link card (its paper links unfurled by the bot):
        # the store knows which messages name a paper, and only those are votes.
        user, ts, channel = _texts(event.get("user"), item.get("ts"), item.get("channel"))
        workspace = workspace_of_body(body)
        if not (user and ts and channel) or not await people.is_person(client, workspace, user, bot_user):
            return
        where = ChannelRef("slack", channel, workspace)
        at = event_time(event.get("event_ts"))
        emoji = str(event.get("reaction"))
        if is_direct_message(channel):  # a personal digest's cards: no channel's votes,
            if added and emoji in BOOKMARKS["slack"]:  # but its bookmark saves, as on Discord
                await community.bookmarked_in_direct(where, ts, user, at)
            return
        await community.reaction(Reaction(where, ts, user, emoji, added, at))

    # Each event is written down in the listener's middleware, which bolt runs before the listener's
    # automatic acknowledgement: a write that did not commit (the process died, the database is down)
    # gets no 200, so Slack sends the event again, to this replica or another. The listeners that
    # follow have nothing left to do.
    async def reacted(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        next: Callable[[], Awaitable[None]],
    ) -> None:
        await reaction(body, event, client, context.bot_user_id, event.get("type") == "reaction_added")
        await next()

    async def reply_written(
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
        next: Callable[[], Awaitable[None]],
    ) -> None:
        thread, ts, user = _texts(event.get("thread_ts"), event.get("ts"), event.get("user"))
        subtype = event.get("subtype")
        written = not subtype or subtype in REPLY_SUBTYPES  # not an edit, a deletion, a join…
        reply = thread and ts and thread != ts and not event.get("bot_id") and written
        channel, workspace = str(event.get("channel") or ""), workspace_of_body(body)
        if (
            reply
            and not is_direct_message(channel)  # in a channel (a DM has no channel's votes), by a person: not
            and await people.is_person(client, workspace, user, context.bot_user_id)  # Slackbot, nor a bot user
        ):
            where = ChannelRef("slack", channel, workspace)
            await community.reply(where, str(thread), str(ts), user, event_time(ts))
        await next()

    async def recorded() -> None:
        """Acknowledged (by bolt, once the middleware has written the event down)."""

    app.event("reaction_added", middleware=[reacted])(recorded)
    app.event("reaction_removed", middleware=[reacted])(recorded)
    app.event("message", middleware=[reply_written])(recorded)

    @app.action(SAVE_ACTION)
    async def save(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        who = body.get("user") or {}
        person = community.person(ChannelRef("slack", "", workspace_of_body(body)), str(who.get("id") or ""))
        paper = str((body.get("actions") or [{}])[0].get("value", ""))
        text = await replied(community.save(person, paper), f"saving {paper} for {person}", str)
        if (body.get("view") or {}).get("type") == "home" and home_again is not None:
            await home_again(client, person.workspace, person.user)  # the paper now under "Your reading list"
            return
        await _tell(client, body, person.user, text)


async def _tell(client: AsyncWebClient, body: dict[str, Any], user: str, text: str) -> None:
    """Answer only the person who clicked: through the action's response_url, else chat.postEphemeral.
    The text may quote a paper's title: escaped, so no `<!here>` or disguised link in it is live."""
    text = escape(text)
    url = str(body.get("response_url") or "")
    if url:
        webhook = AsyncWebhookClient(url=url, session=client.session, timeout=client.timeout)
        response = await webhook.send(text=text, response_type="ephemeral", replace_original=False)
        if response.status_code < 400:
            return
        log.warning("Slack refused an answer through response_url (%d)", response.status_code)
    channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.warning("could not tell %s about their reading list in %s: %s", user, channel, error_code(exc))
