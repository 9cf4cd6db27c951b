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
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Literal

from bot.chat.commands.changes import SETTING_VERBS, TOPIC_VERBS, parse_change, parse_topic_change, said_in_a_sentence
from bot.chat.commands.kinds import (
    MOST_PAPERS,
    Ask,
    Command,
    Help,
    PaperLookup,
    Recent,
    RepositoryLookup,
    Save,
    Saved,
    Search,
    Subscribe,
    Today,
    Top,
    Unknown,
    Unsave,
    Unsubscribe,
)
from bot.chat.commands.links import other_link
from bot.chat.commands.options import FLAG_NAMES, checked_top, flags_in, unflagged, without_marks
from bot.chat.commands.other_words import TO_STOP, TOP_SAID, said_otherwise, settings_alone, subscribe_otherwise
from bot.chat.commands.subscribing import cadence_mistyped, cadence_unpunctuated, parse_follow, parse_subscribe
from bot.chat.commands.typed import POLITE_WORDS, POLITELY, names_a_paper, only_ids, plain_text, tokens_of
from bot.chat.days import (
    NamedDay,
    Span,
    month_as_span,
    named_day,
    named_span,
    numeric_as_iso,
    numeric_day,
    starts_a_span,
)
from bot.chat.discussion import (
    ASKS,
    CITATION_STYLES,
    LINKS,
    all_asked,
    asks_to_save,
    citation_style,
    related_count,
    what_is_asked,
)
from bot.chat.recent import only_when, papers_asked, within
from bot.domain.errors import UsageError
from bot.domain.filters import unquoted
from bot.domain.ids import a_paper_link, is_arxiv_id, papers_named
from bot.domain.other_links import HubPage, hub_page, link_words, one_url, repository, repository_words
from bot.domain.our_words import calendar_fault
from bot.domain.words import edits

STOPPING = ("stop", "unsub", "cancel", "quit", "mute", "pause")  # said alone: `unsubscribe` meant
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
    "preview",
)  # not `save`: "safe RL", "SAEs", "wave equations" would be asked whether they meant it


PERIODS = ("week", "month", "all")

PERIOD_WORDS = {  # said so, meant so
    "weeks": "week",
    "months": "month",
    "all time": "all",
    "ever": "all",
    # `top weekly`, `top of the month`, `top 30 days`: refused, or searched for the words
    **dict.fromkeys(("weekly", "of the week", "7 days", "1 week"), "week"),
    **dict.fromkeys(("monthly", "of the month", "30 days", "1 month"), "month"),
    **dict.fromkeys(("all-time", "alltime", "forever", "of all time"), "all"),
    **{
        f"{which} {period}": period
        for which in ("this", "last", "past", "the last", "the past")
        for period in ("week", "month")
    },
}


BIBTEX_WORDS = frozenset({"bibtex", "bibtext", "bib", "as", "in", "please", "format", "papers", "list", "export"})

# Periods `top` does not take, typed as if it did: said so, where other words after `top` are a search.
MISREAD_PERIODS = frozenset(
    {"year", "yearly", "day", "daily", "today", "of the year", "the year", "the week", "the month"}
)
_SPAN = re.compile(r"\d+\s+(?:days?|weeks?|months?|years?)", re.IGNORECASE)  # `top 14 days`: searched "days"

_TODAY_WORDS = frozenset({"please", "pls", "papers", "paper", "list", "digest", "'s", "top", "trending", "again"})

# command words a colon or comma may follow, as in a sentence (`settings: top 3`, `subscribe, robotics`)
_WORDS_BEFORE = frozenset({*KEYWORDS, "save", "cite", "search"}) - {"today", "help", "paper"}  # `Paper: <title>`

# another command after `unsubscribe`: `unsubscribe and subscribe robotics`, `unsubscribe, then settings`
_THEN_ANOTHER = re.compile(
    r"(?i)\s*(?:[,;&]\s*|and\s+)?(?:then\s+)?(?<=\s)(?P<next>(?:subscribe|unfollow|settings|follow|preview)(?![\w-]).*)"
)

# commands whole by themselves
_ALONE = ("today", "yesterday", "trending", "help", "settings", "unsubscribe", "saved", "top", "follows", "following")

_ID_OPTION = re.compile(r"\A(?:--id\b=?|id\s*[:=])\s*", re.IGNORECASE)

_PERIOD_OPTION = re.compile(r"\A(?:--period\b=?|period\s*[:=])\s*", re.IGNORECASE)


