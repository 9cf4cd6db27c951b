"""`/papers` as people type it: typed text read into one neutral command (`parse.parse_command`).

Its rooms, each importing only those named before it: `kinds` (the commands), `typed` (characters, words
and quotes), `options` (a digest's options as typed), `subscribing` (`subscribe`, `follow`), `changes`
(`settings at 10:00`, `set time 11:00`, `settings add robotics`), `other_words` (whole lines said for a
command in other words), `links` (links to no paper's page), `parse` (the rest).
"""

from bot.chat.commands.kinds import (
    MOST_PAPERS,
    Ask,
    Command,
    Follow,
    Follows,
    Help,
    PaperLookup,
    Preview,
    Recent,
    RepositoryLookup,
    Save,
    Saved,
    Search,
    Settings,
    Subscribe,
    Thanks,
    Today,
    Top,
    Unfollow,
    Unknown,
    Unsave,
    Unsubscribe,
)
from bot.chat.commands.options import are_days, checked_timezone, days_option, is_weekday, time_option
from bot.chat.commands.other_words import TO_START, TO_STOP, settings_alone
from bot.chat.commands.parse import (
    KEYWORDS,
    day_to_come,
    on_day,
    paper_option,
    parse_command,
    search_option,
    search_parts,
)
from bot.chat.commands.subscribing import (
    asks_every_paper,
    checked_topics,
    comma_parts,
    listed_with_and,
    parse_follow,
    parse_subscribe,
)
from bot.chat.commands.typed import closed_quotes, only_ids, plain_text
from bot.domain.config import MAX_TOPIC_CHARS, MAX_TOPICS  # the limits `subscribe` holds topics to

__all__ = [
    "KEYWORDS",
    "MAX_TOPICS",
    "MAX_TOPIC_CHARS",
    "MOST_PAPERS",
    "TO_START",
    "TO_STOP",
    "Ask",
    "Command",
    "Follow",
    "Follows",
    "Help",
    "PaperLookup",
    "Preview",
    "Recent",
    "RepositoryLookup",
    "Save",
    "Saved",
    "Search",
    "Settings",
    "Subscribe",
    "Thanks",
    "Today",
    "Top",
    "Unfollow",
    "Unknown",
    "Unsave",
    "Unsubscribe",
    "are_days",
    "asks_every_paper",
    "checked_timezone",
    "checked_topics",
    "closed_quotes",
    "comma_parts",
    "day_to_come",
    "days_option",
    "is_weekday",
    "listed_with_and",
    "on_day",
    "only_ids",
    "paper_option",
    "parse_command",
    "parse_follow",
    "parse_subscribe",
    "plain_text",
    "search_option",
    "search_parts",
    "settings_alone",
    "time_option",
]
