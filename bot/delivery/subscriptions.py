"""Channel subscriptions: what a channel gets each day and when, from the config file or from chat."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.delivery.digest import DigestOptions
from bot.domain.channels import ChannelRef, parse_channel
from bot.domain.config import DigestDefaults, SubscriptionConfig, check_timezone
from bot.domain.errors import UsageError
from bot.domain.filters import describe
from bot.domain.repeats import Repeats
from bot.domain.schedule import local_due, next_delivery
from bot.domain.weekdays import format_days, parse_days, plural_day
from bot.domain.zones import is_place, zone_hint
from bot.store.engine import as_utc
from bot.store.ledger import follow_channel
from bot.store.locks import hold
from bot.store.tables import digests, subscriptions
from bot.store.upsert import changed, insert_for
from bot.store.workspaces import SERVER_LEFT, WORKSPACE_REFUSALS

log = logging.getLogger("paperboy.delivery")


@dataclass(frozen=True)
class Subscription:
    channel: ChannelRef
    topics: tuple[str, ...] = ()
    time: str = "09:00"
    timezone: str = "UTC"
    days: str = "mon-fri"
    limit: int = 10
    min_upvotes: int = 0
    source: str = "chat"  # "config": managed by the config file, re-seeded at every start
    status: str | None = None
    # When its current schedule began: no digest is owed for a due time before it (None: every one is).
    since: datetime | None = None
    # A personal follow: the person (their user id) whose direct message with the bot `channel` is.
    person: str | None = None
    cadence: str = "daily"  # or "weekly": a roundup of the week on its one day in `days` (such as "fri")
    # A zone as stored that this host's tzdata does not know (`timezone` is then UTC, and `status` says so):
    # written back as it was by a save of this subscription changed otherwise (an unfollow, a resume).
    stored_zone: str | None = None

    @property
    def weekdays(self) -> frozenset[int]:
        return parse_days(self.days)

    @property
    def delivers(self) -> str:
        """What it delivers, as an operator's line names it: "daily digest" or "weekly roundup"."""
        return "daily digest" if self.cadence == "daily" else "weekly roundup"

    @property
    def ends_in_chat(self) -> bool:
        """Whether chat can end it while its digest goes out (`unsubscribe`, `unfollow`): the config file's
        ends with the file only, and is in the store once `paperboy run` has read the file (`paperboy post`
        took a digest cut short for one unsubscribed: 2 cards of 10, then "Posted")."""
        return self.source != "config"

    def options(self) -> DigestOptions:
        reader = "you" if self.person else "this channel"  # a follow's direct message is no channel
        return DigestOptions(topics=self.topics, limit=self.limit, min_upvotes=self.min_upvotes, reader=reader)

    def next_delivery(self, now: datetime) -> datetime | None:
        return next_delivery(now, self.time, self.timezone, self.weekdays)

    def describe(self, now: datetime, had: Collection[date] | None = None, follow: str = "`follow TOPIC`") -> list[str]:
        """The subscription in words, for `settings` and confirmations; `had`: the local days, today's on,
        whose digest the channel already had (or that was given up), which the next digest is not (None:
        not known; then one due earlier today is not said to be still to come); `follow`: the platform's
        follow command, a topic where it says TOPIC or … (a stopped follow says how to resume)."""
        topics = describe(self.topics)
        lines = [
            f"Topics: {topics}",
            f"When: {self.time} {self.timezone}, {format_days(self.weekdays)}"
            if self.cadence == "daily"
            else f"When: weekly roundup, {plural_day(self.days)} at {self.time} {self.timezone}",
            f"Papers: top {self.limit}" + (f" with at least {self.min_upvotes} upvotes" if self.min_upvotes else ""),
        ]
        what = "digest" if self.cadence == "daily" else "roundup"
        if (owed := self._owed_today(now, had)) is not None:  # waiting for its listing (east of UTC), or retried
            # (true whichever holds it back: it said "waits for the listing" of a day held, `run` not running)
            waits = " (not out yet: it goes out once Hugging Face has listed the day, with the bot running)"
            lines.append(f"Next {what}: today's, due since {owed:%H:%M %Z}" + (waits if what == "digest" else ""))
        due = self.next_delivery(now) if not self.status and owed is None else None  # stopped: none comes
        while due is not None and due.astimezone(ZoneInfo(self.timezone)).date() in (had or ()):  # today's is out
            due = self.next_delivery(due + timedelta(minutes=1))
        if due is not None:
            lines.append(f"Next {what}: {self._when(due)}" + (self._weekend(due) if what == "digest" else ""))
        if not is_place(self.timezone):  # made before such zones were refused: still kept, and said
            lines.append(f"{_fixed(self.timezone)}{zone_hint(self.timezone).strip()}")
        if self.source == "config":
            lines.append("Managed by the config file: change it there.")
        if self.status:
            lines.append(f"Delivery stopped: {self.status}")
            if self.stored_zone is not None:
                pass  # the status says what to type
            elif self.status == SERVER_LEFT:
                pass  # the status says how it resumes (there is no install page)
            elif not own_refusal(self.status):  # the workspace's, not this channel's: a subscribe would not clear it
                lines.append(WORKSPACE_STOPPED)
            elif self.source == "config":
                lines.append("It is tried again at paperboy's next start, as the config file names it.")
            elif self.person:  # a follow's digest: `subscribe` is refused in a direct message
                topic = self.topics[0] if self.topics else "TOPIC"
                again = follow.replace("TOPIC", topic).replace("…", topic)
                lines.append(f"Once the bot can message you again, {again} (any of your topics) resumes them.")
            else:
                lines.append("Once the bot can post here again, subscribe again (the same settings will do) to resume.")
        return lines

    def _when(self, due: datetime) -> str:
        return f"{due.astimezone(ZoneInfo(self.timezone)):%A %-d %B, %H:%M %Z}"

    def _weekend(self, due: datetime) -> str:
        """What "Next digest: Saturday …" says after it: that at weekends Hugging Face seldom lists papers,
        and the weekday's that comes then (a day with none is skipped, not filled with Friday's papers)."""
        after: datetime | None = due
        for _ in range(7):
            if after is None or self._weekday(after):
                break
            after = self.next_delivery(after + timedelta(minutes=1))
        if after == due:
            return ""
        then = (
            f"; if not, the first weekday's: {self._when(after)}" if after is not None and self._weekday(after) else ""
        )
        return f", if Hugging Face lists papers that day (at weekends it seldom does){then}"

    def _weekday(self, instant: datetime) -> bool:
        return instant.astimezone(ZoneInfo(self.timezone)).weekday() < 5  # (Saturday is 5)

    def _owed_today(self, now: datetime, had: Collection[date] | None) -> datetime | None:
        """Today's due time, in the channel's zone, when it has passed and today's digest is still to come
        (not had, nor given up; due after the subscription began); None otherwise, or when `had` is unknown."""
        if had is None or self.status:
            return None
        zone = ZoneInfo(self.timezone)
        today = now.astimezone(zone).date()
        if today in had or today.weekday() not in self.weekdays:
            return None
        due = local_due(today, self.time, zone)
        return due.astimezone(zone) if due <= now and (self.since is None or due >= self.since) else None


