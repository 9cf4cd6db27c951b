"""Slack's native surfaces: link cards (`link_shared` → `chat.unfurl`) and the subscribe form (a modal).

`register` must run before the app's own `/papers` listener is added: bolt hands a request to the
first listener that matches, and this one matches only a bare `/papers subscribe`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.errors import error_code
from adapters.slack.home import HomeAgain
from adapters.slack.installations import in_direct_message, workspace_of_body
from adapters.slack.permissions import Managers, PermissionUnknown
from adapters.slack.render import Block, card_blocks, context, escape, linked, mrkdwn, plain, post_message
from adapters.slack.wording import NOT_A_MEMBER
from bot.chat.cadence import KINDS
from bot.chat.channel_digest import saved_a_digest
from bot.chat.commands.typed import plain_text
from bot.chat.replies import replied
from bot.chat.service import Asker
from bot.domain.channels import ChannelRef
from bot.domain.post import Post
from bot.domain.weekdays import parse_days
from bot.domain.zones import zone_choices, zone_label
from bot.surfaces.forms import DAY_NAMES, FormErrors, SubscribeForm, read_form
from bot.surfaces.links import LinkCard

if TYPE_CHECKING:
    from bot.surfaces.service import Surfaces

log = logging.getLogger("paperboy.slack")
FORM = "paperboy_subscribe"  # the modal's callback_id
TITLE_CHARS = 24  # a modal's title, submit and close labels
LABEL_CHARS = 2000
ERROR_CHARS = 2000
OPTION_CHARS = 75
MODAL_BLOCKS = 100
TOPICS_CHARS = 3000  # Slack's most for a text input: ten topics of 200 characters fit
DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CHANNEL_ID = re.compile(r"[A-Z0-9]{2,30}")
TYPED_EXAMPLE = "`/papers subscribe diffusion, robotics at 09:00 tz Europe/Berlin top 5`"


def register(app: AsyncApp, surfaces: Surfaces, managers: Managers, home_again: HomeAgain | None = None) -> None:
    """A bare `/papers subscribe` opens the form, which saves the channel's digest (and, opened from the
    App Home, shows the home again with what was saved); the time-zone menu; link cards."""

    async def bare_subscribe(body: dict[str, Any]) -> bool:
        # as the parser reads it (`subscribe` and a zero-width space subscribed the channel to every paper at once)
        return " ".join(plain_text(str(body.get("text", ""))).split()).lower() == "subscribe"

    @app.command("/papers", matchers=[bare_subscribe])
    async def open_form(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        await ack()  # the trigger_id stays good for 3 s: the form opens right after
        channel = ChannelRef("slack", str(body.get("channel_id", "")), workspace_of_body(body))
        user = str(body.get("user_id", ""))
        direct = in_direct_message(body)

        async def opened() -> tuple[str, list[Block]] | None:
            trigger = str(body.get("trigger_id", ""))
            refused = await open_subscribe_form(client, surfaces, managers, trigger, channel, user, direct=direct)
            return None if refused is None else post_message(refused)

        told = await replied(opened(), f"opening the subscribe form in {channel.channel}", lambda line: (line, []))
        if told is not None:
            text, blocks = told
            await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    @app.options("timezone")
    async def zones(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack(options=zone_options(str(body.get("value", ""))))

    @app.view(FORM)
    async def submitted(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        view: dict[str, Any] = body.get("view") or {}
        meta = _metadata(str(view.get("private_metadata") or ""))
        channel = ChannelRef("slack", meta.get("channel", ""), meta.get("team", ""))
        user = str((body.get("user") or {}).get("id", ""))
        form = form_values(view, cadence=meta.get("cadence", "daily"))

        async def saved() -> dict[str, Any]:
            """The modal's answer: the fields to fix (at once, before Slack is asked anything: the answer
            must come within 3 s), or the core's word on what was saved. When Slack is slow or will not
            say who may change the channel, the form stays open with what was typed, saying so."""
            try:
                command = read_form(form)
            except FormErrors as exc:
                return _field_errors(exc.errors)
            try:
                allowed = await asyncio.wait_for(
                    managers.may_subscribe(client, user, channel.channel, workspace=channel.workspace), ASK_SECONDS
                )
            except TimeoutError:
                return _field_errors({"topics": "Slack was slow to say who may change this channel: press Save again"})
            except PermissionUnknown as exc:
                return _field_errors({"topics": str(exc)})
            post = await surfaces.answer(command, Asker(channel, user, can_manage=allowed))
            if saved_a_digest(post) and managers.outside(channel.channel):  # as typed
                post = replace(post, text=(*post.text, NOT_A_MEMBER))
            return {"response_action": "update", "view": result_view(post, form)}

        def refused(line: str) -> dict[str, Any]:
            return {"response_action": "update", "view": result_view(Post(header="paperboy", text=(line,)), form)}

        answer = await replied(saved(), f"the subscribe form for {channel.channel}", refused)
        await ack(**answer)
        if meta.get("home") and home_again is not None and answer.get("response_action") == "update":
            await home_again(client, channel.workspace, user)  # its settings, as saved

    @app.event("link_shared")
    async def unfurl(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if not await surfaces.new_event("slack", str(body.get("event_id") or "")):
            return  # Slack's retry of an event unfurled already (its first answer was slow): one unfurl
        urls = [str(link.get("url", "")) for link in event.get("links") or [] if isinstance(link, dict)]
        every = await surfaces.links.for_urls(urls)
        found = unfurlable(every)
        if not found:
            return
        unfurls = {f.url: {"blocks": unfurl_blocks(f)} for f in found}
        where: dict[str, Any] = (
            {"unfurl_id": event["unfurl_id"], "source": event.get("source", "composer")}
            if event.get("unfurl_id")
            else {"channel": event.get("channel"), "ts": event.get("message_ts")}
        )
        try:
            await client.chat_unfurl(unfurls=unfurls, **where)
        except SlackApiError as exc:
            code = error_code(exc)
            log.warning("chat.unfurl of %d link(s) failed: %s", len(unfurls), code)
            return
        if posted(event):  # a composer's preview is no message yet: nothing to vote on
            channel = ChannelRef("slack", str(event.get("channel") or ""), workspace_of_body(body))
            # every link, the ones left without a card too: a message linking two papers names neither
            await surfaces.unfurled(channel, str(event.get("message_ts") or ""), every)


def posted(event: dict[str, Any]) -> bool:
    """Whether a `link_shared` is of a posted message: newer payloads carry an `unfurl_id` for those too
    (`source` "conversations_history", beside the channel and the message's ts); only a preview in someone's
    composer (`source` "composer", channel "COMPOSER") is no message yet."""
    return event.get("source") != "composer" and event.get("channel") != "COMPOSER" and bool(event.get("message_ts"))


ASK_SECONDS = 2.0  # of Slack's 3 s for a form's answer, what asking Slack who may change a channel may take
OPEN_SECONDS = 2.0  # of a trigger_id's 3 s, what the checks before the form opens may take


def _field_errors(errors: dict[str, str]) -> dict[str, Any]:
    """The form kept open, with what was typed, and a line under each field named."""
    return {"response_action": "errors", "errors": {k: plain(v, ERROR_CHARS) for k, v in errors.items()}}


async def open_subscribe_form(
    client: AsyncWebClient,
    surfaces: Surfaces,
    managers: Managers,
    trigger_id: str,
    channel: ChannelRef,
    user: str,
    *,
    direct: bool = False,
    from_home: bool = False,
) -> Post | None:
    """Open the subscribe form of `channel` for `user` (a bare `/papers subscribe`, or a Settings button
    in the App Home): None once it is open, else what to tell them instead (the core's refusal, or
    Slack's)."""

    async def checked() -> Post | dict[str, Any]:  # not opened where a digest could never arrive
        allowed = direct or await managers.may_subscribe(client, user, channel.channel, workspace=channel.workspace)
        refused = await surfaces.refusal(Asker(channel, user, direct=direct, can_manage=allowed))
        return refused if refused is not None else form_view(await surfaces.form(channel), channel, from_home=from_home)

    try:  # a slow Slack (a 429 waited out) opened the form after its trigger had expired, in Slack's words
        view = await asyncio.wait_for(checked(), OPEN_SECONDS)
    except TimeoutError:
        return Post(header="paperboy", text=(f"The form could not open in time. Type it instead: {TYPED_EXAMPLE}",))
    if isinstance(view, Post):
        return view
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        code = error_code(exc)
        log.warning("views.open failed: %s", code)
        late = " in time" if code == "expired_trigger_id" else ""  # Slack's code is the log's
        return Post(header="paperboy", text=(f"Slack would not open the form{late}. Type it instead: {TYPED_EXAMPLE}",))
    return None


def unfurlable(found: list[LinkCard]) -> list[LinkCard]:
    """The links to unfurl: a card, or a note that stays true (not in the store, no such paper); a note of a
    fault that may pass ("could not be fetched just now") would stay under the message for good."""
    return [f for f in found if f.card is not None or not f.passing]


def unfurl_blocks(found: LinkCard) -> list[Block]:
    """A link's card as Slack shows it under the message (no Share button: the message is already public)."""
    if found.card is not None:
        return card_blocks(found.card)
    return [mrkdwn(escape(found.note)), context(linked(found.url, escape(found.paper_id)))]


def _text(text: str, limit: int = TITLE_CHARS) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, limit)}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _text(label, OPTION_CHARS), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool, hint: str | None = None) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": _text(label, LABEL_CHARS),
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = _text(hint, LABEL_CHARS)
    return block


