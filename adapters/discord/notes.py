"""A short message of the bot's own on Discord: news in a paper's thread, the roundup's 'most discussed'."""

from __future__ import annotations

from adapters.discord.render import CONTENT, EMPTY, clean, cut, prose
from bot.domain.post import Post

UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003
# What Discord answers for a card a person deleted (or a forum post deleted with its card): leave it be.
GONE = frozenset({UNKNOWN_MESSAGE, UNKNOWN_CHANNEL})


def note_content(post: Post) -> str:
    """The header in bold, then each paragraph on its own line, then the line under it in small print."""
    lines = [f"**{clean(post.header)}**", *(prose(p) for p in post.text)]
    if post.subheader:
        lines.append(f"-# {clean(post.subheader)}")
    return cut("\n".join(lines), CONTENT) or EMPTY
