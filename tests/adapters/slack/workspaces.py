"""A multi-workspace paperboy: the real bolt app with its OAuth flow over HTTP, the real core and store,
and a fake Slack that hands out a token per workspace and checks which token each call carries."""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from adapters.slack.app import SlackRuntime, create_app, slack_client
from adapters.slack.community import register
from adapters.slack.oauth import MultiSlack, OAuthApp, multi_slack
from bot.community.service import Community
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.subscriptions import SubscriptionStore
from bot.delivery.sweep import Sweeper
from bot.domain.config import ScheduleConfig
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.sealing import new_key, sealer
from bot.store.workspaces import PAUSED
from tests.chat.world import chat_service
from tests.conftest import local_client, search_over
from tests.fakes.server import eventually
from tests.fakes.slack import FakeSlack, Workspace
from tests.fakes.slack_requests import command_form, event_callback, signed_headers

SECRET = "multi-signing-secret"
KEY = new_key()
OAUTH_URL = "https://slack.test/oauth/v2/authorize"
DUE = datetime(2026, 6, 3, 9, 30, tzinfo=UTC)  # after the 09:00 digests of Wednesday 3 June
# Two workspaces, each with a channel of the same id (C0001) and one of its own.
TEAMS = {
    "T0001": Workspace("T0001", "Lab One", "xoxb-T0001-9f8e7d6c5b4a-rawtoken"),
    "T0002": Workspace("T0002", "Lab Two", "xoxb-T0002-1a2b3c4d5e6f-rawtoken"),
}


@dataclass
class MultiBot:
    fake: FakeSlack
    url: str  # http://127.0.0.1:PORT
    store: PaperStore
    subscriptions: SubscriptionStore
    ledger: Ledger
    slack: MultiSlack

    async def get(
        self, path: str, *, params: dict[str, str] | None = None, cookie: str | None = None
    ) -> httpx.Response:
        """A browser's GET, with only the cookie given (no jar)."""
        headers = {"cookie": cookie} if cookie else {}
        async with local_client(base_url=self.url, timeout=10) as client:
            return await client.get(path, params=params, headers=headers)

    async def start_install(self) -> tuple[str, str, httpx.Response]:
        """Open /slack/install: (the Add to Slack link, its state, the page)."""
        page = await self.get("/slack/install")
        found = re.search(r'<a href="([^"]+)"', page.text)
        assert found is not None, page.text
        link = html.unescape(found.group(1))
        return link, parse_qs(urlsplit(link).query)["state"][0], page

    async def install(self, team: str) -> httpx.Response:
        """The whole "Add to Slack": the install page, Slack's approval (a code), the redirect back."""
        _, state, page = await self.start_install()
        cookie = page.headers["set-cookie"].split(";")[0]
        code = self.fake.install_code(team)
        return await self.get("/slack/oauth_redirect", params={"code": code, "state": state}, cookie=cookie)

    async def send(self, body: str, content_type: str, *, secret: str = SECRET) -> httpx.Response:
        headers = signed_headers(body, secret, content_type)
        async with local_client(timeout=10) as client:
            return await client.post(f"{self.url}/slack/events", content=body, headers=headers)

    async def command(
        self,
        text: str,
        team: str,
        *,
        channel: str = "C0001",
        answer: str = "r1",
        secret: str = SECRET,
        org: str | None = None,
    ) -> httpx.Response:
        """`/papers text` in `team`'s channel; with `org`, from a team of that Enterprise Grid org whose install
        is org-wide, as Slack sends it then (`enterprise_id`, `is_enterprise_install=true`)."""
        form = command_form(text, self.fake.response_url(answer), team=team, domain=team.lower(), channel=channel)
        if org is not None:
            form |= {"enterprise_id": org, "enterprise_name": org.lower(), "is_enterprise_install": "true"}
        return await self.send(urlencode(form), "application/x-www-form-urlencoded", secret=secret)

    async def event(
        self,
        team: str,
        event: dict[str, Any],
        event_id: str,
        *,
        org: str | None = None,
        org_wide: bool = True,
        names_team: bool = False,
        event_time: int | None = None,
    ) -> httpx.Response:
        """An Events API callback from `team`; with `org`, from a team of that Enterprise Grid org: for the org's
        org-wide install, the envelope names the org and the team, its `authorizations` the org only (as in
        bolt's org-app tests; `names_team`: the team too, as in Slack's own sample); with `org_wide=False`,
        for the team's own install in the org. `event_time`: when Slack says it happened (default: now)."""
        when = int(time.time()) if event_time is None else event_time
        body = event_callback(event, team=team, event_id=event_id, event_time=when, bot=f"UBOT{team}")
        if org is not None:
            bot = f"UBOT{org if org_wide else team}"
            seen = team if names_team or not org_wide else None
            installation = {"enterprise_id": org, "team_id": seen, "user_id": bot, "is_bot": True}
            body |= {"enterprise_id": org, "authorizations": [installation | {"is_enterprise_install": org_wide}]}
        return await self.send(json.dumps(body), "application/json")

    def sweeper(self, parallel: int = 500) -> Sweeper:
        """The daily sweep over this bot's publisher, `parallel` channels a batch."""
        delivery = DigestDelivery(
            self.store, search_over(self.store), self.ledger, self.subscriptions, {"slack": self.slack.publisher}
        )
        policy = ScheduleConfig(min_papers=1, parallel=parallel)
        return Sweeper(self.subscriptions, self.ledger, self.store, delivery, policy, frozenset({"slack"}))


