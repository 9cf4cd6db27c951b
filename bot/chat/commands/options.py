"""A digest's options as people type them (`at 9pm`, `tz berlin`, `top 5`, `days mon wed fri`, `on fri`), and
the options typed the wrong way (`--at 9:00`, `time:09:00`, `diffusion timezone Europe/Berlin`), said so."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from bot.chat.commands.kinds import MOST_PAPERS
from bot.chat.commands.typed import tokens_of
from bot.domain.config import check_time, check_timezone
from bot.domain.errors import UsageError
from bot.domain.weekdays import digest_days, looks_like_a_day, not_days, parse_days, parse_weekday
from bot.domain.words import STOP_WORDS
from bot.domain.zones import (
    ABBREVIATIONS,
    names_a_city,
    names_a_country,
    zone_hint,
    zone_meant,
    zone_named,
    zones_by_lower,
)

OPTIONS = ("at", "tz", "top", "days")

OPTION_EXAMPLES = {"at": "`at 09:00`", "tz": "`tz Europe/Berlin`", "top": "`top 5`", "days": "`days mon-fri`"}


def option_value(name: str, tokens: list[tuple[str, bool]], at: int) -> tuple[str, int]:
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
    if name == "tz" and tokens[at][0].endswith(",") and (placed := _in_country(value, tokens, at + 1)):
        return placed  # `tz Berlin, Germany`: the country was a topic
    if nxt is None or tokens[at][0].endswith(","):
        return value, took
    if name == "tz" and _spaced_zone(value, nxt := nxt.rstrip(",")):  # `tz America/New York`, `tz United States`
        value = f"{value}{' ' if names_a_country(f'{value} {nxt}') else '_'}{nxt}"
        placed = _in_country(value, tokens, at + 2) if tokens[at + 1][0].endswith(",") else None
        return (placed[0], placed[1] + 1) if placed else (value, 2)  # `tz New York, USA`
    if name == "at" and _MERIDIEM.fullmatch(nxt.rstrip(",")):
        return f"{value} {nxt.rstrip(',')}", 2  # `at 9:00 PM`, quoted as typed if refused
    if name == "at" and (half := _part_of_day(tokens, at + 1)) is not None:
        return f"{value} {half}", 4  # `at 9 in the morning`, `at 6 in the evening`
    if name == "at" and (city := _city_after(tokens, at + 1)) is not None:  # `at 9:00 Berlin`: a topic “Berlin”,
        raise UsageError(f"“{city[0]}” after the time would be read as a topic: type `tz {city[1]}`")  # at 09:00 UTC
    if name == "at" and value.isdigit() and nxt.lower() not in (*OPTIONS, "on"):  # `LLMs at 4 bits`: no hour
        raise UsageError(
            f"`at {value[:4]}` before “{nxt.rstrip(',')[:40]}”: a time goes HH:MM, such as `at 09:00`; a topic"
            ' with “at” in it goes in quotes ("…")'
        )
    ends = nxt.endswith(",") or at + 2 == len(tokens) or tokens[at + 2][0].lower() in OPTIONS
    if name == "at" and ends and (zone := _abbreviated_zone(nxt.rstrip(","))) is not None:  # not `MET office`
        raise UsageError(f"“{nxt.rstrip(',')}” after the time would be read as a topic: {zone}")
    if name == "at" and ends and nxt.lower().rstrip(",") in _WHEN_WORDS:  # `at 9am tomorrow`: the topic “tomorrow”
        raise UsageError(
            f"“{nxt.rstrip(',')}” after the time would be read as a topic: the digest comes at its time on each"
            " of its days, the next one first"
        )
    if name == "at" and (loose := _loose_zone(tokens, at + 1)) is not None:  # `at 9am ET`, `… pacific time`
        raise UsageError(f"“{loose[0]}” after the time would be read as a topic: {loose[1]}")
    return value, took


_PARTS_OF_DAY = {"morning": "am", "afternoon": "pm", "evening": "pm"}
_WHEN_WORDS = frozenset({"tomorrow", "today", "tonight", "sharp", "everyday", "onwards", "starting"})


def _part_of_day(tokens: list[tuple[str, bool]], at: int) -> str | None:
    """`am` or `pm` for `in the morning` (afternoon, evening) at `tokens[at]`, ending the option; else None."""
    said = [t.lower().rstrip(",") for t, quoted in tokens[at : at + 3] if not quoted]
    return _PARTS_OF_DAY.get(said[2]) if len(said) == 3 and said[:2] == ["in", "the"] else None


def _city_after(tokens: list[tuple[str, bool]], at: int) -> tuple[str, str] | None:
    """A city (or zone) named right after a time, alone or after `in`, and ending the part (`at 9:00
    Berlin`, `at 9:00 in New York, robotics`): the words and the zone they name; else None."""
    start = at + (at < len(tokens) and tokens[at][0].lower() == "in")
    for length in (2, 1):
        words = tokens[start : start + length]
        if len(words) < length or any(quoted for _, quoted in words):
            continue
        said = " ".join(t for t, _ in words).rstrip(",")
        ends = words[-1][0].endswith(",") or start + length == len(tokens)
        ends = ends or tokens[start + length][0].lower() in (*OPTIONS, "on")
        named = not said.isupper() and "/" not in said  # `RAG` is no zone's; `Europe/Berlin` is said so below
        if ends and named and (zone := zone_named(said)) is not None:
            return said, zone
    return None


def days_option(text: str) -> str:
    """Days as a surface's own option gives them (Discord's `days:`), read as the chat reads the words
    after `days`: `mon wed fri`, `Mon to Fri`, `mon, wed, fri`, `weekdays` (they were run together into
    "monwedfri", and refused as that)."""
    tokens = tokens_of(" ".join(text.replace(",", " ").split()))
    if not tokens:
        return text
    value, took = option_value("days", tokens, 0)
    if took != len(tokens):
        raise UsageError(not_days(text))
    return value


def time_option(text: str) -> str:
    """A time as a surface's own option gives it (`9:00  pm`), its spaces as the chat reads `at 9:00 PM`."""
    return " ".join(text.split())


