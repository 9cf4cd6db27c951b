"""`/papers` as people type it: the text after the command, parsed into one neutral command.

/papers  or  /papers today       today's papers
/papers 2026-08-20 · yesterday   that day's papers (`today 2026-08-20` too)
/papers speculative decoding     a search
/papers paper 2406.12345         one paper
/papers cite 2406.12345          a thread's question (`summary`, `related`, `code`, `authors`, `cite`) of one paper
/papers subscribe diffusion, robots at 09:00 tz Europe/Berlin top 5
/papers subscribe weekly diffusion on fri at 16:00   a weekly roundup
/papers unsubscribe · settings · help
/papers follow diffusion -robotics · follow author:LeCun · follows · unfollow [topic]   (in a DM)

Topics everywhere may be `-exclusions` and `author:NAME` filters (bot.domain.filters).
/papers top [week|month|all]     the channel's most engaged papers
/papers saved [bibtex] · unsave 2406.12345   the caller's reading list
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from bot.chat.days import NamedDay, Span, named_day, named_span
from bot.chat.discussion import ASKS, what_is_asked
from bot.chat.recent import only_when, papers_asked, within
from bot.domain.config import MAX_TOPIC_CHARS as MAX_TOPIC_CHARS  # the limits `subscribe` holds topics to
from bot.domain.config import MAX_TOPICS as MAX_TOPICS
from bot.domain.config import check_time, check_timezone, check_topics
from bot.domain.errors import UsageError
from bot.domain.filters import fold, split_entry
from bot.domain.ids import a_paper_link, is_arxiv_id, papers_named
from bot.domain.our_words import calendar_fault
from bot.domain.weekdays import digest_days, looks_like_a_day, not_days, parse_days, parse_weekday
from bot.domain.words import as_ours, edits
from bot.domain.zones import ABBREVIATIONS, names_a_city, zone_hint, zone_named, zones_by_lower

STOPPING = ("stop", "unsub", "cancel", "quit", "mute")  # said alone: `unsubscribe` meant
KEYWORDS = (
    "today",
    "paper",
    "subscribe",
    "unsubscribe",
    "settings",
    "help",
    "follow",
    "follows",
    "unfollow",
    "top",
    "saved",
    "unsave",
)  # not `save`: "safe RL", "SAEs", "wave equations" would be asked whether they meant it
PERIODS = ("week", "month", "all")
PERIOD_WORDS = {  # said so, meant so
    "weeks": "week",
    "months": "month",
    "all time": "all",
    "ever": "all",
    **{
        f"{which} {period}": period
        for which in ("this", "last", "past", "the last", "the past")
        for period in ("week", "month")
    },
}
BIBTEX_WORDS = frozenset({"bibtex", "bibtext", "bib", "as", "in", "please", "format"})  # `saved bibtex please`
# Periods `top` does not take, typed as if it did: said so, where other words after `top` are a search.
MISREAD_PERIODS = frozenset({"weekly", "monthly", "year", "yearly", "day", "daily", "today", "alltime", "all-time"})
# Topics that ask for every paper: what `settings` shows of a digest with none ("Topics: all papers")
_EVERY_PAPER = frozenset(
    {"all", "all papers", "every paper", "everything", "any", "any topic", "all topics", "no topics"}
)


_TODAY_WORDS = frozenset({"please", "pls", "papers", "paper", "list", "digest", "'s", "top", "trending", "again"})
# today's papers, as asked in other words: searched for, "new" and "latest" found nothing ("holds no word
# to look for"), and "papers" was "Did you mean `paper`?"
_TODAY_SAID = frozenset(
    {"papers", "latest", "latest papers", "new", "new papers", "newest", "hot", "popular", "news", "now"}
    | {"what's new", "whats new", "what is new", "what's trending", "whats trending", "what's hot", "anything new"}
)
# commands whole by themselves
_ALONE = ("today", "yesterday", "trending", "help", "settings", "unsubscribe", "saved", "top", "follows", "following")
_ID_OPTION = re.compile(r"\A(?:--id\b=?|id\s*[:=])\s*", re.IGNORECASE)
_PERIOD_OPTION = re.compile(r"\A(?:--period\b=?|period\s*[:=])\s*", re.IGNORECASE)
MOST_PAPERS = 50  # papers a digest, a roundup or `today` shows at most (`top 50`, `today all`)
OPTIONS = ("at", "tz", "top", "days")
OPTION_EXAMPLES = {"at": "`at 09:00`", "tz": "`tz Europe/Berlin`", "top": "`top 5`", "days": "`days mon-fri`"}


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
class Ask:
    """A question of a paper's thread (`summary`, `related`, `code`, `authors`, `cite`), asked of one
    paper by id or link from anywhere: `cite 2406.12345` gives its BibTeX, not a search for those words."""

    question: str
    ref: str


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


@dataclass(frozen=True)
class Unsubscribe:
    topic: str | None = None  # `unsubscribe robotics`: that topic dropped, the rest kept; None: the digest


@dataclass(frozen=True)
class Settings:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Follow:
    """Personal follows, in a direct message: these entries added to the person's own digest."""

    topics: tuple[str, ...]
    timezone: str | None = None  # the person's zone (Slack: their profile's; Discord: the option)
    elsewhere: bool = False  # typed in another conversation than the one the digest comes to (Slack: a DM
    # with someone else; the digest goes to the person's direct message with the bot)


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


@dataclass(frozen=True)
class Unsave:
    ref: str


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
    | Ask
    | Subscribe
    | Unsubscribe
    | Settings
    | Help
    | Follow
    | Follows
    | Unfollow
    | Top
    | Saved
    | Save
    | Unsave
    | Unknown
)