def _fixed(zone: str) -> str:
    """ "EST keeps the same offset all year. " for a zone without daylight saving (January's offset is
    July's); "" for one that has it (EST5EDT)."""
    tz = ZoneInfo(zone)
    winter, summer = datetime(2026, 1, 15, tzinfo=tz).utcoffset(), datetime(2026, 7, 15, tzinfo=tz).utcoffset()
    return f"{zone} keeps the same offset all year. " if winter == summer else ""


def from_config(entry: SubscriptionConfig, defaults: DigestDefaults) -> Subscription:
    """A config file's subscription; what it leaves out is `[digest]`'s (`topics = []` says every paper)."""
    return Subscription(
        channel=parse_channel(entry.channel),
        topics=entry.topics if "topics" in entry.model_fields_set else defaults.topics,
        time=entry.time,
        timezone=entry.timezone,
        limit=entry.limit if entry.limit is not None else defaults.limit,
        min_upvotes=entry.min_upvotes if entry.min_upvotes is not None else defaults.min_upvotes,
        source="config",
        cadence=entry.cadence,
        days=(entry.day or "fri") if entry.cadence == "weekly" else entry.days,
    )


class Person(NamedTuple):
    """Someone whose follows (`SubscriptionStore.of_person`) a change is made to."""

    platform: str
    workspace: str
    person: str


