"""`paperboy subscriptions`: every channel's digest or roundup and every person's follow digest, as the
store holds them, with the config file's entries `paperboy run` has not saved yet."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.app.cli import running
from bot.app.cli.output import out, print_json
from bot.domain.words import counted

if TYPE_CHECKING:
    from bot.app.bootstrap import Services
    from bot.delivery.subscriptions import Subscription
    from bot.domain.channels import ChannelRef

# Said of a config file's entry the store lacks, or holds otherwise: only `run` saves the file's entries.
UNSAVED = "in the config file, not saved yet: `paperboy run` saves it when it starts"
CHANGED = "changed in the config file since `paperboy run` saved it: it saves this when it starts"
# Said of a config file's subscription the file no longer holds (the file found: `seed` drops it).
GONE = "from the config file, no longer in it: `paperboy run` stops it when it starts"
# Said of a chat subscription an entry naming no workspace takes over (`SubscriptionStore.seed`).
REPLACED = "made in chat; the config file's entry for {} replaces it when `paperboy run` starts"


def register(app: typer.Typer) -> None:
    @app.command()
    def subscriptions(
        json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List every channel's digest and roundup and every person's follow digest: when, what, and why one stopped."""

        async def work(services: Services) -> None:
            from bot.app.bootstrap import absent_config, configured
            from bot.delivery.delivered import days_had
            from bot.delivery.subscriptions import file_changed

            now = datetime.now(UTC)
            stored = await services.subscriptions.all()
            saved = {s.channel: s for s in stored if s.source == "config"}
            filed_all = configured(services.config)
            unnamed = {(f.channel.platform, f.channel.channel): f.channel for f in filed_all if not f.channel.workspace}
            in_file = {f.channel for f in filed_all}
            file_found = absent_config(services.settings) is None  # (none found: `run` keeps what one set up)
            gone = {s.channel for s in stored if s.source == "config" and file_found and s.channel not in in_file}
            listed: list[tuple[Subscription, str | None]] = [(s, None) for s in stored]
            for filed in filed_all:
                was = saved.get(filed.channel)
                if was is None or file_changed(was, filed):
                    listed.append((filed, UNSAVED if was is None else CHANGED))
            described = [
                (s, note, s.describe(now, await days_had(services.ledger, s, now)) if not note else s.describe(now))
                for s, note in listed
            ]
            if json_:
                print_json(
                    [
                        _as_json(s, note, lines, _taker(s, unnamed, in_file), not note and s.channel in gone)
                        for s, note, lines in described
                    ]
                )
                return
            follows = sum(1 for s in stored if s.person)
            said = [f"{counted(len(stored) - follows, 'subscription')}, {counted(follows, 'follow digest')}"]
            changes = [
                f"{n} {what}"
                for n, what in (
                    (sum(1 for _, note in listed if note == UNSAVED), "not saved yet"),
                    (sum(1 for _, note in listed if note == CHANGED), "changed since it saved them"),
                    (len(gone), "no longer in it"),
                )
                if n
            ]
            if changes:
                said[0] += f"; in the config file, {', '.join(changes)}: `paperboy run` takes the file as it starts"
            for s, note, lines in described:
                mark = GONE if not note and s.channel in gone else note
                said += ["", _title(s, mark, _taker(s, unnamed, in_file)), *(f"  {line}" for line in lines)]
            out.print("\n".join(said), markup=False, soft_wrap=True)  # a line a subscription's part, unwrapped

        running.with_services(work, ensure=False)


def _taker(s: Subscription, unnamed: dict[tuple[str, str], ChannelRef], in_file: set[ChannelRef]) -> ChannelRef | None:
    """The config file's entry that takes over this chat subscription's channel at the next `run`, if one
    does: one naming the same channel (it was said of none: QA s77), or it without its workspace
    (one-workspace mode: the channel would otherwise get two digests)."""
    if s.source == "config" or s.person:
        return None
    if s.channel in in_file:
        return s.channel
    return unnamed.get((s.channel.platform, s.channel.channel)) if s.channel.workspace else None


def _title(s: Subscription, note: str | None, taker: ChannelRef | None) -> str:
    """`slack:T0123456/C0123456 · daily digest · made in chat`; a follow names its person."""
    what = s.delivers
    if s.person:
        what = f"{s.person}'s follow digest, in their direct message"
    where = note or ("from the config file" if s.source == "config" else "made in chat")
    if taker is not None:
        where = REPLACED.format(taker)
    return f"{s.channel} · {what} · {where}"


def _as_json(
    s: Subscription, note: str | None, lines: list[str], taker: ChannelRef | None, gone: bool
) -> dict[str, Any]:
    return {
        "channel": str(s.channel),
        "person": s.person,
        "cadence": s.cadence,
        "topics": list(s.topics),
        "time": s.time,
        "timezone": s.timezone,
        "days": s.days,
        "limit": s.limit,
        "min_upvotes": s.min_upvotes,
        "source": s.source,
        "saved": note is None,
        "replaced_by": None if taker is None else str(taker),  # the config file's entry that takes it over
        "leaves_at_start": gone,  # the config file's, no longer in it: the next `paperboy run` drops it
        "stopped": s.status,
        "described": lines,
    }