def several_days(word: str) -> bool:
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


# zones as people say them after a time, which no topic ends with: what to type for each (they were saved
# as topics, the digest at 09:00 UTC)
_SAID_ZONES = {
    "et": "America/New_York", "eastern": "America/New_York", "east coast": "America/New_York",
    "pt": "America/Los_Angeles", "pacific": "America/Los_Angeles", "west coast": "America/Los_Angeles",
    "bay area": "America/Los_Angeles", "ct": "America/Chicago", "central": "America/Chicago",
    "mt": "America/Denver", "mountain": "America/Denver",
}  # fmt: skip
_OFFSET = re.compile(r"(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d\d)?", re.IGNORECASE)  # `utc+2`, `GMT-5`


def _loose_zone(tokens: list[tuple[str, bool]], at: int) -> tuple[str, str] | None:
    """A zone said loosely right after a time, ending the part: its words and what to type instead
    (`at 9am ET`, `at 9am pacific time`, `at 9am utc+2`, `at 9am local time`, `at 9am (Berlin)`); else None."""
    for length in (3, 2, 1):
        words = tokens[at : at + length]
        if len(words) < length or any(quoted for _, quoted in words):
            continue
        ends = words[-1][0].endswith(",") or at + length == len(tokens) or tokens[at + length][0].lower() in OPTIONS
        said = " ".join(t for t, _ in words).rstrip(",")
        key = " ".join(said.lower().removesuffix(" time").split())
        if not ends:
            continue
        if (zone := _SAID_ZONES.get(key)) is not None and (len(key) > 2 or said[:2].isupper()):  # `ET`, not `et al`
            return said, f"type `tz {zone}` (a zone name; it follows daylight saving)"
        if _OFFSET.fullmatch(key):
            return said, "type the zone's name with `tz`, such as `tz Europe/Berlin` (an offset misses daylight saving)"
        if key in ("local", "my time", "our time"):
            return said, "type the zone with `tz`, such as `tz Europe/Berlin`: I can't see anyone's local time"
        if said.startswith("(") and said.endswith(")") and (named := zone_named(said.strip("()"))) is not None:
            return said, f"type `tz {named}`"
    return None


def _abbreviated_zone(word: str) -> str | None:
    """What to type for a zone written as its abbreviation after a time (`at 09:00 EST`, `at 16:00 CET`),
    which would otherwise be saved as a topic and the time kept in UTC; None for any other word. UTC
    and GMT are said as the other named zones are (`option_meant`)."""
    low = word.lower()
    if word.isupper() and low in ABBREVIATIONS:  # `EST`; not the `west` of `west coast`
        name, zone = ABBREVIATIONS[low]
        return f"for {name}, type `tz {zone.split()[0]}` (a zone name; it follows daylight saving)"
    known = zones_by_lower().get(low)
    if word.isupper() and word.isalpha() and known is not None and low not in ("utc", "gmt"):
        return f"type `tz {known}`"
    return None


_GLUED = re.compile(r"(at|top)(\d[\d:.]*(?:[ap]m)?)", re.IGNORECASE)  # `at10:00`, `at9am`, `top5`

_NEAR = {"time": "at", "timezone": "tz", "zone": "tz", "limit": "top", "tops": "top", "max": "top"}

FLAG_NAMES = {"topic": "", "topics": "", **{option: option for option in OPTIONS}, **_NEAR, "on": "on", "day": "on"}

