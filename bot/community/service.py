"""What people do with the bot's papers: their votes and replies counted, their reading lists kept.

Adapters hand in neutral events (a reaction put on or taken off a message, a message in a thread)
from people only: they drop bots, the bot itself included, before calling. Which message is about
which paper, and whether it counts, is decided here and in the store.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.community.periods import WORDS, since
from bot.domain.cards import card, shorten
from bot.domain.channels import ChannelRef
from bot.domain.citation import bibliography
from bot.domain.engagement import Engaged
from bot.domain.errors import InvalidPaperId
from bot.domain.ids import parse_arxiv_id
from bot.domain.models import Paper
from bot.domain.post import READING_LIST_FILE, Post
from bot.store.engagement import SUPER, EngagementStore, Posted, Reply, Vote
from bot.store.papers import PaperStore
from bot.store.reading import Person, ReadingLists, SavedPaper

BOOKMARKS = {"slack": frozenset({"bookmark"}), "discord": frozenset({"🔖"})}  # the reaction that saves
TOP = 10  # papers `/papers top` shows
LIST_CHARS = 900  # a reading list's paragraphs: a Slack section holds 3,000, a Discord message two of them
TITLE_CHARS = 150  # a title in a reading-list line
# What else to type, as a typed `/papers` command says it (a platform with named options says its own)
WIDER = {"week": ("month", "all"), "month": ("all",)}  # the periods that look further back, nearest first
TOP_PERIOD = "`/papers top {period}`"  # how to look further back, as typed where one asks (`month`, `all`)
BIB_FILE = READING_LIST_FILE
SAVED_MORE = "`/papers saved bibtex` gives it as BibTeX; `/papers unsave ID` takes one off."
SAVE_HOW = "Save a paper with the Save button on its card, `/papers save 2406.12345`, or the bookmark 🔖 on a card."
VOTE_HOW = "React to a card or reply in its thread to vote"


@dataclass(frozen=True)
class Reaction:
    """A person's reaction put on (`added`) or taken off a message.

    `where` is the channel the message is in; on Discord a message inside a thread names the thread.
    `bot_message`: the adapter knows the message is the bot's own (Discord tells the author), so any
    of the bot's messages in a paper's thread counts (the seed, its answers there). `burst`: a Discord
    super reaction, which a person may put beside the normal one of the same emoji: a reaction of its own.
    """

    where: ChannelRef
    message: str
    user: str
    emoji: str
    added: bool
    at: datetime
    bot_message: bool = False
    burst: bool = False

    @property
    def key(self) -> str:
        """The reaction as votes are stored: the emoji, a super reaction's marked."""
        return f"{self.emoji}{SUPER}" if self.burst else self.emoji


@dataclass(frozen=True)
class Ranked:
    engaged: Engaged
    paper: Paper | None  # None: the paper is no longer in the store


