"""A digest's filters as people write them: topics, `-exclusions` and `author:NAME`, one entry each.

A subscription's (or a follow's) `topics` hold these entries as typed, each one of three kinds:

    diffusion models       a topic: a paper on it (every word matches) is in
    author:LeCun           an author: a paper with an author whose name has its words is in
    -robotics              an exclusion: a paper on it is out, whatever else it matches

A paper is in the digest when it is on one of the topics or by one of the authors (every paper, when
there are neither), and on none of the exclusions. Names are compared case- and accent-insensitively:
`author:lecun` matches Yann LeCun, `author:Gonzalez` matches González, and a name may be quoted
(`author:"Hamed Zamani"`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.ids import is_arxiv_id, paper_url_id
from bot.domain.words import PLAIN, as_ours, in_another_script, says_nothing

_LINK = re.compile(r"\b(?:https?://|www\.)\S", re.IGNORECASE)

AUTHOR = "author:"
_EXCLUDED = re.compile(r"-(?=\w|[\"“‘«„])")  # a word starting with a dash and a letter, digit or quote: `-robotics`
_EXCLUSION = re.compile(
    r'(?<!\S)-(?:"[^"]*"|“[^”]*”|‘[^’]*’|«[^»]*»|„[^“”]*[“”]|\w\S*)'
)  # `-robotics`, `-"image editing"`
AUTHOR_AT = re.compile(r"(?i)(?:^|\s)authors?:")  # `authors:LeCun`, as some search forms write it
_AUTHOR_LEFT_OUT = re.compile(r"(?i)(?<!\S)-authors?:")  # `-author:LeCun`: no filter leaves out an author
# a person named as people ask for their papers, at the end of a text: `papers by Yann LeCun`, `by Kaiming He`
_NAME_PART = r"[A-Z][^\s,;:!?\"“]*"
BY_NAME = re.compile(rf"(?:\A|\s)(?i:(?:papers?\s+)?by)\s+({_NAME_PART}(?:\s+{_NAME_PART}){{0,3}})[?!.]?\s*\Z")
# …and before `'s papers` (`LeCun's papers`, `Yann LeCun’s work`)
_NO_ONE = r"(?!(?i:today|yesterday|tomorrow|this|last|next|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)"  # a day's
NAMES_PAPERS = re.compile(rf"\A{_NO_ONE}({_NAME_PART}(?:\s+{_NAME_PART}){{0,3}})['’]s?\s+(?i:papers?|work)[?!.]?\s*\Z")
# …and after the word `author` (`author LeCun`, `author Yann LeCun`; not `author attribution`, nor `Author Name
# Disambiguation`, topics)
_AUTHOR_NAMED = re.compile(rf"\Aauthors?\s+({_NAME_PART}(?:\s+{_NAME_PART}){{0,3}})\s*\Z")


@dataclass(frozen=True)
class Filters:
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # as typed (shown to people); `fold` them to compare
    excluded: tuple[str, ...] = ()

    @property
    def left_out(self) -> tuple[str, ...]:
        """The exclusions as said back to people: a phrase without its quotes (`-"image editing"`)."""
        return tuple(_unquoted(e) for e in self.excluded)

    @property
    def narrowed(self) -> bool:
        """Whether only some papers are wanted (topics or authors), not every paper but the excluded."""
        return bool(self.topics or self.authors)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # `King Jr.` is King's, written with it or not


def fold(text: str) -> str:
    """Text to compare names by: accents dropped, case folded, spaces squashed (“Gonzàlez” → “gonzalez”,
    “Łukasz” → “lukasz”)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(PLAIN))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def by_author(authors: Iterable[str], name: str) -> bool:
    """Whether one of `authors` has every word of `name` in their name, as whole words in any order
    (case- and accent-insensitive): `Han` is Rujun Han's, not Zhang's; `Zhang Wei` is Wei Zhang's;
    `Yann LeCun` is Yann A. LeCun's. An initial stands for a word it begins (`Y. LeCun`), and `Jr.`
    may be left out of either."""
    typed = [token.rstrip(".") for token in name.split()]
    initials = [fold(t) for t in typed if len(t) == 1 and t.isalpha()]  # typed on its own: `Y.`, not D'Alessandro's
    words = [w for w in _name_words(" ".join(t for t in typed if len(t) != 1 or not t.isalpha())) if w not in _SUFFIXES]
    return bool(words) and any(_has_words(_name_words(author), words, initials) for author in authors)


