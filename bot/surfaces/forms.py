"""The subscribe form: five fields read by the typed command's own parser, each error kept with its field.

`/papers subscribe daily diffusion, robots at 09:00 tz Europe/Berlin days mon-fri top 5` and a form
with topics "diffusion, robots", time "09:00", zone "Europe/Berlin", days "mon-fri" and limit "5"
save the same subscription: the form is turned into that text and parsed by `parse_subscribe`. Each
field is first parsed alone, so a mistake is reported on the field that holds it. An empty field
means what leaving the option out of the typed command means: keep the channel's current value
(or the default); topics `all papers` drop the channel's topics, as typed. A channel with a weekly
roundup gets the roundup's form: its days field holds the one day (`weekly … on fri`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.commands import (
    Subscribe,
    are_days,
    asks_every_paper,
    closed_quotes,
    comma_parts,
    days_option,
    is_weekday,
    parse_subscribe,
)
from bot.delivery.subscriptions import Subscription
from bot.domain.errors import UsageError
from bot.domain.zones import zone_choices, zone_hint

FIELDS = ("topics", "time", "timezone", "days", "limit")
OPTION = {"time": "at", "timezone": "tz", "days": "days", "limit": "top"}  # each field's word in the typed command
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class SubscribeForm:
    """The form's fields as text, as a person filled them in."""

    topics: str = ""
    time: str = ""
    timezone: str = ""
    days: str = ""
    limit: str = ""
    cadence: str = "daily"  # what the form is for (not a field: the channel's, carried through the form)

    @classmethod
    def of(cls, current: Subscription | None) -> SubscribeForm:
        """The form filled in with a channel's current subscription (empty when it has none)."""
        if current is None:
            return cls()
        return cls(
            topics=", ".join(_quoted(t) if "," in t else t for t in current.topics),  # a topic with a comma stays one
            time=current.time,
            timezone=current.timezone,
            days=current.days,
            limit=str(current.limit),
            cadence=current.cadence,
        )

    @property
    def weekly(self) -> bool:
        return self.cadence == "weekly"

    def typed(self) -> str:
        """The form as the `subscribe` text a person would type (each value quoted, so it stays one value)."""
        return " ".join([self.cadence, *(p for name in FIELDS if (p := self.part(name)))])

    def part(self, name: str) -> str:
        """One field as the typed command's words (empty when the field is)."""
        value = str(getattr(self, name))
        if name == "topics":  # one per line in Discord's form (a paragraph): a line ends a topic, as a comma does
            value = ", ".join(line for line in value.splitlines() if line.strip())
        value = " ".join(value.split())
        if not value:
            return ""
        if name == "topics" and asks_every_paper(value):
            return value  # `all papers`: every paper, as the typed command reads it (quoted, a topic)
        if name == "topics":
            return ", ".join(_quoted(topic) for topic in comma_parts(value))
        if name == "days" and self.weekly:
            return f"on {_quoted(value)}"
        if name == "days" and not are_days(value):  # Discord's field, typed: `mon wed fri`, as `days mon wed fri`
            value = days_option(value)  # reads (was refused); `mon-wed,fri` as it is
        return f"{OPTION[name]} {_quoted(value)}"


class FormErrors(UsageError):
    """What is wrong with a form, by field name, in the typed command's words."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def _quoted(value: str) -> str:
    return "“" + value.strip().replace("”", '"') + "”"


def read_form(form: SubscribeForm) -> Subscribe:
    """The subscription a form asks for, parsed exactly as the typed command is; FormErrors names each bad field."""
    errors: dict[str, str] = {}
    for name in FIELDS:
        try:
            if part := form.part(name):
                if name == "topics":  # as typed, a quote nothing closes is refused, not kept in the topic
                    closed_quotes(" ".join(form.topics.split()))
                parse_subscribe(part)
        except UsageError as exc:
            said = _in_the_form(str(exc))
            errors[name] = _with_zones(said, form.timezone) if name == "timezone" else said
    if form.weekly and form.days.strip() and not is_weekday(form.days.strip()):
        errors["days"] = f"A weekly roundup comes one day a week: pick one day, such as fri (not “{form.days.strip()}”)"
    if errors:
        raise FormErrors(errors)
    return parse_subscribe(form.typed())


def _in_the_form(message: str) -> str:
    """The typed command's words for a field, as the form says them: under its own label, not the
    option's name ("`top` takes a number…" is "Takes a number…"), and without the backticks of our
    command snippets (the form's text is plain; what the person typed, echoed in quotes, stays)."""
    bare = re.sub(r"^`(?:at|tz|top|days)` ", "", message)
    if re.match(r"[a-z]+\b(?!:)", bare):  # a sentence (not `author:`, the filter's own word)
        bare = bare[:1].upper() + bare[1:]
    return re.sub(r"(?<!')`([^`]*)`(?!')", r"\1", bare)


def _with_zones(message: str, typed: str) -> str:
    """A zone error with zones to pick from, when the parser had no single guess."""
    if zone_hint(typed):
        return message  # the zone meant is named already (a close spelling, an abbreviation's, an offset's)
    close = zone_choices(typed, limit=3)
    return f"{message} Close: {', '.join(close)}." if close else message
