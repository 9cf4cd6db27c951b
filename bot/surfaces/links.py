"""Link cards: the paper behind each arXiv or Hugging Face link in a message, as a card or a short note.

Each link keeps the exact text it was posted as (Slack answers an unfurl keyed by it); several
links to one paper fetch it once. A paper the store lacks is fetched through the catalog (online)
or gets a note saying it is not in the local store (offline).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.cards import card
from bot.domain.errors import InvalidPaperId, NotFound, SourceError
from bot.domain.ids import impossible_links, paper_links, paper_url_id, papers_named
from bot.domain.post import Card, Post
from bot.host.tasks import together
from bot.ingest.catalog import Catalog

MAX_LINKS = 10  # papers per message: a message linking fifty papers gets the first ten cards


@dataclass(frozen=True)
class LinkCard:
    """One paper link: its card, or (`card` None) a note on why there is none."""

    url: str
    paper_id: str
    card: Card | None
    note: str = ""
    passing: bool = False  # the note is of a fault that may pass (a source failing): no card to leave in place


class LinkCards:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    async def for_urls(self, urls: Iterable[str]) -> list[LinkCard]:
        """A card for each URL that is a paper link (none for other URLs), in the order given."""
        pairs = [(url, found) for url in dict.fromkeys(urls) if (found := paper_url_id(url))]
        return await self._cards(pairs)

    async def in_text(self, text: str) -> list[LinkCard]:
        """A card for each paper link in a message's text."""
        return await self._cards(paper_links(text))

    async def post(self, text: str) -> Post:
        """The cards of the papers a message links to, or names by id (`arXiv:2406.12345`, as `/papers paper`
        takes it), as one post (what Discord's *Paper card* shows)."""
        pairs = paper_links(text)
        pairs += [(paper_id, paper_id) for paper_id in papers_named(text) if paper_id not in {p for _, p in pairs}]
        found = await self._cards(pairs)
        linked = len(dict.fromkeys(paper_id for _, paper_id in pairs))
        if not found:
            return Post(header="paperboy", text=(_no_paper(text),))
        cards = tuple(dict.fromkeys(f.card for f in found if f.card is not None))
        notes = tuple(dict.fromkeys(f.note for f in found if f.card is None))
        if linked > MAX_LINKS:
            more = linked - MAX_LINKS
            notes += (
                f"…and {more} more {'paper' if more == 1 else 'papers'} linked: a message gets the first {MAX_LINKS}.",
            )
        one = len({f.paper_id for f in found}) == 1
        header = "The paper linked in this message" if one else "The papers linked in this message"
        return Post(header=header, cards=cards, text=notes)

    async def _cards(self, pairs: list[tuple[str, str]]) -> list[LinkCard]:
        ids = list(dict.fromkeys(paper_id for _, paper_id in pairs))[:MAX_LINKS]
        pairs = [(url, paper_id) for url, paper_id in pairs if paper_id in ids]
        looked_up = dict(zip(ids, await together(*(self._one(i) for i in ids)), strict=True))
        found = []
        for url, paper_id in pairs:
            result = looked_up[paper_id]
            if isinstance(result, tuple):
                found.append(LinkCard(url, paper_id, None, *result))
            else:
                found.append(LinkCard(url, paper_id, result))
        return found

    async def _one(self, paper_id: str) -> Card | tuple[str, bool]:
        """The paper's card, or a note and whether what it tells may pass."""
        try:
            return card(await self._catalog.paper(paper_id))
        except NotFound as exc:
            return (f"arXiv {exc}." if str(exc).startswith(paper_id) else f"{exc}.", False)
        except SourceError as exc:
            return (f"arXiv {paper_id} could not be fetched just now ({exc}); try again later.", True)
        except InvalidPaperId as exc:  # not expected: the id came from a parsed link
            return (str(exc), False)


def _no_paper(text: str) -> str:
    """Why a message gets no card: its paper links name ids no paper can have, or it has none."""
    if impossible := impossible_links(text):
        named = ", ".join(impossible[:3]) + ("…" if len(impossible) > 3 else "")
        return (
            f"That message links to {named}, which no arXiv paper can have (an id is YYMM.NNNNN, its month 01 to 12,"
            " such as 2406.12345; or archive/YYMMNNN, such as hep-th/9901001): check the link for a typo."
        )
    return (
        "That message links to no paper. Paper card works on links to arxiv.org (abs, pdf or html), "
        "huggingface.co/papers or hf.co/papers, alphaxiv.org, and ar5iv, and on arXiv ids (2406.12345)."
    )
