"""BibTeX for a paper, in the form arXiv's own export uses (@misc with eprint and archivePrefix)."""

from __future__ import annotations

import re
import unicodedata

from bot.domain.models import Paper

_SPECIAL = re.compile(r"([&%$#_{}])")
_SKIP = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards", "toward"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _surname_first(name: str) -> str:
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def cite_key(paper: Paper) -> str:
    surname = paper.authors[0].split()[-1] if paper.authors else "anon"
    year = paper.published_at.year if paper.published_at else _year_from_id(paper.arxiv_id)
    word = next((w for w in re.findall(r"[A-Za-z0-9]+", _ascii(paper.title)) if w.lower() not in _SKIP), "paper")
    return re.sub(r"[^a-z0-9]", "", f"{_ascii(surname)}{year}{word}".lower()) or "paper"


def _year_from_id(arxiv_id: str) -> int:
    digits = re.search(r"(\d{2})\d{2}", arxiv_id.split("/")[-1])
    yy = int(digits.group(1)) if digits else 0
    return 1900 + yy if yy >= 91 else 2000 + yy


def bibtex(paper: Paper) -> str:
    year = paper.published_at.year if paper.published_at else _year_from_id(paper.arxiv_id)
    fields = [
        ("title", f"{{{_escape(paper.title)}}}"),
        ("author", " and ".join(_escape(_surname_first(a)) for a in paper.authors) or "Unknown"),
        ("year", str(year)),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("url", paper.arxiv_url),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name:<{width}} = {{{value}}}" for name, value in fields)
    return f"@misc{{{cite_key(paper)},\n{body}\n}}"
