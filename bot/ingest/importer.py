"""`paperboy import`: HF daily-papers JSON arrays and corpus JSONL(.gz), each file all or nothing.

Unlike a sync, an import refuses a whole file for one bad item, naming it: the person who gave the
file is there to mend it, and half a file stored is harder to notice than a refusal.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.domain.errors import ImportFileError
from bot.domain.models import Listing
from bot.domain.our_words import calendar_fault, unreadable
from bot.domain.words import counted
from bot.ingest.snapshot import forget_snapshot
from bot.sources.corpus import open_text, read_newest, where_not_utf8
from bot.sources.hf_payload import listing_days, parse_daily
from bot.sources.validation import JsonError, load_json
from bot.store.papers import PaperStore, SaveCounts

_DAY_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz")  # what an import reads; its messages name these
_SUFFIXES_SAID = ", ".join(_SUFFIXES[:-1]) + " or " + _SUFFIXES[-1]
_SHOWN = 5  # days named in a refusal; the rest counted
MAX_FILE_CHARS = 64 * 2**20  # a JSON array is read whole; a day's listing is under 1 MB (corpora are streamed)


@dataclass(frozen=True)
class FileResult:
    path: Path
    counts: SaveCounts | None = None
    error: str | None = None


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given; a folder as the importable files directly inside it, in name order; each file once
    (`import a.json a.json`, or a file and its folder, counted its listings twice)."""
    seen: set[Path] = set()
    for path in paths:
        for file in sorted(p for p in path.iterdir() if p.is_file() and _importable(p)) if path.is_dir() else [path]:
            if (same := file.resolve()) not in seen:
                seen.add(same)
                yield file


def skipped_note(paths: list[Path], *, shown: int = 5) -> str | None:
    """One line naming what inside the folders given an import passes over (hidden ones aside): files
    it does not read, and folders (it reads only the files directly inside a folder); None when there
    is none. A file or folder skipped unsaid looks imported."""
    inside = [p for folder in paths if folder.is_dir() for p in folder.iterdir() if not p.name.startswith(".")]
    passed = sorted(p.name for p in inside if p.is_file() and not _importable(p))
    folders = sorted(p.name for p in inside if p.is_dir())
    said = []
    if passed:
        files = "1 file that is" if len(passed) == 1 else f"{len(passed)} files that are"
        said.append(f"skipped {files} not {_SUFFIXES_SAID}: {_some(passed, shown)}")
    if folders:
        held = counted(len(folders), "folder")
        said.append(
            f"skipped {held} inside (an import reads the files directly in a folder; give each as a PATH"
            f" of its own): {_some(folders, shown)}"
        )
    return "; ".join(said) or None


def _some(names: list[str], shown: int) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def none_importable(paths: list[Path]) -> str:
    """The refusal of an import that found no file to read in the folders given."""
    given = ", ".join(map(str, paths))
    return f"no importable files in {given}: give files ending {_SUFFIXES_SAID}, or folders of them"


def _importable(path: Path) -> bool:
    return path.name.lower().endswith(_SUFFIXES)  # 2026-06-03.JSON as well


def read_file(path: Path, *, max_chars: int = MAX_FILE_CHARS, today: date | None = None) -> list[Listing]:
    """Parse a whole file before anything is stored; raise ImportFileError with a one-line reason.

    A paper is filed under the listing day it carries; the day a file's name gives is for papers that
    carry none. A day after tomorrow (UTC, or `today`), a typo, would be every digest's latest day: refused.
    """
    if not path.exists():
        raise ImportFileError(str(path), "no such file or folder")
    latest = (today or datetime.now(UTC).date()) + timedelta(days=1)  # tomorrow: somewhere, it is already
    try:
        if path.name.lower().endswith((".jsonl", ".jsonl.gz")):
            return read_newest(path, latest=latest)
        text = _text(path, max_chars)
        raw, named = _array(text, path), _days_in_name(path)
        _check_named_days(raw, named, path, latest)
        return parse_daily(raw, named[0] if named else None, own_days=True, latest=latest)
    except (OSError, UnicodeDecodeError, EOFError, zlib.error) as exc:  # before ValueError: a decode error is one
        raise ImportFileError(str(path), unreadable(exc)) from None
    except ValueError as exc:
        raise ImportFileError(str(path), str(exc)) from None


def _text(path: Path, max_chars: int) -> str:
    try:
        with open_text(path) as handle:
            text = handle.read(max_chars + 1)
    except UnicodeDecodeError:  # said with its line and byte, as a corpus line is
        if not path.is_file():  # a pipe's bytes are gone: not read again (a FIFO opened again waits for ever)
            raise ValueError(
                "not UTF-8 text: save it as UTF-8 (a gzipped file is read from a name ending .gz)"
            ) from None
        raise ValueError(where_not_utf8(path)) from None
    if len(text) > max_chars:
        raise ValueError(
            f"longer than {max_chars:,} characters; a day's listing is far shorter "
            "(for many days, use the corpus format: one JSON object a line, .jsonl or .jsonl.gz)"
        )
    return text


