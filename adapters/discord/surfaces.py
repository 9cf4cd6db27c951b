"""Discord's native surfaces: the *Paper card* message command, the subscribe form, and autocomplete.

`install` adds them to a PaperBot before it syncs its commands: the message command (type 3),
suggestions on `/papers search topic:` and `/papers paper id:` (answered from memory, within Discord's
3 s, never deferred), and the modal that a bare `/papers subscribe` opens.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from adapters.discord.app import PaperBot, asker_of, may_post
from adapters.discord.community import card_buttons
from adapters.discord.render import CONTENT, Message, clean, cut, post_message, prose
from bot.chat.replies import replied
from bot.chat.service import channel_meant
from bot.surfaces.forms import FormErrors, SubscribeForm, read_form
from bot.surfaces.service import Surfaces

if TYPE_CHECKING:
    from bot.surfaces.suggest import Suggestion

PAPER_CARD = "Paper card"
MODAL_TITLE = {  # Discord: at most 45 characters
    "daily": "Daily digest for this channel",
    "weekly": "Weekly roundup for this channel",
}
WEEKLY = {  # the fields a weekly roundup's form words otherwise: (label, placeholder)
    "days": ("Day (one)", "fri (the roundup's day of the week)"),
    "limit": ("Papers in each roundup (1-50)", "5"),
}
LABELS = {  # field → (label ≤ 45, placeholder ≤ 100, longest value)
    "topics": ("Topics (separated by commas)", "diffusion, robotics (empty: keep the current ones)", 4000),
    "time": ("Time of day (HH:MM, 24-hour)", "09:00", 5),
    "timezone": ("Time zone (IANA)", "Europe/Berlin", 64),
    "days": ("Days", "mon-fri, daily, weekends or mon,wed,fri", 40),
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

    async def open_form(interaction: discord.Interaction) -> None:
        await _open_form(surfaces, interaction)

    bot.open_form = open_form
    surfaces.suggestions.warm()


def choices(found: list[Suggestion]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=s.name, value=s.value) for s in found[:25]]


def _paper_card(surfaces: Surfaces) -> Callable[[discord.Interaction, discord.Message], Coroutine[Any, Any, None]]:
    async def paper_card(interaction: discord.Interaction, message: discord.Message) -> None:
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException:
            return  # answered already, by another replica's gateway session

        async def cards() -> Message:
            return post_message(await surfaces.links.post(linked_text(message)), share=may_post(interaction))

        shown = await replied(cards(), f"Paper card on message {message.id}", _said)
        await interaction.followup.send(
            content=shown.content or discord.utils.MISSING,
            embeds=shown.embeds,
            view=card_buttons(shown),
            ephemeral=True,
        )

    return paper_card


def _said(line: str) -> Message:
    return Message(content=clean(line))


def linked_text(message: discord.Message) -> str:
    """A message's text and its embeds' links and text (a card posted by a bot has its link there)."""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.url or "", embed.description or "", *(f.value or "" for f in embed.fields)]
    return "\n".join(p for p in parts if p)


async def _open_form(surfaces: Surfaces, interaction: discord.Interaction) -> None:
    """The modal (it must be the first answer: no defer before it), or the core's refusal."""

    async def decided() -> SubscribeModal | Message:
        asker = await channel_meant(surfaces.subscriptions, asker_of(interaction))  # as the typed command's
        refused = await surfaces.refusal(asker)
        if refused is not None:
            return post_message(refused)
        return SubscribeModal(surfaces, await surfaces.form(asker.channel))

    shown = await replied(decided(), f"opening the subscribe form in {interaction.channel_id}", _said)
    if isinstance(shown, SubscribeModal):
        await interaction.response.send_modal(shown)
        return
    await interaction.response.send_message(content=shown.content, embeds=shown.embeds, ephemeral=True)


class FixTheForm(discord.ui.View):
    """A button under a form's mistakes that opens the form again, filled in with what was typed (Discord
    closes a form when it is submitted: without it, everything typed would be lost)."""

    def __init__(self, surfaces: Surfaces, form: SubscribeForm) -> None:
        super().__init__(timeout=FIX_SECONDS)
        self._surfaces = surfaces
        self._form = form

    @discord.ui.button(label="Fix the form", style=discord.ButtonStyle.primary)
    async def fix(self, interaction: discord.Interaction, _button: discord.ui.Button[FixTheForm]) -> None:
        await interaction.response.send_modal(SubscribeModal(self._surfaces, self._form))


FIX_SECONDS = 900.0  # how long the button under a form's mistakes reopens it (then: `/papers subscribe` again)


class SubscribeModal(discord.ui.Modal):
    """The subscribe form: five text inputs, read by the typed command's parser; saved through the same path."""

    def __init__(self, surfaces: Surfaces, form: SubscribeForm) -> None:
        # No time limit of ours: Discord takes a submission as long as the form is open (a limit of 15
        # minutes left a slow filler with "This interaction failed" and nothing saved).
        super().__init__(title=MODAL_TITLE[form.cadence], timeout=None)
        self._surfaces = surfaces
        self._cadence = form.cadence
        self._inputs: dict[str, discord.ui.TextInput[SubscribeModal]] = {}
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
            self._inputs[name] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        form = SubscribeForm(**{name: field.value or "" for name, field in self._inputs.items()}, cadence=self._cadence)
        try:
            command = read_form(form)
        except FormErrors as exc:
            labels = {**LABELS, **WEEKLY} if self._cadence == "weekly" else LABELS  # as the fields are labelled
            lines = [f"**{labels[name][0]}**: {prose(message)}" for name, message in exc.errors.items()]
            await interaction.response.send_message(
                content=cut("Nothing was saved; please fix:\n" + "\n".join(lines), CONTENT),
                view=FixTheForm(self._surfaces, form),
                ephemeral=True,
            )
            return
        client = interaction.client
        assert isinstance(client, PaperBot)
        await client.answer(interaction, command)  # what the typed `/papers subscribe …` does from here
