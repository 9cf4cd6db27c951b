"""`paperboy workspaces`, `keygen`, `reseal` and `forget`: the installations, the keys that seal their tokens,
and a workspace's data."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import running
from bot.app.cli.output import out, print_json
from bot.domain.errors import UsageError
from bot.domain.models import squash
from bot.domain.words import counted, listed

if TYPE_CHECKING:
    from bot.app.bootstrap import Services
    from bot.store.workspaces import Departed, Installed

_TEAM = re.compile(r"^(?P<platform>slack|discord):(?P<team>[A-Za-z0-9_.\-]+)$")


# What `forget` adds when a Slack workspace has nothing stored: it may be a team of an org installed org-wide.
_ORG_HINT = (
    " If it is a workspace of an Enterprise Grid org that installed paperboy org-wide, its data is kept under "
    "the org's enterprise id: forget that, as --team slack:E0123456 (it erases the whole org's)."
)


# What `forget` calls the rows of each of the store's WORKSPACE_TABLES, one and many: a person's words,
# not the tables' names (tests check that every table has its words).
ERASED_WORDS: dict[str, tuple[str, str]] = {
    "installations": ("installation", "installations"),
    "subscriptions": ("subscription or follow", "subscriptions and follows"),
    "digests": ("digest", "digests"),
    "digest_papers": ("paper posted in a digest", "papers posted in digests"),
    "threads": ("paper thread", "paper threads"),
    "followed_cards": ("living-thread card", "living-thread cards"),
    "thread_notes": ("living-thread note", "living-thread notes"),
    "paper_messages": ("thread-opening message", "thread-opening messages"),
    "votes": ("vote", "votes"),
    "reactors": ("person's reaction tally", "people's reaction tallies"),
    "replies": ("reply", "replies"),
    "repliers": ("person's reply tally", "people's reply tallies"),
    "engagement": ("paper's engagement score", "papers' engagement scores"),
    "saved": ("saved paper", "saved papers"),
}


NONE_INSTALLED = (
    "No workspace has installed paperboy. Installs through the Slack OAuth flow are stored and listed here "
    "(docs/slack-workspaces.md); a single SLACK_BOT_TOKEN is not an install and is not listed."
)


def _line(one: Installed) -> str:
    """`slack:T0123456  Acme Research · installed 2 November 2026 · 3 channels (1 stopped), 2 follows`, and
    what is wrong with its token, if anything."""
    shown = squash(one.name)  # (a name's escape codes and newlines drew a forged line)
    name = f"{shown} (org-wide install)" if one.org_wide else shown
    channels = counted(one.channels, "channel")
    if one.stopped:
        # why is stored with each (whichever process stopped it: `run`'s sweep, `post`), as settings shows it
        channels += f" ({one.stopped} stopped: `/papers settings` in each, and paperboy's Home tab, say why)"
    parts = [
        name or "(no name)",
        f"installed {one.installed_at:%-d %B %Y}",
        f"{channels}, {counted(one.follows, 'follow')}",
    ]
    if one.expires_at is not None and one.expires_at <= datetime.now(UTC):  # it was said "due by" a time past
        parts.append(
            f"rotating token expired at {one.expires_at:%-d %B %Y %H:%M} UTC and not renewed: while Slack fails to"
            " answer, its requests are told to try again; if Slack refused the renewal, install the app there again"
        )
    elif one.expires_at is not None:
        parts.append(f"rotating token, due for refresh by {one.expires_at:%-d %B %Y %H:%M} UTC")
    if one.token_opens is False:
        parts.append(
            "no key of PAPERBOY_SECRET_KEY opens its token: add the key it was sealed with, "
            "or `paperboy forget` it and install again"
        )
    return f"{one.platform}:{one.workspace}  " + " · ".join(parts)


def _departed_line(one: Departed) -> str:
    """`slack:T0123456  not installed · 3 channels (3 stopped), 2 follows · …`: a workspace gone, its data kept."""
    channels = counted(one.channels, "channel") + (f" ({one.stopped} stopped)" if one.stopped else "")
    team = f"{one.platform}:{one.workspace}"
    kept = [channels, counted(one.follows, "follow")]  # (votes and reading lists were kept unsaid)
    kept += [counted(one.votes, "vote")] * bool(one.votes) + [counted(one.saved, "saved paper")] * bool(one.saved)
    resumes = (
        "an install there resumes its digests" if one.channels or one.follows else "an install there finds it again"
    )
    org = " (an Enterprise Grid org)" if one.platform == "slack" and one.workspace.startswith("E") else ""
    return (
        f"{team}{org}  not installed · {', '.join(kept)} · its data is kept: {resumes}; `paperboy forget --team"
        f" {team}` erases it"
    )


def _as_json(one: Installed) -> dict[str, object]:
    return {
        "team": f"{one.platform}:{one.workspace}",
        "name": one.name,
        "org_wide": one.org_wide,
        "installed_at": one.installed_at.isoformat(),
        "token_expires_at": one.expires_at.isoformat() if one.expires_at else None,
        "token_opens": one.token_opens,
        "channels": one.channels,
        "stopped": one.stopped,
        "follows": one.follows,
    }


def _departed_json(one: Departed) -> dict[str, object]:
    team = f"{one.platform}:{one.workspace}"
    counts = {"channels": one.channels, "stopped": one.stopped, "follows": one.follows}
    return {"team": team, **counts, "votes": one.votes, "saved": one.saved}


def erased_detail(erased: dict[str, int]) -> str:
    """{"votes": 6, "replies": 1, "saved": 0} → `6 votes and 1 reply`: what `forget` erased, in words."""
    said = [f"{n} {ERASED_WORDS[table][n != 1]}" for table, n in erased.items() if n]
    return listed(said)


def parse_team(text: str) -> tuple[str, str]:
    """`slack:T0123456` → ("slack", "T0123456"); a UsageError otherwise."""
    match = _TEAM.match(text.strip())
    if match is None:
        raise UsageError(
            f"--team {text!r} is not PLATFORM:TEAM_ID (such as slack:T0123456 for a Slack workspace, "
            "or discord:1234567890 for a Discord server)"
        )
    platform, team = match.group("platform"), match.group("team")
    if platform == "discord" and not team.isdigit():  # nothing is stored under any other id: forget would erase nothing
        raise UsageError(
            f"--team {text!r}: a Discord server's id is a number, such as discord:1234567890 (Developer Mode "
            "on, right-click the server, Copy Server ID)"
        )
    if platform == "slack" and team != team.upper():  # "Nothing was stored about slack:t0123456": it is T0123456
        if team[:1] in "tTeE" and any(c.isdigit() for c in team) and team.isalnum():
            raise UsageError(f"--team {text!r}: Slack's ids are written in capitals: 'slack:{team.upper()}'")
        if not (team[:1].upper() in _NOT_A_WORKSPACE and any(c.isdigit() for c in team)):  # `slack:design`
            raise UsageError(
                f"--team {text!r}: {team!r} is a name, and paperboy takes the workspace's id (T…, an Enterprise"
                " Grid org's E…): `paperboy workspaces` lists those paperboy holds"
            )
    kind = _NOT_A_WORKSPACE.get(team[:1].upper()) if platform == "slack" else None
    if kind is not None:  # "Nothing was stored about slack:C0123456", exit 0: an erasure request answered untrue
        raise UsageError(
            f"--team {text!r} is {kind}'s id, not a workspace's: a Slack workspace's id starts with T (an Enterprise"
            " Grid org's with E); `paperboy workspaces` lists those paperboy holds"
        )
    return platform, team


_NOT_A_WORKSPACE = {"C": "a channel", "G": "a channel", "D": "a direct message", "U": "a member", "W": "a member"}
_NOT_A_WORKSPACE |= {"B": "a bot", "A": "an app", "S": "a user group"}


def _say(line: str) -> None:
    """A result line, as written."""
    out.print(line, markup=False)


def register(app: typer.Typer) -> None:
    """Add the commands to `app`. A value is printed as one line of JSON (`print_json`: never wrapped,
    scripts read it)."""

    @app.command()
    def workspaces(json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
        """List the Slack workspaces (and Enterprise Grid orgs) that installed paperboy, with their channels."""
        from bot.app.settings import load_settings
        from bot.store.workspaces import departed, installed

        settings = load_settings()
        keys = settings.sealer() if settings.secret_key else None  # a malformed key is one line, before anything opens

        async def work(services: Services) -> int:
            found = await installed(services.store.engine, keys.opens if keys else None)
            # where workspaces install paperboy (a single SLACK_BOT_TOKEN's has data and no installation, and may
            # have an installation row left from a try of the OAuth flow: not a workspace that left)
            gone = await departed(services.store.engine) if settings.slack_client_id else []
            if json_:
                print_json({"workspaces": [_as_json(i) for i in found], "departed": [_departed_json(d) for d in gone]})
                return 0
            if not found:
                _say(NONE_INSTALLED)
            for one in found:
                _say(_line(one))
            for left in gone:
                _say(_departed_line(left))
            if found and keys is None:
                _say("PAPERBOY_SECRET_KEY is not set: whether each token can be opened was not checked.")
            return 0

        raise typer.Exit(running.with_services(work, ensure=False))

    @app.command()
    def keygen() -> None:
        """Print a fresh PAPERBOY_SECRET_KEY (the key that encrypts installation tokens at rest)."""
        from bot.store.sealing import new_key

        _say(new_key())

    @app.command()
    def reseal() -> None:
        """Re-encrypt every stored token with the first key of PAPERBOY_SECRET_KEY (the last step of a key rotation)."""
        from bot.app.settings import load_settings
        from bot.store.installations import Installations
        from bot.store.sealing import Unreadable

        keys = load_settings().sealer()  # before anything opens: a bad key is one line

        async def work(services: Services) -> int:
            resealed = await Installations(services.store.engine, keys).reseal()
            kept = f"{resealed.kept} already {'was' if resealed.kept == 1 else 'were'}"
            _say(f"Re-encrypted {counted(resealed.done, 'installation')} with the first key; {kept}.")
            if resealed.unreadable:
                raise Unreadable(
                    f"no key in PAPERBOY_SECRET_KEY opens the token of {', '.join(resealed.unreadable)} (left as it "
                    "was): add the key it was sealed with after the first and run `paperboy reseal` again, or "
                    f"erase it with `paperboy forget --team {resealed.unreadable[0]}` and install it again"
                )
            if keys.count > 1:
                _say("Keys after the first may now be removed from PAPERBOY_SECRET_KEY.")
            return 0

        raise typer.Exit(running.with_services(work, ensure=False))

    @app.command()
    def forget(
        team: Annotated[
            str,
            typer.Option(
                "--team",
                metavar="PLATFORM:TEAM_ID",
                help="The workspace or server, such as slack:T0123456 (an Enterprise Grid org installed org-wide: "
                "slack:E0123456, its enterprise id).",
            ),
        ],
        installed_too: Annotated[
            bool,
            typer.Option(
                "--even-if-installed",
                help="Erase a workspace still installed, its installation too (its people can use paperboy "
                "until it is uninstalled, and what they do is stored again).",
            ),
        ] = False,
    ) -> None:
        """Erase everything stored about one workspace or server: installation, subscriptions and follows,
        delivery records, living-thread cards and notes, votes, replies and reading lists."""
        platform, workspace = parse_team(team)

        async def work(services: Services) -> int:
            from bot.app.workspaces import multi_workspace
            from bot.store.installations import is_installed
            from bot.store.workspaces import forget as erase
            from bot.store.workspaces import holding

            # (forgotten while installed, its people's saves and subscribes were stored again by a running paperboy)
            if not installed_too and await is_installed(services.store.engine, platform, workspace):
                raise UsageError(
                    f"{platform}:{workspace} is still installed: its people can go on using paperboy, and what"
                    " they do would be stored again. Uninstall the app from the workspace first (Slack tells"
                    " paperboy, which pauses it), then forget it; or add --even-if-installed to erase it now,"
                    " its installation too"
                )

            # One SLACK_BOT_TOKEN: rows kept under no workspace (channels named without one: the config file's,
            # `paperboy post --channel slack:C…`'s) are its workspace's, the one workspace holding any others
            # (and holding some: a mistyped id, or one with nothing here, takes none of them).
            held = await holding(services.store.engine, platform) if platform == "slack" else set()
            single = multi_workspace(services.settings) is None and "" in held
            one = single and workspace in held and held - {""} == {workspace}
            erased = await erase(services.store.engine, platform, workspace, unnamed=one)
            a_team = platform == "slack" and not workspace.startswith("E")  # an org's own id: no org above it
            _say(
                f"Forgot {platform}:{workspace}: {erased_detail(erased)}"
                + (" (with the channels named without a workspace, which one bot token serves)." if one else ".")
                if any(erased.values())
                else f"Nothing was stored about {platform}:{workspace}." + (_ORG_HINT if a_team else "")
            )
            if single and not one:
                others = sorted(held - {"", workspace})
                why = (
                    f"other workspaces ({', '.join(others)}) have data here too"
                    if others
                    else f"nothing else stored names {platform}:{workspace}"
                )
                _say(
                    f"Kept: what is stored for Slack channels named without a workspace, as {why}:"
                    " whose it is can't be told."
                )
            return 0

        raise typer.Exit(running.with_services(work, ensure=False))
