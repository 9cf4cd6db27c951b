"""BibTeX for a paper, in the form arXiv's own export uses (@misc with eprint and archivePrefix).

A title keeps its LaTeX as its authors wrote it (`$\\nabla^2$DFT` stays math, as on arXiv): only what
would break LaTeX outside math is escaped, and braces that do not pair up are dropped (BibTeX would
end the field at a stray `}`). An entry stays within `MOST` characters, so that a chat message holds
it whole: past that, the first authors and "and others".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.domain.models import Paper

MOST = 1800  # characters of one entry at most (a Discord message holds 2,000)
_TEXT = re.compile(r"(?<!\\)([&%#_$])")  # a title outside math: escaped, unless its authors escaped it
_MATH = re.compile(r"(?<!\\)\$[^$]+(?<!\\)\$")
_MATH_BREAKS = re.compile(r"(?<!\\)([%&#])")
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_SKIP = {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "towards", "toward"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _plain(text: str) -> str:
    """A name as BibTeX text: nothing in it is LaTeX (braces and backslashes dropped), and what would
    break LaTeX escaped as a title's text is (`& % $ # _ ^ ~ < > |`, Greek letters)."""
    return _outside(" ".join(re.sub(r"[{}\\]", "", text).split()))


def _title(text: str) -> str:
    """The title's LaTeX kept: `$…$` math as written; outside it `& % # _` and a lone `$` escaped, `^` made
    text, a trailing backslash dropped; braces dropped unless they all pair up (escaped ones too: BibTeX
    counts them)."""
    text = " ".join(text.split()).rstrip("\\").rstrip()
    if not _paired(text):  # before the escapes add braces of their own (`\textasciitilde{}`)
        text = " ".join(re.sub(r"\\?[{}]", "", text).split())
    out, at = [], 0
    for math in _MATH.finditer(text):
        out += [_outside(text[at : math.start()]), _in_math(math.group())]
        at = math.end()
    out.append(_outside(text[at:]))
    return "".join(out)


def _outside(text: str) -> str:
    text = re.sub(r"(?<!\\)~", r"\\textasciitilde{}", _TEXT.sub(r"\\\1", text))
    text = re.sub(r"(?<!\\)\^", r"\\^{}", text)
    text = text.translate(_SHAPES)  # not ¡, ¿ and — in LaTeX's OT1
    text = _GREEK_LETTER.sub(
        lambda found: GREEK[found.group()] if found.group() in _LOOKALIKES else found.group(), text
    )
    return _GREEK_LETTERS.sub(lambda found: "$" + "".join(GREEK[letter] for letter in found.group()) + "$", text)


def _in_math(math: str) -> str:
    """Math as written, but `%` (which would end the line as a comment), `&` and `#` escaped, and a Greek
    letter as its macro (`$τ$-bench`: pdflatex stops at it)."""
    return _GREEK_LETTER.sub(lambda found: GREEK[found.group()] + "{}", _MATH_BREAKS.sub(r"\\\1", math))


def _greek() -> dict[str, str]:
    """Each Greek letter as LaTeX writes it in math: pdflatex stops at a Greek letter in the text ("Unicode
    character τ not set up for use with LaTeX": 31 of the corpus's titles have one, or a `<`, `>` or `|`)."""
    names = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau"
    macros = {}
    for name in (names + " upsilon phi chi psi omega").split():
        unicode_name = name.upper().replace("LAMBDA", "LAMDA")  # as Unicode spells it
        small, capital = (unicodedata.lookup(f"GREEK {size} LETTER {unicode_name}") for size in ("SMALL", "CAPITAL"))
        macros[small] = {"omicron": "o", "epsilon": "\\varepsilon", "phi": "\\varphi"}.get(name, f"\\{name}")
        # LaTeX has macros for the capitals that differ from Latin ones; the others are those letters
        macros[capital] = f"\\{name.title()}" if name in _OWN_CAPITALS else _LATIN_CAPITALS[name]
    return macros | {"ς": "\\varsigma", "ϕ": "\\phi", "ϵ": "\\epsilon", "ϑ": "\\vartheta"}


_OWN_CAPITALS = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}
_LOOKALIKE = ["alpha", "beta", "epsilon", "zeta", "eta", "iota", "kappa", "mu", "nu", "omicron", "rho", "tau", "chi"]
_LATIN_CAPITALS = dict(zip(_LOOKALIKE, "ABEZHIKMNOPTX", strict=True))  # as LaTeX writes Α, Β…: the Latin letter
# Math symbols titles write as characters, as LaTeX writes them in math (pdflatex stops at them too)
_SYMBOLS = {"≤": "\\leq", "≥": "\\geq", "≠": "\\neq", "≈": "\\approx", "→": "\\rightarrow", "←": "\\leftarrow"}
_SYMBOLS |= {"↔": "\\leftrightarrow", "⇒": "\\Rightarrow", "∞": "\\infty", "∑": "\\sum", "∏": "\\prod"}
_SYMBOLS |= {"×": "\\times", "±": "\\pm", "∈": "\\in", "∀": "\\forall", "∃": "\\exists", "∂": "\\partial"}
_SYMBOLS |= {"∇": "\\nabla", "√": "\\surd", "∼": "\\sim", "≪": "\\ll", "≫": "\\gg", "⊂": "\\subset"}
GREEK = _greek() | _SYMBOLS  # (what goes in math: the Greek letters, and those symbols)
_GREEK_LETTER = re.compile("[" + "".join(GREEK) + "]")
_LOOKALIKES = {letter for letter, written in GREEK.items() if not written.startswith("\\")}  # Α is A, ο is o
_GREEK_LETTERS = re.compile("[" + "".join(sorted(set(GREEK) - _LOOKALIKES)) + "]+")  # one math group for a run: no `$$`
_SHAPES = str.maketrans({"<": "\\textless{}", ">": "\\textgreater{}", "|": "\\textbar{}"})