def _array(text: str, path: Path) -> object:
    """The file's JSON; a corpus (one object a line) saved under a daily array's name is told its name,
    and Hugging Face's items one a line (`jq -c '.[]'`) are told to be one array."""
    try:
        raw = load_json(text)
    except JsonError:
        if text.lstrip("\ufeff \t\r\n")[:1] == "<":
            raise ValueError(
                "a web page (HTML), not Hugging Face's JSON: save what the API answers, "
                "https://huggingface.co/api/daily_papers?date=YYYY-MM-DD, not the papers page"
            ) from None
        first = _first_line(text)
        if _a_corpus_line(first):
            raise ValueError(_a_corpus(path)) from None
        if isinstance(first, dict) and "paper" in first:
            raise ValueError(
                "line 1 is one Hugging Face item and more follow: a daily-papers file is one JSON array of"
                " them; put them in one ([ …, … ], as `jq -s` writes it)"
            ) from None
        raise
    if _a_corpus_line(raw):  # a corpus of one line
        raise ValueError(_a_corpus(path))
    return raw


def _first_line(text: str) -> object:
    """The file's first line read as JSON, or None where it is none."""
    try:
        return load_json(text.lstrip("\ufeff \t\r\n").split("\n", 1)[0])
    except JsonError:
        return None


def _a_corpus_line(value: object) -> bool:
    return isinstance(value, dict) and bool({"arxiv_id", "daily_date"} & value.keys())


def _a_corpus(path: Path) -> str:
    name = re.sub(r"\.json(?=(\.gz)?$)", ".jsonl", path.name, flags=re.IGNORECASE)
    return (
        "line 1 is a JSON object: it looks like a corpus (one JSON object a line), "
        f"not a daily-papers array; rename it {name}"
    )


def _check_named_days(raw: object, named: list[date], path: Path, latest: date) -> None:
    """A file named after a day (or from one day to another) whose papers all say they were listed on
    other days is misnamed, or another file than meant: refused, naming the days its papers were on.
    A day in the name after `latest` would file the papers that carry no day of their own there, and a
    file named for several days cannot say which of them such papers were listed on: both refused."""
    if not named or not isinstance(raw, list):
        return
    if named[0] > latest:
        raise ValueError(
            f"named {named[0]}, a day still to come (no listing is dated after {latest}): "
            "rename it after the day its papers were listed"
        )
    if not raw:  # a day Hugging Face listed nothing for (a weekend), saved as it answers: `[]`
        return
    said = listing_days(raw)
    first, last = min(named), max(named)
    if first != last and (dayless := len(raw) - sum(said.values())):
        raise ValueError(
            f"named {first} to {last}, but {dayless:,} of its {counted(len(raw), 'paper')} carry no listing day, so"
            f" the day each was listed on is not known: save each day in a file of its own, named for it ({first}.json)"
        )
    if sum(said.values()) < len(raw) or any(first <= day <= last for day in said):  # some on a named day
        return
    days = sorted(said.items())
    listed = ", ".join(f"{day} ({counted(n, 'paper')})" for day, n in days[:_SHOWN])
    listed += f" and {len(days) - _SHOWN} more days" if len(days) > _SHOWN else ""
    suffix = ".json.gz" if path.name.lower().endswith(".gz") else ".json"
    name = f"{days[0][0]}{suffix}" if len(days) == 1 else f"{days[0][0]}_to_{days[-1][0]}{suffix}"
    where = f"{first}" if first == last else f"{first} to {last}"
    raise ValueError(f"named {where} but its papers were listed on {listed}: rename it {name}")


def _days_in_name(path: Path) -> list[date]:
    """The dates a file's name gives (2026-06-01.json, 2026-06-01_to_2026-06-08.json), in order."""
    found, faults = [], []
    for text in _DAY_IN_NAME.findall(path.name):
        try:
            found.append(date.fromisoformat(text))
        except ValueError:
            faults.append(f"{text} is no day of the calendar ({calendar_fault(text) or 'not YYYY-MM-DD'})")
    if faults and not found:  # `2026-13-45.json`: it said its papers had "no listing day: name the file after its day"
        raise ValueError(f"its name's {faults[0]}: rename it after the day its papers were listed (YYYY-MM-DD.json)")
    return found


class ImportStopped(Exception):
    """The store could not take a file (a full disk, say): `results` of the files imported before it are
    kept; `left` were not read. The store's error is the cause, for the caller to say in its words."""

    def __init__(self, results: list[FileResult], path: Path, left: list[Path]) -> None:
        super().__init__(f"the import stopped at {path}")
        self.results, self.path, self.left = results, path, left


async def import_paths(store: PaperStore, paths: list[Path]) -> list[FileResult]:
    """Import every file; a file that fails leaves the store as it was and the others go on."""
    results: list[FileResult] = []
    files = list(expand(paths))
    for at, path in enumerate(files):
        try:
            listings = read_file(path)
        except ImportFileError as exc:
            results.append(FileResult(path, error=exc.reason))
            continue
        try:
            results.append(FileResult(path, counts=await store.save_listings(listings)))
        except Exception as exc:  # the store refused it (a full disk): the files before it are kept, and said
            raise ImportStopped(results, path, files[at + 1 :]) from exc
    if any(r.counts is not None and r.counts.listings for r in results):
        await forget_snapshot(store)
    return results