def parse_command(text: str) -> Command:
    # A backtick means nothing in a query or a topic, and echoed back in an answer it would pair with the
    # answer's own code spans (`subscribe at \`9` broke the hint's markup): an apostrophe instead.
    text = " ".join(plain_text(text).replace("`", "'").split())
    text = numeric_as_iso(text)  # `20/08/2026`, `today 20/08/2026`: that day (it was searched as words)
    text = POLITELY.sub("", text) or text
    text = _OUR_NAME.sub("", text) or text  # `@paperboy today`, as typed in Slack, here: not a search for it
    whole = text.lower().rstrip("?!. ").replace("’", "'")
    if (otherwise := said_otherwise(text, whole)) is not None:  # `my subscriptions`, `subscribe help`
        return otherwise
    if (top := _most_engaged_of(whole)) is not None:  # `most discussed this month`
        return top
    first, _, rest = text.partition(" ")
    if rest and first[-1:] in ":," and first[:-1].lower() in _WORDS_BEFORE:  # `settings: top 3`, `top: month` were
        first = first[:-1]  # searched for “settings:”
        text = f"{first} {rest}"
    if not rest and first.rstrip("?!.").lower() in _ALONE:  # `today?`, `help!`: the command, not "Did you mean"
        text = first = first.rstrip("?!.")
    word = first.lower()
    if word in ("paper", "save", "unsave", *ASKS):  # `paper id:2406.12345`: Discord's option, typed here
        rest = _ID_OPTION.sub("", rest, count=1)
    if word == "today" and rest.lower().startswith("date:"):  # `today date:aug 20`, Discord's option typed here
        return on_day(rest[len("date:") :], text)
    if (coming := day_to_come(whole)) is not None:  # `tomorrow` was searched for: "No papers match"
        return Unknown(text, _still_to_come(coming))
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
        return PaperLookup(named[0]) if named else _paper_not_by_id(rest)
    if word in ("settings", "subscription", *TOPIC_VERBS, *SETTING_VERBS) and (topic := parse_topic_change(text)):
        return topic  # `settings add robotics`, `remove topic agents`; `add noise` is a search
    if (sentence := said_in_a_sentence(text)) is not None:  # `make it weekly`, `move the digest to 10am`
        return sentence
    if word in ("settings", *SETTING_VERBS) and (changed := parse_change(word, rest, text)) is not None:
        return changed  # `settings`, `settings at 10:00`, `set time 11:00`; `change detection` is a search
    if word == "unsubscribe" and (another := _THEN_ANOTHER.match(rest)) is not None:  # the topic “and subscribe …”
        return Unknown(text, f"One command at a time: `unsubscribe`, then `{another['next'].strip(' .!?')}`.")
    if word == "unsubscribe":
        dropped = rest.strip(" .!?;").split()
        while dropped and dropped[0].lower() in POLITE_WORDS:  # `unsubscribe me from this channel`, `… from robotics`
            dropped.pop(0)
        while dropped and dropped[-1].lower() in POLITE_WORDS:
            dropped.pop()
        return Unsubscribe(unquoted(" ".join(dropped)) or None)  # `unsubscribe robotics`: that topic only
    if word == "subscribe" and (not_topics := subscribe_otherwise(text, rest)) is not None:
        return not_topics  # `subscribe stop`, `subscribe status`: not the topics “stop”, “status”
    if word == "subscribe":
        rest = cadence_unpunctuated(rest)
    if word == "subscribe" and (mistyped := cadence_mistyped(rest)) is not None:
        return Unknown(text, mistyped)
    if word == "subscribe":
        try:
            return parse_subscribe(rest)
        except UsageError as exc:
            return Unknown(text, str(exc))
    if word == "following" and not rest:  # what they follow, as a profile page says it: not "Did you mean `follow`?"
        word = "follows"
    if word == "stop" and rest.lower().split()[:1] == ["following"]:  # `stop following diffusion`: "Did you mean
        word, rest = "unfollow", rest.partition(" ")[2]  # `top`?"
    if word in ("follow", "follows", "unfollow"):
        return parse_follow(word, rest, text)
    if word == "top":  # `top --period week`, `top period:week`: the CLI's and Discord's option, typed here
        rest = _PERIOD_OPTION.sub("", rest, count=1)
    community = _community(word, rest.lower())
    if community is not None:
        return community
    period = rest.lower().strip(" .!?")  # `top 14 days?`
    misread = period in MISREAD_PERIODS and (period != "today" or rest.lower() == "today")  # `top today?`: Today
    twice = len(period.split()) > 1 and set(period.split()) <= set(PERIODS)  # `top week month`: "week month" searched
    count, _, then = period.partition(" ")  # `top -1`, `top -5 week`: searched for as words
    counted = count.removeprefix("-").isdigit() and (not then or then in PERIODS)
    if word == "top" and (misread or twice or counted or _SPAN.fullmatch(period)):  # a period meant
        return Unknown(
            text,
            "`top` takes `week`, `month` or `all`, such as `top month`: this channel's most engaged papers."
            + _todays_top(period)
            + (" Today's top papers: `today`." if rest.lower() == "today" else ""),
        )
    if (meant := _mistyped_form(word, rest)) is not None:
        return Unknown(text, f"Did you mean `{meant}`?")
    if word == "saved" and rest.lower().strip(" .!?") in _OTHER_FORMS:  # `saved json` was a search for the words
        return Unknown(text, "your reading list comes as a list (`saved`) or as BibTeX (`saved bibtex`).")
    if word in ("save", "unsave", "cite", "bibtex"):  # `save 2406.12345,2406.54321`: two ids, not a search
        rest = _IDS_GLUED.sub(r"\1, ", rest)
    ref = rest.rstrip(".,;!?")  # `save 2406.12345.`: the sentence's full stop is not the id's
    if (asked := _asked_of_a_paper(text, word, rest)) is not None:
        return asked
    if word in ASKS and names_a_paper(ref):
        return Ask(word, ref)  # else a search ("code generation", "related work")
    if (word in ASKS or word in ("save", "unsave")) and (no_paper := _no_papers_link(word, rest, text)) is not None:
        return no_paper  # `cite https://openreview.net/…` was searched for as its address's words
    if word in ("save", "unsave") and (named := papers_named(rest)):
        if (typo := _almost_an_id(rest)) is not None:  # `save 2608.1988 and 2608.20335` saved the second alone
            return Unknown(text, _not_an_id(typo))
        if len(named) == 1:  # `save (2406.12345)？`; `save 2406.12345 and cite it`, not `…, great code!`
            more = _asked_after(rest)
            return Save(named[0], more) if word == "save" else Unsave(named[0], more)
        if _only_ids_and(ref):  # `save A, B and C`: each (it was "one at a time")
            return _several(word, named, text)
        if word == "save" and _only_ids_and((cited := _peeled(ref, _CITE_THEM))[0]) and cited[1]:
            return _several("cite", named, text, save=True)  # `save A and B and cite them`
        then = _verb_before(ref, named[1]) or word  # `save A and cite B` was a search
        if then == word:  # `save A or B`: "takes one paper at a time", though it takes ten
            return Unknown(text, _which(word, named))
        return Unknown(text, f"One command at a time: `{word} {named[0]}`, then `{then} {named[1]}`.")
    if word == "save" and names_a_paper(ref):
        return Save(ref)  # else a search ("save energy")
    if word in ("save", "unsave") and (bad := _ALMOST_AN_ID.fullmatch(ref.strip(_AROUND_AN_ID))):
        return Unknown(text, _not_an_id(bad[0]))
    if word not in ("save", "unsave") and len(ids := papers_named(ref)) == 1 and _only_ids_and(ref):
        near_save, near_unsave = edits(word, "save", 1) <= 1, edits(word, "unsave", 1) <= 1
        if near_save and near_unsave:  # `usave 2406.12345` saved it: never the opposite of what was meant
            return Unknown(text, f"Did you mean `save {ids[0]}` or `unsave {ids[0]}`?")
        if near_save or near_unsave:  # `sav 2607.29677`: "Did you mean `saved`?"
            return Save(ids[0]) if near_save else Unsave(ids[0])
        if word in ("remove", "delete", "unbookmark"):  # `remove 2607.29677`: off one's reading list
            return Unsave(ids[0])
    if (listed := _reading_list_change(text)) is not None:  # `bookmark 2406.12345`, `remove … from my list`
        return listed
    if word == "save" and rest.lower().strip(" .!?") in ("", "this", "it", "that", "this paper", "it please"):
        return Unknown(
            text, "`save` needs the paper's arXiv id, such as `save 2406.12345` (or press Save on its card)."
        )
    if word == "unsave":  # `unsave this`, `unsave 1`, `unsave all`: said as `save this` is
        if ref and names_a_paper(ref):
            return Unsave(ref)
        return Unknown(text, "`unsave` needs the paper's arXiv id, such as `unsave 2406.12345`: `saved` lists yours.")
    if (paper := _paper_named(text)) is not None:
        return paper
    if (url := one_url(text) or _link_talked_of(text)) is not None and (linked := other_link(url, text)) is not None:
        return linked
    if word in STOPPING and not rest:  # not "Did you mean `top`?": they want the digest to stop
        return Unknown(text, TO_STOP)
    # (`yesterdy` was searched for; `tdoay`, two letters swapped, too: difflib scores a swap low)
    close = difflib.get_close_matches(word, (*KEYWORDS, "yesterday"), n=1, cutoff=0.75)
    close = close or [k for k in KEYWORDS if _swapped(word, k)]
    said_so = word.replace("’", "'") in ("today's", "todays")  # `today's diffusion papers`: a search of the day
    # `top-1 accuracy`, `top-5 diffusion`, `stop words`: topics, no `top` mistyped
    said_so = said_so or bool(rest and (_TOP_K.fullmatch(word) or word == "stop"))
    # a word of its own near a command is a search: `flow matching`, `topic modeling` (they got "Did you mean
    # `follow`?", `top`, and nothing else); a command mistyped is said so: `folow diffusion`, `tody`
    said_so = said_so or bool(rest and close and not _mistyped(word, close[0]))
    if close and word not in (*KEYWORDS, "save") and (not rest or close[0] != "paper") and not said_so:
        return Unknown(text, f"Did you mean `{_line_meant(word, rest, close[0])}`?")
    if (flagged := _search_flags(word, text)) is not None:
        return Unknown(text, flagged)
    if word in ("at", "tz", "days") and _only_settings(text):  # `at 10am`: searched for
        return Unknown(text, settings_alone(text))
    if (meant := _a_paper_command_mistyped(word, rest)) is not None:
        return Unknown(text, f"Did you mean `{meant}`?")  # `ctie 2406.12345`: "No papers match"
    return _searched(text)


