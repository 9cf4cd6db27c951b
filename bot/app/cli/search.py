"""`paperboy search`: the papers a query finds, as `/papers QUERY` finds them in chat; one query, or a
file of them (`--batch`, JSON lines).

Registered on the command line's app by `bot.app.cli`; like the other commands, it imports what it
uses inside its body, so `paperboy --help` loads none of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import os
import stat
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import running
from bot.app.cli.days import today
from bot.app.cli.output import out, paper_json, print_json
from bot.app.cli.piped import Piped
from bot.domain.errors import NotFound, SourceError, UsageError
from bot.domain.our_words import unreadable
from bot.domain.words import counted

if TYPE_CHECKING:
    from bot.app.bootstrap import Services
    from bot.chat.recent import Window
    from bot.domain.post import Post
    from bot.search.port import SearchFilters, SearchHit
    from bot.search.spelling import Searched


def register(app: typer.Typer) -> None:

    # `-video` is a word to leave out, and so is `-hallucination`: no `-h` here, only `--help`
    @app.command(context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
    def search(
        words: Annotated[
            list[str] | None,
            typer.Argument(metavar="QUERY", help="What to look for, in words (quotes for a phrase; -word leaves out)."),
        ] = None,
        batch: Annotated[
            Path | None,
            typer.Option(
                metavar="FILE",
                help="A file of queries, one a line (- reads them from standard input); prints JSON lines.",
                readable=False,  # said in our words, as a missing file is (`cannot read it: …`)
            ),
        ] = None,
        limit: Annotated[int, typer.Option(min=1, max=200, metavar="N", help="How many results.")] = 10,
        json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Search the papers, as `/papers QUERY` does in chat."""
        from adapters.console.render import render_post

        if mistyped := next((w for w in words or () if w.startswith("--")), None):  # -word is a query's; --word ours
            command = getattr(typer.main.get_command(app), "commands", {}).get("search")  # its options, read
            ours = [o for p in getattr(command, "params", ()) for o in p.opts if o.startswith("--")]
            near = difflib.get_close_matches(mistyped.partition("=")[0], ours, n=1, cutoff=0.6)
            nearest = f" (the nearest: {near[0]})" if near else ""  # as click's are said
            raise UsageError(f"{mistyped} is not an option{nearest} (see paperboy search --help)")
        query = " ".join(words) if words else None
        if batch is None and (query is None or not query.strip()):
            raise UsageError('search needs a QUERY (or --batch FILE): paperboy search "speculative decoding"')
        if batch is not None and query is not None:
            raise UsageError("give either a QUERY or --batch FILE, not both")
        queries: list[str] = []
        piped = batch is not None and str(batch) == "-" and not stat.S_ISREG(os.fstat(sys.stdin.fileno()).st_mode)
        if batch is not None and not piped:  # (a pipe's queries are answered as they come: `_piped_lines`)
            try:
                text = (
                    sys.stdin.read().removeprefix("\ufeff")
                    if str(batch) == "-"
                    else batch.read_text(encoding="utf-8-sig")
                )
                queries = [line.strip() for line in text.splitlines()]
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"--batch {batch}: cannot read it: {unreadable(exc)}") from None
            while queries and not queries[-1]:  # blank lines at the end; one inside gets its answer, in its place
                queries.pop()
            if not queries:  # said, not an empty answer: a wrong or unsaved file looks just like this
                raise UsageError(f"--batch {batch} holds no queries: write one query a line")

        from bot.chat.commands import search_parts
        from bot.chat.recent import Window
        from bot.search.port import SearchFilters
        from bot.search.query import nothing_asked
        from bot.search.spelling import Searched, searched

        async def recent(services: Services, text: str) -> tuple[str, SearchFilters, dict[str, str], Window, int]:
            """The topic, the days its time words ask for (`diffusion this week`, `agents since monday`: of
            `diffusion today` before today's papers are in, the latest day's, said in a `note`) and the
            results (`top 10`, else --limit), as a chat search reads them."""
            from bot.chat.held import today_held

            topic, days, span, asked = search_parts(text)
            if (why := _no_search(text, topic, span is not None)) is not None:
                raise UsageError(why)
            window, not_in = await today_held(services.store, Window.of(days, span, today()))
            limits = {"since": window.first, "until": window.last}
            said = {name: day.isoformat() for name, day in limits.items() if day is not None}
            said |= {"note": not_in} if not_in else {}
            return topic, SearchFilters(since=window.first, until=window.last), said, window, asked or limit

        async def work(services: Services) -> None:
            if batch is not None:
                await services.search.filled()  # opened (or built) before the first query's clock starts
                answered = 0
                async for line in _piped_lines() if piped else _listed(queries):  # a line printed as answered
                    answered += 1
                    started = time.perf_counter()
                    # said, not passed off as a query that matched nothing
                    why = nothing_asked(line) if line else "a blank line"
                    # an arXiv id or a paper's link names that paper, as one QUERY (and /papers) takes it
                    error = f"nothing to search for: {why}" if why else None
                    try:
                        hits = [] if why else await _named_paper(services, line)
                    except (NotFound, SourceError) as exc:  # a paper named that the store lacks: said, not searched
                        hits, error = [], str(exc)
                    said: dict[str, str] = {}
                    if not hits and error is None:  # as a QUERY is searched: a word no paper holds respelled
                        try:
                            topic, filters, said, window, most = await recent(services, line)
                        except UsageError as exc:  # `diffusion past 2 years`: said for this line, the batch goes on
                            error = str(exc)
                        else:
                            found = await searched(services.search, topic, most, filters)
                            told = await _told(services, found, _unlinked(line), window, topic)
                            hits, said = found.hits, _joined(said, told)
                    took = round((time.perf_counter() - started) * 1000, 3)
                    answer = {"query": line, **said, "results": [h.paper.arxiv_id for h in hits], "took_ms": took}
                    print_json(answer | ({"error": error} if error else {}))
                if not answered:  # said, not an empty answer
                    raise UsageError(f"--batch {batch} holds no queries: write one query a line")
                return
            assert query is not None
            if why := nothing_asked(query):
                raise UsageError(f"nothing to search for in {query.strip()[:80]!r}: {why}")

            started = time.perf_counter()
            found = Searched(await _named_paper(services, query), query)  # an arXiv id: that paper, no index opened
            unlinked: str | None = None
            topic, filters, limited, window, most = await recent(services, query)
            if not found.hits:
                await services.search.filled()  # by meaning too, as a running bot answers
                found = await searched(services.search, topic, most, filters)
                unlinked = _unlinked(query)  # a repository's link no paper's code is: its name searched, said so
            took = (time.perf_counter() - started) * 1000
            if json_:
                results = [paper_json(h.paper, score=round(h.score, 4), every_word=h.whole) for h in found.hits]
                told = _joined(limited, await _told(services, found, unlinked, window, topic))
                print_json({"query": query, **told, "took_ms": round(took, 3), "results": results})
            else:
                lacked = await _lacked(services, window, topic, bool(found.hits))
                lacked = " ".join(filter(None, (limited.get("note"), lacked))) or None
                out.print(render_post(_search_post(topic, found, lacked, window.listed(), unlinked)))

        running.with_services(work)


