"""Inputs the command line refuses before it opens anything: exit 2, one line naming the input and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import cli
from bot.app.cli import interrupts


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as ended:
        cli.main(list(args))
    said = capsys.readouterr().err
    assert ended.value.code == 2, said
    assert said.count("\n") == 1 and said.startswith("paperboy: error: ")
    return said


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_a_batch_file_with_no_queries_is_said_not_answered_with_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    empty = tmp_path / "queries.txt"
    empty.write_text(text, encoding="utf-8")
    said = refused(capsys, "search", "--batch", str(empty))
    assert f"--batch {empty} holds no queries: write one query a line" in said


@pytest.mark.parametrize("team", ["discord:abc", "discord:T0001", "discord:12ab"])
def test_forget_refuses_a_discord_server_id_that_is_not_a_number(capsys: pytest.CaptureFixture[str], team: str) -> None:
    said = refused(capsys, "forget", "--team", team)
    assert f"--team '{team}': a Discord server's id is a number, such as discord:1234567890" in said


@pytest.mark.parametrize("args", [("-h",), ("digest", "-h"), ("post", "-h")])
def test_dash_h_is_help(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as ended:
        cli.main(list(args))
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith(f"Usage: paperboy {' '.join(args[:-1])}".rstrip() + " [OPTIONS]")


def test_in_a_search_dash_h_is_a_word_to_leave_out_not_help(capsys: pytest.CaptureFixture[str]) -> None:
    said = refused(capsys, "search", "-h")  # `-hallucination` leaves papers out; `-h` alone holds no word
    assert "nothing to search for in '-h'" in said


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as ended:
        cli.main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out == f"paperboy {version('paperboy')}\n"


def test_ctrl_c_before_the_command_begins_is_one_line_and_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer.main

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.main, "get_command", interrupted)
    with pytest.raises(SystemExit) as ended:
        cli.main(["digest"])
    assert ended.value.code == interrupts.INTERRUPTED
    assert capsys.readouterr().err.startswith("paperboy: error: interrupted (Ctrl-C): what it did before is kept")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("top", "slack:C1"), "--channel goes before the value: paperboy top --channel slack:C1"),
        (("top", "--period", "week", "slack:C1"), "paperboy top --period week --channel slack:C1"),
        (("saved", "slack:U1"), "--user goes before the value: paperboy saved --user slack:U1"),
        (("post", "--date", "2026-08-21", "slack:C1"), "paperboy post --date 2026-08-21 --channel slack:C1"),
        (("top",), "paperboy top needs --channel (see paperboy top --help)"),
        (("top", "a", "b"), "paperboy top needs --channel (see paperboy top --help)"),
        (("top", "week"), "paperboy top needs --channel"),  # `--period week` meant, not a channel
        (("top", "C0123456"), "paperboy top needs --channel"),  # no `PLATFORM:` before it
        (("saved", "bibtex"), "paperboy saved needs --user"),
        (("top", "--period", "week", "week"), "paperboy top needs --channel"),
        (("top", "--", "slack:C1"), "paperboy top needs --channel"),
    ],
)
def test_a_required_option_typed_without_its_name_is_said_as_the_command_to_type(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    # click said "Missing option '--channel'." of `paperboy top slack:C1`, the channel right there
    assert said in refused(capsys, *args)


def test_an_argument_is_shown_by_its_name_not_its_python_type(capsys: pytest.CaptureFixture[str]) -> None:
    """typer printed `QUERY <list[str]>`, `PATH... <list[Path]>`, `ID <str>` and `Usage: … {ID}`."""
    for command, usage, listed in (
        ("search", "[QUERY]...", "QUERY"),
        ("import", "PATH...", "PATH..."),
        ("paper", "ID", "ID"),
    ):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        said = capsys.readouterr().out
        assert said.startswith(f"Usage: paperboy {command} [OPTIONS] {usage}\n"), said
        assert f"\n  {listed}  " in said and "<list" not in said and "<str>" not in said and "{" not in said


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("paper",), "paperboy: error: paper needs an ID: give an arXiv id or an arXiv or Hugging Face URL"),
        (("paper", "2608.19880", "2608.18580"), "not “2608.18580”: it shows one paper at a time"),  # not "quote"
        (("top", "--channel", "slack:C1", "week"), "not “week”: a period goes after --period"),
        (("digest", "2024-01-01"), "not “2024-01-01”: a day goes after --date: paperboy digest --date 2024-01-01"),
        (("sync", "now"), "paperboy sync takes nothing more, not “now”: it takes options only"),
    ],
)
def test_an_argument_missing_or_one_too_many_is_said_in_our_words(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    refusal = refused(capsys, *args)  # was click's "Missing argument 'ID'." and "Got unexpected extra argument(s)"
    assert said in refusal and "(see paperboy " in refusal


def test_two_papers_in_one_argument_are_one_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    """Quoted, as the refusal of two arguments said to: "'2608.19880 2608.18580' is not an arXiv id"."""
    refusal = refused(capsys, "paper", "2608.19880 2608.18580")
    assert "one paper at a time: paperboy paper 2608.19880, then paperboy paper 2608.18580" in refusal


def test_help_mistyped_says_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`paperboy hepl` got "No such command 'hepl'." alone: click offers near commands, and `help` is none."""
    assert "'hepl' is not a command: did you mean 'help'?" in refused(capsys, "hepl")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("digst",), "paperboy: error: 'digst' is not a command: did you mean 'digest'? (see paperboy --help)"),
        (
            ("digest", "--dat", "2026-08-20"),
            "paperboy: error: --dat is not an option (the nearest: --date, --format) (see paperboy digest --help)",
        ),
        (("digest", "--date"), "paperboy: error: --date needs a value after it (see paperboy digest --help)"),
        (
            ("search", "diffusion", "--jsn"),  # the nearest was named for every command's but search's
            "paperboy: error: --jsn is not an option (the nearest: --json) (see paperboy search --help)",
        ),
        (
            ("digest", "--date", "sep", "5"),  # the month typed, not always August's
            "paperboy: error: paperboy digest takes nothing more, not “5”: a day written with a space goes in"
            " quotes: paperboy digest --date 'sep 5' (see paperboy digest --help)",
        ),
        (
            ("digest", "--date", "friday", "2"),
            "paperboy: error: paperboy digest takes nothing more, not “2”: it takes options only (see paperboy"
            " digest --help)",
        ),
        (("start",), "paperboy: error: 'start' is not a command: did you mean 'run'? (see paperboy --help)"),
        (  # click's nearest was 'digest'
            ("list",),
            "paperboy: error: 'list' is not a command: did you mean 'subscriptions' (or 'saved', 'workspaces')? (see"
            " paperboy --help)",
        ),
        (
            ("digest", "--date=sep", "5"),  # with `=`: no hint
            "paperboy: error: paperboy digest takes nothing more, not “5”: a day written with a space goes in"
            " quotes: paperboy digest --date 'sep 5' (see paperboy digest --help)",
        ),
        (
            ("digest", "--date", "aug", "20"),
            "paperboy: error: paperboy digest takes nothing more, not “20”: a day written with a space goes in"
            " quotes: paperboy digest --date 'aug 20' (see paperboy digest --help)",
        ),
        (  # what goes after `paper` or `search`, given alone: "not a command", and no more
            ("2608.19880",),
            "paperboy: error: '2608.19880' is not a command: `paperboy paper 2608.19880` shows that paper (see"
            " paperboy --help)",
        ),
        (
            ("graph", "neural networks"),
            "paperboy: error: 'graph' is not a command: `paperboy search graph 'neural networks'` searches the papers"
            " for it (see paperboy --help)",
        ),
    ],
)
def test_a_mistyped_command_or_option_is_said_in_our_words(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    """click's own: "No such command 'digst'. Did you mean 'digest'?", "No such option: --dat (Possible
    options: --date, --format)", "Option '--date' requires an argument." (QA s73-operator #4)."""
    assert refused(capsys, *args).strip() == said


def test_a_chat_command_typed_to_the_cli_says_where_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    """`paperboy subscribe diffusion` got "No such command 'subscribe'." alone."""
    assert "'subscribe' is a chat command: type it in `paperboy chat`" in refused(capsys, "subscribe", "diffusion")
    assert "follows are Slack's and Discord's" in refused(capsys, "follow", "diffusion")  # not `paperboy chat`
    assert "`paperboy digest` shows the day's papers here" in refused(capsys, "today")


@pytest.mark.parametrize("args", [("help",), ("help", "search")])
def test_help_as_a_command_is_the_help(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as ended:
        cli.main(list(args))  # was "No such command 'help'"
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith(f"Usage: paperboy {' '.join(args[1:])}".rstrip() + " [OPTIONS]")


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        (
            "Delivery of the 2 June 2026 digest to slack:C0001 failed: Slack asked to wait 200 s (Retry-After) before"
            " the next chat.postMessage in C0001, longer than the 30 s paperboy waits within a sweep: tried again at"
            " a later sweep",
            "longer than the 30 s paperboy waits within a sweep.",
        ),
        (
            "Delivery of the 2 June 2026 digest to slack:C0001 failed: Slack refused SLACK_BOT_TOKEN (token_revoked:"
            " the bot token was revoked): set the right token and restart paperboy",
            "(token_revoked: the bot token was revoked): set the right token.",
        ),
        ("Delivery of x failed: Discord rate-limited discord:1 for 120 s", "Discord rate-limited discord:1 for 120 s."),
        ("Delivery of x failed: Slack timed out; tried again at the next sweep", "Slack timed out."),
    ],
)
def test_a_failed_post_says_how_to_finish_it_not_a_sweep_or_a_restart(said: str, meant: str) -> None:
    """`paperboy post` has no later sweep and nothing to restart: it said "tried again at a later sweep",
    "restart paperboy", or (Discord's long rate limit) nothing to do (QA s72-outside #5)."""
    from bot.app.cli.posting import for_post

    line = for_post(said, "paperboy post --channel slack:C0001 --date 2026-06-02")
    assert meant in line and "sweep:" not in line and "restart" not in line and "tried again" not in line
    assert line.endswith(
        ". Run `paperboy post --channel slack:C0001 --date 2026-06-02` again to finish it: what went out is not"
        " posted twice."
    )


def test_embed_without_the_model_says_to_install_it_not_to_unset_a_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With the model's package missing, `embed` blamed PAPERBOY_EMBEDDINGS=1 (review s76)."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name.startswith("gt_") else real(name, *a)
    )
    monkeypatch.setenv("PAPERBOY_EMBEDDINGS", "1")
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(SystemExit) as ended:
        cli.main(["embed"])
    said = " ".join(capsys.readouterr().err.split())
    assert ended.value.code == 1 and "the embedding model is not installed, so no paper can be embedded" in said
    assert "turns search by meaning off" not in said
