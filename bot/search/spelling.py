"""Words no paper holds, respelled: "difusion modles" is searched as "diffusion models".

A query word of four letters or more (each of a compound's: "self-suprvised", "difusion/atention")
that no paper holds anywhere, in its text or its authors' names (a name and its number run together,
"gpt5", become the two words papers write, "gpt-5", when papers hold the name)
(not a stop word, a number, a phrase, nor a word with a capital after its first letter, an acronym or
a name such as "ORPO" or "QLoRA": words outside quotes and `author:`, an exclusion's too) is
replaced by the closest word papers do hold, within one edit (a swap of two letters is one), else,
for a word of eight letters or more, two: among the words of the papers that tantivy's fuzzy query
finds for it, the nearest, then one with the same first letter, then the most common. A word papers
hold is never changed, nor is one with nothing close. A word of an `author:` name that no author's
name holds is respelled the same way among the authors' name words that begin with its letter, and
only offered ("author:Zhnag": "Did you mean author:Zhang?"), never searched in its place: a name
spelled right may be one the papers lack ("LeCun", one edit from "Lejun").
`/papers` and `paperboy search` (`searched`) offer the respelling beside the typed query's hits
("Did you mean …?"), and answer a query that finds nothing as typed with its respelling, saying so; a
digest's topics and `related` take words as written.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from bot.domain.filters import kind
from bot.domain.words import STOP_WORDS, edits, quoted
from bot.host.tasks import stopped
from bot.search.port import SearchFilters, SearchHit, SearchIndex
from bot.search.query import (
    QUESTION_WORDS,
    AskedBy,
    asked_by,
    author_names,
    author_words,
    loose_words,
    maybe_names,
    named_after,
    parse_query,
)
from bot.search.text import RUN_TOGETHER, folded, has_names, query_terms

log = logging.getLogger("paperboy.search")
NAMES_CHECKED = 3  # `author:` names a search that found nothing asks about, at most
NAME_WORDS = 4  # words of a topic that may be an author's name (`misspelt`), at most
MIN_LETTERS = 4  # shorter words are taken as typed: acronyms, and too many words are one edit away
MOST_EDITS = 2
PARTLY_WORDS = 3  # a topic of at most this many words that no paper found holds whole is said so (`Searched.note`)
TWO_EDITS = 8  # letters a word needs before two edits may respell it ("reinforcment"; not "please")
_LETTERS = re.compile(r"[^\W\d_]+")
_EDGES = re.compile(r"^\W+|\W+$")  # punctuation around a word ("modles,")
_JOINS = re.compile(r"([-/])")  # a dash or slash between words: kept (split's group) between the pieces


Held = Callable[[str], int]  # how many papers hold a word
Near = Callable[[str, int], Iterable[str]]  # words of papers within that many edits of a word


def respell(
    query: str, held: Held, near: Near, names: tuple[Held, Near] | None = None, stemmed: Held | None = None
) -> str | None:
    """The query with each word no paper holds (`held(word)`: how many papers hold it) replaced by the
    closest of the words papers hold near it (`near(word, edits)`: words of papers within that many
    edits), and with `names`, each word of an `author:` name no author's name holds by the closest
    such name word (`author:Zhnag`: `author:Zhang`); None when no word changes. A word whose stem
    papers hold (`stemmed`: "bold" in "Bolding") is found as typed: it is only ever respelled to a word
    of that stem ("reinforcment" as "reinforcement"), and only beside another word's respelling ("bold"
    was offered as "cold", and "No paper holds “bold”" said beside the papers holding it)."""
    changes: list[tuple[int, int, str]] = []
    found_as_typed = 0  # respellings of words a search finds by their stem: no reason to respell alone
    for start, stop, token in loose_words(query):
        core = _EDGES.sub("", token)
        if core.lower() in QUESTION_WORDS:
            continue  # "trending diffusion": a word of the question, not of its topic, was offered as "tending"
        parts = _JOINS.split(core)  # the words of "self-suprvised", as the index cuts them
        if len(parts) > 1 and held(folded(core.replace("-", ""))):
            continue  # "de-duplication": papers write it "deduplication", no typo
        better = [_respelled_word(part, held, near) for part in parts]
        if stemmed is not None:  # a word found by its stem: respelled to that stem's words only
            same = [b is not None and query_terms(b) == query_terms(p) for p, b in zip(parts, better, strict=True)]
            better = [
                b if kept or not stemmed(folded(p)) else None for p, b, kept in zip(parts, better, same, strict=True)
            ]
            found_as_typed += any(same) and all(kept or b is None for b, kept in zip(better, same, strict=True))
        if any(b is not None for b in better):
            respelled = "".join(p if b is None else b for p, b in zip(parts, better, strict=True))
            # (a quote mark on a loose word closes no phrase: "unclosed was respelled “"closed”)
            changes.append((start, stop, token.replace(core, respelled).strip('"“”')))
    if names is not None:
        for start, stop, name in author_words(query):
            if (better_name := _respelled_name(name, *names)) is not None:
                changes.append((start, stop, better_name))
    if len(changes) == found_as_typed:  # "reinforcment learning": found as typed
        return None
    for start, stop, text in sorted(changes, reverse=True):  # (apart: each a word of its own)
        query = query[:start] + text + query[stop:]
    return query


def _respelled_name(typed: str, held: Held, near: Near) -> str | None:
    """The name word authors hold in place of this one, with the same first letter (capitalised as
    typed), or None where it stays. Names are many and near one another ("Soren", "Koren"): a name is
    only ever offered, never searched in place of the one typed (`searched`)."""
    word = folded(typed)
    if len(word) < MIN_LETTERS or held(word):
        return None
    better = closest(word, held, lambda w, most: (n for n in near(w, most) if n[:1] == w[:1]))
    if better is None:
        return None
    return better.capitalize() if typed[:1].isupper() else better


def _respelled_word(core: str, held: Held, near: Near) -> str | None:
    """The word papers hold in place of this one, or None where it stays as typed."""
    word = folded(core)
    if (named := RUN_TOGETHER.fullmatch(word)) and not held(word):
        if held(named[1]):
            return f"{named[1]}-{named[2]}"  # "gpt5": papers write "GPT-5", two words to the index
        if len(named[1]) > 2 and held(named[1][:-1]) and held(version := named[1][-1] + named[2]):
            return f"{named[1][:-1]}-{version}"  # "deepseekv4", "deepseekr1": "DeepSeek-V4", "DeepSeek-R1"
    if (
        len(word) >= MIN_LETTERS
        and word not in STOP_WORDS
        and _LETTERS.fullmatch(word)
        and not _acronym(core)
        and not held(word)
    ):
        return closest(word, held, near)
    return None


def _open_quote(query: str) -> bool:
    """Whether the query leaves a quote open (`"unclosed`): an odd number of straight quotes, or more “ than ”."""
    return query.count('"') % 2 == 1 or query.count("“") > query.count("”")


def _acronym(core: str) -> bool:
    """Whether a word is typed with a capital after its first letter ("ORPO", "BLIP", "PaLM", "QLoRA"): an
    acronym or a model's name, spelled on purpose; "Protien" (a capital first only) may still be a typo."""
    return core[1:] != core[1:].lower()


