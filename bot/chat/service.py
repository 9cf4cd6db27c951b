"""The bot's conversational core, shared by every chat adapter: commands, shares, mentions in paper threads.

Adapters translate a platform's payloads into these calls and render the posts they return; the
decisions (what to answer, which paper a thread is about, whether an event was seen before) are made
here, the same on every platform. The words that differ by platform come from its `Phrasebook`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat.cadence import KINDS, cadence_days
from bot.chat.commands import (
    MOST_PAPERS,
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
    Today,
    Top,
    Unfollow,
    Unknown,
    Unsave,
    Unsubscribe,
)
from bot.chat.days import NamedDay, Span, resolved
from bot.chat.discussion import ASKS, NOT_A_PAPER_THREAD, discuss, discussed
from bot.chat.follows import FollowService
from bot.chat.recent import Window, none_since
from bot.chat.replies import replied
from bot.chat.wording import TYPED, Phrasebook
from bot.community.service import Community
from bot.delivery.delivered import days_had
from bot.delivery.digest import DigestOptions, build_digest
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.cards import card, paper_post
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults
from bot.domain.errors import (
    ChannelUnavailable,
    DeliveryError,
    InvalidPaperId,
    NotFound,
    PaperboyError,
    SourceError,
    SourceUnavailable,
)
from bot.domain.filters import describe, fold, split_filters
from bot.domain.ids import papers_named
from bot.domain.models import Paper
from bot.domain.other_links import repository_urls, repository_words
from bot.domain.post import Post
from bot.domain.publishing import MessageRef, Publisher
from bot.domain.weeks import covered_monday, week_key, week_name
from bot.domain.words import quoted
from bot.ingest.catalog import Catalog
from bot.search.port import SearchFilters, SearchIndex
from bot.store.events import EventLog
from bot.store.follows import AsPosted, FollowStore
from bot.store.ledger import Ledger
from bot.store.papers import DayRecord, PaperStore

SEARCH_RESULTS = 5
log = logging.getLogger("paperboy.chat")


def manages_channel(command: Command) -> bool:
    """Whether answering `command` changes the channel's digest, so the asker must be allowed to manage it."""
    return isinstance(command, Subscribe | Unsubscribe)


@dataclass(frozen=True)
class Asker:
    """Who asked, and where: enough for the core to decide, nothing platform-specific."""

    channel: ChannelRef
    user: str
    direct: bool = False  # a direct message: no channel to subscribe
    can_manage: bool = True  # may change the channel's subscription
    parent: ChannelRef | None = None  # asked in a thread (Discord: a channel of its own): the channel it is in


async def channel_meant(subscriptions: SubscriptionStore, asker: Asker) -> Asker:
    """Whose digest a channel command (subscribe, its form, settings, top) asked in a thread is about: the
    channel the thread is in (a forum takes commands only in its posts), unless the thread has a digest
    of its own (made there before), which is then the one seen, changed or stopped."""
    if asker.parent is None or await subscriptions.get(asker.channel) is not None:
        return asker
    return replace(asker, channel=asker.parent, parent=None)


@dataclass(frozen=True)
class Mention:
    """The bot mentioned in a message: `thread` is where it was said, if in a thread; `channel` the
    thread's channel where the platform needs it to find the thread (None where thread ids are unique)."""

    platform: str
    event_id: str  # the platform's id for this event, the same on every retry or replica's copy
    channel: str | None
    thread: str | None
    text: str


@dataclass(frozen=True)
class Shared:
    root: MessageRef
    title: str


# what a person is told of a post refused for a reason that may pass (`Unshared.passing`)
TRY_AGAIN = "try again in a minute; if it fails again, whoever runs paperboy can see why in its log."