def _only_settings(text: str) -> bool:
    """Whether a line is only a digest's settings (`at 10am`, `tz Europe/Berlin`, `days mon-fri`)."""
    changed = parse_change("settings", text, text)
    return isinstance(changed, Subscribe) and not changed.topics


def _mistyped(word: str, command: str) -> bool:
    """Whether a first word is the command mistyped (`subscibe`, `folow`, `settigns`), not a word of its own
    near it (`subscriber`, `followers`, `setting`, `flow`, `unsafe`): a few letters off, and not the
    command with an ending."""
    inflected = word.startswith(command) or command.startswith(word) or word.rstrip("s") == command.rstrip("s")
    inflected = inflected or (word.endswith(("er", "ers", "ing", "ed")) and word[:4] == command[:4])
    inflected = inflected and word != command + command[-1]  # `followw`: a key held down, no ending
    return _swapped(word, command) or (
        not inflected and difflib.SequenceMatcher(None, word, command).ratio() >= _TYPO_RATIO
    )


_TYPO_RATIO = 0.85


def _swapped(word: str, command: str) -> bool:
    """Whether a word is the command with two letters side by side swapped (`tdoay`, `svaed`), of five
    letters or more: `otp`, `tpo` are words of their own (`otp authentication`), not `top`."""
    apart = [i for i, (a, b) in enumerate(zip(word, command, strict=False)) if a != b]
    return (
        len(word) == len(command) >= 5
        and len(apart) == 2
        and apart[1] == apart[0] + 1
        and word[apart[0]] == command[apart[1]]
        and word[apart[1]] == command[apart[0]]
    )


def _searched(text: str) -> Today | Recent | Search | Unknown:
    """A search, with the days its time words say (`diffusion this week`); or time words alone: `this
    week`, `top 20 papers from the last month` (the papers of those days, most upvoted first), `top
    papers today` (`today`'s)."""
    try:
        topic, days, span, limit = search_parts(text)
        counts = [w for w in topic.lower().split() if w == "all" or w.isdigit()]  # `today all 20`: searched for
        if days and len(counts) > 1 and all(w in ("all", "top") or w.isdigit() for w in topic.lower().split()):
            return Unknown(text, "one count at a time, such as `today top 20`, `this week top 20` or `today all`.")
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
    text = plain_text(text)  # `paperboy search $'diff\u200busion'`: as chat reads it (it matched nothing, unsaid)
    url = one_url(text)
    if url is not None and (page := hub_page(url)) is not None and page.kind in (*HubPage.REPOSITORIES, "search"):
        text = page.name if page.kind == "search" else repository_words(page.name)  # a model's: its name
    elif url is not None and not names_a_paper(url):  # `paperboy search <a page's link>`
        owner_name = repository(url)
        text = (repository_words(owner_name) if owner_name else link_words(url)) or text
    numeric_day(text)  # `20/08/2026`: searched as words
    topic, limit = _counted(text)
    if (named := named_span(month_as_span(topic))) is not None:  # `diffusion in august`: that month's
        topic, days, span = named[0], 0, named[1]
    else:
        (topic, days), span = within(topic), None
    if limit is None:  # after the day's words: `today top 5 diffusion`, `this week top 3 agents`
        topic, limit = _counted(topic)
    return topic, days, span, limit


