"""The ledger's answers for many digests at once, on SQLite and PostgreSQL: the same as one at a time, in a
few statements and transactions, however many channels there are."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from sqlalchemy.util import await_only

from bot.domain.channels import ChannelRef
from bot.domain.publishing import MessageRef
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.conftest import BACKENDS

DAY = date(2026, 6, 2)
NOW = datetime(2026, 6, 2, 9, tzinfo=UTC)
LEASE = timedelta(minutes=2)


@dataclass
class Counts:
    statements: int = 0
    commits: int = 0


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[Counts]:
    """How many statements the engine ran, and how many transactions it committed, inside the block."""
    counts = Counts()

    def statement(*_: Any) -> None:
        counts.statements += 1

    def commit(*_: Any) -> None:
        counts.commits += 1

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine, "commit", commit)
    try:
        yield counts
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", statement)
        event.remove(engine.sync_engine, "commit", commit)


def slack(n: int) -> ChannelRef:
    return ChannelRef("slack", f"C{n:04d}")


Ledgers = Callable[..., Ledger]


@pytest.fixture
async def ledgers(store: PaperStore) -> AsyncIterator[Ledgers]:
    """Ledgers on the store, each one process's, closed at the end (as a process's end lets its holds go)."""
    made: list[Ledger] = []

    def make(owner: str | None = None, lease: timedelta = LEASE) -> Ledger:
        made.append(Ledger(store.engine, owner=owner, lease=lease))
        return made[-1]

    yield make
    for ledger in made:
        await ledger.close()


async def test_statuses_of_many_digests_come_in_one_query_per_platform_and_day(
    store: PaperStore, ledgers: Ledgers
) -> None:
    ledger = ledgers("a")
    await ledger.claim(slack(1), DAY, NOW)
    await ledger.skip(slack(2), DAY, "nothing listed", NOW)
    await ledger.fail(slack(1), DAY, "Slack said 500", NOW)
    await ledger.claim(slack(3), DAY - timedelta(days=1), NOW)
    discord = ChannelRef("discord", "123")
    await ledger.claim(discord, DAY, NOW)
    keys = [(slack(n), DAY) for n in range(1, 6)] + [(slack(3), DAY - timedelta(days=1)), (discord, DAY)]
    with counting(store.engine) as counts:
        found = await ledger.statuses(keys)
    assert found == {
        (slack(1), DAY): "failed",
        (slack(2), DAY): "skipped",
        (slack(3), DAY - timedelta(days=1)): "claimed",
        (discord, DAY): "claimed",
    }
    assert found == {k: s for k in keys if (s := await ledger.status(*k)) is not None}
    assert counts.statements == 3  # slack on the 2nd, slack on the 1st, discord on the 2nd
    assert await ledger.statuses([]) == {}


async def test_claim_many_takes_every_free_digest_in_one_transaction(store: PaperStore, ledgers: Ledgers) -> None:
    a = ledgers("a")
    keys = [(slack(n), DAY) for n in range(40)]
    with counting(store.engine) as counts:
        claims = await a.claim_many(keys, NOW)
    assert [claims[k].state for k in keys] == ["new"] * 40
    assert all(claims[k].header_intent_at == NOW for k in keys)
    assert counts.commits == 1
    assert set((await a.statuses(keys)).values()) == {"claimed"}


async def test_a_digest_named_twice_in_one_claim_is_refused(ledgers: Ledgers) -> None:
    ledger = ledgers("a")
    with pytest.raises(ValueError, match="named twice"):
        await ledger.claim_many([(slack(1), DAY), (slack(1), DAY)], NOW)
    assert await ledger.statuses([(slack(1), DAY)]) == {}  # nothing claimed


async def test_the_same_channel_id_in_two_workspaces_is_two_digests(ledgers: Ledgers) -> None:
    ledger, other = ledgers("a"), ledgers("b")
    here, there = ChannelRef("slack", "C0001", "T0001"), ChannelRef("slack", "C0001", "T0002")
    claims = await ledger.claim_many([(here, DAY), (there, DAY)], NOW)
    assert [claims[(here, DAY)].state, claims[(there, DAY)].state] == ["new", "new"]
    await ledger.finish(here, DAY, 3, NOW)
    assert await ledger.statuses([(here, DAY), (there, DAY)]) == {(here, DAY): "done", (there, DAY): "claimed"}
    assert (await other.claim(here, DAY, NOW)).state == "done"
    assert (await other.claim(there, DAY, NOW)).state == "busy"


async def test_claim_many_answers_each_digest_as_claim_would(ledgers: Ledgers) -> None:
    a = ledgers("a")
    b = ledgers("b")
    held, done, stopped, failed, fresh = (slack(n) for n in range(5))
    await a.claim_many([(c, DAY) for c in (held, done, stopped, failed)], NOW)
    await a.begin_papers(held, DAY, [(1, "2606.00001"), (2, "2606.00002")], NOW)
    await a.finish(done, DAY, 3, NOW)
    await a.fail(stopped, DAY, "channel_not_found", NOW, stopped=True)
    await a.fail(failed, DAY, "Slack said 500", NOW)
    keys = [(c, DAY) for c in (held, done, stopped, failed, fresh)]

    soon = await b.claim_many(keys, NOW + timedelta(minutes=1))
    assert {c.channel: soon[(c, DAY)].state for c, _ in keys} == {
        "C0000": "busy",  # a is alive: it holds its lock
        "C0001": "done",
        "C0002": "stopped",  # only `paperboy post` takes a stopped digest again
        "C0003": "resume",  # a failed digest is anyone's to retry at once
        "C0004": "new",
    }
    assert soon[(done, DAY)].papers == 3

    assert (await b.claim(held, DAY, NOW + timedelta(minutes=3))).state == "busy"  # its lease ran out, not its lock
    await a.close()  # a died
    later = await b.claim_many(keys, NOW + timedelta(minutes=3), retry_stopped=True)
    assert later[(held, DAY)].state == "resume"  # b takes over what a began
    assert sorted(later[(held, DAY)].sent) == ["2606.00001", "2606.00002"]
    assert all(s.root is None for s in later[(held, DAY)].sent.values())  # begun, never confirmed: look first
    assert later[(held, DAY)].header_intent_at == NOW
    assert later[(stopped, DAY)].state == "resume"
    assert later[(fresh, DAY)].state == "busy"  # b's own, claimed a moment ago: b is delivering it
    await b.release([(fresh, DAY)])  # …and gave it up without a word in the ledger (an error, say)
    assert (await b.claim(fresh, DAY, NOW + timedelta(minutes=3))).state == "resume"
    assert later[(done, DAY)].state == "done"
    assert not await a.renew(held, DAY, NOW + timedelta(minutes=3))  # a learns it has lost the digest


async def test_two_processes_claiming_the_same_channels_at_once_win_each_digest_once(ledgers: Ledgers) -> None:
    a = ledgers("a")
    b = ledgers("b")
    keys = [(slack(n), DAY) for n in range(60)]
    mine, theirs = await asyncio.gather(a.claim_many(keys, NOW), b.claim_many(list(reversed(keys)), NOW))
    for key in keys:
        assert sorted([mine[key].state, theirs[key].state]) == ["busy", "new"]


async def test_sent_before_many_answers_each_channel_as_sent_before_would(store: PaperStore, ledgers: Ledgers) -> None:
    ledger = ledgers("a")
    yesterday = DAY - timedelta(days=1)
    await ledger.claim_many([(slack(n), yesterday) for n in range(3)], NOW)
    await ledger.begin_papers(slack(0), yesterday, [(1, "p1"), (2, "p2")], NOW)
    await ledger.begin_papers(slack(1), yesterday, [(1, "p2")], NOW)
    await ledger.claim(slack(2), DAY, NOW)
    await ledger.begin_papers(slack(2), DAY, [(1, "p1")], NOW)  # today's own papers do not count
    wanted = {(slack(n), DAY): ["p1", "p2", "p3"] for n in range(3)} | {(slack(3), DAY): []}
    with counting(store.engine) as counts:
        found = await ledger.sent_before_many(wanted)
    assert found == {
        (slack(0), DAY): {"p1", "p2"},
        (slack(1), DAY): {"p2"},
        (slack(2), DAY): set(),
        (slack(3), DAY): set(),
    }
    assert counts.statements == 1
    for (channel, day), ids in wanted.items():
        assert await ledger.sent_before(channel, ids, day) == found[(channel, day)]


async def test_intents_and_completions_of_many_channels_share_transactions(store: PaperStore, ledgers: Ledgers) -> None:
    ledger = ledgers("a")
    channels = [slack(n) for n in range(30)]
    await ledger.claim_many([(c, DAY) for c in channels], NOW)

    def header(c: ChannelRef) -> MessageRef:
        return MessageRef(c.channel, f"h{c.channel}", f"h{c.channel}")

    def root(c: ChannelRef, n: int) -> MessageRef:
        return MessageRef(c.channel, f"{c.channel}.{n}", f"{c.channel}.{n}")

    with counting(store.engine) as begun:
        await asyncio.gather(
            *(
                ledger.begin_papers(c, DAY, [(1, f"{c.channel}-a"), (2, f"{c.channel}-b")], NOW, header(c))
                for c in channels
            )
        )
    assert begun.commits <= 2  # the first caller's, then everyone who came while it ran
    await ledger.release([(c, DAY) for c in channels])  # its holds gone (as if it died): b may take them over
    taker = ledgers("b")
    taken = await taker.claim_many([(c, DAY) for c in channels], NOW + timedelta(minutes=3))
    assert all(taken[(c, DAY)].header == f"h{c.channel}" for c in channels)
    assert all(len(taken[(c, DAY)].sent) == 2 for c in channels)

    later = NOW + timedelta(minutes=4)
    with counting(store.engine) as posted:
        for n, paper in enumerate("ab", start=1):  # each channel's card, then its seed, all channels at once
            await asyncio.gather(
                *(ledger.card_sent(c, DAY, f"{c.channel}-{paper}", root(c, n), later) for c in channels)
            )
            await asyncio.gather(*(ledger.seed_sent(c, DAY, f"{c.channel}-{paper}", later) for c in channels))
    assert posted.commits <= 8
    with counting(store.engine) as finished:
        await asyncio.gather(*(ledger.finish(c, DAY, 2, later) for c in channels))  # not ours now: nothing
    assert set((await ledger.statuses([(c, DAY) for c in channels])).values()) == {"claimed"}
    with counting(store.engine) as finished:
        await asyncio.gather(*(taker.finish(c, DAY, 2, later) for c in channels))
    assert finished.commits <= 2
    assert set((await ledger.statuses([(c, DAY) for c in channels])).values()) == {"done"}
    assert await ledger.thread_paper("slack", "C0007", "C0007.2") == "C0007-b"
    again = await ledger.claim(slack(7), DAY, later)
    assert (again.state, again.papers) == ("done", 2)


async def test_each_post_is_recorded_right_after_it_goes_out(ledgers: Ledgers) -> None:
    a, b = ledgers("a"), ledgers("b")
    await a.claim(slack(1), DAY, NOW)
    await a.begin_papers(slack(1), DAY, [(1, "p1"), (2, "p2"), (3, "p3")], NOW, MessageRef("C0001", "h", "h"))
    await a.card_sent(slack(1), DAY, "p1", MessageRef("C0001", "m1", "m1"), NOW)
    await a.seed_sent(slack(1), DAY, "p1", NOW)
    await a.card_sent(slack(1), DAY, "p2", MessageRef("C0001", "m2", "m2"), NOW)
    await a.close()  # …and a died, its seed for p2 under way
    taken = await b.claim(slack(1), DAY, NOW + timedelta(seconds=1))
    assert taken.state == "resume"
    sent = taken.sent
    assert (sent["p1"].root, sent["p1"].seeded) == (MessageRef("C0001", "m1", "m1"), True)  # nothing to look for
    assert (sent["p2"].root, sent["p2"].seeded) == (MessageRef("C0001", "m2", "m2"), False)  # only its seed
    assert (sent["p3"].root, sent["p3"].seeded) == (None, False)  # begun, never confirmed: look first
    assert await b.thread_paper("slack", "C0001", "m2") == "p2"


async def test_a_claim_whose_holder_died_is_taken_over_at_once(ledgers: Ledgers) -> None:
    dead, other = ledgers(), ledgers()
    assert (await dead.claim(slack(1), DAY, NOW)).state == "new"
    await dead.begin_papers(slack(1), DAY, [(1, "2606.00001")], NOW)
    await dead.close()  # the process died: its lock went with it, its lease has two minutes to run
    taken = await other.claim(slack(1), DAY, NOW + timedelta(seconds=1))
    assert taken.state == "resume"
    assert sorted(taken.sent) == ["2606.00001"]
    assert not await dead.renew(slack(1), DAY, NOW + timedelta(seconds=2))


async def test_a_digest_whose_holder_died_is_given_up_at_once_and_a_live_ones_is_not(ledgers: Ledgers) -> None:
    dead, alive, sweeper = ledgers(), ledgers(), ledgers()
    for ledger, n in ((dead, 1), (alive, 2)):
        assert (await ledger.claim(slack(n), DAY, NOW)).state == "new"
        await ledger.begin_papers(slack(n), DAY, [(1, "2606.00001")], NOW)
    await dead.close()  # the process died; its lease has two minutes to run
    later = NOW + timedelta(seconds=30)  # past the digests' window, say
    assert await sweeper.give_up(slack(1), DAY, later)
    assert await sweeper.status(slack(1), DAY) == "skipped"
    assert not await sweeper.give_up(slack(2), DAY, later)  # its process is still posting it
    assert await sweeper.status(slack(2), DAY) == "claimed"
    # Its lease ran out, but not its lock: it is still posting (one post may outlast the lease).
    assert not await sweeper.give_up(slack(2), DAY, NOW + LEASE + timedelta(seconds=1))
    await alive.close()
    assert await sweeper.give_up(slack(2), DAY, NOW + LEASE + timedelta(seconds=2))


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # PostgreSQL's FOR UPDATE makes a takeover wait
async def test_a_digest_taken_over_between_the_give_ups_read_and_write_is_not_given_up(
    store: PaperStore, ledgers: Ledgers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite takes no lock at the give-up's read (FOR UPDATE is PostgreSQL's): a replica that took the
    dead holder's digest over just then saw it recorded as skipped while it posted."""
    dead, taker, sweeper = ledgers(), ledgers(), ledgers()
    assert (await dead.claim(slack(1), DAY, NOW)).state == "new"
    await dead.close()  # the process died
    abandoned = sweeper._abandoned

    async def taken_over_meanwhile(*args: Any) -> bool:
        found = await abandoned(*args)
        assert (await taker.claim(slack(1), DAY, NOW + timedelta(seconds=30))).state == "resume"
        return found

    monkeypatch.setattr(sweeper, "_abandoned", taken_over_meanwhile)
    assert not await sweeper.give_up(slack(1), DAY, NOW + timedelta(seconds=30))
    assert await sweeper.status(slack(1), DAY) == "claimed"  # the taker's, going on


