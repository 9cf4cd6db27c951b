"""A platform's own words for what the core says: its command syntax, and who manages a channel there.

The core decides what to say (the help, a command to copy, why a change is refused); the words that
depend on how a platform takes commands (typed text on Slack, options on Discord) and on who may
change a channel's digest there come from that platform's adapter, as a `Phrasebook`. `TYPED` is
the commands as `bot.chat.commands` reads typed text, for a platform that brings no phrasebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.chat.discussion import ASKABLE
from bot.community.service import SAVE_HOW, SAVED_MORE, TOP_PERIOD, VOTE_HOW

THREADS = f"In a paper's thread, mention me with {ASKABLE}."
_A_CHANNELS = re.compile(r"subscribe|`/papers (?:settings|top)\b")  # a help line of a channel's own commands


@dataclass(frozen=True)
class Phrasebook:
    commands: tuple[str, ...]  # what `/papers help` lists, a line a command
    examples: tuple[str, ...]  # the few of them shown under a command not understood
    subscribe: str  # a subscribe command to copy, as it is given there
    subscribe_weekly: str = "`/papers subscribe weekly diffusion on fri at 16:00`"  # … for a weekly roundup
    managers: str = "people who can manage this channel"  # who may subscribe or unsubscribe a channel
    # Personal follows: where a person finds their direct message with the bot, and what a follow
    # without a known time zone is told (bot.chat.follows).
    direct_message: str = "open a direct message with me"
    no_follows: str | None = None  # what a platform without direct messages says of follows (the terminal)
    no_zone: str = "It comes at 09:00 UTC."
    unfollow: str = "`/papers unfollow TOPIC` stops one, `/papers unfollow` all."  # under one's follows
    top_period: str = TOP_PERIOD  # how to look further back than a week or a month: `{period}` is month or all
    saved_more: str = SAVED_MORE  # what else a reading list can do
    save_how: str = SAVE_HOW  # how to save a paper, under an empty reading list
    vote_how: str = VOTE_HOW  # how to vote, under an empty `top`
    follow: str = "`/papers follow TOPIC`"  # a follow command, in general
    today_all: str = "`/papers today all`"  # a day's papers past the `[digest]` limit
    day_all: str = "`/papers {day} all`"  # … of another day (`/papers 2026-08-20`)
    unsave: str = "`/papers unsave 2406.12345`"
    saved: str = "`/papers saved`"  # the command that lists one's reading list
    help_command: str = "`/papers help`"  # under a reply to `thanks`
    preview_own: str = "`/papers preview` — what your own digest would show now"  # in a direct message's help
    # under a channel's `settings`: how to change one of them and keep the rest
    change: str = (
        "To change a setting and keep the rest: `/papers settings at 10:00` (or `top 3`, `tz Europe/Paris`,"
        " `days mon-fri`, `topics diffusion, robotics`; `/papers settings add robotics` or"
        " `/papers settings remove robotics` for one topic)."
    )
    change_weekly: str = change.replace("`days mon-fri`", "`on fri`")  # …under a weekly roundup's (one day)
    # a stopped digest's subscribe, as it was: `{typed}` as chat types its options, `{options}` as a form's fields
    subscribe_again: str = "`/papers subscribe {typed}`"
    # the topics a `subscribe` replaced, added back (`{gone}`), or all of them typed again (`{every}`)
    keep_topics: str = "`/papers settings add {gone}`"
    # how to ask a thread's question (`cite`, typed `{word}`) of a paper, for one asked of none
    ask: str = "`{word} 2406.12345`, or `{word}` in the paper's thread"
    follow_examples: str = "`/papers follow diffusion -robotics` or `/papers follow author:LeCun`"
    # A subscription's days (bot.chat.cadence), as typed there: a weekly roundup's day, a daily
    # digest's days, and the commands that change a channel to either.
    on_day: str = "on {day}"
    days: str = "days {days}"
    as_weekly: str = "/papers subscribe weekly on {day}"
    as_daily: str = "/papers subscribe daily … days {days}"

    def help(self, direct: bool = False) -> tuple[str, ...]:
        """The commands; in a direct message, those a person has there (no channel's digest, nor its votes)."""
        if direct:
            return (*self.in_direct(self.commands), self.preview_own, THREADS)
        return (*self.commands, THREADS, f"Who may subscribe or unsubscribe a channel: {self.managers}.")

    @staticmethod
    def in_direct(lines: tuple[str, ...]) -> tuple[str, ...]:
        """The lines of commands a direct message has: not a channel's digest's, nor its `top`."""
        return tuple(line for line in lines if not _A_CHANNELS.search(line))


_TODAY = (
    "`/papers` or `/papers today [top N|all]` — today's trending papers (`/papers 2026-08-20`, `aug 20`,"
    " `friday`, `yesterday`: that day's)"
)
_SEARCH = "`/papers speculative decoding` — search (results only you see, with a button to share)"
_SUBSCRIBE = "`/papers subscribe diffusion, robotics at 09:00 tz Europe/Berlin top 5` — a daily digest here"
_FOLLOW = (
    "In a direct message with me: `/papers follow diffusion -robotics` or `/papers follow author:LeCun` — your "
    "own digest at 09:00 your time on weekdays; `/papers follows` · `/papers unfollow [topic]`"
)

TYPED = Phrasebook(
    commands=(
        _TODAY,
        _SEARCH,
        "`/papers this week` — the week's most upvoted papers; `/papers diffusion this week` — a search within it",
        "`/papers paper 2406.12345` — one paper, by arXiv id or link",
        "`/papers cite 2406.12345` — its BibTeX; `summary`, `related`, `code` and `authors` too, as in its thread",
        _SUBSCRIBE,
        "`/papers subscribe weekly diffusion on fri at 16:00` — a weekly roundup here instead",
        "`/papers settings` (`settings at 10:00`, `top 3`, `add robotics`, …: one changed) · `/papers preview`"
        " (what the digest would show now) · `/papers unsubscribe` · `/papers help`",
        "`/papers top [week|month|all]` — this channel's most engaged papers (reactions and replies)",
        "`/papers saved [bibtex]` · `/papers save 2406.12345` · `/papers unsave 2406.12345` — your reading list "
        "(Save buttons, bookmark reactions)",
        _FOLLOW,
    ),
    examples=(_TODAY, _SEARCH, _SUBSCRIBE),
    subscribe="`/papers subscribe diffusion at 09:00 tz Europe/Berlin`",
)


def ago(span: timedelta) -> str:
    """How long ago, in a person's words: "a moment ago", "1 minute ago", "25 minutes ago"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "a moment ago"
    return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
