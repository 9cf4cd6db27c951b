"""A chat platform that can't be reached (nothing listens at its address) is a DeliveryError in our words,
naming where it was looked for: the digest is tried again, `paperboy post` says one line, no traceback."""

from __future__ import annotations

import socket

import discord
import pytest

from adapters.discord.connection import rest_client
from adapters.slack.app import slack_client
from adapters.slack.publisher import SlackPublisher
from bot.domain.cards import card
from bot.domain.errors import DeliveryError, PlatformUnreachable
from bot.domain.models import Paper


def closed_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.slow
async def test_slack_out_of_reach_is_a_delivery_error_naming_its_address() -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/"
    publisher = SlackPublisher(slack_client("xoxb-test", url), interval=0.0)
    with pytest.raises(PlatformUnreachable) as caught:
        await publisher.post_card("C0001", card(Paper(arxiv_id="2606.00001", title="A paper")), "k")
    assert isinstance(caught.value, DeliveryError)
    said = f"slack:C0001: Slack could not be reached at {url} (the connection failed); check the network"
    assert str(caught.value) == said


async def test_discord_out_of_reach_at_login_is_a_delivery_error(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v10"
    monkeypatch.setattr(discord.http.Route, "BASE", url)
    with pytest.raises(PlatformUnreachable, match=f"logging in: Discord could not be reached at {url}"):
        await rest_client("MTIz.abc.def")