async def test_a_live_holder_keeps_its_digest_and_is_named(ledgers: Ledgers) -> None:
    holder, other = ledgers(), ledgers()
    await holder.claim(slack(1), DAY, NOW)
    busy = await other.claim(slack(1), DAY, NOW + timedelta(minutes=1))
    assert busy.state == "busy"
    assert busy.holder is not None
    assert (busy.holder.host, busy.holder.pid, busy.holder.since) == (socket.gethostname(), os.getpid(), NOW)
    assert busy.holder.describe() == f"host {socket.gethostname()}, pid {os.getpid()}, since 2026-06-02 09:00:00 UTC"
    assert await holder.holding(slack(1), DAY)
    assert not await other.holding(slack(1), DAY)


async def test_a_digest_this_process_is_delivering_is_busy_to_it_as_well(ledgers: Ledgers) -> None:
    ledger = ledgers()
    assert (await ledger.claim(slack(1), DAY, NOW)).state == "new"
    again = await ledger.claim(slack(1), DAY, NOW + timedelta(minutes=5))
    assert again.state == "busy"  # not "resume": that would deliver it twice from one process
    assert await ledger.holding(slack(1), DAY)  # and its hold is kept: it was let go, so another took it over
    await ledger.release([(slack(1), DAY)])
    assert (await ledger.claim(slack(1), DAY, NOW + timedelta(minutes=5))).state == "resume"


