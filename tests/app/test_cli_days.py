"""Listing days on the command line: a day the store lacks, a future day, a day Hugging Face listed
nothing for, and papers filtered out each say so, and a day that is not there is never posted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.errors import UsageError
from tests.app.test_cli import Paperboy, Run, cli_runner, one_line
from tests.conftest import CURRENT
from tests.fakes.papers_api import FakePapersApi

pytestmark = pytest.mark.slow


@pytest.fixture
def fake_url() -> Iterator[str]:
    with FakePapersApi.recorded().serve() as url:
        yield url


@pytest.fixture
def paperboy(tmp_path: Path, fake_url: str) -> Paperboy:
    """The command line on a store holding 1 and 3 June 2026 (imported: no sync ever asked for a day)."""
    run = cli_runner(tmp_path, fake_url)
    imported = run("import", str(CURRENT / "2026-06-01.json"), str(CURRENT / "2026-06-03.json"), PAPERBOY_OFFLINE="1")
    assert imported.code == 0, imported.err
    return run


OFFLINE = {"PAPERBOY_OFFLINE": "1"}
MISSING = (
    "paperboy: error: 2026-06-02 is not in the store (it holds 2026-06-01 to 2026-06-03 but not this day); "
    "run `paperboy sync --date 2026-06-02` online"
)


def assert_one_error(run: Run, code: int) -> str:
    assert run.code == code, (run.out, run.err)
    line = one_line(run.err)
    assert line.startswith("paperboy: error: ") and "Traceback" not in run.err
    return line


@pytest.mark.parametrize("command", [("digest",), ("digest", "--format", "json"), ("post", "--channel", "console:x")])
def test_a_day_the_store_lacks_offline_is_an_error_naming_the_range(paperboy: Paperboy, command: tuple[str]) -> None:
    run = paperboy(*command, "--date", "2026-06-02", **OFFLINE)
    assert assert_one_error(run, 1) == MISSING
    assert run.out == ""


def test_a_missing_day_is_not_burnt_it_posts_once_it_arrives(paperboy: Paperboy) -> None:
    refused = paperboy("post", "--channel", "console:x", "--date", "2026-06-02", **OFFLINE)
    assert assert_one_error(refused, 1) == MISSING
    synced = paperboy("sync", "--date", "2026-06-02")
    assert synced.code == 0, synced.err
    posted = paperboy("post", "--channel", "console:x", "--date", "2026-06-02", **OFFLINE)
    assert posted.code == 0, posted.err
    assert one_line(posted.err) == "Posted the 2 June 2026 digest to console:x: 10 papers."
    assert "Daily Papers · Tuesday 2 June 2026" in posted.out


def test_online_a_missing_day_is_fetched_then_posted(paperboy: Paperboy) -> None:
    posted = paperboy("post", "--channel", "console:x", "--date", "2026-06-02")
    assert posted.code == 0, posted.err
    assert one_line(posted.err) == "Posted the 2 June 2026 digest to console:x: 10 papers."


def test_a_missing_day_that_cannot_be_fetched_says_why(paperboy: Paperboy, tmp_path: Path) -> None:
    run = paperboy("digest", "--date", "2026-06-02", PAPERBOY_HF_URL="http://127.0.0.1:9")
    line = assert_one_error(run, 1)
    assert line.startswith(
        "paperboy: error: 2026-06-02 is not in the store (it holds 2026-06-01 to 2026-06-03 but not this day) and "
        "fetching it "
        "failed: Hugging Face: cannot connect"
    )
    assert line.endswith("run `paperboy sync --date 2026-06-02` once Hugging Face answers")


@pytest.mark.parametrize("command", [("digest",), ("post", "--channel", "console:x"), ("sync",)])
def test_a_future_day_is_a_usage_error(paperboy: Paperboy, command: tuple[str]) -> None:
    run = paperboy(*command, "--date", "2999-01-01", **OFFLINE)
    line = assert_one_error(run, 2)
    assert line.startswith("paperboy: error: --date 2999-01-01 is in the future")


def test_a_weekend_hugging_face_listed_nothing_for_says_so_and_records_nothing(paperboy: Paperboy) -> None:
    digest = paperboy("digest", "--date", "2026-06-06")  # fetched: Hugging Face answers []
    assert digest.code == 0, digest.err
    text = " ".join(digest.out.split())
    assert "Hugging Face listed no papers on Saturday 6 June 2026 (it lists papers on weekdays)." in text
    assert "Hugging Face Daily Papers · no papers listed" in text
    for _ in range(2):  # never recorded as delivered: the same answer each time
        post = paperboy("post", "--channel", "console:x", "--date", "2026-06-06", **OFFLINE)
        assert post.code == 0, post.err
        assert one_line(post.err) == (
            "No papers to post to console:x: Hugging Face listed no papers on Saturday 6 June 2026 "
            "(it lists papers on weekdays). Nothing was posted."
        )


def test_a_weekday_hugging_face_listed_nothing_for(paperboy: Paperboy) -> None:
    synced = paperboy("sync", "--date", "2026-06-05")  # the recording has no Friday 5 June
    assert "1 with no listings" in " ".join(synced.out.split())
    digest = paperboy("digest", "--date", "2026-06-05", "--format", "json", **OFFLINE)
    assert digest.code == 0, digest.err
    # why there are none, as the text says it: a day fetched before it was over "may still come"
    note = "Hugging Face listed no papers on Friday 5 June 2026."
    assert digest.json() == {"date": "2026-06-05", "listed": 0, "papers": [], "note": note}
    searched = paperboy("search", "agents on jun 5", "--json", **OFFLINE)  # after the store's latest day, 3 June
    assert searched.json()["note"] == f"{note} The same words without the days look at every day."  # not "does not
    # hold Friday 5 June"


def test_today_not_listed_yet_is_shown_empty_and_not_posted(paperboy: Paperboy) -> None:
    today = datetime.now(UTC).date()
    digest = paperboy("digest", "--date", today.isoformat())
    assert digest.code == 0, digest.err
    assert f"Hugging Face had listed no papers for {today:%A %-d %B %Y} when last asked" in " ".join(digest.out.split())
    post = paperboy("post", "--channel", "console:x", "--date", today.isoformat(), **OFFLINE)
    line = assert_one_error(post, 1)
    assert line.startswith(f"paperboy: error: Hugging Face has listed no papers for {today.isoformat()} yet (asked at ")
    assert line.endswith("UTC): nothing was posted to console:x or recorded; run this again once it has")


def test_min_upvotes_that_leave_nothing_count_correctly(paperboy: Paperboy) -> None:
    run = paperboy("digest", "--date", "2026-06-01", "--min-upvotes", "10000", **OFFLINE)
    assert run.code == 0, run.err
    text = " ".join(run.out.split())
    assert "Hugging Face Daily Papers · 0 of 49 papers with at least 10000 upvotes" in text
    assert "None of the 49 papers listed on Monday 1 June 2026 has 10000 upvotes or more (the most has 61)." in text


def test_topics_that_leave_nothing_say_so(paperboy: Paperboy) -> None:
    run = paperboy("digest", "--date", "2026-06-01", "--topic", "quantum gravity", "--min-upvotes", "20", **OFFLINE)
    assert run.code == 0, run.err
    text = " ".join(run.out.split())
    assert (
        "None of the 12 papers with at least 20 upvotes listed on Monday 1 June 2026 is on “quantum gravity”." in text
    )


def test_a_topic_with_a_typo_offers_the_word_papers_hold(paperboy: Paperboy) -> None:
    """`--topic difusion` found nothing and said only that none of the papers was on “difusion”."""
    run = paperboy("digest", "--date", "2026-06-01", "--topic", "difusion", "--format", "json", **OFFLINE)
    assert run.code == 0, run.err
    assert "--topic: Did you mean “diffusion”? No paper holds “difusion”." in " ".join(run.err.split())
    assert run.out.startswith("{")  # the JSON stays alone on standard output


def test_topics_are_taken_as_chat_takes_them(paperboy: Paperboy) -> None:
    """Commas between topics, each `-word` an exclusion of its own, a quoted author's name."""
    import json

    def found(*topics: str) -> list[str]:
        run = paperboy("digest", "--date", "2026-06-01", "--format", "json", "--limit", "100", *topics, **OFFLINE)
        assert run.code == 0, run.err
        return [p["arxiv_id"] for p in json.loads(run.out)["papers"]]

    agents, search = found("--topic", "agents"), found("--topic", "search")
    assert found("--topic", "agents, search") == found("--topic", "agents", "--topic", "search")
    assert set(agents) | set(search) >= set(found("--topic", "agents, search")) > set(agents)
    assert found("--topic", "agents -search") == [p for p in agents if p not in search]
    assert found("--topic", 'author:"Hamed Zamani"') == ["2605.29307"]


