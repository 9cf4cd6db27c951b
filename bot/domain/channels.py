"""Where a message goes: a platform, a channel id, and the workspace (Slack team, Discord guild) it is in."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bot.domain.errors import UsageError

PLATFORMS = ("slack", "discord", "console")
# Where a user id means one person only within its workspace (Slack: the same U… in two teams is two
# people). A Discord user id is the same person in every guild and in their direct messages.
WORKSPACE_USERS = frozenset({"slack"})
# The channels a refusal offers as examples, one of each platform: the command line's and the config file's.
_EXAMPLES = "such as slack:C0123456, discord:1234567890 or console:NAME"
_REF = re.compile(r"^(?P<platform>[A-Za-z]+):(?:(?P<workspace>[A-Za-z0-9_.\-]+)/)?(?P<channel>[A-Za-z0-9_.\-]+)$")


@dataclass(frozen=True)
class ChannelRef:
    platform: str
    channel: str
    workspace: str = ""

    def __str__(self) -> str:
        """As the command line takes it: with its workspace where a channel id is one only within its
        workspace (`slack:T0123456/C0123456`: a Slack Connect channel has the same id in each workspace
        it joins); a Discord channel id is one in every guild, and is shown alone."""
        if self.workspace and self.platform in WORKSPACE_USERS:
            return f"{self.platform}:{self.workspace}/{self.channel}"
        return f"{self.platform}:{self.channel}"


def not_a_channel(shown: str) -> str:
    """The refusal of text that is not a channel at all; `shown` is the text as the message quotes it."""
    return f"{shown} is not PLATFORM:CHANNEL_ID ({_EXAMPLES})"


def _no_platform(text: str, platform: str) -> str:
    """The refusal of a channel whose platform is none of ours, with the one meant where it is near
    (`Slack:C0123`, `slak:C0123`: did you mean 'slack:C0123'?)."""
    near = difflib.get_close_matches(platform.lower(), PLATFORMS, n=1, cutoff=0.6)
    meant = near[0] + text[len(platform) :] if near else ""
    if platform.lower() in PLATFORMS:
        return f"{text!r}: a platform is written in lower case: {meant!r}"
    known = ", ".join(sorted(PLATFORMS))
    said = f"{text!r}: {platform!r} is not a platform ({known}; {_EXAMPLES})"
    return f"{said}. Did you mean {meant!r}?" if meant else said


def parse_channel(text: str) -> ChannelRef:
    """`slack:C0123456` or `discord:1234567890` → a ChannelRef; a UsageError otherwise.

    The workspace may be named before the channel, `slack:T0123456/C0123456`: where one deployment
    serves several Slack workspaces (a channel id alone is then ambiguous)."""
    match = _REF.match(text.strip())
    named = re.fullmatch(r"slack:#([\w.-]+)", text.strip())  # `slack:#general`: "is not PLATFORM:CHANNEL_ID"
    if match is None and named is not None and re.fullmatch(r"[CGD][A-Z0-9]{2,20}", named.group(1)):
        raise UsageError(f"{text.strip()!r}: an id is written without the #: 'slack:{named.group(1)}'")
    if match is None and named is not None:  # a name (`#general`), or an id in small letters (`#c0123`)
        raise UsageError(_not_a_slack_id(text.strip().replace("#", ""), named.group(1)))
    if match is not None and match.group("platform") not in PLATFORMS:
        raise UsageError(_no_platform(text.strip(), match.group("platform")))
    if match is None:
        raise UsageError(not_a_channel(repr(text)))
    platform, channel, workspace = match.group("platform"), match.group("channel"), match.group("workspace") or ""
    if platform == "discord" and not all(_a_snowflake(part) for part in (channel, workspace) if part):
        raise UsageError(
            f"{text!r}: a Discord id is a number of up to 20 digits, not 0 and with no 0 in front, below 2^64, such"
            " as discord:1234567890 (Developer Mode on, right-click the channel, Copy Channel ID)"
        )
    if platform == "slack" and (lower := next((part for part in (workspace, channel) if part != part.upper()), None)):
        raise UsageError(_not_a_slack_id(text.strip(), lower))
    if platform == "slack" and workspace and workspace[0] not in "TE":  # `slack:C1/C2`: a channel for the workspace
        raise UsageError(
            f"{text.strip()!r}: {workspace!r} is no workspace's id (a workspace's starts with T, an Enterprise Grid"
            " org's with E), such as slack:T0123ABCD/C0123456"
        )
    return ChannelRef(platform, channel, workspace)


def _a_snowflake(part: str) -> bool:
    """Whether `part` can be a Discord id: a number of 64 bits, not 0 (30 digits name nothing on Discord), written
    as Discord writes it (`007` would be another channel than `7` to the store)."""
    return part.isascii() and part.isdigit() and not part.startswith("0") and int(part) < 2**64


def _not_a_slack_id(text: str, part: str) -> str:
    """The refusal of a Slack channel written with small letters: an id in the wrong case (`c0123456`), or
    a channel's name (`general`): Slack's ids are capitals and digits, so neither names a channel (it was
    saved, and failed at the first digest as `channel_not_found`)."""
    if any(c.isdigit() for c in part) and part.isalnum():  # `c0123456`; not `ml-team-2`, a name
        return f"{text!r}: Slack's ids are written in capitals: {text.replace(part, part.upper())!r}"
    return (
        f"{text!r}: {part!r} is a channel's name, and paperboy takes its id (C…, at the bottom of the channel's"
        " details in Slack), such as slack:C0123456"
    )