def parse_command(text: str) -> Command:
    # A backtick means nothing in a query or a topic, and echoed back in an answer it would pair with the
    # answer's own code spans (`subscribe at \`9` broke the hint's markup): an apostrophe instead.
    text = " ".join(plain_text(text).replace("`", "'").split())
    text = _POLITELY.sub("", text) or text
    if not text or text.lower().rstrip("?!. ").replace("’", "'") in _TODAY_SAID:
        return Today()
    first, _, rest = text.partition(" ")
    if not rest and first.rstrip("?!.").lower() in _ALONE:  # `today?`, `help!`: the command, not "Did you mean"
        text = first = first.rstrip("?!.")
    word = first.lower()
    if word in ("paper", "save", "unsave", *ASKS):  # `paper id:2406.12345`: Discord's option, typed here
        rest = _ID_OPTION.sub("", rest, count=1)
    if (word in ("today", "today's", "todays", "yesterday", "trending") or _DAY.fullmatch(word)) and (
        today := _today(word, rest, text)
    ) is not None:
        return today  # `today please`, `today's papers`, `today top 20`: not a search for "please"
    if (said := named_day(text)) is not None and (day := _named(*said, text)) is not None:
        return day  # `aug 20`, `friday top 5`: not a search for "aug"
    if word in ("help", "?", "-h", "--help"):
        return Help()
    if word == "paper":
        if not rest:
            return Unknown(text, "`paper` needs an arXiv id or link, such as `paper 2406.12345`.")
        named = papers_named(rest)  # `paper 2406.12345.`, `paper "2406.12345"`, Slack's `<link|label>`
        if len(named) > 1:
            return Unknown(text, f"`paper` takes one paper at a time: `paper {named[0]}`, then `paper {named[1]}`.")
        return PaperLookup(named[0] if named else rest)
    if word == "settings":
        return Settings()
    if word == "unsubscribe":
        dropped = rest.strip(" .!").split()
        while dropped and dropped[0].lower() in _POLITE:  # `unsubscribe me from this channel`, `… from robotics`
            dropped.pop(0)
        while dropped and dropped[-1].lower() in _POLITE:
            dropped.pop()
        return Unsubscribe(" ".join(dropped).strip('"“”') or None)  # `unsubscribe robotics`: that topic only
    if word == "subscribe":
        try:
            return parse_subscribe(rest)
        except UsageError as exc:
            return Unknown(text, str(exc))
    if word == "following" and not rest:  # what they follow, as a profile page says it: not "Did you mean `follow`?"
        word = "follows"
    if word in ("follow", "follows", "unfollow"):
        return parse_follow(word, rest, text)
    if word == "top":  # `top --period week`, `top period:week`: the CLI's and Discord's option, typed here
        rest = _PERIOD_OPTION.sub("", rest, count=1)
    community = _community(word, rest.lower())
    if community is not None:
        return community
    if word == "top" and (rest.lower() in MISREAD_PERIODS or rest.isdigit()):  # a period meant, not a search
        return Unknown(
            text,
            "`top` takes `week`, `month` or `all`, such as `top month`: this channel's most engaged papers."
            + (f" Today's top {rest}: `today top {rest}`." if rest.isdigit() else ""),
        )
    if (meant := _mistyped_form(word, rest)) is not None:
        return Unknown(text, f"Did you mean `{meant}`?")
    ref = rest.rstrip(".,;!?")  # `save 2406.12345.`: the sentence's full stop is not the id's
    if (asked := _asked_of_a_paper(text, word, rest)) is not None:
        return asked
    if word in ASKS and names_a_paper(ref):
        return Ask(word, ref)  # else a search ("code generation", "related work")
    if word in ("save", "unsave") and len(named := papers_named(rest)) == 1:  # `save (2406.12345)？`
        return Save(named[0]) if word == "save" else Unsave(named[0])
    if word == "save" and names_a_paper(ref):
        return Save(ref)  # else a search ("save energy")
    if word in ("save", "unsave") and (bad := _ALMOST_AN_ID.fullmatch(ref.strip(_AROUND_AN_ID))):
        return Unknown(text, _not_an_id(bad[0]))
    if word in ("save", "unsave") and len(ids := ref.split()) > 1 and all(names_a_paper(i) for i in ids):
        return Unknown(text, f"`{word}` takes one paper at a time: `{word} {ids[0]}`, then `{word} {ids[1]}`.")
    if word == "save" and not rest:
        return Unknown(
            text, "`save` needs the paper's arXiv id, such as `save 2406.12345` (or press Save on its card)."
        )
    if word == "unsave":
        return (
            Unsave(ref) if ref else Unknown(text, "`unsave` needs the paper's arXiv id, such as `unsave 2406.12345`.")
        )
    if (paper := _paper_named(text)) is not None:
        return paper
    if word in STOPPING and not rest:  # not "Did you mean `top`?": they want the digest to stop
        return Unknown(text, "To stop this channel's digest: `unsubscribe`.")
    close = difflib.get_close_matches(word, KEYWORDS, n=1, cutoff=0.75)
    if close and word not in (*KEYWORDS, "save") and (not rest or close[0] != "paper"):  # "save energy": a search
        return Unknown(text, f"Did you mean `{close[0]}`?")
    if (flagged := _search_flags(word, text)) is not None:
        return Unknown(text, flagged)
    return _searched(text)


def _searched(text: str) -> Today | Recent | Search | Unknown:
    """A search, with the days its time words say (`diffusion this week`); or time words alone: `this
    week`, `top 20 papers from the last month` (the papers of those days, most upvoted first), `top
    papers today` (`today`'s)."""
    try:
        topic, days, span, limit = search_parts(text)
        if span is not None and (asked := papers_asked(topic)) is not None:  # `top papers since monday`
            limit = limit or _limit(asked[0])
            return Today(limit, named=span.first) if span.only else Recent(0, limit, span)
        if (when := only_when(text)) is None:
            return Search(topic, days, span, limit)
        days, limit = when[0], _limit(when[1])
    except UsageError as exc:
        return Unknown(text, str(exc))
    return Today(limit) if days == 1 else Recent(days, limit)


def search_parts(text: str) -> tuple[str, int, Span | None, int | None]:
    """A search as typed, in its parts, as chat and `paperboy search` read it: the topic, the days its
    time words keep (`diffusion this week`: 7), the day it names (`agents since monday`), and how many
    results it asks for (`diffusion top 10`). `UsageError` for days or a count out of range."""
    topic, limit = _counted(text)
    if (named := named_span(topic)) is not None:
        return named[0], 0, named[1], limit
    return (*within(topic), None, limit)


# how many results a search asks for: `diffusion top 10`, `top 10 diffusion papers` (not `top 5 accuracy`)
_COUNT_AFTER = re.compile(r"\s+top\s+(\d+|all)\s*\Z", re.IGNORECASE)
_COUNT_FIRST = re.compile(r"\A(?:the\s+)?top\s+(\d+)\s+(?=.*\bpapers?\b)", re.IGNORECASE)


def _counted(text: str) -> tuple[str, int | None]:
    """The search's words without the count of results it asks for, and that count (`_top`: 1 to
    `MOST_PAPERS`); None for the usual number."""
    found = _COUNT_AFTER.search(text) or _COUNT_FIRST.search(text)
    if found is None:
        return text, None
    return (text[: found.start()] + " " + text[found.end() :]).strip(), _limit(found[1].lower())


def _limit(most: str | None) -> int | None:
    """The papers a `top 20`, or an `all`, asks for; None for the digest's number."""
    return None if most is None else MOST_PAPERS if most == "all" else _top(most)


def _paper_named(text: str) -> Command | None:
    """The paper a text only names, looked up (`2406.12345？`, `arXiv 2406.12345v1`, a link), or what to
    say of a link no paper has; None for a search."""
    if is_arxiv_id(text):
        return PaperLookup(text)
    if a_paper_link(text):  # `https://arxiv.org/abs/9999.99999`: no paper's, and no words to search for
        return Unknown(
            text,
            f"“{text.strip().strip('<>')}” names no paper: its id is none arXiv gives (they look like 2406.12345).",
        )
    if (named := papers_named(text)) and only_ids(text):
        if len(named) == 1:
            return PaperLookup(named[0])
        return Unknown(text, f"One paper at a time: `paper {named[0]}`, then `paper {named[1]}`.")
    return None