def _has_words(words: list[str], wanted: list[str], initials: list[str]) -> bool:
    """Whether `words` hold every wanted word (`Yang Yang` is two Yangs, not any Yang), then a word for
    each initial that it begins."""
    left = Counter(words)
    for word in wanted:
        if left[word] <= 0:
            return False
        left[word] -= 1
    for initial in initials:
        found = next((w for w in sorted(left) if left[w] > 0 and w.startswith(initial)), None)
        if found is None:
            return False
        left[found] -= 1
    return True


def _name_words(name: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(name))


def kind(entry: str) -> tuple[str, str]:
    """("topic" | "author" | "excluded", the words): what one stored entry asks for."""
    if entry[:7].lower() == AUTHOR:
        return "author", " ".join(_unquoted(entry[7:].strip()).split())
    if _EXCLUDED.match(entry):
        return "excluded", " ".join(entry[1:].split())
    return "topic", " ".join(entry.split())


_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“”", "‚": "‘’", "»": "«", "”": "”", "’": "’"}
_PHRASE_QUOTES = ('"', "“")  # what a search reads as a phrase's: the others' are said as these
_SENTENCE_END = re.compile(
    r"(?<=\S)\s*[.!?]+\Z"
)  # `follow RL.`, `diffusion!!!`, `"RL".`: the sentence's, not the topic's


def _unquoted(name: str) -> str:
    """A name without the quotes around it (`author:"Hamed Zamani"`, as search takes it too)."""
    if len(name) >= 2 and name[-1] in _QUOTES.get(name[0], ""):
        return name[1:-1]
    return name


def unquoted(text: str) -> str:
    """Typed words without the quotes of any style around them all (`“world models”`, `‘agents’`, `«RL»`)."""
    return _unquoted(text.strip())


def entry_key(entry: str) -> str:
    """What an entry is compared by: its kind and words, folded, without quotes around them nor a
    sentence's end, so that `author:"Ann Lee"` is `author:Ann Lee`, `“World Models”` is `world models`
    and `RL.` is `RL`."""
    what, words = kind(entry)
    key = fold(_bare(words))
    return {"author": AUTHOR + key, "excluded": "-" + key}.get(what, key)


def _bare(text: str) -> str:
    """Typed words without a sentence's end (`RL.`, `"RL".`) nor quotes of any style around them all
    (`‘world models’`, `„agents“`, `«RL»`: a search would look for the marks), blanks squashed."""
    return " ".join(_SENTENCE_END.sub("", _unquoted(_SENTENCE_END.sub("", text).strip())).split())


def _as_stored(typed: str) -> str:
    """A typed topic or author's name as it is kept (`_bare`); as typed when nothing is left (`‘’`, refused
    then)."""
    return _bare(typed) or typed


def _excluded_as_stored(excluded: str) -> str:
    """An exclusion as kept: a phrase in a search's quotes as typed (`-"image editing"`), one in other
    quotes in a search's (`-‘image editing’`), a word without the sentence's end (`-robotics.`)."""
    inner = excluded[1:]
    if inner[:1] in _PHRASE_QUOTES:
        return excluded
    stored = _as_stored(inner)
    return f"-“{stored}”" if inner[:1] != stored[:1] and " " in stored else f"-{stored}"


def split_filters(entries: Sequence[str]) -> Filters:
    found: dict[str, list[str]] = {"topic": [], "author": [], "excluded": []}
    for entry in entries:
        what, words = kind(entry)
        if words:
            found[what].append(words)
    return Filters(tuple(found["topic"]), tuple(found["author"]), tuple(found["excluded"]))


def split_entry(text: str) -> list[str]:
    """One typed entry as the entries it holds: each `-word` is an exclusion of its own, the other
    words from `author:` on are one author's name, and the words before it are a topic.

    `diffusion -robotics -audio` → ["diffusion", "-robotics", "-audio"];
    `diffusion -"image editing"` and `diffusion NOT "image editing"` → ["diffusion", '-"image editing"'];
    `author:Yann LeCun` → ["author:Yann LeCun"]; `vision-language` stays one topic.
    """
    text = as_ours(text)  # `diffusion NOT video`, `title:diffusion`: as a search reads them
    if (left_out := _AUTHOR_LEFT_OUT.search(text)) is not None:  # it was split into a topic and a word left out
        raise no_author_left_out(text[left_out.end() :])
    excluded = [" ".join(found.split()) for found in _EXCLUSION.findall(text)]
    rest = " ".join(_EXCLUSION.sub(" ", text).split()).strip(".!? ")  # `-«RL».`: the sentence's end alone is none
    entries: list[str] = []
    at = AUTHOR_AT.search(rest)
    topic, author = (rest[: at.start()].strip(), rest[at.end() :].strip()) if at else (rest, None)
    by = (
        (BY_NAME.match(topic) or NAMES_PAPERS.match(topic) or _AUTHOR_NAMED.match(topic))
        if topic and not author
        else None
    )
    if by is not None:  # `papers by Yann LeCun`, `author LeCun`: found none of his papers (a topic is what
        topic, author = "", " ".join(by[1].split())  # papers are about)
    if topic:
        entries.append(_as_stored(topic))
    entries += [_excluded_as_stored(e) for e in excluded]
    if author is not None:  # `author:"Ann Lee"`, `author:Ann Lee.`: `author:Ann Lee`
        entries.append(AUTHOR + _as_stored(author))
    return entries