@dataclass(frozen=True)
class Was:
    """A subscription as a change was made from (None: there was none), for `SubscriptionStore.save`;
    `person`: a person's follows, read by `of_person` (they may move to another direct message)."""

    subscription: Subscription | None
    person: Person | None = None


Changed = TypeVar("Changed")
TRIES = 5  # a change made again on what is stored, where another came between its read and its save


async def retried(change: Callable[[], Awaitable[Changed]]) -> Changed | None:
    """`change()`, made again where another change came between its read and its save
    (`SubscriptionChanged`): two teammates adding a topic at once each kept theirs, one lost unsaid. None
    when it was overtaken TRIES times (nothing of it was saved)."""
    for _ in range(TRIES):
        try:
            return await change()
        except SubscriptionChanged:
            continue
    return None


class SubscriptionChanged(Exception):
    """A subscription changed (a teammate's change, another replica's) between its read and a save of a
    change made from it: nothing was saved."""

    def __init__(self, channel: ChannelRef) -> None:
        super().__init__(f"{channel}'s subscription changed while a change to it was made")
        self.channel = channel


class SubscriptionStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._repeats = Repeats()  # a stored zone this host does not know: said once an hour

    async def get(self, channel: ChannelRef) -> Subscription | None:
        """The channel's subscription: its workspace's, else one with no workspace (the config file's,
        which names none in one-workspace mode). A channel named without a workspace (`paperboy post
        --channel slack:C…`) finds the one subscription of that channel id, in whichever workspace."""
        async with self._engine.connect() as conn:
            rows = [
                _from_row(row._mapping)
                for row in await conn.execute(
                    select(subscriptions).where(
                        subscriptions.c.platform == channel.platform, subscriptions.c.channel == channel.channel
                    )
                )
            ]
        return meant(channel, rows)

    async def exists(self, channel: ChannelRef) -> bool:
        """Whether this very channel (its workspace as given) has a subscription."""
        return await self._exact(channel) is not None

    async def _exact(self, channel: ChannelRef) -> Subscription | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(subscriptions).where(_is(channel)))).first()
        return _from_row(row._mapping) if row is not None else None

    async def of_person(self, platform: str, workspace: str, person: str) -> Subscription | None:
        """A person's follows: the subscription of their direct message with the bot, if they follow anything.

        A user id is unique only within its workspace (Slack's, but on Enterprise Grid), so a person is
        looked up in the workspace they ask from; else among follows kept under no workspace (a Discord
        direct message has no guild, and a Discord user id is the same in every guild)."""
        async with self._engine.connect() as conn:
            return await _of_person(conn, Person(platform, workspace, person))

    async def all(self) -> list[Subscription]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(subscriptions).order_by(subscriptions.c.platform, subscriptions.c.channel))
            found = [_from_row(row._mapping) for row in rows]
        now = datetime.now(UTC)
        for lost in (s for s in found if s.status and s.status.startswith(UNKNOWN_ZONE_STATUS)):
            if self._repeats.first(lost.channel, now):
                log.warning("%s gets no digest: %s", lost.channel, lost.status)
        return found

    async def save(
        self,
        subscription: Subscription,
        now: datetime | None = None,
        *,
        moved_from: ChannelRef | None = None,
        expected: Was | None = None,
    ) -> None:
        """Create or replace a channel's subscription (clearing any stopped status).

        With `now`, the change is dated: a new subscription, a new time, zone or days, or a restart
        after delivery stopped begins a new schedule at `now` (`since`), so a due time already past
        is neither delivered nor reported missed; a change of topics or size keeps the old `since`.
        Without it (tools, imports, tests), every due time counts, as it always did.
        `moved_from`: the same reader's subscription under another channel (a person's follow in a new
        direct message), removed in the same transaction, its ledger carried along: what it was sent is
        not new to the new channel.
        `expected`: the subscription the change was made from (`get` read it): where another change came
        since (a teammate's, another replica's), nothing is saved and `SubscriptionChanged` is raised, for
        the caller to make its change again on what is stored: two topics added at once kept one.
        """
        since = subscription.since
        if since is None and now is not None:
            current = await self._exact(subscription.channel)
            if current is None or current.status is not None or _schedule(current) != _schedule(subscription):
                since = now
            else:
                since = current.since
        row = _to_row(replace(subscription, status=None)) | {"updated_at": since or ALWAYS}
        stmt = insert_for(self._engine.dialect.name, subscriptions)
        stmt = stmt.on_conflict_do_update(
            index_elements=["platform", "workspace", "channel"],
            set_={k: v for k, v in row.items() if k not in ("platform", "workspace", "channel")},
        )
        async with self._engine.begin() as conn:
            if expected is not None:
                await _unchanged(conn, subscription.channel, expected)
            if moved_from is not None and moved_from != subscription.channel:
                await conn.execute(delete(subscriptions).where(_is(moved_from)))
                await follow_channel(conn, subscription.channel, moved_from)
            await self._carry_ledger(conn, subscription.channel)
            await conn.execute(stmt, row)

    async def _carry_ledger(self, conn: AsyncConnection, channel: ChannelRef) -> None:
        """A channel's subscription saved under a new workspace key (the config file's, which names none,
        taking over one made in chat under the workspace's id, or a chat subscription after the config
        file's entry went) takes along what the channel was delivered under its old key, where no
        subscription is left: else the day's digest would be new to the ledger and posted again."""
        found = {
            r.workspace
            for r in await conn.execute(
                select(subscriptions.c.workspace).where(
                    subscriptions.c.platform == channel.platform, subscriptions.c.channel == channel.channel
                )
            )
        }
        if channel.workspace in found:
            return  # an update in place: its ledger is its own already
        # Only between no workspace and one (two workspaces' channels of one id are two channels).
        others = [""] if channel.workspace else await _ledger_workspaces(conn, channel)
        for workspace in others:
            if workspace not in found and workspace != channel.workspace:
                await follow_channel(conn, channel, ChannelRef(channel.platform, channel.channel, workspace))

    async def remove(self, channel: ChannelRef, of: Person | None = None, *, expected: Was | None = None) -> bool:
        """Remove the channel's subscription; `of`: a person's follows, changed after their other changes
        (`save` with `Was(..., person)`), none between a read and a save of theirs. Whether there was one.
        `expected`: as `save`'s (an `unfollow` of the last topic beside a `follow` deleted the new one)."""
        async with self._engine.begin() as conn:
            if expected is not None:
                await _unchanged(conn, channel, expected)
            elif of is not None:
                await hold(conn, _person_key(of))
            return await changed(conn, delete(subscriptions).where(_is(channel)))

    async def rezone(self, channel: ChannelRef, zone: str, since: datetime, of: Person | None = None) -> bool:
        """The subscription's time zone is now `zone`, nothing else changed (a follow saved meanwhile keeps
        its topics); its schedule begins anew at `since`. False when there is none. `of`: as `remove`'s."""
        async with self._engine.begin() as conn:
            if of is not None:
                await hold(conn, _person_key(of))
            return await changed(
                conn, update(subscriptions).where(_is(channel)).values(timezone=zone, updated_at=since)
            )

    async def size_follows(self, limit: int, min_upvotes: int) -> int:
        """People's follows made the deployment's `[digest]` size (they have none of their own; each kept
        the one of its first `follow`); how many changed."""
        other = or_(subscriptions.c.limit != limit, subscriptions.c.min_upvotes != min_upvotes)
        resized = update(subscriptions).where(subscriptions.c.person.is_not(None), other)
        async with self._engine.begin() as conn:
            return (await conn.execute(resized.values(limit=limit, min_upvotes=min_upvotes))).rowcount

    async def set_status(self, channel: ChannelRef, status: str | None) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(subscriptions).where(_is(channel)).values(status=status))

    async def seed(self, entries: Sequence[Subscription], now: datetime | None = None) -> list[Subscription]:
        """Make the config file's subscriptions the managed ones: add and update them, drop stale ones.
        An entry naming no workspace (one-workspace mode) takes over its channel: a subscription made in
        chat under the workspace's id is replaced, else the channel would get two digests; what the
        channel was delivered under that id goes with it (`save`), so no day is posted to it again.
        Returns those.

        A new or changed entry is dated `now` (default: the clock), like a subscription made in chat."""
        now = now or datetime.now(UTC)
        wanted = {s.channel for s in entries}
        unnamed = {(s.channel.platform, s.channel.channel) for s in entries if not s.channel.workspace}
        replaced = []
        for existing in await self.all():
            ref = existing.channel
            if existing.source == "config" and ref not in wanted:
                await self.remove(ref)
                log.warning("%s: no longer in the config file, so its %s stops", ref, existing.delivers)
            elif existing.source != "config" and ref.workspace and (ref.platform, ref.channel) in unnamed:
                await self.remove(ref)
                replaced.append(existing)
        for entry in entries:
            current = await self._exact(entry.channel)
            if current is not None and own_refusal(current.status):
                # The entry still in the file at a restart is the operator's "subscribe again" (chat's
                # subscribe is refused for a config file's channel): the channel's refusal goes.
                log.info(
                    "%s: delivery had stopped (%s); the config file still names it, so it is tried again from now",
                    entry.channel,
                    current.status,
                )
                await self.save(entry, now)
            elif current is None or file_changed(current, entry):
                await self.save(entry, now)
        return replaced

    async def resumed(self, channel: ChannelRef, now: datetime) -> bool:
        """A digest reached the channel (`paperboy post`): a refusal it had recorded is over, and its
        schedule starts again from `now`. Whether there was one to clear."""
        current = await self._exact(channel)
        if current is None or not own_refusal(current.status):
            return False
        async with self._engine.begin() as conn:  # the refusal read, and nothing else: a teammate's change saved
            cleared = await changed(  # meanwhile stays (a copy of the subscription saved back undid it)
                conn,
                update(subscriptions)
                .where(_is(channel), subscriptions.c.status == current.status)
                .values(status=None, updated_at=now),
            )
        if not cleared:  # (cleared, or changed, meanwhile: its status is no longer this refusal)
            return False
        log.info("%s: a digest reached it, so its deliveries resume (they had stopped: %s)", channel, current.status)
        return True


