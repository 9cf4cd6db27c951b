"""The `paperboy` command line: digest, search, sync, import, paper.

This module and `bot.app.bootstrap` are the composition root's edge: the only places in `bot` that may
import an adapter (here, the console renderer). The import contract names them.

Each command imports what it uses inside its body, so `paperboy --help` loads typer and rich only,
and a command never pays for a chat SDK, the store or the search stack it does not open
(`tests/app/test_cli_imports.py` holds it to that; `python -m bench.startup` times it).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.segment import Segment

from bot.app import community_cli, console_chat, search_cli
from bot.app.usage_errors import argument_meant, arguments_as_named, option_meant
from bot.domain.errors import (
    ConfigError,
    DayNotStored,
    NotFound,
    OutputClosed,
    PaperboyError,
    UsageError,
)
from bot.domain.our_words import ISO_DAY, calendar_fault, plainly
from bot.domain.words import counted
from bot.host.heap import loaded, loaded_as, loading

if TYPE_CHECKING:
    from rich.progress import Progress

    from bot.app.bootstrap import Services
    from bot.app.settings import Settings
    from bot.delivery.subscriptions import Subscription
    from bot.domain.channels import ChannelRef
    from bot.domain.models import Paper

T = TypeVar("T")
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


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")


class _Output(Console):
    """The command's output: no line ends in blanks, and when its reader goes (`| head -1`), what is
    left goes nowhere and the command learns it, to say so (rich's own answer is a silent exit 1, and
    `post` would leave a digest half printed, and so half recorded, without a word)."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # A table's cells are padded to their column's width: no line ends in blanks (`| diff`, copies).
        return _TRAILING_BLANKS.sub("\n", super()._render_buffer(buffer))

    def on_broken_pipe(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no file descriptor (a test's)
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, sys.stdout.fileno())
            os.close(nowhere)
        raise OutputClosed()


# No emoji codes: "console:x: no papers" must not print as "console❌ no papers".
out = _Output(highlight=False, soft_wrap=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


class Format(StrEnum):
    text = "text"
    json = "json"


def _today() -> date:
    return datetime.now(UTC).date()


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


def _run(work: Callable[[Services], Awaitable[T]], *, ensure: bool = True) -> T:
    """Open the services, make sure there are papers
    (announcing a snapshot), run `work`.

    The snapshot notice follows the work (`run` says it once started), so a command that fails says one
    line only: what went wrong. Store faults become that line (`_faults`).
    """
    import asyncio

    from bot.app.bootstrap import open_services, read_config
    from bot.app.settings import load_settings

    # A connection closed while Ctrl-C cancels the command is no news: SQLAlchemy's pool printed its
    # traceback above the command's one line. Nor in `run`: a query that fails says so itself.
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
    settings = load_settings()
    config = read_config(settings)

    async def main() -> T:
        with _deadline_at_interrupt():
            return await served()

    async def served() -> T:
        async with open_services(settings, config) as services:
            loaded()  # start-up is over (bot/host/heap.py)
            notice = await services.catalog.ensure_papers(_today()) if ensure else None
            done = await work(services)
            if notice:
                err.print(notice, style="yellow", markup=False)
            return done

    with _faults(settings):
        return asyncio.run(main())


@contextmanager
def _faults(settings: Settings) -> Iterator[None]:
    """Operator faults as one `PaperboyError` each, in our words: a store that cannot be opened, read
    or written (`bot.store.faults`), the Slack port taken. Anything else is left as it is."""
    try:
        yield
    except PaperboyError:
        raise
    except Exception as exc:
        import errno

        from bot.app.settings import store_setting
        from bot.store.engine import database_url
        from bot.store.faults import causes, store_fault

        fault = store_fault(exc, database_url(settings.database_url, settings.data_dir), store_setting(settings))
        if fault is not None:
            raise fault from exc
        for found in causes(exc):
            if isinstance(found, OSError) and found.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {settings.slack_port} (PAPERBOY_SLACK_PORT) is already in use by another program: "
                    "stop it, or set PAPERBOY_SLACK_PORT to a free port"
                ) from exc
            if isinstance(found, OSError) and found.errno == errno.EACCES and settings.slack_port < 1024:
                raise ConfigError(
                    f"port {settings.slack_port} (PAPERBOY_SLACK_PORT) needs root, and paperboy does not run as"
                    " root (the Docker image neither): keep port 3000 and let the HTTPS proxy in front listen on"
                    f" {settings.slack_port}"
                ) from exc
        raise


def _not_future(day: date) -> None:
    """A day that has not begun (here or in UTC) has no listing yet: a usage error, before anything opens."""
    today = max(_today(), date.today())
    if day > today:
        raise UsageError(
            f"--date {day.isoformat()} is in the future: Hugging Face lists a day's papers on that day "
            f"(give {today.isoformat()} or earlier)"
        )


def _parse_day(value: str | None) -> date | None:
    """`--date`: YYYY-MM-DD, `today` or `yesterday` (UTC), or a day in words as chat takes them (`friday`,
    `last friday`, `aug 20`: the latest such day, today included; they were refused, "not a date")."""
    if value is None:
        return None
    if (word := value.strip().lower()) in ("today", "yesterday"):
        return _today() - timedelta(days=word == "yesterday")
    if not ISO_DAY.fullmatch(value):  # fromisoformat also takes 20260821 and 2026-W34-5
        from bot.chat.days import NamedDay, named_day, resolved

        named = named_day(value.strip())
        if named is not None and isinstance(named[0], NamedDay) and not named[1]:
            return resolved(named[0], _today())
        said = named[0] if named is not None and isinstance(named[0], str) else f"{value!r} is not a date"
        raise typer.BadParameter(f"{said} (use YYYY-MM-DD, today, yesterday, friday or aug 20)", param_hint="--date")
    if (why := calendar_fault(value)) is not None:
        raise typer.BadParameter(f"{value!r} is no day of the calendar: {why}", param_hint="--date")
    return date.fromisoformat(value)


def paper_json(paper: Paper, **extra: Any) -> dict[str, Any]:
    return {
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        "upvotes": paper.upvotes,
        "url": paper.hf_url,
        "arxiv_url": paper.arxiv_url,
        "pdf_url": paper.pdf_url,
        "authors": list(paper.authors),
        "organization": paper.organization,
        "num_comments": paper.num_comments,
        "github_repo": paper.github_repo,
        "github_stars": paper.github_stars,
        "project_page": paper.project_page,
        "ai_summary": paper.ai_summary,
        "ai_keywords": list(paper.ai_keywords),
        "published_at": paper.published_at.isoformat() if paper.published_at else None,
        "listed_on": [d.isoformat() for d in paper.listed_on],
        **extra,
    }


def _print_json(value: object) -> None:
    """One JSON line, out at once (a batch's lines as they are answered); a reader that went says so."""
    try:
        sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        out.on_broken_pipe()


def _topics(typed: list[str]) -> tuple[str, ...]:
    """`--topic` values as chat takes them: commas between topics, each `-word` an exclusion of its own
    (the parser loads only when a topic is given: a plain digest starts without it)."""
    from bot.chat.commands import checked_topics, comma_parts

    try:
        parts = [comma_parts(value) for value in typed]
        if not all(parts):  # refused, not skipped: no topic at all would be every paper
            raise UsageError("a topic cannot be blank: remove it, or write the words to look for")
        return checked_topics([part for found in parts for part in found])
    except UsageError as exc:
        raise UsageError(f"--topic: {exc}") from None


@app.command()
def digest(
    date_: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Listing day (default: the latest with papers).")
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic",
            metavar="TOPIC",
            help="Keep papers on this topic (repeatable; commas between several, -word leaves out, author:NAME).",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, max=500, metavar="N", help="How many papers at most.")] = None,
    min_upvotes: Annotated[
        int | None,
        typer.Option(min=0, max=1_000_000, metavar="N", help="Fewest upvotes a paper needs."),  # config.MOST_UPVOTES
    ] = None,
    format_: Annotated[
        Format, typer.Option("--format", metavar="FORMAT", help="text or json.", case_sensitive=False)
    ] = Format.text,
) -> None:
    """Build the digest for a listing day and show it (posts nothing)."""
    from adapters.console.render import render_post
    from bot.delivery.digest import DigestOptions, build_digest

    day = _parse_day(date_)
    if day is not None:
        _not_future(day)
    topics = _topics(topic) if topic else ()

    async def work(services: Services) -> None:
        defaults = services.config.digest
        options = DigestOptions(
            topics=topics or defaults.topics,
            limit=limit if limit is not None else defaults.limit,
            min_upvotes=min_upvotes if min_upvotes is not None else defaults.min_upvotes,
        )
        if day is not None:
            await services.catalog.ensure_day(day)  # a day the store lacks and cannot fetch: DayNotStored
        elif note := await services.catalog.staleness(_today()):
            err.print(note, style="yellow", markup=False)
        result = await build_digest(services.store, services.search, options, day)
        if topics:  # a typo in --topic found nothing, and said only that nothing matched
            from bot.search.spelling import misspelt

            for note in await misspelt(services.search, topics):
                err.print(f"--topic: {note}", style="yellow", markup=False)
        if format_ is Format.json:
            papers = [paper_json(p, rank=i) for i, p in enumerate(result.papers, start=1)]
            said = {"date": result.day.isoformat() if result.day else None, "listed": result.listed, "papers": papers}
            empty = result.to_post().empty  # why none: "listed no papers", "they may still come", the filters…
            _print_json(said | ({"note": empty} if empty else {}))
        else:
            out.print(render_post(result.to_post()))

    _run(work)