# how many results a search asks for: `diffusion top 10`, `top 10 diffusion papers`, `top 5 diffusion`; not
# `top 5 accuracy`, `top 2 gating`, `top-5 diffusion`: a metric's or a method's name, `top-N` always (they were
# all searched for as words, but for "papers")
_COUNT_AFTER = re.compile(r"\s+top\s+(\d+|all)\s*\Z", re.IGNORECASE)

_COUNT_FIRST = re.compile(
    r"\A(?:the\s+)?top\s+(\d+)\s+(?!(?:\d+|all)\b)"  # `today top 5 10`: two counts, said so
    r"(?=.*\bpapers?\b|(?!(?:accuracy|acc|errors?|recall|precision|sampling|hits?|rates?|retrieval|predictions?"
    r"|gating|routing|experts?|percent|%|tokens?|logits?|candidates?|eigen\w*|singular|features?|k)\b))",
    re.IGNORECASE,
)


_TOP_K = re.compile(r"top-\d+", re.IGNORECASE)


def _counted(text: str) -> tuple[str, int | None]:
    """The search's words without the count of results it asks for, and that count (`checked_top`: 1 to
    `MOST_PAPERS`); None for the usual number."""
    found = _COUNT_AFTER.search(text) or _COUNT_FIRST.search(text)
    if found is None:
        return text, None
    return (text[: found.start()] + " " + text[found.end() :]).strip(), _limit(found[1].lower())


def _limit(most: str | None) -> int | None:
    """The papers a `top 20`, or an `all`, asks for; None for the digest's number."""
    return None if most is None else MOST_PAPERS if most == "all" else checked_top(most)


# words around one paper's id or link that only talk about it: `check out <link>`, `has anyone read 2607.29677?`,
# `<link> is this any good?`; any other word makes a search (`2406.12345 diffusion`, `who wants 2608.19880`)
_CHATTER = frozenset(
    {"check", "out", "this", "that", "look", "at", "has", "have", "anyone", "anybody", "read", "seen", "is", "it"}
    | {"any", "good", "thoughts", "on", "what", "about", "do", "you", "think", "of", "the", "paper", "interesting"}
    | {"nice", "cool", "here", "link", "please", "pls", "just", "came", "across", "found", "see", "worth", "reading"}
    | {"a", "an", "opinions", "hey", "hi", "fyi", "new", "wow", "great", "one", "folks", "team", "all", "y'all"}
    | {"to", "for", "me", "us", "send", "share", "give", "get", "can", "could", "i", "we", "where", "find", "pdf"}
    | {"who", "wants", "want", "present", "presenting", "discuss", "discussing", "tomorrow", "today", "next"}
    | {"someone", "somebody", "news", "updates", "update", "info", "details", "more", "anything", "know", "tell"}
)  # (`any news on 2406.12345?`, `more info on <link>`: it was searched for as words, and found nothing)


_JOINED = re.compile(r"(?i)(?:\s*,\s*|\s+(?:and|&|or|both)\s+)")  # between papers named: `<link> and <link>`


_LABELLED = re.compile(r"(<[^\s<>|]+)\|[^<>]*>")  # Slack's `<url|my repo>`: its label's words are not the text's


def _about_a_paper(text: str) -> bool:
    """Whether the words beside a paper's one id or link only talk about it (`_CHATTER`)."""
    return _chatter([w for w in _LABELLED.sub(r"\1>", text).split() if not papers_named(w)])


def _chatter(words: list[str]) -> bool:
    """Whether these words (some) only talk about what they stand beside (`_CHATTER`)."""
    bare = [w.strip(".,;:!?()'\"“”").lower() for w in words]
    return bool(bare) and all(w in _CHATTER for w in bare if w)


def _link_talked_of(text: str) -> str | None:
    """The one link in a text whose other words only talk about it (`check out
    https://arxiv.org/list/cs.CL/new`): read as the link alone is (its words, and "check", were searched
    for); None for any other text."""
    words = _LABELLED.sub(r"\1>", text).split()
    links = [(at, url) for at, word in enumerate(words) if (url := one_url(word.rstrip(".,;:!?"))) is not None]
    if len(links) != 1 or not _chatter(words[: links[0][0]] + words[links[0][0] + 1 :]):
        return None
    return links[0][1]


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
    if not named or not _about_a_paper(_JOINED.sub(" ", text)):
        return None
    if len(named) == 1:  # `check out <link>`, `has anyone read 2607.29677?`: that paper (they were searched for,
        return PaperLookup(named[0])  # and it was not among the answers)
    return Unknown(text, f"One paper at a time: `paper {named[0]}`, then `paper {named[1]}`.")  # `… and <link>`


def search_option(topic: str) -> Command:
    """A search's topic as a surface's own option gives it (Discord's `topic:`), read as the chat reads a
    message: one that only names a paper is that paper (it was searched for as words)."""
    url = one_url(topic)
    named = _paper_named(topic) or (other_link(url, topic) if url else None)
    words = topic.lower().split()
    asked = parse_command(topic) if named is None and words else None
    if isinstance(asked, Ask) or (isinstance(asked, Unknown) and words[0] in ASKS):
        return asked  # `cite 2605.29307`: the question, as typed (Discord has no `/papers cite`)
    return named or _searched(topic)


def _paper_not_by_id(rest: str) -> Command:
    """`paper` and what names no paper by its id: a link as the same link alone reads (a repository's, the
    papers whose code it is), a paper's title or a topic searched for (the title first); an id mistyped, or
    a paper site's link, looked up (the catalog says why it is none). Each was "not an arXiv id or paper
    URL", though the same text alone found the paper."""
    if (url := one_url(rest)) is not None:
        return other_link(url, rest) or PaperLookup(rest)
    if _ALMOST_AN_ID.fullmatch(bare := rest.strip(_AROUND_AN_ID)) or _OLD_STYLE.fullmatch(bare):
        return PaperLookup(rest)  # `paper 2406.1234`, `paper hep-th/99`: an id mistyped, said so
    return _searched(rest)


