"""The deployer's TOML config file: digest defaults, subscriptions, optional tokens."""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
import typing
from collections.abc import Collection, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails

from bot.domain.channels import not_a_channel, parse_channel
from bot.domain.errors import ConfigError, UsageError
from bot.domain.filters import check_entry, entry_key
from bot.domain.models import UNSEEN, ZERO_WIDTH_CHARS
from bot.domain.our_words import plainly, said_at_once, unreadable
from bot.domain.weekdays import digest_days, parse_weekday
from bot.domain.zones import is_place, zone_hint

_CHANNEL = re.compile(r"[A-Za-z]+:([A-Za-z0-9_.\-]+/)?[A-Za-z0-9_.\-]+", re.ASCII)
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)", re.ASCII)
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*", re.ASCII)
# control characters (but white space), bidi overrides and isolates: invisible in a topic, they match
# nothing and can turn around or garble how it is shown. Marks a copy from a right-to-left page brings
# (U+200E, U+200F) are let through; the zero-width space and joiners, the soft hyphen and the BOM a paste
# carries inside a word are dropped from the file's topics, as chat drops them (`file_topic`).
_HIDDEN = UNSEEN
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH_CHARS}]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_\-]+", re.ASCII)  # a key TOML takes unquoted
# a user (U…, W… on Enterprise Grid) or user group (S…), for one workspace (T…:) or for every one
_SLACK_ID = re.compile(r"(?:[TE][A-Z0-9]{2,20}:)?[UWS][A-Z0-9]{2,20}", re.ASCII)
ZONE_CHARS = 64  # the store's column; the longest IANA name has 32
MAX_TOPICS = 10
MAX_TOPIC_CHARS = 200


MOST_UPVOTES = 1_000_000  # a min_upvotes above any paper's (and within every database's integers)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans(cls, value: object, info: ValidationInfo) -> object:
        """No setting is true or false: `limit = true` is a mistake, not 1."""
        if isinstance(value, bool):
            field = cls.model_fields.get(info.field_name or "")
            takes = _takes(field.annotation) if field is not None else "use a number or a text"
            raise ValueError(f"{str(value).lower()} is not a value for this setting: {takes}")
        return value


def _takes(annotation: object) -> str:
    """What a setting of this type takes, in `wanted`'s words."""
    if typing.get_origin(annotation) in (tuple, list):
        return "use a list in brackets"
    inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if len(inner) == 1:  # optional: what it holds when set
        return _takes(inner[0])
    if annotation is int:
        return "use a whole number"
    if annotation is float:
        return "use a number"
    if annotation in (str, SecretStr):
        return "use a text in quotes"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "use a table of settings"
    return "use a number or a text"


def check_timezone(value: str) -> str:
    """An IANA zone name that loads; anything else (a folder such as `Europe`, a path) is a ValueError."""
    problem = f"unknown time zone {_shown(value)} (use an IANA name such as Europe/Berlin or UTC)"
    if len(value) > ZONE_CHARS or not _ZONE.fullmatch(value):
        raise ValueError(problem)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: `Europe` is a folder of zones
        raise ValueError(problem) from None
    if not is_place(value):  # `localtime`, `posixrules`, `Factory`, `posix/…`: not a place's time
        raise ValueError(problem)
    return value


def check_time(value: str) -> str:
    match = _TIME.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{_shown(value)} is not a time of day (use HH:MM, 24-hour, such as 09:00)")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


_FILTER_MISTYPED = re.compile(r"(?i)\A(?:autor|auther|authr|athor|aurthor|authour|by)s?:")  # `autor:LeCun`


def file_topic(topic: str) -> str:
    """One of the config file's topics (`check_topic`), or a ValueError for one that would match no paper as
    written there: two topics in one text (`"diffusion, robotics"`: one list item each). It gave an empty
    digest every day, without a word (chat splits the commas it is typed with). A zero-width character a
    paste carries is dropped (`diff\u200busion` matched nothing, unseen), as chat drops it."""
    topic = _ZERO_WIDTH.sub("", topic)
    if "," in topic and not topic.lower().startswith(("author:", "-")):  # `author:LeCun, Yann`: one name
        items = ", ".join(json.dumps(t.strip(), ensure_ascii=False) for t in topic.split(",") if t.strip())
        raise ValueError(
            f"{_shown(topic, 40)} holds a comma, which a search reads as nothing: for two topics give each its"
            f" own item, [{items}]; for one, write it without the comma"
        )
    return check_topic(topic)


