"""BibTeX that LaTeX and BibTeX take: a title's math kept, what breaks LaTeX escaped, braces paired, an
entry whole within a chat message, each key once in a bibliography."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.citation import MOST, bibliography, bibtex
from bot.domain.models import Paper
from tests.strategies import FAST


def title_of(entry: str) -> str:
    found = re.search(r"title\s+= \{\{(.*)\}\},\n", entry)
    assert found is not None, entry
    return found.group(1)


@pytest.mark.parametrize(
    ("title", "field"),
    [
        ("$\\nabla^2$DFT: a benchmark", "$\\nabla^2$DFT: a benchmark"),  # math as written (was \$\nabla^2\$)
        ("Scaling $L_2$ norms & more", "Scaling $L_2$ norms \\& more"),
        ("$\\textit{Trans-LoRA}$: towards data-free LoRA", "$\\textit{Trans-LoRA}$: towards data-free LoRA"),
        ("A closing brace } alone", "A closing brace alone"),  # BibTeX would end the field there
        ("{BERT} meets {GPT}", "{BERT} meets {GPT}"),
        ("An escaped \\} brace", "An escaped brace"),
        ("50% off #1 for $5", "50\\% off \\#1 for \\$5"),
        ("x^2 and snake_case", "x\\^{}2 and snake\\_case"),
        ("a trailing backslash \\", "a trailing backslash"),
        ("Pruning 90\\% of Weights for Q\\&A", "Pruning 90\\% of Weights for Q\\&A"),  # escaped once, by its authors
        ("a \\_b, \\#1, \\$5 and \\^{}", "a \\_b, \\#1, \\$5 and \\^{}"),
        # pdflatex stopped at a Greek letter ("Unicode character τ not set up for use with LaTeX"), and printed
        # `<`, `>` and `|` as ¡, ¿ and — (31 of the corpus's titles)
        ("$τ$-bench: tool use", "$\\tau{}$-bench: tool use"),
        ("φ-Decoding and Ψ-Sampler", "$\\varphi$-Decoding and $\\Psi$-Sampler"),
        ("αβγ nets, ΜΑΤΗ", "$\\alpha\\beta\\gamma$ nets, MATH"),  # one math group a run (no `$$`); Α is A
        ("Thinking in <think> tags: P(y|x)", "Thinking in \\textless{}think\\textgreater{} tags: P(y\\textbar{}x)"),
        ("$|x| < 1$", "$|x| < 1$"),  # math as written
        # and at a math symbol written as a character (QA s76: "Unicode character ≤ not set up")
        ("Regret ≤ √T for ∞-width nets", "Regret $\\leq$ $\\surd$T for $\\infty$-width nets"),
        ("$x ≤ y$ and A × B → C", "$x \\leq{} y$ and A $\\times$ B $\\rightarrow$ C"),
    ],
)
def test_a_title_keeps_its_latex_and_escapes_what_would_break_it(title: str, field: str) -> None:
    assert title_of(bibtex(Paper(arxiv_id="2406.00001", title=title))) == field


def test_an_authors_name_escapes_what_the_title_escapes() -> None:
    """`<`, `>` and `|` in a name were left raw (printed ¡, ¿ and —), and `^` and Greek letters stopped
    LaTeX, where the title's were escaped (QA and review s73)."""
    names = ("A^B Smith", "Tau τ Zeta", "Ann ~Lee")
    author = re.search(r"author\s+= \{(.*)\},\n", bibtex(Paper(arxiv_id="2406.00001", title="T", authors=names)))
    assert author is not None and author.group(1) == (
        "Smith, A\\^{}B and $\\tau$ Zeta, Tau and \\textasciitilde{}Lee, Ann"  # (τ, lower-case, is a "von")
    )
    entry = bibtex(Paper(arxiv_id="2406.00001", title="T", authors=("<!everyone>", "A | B", "Mallory & Co_")))
    author = re.search(r"author\s+= \{(.*)\},\n", entry)
    assert author is not None and author.group(1) == (
        "\\textless{}!everyone\\textgreater{} and B, A \\textbar{} and Co\\_, Mallory \\&"
    ), entry


@FAST
@given(st.text(max_size=200))
def test_any_title_s_braces_pair_up(title: str) -> None:
    depth = 0
    for brace in re.findall(r"[{}]", bibtex(Paper(arxiv_id="2406.00001", title=title))):  # as BibTeX counts
        depth += 1 if brace == "{" else -1
        assert depth >= 0
    assert depth == 0


def test_a_paper_with_hundreds_of_authors_is_one_whole_entry_within_a_message() -> None:
    authors = tuple(f"Author{i} Surname{i}" for i in range(533))
    entry = bibtex(Paper(arxiv_id="2407.21783", title="The Llama 3 Herd of Models", authors=authors))
    assert len(entry) <= MOST and entry.endswith("url           = {https://arxiv.org/abs/2407.21783}\n}")
    assert "author        = {Surname0, Author0 and Surname1, Author1 and " in entry and " and others}," in entry
    assert "eprint        = {2407.21783}" in entry


