"""Typed settings from the environment, built once in the composition root and passed down."""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, PrivateAttr, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.config import load_config, wanted
from bot.domain.errors import ConfigError
from bot.domain.our_words import said_at_once, unreadable

if TYPE_CHECKING:
    from bot.store.sealing import Sealer

log = logging.getLogger(__name__)
DEFAULT_CONFIG = Path("config/paperboy.toml")
DEFAULT_DATA_DIR = Path(".paperboy")
_SECRETS = {
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_app_token": "SLACK_APP_TOKEN",
    "discord_token": "DISCORD_TOKEN",
    "slack_client_secret": "SLACK_CLIENT_SECRET",
    "secret_key": "PAPERBOY_SECRET_KEY",
}


def _as_written(value: object) -> object:
    """A store's path or URL as written, or a ValueError: quotes or blanks around it would be part of it
    (an env file, `docker run --env-file`, keeps them), and a store elsewhere, new and empty, opened without a
    word: its subscriptions and its record of digests sent missing, today's digests would go out again."""
    if not isinstance(value, str):
        return value
    if value != value.strip():
        raise ValueError("the blanks around it would be part of it: write it without them")
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        raise ValueError("the quotes around it would be part of it (an env file keeps them): write it without them")
    return value


_VARIABLE = re.compile(r"\$(?:\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*)")  # `$HOME`, `${DATA}`


def _homed(value: object) -> object:
    """A path as written (`_as_written`, `_unexpanded`), `~/…` the home's (quoted, or from an env file, no
    shell expanded it): PAPERBOY_CONFIG='~/paperboy.toml' was "no such config file" of a file that is there."""
    value = _unexpanded(_as_written(value))
    return Path(value).expanduser() if isinstance(value, str) and value.startswith("~") else value


def _unexpanded(value: object) -> object:
    """A path as written, or a ValueError where it holds a shell's variable (`$HOME/pbdata`): an env file
    (`docker run --env-file`, systemd's EnvironmentFile) keeps it as written, and the folder named `$HOME`
    was another store, new and empty, opened without a word."""
    variable = _VARIABLE.search(value) if isinstance(value, str) else None
    named = variable[0].strip("${}") if variable else ""
    # refused where the variable is one the environment has (`$HOME`: a folder of that name, made by an
    # earlier version, was used without a word), or the path is not there (`${DATA}`); `/srv/a$b` is a name
    if isinstance(value, str) and variable and (named in os.environ or not Path(value).expanduser().exists()):
        raise ValueError(
            f"it holds {variable.group()}, a variable no shell replaced (an env file keeps it as written): write"
            " the path itself"
        )
    return value


def web_address(value: str) -> None:
    """A ValueError, in our words, for an address no request could reach: no http(s)://, no host, a port
    that is not a number from 1 to 65535 (httpx said `Invalid port: 'abc'` in a traceback at the first
    request), a bracket left open."""
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError("not a web address: write it whole, with http:// or https://")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        after = value.split("//", 1)[1].split("/", 1)[0]
        raise ValueError(
            f"{after!r} is not a host with a port: write it as host or host:PORT, PORT a number from 1 to 65535"
        ) from None
    if not parts.hostname:
        raise ValueError("names no host: write it whole, such as https://huggingface.co")
    if port == 0:
        raise ValueError("port 0 is no port: use a number from 1 to 65535, or leave the port out")