def search_option(topic: str) -> Command:
    """A search's topic as a surface's own option gives it (Discord's `topic:`), read as the chat reads a
    message: one that only names a paper is that paper (it was searched for as words)."""
    return _paper_named(topic) or _searched(topic)


def paper_option(verb: Literal["paper", "save", "unsave"], value: str) -> Command:
    """A paper's id as a surface's own option gives it (Discord's `id:`), read as the chat reads it after
    `paper`, `save` or `unsave`: `2406.12345.`, `(2406.12345)`, `arXiv:2406.12345v2,`, a link."""
    named = papers_named(value)
    if len(named) > 1:
        return Unknown(
            f"{verb} {value}", f"`{verb}` takes one paper at a time: `{verb} {named[0]}`, then `{verb} {named[1]}`."
        )
    ref = named[0] if named else value
    return PaperLookup(ref) if verb == "paper" else Save(ref) if verb == "save" else Unsave(ref)


_ALMOST_AN_ID = re.compile(r"(?:arxiv:\s*)?\d{4}\.\d+(?:v\d+)?", re.IGNORECASE)  # `cite 2608.1988`: a digit short
_QUESTION_WORDS = 8  # a question of a paper in a sentence: longer, it is a search that names one
_AROUND_AN_ID = " .,;:!?()[]<>\"'"


def _not_an_id(typed: str) -> str:
    return f"“{typed}” is not an arXiv id: they look like 2406.12345 (or paste the paper's link)."


# `please subscribe …`, `follow diffusion please`, `can you show today`: the command, not a word of its topic
_POLITELY = re.compile(
    r"\A(?:(?:please|pls|plz|hey|hi|ok|okay)[,!]?\s+|(?:can|could|would|will)\s+you\s+(?=\S+\s+\S))+"
    r"|(?:[\s,]+(?:please|pls|plz|thanks|thank\s+you|thx))+[.!]*\Z",
    re.IGNORECASE,
)
_POLITE = frozenset(  # words around `unsubscribe` that name no topic (`unsubscribe me from this channel`)
    {"please", "pls", "plz", "now", "all", "everything", "here", "this", "that", "the", "channel", "me", "us",
     "my", "our", "from", "of", "it", "thanks", "thank", "you", "ok", "okay", "digest", "digests", "daily",
     "weekly", "roundup", "papers", "paperboy", "bot", "anymore", "any", "more", "stop"}
)  # fmt: skip
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # `ａ`→`a`, `１`→`1`, `：`→`:`
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphen, zero-width space, joiners, BOM


def plain_text(text: str) -> str:
    """The text as its characters read: full-width letters and digits as ASCII (`２６０８．１９８８０`, `０９：００`),
    and without the invisible characters a paste carries (`dif\u200bfusion` matched nothing, unsaid)."""
    return _INVISIBLE.sub("", text.translate(_FULL_WIDTH))


def _asked_of_a_paper(text: str, word: str, rest: str) -> Command | None:
    """A thread question asked of one paper named after it, as people write it: `cite: 2406.12345`,
    `authors of <link>`, `bibtex 2406.12345？`, `summery 2406.12345 please` (the question's other
    words and near misses, as in a thread). Two papers named: one at a time. None when the first word
    asks nothing, or no paper is named ("code generation" is a search)."""
    asked = what_is_asked(word)
    named = papers_named(text if papers_named(word) else rest)  # `2406.12345 summary`: the id first
    if asked is None and named and len(text.split()) <= _QUESTION_WORDS:  # `who wrote 2406.12345?`, as in a thread
        asked = what_is_asked(text) or ("related" if _LIKE.search(text) else None)
    if asked is not None and not named and (bad := _ALMOST_AN_ID.fullmatch(rest.strip(_AROUND_AN_ID))):
        return Unknown(text, _not_an_id(bad[0]))
    if asked is None or not named:
        return None
    if len(named) > 1:
        return Unknown(text, f"`{asked}` takes one paper at a time: `{asked} {named[0]}`, then `{asked} {named[1]}`.")
    return Ask(asked, named[0])


# words around ids that ask for nothing else: `arXiv 2406.12345`, `pdf 2406.12345`, `what is 2406.12345 about?`
_LIKE = re.compile(r"(?i)\b(?:papers?|more|others?|anything|something)\s+like\b")  # `papers like 2406.12345`
_ID_WORDS = frozenset(
    {"arxiv", "paper", "papers", "and", "id", "ids", "pdf", "link", "show", "me", "open", "the", "this", "that"}
    | {"what", "what's", "whats", "is", "about", "info", "details", "please", "pls", "look", "up", "tell"}
)


def only_ids(text: str) -> bool:
    """Whether the text names papers and nothing else: each word an id or a link (`papers_named`), or one of
    `_ID_WORDS` (`arXiv 2406.12345`, `2406.12345 and 2406.54321`); searched for, it found nothing."""
    words = (w.strip(".,;:!?()[]<>\"'“”").lower() for w in text.split())
    return all(not w or w in _ID_WORDS or papers_named(w) for w in words)


def names_a_paper(text: str) -> bool:
    """Whether the text is one paper's arXiv id, or a link to an arXiv or Hugging Face page (which
    the catalog then reads or refuses in its own words)."""
    return is_arxiv_id(text) or any(site in text for site in PAPER_SITES)


PAPER_SITES = ("arxiv.org/", "huggingface.co/", "hf.co/", "alphaxiv.org/", "ar5iv.org/")


def _community(word: str, rest: str) -> Top | Saved | None:
    """`top [week|month|all]`, `saved [bibtex]`; other words after them are a search (`top models`)."""
    rest = rest.strip(" .!?")
    period = PERIOD_WORDS.get(rest, rest)
    if word == "top" and (not rest or period in PERIODS):
        return Top(period or "week")
    if word == "saved" and rest in ("", "list"):  # `list`: Discord's own name for the plain form
        return Saved()
    said = set(rest.replace(":", " ").split())  # `saved format:bibtex`, Discord's form
    if word == "saved" and said <= BIBTEX_WORDS and said & {"bibtex", "bibtext", "bib"}:
        return Saved(bibtex=True)
    return None


FORMS = {"top": PERIODS, "saved": ("bibtex", "list")}  # the one word each takes after it


def _mistyped_form(word: str, rest: str) -> str | None:
    """`top weak`, `top mnth`, `saved bibtx`: the one word `top` or `saved` takes, mistyped (a search for
    it would answer with papers that have nothing to do with what was asked): the command meant, or None.
    More words, or one that is not near, are a search (`top models`, `saved searches`)."""
    said = rest.lower().strip(" .!?")
    forms = FORMS.get(word)
    if forms is None or not said or " " in said:
        return None
    near = [f for f in forms if edits(said, f, 1) <= 1]  # one letter off: "weak", "mnth", "bibtx"; not "small"
    return f"{word} {min(near, key=lambda f: edits(said, f, 1))}" if near else None


_TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Each word, or each quoted run ("…" or “…”), with whether it was quoted."""
    found = []
    for match in _TOKEN.finditer(text):
        plain, quoted = match.group(3), match.group(1) if match.group(1) is not None else match.group(2)
        found.append((plain, False) if plain is not None else (quoted or "", True))
    return found


_QUOTES = ('"', "“", "”")


def closed_quotes(text: str) -> None:
    """Raise UsageError where a word starts a quote that no quote mark after it closes (`subscribe
    "diffusion`): the quote would otherwise be saved as part of the topic. Mixed marks (`“diffusion"`,
    autocorrect's) are left as they were read."""
    for match in _TOKEN.finditer(text):
        token = match.group(3)
        if token is not None and token[:1] in _QUOTES and not any(q in text[match.start() + 1 :] for q in _QUOTES):
            raise UsageError(f'the quote before “{token[1:41]}” is not closed: close it ("…") or leave it out')


def asks_every_paper(topics: str) -> bool:
    """Whether a subscription's topics, as typed, ask for every paper (`all papers`, `everything`)."""
    return topics.lower().strip(" .!") in _EVERY_PAPER


def parse_subscribe(text: str) -> Subscribe:
    """`[weekly|daily] [topics] [at HH:MM] [tz Area/City] [top N] [days mon-fri] [on fri]`; topics split on
    commas or quoted.

    An option word takes the next word, or quoted run, as its value; raises UsageError saying what to type.
    `on` is an option only before a day of the week (`diffusion on graphs` stays a topic).
    """
    topics: list[str] = []
    words: list[str] = []
    options: dict[str, str] = {}
    closed_quotes(text)
    text = _FOR_HERE.sub("", text)  # `subscribe diffusion for this channel`
    tokens = _tokens(as_ours(text))  # `robotics NOT "humanoid robots"`: a quoted exclusion, as searched
    _no_flags(tokens)
    as_typed: set[str] = set()  # quoted topics: topics even where they look like an option
    cadence = None
    if tokens and not tokens[0][1] and tokens[0][0].lower() in ("weekly", "daily"):
        cadence = tokens.pop(0)[0].lower()
    who = _words_of(tokens)
    alone = set(who) <= _WHO and bool(set(who) - {"the", "this", "our", "my"})  # `subscribe us`; not `subscribe the`
    while tokens and not tokens[0][1] and tokens[0][0].lower() in _WHO and ("to" in who or alone):
        tokens.pop(0)  # `subscribe me to diffusion`, `subscribe this channel to …`, `subscribe us`: who, then what
    if len(tokens) > 1 and not tokens[0][1] and tokens[0][0].lower() == "to":  # `subscribe to diffusion`, as said
        tokens.pop(0)  # (the topic was “to diffusion”)
    i = 0
    while i < len(tokens):
        token, quoted = tokens[i]
        if not quoted and token.lower() == "on" and i + 1 < len(tokens) and is_weekday(tokens[i + 1][0].rstrip(",")):
            _close(words, topics)  # `on mon, robotics`: the comma ends the option, as after the others
            _option(options, "on", tokens[i + 1][0].rstrip(","))
            i += 2
            continue
        if quoted:
            _close(words, topics)
            if token.strip():
                topics.append(" ".join(token.split()))
                as_typed.add(topics[-1])
        elif token.lower() == "on" and i + 1 < len(tokens) and _several_days(tokens[i + 1][0]):
            raise UsageError(  # `on fri,mon`
                "`on` takes one day: a weekly roundup comes once a week (a daily digest on some days: `days mon,fri`)"
            )
        elif token.lower() == "on" and i + 1 == len(tokens):
            raise UsageError("`on` needs a day of the week after it, such as `on fri`")
        elif token.lower() in ("weekly", "daily") and options and i + 1 == len(tokens):
            raise UsageError(f"`{token.lower()}` goes first, right after `subscribe`: `subscribe {token.lower()} …`")
        elif token.lower() in OPTIONS:
            if i + 1 == len(tokens):  # never a topic: it would replace the channel's topics with `tz`
                raise UsageError(f"`{token.lower()}` needs a value after it, such as {OPTION_EXAMPLES[token.lower()]}")
            _close(words, topics)
            value, took = _option_value(token.lower(), tokens, i + 1)
            _option(options, token.lower(), value)
            i += took
        elif token == "OR":  # `diffusion OR robotics`, as boolean search writes it: two topics, as a comma makes
            _close(words, topics)
        else:
            for piece in re.split(r"(,)", token):
                if piece == ",":
                    _close(words, topics)
                elif piece:
                    words.append(piece)
        i += 1
    _close(words, topics)
    topics, cadence = _days_said(topics, as_typed, options, cadence)
    for topic in topics:
        if topic not in as_typed and topic.lower() in ("weekly", "daily"):  # `subscribe daily weekly`
            said = topic.lower()
            raise UsageError(
                f"`{said}` is given twice: give it once"
                if said == cadence
                else f"a subscription is daily or weekly, not both: `subscribe {cadence} …` or `subscribe {said} …`"
                if cadence
                else f"`{said}` goes first, right after `subscribe`: `subscribe {said} …`"
            )
        if topic not in as_typed and (meant := _option_meant(topic)):
            raise UsageError(
                f"“{topic}” looks like an option, not a topic: type {meant} (or quote it to make it a topic)"
            )
    every_paper = len(topics) == 1 and not as_typed and asks_every_paper(topics[0])
    unique = () if every_paper else checked_topics(topics)
    return Subscribe(
        topics=unique,
        time=_time(options["at"]) if "at" in options else None,
        timezone=checked_timezone(options["tz"]) if "tz" in options else None,
        days=_days(options["days"]) if "days" in options else None,
        limit=_top(options["top"]) if "top" in options else None,
        cadence=cadence,
        day=parse_weekday(options["on"]) if "on" in options else None,
        every_paper=every_paper,
    )


# How often, said in words at a topic's end (`diffusion every day`, `robotics on weekdays`, `agents
# daily`): told "looks like an option, not a topic: type `days daily`", though nothing else was meant.
_EVERY_DAY = re.compile(r"(?:\A|\s+)(?:every|each)\s+days?\Z", re.IGNORECASE)
_WEEKDAYS = re.compile(r"(?:\A|\s+)(?:on\s+|every\s+)?week\s?days\Z|(?:\A|\s+)every\s+weekday\Z", re.IGNORECASE)
_DAILY = re.compile(r"\s+daily\Z", re.IGNORECASE)
_WEEKLY = re.compile(r"\s+(?:weekly|every\s+week|once\s+a\s+week)\Z", re.IGNORECASE)
_WHO = frozenset({"me", "us", "this", "the", "our", "my", "channel", "here"})  # `subscribe me to …`
_FOR_HERE = re.compile(
    r"\s+(?:(?:for|in|to)\s+(?:this|the|our|my)\s+channel|here)(?=\s*(?:,|\Z|(?:at|tz|top|days|on)\s))", re.I
)  # `subscribe diffusion for this channel at 09:00`


def _words_of(tokens: list[tuple[str, bool]]) -> list[str]:
    """The unquoted words before the first quoted one or option (`at`, `tz`, …, `on`), lower-cased."""
    words = (t.lower() * (not q) for t, q in tokens)
    return list(itertools.takewhile(lambda w: bool(w) and w not in (*OPTIONS, "on"), words))


def _days_said(
    topics: list[str], as_typed: set[str], options: dict[str, str], cadence: str | None
) -> tuple[list[str], str | None]:
    """The topics without the days said in words at their end, which go into `options` (`days`) or the
    cadence; as they were where a `days` option or another cadence is given too (then said to be one)."""
    kept = []
    for topic in topics:
        if topic not in as_typed:
            for pattern, days in ((_EVERY_DAY, "daily"), (_WEEKDAYS, "mon-fri")):
                if "days" not in options and pattern.search(topic):
                    options["days"], topic = days, pattern.sub("", topic).strip()
            if cadence in (None, "daily") and _DAILY.search(topic):
                cadence, topic = "daily", _DAILY.sub("", topic).strip()
            if cadence in (None, "weekly") and "days" not in options and _WEEKLY.search(topic):
                cadence, topic = "weekly", _WEEKLY.sub("", topic).strip()
            if not topic:
                continue
        kept.append(topic)
    return kept, cadence


def _option_value(name: str, tokens: list[tuple[str, bool]], at: int) -> tuple[str, int]:
    """An option's value starting at `tokens[at]`, and how many tokens it took: one, or more where people
    write it in words (`at 9:00 PM`, `days mon wed fri`, `tz America/New York`). A comma after it ends
    the option (`tz Europe/Berlin, robotics`: the comma is not the zone's)."""
    value, quoted = tokens[at]
    value = value if quoted else value.rstrip(",")
    took = 1
    if name == "days" and all(map(is_weekday, value.split(","))):  # `days mon wed fri`, `days Mon, Wed`
        while True:
            if _another_day(tokens, at + took):
                value, took = f"{value},{tokens[at + took][0].rstrip(',')}", took + 1
            elif _DAY_SPAN.fullmatch(tokens[at + took][0] if at + took < len(tokens) else "") and (
                _another_day(tokens, at + took + 1)
            ):  # `days mon - fri`, `days mon to fri`: Monday only, and the topic "- fri", before
                value, took = f"{value}-{tokens[at + took + 1][0].rstrip(',')}", took + 2
            else:
                return value, took
    nxt = tokens[at + 1][0] if at + 1 < len(tokens) and not tokens[at + 1][1] else None
    if nxt is None or tokens[at][0].endswith(","):
        return value, took
    if name == "tz" and _spaced_zone(value, nxt):
        return f"{value}_{nxt.rstrip(',')}", 2  # `tz America/New York`
    if name == "at" and _MERIDIEM.fullmatch(nxt.rstrip(",")):
        return f"{value} {nxt.rstrip(',')}", 2  # `at 9:00 PM`, quoted as typed if refused
    if name == "at" and value.isdigit() and nxt.lower() not in (*OPTIONS, "on"):  # `LLMs at 4 bits`: no hour
        raise UsageError(
            f"`at {value[:4]}` before “{nxt.rstrip(',')[:40]}”: a time goes HH:MM, such as `at 09:00`; a topic"
            ' with “at” in it goes in quotes ("…")'
        )
    ends = nxt.endswith(",") or at + 2 == len(tokens) or tokens[at + 2][0].lower() in OPTIONS
    if name == "at" and ends and (zone := _abbreviated_zone(nxt.rstrip(","))) is not None:  # not `MET office`
        raise UsageError(f"“{nxt.rstrip(',')}” after the time would be read as a topic: {zone}")
    return value, took


def days_option(text: str) -> str:
    """Days as a surface's own option gives them (Discord's `days:`), read as the chat reads the words
    after `days`: `mon wed fri`, `Mon to Fri`, `mon, wed, fri`, `weekdays` (they were run together into
    "monwedfri", and refused as that)."""
    tokens = _tokens(" ".join(text.replace(",", " ").split()))
    if not tokens:
        return text
    value, took = _option_value("days", tokens, 0)
    if took != len(tokens):
        raise UsageError(not_days(text))
    return value


def time_option(text: str) -> str:
    """A time as a surface's own option gives it (`9:00  pm`), its spaces as the chat reads `at 9:00 PM`."""
    return " ".join(text.split())


def _several_days(word: str) -> bool:
    days = [d for d in word.split(",") if d]
    return len(days) > 1 and all(map(is_weekday, days))


def _another_day(tokens: list[tuple[str, bool]], at: int) -> bool:
    """Whether `tokens[at]` names one more day of a `days` list: a day's name in lower case or capitalised
    (`Wed`, as phones write it; not `SAT solvers`), that ends the text, a comma's part, or comes before an
    option or another day (not the `sun` of `sun glare detection`)."""
    if at >= len(tokens) or tokens[at][1]:
        return False
    word = tokens[at][0]
    day = word.rstrip(",")
    if not ((day.islower() or day.istitle()) and is_weekday(day)):
        return False
    if word.endswith(",") or at + 1 == len(tokens):
        return True
    after, quoted = tokens[at + 1]
    return not quoted and (after.lower() in (*OPTIONS, "on") or is_weekday(after.rstrip(",")))


_MERIDIEM = re.compile(r"[ap]\.?m\.?", re.IGNORECASE)  # `PM`, `a.m.`
_DAY_SPAN = re.compile(r"-|–|—|to|through|thru|till|until", re.IGNORECASE)  # between two days: a span


def _abbreviated_zone(word: str) -> str | None:
    """What to type for a zone written as its abbreviation after a time (`at 09:00 EST`, `at 16:00 CET`),
    which would otherwise be saved as a topic and the time kept in UTC; None for any other word. UTC
    and GMT are said as the other named zones are (`_option_meant`)."""
    low = word.lower()
    if word.isupper() and low in ABBREVIATIONS:  # `EST`; not the `west` of `west coast`
        name, zone = ABBREVIATIONS[low]
        return f"for {name}, type `tz {zone.split()[0]}` (a zone name; it follows daylight saving)"
    known = zones_by_lower().get(low)
    if word.isupper() and word.isalpha() and known is not None and low not in ("utc", "gmt"):
        return f"type `tz {known}`"
    return None


_GLUED = re.compile(r"(at|top)(\d[\d:.]*)", re.IGNORECASE)  # `at10:00`, `top5`
_NEAR = {"time": "at", "timezone": "tz", "zone": "tz", "limit": "top", "tops": "top"}
_FLAGS = {"topic": "", "topics": "", **{option: option for option in OPTIONS}, **_NEAR, "on": "on", "day": "on"}
# `--at`, `--tz=Europe/Paris`: a command line's habit; `—at` as a phone or a Mac's autocorrect makes it
_FLAG = re.compile(r"(--|[—–])([a-z]+?)(?:=(.*)|(\d[\d:.]*(?:am|pm)?))?", re.IGNORECASE)  # and `--at9:00`


# `time:09:00`, `topics:diffusion`: Discord's options as its own form writes them, typed here; the groups
# as `_FLAG`'s (no prefix, the name, the value, nothing glued)
_COLON = re.compile(r"()([a-z]+):(.+)()", re.IGNORECASE)


def _flag(token: str) -> re.Match[str] | None:
    """The flag a word is: any `--word`, and a dash's only where it names an option (not `—robotics`), or
    an option's name and its value after a colon (`time:09:00`; not `author:LeCun`, a filter)."""
    m = _FLAG.fullmatch(token)
    if m and (m[1] == "--" or m[2].lower() in _FLAGS):
        return m
    m = _COLON.fullmatch(token)
    return m if m and _an_option_value(_FLAGS.get(m[2].lower()), m[3]) else None


def _an_option_value(option: str | None, value: str) -> bool:
    """Whether `value` is one that option takes (`time:09:00`, `on:fri`); any for a topic: `time:series`
    and `on:device` are words of a topic."""
    if option in _VALUES:
        return _VALUES[option](value)
    if option == "days":
        try:
            return bool(parse_days(value))
        except ValueError:
            return False
    return option == "" or (option == "on" and is_weekday(value))


def _flags(tokens: list[tuple[str, bool]]) -> list[re.Match[str]]:
    """The flags among the words typed (quoted words are as typed: never flags)."""
    return [m for token, quoted in tokens if not quoted and (m := _flag(token))]


def _no_flags(tokens: list[tuple[str, bool]]) -> None:
    """Refuse options typed as a command line's flags (`--topic agents --at 9:00`), saying the chat's
    form: they would otherwise be saved as the channel's topic, and the settings meant lost."""
    flags = _flags(tokens)
    if unknown := next((m[0] for m in flags if m[2].lower() not in _FLAGS), None):
        raise UsageError(
            f"`{unknown}` is no option of `subscribe`: its options are words without dashes, `at`, `tz`, `top`,"
            " `days` and `on`, as in `subscribe diffusion at 09:00 tz Europe/Berlin top 5`"
        )
    if flags:
        typed = _unflagged(tokens, lambda m: [_FLAGS[m[2].lower()], m[3] or m[4] or ""])
        raise UsageError(f"in chat, options are words {_without(flags)}: `subscribe {typed}`")


def _without(flags: list[re.Match[str]]) -> str:
    """How the flags typed are not written in chat: "without dashes" (`--at`), "without colons" (`time:`)."""
    dashed = {bool(m[1]) for m in flags}
    return (
        "without dashes" if dashed == {True} else "without colons" if dashed == {False} else "without dashes or colons"
    )


def _unflagged(tokens: list[tuple[str, bool]], said: Callable[[re.Match[str]], list[str] | None]) -> str:
    """The words typed, each flag replaced by the words `said` of it; None: the flag and the word after it
    (its value, `--limit 5`) left out. Quoted runs stay in their quotes."""
    words: list[str] = []
    value_next = False
    for token, quoted in tokens:
        m = None if quoted else _flag(token)
        if value_next:
            value_next = False
        elif m is not None:
            instead = said(m)
            value_next = instead is None
            words += instead or []
        else:
            words.append(f'"{token}"' if quoted else token)
    return " ".join(" ".join(words).split())


def _option_meant(topic: str) -> str | None:
    """The option a would-be topic is, or holds, mistyped (`time 10:00`, `diffusion timezone
    Europe/Berlin`, `on fridays`, `top5`, `diffusion weekly`, the `UTC` of `at 10:00 UTC`): what to
    type, or None. It would otherwise replace the channel's topics with the option's words, and the
    setting meant would be lost."""
    words = topic.split()
    if glued := next((m for w in words if (m := _GLUED.fullmatch(w))), None):
        return f"`{glued[1].lower()} {glued[2]}`"
    on_day = len(words) >= 2 and words[-2].lower() in ("on", "every") and looks_like_a_day(words[-1])
    said_day = words[-1] if len(words) == 1 or words[0].lower() in ("on", "every", "day") else ""
    on_day = on_day or (len(words) <= 2 and _DAYS.fullmatch(said_day) is not None)  # `fridays`: no topic is a day
    if on_day or (len(words) == 2 and words[0].lower() == "day" and looks_like_a_day(words[1])):
        return "`on` and one day of the week, such as `on fri` (a weekly roundup), or `days mon-fri`"
    # the option's word and its value: alone (`time 10`), or ending the topic and plainly a value
    # (`diffusion time 10:00`); not `real time 3d reconstruction`, `space time 4`, `wall time 3`
    if len(words) >= 2:  # the last two words
        option, value = _NEAR.get(words[-2].lower()), words[-1]
        if option is not None and _VALUES[option](value) and (len(words) == 2 or _PLAINLY[option](value)):
            return f"`{option} {value}`"
    if len(words) >= 2 and words[-2].lower() in ("every", "each") and words[-1].lower() in ("day", "days"):
        return "`days daily`"
    if len(words) >= 2 and (cadence := words[-1].lower()) in ("weekly", "daily"):
        return f"`{cadence}` first, as in `subscribe {cadence} {' '.join(words[:-1])}`"
    if len(words) == 1 and _named_zone(words[0]):
        return f"`tz {words[0]}`"
    if 2 <= len(words) <= 4 and words[-1].lower() == "time" and (zone := zone_named(" ".join(words[:-1]))):
        return f"`tz {zone}`"  # `at 09:00 berlin time`: the topic “berlin time”, at 09:00 UTC
    if words and _TIME_OF_DAY.fullmatch(words[-1]):  # `on fri 16:00`, `robotics 9:30`: no topic ends in a time
        return f"`at {words[-1]}`"
    return None


def _named_zone(word: str) -> bool:
    """Whether a word is a time zone's name that no topic would be (`Europe/Berlin`, `UTC`, `GMT`; not
    `Japan`, nor the acronyms that are zones too: `UCT` of tree search, `ROC`, `GB`)."""
    return ("/" in word or word.upper() in ("UTC", "GMT")) and word.lower() in zones_by_lower()


_DAYS = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun|week)days?|weekends?", re.IGNORECASE | re.ASCII)
_CLOCK = re.compile(r"\d{1,2}([:.]\d\d)?(am|pm)?", re.IGNORECASE)
_TIME_OF_DAY = re.compile(r"\d{1,2}(:\d\d|(:\d\d)?(am|pm))", re.IGNORECASE)  # `10:00`, `9am`: no `3`, no `1.58`
_VALUES: dict[str, Callable[[str], bool]] = {  # what an option mistyped as a word before it takes
    "at": lambda value: _CLOCK.fullmatch(value) is not None,
    "tz": lambda value: "/" in value or value.lower() in zones_by_lower(),
    "top": str.isdigit,
}
_PLAINLY: dict[str, Callable[[str], bool]] = {  # …and what is plainly such a value after a topic's words
    "at": lambda value: _TIME_OF_DAY.fullmatch(value) is not None,
    "tz": lambda value: "/" in value and value.lower() in zones_by_lower(),
    "top": lambda value: value.isdigit() and 0 < int(value) <= MOST_PAPERS,  # a digest's size, not `token limit 4096`
}


