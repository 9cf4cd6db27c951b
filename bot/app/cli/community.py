"""`paperboy top` and `paperboy saved`: a channel's most engaged papers, one person's reading list.

Registered on the command line's app by `bot.app.cli`; like its other commands, each imports what it
uses inside its body, so `paperboy --help` loads none of it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import running
from bot.app.cli.output import err, out, print_json
from bot.domain.channels import WORKSPACE_USERS
from bot.domain.errors import UsageError

if TYPE_CHECKING:
    from bot.app.bootstrap import Services
    from bot.community.service import Community
    from bot.store.reading import Person

_PERSON = re.compile(
    r"^(?P<platform>slack|discord|console):(?:(?P<workspace>[A-Za-z0-9_.\-]+)/)?(?P<user>[A-Za-z0-9_.\-]+)$"
)


class Period(StrEnum):
    week = "week"
    month = "month"
    all = "all"


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    bibtex = "bibtex"


def parse_person(text: str) -> Person:
    """`slack:U0123456` or `discord:1234567890` → the person in any workspace, `slack:T0123456/U0123456`
    in that one (`console:you`: whoever saved papers in `paperboy chat`); a UsageError otherwise."""
    from bot.store.reading import Person

    match = _PERSON.match(text.strip())
    if match is None:
        raise UsageError(
            f"{text!r} is not PLATFORM:USER_ID (such as slack:U0123456, discord:1234567890 or console:you, "
            "who saves in `paperboy chat`; "
            "Slack shows a member ID under their profile's ⋮ menu, Discord under Copy User ID)"
        )
    if match.group("platform") == "discord" and not match.group("user").isdigit():  # no list is kept under it
        raise UsageError(
            f"--user {text!r}: a Discord user's id is a number, such as discord:1234567890 (Developer Mode on, "
            "right-click the person, Copy User ID)"
        )
    user = match.group("user")
    if match.group("platform") == "console" and user != "you":  # `console:term` was "has saved no papers"
        raise UsageError(
            f"--user {text!r}: the terminal's person is console:you, whatever channel `paperboy chat --as` names"
        )
    if match.group("platform") == "slack" and user != user.upper() and _SLACK_USER.fullmatch(user.upper()):
        meant = text.strip().replace(user, user.upper())
        raise UsageError(f"--user {text!r}: Slack's ids are written in capitals: {meant!r}")
    if match.group("platform") == "slack" and not _SLACK_USER.fullmatch(user):  # its list would be empty, unsaid
        what = "a channel's id" if user[:1].upper() in "CGD" else "not a member ID"
        raise UsageError(
            f"--user {text!r}: {what}: a Slack member ID starts with U or W, such as slack:U0123456 (their"
            " profile's ⋮ menu, Copy member ID)"
        )
    return Person(match.group("platform"), match.group("workspace") or "", user)


_SLACK_USER = re.compile(r"[UW][A-Z0-9]+", re.ASCII)
_SLACK_CHANNEL = re.compile(r"[CG][A-Z0-9]+", re.ASCII)  # a direct message (D…) has no votes


def one_workspace(named: str, workspaces: list[str], how: str, given: str = "") -> None:
    """A UsageError naming each workspace's form when a command's id without one is in several of them
    (the same Slack id in two workspaces is two channels, two people); in at most one, it means that one.
    With its workspace `given`, one none of them is (`slack:TNOPE/C0001`, a lower-case `t1`): it was
    answered as if nothing were recorded there."""
    found = [w for w in workspaces if w]
    platform, _, rest = named.partition(":")
    rest = rest.rpartition("/")[2]
    each = ", ".join(f"{platform}:{w}/{rest}" for w in found)
    if given and found and given not in found:
        raise UsageError(f"{named}: nothing is recorded here in workspace {given}; {how} of that id is in {each}")
    if len(found) > 1 and not given:
        raise UsageError(f"{named} is {how} in {len(found)} workspaces here: name one, as {each}")


def shown(platform: str, workspace: str, rest: str) -> str:
    """An id as the command line takes it: `slack:T0123456/C0123456` when its workspace is known."""
    return f"{platform}:{workspace}/{rest}" if workspace else f"{platform}:{rest}"


def _community(services: Services) -> Community:
    from bot.community.service import Community
    from bot.store.reading import ReadingLists

    return Community(services.engagement, ReadingLists(services.store.engine), services.store)


def register(app: typer.Typer) -> None:

    @app.command()
    def top(
        channel: Annotated[
            str, typer.Option("--channel", metavar="PLATFORM:CHANNEL_ID", help="The channel, such as slack:C0123456.")
        ],
        period: Annotated[
            Period,
            typer.Option(
                "--period",
                metavar="PERIOD",
                help="week, month or all: cards posted in the last week, month, or ever.",
                case_sensitive=False,  # `WEEK`, as chat's `top WEEK` takes it
            ),
        ] = (Period.week),
        json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """A channel's most engaged papers: people who reacted plus people who replied, highest first."""
        from bot.domain.channels import parse_channel

        where = parse_channel(channel)
        if where.platform == "slack" and not _SLACK_CHANNEL.fullmatch(where.channel):  # would list nothing, unsaid
            what = "a member's id" if where.channel[:1].upper() in "UW" else "not a channel ID"
            raise UsageError(
                f"--channel {channel.strip()!r}: {what}: a Slack channel ID starts with C or G, such as slack:C0123456"
                " (the channel's details, at the bottom)"
            )

        async def work(services: Services) -> None:
            from bot.store.ledger import Ledger

            community = _community(services)
            # the workspaces with votes there, or digests: one with digests and no vote yet is no typo (it
            # was "nothing is recorded here"), and a bare id two of them have is refused, not one's ranking
            posted = await Ledger(services.store.engine).workspaces_of(where.platform, where.channel)
            known = sorted(set(await services.engagement.workspaces_of(where)) | posted)
            one_workspace(channel.strip(), known, "a channel", where.workspace)
            if not json_:
                from adapters.console.render import render_post
                from adapters.console.wording import PHRASES

                how = {"how": PHRASES.vote_how} if where.platform == "console" else {}  # the terminal has no votes
                out.print(render_post(await community.top(where, period.value, further="`--period {period}`", **how)))
                return
            ranked = await community.ranked(where, period.value)
            papers = [
                {
                    "arxiv_id": r.engaged.arxiv_id,
                    "title": r.paper.title if r.paper else None,
                    "reactions": r.engaged.reactions,
                    "replies": r.engaged.replies,
                    "score": r.engaged.score,
                }
                for r in ranked
            ]
            named = shown(where.platform, where.workspace, where.channel)
            print_json({"channel": named, "period": period.value, "papers": papers})

        running.with_services(work, ensure=False)

    @app.command()
    def saved(
        user: Annotated[
            str, typer.Option("--user", metavar="PLATFORM:USER_ID", help="The person, such as slack:U0123456.")
        ],
        format_: Annotated[
            ListFormat, typer.Option("--format", metavar="FORMAT", help="text, json or bibtex.", case_sensitive=False)
        ] = ListFormat.text,
    ) -> None:
        """One person's reading list (their Save buttons and bookmark reactions), newest first."""
        person = parse_person(user)

        async def work(services: Services) -> None:
            from bot.community.service import citations, listing_line

            community = _community(services)
            if person.platform in WORKSPACE_USERS:  # a Discord id is one person
                lists = await community.lists.workspaces_of(person.platform, person.user)
                one_workspace(user.strip(), lists, "a person", person.workspace)
            entries = await community.reading_list(person)
            if format_ is ListFormat.json:
                papers = [
                    {
                        "arxiv_id": s.arxiv_id,
                        "title": p.title if p else None,
                        "saved_at": s.saved_at.isoformat(),
                        "url": p.hf_url if p else None,
                    }
                    for s, p in entries
                ]
                print_json({"user": str(person), "papers": papers})
            elif not entries:
                err.print(f"{person} has saved no papers.", markup=False)
            elif format_ is ListFormat.bibtex:
                out.print(citations(entries), markup=False, soft_wrap=True)  # each line whole, as written
            else:
                for i, (s, p) in enumerate(entries, start=1):
                    out.print(listing_line(i, s, p, title_chars=None), markup=False, soft_wrap=True)

        running.with_services(work, ensure=False)