@pytest.mark.parametrize(
    ("topic", "said"),
    [
        ("", "a topic cannot be blank"),
        (",", "a topic cannot be blank"),
        ("author:", "`author:` needs a name"),
        ("-", "no letter"),
    ],
)
def test_a_topic_that_would_match_nothing_or_everything_is_refused(paperboy: Paperboy, topic: str, said: str) -> None:
    run = paperboy("digest", "--date", "2026-06-01", f"--topic={topic}", **OFFLINE)
    assert run.code == 2 and said in one_line(run.err) and "--topic: " in run.err, run.err


@pytest.mark.parametrize(
    ("config", "why"),
    [
        (
            "[digest]\nmin_upvotes = 10000\n",
            "None of the 49 papers listed on Monday 1 June 2026 has 10000 upvotes or more (the most has 61).",
        ),
        (
            '[digest]\ntopics = ["quantum gravity"]\n',
            "None of the 49 papers listed on Monday 1 June 2026 is on “quantum gravity”.",
        ),
    ],
)
def test_a_post_filtered_to_nothing_names_the_filter(paperboy: Paperboy, tmp_path: Path, config: str, why: str) -> None:
    path = tmp_path / "paperboy.toml"
    path.write_text(config, encoding="utf-8")
    run = paperboy("post", "--channel", "console:x", "--date", "2026-06-01", PAPERBOY_CONFIG=str(path), **OFFLINE)
    assert run.code == 0, run.err
    assert one_line(run.err) == f"Posted the 1 June 2026 digest to console:x with no papers: {why}"  # its header


