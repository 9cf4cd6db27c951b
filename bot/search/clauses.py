"""A parsed query as tantivy clauses: each word's ranking (BM25F over the body, the authors' names
for less, and the coordination of holding it), and what every result must meet (the filters,
`author:` names, quoted phrases as positional queries)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from tantivy import FieldType, Occur, Query, Searcher

from bot.search.documents import SCHEMA, asked_terms, word_pairs
from bot.search.port import SearchFilters
from bot.search.query import Group
from bot.search.query import Query as Parsed
from bot.search.text import TERMS, term_text, words

AUTHORS = 0.3  # an author's name word also counts this much (a `authors` field of its own)
COORDINATION = 1.0  # what each of the query's words a paper holds adds (`held`), so papers holding more come first
PHRASE = 3.0  # what a paper whose title or a keyword holds the query as typed adds (three words' `COORDINATION`)
PHRASED = 4  # a query of at most this many words is also looked for as typed (a longer one hardly ever is)
ONE_OF = 256  # values from which `one_of` asks tantivy's term-set query


def must(*clauses: Query) -> Query:
    return clauses[0] if len(clauses) == 1 else Query.boolean_query([(Occur.Must, c) for c in clauses])


def any_of(*clauses: Query) -> Query:
    return clauses[0] if len(clauses) == 1 else Query.boolean_query([(Occur.Should, c) for c in clauses])


def one_of(field: str, values: Sequence[str] | Sequence[int]) -> Query:
    """Documents holding any of these values in the field, each scoring 1. A few values go into a
    union of term queries, a tenth of the time of tantivy's term-set query (which walks the field's
    terms: 0.43 against 0.05 ms for 20 positions at 100k papers); from `ONE_OF` on, the term set."""
    if not values or len(values) >= ONE_OF:
        return Query.term_set_query(SCHEMA, field, list(values))
    return Query.const_score_query(any_of(*(Query.term_query(SCHEMA, field, v) for v in values)), 1.0)


def _term(stem: str) -> list[Query]:
    """A word's ranking clauses: the body (BM25F) and, counting for less, the authors' names."""
    body = Query.term_query(SCHEMA, "body", stem, "freq")
    return [body, Query.boost_query(Query.term_query(SCHEMA, "authors", stem, "freq"), AUTHORS)] if AUTHORS else [body]


def _boosted(searcher: Searcher, field: str, term: str, weight: float) -> Query:
    """A term's BM25 in a field that records only whether a paper holds it, over its idf: about `weight`."""
    docs, having = int(searcher.num_docs), int(searcher.doc_freq(field, term))
    idf = math.log(1 + (docs - having + 0.5) / (having + 0.5))
    return Query.boost_query(Query.term_query(SCHEMA, field, term, "basic"), weight / max(idf, 1e-6))


def _group(searcher: Searcher, group: Group) -> list[Query]:
    """A group's clauses in the query's union, each word's ranking clauses and its `_held` one. A
    one-word group's term queries go into the union directly: a flat union of term queries is what
    tantivy scores fastest (block-max WAND skips what cannot make the top). An acronym's group is its
    term alone (`Group.acronym`); another with alternatives (a name and its number written apart or
    run together) is one clause: any alternative, all of its words, plus `COORDINATION` when one holds."""
    if group.acronym or (len(group.alternatives) == 1 and len(group.alternatives[0]) == 1):
        stem = group.acronym or group.alternatives[0][0]
        return [*_term(stem), _boosted(searcher, "has", stem, COORDINATION)]  # the coordination
    has = any_of(*(must(*(Query.term_query(SCHEMA, "has", t, "basic") for t in a)) for a in group.alternatives))
    return [_in_text_or_names(group), Query.const_score_query(has, COORDINATION)]


def _as_typed(searcher: Searcher, typed: list[str]) -> list[Query]:
    """About `PHRASE` for a paper whose title or a keyword holds these words as written, in order:
    each pair of them side by side (`documents.word_pairs`) is a share of it, the last one's second word
    in either number ("reasoning models" is "A reasoning model for …" too). Term queries, each boosted
    over its idf as `_held` is, keep the query's union flat: a constant-score clause of all the pairs
    cost a two-word query a third of its time (tantivy scored every paper holding either word)."""
    pairs = word_pairs(typed)
    *_, last = pairs
    other = last[:-1] if last.endswith("s") else last + "s"
    return [_boosted(searcher, "pairs", pair, PHRASE / len(pairs)) for pair in (*pairs, other)]