def closest(word: str, held: Held, near: Near) -> str | None:
    """The word papers hold nearest `word` (one edit before two, never a stop word), of those one that
    begins with the same letter (a typo seldom changes the first: "prunning" is pruning, not running),
    then the most common; None when none is near enough: one edit for a word of fewer than `TWO_EDITS`
    letters, else two."""
    for most in range(1, (MOST_EDITS if len(word) >= TWO_EDITS else 1) + 1):
        found = {
            w
            for w in near(word, most)
            if w != word and len(w) >= MIN_LETTERS and w not in STOP_WORDS and edits(word, w, most) <= most
        }  # a stop word is no respelling: the search drops it, so the word would be gone, not respelled
        if found:
            return min(found, key=lambda w: (edits(word, w, most), w[0] != word[0], -held(w), w))
    return None


@dataclass(frozen=True)
class Searched:
    """A search's hits; what was searched for instead of the query as typed (`respelled`), or the
    respelling offered beside the typed query's own hits (`suggested`), if any."""

    hits: list[SearchHit]
    query: str = ""
    respelled: str | None = None
    suggested: str | None = None
    unknown_author: str | None = None  # of a query that found nothing: an `author:` name no paper has
    by: AskedBy | None = None  # a person's papers asked for (`papers by Shen Nie`), searched as `author:`
    days: bool = False  # whether the search kept some days only (`… this week`): they may be why none was found

    def nobody(self) -> str | None:
        """What an answer with no papers says of an `author:` name no paper has, of a person's papers
        none of which is on the words asked, or of a respelling offered (which finds papers), or None."""
        if self.by is not None and not self.hits:
            if self.days or not self.by.words:  # the days, or no paper of theirs at all: said otherwise
                return None
            name = self.by.name[:60]
            return (
                f"None of the papers with an author named {quoted(name)} is on {quoted(self.by.words[:100])}:"
                f' a search for `author:"{name}"` lists theirs.'
            )
        if self.unknown_author:
            return f"No paper in the store has an author named {quoted(self.unknown_author)}."
        if self.suggested is not None and not self.hits:
            return "No papers match as typed: the spelling offered finds some."
        return None

    def note(self) -> str | None:
        """What the answer says of a respelled or suggested query, or of a topic no paper shown holds
        every word of (the nearest found, by meaning or by some of its words), or None; of a query that
        asked for a person's papers, that they are papers with an author of that name."""
        if self.by is None or not self.hits:
            return self._said()
        said = self._said()
        name = self.by.name[:60]
        by = f'Papers with an author named {quoted(name)} (as `author:"{name}"` finds them).'
        return f"{by} {said}" if said else by

    def _said(self) -> str | None:
        other = self.respelled or self.suggested
        if other is None:
            closest = self._partly(self.query)
            return f"None of these papers {closest}." if closest is not None else None
        pairs = zip(loose_words(self.query), loose_words(other), strict=False)
        typed = [f"“{_EDGES.sub('', w)[:40]}”" for (_, _, w), (_, _, r) in pairs if w != r]
        # (a name finds nothing as typed; a quote left open is no phrase: "close it", not "quote a word")
        quoting = ' Quote a word ("…") to search for it as typed.' if typed else ""
        quoting = ' Close the quote ("…") to search for it as typed.' if typed and _open_quote(self.query) else quoting
        named = zip(author_words(self.query), author_words(other), strict=False)
        typed += [f"the author name “{w[:40]}”" for (_, _, w), (_, _, r) in named if w != r]
        unknown = " or ".join(typed[:3])
        if self.suggested is not None and self.unknown_author:  # the answer says whose name no paper has
            return f"Did you mean “{self.suggested[:100]}”?"
        if self.suggested is not None:
            return f"Did you mean “{self.suggested[:100]}”? No paper holds {unknown}."
        if (closest := self._partly(other)) is not None:  # "phi4" as "phi-4", which no paper found holds either
            return f"No paper holds {unknown}, and none of these {closest}.{quoting}"
        return f"No paper holds {unknown}: showing papers on “{other[:100]}” instead.{quoting}"

    def _partly(self, query: str) -> str | None:
        """A topic of a few words that none of the papers found holds whole ("protein folding" where the
        papers are about language models): said, so the nearest papers are not taken for papers on it
        ("… mentions every word of “protein folding”: they are the closest found"). A longer query
        describes what it wants (a paraphrase), and is found by meaning. The words are quoted without
        the query's `author:` names and `-word` exclusions, which every paper shown meets. `query` is
        the one the hits were searched for: the typed one, or its respelling."""
        if not self.hits or any(h.whole for h in self.hits):
            return None  # (most answers: the query is not parsed again on the event loop)
        shown = [h.paper.authors for h in self.hits]  # each meets the query's names: they say which words join one
        parsed = parse_query(query, lambda names: any(has_names(authors, names) for authors in shown))
        if len(parsed.groups) > PARTLY_WORDS:
            return None
        return f"mentions every word of “{parsed.text[:100]}”: they are the closest found"


