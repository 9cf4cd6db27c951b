"""A neutral Post as Slack Block Kit: pure functions that escape every untrusted string and respect the limits.

Escaping: `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;` (ampersand first, exactly once), in mrkdwn
and plain_text alike, so a title carrying `<!channel>`, `<@U123>` or `<https://evil|innocent>`
renders as inert text. Text is escaped
before it is cut, and never cut inside an entity. Limits (slack_sdk's validators): 50 blocks a
message, 3000 characters a section, 150 a header, 10 context elements, 75 a button label.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from bot.domain.cards import joined, word_head
from bot.domain.post import (
    Card,
    Link,
    Post,
    Section,
    Shown,
    code_head,
    entries_of,
    goes_as_file,
    holds_all,
    in_messages,
    left_out,
    unfenced,
)
from bot.domain.words import counted

Block = dict[str, Any]

MAX_BLOCKS = 50
MESSAGE_CHARS = 12_000  # a message's text in all: Slack refuses much longer ones (msg_blocks_too_long)
SECTION_CHARS = 3000
CODE_CHARS = SECTION_CHARS - 6  # a code block's text once escaped (`&` becomes five characters), inside its fences
HEADER_CHARS = 150
CONTEXT_ELEMENTS = 10
BUTTON_CHARS = 75
FALLBACK_CHARS = 3000
TITLE_CHARS = 500  # a title inside its link: cut before linking, so a section cut never opens a link it can't close
URL_CHARS = 1000  # a longer "URL" is shown as its label only
SHARE_ACTION = "share_paper"
SAVE_ACTION = "save_paper"  # the Save button: the paper goes on the clicker's reading list


_CUT_ENTITY = re.compile(r"&[a-z]{0,3}\Z")  # the head of an `&amp;`, `&lt;` or `&gt;` that a cut left


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What a person typed, from the text Slack sends (a command's, a message's), where it wrote `&`, `<`
    and `>` as `&amp;`, `&lt;` and `&gt;`: `R&amp;D` is the topic R&D. Its own markup (`<@U…>`) stays."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with "…", never inside an `&…;` entity."""
    head = word_head(text, limit)
    if head is None:
        return text
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    return head.rstrip() + "…"


def plain(text: str, limit: int) -> str:
    """plain_text is not parsed as mrkdwn, but Slack reads its `&`, `<`, `>` entities like any text:
    escape it all the same, so no raw `<!channel>` ever leaves the bot."""
    return cut(escape(" ".join(text.split())), limit)


def safe_url(url: str) -> str:
    """A URL fit for `<url|label>`: no `|`, `<`, `>` or spaces to break out of the link."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def linkable(url: str) -> bool:
    """Only http(s) links: `<!channel|Code>` or `<@U123|Code>` from a paper's "repository" would ping."""
    return url.lower().startswith(("https://", "http://")) and len(url) <= URL_CHARS


def linked(url: str, label: str) -> str:
    """`label` (escaped) linked to `url`, or the label alone when the URL is not one to link."""
    return f"<{safe_url(url)}|{label}>" if linkable(url) else label


def link(target: Link) -> str:
    return linked(target.url, escape(target.label))


# no braces or backslash: LaTeX's \url{…} and \href{…}{…}, as abstracts have them, around an address; no
# backtick, which no URL holds unencoded and which closes an inline command (`paper https://…`)
_URL = re.compile(r"https?://[^\s<>|{}\\`]+", re.IGNORECASE)
_SENTENCE_END = ".,;:!?)]'\"”’»›」』"  # a sentence's punctuation, and closing quotes of every kind


def _address(found: str) -> str:
    """A URL without the sentence's punctuation after it; a closing bracket stays when the URL opened
    one (`https://en.wikipedia.org/wiki/Transformer_(machine_learning)`)."""
    url = found.rstrip(_SENTENCE_END)
    while found[len(url) : len(url) + 1] == ")" and url.count("(") > url.count(")"):
        url += ")"
    return url


