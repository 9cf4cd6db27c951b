"""A card's links: each page once."""

from __future__ import annotations

from bot.domain.cards import card
from bot.domain.models import Paper


def test_a_project_page_that_is_the_papers_own_page_is_not_linked_twice() -> None:
    same = Paper(arxiv_id="2608.19861", title="T", project_page="https://huggingface.co/papers/2608.19861/")
    other = Paper(arxiv_id="2608.19862", title="T", project_page="https://proj.example")
    assert [link.label for link in card(same).links].count("Project page") == 0
    assert "Project page" in [link.label for link in card(other).links]
