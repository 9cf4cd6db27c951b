"""Discord's words for what the core says: `/papers` takes named options there, and Manage Channels rules."""

from __future__ import annotations

import re

from bot.chat.commands import MOST_PAPERS
from bot.chat.service import AS_WRITTEN, TRY_AGAIN, Shared, SharedBefore, Unshared
from bot.chat.wording import Phrasebook, ago

_TODAY = (
    "`/papers today [top:N] [date:2026-08-20]` — today's trending papers, or that day's (`date:yesterday`,"
    " `date:aug 20`, `date:friday`)"
)
_SEARCH = "`/papers search topic:speculative decoding` — search (only you see it; share with a button)"
_SUBSCRIBE = "`/papers subscribe topics:diffusion, robotics time:09:00 timezone:Europe/Berlin top:5` — a daily digest"
MANAGERS = "people with the Manage Channels permission there"
REPLY_TO_A_CARD = (
    "Ask me about a paper by replying to its card here (the card's menu › Reply), with `summary`, `related`, "
    "`code`, `authors` or `cite`."
)

_CHANGE = (
    "To change a setting and keep the rest: `/papers subscribe` with that option alone, such as `time:10:00`"
    " (`topics:` replaces the topics)."
)

PHRASES = Phrasebook(
    commands=(
        _TODAY,
        _SEARCH,
        "`/papers search topic:this week` — the week's most upvoted papers; `topic:diffusion this week` — a search"
        " within it",
        "`/papers paper id:2406.12345` — one paper, by arXiv id or link",
        _SUBSCRIBE,
        "`/papers subscribe cadence:weekly day:fri time:16:00` — a weekly roundup instead; "
        "`days:mon,wed,fri` — which days a daily digest comes (default mon-fri)",
        "`/papers subscribe` with no options — a form to fill in for this channel's digest",
        "Paper card (right-click a message › Apps) — cards for the papers it links to, only you see them",
        "`/papers settings` · `/papers preview` (what the digest would show now) · `/papers unsubscribe` ·"
        " `/papers help`",
        "`/papers top period:week` — this channel's most engaged papers (reactions and replies)",
        "`/papers saved [format:bibtex]` · `/papers save id:2406.12345` · `/papers unsave id:2406.12345` — your "
        "reading list (Save buttons, 🔖 reactions)",
        "In a direct message with me: `/papers follow topics:diffusion -robotics timezone:Europe/Berlin` — your "
        "own digest at 09:00 your time on weekdays; `/papers follows` · `/papers unfollow [topic:…]`",
    ),
    examples=(_TODAY, _SEARCH, _SUBSCRIBE),
    subscribe="`/papers subscribe topics:diffusion time:09:00 timezone:Europe/Berlin`",
    subscribe_weekly="`/papers subscribe cadence:weekly roundup day:Friday topics:diffusion time:16:00`",
    managers=MANAGERS,
    direct_message="open a direct message with paperboy (click its name, then Message)",
    unfollow="`/papers unfollow topic:…` stops one, `/papers unfollow` all.",
    top_period="`/papers top period:{period}`",
    follow="`/papers follow topics:…`",
    today_all=f"`/papers today top:{MOST_PAPERS}`",
    day_all=f"`/papers today date:{{day}} top:{MOST_PAPERS}`",
    unsave="`/papers unsave id:2406.12345`",
    ask="reply to its card with `{word}` (the card's menu › Reply), or mention me with `{word}` in its thread",
    follow_examples="`/papers follow topics:diffusion -robotics` or `/papers follow topics:author:LeCun`",
    on_day="day:{day}",
    days="days:{days}",
    as_weekly="/papers subscribe cadence:weekly day:{day}",
    as_daily="/papers subscribe cadence:daily days:{days}",
    keep_topics="`/papers subscribe topics:{every}`",
    subscribe_again="`/papers subscribe {options}`",
    change=_CHANGE,
    change_weekly=_CHANGE,  # (no `days:` named to refuse)
    saved_more="`/papers saved format:bibtex` gives it as BibTeX; `/papers unsave id:2406.12345` takes one off.",
    save_how=(
        "Save a paper with the Save button on its card, `/papers save id:2406.12345`, or the bookmark 🔖 on a card."
    ),
    no_zone=(
        "It comes at 09:00 UTC: add `timezone:` (such as Europe/Berlin) to `/papers follow` to have it at "
        "09:00 your time."
    ),
)

_STATUS = re.compile(r"^\d{3} [^:]*: ")  # a refusal's status and Discord's words, before its fix
_BARE_STATUS = re.compile(r"^\d{3} [^:]*$")  # a refusal's status and Discord's words alone


def shared(outcome: Shared | SharedBefore | Unshared) -> str:
    """What the Share button's clicker is told: why not in a person's words, without Discord's status,
    error text or the channel's id (the log has those)."""
    if isinstance(outcome, Unshared):
        if outcome.passing:
            return f"Discord did not take the post just now: {TRY_AGAIN}"
        if outcome.automod:
            return "This server's AutoMod blocked this paper's card (a word or a link in it): a moderator can allow it."
        if outcome.as_written:
            return AS_WRITTEN.format(platform="Discord")
        if _BARE_STATUS.match(outcome.reason) or outcome.reason.startswith("404 "):  # the channel is gone
            return "I can't post in this channel: it is gone, or hidden from me."
        return f"I can't post here: {_STATUS.sub('', outcome.reason)}."  # "403 missing access (…): " dropped
    if isinstance(outcome, SharedBefore) and outcome.under_way:
        return f"“{outcome.title}” is being shared here right now: its thread opens with it."
    if isinstance(outcome, SharedBefore):  # (only a card with a thread of its own is looked for)
        return f"“{outcome.title}” was shared here {ago(outcome.ago)}: its thread is open for discussion."
    if outcome.root.thread == outcome.root.channel:  # inside a thread, a forum post, a voice channel's chat
        # (a mention was answered of the thread's own paper, or not at all: a Reply finds the card)
        return f"Shared “{outcome.title}” here; to ask me about it, reply to its card (`summary`, `code`, `cite`…)."
    return f"Shared “{outcome.title}” here; its thread is open for discussion."
