"""Commands said in other words, whole lines, as people type them: `my subscriptions` (`settings`), `what do
I follow?` (`follows`), `reading list` (`saved`), `hi` and `what can you do?` (`help`), `stop the digest` and
`resume` (what to type), `how do I subscribe?`, `subscribe help` and `subscribe?` (`help`). Each was searched
for, or worse: `subscribe help` subscribed the channel to the topic “help”, and `subscribe stop` to “stop”."""

from __future__ import annotations

import re

from bot.chat.commands.kinds import Command, Follows, Help, Preview, Saved, Settings, Thanks, Today, Top, Unknown
from bot.chat.commands.typed import HELP_SAID, SHOW_SAID, STOP_SAID

TO_STOP = "To stop this channel's digest: `unsubscribe`."
TO_START = (
    "To start this channel's digest: `subscribe`, with its topics and time if you want them, such as"
    " `subscribe diffusion at 09:00` (a digest stopped keeps none of its settings)."
)
# the digest stopped or started in other words: a verb, then only words of the digest or polite ones. `stop the
# digest` was "Did you mean `top`?", `pause the digest` and `resume` were searched for; `stop words` and `pause
# tokens` stay searches
_STOP_VERBS = ("stop sending", "stop posting", "turn off", "no more", "stop", "pause", "cancel", "disable", "mute")
_START_VERBS = ("turn on", "resume", "unpause", "restart", "start", "enable")
_OF_THE_DIGEST = frozenset(
    {"the", "this", "that", "it", "our", "my", "its", "digest", "digests", "daily", "weekly", "roundup", "roundups"}
    | {"subscription", "bot", "paperboy", "notifications", "messages", "posts", "papers", "updates", "here"}
    | {"please", "pls", "now", "for", "channel", "in", "again", "sending", "posting"}
)


def settings_alone(text: str) -> str:
    """What a line of a digest's settings alone says to type (`at 10am`: it was searched for)."""
    return f"to change this channel's digest: `settings {text}`; to start one: `subscribe {text}`."


def _stop_or_start(whole: str) -> str | None:
    """What to type to stop or start the channel's digest, for a line that asks to (`stop it`, `pause the
    weekly roundup`, `turn on the digest`); None for any other line."""
    for verbs, said in ((_STOP_VERBS, TO_STOP), (_START_VERBS, TO_START)):
        for verb in verbs:
            if (whole == verb or whole.startswith(f"{verb} ")) and set(whole[len(verb) :].split()) <= _OF_THE_DIGEST:
                return said
    return None


# today's papers, as asked in other words: searched for, "new" and "latest" found nothing ("holds no word
# to look for"), and "papers" was "Did you mean `paper`?"
_TODAY_SAID = frozenset(
    {"papers", "latest", "latest papers", "new", "new papers", "newest", "hot", "popular", "news", "now"}
    | {"what's new", "whats new", "what is new", "what's trending", "whats trending", "what's hot", "anything new"}
    | {"most upvoted", "most upvoted papers", "most popular", "most popular papers", "popular papers", "top upvoted"}
)  # (`most upvoted papers` held "no word to look for"; `… this week` was that week's already)


# whole lines said for a command by another name
_SETTINGS_SAID = (
    "subscription", "subscriptions", "my subscription", "my subscriptions", "our subscription", "our subscriptions",
    "channel settings", "digest settings", "my settings", "current settings", "show settings", "show my settings",
    "my digest", "our digest", "this channel's digest", "next digest", "when is the next digest",
    "what am i subscribed to", "what are we subscribed to", "what is this channel subscribed to",
    "what's this channel subscribed to", "what is subscribed here",
)  # fmt: skip
_FOLLOWS_SAID = ("my follows", "show my follows", "list follows", "what do i follow", "what am i following")
_SAVED_SAID = (
    "my saved", "my saved papers", "saved papers", "show saved", "show my saved papers", "reading list",
    "my reading list", "bookmarks", "my bookmarks",
)  # fmt: skip
_PREVIEW_SAID = (
    "preview", "preview digest", "digest preview", "preview the digest", "digest", "the digest", "show digest",
    "show the digest", "show me the digest", "our digest today", "what will the digest show",
)  # fmt: skip
_ROUNDUP_SAID = (
    "preview roundup", "roundup preview", "roundup", "the roundup", "show roundup", "show the roundup",
    "show me the roundup", "weekly roundup", "our roundup", "this week's roundup",
)  # fmt: skip
# greetings too: searched for, they found papers holding "hello"
_SAVED_BIBTEX_SAID = (
    "my saved bibtex", "saved papers bibtex", "export saved", "export my saved papers", "export my reading list",
    "reading list bibtex", "my reading list as bibtex", "my saved papers as bibtex",
)  # fmt: skip
_HELP_SAID = (
    "commands", "what can you do", "how does this work", "how do i use this", "usage", "menu", "get started",
    "hi", "hello", "hey", "hiya", "howdy", "yo", "hi there", "hello there", "paperboy", "@paperboy",
    "who are you", "what are you", "what is paperboy", "what is this", "about",
)  # fmt: skip
# thanks and acknowledgements: searched for, `thanks!` found five papers
_THANKS_SAID = (
    "thanks", "thank you", "thx", "ty", "tysm", "thanks a lot", "thank you so much", "thanks so much", "many thanks",
    "cheers", "thanks paperboy", "thank you paperboy", "ok thanks", "ok thank you", "great thanks",
    "nice thanks", "cool thanks", "awesome thanks", "perfect thanks", "merci", "danke", "gracias", "🙏",
)  # fmt: skip
# the channel's most engaged papers, as people ask for them: searched for ("holds no word to look for")
TOP_SAID = (
    "top papers", "top papers here", "top in this channel", "top papers in this channel", "most discussed",
    "most discussed papers", "most engaged", "most engaged papers", "most popular here", "most discussed here",
    "most discussed papers here", "most discussed in this channel", "most discussed papers in this channel",
    "most engaged here", "most engaged papers here",
)  # fmt: skip
_ACKNOWLEDGED = ("ok", "okay", "k", "got it", "cool", "nice", "great", "awesome", "perfect", "good bot", "👍")
_SAID_FOR: dict[str, Command] = {
    **dict.fromkeys(_SETTINGS_SAID, Settings()),
    **dict.fromkeys(_FOLLOWS_SAID, Follows()),
    **dict.fromkeys(_SAVED_SAID, Saved()),
    **dict.fromkeys(_SAVED_BIBTEX_SAID, Saved(bibtex=True)),
    **dict.fromkeys(_HELP_SAID, Help()),
    **dict.fromkeys(_PREVIEW_SAID, Preview()),
    **dict.fromkeys(_ROUNDUP_SAID, Preview(roundup=True)),
    **dict.fromkeys(_THANKS_SAID, Thanks()),
    **dict.fromkeys(TOP_SAID, Top("week")),
    **dict.fromkeys(_ACKNOWLEDGED, Thanks(thanked=False)),
}

