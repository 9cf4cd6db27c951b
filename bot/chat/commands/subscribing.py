"""`subscribe [weekly|daily] topics [options]` and `follow topics`, `follows`, `unfollow [topic]`: the
topics and the options of a digest, as typed."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection

from bot.chat.commands.kinds import Command, Follow, Follows, Help, Subscribe, Unfollow, Unknown
from bot.chat.commands.options import (
    OPTION_EXAMPLES,
    OPTIONS,
    checked_days,
    checked_time,
    checked_timezone,
    checked_top,
    flags_in,
    follow_option,
    is_weekday,
    keep_option,
    option_meant,
    option_value,
    refuse_flags,
    several_days,
    unflagged,
    without_marks,
)
from bot.chat.commands.typed import HELP_SAID, SHOW_SAID, STOP_SAID, add_token, close_part, closed_quotes, tokens_of
from bot.domain.config import check_topics, one_way_each
from bot.domain.errors import UsageError
from bot.domain.filters import kind, sought, split_entry, unquoted
from bot.domain.weekdays import parse_weekday
from bot.domain.words import as_ours, edits

# Topics that ask for every paper: what `settings` shows of a digest with none ("Topics: all papers")
_EVERY_PAPER = frozenset(
    {"all", "all papers", "every paper", "everything", "any", "any topic", "all topics", "no topics"}
)


def asks_every_paper(topics: str) -> bool:
    """Whether a subscription's topics, as typed, ask for every paper (`all papers`, `everything`)."""
    return topics.lower().strip(" .!") in _EVERY_PAPER


_ONE_DAY = "`on` takes one day: a weekly roundup comes once a week (a daily digest on some days: `days mon,fri`)"


def _another_day_joined(tokens: list[tuple[str, bool]], at: int) -> bool:
    """Whether `and` (or `&`) and a day of the week follow at `tokens[at]`: `on fri and mon`."""
    said = [t.lower().rstrip(",") for t, quoted in tokens[at : at + 2] if not quoted]
    return len(said) == 2 and said[0] in ("and", "&", "or") and is_weekday(said[1])


_EMPTY_QUOTES = re.compile(r"(?:\A|[\s,])(?:\"\s*\"|'\s*'|“\s*”)(?=\Z|[\s,])")