async def searched(search: SearchIndex, query: str, limit: int, filters: SearchFilters = SearchFilters()) -> Searched:
    """The query searched as typed and, where a word of it no paper holds, respelled (both asked at once).
    The typed query's hits answer when it has any, the respelling offered beside them ("Did you mean");
    only a query that finds nothing as typed is answered by its respelling, and only where a paper holds
    every word of it (else it found no more of the query than the query did). A word no paper holds may be
    no typo at all (a model's name the papers never mention, "Sora", is one edit from "lora"): a
    respelling never silently takes the place of an answer. A query asking for a person's papers
    (`papers by Shen Nie`) is searched as `author:` where some paper has an author of that name."""
    asked = asked_by(query)  # (a name alone, `Zifeng Wang`, had one of his three papers in the first ten)
    named = asked or (AskedBy("", " ".join(query.split())) if _bare_name(query) else None)
    if named is not None and await _has_author(search, named.name):
        days = filters.since is not None or filters.until is not None
        return replace(await searched(search, named.query, limit, filters), by=named, days=days)
    respelling = asyncio.ensure_future(_respelled(search, query))
    try:
        hits = await search.search(query, filters, limit=limit)
    except BaseException:  # the search failed or was cancelled: its respelling goes with it, never left running
        await stopped(respelling)  # … and has let go of what it held
        raise
    respelled = await respelling
    person = asked is not None and len(asked.name.split()) > 1  # (`Tsinghua's papers`: an organisation's, maybe)
    if asked is not None and person and not asked.words and not any(hit.whole for hit in hits):
        return Searched([], query, unknown_author=asked.name)  # `Yann LeCun's papers`: "Did you mean “yarn …”?"
    if respelled is None:
        return Searched(hits, query) if hits else Searched(hits, query, unknown_author=await _unknown(search, query))
    if hits:
        return Searched(hits, query, suggested=respelled)
    better = await search.search(respelled, filters, limit=limit)
    if not any(h.whole for h in better):  # "Yann LeCun" as "yarn LeCun": no paper holds LeCun either
        unknown = await _unknown(search, query)
        if better and unknown is None and await _every_word_held(search, query, respelled):
            return Searched(hits, query, suggested=respelled)  # "mixtral of exprts": "mistral of experts"?
        return Searched(hits, query, unknown_author=unknown)
    if maybe_names(respelled) != maybe_names(query):  # another person, maybe: offered, not answered
        return Searched(hits, query, suggested=respelled, unknown_author=await _unknown(search, query))
    return Searched(better, query, respelled)


