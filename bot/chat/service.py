"""The bot's conversational core, shared by every chat adapter: commands, shares, mentions in paper threads.

Adapters translate a platform's payloads into these calls and render the posts they return; the
decisions (what to answer, which paper a thread is about, whether an event was seen before) are made
here, the same on every platform. The words that differ by platform come from its `Phrasebook`. A
channel's digest (`subscribe`, `unsubscribe`, `settings`, `preview`) is answered by `channel_digest`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from bot.chat.asker import Asker as Asker
from bot.chat.asker import channel_meant as channel_meant
from bot.chat.cadence import KINDS
from bot.chat.channel_digest import ChannelDigests
from bot.chat.commands import (
    MOST_PAPERS,
    TO_START,
    TO_STOP,
    Ask,
    Command,
    Follow,
    Follows,
    Help,
    PaperLookup,
    Preview,
    Recent,
    RepositoryLookup,
    Save,
    Saved,
    Search,
    Settings,
    Subscribe,
    Thanks,
    Today,
    Top,
    Unfollow,
    Unknown,
    Unsave,
    Unsubscribe,
    parse_command,
    settings_alone,
)
from bot.chat.days import NamedDay, Span, resolved
from bot.chat.discussion import (
    ASKS,
    NOT_A_PAPER_THREAD,
    RELATED,
    all_asked,
    answered_together,
    asks_for_news,
    asks_of_reading_list,
    asks_to_save,
    asks_to_unsave,
    bibtex_only,
    discussed,
    help_naming,
    news_said,
    unmentioned,
    what_is_asked,
)
from bot.chat.follows import FollowService
from bot.chat.held import found_within, none_within, not_today, span_held, today_held, window_held
from bot.chat.recent import Window
from bot.chat.replies import replied, said
from bot.chat.wording import TYPED, Phrasebook
from bot.community.service import Community
from bot.delivery.digest import DigestOptions, build_digest
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.cards import card, paper_post
from bot.domain.channels import ChannelRef
from bot.domain.citation import bibliography
from bot.domain.config import DigestDefaults
from bot.domain.errors import (
    ChannelUnavailable,
    DeliveryError,
    InvalidPaperId,
    MessageRefused,
    NotFound,
    PaperboyError,
    SourceError,
    SourceUnavailable,
    UsageError,
)
from bot.domain.ids import papers_named
from bot.domain.models import Paper
from bot.domain.other_links import repository_urls, repository_words, unlinked
from bot.domain.post import CITED_FILE, Post
from bot.domain.publishing import MessageRef, Publisher
from bot.domain.words import quoted
from bot.ingest.catalog import Catalog
from bot.search.port import SearchFilters, SearchIndex
from bot.store.events import EventLog
from bot.store.follows import AsPosted, FollowStore
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.reading import Person

SEARCH_RESULTS = 5
log = logging.getLogger("paperboy.chat")


def manages_channel(command: Command) -> bool:
    """Whether answering `command` changes the channel's digest, so the asker must be allowed to manage it."""
    return isinstance(command, Subscribe | Unsubscribe)


@dataclass(frozen=True)
class Mention:
    """The bot mentioned in a message: `thread` is where it was said, if in a thread; `channel` the
    thread's channel where the platform needs it to find the thread (None where thread ids are unique);
    `user` who wrote it, in `workspace` (a Slack team or org; a Discord server, "" in a direct message):
    whose reading list a `save` puts the paper on."""

    platform: str
    event_id: str  # the platform's id for this event, the same on every retry or replica's copy
    channel: str | None
    thread: str | None
    text: str
    user: str = ""
    workspace: str = ""


@dataclass(frozen=True)
class Shared:
    root: MessageRef
    title: str


@dataclass(frozen=True)
class SharedBefore:
    """The paper was shared in this channel a little before (`ago`): a second click, or a teammate's Share
    of the same paper, points to that card's thread instead of splitting the discussion over two."""

    title: str
    ago: timedelta
    under_way: bool = False  # another replica was posting it at that moment (`EventLog.claim`)


SHARED_LATELY = timedelta(hours=1)  # a paper shared in a channel this recently is not posted there again
SHARING = timedelta(minutes=1)  # a Share's claim on its channel and paper while it posts (`EventLog.claim`)


# what a person is told of a post refused for a reason that may pass (`Unshared.passing`)
TRY_AGAIN = "try again in a minute; if it fails again, whoever runs paperboy can see why in its log."
# A card the platform refused as written (`Unshared.as_written`): a click again would be refused again.
AS_WRITTEN = (
    "{platform} refused this paper's card as paperboy wrote it (its length or its layout), so sharing it again"
    " would fail too: whoever runs paperboy finds why in its log, to report."
)