def no_author_left_out(name: str) -> ValueError:
    """What to say of `-author:NAME`: a digest leaves out topics, not authors (it saved the topic “agents
    Huang” and left out the word “author:Chengsong”)."""
    name = _as_stored(" ".join(name.split())) or "NAME"
    return ValueError(
        f"“-author:{name}”: a digest can leave out topics (such as -robotics), not an author's papers;"
        " name the authors you want instead (author:NAME)"
    )


def check_entry(entry: str) -> str:
    """An entry with its words squashed; a ValueError, in words, for an `author:` without a name."""
    what, words = kind(entry)
    if what == "author" and not words:
        raise ValueError("`author:` needs a name after it, such as author:LeCun or author:Yann LeCun")
    if what == "excluded" and (left_out := _AUTHOR_LEFT_OUT.match("-" + words)) is not None:  # a config file's
        raise no_author_left_out(words[left_out.end() - 1 :])
    would = "match no paper" if what == "topic" else "leave out no paper"
    if what != "author" and says_nothing(words):
        raise ValueError(
            f"“{words}” has only words every search leaves out (such as the, of, new, and single letters), so it"
            f" would {would}: write the words that matter"
        )
    if what != "author" and (is_arxiv_id(words) or paper_url_id(words)):
        raise ValueError(
            f"“{words}” names a paper, not a topic: a topic is words the papers hold"
            f" (`paper {words}` shows that paper, `save {words}` keeps it)"
        )
    if what != "author" and _LINK.search(words):
        raise ValueError(f"“{words}” is a link, not a topic: a topic is words the papers hold, such as “diffusion”")
    if what != "author" and in_another_script(words):
        raise ValueError(
            f"“{words}” would {would}: the papers are in English, and are found by their English words; "
            "give it in English"
        )
    return {"topic": words, "author": AUTHOR + words, "excluded": "-" + words}[what]


_TWO_JOINED = re.compile(r"(?i)\A([^\s,]+) (?:and|&) ([^\s,]+)\Z")  # `diffusion and robotics`


def joined(topics: Sequence[str]) -> tuple[str, ...]:
    """What to say of a topic of two words joined by `and` (`diffusion and robotics`): one topic, its
    papers on both, where people often meant two (papers on either)."""
    return tuple(
        f"“{topic}” is one topic: papers on both “{both[1]}” and “{both[2]}”. For papers on either, separate"
        " them with a comma."
        for topic in topics
        if (both := _TWO_JOINED.match(topic)) is not None and kind(topic)[0] == "topic"
    )


def describe(entries: Sequence[str]) -> str:
    """The filters in words: “diffusion”, “robots”, by “LeCun”, leaving out “robotics”."""
    filters = split_filters(entries)
    wanted = [f"“{t}”" for t in filters.topics] + [f"by “{a}”" for a in filters.authors]
    text = ", ".join(wanted) if wanted else "all papers"
    if filters.excluded:
        text += ", leaving out " + " and ".join(f"“{e}”" for e in filters.left_out)
    return text


def sought(entries: Sequence[str]) -> str:
    """What a paper would have to be, as the end of “None of the papers … is _”: on “diffusion” or
    “robots”, by “LeCun”, and with what is left out said last."""
    filters = split_filters(entries)
    wanted = [f"on {' or '.join(f'“{t}”' for t in filters.topics)}"] if filters.topics else []
    wanted += [f"by {' or '.join(f'“{a}”' for a in filters.authors)}"] if filters.authors else []
    said = " or ".join(wanted) if wanted else "left"
    if filters.excluded:
        verb = "is" if len(filters.excluded) == 1 else "are"
        said += ", once " + " and ".join(f"“{e}”" for e in filters.left_out) + f" {verb} left out"
    return said