_CLOSING = re.compile(r"(?<=\w)[.!?;]+\s*\Z")  # a sentence's closing marks after a word (not a quote's)


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
    text = _CLOSING.sub("", text)  # `subscribe diffusion at 8am?`: the sentence's end, not the time's ('8am?')
    # `settings topics ""` said "updated" and changed nothing, `subscribe ""` saved all papers (`tz ""`: the zone's)
    if any(
        (text[: m.start()].split() or [""])[-1].lower() not in (*OPTIONS, "on") for m in _EMPTY_QUOTES.finditer(text)
    ):
        raise UsageError(
            '“""” is an empty topic: type a topic\'s words, such as `diffusion`, or `all papers` for every paper'
        )
    if (other := _ANOTHER_CHANNEL.search(text)) is not None:  # it was a topic: “diffusion in <#C0123|research>”
        name = other[1] or other[2]
        raise UsageError(
            f"`subscribe` sets up the digest of the channel it is typed in: type it in {f'#{name}' if name else 'that'}"
            f"{'' if name else ' channel'} (invite me there first)"
        )
    text = _FOR_HERE.sub("", text)  # `subscribe diffusion for this channel`
    adds = _TOO.search(text) is not None  # `subscribe robotics too`: added to the channel's topics, not theirs
    text = _TOO.sub("", text) if adds else text
    tokens = tokens_of(as_ours(text))  # `robotics NOT "humanoid robots"`: a quoted exclusion, as searched
    refuse_flags(tokens)
    as_typed: set[str] = set()  # quoted topics: topics even where they look like an option
    cadence = None
    if tokens and not tokens[0][1] and tokens[0][0].lower() in ("weekly", "daily"):
        cadence = tokens.pop(0)[0].lower()
        if tokens and not tokens[0][1] and (again := tokens[0][0].lower()) in ("weekly", "daily"):  # was a topic
            raise UsageError(  # `subscribe weekly daily diffusion`: the topic “daily diffusion”
                f"`{again}` is given twice: give it once"
                if again == cadence
                else "a subscription is daily or weekly, not both: `subscribe daily …` or `subscribe weekly …`"
            )
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
            close_part(words, topics)  # `on mon, robotics`: the comma ends the option, as after the others
            keep_option(options, "on", tokens[i + 1][0].rstrip(","))
            if _another_day_joined(tokens, i + 2):  # `on fri and mon`: the topic “and mon”
                raise UsageError(_ONE_DAY)
            i += 2
            continue
        if quoted:
            close_part(words, topics)
            if token.strip():
                topics.append(" ".join(token.split()))
                as_typed.add(topics[-1])
        elif token.lower() == "on" and i + 1 < len(tokens) and several_days(tokens[i + 1][0]):
            raise UsageError(_ONE_DAY)  # `on fri,mon`
        elif token.lower() == "on" and i + 1 == len(tokens):
            raise UsageError("`on` needs a day of the week after it, such as `on fri`")
        elif token.lower() in ("weekly", "daily") and options and (i + 1 == len(tokens) or not words):
            # last, or starting a topic after an option (`at 10:00 weekly diffusion`: the topic “weekly diffusion”)
            raise UsageError(f"`{token.lower()}` goes first, right after `subscribe`: `subscribe {token.lower()} …`")
        elif token.lower() in OPTIONS:
            if i + 1 == len(tokens):  # never a topic: it would replace the channel's topics with `tz`
                raise UsageError(f"`{token.lower()}` needs a value after it, such as {OPTION_EXAMPLES[token.lower()]}")
            close_part(words, topics)
            value, took = option_value(token.lower(), tokens, i + 1)
            keep_option(options, token.lower(), value)
            i += took
        elif token == "OR":  # `diffusion OR robotics`, as boolean search writes it: two topics, as a comma makes
            close_part(words, topics)
        else:
            add_token(token, words, topics)  # `diffusion; robotics`: two topics, as a comma makes
        i += 1
    close_part(words, topics)
    topics = listed_with_and(topics, as_typed)
    topics = unlabelled(topics, as_typed)  # `subscribe topics: diffusion`
    topics, cadence = _kind_said(*_days_said(topics, as_typed, options, cadence), as_typed)
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
        if topic not in as_typed and (meant := option_meant(topic)):
            raise UsageError(
                f"“{topic}” looks like an option, not a topic: type {meant} (or quote it to make it a topic)"
            )
    every_paper = len(topics) == 1 and not as_typed and asks_every_paper(topics[0])
    unique = () if every_paper else checked_topics(topics)
    every_paper = every_paper or (not unique and every_paper_among([e for t in topics for e in split_entry(t)]))
    return Subscribe(
        topics=unique,
        time=checked_time(options["at"]) if "at" in options else None,
        timezone=checked_timezone(options["tz"]) if "tz" in options else None,
        days=checked_days(options["days"]) if "days" in options else None,
        limit=checked_top(options["top"]) if "top" in options else None,
        cadence=cadence,
        day=parse_weekday(options["on"]) if "on" in options else None,
        every_paper=every_paper,
        adds=adds and bool(unique),
    )


# How often, said in words at a topic's end (`diffusion every day`, `robotics on weekdays`, `agents
# daily`): told "looks like an option, not a topic: type `days daily`", though nothing else was meant.
_EVERY_DAY = re.compile(r"(?:\A|\s+)(?:every|each)\s+days?\Z", re.IGNORECASE)

_WEEKDAYS = re.compile(
    r"(?:\A|\s+)(?:on\s+|every\s+)?(?:week|work)\s?days\Z|(?:\A|\s+)every\s+(?:week|work)\s?day(?:\s+mornings?)?\Z",
    re.IGNORECASE,
)  # `on weekdays`, `on workdays`, `every weekday morning`
# days said as a range at a topic's end (`diffusion at 9am tue-thu`: the topic “tue-thu”): the `days` meant
_DAY_RANGE = re.compile(
    r"(?:\A|\s+)(?:on\s+)?((?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*(?:-|–|to)\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)\Z",
    re.IGNORECASE,
)
# how often no digest comes: `twice a week`, `biweekly`, `monthly` (each was saved as a topic)
_NO_CADENCE = re.compile(
    r"(?:\A|\s+)(?:twice\s+a\s+week|bi-?weekly|fortnightly|monthly|every\s+(?:other|two|2)\s+weeks?|once\s+a\s+month)\Z",
    re.IGNORECASE,
)