async def _of_person(conn: AsyncConnection, of: Person) -> Subscription | None:
    """`SubscriptionStore.of_person`, on `conn`."""
    where = subscriptions.c.workspace.in_(sorted({of.workspace, ""}))
    rows = await conn.execute(
        select(subscriptions)
        .where(subscriptions.c.platform == of.platform, where, subscriptions.c.person == of.person)
        .order_by(subscriptions.c.updated_at.desc())
    )
    found = [_from_row(row._mapping) for row in rows]
    return next((s for s in found if s.channel.workspace == of.workspace), found[0] if found else None)


def _person_key(of: Person) -> str:
    """The lock (`bot.store.locks`) of a person's follows: one for their every workspace (`of_person` reads
    theirs and those under none)."""
    return f"follows {of.platform}:{of.person}"


async def _unchanged(conn: AsyncConnection, channel: ChannelRef, expected: Was) -> None:
    """`SubscriptionChanged` where the channel's subscription, as `get` reads it (a person's follows: as
    `of_person` does), is no longer `expected`'s. The lock comes first (`bot.store.locks`), so that no other
    change can come between this read and the save."""
    if expected.person is not None:
        await hold(conn, _person_key(expected.person))
        found = await _of_person(conn, expected.person)
    else:
        await hold(conn, f"subscription {channel.platform}:{channel.channel}")
        of_channel = and_(subscriptions.c.platform == channel.platform, subscriptions.c.channel == channel.channel)
        found = meant(
            channel, [_from_row(row._mapping) for row in await conn.execute(select(subscriptions).where(of_channel))]
        )
    if found != expected.subscription:
        raise SubscriptionChanged(channel)