# `--at`, `--tz=Europe/Paris`: a command line's habit; `—at` as a phone or a Mac's autocorrect makes it
_FLAG = re.compile(r"(--|[—–])([a-z]+?)(?:=(.*)|(\d[\d:.]*(?:am|pm)?))?", re.IGNORECASE)  # and `--at9:00`

# `time:09:00`, `topics:diffusion`: Discord's options as its own form writes them, typed here; the groups
# as `_FLAG`'s (no prefix, the name, the value, nothing glued)
_COLON = re.compile(r"()([a-z]+):(.+)()", re.IGNORECASE)


def _flag(token: str) -> re.Match[str] | None:
    """The flag a word is: any `--word`, and a dash's only where it names an option (not `—robotics`), or
    an option's name and its value after a colon (`time:09:00`; not `author:LeCun`, a filter)."""
    m = _FLAG.fullmatch(token)
    if m and (m[1] == "--" or m[2].lower() in FLAG_NAMES):
        return m
    m = _COLON.fullmatch(token)
    return m if m and _an_option_value(FLAG_NAMES.get(m[2].lower()), m[3]) else None


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


def flags_in(tokens: list[tuple[str, bool]]) -> list[re.Match[str]]:
    """The flags among the words typed (quoted words are as typed: never flags)."""
    return [m for token, quoted in tokens if not quoted and (m := _flag(token))]


def refuse_flags(tokens: list[tuple[str, bool]]) -> None:
    """Refuse options typed as a command line's flags (`--topic agents --at 9:00`), saying the chat's
    form: they would otherwise be saved as the channel's topic, and the settings meant lost."""
    flags = flags_in(tokens)
    if unknown := next((m[0] for m in flags if m[2].lower() not in FLAG_NAMES), None):
        raise UsageError(
            f"`{unknown}` is no option of `subscribe`: its options are words without dashes, `at`, `tz`, `top`,"
            " `days` and `on`, as in `subscribe diffusion at 09:00 tz Europe/Berlin top 5`"
        )
    if flags:
        typed = unflagged(tokens, lambda m: [FLAG_NAMES[m[2].lower()], m[3] or m[4] or ""])
        raise UsageError(f"in chat, options are words {without_marks(flags)}: `subscribe {typed}`")


def without_marks(flags: list[re.Match[str]]) -> str:
    """How the flags typed are not written in chat: "without dashes" (`--at`), "without colons" (`time:`)."""
    dashed = {bool(m[1]) for m in flags}
    return (
        "without dashes" if dashed == {True} else "without colons" if dashed == {False} else "without dashes or colons"
    )


def unflagged(tokens: list[tuple[str, bool]], said: Callable[[re.Match[str]], list[str] | None]) -> str:
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


def option_meant(topic: str) -> str | None:
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
    weekend = [w.lower() for w in words[-3:]] in (["on", "the", "weekend"], ["at", "the", "weekend"])  # a day, which?
    weekend = weekend or (len(words) == 2 and words[0].lower() == "on" and words[1].isdigit())  # `on 5`: no topic
    # … or starting it: `on fridays diffusion` was saved as that topic, on weekdays
    on_day = on_day or (len(words) >= 3 and words[0].lower() in ("on", "every") and looks_like_a_day(words[1]))
    if on_day or weekend or (len(words) == 2 and words[0].lower() == "day" and looks_like_a_day(words[1])):
        return "`on` and one day of the week, such as `on fri` (a weekly roundup), or `days mon-fri`"
    # the option's word and its value: alone (`time 10`), or ending the topic and plainly a value
    # (`diffusion time 10:00`); not `real time 3d reconstruction`, `space time 4`, `wall time 3`
    if len(words) >= 2:  # the last two words
        option, value = _NEAR.get(words[-2].lower()), words[-1]
        if option is not None and _VALUES[option](value) and (len(words) == 2 or _PLAINLY[option](value)):
            return f"`{option} {value}`"
    if len(words) >= 2 and (cadence := words[-1].lower()) in ("weekly", "daily"):
        return f"`{cadence}` first, as in `subscribe {cadence} {' '.join(words[:-1])}`"
    if len(words) == 1 and _named_zone(words[0]):
        return f"`tz {words[0]}`"
    if 2 <= len(words) <= 4 and words[-1].lower() == "time" and (zone := zone_named(" ".join(words[:-1]))):
        return f"`tz {zone}`"  # `at 09:00 berlin time`: the topic “berlin time”, at 09:00 UTC
    if words and _TIME_OF_DAY.fullmatch(words[-1]):  # `on fri 16:00`, `robotics 9:30`: no topic ends in a time
        return f"`at {words[-1]}`"
    if words and _TIME_OF_DAY.fullmatch(words[0]):  # `diffusion, 9am Berlin time`: nor begins with one
        place = " ".join(words[1:]).removesuffix(" time").removesuffix(" Time")
        zone = zone_named(place) if place else None
        return f"`at {words[0]}{f' tz {zone}' if zone else ''}`"
    return _said_in_words(words)