search_cli.register(app)  # `paperboy search`, in its place among the commands


async def _indexed(services: Services) -> None:
    """The search index in the data dir brought up to the store now (a bot running beside reloads it on
    its commit), embeddings or not. A failure is said, not fatal: the papers are stored, and every
    index catches up with them at its next start."""
    try:
        await services.search.index()
    except PaperboyError as exc:
        err.print(
            f"paperboy: the papers are stored; the search index takes them at its next start: {exc}", markup=False
        )


def _bar() -> Progress:
    """A progress bar on stderr, gone when done; none where stderr is not a terminal (rich would leave a
    blank line there)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


async def _embed(services: Services) -> bool:
    """Embed every stored paper that lacks a vector, so that a later search finds it by meaning too.

    False when it could not (said on stderr): what was imported or synced stays stored and found by
    its words, and the next run (or `paperboy embed`) embeds it."""
    if not services.search.hybrid:
        return True
    with _bar() as bar:
        task = bar.add_task("Embedding papers for search", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            embedded = await services.search.embed_missing(step)
        except Exception as exc:  # what was imported or synced is stored; only search by meaning waits
            # Never SQLAlchemy's own text: it carries the statement's parameters, here the vectors.
            from bot.app.settings import store_setting
            from bot.store.faults import store_fault

            fault = store_fault(exc, services.store.engine.url, store_setting(services.settings))
            reason = str(fault) if fault is not None else f"{type(exc).__name__}: {exc}"
            err.print(
                f"paperboy: could not embed the papers ({reason}); they are stored and "
                "found by their words, and the next run embeds them",
                style="yellow",
                markup=False,
            )
            return False
    if embedded:
        err.print(f"Embedded {embedded} papers for search by meaning.", markup=False)
    return True


NO_EMBED = typer.Option("--no-embed", help="Store only; embed later with `paperboy embed` (search by words meanwhile).")


@app.command()
def embed() -> None:
    """Embed every stored paper that lacks a vector (what `import` and `sync` defer with --no-embed)."""

    async def work(services: Services) -> int:
        if not services.search.hybrid:
            raise ConfigError("PAPERBOY_EMBEDDINGS=0 turns search by meaning off: unset it to embed papers")
        if not await _embed(services):
            return 1
        papers = (await services.store.counts()).papers
        if not papers:
            raise NotFound("the store holds no papers yet: `paperboy import PATH` or `paperboy sync` first, then embed")
        out.print(f"All {papers} stored papers have their vectors for search by meaning.", markup=False)
        return 0

    raise typer.Exit(_run(work, ensure=False))


@app.command()
def paper(
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="An arXiv id or an arXiv or Hugging Face URL.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one paper (from the store, else fetched from Hugging Face or arXiv)."""
    from adapters.console.render import render_post
    from bot.domain.cards import paper_post
    from bot.domain.ids import parse_arxiv_id

    arxiv_id = parse_arxiv_id(paper_id)

    async def work(services: Services) -> None:
        found = await services.catalog.paper(arxiv_id)
        if json_:
            _print_json(paper_json(found))
        else:
            out.print(render_post(paper_post(found)))

    _run(work)  # an empty store is filled first, as for every command that reads papers