def paper_option(verb: Literal["paper", "save", "unsave"], value: str) -> Command:
    """A paper's id as a surface's own option gives it (Discord's `id:`), read as the chat reads it after
    `paper`, `save` or `unsave`: `2406.12345.`, `(2406.12345)`, `arXiv:2406.12345v2,`, a link."""
    value = _IDS_GLUED.sub(r"\1, ", value)  # `id:2406.12345,2406.54321`
    named = papers_named(value)
    if len(named) > 1 and verb != "paper" and _only_ids_and(value.strip(" .!?")):  # `id:A B`: each, as typed
        return _several(verb, named, f"{verb} {value}")
    if len(named) > 1:
        return Unknown(
            f"{verb} {value}", f"`{verb}` takes one paper at a time: `{verb} {named[0]}`, then `{verb} {named[1]}`."
        )
    ref = named[0] if named else value
    return PaperLookup(ref) if verb == "paper" else Save(ref) if verb == "save" else Unsave(ref)


_OLD_STYLE = re.compile(r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d+(?:v\d+)?", re.IGNORECASE)  # `hep-th/99`: arXiv's before 2007
_ALMOST_AN_ID = re.compile(r"(?:arxiv:\s*)?\d{4}\.\d+(?:v\d+)?", re.IGNORECASE)  # `cite 2608.1988`: a digit short

_QUESTION_WORDS = 8  # a question of a paper in a sentence: longer, it is a search that names one

_AROUND_AN_ID = " .,;:!?()[]<>\"'"
_IDS_GLUED = re.compile(r"(\d{4}\.\d{4,5}(?:v\d+)?),(?=\S)")  # a comma and no space after an id


def _almost_an_id(text: str) -> str | None:
    """A word of the text that is nearly an arXiv id and names no paper (`2608.1988`, a digit short)."""
    words = (raw.strip(_AROUND_AN_ID) for raw in _IDS_GLUED.sub(r"\1, ", text).split())
    return next((word for word in words if _ALMOST_AN_ID.fullmatch(word) and not papers_named(word)), None)


def _not_an_id(typed: str) -> str:
    return f"“{typed}” is not an arXiv id: they look like 2406.12345 (or paste the paper's link)."


def _asked_after(rest: str) -> tuple[str, ...]:
    """The questions a save asks joined right after it or before its paper (`… and cite it`, `…; the
    code`, `and cite 2406.12345`); none in its other words (`save 2406.12345 for my citation list`, `…
    because the code and authors are great`)."""
    joined = _SAVE_JOINED.split(rest, maxsplit=1)
    if len(joined) < 2:
        return ()
    before = {w.strip(".,;:!?()").lower() for w in joined[0].split()}
    if before & _CLAUSE_WORDS:  # `… because the code and authors are great`: a remark, no question
        return ()
    return tuple(asked for asked in all_asked(joined[1]) if asked != LINKS)


# how a save's own question is joined to it: `and`, `then`, `also`, `plus`, `&`, `+`, `;` (not a sentence's
# end: `save 2406.12345. Great code!` is a remark)
_SAVE_JOINED = re.compile(  # (not `_JOINED`, the papers' joins above, which this name once shadowed)
    r"(?:^|\s+)(?:and|then|also|plus|&|\+)\s+|,\s*(?:and|then|also|plus)\s+|;\s*"
    r"|[.!]\s+(?=(?:cite|code|summary|summarize|related|authors|who)\b)",  # `save 2406.12345. Cite it`
    re.IGNORECASE,
)
# words that start a remark of its own before a join (`save 2406.12345 because the code and …`)
_CLAUSE_WORDS = frozenset({"because", "since", "which", "where", "while", "though", "although", "cos", "bc"})


def _verb_before(text: str, paper: str) -> str | None:
    """What is asked of the paper named second, in the words before it (`save A and cite B`: cite; `… and
    who wrote B`: authors); None when they ask nothing."""
    words = [w.strip(",;.:!?") for w in text.split()]
    at = next((i for i, w in enumerate(words) if papers_named(w) == [paper]), len(words))
    first = next((i for i, w in enumerate(words[:at]) if papers_named(w)), -1)
    between = [w.lower() for w in words[first + 1 : at]]
    joins = [i for i, w in enumerate(between) if w in ("and", "then", "also", "plus", "&", "+")]
    tail = between[joins[-1] + 1 :] if joins else between  # `… for the related work section and B`: not related
    if "unsave" in tail or "save" in tail:  # `unsave A; save B`
        return "unsave" if "unsave" in tail else "save"
    if tail and tail[-1] in ASKS:  # `save A; cite B`, `save A. Cite B`
        return tail[-1]
    asked = what_is_asked(" ".join(tail), weak=False) if joins else None  # `save A which cites B`: none
    return asked if asked not in (None, LINKS) else None


def _no_papers_link(word: str, rest: str, text: str) -> Command | None:
    """A paper command given a link that names no paper: a code repository's is the papers whose code it
    is, as pasted alone; any other is said so. None when `rest` holds no such link."""
    url = one_url(rest)
    if url is None or names_a_paper(url):
        return None
    if (owner_name := repository(url)) is not None:
        return RepositoryLookup(owner_name)
    return Unknown(
        text,
        f"that link names no paper I can read: `{word}` takes a paper's arXiv id or link, such as `{word} 2406.12345`.",
    )


def _todays_top(rest: str) -> str:
    """`top 5` meant as today's five, said so; `top 0` and `top 2026` offered `today top` with a number it refuses."""
    if not rest.isdigit():
        return ""
    if 0 < int(rest) <= MOST_PAPERS:
        return f" Today's top {rest}: `today top {rest}`."
    return f" `today top N` shows 1 to {MOST_PAPERS} of the day's papers."


def _asked_of_a_paper(text: str, word: str, rest: str) -> Command | None:
    """A thread question asked of one paper named after it, as people write it: `cite: 2406.12345`,
    `authors of <link>`, `bibtex 2406.12345？`, `summery 2406.12345 please` (the question's other
    words and near misses, as in a thread). Two papers named: one at a time. None when the first word
    asks nothing, or no paper is named ("code generation" is a search)."""
    if only_ids(text):  # a link alone is its card (alphaXiv's `/overview/2406.12345` asks for no summary)
        return None
    if word in ("save", "unsave"):  # `save 2406.12345 and cite it`: saved, the question said how to ask
        return None
    asked = what_is_asked(word)
    named = papers_named(text if papers_named(word) else rest)  # `2406.12345 summary`: the id first
    if asked in (None, LINKS) and named and len(text.split()) <= _QUESTION_WORDS:  # `who wrote 2406.12345?`, as
        # in a thread; `link to the code 2406.12345`: its code, not its card
        asked = what_is_asked(text, weak=False) or ("related" if _LIKE.search(text) else None) or asked
    if asked == LINKS:  # `pdf 2406.12345`: the paper's card, which links them all
        return None
    if asked is not None and not named and (bad := _ALMOST_AN_ID.fullmatch(rest.strip(_AROUND_AN_ID))):
        return Unknown(text, _not_an_id(bad[0]))
    if asked is None or not named:
        return None
    if (typo := _almost_an_id(rest)) is not None:  # `cite 2608.1988 and 2608.20335`: one cited, without a word
        return Unknown(text, _not_an_id(typo))
    if len(named) > 1 and asked == "cite":  # `cite A and B`: both; `cite both A and B apa`, `… and save them`
        ids, save = _peeled(rest, _SAVE_THEM)
        if _only_ids_and(ids.strip(" .!?"), also=CITATION_STYLES):
            return _several("cite", named, text, style=citation_style(text), save=save)
    if len(named) > 1:  # `cite A; code B`: the second's own question (it was offered `cite B`)
        after = text[text.find(named[0]) + len(named[0]) :]
        saving = re.search(r"(?i)\b(un)?save\b", after[: after.find(named[1])])  # `cite A and save B`
        second = saving[0].lower() if saving else what_is_asked(after, weak=False) or asked
        each = f"`{asked} {named[0]}`, then `{second} {named[1]}`."
        if second == asked and asked == "cite":  # `cite A or B`: "takes one paper at a time", though it takes ten
            return Unknown(text, _which(asked, named))
        return Unknown(
            text, f"One paper at a time: {each}" if second != asked else f"`{asked}` takes one paper at a time: {each}"
        )
    listed = all_asked(text)  # `code and cite 2406.12345`: each answered, in one post
    if asked in listed and what_is_asked(word) is None:  # `who wrote 2406.12345 and where is the code`: in order
        asked = listed[0]
    more = tuple(question for question in listed if question != asked) if asked in listed else ()
    related = related_count(text.replace(named[0], " ")) if "related" in (asked, *more) else None
    style = citation_style(text) if "cite" in (asked, *more) else ""
    return Ask(asked, named[0], more, style, asks_to_save(text), related=related)


# words around ids that ask for nothing else: `arXiv 2406.12345`, `pdf 2406.12345`, `what is 2406.12345 about?`
_LIKE = re.compile(r"(?i)\b(?:papers?|more|others?|anything|something)\s+like\b")  # `papers like 2406.12345`


# a paper put on or taken off one's reading list in other words: `bookmark 2406.12345`, `add 2406.12345 to my
# reading list`, `remove 2406.12345 from my list` (searched for, with the id as a word)
_ONTO = frozenset({"bookmark", "add", "keep", "to", "my", "the", "reading", "list", "saved", "bookmarks", "please"})
_OFF = frozenset({"remove", "delete", "unbookmark", "drop", "from", "my", "the", "reading", "list", "saved", "please"})


_LIST_VERBS = frozenset({"bookmark", "add", "keep", "remove", "delete", "unbookmark", "drop"})


def _line_meant(word: str, rest: str, close: str) -> str:
    """The line a mistyped command word meant, to type again (`setings at 10:00`: `settings at 10:00`, not
    `settings` alone; `folows diffusion`: `follow diffusion`): with the first command near the word whose line
    would be read, else the nearest command alone."""
    if rest and len(rest) <= 80:
        for near in dict.fromkeys(
            [*difflib.get_close_matches(word, (*KEYWORDS, "yesterday"), n=3, cutoff=0.75), close]
        ):
            if not isinstance(parse_command(f"{near} {rest}"), Unknown):
                return f"{near} {rest}"
    return close


def _which(verb: str, named: list[str]) -> str:
    """What to say of papers named with other words between them than `and` or commas (`save A or B`)."""
    return (
        f"I couldn't read the words between or after the papers' ids: `{verb} {named[0]} and {named[1]}` for"
        f" both, or `{verb} {named[0]}` for one."
    )


def _only_ids_and(text: str, also: Iterable[str] = ()) -> bool:
    """Whether a text holds nothing but papers' ids or links, `and` or commas between them, words before
    them that say nothing more of them (`both`, `for`, `the papers`), and after them `please` or, `also`,
    these."""
    # `A + B`, `A / B`, `A plus B`, `A and also B`: each
    words = re.sub(
        r"(?i)(?:\s*[,;+]\s*(?:then\s+)?|\s+(?:and(?:\s+also|\s+then)?|&|/|plus|then)\s+)", " ", text
    ).split()
    plain = [word.lower().strip(".,:!?") for word in words]
    start = next((i for i, word in enumerate(plain) if word not in _BEFORE_IDS), len(words))
    end = next((i for i in range(len(words), start, -1) if plain[i - 1] not in _AFTER_IDS.union(also)), start)
    return only_ids(" ".join(words[start:end]))


_BEFORE_IDS = frozenset({"both", "for", "of", "the", "these", "papers"})
_AFTER_IDS = frozenset({"please", "pls", "too", "to", "from", "my", "our", "reading", "list"})  # `… to my list`
_THEM = r"(?:them|both|all|these|those|(?:both|all|each)\s+of\s+them)"
# a save or a citation asked of every paper named, after them (`cite A and B and save them`)
_SAVE_THEM = re.compile(
    rf"(?i)(?:\s*[,;]\s*|\s+)(?:(?:and|then|&|\+)\s+)?(?:please\s+)?save\s+{_THEM}(?:\s+too)?[\s.!]*$"
)
_CITE_THEM = re.compile(
    rf"(?i)(?:\s*[,;]\s*|\s+)(?:(?:and|then|&|\+)\s+)?(?:please\s+)?(?:cite|bibtex(?:\s+for)?)\s+{_THEM}(?:\s+too)?[\s.!]*$"
)


def _peeled(text: str, asked: re.Pattern[str]) -> tuple[str, bool]:
    """The text without this request at its end, and whether it was there."""
    kept = asked.sub("", text)
    return kept, kept != text


def _reading_list_change(text: str) -> Command | None:
    """The paper a text puts on one's reading list, or takes off it, in other words; two or more named,
    one at a time, as `save` says; None for other texts (read only after one of `_LIST_VERBS`: every
    search passes here)."""
    if text.split(maxsplit=1)[0].lower() not in _LIST_VERBS:
        return None
    named = papers_named(text)
    words = {w.strip(".,;:!?()").lower() for w in text.split() if not papers_named(w)} - {"and", "&"}
    if not named or not words:
        return None
    change: type[Save | Unsave] | None = None
    if words <= _ONTO and words & {"bookmark", "add", "keep"}:
        change = Save
    off = words & {"remove", "delete", "unbookmark", "drop"}
    if words <= _OFF and off and (off == {"unbookmark"} or words & {"list", "saved", "bookmarks"}):  # `remove 2406…`
        change = Unsave  # alone says not from what: left to the search's "names a paper" answer
    if change is None:
        return None
    if len(named) > 1:  # `add 2406.12345 and 2501.00001 to my list` was searched for
        return _several("save" if change is Save else "unsave", named, text)
    return change(named[0])


MOST_AT_ONCE = 10  # papers one `save`, `unsave` or `cite` takes: each may be fetched from Hugging Face


def _several(verb: str, named: list[str], text: str, style: str = "", save: bool = False) -> Command:
    """`save A, B and C`, `cite A and B`: each of the papers named, up to `MOST_AT_ONCE` of them (a
    citation in a `style`, BibTeX said to be the one given; each `save`d too)."""
    each = sorted(dict.fromkeys(named), key=text.find)  # `save A and A`: once; in the order typed
    if len(each) > MOST_AT_ONCE:
        return Unknown(text, f"`{verb}` takes up to {MOST_AT_ONCE} papers at a time; {len(each)} are named here.")
    if verb == "cite":
        return Ask("cite", each[0], style=style, save=save, others=tuple(each[1:]))
    return (Save if verb == "save" else Unsave)(each[0], others=tuple(each[1:]))


def _most_engaged_of(whole: str) -> Top | None:
    """`most discussed this month`, `most engaged papers of all time`: `top` of that period (they were
    searched for). `top papers this week` stays the week's listing, as `top papers` alone is not."""
    for said in (s for s in TOP_SAID if s.startswith("most ") and whole.startswith(f"{s} ")):
        period = whole.removeprefix(said).strip()
        period = PERIOD_WORDS.get(period, period)
        if period in PERIODS:
            return Top(period)
    return None


def _community(word: str, rest: str) -> Top | Saved | None:
    """`top [week|month|all]`, `saved [bibtex]`; other words after them are a search (`top models`)."""
    rest = rest.strip(" .!?")
    period = PERIOD_WORDS.get(rest, rest)
    if word == "top" and (not rest or period in PERIODS):
        return Top(period or "week")
    if word == "saved" and rest in ("", "list", "all", "papers", "list all", "everything"):  # `list`: Discord's
        return Saved()  # own name for the plain form
    said = set(rest.replace(":", " ").split())  # `saved format:bibtex`, Discord's form
    if word == "saved" and said <= BIBTEX_WORDS and said & {"bibtex", "bibtext", "bib"}:
        return Saved(bibtex=True)
    return None


FORMS = {"top": PERIODS, "saved": ("bibtex", "list")}  # the one word each takes after it
_OTHER_FORMS = frozenset({"json", "csv", "markdown", "md", "txt", "text", "ris", "apa", "mla", "pdf", "excel"})


_PAPER_COMMANDS = ("paper", "save", "unsave", *ASKS)


def _a_paper_command_mistyped(word: str, rest: str) -> str | None:
    """`ctie 2406.12345`, `paepr 2406.12345`: a command on one paper, one letter off (a swap is one), or
    cut short (`cit`, `summ`: the start of one command alone), as the command meant; None for anything
    else (`tldr 2406.12345` is a question of its own)."""
    named = papers_named(rest)
    if len(word) < 3 or len(named) != 1 or not only_ids(rest) or word in _PAPER_COMMANDS:
        return None
    near = [c for c in _PAPER_COMMANDS if (len(word) >= 4 and edits(word, c, 1) <= 1)]
    near = near or [c for c in _PAPER_COMMANDS if c.startswith(word)][:2]
    near = near if len(near) == 1 or len(word) >= 4 else []  # `sa`, `un`: the start of more than one
    return f"{min(near, key=lambda c: edits(word, c, 1))} {named[0]}" if near else None


def _mistyped_form(word: str, rest: str) -> str | None:
    """`top weak`, `top mnth`, `saved bibtx`: the one word `top` or `saved` takes, mistyped (a search for
    it would answer with papers that have nothing to do with what was asked): the command meant, or None.
    More words, or one that is not near, are a search (`top models`, `saved searches`)."""
    said = rest.lower().strip(" .!?")
    forms = FORMS.get(word)
    if forms is None or not said or " " in said:
        return None
    meant = {f: f for f in forms} | ({"weekly": "week", "monthly": "month"} if word == "top" else {})  # `montly`
    near = [f for f in meant if edits(said, f, 1) <= 1]  # one letter off: "weak", "mnth", "bibtx"; not "small"
    return f"{word} {meant[min(near, key=lambda f: edits(said, f, 1))]}" if near else None


def _search_flags(word: str, text: str) -> str | None:
    """What to say of a search typed with an option as a command line's flag (`today --limit 5`, `search
    --topic agents`), which was searched for, dashes and all, and answered with papers on nothing asked;
    None without one. Other words after two dashes (`git push --force`) are searched as typed."""
    tokens = tokens_of(text)
    if not any(m[2].lower() in FLAG_NAMES for m in flags_in(tokens)):
        return None
    if word == "today":
        return "`today` takes no options: it shows today's top papers. For papers on a topic, type its words alone."

    def said(m: re.Match[str]) -> list[str] | None:
        option = FLAG_NAMES.get(m[2].lower())
        if option is None:
            return [m[0]]  # no option's name: a word of the search
        if option == "":
            return [m[3] or ""]  # `--topic agents`, `--topic=agents`: the topic's words kept
        return [] if m[3] or m[4] else None  # `--limit 5`, `--top5`: no word of the topic

    typed = unflagged(tokens, said)
    first, _, rest = typed.partition(" ")
    if first.lower() in ("search", "papers", "/papers"):
        typed = rest
    flags = flags_in(tokens)
    return (
        f"in chat, a search is its topic's words alone, {without_marks(flags)}: `{typed}`"
        if typed
        else f"in chat, a search is its topic's words alone, {without_marks(flags)}, such as `diffusion`"
    )


def _today(word: str, rest: str, text: str) -> Today | Unknown | None:
    """`today` with how many papers: `today top 20`, `today 20`, `today all` (up to `MOST_PAPERS`), with
    or without the words of `_TODAY_WORDS`, and the day: `2026-08-20 top 5`, `today 2026-08-20`,
    `yesterday`; None when other words follow (`today's llm news`: a search)."""
    rest = _TOP_GLUED.sub(r"top \1", rest)  # `today top5`: it was a search for "top5"
    said = [w.strip(",.;:!?") for w in rest.lower().replace(":", " ").split()]  # `today top:20`, Discord's form
    said = [w for w in said if w]
    days = [w for w in (word, *said) if _DAY.fullmatch(w)]
    numbers = [w for w in said if w.isdigit() or (w[:1] in "-+" and w[1:].isdigit())]  # `today top -3`: refused
    numbers += [w for at, w in enumerate(said) if at and said[at - 1] == "top" and w in _NUMBER_WORDS]  # `top three`
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
        return replace(day, limit=checked_top(_NUMBER_WORDS.get(numbers[0], numbers[0])))
    except UsageError:
        most = MOST_PAPERS
        return Unknown(text, f"`today` shows 1 to {most} papers, such as `today top 20`; `today all` up to {most}.")


_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")  # a day as typed: 2026-08-20 (2026-8-3 too)
# `today top three`: a count in words, asked for in digits (it was a search for "top three")
_NUMBER_WORDS = {  # (`today top three` was refused as "1 to 50", three being one of them: review s77)
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50",
}  # fmt: skip
_TOP_GLUED = re.compile(r"(?i)\btop(\d+)\b")


_OUR_NAME = re.compile(r"(?i)\A@paperboy\b[\s,:]*")


def _still_to_come(day: str) -> str:
    """What a day still to come is told (`tomorrow`, `next friday`: searched for, "No papers match")."""
    words = day.lower().split()
    said = " ".join(w.capitalize() if i == 0 or w.endswith("day") else w for i, w in enumerate(words))
    return f"{said} is still to come: Hugging Face lists each day's papers on that day. `today` shows the latest day's."


# a day still to come, alone: `tomorrow`, `tomorrow's papers`, `papers for next friday`, `next week`
_TO_COME = re.compile(
    r"(?:(?:the\s+)?papers?\s+(?:for|of|from)\s+)?(?P<day>tomorrow|next\s+(?:week|month|year|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday))(?:'s)?(?:\s+papers?)?"
)


def day_to_come(text: str) -> str | None:
    """The day still to come a text names alone (`tomorrow`, `next friday`, `papers for next week`), in its
    words; None for any other text."""
    found = _TO_COME.fullmatch(text.strip().lower().rstrip("?!. ").replace("’", "'"))
    return found["day"] if found is not None else None


_DAY_FORMS = "2026-08-20, `aug 20`, `friday` or `yesterday`"


def _named(named: NamedDay | str, rest: str, text: str) -> Today | Unknown | None:
    """The papers of a day named in words (`aug 20 top 5`, `last friday`), or what to say of one no
    calendar has; None where other words follow (`sunday funday`: a search) or a span's last day does
    (`2026-08-01..2026-08-10`)."""
    if starts_a_span(rest):
        return None
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
    try:  # `05/06/2026`: which of two days; `20/08/2026`: 2026-08-20, as typed commands read it
        numeric_day(value.strip())
    except UsageError as exc:
        return Unknown(text or value, str(exc))
    typed = numeric_as_iso(value.strip()).lower()
    if typed in ("", "today"):
        return Today()
    if typed == "yesterday":
        return Today(ago=1)
    if typed == "tomorrow":  # `today date:tomorrow`, as `tomorrow` is answered
        return Unknown(text or value, _still_to_come("tomorrow"))
    if (url := one_url(value)) is not None and isinstance(listed := other_link(url, value), Today):
        return listed  # Hugging Face's list of a day (`date:https://huggingface.co/papers/date/2026-08-20`)
    if not _DAY.fullmatch(typed):
        said = named_day(value.strip())
        if said is not None and not said[1] and (in_words := _named(*said, text or value)) is not None:
            return in_words  # `date:aug 20`, `date:friday`
        return Unknown(text or value, f"{value[:100]!r} is not a day: write it as {_DAY_FORMS}.")
    year, month, day = (int(n) for n in typed.split("-"))
    why = calendar_fault(f"{year:04d}-{month:02d}-{day:02d}")  # 2026-8-3 is 2026-08-03
    if why is None:
        return Today(day=date(year, month, day))
    return Unknown(text or value, f"{value!r} is no day of the calendar: {why}. Write a day as 2026-08-20.")