# …and at a topic's start: `subscribe monthly diffusion`, `subscribe on weekdays agents` (saved as topics)
_SAID_FIRST = re.compile(
    r"\A(?:(?P<never>twice\s+a\s+week|bi-?weekly|fortnightly|monthly|every\s+(?:other|two|2)\s+weeks?|once\s+a\s+month)"
    r"|(?P<daily>(?:every|each)\s+days?)|on\s+(?:week|work)\s?days|every\s+(?:week|work)\s?day|(?:week|work)days)"
    r",?\s+(?=\S)",
    re.IGNORECASE,
)
_DAILY = re.compile(r"\s+daily\Z", re.IGNORECASE)
# a roundup's day, said so (`subscribe weekly diffusion every friday`, `… on fridays`): its `on`
_EVERY_WEEKDAY = re.compile(
    r"(?:\A|\s+)(?:(?:every|each|on)\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)days?)\Z", re.IGNORECASE
)

_WEEKLY = re.compile(r"\s+(?:weekly|every\s+week|once\s+a\s+week)\Z", re.IGNORECASE)

# another channel named (Slack writes a mention as `<#C0123|name>`): `subscribe diffusion in #research`
_ANOTHER_CHANNEL = re.compile(  # Slack's `<#C0123|name>`, Discord's `<#1234567890>`; not `#diffusion`, a tag
    r"<#(?:[CG][A-Z0-9]+|\d{5,})(?:\|([^>]*))?>|(?:\A|\s)(?:in|into)\s+#([\w-]+)", re.IGNORECASE
)
_WHO = frozenset({"me", "us", "this", "the", "our", "my", "channel", "here"})  # `subscribe me to …`

# a topic added, said so: `subscribe robotics too`, `… as well`, `subscribe also robotics`, `subscribe add agents`
# (each replaced the channel's topics with “robotics too”, “add agents”)
_TOO = re.compile(r"\A(?:also|add)\s+(?=[^\s\"“])|\s+(?:too|as\s+well|also)\s*[.!]*\Z", re.IGNORECASE)
_FOR_HERE = re.compile(
    r"(?:\A|\s+)(?:(?:for|in|to)\s+(?:this|the|our|my)\s+channel|here)(?=\s*(?:,|\Z|(?:at|tz|top|days|on)\s))", re.I
)  # `subscribe diffusion for this channel at 09:00`, `subscribe to this channel` (the topic “this channel”)


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
    for at, topic in enumerate(topics):
        if topic not in as_typed:
            # `subscribe every day diffusion`: the topic “every day diffusion” (a later topic's words are its own)
            first = _SAID_FIRST.match(topic) if at == 0 else None
            if first is not None and not first["never"] and "days" not in options and cadence != "weekly":
                options["days"], topic = ("daily" if first["daily"] else "mon-fri"), topic[first.end() :]
            if _NO_CADENCE.search(topic) or (first is not None and first["never"]):
                raise UsageError(
                    "a digest comes daily, on the days you pick (`days mon,thu` for twice a week), or weekly"
                    " (`subscribe weekly …`): none comes monthly or every other week"
                )
            span = _DAY_RANGE.search(topic) if cadence != "weekly" and "days" not in options else None
            if span is not None:  # `diffusion at 9am tue-thu`, `… mon to thu`
                options["days"] = re.sub(r"\s*(?:-|–|\bto\b)\s*", "-", span[1], count=1)
                topic = topic[: span.start()].strip()
            for pattern, days in ((_EVERY_DAY, "daily"), (_WEEKDAYS, "mon-fri")):
                if "days" not in options and pattern.search(topic):
                    options["days"], topic = days, pattern.sub("", topic).strip()
            if cadence in (None, "daily") and _DAILY.search(topic):
                cadence, topic = "daily", _DAILY.sub("", topic).strip()
            day = _EVERY_WEEKDAY.search(topic) if "on" not in options else None
            if day is not None and (cadence == "weekly" or _WEEKLY.search(topic[: day.start()])):
                options["on"], topic = day[1].lower().removesuffix("s"), topic[: day.start()].strip()
            if cadence in (None, "weekly") and "days" not in options and _WEEKLY.search(topic):
                cadence, topic = "weekly", _WEEKLY.sub("", topic).strip()
            if not topic:
                continue
        kept.append(topic)
    return kept, cadence


