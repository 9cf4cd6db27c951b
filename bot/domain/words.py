"""The words every search leaves out: too common to say what a paper is about (`the`, `of`, `new`,
`paper`), and single letters. Search's analyser drops them (bot.search.text); a topic made only of
them would match no paper, so it is refused where it is typed."""

from __future__ import annotations

import re
import unicodedata

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very via was we were what when where which while
    who whom why will with would you your yours yourself paper papers using use based toward towards
    new
    """.split()  # noqa: SIM905 - a word list reads best as words
)
LETTERS = frozenset(chr(c) for c in range(ord("a"), ord("z") + 1))  # a single letter is no term, a digit is
_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits, as search's tokenizer cuts them
_QUOTE_MARKS = frozenset("\"'“”‘’«»")


# languages named with a sign, which search's analysers would drop ("C++" the single letter "c"): spelled out
_SIGNED = {"c++": "cplusplus ", "c#": "csharp ", "f#": "fsharp "}
_SIGNED_NAME = re.compile(r"(?<![^\W_])(?:c\+\+|c#|f#)(?![+#])")


def signs_spelled(text: str) -> str:
    """Lower-case `text` with "c++", "c#" and "f#" spelled out, as search reads them."""
    if "#" not in text and "++" not in text:  # most text: a tenth of the time the pattern takes to say so
        return text
    return _SIGNED_NAME.sub(lambda found: _SIGNED[found[0]], text)


def says_nothing(text: str) -> bool:
    """Whether `text` has words, every one of them a stop word or a single letter, as search drops them
    (a quoted phrase is read word for word, so text with quotes is taken as it is). `R` or `Q&A` would
    match no paper: `/papers R` says there is nothing to search for, and a digest on it got none (`C++`
    is a word: `signs_spelled`)."""
    if any(ch in _QUOTE_MARKS for ch in text):
        return False
    words = _WORD.findall(signs_spelled(text.lower()))
    return bool(words) and all(w in STOP_WORDS or _bare(w) in LETTERS for w in words)


def _bare(word: str) -> str:
    """The word without its accents (`é` is the letter `e`, `ø` the letter `o`, as search folds them)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.translate(PLAIN)) if not unicodedata.combining(c))


# Letters Unicode does not write as a base letter and an accent, as people type them without one.
PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae", "Æ": "AE",
                       "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"})  # fmt: skip


def in_another_script(text: str) -> bool:
    """Whether `text` has letters, none of them Latin or Greek ("扩散模型", "диффузия"; "ｆｕｌｌ width" is
    Latin): the papers are in English, found by their English words, so such words find none. Greek
    letters name models and quantities in English titles ("π0.5", "μ_0")."""
    letters = [c for c in unicodedata.normalize("NFKC", text) if c.isalpha()]
    return bool(letters) and not any(unicodedata.name(c, "").startswith(("LATIN", "GREEK")) for c in letters)


def edits(a: str, b: str, most: int = 2) -> int:
    """Letters to insert, delete, replace or swap (two side by side) to make `a` into `b`; `most` + 1
    when it takes more."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return most + 1
        before, row = row, current
    return min(row[-1], most + 1)


def quoted(text: str, most: int = 100) -> str:
    """Typed text as an answer names it, in curly quotes and cut to `most` characters (at a word, with
    "…": a cut one read as the query): a query that is one quoted phrase keeps its own quotes, curled
    (“chain of thought”, not “"chain of thought"”)."""
    text = text.strip()
    for opens, closes in ('""', "“”"):  # straight, or curled as a phone or a Mac types them
        if len(text) > 2 and text[0] == opens and text[-1] == closes and not {opens, closes} & set(text[1:-1]):
            text = text[1:-1]
    if len(text) > most:
        cut = text[: max(most - 1, 1)]
        space = cut.rfind(" ")
        text = (cut[:space] if space > most // 2 else cut).rstrip(" ,;:-") + "…"
    return f"“{text}”"


def listed(said: list[str]) -> str:
    """`code`, `code and cite`, `summary, code and cite`: a list as it is said."""
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def counted(number: int, noun: str) -> str:
    """`1 listing`, `2 listings`: a count with its noun (an `s` for any but one)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


# How other search engines are typed, read as ours (outside quotes, which are kept as they are):
# - a boolean search's NOT, in capitals before a word or a quote (`diffusion NOT video`), is `-video`:
#   read as the stop word "not", it searched for the very word meant to be left out;
# - a field's name before a word (`title:diffusion`) goes: a paper's title, abstract, summary and
#   keywords are all searched (a word of the title counting most). As a word, it was asked for too:
#   "None of these papers mentions every word of “title:diffusion”".
# - `but not`, `except` and `excluding` before a word leave it out too (`diffusion but not robotics`: read
#   as stop words, they asked for papers holding both words, the opposite of what was meant).
_ELSEWHERE = re.compile(
    r"(\"[^\"]*\"|“[^”]*”)"
    r"|(?<!\S)(NOT|(?i:but\s+not|except(?:\s+for)?|excluding))\s+(?=[\w\"“])"
    r"|(?<![^\s-])(?i:title|abstract|summary|keywords?|tags?|topics?|text|all):(?=[^\s:])"
)


_LEAVING_OUT = re.compile(r"(?i)\b(?:but\s+not|except|excluding)\b")


def as_ours(text: str) -> str:
    """`NOT word` (`but not word`, `except word`) as `-word`, `title:word` as `word`, outside quotes: in a
    search, and in a digest's topics."""
    if "NOT" not in text and ":" not in text and _LEAVING_OUT.search(text) is None:
        return text
    return _ELSEWHERE.sub(lambda m: m[1] or ("-" if m[2] else ""), text)
