"""arXiv ids and paper links under arbitrary text: a canonical ASCII id or InvalidPaperId, nothing else."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidPaperId
from bot.domain.ids import canonical, is_arxiv_id, parse_arxiv_id
from tests.strategies import FAST

CANONICAL = re.compile(r"\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}", re.ASCII)


def _new_style(year: int, month: int, number: int) -> str:
    month = max(month, 4) if year == 7 else month  # new-style ids began in April 2007
    digits = 4 if year * 100 + month < 1501 else 5  # four digits after the dot before 2015, five since
    return f"{year:02d}{month:02d}.{number % 10**digits:0{digits}d}"


NEW_STYLE = st.builds(_new_style, st.integers(7, 99), st.integers(1, 12), st.integers(0, 99999))
OLD_STYLE = st.builds(
    lambda archive, subject, number: f"{archive}{subject}/{number:07d}",
    st.sampled_from(["astro-ph", "hep-th", "math", "cs", "quant-ph", "cond-mat", "Math", "HEP-TH"]),
    st.sampled_from(["", ".GT", ".AG", ".ai", ".LG"]),
    st.integers(0, 9_999_999),
)
IDS = st.one_of(NEW_STYLE, OLD_STYLE)
VERSIONS = st.one_of(st.just(""), st.integers(1, 30).map(lambda n: f"v{n}"))
FORMS = st.sampled_from(
    [
        "{}",
        "arXiv:{}",
        " {} ",
        "<{}>",
        "https://arxiv.org/abs/{}",
        "http://arxiv.org/pdf/{}.pdf",
        "https://export.arxiv.org/abs/{}",
        "https://www.arxiv.org/html/{}",
        "https://huggingface.co/papers/{}",
        "hf.co/papers/{}?utm=x",
        "<https://huggingface.co/papers/{}#comments>",
    ]
)


def _refused(text: str) -> bool:
    try:
        parse_arxiv_id(text)
    except InvalidPaperId as exc:
        refused: InvalidPaperId | None = exc
    else:
        refused = None
    if refused is None:
        return False
    assert refused.text == text
    assert "not an arXiv id" in str(refused) and len(str(refused)) < 1000
    return True


@FAST
@given(IDS, VERSIONS, FORMS)
def test_every_form_of_an_id_gives_the_canonical_id(arxiv_id: str, version: str, form: str) -> None:
    expected = canonical(arxiv_id)
    assert parse_arxiv_id(form.format(arxiv_id + version)) == expected
    assert parse_arxiv_id(expected) == expected  # canonical ids are fixed points
    assert CANONICAL.fullmatch(expected)


@FAST
@given(st.text(max_size=200))
def test_any_text_is_an_id_or_refused(text: str) -> None:
    if _refused(text):
        assert not is_arxiv_id(text)
        return
    found = parse_arxiv_id(text)
    assert is_arxiv_id(text)
    assert found.isascii() and CANONICAL.fullmatch(found), found
    assert parse_arxiv_id(found) == found


@FAST
@given(st.text(alphabet="0123456789.vV/:-abcxyzhtps<> \n\uff12\u0663\u212a\u017f", max_size=40))
def test_near_misses_are_ascii_ids_or_refused(text: str) -> None:
    """Digits from other scripts (full-width 2, Arabic-Indic 3) and letters that fold to ASCII (Kelvin K, long s)."""
    if not _refused(text):
        found = parse_arxiv_id(text)
        assert found.isascii() and CANONICAL.fullmatch(found), (text, found)


def test_digits_and_letters_from_other_scripts_are_refused() -> None:
    for text in (
        "\uff12\uff14\uff10\uff16.\uff11\uff12\uff13\uff14\uff15",
        "2406.1234\u0663",
        "\u017ftat/0601001",
        "\u212aath/0601001",
    ):
        assert _refused(text), text


@given(st.integers(0, 99), st.sampled_from([0, 13, 20, 99]), st.integers(0, 99999))
def test_a_month_no_calendar_has_is_no_id(year: int, month: int, number: int) -> None:
    """`paper 9999.99999` was looked up as a paper (and, online, asked of arXiv): the month is 01 to 12."""
    assert not is_arxiv_id(f"{year:02d}{month:02d}.{number:05d}")
    assert not is_arxiv_id("2608.19880v0")  # versions count from 1
