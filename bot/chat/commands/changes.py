"""A channel's digest changed a setting at a time, as people say it: `settings at 10:00`, `set time 11:00`,
`change the time zone to Europe/Paris`, `set top to 3 and days to mon-fri`, `settings topics diffusion,
robotics`. Each is read as `subscribe` reads the option (`subscribing.parse_subscribe`), and changes an
existing digest only (`Subscribe.changes`). They were searched for, or `settings` was shown with the
value unread."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.chat.commands.kinds import MOST_PAPERS, Command, Settings, Subscribe, Unknown, Unsubscribe
from bot.chat.commands.options import is_weekday, option_meant
from bot.chat.commands.subscribing import NOT_MISTYPED, parse_subscribe
from bot.domain.errors import UsageError
from bot.domain.filters import unquoted
from bot.domain.words import edits

# a setting named as people name it, and the option of `subscribe` that sets it ("" for the topics: the
# words after it)
_SETTINGS = {
    "at": "at", "time": "at", "hour": "at", "tz": "tz", "timezone": "tz", "time zone": "tz", "zone": "tz",
    "top": "top", "limit": "top", "papers": "top", "number of papers": "top", "days": "days", "on": "on",
    "day": "on", "topics": "", "topic": "",
}  # fmt: skip
_SETTING = re.compile(
    r"(?:(?:the|my|our|its|this\s+channel'?s|digest(?:'?s)?|daily)\s+)*"
    r"(?P<name>number\s+of\s+papers|time\s+zone|[a-z]+)(?P<to>\s+(?:to|is)\b|\s*[=:])?\s*",
    re.IGNORECASE,
)
_AND = re.compile(r"\s*,\s*|\s+and\s+", re.IGNORECASE)  # between two settings: `top 3 and days mon-fri`
TOPIC_VERBS = ("add", "remove", "drop", "delete")  # `add topic robotics`: a topic named must follow
SETTING_VERBS = ("set", "change", "update")  # a search may start so (`change detection`): a setting must follow
# `settings for this channel`, `show current settings`: shown, as `settings` alone
_SHOWN = frozenset({"for", "in", "of", "show", "current", "this", "channel", "the", "our", "my", "me", "us", "here"})
_SHOWN_TOO = _SHOWN | {"digest", "please", "pls", "now", "thanks"}


def parse_change(word: str, rest: str, text: str) -> Command | None:
    """`settings …`, or `set`, `change` or `update` before a setting: the change, `Settings` for none, or
    what to say of one refused; None where `set`, `change` or `update` name no setting, or give it no
    value it takes (`change detection`, `set prediction`, `change time series`, `set topic modeling`:
    searches)."""
    typed, topics_named = rest.strip(" .!?;"), False
    options: list[str] = []
    if set(typed.lower().split()) <= _SHOWN_TOO:
        return Settings() if word == "settings" else None
    while typed:
        said = _setting(typed)
        if said is None and word == "settings" and len(typed.split()) == 1 and (meant := _value_alone(typed)):
            typed = meant  # `settings 10am`, `settings Europe/Berlin`: told to type `at 10am`, though nothing else
            continue  # was meant
        if said is None:
            if not options and word != "settings":
                return None
            options.append(typed)  # `settings at 10:00 tz Europe/Paris`, `settings weekly`: as `subscribe` reads it
            break
        option, value, typed = _setting_value(said, typed)
        if not options and word != "settings" and not _a_value(option, value, said):
            return None
        if not option and not value:  # `settings topics`: it would say "updated", and change nothing
            return Unknown(text, "`topics` needs the topics after it, such as `settings topics diffusion, robotics`.")
        options.append(f"{option} {value}".strip())
        topics_named = topics_named or not option
    try:
        changed = parse_subscribe(" ".join(options))
    except UsageError as exc:
        return Unknown(text, str(exc))
    if changed.topics and not topics_named:  # `settings diffusion`: its topics replaced, unasked
        return Unknown(
            text,
            _mistyped(word, rest) + f"`{word}` changes this channel's digest a setting at a time, such as"
            " `settings at 10:00`, `settings top 3` or `settings topics diffusion, robotics`; `subscribe` with"
            " topics replaces its topics.",
        )
    return replace(changed, changes=True)


# how a change is asked for before it (`can we …`, `let's …`, `I'd like …`), and after it (`… instead please?`)
_ASKED = (
    r"(?:(?:can|could|would|will)\s+(?:we|you|u|i)\s+|let'?s\s+|let\s+us\s+|i'?d\s+like\s+(?:to\s+)?|i\s+want\s+"
    r"|please\s+)*"
)
_AFTER = r"(?:\s+(?:instead|please|pls|now))*[\s.!?]*"
_A_TIME = r"(?P<time>\d{1,2}(?::\d\d)?\s*(?:am|pm)|\d{1,2}:\d\d)"  # `8am`, `9:30 pm`, `10:00`

# a change said as a sentence: `make it weekly`, `can we make it weekly?`, `switch to daily`, `change the digest
# to weekly`, `move the digest to 10am`, `change it to 3 papers` (searched for: "Did you mean “make it weakly”?")
_SAID_SO = re.compile(
    _ASKED + r"(?:make|switch|change|turn|move|set)\s+(?:(?:it|the\s+digest|this\s+digest|our\s+digest"
    r"|my\s+digest|the\s+roundup)\s+)?(?:(?:to|into)\s+)?(?:an?\s+)?"
    rf"(?:(?P<cadence>weekly|daily|monthly|bi-?weekly|fortnightly)(?:\s+(?:roundup|digest))?|(?:at\s+)?{_A_TIME}"
    r"|(?:top\s+)?(?P<top>-?\d+)\s+papers?)" + _AFTER,  # (`100 papers`, `monthly`: said why not)
    re.IGNORECASE,
)


# the digest's time or size said so: `digest at 8am`, `can you send the digest at 8am?`, `I'd like the digest
# at 8am`, `only 3 papers a day` (searched for: "No papers match “digest at 8am”")
_SAID_TOO = re.compile(
    _ASKED + r"(?:(?:(?:send|deliver|post|get|have)\s+(?:us\s+|me\s+)?)?(?:the\s+|our\s+|my\s+|this\s+)?"
    rf"(?:daily\s+)?digest\s+at\s+{_A_TIME}|(?:only|just)\s+(?P<top>-?\d+)\s+papers?"
    r"(?P<daily>\s+(?:a|per|each)\s+day|\s+in\s+(?:the|our|this)\s+digest)?)" + _AFTER,
    re.IGNORECASE,
)


def said_in_a_sentence(text: str) -> Command | None:
    """A setting changed in a sentence (`make it weekly`: `settings weekly`), as `settings` reads it; None
    for any other text."""
    found = _SAID_SO.fullmatch(text)
    if found is None and (found := _SAID_TOO.fullmatch(text)) is None:
        return None
    said = found.groupdict()
    if "daily" in said and said["top"] and not said["daily"] and 1 <= int(said["top"]) <= MOST_PAPERS:
        n = said["top"]  # `only 3 papers`: today's, or the digest's? Said, not done
        return Unknown(
            text, f"`today top {n}` shows {n} of today's papers; `settings top {n}` makes the digest {n} papers."
        )
    asked = said.get("cadence") or (f"at {said['time']}" if said["time"] else f"top {said['top']}")
    return parse_change("settings", asked.lower(), text)


# the names `settings` takes first, as one would mistype them (`settings tpo 3`, `settings weekely`)
_NAMES = ("time", "timezone", "zone", "top", "limit", "days", "topics", "weekly", "daily")


def _mistyped(word: str, rest: str) -> str:
    """ "Did you mean" for a setting's name mistyped, the value kept (`settings tpo 3`: `settings top 3`), to
    go before what `settings` takes; "" where the first word is a name, near none, or what it offers would
    not be read either (`settings tpo`, `settings done`: `top` and `zone` need a value)."""
    first, _, after = rest.strip(" .!?;").partition(" ")  # `settings tpo 3.`: offered without the full stop
    typed = first.lower().rstrip(":=")  # `settings tpo: 3`
    if len(typed) < 3 or not typed.isalpha() or typed in _NAMES or typed in NOT_MISTYPED:
        return ""
    meant = next((name for name in _NAMES if edits(typed, name, 1) <= 1), None)
    offered = f"{meant} {after}".strip()
    if meant is None or len(offered) > 100 or not isinstance(parse_change(word, offered, offered), Subscribe):
        return ""
    return f"Did you mean `{word} {offered}`? "


def _value_alone(typed: str) -> str | None:
    """The setting a value typed alone after `settings` is plainly for: a time (`10am`, `9:30`) or a
    zone's name (`Europe/Berlin`), with its option's name before it; None for any other."""
    meant = option_meant(typed)
    return meant.strip("`") if meant is not None and re.fullmatch(r"`(?:at|tz) \S+`", meant) else None


# a topic added to a channel's digest or taken off it, the others kept: `settings add robotics`, `add topic
# robotics`, `add robotics to the digest`, `remove topic agents`, `remove agents from topics` (searched for, or
# "`settings` changes … a setting at a time"); `add noise` and `remove background` stay searches
_TOPIC_CHANGE = re.compile(
    r"\A(?:(?P<settings>(?:settings|subscription)(?:\s+topics?)?\s+)"  # `settings topics add agents`
    r"|(?P<set>(?:update|change|set)\s+(?:the\s+)?topics?\s+to\s+(?:also\s+)?))?"  # `update the topics to include …`
    r"(?P<verb>add|include|remove|drop|delete)\s+"
    r"(?:(?:the|a|new)\s+)*(?P<named>topics?(?:\s*:\s*|\s+))?(?P<what>.+?)"
    r"(?P<where>\s+(?:to|from|in|into)\s+(?:(?:the|our|my|its|this\s+channel'?s)\s+)*"
    r"(?:topics|topic\s+list|digest|daily\s+digest|roundup|subscription))?\s*\Z",
    re.IGNORECASE,
)


# words after "topic" that make one term with it: `add topic modeling` is no add of “modeling”
_WITH_TOPIC = frozenset(
    {"modeling", "modelling", "models", "model", "classification", "detection", "discovery", "segmentation"}
    | {"coherence", "extraction", "labeling", "labelling", "tracking", "shift", "shifts", "drift", "mining"}
)
_NOT_A_TOPIC = frozenset({"in", "of", "for", "from", "with", "on", "to", "and", "that", "which", "by", "when", "if"})
_NO_TOPIC = re.compile(r"(?:settings\s+)?(?P<verb>add|remove|drop|delete)\s+(?:(?:a|the|new)\s+)?topics?", re.I)


def parse_topic_change(text: str) -> Command | None:
    """A topic added to the channel's digest (`Subscribe.adds`) or dropped from it (`Unsubscribe` of that
    topic), said so; None for any other text."""
    if (bare := _NO_TOPIC.fullmatch(text.strip(" .!?;"))) is not None:  # `add topic`: which, then?
        verb = bare["verb"].lower()
        return Unknown(
            text,
            "`add` takes the topics to add, such as `settings add robotics`."
            if verb == "add"
            else f"`{verb}` takes the topic to drop, such as `settings remove robotics`.",
        )
    said = _TOPIC_CHANGE.match(text.strip(" .!?;"))
    if said is None:
        return None
    what, named = said["what"].strip(), said["named"]
    if named and named.strip().lower() == "topic" and what.split()[0].lower() in _WITH_TOPIC:
        what, named = f"{named}{what}", None  # `add topic modeling to the digest`: the topic “topic modeling”
    if said["verb"].lower() == "include" and not said["set"]:
        return None  # `include …`: only `update the topics to include agents` adds
    if not (said["settings"] or said["set"] or named or said["where"]) or what.split()[0].lower() in _NOT_A_TOPIC:
        return None  # `add topic modeling`, `add noise`, `drop topics in LDA`: searches
    if said["verb"].lower() not in ("add", "include"):
        return Unsubscribe(unquoted(what))
    try:
        added = parse_subscribe(what)
    except UsageError as exc:
        return Unknown(text, str(exc))
    if not added.topics:  # `settings add all`, `add topic at 10:00`
        return Unknown(text, "`add` takes the topics to add, such as `settings add robotics`.")
    if added.cadence or added.day:  # `add weekly agents to the digest`: a daily digest made a roundup, unasked
        return Unknown(text, "`add` takes topics only: `subscribe weekly` or `subscribe daily` changes the kind.")
    return replace(added, changes=True, adds=True)


def _name(said: re.Match[str]) -> str:
    return " ".join(said["name"].lower().split())


def _setting(typed: str, at: int = 0) -> re.Match[str] | None:
    said = _SETTING.match(typed, at)
    return said if said is not None and _name(said) in _SETTINGS else None


def _setting_value(said: re.Match[str], typed: str) -> tuple[str, str, str]:
    """The option a setting is, its value, and the text after it: up to a comma or `and` before another
    setting given a value it takes (`top 3 and days mon-fri`; not the `, robotics` of two topics)."""
    for between in _AND.finditer(typed, said.end()):
        after = _setting(typed, between.end())
        if after is not None and _a_value(_SETTINGS[_name(after)], _AND.split(typed[after.end() :], 1)[0], after):
            return _SETTINGS[_name(said)], typed[said.end() : between.start()].strip(), typed[between.end() :]
    return _SETTINGS[_name(said)], typed[said.end() :].strip(), ""


def _a_value(option: str, value: str, said: re.Match[str]) -> bool:
    """Whether `value` is plainly one for that option (a time's digits, a count, a day; topics after
    `topics`, not `topic`: "topic modeling" is one), or any value said after `to`."""
    first = value.split()[0].lower() if value.split() else ""
    if not first or said["to"] is not None:
        return bool(first)
    if option == "at":
        return first[0].isdigit() or first in ("noon", "midday", "midnight")
    if option == "top":
        return first.isdigit()
    if option == "on":
        return is_weekday(first)
    return option == "tz" or option == "days" or _name(said) == "topics"
