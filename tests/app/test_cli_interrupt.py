"""Ctrl-C says so: exit 130 with one line on stderr (typer answered KeyboardInterrupt with a silent 130)."""

from __future__ import annotations

import threading

import pytest

from bot.app import cli


def test_ctrl_c_in_a_command_exits_130_saying_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def pressed(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", pressed)
    with pytest.raises(SystemExit) as ended:
        cli.main(["search", "diffusion"])
    assert ended.value.code == 130
    assert capsys.readouterr().err.strip() == "paperboy: error: interrupted"
    # no exit deadline armed in a process that called `main` itself (it ended the test run 5 s later)
    assert "paperboy-exit-deadline" not in [t.name for t in threading.enumerate()]
