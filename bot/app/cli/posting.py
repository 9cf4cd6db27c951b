"""`paperboy post`: a channel's digest (or weekly roundup) delivered now, once."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import days, running
from bot.app.cli.output import err, out
from bot.domain.errors import DayNotStored, UsageError

if TYPE_CHECKING:
    from datetime import date

    from bot.app.bootstrap import Services
    from bot.delivery.subscriptions import Subscription
    from bot.domain.channels import ChannelRef


def register(app: typer.Typer) -> None:
    @app.command("post")
    def post_(
        channel: Annotated[
            str, typer.Option("--channel", metavar="PLATFORM:CHANNEL_ID", help="The channel, such as slack:C0123456.")
        ],
        date_: Annotated[
            str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Listing day (default: the latest).")
        ] = None,
    ) -> None:
        """Deliver a channel's digest now, once: a second call posts nothing and says so."""

        from bot.app.wiring import publishers
        from bot.delivery.digest import DigestOptions, no_listing
        from bot.delivery.digest_delivery import DigestDelivery
        from bot.domain.channels import parse_channel

        # The delivery's own log lines are for `run` ("tried again at the next sweep"); here the outcome is
        # this command's one line.
        logging.getLogger("paperboy.delivery").setLevel(logging.ERROR)

        named = parse_channel(channel)
        day = days.parse_day(date_)
        if day is not None:
            days.not_future(day)

        async def work(services: Services) -> int:
            from bot.roundup.follow import following
            from bot.store.follows import FollowStore

            where = named
            subscription = _in_file(services, where) or await services.subscriptions.get(where)
            follow_days = services.config.digest.follow_days  # as `run`; posted where none subscribed: followed still
            posted = following(FollowStore(services.store.engine), follow_days, regardless=subscription is None)
            if subscription is None:  # before anything is claimed or recorded
                where = await _reachable_workspace(services, where)
                where = await _the_tokens_workspace(services, where, day or await services.store.latest_day())
            if subscription is not None and subscription.cadence == "weekly":
                from bot.domain.weeks import week_name
                from bot.roundup.post import post_roundup, roundup_monday, week_in_store

                week_day = day
                try:
                    await week_in_store(services.catalog, roundup_monday(subscription, day), str(where), days.today())
                except DayNotStored:
                    # no --date, and the store lacks the week a roundup due today covers: the week of the latest
                    # day with papers, as a daily channel gets that day's digest
                    if day is not None or (week_day := await services.store.latest_day()) is None:
                        raise
                    monday = roundup_monday(subscription, week_day)
                    err.print(
                        "paperboy: the store has none of the week a roundup due today covers: posting"
                        f" {week_name(monday)}, the week of the latest day with papers ({week_day:%-d %B %Y});"
                        " `paperboy sync` fetches newer days",
                        markup=False,
                    )
                    await week_in_store(services.catalog, monday, str(where), days.today())
                async with publishers(services, out, where.platform) as found:
                    said, ok = await post_roundup(services, found, subscription, week_day, posted=posted)
                return _outcome(said if ok else for_post(said, _again(subscription.channel, day)), ok)
            defaults = services.config.digest
            options = (
                subscription.options()
                if subscription
                else DigestOptions(topics=defaults.topics, limit=defaults.limit, min_upvotes=defaults.min_upvotes)
            )
            target = day or await services.store.latest_day()
            if target is not None:
                # Before anything is claimed: a day the store lacks, or one with no listing yet, is neither
                # posted nor recorded, so the channel gets it normally once it is there.
                record = await services.catalog.ensure_day(target)
                if not record.listed:
                    if not record.final and record.fetched_at is not None:
                        raise DayNotStored(
                            target,
                            f"Hugging Face has listed no papers for {target.isoformat()} yet (asked at "
                            f"{record.fetched_at:%-d %B %H:%M} UTC): nothing was posted to {where} or recorded; "
                            "run this again once it has",
                        )
                    err.print(
                        f"No papers to post to {where}: {no_listing(record, operator=True)} Nothing was posted.",
                        markup=False,
                    )
                    return 0
            async with publishers(services, out, where.platform) as found:
                delivery = DigestDelivery(
                    services.store, services.search, services.ledger, services.subscriptions, found, posted=posted
                )
                # The subscription's own channel: with its workspace, which `slack:C…` alone does not name.
                channel = subscription.channel if subscription else where
                result = await delivery.deliver(
                    channel,
                    options,
                    target,
                    retry_stopped=True,
                    subscribed=bool(subscription and subscription.ends_in_chat),
                )
            said = result.describe()
            if result.outcome == "failed":
                said = for_post(said, _again(channel, target))
            return _outcome(said, result.ok)

        raise typer.Exit(running.with_services(work))


# What a delivery's failure says of the scheduler's next try, which this command has none of.
_SWEEP = re.compile(
    r"[;:,]? *(?:it is )?(?:tried again at (?:a later|the next) sweep|the delivery is tried again later|"
    r"it is posted at the next sweep)",
)


