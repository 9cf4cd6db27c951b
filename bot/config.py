"""The deployer's TOML config file: digest defaults, subscriptions, optional tokens."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.errors import ConfigError
from bot.weekdays import parse_days

_CHANNEL = re.compile(r"^(slack|discord|console):[A-Za-z0-9_.\-]+$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DigestDefaults(_Strict):
    limit: int = Field(10, ge=1, le=50)
    min_upvotes: int = Field(0, ge=0)
    topics: tuple[str, ...] = ()


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin or UTC)") from None
    return value


def check_time(value: str) -> str:
    match = _TIME.match(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a time of day (use HH:MM, 24-hour, such as 09:00)")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


class SubscriptionConfig(_Strict):
    channel: str
    topics: tuple[str, ...] = ()
    time: str = "09:00"
    timezone: str = "UTC"
    days: str = "mon-fri"
    limit: int | None = Field(None, ge=1, le=50)
    min_upvotes: int | None = Field(None, ge=0)

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not _CHANNEL.match(value):
            raise ValueError(f"{value!r} is not PLATFORM:CHANNEL_ID (such as slack:C0123456 or discord:1234567890)")
        return value

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        return check_time(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("days")
    @classmethod
    def _days(cls, value: str) -> str:
        parse_days(value)
        return value


class PlatformSecrets(_Strict):
    bot_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = None
    token: SecretStr | None = None
    guilds: tuple[int, ...] = ()


class ScheduleConfig(_Strict):
    """When digests go out, and how long to wait for Hugging Face's listing of the day."""

    wait_hours: float = Field(6.0, ge=0, le=24)  # after the due time, how long a partial listing is waited for
    min_papers: int = Field(5, ge=1)  # a listing with fewer papers, while its UTC day lasts, looks partial
    catch_up_hours: float | None = Field(None, ge=0, le=48)  # None: a missed digest is sent until local midnight
    sync_minutes: int = Field(15, ge=1, le=1440)  # how often `run` fetches today's and yesterday's listings
    tick_seconds: int = Field(60, ge=5, le=3600)  # how often `run` looks for due digests
    parallel: int = Field(500, ge=1, le=5000)  # channels delivered at once (each paced on its own)


class FileConfig(_Strict):
    digest: DigestDefaults = DigestDefaults()
    schedule: ScheduleConfig = ScheduleConfig()
    subscriptions: tuple[SubscriptionConfig, ...] = ()
    slack: PlatformSecrets = PlatformSecrets()
    discord: PlatformSecrets = PlatformSecrets()


def load_config(path: Path, *, required: bool) -> FileConfig:
    """Read and check the config file; a missing optional file means the embedded defaults."""
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: no such config file (PAPERBOY_CONFIG points at it)")
        return FileConfig()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None
    try:
        return FileConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown setting (check its spelling against the README)"
        raise ConfigError(f"{path}: {where or 'file'}: {message}") from None
