"""`paperboy digest` and `paperboy paper`: a listing day's digest, and one paper, as chat shows them.

Like every command, each imports what it uses inside its body, so `paperboy --help` loads none of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import days, running
from bot.app.cli.output import Format, err, out, paper_json, print_json
from bot.domain.errors import UsageError

if TYPE_CHECKING:
    from bot.app.bootstrap import Services


def _topics(typed: list[str]) -> tuple[str, ...]:
    """`--topic` values as chat takes them: commas between topics, each `-word` an exclusion of its own
    (the parser loads only when a topic is given: a plain digest starts without it)."""
    from bot.chat.commands import checked_topics, comma_parts
    from bot.chat.commands.typed import plain_text

    try:
        parts = [comma_parts(plain_text(value)) for value in typed]  # a pasted zero-width space dropped, as in chat
        if not all(parts):  # refused, not skipped: no topic at all would be every paper
            raise UsageError("a topic cannot be blank: remove it, or write the words to look for")
        return checked_topics([part for found in parts for part in found])
    except UsageError as exc:
        raise UsageError(f"--topic: {exc}") from None


def register(app: typer.Typer) -> None:
    @app.command()
    def digest(
        date_: Annotated[
            str | None,
            typer.Option(
                "--date",
                metavar="YYYY-MM-DD",
                help="Listing day: YYYY-MM-DD, today, yesterday, friday, aug 20 (default: the latest with papers).",
            ),
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
            typer.Option(min=0, max=1_000_000, metavar="N", help="Fewest upvotes a paper needs."),  # MOST_UPVOTES
        ] = None,
        format_: Annotated[
            Format, typer.Option("--format", metavar="FORMAT", help="text or json.", case_sensitive=False)
        ] = Format.text,
    ) -> None:
        """Build the digest for a listing day and show it (posts nothing)."""
        from adapters.console.render import render_post
        from bot.delivery.digest import DigestOptions, build_digest

        day = days.parse_day(date_)
        if day is not None:
            days.not_future(day)
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
            elif note := await services.catalog.staleness(days.today()):
                err.print(note, style="yellow", markup=False)
            result = await build_digest(services.store, services.search, options, day)
            if topics:  # a typo in --topic found nothing, and said only that nothing matched
                from bot.search.spelling import misspelt

                for note in await misspelt(services.search, topics):
                    err.print(f"--topic: {note}", style="yellow", markup=False)
            if format_ is Format.json:
                papers = [paper_json(p, rank=i) for i, p in enumerate(result.papers, start=1)]
                said = {
                    "date": result.day.isoformat() if result.day else None,
                    "listed": result.listed,
                    "papers": papers,
                }
                empty = result.to_post().empty  # why none: "listed no papers", "they may still come", the filters…
                print_json(said | ({"note": empty} if empty else {}))
            else:
                out.print(render_post(result.to_post()))

        running.with_services(work)

    @app.command()
    def paper(
        paper_id: Annotated[str, typer.Argument(metavar="ID", help="An arXiv id or an arXiv or Hugging Face URL.")],
        json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Show one paper (from the store, else fetched from Hugging Face or arXiv)."""
        from adapters.console.render import render_post
        from bot.domain.cards import paper_post
        from bot.domain.errors import UsageError
        from bot.domain.ids import papers_named, parse_arxiv_id

        named = papers_named(paper_id)  # `2406.12345.`, `(link)`, `“2406.12345”`: as chat reads them
        if len(named) > 1:
            raise UsageError(f"one paper at a time: paperboy paper {named[0]}, then paperboy paper {named[1]}")
        arxiv_id = named[0] if named else parse_arxiv_id(paper_id)

        async def work(services: Services) -> None:
            found = await services.catalog.paper(arxiv_id)
            if json_:
                print_json(paper_json(found))
            else:
                out.print(render_post(paper_post(found)))

        running.with_services(work)  # an empty store is filled first, as for every command that reads papers