@app.command()
def sync(
    days: Annotated[
        int | None,  # max: bot.ingest.catalog.MOST_SYNC_DAYS (not imported here: the store's stack loads late)
        typer.Option(min=1, max=3660, metavar="N", help="The last N days, today included (default 3)."),
    ] = None,
    date_: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="One listing day.")] = None,
    no_embed: Annotated[bool, NO_EMBED] = False,
) -> None:
    """Fetch listings from Hugging Face (and details from arXiv where needed) into the store."""
    from bot.ingest.sync import SyncStopped, recent_days

    if days is not None and date_ is not None:
        raise UsageError("give either --days or --date, not both")
    one = _parse_day(date_)
    if one is not None:
        _not_future(one)
    wanted = [one] if one else recent_days(_today(), days or 3)

    async def work(services: Services) -> int:
        if services.syncer is None:
            raise ConfigError("PAPERBOY_OFFLINE is set: sync fetches from Hugging Face; unset it to sync")
        with _bar() as bar:
            task = bar.add_task("Syncing", total=len(wanted))

            def step(day: date, count: int) -> None:
                bar.update(task, advance=1, description=f"{day.isoformat()}: {count} papers")

            stopped: SyncStopped | None = None
            try:
                report = await services.syncer.sync(wanted, step)
            except SyncStopped as exc:  # the days stored are said, then why it stopped (the store's fault)
                stopped, report = exc, exc.report
        c = report.counts
        span = wanted[0].isoformat() if len(wanted) == 1 else f"{wanted[0].isoformat()} to {wanted[-1].isoformat()}"
        days = counted(len(wanted), "day")
        if len(report.fetched) < len(wanted):  # not "Synced 1 day" of a day that failed (arXiv's details aside)
            days = f"{len(report.fetched)} of {days}"
        out.print(
            f"Synced {days} ({span}): {counted(c.listings, 'listing')} "
            f"({c.new_listings} new), {counted(c.new_papers, 'new paper')}, {c.updated_papers} updated"
            + (f", {len(c.unlisted)} no longer listed" if c.unlisted else "")
            + (f", {len(report.empty_days)} with no listings" if report.empty_days else "")
            + (f", {len(report.none_yet)} with none listed yet" if report.none_yet else "")
            + (f", {report.completed_from_arxiv} completed from arXiv" if report.completed_from_arxiv else ""),
            markup=False,
            soft_wrap=True,  # one line, piped or not: `| grep`, a log
        )
        for day, reason in report.failed.items():
            err.print(f"paperboy: {day.isoformat()} failed: {reason}", markup=False)
        if c.new_listings or c.new_papers or c.updated_papers:
            await _indexed(services)
        if stopped is not None:
            raise stopped.__cause__ or stopped  # said in one line, the store's fault in our words
        if not no_embed:
            await _embed(services)
        return 0 if report.ok else 1

    code = _run(work, ensure=False)
    raise typer.Exit(code)