def ranking(searcher: Searcher, parsed: Parsed, require_all: bool) -> Query:
    """The query's words, scored; with `require_all` (a digest's topic), a paper must meet every group
    in its own text: a topic is what a paper is on, and `long video` is not on video by a Long Chen
    (authors are asked for with `author:`)."""
    if require_all:
        return Query.boolean_query([(Occur.Must, _in_text(g)) for g in parsed.groups])
    union = [q for g in parsed.groups for q in _group(searcher, g)]
    typed = words(parsed.text)
    if len(parsed.groups) > 1 and 1 < len(typed) <= PHRASED:  # "stable diffusion" as written first
        union += _as_typed(searcher, typed)
    return Query.boolean_query([(Occur.Should, q) for q in union])


def held_whole(parsed: Parsed) -> Query:
    """A paper holding every group of the query as a search finds it (`SearchHit.whole`): in its text
    or in an author's name ("chen diffusion" is answered by a Chen's papers on diffusion); of phrases
    joined by OR, the words of one (`"flow matching" OR "rectified flow"` asks for either, not all four
    words: every paper found was said not to hold "every word")."""
    if not parsed.either:  # (most queries: no more work than that)
        return Query.boolean_query([(Occur.Must, _in_text_or_names(g)) for g in parsed.groups])
    either = [[TERMS.analyze(term_text(" ".join(phrase))) for phrase in joined] for joined in parsed.either]
    # the query's terms as often as typed, less the phrases': what is left was typed outside them too
    phrased = [t for joined in either for phrase in joined for t in phrase]
    loose, inside = Counter(TERMS.analyze(term_text(parsed.text))) - Counter(phrased), set(phrased)
    alone = [
        g for g in parsed.groups if g.acronym or not all(set(a) <= inside and not loose[a[0]] for a in g.alternatives)
    ]
    ones = [any_of(*(must(*(any_of(*_term(t)) for t in sorted(set(p)))) for p in joined)) for joined in either]
    return Query.boolean_query([(Occur.Must, q) for q in [*(_in_text_or_names(g) for g in alone), *ones]])


def _in_text_or_names(group: Group) -> Query:
    if group.acronym:
        return any_of(*_term(group.acronym))
    return any_of(*(must(*(any_of(*_term(t)) for t in a)) for a in group.alternatives))


def _in_text(group: Group) -> Query:
    """Any alternative of the group, all of its words in the paper's text (the `body`: title, keywords,
    summary and abstract; no names); an acronym's group, its term."""
    alternatives = ((group.acronym,),) if group.acronym else group.alternatives
    return any_of(*(must(*(Query.term_query(SCHEMA, "body", t, "freq") for t in a)) for a in alternatives))


def conditions(parsed: Parsed, filters: SearchFilters, phrases: bool = True) -> list[Query]:
    """Clauses every result must meet: the filters, the `author:` names, the exclusions and the quoted phrases."""
    clauses = []
    day = FieldType.Integer
    if filters.since is not None or filters.until is not None:
        low, high = filters.since, filters.until
        clauses.append(
            Query.range_query(SCHEMA, "day", day, low.toordinal() if low else 0, high.toordinal() if high else 2**31)
        )
    if filters.within is not None:
        clauses.append(one_of("id", sorted(filters.within)))
    clauses += [Query.term_query(SCHEMA, "names", t) for names in parsed.authors for t in sorted(asked_terms(names))]
    if parsed.excluded or parsed.excluded_phrases:  # a paper whose own text holds an excluded one is out
        held = any_of(  # (not its authors' names): a word's every stem, a compound's words side by side
            *(must(*(Query.term_query(SCHEMA, "body", t, "basic") for t in x)) for x in parsed.excluded),
            *(Query.phrase_query(SCHEMA, "words", list(x)) for x in parsed.excluded_phrases),
        )
        clauses.append(Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, held)]))
    if phrases:
        clauses += [_phrase(p) for p in parsed.phrases]
        clauses += [any_of(*map(_phrase, choice)) for choice in parsed.either]
    return clauses


def _phrase(sequence: tuple[str, ...]) -> Query:
    """Papers holding these words side by side, in order, as written."""
    if len(sequence) == 1:
        return Query.term_query(SCHEMA, "words", sequence[0])
    return Query.phrase_query(SCHEMA, "words", list(sequence))
