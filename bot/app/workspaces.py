"""Multi-workspace Slack, wired: the settings it needs, checked at start, and its parts built for `run` and `post`.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, paperboy serves every workspace that installs the
app (docs/slack-workspaces.md): their tokens live in the store, sealed with PAPERBOY_SECRET_KEY, and
each request, event and delivery uses its own workspace's. `bot.app.wiring` builds the Slack side of it
(adapters/slack/oauth.py) from what is checked here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.domain.errors import ConfigError
from bot.store.sealing import Sealer, sealer

if TYPE_CHECKING:
    from bot.app.settings import Settings


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
    client_id = settings.slack_client_id
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
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
    key = settings.secret_key.get_secret_value() if settings.secret_key else None
    for name, url in (
        ("PAPERBOY_PUBLIC_URL", settings.public_url),
        ("PAPERBOY_SLACK_OAUTH_URL", settings.slack_oauth_url),
    ):
        if url is not None and not url.startswith(("https://", "http://")):
            raise ConfigError(
                f"{name} is {url!r}, not a URL: give it as https://host[:port] (where Slack reaches the bot)"
            )
    return Workspaces(client_id, secret, sealer(key), settings.public_url, settings.slack_oauth_url)
