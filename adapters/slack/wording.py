"""Slack's words for what the core says: `/papers` is typed text there, read as the core reads it."""

from __future__ import annotations

from dataclasses import replace

from adapters.slack.render import escape
from bot.chat.service import AS_WRITTEN, TRY_AGAIN, Shared, SharedBefore, Unshared
from bot.chat.wording import TYPED, ago

MANAGERS = (  # (people first, who a person asking can find; the operator's setting after)
    "the workspace's owners and admins and the person who created the channel, or, where paperboy's operator"
    " names its own admins for this workspace (`[slack] admins` in its config file), those people"
)
FORM = "`/papers subscribe` alone — a form to fill in for this channel's digest (topics, time, zone, days, how many)"
_FIRST_SUBSCRIBE = next(i for i, line in enumerate(TYPED.commands) if line.startswith("`/papers subscribe"))
PHRASES = replace(
    TYPED,
    # the form's line right under the typed subscribe command's (once: `subscribe weekly` has a line too)
    commands=tuple(
        said for i, line in enumerate(TYPED.commands) for said in ((line, FORM) if i == _FIRST_SUBSCRIBE else (line,))
    ),
    managers=MANAGERS,
    direct_message="open paperboy under Apps in the sidebar and use its Messages tab",
    no_zone=(
        "I could not read a time zone from your Slack profile, so it comes at 09:00 UTC "
        "(set yours in Slack's Preferences → Language & region, then follow again)."
    ),
)


# a digest subscribed in a public channel the bot is not in: posted, but nothing said there reaches it
NOT_A_MEMBER = (
    "I'm not a member of this channel: its digest is posted all the same, but reactions, replies and questions"
    " in the papers' threads reach me only once you invite me (`/invite @paperboy`)."
)


# why a Share was refused, in the clicker's words: the publisher's reason is the operator's (Slack's code,
# the channel's id, where to look), which a private channel's Share showed as it was
_NOT_SHARED = {
    "channel_not_found": "I'm not in this channel: invite me with `/invite @paperboy`, then Share again.",
    "not_in_channel": "I'm not in this channel: invite me with `/invite @paperboy`, then Share again.",
    "is_archived": "I can't post in this channel: it is archived.",
}


def shared(outcome: Shared | SharedBefore | Unshared) -> str:
    """What the Share button's clicker is told: why not in a person's words, without Slack's error code or
    the channel's id (the log has those)."""
    if isinstance(outcome, Unshared):
        if outcome.passing:
            return f"Slack did not take the post just now: {TRY_AGAIN}"
        if outcome.as_written:
            return AS_WRITTEN.format(platform="Slack")
        return _NOT_SHARED.get(
            outcome.reason.split(" ", 1)[0],
            "I can't post in this channel: Slack refused it. Whoever runs paperboy finds why in its log.",
        )
    if isinstance(outcome, SharedBefore):
        title, when = escape(outcome.title), ago(outcome.ago)
        if outcome.under_way:
            return f"“{title}” is being shared in this channel right now: its thread opens with it."
        return f"“{title}” was shared in this channel {when}: its thread is open for discussion."
    return f"Shared “{escape(outcome.title)}” in this channel; its thread is open for discussion."
