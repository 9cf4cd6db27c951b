"""The command line's usage mistakes in our words (click's: "Missing option '--channel'.", "Missing argument
'ID'.", "Got unexpected extra argument(s) (…)"), and its arguments shown by name in help."""

from __future__ import annotations

import re
import sys
from typing import Any

import typer

from bot.domain.our_words import ISO_DAY

# Typer 0.29 carries its own copy of click; its exceptions live wherever BadParameter does.
_click = sys.modules[typer.BadParameter.__module__]


def arguments_as_named() -> None:
    """An argument in help as its metavar alone, as options are (`QUERY`, `ID`): typer 0.29 adds its Python
    type (`QUERY <list[str]>`) and braces a required one in the usage line (`{ID}`); the help says the rest."""
    argument: Any = getattr(typer.core, "TyperArgument", None)
    if argument is None or not hasattr(argument, "_usage_display_name"):
        return  # an earlier typer: it shows arguments plainly

    def usage(self: Any) -> str:
        name = str(self.display_name_raw)
        name = name if self.required else f"[{name}]"
        return name if self.nargs == 1 or name.endswith("...") else f"{name}..."

    argument.display_type_rich = lambda self, ctx: None
    argument._usage_display_name = usage


_EXTRA = re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)")


def argument_meant(exc: Any, named: str, args: list[str] | None = None) -> str | None:
    """An argument missing, or words past the last, in our words (click's: "Missing argument 'ID'.", "Got
    unexpected extra argument(s) (…)"); None for any other mistake."""
    from bot.domain.ids import papers_named
    from bot.domain.words import quoted

    param = getattr(exc, "param", None)
    if isinstance(exc, _click.MissingParameter) and param is not None and param.param_type_name == "argument":
        what = (param.metavar or param.name or "").upper().removesuffix("...")
        helped = param.help.rstrip(".") if param.help else ""
        if helped[1:2].islower():  # "An arXiv id …", not "HF daily-papers …"
            helped = helped[:1].lower() + helped[1:]
        said = f": give {helped}" if helped else ""  # `paper needs an ID: give an arXiv id or …`
        a = "an" if what[:1] in "AEIOU" else "a"  # said after "paperboy: error: ", as `search needs a QUERY` is
        return f"{named} needs {a} {what}{said} (see paperboy {named} --help)"
    extra = _EXTRA.fullmatch(exc.format_message())
    if extra is None:
        return None
    params = getattr(getattr(exc, "ctx", None), "command", None)
    takes = {o for p in getattr(params, "params", []) if p.param_type_name == "option" for o in p.opts}
    if named == "paper":  # `paperboy paper 2608.19880 2608.18580`; `paperboy paper "graph neural" networks`
        said = "it shows one paper at a time" if papers_named(extra[1]) else "it takes one arXiv id or link"
    elif any(p.param_type_name == "argument" for p in getattr(params, "params", [])):
        said = "quote words that go together"  # `paperboy search graph neural --limit 3 networks`
    elif "--date" in takes and ISO_DAY.fullmatch(extra[1]):
        said = f"a day goes after --date: paperboy {named} --date {extra[1]}"
    elif "--date" in takes and (month := _month_before(args or [], extra[1])) is not None:  # `--date aug 20`
        said = f"a day written with a space goes in quotes: paperboy {named} --date '{month} {extra[1]}'"
    elif "--period" in takes and extra[1].lower() in ("week", "month", "all"):
        said = f"a period goes after --period: paperboy {named} ... --period {extra[1].lower()}"
    else:
        said = "it takes options only"
    return f"paperboy {named} takes nothing more, not {quoted(extra[1], 60)}: {said} (see paperboy {named} --help)"


def option_meant(exc: Any, named: str, given: list[str]) -> str | None:
    """A required option not given, in our words (click's: "Missing option '--channel'."); where its value
    was typed without the option's name (`paperboy top slack:C1`), the command to type. A word is taken
    for that value only where it has the value's form (`PLATFORM:ID`, a colon: `paperboy top week` meant
    `--period week`). None for any other mistake."""
    param: Any = getattr(exc, "param", None)
    ctx = exc.ctx
    if type(exc).__name__ != "MissingParameter" or getattr(param, "param_type_name", "") != "option" or not ctx:
        return None
    option = str(param.opts[0])
    needs = f"paperboy {named} needs {option} (see paperboy {named} --help)"
    params = ctx.command.params
    if any(p.param_type_name != "option" for p in params) or "--" in given:
        return needs  # a bare word may be an argument of the command's own, or anything after `--`
    valued = {o for p in params if not p.is_flag and not p.count for o in (*p.opts, *p.secondary_opts)}
    stray, value_next = [], False
    for at, word in enumerate(given):
        if value_next:
            value_next = False
        elif word.startswith("-"):
            value_next = word in valued
        else:
            stray.append(at)
    if len(stray) != 1:
        return needs
    word = given[stray[0]]
    if ":" not in (param.metavar or "") or ":" not in word:
        return needs
    typed = " ".join([*given[: stray[0]], option, *given[stray[0] :]])
    return f"{option} goes before the value: paperboy {named} {typed}"


def _month_before(args: list[str], day: str) -> str | None:
    """The month given to `--date` right before this day number, as typed (`--date sep 5`, `--date=sep 5`:
    "sep"); None where the two are no day of the calendar together (`friday 2`, `sep 31`)."""
    from bot.chat.days import NamedDay, named_day

    given = [a for o in args for a in (o.split("=", 1) if o.startswith("--date=") else [o])]
    at = next((i for i, a in enumerate(given[:-1]) if a == "--date" and given[i + 2 : i + 3] == [day]), None)
    if at is None:
        return None
    named = named_day(f"{given[at + 1]} {day}")
    return given[at + 1] if named is not None and isinstance(named[0], NamedDay) and not named[1] else None
