"""Hypothesis strategies shared by the property tests: papers and posts made of hostile text."""

from __future__ import annotations

from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.domain.cards import card
from bot.domain.models import Paper
from bot.domain.post import Card, Link, Post, Section

# What a title, an abstract or a link from Hugging Face could carry that must never ping or break out.
HOSTILE = [
    "<!channel>", "<!here>", "<!everyone>", "<@U0123ABC>", "<!subteam^S012|@team>", "<#C0123|general>",
    "<https://evil.example|innocent>", "@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>",
    "<@&123456789012345678>", "&", "&amp;", "&lt;", ">", "<", "|", "*", "_", "~", "`", "```", "\\", "[x](y)",
    "](", "\n", "\u200b", "\U0001f600", " ", "é", "ｆ",
]  # fmt: skip
# Every property test: modest and quick, no deadline and no health checks (CI machines stall: a slow
# draw is no bug), no example database written into the work tree (a failure prints its example and
# how to reproduce it). Twice the profile's examples (tests/conftest.py): 200, or 50 in `make check`.
FAST = settings(
    max_examples=2 * settings().max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
T = TypeVar("T")
PIECES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8))
TEXT = st.one_of(st.text(max_size=40), st.lists(PIECES, max_size=12).map("".join))
# Past every limit cheaply: a short text repeated (drawing 5,000 characters one by one is slow to shrink).
LONG = st.one_of(TEXT, st.tuples(TEXT, st.sampled_from([10, 100, 1000])).map(lambda pair: pair[0] * pair[1]))


def repeated(items: st.SearchStrategy[T], most: int) -> st.SearchStrategy[tuple[T, ...]]:
    """A few distinct items, or one item many times (enough to pass a count limit without drawing each)."""
    return st.one_of(
        st.lists(items, max_size=4).map(tuple),
        st.tuples(items, st.integers(0, most)).map(lambda pair: (pair[0],) * pair[1]),
    )


URLS = st.one_of(
    st.none(),
    st.sampled_from(
        ["https://github.com/a/b", "https://example.com/a b|c>d)", "!channel", "@U0123ABC", "javascript:alert(1)",
         "https://x.org/@everyone", "<!here>", "mailto:x@y.z", "", "https://" + "x" * 3000]
    ),
    TEXT,
)  # fmt: skip
IDS = st.one_of(
    st.builds(lambda a, b: f"{a:04d}.{b:05d}", st.integers(0, 9999), st.integers(0, 99999)),
    st.sampled_from(["astro-ph/0601001", "math.GT/0309136"]),
)

PAPERS = st.builds(
    Paper,
    arxiv_id=IDS,
    title=LONG,
    abstract=LONG,
    authors=repeated(TEXT, 300),
    upvotes=st.integers(0, 10**9),
    num_comments=st.integers(0, 10**6),
    organization=st.one_of(st.none(), LONG),
    github_repo=URLS,
    github_stars=st.one_of(st.none(), st.integers(0, 10**9)),
    project_page=URLS,
    ai_summary=st.one_of(st.none(), LONG),
    ai_keywords=repeated(TEXT, 30),
    thumbnail=URLS,
)

# Cards straight from arbitrary fields as well, not only through `card()`: the renderers must hold
# whatever a future caller hands them.
RAW_CARDS = st.builds(
    Card,
    paper_id=IDS,
    title=LONG,
    url=st.one_of(IDS.map(lambda i: f"https://huggingface.co/papers/{i}"), URLS.map(lambda u: u or "")),
    authors=LONG,
    organization=st.one_of(st.none(), LONG),
    upvotes=st.integers(-5, 10**12),
    comments=st.integers(0, 10**6),
    summary=LONG,
    links=repeated(st.builds(Link, label=TEXT, url=URLS.map(lambda u: u or "")), 30),
    thread=repeated(
        st.builds(
            Section,
            title=TEXT,
            text=LONG,
            links=repeated(st.builds(Link, label=TEXT, url=URLS.map(lambda u: u or "")), 30),
        ),
        60,
    ),
    thumbnail=URLS,
    rank=st.one_of(st.none(), st.integers(1, 1000)),
)
CARDS = st.one_of(st.tuples(PAPERS, st.one_of(st.none(), st.integers(1, 50))).map(lambda p: card(*p)), RAW_CARDS)

POSTS = st.builds(
    Post,
    header=LONG,
    cards=repeated(CARDS, 40),
    subheader=st.one_of(st.none(), LONG),
    empty=st.one_of(st.none(), LONG),
    text=repeated(LONG, 60),
    code=st.one_of(st.none(), LONG),
)
