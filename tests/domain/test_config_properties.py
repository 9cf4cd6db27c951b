"""The config file under arbitrary TOML: a config, or one ConfigError line naming the place; nothing else."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.config import MAX_TOPIC_CHARS, MAX_TOPICS, FileConfig, check_timezone, load_config, parse_config
from bot.domain.errors import ConfigError
from tests.strategies import FAST


def toml_value(value: Any) -> str:
    """A TOML literal (the tests need no TOML writer): JSON's strings and numbers are TOML's, mostly."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def toml(document: dict[str, Any]) -> str:
    lines = []
    for name, body in document.items():
        if isinstance(body, list):
            for table in body:
                lines.append(f"[[{name}]]")
                lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
        elif isinstance(body, dict):
            lines.append(f"[{name}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in body.items()]
        else:
            lines.insert(0, f"{json.dumps(name)} = {toml_value(body)}")
    return "\n".join(lines) + "\n"


SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, 1, 5, 10, 50, 51, -1, 0.5, 24.5, math.nan, math.inf]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["09:00", "9:5", "24:00", "UTC", "Europe/Berlin", "Europe", "../etc", "mon-fri", "someday", "slack:C1",
         "discord:123", "C0123", "U0123ABC", "S0123ABC", "*", "ada", ""]
    ),
)  # fmt: skip
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=12), st.lists(st.text(max_size=250), max_size=12))
KEYS = {
    "digest": ["limit", "min_upvotes", "topics"],
    "schedule": ["wait_hours", "min_papers", "catch_up_hours", "sync_minutes", "tick_seconds", "parallel"],
    "slack": ["bot_token", "signing_secret", "app_token", "admins"],
    "discord": ["token", "bot_token", "guilds"],
    "subscriptions": ["channel", "topics", "time", "timezone", "days", "limit", "min_upvotes"],
}


def table(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.one_of(st.sampled_from(keys), st.sampled_from(keys).map(lambda k: k + "s"), st.text(max_size=8))
    return st.dictionaries(names, VALUES, max_size=6)


DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "digest": table(KEYS["digest"]),
        "schedule": table(KEYS["schedule"]),
        "slack": table(KEYS["slack"]),
        "discord": table(KEYS["discord"]),
        "subscriptions": st.lists(table(KEYS["subscriptions"]), max_size=3),
        "digests": table(KEYS["digest"]),
    },
)


def _outcome(text: str) -> FileConfig | ConfigError:
    try:
        return parse_config(text, "paperboy.toml")
    except ConfigError as exc:
        return exc


def _one_line(error: ConfigError) -> None:
    """The file and its first fault on the first line; each other fault on a line of its own."""
    first, *more = str(error).split("\n")
    assert first.startswith("paperboy.toml: "), first
    assert all(line.startswith("  also ") for line in more[:-1]), more
    assert not more or more[-1].startswith(("  also ", "  and ")), more


@pytest.mark.slow
@FAST
@given(DOCUMENTS)
def test_any_document_is_a_config_or_a_one_line_error(document: dict[str, Any]) -> None:
    outcome = _outcome(toml(document))
    if isinstance(outcome, ConfigError):
        _one_line(outcome)
        return
    for subscription in outcome.subscriptions:  # what the scheduler relies on
        check_timezone(subscription.timezone)
        assert len(subscription.topics) <= MAX_TOPICS
        assert all(len(t) <= MAX_TOPIC_CHARS for t in subscription.topics)


@FAST
@given(st.text(max_size=400))
def test_any_text_is_a_config_or_a_one_line_error(text: str) -> None:
    outcome = _outcome(text)
    if isinstance(outcome, ConfigError):
        _one_line(outcome)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[subscriptions]]\nchannel = "slack:C1"\ntimezone = "Europe"\n', "unknown time zone 'Europe'"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntimezone = "' + "a" * 300 + '"\n', "unknown time zone"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntopics = ["' + "x" * 201 + '"]\n', "at most 200 characters"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntopics = [' + '"t", ' * 11 + "]\n", "at most 10 topics, not 11"),
        ('[digest]\ntopics = [" "]\n', "digest.topics\\[0\\]: a topic cannot be blank"),
        ('[slack]\nadmins = ["ada"]\n', "slack.admins: 'ada' is not a Slack member id"),
        ('[slack]\nadmin = ["U012AB"]\n', "slack.admin: unknown setting: did you mean 'admins'"),
        ('[digest]\ntopcs = ["x"]\n', "digest.topcs: unknown setting: did you mean 'topics'"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntme = "09:00"\n', r"subscriptions\[0\]\.tme: .*did you mean 'time'"),
        ("[shedule]\ntick_seconds = 5\n", "shedule: unknown name: did you mean 'schedule'"),
        ("[schedule]\nwait_hours = -1\n", r"schedule.wait_hours is -1: use a number of 0 or more$"),  # not 0.0
        ("[schedule]\nmin_papers = 99999\n", r"schedule.min_papers is 99999: use a number of 1000 or less$"),
        ("[discord]\nguilds = [1" + "0" * 29 + "]\n", r"use a number of 18446744073709551615 or less$"),  # 64 bits
        ("[digest]\nzzzqqq = 1\n", r"digest.zzzqqq: unknown setting \(check its spelling against the README\)"),
        ("[defaults]\nlimit = 3\n", r"defaults: paperboy reads no table of that name: its tables are \[digest\], "),
        ('[discord]\nadmins = ["U012AB"]\n', r"discord.admins: unknown setting: 'admins' belongs in \[slack\]"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("[schedule]\nwait_hours = nan\n", "schedule.wait_hours"),
        ('[digest]\ntopics = "diffusion"\n', r"digest.topics is 'diffusion': use a list in brackets, such as \["),
        ('[digest]\nlimit = "ten"\n', "digest.limit is 'ten': use a whole number"),
        ("[digest]\nlimit = 100\n", "digest.limit is 100: use a number of 50 or less"),
        ('[subscriptions]\nchannel = "slack:C1"\n', r"subscriptions: write each channel's table as \[\["),
        ('[[subscriptions]]\ntime = "09:00"\n', r"subscriptions\[0\]\.channel: it is required: add it"),
    ],
)
def test_the_errors_that_used_to_escape_or_were_missing(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path, required=True)
    assert "\n" not in str(caught.value)


def test_slack_admins_take_members_groups_or_everyone(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[slack]\nadmins = ["U012AB3CD", "W0ENTERPRISE", "S0GROUP1", "*"]\n', encoding="utf-8")
    assert load_config(path, required=True).slack.admins == ("U012AB3CD", "W0ENTERPRISE", "S0GROUP1", "*")
    assert load_config(tmp_path / "none.toml", required=False).slack.admins == ()


def test_an_unknown_key_with_a_line_break_is_named_on_one_line() -> None:
    outcome = _outcome('[digest]\n"top\\nlimit" = 3\n')
    assert isinstance(outcome, ConfigError)
    assert str(outcome).startswith('paperboy.toml: digest."top\\nlimit": unknown setting')
