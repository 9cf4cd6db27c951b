"""A neutral Post as Discord embeds: pure functions that keep every limit Discord enforces.

Limits (discord-api-docs, "Embed Limits"): 10 embeds a message; title 256, description 4096,
25 fields of name 256 and value 1024, footer 2048, author 256; 6000 characters across all the
embeds of a message; message content 2000; thread names 1-100. Untrusted text is markdown-escaped
and mention-escaped; pings are prevented on the wire by `AllowedMentions.none()` as well.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from urllib.parse import quote

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.domain.cards import joined, word_head
from bot.domain.post import (
    Card,
    Link,
    Post,
    Shown,
    code_head,
    entries_of,
    goes_as_file,
    holds_all,
    in_messages,
    left_out,
    unfenced,
)

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
URL_CHARS = 2048
ABSTRACT_ROOM = 1500  # of a thread seed's 6,000 characters, what the abstract keeps before the fields
COLOUR = discord.Colour(0xFFD21E)  # Hugging Face yellow
EMPTY = "paperboy"  # Discord refuses a message with neither content nor embeds
NOTE_ROOM = 40  # content kept for a message's last line, "…and N more"
CODE_ROOM = 200  # a code block gets at least this much of a message, or waits for the next one


@dataclass
class Message:
    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    shares: list[tuple[str, str]] = field(default_factory=list)  # (paper id, button label)
    saves: list[tuple[str, str]] = field(default_factory=list)  # (paper id, Save button label), every card's
    files: list[tuple[str, str]] = field(default_factory=list)  # (file name, text) attached


def clean(text: str) -> str:
    """Untrusted text made inert: no markdown, no masked links, no @everyone, @here or user and role pings."""
    # escape_markdown escapes a masked link's `[` already: each bracket gets one backslash, exactly
    # (a second one would show as text and leave the `[` free to open a disguised link).
    escaped = _BRACKET.sub(r"\\\1", escape_markdown(" ".join(text.split())))
    return unmentioned(escaped)


_ANY_ID = re.compile(r"<@(?=[!&]?\d)")
# What Discord renders live without pinging: a channel link `<#id>`, a command `</papers today:id>`, a
# timestamp `<t:0:R>`, a server page `<id:customize>`.
_LIVE = re.compile(r"<(?=#\d|/[\w-]+(?: [\w-]+)*:\d|t:-?\d|id:)")
_BRACKET = re.compile(r"\\*([\[\]])")


def unmentioned(text: str) -> str:
    """discord.py's escape_mentions (a zero-width space after the @), and `<@` before any number too:
    escape_mentions only knows ids of 17 to 20 digits; and a zero-width space after the `<` of the
    markup Discord shows live (a channel's link, a command's, a timestamp)."""
    return _LIVE.sub("<\u200b", _ANY_ID.sub("<@\u200b", escape_mentions(text)))


_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def prose(text: str) -> str:
    """The core's own sentences, which may quote input: inert like `clean`, but `code` spans stay code
    (as typed: Discord shows an escape inside one as a backslash) and its line breaks stay (a reading
    list's lines). No ping gets through either."""
    return "\n".join(
        "".join(unmentioned(part) if _CODE_SPAN.fullmatch(part) else _between(part) for part in _CODE_SPAN.split(line))
        for line in text.split("\n")
    )


def _between(words: str) -> str:
    """Words between code spans, inert (`clean`), with the spaces that part them from the spans."""
    if not words.strip():
        return " " if words else ""
    return (" " if words[0].isspace() else "") + clean(words) + (" " if words[-1].isspace() else "")


def said(text: str) -> str:
    """A sentence of ours that may quote a paper's title, as a message's content: inert (`prose`) and
    within Discord's 2,000 characters."""
    return cut(prose(text), CONTENT)


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with "…", never leaving a dangling escape backslash."""
    head = word_head(text, limit)
    return text if head is None else head.rstrip("\\ ") + "…"


def thread_name(title: str) -> str:
    name = cut(" ".join(title.split()), THREAD_NAME)
    return name if name.strip("… ") else "Paper"


def web_url(url: str | None) -> str | None:
    """An http(s) URL Discord accepts for a link, an embed or a thumbnail; None for anything else."""
    if not url or len(url) > URL_CHARS or not url.lower().startswith(("https://", "http://")):
        return None
    # No spaces or parentheses to end a masked link early, no `@` to read as a mention.
    return quote(url, safe=":/?#[]!$&'*+,;=%~-._")


def link(target: Link) -> str:
    label = unmentioned(escape_markdown(target.label).replace("[", "(").replace("]", ")"))
    url = web_url(target.url)
    return f"[{label}]({url})" if url else label


def card_embed(card: Card) -> discord.Embed:
    """Title, linked; the summary and the links as description; authors, organization and votes as fields.

    The description gets what the rest leaves of the 6,000 characters, the links kept whole."""
    rank = f"{card.rank}. " if card.rank else ""
    embed = discord.Embed(title=cut(rank + title(card), TITLE), url=web_url(card.url), colour=COLOUR)
    embed.add_field(name="Authors", value=cut(clean(card.authors), FIELD_VALUE) or "—", inline=False)
    if card.organization and card.organization.strip():
        embed.add_field(name="Organization", value=cut(clean(card.organization), FIELD_VALUE), inline=True)
    embed.add_field(name="Votes", value=f"▲ {card.upvotes} · 💬 {card.comments}", inline=True)
    thumbnail = web_url(card.thumbnail)
    if thumbnail:
        embed.set_thumbnail(url=thumbnail)
    links = joined([link(x) for x in card.links], FIELD_VALUE)
    room = min(DESCRIPTION, TOTAL - len(embed)) - len(links) - 2
    summary = cut(clean(card.summary), room) if room > 1 else ""
    embed.description = "\n\n".join(p for p in (summary, links) if p) or None
    return embed


def title(card: Card) -> str:
    """A title as plain words (`clean`): embed titles don't ping, but Discord reads markdown in them, so
    "Q*: … *Agents*" lost its asterisks to italics and "`__init__`" to underlining."""
    return clean(card.title) or card.paper_id


def seed_embed(card: Card) -> discord.Embed:
    """The thread's first message: the abstract as description, the other sections as fields.

    Within 6,000 characters: the abstract keeps up to ABSTRACT_ROOM of them, fields that would
    not fit are left out, and the abstract then gets what the fields left."""
    embed = discord.Embed(title=cut(title(card), TITLE), url=web_url(card.url), colour=COLOUR)
    abstract = next((clean(s.text) for s in card.thread if s.title == "Abstract"), "")
    reserved = min(len(abstract), ABSTRACT_ROOM)
    for section in card.thread:
        if section.title == "Abstract":
            continue
        value = joined([link(x) for x in section.links], FIELD_VALUE) if section.links else clean(section.text)
        name, value = cut(clean(section.title), FIELD_NAME) or "—", cut(value, FIELD_VALUE) or "—"
        if len(embed.fields) == FIELDS or len(embed) + len(name) + len(value) > TOTAL - reserved:
            break
        embed.add_field(name=name, value=value, inline=False)
    room = min(DESCRIPTION, TOTAL - len(embed))
    if abstract and room > 1:
        embed.description = cut(abstract, room)
    return embed


def header_message(post: Post) -> Message:
    header = clean(post.header)
    lines = [f"**{header}**" if header else ""]
    if post.subheader:
        lines.append(prose(post.subheader))
    if not post.cards and post.empty:
        lines.append(prose(post.empty))
    text = "\n".join(line for line in lines if line)
    return Message(content=cut(text, CONTENT) or EMPTY)


def attachments(message: Message) -> list[discord.File]:
    """The message's files as discord.py sends them."""
    return [discord.File(io.BytesIO(text.encode()), filename=name) for name, text in message.files]


def post_message(post: Post, *, share: bool = False) -> Message:
    """A whole post as one message: text in the content, cards as embeds, all within the limits;
    "…and N more" ends it when not every card fits; code it cannot hold whole goes as the post's
    `file`, attached, when it names one (`@paperboy cite A … J`: it lost six entries of ten)."""
    if goes_as_file(post, lambda: _message(post, share=share, note=False, single=True)[1]) and post.code and post.file:
        return attached(post, post.code, post.file, share=share)
    return _message(post, share=share, note=True, single=True)[0]


def post_messages(post: Post, *, share: bool = False) -> list[Message]:
    """A whole post as the messages it needs (answers to `/papers`: ten cards a message, a long reading
    list in pieces of its lines), at most `MOST_MESSAGES`; code one message cannot hold whole goes as
    the post's `file`, attached, when it names one (a reading list's BibTeX, all of it)."""
    if goes_as_file(post, lambda: _message(post, share=share, note=False)[1]) and post.code and post.file:
        return [attached(post, post.code, post.file, share=share)]
    return in_messages(post, lambda part, last: _message(part, share=share, note=last))


def attached(post: Post, code: str, name: str, *, share: bool = False) -> Message:
    """The post's header and text (and cards, with `share` their Share buttons), with its code as a file of
    this name."""
    message = _message(replace(post, code=None, footer=None), share=share, note=True)[0]
    entries = len(entries_of(code))
    message.content = cut(f"{message.content}\nAll {entries} entries are in the attached `{name}`.", CONTENT)
    message.files.append((name, code))
    return message


def _message(post: Post, *, share: bool, note: bool, single: bool = False) -> tuple[Message, Shown]:
    """One message of the post, and how much of it the message holds: the text's paragraphs and then
    the code in the content (2,000 characters), then the cards as embeds; `note`: a last line saying
    what was left out. The footer goes under the last message. `single`: the post's one message (a
    thread's answer), its text cut to fit rather than left for a next message."""
    message = header_message(post)
    footer = f"\n{prose(post.footer)}" if post.footer else ""
    content = message.content
    paragraphs = 0
    for paragraph in post.text:
        piece = prose(paragraph)
        if paragraphs and not single and len(content) + 1 + len(piece) > CONTENT - NOTE_ROOM - len(footer):
            break
        content += "\n" + piece
        paragraphs += 1
    entries = 0
    room = CONTENT - NOTE_ROOM - len(footer) - len(content) - 10  # the fence and newlines
    if post.code and paragraphs == len(post.text) and (room >= CODE_ROOM or not paragraphs):
        code, entries = code_head(post.code, max(room, CODE_ROOM), note=note, file=post.file)
        content += f"\n```\n{unmentioned(unfenced(code))}\n```"
    total = 0
    if paragraphs == len(post.text) and entries == len(entries_of(post.code)):
        for card in post.cards[:MAX_EMBEDS]:
            embed = fit(card_embed(card))
            if total + len(embed) > TOTAL:
                break
            total += len(embed)
            message.embeds.append(embed)
            named = " ".join(card.title.split()) or card.paper_id  # a blank title read "Share:    "
            if share:
                message.shares.append((card.paper_id, cut(f"Share: {named}", 80)))
            message.saves.append((card.paper_id, cut(f"Save: {named}", 80)))
    shown = Shown(paragraphs, entries, len(message.embeds))
    left = left_out(post, shown) if note else None
    if left:
        content += f"\n{left}"
    if footer and (note or holds_all(post, shown)):
        content += footer
    message.content = cut(content, CONTENT) if len(content) <= CONTENT or not post.code else _code_fit(content)
    return message, shown


def _code_fit(content: str) -> str:
    """A long code block cut inside its fence, so the fence still closes."""
    return content[: CONTENT - 5].rstrip() + "\n```"


def fit(embed: discord.Embed) -> discord.Embed:
    """Shrink the description until the embed alone is within the 6000-character total."""
    excess = len(embed) - TOTAL
    if excess > 0 and embed.description:
        embed.description = cut(embed.description, max(len(embed.description) - excess - 1, 1))
    return embed
