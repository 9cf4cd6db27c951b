"""Slack's App Home: `app_home_opened` → `views.publish` of the person's home, and its Settings buttons.

The view holds their reading list (when one is wired in) or their follows, the latest listing day's
top papers, and the digests of the channels they are in (the person's conversations, from
`users.conversations`, cached for a few minutes: a call or two per person, whatever the number of
subscribed channels). A channel's
Settings button publishes the home again with that channel's digest settings opened in it, which
only that person sees. Every untrusted string is escaped (adapters.slack.render), and the view is
kept inside Slack's 100 blocks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import error_code
from adapters.slack.installations import workspace_of_body
from adapters.slack.render import (
    BUTTON_CHARS,
    HEADER_CHARS,
    Block,
    card_blocks,
    context,
    escape,
    mrkdwn,
    plain,
)
from bot.chat.home import Home, HomeService
from bot.delivery.subscriptions import Subscription
from bot.domain.cards import card
from bot.domain.channels import ChannelRef
from bot.domain.models import Paper

log = logging.getLogger("paperboy.slack")
SETTINGS_ACTION = "home_channel_settings"
MAX_VIEW_BLOCKS = 100
MEMBERS_TTL = 300.0  # seconds a person's list of conversations is trusted
CONVERSATION_TYPES = "public_channel,private_channel,mpim"  # where a channel digest may be (not DMs)
PAGE = 200  # conversations a page (Slack takes at most 999 and advises 200)
FOLLOW_HINT = (
    "In a direct message with me (my *Messages* tab), type `/papers follow diffusion -robotics` or "
    "`/papers follow author:LeCun`: your own digest comes there at 09:00 your time, on weekdays."
)


class SlackMembers:
    """Which conversations a person is in, from `users.conversations` (every page), kept for `ttl` seconds.

    One listing per person, not one `conversations.members` per subscribed channel (a workspace of 50
    subscribed channels asked Slack 50 times at a home's first opening). Slack lists the public
    channels the person is in, and the private channels and group DMs the bot is in with them: every
    channel whose digest the bot can post. Askers of one person at once share one listing."""

    def __init__(
        self, client: AsyncWebClient, ttl: float = MEMBERS_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._clock = clock
        self._team = ""
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._asking: dict[str, asyncio.Task[frozenset[str]]] = {}

    def using(self, client: AsyncWebClient, team: str) -> SlackMembers:
        """The same cache, asked through a request's own client (multi-workspace mode: its workspace's
        token) and keyed by its workspace, since two workspaces may have a person of the same id."""
        bound = SlackMembers(client, self._ttl, self._clock)
        bound._team, bound._cache, bound._asking = team, self._cache, self._asking
        return bound

    async def is_member(self, channel: str, person: str) -> bool:
        return channel in await self.conversations(person)

    async def conversations(self, person: str) -> frozenset[str]:
        key = f"{self._team}/{person}"
        cached = self._cache.get(key)
        if cached is not None and self._clock() - cached[0] < self._ttl:
            return cached[1]
        asking = self._asking.get(key)
        if asking is None:
            asking = self._asking[key] = asyncio.ensure_future(self._listed(key, person))
            asking.add_done_callback(lambda _: self._asking.pop(key, None))
        return await asyncio.shield(asking)

    async def _listed(self, key: str, person: str) -> frozenset[str]:
        now = self._clock()
        found: set[str] = set()
        cursor = ""
        try:
            while True:
                page = await self._client.users_conversations(
                    user=person,
                    types=CONVERSATION_TYPES,
                    exclude_archived=True,
                    cursor=cursor or None,
                    limit=PAGE,
                )
                found.update(str(c.get("id")) for c in page.get("channels") or () if isinstance(c, dict))
                cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
                if not cursor:
                    break
        except SlackApiError as exc:  # a scope missing, the person gone, or Slack busy: asked again next time
            log.info("no conversations for %s (%s)", person, error_code(exc))
            return frozenset(found)
        return self._keep(key, now, frozenset(found))

    def _keep(self, key: str, at: float, conversations: frozenset[str]) -> frozenset[str]:
        """Keep a person's listing, and forget those whose time is over: kept oldest first (an entry
        kept again moves to the end), so the expired are at the front. Else every person who ever
        opened a home stayed in memory with all their channels, long after it was trusted."""
        self._cache.pop(key, None)
        self._cache[key] = (at, conversations)
        over = self._clock() - self._ttl
        while (first := next(iter(self._cache), None)) is not None and self._cache[first][0] <= over:
            del self._cache[first]
        return conversations


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, HEADER_CHARS)}}


def _papers(papers: tuple[Paper, ...], section: str) -> list[Block]:
    """The papers' cards, their block ids prefixed by `section`: a paper both saved and in today's top
    would otherwise give the view one block id twice, which Slack refuses."""
    return [
        {**block, "block_id": f"{section}:{block['block_id']}"[:255]} if "block_id" in block else block
        for paper in papers
        for block in card_blocks(card(paper))
    ]


def _mine(home: Home, now: datetime) -> list[Block]:
    """The reading list where one is wired in, then the person's follows."""
    return [*_reading(home), *_follows(home, now)]


def _reading(home: Home) -> list[Block]:
    if home.saved is None:
        return []
    if not home.saved and not home.more_saved:
        return [_header("Your reading list"), mrkdwn("Nothing saved yet: press *Save* on a paper's card.")]
    # (nothing shown: each is a paper the store no longer holds; "…and 1 more" was said of nothing)
    said = f"…and {home.more_saved} more" if home.saved else f"{home.more_saved} saved, not in the store now"
    more = [context(f"{said}: `/papers saved` lists them all.")] if home.more_saved else []
    return [_header("Your reading list"), *_papers(home.saved, "saved"), *more]