async def test_a_live_holder_keeps_its_digest_past_its_lease(
    ledgers: Ledgers, caplog: pytest.LogCaptureFixture
) -> None:
    """One post may outlast the lease (429s waited out, a stalled host): while its lock is held, the
    digest is its holder's, however long ago its lease ran out; taken over at once when it is let go.
    Silent for long past it (hung, most likely), it is said, with what to do."""
    slow, other = ledgers(), ledgers()
    await slow.claim(slack(1), DAY, NOW)
    await slow.begin_papers(slack(1), DAY, [(1, "2606.00001")], NOW)
    for later, said in ((NOW + timedelta(minutes=3), False), (NOW + timedelta(hours=5), True)):
        caplog.clear()
        busy = await other.claim(slack(1), DAY, later)
        assert busy.state == "busy"
        assert busy.holder is not None
        assert await slow.holding(slack(1), DAY)
        assert ("alive but silent since" in caplog.text) is said
    assert slow.owner in caplog.text and "if that process is hung, stop it" in caplog.text
    assert await slow.renew(slack(1), DAY, NOW + timedelta(hours=5))  # its next renewal still finds it its own
    await slow.close()
    assert (await other.claim(slack(1), DAY, NOW + timedelta(hours=5, seconds=1))).state == "resume"


async def test_a_holder_whose_lock_cant_be_seen_loses_the_digest_for_good_with_its_lease(ledgers: Ledgers) -> None:
    """An owner whose lock can't be probed (here one recorded by a paperboy before holds) is ended by its
    lease. Its lock, let go later, does not make the one that took over look dead: each lock is its owner's."""
    unseen, taker, third = ledgers("oldhost:4242:abcdef"), ledgers(), ledgers()
    await unseen.claim(slack(1), DAY, NOW)
    assert (await taker.claim(slack(1), DAY, NOW + timedelta(minutes=3))).state == "resume"
    assert (await third.claim(slack(1), DAY, NOW + timedelta(minutes=3))).state == "busy"
    await unseen.close()
    assert (await third.claim(slack(1), DAY, NOW + timedelta(minutes=3, seconds=1))).state == "busy"
    assert not await unseen.renew(slack(1), DAY, NOW + timedelta(minutes=3, seconds=1))
    await taker.close()
    assert (await third.claim(slack(1), DAY, NOW + timedelta(minutes=3, seconds=2))).state == "resume"


