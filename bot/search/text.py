"""How text becomes search terms: Unicode-folded words (accents dropped), no stop words, Snowball stems.

The same two tantivy analysers cut documents (registered on the index) and queries (called here),
so both sides always agree: `TERMS` for ranking (stop words and single letters out, stems in),
`WORDS` for quoted phrases (every word, as written, lower-cased).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from tantivy import Filter, TextAnalyzer, TextAnalyzerBuilder, Tokenizer

from bot.domain.filters import by_author, fold
from bot.domain.words import LETTERS, STOP_WORDS, signs_spelled
from bot.search.acronyms import ACRONYMS

MAX_QUERY_TERMS = 32  # a 10,000-character query costs no more than a sentence

# A word this long (bytes) or longer is no word anyone searches for, and left out: one of 300,000 letters
# (a listing's broken title) cost its commit 13 s, the time going with the square of its length.
LONGEST = 100
TERMS: TextAnalyzer = (
    TextAnalyzerBuilder(Tokenizer.simple())  # words: runs of letters and digits
    .filter(Filter.remove_long(LONGEST))
    .filter(Filter.lowercase())
    .filter(Filter.custom_stopword(sorted(STOP_WORDS | LETTERS)))
    .filter(Filter.stemmer("english"))
    .build()
)
WORDS: TextAnalyzer = (
    TextAnalyzerBuilder(Tokenizer.simple()).filter(Filter.remove_long(LONGEST)).filter(Filter.lowercase()).build()
)
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # what `WORDS` finds in lower-case ASCII (Rust's alphanumeric)
# An acronym keeps its form and loses a plural "s" (Snowball leaves "llms" alone): "LLMs" is "llm", and so
# is any word in capitals written with one ("GPUs", "LSTMs", "LRMs"), before case is folded.
_PLURAL = re.compile(rf"(?<![^\W_])({'|'.join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True))})s(?![^\W_])")
# "NaNs", "IoUs" too. Looked for only in a text with a capital before a word's last "s" (`_A_CAPITALS_PLURAL`):
# most have none, and the pattern, tried at every character, was a fifth of building a paper's document. Its
# look-behind is ASCII's (a run of capitals is tried once, not from each of them: linear), and a match after
# another letter or digit is left as it is (`_capitals_singular`).
_CAPITALS_PLURAL = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*[A-Z])s(?![^\W_])")
_A_CAPITALS_PLURAL = re.compile(r"[A-Z]s(?![^\W_])")
# ... and in lower case, a word no English word is: no vowel ("lstms", "cnns", "vlms") or a processor
# ("gpus", "tpus"): typed so, it found only the papers writing it so, not "GPU" nor "GPUs"
_BARE_PLURAL = re.compile(
    r"(?<![^\W_])((?=[b-df-hj-np-tv-xz0-9]{2})[0-9]*[b-df-hj-np-tv-xz][b-df-hj-np-tv-xz0-9]*|[a-z]pu)s(?![^\W_])"
)


def folded(text: str) -> str:
    """Accents dropped, compatibility forms folded (full-width, ligatures) and case folded: “González” is
    “gonzalez”, “Spéculative” is “speculative”, and, as a digest's filters write them
    (`bot.domain.filters.fold`), “Łochowski” is “lochowski” and “Bjørklund” “bjorklund” (ASCII skips the
    Unicode work)."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", fold(text))  # (white space squashed)


def term_text(text: str) -> str:
    """What the `TERMS` analyser is given: folded, acronym plurals made singular, a language's sign spelled
    out ("C++" is "cplusplus")."""
    if _A_CAPITALS_PLURAL.search(text):
        text = _CAPITALS_PLURAL.sub(_capitals_singular, text)
    singular = _PLURAL.sub(r"\1", folded(text))
    return signs_spelled(_BARE_PLURAL.sub(_bare_singular, singular))  # "C++" was the letter "c": no term


def _capitals_singular(found: re.Match[str]) -> str:
    """A plural in capitals made singular, but where that would make a stop word ("ITs", "ASs"), and inside
    a word ("aLLMs": the match begins after a letter or digit, and runs to the word's end)."""
    inside = found.start() > 0 and found.string[found.start() - 1].isalnum()  # (what `[^\W_]` matches)
    return found[0] if inside or found[1].lower() in STOP_WORDS else found[1]


def _bare_singular(found: re.Match[str]) -> str:
    """A lower-case plural made singular, but for an acronym that ends in "s" itself ("tts", "3dgs")."""
    return found[0] if found[0] in ACRONYMS else found[1]


def words(text: str) -> list[str]:
    """Lower-cased words of `text` (NFKC-folded): what `WORDS` gives, read by a regex for ASCII text (a
    third of the time: a search reads the keywords of its first 20 papers, about 120 of them)."""
    if not text.isascii():
        return WORDS.analyze(folded(text))
    found: list[str] = _ASCII_WORD.findall(text.lower())
    return found if len(text) < LONGEST else [word for word in found if len(word) < LONGEST]  # too long: none


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in order, at most MAX_QUERY_TERMS of them."""
    return list(dict.fromkeys(TERMS.analyze(term_text(text[:4000]))))[:MAX_QUERY_TERMS]


# a name and its version run together: "gpt5", "llama3", "gpt4o" (one letter after the number, no more)
RUN_TOGETHER = re.compile(r"([^\W\d_]{2,})(\d+[^\W\d_]?)")


def terms(text: str) -> set[str]:
    """Every term of `text` as the query's are made (`query_terms`), however many."""
    return set(TERMS.analyze(term_text(text)))


@lru_cache(maxsize=16384)  # a search compares its first 20 papers' ~120 keywords, mostly the same few hundred
def keyword_key(keyword: str) -> str:
    """How a Hugging Face keyword is compared: lower case, words only ("Mixture-of-Experts" → "mixture of experts")."""
    return " ".join(words(keyword))


def has_names(authors: Sequence[str], names: tuple[str, ...]) -> bool:
    """Whether one of these authors' names holds every one of the words, an initial standing for a word
    it begins (`M. Cheng` is Ming Cheng), as a digest's `author:` takes them."""
    return by_author(authors, " ".join(names))
