"""Typed text as its characters and words read: full-width and invisible characters, polite words around a
command, quoted runs, and whether a text only names papers."""

from __future__ import annotations

import re

from bot.domain.errors import UsageError
from bot.domain.ids import is_arxiv_id, papers_named
from bot.domain.models import ZERO_WIDTH_CHARS

# `please subscribe …`, `follow diffusion please`, `can you show today`: the command, not a word of its topic
POLITELY = re.compile(
    r"\A(?:(?:please|pls|plz|hey|hi|ok|okay)[,!]?\s+|(?:can|could|would|will)\s+you\s+(?=\S+\s+\S))+"
    r"|(?:[\s,]+(?:please|pls|plz|thanks|thank\s+you|thx))+[.!]*\Z",
    re.IGNORECASE,
)


# a word after `subscribe` or `follow` that names no topic but asks to stop, to be shown, or for help (`subscribe
# stop`, `follow list`, `subscribe help`: each was saved as a topic)
STOP_SAID = frozenset({"stop", "cancel", "pause", "off", "none", "no", "nothing", "end", "unsubscribe"})
SHOW_SAID = frozenset({"status", "settings", "info", "show", "details", "list", "current", "mine"})
HELP_SAID = frozenset({"help", "?", "-h", "--help", "usage", "how"})

POLITE_WORDS = frozenset(  # words around `unsubscribe` that name no topic (`unsubscribe me from this channel`)
    {"please", "pls", "plz", "now", "all", "everything", "here", "this", "that", "the", "channel", "me", "us",
     "my", "our", "from", "of", "it", "thanks", "thank", "you", "ok", "okay", "digest", "digests", "daily",
     "weekly", "roundup", "papers", "paperboy", "bot", "anymore", "any", "more", "stop", "topics", "today",
     "immediately"}
)  # fmt: skip


_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}  # `ａ`→`a`, `１`→`1`, `：`→`:`

_INVISIBLE = re.compile(f"[{ZERO_WIDTH_CHARS}]")  # soft hyphen, zero-width space, joiners, BOM


def plain_text(text: str) -> str:
    """The text as its characters read: full-width letters and digits as ASCII (`２６０８．１９８８０`, `０９：００`),
    and without the invisible characters a paste carries (`dif\u200bfusion` matched nothing, unsaid)."""
    return _INVISIBLE.sub("", text.translate(_FULL_WIDTH))


_ID_WORDS = frozenset(
    {"arxiv", "paper", "papers", "and", "id", "ids", "pdf", "link", "show", "me", "open", "the", "this", "that"}
    | {"what", "what's", "whats", "is", "about", "info", "details", "please", "pls", "look", "up", "tell"}
)


def only_ids(text: str) -> bool:
    """Whether the text names papers and nothing else: each word an id or a link (`papers_named`), or one of
    `_ID_WORDS` (`arXiv 2406.12345`, `2406.12345 and 2406.54321`); searched for, it found nothing."""
    words = (w.strip(".,;:!?()[]<>\"'“”").lower() for w in text.split())
    return all(not w or w in _ID_WORDS or papers_named(w) for w in words)


def names_a_paper(text: str) -> bool:
    """Whether the text is one paper's arXiv id, or a link to an arXiv or Hugging Face page (which
    the catalog then reads or refuses in its own words)."""
    return is_arxiv_id(text) or any(site in text for site in PAPER_SITES)


PAPER_SITES = ("arxiv.org/", "huggingface.co/", "hf.co/", "alphaxiv.org/", "ar5iv.org/")

_TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


def tokens_of(text: str) -> list[tuple[str, bool]]:
    """Each word, or each quoted run ("…" or “…”), with whether it was quoted."""
    found = []
    for match in _TOKEN.finditer(text):
        plain, quoted = match.group(3), match.group(1) if match.group(1) is not None else match.group(2)
        found.append((plain, False) if plain is not None else (quoted or "", True))
    return found


_QUOTES = ('"', "“", "”")


def closed_quotes(text: str) -> None:
    """Raise UsageError where a word starts a quote that no quote mark after it closes (`subscribe
    "diffusion`), or ends one that no quote mark before it opens (`subscribe diffusion" robotics`): the
    quote would otherwise be saved as part of the topic. Mixed marks (`“diffusion"`,
    autocorrect's) are left as they were read."""
    for match in _TOKEN.finditer(text):
        token = match.group(3)
        if token is not None and token[:1] in _QUOTES and not any(q in text[match.start() + 1 :] for q in _QUOTES):
            raise UsageError(f'the quote before “{token[1:41]}” is not closed: close it ("…") or leave it out')
        if token is not None and token[:1] not in _QUOTES and _opens_nowhere(text[: match.end()]):
            raise UsageError(
                f'the quote after “{token[-41:-1]}” opens nowhere: put one before the words ("…") or leave it out'
            )


def _opens_nowhere(text: str) -> bool:
    """Whether the quote mark `text` ends with closes no quote opened before it (`diffusion" robotics`);
    one opened inside a word closes it (`author:"Hamed Zamani"`)."""
    before, last = text[:-1], text[-1:]
    if last == '"':
        return before.count('"') % 2 == 0
    return last == "”" and before.count("“") <= before.count("”")


def close_part(words: list[str], topics: list[str]) -> None:
    if words:
        topics.append(" ".join(words))
        words.clear()


def add_token(token: str, words: list[str], parts: list[str]) -> None:
    """An unquoted token's words to the part being read: a comma or a semicolon ends the part (`diffusion;
    robotics`)."""
    for piece in re.split(r"([,;])", token):
        if piece in (",", ";"):
            close_part(words, parts)
        elif piece:
            words.append(piece)