def _spaced_zone(first: str, second: str) -> bool:
    """Whether two words are one zone typed with a space for its underscore (`America/New York`, or its
    city alone: `New York`)."""
    both = f"{first} {second}"
    return zone_named(first) is None and (zone_named(both) is not None or names_a_city(both))


def _option(options: dict[str, str], name: str, value: str) -> None:
    """Keep an option's value; the same option given twice with two values is refused, not overridden."""
    if options.get(name, value).lower() != value.lower():
        raise UsageError(f"`{name}` is given twice ({options[name]} and {value}): give it once")
    options[name] = value


def checked_topics(typed: list[str]) -> tuple[str, ...]:
    """Typed entries as stored filters (each `-word` its own exclusion), once each, within the limits."""
    entries = [entry for text in typed for entry in split_entry(text)]
    once: dict[str, str] = {}
    for entry in entries:  # `Diffusion, diffusion` is one topic, as the first typed it
        once.setdefault(fold(entry), entry)
    try:
        return check_topics(tuple(once.values()))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def parse_follow(word: str, rest: str, text: str) -> Command:
    """`follow <topics | author:NAME>` (commas between several), `follows`, `unfollow [topic]`."""
    if word == "follows":
        return Follows() if not rest else Unknown(text, "`follows` takes nothing after it: it lists what you follow.")
    if word == "unfollow":
        topic = " ".join(rest.strip().strip('"“”').split())
        return Unfollow(topic if topic or rest.strip() else None)  # `unfollow ""` names a topic: none of theirs
    if (flagged := _follow_flags(rest)) is not None:
        return Unknown(text, flagged)
    parts = comma_parts(rest)
    if not parts:  # nothing, or only commas and empty quotes: following nothing would be every paper
        return Unknown(text, "`follow` needs a topic or an author, such as “diffusion -robotics” or “author:LeCun”.")
    for part in parts:
        quoted = any(f"{a}{part}{b}" in rest for a, b in ('""', "“”"))  # kept as typed
        if not quoted and (option := _follow_option(part)) is not None:
            return Unknown(
                text,
                f"“{option}” looks like an option, and a follow takes topics only: its digest comes at 09:00 on "
                "weekdays in your own time zone (quote a topic to keep such words in it).",
            )
    try:
        closed_quotes(rest)
        return Follow(checked_topics(parts))
    except UsageError as exc:
        return Unknown(text, str(exc))