@dataclass(frozen=True)
class Unshared:
    """The channel refuses the bot (not invited, archived): `reason` in the platform's terms; `passing`:
    a refusal that may pass (a rate limit, an outage), to try again in a moment; `as_written`: the
    platform refused the card itself (its length, its layout), which a click again refuses again."""

    reason: str
    passing: bool = False
    as_written: bool = False
    automod: bool = False  # (as written) the server's moderation blocked it: a moderator can allow it


class ChatService:
    """Answers `/papers` commands, shares papers into channels and answers mentions in their threads."""

    def __init__(
        self,
        store: PaperStore,
        search: SearchIndex,
        catalog: Catalog,
        subscriptions: SubscriptionStore,
        defaults: DigestDefaults,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        ledger: Ledger | None = None,
        events: EventLog | None = None,
        phrasebooks: Mapping[str, Phrasebook] | None = None,
        community: Community | None = None,
        cards: FollowStore | None = None,
    ) -> None:
        """`ledger` knows which thread is about which paper, `events` which events were answered (both
        default to the store's own); `phrasebooks` holds each platform's words, by platform."""
        self._store = store
        self._search = search
        self._catalog = catalog
        self._subscriptions = subscriptions
        self._defaults = defaults
        self._clock = clock
        self._ledger = ledger if ledger is not None else Ledger(store.engine)
        self._events = events if events is not None else EventLog(store.engine)
        self._phrasebooks = dict(phrasebooks or {})
        self._sharing: weakref.WeakValueDictionary[tuple[ChannelRef, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )  # a Share under way, by channel and paper (a lock lives while a click holds or waits for it)
        self._shared_lately: dict[tuple[ChannelRef, str], datetime] = {}  # this process's last hour's Shares of
        # cards whose thread is their channel (in a Discord thread or forum post), which the store has no record of
        self.follows = FollowService(subscriptions, self._ledger, defaults, clock)
        self._community = community  # votes and reading lists: `top`, `saved`, `unsave`
        self._cards = cards if cards is not None else FollowStore(store.engine)  # shared cards' living threads
        self._digests = ChannelDigests(
            store, search, subscriptions, self._ledger, defaults, clock, self.follows, self._words, self._misspelt
        )

    async def meant(self, asker: Asker) -> Asker:
        """The asker as a channel command takes it: in a thread, most often the thread's channel (`channel_meant`)."""
        return await channel_meant(self._subscriptions, asker)

    async def answer(self, command: Command, asker: Asker) -> Post:
        if isinstance(command, Subscribe | Unsubscribe | Settings | Preview | Top):
            asker = await channel_meant(self._subscriptions, asker)
        match command:
            case Today(limit, day, ago, named):
                return await self._today(limit, self._words(asker), day, ago, named)
            case Recent(days, limit, span):
                return await self._recent(days, limit or self._defaults.limit, span)
            case Search(query, days, span, limit):
                window = Window.of(days, span, self._clock().astimezone(UTC).date())
                return await self._searched(query, window, asker, limit or SEARCH_RESULTS)
            case PaperLookup(ref):
                return await self._paper(ref)
            case RepositoryLookup(repository):
                return await self._linking(repository, asker)
            case Ask(others=others) if others:  # `cite A and B`: one bibliography
                return await self._cited(command, asker)
            case Ask():
                return await self._asked(command, asker)
            case Subscribe():
                return await self._digests.subscribe(command, asker)
            case Unsubscribe(topic):
                return await self._digests.unsubscribe(asker, topic)
            case Settings():
                return await self._digests.settings(asker)
            case Preview(roundup):
                return await self._digests.preview(asker, roundup)
            case Help():
                return Post(
                    header="paperboy: Hugging Face Daily Papers in chat", text=self._words(asker).help(asker.direct)
                )
            case Thanks():
                return Post(
                    header="paperboy",
                    text=(f"{_welcome(command)} {self._words(asker).help_command} lists what I can do.",),
                )
            case Follow():
                where = asker.channel
                return await self.follows.follow(
                    command,
                    where.platform,
                    asker.user,
                    where.channel,
                    where.workspace,
                    asker.direct,
                    self._words(asker),
                    self._misspelt,
                )
            case Follows():
                where = asker.channel
                return await self.follows.follows(where.platform, where.workspace, asker.user, self._words(asker))
            case Unfollow():
                if (none := self._words(asker).no_follows) is not None:  # the terminal: "You follow nothing", as if
                    return said(none)  # it had follows
                return await self.follows.unfollow(command, asker.channel.platform, asker.channel.workspace, asker.user)
            case Top() | Saved() | Save() | Unsave():
                return await self._engaged(command, asker)
            case Unknown(text, hint):
                words = self._words(asker)
                if asker.direct and hint == TO_STOP:  # `stop`, `pause` in a direct message: one's own digest
                    hint = f"To stop your own digest here: {words.unfollow}"
                if asker.direct and hint == TO_START:  # `resume`: no channel's digest to start here
                    hint = f"To get your own digest here: {words.follow_examples}."
                elif (
                    hint == TO_START
                    and (current := await self._subscriptions.get(asker.channel))
                    and not current.status
                ):
                    kind = KINDS[current.cadence].removeprefix("a ")  # it said how to start one
                    hint = f"This channel's {kind} is on already: `settings` shows when the next one comes."
                if asker.direct and hint == settings_alone(text):  # `at 10am`: no channel's digest here
                    hint = (
                        "your own digest here comes at 09:00 on weekdays, your time; settings are a channel digest's."
                    )
                didnt = f"Sorry, I didn't get “{text[:100]}”. {hint[:1].upper()}{hint[1:]}"  # a sentence of its own
                following = text.split(maxsplit=1)[0].lower() in ("follow", "follows", "unfollow")
                own = (words.no_follows or f"{words.follow_examples} — your own digest",)  # (the terminal has none)
                examples = (  # a direct message has no channel's digest to subscribe to
                    own if following else (*words.in_direct(words.examples), *own) if asker.direct else words.examples
                )
                return Post(header="paperboy", text=(didnt, *examples))
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    async def _engaged(self, command: Top | Saved | Save | Unsave, asker: Asker) -> Post:
        """`top`, `saved`, `save`, `unsave`: the channel's votes and the asker's own reading list."""
        if isinstance(command, Top) and asker.direct:  # a direct message's reactions are no votes, nor has it threads
            return Post(header="paperboy", text=(top_in_channels(self._words(asker).saved),))
        if self._community is None:
            return Post(header="paperboy", text=("Votes and reading lists are not available here.",))
        person, words = self._community.person(asker.channel, asker.user), self._words(asker)
        match command:
            case Top(period):
                return await self._community.top(asker.channel, period, further=words.top_period, how=words.vote_how)
            case Saved(as_bibtex):
                return await self._community.saved(
                    person, as_bibtex=as_bibtex, more=words.saved_more, how=words.save_how
                )
            case Save(ref, _, others) if others:  # `save A, B and C`: each, in one answer
                return await self._each_saved((ref, *others), person, words.saved)
            case Unsave(ref, _, others) if others:
                each = [await self._community.unsave(person, one, words.unsave, words.saved) for one in (ref, *others)]
                return Post(header="paperboy", text=tuple(line for post in each for line in post.text))
            case Save(ref, more) if more:  # `save 2406.12345 and cite it`: as `cite 2406.12345 and save it`
                return await self._asked(Ask(more[0], ref, more[1:], save=True), asker)
            case Save(ref):  # a paper that exists, as the Save button's always does: fetched when not stored
                found = await self._found(ref)
                if isinstance(found, Post):
                    return found
                return Post(header="paperboy", text=(await self._community.save(person, found.arxiv_id, words.saved),))
            case Unsave(ref, more):
                unsaved = await self._community.unsave(person, ref, words.unsave, words.saved)
                if not more:
                    return unsaved
                if isinstance(found := await self._found(ref), Post):  # `unsave A and cite it`: why no citation
                    return replace(unsaved, text=(*unsaved.text, *found.text))
                answered = await answered_together(found, more, self._search)
                return replace(answered, text=(*answered.text, *unsaved.text))

    async def _asked(self, command: Ask, asker: Asker) -> Post:
        """The answers to the questions asked of one paper, in one post; saved too where asked."""
        paper = await self._found(command.ref)
        if isinstance(paper, Post):
            return paper
        asked = (command.question, *command.more)
        answered = await answered_together(paper, asked, self._search, command.related or RELATED)
        return replace(answered, text=(*answered.text, *await self._also(command, [paper], asker)))

    async def _cited(self, command: Ask, asker: Asker) -> Post:
        """The papers named, as one bibliography (each key once), and why any is not in it."""
        found = await self._found_each((command.ref, *command.others))
        papers = [paper for _, paper in found if isinstance(paper, Paper)]
        missing = tuple(line for ref, post in found if isinstance(post, Post) for line in _why_not(ref, post))
        if not papers:
            return Post(header="paperboy", text=missing)
        if len(papers) == 1:  # headed by its title, as `cite A` is
            cited = replace(await answered_together(papers[0], ("cite",), self._search), text=missing)
        else:
            cited = Post(
                header=f"Cite · {len(papers)} papers", text=missing, code=bibliography(papers), file=CITED_FILE
            )
        return replace(cited, text=(*cited.text, *await self._also(command, papers, asker)))

    async def _also(self, command: Ask, papers: list[Paper], asker: Asker) -> tuple[str, ...]:
        """What an answer says after it: that BibTeX is the one form given, where a `style` was asked for
        (`cite 2406.12345 apa`), and each paper saved, where that was asked too (`cite 2406.12345 and save
        it` saved nothing)."""
        said = []
        if command.style:  # not passed off as what was asked
            said.append(bibtex_only(command.style))
        if command.save and self._community is not None:
            person, listed = self._community.person(asker.channel, asker.user), self._words(asker).saved
            if len(papers) == 1:
                return (*said, await self._community.save(person, papers[0].arxiv_id, listed))
            said += [await self._community.save(person, paper.arxiv_id, "") for paper in papers]
            said.append(f"{listed} shows your reading list.")  # as `save A and B` says it
        return tuple(said)

    async def _each_saved(self, refs: tuple[str, ...], person: Person, listed: str) -> Post:
        """Each paper named saved (fetched when not stored), or why not, then the command that lists them."""
        assert self._community is not None
        said: list[str] = []
        saved = False
        for ref, found in await self._found_each(refs):
            if isinstance(found, Post):
                said += _why_not(ref, found)
            else:
                said.append(await self._community.save(person, found.arxiv_id, ""))
                saved = True
        return Post(header="paperboy", text=(*said, *([f"{listed} shows your reading list."] if saved else [])))

    async def _found_each(self, refs: tuple[str, ...]) -> list[tuple[str, Paper | Post]]:
        """`_found` of each paper named, one after the other: side by side, arXiv's one request in 3 s
        (the fallback for a paper Hugging Face lacks) ate the later papers' time, and they were said to be
        out of reach."""
        return [(ref, await self._found(ref)) for ref in refs]

    def _words(self, asker: Asker) -> Phrasebook:
        return self._phrasebooks.get(asker.channel.platform, TYPED)

    async def _recent(self, days: int, limit: int, span: Span | None = None) -> Post:
        """The papers listed in the last `days` days (today, UTC, included), or since the `span`'s day, most
        upvoted first."""
        today = self._clock().astimezone(UTC).date()
        window = Window.of(days, span, today)
        first, last = window.first or today, window.last or today
        best, listed = await self._store.most_upvoted(first, min(last, today), limit)
        latest = await self._store.latest_day()
        held = min(last, latest) if latest is not None and latest >= first else last  # not days the store lacks
        lacking = await span_held(self._store, first, min(held, today, latest or today))  # `jun 5 to jun 7`
        # and the weekdays after the store's latest (`this week` with Thursday never fetched), as a search's
        told = await found_within(self._store, window, lacking, today) if listed else lacking.said
        dates = f"{first:%-d %B}{f' {first.year}' if first.year != held.year else ''} to {held:%-d %B %Y}"
        dates += " (the store's latest day)" if held < min(last, today) else ""
        year = f" {first.year}" if first.year != today.year else ""  # `since 1990-01-01`: not this year's 1 January
        return Post(
            header=f"Daily Papers · from {first:%A %-d %B}{year} to {last:%A %-d %B}"
            if span and span.until
            else f"Daily Papers · since {first:%A %-d %B}{year}"
            if span
            else f"Daily Papers · the last {days} days"
            if days > 1
            else "Daily Papers · today",
            subheader=f"Hugging Face Daily Papers · {len(best)} of {listed} listed {dates}, most upvoted first"
            + (f". {told}" if told else "")
            if listed
            else None,
            cards=tuple(card(p, rank=i, seeded=False) for i, p in enumerate(best, start=1)),
            empty=None if listed else lacking.said if lacking.none else window.none(None, latest, lacking.said),
        )

    async def _searched(self, query: str, window: Window, asker: Asker, limit: int = SEARCH_RESULTS) -> Post:
        """The best `limit` papers for `query`, listed in the `window`'s days (`this week`, `since monday`)
        when given."""
        from bot.search.query import another_script, author_unnamed, nothing_asked  # loaded with the first search
        from bot.search.spelling import searched

        window, not_in = await today_held(self._store, window)
        filters = SearchFilters(since=window.first, until=window.last)
        found = await searched(self._search, query, limit, filters)
        dropped = None  # `search diffusion`: the CLI's and Discord's verb, typed here (search agents were found)
        if not any(hit.whole for hit in found.hits) and (dropped := await self._command_named(query)) is not None:
            query, found = dropped, await searched(self._search, dropped, limit, filters)
        hits = found.hits
        why = (nothing_asked(query) or another_script(query)) if not hits else None
        words = self._words(asker)
        hint = _asked_of_no_paper(query, words)
        today = self._clock().astimezone(UTC).date()  # `diffusion this week`: a day no sync fetched, left out unsaid
        lacking = await window_held(self._store, window, today)
        found_lacking = await found_within(self._store, window, lacking, today) if hits else None
        return Post(
            header=f"Papers on {quoted(query)}" + window.listed(),
            subheader=" ".join(
                filter(
                    None,
                    (not_in, said_dropped(dropped), author_unnamed(query), found.note(), hint, found_lacking),
                )
            )
            or None,
            cards=tuple(card(h.paper, seeded=False) for h in hits),
            empty=f"{quoted(query)} finds nothing: {why}."
            if why
            else found.nobody()
            or (await none_within(self._store, query, window, lacking) if window.first is not None else None)
            or f"No papers match {quoted(query)}. Try fewer or broader words, or {words.help_command}.",
        )

    async def _command_named(self, query: str) -> str | None:
        """The topic of a search typed with the command's name before it (`search diffusion`: "search" was
        searched for too, and search agents found), where no paper writes "search" before its first word
        (`search agents` is a topic; the caller asks only where no paper found holds every word: `search
        engine`); None for any other query."""
        named = _NAMED_SEARCH.match(query)
        if named is None:
            return None
        topic = query[named.end() :]
        return None if await self._search.search(f'"search {topic.split()[0]}"', limit=1) else topic

    async def _today(
        self, limit: int | None, words: Phrasebook, day: date | None = None, ago: int = 0, named: NamedDay | None = None
    ) -> Post:
        """The latest day with papers (or the `day` asked for, the one `ago` days before today, or the one
        `named`: `aug 20`, `friday`), its top
        `limit` (else the `[digest]` limit); when the latest is not today (UTC), the answer says so first,
        and when papers are left out, how to see them. A day with no papers says why (`no_listing`)."""
        today = self._clock().astimezone(UTC).date()
        day = today - timedelta(days=ago) if ago else resolved(named, today, ahead=True) if named else day
        if day is not None and day > today:
            return said(f"{day:%A %-d %B %Y} is still to come: Hugging Face lists a day's papers on that day.")
        options = DigestOptions(limit=limit or self._defaults.limit, operator=False)
        digest = await build_digest(self._store, self._search, options, day)
        post = digest.to_post()
        if len(digest.papers) < min(digest.listed, MOST_PAPERS):
            shown = "them all" if digest.listed <= MOST_PAPERS else f"its top {MOST_PAPERS}"
            every = words.today_all if day is None else words.day_all.format(day=day.isoformat())
            post = replace(post, footer=f"The day has {digest.listed} papers: {every} shows {shown}.")
        if day is not None or digest.day is None or digest.day >= today:
            return post
        note = not_today(await self._store.day_record(today))
        # a line of its own: run into the count's ("…latest day with papers. Hugging Face Daily Papers · 10 of 17")
        return replace(post, subheader=f"{note}\n{post.subheader}" if post.subheader else note)

    async def _linking(self, repository: str, asker: Asker) -> Post:
        """The papers whose code is the repository pasted; none linking it: a search for its name's words."""
        where = f"github.com/{repository}"
        found = await self._store.linking(repository_urls(repository))
        if len(found) == 1:
            post = paper_post(found[0])
            return replace(post, subheader=" · ".join(filter(None, (post.subheader, f"its code: {where}"))))
        if found:
            return Post(header=f"Papers whose code is {where}", cards=tuple(card(p, seeded=False) for p in found))
        name = repository_words(repository)
        today = self._clock().astimezone(UTC).date()
        searched = await self._searched(name, Window.of(0, None, today), asker)
        return replace(searched, subheader=" ".join(filter(None, (unlinked(repository), searched.subheader))))

    async def _paper(self, ref: str) -> Post:
        found = await self._found(ref)
        return found if isinstance(found, Post) else paper_post(found)

    async def _found(self, ref: str) -> Paper | Post:
        """The paper `ref` names (from the store, else fetched), or the answer saying why there is none."""
        try:
            return await self._catalog.paper(ref)
        except InvalidPaperId as exc:
            return Post(header="paperboy", text=(str(exc),))
        except NotFound as exc:
            return Post(header="paperboy", text=(f"{exc}.",))
        except SourceError as exc:  # the reason is the operator's (a setting, the network): in the log
            log.warning("could not fetch the paper %r: %s", ref, exc)
            failed = "could not be reached from here" if isinstance(exc, SourceUnavailable) else "refused it for now"
            return Post(
                header="paperboy",
                text=(f"Could not fetch that paper just now: {exc.source} {failed}. Try again later.",),
            )

    async def _misspelt(self, topics: tuple[str, ...], instead: str = "") -> list[str]:
        """`bot.search.spelling.misspelt`: what to say of topics just given with a word no paper holds."""
        from bot.search.spelling import misspelt  # loaded with the first search

        return await misspelt(self._search, topics, instead)

    async def first_time(self, platform: str, event_id: str) -> bool:
        """Whether an event is new: False for a platform's retry of it, or another replica's copy.

        Every event that must be acted on once goes through here (kept in the store, so a retry that
        reaches another replica, or this one after a restart, is still known)."""
        if await self._events.first_time(platform, event_id):
            return True
        log.info("ignoring a repeat of %s event %s (a retry, or a copy another replica has)", platform, event_id)
        return False

    async def mention(self, mention: Mention, say: Callable[[Post], Awaitable[object]]) -> None:
        """Answer a mention once, through `say`: about the thread's paper when it is one of ours, else a
        one-line help. An answer the platform will not take is logged; no one is waiting for it."""
        if not await self.first_time(mention.platform, mention.event_id):
            return
        where = mention.thread or mention.channel
        posts = await replied(self._about_thread(mention), f"answering a mention in {where}", _said_once)
        for post in posts:  # one answer to each question asked ("code and authors"), in order
            try:
                await say(post)
            except PaperboyError as exc:
                log.warning("could not answer a mention in %s: %s", where, exc)
                return

    async def stands_alone(self, platform: str, channel: str, card: str) -> bool:
        """Whether a card has no thread of its own (questions about it reply to it instead)."""
        return not await self._ledger.has_thread(platform, channel, card)

    async def discusses(self, platform: str, channel: str, thread: str) -> bool:
        """Whether the thread is a paper's (a card's, whose questions the bot answers)."""
        return await self._ledger.thread_paper(platform, channel, thread) is not None

    async def _about_thread(self, mention: Mention) -> list[Post]:
        """The answers about the thread's paper, one for each question asked; or about the one paper the
        mention names, anywhere (`cite 2406.12345` in another paper's thread is that paper's BibTeX, said
        so, not the thread's)."""
        if isinstance(thanked := parse_command(unmentioned(mention.text)), Thanks):  # not the one-line help
            return [said(_welcome(thanked))]
        thread = mention.thread
        arxiv_id = await self._ledger.thread_paper(mention.platform, mention.channel, thread) if thread else None
        named = papers_named(mention.text)
        if arxiv_id and len(named) == 1 and named[0] != arxiv_id and _cites_this_too(mention.text):
            named = [arxiv_id, named[0]]  # `cite this and 2606.99902`: the thread's paper too (it was left out)
        if len(named) > 1:
            return [await self._several(mention, named)]
        if named and named[0] != arxiv_id:
            found = await self._found(named[0])
            if isinstance(found, Post):
                return [found]
            if not all_asked(mention.text) and not asks_of_reading_list(mention.text):
                return [help_naming(found)]  # (not "ask me in this thread": this thread is another paper's, or none)
            answers = await self._discussed(found, mention)
            named_here = f"About arXiv {found.arxiv_id}, as you named it"
            return [replace(answer, subheader=named_here) for answer in answers] if arxiv_id else answers
        if arxiv_id is None:
            return [said(NOT_A_PAPER_THREAD)]
        paper = await self._found(arxiv_id)
        if isinstance(paper, Post):  # the store lost it, and it can't be fetched: why (asking again can't help)
            return [replace(paper, subheader=f"This thread's paper, arXiv {arxiv_id}")]
        if asks_for_news(mention.text):  # `any news?`, `notify me when code is out`: what this thread will hear
            asks = all_asked(mention.text) or asks_to_save(mention.text)  # `save this and keep me posted`
            answers = await self._discussed(paper, mention) if asks else []
            here = await self._news_here(mention, arxiv_id)
            coded = bool(paper.github_repo)  # (its code is out: no news of it to come)
            return [*answers, said(news_said(self._defaults.follow_days, here, coded=coded))]
        return await self._discussed(paper, mention)

    async def _several(self, mention: Mention, named: list[str]) -> Post:
        """A mention naming several papers: answered as the command would be where it cites or saves them
        all (`@paperboy cite A and B`), else one at a time."""
        command = parse_command(unmentioned(mention.text))
        if isinstance(command, Ask | Save | Unsave) and not command.others and command.ref in named[1:]:
            command = replace(command, ref=named[0], others=tuple(named[1:]))  # `cite this and …`: this thread's first
        if isinstance(command, Ask | Save | Unsave) and command.others and mention.user:
            return await self.answer(
                command, Asker(ChannelRef(mention.platform, mention.channel or "", mention.workspace), mention.user)
            )
        return said(f"Name one paper at a time: {named[0]}, then {named[1]}.")

    async def _news_here(self, mention: Mention, arxiv_id: str) -> bool | datetime | None:
        """Whether a paper's news comes to the thread mentioned in (`news_said`'s `here`); None where none
        comes to the channel, a digest's card's news while the channel has no digest among them; when
        this thread's news ended (its `follow_days` are over: it was told to look for another thread)."""
        days = self._defaults.follow_days
        where = ChannelRef(mention.platform, mention.channel or "", mention.workspace)
        since = self._clock() - timedelta(days=days)
        followed = await self._cards.thread_followed((where, arxiv_id), since) if days else None
        if followed is None and days:
            was = await self._cards.thread_followed((where, arxiv_id), datetime.min.replace(tzinfo=UTC))
            if was is not None and was.thread == mention.thread and was.posted_at is not None:
                return was.posted_at + timedelta(days=days)
        if followed is None or not (followed.shared or await self._subscribed_here(where)):
            return None
        return followed.thread == mention.thread

    async def _subscribed_here(self, where: ChannelRef) -> bool:
        """Whether the channel has a digest, whose cards' news it hears (`bot.roundup.follow`): a channel id
        of several workspaces named by none counts as one."""
        try:
            return await self._subscriptions.get(where) is not None
        except UsageError:
            return True

    async def _discussed(self, paper: Paper, mention: Mention) -> list[Post]:
        """The answers to what a mention asks of a paper: saved to the asker's reading list, or taken off it,
        when it asks to (`save`, `bookmark this`, `unsave`: they got the one-line help), then each question
        it asks."""
        unsave = asks_to_unsave(mention.text) and self._community is not None and bool(mention.user)
        if not unsave and not asks_to_save(mention.text):
            return await discussed(paper, mention.text, self._search)
        if self._community is None:
            told = said("Votes and reading lists are not available here.")
        elif not mention.user:  # (every platform names who wrote a message: a safeguard)
            told = said("I could not tell who asked, so nothing was saved: press Save on the paper's card.")
        else:
            person = self._community.person(ChannelRef(mention.platform, "", mention.workspace), mention.user)
            listed = self._phrasebooks.get(mention.platform, TYPED).saved
            if unsave:  # `unsave`, `remove this from my list`
                told = await self._community.unsave(person, paper.arxiv_id, listed=listed)
            else:
                told = said(await self._community.save(person, paper.arxiv_id, listed))
        asked = all_asked(mention.text)  # (a reading list is its owner's: its confirmation too, where it can be)
        return [replace(told, private=True), *(await discussed(paper, mention.text, self._search) if asked else [])]

    async def share(
        self, platform: str, channel: str, paper_ref: str, publisher: Publisher, *, workspace: str = ""
    ) -> Shared | SharedBefore | Unshared:
        """Post a paper's card publicly, seed its thread, and remember the thread is about it (in
        `workspace`, so that `paperboy forget` finds it). The card is followed as a digest's is (a living
        thread: code out, a new version, upvotes past a mark), for `follow_days`. A paper shared in the
        channel within `SHARED_LATELY` is not posted again (`SharedBefore`): clicks on it in this process
        wait for each other, and a Share claims the channel and paper in the store while it posts
        (`SHARING`), so a double click posts once, its two clicks handed to one replica or to two. A card
        that went out is shared, whether or not its details went into its thread.

        Raises InvalidPaperId or NotFound for a paper we can't find; a post refused is `Unshared`."""
        paper = await self._catalog.paper(paper_ref)
        where = ChannelRef(platform, channel, workspace)
        async with self._sharing.setdefault((where, paper.arxiv_id), asyncio.Lock()):  # (held: kept while in use)
            now = datetime.now(UTC)  # the wall clock: it tells this share's posts from an earlier share's
            before = self._shared_lately.get((where, paper.arxiv_id))
            if before is None or before <= now - SHARED_LATELY:
                before = await self._ledger.shared_since(where, paper.arxiv_id, now - SHARED_LATELY)
            if before is not None:
                return SharedBefore(paper.title, max(now - before, timedelta(0)))
            claim = f"share {workspace}/{channel} {paper.arxiv_id}"
            if not await self._events.claim(platform, claim, now, SHARING):  # another replica posts it now
                return SharedBefore(paper.title, timedelta(0), under_way=True)
            return await self._share(where, paper, publisher, now, claim)

    async def _share(
        self, where: ChannelRef, paper: Paper, publisher: Publisher, now: datetime, claim: str
    ) -> Shared | Unshared:
        """Post the card under this Share's `claim`, given back if the card did not go out (kept once it
        has: a retry would post a second card)."""
        platform, channel, workspace = where.platform, where.channel, where.workspace
        paper_card = card(paper)
        tag = f"share:{paper.arxiv_id}:{now.timestamp():.0f}"
        try:
            root = await publisher.post_card(channel, paper_card, tag)
        except BaseException as exc:  # nothing went out (or the task was cut off): the next click may post it
            await self._events.let_go(platform, claim, now)
            if isinstance(exc, ChannelUnavailable):  # the clicker is told in their words; the reason is the log's
                log.info("could not share %s in %s: %s", paper.arxiv_id, where, exc.reason)
                return Unshared(exc.reason)
            if isinstance(exc, DeliveryError):  # the platform's words (its status, the channel's id): the log's
                log.warning("sharing %s in %s failed: %s", paper.arxiv_id, where, exc)
                if isinstance(exc, MessageRefused):
                    return Unshared(str(exc), as_written=True, automod=exc.automod)
                return Unshared(str(exc), passing=True)
            raise
        if root.thread == root.channel:  # a card with no thread of its own: no record of it in the store
            self._shared_lately = {k: at for k, at in self._shared_lately.items() if at > now - SHARED_LATELY}
            self._shared_lately[where, paper.arxiv_id] = now
        await self._ledger.record_thread(platform, root, paper.arxiv_id, "share", now, workspace=workspace)
        try:
            seed = await publisher.seed_thread(root, paper_card, f"{tag}:seed")
            await self._ledger.record_message(where, seed, paper.arxiv_id, now)
        except (ChannelUnavailable, DeliveryError) as exc:  # the card is out: shared (told to try again, the
            # clicker would post a second card), its details not; asking there gets them
            log.warning("shared %s in %s, but not its details in its thread: %s", paper.arxiv_id, where, exc)
        if self._defaults.follow_days and root.thread != root.channel:  # a card with a thread of its own
            await self._cards.record(where, paper.arxiv_id, root, AsPosted.of(paper_card), now)
        return Shared(root, paper.title)


def top_in_channels(saved: str) -> str:
    """`top` asked in a direct message; `saved`: the command that lists one's reading list there."""
    return (
        "Votes are counted in channels (reactions on a digest's cards and replies in their threads): ask for the"
        f" top papers in a channel. Your own reading list is {saved}."
    )


def _welcome(thanks: Thanks) -> str:
    return "You're welcome." if thanks.thanked else "👍"


def _said_once(line: str) -> list[Post]:
    return [said(line)]


# "this" beside another paper named, in a paper's thread: the thread's paper and that one (`cite this and
# 2606.99902`, `save 2606.99902 and this one`)
_THIS_TOO = re.compile(r"(?i)\b(?:this|it)(?:\s+(?:paper|one))?\s*(?:\band\b|&|\+)|(?:\band\b|&|\+)\s*(?:this|it)\b")


def _cites_this_too(text: str) -> bool:
    """Whether a mention in a paper's thread cites, saves or unsaves "this" and another paper it names (`cite
    this and 2606.99902`, `save 2606.99902 and this one`): the thread's paper is one of them. Not another
    question (`summary of 2606.99902, it looks related`: that paper's summary, not a bibliography)."""
    if _THIS_TOO.search(text) is None:
        return False
    command = parse_command(unmentioned(text))
    return isinstance(command, Save | Unsave) or (isinstance(command, Ask) and command.question == "cite")


# a search typed with the command's name before its topic (`search diffusion`, `search: diffusion`)
_NAMED_SEARCH = re.compile(r"(?i)search\s*:?\s+(?=[^\s\"'])")


def said_dropped(topic: str | None) -> str | None:
    """What a search's answer says of the command's name left out of it (`_command_named`)."""
    return "“search” is left out: it is the command's name, not a word to look for." if topic else None


def _asked_of_no_paper(query: str, words: Phrasebook) -> str | None:
    """What to say beside the papers found for a thread's question asked outside a thread and of no
    paper (`cite` alone): it is searched as a topic, and the answer says how to ask it of a paper."""
    word, *others = said = query.lower().replace("?", " ").split() or [""]
    if word not in ASKS or not set(others) <= _OF_THIS:  # `cite?`, `summary of this paper`: no search
        # …or a question of "it" in other words (`who wrote it?`, `is there code for this?`): it was searched
        # for, and respelled ("showing papers on “who write it?”"), with no word of how to ask it of a paper
        questioned = said[0] in _QUESTION_STARTS or query.rstrip().endswith("?")  # not `llms that write code`
        of_it = len(said) <= _A_FEW and bool(_PRONOUNS & set(said)) and questioned
        asked = what_is_asked(query, weak=False) if of_it else None
        return f"Asking about a paper? {words.ask.format(word=asked)}." if asked else None
    return f"Asking about a paper? {words.ask.format(word=word)}."


def _why_not(ref: str, found: Post) -> tuple[str, ...]:
    """Why a paper named among several is not in the answer, naming it where the reason does not (“Could
    not fetch that paper just now: …”)."""
    return tuple(line if ref in line else f"{ref}: {line}" for line in found.text)


_PRONOUNS = frozenset({"it", "this"})
_QUESTION_STARTS = frozenset({"who", "what", "what's", "where", "where's", "is", "are", "does", "can", "how", "any"})
_A_FEW = 6  # words of a question of "it" (longer, it is a topic: "code generation that …")

# the words of a question that names no paper but "this" one (`cite this`, `summary of this paper please`)
_OF_THIS = frozenset({"this", "it", "that", "of", "for", "to", "on", "about", "the", "paper", "one", "please", "pls"})