def test_a_post_to_one_platform_needs_no_other_in_reach(paperboy: Paperboy) -> None:
    """With a Discord token set and Discord out of reach, a post to the terminal (or Slack) failed with
    Discord's login error: each post now logs in to its own channel's platform only."""
    discord_down = {"DISCORD_TOKEN": "MTIz.abc.def", "PAPERBOY_DISCORD_API_URL": "http://127.0.0.1:9/api/v10"}
    posted = paperboy("post", "--channel", "console:x", "--date", "2026-06-01", **OFFLINE, **discord_down)
    assert posted.code == 0, posted.err
    assert "Posted" in posted.err and "Discord" not in posted.err
    refused = paperboy("post", "--channel", "discord:1234567890", "--date", "2026-06-01", **OFFLINE, **discord_down)
    assert refused.code == 1 and "Discord could not be reached" in refused.err
    slack_token = discord_down | {"DISCORD_TOKEN": "xoxb-1-2"}  # said offline, not left to a Discord out of reach
    wrong = paperboy("post", "--channel", "discord:1234567890", "--date", "2026-06-01", **OFFLINE, **slack_token)
    assert wrong.code == 1 and "DISCORD_TOKEN holds a Slack token (it starts xoxb-)" in wrong.err, wrong.err


def test_a_sync_whose_day_failed_does_not_say_it_synced_it(tmp_path: Path) -> None:
    from tests.fakes.papers_api import Answer

    api = FakePapersApi.recorded()
    api.fail("/api/daily_papers", *[Answer(200, b"<html>down</html>", {"Content-Type": "text/html"})] * 3)
    with api.serve() as url:
        run = cli_runner(tmp_path, url)("sync", "--date", "2026-06-01", "--no-embed")
    assert run.code == 1
    assert run.out.startswith("Synced 0 of 1 day (2026-06-01): 0 listings"), run.out
    assert "2026-06-01 failed: Hugging Face (HTTP 200): the answer is a web page (HTML)" in run.err


def test_a_sync_whose_arxiv_details_failed_still_says_it_synced_the_day(tmp_path: Path) -> None:
    from tests.fakes.papers_api import Answer

    api = FakePapersApi.recorded(days=["2026-06-02"])
    api.daily["2026-06-02"][0]["paper"].pop("summary")  # type: ignore[index]  # arXiv is asked for it
    api.fail("/api/query", *[Answer(400, b"bad", {"Content-Type": "text/plain"})] * 8)
    with api.serve() as url:
        run = cli_runner(tmp_path, url)("sync", "--date", "2026-06-02", "--no-embed")
    assert run.out.startswith("Synced 1 day (2026-06-02):"), run.out
    assert "2026-06-02 is stored without arXiv's details (arXiv (HTTP 400)" in run.err  # not "failed" (QA s77)
    assert run.err.rstrip().endswith("): the next `paperboy sync --date 2026-06-02` asks again")


@pytest.mark.parametrize(("word", "back"), [("yesterday", 1), ("Today", 0)])
def test_a_day_in_words_is_that_day_utc(paperboy: Paperboy, word: str, back: int) -> None:
    """`--date yesterday` was "not a date (use YYYY-MM-DD)"; chat takes it. The store ends in 2026: not in it."""
    day = (datetime.now(UTC).date() - timedelta(days=back)).isoformat()
    run = paperboy("digest", "--date", word, **OFFLINE)
    assert f"{day} is not in the store" in assert_one_error(run, 1)


