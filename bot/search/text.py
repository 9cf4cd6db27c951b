"""How text becomes search terms: Unicode-folded words, no stop words, Snowball stems."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import Stemmer

from bot.search.acronyms import ACRONYMS

MAX_QUERY_TERMS = 32  # a 10,000-character query costs no more than a sentence

_WORD = re.compile(r"[^\W_]+")
_STEMMER = Stemmer.Stemmer("english")

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


def words(text: str) -> list[str]:
    """Lower-cased words of `text` (NFKC-folded, so full-width and ligature forms match)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def _keep(word: str) -> bool:
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def term_counts(text: str) -> Counter[str]:
    """How often each search term occurs in `text` (a document field)."""
    counted: Counter[str] = Counter()
    stems = _STEMS
    for word, n in Counter(words(text)).items():
        if word in STOP_WORDS or (len(word) == 1 and not word.isdigit()):
            continue
        term = stems.get(word)
        counted[term if term is not None else stem(word)] += n
    return counted


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in order, at most MAX_QUERY_TERMS of them."""
    found = dict.fromkeys(stem(w) for w in words(text[:4000]) if _keep(w))
    return list(found)[:MAX_QUERY_TERMS]


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """The Snowball stem of a lower-cased word, remembered (vocabularies are small).

    Acronyms keep their form and lose a plural "s" (Snowball leaves "llms" alone): "LLMs" is "llm".
    """
    found = _STEMS.get(word)
    if found is None:
        if word in ACRONYMS or (word.endswith("s") and word[:-1] in ACRONYMS):
            found = word if word in ACRONYMS else word[:-1]
        else:
            found = _STEMMER.stemWord(word)
        if len(_STEMS) < 1_000_000:
            _STEMS[word] = found
    return found
