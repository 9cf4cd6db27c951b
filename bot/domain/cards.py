"""From a paper to its card: the one-line summary, the links, and the seed of its thread."""

from __future__ import annotations

import re

from bot.domain.ids import paper_url_id
from bot.domain.models import Paper
from bot.domain.post import Card, Link, Post, Section
from bot.domain.words import counted

SUMMARY_CHARS = 220
CARD_TITLE_CHARS = 300  # a title longer is a listing's broken one (the corpus's longest is 175): cut, not printed whole
ABSTRACT_CHARS = 1200
AUTHORS_SHOWN = 4
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Words a period ends without ending the sentence: "(e.g. MCTS)", "90.9% vs. 85%", "MR. Video", "et al. 2024"
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "vs", "cf", "etc", "al", "fig", "figs", "eq", "eqs", "sec", "approx", "resp", "viz", "incl"}
    | {"ca", "dr", "mr", "mrs", "ms", "prof", "jr", "sr"}
)
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")  # "a.k.a", "e.g", "u.s", as the period before the next word leaves them
_LATEX_QUOTES = re.compile(r"(?<!`)``(?!`)(.*?)''")  # LaTeX's quotation marks, in abstracts as arXiv has them
_LATEX_OPEN = re.compile(r"(?<!`)``(?!`)")  # … one left open; three backticks are none (a code fence: “` was shown)
# …and its single ones (`needle'; 31 in the corpus's abstracts), never a code span's closing backtick: "`x` is Bob's"
_LATEX_SINGLE = re.compile(r"(?<![`\w])`(?=\S)([^`'\n]{1,80}?)(?<=\S)'(?![\w'])")


def joined(parts: list[str], limit: int, separator: str = " · ") -> str:
    """Whole parts (links) while they fit in `limit`: a link cut in half would show its markup
    (both renderers join their links with it)."""
    text = ""
    for part in parts:
        candidate = f"{text}{separator}{part}" if text else part
        if len(candidate) > limit:
            break
        text = candidate
    return text


def word_head(text: str, limit: int) -> str | None:
    """None when `text` fits in `limit`; else its head, short enough for a "…" after it, ended at a
    word when a word boundary lies in the second half (renderers add their own safety on top)."""
    if len(text) <= limit:
        return None
    head = text[: max(limit - 1, 1)]
    space = head.rfind(" ")
    return head[:space] if space > limit // 2 else head


def readable(text: str) -> str:
    """A paper's text as a person reads it: LaTeX's ``quotes'' as “quotes” and `quotes' as ‘quotes’ (their
    backticks showed as code on Slack and Discord, the words between them in monospace)."""
    if "``" in text:
        text = _LATEX_OPEN.sub("“", _LATEX_QUOTES.sub(r"“\1”", text))
    return _LATEX_SINGLE.sub(r"‘\1’", text) if "`" in text else text


def first_sentence(text: str) -> str:
    """The text up to its first sentence's end; not at a period that ends an abbreviation ("e.g.", "vs.",
    "a.k.a."): the card's line ended "(e.g."."""
    for end in _SENTENCE.finditer(text):
        before = text[: end.start()]
        word = before.split()[-1].lstrip("([{\"'“‘").rstrip(".").lower() if before.split() else ""
        if before.endswith(".") and (word in _ABBREVIATIONS or _DOTTED.fullmatch(word)):
            continue
        return before
    return text


def shorten(text: str, limit: int) -> str:
    """`text` with white space folded (`readable`), cut at a word to at most `limit` characters, with "…"
    when cut."""
    text = " ".join(readable(text).split())
    head = word_head(text, limit)
    return text if head is None else head.rstrip(" ,;:-") + "…"


def byline(authors: tuple[str, ...], shown: int = AUTHORS_SHOWN) -> str:
    if not authors:
        return "Unknown authors"
    if len(authors) <= shown:
        return ", ".join(authors)
    return f"{', '.join(authors[:shown])} and {len(authors) - shown} more"


def one_line(paper: Paper) -> str:
    """Hugging Face's AI summary, else the abstract's first sentence, cut to one line."""
    if paper.ai_summary:
        return shorten(paper.ai_summary, SUMMARY_CHARS)
    if paper.abstract:
        return shorten(first_sentence(paper.abstract), SUMMARY_CHARS)
    return ""


def links(paper: Paper) -> tuple[Link, ...]:
    found = [Link("Hugging Face", paper.hf_url), Link("arXiv", paper.arxiv_url), Link("PDF", paper.pdf_url)]
    if paper.github_repo:
        stars = f" ★{paper.github_stars:,}" if paper.github_stars else ""
        found.append(Link(f"Code{stars}", paper.github_repo))
    if paper.project_page and not _same_page(paper, paper.project_page):
        found.append(Link("Project page", paper.project_page))  # not a second link to the same page
    return tuple(found)


def _same_page(paper: Paper, url: str) -> bool:
    """Whether a project page is a page the card links already: the paper's own on Hugging Face or arXiv
    (abstract, PDF, HTML, any version), or its code's repository."""
    if paper_url_id(url) == paper.arxiv_id:
        return True
    return bool(paper.github_repo) and _page(url) == _page(paper.github_repo or "")


def _page(url: str) -> str:
    """A URL as the page it names: no scheme, `www.`, `.git` or trailing slash, any case."""
    bare = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return bare.rstrip("/").removesuffix(".git").rstrip("/")


def thread_seed(paper: Paper) -> tuple[Section, ...]:
    sections = [Section("Abstract", shorten(paper.abstract, ABSTRACT_CHARS))] if paper.abstract else []
    if paper.ai_summary:
        sections.append(Section("AI summary", readable(paper.ai_summary)))
    if paper.ai_keywords:
        sections.append(Section("Keywords", ", ".join(paper.ai_keywords[:12])))
    sections.append(Section("Authors", byline(paper.authors, shown=12)))
    sections.append(Section("Links", links=links(paper)))
    return tuple(sections)


def card(paper: Paper, rank: int | None = None, *, seeded: bool = True) -> Card:
    """The paper's card; `seeded` False leaves out its thread's seed (an answer's cards start no thread:
    a share makes its own card), two thirds of a card's making."""
    return Card(
        paper_id=paper.arxiv_id,
        title=paper.title if len(paper.title) <= CARD_TITLE_CHARS else shorten(paper.title, CARD_TITLE_CHARS),
        url=paper.hf_url,
        authors=byline(paper.authors),
        organization=paper.organization,
        upvotes=paper.upvotes,
        comments=paper.num_comments,
        summary=one_line(paper),
        links=links(paper),
        thread=thread_seed(paper) if seeded else (),
        thumbnail=paper.thumbnail,
        rank=rank,
        topics=paper.ai_keywords,
    )


def paper_post(paper: Paper) -> Post:
    """One paper on its own (`paper <id>`): its card under its id and where it was listed, not its title
    twice (the card leads with the title)."""
    if paper.listed_on:
        more = len(paper.listed_on) - 1
        also = f" (and {counted(more, 'day')} before)" if more else ""
        where = f"On Hugging Face Daily Papers {paper.listed_on[-1]:%-d %B %Y}{also}"
    # the days the store holds, not Hugging Face's every day: a paper fetched alone may be listed on a day
    # no sync has fetched ("not listed on Hugging Face Daily Papers" was said of papers that were)
    elif paper.published_at is not None:
        where = f"Published on arXiv {paper.published_at:%-d %B %Y}; on none of the Daily Papers days in the store"
    else:
        where = "On none of the Hugging Face Daily Papers days in the store"
    return Post(header=f"arXiv {paper.arxiv_id}", subheader=where, cards=(card(paper),))
