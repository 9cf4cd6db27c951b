"""The terminal's words for what the core says (`paperboy chat`): commands typed as they are, one a line,
without `/papers` before them and without the buttons, reactions and direct messages of a chat platform."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from bot.chat.wording import TYPED, Phrasebook


@dataclass(frozen=True)
class _Terminal(Phrasebook):
    def help(self, direct: bool = False) -> tuple[str, ...]:
        """The commands, and who may change a channel's digest: no paper's thread to mention me in here."""
        return (*self.commands, f"Who may subscribe or unsubscribe a channel: {self.managers}.")


EXAMPLE = "2608.19880"  # a paper of the bundled snapshot: the help's commands work offline, as typed there
_TODAY = "`today [top N|all]` — today's trending papers (`2026-08-20`, `aug 20`, `friday`, `yesterday`: that day's)"
_SEARCH = "`speculative decoding` — search"
_SUBSCRIBE = (
    "`subscribe diffusion, robotics at 09:00 tz Europe/Berlin top 5` — a daily digest, which `paperboy run` prints here"
)
PHRASES = replace(
    _Terminal(**{f.name: getattr(TYPED, f.name) for f in fields(TYPED)}),  # the typed commands' words, as a base
    commands=(
        _TODAY,
        _SEARCH,
        "`this week` — the week's most upvoted papers; `diffusion this week` — a search within it",
        f"`paper {EXAMPLE}` — one paper, by arXiv id or link",
        f"`cite {EXAMPLE}` — its BibTeX; `summary`, `related`, `code` and `authors` too",
        _SUBSCRIBE,
        "`subscribe weekly diffusion on fri at 16:00` — a weekly roundup instead",
        "`settings` (`settings at 10:00`, `top 3`, `add robotics`, …: one changed) · `preview` (what the digest"
        " would show now) · `unsubscribe` · `help`",
        f"`saved [bibtex]` · `save {EXAMPLE}` · `unsave {EXAMPLE}` — your reading list",
        "`top [week|month|all]` — a channel's most engaged papers (its reactions and replies, in Slack and Discord)",
        "Ctrl-D ends (a line may start with `/papers`, as in Slack and Discord)",
    ),
    examples=(_TODAY, _SEARCH, _SUBSCRIBE),
    subscribe="`subscribe diffusion at 09:00 tz Europe/Berlin`",
    subscribe_weekly="`subscribe weekly diffusion on fri at 16:00`",
    managers="whoever runs paperboy in this terminal",
    no_follows=(
        "Follows are Slack's and Discord's: each person's own digest, in their direct message with paperboy."
        " The terminal has no direct messages; `subscribe` with topics gives this terminal a digest."
    ),
    unsave=f"`unsave {EXAMPLE}`",
    ask=f"`{{word}} {EXAMPLE}`",  # no paper's thread here; a paper the bundled snapshot holds
    as_weekly="subscribe weekly on {day}",
    as_daily="subscribe daily … days {days}",
    top_period="`top {period}`",
    today_all="`today all`",
    day_all="`{day} all`",
    saved="`saved`",
    help_command="`help`",
    change=TYPED.change.replace("`/papers ", "`"),
    change_weekly=TYPED.change_weekly.replace("`/papers ", "`"),
    keep_topics=TYPED.keep_topics.replace("`/papers ", "`"),
    subscribe_again=TYPED.subscribe_again.replace("`/papers ", "`"),
    saved_more="`saved bibtex` gives it as BibTeX; `unsave ID` takes one off.",
    save_how=f"Save a paper with `save {EXAMPLE}`.",
    vote_how="Votes are reactions and replies in Slack and Discord: the terminal has none",
)