@app.command("post")
def post_(
    channel: Annotated[
        str, typer.Option("--channel", metavar="PLATFORM:CHANNEL_ID", help="The channel, such as slack:C0123456.")
    ],
    date_: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Listing day (default: the latest).")
    ] = None,
) -> None:
    """Deliver a channel's digest now, once: a second call posts nothing and says so."""

    from bot.app.wiring import publishers
    from bot.delivery.digest import DigestOptions, no_listing
    from bot.delivery.digest_delivery import DigestDelivery
    from bot.domain.channels import parse_channel

    # The delivery's own log lines are for `run` ("tried again at the next sweep"); here the outcome is
    # this command's one line.
    logging.getLogger("paperboy.delivery").setLevel(logging.ERROR)

    where = parse_channel(channel)
    day = _parse_day(date_)
    if day is not None:
        _not_future(day)

    async def work(services: Services) -> int:
        subscription = _in_file(services, where) or await services.subscriptions.get(where)
        if subscription is None:
            await _reachable_workspace(services, where)  # before anything is claimed or recorded
        if subscription is not None and subscription.cadence == "weekly":
            from bot.domain.weeks import week_name
            from bot.roundup.post import post_roundup, roundup_monday, week_in_store

            week_day = day
            try:
                await week_in_store(services.catalog, roundup_monday(subscription, day), str(where), _today())
            except DayNotStored:
                # no --date, and the store lacks the week a roundup due today covers: the week of the latest
                # day with papers, as a daily channel gets that day's digest
                if day is not None or (week_day := await services.store.latest_day()) is None:
                    raise
                monday = roundup_monday(subscription, week_day)
                err.print(
                    "paperboy: the store has none of the week a roundup due today covers: posting"
                    f" {week_name(monday)}, the week of the latest day with papers ({week_day:%-d %B %Y});"
                    " `paperboy sync` fetches newer days",
                    markup=False,
                )
                await week_in_store(services.catalog, monday, str(where), _today())
            async with publishers(services, out, where.platform) as found:
                said, ok = await post_roundup(services, found, subscription, week_day)
            return _outcome(said, ok)
        defaults = services.config.digest
        options = (
            subscription.options()
            if subscription
            else DigestOptions(topics=defaults.topics, limit=defaults.limit, min_upvotes=defaults.min_upvotes)
        )
        target = day or await services.store.latest_day()
        if target is not None:
            # Before anything is claimed: a day the store lacks, or one with no listing yet, is neither
            # posted nor recorded, so the channel gets it normally once it is there.
            record = await services.catalog.ensure_day(target)
            if not record.listed:
                if not record.final and record.fetched_at is not None:
                    raise DayNotStored(
                        target,
                        f"Hugging Face has listed no papers for {target.isoformat()} yet (asked at "
                        f"{record.fetched_at:%-d %B %H:%M} UTC): nothing was posted to {where} or recorded; "
                        "run this again once it has",
                    )
                err.print(f"No papers to post to {where}: {no_listing(record)} Nothing was posted.", markup=False)
                return 0
        async with publishers(services, out, where.platform) as found:
            delivery = DigestDelivery(services.store, services.search, services.ledger, services.subscriptions, found)
            # The subscription's own channel: with its workspace, which `slack:C…` alone does not name.
            channel = subscription.channel if subscription else where
            result = await delivery.deliver(channel, options, target, retry_stopped=True, subscribed=bool(subscription))
        return _outcome(result.describe(), result.ok)

    raise typer.Exit(_run(work))