# how a command is used, asked (answered with the help): `how do I subscribe?`, `how to follow a topic`,
# `subscribe help`, `follow --help`, `subscribe?`. `subscribe help` subscribed the channel to the topic “help”,
# replacing its topics; `how to follow instructions` and `how to train your ViT` stay searches
_HOW_TO = re.compile(r"\A(?:how\s+(?:do|can|should|would|does)\s+(?:i|we|you|one)|how\s+to)\s+(\w+)((?:\s+[\w']+)*)\Z")
_HOW_VERBS = frozenset(
    {"subscribe", "unsubscribe", "follow", "unfollow", "save", "unsave", "bookmark", "cite", "share", "search"}
    | {"change", "set", "stop", "use", "start", "get", "see", "find", "add", "remove", "preview", "list"}
)
_HOW_OBJECTS = frozenset(
    {"a", "an", "the", "this", "that", "my", "our", "it", "you", "paperboy", "bot", "here"}
    | {"channel", "digest", "digests", "daily", "weekly", "roundup", "topic", "topics", "paper", "papers"}
    | {"author", "authors", "list", "reading", "saved", "settings", "to", "from", "for", "in", "of", "one", "me"}
    | {"follows", "subscription", "subscriptions", "commands"}
)
_HOW_OBJECTS_OF = {  # …and words only some verbs take: `how to change the time`, not `how to save time`
    "change": {"time", "timezone", "zone", "day", "days", "schedule"},
    "set": {"up", "time", "timezone", "zone", "day", "days", "schedule"},
    "get": {"started"},
}
_ASKED_OF = ("subscribe", "unsubscribe", "follow", "unfollow", "save", "unsave", "saved", "preview", "paper", "top")
# before `help` alone (not `usage` nor `how`: `code usage` is a topic), the help too: `cite help`, `summary help`
# and `settings help` were searched for, or "Sorry, I didn't get"
_HELP_OF = frozenset(
    {"cite", "summary", "code", "authors", "related", "links", "settings", "today", "follows", "search"}
)


def _asks_how(whole: str, asked: bool) -> bool:
    """Whether a line asks how a command is used rather than using it (`whole`: lowercased, its ending
    `?!.` off; `asked`: it ended in a question mark)."""
    command, _, after = whole.partition(" ")
    if command in _ASKED_OF and after.strip() in HELP_SAID:
        return True
    if command in _HELP_OF and after.strip() in ("help", "--help", "-h"):
        return True
    if not after and command in _ASKED_OF[:4] and asked:  # `subscribe?`, `unsubscribe?`: a question, not the act
        return True
    how = _HOW_TO.fullmatch(whole)
    if how is None or how[1] not in _HOW_VERBS:
        return False
    return set(how[2].split()) <= _HOW_OBJECTS | _HOW_OBJECTS_OF.get(how[1], set())


def said_otherwise(text: str, whole: str) -> Command | None:
    """The command a whole line says in other words (`whole`: lowercased, its ending `?!.` off), or None."""
    if not text or whole in _TODAY_SAID:
        return Today()
    if whole in _SAID_FOR:  # `my subscriptions`, `what do I follow?`, `reading list`: searched for, and found nothing
        return _SAID_FOR[whole]
    if (stop_or_start := _stop_or_start(whole)) is not None:
        return Unknown(text, stop_or_start)
    if _asks_how(whole, text.rstrip(" !.").endswith("?")):  # `how do I subscribe?`, `subscribe help`, `follow?`
        return Help()
    return None


def subscribe_otherwise(text: str, rest: str) -> Command | None:
    """What `subscribe` before a word that is no topic means (`subscribe stop`: how to stop; `subscribe
    status`: the settings), or None."""
    wanted = rest.lower().strip(" .!?")
    if wanted in SHOW_SAID:
        return Settings()
    return Unknown(text, TO_STOP) if wanted in STOP_SAID else None