def _paired(text: str) -> bool:
    depth = 0
    for brace in re.findall(r"[{}]", text):  # BibTeX counts an escaped one too
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _surname_first(name: str) -> str:
    """BibTeX's "von Last, First" (or "von Last, Jr., First"); a name written with a comma is already so.
    The last name begins at its first lower-case word: "Mihaela van der Schaar" is "van der Schaar,
    Mihaela" (as "Schaar, Mihaela van der" it was sorted under S and abbreviated "M. v. d. Schaar")."""
    name = _LEADING_AND.sub("", name)  # "and Lei Bai", as a source wrote the last author: no name of its own
    if "," in name:
        return name
    parts = name.split()
    suffix = parts.pop() if len(parts) > 2 and parts[-1].lower() in _SUFFIXES else None
    if len(parts) < 2:
        return name
    von = next((i for i in range(1, len(parts) - 1) if parts[i].islower()), len(parts) - 1)
    return ", ".join([" ".join(parts[von:]), *([suffix] if suffix else []), " ".join(parts[:von])])


_LEADING_AND = re.compile(r"^\s*and\s+(?=\S)", re.IGNORECASE)


def _surname(name: str) -> str:
    words = _surname_first(name).split(",")[0].split() or name.replace(",", " ").split()
    return words[-1] if words else "anon"


def cite_key(paper: Paper) -> str:
    surname = _surname(paper.authors[0]) if paper.authors else "anon"
    year = _year_from_id(paper.arxiv_id)
    word = next((w for w in re.findall(r"[A-Za-z0-9]+", _ascii(paper.title)) if w.lower() not in _SKIP), "paper")
    return re.sub(r"[^a-z0-9]", "", f"{_ascii(surname)}{year}{word}".lower()) or "paper"


def _year_from_id(arxiv_id: str) -> int:
    """The year arXiv first listed the paper, as its id says (`2405.13729`: 2024) and arXiv's own BibTeX
    gives it: Hugging Face's date is when it was posted there, years later for some (2026 for 2405.13729)."""
    digits = re.search(r"(\d{2})\d{2}", arxiv_id.split("/")[-1])
    yy = int(digits.group(1)) if digits else 0
    return 1900 + yy if yy >= 91 else 2000 + yy


def bibtex(paper: Paper, key: str | None = None) -> str:
    """The entry, under `key` (else `cite_key`), within `MOST` characters."""
    key = key or cite_key(paper)
    names = [_plain(_surname_first(a)) for a in paper.authors]
    entry = _entry(paper, key, names)
    if len(entry) <= MOST:
        return entry
    room = MOST - len(_entry(paper, key, ["X"])) + len("X")  # for the author field's text
    kept: list[str] = []
    for name in names:
        if len(" and ".join([*kept, name, "others"])) > room:
            break
        kept.append(name)
    return _entry(paper, key, [*kept, "others"])


def _entry(paper: Paper, key: str, names: list[str]) -> str:
    year = _year_from_id(paper.arxiv_id)
    fields = [
        ("title", f"{{{_title(paper.title)}}}"),
        *([("author", " and ".join(names))] if names else []),  # none known: no field ("Unknown" read as a name)
        ("year", str(year)),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("url", paper.arxiv_url),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name:<{width}} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def bibliography(papers: Sequence[Paper], *, keyed_from_last: bool = False) -> str:
    """Entries for many papers, each key once: a key two papers share gets a letter (`li2024t2va`), the
    first of them keeping the bare key. `keyed_from_last`: the last paper is the first (a reading list,
    newest first: the paper saved earliest keeps its key, and a key cited from an earlier export never
    moves to a paper saved since)."""
    keys: dict[int, str] = {}
    used: set[str] = set()
    order = range(len(papers) - 1, -1, -1) if keyed_from_last else range(len(papers))
    for at in order:
        base = key = cite_key(papers[at])
        n = 0
        while key in used:
            key = f"{base}{_letters(n)}"
            n += 1
        used.add(key)
        keys[at] = key
    return "\n\n".join(bibtex(paper, keys[at]) for at, paper in enumerate(papers))


def _letters(n: int) -> str:
    """a, b, …, z, aa, ab, …"""
    return _letters(n // 26 - 1) + chr(ord("a") + n % 26) if n >= 26 else chr(ord("a") + n)