def form_view(form: SubscribeForm, channel: ChannelRef, *, from_home: bool = False) -> dict[str, Any]:
    """The subscribe modal, filled in with the channel's current settings (block_ids: the contract's);
    `from_home`: opened from the App Home, which is published again once it is saved."""
    days = _day_set(form.days)
    zone = form.timezone or "UTC"
    topics: dict[str, Any] = {"type": "plain_text_input", "max_length": TOPICS_CHARS}
    topics["placeholder"] = _text("diffusion, robotics", 150)
    if form.topics:
        topics["initial_value"] = form.topics[:TOPICS_CHARS]
    limit: dict[str, Any] = {"type": "number_input", "is_decimal_allowed": False, "min_value": "1", "max_value": "50"}
    if form.limit:
        limit["initial_value"] = form.limit
    where = f"<#{channel.channel}>" if _CHANNEL_ID.fullmatch(channel.channel) else "this channel"
    blocks = [
        mrkdwn(f"{KINDS[form.cadence].capitalize()} of Hugging Face papers in {where}."),
        _input(
            "topics",
            "Topics",
            topics,
            optional=True,
            hint="Separated by commas. Left empty: the current topics stay (all papers for a new digest);"
            " “all papers”: every paper.",
        ),
        _input("time", "Time of day", {"type": "timepicker", "initial_time": form.time or "09:00"}, optional=False),
        _input(
            "timezone",
            "Time zone",
            {
                "type": "external_select",
                "min_query_length": 1,
                "placeholder": _text("Type a city or zone", 150),
                "initial_option": _option(zone, zone),
            },
            optional=False,
        ),
        _input("days", "Day" if form.weekly else "Days", _days_element(form, days), optional=False),
        _input("limit", f"Papers in each {'roundup' if form.weekly else 'digest'} (1–50)", limit, optional=True),
    ]
    meta = {"channel": channel.channel, "team": channel.workspace, "cadence": form.cadence}
    if from_home:
        meta["home"] = "1"
    return {
        "type": "modal",
        "callback_id": FORM,
        "title": _text(_title(form)),
        "submit": _text("Save"),
        "close": _text("Cancel"),
        "private_metadata": json.dumps(meta),
        "blocks": blocks[:MODAL_BLOCKS],
    }