def linkified(text: str, room: int = SECTION_CHARS) -> str:
    """`text` escaped, with its http(s) addresses made links. A mrkdwn object here is `verbatim`, so
    that nothing in a paper's text becomes a mention, and that also keeps Slack from linking bare URLs:
    an answer's "Code: https://…" would not be clickable. Text longer than `room` (what is left of its
    section) is only escaped: a cut must not open a link it cannot close."""
    parts: list[str] = []
    done = 0
    for match in _URL.finditer(text):
        url = _address(match.group(0))
        parts += [escape(text[done : match.start()]), f"<{safe_url(escape(url))}>" if linkable(url) else escape(url)]
        done = match.start() + len(url)
    parts.append(escape(text[done:]))
    joined_up = "".join(parts)
    return joined_up if len(joined_up) <= room else escape(text)


def mrkdwn(text: str) -> Block:
    return {"type": "section", "text": _text(text)}


def context(*parts: str) -> Block:
    return {"type": "context", "elements": [_text(p) for p in parts[:CONTEXT_ELEMENTS]]}


def _text(text: str) -> dict[str, object]:
    """A mrkdwn text object, `verbatim`: Slack then parses nothing in it beyond our own markup (no
    word of a paper's text is turned into a mention or a link; ours are written as <url|label>)."""
    return {"type": "mrkdwn", "text": cut(text, SECTION_CHARS), "verbatim": True}


def card_blocks(card: Card, *, share: bool = False) -> list[Block]:
    """A paper's card: linked title, byline, votes, one-line summary, links; a Save button, and a Share button
    when asked."""
    byline = escape(card.authors) + (f" · {escape(card.organization)}" if card.organization else "")
    votes = f"▲ {counted(card.upvotes, 'upvote')} · 💬 {card.comments}"
    rank = f"{card.rank}. " if card.rank else ""
    title = cut(escape(" ".join(card.title.split())), TITLE_CHARS) or card.paper_id
    lines = [f"{rank}*{linked(card.url, title)}*", byline, votes]
    if card.summary:
        lines.append(escape(card.summary))
    blocks = [mrkdwn("\n".join(lines))]
    if card.links:
        blocks.append(context(joined([link(x) for x in card.links], SECTION_CHARS)))
    buttons = [button(SHARE_ACTION, "Share in channel", card.paper_id)] if share else []
    buttons.append(button(SAVE_ACTION, "Save", card.paper_id))
    block_id = f"{'share' if share else 'save'}:{card.paper_id}"[:255]
    blocks.append({"type": "actions", "block_id": block_id, "elements": buttons})
    return blocks


def button(action: str, label: str, value: str) -> Block:
    return {
        "type": "button",
        "action_id": action,
        "text": {"type": "plain_text", "text": plain(label, BUTTON_CHARS)},
        "value": value,
    }


def section_blocks(section: Section) -> list[Block]:
    title = cut(escape(" ".join(section.title.split())), TITLE_CHARS)
    room = SECTION_CHARS - len(title) - 3  # what the section has left after "*title*\n"
    body = linkified(section.text, room)  # an abstract's addresses, clickable (verbatim text is never linked)
    if section.links:
        body = joined([link(x) for x in section.links], room)
    return [mrkdwn(f"*{title}*\n{body}")]


def thread_blocks(card: Card) -> tuple[str, list[Block]]:
    """The thread's seed: abstract, AI summary, keywords, authors and links, one section each."""
    blocks = [block for section in card.thread for block in section_blocks(section)]
    return fallback(f"About {card.title}"), blocks[:MAX_BLOCKS]


def card_message(card: Card, *, share: bool = False) -> tuple[str, list[Block]]:
    votes = counted(card.upvotes, "upvote")  # what a notification shows
    return fallback(f"{card.title} ({votes}) {card.url}"), card_blocks(card, share=share)


