from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.app import settings as settings_module
from bot.app.settings import load_settings, unknown_variables
from bot.domain.config import load_config, parse_config
from bot.domain.errors import ConfigError
from bot.domain.weekdays import format_days, parse_days

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = "such as slack:C0123456, discord:1234567890 or console:NAME"


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
        *(  # the examples the command line gives, console's too
            (
                f'[[subscriptions]]\nchannel = "{channel}"\n',
                re.escape(f"'{channel}' is not PLATFORM:CHANNEL_ID ({EXAMPLES})"),
            )
            for channel in ("console:a b",)
        ),
        (
            '[[subscriptions]]\nchannel = "irc:a"\n',
            re.escape(f"'irc:a': 'irc' is not a platform (console, discord, slack; {EXAMPLES})"),
        ),
        (
            '[[subscriptions]]\nchannel = "slak:C1"\n',
            re.escape("is not a platform (console, discord, slack; ") + ".*Did you mean 'slack:C1'\\?",
        ),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntime = "9am"\n', "'9am' is not a time of day"),
        ('[[subscriptions]]\nchannel = "slack:C1"\ndays = "someday"\n', "is not a set of days"),
        ("[digest]\nlimit = 0\n", "digest.limit"),
        ("[digest]\nlimit = true\n", "digest.limit: true is not a value for this setting: use a whole number"),
        ("[schedule]\nwait_hours = false\n", "schedule.wait_hours: false is not a value .*: use a number"),
        # pydantic's own words before: "Input should be a valid number, unable to parse string as a number"
        ('[schedule]\nwait_hours = "six"\n', "schedule.wait_hours: use a number, such as 6 or 1.5"),
        ("[schedule]\nsync_minutes = nan\n", r"schedule.sync_minutes: use a number \(nan and inf are none\)"),
        ("[schedule]\nwait_hours = inf\n", r"schedule.wait_hours is inf: use a number \(nan and inf are none\)"),
        ("[digest]\nlimit = 1e30\n", "digest.limit: use a whole number of a sensible size"),
        ("[digest]\ntopics = true\n", "digest.topics: true is not a value for this setting: use a list in brackets"),
        (
            '[slack]\nadmins = "U012AB3CD"\n',
            r"slack.admins is 'U012AB3CD': use a list .*such as \[\"U012AB3CD\", \"S0PAPERS\"\]",
        ),
        ("[[subscriptions]]\nchannel = true\n", r"subscriptions\[0\]\.channel: true .*: use a text in quotes"),
        ('[slack]\ntoken = "xoxb-1"\n', "slack.token: unknown setting"),
        ("[slack]\nguilds = [42]\n", r"slack.guilds: unknown setting: 'guilds' belongs in \[discord\], not \[slack\]$"),
        ('[discord]\nadmins = ["U1"]\n', r"discord.admins: .*: 'admins' belongs in \[slack\], not \[discord\]$"),
        ("[discord]\nguilds = [0, -5]\n", r"discord.guilds\[0\] is 0: use a number of 1 or more"),  # no server's id
        ('[discord]\nsigning_secret = "s"\n', r"discord.signing_secret: .*'signing_secret' belongs in \[slack\]"),
        ('[digest]\nchannel = "slack:C1"\n', r"digest.channel: .*'channel' belongs in \[\[subscriptions\]\], not"),
        ("[schedule]\ntopics = []\n", r"'topics' belongs in \[digest\] or \[\[subscriptions\]\], not \[schedule\]$"),
        ("wait_hours = 3\n", r"wait_hours: .*'wait_hours' belongs in \[schedule\], not at the top of the file$"),
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


