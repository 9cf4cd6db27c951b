"""The `paperboy` command line: its commands, one room each, and its entry point (`main`).

This package, `bot.app.bootstrap` and `bot.app.wiring` are the composition root's edge: the only places in
`bot` that may import an adapter (here, the console renderer). The import contract names them.

Each command imports what it uses inside its body, so `paperboy --help` loads typer and rich only,
and a command never pays for a chat SDK, the store or the search stack it does not open
(`tests/app/test_cli_imports.py` holds it to that; `python -m bench.startup` times it).

- `papers`: `digest`, `paper`; `search`; `chat`; `community`: `top`, `saved`;
- `ingest`: `sync`, `import`, `embed`; `posting`: `post`; `serving`: `run`, `discord-invite`;
- `workspaces`: `workspaces`, `keygen`, `reseal`, `forget`;
- beneath them: `running` (services opened for a command's work), `days` (`--date`), `output`, `interrupts`
  (Ctrl-C, SIGTERM) and `usage_errors` (click's messages in our words).
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer

from bot.app.cli import chat, community, ingest, papers, posting, search, serving, subscriptions, workspaces
from bot.app.cli.interrupts import INTERRUPTED, TERMINATED, Terminated, interrupted, terminate
from bot.app.cli.output import fail, out
from bot.app.cli.usage_errors import argument_meant, arguments_as_named, option_meant
from bot.domain.errors import PaperboyError, UsageError
from bot.domain.our_words import plainly
from bot.host.heap import loaded_as, loading

# Typer 0.29 carries its own copy of click; its exceptions live wherever BadParameter does.
_click = sys.modules[typer.BadParameter.__module__]


arguments_as_named()

app = typer.Typer(
    name="paperboy",
    help="Hugging Face Daily Papers in your terminal, Slack or Discord.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version

        out.print(f"paperboy {version('paperboy')}", markup=False)
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Hugging Face Daily Papers in your terminal, Slack or Discord."""


for room in (papers, search, chat, community, ingest, posting, subscriptions, serving, workspaces):
    room.register(app)  # `paperboy --help` lists the commands in this order


def main(argv: list[str] | None = None) -> None:
    """Entry point: exit 0 on success, 2 for a usage error, 1 for anything else, one line on stderr.

    The collector is paused while the command starts, until its work begins (`bot.host.heap`)."""
    running = loading()
    if argv is None:  # the process is the command's own: SIGTERM (`kill`, a container stopping) is said too
        signal.signal(signal.SIGTERM, terminate)
    serving = (sys.argv[1:] if argv is None else argv)[:1] == ["run"]  # stops cleanly on either, exit 0
    try:
        _main(argv, serving)
    except KeyboardInterrupt:  # before the command began (building it), or after it ended
        interrupted(own=argv is None, serving=serving)
    except Terminated:
        interrupted(own=argv is None, by="SIGTERM", status=TERMINATED, serving=serving)
    finally:
        loaded_as(running)


# `paperboy subscribe`: "No such command", and no word of where it is: where, and the command line's own
_DIGESTS = (
    "type it in `paperboy chat` (or in Slack or Discord), or give the channel an entry of the config file's"
    " [[subscriptions]]"
)
_FOLLOWS = "follows are Slack's and Discord's, each person's own digest in their direct message with paperboy"
_ASKED = "type it in `paperboy chat` (or in a paper's thread); `paperboy paper ID` shows a paper here"
_IN_CHAT = dict.fromkeys(("subscribe", "unsubscribe", "settings", "preview"), _DIGESTS)
_IN_CHAT |= dict.fromkeys(("follow", "unfollow", "follows"), _FOLLOWS)
_IN_CHAT |= dict.fromkeys(("cite", "summary", "related", "code", "authors"), _ASKED)
_IN_CHAT |= {"today": "`paperboy digest` shows the day's papers here (`--date` another day's)"}
_IN_CHAT |= dict.fromkeys(("save", "unsave"), "type it in `paperboy chat`; `paperboy saved` lists a reading list")


def _near_help(word: str) -> bool:
    """`hepl`, `halp`, `helpp`: `help` mistyped (click suggests near commands, and `help` is none of them)."""
    from bot.domain.words import edits

    return word != "help" and edits(word.lower(), "help", 1) <= 1


