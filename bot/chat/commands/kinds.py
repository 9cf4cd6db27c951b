"""What a line of chat can ask for: one neutral command each, whatever the platform (`parse.parse_command`
reads typed text into one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.chat.days import NamedDay, Span

MOST_PAPERS = 50  # papers a digest, a roundup or `today` shows at most (`top 50`, `today all`)


@dataclass(frozen=True)
class Today:
    limit: int | None = None  # `today top 20`, `today all` (`MOST_PAPERS`); None: the `[digest]` limit
    day: date | None = None  # `2026-08-20`, `today 2026-08-20`: that listing day; None: the latest with papers
    ago: int = 0  # `yesterday`: 1, the day before today (UTC), known when it is answered
    named: NamedDay | None = None  # `aug 20`, `friday`: that day, known when it is answered (`days.resolved`)


@dataclass(frozen=True)
class Recent:
    """The papers of the last `days` days (`this week`), most upvoted first."""

    days: int
    limit: int | None = None  # `top 20 this week`, `all papers this month` (`MOST_PAPERS`); None: the digest's
    span: Span | None = None  # `top papers since monday`: from that day (`days` 0), known when it is answered


@dataclass(frozen=True)
class Search:
    query: str
    days: int = 0  # `diffusion this week`: papers listed in the last 7 days, today included (`recent.within`)
    span: Span | None = None  # `agents since monday`, `robotics on friday`: a named day's (`days.named_span`)
    limit: int | None = None  # `diffusion top 10`: that many results (`MOST_PAPERS` at most); None: the usual


@dataclass(frozen=True)
class PaperLookup:
    ref: str


@dataclass(frozen=True)
class RepositoryLookup:
    """A code repository's link pasted (`github.com/owner/name`): the papers whose code it is."""

    repository: str  # owner/name


@dataclass(frozen=True)
class Ask:
    """A question of a paper's thread (`summary`, `related`, `code`, `authors`, `cite`), asked of one
    paper by id or link from anywhere: `cite 2406.12345` gives its BibTeX, not a search for those words."""

    question: str
    ref: str
    more: tuple[str, ...] = ()  # the questions asked with it (`code and cite 2406.12345`), answered with it
    style: str = ""  # a citation's style asked for (`cite 2406.12345 apa`): BibTeX is the one given
    save: bool = False  # asked to save it too (`cite 2406.12345 and save it`), as a thread's mention may
    others: tuple[str, ...] = ()  # the papers cited with it (`cite 2406.12345 and 2406.54321`): one bibliography
    related: int | None = None  # how many related papers, where a number is asked (`related 2406.12345 top 3`)


@dataclass(frozen=True)
class Subscribe:
    topics: tuple[str, ...] = ()
    time: str | None = None
    timezone: str | None = None
    days: str | None = None
    limit: int | None = None
    cadence: str | None = None  # "daily" or "weekly", when said
    day: str | None = None  # a weekly roundup's day (`on fri`), when said
    every_paper: bool = False  # topics cleared (`subscribe all papers`): no `topics` keeps the ones the channel has
    changes: bool = False  # `settings at 10:00`, `set time 10:00`: the channel's digest changed, none started
    adds: bool = False  # `settings add robotics`: these topics added to the channel's, theirs kept


@dataclass(frozen=True)
class Unsubscribe:
    topic: str | None = None  # `unsubscribe robotics`: that topic dropped, the rest kept; None: the digest


@dataclass(frozen=True)
class Settings:
    pass


@dataclass(frozen=True)
class Preview:
    """What the channel's digest (or roundup) would show now, as its filters pick; nothing posted."""

    roundup: bool = False  # asked for as the roundup (`roundup`, `weekly roundup`): none here offers one


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Thanks:
    """`thanks`, `thank you`, `ok`, `cool`: said to the bot, not searched for; answered in a line."""

    thanked: bool = True  # False: an acknowledgement (`ok`, `got it`)


@dataclass(frozen=True)
class Follow:
    """Personal follows, in a direct message: these entries added to the person's own digest."""

    topics: tuple[str, ...]
    timezone: str | None = None  # the person's zone (Slack: their profile's; Discord: the option)
    every_paper: bool = False  # `follow everything -robotics`: the topics followed before go too
    elsewhere: bool = False  # typed in another conversation than the one the digest comes to (Slack: a DM


@dataclass(frozen=True)
class Follows:
    pass


@dataclass(frozen=True)
class Unfollow:
    topic: str | None = None  # None: every follow


@dataclass(frozen=True)
class Top:
    period: str = "week"


@dataclass(frozen=True)
class Saved:
    bibtex: bool = False


@dataclass(frozen=True)
class Save:
    ref: str
    more: tuple[str, ...] = ()  # questions asked of the paper with it (`save 2406.12345 and cite it`)
    others: tuple[str, ...] = ()  # the papers named after it (`save 2406.12345 and 2406.54321`), saved too


@dataclass(frozen=True)
class Unsave:
    ref: str
    more: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # as `Save`'s


@dataclass(frozen=True)
class Unknown:
    """Text that looks like a mistyped keyword or a command used wrongly; `hint` says what to type."""

    text: str
    hint: str


Command = (
    Today
    | Recent
    | Search
    | PaperLookup
    | RepositoryLookup
    | Ask
    | Subscribe
    | Unsubscribe
    | Settings
    | Preview
    | Help
    | Thanks
    | Follow
    | Follows
    | Unfollow
    | Top
    | Saved
    | Save
    | Unsave
    | Unknown
)
