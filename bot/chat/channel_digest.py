"""A channel's digest as the chat answers of it: `subscribe` (and a setting changed), `unsubscribe` (or a
topic dropped), `settings`, `preview`; who may change it, and what to say of what a change leaves out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.chat.asker import Asker
from bot.chat.cadence import KINDS, cadence_days
from bot.chat.commands import Subscribe, listed_with_and
from bot.chat.commands.options import OPTIONS
from bot.chat.follows import FollowService, Misspelt
from bot.chat.replies import said
from bot.chat.wording import Phrasebook
from bot.delivery.delivered import days_had
from bot.delivery.subscriptions import Subscription, SubscriptionChanged, SubscriptionStore, Was, retried
from bot.domain.config import MAX_TOPICS, DigestDefaults
from bot.domain.filters import describe, entry_key, joined, split_filters
from bot.domain.post import Post
from bot.domain.weeks import covered_monday, week_key, week_name
from bot.domain.words import listed, quoted
from bot.search.port import SearchIndex
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore


async def _retried(change: Callable[[], Awaitable[Post]]) -> Post:
    """A change to a channel's digest, made again where another came in between (`retried`)."""
    return await retried(change) or said(
        "This channel's digest was being changed by someone else at the same moment, and nothing of your change"
        " was saved: type it again."
    )


SAVED = "This channel is "  # how the answer of a digest saved (subscribed or updated) starts: `saved_a_digest`


def saved_a_digest(post: Post) -> bool:
    """Whether `post` answers a channel's digest saved, subscribed or updated (not one refused, nor
    `settings` shown): where Slack adds that the bot must be invited to hear the channel."""
    return post.header.startswith(SAVED)