async def test_a_claim_recorded_by_a_paperboy_without_holds_waits_for_its_lease(ledgers: Ledgers) -> None:
    older = ledgers("oldhost:4242:abcdef")  # an owner as paperboy wrote them before holds: no lock to probe
    await older.claim(slack(1), DAY, NOW)
    await older.close()
    other = ledgers()
    assert (await other.claim(slack(1), DAY, NOW + timedelta(minutes=1))).state == "busy"
    assert (await other.claim(slack(1), DAY, NOW + timedelta(minutes=3))).state == "resume"


async def test_a_digest_is_begun_when_first_claimed_and_a_takeover_keeps_that(ledgers: Ledgers) -> None:
    """What a roundup's "most discussed" counts from: when the channel's last one began."""
    first, second = ledgers(), ledgers()
    assert await first.begun_at(slack(1), DAY) is None
    await first.claim(slack(1), DAY, NOW)
    await first.close()  # died midway: taken over later
    assert (await second.claim(slack(1), DAY, NOW + timedelta(minutes=5))).state == "resume"
    assert await second.begun_at(slack(1), DAY) == NOW


# The holds' own connection is PostgreSQL's (SQLite's lock file is taken without an await): these run on it alone.
ON_POSTGRESQL = pytest.mark.parametrize("store", [BACKENDS[1]], indirect=True)


