from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.settings import load_settings
from bot.domain.config import load_config, parse_config
from bot.domain.errors import ConfigError
from bot.domain.weekdays import format_days, parse_days

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_config_is_valid() -> None:
    config = load_config(ROOT / "config" / "paperboy.toml", required=True)
    assert (config.digest.limit, config.digest.min_upvotes) == (10, 0)


def test_the_contract_example_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[digest]\nlimit = 10\nmin_upvotes = 0\n\n[[subscriptions]]\nchannel = "slack:C0123456"\n'
        'topics = ["diffusion", "reinforcement learning"]\ntime = "09:00"\ntimezone = "Europe/Berlin"\n'
        'days = "mon-fri"\nlimit = 5\n',
        encoding="utf-8",
    )
    subscription = load_config(path, required=True).subscriptions[0]
    assert subscription.channel == "slack:C0123456"
    assert subscription.timezone == "Europe/Berlin"
    assert parse_days(subscription.days) == frozenset(range(5))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[subscriptions]]\nchannel = "C0123"\n', "is not PLATFORM:CHANNEL_ID"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntime = "9am"\n', "'9am' is not a time of day"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ndays = "someday"\n', "is not a set of days"),
        ("[digest]\nlimit = 0\n", "digest.limit"),
        ("[digest]\nlimit = true\n", "digest.limit: true is not a value for this setting"),
        ('[slack]\ntoken = "xoxb-1"\n', "slack.token: unknown setting"),
        ("[slack]\nguilds = [42]\n", "slack.guilds: unknown setting"),
        ('[discord]\nsigning_secret = "s"\n', "discord.signing_secret: unknown setting"),
        (
            '[[subscriptions]]\nchannel = "slack:C1"\n[[subscriptions]]\nchannel = "slack:C1"\ntime = "17:00"\n',
            r"subscriptions: entry \[1\] \('slack:C1'\) names the channel of entry \[0\] \('slack:C1'\) again",
        ),
        (
            '[[subscriptions]]\nchannel = "slack:T1/C1"\n[[subscriptions]]\nchannel = "slack:C1"\n',
            "give each channel one entry",
        ),
    ],
)
def test_config_errors_name_the_place(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path, required=True)


def test_an_absent_default_config_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml", required=False).digest.limit == 10


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("daily", set(range(7))),
        ("sat,sun", {5, 6}),
        ("fri-mon", {4, 5, 6, 0}),
        ("Weekends", {5, 6}),
    ],
)
def test_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == days


def test_days_read_back() -> None:
    assert format_days(frozenset(range(5))) == "Monday to Friday"
    assert format_days(frozenset({0, 2})) == "Mon, Wed"


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("xoxb-from-file\n", encoding="utf-8")
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SLACK_BOT_TOKEN_FILE", str(secret))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    settings = load_settings()
    assert settings.offline is True
    assert settings.data_dir == tmp_path
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-file"
    assert "xoxb-from-file" not in repr(settings)


def test_bad_environment_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_SLACK_PORT", "seventy")
    with pytest.raises(ConfigError, match="PAPERBOY_SLACK_PORT"):
        load_settings()


def test_a_blank_offline_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_OFFLINE", "")
    assert load_settings().offline is False


def test_one_channel_id_in_two_named_workspaces_is_two_channels() -> None:
    body = '[[subscriptions]]\nchannel = "slack:T1/C1"\n[[subscriptions]]\nchannel = "slack:T2/C1"\n'
    assert len(parse_config(body, "c.toml").subscriptions) == 2