def header_message(post: Post) -> tuple[str, list[Block]]:
    """A digest's header: the header, the line under it, and the note when there are no papers."""
    header = plain(post.header, HEADER_CHARS) or "paperboy"  # Slack refuses an empty text object
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text", "text": header}}]
    if post.subheader:
        blocks.append(context(escape(post.subheader)))
    if not post.cards and post.empty:
        blocks.append(mrkdwn(escape(post.empty)))
    return fallback(post.header + (f" — {post.subheader}" if post.subheader else "")), blocks


def post_message(post: Post, *, share: bool = False) -> tuple[str, list[Block]]:
    """A whole post in one message (answers to mentions), trimmed to fit 50 blocks: "…and N more"
    ends it when not every card fits."""
    return _message(post, share=share, note=True)[0]


def post_messages(post: Post, *, share: bool = False) -> list[tuple[str, list[Block]]]:
    """A whole post as the messages it needs (answers to `/papers`: a `today` of 23 papers takes two,
    a long reading list as many), at most `MOST_MESSAGES`."""
    return in_messages(post, lambda part, last: _message(part, share=share, note=last))


def too_long(post: Post) -> bool:
    """Whether the post names a file for its code (`Post.file`) that one message cannot hold whole."""
    return goes_as_file(post, lambda: _message(post, share=False, note=False)[1])


def _message(post: Post, *, share: bool, note: bool) -> tuple[tuple[str, list[Block]], Shown]:
    """One message of the post, and how much of it the message holds: the text's paragraphs (a section
    each, `MESSAGE_CHARS` of them at most), then the code, then the cards, as many as 50 blocks take;
    `note`: a last line saying what was left out. The footer goes under the last message."""
    text, blocks = header_message(post)
    if post.text and post.text[0].strip():  # the notification says what the answer says, not "paperboy" alone
        head = post.header + (f" — {post.subheader}" if post.subheader else "")
        text = fallback(f"{head}: {post.text[0]}" if head.strip() not in ("", "paperboy") else post.text[0])
    room = MAX_BLOCKS - 1 - (1 if post.footer else 0)  # places kept for the "more" line and the footer
    paragraphs, size = 0, 0
    while paragraphs < len(post.text) and len(blocks) < room:
        if post.text[paragraphs].strip():
            block = mrkdwn(linkified(post.text[paragraphs]))
            size += len(block["text"]["text"])
            if paragraphs and size > MESSAGE_CHARS:
                break
            blocks.append(block)
        paragraphs += 1
    entries = 0
    if post.code and paragraphs == len(post.text) and len(blocks) < room:
        # measured escaped, so that the section's cut never takes the closing fence
        code, entries = code_head(escape(unfenced(post.code)), CODE_CHARS, note=note, file=post.file)
        code = _CUT_ENTITY.sub("", code)  # an entry cut to fit: never half of an `&lt;`
        blocks.append(mrkdwn(f"```{code}```"))
    cards = 0
    if paragraphs == len(post.text) and entries == len(entries_of(post.code)):
        for position, card in enumerate(post.cards):
            more = [{"type": "divider"}, *_numbered(card_blocks(card, share=share), position)]
            if len(blocks) + len(more) > room:
                break
            blocks += more
            cards += 1
    shown = Shown(paragraphs, entries, cards)
    left = left_out(post, shown) if note else None
    if left:
        blocks.append(context(left))
    if post.footer and (note or holds_all(post, shown)):
        blocks.append(mrkdwn(linkified(post.footer)))
    return (text, blocks[:MAX_BLOCKS]), shown


def _numbered(blocks: list[Block], position: int) -> list[Block]:
    """A card's blocks with block ids unique in its message: a post may show one paper twice, and Slack
    refuses a message that names one block id twice. The first card keeps its plain ids."""
    if not position:
        return blocks
    return [{**b, "block_id": f"{b['block_id']}:{position}"[:255]} if b.get("block_id") else b for b in blocks]


def fallback(text: str) -> str:
    """The notification text every message carries: escaped like everything else, never empty, and with no
    backticks (a notification shows them as typed)."""
    return cut(escape(" ".join(text.replace("`", "").split())), FALLBACK_CHARS) or "paperboy"
