"""Canonical arXiv ids: parsed from ids, versioned ids and arXiv or Hugging Face URLs."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from bot.domain.errors import InvalidPaperId

# New style since 2007 (YYMM.NNNN, five digits since 2015), old style archive[.SC]/YYMMNNN.
# ASCII only: in Unicode mode \d takes full-width and Arabic-Indic digits, and IGNORECASE lets the
# Kelvin sign match k and the long s match s, none of which belongs in an id.
_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?"
_BARE = re.compile(rf"(?:arxiv:)?{_ID}", re.IGNORECASE | re.ASCII)
_PAPER_PATH = (  # arXiv's and Hugging Face's pages, alphaXiv's and ar5iv's, pages of other sites named by the
    # arXiv id (Semantic Scholar's, papers.cool's, SciRate's, Emergent Mind's), and arXiv's DOI (10.48550/arXiv.ID)
    r"(?:(?:www\.|export\.|browse\.)?(?:arxiv\.org/(?:abs|pdf|html|format|e-print|src)|huggingface\.co/papers|hf\.co/papers)/"
    r"|(?:www\.)?alphaxiv\.org/(?:abs|overview|pdf)/|ar5iv(?:\.labs\.arxiv)?\.org/(?:abs|html)/"
    r"|(?:www\.)?(?:semanticscholar\.org|papers\.cool|scirate\.com)/arxiv/|(?:www\.)?emergentmind\.com/papers/"
    r"|(?:dx\.)?doi\.org/10\.48550/arxiv\.)"
)
_URL = re.compile(rf"(?:https?://)?{_PAPER_PATH}{_ID}(?:\.pdf)?/?(?:[?#]\S*)?", re.IGNORECASE | re.ASCII)
# A paper link inside running text: a whole URL, its http(s):// or not (`arxiv.org/abs/2406.12345`, as
# people paste it and Slack links it), not glued to a longer id or word on either side (`_…_`, a chat's
# italics, is no word).
_LINK = re.compile(
    rf"(?<![A-Za-z0-9./-])(?:https?://)?{_PAPER_PATH}{_ID}(?:\.pdf)?/?(?![\w.]*[A-Za-z0-9])(?:[?#][^\s<>|]*)?",
    re.IGNORECASE | re.ASCII,
)


def _possible(match: re.Match[str] | None) -> bool:
    """Whether a matched id can exist: a new-style id's month is 01 to 12 (`9999.99999` is none), from April
    2007 (0704: `0703.0001` is none); until December 2014 they have four digits after the dot, since
    January 2015 (1501) five, so `2406.1234` is a typo, not a paper arXiv could have; versions count from 1
    (`v0` is none)."""
    if match is None or (match.group("version") is not None and int(match.group("version")) == 0):
        return False
    head, _, number = match.group("id").partition(".")
    if not (head.isdigit() and number.isdigit()):  # old style, `hep-th/9901001`, `math.GT/0309136`
        return True
    if id_month(match.group("id")) is None or int(head) < 704:  # new-style ids began in April 2007
        return False
    return len(number) == (5 if int(head) >= 1501 else 4)


def id_month(arxiv_id: str) -> date | None:
    """The first day of the month a new-style id was given in (`2605.03849`: 1 May 2026); None for an
    old-style id (`hep-th/9901001`) or a month no calendar has (`9913.00001`)."""
    head, dot, number = arxiv_id.partition(".")
    if not (dot and head.isdigit() and number.isdigit() and len(head) == 4 and 1 <= int(head[2:]) <= 12):
        return None
    return date(2000 + int(head[:2]), int(head[2:]), 1)


def parse_arxiv_id(text: str) -> str:
    """Return the canonical id (no version, old-style archive lower-cased) or raise InvalidPaperId."""
    cleaned = re.sub(r"(?i)^arxiv:\s+", "arXiv:", text.strip().strip("<>"))  # `arXiv: 2406.12345`, as cited
    match = _BARE.fullmatch(cleaned) or _URL.fullmatch(cleaned)
    if match is None or not _possible(match):
        raise InvalidPaperId(text)
    return canonical(match.group("id"))


def paper_url_id(url: str) -> str | None:
    """The canonical id of a paper link (arxiv.org abs/pdf/html, huggingface.co or hf.co papers, alphaxiv.org,
    ar5iv), None for any other URL: a bare id is not a link."""
    match = _LINK.fullmatch(url.strip())
    return canonical(match.group("id")) if match and _possible(match) else None


def paper_links(text: str) -> list[tuple[str, str]]:
    """Every paper link in a message, in order, as (the URL as written, canonical id); a repeated URL once."""
    found: dict[str, str] = {}
    for match in _LINK.finditer(text):
        if _possible(match):
            found.setdefault(match.group(0), canonical(match.group("id")))
    return list(found.items())


def impossible_links(text: str) -> list[str]:
    """The ids, as written, of the paper links in a message that no paper can have
    (`https://arxiv.org/abs/9999.99999`: no month 99), in order, each once."""
    return list(
        dict.fromkeys(
            m.group("id") + (f"v{m['version']}" if m["version"] else "")
            for m in _LINK.finditer(text)
            if not _possible(m)
        )
    )


def papers_named(text: str) -> list[str]:
    """The canonical ids of the papers a message names, in order, each once: by link (`paper_links`) or
    by id standing as a word, whatever punctuation is around it (`(2406.12345)`, `2406.12345？`,
    `arXiv:2406.12345v2,`), or as a downloaded PDF's name (`2406.12345v2.pdf`)."""
    found = dict.fromkeys(arxiv_id for _, arxiv_id in paper_links(text))
    for word in _ARXIV_DOI.sub(" ", text).split():  # `doi:10.48550/arXiv.2406.12345`: the id after it
        bare = word.strip("".join(c for c in word if _around(c)))
        bare = bare[:-4] if bare[-4:].lower() == ".pdf" else bare  # `2608.19880v2.pdf`, arXiv's download's name
        if bare and (match := _BARE.fullmatch(bare)) is not None and _possible(match):
            found.setdefault(canonical(match.group("id")))
    return list(found)


_ARXIV_DOI = re.compile(r"(?i)\b(?:doi:\s*)?10\.48550/arxiv\.")  # arXiv's DOI prefix, before the id


def _around(char: str) -> bool:
    """Punctuation or a symbol, which may stand around an id in a sentence (not part of it)."""
    return unicodedata.category(char)[0] in "PS"


def canonical(arxiv_id: str) -> str:
    """Normalise an id already known to be well formed: drop the version, fix the case."""
    base = re.sub(r"v\d+$", "", arxiv_id.strip())
    if "/" in base:
        archive, number = base.split("/", 1)
        head, _, sub = archive.partition(".")
        archive = head.lower() + (f".{sub.upper()}" if sub else "")
        return f"{archive}/{number}"
    return base


def a_paper_link(text: str) -> bool:
    """Whether the text is one paper link (arxiv.org, huggingface.co or hf.co papers, alphaxiv.org, ar5iv),
    its id possible or not: `https://arxiv.org/abs/9999.99999` names no paper, and is no words to search for either."""
    return _URL.fullmatch(text.strip().strip("<>")) is not None


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