def _outcome(said: str, ok: bool) -> int:
    """A delivery's outcome said on stderr, a failure as every command's error line reads; its exit status."""
    err.print(said if ok else f"paperboy: error: {said}", markup=False)
    return 0 if ok else 1


async def _reachable_workspace(services: Services, where: ChannelRef) -> None:
    """Multi-workspace Slack, a channel no subscription names: a UsageError, before anything is recorded,
    when it names no workspace (its token cannot be known) or one that has not installed paperboy (a
    typo recorded a stopped digest under no workspace, which `forget` could never reach)."""
    if where.platform != "slack" or not services.settings.slack_client_id:
        return
    if not where.workspace:
        raise UsageError(
            f"{where} names no workspace, and paperboy serves several here: name it, as "
            f"slack:TEAM_ID/{where.channel} (`paperboy workspaces` lists them); nothing was posted or recorded"
        )
    from bot.store.workspaces import installed

    found = [i for i in await installed(services.store.engine) if i.platform == "slack"]
    if not any(i.workspace == where.workspace for i in found):
        # An org-wide install keeps its channels under the org's id (E…), not its teams': a team of it, or a
        # typo, recorded a stopped digest under a workspace no install has
        orgs = [f"slack:{i.workspace}/{where.channel}" for i in found if i.org_wide]
        org = f"; an organization's channel is named by the organization's id, as {' or '.join(orgs)}" if orgs else ""
        raise UsageError(
            f"workspace {where.workspace} has not installed paperboy (`paperboy workspaces` lists those that"
            f" have){org}: nothing was posted or recorded"
        )


