"""A neutral Post as Discord embeds: pure functions that keep every limit Discord enforces.

Limits (discord-api-docs, "Embed Limits"): 10 embeds a message; title 256, description 4096,
25 fields of name 256 and value 1024, footer 2048, author 256; 6000 characters across all the
embeds of a message; message content 2000; thread names 1-100. Untrusted text is markdown-escaped
and mention-escaped; pings are prevented on the wire by `AllowedMentions.none()` as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.cards import word_head
from bot.post import Card, Link, Post

MAX_EMBEDS = 10
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
TOTAL = 6000
CONTENT = 2000
THREAD_NAME = 100
COLOUR = discord.Colour(0xFFD21E)  # Hugging Face yellow


@dataclass
class Message:
    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    shares: list[tuple[str, str]] = field(default_factory=list)  # (paper id, button label)


def clean(text: str) -> str:
    """Untrusted text made inert: no markdown, no masked links, no @everyone, @here or user and role pings."""
    escaped = escape_markdown(" ".join(text.split())).replace("[", "\\[").replace("]", "\\]")
    return escape_mentions(escaped)


def prose(text: str) -> str:
    """The core's own sentences, which may quote input: inert like `clean`, but `code` spans stay code."""
    return clean(text).replace("\\`", "`")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with "…", never leaving a dangling escape backslash."""
    head = word_head(text, limit)
    return text if head is None else head.rstrip("\\ ") + "…"


def thread_name(title: str) -> str:
    name = cut(" ".join(title.split()), THREAD_NAME)
    return name or "Paper"


def link(target: Link) -> str:
    label = escape_markdown(target.label).replace("[", "(").replace("]", ")")
    return f"[{label}]({target.url.replace(')', '%29').replace(' ', '%20')})"


def card_embed(card: Card) -> discord.Embed:
    rank = f"{card.rank}. " if card.rank else ""
    description = "\n\n".join(p for p in (clean(card.summary), " · ".join(link(x) for x in card.links)) if p)
    embed = discord.Embed(
        title=cut(rank + card.title, TITLE), url=card.url, description=cut(description, DESCRIPTION), colour=COLOUR
    )
    embed.add_field(name="Authors", value=cut(clean(card.authors), FIELD_VALUE) or "—", inline=False)
    if card.organization:
        embed.add_field(name="Organization", value=cut(clean(card.organization), FIELD_VALUE), inline=True)
    embed.add_field(name="Votes", value=f"▲ {card.upvotes} · 💬 {card.comments}", inline=True)
    if card.thumbnail:
        embed.set_thumbnail(url=card.thumbnail)
    return embed


def seed_embed(card: Card) -> discord.Embed:
    """The thread's first message: the abstract as description, the other sections as fields."""
    embed = discord.Embed(title=cut(card.title, TITLE), url=card.url, colour=COLOUR)
    for section in card.thread[:FIELDS]:
        if section.title == "Abstract":
            embed.description = cut(clean(section.text), DESCRIPTION)
            continue
        value = " · ".join(link(x) for x in section.links) if section.links else clean(section.text)
        embed.add_field(name=cut(section.title, FIELD_NAME), value=cut(value, FIELD_VALUE) or "—", inline=False)
    return fit(embed)


def header_message(post: Post) -> Message:
    text = f"**{clean(post.header)}**"
    if post.subheader:
        text += f"\n{clean(post.subheader)}"
    if not post.cards and post.empty:
        text += f"\n{clean(post.empty)}"
    return Message(content=cut(text, CONTENT))


def post_message(post: Post, *, share: bool = False) -> Message:
    """A whole post as one message: text in the content, cards as embeds, all within the limits."""
    message = header_message(post)
    extra = [prose(p) for p in post.text]
    if post.code:
        extra.append(f"```\n{post.code.replace('```', 'ʼʼʼ')}\n```")
    content = "\n".join([message.content, *extra])
    total = 0
    for card in post.cards[:MAX_EMBEDS]:
        embed = fit(card_embed(card))
        if total + len(embed) > TOTAL:
            break
        total += len(embed)
        message.embeds.append(embed)
        if share:
            message.shares.append((card.paper_id, cut(f"Share: {card.title}", 80)))
    if len(message.embeds) < len(post.cards):
        content += f"\n…and {len(post.cards) - len(message.embeds)} more"
    message.content = cut(content, CONTENT) if len(content) <= CONTENT or not post.code else _code_fit(content)
    return message


def _code_fit(content: str) -> str:
    """A long code block cut inside its fence, so the fence still closes."""
    return content[: CONTENT - 5].rstrip() + "\n```"


def fit(embed: discord.Embed) -> discord.Embed:
    """Shrink the description until the embed alone is within the 6000-character total."""
    excess = len(embed) - TOTAL
    if excess > 0 and embed.description:
        embed.description = cut(embed.description, max(len(embed.description) - excess - 1, 1))
    return embed