@dataclass(frozen=True)
class Unshared:
    """The channel refuses the bot (not invited, archived): `reason` in the platform's terms; `passing`:
    a refusal that may pass (a rate limit, an outage), to try again in a moment."""

    reason: str
    passing: bool = False


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
        self.follows = FollowService(subscriptions, self._ledger, defaults, clock)
        self._community = community  # votes and reading lists: `top`, `saved`, `unsave`
        self._cards = cards if cards is not None else FollowStore(store.engine)  # shared cards' living threads

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
            case Ask(question, ref):
                paper = await self._found(ref)
                return paper if isinstance(paper, Post) else await discuss(paper, question, self._search)
            case Subscribe():
                return await self._subscribe(command, asker)
            case Unsubscribe(topic):
                return await self._unsubscribe(asker, topic)
            case Settings():
                return await self._settings(asker)
            case Preview():
                return await self._preview(asker)
            case Help():
                return Post(header="paperboy: Hugging Face Daily Papers in chat", text=self._words(asker).help())
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
                return await self.follows.unfollow(command, asker.channel.platform, asker.channel.workspace, asker.user)
            case Top() | Saved() | Save() | Unsave():
                return await self._engaged(command, asker)
            case Unknown(text, hint):
                didnt = f"Sorry, I didn't get “{text[:100]}”. {hint[:1].upper()}{hint[1:]}"  # a sentence of its own
                words = self._words(asker)
                following = text.split(maxsplit=1)[0].lower() in ("follow", "follows", "unfollow")
                examples = (f"{words.follow_examples} — your own digest",) if following else words.examples
                return Post(header="paperboy", text=(didnt, *examples))
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    async def _engaged(self, command: Top | Saved | Save | Unsave, asker: Asker) -> Post:
        """`top`, `saved`, `save`, `unsave`: the channel's votes and the asker's own reading list."""
        if isinstance(command, Top) and asker.direct:  # a direct message's reactions are no votes, nor has it threads
            return Post(header="paperboy", text=(top_in_channels(self._words(asker).saved),))
        if self._community is None:
            return Post(header="paperboy", text=("Votes and reading lists are not available here.",))
        person = self._community.person(asker.channel, asker.user)
        match command:
            case Top(period):
                return await self._community.top(asker.channel, period, further=self._words(asker).top_all)
            case Saved(as_bibtex):
                return await self._community.saved(person, as_bibtex=as_bibtex, more=self._words(asker).saved_more)
            case Save(ref):  # a paper that exists, as the Save button's always does: fetched when not stored
                found = await self._found(ref)
                if isinstance(found, Post):
                    return found
                words = self._words(asker)
                return Post(header="paperboy", text=(await self._community.save(person, found.arxiv_id, words.saved),))
            case Unsave(ref):
                words = self._words(asker)
                return await self._community.unsave(person, ref, words.unsave, words.saved)

    def _words(self, asker: Asker) -> Phrasebook:
        return self._phrasebooks.get(asker.channel.platform, TYPED)

    async def _recent(self, days: int, limit: int, span: Span | None = None) -> Post:
        """The papers listed in the last `days` days (today, UTC, included), or since the `span`'s day, most
        upvoted first."""
        today = self._clock().astimezone(UTC).date()
        first = Window.of(days, span, today).first or today
        best, listed = await self._store.most_upvoted(first, today, limit)
        dates = f"{first:%-d %B}{f' {first.year}' if first.year != today.year else ''} to {today:%-d %B %Y}"
        return Post(
            header=f"Daily Papers · since {first:%A %-d %B}"
            if span
            else f"Daily Papers · the last {days} days"
            if days > 1
            else "Daily Papers · today",
            subheader=f"Hugging Face Daily Papers · {len(best)} of {listed} listed {dates}, most upvoted first"
            if listed
            else None,
            cards=tuple(card(p, rank=i, seeded=False) for i, p in enumerate(best, start=1)),
            empty=None if listed else none_since(None, first, await self._store.latest_day()),
        )

    async def _searched(self, query: str, window: Window, asker: Asker, limit: int = SEARCH_RESULTS) -> Post:
        """The best `limit` papers for `query`, listed in the `window`'s days (`this week`, `since monday`)
        when given."""
        from bot.search.query import another_script, nothing_asked  # loaded with the first search
        from bot.search.spelling import searched

        filters = SearchFilters(since=window.first, until=window.last)
        found = await searched(self._search, query, limit, filters)
        hits = found.hits
        why = (nothing_asked(query) or another_script(query)) if not hits else None
        hint = _asked_of_no_paper(query, self._words(asker))
        return Post(
            header=f"Papers on {quoted(query)}" + window.listed(),
            subheader=" ".join(filter(None, (found.note(), hint))) or None,
            cards=tuple(card(h.paper, seeded=False) for h in hits),
            empty=f"{quoted(query)} finds nothing: {why}."
            if why
            else found.nobody()
            or (window.none(query, await self._store.latest_day()) if window.first is not None else None)
            or f"No papers match {quoted(query)}. Try fewer or broader words, or `/papers help`.",
        )

    async def _today(
        self, limit: int | None, words: Phrasebook, day: date | None = None, ago: int = 0, named: NamedDay | None = None
    ) -> Post:
        """The latest day with papers (or the `day` asked for, the one `ago` days before today, or the one
        `named`: `aug 20`, `friday`), its top
        `limit` (else the `[digest]` limit); when the latest is not today (UTC), the answer says so first,
        and when papers are left out, how to see them. A day with no papers says why (`no_listing`)."""
        today = self._clock().astimezone(UTC).date()
        day = today - timedelta(days=ago) if ago else resolved(named, today) if named else day
        if day is not None and day > today:
            return _said(f"{day:%A %-d %B %Y} is still to come: Hugging Face lists a day's papers on that day.")
        options = DigestOptions(limit=limit or self._defaults.limit)
        digest = await build_digest(self._store, self._search, options, day)
        post = digest.to_post()
        if len(digest.papers) < min(digest.listed, MOST_PAPERS):
            shown = "them all" if digest.listed <= MOST_PAPERS else f"its top {MOST_PAPERS}"
            every = words.today_all if day is None else words.day_all.format(day=day.isoformat())
            post = replace(post, footer=f"The day has {digest.listed} papers: {every} shows {shown}.")
        if day is not None or digest.day is None or digest.day >= today:
            return post
        note = not_today(await self._store.day_record(today))
        return replace(post, subheader=f"{note} {post.subheader}" if post.subheader else note)

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
        nobody = f"No paper in the store links its code to {where}: these are papers on {quoted(name)}."
        return replace(searched, subheader=" ".join(filter(None, (nobody, searched.subheader))))

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

    def _refusal(self, asker: Asker, verb: str, typed: str | None = None) -> Post | None:
        """Why `verb` (as the command was `typed`) is refused here: a direct message, or no permission."""
        if asker.direct:
            words = self._words(asker)
            own = (  # `unsubscribe` here: their own digest is what they mean to stop
                f"Your own digest here: {words.unfollow}"
                if verb == "unsubscribe"
                else f"For your own digest here, {words.follow} (see `/papers help`)."
            )
            typed = typed or verb
            return Post(
                header="paperboy", text=(f"Digests go to channels: run `/papers {typed}` in the channel itself.", own)
            )
        if not asker.can_manage:
            managers = self._words(asker).managers
            return Post(
                header="paperboy",
                text=(f"Sorry, you can't {verb} this channel: that is for {managers}. Ask one of them to do it.",),
            )
        return None

    async def _subscribe(self, command: Subscribe, asker: Asker) -> Post:
        changing = command.changes  # `settings at 10:00`: said as such
        refused = self._refusal(
            asker, "change the digest of" if changing else "subscribe", "settings" if changing else None
        )
        if refused is not None:
            return refused
        current = await self._subscriptions.get(asker.channel)
        if current is not None and current.source == "config":
            return Post(
                header="paperboy",
                text=(
                    "This channel's digest is managed by the config file; change it there.",
                    *current.describe(self._clock()),
                ),
            )
        if current is None and command.changes:  # `settings at 10:00`: no digest to change, none started unasked
            return _said(f"This channel has no digest to change. To start one: {self._words(asker).subscribe}.")
        cadence = command.cadence or (current.cadence if current else "daily")
        days = cadence_days(command, cadence, current, self._words(asker))
        if isinstance(days, Post):
            return days
        subscription = Subscription(
            channel=asker.channel,
            topics=()
            if command.every_paper
            else command.topics or (current.topics if current else self._defaults.topics),
            time=command.time or (current.time if current else "09:00"),
            timezone=command.timezone or ((current.stored_zone or current.timezone) if current else "UTC"),
            days=days,
            limit=command.limit or (current.limit if current else self._defaults.limit),
            min_upvotes=current.min_upvotes if current else self._defaults.min_upvotes,
            cadence=cadence,
        )
        now = self._clock()
        await self._subscriptions.save(subscription, now)  # dated: a due time already past is not owed
        verb = "updated" if current else "subscribed"
        respell = [
            f"{note} To have that instead, subscribe again with it in this topic's place."
            for note in await self._misspelt(command.topics)
        ]
        skipped = await self._week_passed_over(current, subscription, now) if current else ()
        replaced = _replaced(current, command) if current else ()
        saved = await self._subscriptions.get(asker.channel) or subscription  # as saved: since when it is owed
        return Post(
            header=f"This channel is {verb}: {KINDS[cadence]} of Hugging Face papers",
            text=(*saved.describe(now, await days_had(self._ledger, saved, now)), *replaced, *skipped, *respell),
        )

    async def _week_passed_over(self, before: Subscription, after: Subscription, now: datetime) -> tuple[str, ...]:
        """What a roundup's new day leaves out: moved from Monday–Thursday (which sum up the week before)
        to Friday–Sunday (their own week), the week the old day was still to sum up gets no roundup, and
        nothing said so (design.md: a new schedule starts with its next due time)."""
        if before.cadence != "weekly" or after.cadence != "weekly" or before.status is not None:
            return ()
        old_due, new_due = before.next_delivery(now), after.next_delivery(now)
        if old_due is None or new_due is None:
            return ()
        old_local, new_local = (
            old_due.astimezone(ZoneInfo(before.timezone)),
            new_due.astimezone(ZoneInfo(after.timezone)),
        )
        owed, next_week = covered_monday(old_local.date()), covered_monday(new_local.date())
        if next_week <= owed or await self._ledger.statuses([(before.channel, week_key(owed))]):
            return ()
        return (
            f"The roundup of {week_name(owed)}, due {old_local:%A %-d %B} on the old day, will not come: the next"
            f" sums up {week_name(next_week)} (a roundup from Friday to Sunday sums up its own week).",
        )

    async def _misspelt(self, topics: tuple[str, ...]) -> list[str]:
        """`bot.search.spelling.misspelt`: what to say of topics just given with a word no paper holds."""
        from bot.search.spelling import misspelt  # loaded with the first search

        return await misspelt(self._search, topics)

    async def _unsubscribe(self, asker: Asker, topic: str | None = None) -> Post:
        refused = self._refusal(asker, "unsubscribe")
        if refused is not None:
            return refused
        current = await self._subscriptions.get(asker.channel)
        if current is None:
            return Post(header="paperboy", text=("This channel has no daily digest.",))
        if current.source == "config":
            return Post(
                header="paperboy", text=("This channel's digest is managed by the config file; remove it there.",)
            )
        if topic is not None:
            return await self._drop(current, topic, asker)
        await self._subscriptions.remove(asker.channel)
        kind = KINDS[current.cadence].removeprefix("a ")
        return Post(header="paperboy", text=(f"Unsubscribed: no more {kind}s here.",))

    async def _drop(self, current: Subscription, topic: str, asker: Asker) -> Post:
        """`unsubscribe robotics`: the digest without that topic, the rest of it kept. It was refused ("takes
        no topic"), and dropping one meant typing every other again."""
        named = [p.strip() for p in topic.split(",") if p.strip()]  # `unsubscribe robotics, agents`
        dropped = {t for t in current.topics if any(_names(n, t) for n in named)}
        if missing := [n for n in named if not any(_names(n, t) for t in dropped)]:
            return _said(
                f"This channel's digest has no topic {quoted(missing[0])}: it is on {describe(current.topics)}."
                " `unsubscribe` with no topic stops the digest."
            )
        kept = tuple(t for t in current.topics if t not in dropped)
        if not split_filters(kept).narrowed:  # what is left would be every paper
            return _said(
                f"{quoted(topic)} is this digest's only topic: `unsubscribe` with no topic stops the digest, and"
                " `subscribe` with other topics replaces it."
            )
        return await self._subscribe(Subscribe(topics=kept, changes=True), asker)

    async def _preview(self, asker: Asker) -> Post:
        """`preview`: the channel's digest as it would be built now (in a direct message, the asker's follows')."""
        from bot.chat.preview import preview  # loaded with the first preview: the week's matches and the roundup

        where = asker.channel
        current = await self._subscriptions.get(where)
        if current is None and asker.direct:
            current = await self._subscriptions.of_person(where.platform, where.workspace, asker.user)
        if current is None:
            words = self._words(asker)
            if asker.direct:
                return _said(f"You follow nothing yet, so there is no digest to preview: {words.follow}.")
            return _said(f"This channel has no digest to preview. To start one: {words.subscribe}.")
        return await preview(self._store, self._search, current, self._clock(), yours=asker.direct)

    async def _settings(self, asker: Asker) -> Post:
        current = await self._subscriptions.get(asker.channel)
        if current is None and asker.direct:  # no channel here to subscribe: a digest of one's own is a follow,
            where, words = asker.channel, self._words(asker)  # to their direct message with the bot, wherever typed
            nothing = f"You follow nothing yet. Your own digest here: {words.follow}."
            return await self.follows.follows(where.platform, where.workspace, asker.user, words, nothing=nothing)
        if current is None:
            return Post(
                header="paperboy",
                text=(f"This channel has no daily digest. Try {self._words(asker).subscribe}.",),
            )
        whose = "Your own" if asker.direct else "This channel's"  # in a direct message: the asker's follows
        now = self._clock()
        change = () if asker.direct or current.source == "config" else (self._words(asker).change,)
        return Post(
            header=f"{whose} {KINDS[current.cadence].removeprefix('a ')}",
            text=(*current.describe(now, await days_had(self._ledger, current, now)), *change),
        )

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
        thread = mention.thread
        arxiv_id = await self._ledger.thread_paper(mention.platform, mention.channel, thread) if thread else None
        named = papers_named(mention.text)
        if len(named) > 1:
            return [_said(f"Name one paper at a time: {named[0]}, then {named[1]}.")]
        if named and named[0] != arxiv_id:
            found = await self._found(named[0])
            if isinstance(found, Post):
                return [found]
            answers = await discussed(found, mention.text, self._search)
            named_here = f"About arXiv {found.arxiv_id}, as you named it"
            return [replace(answer, subheader=named_here) for answer in answers] if arxiv_id else answers
        if arxiv_id is None:
            return [_said(NOT_A_PAPER_THREAD)]
        paper = await self._found(arxiv_id)
        if isinstance(paper, Post):  # the store lost it, and it can't be fetched: why (asking again can't help)
            return [replace(paper, subheader=f"This thread's paper, arXiv {arxiv_id}")]
        return await discussed(paper, mention.text, self._search)

    async def share(
        self, platform: str, channel: str, paper_ref: str, publisher: Publisher, *, workspace: str = ""
    ) -> Shared | Unshared:
        """Post a paper's card publicly, seed its thread, and remember the thread is about it (in
        `workspace`, so that `paperboy forget` finds it). The card is followed as a digest's is (a living
        thread: code out, a new version, upvotes past a mark), for `follow_days`.

        Raises InvalidPaperId or NotFound for a paper we can't find; a post refused is `Unshared`."""
        paper = await self._catalog.paper(paper_ref)
        paper_card = card(paper)
        now = datetime.now(UTC)  # the wall clock: it tells this share's posts from an earlier share's
        tag = f"share:{paper.arxiv_id}:{now.timestamp():.0f}"
        try:
            root = await publisher.post_card(channel, paper_card, tag)
            await self._ledger.record_thread(platform, root, paper.arxiv_id, "share", now, workspace=workspace)
            seed = await publisher.seed_thread(root, paper_card, f"{tag}:seed")
            await self._ledger.record_message(ChannelRef(platform, channel, workspace), seed, paper.arxiv_id, now)
        except ChannelUnavailable as exc:
            return Unshared(exc.reason)
        except DeliveryError as exc:  # the platform's words (its status, the channel's id) are the log's
            log.warning("sharing %s in %s:%s failed: %s", paper.arxiv_id, platform, channel, exc)
            return Unshared(str(exc), passing=True)
        if self._defaults.follow_days and root.thread != root.channel:  # a card with a thread of its own
            where = ChannelRef(platform, channel, workspace)
            await self._cards.record(where, paper.arxiv_id, root, AsPosted.of(paper_card), now)
        return Shared(root, paper.title)