def _bare_name(query: str) -> bool:
    """Whether a query is two or three words each written as a name is (`Zifeng Wang`, `Yann LeCun`, `Łukasz
    Kaiser`; not `LLM Agents`, an acronym, nor `flow matching`): a person's papers, where an author has it."""
    words = query.split()
    bare = (word.replace(".", "").replace("-", "").replace("'", "") for word in words)
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() and not w.isupper() for w in bare)


async def _every_word_held(search: SearchIndex, query: str, respelled: str) -> bool:
    """Whether papers hold each word of a respelling that finds papers, none of them holding it whole:
    the words it kept as typed (but stop words) are asked for one by one. "mixtral of exprts", respelled
    "mistral of experts", is offered, no paper holding both; "Yann LeCun", as "yarn LeCun", is not: no
    paper holds "LeCun". At most `NAMES_CHECKED` words asked."""
    kept = [w for (_, _, w), (_, _, r) in zip(loose_words(query), loose_words(respelled), strict=False) if w == r]
    asked = [w for w in dict.fromkeys(_EDGES.sub("", w) for w in kept) if w and folded(w) not in STOP_WORDS]
    if len(asked) > NAMES_CHECKED:
        return False
    return all([await search.search(f'"{word}"', limit=1) for word in asked])


async def _someone(search: SearchIndex, entry: str) -> bool:
    """Whether a digest's entry, respelled, names an author some paper has, or names none: a topic's
    `author:` takes every word after it as one name (`bot.domain.filters`)."""
    what, name = kind(entry)
    return what != "author" or await _has_author(search, name)