def _follow_flags(rest: str) -> str | None:
    """What to say of a follow typed with a command line's flags (`follow --topic agents --at 9:00`),
    which would otherwise be followed as one topic; None without them."""
    tokens = _tokens(rest)
    flags = _flags(tokens)
    if not flags:
        return None
    if option := next((m[0] for m in flags if m[2].lower() not in ("topic", "topics")), None):
        return (
            f"`{option}`: a follow takes topics only, {_without(flags)} (`follow diffusion -robotics`); its digest"
            " comes at 09:00 on weekdays in your own time zone"
        )
    typed = _unflagged(tokens, lambda m: [m[3] or ""])  # `--topic=agents`, `topic:agents`: its value kept
    return f"a follow takes topics {_without(flags)}: `follow {typed.replace(' ,', ',')}`"


def _search_flags(word: str, text: str) -> str | None:
    """What to say of a search typed with an option as a command line's flag (`today --limit 5`, `search
    --topic agents`), which was searched for, dashes and all, and answered with papers on nothing asked;
    None without one. Other words after two dashes (`git push --force`) are searched as typed."""
    tokens = _tokens(text)
    if not any(m[2].lower() in _FLAGS for m in _flags(tokens)):
        return None
    if word == "today":
        return "`today` takes no options: it shows today's top papers. For papers on a topic, type its words alone."

    def said(m: re.Match[str]) -> list[str] | None:
        option = _FLAGS.get(m[2].lower())
        if option is None:
            return [m[0]]  # no option's name: a word of the search
        if option == "":
            return [m[3] or ""]  # `--topic agents`, `--topic=agents`: the topic's words kept
        return [] if m[3] or m[4] else None  # `--limit 5`, `--top5`: no word of the topic

    typed = _unflagged(tokens, said)
    first, _, rest = typed.partition(" ")
    if first.lower() in ("search", "papers", "/papers"):
        typed = rest
    flags = _flags(tokens)
    return (
        f"in chat, a search is its topic's words alone, {_without(flags)}: `{typed}`"
        if typed
        else f"in chat, a search is its topic's words alone, {_without(flags)}, such as `diffusion`"
    )