class Community:
    def __init__(
        self,
        engagement: EngagementStore,
        lists: ReadingLists,
        papers: PaperStore,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engagement = engagement
        self.lists = lists
        self._papers = papers
        self._clock = clock

    # -- events -------------------------------------------------------------------------------

    async def reaction(self, event: Reaction) -> Posted | None:
        """Count a vote when the message is one the bot posted for a paper (the paper, else None).
        The bookmark reaction also saves the paper for the person; taking it off does not unsave."""
        bookmark = event.added and event.emoji in BOOKMARKS.get(event.where.platform, ())
        before = await self._bookmark(event) if bookmark else None
        posted = await self.engagement.count(
            event.where,
            event.message,
            lambda paper: Vote(paper, event.user, event.message, event.key, event.added, event.at),
            thread_messages=event.bot_message,
        )
        if posted is None:
            return None
        # Saved only by the add that put the bookmark on: a platform's retry or replay of it, or a late copy
        # of an add a removal followed, changes no vote, and put back a paper the person had unsaved since.
        if bookmark and not (before and before[0]) and await self._bookmark(event) == (True, event.at):
            await self.lists.save(self.person(posted.channel, event.user), posted.arxiv_id, event.at)
        return posted

    async def _bookmark(self, event: Reaction) -> tuple[bool, datetime] | None:
        """The person's bookmark on the message as stored: (on, when it last changed), or None."""
        posted = await self.engagement.posted(event.where, event.message, thread_messages=event.bot_message)
        return None if posted is None else await self.engagement.vote_of(posted, event.user, event.message, event.key)

    async def reactions_cleared(self, where: ChannelRef, message: str, emoji: str | None, at: datetime) -> int:
        """A moderator took every reaction off a message (`emoji`: every one of that emoji): each vote
        they were is taken off, as its removal would (the platform names no one); how many."""
        posted = await self.engagement.posted(where, message, thread_messages=True)
        if posted is None:
            return 0  # no paper's message: no votes on it
        # votes are kept under the card's channel: on Discord a message in the paper's thread (its seed)
        # names the thread, a channel of its own
        cleared = await self.engagement.reactions_on(posted.channel, message, emoji)
        for user, key in cleared:
            await self.engagement.count(
                where, message, functools.partial(_off, user, message, key, at), thread_messages=True
            )
        return len(cleared)

    async def bookmarked_in_direct(self, where: ChannelRef, message: str, user: str, at: datetime) -> Posted | None:
        """The bookmark on a card of a person's own digest (a direct message): saved for them, no vote (a
        direct message has no channel's votes); the paper, else None."""
        posted = await self.engagement.posted(where, message)
        if posted is not None:
            await self.lists.save(self.person(where, user), posted.arxiv_id, at)
        return posted

    async def reply(self, where: ChannelRef, thread: str, message: str, user: str, at: datetime) -> Posted | None:
        """Count a person's message in a thread when the thread is a paper's (the paper, else None)."""
        return await self.engagement.count(where, thread, lambda paper: Reply(paper, user, message, at))

    @staticmethod
    def person(where: ChannelRef, user: str) -> Person:
        return Person(where.platform, where.workspace, user)

    # -- reading lists --------------------------------------------------------------------------

    async def save(self, person: Person, paper_ref: str, listed: str = "`/papers saved`") -> str:
        """The Save button: put the paper on the person's list; the words to tell them (`listed`: the
        command that lists it, as the asker types it; "" says none). A paper the store lacks is not saved,
        as typed `save` saves none it cannot find (a button's value may name any id)."""
        try:
            arxiv_id = parse_arxiv_id(paper_ref)
        except InvalidPaperId as exc:
            return str(exc)
        paper = await self._papers.get(arxiv_id)
        if paper is None:  # a button naming a paper the store lacks (typed `save` fetches it first): not saved
            return f"{arxiv_id} is not in the local store, so it was not saved: ask for it by its id to fetch it."
        name = f"“{paper.title}”"
        if await self.lists.save(person, arxiv_id, self._clock()):
            return f"Saved {name} to your reading list." + (f" {listed} shows it." if listed else "")
        return f"{name} is already on your reading list."

    async def unsave(
        self,
        person: Person,
        paper_ref: str,
        example: str = "`/papers unsave 2406.12345`",
        listed: str = "`/papers saved`",
    ) -> Post:
        """`/papers unsave ID`; `example` and `listed`: the commands as the asker types them."""
        try:
            arxiv_id = parse_arxiv_id(paper_ref)
        except InvalidPaperId as exc:
            return Post(header="paperboy", text=(f"{exc}. Try {example}.",))
        paper = await self._papers.get(arxiv_id)
        name = f"“{paper.title}” ({arxiv_id})" if paper else arxiv_id  # as `save` names it
        if await self.lists.unsave(person, arxiv_id):
            return Post(header="paperboy", text=(f"Removed {name} from your reading list.",))
        return Post(header="paperboy", text=(f"{name} is not on your reading list: {listed} shows what is.",))

    async def reading_list(self, person: Person) -> list[tuple[SavedPaper, Paper | None]]:
        found = await self.lists.saved(person)
        papers = await self._papers.get_many([s.arxiv_id for s in found])
        return [(s, papers.get(s.arxiv_id)) for s in found]

    async def saved(
        self, person: Person, *, as_bibtex: bool = False, more: str = SAVED_MORE, how: str = SAVE_HOW
    ) -> Post:
        """`/papers saved [bibtex]`: the person's list, newest first, as lines or as BibTeX; `more`: what
        else to type, and `how`: how to save one, as the asker's platform has it."""
        entries = await self.reading_list(person)
        if not entries:
            return Post(
                header="Your reading list is empty",
                text=(how,),
            )
        if as_bibtex:
            return Post(
                header=f"Your reading list as BibTeX ({_papers(len(entries))})",
                code=citations(entries),
                file=BIB_FILE,
            )
        lines = [listing_line(i, saved, paper) for i, (saved, paper) in enumerate(entries, start=1)]
        return Post(
            header=f"Your reading list ({_papers(len(entries))})",
            text=tuple(in_paragraphs(lines, LIST_CHARS)),
            footer=more,
        )

    # -- top ------------------------------------------------------------------------------------

    async def ranked(self, channel: ChannelRef, period: str, limit: int = TOP) -> list[Ranked]:
        top = await self.engagement.top(channel, since(period, self._clock()), None, limit)
        papers = await self._papers.get_many([e.arxiv_id for e in top])
        return [Ranked(e, papers.get(e.arxiv_id)) for e in top]

    async def top(self, channel: ChannelRef, period: str, further: str = TOP_PERIOD, how: str = VOTE_HOW) -> Post:
        """`/papers top [week|month|all]`: the channel's papers by score, each card with its counts;
        `further`: how to look further back, as the asker types it, with `{period}` for the period (the
        command line's own option); `how`: how one votes there."""
        ranked = await self.ranked(channel, period)
        cards = tuple(
            replace(card(r.paper or unknown(r.engaged.arxiv_id), rank=i), summary=counts(r.engaged))
            for i, r in enumerate(ranked, start=1)
        )
        return Post(
            header=f"Most engaged papers here, posted {WORDS[period]}",
            subheader="Score: people who reacted to a paper's messages + people who replied in its thread",
            cards=cards,
            empty=None if cards else await self._none_voted(channel, period, further, how),
        )

    async def _none_voted(self, channel: ChannelRef, period: str, further: str, how: str) -> str:
        """What `top` says of a period with no votes: that papers posted before have some, where they do, and
        the nearest period that shows them (in a channel of weekly roundups, last week's cards, discussed
        this week, are just outside `top week`: `top month` has them)."""
        none = f"No paper posted here {WORDS[period]} has a reaction or a reply yet"
        for wider in WIDER.get(period, ()):
            if await self.ranked(channel, wider, 1):
                return f"{none}; papers posted before have: {further.format(period=wider)} shows them."
        return f"{none}. {how}."  # (not "`top all` looks further back": no paper here has one, ever)


def unknown(arxiv_id: str) -> Paper:
    """A paper voted for here that the local store no longer holds: its id and its links, still ranked."""
    return Paper(arxiv_id=arxiv_id, title=f"arXiv {arxiv_id} (not in the local store)")


def counts(engaged: Engaged) -> str:
    """A paper's engagement here, under its card (whose 💬 counts Hugging Face's comments, not these replies)."""
    reacted = f"{engaged.reactions} {_people(engaged.reactions)} reacted"
    return f"Score {engaged.score}: {reacted}, {engaged.replies} replied in its thread"


def _people(n: int) -> str:
    return "person" if n == 1 else "people"


def _papers(n: int) -> str:
    return f"{n} paper" + ("" if n == 1 else "s")


def in_paragraphs(lines: Sequence[str], most: int) -> list[str]:
    """Lines gathered into paragraphs of at most `most` characters (a longer line is one alone): the
    pieces a platform may show in separate sections or messages, never cut inside a line."""
    paragraphs: list[list[str]] = []
    size = 0
    for line in lines:
        if not paragraphs or size + 1 + len(line) > most:
            paragraphs.append([])
            size = -1
        paragraphs[-1].append(line)
        size += 1 + len(line)
    return ["\n".join(p) for p in paragraphs]


def listing_line(position: int, saved: SavedPaper, paper: Paper | None, title_chars: int | None = TITLE_CHARS) -> str:
    """One line of a reading list; a title cut at `title_chars` (None: whole, as the command line prints it)."""
    if paper is None:
        title = "(not in the local store)"
    else:
        title = shorten(paper.title, title_chars) if title_chars else " ".join(paper.title.split())
    return f"{position}. {saved.arxiv_id} · {title} · saved {saved.saved_at:%-d %b %Y}"


def _off(user: str, message: str, key: str, at: datetime, paper: Posted) -> Vote:
    """A counted reaction, taken off."""
    return Vote(paper, user, message, key, False, at)


def citations(entries: list[tuple[SavedPaper, Paper | None]]) -> str:
    """Every saved paper as BibTeX, newest first; one the store no longer holds gets arXiv's minimal entry.
    Keys shared are told apart from the earliest saved on: saving a paper never renames an earlier one's."""
    papers = [paper or Paper(arxiv_id=s.arxiv_id, title=s.arxiv_id) for s, paper in entries]
    return bibliography(papers, keyed_from_last=True)
