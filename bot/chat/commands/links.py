"""Links pasted that name no paper by its arXiv id (`bot.domain.other_links`): a code repository's (the
papers whose code it is), another paper site's (a search for the words its address holds), and Hugging
Face's own pages: its Daily Papers list of a day, a week or a month (their papers), and a model's,
dataset's or Space's page. Those were searched for as their address's words, and found papers holding
"huggingface" or "date"."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from urllib.parse import urlsplit

from bot.chat.commands.kinds import Command, Recent, RepositoryLookup, Search, Today, Unknown
from bot.chat.commands.typed import names_a_paper
from bot.chat.days import NamedDay, Span
from bot.domain.ids import a_paper_link
from bot.domain.other_links import HubPage, hub_page, link_words, repository, repository_words

_PAPER_LINK = "paste a paper's link (huggingface.co/papers/2406.12345) or its arXiv id"


def other_link(url: str, text: str) -> Command | None:
    """What a link to no paper's page asks for, or what to say of it; None for a paper's page."""
    if (page := hub_page(url)) is not None:
        return _hub(page, text)
    if (arxiv := _arxiv_page(url, text)) is not None:
        return arxiv
    if names_a_paper(url):
        return None
    if (owner_name := repository(url)) is not None:
        return RepositoryLookup(owner_name)
    if words := link_words(url):
        return Search(words)
    return Unknown(text, "that link names no paper I can read: paste the paper's arXiv id or link, or its title.")


_ARXIV_SITES = ("arxiv.org", "www.arxiv.org", "export.arxiv.org", "browse.arxiv.org")


def _arxiv_page(url: str, text: str) -> Command | None:
    """What to say of an arXiv page that is no paper's: a list of a category's papers
    (`arxiv.org/list/cs.CL/recent`), an author's page (`arxiv.org/a/huang_c_1`), its search; None for any
    other URL, and for a paper's page (`/abs/`, `/format/ID`…: the catalog reads it, or says why not).
    They were searched for as their address's words, and found papers on none of them."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    path = [segment for segment in parts.path.split("/") if segment]
    if parts.netloc.lower() not in _ARXIV_SITES or a_paper_link(url):
        return None
    if path[:1] == ["a"] and len(path) > 1 and (surname := path[1].split("_")[0]).isalpha():
        return Unknown(
            text,
            f"that link is an author's page on arXiv, not a paper's: `author:{surname.capitalize()}` lists the"
            f" papers here by authors of that name, or {_PAPER_LINK}.",
        )
    if path[:1] == ["list"] and len(path) > 1:
        return Unknown(text, f"that link is arXiv's list of {path[1][:20]} papers, not a paper's: {_PAPER_LINK}.")
    return Unknown(text, f"that arXiv page names no paper: {_PAPER_LINK}.")


def _days_of(page: HubPage) -> tuple[date, date] | None:
    """The first and last days of a week's list (`2026-W34`) or a month's (`2026-08`); None for no such."""
    try:
        if page.kind == "week":
            year, _, week = page.name.upper().partition("-W")
            monday = date.fromisocalendar(int(year), int(week), 1)
            return monday, monday + timedelta(days=6)
        year, _, month = page.name.partition("-")
        first = date(int(year), int(month), 1)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    except ValueError:
        return None


def _hub(page: HubPage, text: str) -> Command:
    """A Hugging Face page that is no paper's: a day's list is that day's papers; the rest say what to type."""
    if page.kind == "day":
        try:
            return Today(day=date.fromisoformat(page.name)) if page.name else Today()
        except ValueError:
            return Unknown(text, f"“{page.name[:20]}” in that link is no day: a day's list ends in 2026-08-20.")
    if page.kind == "search":  # `huggingface.co/papers?q=agents`: the same search here
        return Search(page.name)
    if page.kind in ("week", "month"):  # its days' papers, most upvoted first
        if (days := _days_of(page)) is None:
            shape = "2026-W34" if page.kind == "week" else "2026-08"
            return Unknown(
                text, f"“{page.name[:20]}” in that link is no {page.kind}: a {page.kind}'s list ends in {shape}."
            )
        first, last = (NamedDay(d.month, d.day, d.year) for d in days)
        return Recent(0, span=Span(first, only=False, until=last))
    if page.kind == "page":
        return Unknown(text, f"that Hugging Face page names no paper: {_PAPER_LINK}.")
    return Unknown(
        text,
        f"that link is a Hugging Face {page.kind}'s page ({page.name}), not a paper's: {_PAPER_LINK}, or search for"
        f" its name: `{repository_words(page.name)}`.",
    )