def test_every_fault_of_the_file_is_said_in_one_go() -> None:
    """A channel given twice, a weekly entry's `days` and each wrong topic of a list are said beside the
    fields' faults, not once those are mended (the operator mended and restarted three times)."""
    body = (
        '[[subscriptions]]\nchannel = "slack:C1"\ntime = "25:00"\n'
        '[[subscriptions]]\nchannel = "slack:C1"\ntopics = ["autor:LeCun", "", "diffusion"]\n'
        '[[subscriptions]]\nchannel = "console:x"\ncadence = "weekly"\ndays = "mon-fri"\nday = "funday"\n'
    )
    with pytest.raises(ConfigError) as refused:
        parse_config(body, "paperboy.toml")
    said = str(refused.value).split("\n")
    assert said[0].startswith("paperboy.toml: subscriptions[0].time: '25:00' is not a time of day")
    assert [line.split(":")[0] for line in said[1:]] == [
        "  also subscriptions[1].topics[0]",
        "  also subscriptions[1].topics[1]",
        "  also subscriptions[2].day",
        "  also subscriptions[2]",
        "  also subscriptions",
    ]
    assert said[-2].endswith('a weekly roundup comes one day a week: write day = "fri", not days')
    assert said[-1].endswith(
        "entry [1] ('slack:C1') names the channel of entry [0] ('slack:C1') again: give each channel one entry"
    )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            "[[subscriptions]]\nchannel = 123\n",
            'subscriptions[0].channel: use a text in quotes, such as "slack:C0123456"',
        ),
        (
            '[[subscriptions]]\nchannel = "slack:C1"\ntimezone = 1\n',
            'timezone: use a text in quotes, such as "Europe/Berlin"',
        ),
        ('[[subscriptions]]\nchannel = "slack:C1"\ntime = 900\n', 'time: use a text in quotes, such as "09:00"'),
        ("[digest]\ntopics = [1]\n", 'digest.topics[0]: use a text in quotes, such as "diffusion"'),
        ("[slack]\nbot_token = 123\n", "slack.bot_token: use a text in quotes"),
        ("[discord]\ntoken = 12345678901234\n", "discord.token: use a text in quotes"),
    ],
)
def test_a_number_for_a_text_setting_gets_an_example_of_that_setting(tmp_path: Path, body: str, said: str) -> None:
    """Not "09:00" for every text: a channel, a zone or a token is no time of day."""
    path = tmp_path / "c.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, required=True)
    assert str(caught.value).endswith(said)
    assert "12345678901234" not in str(caught.value)


def test_every_fault_of_a_file_is_said_at_once_one_a_line() -> None:
    body = (
        '[digest]\nlimit = "ten"\nmin_upvote = 3\n\n[[subscriptions]]\nchannel = "slack:C1"\n'
        'time = "9am"\ntimezone = "Europe/Berln"\n'
    )
    with pytest.raises(ConfigError) as refused:
        parse_config(body, "paperboy.toml")
    assert str(refused.value).split("\n") == [  # it said the first only: four runs to mend four faults
        "paperboy.toml: digest.limit is 'ten': use a whole number",
        "  also digest.min_upvote: unknown setting: did you mean 'min_upvotes'?",
        "  also subscriptions[0].time: '9am' is not a time of day (use HH:MM, 24-hour, such as 09:00)",
        "  also subscriptions[0].timezone: unknown time zone 'Europe/Berln' (use an IANA name such as Europe/Berlin"
        " or UTC). Did you mean Europe/Berlin?",
    ]


def test_a_setting_of_the_environment_written_in_the_file_says_its_variable() -> None:
    """`[slack] client_secret` was offered "did you mean 'signing_secret'?": followed, every request failed its
    signature; `port` and `client_id` were told to check their spelling."""
    with pytest.raises(ConfigError) as refused:
        parse_config('[slack]\nclient_secret = "x"\nclient_id = "1.2"\nport = 3000\n', "paperboy.toml")
    assert str(refused.value).split("\n") == [
        "paperboy.toml: slack.client_secret: set in the environment only, as SLACK_CLIENT_SECRET (or"
        " SLACK_CLIENT_SECRET_FILE): see docs/configuration.md",
        "  also slack.client_id: set in the environment only, as SLACK_CLIENT_ID: see docs/configuration.md",
        "  also slack.port: set in the environment only, as PAPERBOY_SLACK_PORT: see docs/configuration.md",
    ]
    with pytest.raises(ConfigError) as discord:  # Discord's: no Slack variable to name
        parse_config('[discord]\nclient_id = "1"\n', "paperboy.toml")
    assert "SLACK_CLIENT_ID" not in str(discord.value)


@pytest.mark.parametrize(
    ("topics", "said"),
    [
        (
            '["diffusion,robotics"]',
            "'diffusion,robotics' holds a comma, which a search reads as nothing: for two topics give each its own"
            ' item, ["diffusion", "robotics"]; for one, write it without the comma',
        ),
        ('["autor:LeCun"]', "'autor:LeCun': did you mean author:LeCun?"),
    ],
)
def test_a_topic_the_file_would_never_match_is_refused(topics: str, said: str) -> None:
    """Each gave an empty digest every day, without a word (chat splits the commas it is typed with)."""
    with pytest.raises(ConfigError) as refused:
        parse_config(f'[[subscriptions]]\nchannel = "console:x"\ntopics = {topics}\n', "paperboy.toml")
    assert str(refused.value) == f"paperboy.toml: subscriptions[0].topics[0]: {said}"


