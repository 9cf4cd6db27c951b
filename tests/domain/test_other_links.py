"""Links to no paper's page: a repository's, another site's (`bot.domain.other_links`)."""

from __future__ import annotations

import pytest

from bot.domain.other_links import link_words, one_url, repository


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("https://github.com/NVlabs/Fast-dLLM", "NVlabs/Fast-dLLM"),
        ("https://github.com/NVlabs/Fast-dLLM/tree/main/v2", "NVlabs/Fast-dLLM"),
        ("http://www.github.com/a/b.git", "a/b"),
        ("https://github.com/NVlabs", None),  # an owner, no repository
        ("https://github.com/topics/diffusion-models", None),  # GitHub's own page
        ("https://gitlab.com/a/b", None),
    ],
)
def test_a_repositorys_link_names_it(url: str, named: str | None) -> None:
    assert repository(url) == named


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://paperswithcode.com/paper/attention-is-all-you-need", "attention is all you need"),
        (
            "https://www.semanticscholar.org/paper/Fast-dLLM-v2-Efficient/204e3073870fae3d05bcbc2f6a8e263d9b72e776",
            "Fast dLLM v2 Efficient",
        ),
        ("https://scholar.google.com/scholar?q=diffusion+models", "diffusion models"),
        ("https://example.com/blog/2024/03/new-rl-method.html", ""),  # no paper site: its words are no topic
        ("https://www.youtube.com/watch?v=abc", ""),  # it was "watch"
        ("https://www.researchgate.net/publication/123456_Deep_Residual_Learning.pdf", "Deep Residual Learning"),
        ("https://openreview.net/forum?id=abc123", ""),  # an id alone: no words
    ],
)
def test_another_sites_address_holds_its_papers_words(url: str, words: str) -> None:
    assert link_words(url) == words


def test_one_url_is_a_text_that_is_a_link_alone() -> None:
    assert one_url("<https://github.com/a/b|github.com/a/b>") == "https://github.com/a/b"  # Slack's form
    assert one_url("see https://github.com/a/b") is None
    assert one_url("https://github.com/NVlabs/Fast-dLLM.") == "https://github.com/NVlabs/Fast-dLLM"  # a full stop
    assert one_url("github.com/NVlabs/Fast-dLLM") == "github.com/NVlabs/Fast-dLLM"  # a repository's, no scheme


def test_a_link_searched_from_the_command_line_or_discord_is_read_as_chat_reads_it() -> None:
    from bot.chat.commands import RepositoryLookup, search_option, search_parts

    assert search_parts("https://paperswithcode.com/paper/fast-dllm-v2") == ("fast dllm v2", 0, None, None)
    assert search_parts("https://github.com/NVlabs/Fast-dLLM") == ("Fast dLLM", 0, None, None)  # none links it
    assert search_option("https://github.com/NVlabs/Fast-dLLM") == RepositoryLookup("NVlabs/Fast-dLLM")
