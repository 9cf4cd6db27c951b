"""Multi-workspace Slack, wired: the settings it needs, checked at start, and its parts built for `run` and `post`.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, paperboy serves every workspace that installs the
app (docs/slack-workspaces.md): their tokens live in the store, sealed with PAPERBOY_SECRET_KEY, and
each request, event and delivery uses its own workspace's. `bot.app.wiring` builds the Slack side of it
(adapters/slack/oauth.py) from what is checked here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.domain.errors import ConfigError
from bot.store.sealing import Sealer

if TYPE_CHECKING:
    from bot.app.settings import Settings
    from bot.store.installations import Installations

log = logging.getLogger("paperboy.slack")
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Workspaces:
    client_id: str
    client_secret: str = field(repr=False)
    sealer: Sealer = field(repr=False)
    public_url: str | None
    authorize_url: str

    def install_url(self, port: int | None) -> str:
        base = self.public_url.rstrip("/") if self.public_url else f"http://localhost:{port}"
        return f"{base}/slack/install"


def multi_workspace(settings: Settings) -> Workspaces | None:
    """The multi-workspace settings when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (None when neither
    is); a ConfigError, one line in our words, for anything missing or malformed."""
    # blanks around them are no part of them (a `.env` line's trailing space), as for every secret
    client_id = (settings.slack_client_id or "").strip()
    secret = settings.slack_client_secret.get_secret_value().strip() if settings.slack_client_secret else ""
    if not client_id and not secret:
        return None
    if not client_id or not secret:
        given, missing = (
            ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET") if client_id else ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")
        )
        raise ConfigError(
            f"{given} is set but {missing} is not: set both (Basic Information → App Credentials) for "
            "multi-workspace mode, or neither"
        )
    # an address with no host or a bad port is refused with the settings (`bot.app.settings.web_address`)
    public = urlsplit(settings.public_url or "")
    if public.scheme == "http" and public.hostname not in LOOPBACK:
        raise ConfigError(
            f"PAPERBOY_PUBLIC_URL is {settings.public_url!r}: Slack's install needs HTTPS (Slack sends people "
            "back only to https:// addresses, and the install's browser cookie is kept only over HTTPS): give "
            "the https:// address of the proxy in front of paperboy (http:// only for localhost)"
        )
    return Workspaces(client_id, secret, settings.sealer(), settings.public_url, settings.slack_oauth_url)


async def check_keys(installations: Installations) -> None:
    """At start: the stored installations no key of PAPERBOY_SECRET_KEY opens are named in the log (their
    workspaces' people are told paperboy is not installed); when none opens, the start stops, as the key
    is surely wrong."""
    unreadable, stored = await installations.unreadable()
    if not unreadable:
        return
    fix = "add the key they were sealed with after the first in PAPERBOY_SECRET_KEY, then run `paperboy reseal`"
    if len(unreadable) == stored:
        raise ConfigError(
            f"no key in PAPERBOY_SECRET_KEY opens any of the {stored} stored Slack installations (the key is not "
            f"the one they were sealed with): {fix}"
        )
    log.error(
        "no key in PAPERBOY_SECRET_KEY opens the token of %s: those workspaces are told paperboy is not installed; %s "
        "(or `paperboy forget --team %s` and install it again)",
        ", ".join(unreadable),
        fix,
        unreadable[0],
    )
