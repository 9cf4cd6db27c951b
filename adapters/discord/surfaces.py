"""Discord's native surfaces: the *Paper card* message command, the subscribe form, and autocomplete.

`install` adds them to a PaperBot before it syncs its commands: the message command (type 3),
suggestions on `/papers search topic:` and `/papers paper id:` (answered from memory, within Discord's
3 s, never deferred), and the modal that a bare `/papers subscribe` opens.

The form holds nothing in memory: its submission (and the *Fix the form* button under its mistakes,
whose message shows what was typed) carries all it needs, so whichever process Discord hands it to
answers it, the one that opened it or one started since (a restart, a deploy).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from adapters.discord.app import PaperBot
from adapters.discord.interactions import asker_of, first_response, follow_ups, may_post
from adapters.discord.render import CONTENT, Message, clean, cut, post_message, post_messages, prose
from bot.chat.replies import replied
from bot.chat.service import channel_meant
from bot.surfaces.forms import FormErrors, SubscribeForm, read_form
from bot.surfaces.service import Surfaces

if TYPE_CHECKING:
    from bot.surfaces.suggest import Suggestion

PAPER_CARD = "Paper card"
OPEN_SECONDS = 2.0  # of the interaction's 3 s, what deciding to open the form may take
TYPED_SUBSCRIBE = "/papers subscribe topics:diffusion time:09:00"
MODAL_TITLE = {  # Discord: at most 45 characters
    "daily": "Daily digest for this channel",
    "weekly": "Weekly roundup for this channel",
}
WEEKLY = {  # the fields a weekly roundup's form words otherwise: (label, placeholder)
    "days": ("Day (one)", "fri (the roundup's day of the week)"),
    "limit": ("Papers in each roundup (1-50)", "5"),
}
FORM = "paperboy:form:"  # + the cadence: the subscribe form's custom_id
FIX = "paperboy:fix-form:"  # + the cadence: the button under its mistakes
TYPED = "What you typed"  # the title of the embed that carries a refused form's values to its Fix button
LABELS = {  # field → (label ≤ 45, placeholder ≤ 100, longest value)
    # (QA s77: "empty: keep the current ones; all papers" said both; "9:00 pm" did not fit in 5 characters)
    "topics": ("Topics (separated by commas)", "diffusion, robotics (empty: as now; all papers: every one)", 4000),
    "time": ("Time of day (09:00, or 9:00 pm)", "09:00", 8),
    "timezone": ("Time zone (IANA)", "Europe/Berlin", 64),
    "days": ("Days", "mon-fri, daily or mon,wed,fri", 40),
    "limit": ("Papers in each digest (1-50)", "5", 3),
}


def install(bot: PaperBot, surfaces: Surfaces) -> None:
    """Add the surfaces to `bot` (before it logs in: they are part of the commands it registers)."""
    bot.tree.add_command(app_commands.ContextMenu(name=PAPER_CARD, callback=_paper_card(surfaces)))
    group = bot.tree.get_command("papers")
    assert isinstance(group, app_commands.Group)
    search, paper = group.get_command("search"), group.get_command("paper")
    assert isinstance(search, app_commands.Command)
    assert isinstance(paper, app_commands.Command)

    async def topics(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return choices(await surfaces.suggestions.topics(current))

    async def titles(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return choices(await surfaces.suggestions.titles(current))

    search.autocomplete("topic")(topics)
    paper.autocomplete("paper_id")(titles)

    async def open_form(interaction: discord.Interaction, began: float) -> None:
        await _open_form(surfaces, interaction, began)

    bot.open_form = open_form
    bot.forms = form_interaction
    surfaces.suggestions.warm()


def choices(found: list[Suggestion]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=s.name, value=s.value) for s in found[:25]]


def _paper_card(surfaces: Surfaces) -> Callable[[discord.Interaction, discord.Message], Coroutine[Any, Any, None]]:
    async def paper_card(interaction: discord.Interaction, message: discord.Message) -> None:
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException:
            return  # answered already, by another replica's gateway session

        async def cards() -> list[Message]:  # ten cards of long papers outgrow one message's embeds
            return post_messages(await surfaces.links.post(linked_text(message)), share=may_post(interaction))

        await follow_ups(interaction, PAPER_CARD, await replied(cards(), f"Paper card on message {message.id}", _said))

    return paper_card


def _said_once(line: str) -> Message:
    return Message(content=clean(line))


def _said(line: str) -> list[Message]:
    return [_said_once(line)]


def linked_text(message: discord.Message) -> str:
    """A message's text and its embeds' links and text (a card posted by a bot has its link there), and
    those of the messages it forwards (a forward's own text is empty: what people see is its snapshot)."""
    parts = []
    shown_ones: list[discord.Message | discord.MessageSnapshot] = [message, *message.message_snapshots]
    for shown in shown_ones:
        parts.append(shown.content)
        for embed in shown.embeds:
            parts += [embed.url or "", embed.description or "", *(f.value or "" for f in embed.fields)]
    return "\n".join(p for p in parts if p)


async def _open_form(surfaces: Surfaces, interaction: discord.Interaction, began: float) -> None:
    """The modal (it must be the first answer: no defer before it), or the core's refusal, within
    `OPEN_SECONDS` of `began` (the loop's time when the command came: the checks before this one took
    their share of the same budget)."""

    async def decided() -> SubscribeModal | Message:
        asker = await channel_meant(surfaces.subscriptions, asker_of(interaction))  # as the typed command's
        refused = await surfaces.refusal(asker)
        if refused is not None:
            return post_message(refused)
        return SubscribeModal(await surfaces.form(asker.channel))

    late = _said_once(f"The form could not open in time. Type it instead: {TYPED_SUBSCRIBE}")
    left = OPEN_SECONDS - (asyncio.get_running_loop().time() - began)
    try:  # a modal is the first answer, within Discord's 3 s: the store slow or locked failed the interaction
        shown = (
            await asyncio.wait_for(
                replied(decided(), f"opening the subscribe form in {interaction.channel_id}", _said_once), left
            )
            if left > 0
            else late  # the check before took it all
        )
    except TimeoutError:
        shown = late
    if isinstance(shown, SubscribeModal):
        await _send(interaction, shown)
        return
    await first_response(interaction.response.send_message(content=shown.content, embeds=shown.embeds, ephemeral=True))


async def _send(interaction: discord.Interaction, modal: SubscribeModal) -> None:
    """Open the form, and let discord.py forget it: its submission is answered from what it carries
    (`form_interaction`), by whichever process gets it."""
    await first_response(interaction.response.send_modal(modal))
    modal.stop()


async def form_interaction(interaction: discord.Interaction) -> bool:
    """A form submitted, or a Fix button under its mistakes clicked: answered (True); else False."""
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.modal_submit and custom_id.startswith(FORM):
        await _submitted(interaction, submitted(data, custom_id.removeprefix(FORM)))
        return True
    if interaction.type is discord.InteractionType.component and custom_id.startswith(FIX):
        typed = typed_form(interaction.message, custom_id.removeprefix(FIX))
        await _send(interaction, SubscribeModal(typed))
        return True
    return False


def _cadence(named: str) -> str:
    return named if named in MODAL_TITLE else "daily"


def _labels(cadence: str) -> dict[str, str]:
    """Each field's label, as the form of this cadence shows it."""
    weekly = cadence == "weekly"
    return {name: (WEEKLY[name][0] if weekly and name in WEEKLY else label) for name, (label, _, _) in LABELS.items()}


def submitted(data: dict[str, Any], cadence: str) -> SubscribeForm:
    """The form's values from a submission's components: rows of text inputs (or labels holding one)."""
    values: dict[str, str] = {}
    for row in data.get("components") or []:
        for item in (row.get("components") or [row.get("component") or {}]) if isinstance(row, dict) else []:
            if isinstance(item, dict) and item.get("custom_id") in LABELS:
                values[str(item["custom_id"])] = str(item.get("value") or "")
    return SubscribeForm(**values, cadence=_cadence(cadence))


def typed_embed(form: SubscribeForm) -> discord.Embed:
    """What was typed, shown under a refused form and read back by its Fix button (`typed_form`): the
    topics as the description, each other field filled in as a field named by its label."""
    embed = discord.Embed(title=TYPED, description=form.topics.strip() or None)
    for name, label in _labels(form.cadence).items():  # (a field of blanks alone: Discord long refused it)
        if name != "topics" and (value := str(getattr(form, name)).strip()):
            embed.add_field(name=label, value=value, inline=True)
    return embed


def typed_form(message: discord.Message | None, cadence: str) -> SubscribeForm:
    """The form as typed, read from the refusal's `typed_embed` (empty fields where it holds none)."""
    embed = next((e for e in (message.embeds if message else []) if e.title == TYPED), None)
    if embed is None:
        return SubscribeForm(cadence=_cadence(cadence))
    by_label = {label: name for name, label in _labels(cadence).items()}
    values = {by_label[f.name]: f.value or "" for f in embed.fields if f.name in by_label}
    return SubscribeForm(topics=embed.description or "", **values, cadence=_cadence(cadence))


async def _submitted(interaction: discord.Interaction, form: SubscribeForm) -> None:
    """The form read by the typed command's parser; saved through the same path, or its mistakes named
    under a button that opens it again as typed (Discord closes a form when it is submitted)."""
    try:
        command = read_form(form)
    except FormErrors as exc:
        labels = _labels(form.cadence)
        lines = [f"**{labels[name]}**: {prose(message)}" for name, message in exc.errors.items()]
        fix = discord.ui.View(timeout=None)
        fix.add_item(
            discord.ui.Button(label="Fix the form", style=discord.ButtonStyle.primary, custom_id=FIX + form.cadence)
        )
        await first_response(
            interaction.response.send_message(
                content=cut("Nothing was saved; please fix:\n" + "\n".join(lines), CONTENT),
                embed=typed_embed(form),
                view=fix,
                ephemeral=True,
            )
        )
        fix.stop()  # the click is answered from the message (`form_interaction`), not from memory
        return
    client = interaction.client
    assert isinstance(client, PaperBot)
    await client.answer(interaction, command)  # what the typed `/papers subscribe …` does from here


class SubscribeModal(discord.ui.Modal):
    """The subscribe form: five text inputs, named by their custom_ids, under a custom_id that says its
    cadence; its submission is read by `submitted`."""

    def __init__(self, form: SubscribeForm) -> None:
        # No time limit of ours: Discord takes a submission as long as the form is open (a limit of 15
        # minutes left a slow filler with "This interaction failed" and nothing saved).
        super().__init__(title=MODAL_TITLE[form.cadence], timeout=None, custom_id=FORM + form.cadence)
        for name, (label, placeholder, longest) in LABELS.items():
            if form.weekly:
                label, placeholder = WEEKLY.get(name, (label, placeholder))
            field: discord.ui.TextInput[SubscribeModal] = discord.ui.TextInput(
                label=label,
                custom_id=name,
                placeholder=placeholder,
                default=getattr(form, name)[:longest] or None,
                required=False,
                max_length=longest,
                style=discord.TextStyle.paragraph if name == "topics" else discord.TextStyle.short,
            )
            self.add_item(field)