def _follow_option(part: str) -> str | None:
    """A channel digest's option typed into a follow (`diffusion tz America/New_York`, `at 08:00`), which
    would otherwise be part of a topic that matches nothing: the option's words, or None. Only a value
    the option would take counts (`reasoning on 3D`, `video at 4K` are topics), and only at the end of
    the part or before another option (`LLMs at 1.58 bits` is a topic)."""
    words = part.split()
    for i, (name, value) in enumerate(itertools.pairwise(words)):
        ends = i + 2 == len(words) or words[i + 2].lower() in _FOLLOW_OPTIONS
        takes = _FOLLOW_OPTIONS.get(name.lower())
        if ends and takes is not None and takes(value):
            return f"{name} {value}"
    glued = next((m for w in words if (m := _GLUED.fullmatch(w))), None)
    if glued and _FOLLOW_OPTIONS[glued[1].lower()](glued[2]):
        return glued[0]
    return words[-1] if words and _TIME_OF_DAY.fullmatch(words[-1]) else None  # `robotics 9:30`: no topic's end


def _takes(check: Callable[[str], object]) -> Callable[[str], bool]:
    """Whether a value is one `check` takes (it raises ValueError otherwise)."""

    def takes(value: str) -> bool:
        try:
            check(value)
        except ValueError:
            return False
        return True

    return takes