async def _unknown(search: SearchIndex, query: str) -> str | None:
    """The first `author:` name of a query that found nothing that no paper's author has, as typed
    (`author:"Yann LeCun"`): the answer says so, not "try fewer words". At most `NAMES_CHECKED` asked."""
    for name in author_names(query)[:NAMES_CHECKED]:
        if not await _has_author(search, name):
            return named_after(query, name)  # `author:Yann LeCun`: “Yann LeCun”, not “Yann”
    return None


async def _has_author(search: SearchIndex, name: str) -> bool:
    """Whether some paper in the index has an author of this name (its words in one author's name)."""
    return bool(await search.search(f'author:"{name}"', limit=1))


async def misspelt(search: SearchIndex, topics: Iterable[str], instead: str = "") -> list[str]:
    """What to say of each topic a word of which no paper holds, where papers hold a word near it ("Did
    you mean “diffusion”? No paper holds “difusion”."): a digest's topics take words as written, so a
    topic followed or subscribed to with a typo found nothing, every day, without a word. `instead`
    (how to take what is offered) follows each note that offers another topic."""
    said = []
    for topic in topics:
        if (named := await _an_authors_name(search, topic)) is not None:
            said.append(f"{named} {instead}".strip())
            continue
        respelled = await _respelled(search, topic)
        if respelled is None or not await _someone(search, respelled):  # `author:Yann LeCun` offered as
            if (nobody := await _no_one_named(search, topic)) is not None:  # `author:Yang LeCun`, no one's either
                said.append(nobody)  # (nothing offered instead)
            continue
        if (note := Searched([], topic, suggested=respelled).note()) is not None:
            said.append(f"{note} {instead}".strip())
    return said


async def _no_one_named(search: SearchIndex, entry: str) -> str | None:
    """What to say of an `author:` entry no paper's author has (`ImageNet's papers`, `author:Qwzx`): it
    finds nothing until one has; None for any other entry."""
    what, name = kind(entry)
    if what != "author" or not name or await _has_author(search, name):
        return None
    return f"No paper in the store has an author named “{name}” yet: their papers come when the store has some."


async def _an_authors_name(search: SearchIndex, entry: str) -> str | None:
    """What to say of a topic of a few words that is an author's name in the store and that no paper's
    text holds (`Chengsong Huang`): a topic is what papers are about, so it found none of theirs, every
    day, without a word; of one in capitals that no paper holds, that it may be a name (`Yann LeCun`
    was offered “yarn LeCun”). None for any other entry."""
    what, words = kind(entry)
    if what != "topic" or not 2 <= len(words.split()) <= NAME_WORDS or not _LETTERS.fullmatch(words.replace(" ", "")):
        return None
    if await search.search(words, SearchFilters(require_all=True), limit=1):
        return None
    if await _has_author(search, words):
        return (
            f"“{words}” is the name of an author in the store, and a topic finds what papers are about, not who"
            f" wrote them: `author:{words}` finds their papers."
        )
    if all(word[:1].isupper() for word in words.split()):  # `Yann LeCun`, no one's in the store: not "yarn LeCun"
        return (
            f"No paper holds “{words}”. If that is a person's name, a topic finds what papers are about, not who"
            f" wrote them: `author:{words}` finds their papers as they come."
        )
    return None


async def _respelled(search: SearchIndex, query: str) -> str | None:
    """`search.respelled`, None where it fails: a fault in respelling never costs the search its answer."""
    try:
        return await search.respelled(query)
    except Exception:
        log.exception("respelling %r failed; it is searched as typed", query[:100])
        return None
