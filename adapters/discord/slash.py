"""The `/papers` app-command group: each command's options read as the chat command they stand for (the
same rules as Slack's typed text), answered by the bot."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from adapters.discord.follows import add_follow_commands
from bot.chat.commands import (
    MOST_PAPERS,
    Command,
    Help,
    Preview,
    Settings,
    Today,
    Unknown,
    Unsubscribe,
    comma_parts,
    days_option,
    on_day,
    paper_option,
    parse_subscribe,
    search_option,
    time_option,
)
from bot.domain.errors import UsageError
from bot.domain.zones import ABBREVIATIONS, zone_meant

if TYPE_CHECKING:
    from adapters.discord.app import PaperBot


def papers_group(bot: PaperBot) -> app_commands.Group:
    group = app_commands.Group(name="papers", description="Hugging Face Daily Papers: today, search, digests")

    @group.command(name="today", description="Today's trending papers")
    @app_commands.describe(
        top=f"How many papers (1-{MOST_PAPERS}; default: the digest's number)",
        date="Another listing day: 2026-08-20, or yesterday (default: the latest with papers)",
    )
    async def today(
        interaction: discord.Interaction,
        top: app_commands.Range[int, 1, MOST_PAPERS] | None = None,
        date: app_commands.Range[str, 1, 100] | None = None,  # "Wednesday 3 June 2026", a day's link (were past 20)
    ) -> None:
        asked = on_day(date or "", f"date:{date}")
        await bot.answer(interaction, replace(asked, limit=top) if isinstance(asked, Today) else asked)

    @group.command(name="search", description="Search the papers")
    @app_commands.describe(topic="What to look for, in plain words")
    async def search(interaction: discord.Interaction, topic: str) -> None:
        blank = Unknown("search", "`topic:` needs words to look for, such as `topic:speculative decoding`.")
        await bot.answer(interaction, search_option(topic) if topic.strip() else blank)  # a paper's id: that paper

    @group.command(name="paper", description="One paper by arXiv id or link")
    @app_commands.rename(paper_id="id")
    @app_commands.describe(paper_id="An arXiv id (2406.12345) or an arXiv or Hugging Face link")
    async def paper(interaction: discord.Interaction, paper_id: str) -> None:
        await bot.answer(interaction, paper_option("paper", paper_id))  # `2406.12345.`, `arXiv:2406.12345v2,`

    @group.command(name="subscribe", description="A daily digest or weekly roundup here (needs Manage Channels)")
    @app_commands.describe(
        topics="Topics, separated by commas (default: all papers)",
        time="HH:MM, 24-hour (default 09:00)",
        timezone="An IANA time zone such as Europe/Berlin (default UTC)",
        top="How many papers (1-50)",
        cadence="A daily digest, or a weekly roundup of the week's papers (default: as now, else daily)",
        day="A weekly roundup's day (default Friday)",
        days="The days a daily digest comes, such as mon-fri, mon,wed,fri or daily (default mon-fri)",
    )
    @app_commands.choices(cadence=CADENCES, day=WEEKDAYS)
    async def subscribe(
        interaction: discord.Interaction,
        topics: str | None = None,
        time: str | None = None,
        timezone: str | None = None,
        top: app_commands.Range[int, 1, 50] | None = None,
        cadence: app_commands.Choice[str] | None = None,
        day: app_commands.Choice[str] | None = None,
        days: str | None = None,
    ) -> None:
        chosen = (cadence.value if cadence else None, day.value if day else None)
        given = (topics, time, timezone, top, days, *chosen)
        bare = all(option is None for option in given)
        began = asyncio.get_running_loop().time()  # the check and the form's own share one budget of the 3 s
        try:
            may = bool(interaction.permissions.manage_channels)  # else the form's opener says who may
            opens = bot.open_form is not None and bare
            if opens and may:  # (a slow store: the command's answer, deferred, rather than a modal too late)
                opens = await asyncio.wait_for(bot.unreachable(interaction), CHECK_SECONDS) is None
        except Exception:  # the store failing or slow, before any answer: `answer` below says so, deferred first
            opens = False
        if opens and bot.open_form is not None:
            await bot.open_form(interaction, began)  # a bare `/papers subscribe` opens the form
            return
        await bot.answer(interaction, subscribe_command(topics, time, timezone, top, *chosen, days=days))

    @group.command(name="unsubscribe", description="Stop this channel's daily digest (needs Manage Channels)")
    async def unsubscribe(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Unsubscribe())

    @group.command(name="settings", description="This channel's daily digest and when the next one comes")
    async def settings(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Settings())

    @group.command(name="preview", description="What this channel's digest would show now (nothing is posted)")
    async def preview(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Preview())

    @group.command(name="help", description="How to use paperboy")
    async def help_(interaction: discord.Interaction) -> None:
        await bot.answer(interaction, Help())

    add_follow_commands(group, bot)
    return group


CHECK_SECONDS = 1.0  # of the interaction's 3 s, what the check before a bare subscribe's form may take
CADENCES = [
    app_commands.Choice(name="daily digest", value="daily"),
    app_commands.Choice(name="weekly roundup", value="weekly"),
]
WEEKDAYS = [
    app_commands.Choice(name=name, value=name[:3].lower())
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def _quoted(value: str) -> str:
    return "“" + value.replace("”", "'").replace("“", "'").replace('"', "'") + "”"


def subscribe_command(
    topics: str | None,
    time: str | None,
    timezone: str | None,
    top: int | None,
    cadence: str | None = None,
    day: str | None = None,
    *,
    days: str | None = None,
) -> Command:
    """Discord's options, checked by the same rules as Slack's `subscribe` text. Each value is quoted,
    so a topic that reads like an option ("diffusion tz Europe") stays a topic."""
    listed = [" ".join(t.split()) for t in comma_parts(topics or "")]  # "graph neural networks, GNN" is one
    if topics is not None and not any(listed):  # `topics:",,, ,"` subscribed to every paper, unsaid (QA s77)
        blank = "`topics:` names no topic: give one or more, or leave it out for every paper."
        return Unknown(f"subscribe topics:{topics}"[:200], blank)
    *_, last = (time or "").split() or [""]
    zone = ABBREVIATIONS[last.lower()][1] if last.lower() in ABBREVIATIONS else zone_meant(last)
    if time and last != time.strip() and zone:  # `time:09:00 UTC` was "not a time of day"
        moved = f"`time:{time.strip()[: -len(last)].strip()} timezone:{zone}`"
        return Unknown(f"subscribe time:{time}"[:200], f"The zone goes in its own option: {moved}.")
    words = [cadence or "", ", ".join(_quoted(t) for t in listed if t)]
    if day:
        words += ["on", day]
    if time:
        words += ["at", _quoted(time_option(time))]  # `9:00 pm`
    if timezone:
        words += ["tz", _quoted(timezone)]
    if top:
        words += ["top", str(top)]
    try:
        if days:
            words += ["days", _quoted(days_option(days))]  # `mon wed fri`, `Mon to Fri`: one option's value
        return parse_subscribe(" ".join(w for w in words if w))
    except UsageError as exc:  # what they gave, as Discord shows it (not as Slack's typed text would read)
        given = {"topics": topics, "time": time, "timezone": timezone, "top": top}
        given |= {"cadence": cadence, "day": day, "days": days}
        options = [f"{name}:{value}" for name, value in given.items() if value]
        # the example in Discord's option, not Slack's typed `at 21:00`
        return Unknown(" ".join(["subscribe", *options]), str(exc).replace("`at 21:00`", "`time:21:00`"))