async def _listed(queries: list[str]) -> AsyncIterator[str]:
    for query in queries:
        yield query


async def _piped_lines() -> AsyncIterator[str]:
    """Standard input's queries, each as it comes from a pipe (a co-process writes a query and waits for its
    answer: the whole input was read first). A blank line is held until a query follows it (blank lines at
    the end are none). Read by a daemon thread: one waiting on a pipe never holds the process's exit. Bytes
    that are not UTF-8 are read as replacement characters, as chat reads them."""
    loop, lines = asyncio.get_running_loop(), asyncio.Queue[str | OSError | None]()

    def read() -> None:
        said: str | OSError | None = None
        try:
            piped = Piped()  # unbuffered: a buffered read that waits held the interpreter's end (chat's)
            while (said := piped.line()) is not None:
                loop.call_soon_threadsafe(lines.put_nowait, said)
        except OSError as exc:
            said = exc
        with contextlib.suppress(RuntimeError):  # the loop is closed: the command ended first
            loop.call_soon_threadsafe(lines.put_nowait, said)

    threading.Thread(target=read, name="paperboy-batch-stdin", daemon=True).start()
    blanks, first = 0, True
    while (line := await lines.get()) is not None:
        if not isinstance(line, str):
            raise UsageError(f"--batch -: cannot read it: {unreadable(line)}")
        query, first = (line.removeprefix("\ufeff") if first else line).strip(), False
        if not query:
            blanks += 1
            continue
        for _ in range(blanks):
            yield ""
        blanks = 0
        yield query


async def _lacked(services: Services, window: Window, topic: str, found: bool) -> str | None:
    """What a search says of the days its time words keep (`diffusion this week`, `agents on may 1`) that
    the store lacks, as chat says it, but to whoever runs paperboy (run the command that fetches one):
    with results, which days it lacks; with none, that, or that no paper was listed (`none_within`). None
    where it holds the days asked, or they asked none."""
    if window.first is None:
        return None
    from bot.chat.held import found_within, none_within, window_held

    lacking = await window_held(services.store, window, today(), operator=True)
    if found:
        return await found_within(services.store, window, lacking, today(), operator=True)
    return await none_within(services.store, topic, window, lacking, operator=True)


