"""Personal follows: a person's own digest, in their direct message with the bot, at 09:00 their time.

A person's follows are ONE subscription (`Subscription.person` set) whose channel is that direct
message: each `follow` adds entries to its topics, `unfollow TOPIC` takes one off, `unfollow` ends it.
It is delivered by the same sweep, scheduler and once-only ledger as a channel's digest, on weekdays.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.chat.commands import Follow, Unfollow, comma_parts
from bot.chat.wording import TYPED, Phrasebook
from bot.delivery.delivered import days_had
from bot.delivery.subscriptions import Person, Subscription, SubscriptionStore, Was, retried
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults, check_topics
from bot.domain.filters import describe, entry_key, joined, split_filters
from bot.domain.post import Post
from bot.domain.schedule import day_start
from bot.store.ledger import Ledger

FOLLOW_TIME = "09:00"
FOLLOW_DAYS = "mon-fri"


Misspelt = Callable[[tuple[str, ...], str], Awaitable[list[str]]]  # of topics with a word no paper holds


async def _none_misspelt(topics: tuple[str, ...], instead: str) -> list[str]:
    return []


def _post(*lines: str, header: str = "paperboy") -> Post:
    return Post(header=header, text=lines)


async def _retried(change: Callable[[], Awaitable[Post]]) -> Post:
    """A change to a person's follows, made again where another of theirs came in between (`retried`): two
    follows at once kept one topic, a follow beside an unfollow brought the topic back."""
    return await retried(change) or _post(
        "Your follows were being changed from somewhere else at the same moment, and nothing of this change was"
        " saved: type it again."
    )


class FollowService:
    def __init__(
        self,
        subscriptions: SubscriptionStore,
        ledger: Ledger,
        defaults: DigestDefaults,
        clock: Callable[[], datetime],
    ) -> None:
        self._subscriptions = subscriptions
        self._ledger = ledger  # which days' digests each follow already had: said in "Next digest"
        self._defaults = defaults
        self._clock = clock

    async def follow(
        self,
        command: Follow,
        platform: str,
        person: str,
        dm: str,
        workspace: str,
        direct: bool,
        words: Phrasebook,
        misspelt: Misspelt = _none_misspelt,
    ) -> Post:
        """Add `command.topics` to the person's digest in `dm`, made when they follow for the first time;
        `words` are the platform's (where its direct messages are, what a follow without a zone is told).
        `misspelt` says what to tell of the topics added with a word no paper holds (a typo: they would
        find nothing)."""
        if not direct:
            if words.no_follows is not None:
                return _post(words.no_follows)
            where = words.direct_message
            return _post(
                "Follows are personal: your digest comes to you in a direct message with me, so send "
                f"`/papers follow …` there ({where}).",
                "To give this channel a digest, use `/papers subscribe` instead.",
            )
        return await _retried(lambda: self._follow(command, Person(platform, workspace, person), dm, words, misspelt))

    async def _follow(self, command: Follow, who: Person, dm: str, words: Phrasebook, misspelt: Misspelt) -> Post:
        """`follow`, made from the follows read here: `SubscriptionChanged` where others were saved since."""
        platform, workspace, person = who
        there = await self._subscriptions.get(ChannelRef(platform, dm, workspace))
        if there is not None and there.person != person:  # the config file gives this conversation a digest
            return _post("This conversation's digest is managed by the config file; change it there.")
        current = await self._subscriptions.of_person(platform, workspace, person)
        channel = ChannelRef(platform, dm, workspace or (current.channel.workspace if current else ""))
        moved = current.channel if current is not None and current.channel != channel else None  # a new direct
        had = current.topics if current else ()
        narrowed = tuple(t for t in had if not t.startswith("-")) if command.every_paper else ()  # `everything …`
        had = tuple(t for t in had if t not in narrowed)
        known = {entry_key(t) for t in had}
        added = tuple(t for t in command.topics if entry_key(t) not in known)
        turned = {_opposite(t) for t in added}  # `follow -robotics` while following “robotics”: the new one wins
        replaced = tuple(t for t in had if entry_key(t) in turned)
        topics = tuple(t for t in had if t not in replaced) + added
        try:
            check_topics(topics, known=current.topics if current else ())
        except ValueError as exc:
            return _post(f"Sorry, you can't follow that: {exc}.", "`/papers follows` lists what you follow.")
        # a zone given now or before; "UTC" stored is what a follow without one got (the note says so again)
        zone = command.timezone or (current.timezone if current and current.timezone != "UTC" else None)
        subscription = Subscription(
            channel=channel,
            topics=topics,
            time=FOLLOW_TIME,
            timezone=zone or "UTC",
            days=FOLLOW_DAYS,
            limit=self._defaults.limit,  # a follow has no size of its own: the deployment's (it kept the first)
            min_upvotes=self._defaults.min_upvotes,
            person=person,
        )
        now = self._clock()
        # moved: to a new direct message (Discord reopens them); made from `current`, else made again
        await self._subscriptions.save(subscription, now, moved_from=moved, expected=Was(current, who))
        saved = await self._subscriptions.of_person(platform, workspace, person) or subscription  # since when owed
        header = "Your digest resumes" if current is not None and current.status and not added else _followed(added)
        notes = tuple(_turned(t) for t in replaced) + (() if zone else (words.no_zone,)) + _every_paper_but(topics)
        if narrowed:
            notes += (f"Every paper now: {describe(narrowed)} no longer narrow{'s' * (len(narrowed) == 1)} it.",)
        if current is not None and zone and _moved(current.timezone, zone, now):  # (a profile's zone changed: unsaid)
            notes += (f"Your digest moves to {FOLLOW_TIME} {zone}, from {FOLLOW_TIME} {current.timezone}.",)
        notes += joined(added)
        notes += tuple(await misspelt(added, "To follow that instead, unfollow this topic and follow that."))
        return _post(
            *saved.describe(now, await days_had(self._ledger, saved, now), follow=words.follow),
            *notes,
            f"`/papers follows` lists them; {words.unfollow}",
            header=f"{header}: your digest {'in your direct message with me' if command.elsewhere else 'here'},"
            f" weekdays at {FOLLOW_TIME} {'your time' if zone else 'UTC'}",
        )

    async def follows(
        self, platform: str, workspace: str, person: str, words: Phrasebook = TYPED, *, nothing: str | None = None
    ) -> Post:
        """What the person follows; `nothing`: what to say when they follow nothing (else how to start)."""
        current = await self._subscriptions.of_person(platform, workspace, person)
        if current is None:
            return _post(
                nothing
                or words.no_follows
                or f"You follow nothing yet. Try {words.follow_examples} in a direct message with me."
            )
        now = self._clock()
        return _post(
            *current.describe(now, await days_had(self._ledger, current, now), follow=words.follow),
            words.unfollow,
            header="What you follow",
        )

    async def moved(self, platform: str, workspace: str, person: str, zone: str) -> bool:
        """The person's own time zone is now `zone` (their Slack profile changed): their digest comes at
        09:00 there. The schedule begins anew at the start of their new local day, so that day's digest,
        if not delivered yet, comes at 09:00 there, or at once when that has passed (never twice: the
        ledger knows each day's). True when they follow something and its zone changed."""
        current = await self._subscriptions.of_person(platform, workspace, person)
        if current is None or current.timezone == zone:
            return False
        since = day_start(self._clock(), zone)
        return await self._subscriptions.rezone(current.channel, zone, since, of=Person(platform, workspace, person))

    async def left(self, platform: str, workspace: str, person: str) -> bool:
        """The person left the workspace (their account deactivated): their follows end. True when they had some."""
        current = await self._subscriptions.of_person(platform, workspace, person)
        return current is not None and await self._subscriptions.remove(
            current.channel, of=Person(platform, workspace, person)
        )

    async def unfollow(self, command: Unfollow, platform: str, workspace: str, person: str) -> Post:
        return await _retried(lambda: self._unfollow(command, Person(platform, workspace, person)))

    async def _unfollow(self, command: Unfollow, who: Person) -> Post:
        """`unfollow`, made from the follows read here: `SubscriptionChanged` where others were saved since."""
        current = await self._subscriptions.of_person(*who)
        if current is None:
            return _post("You follow nothing, so there is nothing to stop.")
        if command.topic is None:
            await self._subscriptions.remove(current.channel, expected=Was(current, who))
            return _post("You follow nothing now: no more personal digests.")
        left, missing = _without_each(current.topics, command.topic)
        if len(left) == len(current.topics):
            followed = ", ".join(f"`{t}`" for t in current.topics)
            return _post(
                f"You don't follow “{command.topic[:100]}”. You follow: {followed}.",
                "Unfollow one of them as it is written there, or all with `/papers unfollow`.",
            )
        gone = [t for t in current.topics if t not in left]
        stopped = " ".join(_stopped(t) for t in gone)
        unknown = f"You did not follow {' or '.join(f'“{t[:100]}”' for t in missing)}." if missing else ""
        if not left:
            await self._subscriptions.remove(current.channel, expected=Was(current, who))  # (changed meanwhile: again)
            return _post(f"{stopped[:-1]}, and follow nothing now.", *filter(None, [unknown]))
        await self._subscriptions.save(replace(current, topics=left), self._clock(), expected=Was(current, who))
        return _post(
            stopped,
            *filter(None, [unknown]),
            f"Still followed: {describe(left)}.",  # as `follows` lists them
            *_every_paper_but(left),
        )


def _opposite(entry: str) -> str:
    """The key of the entry that says the opposite: `-robotics` of `robotics`, and back."""
    key = entry_key(entry)
    return key[1:] if key.startswith("-") else f"-{key}"


def _turned(was: str) -> str:
    """What a follow said of an entry it replaced by its opposite."""
    if was.startswith("-"):
        return f"“{was[1:][:100]}” was left out of your digest: it is followed now instead."
    return f"“{was[:100]}” was followed: your digest leaves it out now instead."


def _stopped(topic: str) -> str:
    """What unfollowing a topic stops, in the words `follows` lists it with."""
    topic = topic[:100]
    if topic.startswith("-"):
        return f"You no longer leave out “{topic[1:]}”."
    if topic.lower().startswith("author:"):
        return f"You no longer follow papers by “{topic[len('author:') :]}”."
    return f"You no longer follow “{topic}”."


def _every_paper_but(topics: tuple[str, ...]) -> tuple[str, ...]:
    """What to tell someone whose topics only leave papers out: their digest has every other paper."""
    if topics and all(t.startswith("-") for t in topics):
        return ("With only papers left out, your digest has the day's top papers on any other topic.",)
    return ()


def _without_each(topics: tuple[str, ...], topic: str) -> tuple[tuple[str, ...], list[str]]:
    """`topics` but the one named (`_without`), or, where none is named so, but each of several named
    with commas between them (`unfollow robotics, agents`, as `follow` takes them); and the ones of
    those that name none."""
    parts = list({entry_key(part): part for part in comma_parts(topic)}.values())  # (`robotics, Robotics`: one)
    if len(left := _without(topics, topic)) < len(topics) or parts in ([], [topic.strip()]):
        return left, []
    missing = []
    for part in parts:  # (`robotics,` too)
        fewer = _without(left, part)
        missing += [part] if len(fewer) == len(left) else []
        left = fewer
    return left, missing


def _without(topics: tuple[str, ...], topic: str) -> tuple[str, ...]:
    """`topics` but the one named: as stored (`-robotics`, `author:LeCun`), or as `follows` shows it
    ("leaving out “robotics”", "by “LeCun”") when that names one topic only."""
    wanted = entry_key(topic)
    for shown_as in ("leaving out ", "by "):  # typed as `follows` shows it, words and all
        if wanted.startswith(shown_as) and not any(entry_key(t) == wanted for t in topics):
            wanted = entry_key(wanted.removeprefix(shown_as))
    exact = tuple(t for t in topics if entry_key(t) != wanted)
    if len(exact) < len(topics):
        return exact
    shown = [t for t in topics if entry_key(t) in (f"-{wanted}", f"author:{wanted}")]
    return tuple(t for t in topics if t not in shown) if len(shown) == 1 else topics


def _followed(added: tuple[str, ...]) -> str:
    """What a follow added, in words: “agents”, leaving out “robotics” (not “-robotics”, as typed)."""
    if not added:
        return "You follow these already"
    filters = split_filters(added)
    if filters.topics or filters.authors:
        said = describe(added)
        return f"You now follow {'papers ' if said.startswith('by ') else ''}{said}"  # not "follow by “LeCun”"
    return "Your digest now leaves out " + " and ".join(f"“{e}”" for e in filters.left_out)


def _moved(was: str, zone: str, now: datetime) -> bool:
    """Whether a follow's 09:00 moves from zone `was` to `zone` (not `Asia/Calcutta` to `Asia/Kolkata`: the
    same hour), as of now."""
    try:
        return ZoneInfo(was).utcoffset(now) != ZoneInfo(zone).utcoffset(now)
    except (ZoneInfoNotFoundError, ValueError):
        return was != zone
