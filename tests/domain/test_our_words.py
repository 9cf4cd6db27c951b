"""Why a file could not be read, in our words: never `[Errno 21] Is a directory: 'x'` or a codec's."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from bot.domain.our_words import unreadable


def _raised(read: Callable[[], object]) -> OSError | UnicodeDecodeError:
    try:
        read()
    except (OSError, UnicodeDecodeError) as exc:
        return exc
    raise AssertionError("it was read")


def test_each_way_a_file_cannot_be_read_is_said_plainly(tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe not text")
    not_gzip = tmp_path / "plain.jsonl.gz"
    not_gzip.write_text("{}", encoding="utf-8")
    said = [
        unreadable(_raised(lambda: (tmp_path / "nothing").read_text(encoding="utf-8"))),
        unreadable(_raised(lambda: tmp_path.read_text(encoding="utf-8"))),
        unreadable(_raised(lambda: binary.read_text(encoding="utf-8"))),
        unreadable(_raised(lambda: gzip.decompress(not_gzip.read_bytes()))),
    ]
    assert said == [
        "no such file",
        "a folder, not a file",
        "not UTF-8 text",
        "not a gzip file (if it is plain text, drop the .gz from its name)",
    ]
    assert all("errno" not in s.lower() and "codec" not in s for s in said)
    whole = gzip.compress(b"{}")
    bad_crc = whole[:-8] + bytes(b ^ 0xFF for b in whole[-8:-4]) + whole[-4:]
    assert unreadable(_raised(lambda: gzip.decompress(bad_crc))).startswith("a damaged gzip file")