is_weekday = _takes(parse_weekday)
_A_ZONE = _takes(check_timezone)
_A_ZONE_OR_CITY = _takes(lambda value: zone_named(value) or check_timezone(value))  # `tz berlin`
_A_DAYS = _takes(parse_days)
_FOLLOW_OPTIONS: dict[str, Callable[[str], bool]] = {
    "at": _takes(check_time),
    "time": _takes(check_time),
    "tz": _A_ZONE_OR_CITY,  # `zone` and `timezone` before a city are topics: "low emission zone London"
    "timezone": _A_ZONE,
    "zone": _A_ZONE,
    "top": str.isdigit,
    "limit": str.isdigit,
    "days": _takes(parse_days),
    "on": lambda value: len(value) > 3 and is_weekday(value.removesuffix("s")),  # SAT is a topic
}


def comma_parts(text: str) -> list[str]:
    """The comma-separated parts of `text`; a quoted run is a part of its own, commas and all. A capital
    OR parts topics as a comma does, and NOT leaves out what follows it, as search reads them
    (`as_ours`)."""
    parts: list[str] = []
    words: list[str] = []
    for token, quoted in _tokens(as_ours(text)):
        if quoted or token == "OR":
            _close(words, parts)
            parts += [token] if quoted else []
            continue
        for piece in re.split(r"(,)", token):
            if piece == ",":
                _close(words, parts)
            elif piece:
                words.append(piece)
    _close(words, parts)
    return [p for p in parts if p.strip()]


def _close(words: list[str], topics: list[str]) -> None:
    if words:
        topics.append(" ".join(words))
        words.clear()


def _time(value: str) -> str:
    """HH:MM, 24-hour; in chat also as people say it, `9pm`, `9:30 a.m.`, `9` or `21` (the hour), `9h30`
    (the config file takes HH:MM only). The confirmation shows the time taken."""
    value = _NAMED_HOURS.get(value.lower(), value)  # `at noon`, `at midnight`
    if (bare := _HOUR.fullmatch(value)) is not None and int(bare[1]) <= 23:
        value = f"{int(bare[1]):02d}:{bare[2] or '00'}"
    twelve = _TWELVE_HOUR.fullmatch(value)
    if twelve is not None:
        hour, minute, half = int(twelve[1]), twelve[2] or "00", twelve[3].lower()
        if not 1 <= hour <= 12 or int(minute) > 59:
            raise UsageError(f"{value[:20]!r} is not a time of day: type it 24-hour, HH:MM, such as `at 21:00`")
        value = f"{hour % 12 + (12 if half == 'p' else 0):02d}:{minute}"
    try:
        return check_time(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


_NAMED_HOURS = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
_HOUR = re.compile(r"(\d{1,2})(?:h([0-5]\d)?)?", re.IGNORECASE)  # not `9.30`: `LLMs at 1.58 bits` is a topic
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d\d))? ?([ap])\.?m\.?", re.IGNORECASE)


def _days(value: str) -> str:
    try:
        digest_days(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return value.lower()


def _today(word: str, rest: str, text: str) -> Today | Unknown | None:
    """`today` with how many papers: `today top 20`, `today 20`, `today all` (up to `MOST_PAPERS`), with
    or without the words of `_TODAY_WORDS`, and the day: `2026-08-20 top 5`, `today 2026-08-20`,
    `yesterday`; None when other words follow (`today's llm news`: a search)."""
    said = [w.strip(",.;:!?") for w in rest.lower().replace(":", " ").split()]  # `today top:20`, Discord's form
    said = [w for w in said if w]
    days = [w for w in (word, *said) if _DAY.fullmatch(w)]
    numbers = [w for w in said if w.isdigit()]
    if set(said) - _TODAY_WORDS - {"all"} - set(numbers) - set(days) or len(numbers) > 1 or ("all" in said and numbers):
        return None
    if len(days) > 1 or (days and word == "yesterday"):
        return Unknown(text, f"One day at a time, such as `{days[0]}`.")
    day = on_day(days[0], text) if days else Today(ago=1 if word == "yesterday" else 0)
    if isinstance(day, Unknown):
        return day
    if not numbers:
        return replace(day, limit=MOST_PAPERS if "all" in said else None)
    try:
        return replace(day, limit=_top(numbers[0]))
    except UsageError:
        most = MOST_PAPERS
        return Unknown(text, f"`today` shows 1 to {most} papers, such as `today top 20`; `today all` up to {most}.")


_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")  # a day as typed: 2026-08-20 (2026-8-3 too)
_DAY_FORMS = "2026-08-20, `aug 20`, `friday` or `yesterday`"


def _named(named: NamedDay | str, rest: str, text: str) -> Today | Unknown | None:
    """The papers of a day named in words (`aug 20 top 5`, `last friday`), or what to say of one no
    calendar has; None where other words follow (`sunday funday`: a search)."""
    today = _today("today", rest, text)
    if isinstance(named, str) and today is not None:
        return Unknown(text, f"{named}. Write a day as {_DAY_FORMS}.")
    if not isinstance(today, Today) or not isinstance(named, NamedDay):
        return today
    if named.year:  # `August 20, 2026`: as 2026-08-20 is
        return replace(today, day=date(named.year, named.month, named.day))
    return replace(today, named=named)


def on_day(value: str, text: str | None = None) -> Today | Unknown:
    """The papers of the day `value` names (`2026-08-20`, `yesterday`; `today` or nothing: the latest
    day with papers), or what to type instead. `text`: the whole command, for the answer's echo."""
    typed = value.strip().lower()
    if typed in ("", "today"):
        return Today()
    if typed == "yesterday":
        return Today(ago=1)
    if not _DAY.fullmatch(typed):
        said = named_day(value.strip())
        if said is not None and not said[1] and (in_words := _named(*said, text or value)) is not None:
            return in_words  # `date:aug 20`, `date:friday`
        return Unknown(text or value, f"{value[:20]!r} is not a day: write it as {_DAY_FORMS}.")
    year, month, day = (int(n) for n in typed.split("-"))
    why = calendar_fault(f"{year:04d}-{month:02d}-{day:02d}")  # 2026-8-3 is 2026-08-03
    if why is None:
        return Today(day=date(year, month, day))
    return Unknown(text or value, f"{value!r} is no day of the calendar: {why}. Write a day as 2026-08-20.")


def _top(value: str) -> int:
    # isdigit() alone is not enough: "²" is a digit that int() refuses, "٣" one that it takes.
    if not (value.isascii() and value.isdigit() and len(value) <= 3) or not 1 <= int(value) <= MOST_PAPERS:
        raise UsageError(f"`top` takes a number from 1 to {MOST_PAPERS}, not {value[:20]!r}")
    return int(value)


def checked_timezone(value: str) -> str:
    """An IANA zone name (its case mended: `america/new york`), the zone of a city typed alone (`berlin`),
    or a UsageError saying which zone was likely meant."""
    try:
        return check_timezone(value)
    except ValueError as exc:
        known = zone_named(value)
        if known is not None:
            return known
        raise UsageError(f"{exc}.{zone_hint(value)}") from None
