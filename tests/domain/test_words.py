from __future__ import annotations

import pytest

from bot.domain.words import quoted


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("diffusion", "“diffusion”"),
        ('"chain of thought"', "“chain of thought”"),  # was “"chain of thought"”
        ("“chain of thought”", "“chain of thought”"),
        ('  "chain of thought" ', "“chain of thought”"),
        ('"world model" agents', '“"world model" agents”'),  # a phrase among words keeps its quotes
        ('"a" and "b"', '“"a" and "b"”'),  # two phrases: not one quoted text
        ('""', '“""”'),
        ("x" * 150, "“" + "x" * 99 + "…”"),  # cut, and said to be (QA s74: “…with draft mod”)
        ("draft model " * 12, "“" + " ".join(["draft model"] * 8) + "…”"),  # at a word
    ],
)
def test_a_query_is_named_in_curly_quotes_once(typed: str, shown: str) -> None:
    assert quoted(typed) == shown
