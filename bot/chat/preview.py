"""`/papers preview`: what a channel's digest would show now, as its filters pick, to the asker alone.

A daily digest: the latest listing day's papers. A weekly roundup: the week its next roundup sums up, so
far, or this week where that one has not begun. Nothing is posted or recorded as delivered, and papers
the channel had on other days are not left out (the digest itself leaves them out): the answer says so,
and when the next one comes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.delivery.digest import build_digest
from bot.delivery.roundup import roundup_of, week_matches
from bot.delivery.subscriptions import Subscription
from bot.domain.post import Post
from bot.domain.weeks import covered_monday, monday_of, week_name
from bot.search.port import SearchIndex
from bot.store.papers import PaperStore

STALE_DAYS = 4  # a store whose latest day is further behind today (a weekend and a day) has not been synced


async def preview(
    store: PaperStore, search: SearchIndex, subscription: Subscription, now: datetime, *, yours: bool = False
) -> Post:
    """The digest (or roundup) of `subscription` as it would be built now, headed as a preview; `yours`:
    a person's own (their follows'), not a channel's."""
    options = replace(subscription.options(), operator=False)
    due = None if subscription.status else subscription.next_delivery(now)  # stopped: none comes
    zone = ZoneInfo(subscription.timezone)
    shown: date | None = None  # a daily digest's day
    if subscription.cadence == "weekly":
        today = now.astimezone(zone).date()
        # the week the next roundup sums up, or this one where that has not begun (nothing to show yet)
        coming = covered_monday((due or now).astimezone(zone).date())
        monday = min(coming, monday_of(today))
        week = await week_matches(store, search, options, monday, now)
        post = roundup_of(week, options, set(), now.astimezone(UTC).date()).to_post()
        what = "roundup"
    else:
        digest = await build_digest(store, search, options, None)
        post, what, shown = digest.to_post(), "digest", digest.day
    had = "you had" if yours else "this channel had"
    if due is None:
        note = f"A preview: nothing was posted, and no {what} comes: its delivery is stopped (`settings` says why)."
    else:
        note = (
            f"A preview: nothing was posted. The next {what} comes {due.astimezone(zone):%A %-d %B, %H:%M %Z},"
            f" and leaves out papers {had} before."
        )
        if subscription.cadence == "weekly" and monday != coming:  # said to sum up the week it showed
            note += f" It sums up {week_name(coming)}, not begun yet: this is the week before."
        elif shown is not None and (now.astimezone(zone).date() - shown).days > STALE_DAYS:
            note += (  # a store months old (the bundled snapshot): the day it comes with is not held yet
                f" The store's latest day is {shown:%A %-d %B %Y}: it has not fetched the days since (`paperboy"
                " sync`), so a digest comes once it does."
            )
    return replace(post, header=f"Preview · {post.header}", footer=note)
