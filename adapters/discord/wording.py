"""Discord's words for what the core says: `/papers` takes named options there, and Manage Channels rules."""

from __future__ import annotations

from bot.chat.service import Shared, Unshared
from bot.chat.wording import Phrasebook

_TODAY = "`/papers today` — today's trending papers"
_SEARCH = "`/papers search topic:speculative decoding` — search (only you see it; share with a button)"
_SUBSCRIBE = "`/papers subscribe topics:diffusion, robotics time:09:00 timezone:Europe/Berlin top:5` — a daily digest"
MANAGERS = "people with the Manage Channels permission there"

PHRASES = Phrasebook(
    commands=(
        _TODAY,
        _SEARCH,
        "`/papers paper id:2406.12345` — one paper, by arXiv id or link",
        _SUBSCRIBE,
        "`/papers settings` · `/papers unsubscribe` · `/papers help`",
        "`/papers top period:week` — this channel's most engaged papers (reactions and replies)",
        "`/papers saved` · `/papers unsave id:2406.12345` — your reading list (Save buttons, 🔖 reactions)",
    ),
    examples=(_TODAY, _SEARCH, _SUBSCRIBE),
    subscribe="`/papers subscribe topics:diffusion time:09:00 timezone:Europe/Berlin`",
    managers=MANAGERS,
)


def shared(outcome: Shared | Unshared) -> str:
    """What the Share button's clicker is told."""
    if isinstance(outcome, Unshared):
        return f"I can't post here: {outcome.reason}."
    return f"Shared “{outcome.title}” here; its thread is open for discussion."
