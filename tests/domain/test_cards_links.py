"""A card's links: each page once."""

from __future__ import annotations

from bot.domain.cards import card, one_line, readable
from bot.domain.models import Paper


def test_a_project_page_that_is_the_papers_own_page_is_not_linked_twice() -> None:
    same = Paper(arxiv_id="2608.19861", title="T", project_page="https://huggingface.co/papers/2608.19861/")
    other = Paper(arxiv_id="2608.19862", title="T", project_page="https://proj.example")
    assert [link.label for link in card(same).links].count("Project page") == 0
    assert "Project page" in [link.label for link in card(other).links]


def test_a_project_page_that_is_the_code_or_the_pdf_is_not_linked_twice() -> None:
    repo = Paper(
        arxiv_id="2503.01785",
        title="T",
        github_repo="https://github.com/L/Visual-RFT",
        project_page="https://www.github.com/L/Visual-RFT.git/",
    )
    pdf = Paper(arxiv_id="2605.11518", title="T", project_page="https://arxiv.org/pdf/2605.11518")
    html = Paper(arxiv_id="2510.24654", title="T", project_page="https://arxiv.org/html/2510.24654v1")
    for paper in (repo, pdf, html):
        assert [link.label for link in card(paper).links].count("Project page") == 0, paper.project_page
    assert [link.label for link in card(repo).links].count("Code") == 1


def test_the_cards_line_is_the_abstracts_whole_first_sentence() -> None:
    """The line ended "(e.g." and "(90.9% vs.": a period after an abbreviation ends no sentence."""
    for abstract, line in (
        ("Tree search algorithms (e.g. MCTS) help. More.", "Tree search algorithms (e.g. MCTS) help."),
        ("It scores 90.9% vs. 85.1% on X. More.", "It scores 90.9% vs. 85.1% on X."),
        ("We propose MR. Video, a model. More.", "We propose MR. Video, a model."),
        ("Smith et al. 2024 showed it (a.k.a. Y). More.", "Smith et al. 2024 showed it (a.k.a. Y)."),
        ("A first sentence. A second.", "A first sentence."),
    ):
        assert one_line(Paper(arxiv_id="2407.00320", title="T", abstract=abstract)) == line


def test_latex_quotes_read_as_quotes() -> None:
    """``slightly better'' showed its backticks as code on Slack and Discord."""
    assert readable("rated ``slightly better'' or ``tie''") == "rated “slightly better” or “tie”"
    summary = card(Paper(arxiv_id="2406.04770", title="T", abstract="Said ``tie''. More.")).summary
    assert summary == "Said “tie”."


def test_latex_single_quotes_read_as_quotes() -> None:
    """LongRAG's abstract (2406.15319): "the `needle' unit … `heavy' retriever" showed the words between two
    backticks, two sentences of them, as code on Slack and Discord. A code span stays one."""
    said = "a `needle' unit. Such an imbalanced `heavy' retriever"
    assert readable(said) == "a ‘needle’ unit. Such an imbalanced ‘heavy’ retriever"
    assert readable("``tie'' and `one'") == "“tie” and ‘one’"
    assert readable("`foo` is Bob's") == "`foo` is Bob's"  # a code span, then an apostrophe: as written
    assert readable("it's `x'y' z") == "it's `x'y' z"


def test_a_code_fence_is_no_latex_quote() -> None:
    """A summary's "```unclosed …" showed as “` (QA s72): three backticks open no quote."""
    assert readable("```unclosed code, ``quoted'' after") == "```unclosed code, “quoted” after"
    assert readable("```python x``` and ``open") == "```python x``` and “open"