def _title(form: SubscribeForm) -> str:
    return "Weekly roundup" if form.weekly else "Daily digest"


def _days_element(form: SubscribeForm, days: frozenset[int]) -> dict[str, Any]:
    """The days as checkboxes; a weekly roundup's one day as a menu."""
    options = [_option(label, name) for name, label in zip(DAY_NAMES, DAY_LABELS, strict=True)]
    if form.weekly:
        day = min(days, default=4)
        return {"type": "static_select", "options": options, "initial_option": options[day]}
    return {"type": "checkboxes", "options": options, "initial_options": [options[d] for d in sorted(days)]}


def _day_set(days: str) -> frozenset[int]:
    try:
        return parse_days(days or "mon-fri")
    except ValueError:
        return frozenset(range(5))


def _metadata(text: str) -> dict[str, str]:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def form_values(view: dict[str, Any], *, cadence: str = "daily") -> SubscribeForm:
    """The submitted modal's fields as the form's text (what `state.values[block_id][action_id]` holds),
    for the `cadence` the form was opened for."""
    values: dict[str, Any] = (view.get("state") or {}).get("values") or {}

    def element(block_id: str) -> dict[str, Any]:
        found = (values.get(block_id) or {}).get(block_id)
        return found if isinstance(found, dict) else {}

    zone = element("timezone").get("selected_option") or {}
    picked = element("days")
    chosen = picked.get("selected_options") or [picked.get("selected_option") or {}]  # checkboxes, or a menu
    days = [str(o.get("value", "")) for o in chosen if isinstance(o, dict) and o.get("value")]
    return SubscribeForm(
        topics=str(element("topics").get("value") or ""),
        time=str(element("time").get("selected_time") or ""),
        timezone=str(zone.get("value") or ""),
        days=",".join(days),
        limit=str(element("limit").get("value") or ""),
        cadence="weekly" if cadence == "weekly" else "daily",
    )


def zone_options(typed: str) -> list[dict[str, Any]]:
    """The zones for what is typed into the time-zone menu (at most 100, what a menu lists)."""
    return [_option(zone_label(zone), zone) for zone in zone_choices(typed)]


def result_view(post: Post, form: SubscribeForm) -> dict[str, Any]:
    """What the modal shows once the form is saved (or refused): the core's answer."""
    _, blocks = post_message(post)
    return {"type": "modal", "title": _text(_title(form)), "close": _text("Done"), "blocks": blocks[:MODAL_BLOCKS]}