def top_in_channels(saved: str) -> str:
    """`top` asked in a direct message; `saved`: the command that lists one's reading list there."""
    return (
        "Votes are counted in channels (reactions on a digest's cards and replies in their threads): ask for the"
        f" top papers in a channel. Your own reading list is {saved}."
    )


def _names(said: str, topic: str) -> bool:
    """Whether words said name this topic of a digest, or this exclusion without its dash (`video`)."""
    return fold(topic) in (fold(said), f"-{fold(said)}")


def _replaced(current: Subscription, command: Subscribe) -> tuple[str, ...]:
    """What to say of topics `subscribe` replaced, which people often mean to add (`subscribe robotics` to a
    digest on diffusion): the ones gone, and all of them to type to keep them. Nothing where none went, or
    where the change said it meant the topics (`settings topics …`, `unsubscribe robotics`)."""
    gone = [t for t in current.topics if fold(t) not in {fold(n) for n in command.topics}]
    if command.changes or not command.topics or not gone:
        return ()
    every = ", ".join((*gone, *command.topics))
    return (f"Replaced its topics {describe(tuple(gone))}. To add a topic, subscribe with all of them: {every}.",)


def _said(line: str) -> Post:
    return Post(header="paperboy", text=(line,))


def _said_once(line: str) -> list[Post]:
    return [_said(line)]


def not_today(record: DayRecord) -> str:
    """Why `/papers today` shows an earlier day: today is not in the store yet, or has no papers."""
    when = f"{record.day:%A %-d %B}"
    if record.fetched_at is None:
        weekend = " (a weekend day: Hugging Face lists papers on weekdays)" if record.day.weekday() >= 5 else ""
        why = f"Today ({when}) is not in the store yet{weekend}"
    elif not record.final:
        why = f"Hugging Face has listed no papers for today ({when}) yet"
    else:
        weekend = ", a weekend day" if record.day.weekday() >= 5 else ""
        why = f"Hugging Face listed no papers today ({when}{weekend})"
    return f"{why}: here is the latest day with papers."


def _asked_of_no_paper(query: str, words: Phrasebook) -> str | None:
    """What to say beside the papers found for a thread's question asked outside a thread and of no
    paper (`cite` alone): it is searched as a topic, and the answer says how to ask it of a paper."""
    word = query.strip().lower()
    if word not in ASKS:
        return None
    return f"Asking about a paper? {words.ask.format(word=word)}."