class ChannelDigests:
    """The answers of `ChatService` about a channel's digest (and, in a direct message, one's follows')."""

    def __init__(
        self,
        store: PaperStore,
        search: SearchIndex,
        subscriptions: SubscriptionStore,
        ledger: Ledger,
        defaults: DigestDefaults,
        clock: Callable[[], datetime],
        follows: FollowService,
        words: Callable[[Asker], Phrasebook],
        misspelt: Misspelt,
    ) -> None:
        """`words`: the asker's platform's phrasebook; `misspelt`: what to say of topics no paper holds."""
        self._store = store
        self._search = search
        self._subscriptions = subscriptions
        self._ledger = ledger
        self._defaults = defaults
        self._clock = clock
        self._follows = follows
        self._words = words
        self._misspelt = misspelt

    def _refusal(self, asker: Asker, verb: str, typed: str | None = None) -> Post | None:
        """Why `verb` (as the command was `typed`) is refused here: a direct message, or no permission."""
        if asker.direct:
            words = self._words(asker)
            own = (  # `unsubscribe [topic]` here: their own digest is what they mean to stop, or a follow of it
                f"Your own digest here: {words.unfollow}"
                if verb == "unsubscribe" or (typed or "").startswith("unsubscribe ")
                else f"For your own digest here, {words.follow} (see {words.help_command})."
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

    async def subscribe(self, command: Subscribe, asker: Asker) -> Post:
        return await _retried(lambda: self._subscribe(command, asker))

    async def _subscribe(self, command: Subscribe, asker: Asker, made_from: Was | None = None) -> Post:
        """`subscribe`, a setting changed; `made_from`: the subscription a change was made from (`_drop`'s),
        which must still be the channel's. `SubscriptionChanged` where another change came in between."""
        changing = command.changes  # `settings at 10:00`: said as such
        refused = self._refusal(
            asker, "change the digest of" if changing else "subscribe", "settings" if changing else None
        )
        if refused is not None:
            return refused
        current = await self._subscriptions.get(asker.channel)
        if made_from is not None and current != made_from.subscription:
            raise SubscriptionChanged(asker.channel)
        if current is not None and current.source == "config":
            return Post(
                header="paperboy",
                text=(
                    "This channel's digest is managed by the config file; change it there.",
                    *current.describe(self._clock()),
                ),
            )
        if current is None and command.changes:  # `settings at 10:00`: no digest to change, none started unasked
            return said(f"This channel has no digest to change. To start one: {self._words(asker).subscribe}.")
        if command.adds and current is not None and (unadded := _not_added(current, command)) is not None:
            return said(unadded)
        cadence = command.cadence or (current.cadence if current else "daily")
        days = cadence_days(command, cadence, current, self._words(asker))
        if isinstance(days, Post):
            return days
        subscription = Subscription(
            channel=asker.channel,
            topics=()
            if command.every_paper
            else _added(current, command.topics)
            if command.adds and current
            else command.topics or (current.topics if current else self._defaults.topics),
            time=command.time or (current.time if current else "09:00"),
            timezone=command.timezone or ((current.stored_zone or current.timezone) if current else "UTC"),
            days=days,
            limit=command.limit or (current.limit if current else self._defaults.limit),
            min_upvotes=current.min_upvotes if current else self._defaults.min_upvotes,
            cadence=cadence,
        )
        now = self._clock()
        # dated: a due time already past is not owed; made from `current`, else made again on what is stored
        await self._subscriptions.save(subscription, now, expected=Was(current))
        verb = "updated" if current else "subscribed"
        respell = await self._misspelt(
            command.topics, "To have that instead, subscribe again with it in this topic's place."
        )
        skipped = await self._week_passed_over(current, subscription, now) if current else ()
        replaced = _replaced(current, command, self._words(asker).keep_topics) if current else ()
        saved = await self._subscriptions.get(asker.channel) or subscription  # as saved: since when it is owed
        return Post(
            header=f"{SAVED}{verb}: {KINDS[cadence]} of Hugging Face papers",
            text=(
                *saved.describe(now, await days_had(self._ledger, saved, now)),
                *replaced,
                *skipped,
                *joined(command.topics),
                *respell,
            ),
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

    async def unsubscribe(self, asker: Asker, topic: str | None = None) -> Post:
        return await _retried(lambda: self._unsubscribe(asker, topic))

    async def _unsubscribe(self, asker: Asker, topic: str | None) -> Post:
        refused = (  # one topic dropped (`unsubscribe robotics`, `settings remove robotics`) is a change
            self._refusal(asker, "unsubscribe")
            if topic is None
            else self._refusal(asker, "change the digest of", f"unsubscribe {topic}")
        )
        if refused is not None:
            return refused
        current = await self._subscriptions.get(asker.channel)
        if current is None:
            what = "stop" if topic is None else "change"  # `unsubscribe robotics`: nothing was being stopped
            return said(f"This channel has no digest to {what}. To start one: {self._words(asker).subscribe}.")
        if current.source == "config":
            return Post(
                header="paperboy", text=("This channel's digest is managed by the config file; remove it there.",)
            )
        if topic is not None:
            return await self._drop(current, topic, asker)
        await self._subscriptions.remove(asker.channel)
        kind = KINDS[current.cadence].removeprefix("a ")
        again = _subscribe_again(current, self._words(asker).subscribe_again)  # its settings go with it
        return said(f"Unsubscribed: no more {kind}s here. To have it back as it was: {again}")

    async def _drop(self, current: Subscription, topic: str, asker: Asker) -> Post:
        """`unsubscribe robotics`: the digest without that topic, the rest of it kept. It was refused ("takes
        no topic"), and dropping one meant typing every other again."""
        named = listed_with_and([p.strip() for p in topic.split(",") if p.strip()])  # `unsubscribe robotics, agents`
        dropped = {t for t in current.topics if any(_names(n, t) for n in named)}
        if missing := [n for n in named if not any(_names(n, t) for t in dropped)]:
            return said(
                f"This channel's digest has no topic {quoted(missing[0])}: it is on {describe(current.topics)}."
                " `unsubscribe` with no topic stops the digest."
            )
        kept = tuple(t for t in current.topics if t not in dropped)
        if not split_filters(kept).narrowed:  # what is left would be every paper
            gone = [t for t in current.topics if t in dropped]
            only = "is this digest's only topic" if len(gone) == 1 else "are all this digest's topics"
            but = " (but those it leaves out)" if kept else ""
            return said(  # `unsubscribe agents, robotics`: "“agents, robotics” is this digest's only topic"
                f"{listed([quoted(t) for t in gone])} {only}: without {'it' if len(gone) == 1 else 'them'} the"
                f" digest would have every paper{but}. `unsubscribe` with no topic stops the digest, and"
                " `subscribe` with other topics replaces it."
            )
        return await self._subscribe(Subscribe(topics=kept, changes=True), asker, Was(current))

    async def preview(self, asker: Asker, roundup: bool = False) -> Post:
        """`preview`: the channel's digest as it would be built now (in a direct message, the asker's follows');
        `roundup`: asked for as the roundup, which a channel with none is told how to start."""
        from bot.chat.preview import preview  # loaded with the first preview: the week's matches and the roundup

        where = asker.channel
        current = await self._subscriptions.get(where)
        if current is None and asker.direct:
            current = await self._subscriptions.of_person(where.platform, where.workspace, asker.user)
        if current is None:
            words = self._words(asker)
            if asker.direct:
                return said(f"You follow nothing yet, so there is no digest to preview: {words.follow}.")
            if roundup:
                return said(f"This channel has no roundup to preview. To start one: {words.subscribe_weekly}.")
            return said(f"This channel has no digest to preview. To start one: {words.subscribe}.")
        shown = await preview(self._store, self._search, current, self._clock(), yours=asker.direct)
        if roundup and current.cadence == "daily":  # `roundup` previewed the daily digest without a word
            weekly = self._words(asker).as_weekly.format(day="fri")
            said_so = (
                "Your own digest is daily: a weekly roundup is a channel's. It would show:"
                if asker.direct  # (no channel here to make weekly)
                else f"This channel's digest is daily, not a weekly roundup (`{weekly}` makes it one). It would show:"
            )
            return replace(shown, text=(said_so, *shown.text))
        return shown

    async def settings(self, asker: Asker) -> Post:
        current = await self._subscriptions.get(asker.channel)
        if current is None and asker.direct:  # no channel here to subscribe: a digest of one's own is a follow,
            where, words = asker.channel, self._words(asker)  # to their direct message with the bot, wherever typed
            nothing = f"You follow nothing yet. Your own digest here: {words.follow}."
            return await self._follows.follows(where.platform, where.workspace, asker.user, words, nothing=nothing)
        if current is None:
            return Post(
                header="paperboy",
                text=(f"This channel has no daily digest. Try {self._words(asker).subscribe}.",),
            )
        whose = "Your own" if asker.direct else "This channel's"  # in a direct message: the asker's follows
        now = self._clock()
        words = self._words(asker)
        changed = words.change_weekly if current.cadence == "weekly" else words.change
        change = () if asker.direct or current.source == "config" else (changed,)
        return Post(
            header=f"{whose} {KINDS[current.cadence].removeprefix('a ')}",
            text=(*current.describe(now, await days_had(self._ledger, current, now)), *change),
        )


def _names(said: str, topic: str) -> bool:
    """Whether words said name this topic of a digest, or this exclusion without its dash (`video`)."""
    return entry_key(topic) in (entry_key(said), f"-{entry_key(said)}")


_OPTION_WORDS = frozenset({*OPTIONS, "on", "weekly", "daily"})  # a topic holding one is quoted to be read back


def _subscribe_again(was: Subscription, form: str) -> str:
    """The `subscribe` that starts a stopped digest again as it was, in the platform's `form`
    (`Phrasebook.subscribe_again`): a digest stopped keeps none of its settings."""
    weekly = was.cadence == "weekly"
    zone = was.stored_zone or was.timezone
    quoted = [f'"{t}"' if "," in t or _OPTION_WORDS & set(t.lower().split()) else t for t in was.topics]
    typed = ["weekly"] if weekly else []
    typed += [", ".join(quoted)] if quoted else []
    typed += ["at", was.time, *(["tz", zone] if zone != "UTC" else []), "top", str(was.limit)]
    typed += ["on", was.days] if weekly else ["days", was.days] if was.days != "mon-fri" else []
    fields = [f"topics:{', '.join(quoted)}"] if quoted else []
    fields += [f"time:{was.time}", f"timezone:{zone}", f"top:{was.limit}"]
    fields += ["cadence:weekly", f"day:{was.days}"] if weekly else [f"days:{was.days}"]
    return form.format(typed=" ".join(typed), options=" ".join(fields))


def _not_added(current: Subscription, command: Subscribe) -> str | None:
    """Why topics are not added to a digest (`settings add robotics`), or None: it has every paper (adding
    would narrow it to them), it leaves one out, they are there already, or there would be too many."""
    if not split_filters(current.topics).narrowed:
        but = " (but those it leaves out)" if current.topics else ""
        return (
            f"This digest has every paper{but}, so there is nothing to add to: `settings topics"
            f" {', '.join(command.topics)}` keeps only papers on {describe(command.topics)}."
        )
    if left_out := [t for t in command.topics if entry_key(f"-{t}") in {entry_key(c) for c in current.topics}]:
        return f"This digest leaves out {quoted(left_out[0])}: `settings remove {left_out[0]}` stops that first."
    held = {entry_key(c) for c in current.topics}
    if wanted := [t[1:] for t in command.topics if t.startswith("-") and entry_key(t[1:]) in held]:
        return (  # `settings add -diffusion` on a digest about diffusion: a digest that can hold no paper
            f"This digest is on {quoted(wanted[0])}: leaving it out too would leave none of its papers."
            f" `settings remove {wanted[0]}` drops it."
        )
    merged = _added(current, command.topics)
    others = (command.time, command.timezone, command.days, command.limit)
    if merged == current.topics and all(option is None for option in others):  # `settings add robotics` twice
        return f"This digest is on {describe(current.topics)} already: nothing was added."
    if len(merged) > MAX_TOPICS:
        return (
            f"A digest takes at most {MAX_TOPICS} topics, and this one would have {len(merged)}: drop one first"
            " (`settings remove …`), or join close ones into one."
        )
    return None


def _added(current: Subscription, topics: tuple[str, ...]) -> tuple[str, ...]:
    """The channel's topics with these added (`settings add robotics`), each once, in the order given."""
    held = {entry_key(t) for t in current.topics}
    return (*current.topics, *(t for t in topics if entry_key(t) not in held))


def _replaced(current: Subscription, command: Subscribe, keep: str) -> tuple[str, ...]:
    """What to say of topics `subscribe` replaced, which people often mean to add (`subscribe robotics` to a
    digest on diffusion): the ones gone, and all of them to type to keep them. Nothing where none went, or
    where the change said it meant the topics (`settings topics …`, `unsubscribe robotics`). `keep`: the
    command that has them back, as typed there (`Phrasebook.keep_topics`)."""
    gone = [t for t in current.topics if entry_key(t) not in {entry_key(n) for n in command.topics}]
    if command.changes or command.adds or not command.topics or not gone:
        return ()
    every = ", ".join((*gone, *command.topics))
    again = keep.format(gone=", ".join(gone), every=every)
    said = describe(tuple(gone)).removeprefix("all papers, ")  # `-robotics` alone: not "all papers, leaving out …"
    return (
        f"Replaced its topics ({said}). To have {'it' if len(gone) == 1 else 'them'} back beside the new: {again}.",
    )