def test_a_files_topic_both_wanted_and_left_out_is_refused_and_one_listed_twice_is_one() -> None:
    """`["diffusion", "-diffusion"]` gave an empty digest every day, said nowhere; chat and `digest --topic`
    refuse it (QA s77). A topic twice (`Diffusion`, `diffusion`) was kept twice: it is one."""
    file = '[digest]\ntopics = ["agents", "-Agents"]\n[[subscriptions]]\nchannel = "console:x"\n'
    with pytest.raises(ConfigError) as refused:
        parse_config(file + 'topics = ["diffusion", "robotics", "Diffusion"]\n', "paperboy.toml")
    assert str(refused.value) == "paperboy.toml: digest.topics: “agents” is both wanted and left out: keep one of them"
    twice = parse_config(file.replace("-Agents", "robotics") + 'topics = ["diffusion", "Diffusion"]\n', "p.toml")
    assert twice.subscriptions[0].topics == ("diffusion",)  # one, as chat takes it (kept twice before)


def test_a_zero_width_character_pasted_into_a_files_topic_is_dropped_as_chat_drops_it() -> None:
    """`diff\u200busion` (a zero-width space, pasted from a web page) matched no paper, and looked right."""
    config = parse_config(
        '[[subscriptions]]\nchannel = "console:x"\ntopics = ["diff\\u200busion", "ro\\u00adbots"]\n', "f"
    )
    assert config.subscriptions[0].topics == ("diffusion", "robots")


def test_past_ten_faults_the_rest_are_counted() -> None:
    body = "[digest]\n" + "".join(f"unknown{n} = 1\n" for n in range(13))
    with pytest.raises(ConfigError) as refused:
        parse_config(body, "paperboy.toml")
    lines = str(refused.value).split("\n")
    assert len(lines) == 11 and lines[-1] == "  and 3 more", lines


def test_an_absent_default_config_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml", required=False).digest.limit == 10


def test_a_config_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "paperboy.toml"
    path.write_bytes(b"\xef\xbb\xbf[digest]\nlimit = 5\n")  # as Windows tools write UTF-8
    assert load_config(path, required=True).digest.limit == 5


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


def test_a_subscription_on_weekend_days_alone_is_a_config_error(tmp_path: Path) -> None:
    """Hugging Face lists papers on weekdays only: such a digest was skipped every time, without a word."""
    path = tmp_path / "paperboy.toml"
    path.write_text('[[subscriptions]]\nchannel = "console:main"\ndays = "sat,sun"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'sat,sun' holds no weekday: Hugging Face lists papers on weekdays only"):
        load_config(path, required=True)


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


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("PAPERBOY_SLACK_PORT", "seventy", "PAPERBOY_SLACK_PORT is 'seventy': use a whole number"),
        ("PAPERBOY_SLACK_PORT", "0", "PAPERBOY_SLACK_PORT is '0': use a number of 1 or more"),
        ("PAPERBOY_SLACK_PORT", "70000", "PAPERBOY_SLACK_PORT is '70000': use a number of 65535 or less"),
        ("PAPERBOY_OFFLINE", "2", "PAPERBOY_OFFLINE is '2': use 1 or 0 (or true, false, yes, no)"),
        ("PAPERBOY_HF_URL", "huggingface.co", "PAPERBOY_HF_URL is 'huggingface.co': not a web address: write it whole"),
        # a traceback at the first request, httpx's `Invalid port: 'abc'` (or an OverflowError) its last line
        ("PAPERBOY_HF_URL", "https://hf.co:abc", "PAPERBOY_HF_URL is 'https://hf.co:abc': 'hf.co:abc' is not a host"),
        ("PAPERBOY_ARXIV_URL", "http://127.0.0.1:99999", "PAPERBOY_ARXIV_URL is 'http://127.0.0.1:99999': '127.0."),
        ("PAPERBOY_SLACK_API_URL", "http://[::1/api/", "PAPERBOY_SLACK_API_URL is 'http://[::1/api/': '[::1' is not"),
        ("PAPERBOY_DISCORD_API_URL", "http://", "PAPERBOY_DISCORD_API_URL is 'http://': names no host"),
        ("PAPERBOY_HF_URL", "http://127.0.0.1:0", "PAPERBOY_HF_URL is 'http://127.0.0.1:0': port 0 is no port"),
        ("PAPERBOY_DISCORD_GATEWAY_URL", "gateway.discord.gg", "PAPERBOY_DISCORD_GATEWAY_URL is 'gateway.discord.gg'"),
        # an env file keeps `$HOME` as written: a folder named `$HOME` was another store, new and empty, unsaid
        ("PAPERBOY_DATA_DIR", "$HOME/pbdata", "PAPERBOY_DATA_DIR is '$HOME/pbdata': it holds $HOME, a variable no"),
        ("PAPERBOY_DATA_DIR", "${DATA}/pb", "PAPERBOY_DATA_DIR is '${DATA}/pb': it holds ${DATA}, a variable no"),
        ("PAPERBOY_CONFIG", "$HOME/pb.toml", "PAPERBOY_CONFIG is '$HOME/pb.toml': it holds $HOME, a variable no"),
        ("PAPERBOY_CONFIG", " pb.toml", "PAPERBOY_CONFIG is ' pb.toml': the blanks around it would be part of it"),
    ],
)
def test_bad_environment_values_name_the_variable_and_what_it_takes(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(said)


def test_every_bad_environment_value_is_said_at_once_one_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_OFFLINE", "maybe")
    monkeypatch.setenv("PAPERBOY_SLACK_PORT", "abc")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).split("\n") == [  # it said the first only
        "PAPERBOY_OFFLINE is 'maybe': use 1 or 0 (or true, false, yes, no)",
        "  also PAPERBOY_SLACK_PORT is 'abc': use a whole number",
    ]