def _follows(home: Home, now: datetime) -> list[Block]:
    if home.follows is None:
        return [_header("What you follow"), mrkdwn(f"You follow nothing yet. {FOLLOW_HINT}")]
    lines = [escape(line) for line in home.follows.describe(now, home.had.get(home.follows.channel))]
    lines.append("`/papers unfollow TOPIC` stops one; `/papers unfollow` stops them all.")
    return [_header("What you follow"), mrkdwn("\n".join(lines))]


def _top(home: Home, now: datetime) -> list[Block]:
    if home.day is None:
        return [_header("Today's top papers"), mrkdwn("No papers yet: they come with the next sync.")]
    # the latest listing, said as what it is: not "today's" when that day is past
    title = "Today's top papers" if home.day >= now.date() else f"Top papers of {home.day:%A %-d %B}"
    return [
        _header(title),
        context(f"Hugging Face Daily Papers · {home.day:%A %-d %B %Y} · most upvoted"),
        *_papers(home.top, "top"),
    ]


def _channel(subscription: Subscription, now: datetime) -> Block:
    where = subscription.channel.channel
    described = subscription.describe(now)
    stopped = [line for line in described if line.startswith("Delivery stopped:")]  # never hidden by the cut
    lines = [escape(line) for line in [*described[:2], *stopped]]
    return {
        **mrkdwn(f"*<#{where}>*\n" + "\n".join(lines)),
        "accessory": {
            "type": "button",
            "action_id": SETTINGS_ACTION,
            "text": {"type": "plain_text", "text": plain("Settings", BUTTON_CHARS)},
            "value": where,
        },
    }


def _channels(home: Home, now: datetime, why: str | None = None) -> list[Block]:
    blocks: list[Block] = [_header("Channel digests")]
    if home.opened is not None and why:
        blocks.append(context(escape(why)))
    if home.opened is not None:
        where = home.opened.channel.channel
        lines = [escape(line) for line in home.opened.describe(now, home.had.get(home.opened.channel))]
        blocks.append(mrkdwn(f"*Settings of <#{where}>* (only you see this)\n" + "\n".join(lines)))
        if not why:  # (the line above them says what to do: ask who may, or type it, as Slack opened no form)
            blocks.append(context(f"Change them with `/papers subscribe …` or `/papers unsubscribe` in <#{where}>."))
    if not home.channels:
        blocks.append(
            mrkdwn(
                "None of the channels you share with me has a digest or roundup. `/papers subscribe` in one "
                "starts it (a channel I was removed from shows here again once I am invited back)."
            )
        )
    blocks += [_channel(s, now) for s in home.channels]
    if home.more_channels:
        blocks.append(context(f"…and {home.more_channels} more channels with a digest."))
    return blocks


def home_view(home: Home, now: datetime, why: str | None = None) -> dict[str, Any]:
    """The home tab's view: at most MAX_VIEW_BLOCKS blocks, the channels cut first when it would be more;
    `why`: why the settings shown open no form (said above them)."""
    head = [*_mine(home, now), {"type": "divider"}, *_top(home, now), {"type": "divider"}]
    blocks = head + _channels(home, now, why)
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = [*blocks[: MAX_VIEW_BLOCKS - 1], context("…and more: the rest does not fit here.")]
    return {"type": "home", "blocks": blocks}


HomeAgain = Callable[[AsyncWebClient, str, str], Awaitable[None]]  # a person's home published again (team, user)


def home_again(homes: HomeService, members: SlackMembers) -> HomeAgain:
    """Publish a person's home again (after a Save clicked in it: its reading list shows the paper)."""

    async def again(client: AsyncWebClient, team: str, user: str) -> None:
        await publish(client, homes, members, team, user)

    return again


async def publish(
    client: AsyncWebClient,
    homes: HomeService,
    members: SlackMembers,
    team: str,
    user: str,
    opened: str | None = None,
    now: datetime | None = None,
    why: str | None = None,
) -> None:
    """Publish the person's home; `opened`: a channel whose settings to show, `why` the form did not open."""
    now = now or datetime.now(UTC)
    home = await homes.home("slack", team, user, members.using(client, team), opened, now)
    try:
        await client.views_publish(user_id=user, view=home_view(home, now, why))
    except SlackApiError as exc:
        log.warning("Slack refused the App Home of %s: %s", user, error_code(exc))


# Opens a channel's subscribe form for a person (client, trigger_id, channel, user): None once it is
# open, else why not (they may not change the channel, Slack would not open it…): the home then shows
# the channel's settings, under that line.
FormOpener = Callable[[AsyncWebClient, str, ChannelRef, str], Awaitable[str | None]]


def register_home(
    app: AsyncApp, homes: HomeService, members: SlackMembers, open_form: FormOpener | None = None
) -> None:
    """`app_home_opened` and the Settings buttons of the home view."""

    @app.event("app_home_opened")
    async def opened(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return  # the Messages tab: nothing to publish
        await publish(client, homes, members, workspace_of_body(body), str(event.get("user") or ""))

    @app.action(SETTINGS_ACTION)
    async def settings(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user = body.get("user") or {}
        team = workspace_of_body(body)
        channel = str((body.get("actions") or [{}])[0].get("value") or "")
        person = str(user.get("id") or "")
        trigger = str(body.get("trigger_id") or "")
        why = await open_form(client, trigger, ChannelRef("slack", channel, team), person) if open_form else None
        if open_form is not None and why is None:
            return  # the channel's settings form: what `/papers subscribe` alone opens there
        await publish(client, homes, members, team, person, opened=channel, why=why)