def test_a_bibliography_names_each_key_once() -> None:
    papers = [
        Paper(arxiv_id=f"2401.0000{i}", title=f"T2V models, part {i}", authors=(f"{first} Li",))
        for i, first in enumerate(("Wei", "Jun", "Ming"))
    ]
    keys = re.findall(r"@misc\{([^,]+),", bibliography(papers))
    assert keys == ["li2024t2v", "li2024t2va", "li2024t2vb"]


def test_a_reading_lists_keys_never_move_to_a_paper_saved_later() -> None:
    """Newest first, as a reading list is: the earliest saved keeps `li2024t2v`, so a `\\cite` written from
    an earlier export still names its paper after another one with the same key is saved."""
    first, second = (
        Paper(arxiv_id=f"2401.0000{i}", title=f"T2V models, part {i}", authors=("Wei Li",)) for i in (1, 2)
    )
    before = re.findall(r"@misc\{([^,]+),\n.*?eprint\s+= \{([^}]+)\}", bibliography([first]), re.S)
    after = re.findall(
        r"@misc\{([^,]+),\n.*?eprint\s+= \{([^}]+)\}", bibliography([second, first], keyed_from_last=True), re.S
    )
    assert before == [("li2024t2v", "2401.00001")]
    assert after == [("li2024t2va", "2401.00002"), ("li2024t2v", "2401.00001")]


def test_a_long_bibliography_in_one_message_keeps_whole_entries_and_says_how_many_are_left_out() -> None:
    from bot.domain.post import code_head

    papers = [
        Paper(arxiv_id=f"2406.{10000 + i}", title=f"Paper number {i} on diffusion", authors=("A. B",))
        for i in range(60)
    ]
    whole = bibliography(papers)
    fitted, kept = code_head(whole, 2000)
    assert len(fitted) <= 2000 and fitted != whole
    *entries, note = fitted.split("\n\n")
    assert all(entry in whole.split("\n\n") for entry in entries)  # each one whole
    assert note == f"% …and {60 - len(entries)} more: a reply holds no more"  # whose, the post's file says
    cited = code_head(whole, 2000, file="citations.bib")[0].split("\n\n")[-1]
    assert cited == f"% …and {60 - len(entries)} more: a reply holds no more; cite fewer at a time for the rest"
    listed = code_head(whole, 2000, file="reading-list.bib")[0].split("\n\n")[-1]
    assert listed.endswith("a reply holds no more; `saved` lists every paper")
    assert kept == len(entries)
    assert code_head(whole, len(whole)) == (whole, 60)
    assert code_head(whole, 2000, note=False)[0] == "\n\n".join(entries)  # a message that is not the last


def test_names_with_a_suffix_or_a_comma_and_latex_that_would_break() -> None:
    from bot.domain.citation import _surname_first, _title, cite_key

    assert _surname_first("John Smith Jr.") == "Smith, Jr., John"
    assert _surname_first("Martin Luther King III") == "King, III, Martin Luther"
    assert _surname_first("Smith, John") == "Smith, John"  # already BibTeX's order
    assert _surname_first("Mihaela van der Schaar") == "van der Schaar, Mihaela"  # not "Schaar, Mihaela van der"
    assert _surname_first("Diego de las Casas") == "de las Casas, Diego"
    assert _surname_first("and Lei Bai") == "Bai, Lei"  # a source's "and" before the last author: no name
    assert cite_key(Paper(arxiv_id="2406.08414", title="Title", authors=("Mihaela van der Schaar",))).startswith(
        "schaar2024"
    )
    assert cite_key(Paper(arxiv_id="2606.00001", title="Title here", authors=("John Smith Jr.",))) == "smith2026title"
    assert _title("Costs $50%$ less") == r"Costs $50\%$ less"  # a % in math would end the line as a comment
    assert _title("~100x faster") == r"\textasciitilde{}100x faster"  # not a non-breaking space
    assert _title("{Closing} first} then open") == "Closing first then open"  # no double space left
    assert _title("~approx } stray") == r"\textasciitilde{}approx stray"  # the escape's own braces kept
    assert cite_key(Paper(arxiv_id="2606.00001", title="T x", authors=(", John",))) == "john2026t"  # no crash


def test_the_year_is_arxivs_first_listing_not_the_day_hugging_face_posted_it() -> None:
    """2405.13729 was on arXiv in May 2024 and trended on Hugging Face in 2026: its entry said 2026."""
    posted_later = Paper(
        arxiv_id="2405.13729",
        title="ComboStoc: Combinatorial Stochasticity for Diffusion Generative Models",
        authors=("Rui Xu",),
        published_at=datetime(2026, 4, 29, tzinfo=UTC),
    )
    entry = bibtex(posted_later)
    assert entry.startswith("@misc{xu2024combostoc,") and "year          = {2024}," in entry
    assert "year          = {1999}," in bibtex(Paper(arxiv_id="hep-th/9901001", title="Strings"))


def test_a_paper_without_authors_has_no_author_field() -> None:
    """`author = {Unknown}` was read by reference managers as a person named Unknown (QA s77)."""
    entry = bibtex(Paper(arxiv_id="2606.00001", title="Nameless"))
    assert "author" not in entry and entry.startswith("@misc{") and "eprint        = {2606.00001}" in entry
