"""Canonical arXiv ids: parsed from ids, versioned ids and arXiv or Hugging Face URLs."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from bot.domain.errors import InvalidPaperId

# New style since 2007 (YYMM.NNNN, five digits since 2015), old style archive[.SC]/YYMMNNN.
# ASCII only: in Unicode mode \d takes full-width and Arabic-Indic digits, and IGNORECASE lets the
# Kelvin sign match k and the long s match s, none of which belongs in an id.
_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?"
_BARE = re.compile(rf"(?:arxiv:)?{_ID}", re.IGNORECASE | re.ASCII)
_URL = re.compile(
    rf"(?:https?://)?(?:www\.|export\.)?(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers|hf\.co/papers)/"
    rf"{_ID}(?:\.pdf)?/?(?:[?#]\S*)?",
    re.IGNORECASE | re.ASCII,
)


def parse_arxiv_id(text: str) -> str:
    """Return the canonical id (no version, old-style archive lower-cased) or raise InvalidPaperId."""
    cleaned = text.strip().strip("<>")
    match = _BARE.fullmatch(cleaned) or _URL.fullmatch(cleaned)
    if match is None:
        raise InvalidPaperId(text)
    return canonical(match.group("id"))


def canonical(arxiv_id: str) -> str:
    """Normalise an id already known to be well formed: drop the version, fix the case."""
    base = re.sub(r"v\d+$", "", arxiv_id.strip())
    if "/" in base:
        archive, number = base.split("/", 1)
        head, _, sub = archive.partition(".")
        archive = head.lower() + (f".{sub.upper()}" if sub else "")
        return f"{archive}/{number}"
    return base


def is_arxiv_id(text: str) -> bool:
    try:
        parse_arxiv_id(text)
    except InvalidPaperId:
        return False
    return True


def _validated(value: str) -> str:
    try:
        return parse_arxiv_id(value)
    except InvalidPaperId as exc:
        raise ValueError(str(exc)) from None


ArxivId = Annotated[str, AfterValidator(_validated)]
"""A wire field holding an arXiv id: validated and made canonical while parsing."""