@ON_POSTGRESQL
async def test_a_claim_cancelled_while_its_holds_connection_is_set_up_leaves_no_connection_open(
    store: PaperStore, ledgers: Ledgers
) -> None:
    """Cancelled between checking the connection out and making it autocommit, the claim gives it back:
    it is no connection the pool has lost and the garbage collector has to close. (psycopg sets autocommit
    without a round trip today: the hook stands for any await there, a driver's or an event's.)"""
    ledger = ledgers()
    setting_up, never = asyncio.Event(), asyncio.Event()

    def options(_conn: Connection, opts: dict[str, Any]) -> None:
        if opts.get("isolation_level") == "AUTOCOMMIT":
            setting_up.set()
            await_only(never.wait())  # the claim waits here until it is cancelled

    event.listen(store.engine.sync_engine, "set_connection_execution_options", options)
    claim = asyncio.create_task(ledger.claim(slack(1), DAY, NOW))
    await setting_up.wait()
    claim.cancel()
    with pytest.raises(asyncio.CancelledError):
        await claim
    event.remove(store.engine.sync_engine, "set_connection_execution_options", options)
    assert isinstance(store.engine.sync_engine.pool, QueuePool)
    assert store.engine.sync_engine.pool.checkedout() == 0
    assert (await ledger.claim(slack(1), DAY, NOW)).state == "new"