def _no_search(text: str, topic: str, spanned: bool) -> str | None:
    """Why a query is no search, as chat answers it otherwise (it was searched for as words): days alone
    (`since aug 1`, `this week`, `aug 20`: chat lists their papers), Hugging Face's list of days' papers,
    a link that names no paper nor words to look for."""
    from bot.chat.commands import Recent, Today, Unknown
    from bot.chat.commands.links import other_link
    from bot.chat.days import named_day
    from bot.chat.recent import only_when
    from bot.domain.other_links import HubPage, hub_page, one_url

    typed = text.strip()
    day = named_day(typed)
    if (spanned and not topic.strip()) or only_when(typed) is not None or (day is not None and not day[1]):
        said = typed if spanned or not day or typed.lower().startswith(("on ", "from ", "yesterday")) else f"on {typed}"
        return f"{typed[:80]!r} names days but no words to search for: add them, such as 'diffusion {said[:40]}'"
    url = one_url(text)
    linked = other_link(url, text) if url is not None else None
    if isinstance(linked, Today | Recent):
        when = f" --date {linked.day.isoformat()}" if isinstance(linked, Today) and linked.day else ""
        return f"{typed[:80]!r} is Hugging Face's list of days' papers: `paperboy digest{when}` shows a day's"
    page = hub_page(url) if url is not None else None  # a model's page: its name searched for, as said
    if isinstance(linked, Unknown) and (page is None or page.kind not in HubPage.REPOSITORIES):
        return f"{typed[:80]!r}: {linked.hint}"
    return None


async def _told(
    services: Services, found: Searched, unlinked: str | None, window: Window, topic: str
) -> dict[str, str]:
    """What a QUERY's JSON (and each `--batch` line's) says beside its results: its respelling,
    `respelled` (searched instead) or `suggested` (offered); `searched_as`, the `author:` search a
    person's papers asked for was read as (`papers by Shen Nie`); `unknown_author`, an `author:` name
    no paper has; and a `note` of what the answer says: a repository's link no paper's code is, the
    respelling or the papers' words, whose name found nothing, the days the store lacks."""
    from bot.search.query import another_script

    lacked = await _lacked(services, window, topic, bool(found.hits))
    other = another_script(topic) if not found.hits else None  # "拡散モデル": as the text says it (JSON said nothing)
    note = " ".join(filter(None, (unlinked, found.note(), found.by and found.nobody(), lacked)))
    note = " ".join(filter(None, (note, other and f"No papers match: {other}.")))
    said = {
        "respelled": found.respelled,
        "suggested": found.suggested,
        "searched_as": found.by and found.by.query,
        "note": note,
        "unknown_author": found.unknown_author,
    }
    return {name: text for name, text in said.items() if text}


def _joined(first: dict[str, str], then: dict[str, str]) -> dict[str, str]:
    """Two parts of a QUERY's JSON as one, their `note`s joined (the day searched in place of today's)."""
    note = " ".join(filter(None, (first.get("note"), then.get("note"))))
    return first | then | ({"note": note} if note else {})


async def _named_paper(services: Services, query: str) -> list[SearchHit]:
    """An arXiv id or a paper's link typed as the query names that paper, as `/papers` takes it: the one
    result, or `NotFound` (`SourceError`) where the store lacks it and it cannot be fetched; a code
    repository's link, the papers whose code it is; [] for any other query (and a repository no paper
    links, searched by its name's words). Papers that merely mention the id are no answer to it."""
    from bot.chat.commands import only_ids
    from bot.domain.errors import InvalidPaperId
    from bot.domain.ids import a_paper_link, papers_named
    from bot.domain.other_links import one_url, repository, repository_urls
    from bot.search.port import SearchHit as Hit

    if (url := one_url(query)) is not None and (owner_name := repository(url)) is not None:  # a repository's:
        return [Hit(p, 1.0) for p in await services.store.linking(repository_urls(owner_name))]  # its papers
    named = papers_named(query)  # `2406.12345`, `arXiv 2406.12345v1`, `2406.12345 2406.54321`: those papers
    if not named and a_paper_link(query):  # a link whose id no paper can have: said, not searched as words
        raise InvalidPaperId(query)
    if not named or not only_ids(query):
        return []
    return [Hit(await services.catalog.paper(arxiv_id), 1.0) for arxiv_id in named]


def _unlinked(query: str) -> str | None:
    """What to say of a query that is a repository's link no stored paper links its code to (`unlinked`)."""
    from bot.domain.other_links import one_url, repository, unlinked

    url = one_url(query)
    owner_name = repository(url) if url is not None else None
    return unlinked(owner_name) if owner_name is not None else None


def _search_post(
    query: str, found: Searched, lacked: str | None = None, listed: str = "", unlinked: str | None = None
) -> Post:
    """The answer to `paperboy search`; `lacked`: what to say of the days its time words kept (`_lacked`),
    `listed`: those days, for its header, `unlinked`: what to say of a repository's link no paper's code is."""
    from bot.domain.cards import card
    from bot.domain.post import Post
    from bot.domain.words import quoted
    from bot.search.query import another_script, nothing_asked

    hits = found.hits
    empty = "No papers match. Try fewer or broader words."
    if not hits and (why := nothing_asked(query)):
        empty = f"Nothing to search for: {why}."
    elif not hits and (other := another_script(query)):
        empty = f"No papers match: {other}."
    elif not hits and (nobody := found.nobody()):
        empty = nobody
    elif not hits and lacked:
        empty = lacked
    count = counted(len(hits), "result")
    return Post(
        header=f"Papers on {quoted(query, 80)}" + listed,
        subheader=" ".join(
            filter(None, (unlinked, " · ".join(filter(None, (count, found.note(), lacked if hits else None)))))
        ),
        cards=tuple(card(h.paper) for h in hits),
        empty=empty,
    )
