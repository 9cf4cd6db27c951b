from __future__ import annotations

import pytest

from bot.sources.validation import MAX_COUNT, count, http_url, load_json, newest, version


def test_json_nested_beyond_pythons_limit_is_a_clear_error_not_a_recursion_error() -> None:
    with pytest.raises(ValueError, match="nested too deeply") as caught:
        load_json(b"[" * 100_000 + b"]" * 100_000)
    assert "\n" not in str(caught.value)


def test_a_number_too_long_for_python_is_saturated_not_an_error() -> None:
    loaded = load_json(b'{"upvotes": ' + b"9" * 5000 + b', "down": -' + b"9" * 5000 + b', "small": 12}')
    assert isinstance(loaded, dict)
    assert loaded["upvotes"] > MAX_COUNT
    assert loaded["down"] < 0
    assert loaded["small"] == 12
    assert count(loaded["upvotes"]) == MAX_COUNT


def test_half_an_emoji_is_a_replacement_character_the_rest_kept_whole() -> None:
    """A lone surrogate (an emoji cut in half by JavaScript) is valid JSON that no store can hold: the
    day's sync crashed on it, its good papers with it."""
    raw = b'{"title": "Bad \\ud83d title \\ud83d\\ude00", "\\udc00key": ["\\udbff"], "n": 1}'
    assert load_json(raw) == {"title": "Bad \ufffd title \U0001f600", "\ufffdkey": ["\ufffd"], "n": 1}
    assert load_json('["\\ud83d"]') == ["\ufffd"]
    parsed = load_json(raw)
    assert isinstance(parsed, dict)
    "".join(map(str, parsed.values())).encode("utf-8")  # what a store can hold: no UnicodeEncodeError


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'[{"a": 1', r"not valid JSON \(line 1, column 9: a comma was expected here\)"),
        (b"\xff\xfe\x00garbage", "not valid JSON|not UTF-8"),
        (b"<html>maintenance</html>", "not valid JSON"),
    ],
)
def test_other_bad_json_says_why(body: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        load_json(body)


@pytest.mark.parametrize(("value", "expected"), [(-5, 0), (0, 0), (7, 7), (10**30, MAX_COUNT), (2**63, MAX_COUNT)])
def test_counts_are_clamped_to_what_the_store_holds(value: int, expected: int) -> None:
    assert count(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://github.com/x/y", "https://github.com/x/y"),
        ("http://example.org/p?q=1#x", "http://example.org/p?q=1#x"),
        (" https://sites.google.com/view/adc-robot", "https://sites.google.com/view/adc-robot"),  # real corpus data
        ("HTTPS://Example.org", "HTTPS://Example.org"),
        ("javascript:alert(1)", None),
        ("ftp://example.org/x.png", None),
        ("data:image/png;base64,AAAA", None),
        ("//cdn.example.org/x.png", None),
        ("github.com/x/y", None),
        ("https://", None),
        ("https://exa mple.org/x", None),
        ("https://example.org/\nx", None),
        ("https://[::1", None),
        ("", None),
        (None, None),
        ("https://example.org/" + "a" * 5000, None),
        ("https://example.org/\x9b2Jx", None),  # C1 control: a terminal's one-byte escape
        ("https://example.org/\x85x", None),
        ("https://example.org/\u202egnp.exe", None),  # a bidi override: shown turned around
        ("https://example.org/\u2066x\u2069", None),
        ("https://exa\u200bmple.org/", None),  # a zero-width space: not the host it shows
        ("https://example.org/café", "https://example.org/café"),  # letters beyond ASCII are fine
    ],
)
def test_only_absolute_http_urls_pass(value: str | None, expected: str | None) -> None:
    assert http_url(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("2401.00001", 0), ("2401.00001v1", 1), ("2401.00001v12", 12), (None, 0)]
)
def test_version_of_an_id(raw: str | None, expected: int) -> None:
    assert version(raw) == expected


@pytest.mark.parametrize("order", [(1, 2, 0), (2, 1, 0), (0, 2, 1), (0, 1, 2)])
def test_the_newest_version_wins_in_any_order(order: tuple[int, int, int]) -> None:
    items = [(order[0], ("a", f"v{order[0]}")), (order[1], ("a", f"v{order[1]}")), (order[2], ("a", f"v{order[2]}"))]
    items.insert(1, (0, ("b", "only")))
    kept = newest(items, key=lambda item: item[0])
    assert kept == [("a", "v2"), ("b", "only")]  # in the order each key first appeared
