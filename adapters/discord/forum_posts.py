"""Forum posts and Discord's 5xx.

discord.py answers a 500, 502, 504 or 524 by sending the request again, up to five times. A message
is safe from that: it carries a nonce, and Discord answers a repeat with the first message. A forum
post takes no nonce, so a post Discord had made before its gateway answered 502 was made again: two
posts of the same paper in the forum. The trace here stops discord.py's retry for that one route (the
answer is raised as `MaybePosted` before discord.py sees it), and the publisher looks for the post
among the forum's active threads before it makes it again (`DiscordPublisher.find`, the takeover's
look).
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import aiohttp

FORUM_POST = re.compile(r"/channels/\d+/threads$")  # a post in a forum (a message's thread: .../messages/N/threads)
RETRIED = frozenset({500, 502, 504, 524})  # the statuses discord.py sends a request again for
TRIES = 3  # forum posts asked for, each after a look for the last one, before the card is left to the next sweep


class MaybePosted(Exception):
    """Discord answered a forum post with a server error: it may have made the post all the same."""

    def __init__(self, status: int) -> None:
        super().__init__(f"Discord answered {status} to a forum post")
        self.status = status


async def _ended(_: aiohttp.ClientSession, __: SimpleNamespace, params: aiohttp.TraceRequestEndParams) -> None:
    response = params.response
    if params.method == "POST" and response.status in RETRIED and FORUM_POST.search(params.url.path):
        response.close()  # discord.py never gets it to read
        raise MaybePosted(response.status)


def forum_post_trace() -> aiohttp.TraceConfig:
    """The trace a discord.py client is given (`http_trace`): a forum post's 5xx is `MaybePosted`."""
    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(_ended)
    return trace