# A topic of the file, checked on its own: each wrong one is said with its place (`topics[2]`), all at once.
FileTopic = typing.Annotated[str, AfterValidator(file_topic)]


def one_way_each(topics: Sequence[str]) -> dict[str, str]:
    """Each topic by what it is compared by (`entry_key`), as first written (`Diffusion, diffusion` is one);
    a ValueError for one both wanted and left out (`robotics, -robotics`: a digest of nothing, every day)."""
    once: dict[str, str] = {}
    for entry in topics:
        once.setdefault(entry_key(entry), entry)
    if both := next((k for k in once if not k.startswith("-") and f"-{k}" in once), None):
        raise ValueError(f"“{once[both]}” is both wanted and left out: keep one of them")
    return once


def _file_topics(topics: tuple[str, ...]) -> tuple[str, ...]:
    """The file's topics, none both wanted and left out; one listed twice is one, the first written, as chat
    takes it (not refused: a file that ran before still starts)."""
    return tuple(one_way_each(topics).values())


def check_topics(topics: Sequence[str], known: Collection[str] = ()) -> tuple[str, ...]:
    """At most MAX_TOPICS topics, each `check_topic`'s; those in `known` (saved before) are not checked
    again: a rule added since must not block a new one."""
    count_topics(topics)
    for topic in (t for t in topics if t not in known):
        check_topic(topic)
    return tuple(topics)


def count_topics(topics: Sequence[object]) -> Sequence[object]:
    """At most MAX_TOPICS topics, or a ValueError."""
    if len(topics) > MAX_TOPICS:
        raise ValueError(f"at most {MAX_TOPICS} topics, not {len(topics)}: drop some, or join close ones into one")
    return topics


def check_topic(topic: str) -> str:
    """A topic of at most MAX_TOPIC_CHARS characters, not blank; it may be an `-exclusion` or an
    `author:NAME` filter (bot.domain.filters), which must name someone. Else a ValueError saying why."""
    if not topic.strip():
        raise ValueError("a topic cannot be blank: remove it, or write the words to look for")
    if not any(ch.isalnum() for ch in topic):
        raise ValueError(f"{_shown(topic, 40)} has no letter or digit, so it would match no paper: write words")
    if len(topic) > MAX_TOPIC_CHARS:
        raise ValueError(
            f"a topic can be at most {MAX_TOPIC_CHARS} characters, and {_shown(topic, 40)} has {len(topic)}: "
            "shorten it to the few words that matter"
        )
    if (mistyped := _FILTER_MISTYPED.match(topic)) is not None:  # `autor:LeCun`: an empty digest every day
        raise ValueError(f"{_shown(topic, 40)}: did you mean author:{topic[mistyped.end() :].strip()}?")
    if hidden := _HIDDEN.search(topic):
        raise ValueError(
            f"{_shown(topic, 40)} holds an invisible character (U+{ord(hidden.group()):04X}), which would match "
            "no paper and can garble how the topic is shown: type it again without it"
        )
    check_entry(topic)
    return topic


def _shown(value: str, limit: int = 60) -> str:
    """A value quoted for an error message, shortened when long; its invisible characters written as escapes."""
    if len(value) <= limit:
        return repr(value)
    return "“" + "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value[: limit - 1]) + "…”"