async def _ledger_workspaces(conn: AsyncConnection, channel: ChannelRef) -> list[str]:
    """The workspace keys the ledger has digests of this channel id under."""
    rows = await conn.execute(
        select(digests.c.workspace)
        .where(digests.c.platform == channel.platform, digests.c.channel == channel.channel)
        .distinct()
        .order_by(digests.c.workspace)
    )
    return list(rows.scalars())


# What a channel stopped for its whole workspace is told (an uninstall, a refused token, a scope the app
# lacks): an install resumes it, and nothing a channel member types does.
WORKSPACE_STOPPED = (
    "It resumes by itself once paperboy is installed in this workspace again (whoever runs paperboy has its"
    " install page); subscribing again does not."
)


def workspace_stopped(status: str | None) -> bool:
    """Whether a subscription's status stops its whole workspace (uninstalled, a refused token, a scope
    the app lacks): nothing is asked of the workspace's API until an install resumes it."""
    return status is not None and status.startswith(("paused:", *WORKSPACE_REFUSALS))


def own_refusal(status: str | None) -> bool:
    """Whether a subscription's status is its channel's own refusal (archived, the bot removed, no access),
    which a new subscribe clears; not its workspace's pause (`bot.store.workspaces.PAUSED`, in every
    version's words, begins "paused:") or a refused token, which an install clears."""
    return status is not None and not workspace_stopped(status) and not status.startswith(UNKNOWN_ZONE_STATUS)


