"""Whether a Slack user is a person (not a bot): a vote and a reply count only a person's. Asked of
`users.info` before the event's ack (Slack wants it within 3 s, and sends the event again after), so
the question has a deadline, is asked once for a user however many of their events come at once, and
only a definite answer is remembered: one failed lookup (a rate limit, an error) made a bot a person
for the life of the process, its reactions counted as votes."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import error_code

log = logging.getLogger("paperboy.slack")
PEOPLE_REMEMBERED = 10_000
PERSON_SECONDS = 1.0  # the longest an event's ack waits for users.info (it waited out 429s: 5 s and more)
_UNKNOWN_USER = "user_not_found"  # (a Slack Connect guest's other organisation): a person, for good


class People:
    """Whether a user is a person, asked of `users.info` once per user of a workspace (a user id is
    unique only within its workspace). Without an answer in `PERSON_SECONDS`, or with a failure, they
    count as a person this once, and are asked again at their next event."""

    def __init__(self, seconds: float = PERSON_SECONDS) -> None:
        self._seconds = seconds
        self._known: OrderedDict[tuple[str, str], bool] = OrderedDict()
        self._asking: dict[tuple[str, str], asyncio.Task[bool | None]] = {}

    async def is_person(self, client: AsyncWebClient, workspace: str, user: str, bot_user: str | None) -> bool:
        if not user or user == bot_user or user == "USLACKBOT":
            return False
        key = (workspace, user)
        if (known := self._known.get(key)) is not None:
            return known
        if (asking := self._asking.get(key)) is None:
            asking = self._asking[key] = asyncio.create_task(self._ask(client, key))
            asking.add_done_callback(lambda _: self._asking.pop(key, None))
        try:
            answer = await asyncio.wait_for(asyncio.shield(asking), self._seconds)
        except TimeoutError:  # the lookup goes on, and its answer is kept for the next event
            log.info("users.info %s took over %.0f s: counting them as a person, this once", user, self._seconds)
            return True
        return True if answer is None else answer

    async def _ask(self, client: AsyncWebClient, key: tuple[str, str]) -> bool | None:
        """The answer for this user, kept when definite; None when there is none."""
        user = key[1]
        try:
            found = (await client.users_info(user=user)).get("user") or {}
            known = not (found.get("is_bot") or found.get("is_app_user"))
        except SlackApiError as exc:
            if (code := error_code(exc)) != _UNKNOWN_USER:  # no users:read, rate limited, Slack's own error
                log.info("users.info %s failed (%s): counting them as a person, this once", user, code)
                return None
            known = True
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("users.info %s got no answer (%s): counting them as a person, this once", user, type(exc).__name__)
            return None
        self._known[key] = known
        if len(self._known) > PEOPLE_REMEMBERED:
            self._known.popitem(last=False)
        return known
