"""What a paper becomes in the tantivy index: the schema's fields and one document per paper.

BM25F the tantivy way: one `body` field holding each text field as many times as it weighs, so a
term's frequencies are weighted, then saturated once, and its idf is the paper's, not a field's.
Beside it: the authors' words (ranked for less), `has` (only whether a paper holds a word: the
coordination), `words` (every word as written, with positions: quoted phrases), `names` (an
author's name words, each and in pairs: `author:`), `kw` (the Hugging Face keywords), `pairs` (each
two words side by side in the title and each keyword: a query as typed), the integer fields the
filters and the prior read, and the paper itself, stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations, pairwise
from typing import Any

from tantivy import Document, SchemaBuilder

from bot.domain.models import Paper
from bot.search.acronyms import written
from bot.search.text import folded, keyword_key, term_text, words

WEIGHTS = {"title": 3, "keywords": 2, "summary": 2, "abstract": 1, "authors": 0}
NAME_WORDS = 12  # words of an author's name paired at most (66 pairs); every word is indexed alone


def _schema() -> Any:
    builder = SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    for name in ("pos", "day", "upvotes"):
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in ("body", "authors"):
        builder.add_text_field(name, tokenizer_name="terms", index_option="freq")
    builder.add_text_field("has", tokenizer_name="terms", index_option="basic")
    builder.add_text_field("words", tokenizer_name="words", index_option="position")
    builder.add_text_field("names", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kw", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("pairs", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("paper", stored=True)
    return builder.build()


SCHEMA = _schema()


def author_terms(names: Iterable[str]) -> set[str]:
    """An author's name words, each and in pairs (so that author:"yu yang" finds one author with both
    words, not a Yu and a Yang on the same paper). A name of more than `NAME_WORDS` distinct words
    has only its first ones, in sorted order, paired: a pair beyond them does not find it."""
    distinct = sorted(set(names))
    return set(distinct) | {f"{a} {b}" for a, b in combinations(distinct[:NAME_WORDS], 2)}


def word_pairs(found: list[str]) -> list[str]:
    """Each two words side by side, of words as written (`text.words`): "stable diffusion", "diffusion for"."""
    return [f"{a} {b}" for a, b in pairwise(found)]


def unproven(names: tuple[str, ...]) -> bool:
    """A name of three words or more, with an initial (`M. Cheng`), or with a word twice (`Yang Yang`,
    `Fei-Fei`, whose terms are those of `Yang`, `Fei`): the pairs of its words narrow it down
    (`asked_terms`), the stored authors settle it (`bot.domain.filters.by_author`)."""
    return len(set(names)) > 2 or len(set(names)) < len(names) or any(len(n) == 1 for n in names)


def asked_terms(names: tuple[str, ...]) -> set[str]:
    """The `names` terms an `author:` name asks for: its words each and in pairs, but for its initials,
    which stand for any word they begin (a name of initials alone: as they are)."""
    return author_terms(tuple(n for n in names if len(n) > 1) or names)


def document(paper: Paper, position: int) -> Document:
    """The paper's document, at its position (`bot.search.registry`)."""
    doc = Document()
    doc.add_text("id", paper.arxiv_id)
    doc.add_integer("pos", position)
    doc.add_integer("day", paper.day.toordinal() if paper.day else 0)
    doc.add_integer("upvotes", paper.upvotes)
    texts = {
        "title": paper.title,
        "keywords": " ".join(paper.ai_keywords),
        "summary": paper.ai_summary or "",
        "abstract": paper.abstract,
        "authors": " ".join(paper.authors),
    }
    said = {name: words(texts[name]) for name in ("title", "keywords", "summary", "abstract")}
    spelled = {name: " ".join(written(found)) for name, found in said.items()}
    for name, text in texts.items():
        terms = f"{term_text(text)} {spelled.get(name, '')}"  # an acronym's form as written: the acronym too
        for _ in range(WEIGHTS[name]):
            doc.add_text("body", terms)
        doc.add_text("has", terms)
    doc.add_text("authors", term_text(texts["authors"]))
    for text in (paper.title, texts["summary"], paper.abstract, *paper.ai_keywords):  # a phrase never spans two
        doc.add_text("words", folded(text))  # of them, nor two keywords ("loss-driven reward", "model-driven reward")
    for term in set().union(*(author_terms(words(a)) for a in paper.authors)):
        doc.add_text("names", term)
    for key in {keyword_key(k) for k in paper.ai_keywords}:
        doc.add_text("kw", key)
    pairs = {pair for text in paper.ai_keywords for pair in word_pairs(words(text))} | set(word_pairs(said["title"]))
    for pair in pairs:
        doc.add_text("pairs", pair)  # a query as typed is looked up by its pairs (`bot.search.clauses.ranking`)
    doc.add_bytes("paper", paper.model_dump_json().encode())
    return doc