class Settings(BaseSettings):
    """Every environment variable of the contract; tokens may also come from `NAME_FILE` files."""

    model_config = SettingsConfigDict(env_prefix="PAPERBOY_", extra="ignore", frozen=True)

    config: Path | None = None
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    offline: bool = False
    embeddings: bool = True  # search by meaning too, when the embedding model is installed
    threads: int | None = Field(None, ge=1, le=1024)  # CPU workers (bot/host/pools.py); None: the usable CPUs
    hf_url: str = "https://huggingface.co"
    arxiv_url: str = "https://export.arxiv.org"
    slack_port: int = Field(3000, ge=1, le=65535)
    slack_host: str = Field("0.0.0.0", min_length=1)  # the address HTTP mode listens on (127.0.0.1 behind a proxy)
    slack_api_url: str = "https://slack.com/api/"
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    discord_token: SecretStr | None = Field(None, validation_alias=AliasChoices("DISCORD_TOKEN"))
    # Multi-workspace Slack (docs/slack-workspaces.md): the app's OAuth credentials, the key that seals
    # installation tokens at rest, where the bot is reachable, and where the install link sends the browser.
    slack_client_id: str | None = Field(None, validation_alias=AliasChoices("SLACK_CLIENT_ID"))
    slack_client_secret: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_CLIENT_SECRET"))
    secret_key: SecretStr | None = None
    public_url: str | None = None
    slack_oauth_url: str = "https://slack.com/oauth/v2/authorize"
    _files: dict[str, str] = PrivateAttr(default_factory=dict)  # the secrets read from `NAME_FILE`: their paths

    @field_validator("offline", "embeddings", mode="before")
    @classmethod
    def _blank_is_off(cls, value: object) -> object:
        """Blank: off; blanks around a value are no part of it (`PAPERBOY_OFFLINE=" 1"`, as numbers are read)."""
        if isinstance(value, str):
            return value.strip() or False
        return value

    @field_validator("threads", "slack_client_id", "public_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("config", mode="before")
    @classmethod
    def _a_path_as_written(cls, value: object) -> object:
        """Blank: unset; else a path taken as written (`_as_written`), no shell's variable in it (`_unexpanded`):
        " /etc/paperboy.toml" was "no such config file" of a file that is there."""
        return None if isinstance(value, str) and not value.strip() else _homed(value)

    @field_validator("database_url", mode="before")
    @classmethod
    def _blank_is_unset_else_as_written(cls, value: object) -> object:
        """Blank: unset; else taken only as written, with nothing around it (`_as_written`), and read as a
        URL here, so that a fault in it is said with the other variables' (`url_fault`)."""
        if isinstance(value, str) and not value.strip():
            return None
        value = _as_written(value)
        if isinstance(value, str):
            from bot.store.engine import url_fault  # SQLAlchemy's URL: only where one is set

            if (fault := url_fault(value)) is not None:
                raise ValueError(fault)
        return value

    @field_validator("hf_url", "arxiv_url", "slack_api_url", "discord_api_url", "slack_oauth_url", "public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None:
            web_address(value)
        return value

    @field_validator("slack_host", mode="before")
    @classmethod
    def _bare_address(cls, value: object) -> object:
        """`127.0.0.1 ` and `[::1]`, as addresses are written: blanks around it and an IPv6 address's brackets
        are no part of it (they were refused as "not an address of this machine")."""
        return value.strip().removeprefix("[").removesuffix("]") if isinstance(value, str) else value

    @field_validator("discord_gateway_url")
    @classmethod
    def _socket_address(cls, value: str) -> str:
        if not value.lower().startswith(("ws://", "wss://")):
            raise ValueError("not a gateway address: write it whole, with wss:// (or ws://)")
        return value

    @field_validator("data_dir", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object) -> object:
        """Blank: the default; `~/pbdata` (quoted, so no shell expanded it): the home's, not a folder named ~."""
        if isinstance(value, str) and not value.strip():
            return DEFAULT_DATA_DIR
        return _homed(value)

    @model_validator(mode="after")
    def _secret_files(self) -> Settings:
        """`NAME_FILE` where `NAME` is unset or blank: the secret is the file's text. (A ConfigError, not a
        ValueError, goes through pydantic as it is.)"""
        for name, variable in _SECRETS.items():
            path = os.environ.get(f"{variable}_FILE")
            current: SecretStr | None = getattr(self, name)
            if path and (current is None or not current.get_secret_value().strip()):
                try:
                    secret = Path(path).read_text(encoding="utf-8").strip()
                except OSError as exc:
                    raise ConfigError(
                        f"{variable}_FILE: cannot read {path}: {unreadable(exc)}; point it at the file holding "
                        f"the secret, or set {variable} instead"
                    ) from None
                except UnicodeDecodeError:
                    raise ConfigError(
                        f"{variable}_FILE: {path} is not text (UTF-8): point it at the file holding the secret"
                    ) from None
                if not secret:  # not "SLACK_BOT_TOKEN is not set": the variable named a file, and it is empty
                    raise ConfigError(
                        f"{variable}_FILE: {path} is empty: write the secret in it (a secret not mounted yet?), "
                        f"or set {variable} instead"
                    )
                object.__setattr__(self, name, SecretStr(secret))
                self._files[name] = path
        return self

    def source(self, name: str) -> str:
        """Where the secret `name` was read, as an error names it: `PAPERBOY_SECRET_KEY`, or
        `PAPERBOY_SECRET_KEY_FILE: /run/secrets/key` when it came from the file that variable names."""
        path = self._files.get(name)
        return f"{_SECRETS[name]}_FILE: {path}" if path else _SECRETS[name]

    def sealer(self) -> Sealer:
        """The sealer of PAPERBOY_SECRET_KEY; a ConfigError, naming where the key came from, when it is
        not set or malformed."""
        from bot.store.sealing import sealer

        key = self.secret_key
        return sealer(key.get_secret_value() if key else None, self.source("secret_key"))

    @property
    def config_path(self) -> Path:
        return self.config or DEFAULT_CONFIG


TEST_ONLY = "PAPERBOY_TEST_"  # the test suite's own variables (a throwaway PostgreSQL's URL): never the bot's


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A sentence for each `PAPERBOY_…` variable set that paperboy does not read, with the variable it
    likely means: a typo (`PAPERBOY_OFLINE=1`) was silently ignored, and the bot went online."""
    read = {_read_as(name) for name in Settings.model_fields}
    read |= {f"{variable}_FILE" for variable in _SECRETS.values()}
    by_stem = {variable.removeprefix("PAPERBOY_"): variable for variable in read}  # SLACK_BOT_TOKEN has none
    platforms = sorted(v for v in read if v.startswith(_PLATFORMS))
    said = []
    for name in sorted(environ):
        upper = name.upper()  # the settings are read whatever the case of their names
        if upper.startswith("PAPERBOY_") and not upper.startswith(TEST_ONLY) and upper not in read:
            stem = upper.removeprefix("PAPERBOY_")
            near = difflib.get_close_matches(_spelt_out(stem), by_stem, n=1, cutoff=0.7)
            hint = f"did you mean {by_stem[near[0]]}? " if near else ""
            said.append(
                f"{name} is not a variable paperboy reads, so it changes nothing: {hint}"
                "the variables are listed in docs/configuration.md"
            )
        elif (
            upper.startswith(_PLATFORMS)
            and upper not in read
            and (near := _OTHER_TOOLS.get(upper) or difflib.get_close_matches(upper, platforms, n=1, cutoff=0.85))
        ):  # `SLACK_APPTOKEN`: HTTP mode, not Socket Mode; `DISCORD_BOT_TOKEN`: no Discord (another app's
            said.append(  # SLACK_WEBHOOK_URL is far from any of ours, and left alone)
                f"{name} is not a variable paperboy reads, so it changes nothing: did you mean {near[0]}?"
            )
        elif upper == "DATABASE_URL" and "PAPERBOY_DATABASE_URL" not in {n.upper() for n in environ}:
            said.append(
                "DATABASE_URL is set, and paperboy reads PAPERBOY_DATABASE_URL: the store is SQLite in the data"
                " dir (set PAPERBOY_DATABASE_URL to use that database)"
            )
    return said + _twice(environ, read) + _blank_stores(environ)


# Where the store and the config file are read from: set to nothing (an env file's template left blank), each
# falls back to its default, as unset, where another deployment's data or file was most likely meant.
_BLANK_MEANS = {
    "PAPERBOY_DATA_DIR": f"the store is in {DEFAULT_DATA_DIR}, in the folder paperboy starts in",
    "PAPERBOY_DATABASE_URL": "the store is SQLite in the data dir",
    "PAPERBOY_CONFIG": "the config file is config/paperboy.toml, in the folder paperboy starts in, if there is one",
}


def _blank_stores(environ: Mapping[str, str]) -> list[str]:
    """A sentence for each of the store's and the config file's variables set to nothing: taken as unset
    (the default), which it says (an empty `PAPERBOY_DATA_DIR=` made a new store where paperboy started)."""
    url = any(n.upper() == "PAPERBOY_DATABASE_URL" and v.strip() for n, v in environ.items())
    said = []
    for name in sorted(environ):
        if (means := _BLANK_MEANS.get(name.upper())) is not None and not environ[name].strip():
            if url and name.upper() == "PAPERBOY_DATA_DIR":  # the store is the URL's: the data dir holds the rest
                means = f"the data dir is {DEFAULT_DATA_DIR}, in the folder paperboy starts in"
            said.append(f"{name} is set to nothing, so it is taken as unset: {means} (give it a value, or unset it)")
    return said


def _twice(environ: Mapping[str, str], read: set[str]) -> list[str]:
    """A variable set twice, its names differing in case only, to two values (`PAPERBOY_OFFLINE=1` and
    `paperboy_offline=0`): read whatever the case of the name, one was taken without a word."""
    spellings: dict[str, list[str]] = {}
    for name in sorted(environ):
        if name.upper() in read:
            spellings.setdefault(name.upper(), []).append(name)
    return [
        f"{' and '.join(names)} are one variable (its name is read in any case), set to two values: unset all but one"
        for names in spellings.values()
        if len({environ[name] for name in names}) > 1
    ]


_PLATFORMS = ("SLACK_", "DISCORD_")


def _spelt_out(stem: str) -> str:
    """A setting's name as people shorten it: the database's (`DB_URL`, `DB_URI`, `DSN`: it was offered
    nothing), where its file is (`DB_DIR`, `DB_PATH`: the data dir, which holds SQLite's file); a secret's
    `_FILE` kept (`DB_URL_FILE`). Any other name as it is."""
    if stem in _SHORT:  # `DB_FILE`: SQLite's file, in the data dir
        return _SHORT[stem]
    base, file = (stem.removesuffix("_FILE"), "_FILE") if stem.endswith("_FILE") else (stem, "")
    if base in _SHORT:
        return _SHORT[base] + file
    words = set(base.split("_"))
    if base.split("_")[0] not in ("DB", "DATABASE") or not words & (_CONNECTION | _WHERE):
        return stem
    return ("DATA_DIR" if words & _WHERE and not words & _CONNECTION else "DATABASE_URL") + file


_CONNECTION = frozenset({"HOST", "NAME", "USER", "PASSWORD", "PORT", "CONN", "CONNECTION", "STRING", "URI", "URL"})
_WHERE = frozenset({"DIR", "PATH", "FILE", "FILENAME", "FOLDER", "DIRECTORY"})  # SQLite's file: in the data dir


_SHORT = {
    **dict.fromkeys(("DB", "DB_URL", "DB_URI", "DATABASE_URI", "DSN", "DB_DSN", "DATABASE_DSN"), "DATABASE_URL"),
    **dict.fromkeys(("DB_DIR", "DB_PATH", "DB_DIRECTORY", "DB_FOLDER", "DATABASE_DIR", "DATABASE_PATH"), "DATA_DIR"),
    **dict.fromkeys(("DB_FILE", "DATABASE_FILE", "DB_FILENAME"), "DATA_DIR"),
}


_OTHER_TOOLS = {"SLACK_API_TOKEN": ["SLACK_BOT_TOKEN"], "SLACK_TOKEN": ["SLACK_BOT_TOKEN"]}  # other tools' names for it


def _read_as(field: str) -> str:
    """The variable a setting is read from: its alias (`SLACK_CLIENT_ID`), else `PAPERBOY_` and its name."""
    alias = Settings.model_fields[field].validation_alias
    named = alias.choices[0] if isinstance(alias, AliasChoices) else alias
    return named if isinstance(named, str) else _SECRETS.get(field, f"PAPERBOY_{field.upper()}")


_WARNED: set[str] = set()  # what `load_settings` said already: `run` loads the settings twice


def load_settings() -> Settings:
    """The settings, or a ConfigError naming the variable, what it holds, and what it takes. A warning for
    each `PAPERBOY_…` variable it does not read (`unknown_variables`), once a process."""
    for sentence in unknown_variables(os.environ):
        if sentence not in _WARNED:
            _WARNED.add(sentence)
            log.warning("%s", sentence)
    try:
        return Settings()
    except ValidationError as exc:
        faults = [_fault(error) for error in exc.errors()]
        if "config" not in {str(error["loc"][0]) for error in exc.errors() if error["loc"]}:
            faults += _config_faults()
        raise ConfigError(said_at_once(faults)) from None


def _config_faults() -> list[str]:
    """The config file's faults, said with the environment's, so that one run names every fault to mend
    (the file is read where `PAPERBOY_CONFIG` points, else the default, as the settings would)."""
    named = os.environ.get("PAPERBOY_CONFIG", "").strip()  # blanks: unset, as the settings take them
    path = Path(named) if named else DEFAULT_CONFIG
    try:
        load_config(path, required=bool(named))
    except ConfigError as exc:
        return [str(exc).replace("\n  also ", "\n    ")]  # the file's own list, under its first line
    return []


_UNSAID = {*_SECRETS, "database_url"}  # a database's URL holds its password


def _fault(error: ErrorDetails) -> str:
    """One variable's fault: its name, what it holds (never a secret's) and what it takes."""
    name = str(error["loc"][0]) if error["loc"] else "environment"
    variable = _SECRETS.get(name, f"PAPERBOY_{name.upper()}")
    said = variable if name in _UNSAID else f"{variable} is {str(error['input'])!r}"  # a secret is never echoed
    return f"{said}: {wanted(error)}"


def store_setting(settings: Settings) -> str:
    """What the operator set to choose the store, for a fault's fix to name."""
    return "PAPERBOY_DATABASE_URL" if settings.database_url else "PAPERBOY_DATA_DIR"


def store_explained(settings: Settings) -> Callable[[Exception], str | None]:
    """A store's fault in the operator's words (the line a command fails with), None for any other
    error: for `paperboy chat`, whose person is the operator, and `run`'s log."""
    from bot.domain.errors import UnexpectedStoreError
    from bot.store.engine import database_url
    from bot.store.faults import store_fault

    url = database_url(settings.database_url, settings.data_dir)

    def explained(error: Exception) -> str | None:
        fault = store_fault(error, url, store_setting(settings))
        return None if fault is None or isinstance(fault, UnexpectedStoreError) else str(fault)  # a bug: traceback

    return explained
