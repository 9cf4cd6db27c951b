"""The cycle collector is paused while a command starts (imports, settings, the store opened) and runs
for the command's work: `bot.app.cli.main` pauses it (`bot.host.heap.loading`), `loaded` freezes what
start-up built and resumes it, and a command that ends before its work leaves it as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import cli
from bot.app.cli import running
from bot.host import heap


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()  # this test process's objects go back in the collector's sight
    gc.enable()


@pytest.mark.slow  # fills a store from the bundled snapshot, in this process
@pytest.mark.parametrize("caller_collects", [True, False])
def test_start_up_runs_without_the_collector_and_the_work_with_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], caller_collects: bool
) -> None:
    """A caller that had turned the collector off (an embedding program, a test) finds it off
    throughout, and nothing of its heap frozen."""
    monkeypatch.setenv("PAPERBOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PAPERBOY_OFFLINE", "1")
    seen: list[tuple[bool, bool, int]] = []
    real = heap.loaded

    def started() -> None:
        before = gc.isenabled()
        real()
        seen.append((before, gc.isenabled(), gc.get_freeze_count()))

    monkeypatch.setattr(running, "loaded", started)
    gc.unfreeze()
    (gc.enable if caller_collects else gc.disable)()
    with pytest.raises(SystemExit) as ended:
        cli.main(["digest", "--format", "json", "--limit", "1"])
    assert ended.value.code == 0, capsys.readouterr().err
    assert len(seen) == 1
    paused, resumed, frozen = seen[0]
    assert paused is False  # start-up ran without the collector, either way
    if caller_collects:
        assert resumed is True
        assert frozen > 10_000  # modules, classes and services: start-up's objects, out of the collector's sight
    else:
        assert (resumed, frozen) == (False, 0)
    assert gc.isenabled() is caller_collects


@pytest.mark.parametrize("args", [["--help"], ["digest", "--limit", "0"], ["no-such-command"]])
def test_a_command_that_ends_before_its_work_leaves_the_collector_on(args: list[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(args)
    assert gc.isenabled()


def test_a_caller_that_paused_the_collector_finds_it_paused() -> None:
    gc.disable()
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert not gc.isenabled()