async def all_paused(bot: MultiBot, workspace: str) -> None:
    """Wait until the workspace's subscriptions are paused: an uninstall deletes the token, then pauses them,
    after the event's acknowledgement."""

    async def paused() -> bool:
        mine = [s.status for s in await bot.subscriptions.all() if s.channel.workspace == workspace]
        return bool(mine) and all(status == PAUSED for status in mine)

    await eventually(paused, f"the subscriptions of {workspace} paused")


async def until_installed(bot: MultiBot, count: int) -> None:
    """Wait until `count` Slack workspaces have the app: an uninstall's event is acknowledged at once,
    its token deleted just after."""

    async def counted() -> bool:
        return await bot.slack.installations.installations.count("slack") == count

    await eventually(counted, f"{count} installations")


async def answered(bot: MultiBot, name: str) -> str:
    """Everything answered through response_urls, once the one named `name` was."""
    await bot.fake.wait_for(lambda: name in bot.fake.answered)
    await asyncio.sleep(0.05)
    return json.dumps(bot.fake.responses, ensure_ascii=False)


def calls_with(fake: FakeSlack, token: str, method: str = "chat.postMessage") -> list[str]:
    """The channels of the `method` calls that carried `token`."""
    return [str(c.args.get("channel")) for c in fake.calls if c.method == method and c.token == token]


def fake_workspaces(fake: FakeSlack) -> None:
    fake.workspaces = {team: Workspace(w.team, w.name, w.token) for team, w in TEAMS.items()}
    fake.channel_teams = {"C0001": {"T0001", "T0002"}, "C1000": {"T0001"}, "C2000": {"T0002"}}


async def multi_bot(
    store: PaperStore, fake: FakeSlack, *, interval: float = 0.0, community: Community | None = None
) -> AsyncIterator[MultiBot]:
    """Start the app on a free port (use with `async for`, or through the fixture); with `community`, its
    listeners too (votes, replies, saves)."""
    subscriptions = SubscriptionStore(store.engine)
    ledger = Ledger(store.engine)
    chat = chat_service(store, ledger=ledger, limit=2, community=community)
    client = slack_client(None, fake.base_url)
    app = OAuthApp(fake.client_id, fake.client_secret, None, OAUTH_URL)
    installed_at = DUE - timedelta(hours=2)  # installs (and installs again) the morning of the digests swept at DUE
    slack = multi_slack(store.engine, sealer(KEY), app, client, interval=interval, clock=lambda: installed_at)
    bolt = create_app(chat, client, SECRET, slack.publisher, admins=("*",), oauth=slack.oauth)
    if community is not None:
        register(bolt, community)
    runtime = SlackRuntime(bolt, signing_secret=SECRET, port=0, host="127.0.0.1")
    await runtime.start()
    try:
        yield MultiBot(fake, f"http://127.0.0.1:{runtime.port}", store, subscriptions, ledger, slack)
    finally:
        await runtime.stop()
        await ledger.close()