def _is(channel: ChannelRef) -> ColumnElement[bool]:
    return and_(
        subscriptions.c.platform == channel.platform,
        subscriptions.c.workspace == channel.workspace,
        subscriptions.c.channel == channel.channel,
    )


def meant(channel: ChannelRef, found: Sequence[Subscription]) -> Subscription | None:
    """Of a channel id's subscriptions (one per workspace), the one `channel` means (what `get` answers)."""
    exact = [s for s in found if s.channel.workspace == channel.workspace]
    if exact:
        return exact[0]
    if channel.workspace:
        return next((s for s in found if not s.channel.workspace), None)
    if len(found) > 1:
        spaces = ", ".join(sorted(s.channel.workspace for s in found))
        raise UsageError(
            f"{channel} is a channel id in several workspaces ({spaces}): "
            f"name one, as {channel.platform}:{found[0].channel.workspace}/{channel.channel}"
        )
    return found[0] if found else None


# `since` is kept in the `updated_at` column (no migration needed): it is the time the schedule
# last changed. ALWAYS stands for "every due time counts" in that NOT NULL column.
ALWAYS = datetime(1970, 1, 1, tzinfo=UTC)


def _schedule(s: Subscription) -> tuple[str, str, str, str]:
    return (s.time, s.timezone, s.days, s.cadence)


def file_changed(saved: Subscription, entry: Subscription) -> bool:
    """Whether a config file's entry says otherwise than the subscription saved for it (its status aside):
    `paperboy run` saves it again when it starts."""
    return _to_row(replace(saved, status=None)) != _to_row(entry)


def _to_row(s: Subscription) -> dict[str, Any]:
    return {
        "platform": s.channel.platform,
        "channel": s.channel.channel,
        "workspace": s.channel.workspace,
        "topics": list(s.topics),
        "time": s.time,
        "timezone": s.stored_zone or s.timezone,
        "days": s.days,
        "limit": s.limit,
        "min_upvotes": s.min_upvotes,
        "source": s.source,
        "status": s.status,
        "person": s.person,
        "cadence": s.cadence,
    }


# A stored zone this host's time zone data does not know (saved under an older tzdata: `US/Pacific-New`
# until 2020b): its channel stops, said so, and the others go on; it stopped every channel's digest.
UNKNOWN_ZONE_STATUS = "its time zone"
UNKNOWN_ZONE = (
    UNKNOWN_ZONE_STATUS + " “{zone}” is not in this host's time zone data (tzdata): subscribe again with a"
    " zone, such as `tz America/Los_Angeles`"
)


def _from_row(row: Any) -> Subscription:
    zone, status, stored = row["timezone"], row["status"], None
    try:
        check_timezone(zone)
    except ValueError:  # UTC: what reads it never fails; the zone as stored is kept, and written back
        zone, status, stored = "UTC", status or UNKNOWN_ZONE.format(zone=zone), zone
    return Subscription(
        channel=ChannelRef(row["platform"], row["channel"], row["workspace"]),
        topics=tuple(row["topics"] or ()),
        time=row["time"],
        timezone=zone,
        days=row["days"],
        limit=row["limit"],
        min_upvotes=row["min_upvotes"],
        source=row["source"],
        status=status,
        since=_since(row["updated_at"]),
        person=row["person"],
        cadence=row["cadence"],
        stored_zone=stored,
    )


def _since(value: datetime | None) -> datetime | None:
    since = as_utc(value)
    return None if since is None or since <= ALWAYS else since