def _in_file(services: Services, where: ChannelRef) -> Subscription | None:
    """The config file's subscription of a channel (as `paperboy run` saves it), if the file names it."""
    from bot.app.bootstrap import configured
    from bot.delivery.subscriptions import meant

    same = [
        s
        for s in configured(services.config)
        if (s.channel.platform, s.channel.channel) == (where.platform, where.channel)
    ]
    return meant(where, same)


def quiet_libraries() -> None:
    """The libraries' own notices out of `run`'s log: each job added, started, run (APScheduler), each
    request to Hugging Face and arXiv (httpx), the migrations' steps, discord.py's word on voice."""

    for chatty in ("alembic", "apscheduler", "httpx"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    logging.getLogger("discord.client").addFilter(
        lambda record: "voice will NOT be supported" not in record.getMessage()
    )
    logging.getLogger("discord.client").addFilter(_reconnecting)


def _reconnecting(record: logging.LogRecord) -> bool:
    """discord.py's ERROR and traceback at each attempt to reach its gateway again ("Attempting a
    reconnect in 1.95s"), said in one line: what failed, and when it is tried again."""
    said = record.getMessage()
    if said.startswith("Attempting a reconnect in") and record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        record.msg, record.args = (
            "Discord's gateway connection failed (%s: %s); tried again in %s",
            (
                type(error).__name__,
                str(error) or "no detail",
                said.removeprefix("Attempting a reconnect in ").strip(),
            ),
        )
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


@app.command()
def run() -> None:
    """Run the bot: every chat platform whose credentials are set, until Ctrl-C or SIGTERM."""

    from bot.app.bootstrap import read_config
    from bot.app.settings import load_settings
    from bot.app.wiring import EXIT_DEADLINE_SECONDS, named_workspaces, serve_until_stopped
    from bot.app.workspaces import multi_workspace
    from bot.host.exits import exit_by

    settings = load_settings()
    if multi_workspace(settings) is not None:  # a missing or malformed key stops the start here, before anything opens
        named_workspaces(read_config(settings))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_libraries()

    async def work(services: Services) -> None:
        # the snapshot's notice, or the days a store left behind lacks: run syncs only today and yesterday
        notice = await services.catalog.ensure_papers(_today(), running=True) or await services.catalog.staleness(
            _today()
        )

        def said(note: str) -> None:  # "paperboy is running…", then the notice: none on a failed start
            err.print(note, markup=False)
            if notice:
                err.print(notice, style="yellow", markup=False)

        await serve_until_stopped(services, said, stopping_process=True, seed=True)

    try:
        _run(work, ensure=False)
    finally:  # stopped or failed: a thread left running holds the exit no longer than the deadline
        exit_by(EXIT_DEADLINE_SECONDS)


@app.command("discord-invite")
def discord_invite(
    client_id: Annotated[
        int | None,
        typer.Option("--client-id", min=1, metavar="ID", help="The application id (default: read from DISCORD_TOKEN)."),
    ] = None,
) -> None:
    """Print the link that adds the bot to a Discord server, with the scopes and permissions it needs."""
    from adapters.discord.app import application_id, invite_url
    from bot.app.bootstrap import read_config
    from bot.app.settings import load_settings
    from bot.app.wiring import discord_token_of

    settings = load_settings()
    token = None if client_id else discord_token_of(settings, read_config(settings))
    found = client_id or (application_id(token) if token else None)
    if found is None and token:
        raise UsageError(
            "DISCORD_TOKEN is set, but the application id cannot be read from it (not a bot token?): give "
            "--client-id (the application id from the Discord developer portal)"
        )
    if found is None:
        raise UsageError(
            "give --client-id (the application id from the Discord developer portal), or set DISCORD_TOKEN "
            "(or the config file's [discord] token)"
        )
    out.print(invite_url(found), markup=False, soft_wrap=True)


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="HF daily-papers JSON files, corpus JSONL(.gz) files, or folders of them.",
            readable=False,  # an unreadable file is said in our words, as one in a folder is (not click's)
        ),
    ],
    no_embed: Annotated[bool, NO_EMBED] = False,
) -> None:
    """Import papers from files; each file is stored whole or not at all."""
    from bot.ingest.importer import ImportStopped, import_paths, none_importable, skipped_note

    async def work(services: Services) -> int:
        stopped: ImportStopped | None = None
        try:
            results = await import_paths(services.store, paths)
        except ImportStopped as exc:  # what was imported is said, then why it stopped (the store's fault, in one line)
            stopped, results = exc, exc.results
            if not results:  # refused from the first file: the store's fault alone says it
                raise (exc.__cause__ or exc) from None
        if (note := skipped_note(paths)) is not None:
            err.print(f"paperboy: {note}", markup=False)
        if not results:
            raise UsageError(none_importable(paths))
        failed = 0
        total = None
        for result in results:
            if result.counts is None:
                failed += 1
                err.print(f"paperboy: import failed: {result.path}: {result.error}", markup=False)
            else:
                total = result.counts if total is None else total + result.counts
        if total is not None:
            counts = await services.store.counts()
            out.print(
                f"Imported {counted(len(results) - failed, 'file')}: {counted(total.listings, 'listing')} "
                f"({total.new_listings} new), {counted(total.new_papers, 'new paper')}, {total.updated_papers} "
                f"updated. The store holds {counted(counts.papers, 'paper')} and {counted(counts.listings, 'listing')}"
                f" over {counted(counts.days, 'day')}.",
                markup=False,
                soft_wrap=True,  # one line, piped or not
            )
            services.search.invalidate()
            if total.new_listings or total.new_papers or total.updated_papers:
                await _indexed(services)
            if not no_embed and stopped is None:
                await _embed(services)
        if stopped is not None:
            left = f" and the {counted(len(stopped.left), 'file')} after it" if stopped.left else ""
            were = "were" if stopped.left else "was"
            err.print(f"paperboy: import stopped at {stopped.path}: it{left} {were} not imported", markup=False)
            raise stopped.__cause__ or stopped
        return 1 if failed else 0

    code = _run(work, ensure=False)
    raise typer.Exit(code)