def test_tomorrow_is_said_to_be_to_come(paperboy: Paperboy) -> None:
    """`--date tomorrow` was "not a date"."""
    day = (datetime.now(UTC).date() + timedelta(days=1)).isoformat()
    run = paperboy("digest", "--date", "tomorrow", **OFFLINE)
    assert f"--date {day} is in the future: Hugging Face lists a day's papers on that day" in assert_one_error(run, 2)


@pytest.mark.parametrize(
    ("typed", "day"),
    [("aug 20", "2026-08-20"), ("friday", "2026-12-04"), ("Saturday", "2026-12-05"), ("last saturday", "2026-11-28")],
)
def test_a_date_in_words_is_the_day_chat_reads(monkeypatch: pytest.MonkeyPatch, typed: str, day: str) -> None:
    """`--date friday` was refused, "not a date", where chat's `/papers friday` shows that day's papers."""
    from datetime import date

    from bot.app.cli import days

    monkeypatch.setattr(days, "today", lambda: date(2026, 12, 5))  # a Saturday
    assert days.parse_day(typed) == date.fromisoformat(day)


@pytest.mark.parametrize("typed", ["next friday", "Next  Week"])
def test_a_day_still_to_come_in_words_is_said_so(monkeypatch: pytest.MonkeyPatch, typed: str) -> None:
    """`--date "next friday"` was "not a date", where chat says it is still to come (QA s77)."""
    from datetime import date

    from bot.app.cli import days

    monkeypatch.setattr(days, "today", lambda: date(2026, 12, 5))
    with pytest.raises(UsageError, match=f"--date '{' '.join(typed.split())}' is still to come: Hugging Face lists"):
        days.parse_day(typed)


def test_a_search_of_days_the_store_lacks_says_so_as_chat_does(paperboy: Paperboy, tmp_path: Path) -> None:
    """`paperboy search "agents on jun 2"` said "No paper on “agents” was listed on Tuesday 2 June 2026", of a
    day no sync had fetched, and its JSON and `--batch` lines had no note; chat said the store lacks it."""
    lacking = "Tuesday 2 June 2026 is not in the store: run `paperboy sync --date 2026-06-02` to fetch it."
    text = paperboy("search", "agents on jun 2", **OFFLINE)
    assert text.code == 0, text.err
    assert lacking in " ".join(text.out.split()) and "was listed" not in text.out
    assert paperboy("search", "agents on jun 2", "--json", **OFFLINE).json()["note"].startswith(lacking)
    (tmp_path / "queries.txt").write_text("agents on jun 2\n", encoding="utf-8")
    batch = paperboy("search", "--batch", str(tmp_path / "queries.txt"), **OFFLINE)
    assert json.loads(batch.out)["note"].startswith(lacking), batch.err
    before = paperboy("search", "agents from may 28 to jun 3", "--json", **OFFLINE).json()
    assert before["results"] and before["note"] == (
        "The store's papers begin on Monday 1 June 2026: the days before are not in it."
        " Tuesday 2 June 2026 is not in the store (not fetched from Hugging Face yet), so its papers are left out;"
        " run `paperboy sync --date 2026-06-02` to fetch it."  # to whoever runs paperboy: as one day alone is said
    )
    after = paperboy("search", "agents from jun 1 to jun 12", "--json", **OFFLINE).json()  # the store ends 3 June
    assert after["results"] and after["note"].endswith(
        "Thursday 4 June 2026, Friday 5 June 2026, Monday 8 June 2026 and 4 more weekdays are not in the store (not"
        " fetched from Hugging Face yet), so their papers are left out; run `paperboy sync --date YYYY-MM-DD` to"
        " fetch each."
    )  # (they read as days without a paper on agents)


def test_an_empty_answer_for_a_day_the_store_holds_is_said_and_kept(tmp_path: Path) -> None:
    """It said "1 with no listings", exit 0, of a day whose papers the store holds (QA s77)."""
    api = FakePapersApi.recorded(days=["2026-06-02"])
    with api.serve() as url:
        first = cli_runner(tmp_path, url)("sync", "--date", "2026-06-02", "--no-embed")
        held = int(first.out.split(": ")[1].split(" listing")[0])
        api.daily["2026-06-02"] = []
        run = cli_runner(tmp_path, url)("sync", "--date", "2026-06-02", "--no-embed")
    assert "with no listings" not in run.out, run.out
    said = f"Hugging Face listed no papers for 2026-06-02 this time; the store keeps the {held} it listed before"
    assert said in run.err and run.code == 0  # (the papers are kept: nothing failed)