# The ends of a topic that are a schedule said in words, each saved as the topic's words before, and the
# digest of “diffusion evry day” found nothing, every day, without a word
_EVERY = re.compile(r"(?:every|evry|everey|each)\Z", re.IGNORECASE)
_HOURS_OF = {"morning": "09:00", "mornings": "09:00", "evening": "18:00", "evenings": "18:00", "night": "21:00"}


def _said_in_words(words: list[str]) -> str | None:
    """What to type for a topic ending in a schedule said in words (`diffusion Europe/Berlin` or a zone
    mistyped, `… evry day`, `… every morning`, `… day mon`, `diffusion tomorrow`, `everyday` alone), or
    None: not `ai policy US/China`, `cities of tomorrow`, `household robots everyday`, `gpt 4 papers`."""
    last = words[-1].lower().rstrip(".,!") if words else ""
    before = words[-2].lower() if len(words) >= 2 else ""
    every = _EVERY.fullmatch(before) is not None
    if "/" in last and (zone_named(last) or zone_hint(last).startswith(" Did you mean")):
        return f"`tz {words[-1]}`"  # (a zone mistyped: `tz` says the nearest)
    if before == "day" and looks_like_a_day(last):
        return f"`days {last}`"
    if words == ["everyday"] or (every and last in ("day", "days")):
        return "`days daily`"
    if every and last in ("weekday", "weekdays", "workday", "workdays"):
        return "`days mon-fri`"
    if every and last in _HOURS_OF:
        return f"`at {_HOURS_OF[last]}`, or the hour you want"
    if last in ("tomorrow", "tonight") and len(words) == 2 and before not in STOP_WORDS:  # `diffusion tomorrow`
        return "`at` and a time, such as `at 09:00`: a digest begins at its next one"
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


def _in_country(city: str, tokens: list[tuple[str, bool]], at: int) -> tuple[str, int] | None:
    """`city, country` and the tokens it took, when `tokens[at:]` begin with the name of a country (of up to
    three words: `United Arab Emirates`) that, with the city, means a zone (`Berlin, Germany`); else None.
    Not after a zone's full name: `tz Europe/Berlin, germany` keeps its topic."""
    for took in (3, 2, 1):
        words = tokens[at : at + took]
        if "/" in city or len(words) < took or any(quoted or word.endswith(",") for word, quoted in words[:-1]):
            continue
        country = " ".join(word.rstrip(",") for word, quoted in words)
        if not words[-1][1] and names_a_country(country) and zone_meant(f"{city},{country}"):
            return f"{city}, {country}", took + 1
    return None


def _spaced_zone(first: str, second: str) -> bool:
    """Whether two words are one zone typed with a space for its underscore (`America/New York`, or its
    city alone: `New York`), or a country's name (`United Kingdom`)."""
    both = f"{first} {second}"
    return zone_named(first) is None and (zone_named(both) is not None or names_a_city(both) or names_a_country(both))


def keep_option(options: dict[str, str], name: str, value: str) -> None:
    """Keep an option's value; the same option given twice with two values is refused, not overridden."""
    if options.get(name, value).lower() != value.lower():
        raise UsageError(f"`{name}` is given twice ({options[name]} and {value}): give it once")
    options[name] = value


def follow_option(part: str) -> str | None:
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

_A_ZONE_OR_CITY = _takes(lambda value: zone_meant(value) or check_timezone(value))  # `tz berlin`, `tz germany`

are_days = _takes(parse_days)  # `mon-wed,fri`, `every day`: days as written

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


def checked_time(value: str) -> str:
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
    if (dotted := _DOTTED.fullmatch(value)) is not None and int(dotted[1]) <= 23:  # `9.30`, as many write it
        raise UsageError(  # (not taken: `LLMs at 1.58 bits` is a topic)
            f"“{value}”: type the time with a colon, `at {int(dotted[1]):02d}:{dotted[2]}` (a topic with “at” in"
            " it goes in quotes)"
        )
    try:
        return check_time(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


_DOTTED = re.compile(r"(\d{1,2})\.([0-5]\d)")

_NAMED_HOURS = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}

_HOUR = re.compile(r"(\d{1,2})(?:h([0-5]\d)?)?", re.IGNORECASE)  # not `9.30`: `LLMs at 1.58 bits` is a topic

_TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d\d))? ?([ap])\.?m\.?", re.IGNORECASE)


def checked_days(value: str) -> str:
    try:
        digest_days(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return value.lower()


def checked_top(value: str) -> int:
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
        known = zone_meant(value)  # (`Germany`, `Berlin, Germany`: a form's field, quoted)
        if known is not None:
            return known
        raise UsageError(f"{exc}.{zone_hint(value)}") from None