def test_the_config_files_faults_are_said_with_the_environments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An operator mending the environment's faults was then stopped again by the file's (review s73)."""
    config = tmp_path / "bad.toml"
    config.write_text("[digest]\nlimit = 500\nlimt = 3\n", encoding="utf-8")
    monkeypatch.setenv("PAPERBOY_OFFLINE", "maybe")
    monkeypatch.setenv("PAPERBOY_CONFIG", str(config))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).split("\n") == [
        "PAPERBOY_OFFLINE is 'maybe': use 1 or 0 (or true, false, yes, no)",
        f"  also {config}: digest.limit is 500: use a number of 50 or less",
        "    digest.limt: unknown setting: did you mean 'limit'?",
    ]
    monkeypatch.setenv("PAPERBOY_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match=r"also .*absent.toml: no such config file"):
        load_settings()
    monkeypatch.setenv("PAPERBOY_CONFIG", str(config / "in" / "it.toml"))  # a file's path through a file
    with pytest.raises(ConfigError, match=r"also .*it.toml: (no such config file|cannot read it)"):
        load_settings()

    exists = Path.exists

    def refused(path: Path) -> bool:  # a folder paperboy's user may not look into (as root, none is)
        if path.name == "it.toml":
            raise PermissionError(13, "Permission denied", str(path))
        return exists(path)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "exists", refused)
        with pytest.raises(ConfigError, match=r"also .*it.toml: cannot read it: this user may not read it"):
            load_settings()
        with pytest.raises(ConfigError, match=r"^.*it.toml: cannot read it: this user may not read it$"):
            load_config(Path(os.environ["PAPERBOY_CONFIG"]), required=True)  # `run`'s own reading, the same
    monkeypatch.setenv("PAPERBOY_CONFIG", "   ")  # blanks: unset, the default (valid), no fault of its own
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "also" not in str(caught.value).replace("also PAPERBOY_", "")
    monkeypatch.setenv("PAPERBOY_CONFIG", "$HOME/bad.toml")  # the variable's own fault: the file is not looked for
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("PAPERBOY_CONFIG") and ".toml:" not in str(caught.value)


def test_a_secret_file_that_cannot_be_read_is_named_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN_FILE", str(tmp_path / "absent"))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"SLACK_BOT_TOKEN_FILE: cannot read {tmp_path / 'absent'}: no such file;")
    assert str(caught.value).endswith("point it at the file holding the secret, or set SLACK_BOT_TOKEN instead")
    (tmp_path / "binary").write_bytes(b"\xff\xfe")
    monkeypatch.setenv("SLACK_BOT_TOKEN_FILE", str(tmp_path / "binary"))
    with pytest.raises(ConfigError, match="is not text"):
        load_settings()


@pytest.mark.parametrize("text", ["", "\n", "  \n"])
def test_an_empty_secret_file_is_named_not_taken_for_an_unset_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str
) -> None:
    """It was read as no token at all: `run` then said "SLACK_BOT_TOKEN is not set", of a variable never set."""
    (tmp_path / "token").write_text(text, encoding="utf-8")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("DISCORD_TOKEN_FILE", str(tmp_path / "token"))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == (
        f"DISCORD_TOKEN_FILE: {tmp_path / 'token'} is empty: write the secret in it (a secret not mounted yet?), "
        "or set DISCORD_TOKEN instead"
    )


@pytest.mark.parametrize("command", ["reseal", "workspaces"])
def test_a_malformed_key_from_its_file_is_said_to_come_from_that_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """It was called "PAPERBOY_SECRET_KEY is malformed", of a variable never set."""
    from bot.app import cli

    (tmp_path / "key").write_text("not-a-key-4f4f\n", encoding="utf-8")
    monkeypatch.delenv("PAPERBOY_SECRET_KEY", raising=False)
    monkeypatch.setenv("PAPERBOY_SECRET_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(SystemExit) as ended:
        cli.main([command])
    said = capsys.readouterr().err
    assert ended.value.code == 1 and said.count("\n") == 1, said
    assert said.startswith(f"paperboy: error: PAPERBOY_SECRET_KEY_FILE: {tmp_path / 'key'} is malformed (it is not")
    assert "not-a-key-4f4f" not in said
    monkeypatch.setenv("PAPERBOY_SECRET_KEY", "set-here-5a5a")  # the variable, when set, is what is read
    with pytest.raises(SystemExit):
        cli.main([command])
    said = capsys.readouterr().err
    assert said.startswith("paperboy: error: PAPERBOY_SECRET_KEY is malformed (it is not") and "5a5a" not in said


def test_a_blank_secret_leaves_its_file_to_be_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "token").write_text("xoxb-from-file\n", encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("SLACK_BOT_TOKEN_FILE", str(tmp_path / "token"))
    token = load_settings().slack_bot_token
    assert token is not None and token.get_secret_value() == "xoxb-from-file"


def test_a_blank_data_dir_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_DATA_DIR", " ")
    assert load_settings().data_dir == Path(".paperboy")


@pytest.mark.parametrize("variable", ["PAPERBOY_DATA_DIR", "PAPERBOY_DATABASE_URL"])
@pytest.mark.parametrize("written", ['"/srv/paperboy"', "'/srv/paperboy'", " /srv/paperboy", "/srv/paperboy "])
def test_a_store_written_with_quotes_or_blanks_around_it_is_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, written: str
) -> None:
    """An env file keeps quotes: `PAPERBOY_DATA_DIR="/srv/paperboy"` opened a new, empty store in a folder
    named `"`, and the bot went on without its subscriptions or its record of digests sent."""
    monkeypatch.setenv(
        variable, written if variable == "PAPERBOY_DATA_DIR" else written.replace("/srv", "sqlite:////srv")
    )
    with pytest.raises(ConfigError) as refused:
        load_settings()
    said = str(refused.value)
    assert said.startswith(variable) and "would be part of it" in said and "write it without them" in said
    assert "srv" not in said or variable == "PAPERBOY_DATA_DIR"  # a database's URL holds its password: never said


def test_a_blank_offline_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_OFFLINE", "")
    assert load_settings().offline is False
    monkeypatch.setenv("PAPERBOY_OFFLINE", " 1 ")  # refused, while PAPERBOY_THREADS=" 4 " was read
    assert load_settings().offline is True


def test_one_channel_id_in_two_named_workspaces_is_two_channels() -> None:
    body = '[[subscriptions]]\nchannel = "slack:T1/C1"\n[[subscriptions]]\nchannel = "slack:T2/C1"\n'
    assert len(parse_config(body, "c.toml").subscriptions) == 2


def test_a_config_topic_of_stop_words_only_is_refused_naming_it() -> None:
    """A channel subscribed to it never got a paper, without a word."""
    with pytest.raises(ConfigError) as refused:
        parse_config('[[subscriptions]]\nchannel = "slack:C1"\ntopics = ["diffusion", "the"]\n', "paperboy.toml")
    assert "“the” has only words every search leaves out" in str(refused.value)


def test_a_discord_channel_that_is_not_a_number_is_refused_at_start() -> None:
    """It was accepted, and every delivery to it failed."""
    with pytest.raises(ConfigError, match="a Discord id is a number"):
        parse_config('[[subscriptions]]\nchannel = "discord:general"\n', "paperboy.toml")
    assert parse_config('[[subscriptions]]\nchannel = "discord:123/456"\n', "paperboy.toml").subscriptions
    for none in ("0", "007", "9" * 20, "9" * 26, "123/" + "9" * 21):  # no Discord id: 64 bits, not 0, no 0 before
        with pytest.raises(ConfigError, match="a Discord id is a number of up to 20 digits, not 0"):
            parse_config(f'[[subscriptions]]\nchannel = "discord:{none}"\n', "paperboy.toml")
    assert parse_config(f'[[subscriptions]]\nchannel = "discord:{2**64 - 1}"\n', "paperboy.toml").subscriptions


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[digest]\nlimit = 5\nlimit = 6\n", "line 3, column 10 is not valid TOML: a setting given a second time"),
        ("[digest]\n[digest]\n", "line 2, column 8 is not valid TOML: a [table] given a second time"),
        ('[config]\npath = "C:\\Users\\q"\n', 'a backslash in "quoted" text starts an escape: write two for one'),
        ("[digest]\nlimit 5\n", "line 2, column 7 is not valid TOML: each setting is name = value"),
        ("[digest]\nlimit = [1, 2\n", "the end of the file is not valid TOML: a [list] is not closed: add its ]"),
        ("= 3\n", "line 1, column 1 is not valid TOML: write a table's name in [brackets]"),
    ],
)
def test_a_file_that_is_not_toml_is_said_where_and_what_to_fix_in_our_words(text: str, said: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_config(text, "paperboy.toml")
    assert str(refused.value).startswith("paperboy.toml: ") and said in str(refused.value)
    assert "Cannot" not in str(refused.value) and "Expected" not in str(refused.value)  # tomllib's own words


def test_a_data_dir_given_with_a_tilde_is_in_the_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`PAPERBOY_DATA_DIR='~/pbdata'` (quoted: no shell expands it) made a folder named ~ where it ran."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PAPERBOY_DATA_DIR", "~/pbdata")
    assert load_settings().data_dir == tmp_path / "pbdata"
    monkeypatch.setenv("PAPERBOY_CONFIG", "~/paperboy.toml")  # the same rule (QA s77: "no such config file")
    assert load_settings().config == tmp_path / "paperboy.toml"


def test_a_public_url_without_a_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOY_PUBLIC_URL", "https://")
    with pytest.raises(ConfigError, match="PAPERBOY_PUBLIC_URL is 'https://': names no host"):
        load_settings()


def test_blanks_around_the_slack_client_credentials_are_no_part_of_them() -> None:
    """A `.env` line's trailing space went into the Add to Slack link and every code exchange: each
    install failed as "SLACK_CLIENT_SECRET does not match the app's"."""
    from bot.app.settings import Settings
    from bot.app.workspaces import multi_workspace

    key = "".join(["A"] * 43) + "="  # a key's form: 32 bytes, urlsafe base64
    settings = Settings(slack_client_id=" 1111.2222 ", slack_client_secret="abc \n", secret_key=key)
    found = multi_workspace(settings)
    assert found is not None and (found.client_id, found.client_secret) == ("1111.2222", "abc")


def test_the_stores_and_the_config_files_variables_set_to_nothing_are_said_to_be_taken_as_unset() -> None:
    """`PAPERBOY_DATA_DIR=` (an env file's template left blank) made a new store where paperboy started,
    without a word (QA s73-operator #5); it is still taken as unset, and said."""
    said = unknown_variables({"PAPERBOY_DATA_DIR": "", "PAPERBOY_CONFIG": "  ", "PAPERBOY_OFFLINE": ""})
    assert said == [
        "PAPERBOY_CONFIG is set to nothing, so it is taken as unset: the config file is config/paperboy.toml, in the"
        " folder paperboy starts in, if there is one (give it a value, or unset it)",
        "PAPERBOY_DATA_DIR is set to nothing, so it is taken as unset: the store is in .paperboy, in the folder"
        " paperboy starts in (give it a value, or unset it)",
    ]  # (PAPERBOY_OFFLINE blank is off, as documented: nothing else it could mean)
    assert unknown_variables({"PAPERBOY_DATA_DIR": "/srv/paperboy"}) == []
    with_a_database = unknown_variables({"PAPERBOY_DATA_DIR": "", "PAPERBOY_DATABASE_URL": "postgresql://db/p"})
    assert with_a_database == [  # the store is the URL's, not in .paperboy (second review, s73)
        "PAPERBOY_DATA_DIR is set to nothing, so it is taken as unset: the data dir is .paperboy, in the folder"
        " paperboy starts in (give it a value, or unset it)"
    ]


def test_a_misspelt_variable_is_warned_of_with_the_one_meant(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "PAPERBOY_OFLINE": "1",  # the bot would go online, silently
        "PAPERBOY_SLACK_BOT_TOKEN": "xoxb-1",  # the token's variable has no prefix
        "PAPERBOY_TIMEZONE": "Europe/Berlin",  # nothing near: a time zone is the config file's
        "paperboy_data_dir": "/tmp/pb",  # read whatever its case: not unknown
        "PAPERBOY_SECRET_KEY_FILE": "/run/secrets/key",  # read: a secret's file
        "PAPERBOY_TEST_POSTGRES_URL": "postgresql://x",  # the test suite's own
        "SLACK_BOT_TOKEN": "xoxb-1",  # another program's variables are not ours to judge
    }
    assert unknown_variables(environ) == [
        "PAPERBOY_OFLINE is not a variable paperboy reads, so it changes nothing: did you mean PAPERBOY_OFFLINE?"
        " the variables are listed in docs/configuration.md",
        "PAPERBOY_SLACK_BOT_TOKEN is not a variable paperboy reads, so it changes nothing: did you mean"
        " SLACK_BOT_TOKEN? the variables are listed in docs/configuration.md",
        "PAPERBOY_TIMEZONE is not a variable paperboy reads, so it changes nothing: the variables are listed in"
        " docs/configuration.md",
    ]
    monkeypatch.setenv("PAPERBOY_OFLINE", "1")
    monkeypatch.setattr(settings_module, "_WARNED", set())  # said once a process: this test's own process
    with caplog.at_level("WARNING", logger="bot.app.settings"):
        settings = load_settings()  # a warning, not a refusal: the rest is read as it is
        load_settings()  # `run` reads the settings twice: it said each warning twice
    assert settings.data_dir is not None
    assert [r.getMessage() for r in caplog.records if "PAPERBOY_OFLINE" in r.getMessage()] == [
        unknown_variables({"PAPERBOY_OFLINE": "1"})[0]
    ]
    platforms = {"SLACK_APPTOKEN": "x", "DISCORD_BOT_TOKEN": "y", "SLACK_WEBHOOK_URL": "z", "DATABASE_URL": "q"}
    assert unknown_variables(platforms) == [  # each was ignored without a word (HTTP mode, no Discord, SQLite)
        "DATABASE_URL is set, and paperboy reads PAPERBOY_DATABASE_URL: the store is SQLite in the data dir (set"
        " PAPERBOY_DATABASE_URL to use that database)",
        "DISCORD_BOT_TOKEN is not a variable paperboy reads, so it changes nothing: did you mean DISCORD_TOKEN?",
        "SLACK_APPTOKEN is not a variable paperboy reads, so it changes nothing: did you mean SLACK_APP_TOKEN?",
    ]  # (SLACK_WEBHOOK_URL is near none of ours: another program's)
    assert unknown_variables({"DATABASE_URL": "q", "PAPERBOY_DATABASE_URL": "sqlite:///x.db"}) == []
    assert unknown_variables({"SLACK_API_TOKEN": "x"}) == [  # other tools' name for a bot token: not SLACK_APP_TOKEN
        "SLACK_API_TOKEN is not a variable paperboy reads, so it changes nothing: did you mean SLACK_BOT_TOKEN?"
    ]
    client_id = unknown_variables({"PAPERBOY_SLACK_CLIENT_ID": "1.2"})  # read as SLACK_CLIENT_ID: was unsaid
    assert client_id == [
        "PAPERBOY_SLACK_CLIENT_ID is not a variable paperboy reads, so it changes nothing: did you mean"
        " SLACK_CLIENT_ID? the variables are listed in docs/configuration.md"
    ]


@pytest.mark.parametrize("written", ["127.0.0.1 ", " 127.0.0.1", "[::1]"])
def test_a_slack_host_is_read_as_addresses_are_written(monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("PAPERBOY_SLACK_HOST", written)  # refused as "not an address of this machine"
    assert load_settings().slack_host == written.strip(" []")


def test_the_discord_token_under_both_its_names_with_two_tokens_is_refused() -> None:
    """`token` and `bot_token` are one setting: with two tokens, one was used, and which one without a word."""
    with pytest.raises(ConfigError) as refused:
        parse_config('[discord]\ntoken = "one.token.a"\nbot_token = "two.token.b"\n', "paperboy.toml")
    said = str(refused.value)
    assert said == (
        "paperboy.toml: discord.bot_token: token and bot_token are one setting, and they hold two tokens: keep one"
    )
    assert "one.token" not in said and "two.token" not in said
    with pytest.raises(ConfigError) as both:  # said with the table's other faults, not after them
        parse_config('[discord]\ntoken = "a.b.c"\nbot_token = "d.e.f"\nguilds = [0]\n', "paperboy.toml")
    assert "keep one" in str(both.value) and "guilds[0] is 0" in str(both.value)
    blank = parse_config('[discord]\ntoken = ""\nbot_token = "one.token.a"\n', "paperboy.toml")  # no two tokens:
    assert blank.discord.bot_token is not None  # a blank one is none (every command stopped on it)
    same = parse_config('[discord]\ntoken = "one.token.a"\nbot_token = "one.token.a"\n', "paperboy.toml")
    assert same.discord.token is not None and same.discord.token.get_secret_value() == "one.token.a"


def test_a_shortened_name_and_a_name_set_twice_in_two_cases_are_warned_of() -> None:
    assert "did you mean PAPERBOY_DATA_DIR?" in unknown_variables({"PAPERBOY_DB_DIR": "/srv"})[0]  # not the URL
    assert "did you mean PAPERBOY_DATABASE_URL?" in unknown_variables({"PAPERBOY_DB_URI": "postgresql://x"})[0]
    assert "did you mean PAPERBOY_DATABASE_URL?" in unknown_variables({"PAPERBOY_DATABASE_URL_FILE": "/run/x"})[0]
    assert "did you mean" not in unknown_variables({"PAPERBOY_DB_TIMEOUT": "5"})[0]  # no setting near it
    assert "did you mean PAPERBOY_DATABASE_URL?" in unknown_variables({"PAPERBOY_DB_HOST": "db"})[0]
    assert "did you mean PAPERBOY_DATA_DIR?" in unknown_variables({"PAPERBOY_DB_FILE": "/srv/p.db"})[0]
    assert unknown_variables({"PAPERBOY_DB_URL": "postgresql://db/papers"}) == [
        "PAPERBOY_DB_URL is not a variable paperboy reads, so it changes nothing: did you mean"
        " PAPERBOY_DATABASE_URL? the variables are listed in docs/configuration.md"
    ]
    # read whatever its case: one of the two was taken, and the command went online without a word
    assert unknown_variables({"PAPERBOY_OFFLINE": "1", "paperboy_offline": "0"}) == [
        "PAPERBOY_OFFLINE and paperboy_offline are one variable (its name is read in any case), set to two"
        " values: unset all but one"
    ]
    assert unknown_variables({"PAPERBOY_OFFLINE": "1", "paperboy_offline": "1"}) == []


def test_the_http_mode_settings_set_with_socket_mode_are_named_to_be_warned_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """`PAPERBOY_SLACK_PORT=4000` beside SLACK_APP_TOKEN was ignored without a word (Socket Mode listens on no port)."""
    from bot.app.wiring import _http_only

    monkeypatch.setenv("PAPERBOY_SLACK_PORT", "4000")
    assert _http_only(load_settings()) == ["PAPERBOY_SLACK_PORT"]
    monkeypatch.delenv("PAPERBOY_SLACK_PORT")
    assert _http_only(load_settings()) == []  # the default port, unset: nothing to say


def test_a_data_dir_with_a_dollar_that_is_there_is_taken_as_it_is_but_not_a_variable_of_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only a path that is not there, or that names a variable the environment has, is refused for its `$`: a
    folder `./$HOME` an earlier version made was used without a word."""
    (tmp_path / "a$b").mkdir()
    monkeypatch.delenv("b", raising=False)
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "a$b"))
    assert load_settings().data_dir == tmp_path / "a$b"
    (tmp_path / "$HOME").mkdir()
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "$HOME"))
    with pytest.raises(ConfigError, match=r"it holds \$HOME, a variable no shell replaced"):
        load_settings()
