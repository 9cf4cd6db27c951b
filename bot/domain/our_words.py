"""pydantic's complaints about a value, said in our words: what is wrong with it, plainly (an error
names the input, the reason and the fix, never a library's phrasing)."""

from __future__ import annotations

import calendar
import gzip
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

# An error's `type` (pydantic-core's error codes), as we say it.
_BY_TYPE = {
    "missing": "missing",
    "model_type": "not a JSON object",
    "model_attributes_type": "not a JSON object",
    "dict_type": "not a JSON object",
    "list_type": "not a JSON array",
    "tuple_type": "not a JSON array",
    "string_type": "not text",
    "int_type": "not a whole number",
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "float_type": "not a number",
    "float_parsing": "not a number",
    "finite_number": "not a finite number (NaN and Infinity are not counts)",
    "bool_type": "not true or false",
    "bool_parsing": "not true or false",
    "date_type": "not a date (YYYY-MM-DD)",
    "date_parsing": "not a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "not a date (YYYY-MM-DD)",
    "datetime_type": "not a date and time (ISO 8601, such as 2026-06-01T09:00:00Z)",
    "datetime_parsing": "not a date and time (ISO 8601, such as 2026-06-01T09:00:00Z)",
    "datetime_from_date_parsing": "not a date and time (ISO 8601, such as 2026-06-01T09:00:00Z)",
}
# The same words where only pydantic's message is at hand (typer's value checks).
_WORDS = (
    (re.compile(r"Value error, "), ""),
    (re.compile(r"Input should be a valid integer(, unable to parse string as an integer)?"), "not a whole number"),
    (re.compile(r"Input should be greater than or equal to (-?\d+)"), r"use \1 or more"),
    (re.compile(r"Input should be less than or equal to (-?\d+)"), r"use \1 or less"),
    (re.compile(r"Field required"), "missing"),
    # click's: `Invalid value for '--format': 'xml' is not one of 'text', 'json'.`
    (re.compile(r"Invalid value for '([^']+)': ('[^']*') is not one of (.+?)\.?$"), r"\1 \2: it takes one of \3"),
    # click's others: `Invalid value for '--limit': …`, `No such command 'digst'. Did you mean 'digest'?`,
    # `Option '--date' requires an argument.`, `No such option: --dat (Possible options: --date, --format)`
    (re.compile(r"Invalid value for '?([^':]+)'?: "), r"\1: "),
    (re.compile(r"No such command ('[^']*')\. Did you mean ('[^']*')\?"), r"\1 is not a command: did you mean \2?"),
    (re.compile(r"No such command ('[^']*')\."), r"\1 is not a command"),
    (re.compile(r"Option '([^']+)' requires an argument\."), r"\1 needs a value after it"),
    (re.compile(r"No such option: (\S+) \(Possible options: ([^)]+)\)"), r"\1 is not an option (the nearest: \2)"),
    (re.compile(r"No such option: (\S+) Did you mean (\S+)\?"), r"\1 is not an option: did you mean \2?"),
    (re.compile(r"No such option: (\S+)"), r"\1 is not an option"),
)


def plainly(message: str) -> str:
    """A pydantic (or click) message with its phrases in our words."""
    for pattern, words in _WORDS:
        message = pattern.sub(words, message)
    return message


def reason(error: Mapping[str, Any]) -> str:
    """What one of a ValidationError's `errors()` says is wrong, in our words."""
    kind = str(error.get("type", ""))
    typed = error.get("input")
    if kind.startswith("date") and isinstance(typed, str) and (why := calendar_fault(typed)) is not None:
        return f"{typed} is no day of the calendar: {why}"  # written as a date is, so not "not a date (YYYY-MM-DD)"
    return _BY_TYPE.get(kind) or plainly(str(error.get("msg", "not valid")))


ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)  # written as a day is: YYYY-MM-DD


def calendar_fault(typed: str) -> str | None:
    """Why text written as YYYY-MM-DD is no day of the calendar (`2026-02-30`: "February 2026 has 28
    days"); None for a real day, or for text not written so."""
    found = ISO_DAY.fullmatch(typed)
    if found is None:
        return None
    year, month, day = (int(g) for g in found.groups())
    if year < 1:
        return "years start at 0001"
    if not 1 <= month <= 12:
        return "months run from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    return None if 1 <= day <= days else f"{calendar.month_name[month]} {year} has {days} days"


def unreadable(exc: OSError | UnicodeDecodeError | EOFError | zlib.error) -> str:
    """Why a file could not be read, in our words (not `[Errno 21] Is a directory: 'x'`)."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, (EOFError, zlib.error)):  # gzip's words for a file cut off, or damaged inside
        return "a damaged or incomplete gzip file: copy or download it again"
    if isinstance(exc, gzip.BadGzipFile):
        if "not a gzipped file" in str(exc).lower():
            return "not a gzip file (if it is plain text, drop the .gz from its name)"
        return "a damaged gzip file (its checksum or length is wrong): copy or download it again"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "a folder, not a file"
    if isinstance(exc, PermissionError):
        return "this user may not read it"
    return (exc.strerror or str(exc) or "unreadable").lower()


SAID_AT_MOST = 10  # faults said at once, one a line: all of them to mend in one go, not one a run


def said_at_once(faults: Sequence[str]) -> str:
    """Faults of one input (a config file, the environment): the first, then each other on a line of its
    own (`  also …`), at most `SAID_AT_MOST`, then how many more."""
    more = [f"\n  also {fault}" for fault in faults[1:SAID_AT_MOST]]
    left = f"\n  and {len(faults) - SAID_AT_MOST} more" if len(faults) > SAID_AT_MOST else ""
    return f"{faults[0]}{''.join(more)}{left}"
