"""Daily digest or weekly roundup: which days a `subscribe` means, given what the channel has now."""

from __future__ import annotations

from bot.chat.commands import Subscribe
from bot.chat.wording import TYPED, Phrasebook
from bot.delivery.subscriptions import Subscription
from bot.domain.post import Post

KINDS = {"daily": "a daily digest", "weekly": "a weekly roundup"}
DEFAULT_DAYS = {"daily": "mon-fri", "weekly": "fri"}


def cadence_days(
    command: Subscribe, cadence: str, current: Subscription | None, words: Phrasebook = TYPED
) -> str | Post:
    """The subscription's `days` (a weekly roundup's one day, such as "fri"), or the answer saying what to
    type when the command mixes the two (`days` for a roundup, `on` for a digest), in the platform's
    `words`."""
    if cadence == "weekly" and command.days:
        if command.cadence is None:  # the channel's own roundup, kept: `days` asks for the daily digest
            on_fri, daily = f"`{words.on_day.format(day='fri')}`", f"`{words.as_daily.format(days=command.days)}`"
            return _hint(
                f"This channel has a weekly roundup, which comes one day a week ({on_fri}). For a daily digest "
                f"instead: {daily}."
            )
        days = f"`{words.days.format(days=command.days)}`"
        if command.day:  # the day is said: `days` is the one thing too many
            on_day = f"`{words.on_day.format(day=command.day)}`"
            return _hint(
                f"{days} is for a daily digest; a weekly roundup comes on the one day {on_day} says: leave {days} out."
            )
        weekly = f"`{words.as_weekly.format(day='fri')}`"
        return _hint(f"A weekly roundup comes one day a week, not {days}: say which, such as {weekly}.")
    if cadence == "daily" and command.day:
        on_day, weekly = f"`{words.on_day.format(day=command.day)}`", f"`{words.as_weekly.format(day=command.day)}`"
        return _hint(
            f"{on_day} is for a weekly roundup: {weekly}; "
            f"a daily digest takes `{words.days.format(days='mon-fri')}` (the days it comes)."
        )
    kept = current.days if current is not None and current.cadence == cadence else DEFAULT_DAYS[cadence]
    return command.days or command.day or kept


def _hint(text: str) -> Post:
    return Post(header="paperboy", text=(text,))