# Words that name what is subscribed to, not what it is about: `subscribe to the daily digest`, `subscribe
# weekly roundup`, `subscribe to daily papers` (Hugging Face's name for its list: every paper). As topics
# they matched papers holding "digest" or "roundup", or nothing.
_KIND_WORDS = frozenset(
    {"the", "a", "our", "this", "daily", "weekly", "hugging", "face", "huggingface", "hf", "paperboy", "list", "feed"}
    | {"papers", "paper", "digest", "digests", "roundup", "roundups", "round-up", "newsletter", "updates"}
)
_DIGEST_WORDS = frozenset({"digest", "digests", "newsletter", "updates", "papers", "paper", "feed", "list"})
_ROUNDUP_WORDS = frozenset({"roundup", "roundups", "round-up"})


_AUTHORS_LISTED = re.compile(r"(?i)authors(?::|\s)\s*\S")  # `authors LeCun, …`, `authors: LeCun, …` (plural)
_A_NAME = re.compile(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}")  # `Bengio`, `Yoshua Bengio`, `Hinton`
_LAST_AND = re.compile(r"\s*(?:\A|\s)(?:and|&)\s+", re.IGNORECASE)


def listed_with_and(parts: list[str], as_typed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """A list's last `and` as a comma: `diffusion, robotics and agents` (or `…, and agents`) is three topics
    (it saved “diffusion” and “robotics and agents”). Only after a comma: `vision and language` alone is
    one topic; a quoted part is kept as typed. Names listed after `authors` are each an author's
    (`authors LeCun, Bengio`: “Bengio” was a topic)."""
    if len(parts) < 2 or parts[-1] in as_typed:
        return parts
    last = [p.strip() for p in _LAST_AND.split(parts[-1], maxsplit=1)]
    listed = [*parts[:-1], *(p for p in last if p)]
    if not _AUTHORS_LISTED.match(listed[0]):
        return listed
    names = [p for p in listed[1:] if p not in as_typed and _A_NAME.fullmatch(p)]
    return [listed[0], *(f"author:{p}" if p in names else p for p in listed[1:])]


# what the subscription is called, then what it is about: `weekly roundup of diffusion`, `a digest on agents`
_KIND_OF = re.compile(
    r"\A(?:(?:the|a|our|weekly|daily)\s+)*(roundups?|round-ups?|digests?)\s+(?:of|on|about|for)\s+", re.IGNORECASE
)


def names_the_subscription(topic: str) -> bool:
    """Whether a topic's words only name the subscription (`the daily digest`, `weekly roundup`, `papers`)."""
    words = set(topic.lower().split())
    return words <= _KIND_WORDS and bool(words & (_DIGEST_WORDS | _ROUNDUP_WORDS))


def _kind_said(topics: list[str], cadence: str | None, as_typed: set[str]) -> tuple[list[str], str | None]:
    """The topics without those that only name the subscription (`the daily digest`, `weekly roundup`),
    and the cadence they say: their `daily` or `weekly`, else weekly for a roundup; else as it was."""
    kept = []
    for topic in topics:
        if topic not in as_typed and (kind := _KIND_OF.match(topic)) is not None:  # `weekly roundup of diffusion`
            cadence = cadence or ("weekly" if kind[1].lower().startswith("round") else None)
            topic = topic[kind.end() :]
        words = set(topic.lower().split())
        if topic in as_typed or not names_the_subscription(topic):
            kept.append(topic)
            continue
        said = words & {"daily", "weekly"} or ({"weekly"} if words & _ROUNDUP_WORDS and not cadence else set())
        if len(said | ({cadence} if cadence else set())) > 1:
            raise UsageError("a subscription is daily or weekly, not both: `subscribe daily …` or `subscribe weekly …`")
        cadence = cadence or next(iter(said), None)
    return kept, cadence


def every_paper_among(entries: list[str]) -> bool:
    """Whether one of the entries is a topic asking for every paper (`everything -robotics`, `all papers,
    -robotics`): the digest is then every paper but those left out, and another topic beside it is refused
    (the topic “everything” was saved, which no paper matches; “all papers” was refused as only common
    words)."""
    return any(kind(entry)[0] == "topic" and asks_every_paper(entry) for entry in entries)


def checked_topics(typed: list[str]) -> tuple[str, ...]:
    """Typed entries as stored filters (each `-word` its own exclusion), once each, within the limits."""
    try:
        entries = [entry for text in typed for entry in split_entry(text)]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if every_paper_among(entries):  # `everything -robotics`: every paper but those left out
        every = next(entry for entry in entries if kind(entry)[0] == "topic" and asks_every_paper(entry))
        if other := next((e for e in entries if kind(e)[0] != "excluded" and not asks_every_paper(e)), None):
            raise UsageError(  # (it was saved as “everything”, then `other` was dropped without a word)
                f"“{every}” is every paper, those {sought([other])} too: keep one of them (leave papers out with"
                f" a dash: `{every} -robotics`)"
            )
        entries = [entry for entry in entries if kind(entry)[0] == "excluded"]
    try:  # `Diffusion, diffusion` is one topic, as the first typed it; `robotics, -robotics` is refused
        return check_topics(tuple(one_way_each(entries).values()))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# `unfollow all`, `unfollow everything`: every follow (not `unfollow it`, nor `unfollow papers`: said so)
_EVERYTHING = frozenset({"all", "everything", "them", "everyone"})
_OF_EVERYTHING = _EVERYTHING | {"topics", "follows", "my", "of", "please", "every", "topic"}


def parse_follow(word: str, rest: str, text: str) -> Command:
    """`follow <topics | author:NAME>` (commas between several), `follows`, `unfollow [topic]`."""
    if word == "follows":
        return Follows() if not rest else Unknown(text, "`follows` takes nothing after it: it lists what you follow.")
    if word == "unfollow":
        topic = " ".join(unquoted(rest).split())
        said = set(topic.lower().split())
        if said & _EVERYTHING and said <= _OF_EVERYTHING:  # `unfollow all`: "You don't follow “all”"
            return Unfollow()
        return Unfollow(topic if topic or rest.strip() else None)  # `unfollow ""` names a topic: none of theirs
    if (flagged := _follow_flags(rest)) is not None:
        return Unknown(text, flagged)
    rest = _TOO.sub("", rest)  # `follow robotics too`, `… as well`: a follow adds to one's follows anyway
    if (meant := _follow_meant(rest)) is not None:
        return Unknown(text, meant) if isinstance(meant, str) else meant
    parts = comma_parts(rest)
    parts = unlabelled(parts, {part for part in parts[:1] if _quoted_in(part, rest)})  # `follow topics: diffusion`
    if not parts:  # nothing, or only commas and empty quotes: following nothing would be every paper
        return Unknown(text, "`follow` needs a topic or an author, such as “diffusion -robotics” or “author:LeCun”.")
    for part in parts:
        quoted = _quoted_in(part, rest)  # kept as typed
        if not quoted and (option := follow_option(part)) is not None:
            return Unknown(
                text,
                f"“{option}” looks like an option, and a follow takes topics only: its digest comes at 09:00 on "
                "weekdays in your own time zone (quote a topic to keep such words in it).",
            )
    try:
        closed_quotes(rest)
        topics = checked_topics(parts)
    except UsageError as exc:
        return Unknown(text, str(exc))
    every = every_paper_among([entry for part in parts for entry in split_entry(part)])  # (read above)
    return Follow(topics, every_paper=every)  # (`everything -robotics` was “-robotics”, added to the rest)


_FOLLOW_WHEN = re.compile(r"\s+(?:daily|weekly|every\s+day|each\s+day)\Z")
_AN_AUTHOR = re.compile(r"(?:this|that|the|an|a)\s+(?:author|person|researcher)s?|@(?P<name>[\w.-]+)", re.IGNORECASE)


def _follow_meant(rest: str) -> Follows | Help | str | None:
    """What a follow of words that name no topic means: `follow list` (its follows), `follow help` (the
    help: Discord's `topics:help` comes here whole), `follow stop` (how to unfollow), `follow @lecun` or
    `follow this author` (how to follow an author); None for topics. Each was followed as a topic: “list”,
    “help”, “stop”, “@lecun”."""
    said = rest.strip(" .!?").lower()
    if said in HELP_SAID:
        return Help()
    if said in SHOW_SAID:
        return Follows()
    if said in ("everything", "all", "all papers", "every paper", "anything"):  # followed as the topic “everything”
        return "`follow` needs a topic or an author: every paper would be the whole daily list, which `today` shows."
    if (when := _FOLLOW_WHEN.search(said)) is not None and when.start() > 0:  # `follow diffusion daily`
        return (
            f"“{when[0].strip()}”: a follow takes topics only, and its digest comes at 09:00 on weekdays in your own"
            f" time zone: `follow {rest.strip(' .!?')[: when.start()].strip()}`"
        )
    if said in STOP_SAID:
        return "To stop following: `unfollow TOPIC` stops one, `unfollow` all."
    if (author := _AN_AUTHOR.fullmatch(rest.strip(" .!?"))) is not None:
        name = (
            author["name"]
            if author["name"] and author["name"].lower() not in ("channel", "here", "everyone")
            else "NAME"
        )
        return f"To follow an author, name them after `author:`, such as `follow author:{name}`."
    return None


def _follow_flags(rest: str) -> str | None:
    """What to say of a follow typed with a command line's flags (`follow --topic agents --at 9:00`),
    which would otherwise be followed as one topic; None without them."""
    tokens = tokens_of(rest)
    flags = flags_in(tokens)
    if not flags:
        return None
    if option := next((m[0] for m in flags if m[2].lower() not in ("topic", "topics")), None):
        return (
            f"`{option}`: a follow takes topics only, {without_marks(flags)} (`follow diffusion -robotics`); its digest"
            " comes at 09:00 on weekdays in your own time zone"
        )
    typed = unflagged(tokens, lambda m: [m[3] or ""])  # `--topic=agents`, `topic:agents`: its value kept
    return f"a follow takes topics {without_marks(flags)}: `follow {typed.replace(' ,', ',')}`"


# what the topics are called before them, as people type it: `topics: diffusion`, `topics diffusion`, `the topic:
# agents`, `topics in RL` (not `topic modeling`, `new topic detection` nor `the topic model`, topics)
_LABEL = re.compile(r"(?i)\A(?:(?:(?:the|my|these|new)\s+)?topics?\s*:|topics\s)\s*(?:(?:of|on|about|in)\s+)?")


def unlabelled(topics: list[str], quoted: Collection[str]) -> list[str]:
    """The topics without what they are called before the first (`topics: diffusion`: “diffusion”; each
    was followed as “topics: diffusion”, which no paper matches), and without a label standing alone before
    them (`topics: "world models"`); a first topic `quoted`, or only a label, is as typed."""
    if not topics or topics[0] in quoted or (label := _LABEL.match(topics[0] + " ")) is None:
        return topics
    if rest := (topics[0] + " ")[label.end() :].strip():
        return [rest, *topics[1:]]
    return topics[1:] if len(topics) > 1 else topics


def _quoted_in(part: str, text: str) -> bool:
    """Whether a part of a follow was typed in quotes in `text` (it is then taken as typed)."""
    return any(f"{a}{part}{b}" in text for a, b in ('""', "“”"))


def comma_parts(text: str) -> list[str]:
    """The comma-separated parts of `text`; a quoted run is a part of its own, commas and all. A capital
    OR parts topics as a comma does, and NOT leaves out what follows it, as search reads them
    (`as_ours`)."""
    parts: list[str] = []
    words: list[str] = []
    for token, quoted in tokens_of(as_ours(text)):
        if quoted or token == "OR":
            close_part(words, parts)
            parts += [token] if quoted else []
            continue
        add_token(token, words, parts)
    close_part(words, parts)
    return listed_with_and([p for p in parts if p.strip()])


# words of their own one letter from `weekly` or `daily` (`subscribe daisy descriptor`)
NOT_MISTYPED = frozenset({"weakly", "meekly", "dairy", "dally", "daly", "dail", "daisy", "weekday", "weeks", "week"})


def cadence_unpunctuated(rest: str) -> str:
    """`subscribe weekly: robotics`, `subscribe daily, at 09:00`: the cadence without the mark after it (it
    was a daily digest of the topic “weekly: robotics”)."""
    first, _, after = rest.partition(" ")
    bare = first.rstrip(":,;.!")
    return f"{bare} {after}".strip() if bare.lower() in ("weekly", "daily") and bare != first else rest


def cadence_mistyped(rest: str) -> str | None:
    """What to say of a `subscribe` whose first word is `weekly` or `daily` mistyped (`subscribe weekely
    diffusion` was a daily digest of the topic “weekely diffusion”); None for any other."""
    first = rest.split(maxsplit=1)[0] if rest.strip() else ""
    word = first.lower().rstrip(":,;.!")  # `subscribe weekely: robotics`
    if not word.isalnum() or word in NOT_MISTYPED or word in ("weekly", "daily"):
        return None
    meant = next((meant for meant in ("weekly", "daily") if edits(word, meant, 1) <= 1), None)
    return f"did you mean `subscribe {meant} …`? (For the topic “{first}”, quote it.)" if meant else None