from bot.app.cli_workspaces import register  # noqa: E402 - its commands need `app` and `_run` above

register(app, _run, lambda line: out.print(line, markup=False), _print_json)
community_cli.register(app)  # `paperboy top`, `paperboy saved`
console_chat.register(app)  # `paperboy chat`


INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C
INTERRUPT_SECONDS = 5.0  # how long an interrupted command may take to exit before it is ended


TERMINATED = 143  # the exit status of a command stopped by SIGTERM (128 + 15), as without a handler


class Terminated(BaseException):
    """SIGTERM reached a command (`paperboy run` answers it itself: it stops cleanly and exits 0)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> None:
    """Entry point: exit 0 on success, 2 for a usage error, 1 for anything else, one line on stderr.

    The collector is paused while the command starts, until its work begins (`bot.host.heap`)."""
    running = loading()
    if argv is None:  # the process is the command's own: SIGTERM (`kill`, a container stopping) is said too
        signal.signal(signal.SIGTERM, _terminate)
    try:
        _main(argv)
    except KeyboardInterrupt:  # before the command began (building it), or after it ended
        _interrupted(own=argv is None)
    except Terminated:
        _interrupted(own=argv is None, by="SIGTERM", status=TERMINATED)
    finally:
        loaded_as(running)


def _main(argv: list[str] | None) -> None:
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    # bytes that are not UTF-8 reach Python as lone surrogates, which nothing can print or encode
    args = [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for a in args]
    if args[:1] == ["help"]:  # `paperboy help`, `paperboy help search`: as git and pip take it
        args = [*args[1:2], "--help"]
    try:
        code = command.main(args=args, prog_name="paperboy", standalone_mode=False)
    except _click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:  # `paperboy` alone: one line
            listed = getattr(exc.ctx.command, "list_commands", None)  # a group's commands
            names = ", ".join(listed(exc.ctx)) if listed is not None else ""
            _fail(f"a command is needed{f' ({names})' if names else ''} (see paperboy --help)", 2)
        named = exc.ctx.info_name if exc.ctx and exc.ctx.parent else None
        named = named or next((a for a in args[:1] if a in getattr(command, "commands", {})), None)
        hint = f" (see paperboy {named} --help)" if named else " (see paperboy --help)"
        if named and (meant := option_meant(exc, named, args[1:]) or argument_meant(exc, named)) is not None:
            _fail(meant, 2)
        _fail(f"{plainly(exc.format_message())}{hint}", 2)
    except (typer.Abort, KeyboardInterrupt):
        _interrupted(own=argv is None)
    except UsageError as exc:
        _fail(str(exc), 2)
    except PaperboyError as exc:
        _fail(str(exc), 1)
    if code == INTERRUPTED:  # typer's own answer to Ctrl-C (KeyboardInterrupt), which never reaches us
        _interrupted(own=argv is None)
    sys.exit(code if isinstance(code, int) else 0)


def _deadline_at_interrupt() -> AbstractContextManager[None]:
    """In the command's own process (`main` reading sys.argv, which set SIGTERM's answer), Ctrl-C arms
    the exit deadline at once: a clean-up that hangs after it cannot hold the process (`bot.host.exits`)."""
    from contextlib import nullcontext

    from bot.host.exits import deadline_at_interrupt

    if signal.getsignal(signal.SIGTERM) is not _terminate:
        return nullcontext()
    return deadline_at_interrupt(2 * INTERRUPT_SECONDS, INTERRUPTED, say=False)


def _interrupted(*, own: bool, by: str = "Ctrl-C", status: int = INTERRUPTED) -> None:
    """Ctrl-C: exit 130 at once, saying so (SIGTERM: 143). A CPU worker in the middle of an index build
    (the interpreter waits for it at exit) held `paperboy chat` past Ctrl-C on a busy host: past a few
    seconds the process ends without it (`bot.host.exits`; the store commits as it goes). Only where the
    process is the command's own (`main` reading sys.argv): a caller of `main` in its own process, a test,
    may go on after it."""
    if own:
        from bot.host.exits import exit_by

        exit_by(INTERRUPT_SECONDS, status, say=False)  # the command's one line is said below
        # a second Ctrl-C, while the interpreter waits for a worker at exit, printed a thread's traceback
        # after that line: the deadline above ends the process all the same
        with contextlib.suppress(ValueError):  # not the main thread: signals are not ours to set
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    _fail(
        f"interrupted ({by}): what it did before is kept (the store commits as it goes); run it again for the rest",
        status,
    )


def _fail(message: str, code: int) -> None:
    err.print(f"paperboy: error: {message}", markup=False)
    sys.exit(code)
