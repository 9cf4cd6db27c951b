"""A search query, parsed: term groups (an acronym and its expansion count as one), quoted phrases,
`author:` filters and `-word` exclusions (as in a digest's filters). Any text parses; nothing in it is
syntax to a database.

    diffusion "world model" author:"Hamed Zamani" -video   → groups, a phrase, an author, an exclusion
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.domain.filters import AUTHOR_AT, BY_NAME, NAMES_PAPERS
from bot.domain.words import STOP_WORDS, as_ours, in_another_script, says_nothing
from bot.search.acronyms import ACRONYMS
from bot.search.text import LONGEST, MAX_QUERY_TERMS, query_terms, words

# `author:` and its name; a quoted phrase; an exclusion (`-video`, `-"reinforcement learning"`); a word
_PIECE = re.compile(
    r'(?i)authors?:\s*(?:"([^"]*)"|“([^”]*)”|(\S+))|"([^"]*)"|“([^”]*)”|(?<!\S)-(?:"([^"]*)"|“([^”]*)”|(\w\S*))|(\S+)'
)
WORD = 9  # `_PIECE`'s group of a word (8: an exclusion's word, 6 and 7 a quoted one's)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(query_terms(text))


# endings that make another form of a word (`supervised`: supervise, supervision, supervising), each
# kept only where its stem is the word's (`_forms`)
_ENDINGS = ("", "d", "e", "s", "es", "ed", "ing", "ion", "ions")


def _forms(compound: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A compound as written and with its last word in the other forms of its stem: `-self-supervised`
    leaves out "self-supervision" too, as `-video` leaves out "videos" (a phrase is of words as written)."""
    *head, last = compound
    stem = query_terms(last)
    roots = (last, *stem, *(s[:-1] for s in stem if s.endswith("e")))  # "tune": "tuning"
    forms = {root + end for root in roots for end in _ENDINGS} if stem else {last}
    return [(*head, form) for form in sorted(forms) if form == last or query_terms(form) == stem]


# stems of an acronym → stems of its expansion, and back
_EXPANSIONS: dict[tuple[str, ...], tuple[str, ...]] = {}
for _short, _long in ACRONYMS.items():
    _EXPANSIONS[_stems(_short)] = _stems(_long)
    _EXPANSIONS[_stems(_long)] = _stems(_short)
_ACRONYM_TERMS = {_stems(short)[0] for short in ACRONYMS}  # each one term
_LONGEST = max(len(k) for k in _EXPANSIONS)


@dataclass(frozen=True)
class Group:
    """One concept of the query: any of the alternatives matches it (each alternative: all its terms).
    `acronym`: for an acronym typed as one, its term, which the index gives every paper writing it or
    its spelled-out form as written (`bot.search.acronyms.written`): the one term the index is asked
    for. ("SSM" found papers holding "state", "space" and "model" anywhere.)"""

    alternatives: tuple[tuple[str, ...], ...]
    acronym: str = ""


