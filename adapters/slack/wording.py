"""Slack's words for what the core says: `/papers` is typed text there, read as the core reads it."""

from __future__ import annotations

from dataclasses import replace

from bot.chat.service import Shared, Unshared
from bot.chat.wording import TYPED

MANAGERS = (
    "the people the bot's config file lists under `[slack] admins`, or, when it lists none, "
    "workspace owners and admins and the person who created the channel"
)
PHRASES = replace(TYPED, managers=MANAGERS)


def shared(outcome: Shared | Unshared) -> str:
    """What the Share button's clicker is told."""
    if isinstance(outcome, Unshared):
        return f"I can't post in this channel: {outcome.reason}."
    return f"Shared “{outcome.title}” in this channel; its thread is open for discussion."