@ON_POSTGRESQL
@pytest.mark.parametrize(
    ("cancelled_in", "session_kept"),
    [("tcp_keepalives_idle", False), ("pg_try_advisory_lock", False), ("pg_try_advisory_lock", True)],
    ids=["keepalive", "lock", "lock-session-kept"],
)
async def test_a_claim_cancelled_while_it_takes_its_locks_leaves_none_behind_and_claims_again(
    store: PaperStore, ledgers: Ledgers, cancelled_in: str, session_kept: bool
) -> None:
    """Cancelled while a statement on the holds' connection runs (a sync's other channels cancelled by one
    that failed), the claim holds no lock it does not know of: the digest its row still names it for is
    taken over at once by another process. And the ledger's next claim is answered: the connection
    SQLAlchemy gave up on (it takes a cancelled statement for a disconnect) is let go, not used again.
    `session_kept`: SQLAlchemy told not to (a `handle_error` hook), the session, and the lock the
    cancelled statement took on it, would outlive the claim."""
    ledger, other = ledgers(), ledgers()
    assert (await ledger.claim(slack(1), DAY, NOW)).state == "new"
    await ledger.release([(slack(1), DAY)])  # its row names it still: a delivery cut short, say
    armed = True

    def statement(_conn: Connection, _cursor: Any, sql: str, *_: Any) -> None:
        nonlocal armed
        if armed and cancelled_in in sql:
            armed = False
            task = asyncio.current_task()
            assert task is not None
            task.cancel()  # lands once the statement is sent: the server takes the lock all the same

    def kept(context: ExceptionContext) -> None:
        context.is_disconnect = False

    event.listen(store.engine.sync_engine, "before_cursor_execute", statement)
    if session_kept:
        event.listen(store.engine.sync_engine, "handle_error", kept)
    later = NOW + timedelta(seconds=30)
    with pytest.raises(asyncio.CancelledError):
        await asyncio.create_task(ledger.claim(slack(1), DAY, later))
    event.remove(store.engine.sync_engine, "before_cursor_execute", statement)
    if session_kept:
        event.remove(store.engine.sync_engine, "handle_error", kept)
    assert not armed
    assert (await other.claim(slack(1), DAY, later)).state == "resume"
    assert (await ledger.claim(slack(2), DAY, later)).state == "new"


async def test_a_process_whose_claim_was_taken_over_neither_fails_nor_finishes_the_digest(ledgers: Ledgers) -> None:
    """Its hold lost mid-post (a PostgreSQL session dropped), a process whose digest another took over marked it
    failed, which anyone may claim at once: a third process then posted the cards the taker was posting."""
    a, b = ledgers("a"), ledgers("b", lease=timedelta(0))
    assert (await b.claim(slack(1), DAY, NOW)).ours
    await b.release([(slack(1), DAY)])  # b's hold gone, its lease out: a takes the digest over
    assert (await a.claim(slack(1), DAY, NOW + timedelta(minutes=1))).ours
    await b.fail(slack(1), DAY, "Slack said 500", NOW)
    await b.finish(slack(1), DAY, 3, NOW)
    assert await a.status(slack(1), DAY) == "claimed"
    await a.finish(slack(1), DAY, 3, NOW)
    assert await a.status(slack(1), DAY) == "done"


async def test_when_a_paper_was_last_shared_in_a_channel(store: PaperStore) -> None:
    """A Share's card in this channel and workspace, after `since`: its time; a digest's card, another
    channel's or workspace's, or one before `since`: none."""
    ledger = Ledger(store.engine)
    here = ChannelRef("slack", "C1", "T1")
    paper = "2606.00001"
    for n, (channel, origin, workspace, at) in enumerate(
        [
            ("C1", "share", "T1", NOW - timedelta(hours=2)),
            ("C1", "share", "T1", NOW - timedelta(minutes=10)),
            ("C1", "digest", "T1", NOW),
            ("C2", "share", "T1", NOW),
            ("C1", "share", "T2", NOW),
        ]
    ):
        root = MessageRef(channel, f"{n}.1", f"{n}.1")
        await ledger.record_thread("slack", root, paper, origin, at, workspace=workspace)
    assert await ledger.shared_since(here, paper, NOW - timedelta(hours=3)) == NOW - timedelta(minutes=10)
    assert await ledger.shared_since(here, paper, NOW - timedelta(minutes=10)) == NOW - timedelta(minutes=10)
    assert await ledger.shared_since(here, paper, NOW - timedelta(minutes=9)) is None
    assert await ledger.shared_since(here, "2606.00002", NOW - timedelta(hours=3)) is None