@dataclass(frozen=True)
class Query:
    groups: tuple[Group, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()  # word sequences a result must contain, in order
    authors: tuple[tuple[str, ...], ...] = ()  # each: name words that one author's name must contain
    excluded: tuple[tuple[str, ...], ...] = ()  # each: the stems of a `-word` a result must not hold
    # each: the words of a `-compound-word` a result must not hold side by side, its last word in each
    # form of its stem (`-self-supervised`, "self-supervision"; its words anywhere left out a paper on
    # self-distillation and supervised fine-tuning)
    excluded_phrases: tuple[tuple[str, ...], ...] = ()
    # each: word sequences a result must contain one of (`"flow matching" OR "rectified flow"`: it had to
    # hold both, "or" being a stop word)
    either: tuple[tuple[tuple[str, ...], ...], ...] = ()
    empty: bool = field(default=False)
    nameless: bool = False  # an `author:` with no name after it (left out of the search)
    text: str = ""  # the words to understand, as typed (phrases unquoted, author: filters left out)


MAX_QUERY_CHARS = 4000


def cleaned(text: str) -> str:
    """A query as it is read: its first `MAX_QUERY_CHARS` characters, a lone surrogate (JSON's
    "\\ud800") as "?"."""
    return text[:MAX_QUERY_CHARS].encode("utf-8", "replace").decode("utf-8")


# Words of a question, not of its topic, where they stand so: "DPO vs PPO", a leading "latest GRPO",
# "anything on speculative decoding?", "search for diffusion papers", "show me world models". Counted
# as topic words, no paper shown held every word of the query, and the answer said they were only "the
# closest found". Elsewhere they are words ("Segment Anything", "recent", "search agents"), left as typed.
_BETWEEN = frozenset({"vs", "vs.", "versus"})
_LEADING = frozenset({"latest", "newest", "recent", "popular", "trending", "upvoted"})
_RANKING = frozenset({"top", "best"})  # not before a letter, a number or a stop word ("top k sampling", "best of
# n"), nor in "best practices"
_ASKING_ABOUT = frozenset({"anything", "something", "papers", "paper"})  # "papers on diffusion" is "diffusion"
_ABOUT = frozenset({"on", "about", "in", "for", "re", "regarding"})
_ASKING_FOR = frozenset({"search", "find", "show", "look", "looking", "give", "get", "list", "want", "need"})
_FOR = frozenset({"for", "me", "us", "papers", "paper", "all", "some", "any"})
QUESTION_WORDS = _BETWEEN | _LEADING | _RANKING | _ASKING_ABOUT | _ASKING_FOR  # no typos: `spelling.respell`


def _asking(word: str, match: re.Match[str], text: str) -> bool:
    """Whether `word` (at `match` in `text`) asks rather than names: `vs` between two words; `latest`,
    `newest`, `recent`, `popular`, `trending`, `upvoted`, `top` or `best` before the topic's words;
    `anything`, `something` or `papers` first, before `on`/`about`… (`papers on diffusion`: the same papers as
    `diffusion`, its words and its meaning)"""
    lowered = word.lower().rstrip(",;:!?")
    if lowered not in QUESTION_WORDS:
        return False  # most words: the text around them is not split (a pasted abstract's hundreds of words)
    before, after = text[: match.start()].split(), text[match.end() :].split()
    if lowered in _BETWEEN:
        return bool(before and after)
    first = not before and bool(after)
    leading = bool(after) and all(b.lower() in _LEADING | _RANKING | STOP_WORDS for b in before)  # "most upvoted"
    if lowered in _LEADING:
        return leading
    if lowered in _RANKING:
        then = after[0].lower() if after else ""
        named = len(then) > 2 and then.isalpha() and then not in STOP_WORDS | {"practice", "practices"}
        return leading and (then in ("papers", "paper") or named)
    if lowered in _ASKING_FOR:  # before "for", "me", "papers": `search for …`, `show me …`, `I want papers on …`
        asker = all(b.lower() in STOP_WORDS | _ASKING_FOR | {"i", "we"} for b in before)
        wanted = _FOR - {"for", "me", "us"} if lowered in ("want", "need") else _FOR  # not "need for speed"
        return asker and bool(after) and after[0].lower() in wanted
    return lowered in _ASKING_ABOUT and first and after[0].lower() in _ABOUT


def parse_query(text: str, one_name: Callable[[tuple[str, ...]], bool] | None = None) -> Query:
    """The query parsed; with `one_name` (the index's), each unquoted `author:` name first takes the
    words after it that make one author's name with it (`joined_names`)."""
    text = as_ours(cleaned(text))
    if one_name is not None:
        text = joined_names(text, one_name)  # after the cut: the quotes it adds do not cut the query's end
    plain: list[str] = []
    loose: list[str] = []  # the words outside quotes
    asked_at: int | None = None  # where the last of the question's own words was ("show me …")
    choices: list[list[tuple[str, ...]]] = []  # each quoted phrase, with those a capital OR joins to it
    phrased = joined = False  # the last piece was a quoted phrase; a capital OR after one
    authors: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    excluded_phrases: list[tuple[str, ...]] = []
    nameless = False
    for match in _PIECE.finditer(text):
        if match.group(WORD) == "OR" and phrased:  # the next quoted phrase is another choice of the last
            phrased, joined = False, True
            continue
        after_or, phrased, joined = joined, False, False
        author = next((g for g in match.group(1, 2, 3) if g is not None), None)  # `author:""` names no one
        phrase = next((g for g in match.group(4, 5) if g is not None), None)
        if (left_out := next((g for g in match.group(6, 7, 8) if g is not None), None)) is not None:
            compound, stems = tuple(words(left_out)) if match.group(8) is not None else (), _stems(left_out)
            if len(compound) > 1 and stems not in _EXPANSIONS:  # (`-large-language-model`: LLM's stems)
                excluded_phrases.extend(_forms(compound))
            elif stems:
                excluded.append(stems)
                # `-"reinforcement learning"` leaves out RL too; `-RL` is its term, which the index gives
                # every paper writing the spelled-out form in order (`bot.search.acronyms.written`): its
                # words anywhere left out a "large-scale study of language model…" on `-LLM`
                spelled = _EXPANSIONS.get(stems)
                if spelled is not None and not (len(stems) == 1 and stems[0] in _ACRONYM_TERMS):
                    excluded.append(spelled)
            continue
        if author is not None:
            names = tuple(words(author))
            if names:
                authors.append(names)
            nameless = nameless or not names
        elif phrase is not None:
            sequence = tuple(words(phrase))
            if sequence:
                choices[-1:] = [[*choices[-1], sequence]] if after_or else [*choices[-1:], [sequence]]
                phrased = True
                plain.append(phrase)
        elif (word := match.group(WORD) or "").lower() == "author:":  # at the end of the text: nothing after it
            nameless = True
        elif word and not _asking(word, match, text):
            plain.append(word)
            loose.append(word)
        elif word:
            asked_at = len(plain)  # the question's words end here, at the latest
    groups = _groups(list(query_terms(" ".join(plain))))
    phrases = [c[0] for c in choices if len(c) == 1]
    if choices:  # a quoted "LLMs via" asks for those words: the expansion could never hold the phrase
        free = set(query_terms(" ".join(loose)))
        groups = [g if free & set(g.alternatives[0]) else Group(g.alternatives[:1]) for g in groups]
    return Query(
        tuple(groups),
        tuple(phrases),
        tuple(authors),
        tuple(excluded),
        tuple(excluded_phrases),
        tuple(tuple(c) for c in choices if len(c) > 1),
        empty=not groups and not authors,
        nameless=nameless,
        text=_topic(plain, asked_at)[:1000],
    )


_ARTICLES = frozenset({"a", "an", "the"})


def _topic(plain: list[str], asked_at: int | None) -> str:
    """The words to understand (embedded): of a query phrased as a question, without the words of its
    question, so that it means what its topic means: before the question's last word, only where they are
    all such words ("I want papers about …", not "DPO vs PPO"); after it, the words asking for papers
    (`me`, `papers`), then one of what they are about (`on`, `about`) and an article; a last `papers` and
    the question mark. Nothing more: "papers on us elections" is about us elections, "papers on in
    context learning" about in-context learning."""
    if asked_at is None:
        return " ".join(plain)
    before, after = plain[:asked_at], plain[asked_at:]
    words = [] if all(w.lower() in STOP_WORDS | _FOR for w in before) else before
    at = 0
    while (
        at < len(after) - 1
        and after[at].lower() in _FOR
        and (after[at].lower() != "for" or after[at + 1].lower() in _FOR)
    ):
        at += 1  # `show me …`, `I want papers about …`, `search for papers on …`
    at += at < len(after) - 1 and after[at].lower() in _ABOUT | {"for"}  # … `on`, `about`, `for`
    at += at < len(after) - 1 and after[at].lower() in _ARTICLES
    words += after[at:]
    if len(words) > 1 and words[-1].lower().rstrip("?!.") in ("papers", "paper"):
        words.pop()
    if words:
        words[-1] = words[-1].rstrip("?!") or words[-1]  # the question's mark
    return " ".join(words) or " ".join(plain)


def _groups(stems: list[str]) -> list[Group]:
    """Stems in order, with acronyms and their spelled-out forms folded into one group each."""
    groups: list[Group] = []
    i = 0
    while i < len(stems) and len(groups) < MAX_QUERY_TERMS:
        for size in range(min(_LONGEST, len(stems) - i), 0, -1):
            key = tuple(stems[i : i + size])
            other = _EXPANSIONS.get(key)
            if other is not None:
                # typed as the acronym: its term alone; spelled out, the words typed count too ("low-rank
                # adapters" is no "low rank adaptation" as written, and asks for those words)
                typed_acronym = len(key) == 1 and key[0] in _ACRONYM_TERMS
                groups.append(Group((key, other), key[0] if typed_acronym else ""))
                i += size
                break
        else:
            group, used = _name_and_number(stems, i)
            groups.append(group)
            i += used
    return groups


def _name_and_number(stems: list[str], i: int) -> tuple[Group, int]:
    """The group of the stem at `i`, and how many stems it takes: a name and its number written apart
    ("qwen 2") also match them run together ("Qwen2.5", which the index keeps as "qwen2", "5"). Not the
    other way: "qwen2" apart would be "qwen" and any "2" in the text (the body keeps no positions), and
    a digest's topic "qwen2" took in the Qwen-Image-2.0 reports."""
    stem = stems[i]
    if i + 1 < len(stems) and len(stem) >= 2 and stem.isalpha() and stems[i + 1].isdigit():
        return Group(((stem, stems[i + 1]), (stem + stems[i + 1],))), 2
    return Group(((stem,),)), 1


def loose_words(text: str) -> list[tuple[int, int, str]]:
    """Where the query's words outside quotes and `author:` are, an exclusion's without its dash
    ("vidoe" of "-vidoe"): (start, end, word)."""
    return [(m.start(g), m.end(g), m.group(g)) for m in _PIECE.finditer(text) for g in (8, 9) if m.group(g)]


_QUOTES = frozenset('"“”')
NAME_TAKES = 12  # words an unquoted `author:` name takes at most (the first and 11 after it)
NAMES_ASKED = 24  # lookups of names a query may cost at most (a query of 4,000 characters of `author:a b`)


def _words_after_name(text: str, pieces: list[re.Match[str]], i: int) -> Iterator[re.Match[str]]:
    """The plain words right after the unquoted `author:` name of `pieces[i]` (none after a quoted one),
    each only a space from the one before, at most `NAME_TAKES` - 1: those that may be more of the name."""
    if pieces[i].group(3) is None:
        return
    end = pieces[i].end()
    for after in pieces[i + 1 : i + NAME_TAKES]:
        if after.group(WORD) is None or text[end : after.start()].strip():
            return
        yield after
        end = after.end()


def joined_names(text: str, one_name: Callable[[tuple[str, ...]], bool]) -> str:
    """The query with each unquoted `author:` name taking the words after it that, with it, are one
    author's name (`one_name`, by the papers): `author:Lei Zhang diffusion` → `author:"Lei Zhang"
    diffusion`, where `author:LeCun diffusion` stays as typed. Read alone, `author:Lei` took "Zhang"
    for a word of the text, and found a Lei and a Zhang on the same paper."""
    text = cleaned(text)
    pieces = list(_PIECE.finditer(text))
    out: list[str] = []
    at = 0  # where the text not yet copied starts
    asked = 0
    for i, match in enumerate(pieces):
        if match.start() < at or match.group(3) is None:  # words taken into a name, or no unquoted name
            continue
        name, end = [match.group(3)], match.end()
        for after in _words_after_name(text, pieces, i):
            word = after.group(WORD)
            if _QUOTES & set(word) or asked == NAMES_ASKED:
                break  # (a word with a quote mark in it would move the query's other quotes)
            asked += 1
            if not one_name(tuple(words(" ".join([*name, word])))):
                break
            name, end = [*name, word], after.end()
        if len(name) > 1:
            out += [text[at : match.start()], 'author:"', " ".join(name), '"']
            at = end
    return "".join([*out, text[at:]])


_NAME_WORD = re.compile(r"[^\W\d_]+")


def author_names(text: str) -> list[str]:
    """The query's `author:` names as typed (`author:"Yann LeCun"` → `Yann LeCun`); of an unquoted one,
    its first word (those after it may be the text's); and a name in capitals after a last `by`
    (`papers by Yann LeCun`), as people ask for a person's papers."""
    typed = [
        " ".join(words)
        for m in _PIECE.finditer(text)
        for g in (1, 2, 3)
        if m.group(g) and (words := _NAME_WORD.findall(m.group(g)))
    ]
    return [*typed, " ".join(by[1].split())] if (by := BY_NAME.search(text)) else typed


def named_after(text: str, name: str) -> str:
    """An unquoted `author:` name with the words in capitals right after it, as people write a name
    (`author:Yann LeCun`: “Yann LeCun”, where the search took "LeCun" for a word of the text, finding no
    author named "Yann"); the name as given for a quoted one, or one no such word follows."""
    found = re.search(rf"(?i:author:){re.escape(name)}((?:[ \t]+[A-Z][\w'’-]*)+)", text)
    return " ".join([name, *found[1].split()][:NAME_TAKES]) if found else name


class AskedBy(NamedTuple):
    """A query asking for a person's papers (`diffusion papers by Shen Nie`), as a search reads it."""

    words: str  # what their papers must be about (`diffusion`), or ""
    name: str  # `Shen Nie`

    @property
    def query(self) -> str:
        """The search for them: `diffusion author:"Shen Nie"`."""
        return " ".join(filter(None, (self.words, f'author:"{self.name}"')))


def asked_by(text: str) -> AskedBy | None:
    """A query asking for a person's papers as people write it, without `author:` (`papers by Shen Nie`,
    `diffusion by Shen Nie`); None for any other. Words before the name that say nothing (`latest
    papers by …`) go."""
    if AUTHOR_AT.search(text):
        return None
    if (possessive := NAMES_PAPERS.match(text.strip())) is not None:  # `LeCun's papers`
        return AskedBy("", " ".join(possessive[1].split()))
    if (by := BY_NAME.search(text)) is None:
        return None
    before, name = text[: by.start()].strip(), by[1].split()
    words = "" if says_nothing(before) else before
    if all(len(part.rstrip(".")) > 1 and part.isupper() for part in name) or (
        words and len(name) < 2
    ):  # `code generation by AI`, `… by Young`
        return None  # (an acronym, or one word after a topic, is more often the topic's than a person's name)
    return AskedBy(words, " ".join(name))


def author_words(text: str) -> list[tuple[int, int, str]]:
    """Where the words of the query's `author:` names are (each word of `author:"Yann LeCun"`): (start,
    end, word)."""
    return [
        (m.start(g) + w.start(), m.start(g) + w.end(), w.group())
        for m in _PIECE.finditer(text)
        for g in (1, 2, 3)
        if m.group(g)
        for w in _NAME_WORD.finditer(m.group(g))
    ]


def another_script(text: str) -> str | None:
    """What to say of a query that found nothing and whose words (outside `author:`) are all in a script
    other than the Latin one ("扩散模型", "диффузия"): the papers are in English, found by their English
    words (and by meaning in English). None for any other query."""
    if not in_another_script(parse_query(text).text):
        return None
    return "the papers are in English, and are found by their English words: try the topic in English"


_NAMELESS = '`author:` needs a name after it, such as author:LeCun or author:"Yann LeCun"'


def author_unnamed(text: str) -> str | None:
    """What to say of a query with words to look for and an `author:` naming no one (`diffusion
    author:`): searched without it, said so (it went unsaid); None for any other query."""
    if "author" not in text.lower():  # (every search asks: most never write it, and are not parsed again)
        return None
    parsed = parse_query(text)
    return f"{_NAMELESS}: these papers are found without it." if parsed.nameless and not parsed.empty else None


def nothing_asked(text: str) -> str | None:
    """Why a query can find nothing whatever the papers (said instead of "no papers match"), or None."""
    parsed = parse_query(text)
    if not parsed.empty:
        return None
    if parsed.nameless:
        return _NAMELESS
    if parsed.excluded or parsed.excluded_phrases:
        return "it only says what to leave out: add what to look for, such as `diffusion -video`"
    if len(text) > MAX_QUERY_CHARS:  # its words may come after: unread, not "none"
        first = f"its first {MAX_QUERY_CHARS:,} characters, all a search reads,"
        return f"{first} hold no word to look for: put the topic first"
    if any(len(word.encode()) >= LONGEST for word in re.findall(r"[^\W_]+", text)):  # as the index, left out
        return f"it holds no word to look for (a word of {LONGEST} letters or more is none): use the topic's own words"
    return (
        "it holds no word to look for (only very common words, single letters or punctuation): "
        "use the topic's own words"
    )


def maybe_names(text: str) -> list[str]:
    """The words of the query's `author:` names, and the words right after an unquoted one, which the
    search may read as more of its name (`joined_names`, by the papers): what a respelling must not
    change for it to be searched in place of the query typed."""
    text = cleaned(text)
    pieces = list(_PIECE.finditer(text))
    after = [a.group(WORD) for i in range(len(pieces)) for a in _words_after_name(text, pieces, i)]
    return [word for _, _, word in author_words(text)] + after
