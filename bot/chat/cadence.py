"""Daily digest or weekly roundup: which days a `subscribe` means, given what the channel has now."""

from __future__ import annotations

from bot.chat.commands import Subscribe
from bot.delivery.subscriptions import Subscription
from bot.domain.post import Post

KINDS = {"daily": "a daily digest", "weekly": "a weekly roundup"}
DEFAULT_DAYS = {"daily": "mon-fri", "weekly": "fri"}


def cadence_days(command: Subscribe, cadence: str, current: Subscription | None) -> str | Post:
    """The subscription's `days` (a weekly roundup's one day, such as "fri"), or the answer saying what to
    type when the command mixes the two (`days` for a roundup, `on` for a digest)."""
    if cadence == "weekly" and command.days:
        if command.cadence is None:  # the channel's own roundup, kept: `days` asks for the daily digest
            return _hint(
                "This channel has a weekly roundup, which comes one day a week (`on fri`). For a daily digest "
                f"instead: `subscribe daily … days {command.days}`."
            )
        return _hint("A weekly roundup comes one day a week: say which with `on`, such as `subscribe weekly on fri`.")
    if cadence == "daily" and command.day:
        return _hint(
            f"`on {command.day}` is for a weekly roundup: `subscribe weekly on {command.day}`; "
            "a daily digest takes `days`, such as `days mon-fri`."
        )
    kept = current.days if current is not None and current.cadence == cadence else DEFAULT_DAYS[cadence]
    return command.days or command.day or kept


def _hint(text: str) -> Post:
    return Post(header="paperboy", text=(text,))