class DigestDefaults(_Strict):
    limit: int = Field(10, ge=1, le=50)
    min_upvotes: int = Field(0, ge=0, le=MOST_UPVOTES)
    topics: tuple[FileTopic, ...] = ()
    follow_days: int = Field(7, ge=0, le=60)  # a living thread: days a posted card is followed (0: none)

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: object) -> object:
        return (
            count_topics(value) if isinstance(value, list | tuple) else value
        )  # (eleven: said before each one's fault)

    @field_validator("topics")
    @classmethod
    def _one_way_each(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _file_topics(value)  # (`["diffusion", "-diffusion"]`: an empty digest every day, unsaid)


class SubscriptionConfig(_Strict):
    channel: str
    topics: tuple[FileTopic, ...] = ()
    time: str = "09:00"
    timezone: str = "UTC"
    days: str = "mon-fri"
    limit: int | None = Field(None, ge=1, le=50)
    min_upvotes: int | None = Field(None, ge=0, le=MOST_UPVOTES)
    cadence: str = "daily"
    day: str | None = None  # a weekly roundup's day of the week (default fri); `days` is for daily digests

    @field_validator("cadence")
    @classmethod
    def _cadence_name(cls, value: str) -> str:
        if value not in ("daily", "weekly"):
            raise ValueError(f'{_shown(value)} is not a cadence (use "daily" for a digest, "weekly" for a roundup)')
        return value

    @field_validator("day")
    @classmethod
    def _day(cls, value: str | None) -> str | None:
        return parse_weekday(value) if value is not None else None

    @model_validator(mode="wrap")
    @classmethod
    def _cadence(cls, data: object, handler: ModelWrapValidatorHandler[SubscriptionConfig]) -> SubscriptionConfig:
        """A weekly roundup takes `day`, a daily digest `days`: checked on what the entry writes, so that
        it is said with the entry's other faults, not once they are mended."""
        written = data if isinstance(data, dict) else {}
        fault = None
        if written.get("cadence", "daily") == "weekly" and "days" in written:
            fault = 'a weekly roundup comes one day a week: write day = "fri", not days'
        elif written.get("cadence", "daily") == "daily" and written.get("day") is not None:
            fault = 'day is for weekly roundups (add cadence = "weekly"); a daily digest takes days'
        return with_faults(handler, data, [fault] if fault else [])

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not _CHANNEL.fullmatch(value):
            raise ValueError(not_a_channel(_shown(value)))
        try:
            parse_channel(value)
        except UsageError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: object) -> object:
        return (
            count_topics(value) if isinstance(value, list | tuple) else value
        )  # (eleven: said before each one's fault)

    @field_validator("topics")
    @classmethod
    def _one_way_each(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _file_topics(value)  # (`["diffusion", "-diffusion"]`: an empty digest every day, unsaid)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        return check_time(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            return check_timezone(value)
        except ValueError as exc:  # with the zone meant: `EST` names America/New_York
            raise ValueError(f"{exc}.{zone_hint(value)}".removesuffix(".")) from None

    @field_validator("days")
    @classmethod
    def _days(cls, value: str) -> str:
        digest_days(value)
        return value


class DiscordConfig(_Strict):
    """`[discord]`: the bot's token (`token`, or `bot_token`), and the servers `/papers` is registered in at once."""

    token: SecretStr | None = None
    bot_token: SecretStr | None = None
    # server ids (snowflakes, 64 bits): `0`, `-5` and 30 digits name none
    guilds: tuple[typing.Annotated[int, Field(ge=1, le=2**64 - 1)], ...] = ()

    @field_validator("bot_token")
    @classmethod
    def _one_token(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """Both names set to two tokens: one was used, and which one without a word. (A field's check, so
        it is said with the table's other faults, not after them.)"""
        token = info.data.get("token")
        given = [t.get_secret_value().strip() for t in (token, value) if isinstance(t, SecretStr)]
        if len(given) == 2 and all(given) and given[0] != given[1]:  # (a blank one is no token: `token = ""`)
            raise ValueError("token and bot_token are one setting, and they hold two tokens: keep one")
        return value


class SlackConfig(_Strict):
    """`[slack]`: the tokens, and who may subscribe and unsubscribe channels."""

    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None

    # Slack ids of the people (U…, W…) and user groups (S…) who may manage any channel's digest;
    # "*" lets everyone. Empty: workspace owners and admins, and each channel's creator. With many
    # workspaces each entry names its workspace ("T0123ABCD:S0PAPERS"); a workspace no entry names
    # keeps Slack's own roles.
    admins: tuple[str, ...] = ()

    @field_validator("admins")
    @classmethod
    def _admins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if entry != "*" and not _SLACK_ID.fullmatch(entry):
                raise ValueError(
                    f"{_shown(entry)} is not a Slack member id (U…) or user group id (S…), each with its workspace's "
                    "id in front (T…:U…) when paperboy serves many workspaces; a member's id is in their profile "
                    'under ⋮ → Copy member ID, and "*" lets everyone'
                )
        return value


class ScheduleConfig(_Strict):
    """When digests go out, and how long to wait for Hugging Face's listing of the day."""

    wait_hours: float = Field(6.0, ge=0, le=24)  # after the due time, how long a partial listing is waited for
    # a listing with fewer papers, while its UTC day lasts, looks partial (a day lists tens: more waits every day)
    min_papers: int = Field(5, ge=1, le=1000)
    catch_up_hours: float | None = Field(None, ge=0, le=48)  # None: a missed digest is sent until local midnight
    sync_minutes: int = Field(15, ge=1, le=1440)  # how often `run` fetches today's and yesterday's listings
    tick_seconds: int = Field(60, ge=5, le=3600)  # how often `run` looks for due digests
    parallel: int = Field(500, ge=1, le=5000)  # channels delivered at once (each paced on its own)


class FileConfig(_Strict):
    digest: DigestDefaults = DigestDefaults()
    schedule: ScheduleConfig = ScheduleConfig()
    subscriptions: tuple[SubscriptionConfig, ...] = ()
    slack: SlackConfig = SlackConfig()
    discord: DiscordConfig = DiscordConfig()

    @model_validator(mode="wrap")
    @classmethod
    def _one_entry_a_channel(cls, data: object, handler: ModelWrapValidatorHandler[FileConfig]) -> FileConfig:
        """Two entries for one channel would both be saved, the last over the first: refuse the file, in
        the same go as its other faults. A channel named without its workspace is the same channel as one
        named with it."""
        entries = data.get("subscriptions") if isinstance(data, dict) else None
        channels = [entry.get("channel") if isinstance(entry, dict) else None for entry in entries or ()]
        return with_faults(handler, data, _repeated(channels) if isinstance(entries, list) else [], ("subscriptions",))


def _repeated(channels: Sequence[object]) -> list[str]:
    """A fault for each entry naming the channel of an earlier one (entries whose channel is not one: none)."""
    faults: list[str] = []
    seen: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for i, channel in enumerate(channels):
        if not isinstance(channel, str) or not _CHANNEL.fullmatch(channel):
            continue
        try:
            ref = parse_channel(channel)
        except UsageError:
            continue
        for j, workspace in seen.get((ref.platform, ref.channel), []):
            if not workspace or not ref.workspace or workspace == ref.workspace:
                faults.append(
                    f"entry [{i}] ({_shown(channel)}) names the channel of entry [{j}] "
                    f"({_shown(str(channels[j]))}) again: give each channel one entry"
                )
                break
        seen.setdefault((ref.platform, ref.channel), []).append((i, ref.workspace))
    return faults


Made = typing.TypeVar("Made", bound=BaseModel)


def with_faults(
    handler: ModelWrapValidatorHandler[Made], data: object, faults: Sequence[str], where: tuple[str, ...] = ()
) -> Made:
    """The table `handler` makes of `data`, unless it or `faults` (rules of the whole table, at `where` in
    it) find something wrong: then every fault, the fields' and these, in one ValidationError."""
    found: list[InitErrorDetails] = []
    try:
        made = handler(data)
    except ValidationError as exc:
        found = [_again(error) for error in exc.errors()]
        made = None
    found += [{"type": "value_error", "loc": where, "input": data, "ctx": {"error": ValueError(f)}} for f in faults]
    if found or made is None:
        raise ValidationError.from_exception_data("config", found)
    return made


def _again(error: ErrorDetails) -> InitErrorDetails:
    """A field's fault as pydantic said it, to be said again with others."""
    again: InitErrorDetails = {"type": error["type"], "loc": error["loc"], "input": error["input"]}
    if "ctx" in error:
        again["ctx"] = error["ctx"]
    return again


def load_config(path: Path, *, required: bool) -> FileConfig:
    """Read and check the config file; a missing optional file means the embedded defaults."""
    try:
        if not path.exists():  # (a folder on its way this user may not look into: said, not a traceback)
            if required:
                raise ConfigError(f"{path}: no such config file (PAPERBOY_CONFIG points at it)")
            return FileConfig()
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark, as Windows tools write, is no TOML
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it: {unreadable(exc)}") from None
    return parse_config(text, str(path))


def _step(key: int | str) -> str:
    """One step of a setting's path as TOML writes it: `[0]`, `.digest`, or a quoted key (`."two words"`)."""
    if isinstance(key, int):
        return f"[{key}]"
    return f".{key}" if _BARE_KEY.fullmatch(key) else "." + json.dumps(key, ensure_ascii=False)


# Errors whose wrong value is repeated in the message (a number out of range, a text for a list): not an
# unknown key's (it may be a misplaced secret) nor a value the validator words itself.
_ECHOED = frozenset(
    {"int_parsing", "int_type", "int_from_float", "bool_parsing", "bool_type", "tuple_type", "list_type"}
    | {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}
)


def wanted(error: ErrorDetails) -> str:
    """What a setting takes, in our words, for the ways a value can be wrong (pydantic's are its own)."""
    limits = error.get("ctx") or {}
    kind = error["type"]
    table = "use a table of settings ([section], or [[subscriptions]] for each channel, key = value lines under it)"
    listed = f"use a list in brackets, such as {_LIST_EXAMPLES.get(_key(error['loc']), _LIST_EXAMPLES['topics'])}"
    given = error.get("input")
    if isinstance(given, float) and not math.isfinite(given):  # TOML's nan and inf: no bound holds them
        return "use a number (nan and inf are none)"
    number = "use a number, such as 6 or 1.5"
    said = {
        "float_parsing": number,
        "float_type": number,
        "finite_number": "use a number (nan and inf are none)",
        "int_parsing_size": "use a whole number of a sensible size",
        "bool_parsing": "use 1 or 0 (or true, false, yes, no)",
        "bool_type": "use true or false",
        "int_parsing": "use a whole number",
        "int_type": "use a whole number",
        "int_from_float": "use a whole number",
        "string_type": 'use a text in quotes, such as "09:00"',
        "tuple_type": listed,
        "list_type": listed,
        "model_type": table,
        "dict_type": table,
        "missing": "it is required: add it",
        "greater_than_equal": f"use a number of {_bound(limits.get('ge'))} or more",
        "less_than_equal": f"use a number of {_bound(limits.get('le'))} or less",
        "greater_than": f"use a number over {_bound(limits.get('gt'))}",
        "less_than": f"use a number under {_bound(limits.get('lt'))}",
    }.get(kind)
    return said or " ".join(plainly(str(error["msg"])).split())


def _bound(limit: object) -> object:
    """A bound as a person writes it: `0`, not the `0.0` of a setting that takes fractions."""
    return int(limit) if isinstance(limit, float) and limit.is_integer() else limit


# A text setting's example, for a value that is not a text (`channel = 123`); a token's has none.
_TEXT_EXAMPLES = {
    "channel": "slack:C0123456",
    "time": "09:00",
    "timezone": "Europe/Berlin",
    "days": "mon-fri",
    "day": "fri",
    "cadence": "weekly",
    "topics": "diffusion",
    "admins": "U012AB3CD",
}


# A list setting's example, for a value that is not a list (`admins = "U012AB3CD"`).
_LIST_EXAMPLES = {
    "topics": '["diffusion", "robotics"]',
    "admins": '["U012AB3CD", "S0PAPERS"]',
    "guilds": "[123456789012345678]",
}


def _key(loc: tuple[int | str, ...]) -> str:
    """The setting's name in an error's location (the last name, past list indexes)."""
    return next((step for step in reversed(loc) if isinstance(step, str)), "")


def _text_wanted(loc: tuple[int | str, ...]) -> str:
    """What a text setting (or a list of texts' item) takes, with an example of its own kind."""
    example = _TEXT_EXAMPLES.get(_key(loc))
    return f'use a text in quotes, such as "{example}"' if example else "use a text in quotes"


# settings the environment holds, written in the file as people guess them: each is said where it goes
# (the tables each is looked for under, none: any)
_ENVIRONMENT_ONLY: dict[str, tuple[tuple[str, ...], str]] = {
    "client_id": (("slack",), "SLACK_CLIENT_ID"),
    "client_secret": (("slack",), "SLACK_CLIENT_SECRET (or SLACK_CLIENT_SECRET_FILE)"),
    "port": (("slack",), "PAPERBOY_SLACK_PORT"),
    "host": (("slack",), "PAPERBOY_SLACK_HOST"),
    "public_url": (("slack",), "PAPERBOY_PUBLIC_URL"),
    "secret_key": ((), "PAPERBOY_SECRET_KEY (or PAPERBOY_SECRET_KEY_FILE)"),
    "database_url": ((), "PAPERBOY_DATABASE_URL"),
    "data_dir": ((), "PAPERBOY_DATA_DIR"),
    "offline": ((), "PAPERBOY_OFFLINE"),
}


def _unknown_setting(loc: tuple[int | str, ...]) -> str:
    """A key its table does not take: the setting of that table it most looks like, if one does, else
    the other tables it is a setting of (`guilds` under [slack] is [discord]'s)."""
    key, path = str(loc[-1]), loc[:-1]
    homes_of, variable = _ENVIRONMENT_ONLY.get(key, ((), ""))
    if variable and (not homes_of or any(step in homes_of for step in path)):  # `[slack] client_secret` was offered
        return f"set in the environment only, as {variable}: see docs/configuration.md"  # signing_secret
    close = difflib.get_close_matches(key, _settings_of(FileConfig, path), n=1, cutoff=0.6)
    if close:  # at the top of the file, each name is a table's (`[subscription]`)
        return f"unknown {'setting' if path else 'name'}: did you mean {close[0]!r}?"
    here = next((step for step in path if isinstance(step, str)), None)
    tables = [name for name in _settings_of(FileConfig, ()) if name != here]
    homes = [_written(name) for name in tables if key in _settings_of(FileConfig, (name,))]
    if homes:
        there = _written(here) if here else "at the top of the file"
        return f"unknown setting: {key!r} belongs in {' or '.join(homes)}, not {there}"
    if not path:  # `[defaults]`: a table the file has none of
        return f"paperboy reads no table of that name: its tables are {', '.join(_written(name) for name in tables)}"
    return "unknown setting (check its spelling against the README)"


def _written(name: str) -> str:
    """A top-level table's header as the file writes it: `[slack]`, or `[[subscriptions]]` for a list of tables."""
    listed = typing.get_origin(FileConfig.model_fields[name].annotation) in (tuple, list)
    return f"[[{name}]]" if listed else f"[{name}]"


def _settings_of(model: type[BaseModel], path: tuple[int | str, ...]) -> list[str]:
    """The keys of the table at `path` (list positions skipped) under `model`; [] where that is no table."""
    for step in path:
        if isinstance(step, int):
            continue
        field = model.model_fields.get(step)
        table = _table_in(field.annotation) if field is not None else None
        if table is None:
            return []
        model = table
    return list(model.model_fields)


def _table_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds, itself or in a list, tuple or optional of it."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((t for arg in typing.get_args(annotation) if (t := _table_in(arg)) is not None), None)


TOML_FORM = 'a table\'s name in [brackets], each setting as name = value, text in "quotes"'
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _where_not_toml(said: str) -> str:
    """Where tomllib stopped reading, in our words: "line 3, column 8", or "the end of the file"."""
    at = _AT.search(said)
    return f"line {at[1]}, column {at[2]}" if at else "the end of the file" if "end of document" in said else "the file"


_ESCAPE = "a backslash in \"quoted\" text starts an escape: write two for one, or use 'single quotes'"
_TOML_FAULTS = (  # the start of what tomllib says → what is wrong, in our words, and the fix
    ("Cannot overwrite a value", "a setting given a second time: keep one"),
    ("Cannot declare", "a [table] given a second time: keep one, with all its settings"),
    ("Invalid hex value", _ESCAPE),
    ("Unescaped", _ESCAPE),
    ("Illegal character", 'text in "quotes" must end on its line: close the quote'),
    ("Unterminated string", 'text in "quotes" must end on its line: close the quote'),
    ("Expected '=' after a key", "each setting is name = value: add the = and the value"),
    ("Invalid value", 'a value is text in "quotes", a number, true or false, or a [list]: quote text'),
    ("Unclosed array", "a [list] is not closed: add its ]"),
    ("Expected ']' at the end of a table", "a table's name is in [brackets]: close it with ]"),
)


def _why_not_toml(said: str) -> str:
    """What tomllib found wrong, in our words with the fix; the file's form for what we do not name."""
    return next((why for start, why in _TOML_FAULTS if said.startswith(start)), f"write {TOML_FORM}")


def parse_config(text: str, source: str) -> FileConfig:
    """The config in `text` (from `source`, named in errors), or a ConfigError naming each fault
    (`said_at_once`); nothing else."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said = str(exc)
        raise ConfigError(f"{source}: {_where_not_toml(said)} is not valid TOML: {_why_not_toml(said)}") from None
    except RecursionError:
        raise ConfigError(f"{source}: not valid TOML (arrays or tables nested too deeply)") from None
    try:
        return FileConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {said_at_once([_fault(error) for error in exc.errors()])}") from None


def _fault(error: ErrorDetails) -> str:
    """One fault of the file, `where: what to do`, in our words."""
    where = "".join(_step(p) for p in error["loc"]).lstrip(".") or "file"
    message = wanted(error)
    if error["type"] == "extra_forbidden":
        message = _unknown_setting(error["loc"])
    elif error["type"] == "string_type":
        message = _text_wanted(error["loc"])
    elif where == "subscriptions" and error["type"] in ("tuple_type", "list_type"):
        message = "write each channel's table as [[subscriptions]], with two brackets"
    given, key = error.get("input"), str(error["loc"][-1]) if error["loc"] else ""
    secret = "secret" in key or "token" in key  # never repeated
    if error["type"] in _ECHOED and not secret and isinstance(given, str | int | float):
        where += f" is {_shown(given, 40)}" if isinstance(given, str) else f" is {given}"
    return f"{where}: {message}"