def _again(channel: ChannelRef, day: date | None) -> str:
    """The `post` that finishes this one."""
    return f"paperboy post --channel {channel}" + (f" --date {day.isoformat()}" if day else "")


def for_post(said: str, again: str) -> str:
    """A failed delivery's line as `post` says it: no sweep comes after this command, and nothing restarts;
    how to finish it instead (run it again: what went out is not posted twice)."""
    said = _SWEEP.sub("", said.replace(" and restart paperboy", "")).rstrip(" .;:")
    return f"{said}. Run `{again}` again to finish it: what went out is not posted twice."


def _outcome(said: str, ok: bool) -> int:
    """A delivery's outcome said on stderr, a failure as every command's error line reads; its exit status."""
    err.print(said if ok else f"paperboy: error: {said}", markup=False)
    return 0 if ok else 1


async def _reachable_workspace(services: Services, where: ChannelRef) -> ChannelRef:
    """Multi-workspace Slack, a channel no subscription names: a UsageError, before anything is recorded,
    when it names no workspace (its token cannot be known; where one workspace alone has installed
    paperboy, the channel is that one's) or one that has not installed paperboy (a typo recorded a
    stopped digest under no workspace, which `forget` could never reach)."""
    if where.platform != "slack" or not services.settings.slack_client_id:
        return where
    from bot.domain.channels import ChannelRef
    from bot.store.workspaces import installed

    found = [i for i in await installed(services.store.engine) if i.platform == "slack"]
    if not where.workspace and len(found) == 1:  # ("paperboy serves several", where one had installed it)
        return ChannelRef("slack", where.channel, found[0].workspace)
    if not where.workspace:
        if not found:  # "paperboy serves several here", where none had installed it, was untrue
            raise UsageError(
                f"{where}: no Slack workspace has installed paperboy yet: add it to one from /slack/install (on"
                f" PAPERBOY_PUBLIC_URL), then name the channel as slack:TEAM_ID/{where.channel}; nothing was"
                " posted or recorded"
            )
        raise UsageError(
            f"{where} names no workspace, and paperboy serves several Slack workspaces here: name it, as"
            f" slack:TEAM_ID/{where.channel} (`paperboy workspaces` lists them); nothing was posted or recorded"
        )
    if not any(i.workspace == where.workspace for i in found):
        # An org-wide install keeps its channels under the org's id (E…), not its teams': a team of it, or a
        # typo, recorded a stopped digest under a workspace no install has
        orgs = [f"slack:{i.workspace}/{where.channel}" for i in found if i.org_wide]
        org = f"; an organization's channel is named by the organization's id, as {' or '.join(orgs)}" if orgs else ""
        raise UsageError(
            f"workspace {where.workspace} has not installed paperboy (`paperboy workspaces` lists those that"
            f" have){org}: nothing was posted or recorded"
        )
    return where


async def _the_tokens_workspace(services: Services, where: ChannelRef, day: date | None) -> ChannelRef:
    """One-workspace Slack (one bot token), a channel no subscription names: one channel however it is
    named, `slack:C…` or with the token's workspace, `slack:T…/C…` (each spelling had deliveries of its
    own: the digest was posted again): the spelling that day's digest was recorded under, else the one
    its digests were, else `slack:C…`, as the config file names it. A workspace not the token's is
    refused (Slack posted in the token's anyway, and a typo was recorded as a workspace)."""
    from bot.app.wiring import slack_credentials, slack_team
    from bot.domain.channels import ChannelRef

    if where.platform != "slack" or services.settings.slack_client_id:
        return where  # many workspaces: `_reachable_workspace` checked it
    slack = slack_credentials(services)
    if slack is None or slack.bot_token is None:
        return where
    if where.workspace and (team := await slack_team(slack.bot_token, services.settings.slack_api_url)) not in (
        None,
        where.workspace,
    ):
        raise UsageError(
            f"{where}: {where.workspace} is not the workspace of {slack.bot_token_named} ({team}): name the"
            f" channel as slack:{where.channel} (paperboy serves one workspace here); nothing was posted or recorded"
        )
    spellings = await services.ledger.workspaces_of("slack", where.channel, day) if day else set()
    if not spellings and len(every := await services.ledger.workspaces_of("slack", where.channel)) == 1:
        spellings = every  # (several spellings over the days, none that day: the config's, `slack:C…`)
    return ChannelRef("slack", where.channel, min(spellings, default=""))


def _in_file(services: Services, where: ChannelRef) -> Subscription | None:
    """The config file's subscription of a channel (as `paperboy run` saves it), if the file names it."""
    from bot.app.bootstrap import configured
    from bot.delivery.subscriptions import meant

    same = [
        s
        for s in configured(services.config)
        if (s.channel.platform, s.channel.channel) == (where.platform, where.channel)
    ]
    return meant(where, same)
