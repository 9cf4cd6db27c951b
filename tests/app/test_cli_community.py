"""`paperboy top`, `paperboy saved` and `paperboy forget`, run as the command line, on a store with votes
and saves in it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.channels import ChannelRef
from bot.domain.models import Paper
from bot.domain.publishing import MessageRef
from bot.store.engagement import EngagementStore, Reply, Vote
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.reading import Person, ReadingLists
from tests.app.test_cli import entry_point
from tests.conftest import child_env

pytestmark = pytest.mark.slow
NOW = datetime.now(UTC)
HERE = ChannelRef("slack", "C0001", "T0001")


async def fill(data: Path) -> None:
    engine = create_engine(database_url(None, data))
    await migrate(engine)
    try:
        store, ledger = PaperStore(engine), Ledger(engine)
        engaged, lists = EngagementStore(engine), ReadingLists(engine)
        await store.save_papers(
            [
                Paper(
                    arxiv_id="2606.00001",
                    title="Fresh & loved",
                    authors=("Ada Lovelace", *(f"Coauthor Number{n} Longname" for n in range(8))),  # a long line
                    upvotes=3,
                ),
                Paper(arxiv_id="2606.00002", title="Old favourite", authors=("Bea Blum",), upvotes=90),
            ]
        )
        for arxiv_id, ts, at in (("2606.00001", "100.1", NOW), ("2606.00002", "200.1", NOW - timedelta(days=20))):
            await ledger.begin_papers(HERE, date(2026, 6, 3), [(1, arxiv_id)], at)
            await ledger.card_sent(HERE, date(2026, 6, 3), arxiv_id, MessageRef("C0001", ts, ts), at)
        fresh = await engaged.posted(HERE, "100.1")
        old = await engaged.posted(HERE, "200.1")
        assert fresh is not None and old is not None
        for user in ("U1", "U2"):
            await engaged.record(Vote(fresh, user, "100.1", "+1", True, NOW))
        await engaged.record(Reply(fresh, "U3", "100.5", NOW))
        for user in ("U1", "U2", "U3", "U4"):
            await engaged.record(Vote(old, user, "200.1", "+1", True, NOW))
        await lists.save(Person("slack", "T0001", "U1"), "2606.00002", NOW - timedelta(hours=1))
        await lists.save(Person("slack", "T0001", "U1"), "2606.00001", NOW)
        await lists.save(Person("console", "", "you"), "2606.00002", NOW)  # saved in `paperboy chat`
    finally:
        await engine.dispose()


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
async def run(tmp_path: Path) -> Run:
    await fill(tmp_path / "data")
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}

    def paperboy(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*entry_point(), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    return paperboy


def test_top_as_json_ranks_the_periods_papers(run: Run) -> None:
    week = run("top", "--channel", "slack:C0001", "--json")
    assert week.returncode == 0, week.stderr
    assert json.loads(week.stdout) == {
        "channel": "slack:C0001",
        "period": "week",
        "papers": [{"arxiv_id": "2606.00001", "title": "Fresh & loved", "reactions": 2, "replies": 1, "score": 3}],
    }
    month = json.loads(run("top", "--channel", "slack:C0001", "--period", "month", "--json").stdout)
    assert [(p["arxiv_id"], p["score"]) for p in month["papers"]] == [("2606.00002", 4), ("2606.00001", 3)]


def test_top_as_text_and_its_mistakes(run: Run) -> None:
    shown = run("top", "--channel", "slack:C0001", "--period", "all")
    assert shown.returncode == 0, shown.stderr
    assert "Most engaged papers here, posted at any time" in shown.stdout
    assert "Score 4: 4 people reacted, 0 replied in its thread" in shown.stdout
    wrong = run("top", "--channel", "slack:C0001", "--period", "year")
    assert wrong.returncode == 2 and "year" in wrong.stderr
    nowhere = run("top", "--channel", "C0001")
    assert nowhere.returncode == 2 and "is not PLATFORM:CHANNEL_ID" in nowhere.stderr
    person = run("top", "--channel", "slack:U0001")  # was answered "no paper has a reaction yet"
    assert person.returncode == 2 and "a member's id: a Slack channel ID starts with C or G" in person.stderr


def test_saved_in_each_format(run: Run) -> None:
    listed = run("saved", "--user", "slack:U1")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("1. 2606.00001 · Fresh & loved · saved ")
    assert lines[1].startswith("2. 2606.00002 · Old favourite")
    as_json = json.loads(run("saved", "--user", "slack:U1", "--format", "json").stdout)
    assert as_json["user"] == "slack:U1"
    assert [p["arxiv_id"] for p in as_json["papers"]] == ["2606.00001", "2606.00002"]
    bib = run("saved", "--user", "slack:U1", "--format", "bibtex").stdout
    assert bib.count("@misc{") == 2 and "title         = {{Fresh \\& loved}}" in bib
    [authors] = [line for line in bib.splitlines() if "Lovelace" in line]  # not wrapped at 80 columns, piped
    assert authors.startswith("  author") and authors.endswith("Coauthor Number7},")
    nobody = run("saved", "--user", "slack:U9")
    assert nobody.returncode == 0 and "slack:U9 has saved no papers." in nobody.stderr
    wrong = run("saved", "--user", "U1")
    assert wrong.returncode == 2 and "is not PLATFORM:USER_ID" in wrong.stderr
    channel = run("saved", "--user", "slack:C0001")  # was answered "slack:C0001 has saved no papers."
    assert channel.returncode == 2 and "a channel's id: a Slack member ID starts with U or W" in channel.stderr
    named = run("saved", "--user", "discord:bea")
    assert named.returncode == 2 and "a Discord user's id is a number" in named.stderr
    console = run("saved", "--user", "console:you")  # what `paperboy chat` saved (it was refused)
    assert console.returncode == 0 and console.stdout.startswith("1. 2606.00002 · Old favourite"), console.stderr


def test_forget_says_what_it_erased_in_words_not_table_names(run: Run) -> None:
    forgot = run("forget", "--team", "slack:T0001")
    assert forgot.returncode == 0, forgot.stderr
    said = " ".join(forgot.stdout.split())
    assert said == (
        "Forgot slack:T0001: 2 papers posted in digests, 2 paper threads, 6 votes, 6 people's reaction tallies, "
        "1 reply, 1 person's reply tally, 2 papers' engagement scores and 2 saved papers."
    )


def test_every_table_forget_erases_has_its_words() -> None:
    from bot.app.cli.workspaces import ERASED_WORDS, erased_detail
    from bot.store.workspaces import WORKSPACE_TABLES

    assert set(ERASED_WORDS) == {table.name for table in WORKSPACE_TABLES}
    assert erased_detail({"installations": 1, "votes": 0}) == "1 installation"
    assert erased_detail({"replies": 2, "saved": 1}) == "2 replies and 1 saved paper"


async def test_an_id_in_two_workspaces_is_named_not_summed(tmp_path: Path) -> None:
    """A Slack channel or user id is unique only within its workspace: `top --channel slack:C0001` added two
    workspaces' C0001 together, `saved --user slack:U1` gave two people's lists as one."""
    data = tmp_path / "data"
    await fill(data)
    there = ChannelRef("slack", "C0001", "T0002")
    engine = create_engine(database_url(None, data))
    try:
        ledger, engaged = Ledger(engine), EngagementStore(engine)
        await ledger.begin_papers(there, date(2026, 6, 3), [(1, "2606.00002")], NOW)
        await ledger.card_sent(there, date(2026, 6, 3), "2606.00002", MessageRef("C0001", "300.1", "300.1"), NOW)
        posted = await engaged.posted(there, "300.1")
        assert posted is not None
        await engaged.record(Vote(posted, "U9", "300.1", "+1", True, NOW))
        quiet = ChannelRef("slack", "C0001", "T0003")  # a digest there, and no vote yet
        await ledger.claim(quiet, date(2026, 6, 3), NOW)
        await ledger.begin_papers(quiet, date(2026, 6, 3), [(1, "2606.00002")], NOW)
        await ledger.card_sent(quiet, date(2026, 6, 3), "2606.00002", MessageRef("C0001", "300.2", "300.2"), NOW)
        await ReadingLists(engine).save(Person("slack", "T0002", "U1"), "2606.00002", NOW)
        for guild, paper in (("900001", "2606.00001"), ("900002", "2606.00002")):
            await ReadingLists(engine).save(Person("discord", guild, "42"), paper, NOW)
    finally:
        await engine.dispose()
    env = child_env() | {"PAPERBOY_DATA_DIR": str(data), "PAPERBOY_OFFLINE": "1"}

    def paperboy(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*entry_point(), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    summed = paperboy("top", "--channel", "slack:C0001")
    assert summed.returncode == 2 and "slack:C0001 is a channel in 3 workspaces here: name one, as " in summed.stderr
    assert "slack:T0001/C0001, slack:T0002/C0001, slack:T0003/C0001" in summed.stderr
    none_yet = paperboy("top", "--channel", "slack:T0003/C0001", "--json")  # (QA s77: "nothing is recorded here")
    assert none_yet.returncode == 0 and json.loads(none_yet.stdout)["papers"] == [], none_yet.stderr
    one = json.loads(paperboy("top", "--channel", "slack:T0002/C0001", "--period", "all", "--json").stdout)
    assert one["channel"] == "slack:T0002/C0001"
    assert [(p["arxiv_id"], p["reactions"]) for p in one["papers"]] == [("2606.00002", 1)]
    both = paperboy("saved", "--user", "slack:U1")
    assert both.returncode == 2 and "slack:T0001/U1, slack:T0002/U1" in both.stderr
    theirs = json.loads(paperboy("saved", "--user", "slack:T0002/U1", "--format", "json").stdout)
    assert theirs["user"] == "slack:T0002/U1" and [p["arxiv_id"] for p in theirs["papers"]] == ["2606.00002"]
    nowhere = paperboy("top", "--channel", "slack:TNOPE/C0001")  # it said "No paper … has a reaction", exit 0
    assert nowhere.returncode == 2 and (
        "slack:TNOPE/C0001: nothing is recorded here in workspace TNOPE; a channel of that id is in"
        " slack:T0001/C0001, slack:T0002/C0001, slack:T0003/C0001"
    ) in " ".join(nowhere.stderr.split())
    mistyped = paperboy("saved", "--user", "slack:t0002/U1")  # a workspace's id is upper case
    assert mistyped.returncode == 2 and "slack:T0002/U1" in mistyped.stderr
    discord = json.loads(paperboy("saved", "--user", "discord:42", "--format", "json").stdout)  # one person
    assert sorted(p["arxiv_id"] for p in discord["papers"]) == ["2606.00001", "2606.00002"]