def _not_a_command(args: list[str], commands: list[str]) -> str | None:
    """What to say of a paper's id, or words, given where a command goes (`paperboy 2608.19880`,
    `paperboy diffusion`): the command that does it. None for a command, an option, or a command mistyped
    (click names the one meant)."""
    import difflib
    import shlex

    from bot.domain.ids import papers_named

    first = args[0]
    if (meant := _OPERATORS_SAY.get(first.lower())) is not None:  # `paperboy start`: no search for "start"
        return f"{first!r} is not a command: did you mean {meant}? (see paperboy --help)"
    if first in commands or first.startswith("-") or difflib.get_close_matches(first.lower(), commands, cutoff=0.6):
        return None
    if len(args) == 1 and len(named := papers_named(first)) == 1:
        return f"{first!r} is not a command: `paperboy paper {named[0]}` shows that paper (see paperboy --help)"
    if not first.strip() or first.lower() in _OPERATORS_ASK:
        return None  # click's "is not a command", and the list
    searched = shlex.join(args) if len(args) > 1 else shlex.quote(first)
    return f"{first!r} is not a command: `paperboy search {searched}` searches the papers for it (see paperboy --help)"


# what an operator types for a command paperboy names otherwise, and words that ask for one (no topic)
# (`list` and `ls` before click's nearest command: it offered 'digest')
_OPERATORS_SAY = {"start": "'run'", "serve": "'run'", "fetch": "'sync'", "update": "'sync'", "version": "--version"}
_OPERATORS_SAY |= dict.fromkeys(("list", "ls"), "'subscriptions' (or 'saved', 'workspaces')")
_OPERATORS_ASK = frozenset(
    {"status", "init", "setup", "config", "doctor", "install", "login", "stop", "restart", "show", "add"}
    | {"remove", "delete", "migrate", "upgrade", "db", "logs", "test", "check", "info", "health", "reset"}
)


def _main(argv: list[str] | None, serving: bool = False) -> None:
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    # bytes that are not UTF-8 reach Python as lone surrogates, which nothing can print or encode
    args = [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for a in args]
    if args[:1] == ["help"]:  # `paperboy help`, `paperboy help search`: as git and pip take it
        args = [*args[1:2], "--help"]
    elif args and args[0] not in getattr(command, "commands", {}) and _near_help(args[0]):  # `paperboy hepl`
        fail(f"{args[0]!r} is not a command: did you mean 'help'? (see paperboy --help)", 2)
    elif args and args[0] not in getattr(command, "commands", {}) and args[0].lower() in _IN_CHAT:
        fail(f"{args[0]!r} is a chat command: {_IN_CHAT[args[0].lower()]} (see paperboy --help)", 2)
    elif args and (meant := _not_a_command(args, list(getattr(command, "commands", {})))) is not None:
        fail(meant, 2)
    try:
        code = command.main(args=args, prog_name="paperboy", standalone_mode=False)
    except _click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:  # `paperboy` alone: one line
            listed = getattr(exc.ctx.command, "list_commands", None)  # a group's commands
            names = ", ".join(listed(exc.ctx)) if listed is not None else ""
            fail(f"a command is needed{f' ({names})' if names else ''} (see paperboy --help)", 2)
        named = exc.ctx.info_name if exc.ctx and exc.ctx.parent else None
        named = named or next((a for a in args[:1] if a in getattr(command, "commands", {})), None)
        hint = f" (see paperboy {named} --help)" if named else " (see paperboy --help)"
        if named and (meant := option_meant(exc, named, args[1:]) or argument_meant(exc, named, args[1:])) is not None:
            fail(meant, 2)
        fail(f"{plainly(exc.format_message())}{hint}", 2)
    except (typer.Abort, KeyboardInterrupt) as exc:
        # click answers an EOFError with Abort too: an input cut short, not Ctrl-C, and for `run` no clean stop
        if isinstance(exc, typer.Abort) and isinstance(exc.__context__, EOFError):
            cut = str(exc.__context__)
            fail(f"an input ended before its end{f' ({cut})' if cut else ''}: what was done before is kept", 1)
        interrupted(own=argv is None, serving=serving)
    except UsageError as exc:
        fail(str(exc), 2)
    except PaperboyError as exc:
        fail(str(exc), 1)
    if code == INTERRUPTED:  # typer's own answer to Ctrl-C (KeyboardInterrupt), which never reaches us
        interrupted(own=argv is None, serving=serving)
    sys.exit(code if isinstance(code, int) else 0)
