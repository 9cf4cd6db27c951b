"""`paperboy post` for a channel with a weekly roundup: the week's roundup, once, saying what the store lacks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.test_cli import Paperboy, cli_runner, one_line
from tests.conftest import CURRENT
from tests.fakes.papers_api import FakePapersApi

CONFIG = """
[[subscriptions]]
channel = "console:team"
cadence = "weekly"
day = "fri"
time = "16:00"
timezone = "Europe/Berlin"
limit = 4
"""


@pytest.fixture
def paperboy(tmp_path: Path) -> Iterator[Paperboy]:
    with FakePapersApi.recorded().serve() as url:
        run = cli_runner(tmp_path, url)
        (tmp_path / "paperboy.toml").write_text(CONFIG, encoding="utf-8")
        days = [str(CURRENT / f"2026-06-0{n}.json") for n in (1, 3)]  # Tuesday 2 June never fetched
        imported = run("import", *days, PAPERBOY_OFFLINE="1")
        assert imported.code == 0, imported.err
        yield run


@pytest.mark.slow
def test_a_weekly_channel_gets_its_weeks_roundup_once(paperboy: Paperboy, tmp_path: Path) -> None:
    env = {"PAPERBOY_OFFLINE": "1", "PAPERBOY_CONFIG": str(tmp_path / "paperboy.toml")}
    posted = paperboy("post", "--channel", "console:team", "--date", "2026-06-03", **env)
    assert posted.code == 0, posted.err
    assert one_line(posted.err) == "Posted the roundup of week 23 (1–7 June 2026) to console:team: 4 papers."
    assert "Weekly roundup · week 23 (1–7 June 2026)" in posted.out
    assert "top 4 of" in posted.out and "papers this week by upvotes" in posted.out
    said = " ".join(posted.out.split())
    assert (
        "Tuesday 2 June, Thursday 4 June and Friday 5 June are not in the store (not fetched from Hugging Face yet)"
        in said
    )
    again = paperboy("post", "--channel", "console:team", "--date", "2026-06-05", **env)
    assert again.code == 0, again.err
    assert one_line(again.err) == "console:team already has the roundup of week 23 (1–7 June 2026): nothing posted."
    assert again.out == ""


@pytest.mark.slow
def test_a_week_the_store_has_none_of_is_neither_posted_nor_recorded(paperboy: Paperboy, tmp_path: Path) -> None:
    """It was printed as "no papers listed this week", recorded as delivered, and so never posted once a
    sync had fetched the week."""
    env = {"PAPERBOY_OFFLINE": "1", "PAPERBOY_CONFIG": str(tmp_path / "paperboy.toml")}
    refused = paperboy("post", "--channel", "console:team", "--date", "2026-06-10", **env)
    assert refused.code == 1 and refused.out == ""
    assert "the store has no papers of week 24 (8–14 June 2026) and lacks Monday 8 June" in one_line(refused.err)
    assert "nothing was posted to console:team or recorded" in one_line(refused.err)
    imported = paperboy("import", str(CURRENT / "2026-06-09.json"), PAPERBOY_OFFLINE="1")
    assert imported.code == 0, imported.err
    posted = paperboy("post", "--channel", "console:team", "--date", "2026-06-10", **env)
    assert posted.code == 0, posted.err
    assert one_line(posted.err) == "Posted the roundup of week 24 (8–14 June 2026) to console:team: 4 papers."


@pytest.mark.slow
def test_without_a_date_the_week_of_the_latest_day_with_papers_when_the_store_lacks_this_one(
    paperboy: Paperboy, tmp_path: Path
) -> None:
    """The contract's default is the latest day with papers: offline, on a store of June, `post` of a weekly
    channel refused, naming today's week, where a daily channel posted the latest day."""
    env = {"PAPERBOY_OFFLINE": "1", "PAPERBOY_CONFIG": str(tmp_path / "paperboy.toml")}
    posted = paperboy("post", "--channel", "console:team", **env)
    assert posted.code == 0, posted.err
    said, done = posted.err.strip().split("\n")
    assert said.startswith("paperboy: the store has none of the week a roundup due today covers: posting week 23")
    assert done == "Posted the roundup of week 23 (1–7 June 2026) to console:team: 4 papers."
