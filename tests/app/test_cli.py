"""The command line end to end, through the installed `paperboy` entry point, as a user runs it."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

import pytest
from sqlalchemy.engine import make_url

from bot.app.cli.ingest import _embed
from tests.conftest import BROKEN, CURRENT, child_env
from tests.fakes.papers_api import FakePapersApi


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def entry_point() -> list[str]:
    script = Path(sys.executable).with_name("paperboy")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


async def run_cli(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line as a separate process without blocking the event loop (fakes live on it)."""
    process = await asyncio.create_subprocess_exec(
        *entry_point(), *args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
def fake_url() -> Iterator[str]:
    with FakePapersApi.recorded().serve() as url:
        yield url


class Paperboy(Protocol):
    def __call__(self, *args: str, **env: str) -> Run: ...


@pytest.fixture
def paperboy(tmp_path: Path, fake_url: str) -> Paperboy:
    return cli_runner(tmp_path, fake_url)


def cli_runner(tmp_path: Path, fake_url: str) -> Paperboy:
    """`paperboy ARGS` in its own process, on a data dir in `tmp_path`, sources at `fake_url`."""
    env = child_env()
    env.update(PAPERBOY_DATA_DIR=str(tmp_path / "data"), PAPERBOY_HF_URL=fake_url, PAPERBOY_ARXIV_URL=fake_url)

    def run(*args: str, **extra_env: str) -> Run:
        done = subprocess.run(
            [*entry_point(), *args],
            cwd=tmp_path,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.slow
def test_offline_digest_on_an_empty_store_shows_the_snapshot(paperboy: Paperboy) -> None:
    run = paperboy("digest", "--limit", "3", PAPERBOY_OFFLINE="1")
    assert run.code == 0, run.err
    assert one_line(run.err).startswith("Showing the bundled offline snapshot: 75 listing days up to 21 August 2026")
    assert "Daily Papers · Friday 21 August 2026" in run.out
    assert "3 of 17 papers" in run.out
    assert "https://huggingface.co/papers/" in run.out


@pytest.mark.slow
def test_import_digest_and_search(paperboy: Paperboy, tmp_path: Path) -> None:
    first = paperboy("import", str(CURRENT))
    assert first.code == 0, first.err
    assert "1374 listings (1374 new)" in first.out
    second = paperboy("import", str(CURRENT))
    assert "1374 listings (0 new), 0 new papers, 0 updated" in second.out
    broken = paperboy("import", str(BROKEN))
    assert broken.code == 1
    assert "not a Hugging Face daily-papers response" in one_line(broken.err)

    digest = paperboy("digest", "--date", "2026-06-01", "--limit", "100", "--format", "json")
    assert digest.code == 0, digest.err
    body = digest.json()
    assert isinstance(body, dict)
    assert body["date"] == "2026-06-01"
    papers = body["papers"]
    assert len(papers) == 49
    assert [p["upvotes"] for p in papers] == sorted((p["upvotes"] for p in papers), reverse=True)
    assert {"arxiv_id", "title", "upvotes", "url"} <= set(papers[0])
    assert papers[0]["url"] == "https://huggingface.co/papers/2605.29307"

    found = paperboy("search", "speculative decoding", "--json")
    assert found.code == 0, found.err
    results = found.json()["results"]
    assert results
    assert sum("speculative" in (r["title"] + " " + (r["ai_summary"] or "")).lower() for r in results[:5]) >= 4
    assert results[0]["every_word"] is True  # it holds both words; one found by meaning alone may not
    assert "note" not in found.json()
    partly = paperboy("search", "speculative robot", "--json").json()  # no paper holds both
    assert partly["results"] and not any(r["every_word"] for r in partly["results"])
    assert (
        partly["note"] == "None of these papers mentions every word of “speculative robot”: they are the closest found."
    )

    text = paperboy("search", "speculative decoding", "--limit", "2")
    assert text.code == 0
    assert "Papers on “speculative decoding”" in text.out
    odd = paperboy("search", "speculative decoding \udcff")  # the byte 0xff: not UTF-8
    assert odd.code == 0, odd.err
    assert "Papers on “speculative decoding \ufffd”" in odd.out
    other = paperboy("search", "扩散模型")  # "diffusion model": nothing, and why
    assert other.code == 0, other.err
    assert "No papers match: the papers are in English, and are found by their English" in other.out
    other_json = paperboy("search", "扩散模型", "--json").json()  # said there too (QA s77: no note)
    assert other_json["results"] == [] and other_json["note"].startswith("No papers match: the papers are in English")
    none = paperboy("search", "zzqx glimmerwickish")
    assert "No papers match. Try fewer or broader words." in none.out
    linked = paperboy("search", "--json", "https://github.com/alirezasalemi7/grepseek").json()  # its papers
    assert [r["arxiv_id"] for r in linked["results"]] == ["2605.29307"] and "note" not in linked
    unlinked = paperboy("search", "https://github.com/someone/speculative-decoding", "--limit", "2")
    assert unlinked.code == 0, unlinked.err  # its name's words searched, and said so (it was not)
    said = " ".join(unlinked.out.split())
    assert (
        "No paper in the store links its code to github.com/someone/speculative-decoding: these are papers on" in said
    )
    batch = tmp_path / "queries.txt"
    batch.write_text("https://github.com/someone/speculative-decoding\n", encoding="utf-8")
    [line] = [json.loads(x) for x in paperboy("search", "--batch", str(batch)).out.splitlines()]
    assert line["results"] and line["note"].startswith("No paper in the store links its code to github.com/someone/")
    as_json = paperboy("search", "--json", "https://github.com/someone/speculative-decoding").json()
    assert as_json["results"] and as_json["note"].startswith("No paper in the store links its code to github.com/some")


@pytest.mark.slow
def test_import_embeds_the_papers_and_search_understands_paraphrases(paperboy: Paperboy) -> None:
    hybrid = {"PAPERBOY_EMBEDDINGS": "1"}
    imported = paperboy("import", str(CURRENT / "2026-06-01.json"), **hybrid)
    assert imported.code == 0, imported.err
    assert "Embedded 49 papers for search by meaning." in imported.err
    again = paperboy("import", str(CURRENT / "2026-06-01.json"), **hybrid)
    assert again.code == 0 and "Embedded" not in again.err  # stored, never computed twice
    query = "predicting stock prices and weather over time"  # 2605.26562: multivariate time-series forecasting
    keyword_only = [r["arxiv_id"] for r in paperboy("search", "--json", query).json()["results"]]
    by_meaning = [r["arxiv_id"] for r in paperboy("search", "--json", query, **hybrid).json()["results"]]
    assert by_meaning[0] == "2605.26562" and "2605.26562" not in keyword_only[:3]


@pytest.mark.slow
def test_import_of_a_file_of_no_papers_says_nothing_was_stored(paperboy: Paperboy, tmp_path: Path) -> None:
    """Hugging Face's answer for a day of no papers, `[]`, saved and imported: "Imported 1 file", and the day
    still unknown to the store, unsaid."""
    empty = tmp_path / "2026-11-30.json"
    empty.write_text("[]", encoding="utf-8")
    run = paperboy("import", "--no-embed", str(empty))
    assert run.code == 0, run.err
    assert one_line(run.err) == (
        f"paperboy: {empty} holds no papers: nothing was stored from it (a day Hugging Face listed none of is"
        " recorded by `paperboy sync --date YYYY-MM-DD`)"
    )


@pytest.mark.slow
def test_a_file_that_could_not_be_imported_is_said_as_every_error_is(paperboy: Paperboy, tmp_path: Path) -> None:
    """It said "paperboy: import failed: …": another prefix than every other error's (QA s73-operator); the
    good file beside it is imported."""
    bad = tmp_path / "bad.json"
    bad.write_text('[{"title": "x"}]', encoding="utf-8")
    run = paperboy("import", "--no-embed", str(bad), str(CURRENT / "2026-06-01.json"))
    assert run.code == 1 and run.out.startswith("Imported 1 file: 49 listings"), run.err
    assert one_line(run.err) == f"paperboy: error: {bad}: item 1 (.[0].paper): missing"


@pytest.mark.slow
def test_import_of_a_folder_names_the_files_it_skips(paperboy: Paperboy, tmp_path: Path) -> None:
    folder = tmp_path / "days"
    folder.mkdir()
    (folder / "2026-06-01.JSON").write_bytes((CURRENT / "2026-06-01.json").read_bytes())
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / "week23").mkdir()
    run = paperboy("import", "--no-embed", str(folder))
    assert run.code == 0, run.err
    summary = "Imported 1 file: 49 listings (49 new), 49 new papers, 0 updated. The store holds 49 papers and 49"
    assert any(line.startswith(summary) for line in run.out.splitlines()), run.out  # one line, piped: not cut at 80
    assert one_line(run.err) == (
        "paperboy: skipped 1 file that is not .json, .jsonl, .json.gz or .jsonl.gz: notes.txt; skipped 1 folder"
        " inside (an import reads the files directly in a folder; give each as a PATH of its own): week23"
    )
    (folder / "week23").rmdir()
    (folder / "2026-06-01.JSON").unlink()
    run = paperboy("import", "--no-embed", str(folder))
    assert run.code == 2 and run.err.endswith(
        f"paperboy: error: no importable files in {folder}: give files ending .json, .jsonl, .json.gz or .jsonl.gz, "
        "or folders of them\n"
    ), run.err


@pytest.mark.slow
def test_import_no_embed_defers_to_paperboy_embed(paperboy: Paperboy) -> None:
    hybrid = {"PAPERBOY_EMBEDDINGS": "1"}
    empty = paperboy("embed", **hybrid)
    assert empty.code == 1 and "the store holds no papers yet" in one_line(empty.err)
    imported = paperboy("import", "--no-embed", str(CURRENT / "2026-06-01.json"), **hybrid)
    assert imported.code == 0, imported.err
    assert "Embedded" not in imported.err
    embedded = paperboy("embed", **hybrid)
    assert embedded.code == 0, embedded.err
    assert "Embedded 49 papers for search by meaning." in embedded.err
    assert "All 49 stored papers have their vectors" in embedded.out
    again = paperboy("embed", **hybrid)
    assert again.code == 0 and "Embedded" not in again.err  # nothing left to embed
    off = paperboy("embed", PAPERBOY_EMBEDDINGS="0")
    assert off.code == 1 and "PAPERBOY_EMBEDDINGS=0" in one_line(off.err)
    off = paperboy("embed", PAPERBOY_EMBEDDINGS="false")  # as it is set (it said `=0`; QA s76)
    assert off.code == 1 and "PAPERBOY_EMBEDDINGS=false turns search by meaning off" in one_line(off.err)


@pytest.mark.slow
def test_import_brings_the_search_index_on_disk_up_to_date_embeddings_or_not(
    paperboy: Paperboy, tmp_path: Path
) -> None:
    """A bot running beside it reloads the index when it is written: import writes it, with --no-embed
    too (it used to leave it for the next process that searched)."""
    from bot.search.lexical import LexicalIndex

    imported = paperboy("import", "--no-embed", str(CURRENT / "2026-06-01.json"), PAPERBOY_EMBEDDINGS="0")
    assert imported.code == 0, imported.err
    on_disk = LexicalIndex(folder=tmp_path / "data" / "search")  # as written: no store to catch up from
    assert on_disk.opened and len(on_disk) == 49
    assert "2605.29307" in [h.paper.arxiv_id for h in on_disk.search_now("GrepSeek search agents")]
    loose = paperboy("search", "GrepSeek", "search", "agents", "-video", "--json", PAPERBOY_EMBEDDINGS="0")
    assert loose.code == 0 and json.loads(loose.out)["query"] == "GrepSeek search agents -video", loose.err
    assert "2605.29307" in [r["arxiv_id"] for r in json.loads(loose.out)["results"]]
    respelled = paperboy("search", "GrepSeek serch agents", "--json", PAPERBOY_EMBEDDINGS="0")  # "serch": a typo
    assert respelled.code == 0 and json.loads(respelled.out)["suggested"] == "GrepSeek search agents", respelled.err
    assert json.loads(respelled.out)["results"][0]["arxiv_id"] == "2605.29307"
    nobody = paperboy("search", "author:Qwzxv", "--json", PAPERBOY_EMBEDDINGS="0")  # the name said, as in chat
    assert nobody.code == 0 and json.loads(nobody.out)["unknown_author"] == "Qwzxv", nobody.err
    theirs = paperboy("search", "search agents by Razieh Rahimi", "--json", PAPERBOY_EMBEDDINGS="0")  # as people ask
    assert theirs.code == 0 and json.loads(theirs.out)["searched_as"] == 'search agents author:"Razieh Rahimi"'
    assert [r["arxiv_id"] for r in json.loads(theirs.out)["results"]] == ["2605.29307"], theirs.out
    typo = paperboy("search", "agents", "--limt", "3", PAPERBOY_EMBEDDINGS="0")
    assert typo.code == 2 and "--limt is not an option" in one_line(typo.err)
    for named in ("2605.29307", "https://huggingface.co/papers/2605.29307", "arxiv.org/abs/2605.29307v1"):
        found = paperboy("search", named, "--json", PAPERBOY_EMBEDDINGS="0", PAPERBOY_OFFLINE="1")  # as /papers
        assert found.code == 0 and [r["arxiv_id"] for r in json.loads(found.out)["results"]] == ["2605.29307"], named


@pytest.mark.slow
def test_search_batch_prints_a_json_line_per_query(paperboy: Paperboy, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text('diffusion models\n\nrobot manipulation\n"; DROP TABLE\nthe of\n', encoding="utf-8")
    run = paperboy("search", "--batch", str(queries), "--limit", "3", PAPERBOY_OFFLINE="1")
    assert run.code == 0, run.err
    *lines, nothing = [json.loads(line) for line in run.out.splitlines()]
    blank = lines.pop(
        1
    )  # each input line's answer in its place: a blank one's too (was dropped, and the rest moved up)
    assert blank == {
        "query": "",
        "results": [],
        "took_ms": blank["took_ms"],
        "error": "nothing to search for: a blank line",
    }
    assert [line["query"] for line in lines] == ["diffusion models", "robot manipulation", '"; DROP TABLE']
    assert all(len(line["results"]) <= 3 and line["took_ms"] >= 0 for line in lines)
    assert len(lines[0]["results"]) == 3
    assert nothing["query"] == "the of" and nothing["error"].startswith("nothing to search for: it holds no word")
    assert nothing["results"] == [] and nothing["took_ms"] >= 0  # every line has the contract's three keys


@pytest.mark.slow
def test_search_reads_time_words_as_a_chat_search_does(paperboy: Paperboy, tmp_path: Path) -> None:
    """`diffusion this week` was searched for as three words. The store ends 21 August 2026: no day of this week."""
    first = (datetime.now(UTC).date() - timedelta(days=6)).isoformat()
    queries = tmp_path / "queries.txt"
    queries.write_text(
        "diffusion this week\ndiffusion past 2 years\ndiffusion\ndiffusion top 3\ndiffusion today\n", encoding="utf-8"
    )
    batch = paperboy("search", "--batch", str(queries), PAPERBOY_OFFLINE="1")
    assert batch.code == 0, batch.err
    week, too_far, anytime, three, today = [json.loads(line) for line in batch.out.splitlines()]
    # before today's papers are in, the latest day's, as chat searches them (QA s77: nothing, and "no day since")
    assert (today["since"], today["until"]) == ("2026-08-21", "2026-08-21") and today["results"]
    assert "is not in the store yet: searched the latest, Friday 21 August." in today["note"]
    assert three["results"] == anytime["results"][:3]  # `top 3`, as chat reads it: not the words "top" and "3"
    assert week["since"] == first and week["results"] == [] and anytime["results"] and "since" not in anytime
    lacked = "its latest day is Friday 21 August 2026. The same words without the days look at every day."
    assert week["note"].endswith(lacked) and "note" not in anytime  # as the text says it (it said nothing)
    alone = json.loads(paperboy("search", "--json", "diffusion this week", PAPERBOY_OFFLINE="1").out)
    assert alone["note"].endswith(lacked)
    assert too_far["results"] == [] and too_far["error"].startswith("“past 2 years” goes back too far")
    named = json.loads(paperboy("search", "--json", "diffusion on aug 20", PAPERBOY_OFFLINE="1").out)
    assert (named["since"], named["until"]) == (f"{_latest('08-20')}", f"{_latest('08-20')}") and named["results"]
    refused = paperboy("search", "diffusion", "past", "400", "days", PAPERBOY_OFFLINE="1")
    assert refused.code == 2 and "“past 400 days” goes back too far: time words reach back 1 to 366 days" in refused.err
    text = paperboy("search", "diffusion", "this", "week", PAPERBOY_OFFLINE="1")
    assert text.code == 0, text.err
    said = " ".join(text.out.split())
    assert "Papers on “diffusion”, listed in the last 7 days" in said  # as chat says it
    assert "its latest day is Friday 21 August 2026. The same words without the days look at every day." in said
    spanned = json.loads(
        paperboy("search", "--json", "diffusion from 2026-08-17 to 2026-08-19", PAPERBOY_OFFLINE="1").out
    )
    assert (spanned["since"], spanned["until"]) == ("2026-08-17", "2026-08-19") and spanned["results"]
    days_only = paperboy("search", "since", "aug", "1", PAPERBOY_OFFLINE="1")  # chat lists those days' papers
    assert days_only.code == 2 and "'since aug 1' names days but no words to search for" in days_only.err
    queries.write_text(
        "this week\nhttps://huggingface.co/papers?date=2026-08-20\nhttps://youtu.be/x1\n", encoding="utf-8"
    )
    days, day_list, video = [
        json.loads(line) for line in paperboy("search", "--batch", str(queries), PAPERBOY_OFFLINE="1").out.splitlines()
    ]
    assert days["results"] == [] and "'this week' names days but no words to search for" in days["error"]
    assert "`paperboy digest --date 2026-08-20` shows a day's" in day_list["error"]  # (searched for as words)
    assert "that link names no paper I can read" in video["error"]


@pytest.mark.slow
def test_search_batch_respells_a_word_no_paper_holds_as_one_query_does(paperboy: Paperboy, tmp_path: Path) -> None:
    """`difusion` alone was respelled and answered; in a batch, it found nothing and said nothing. A batch's
    line says what the query's JSON says beside its results: its note, and an `author:` name no paper has
    (a line said neither)."""
    asked = ("difusion", "author:Qwzxv", "GrepSeek serch agents", "protein folding")
    queries = tmp_path / "queries.txt"
    queries.write_text("\n".join(asked) + "\n", encoding="utf-8")
    env = {"PAPERBOY_EMBEDDINGS": "0", "PAPERBOY_OFFLINE": "1"}
    batch = paperboy("search", "--batch", str(queries), "--limit", "3", **env)
    lines = [json.loads(text) for text in batch.out.splitlines()]
    assert lines[0]["respelled"] == "diffusion" and lines[1]["unknown_author"] == "Qwzxv"
    assert lines[0]["note"].startswith("No paper holds “difusion”: showing papers on “diffusion” instead.")
    for query, line in zip(asked, lines, strict=True):
        one = json.loads(paperboy("search", query, "--json", "--limit", "3", **env).out)
        assert line["results"] == [r["arxiv_id"] for r in one["results"]], query
        assert {k: v for k, v in line.items() if k not in ("results", "took_ms")} == {
            k: v for k, v in one.items() if k not in ("results", "took_ms")
        }, query


@pytest.mark.slow
def test_search_batch_answers_an_arxiv_id_or_a_link_as_one_query_does(paperboy: Paperboy, tmp_path: Path) -> None:
    """A line naming a paper gets that paper, as `paperboy search ID` does, not a search of its digits."""
    named = ("2605.29307", "https://huggingface.co/papers/2605.29307", "arxiv.org/abs/2605.29307v1", "arXiv 2605.29307")
    queries = tmp_path / "queries.txt"
    queries.write_text("\n".join(named) + "\n2605.29307 and 2605.10730\n", encoding="utf-8")
    run = paperboy("search", "--batch", str(queries), PAPERBOY_EMBEDDINGS="0", PAPERBOY_OFFLINE="1")
    assert run.code == 0, run.err
    answers = [json.loads(line)["results"] for line in run.out.splitlines()]
    assert answers == [["2605.29307"]] * 4 + [["2605.29307", "2605.10730"]]  # "arXiv ID" and two ids: no match


@pytest.mark.slow
def test_a_paper_named_that_the_store_lacks_is_said_not_searched_for(paperboy: Paperboy, tmp_path: Path) -> None:
    """An id or link of a paper the (offline) store lacks: said so, as `/papers` says it, not answered with ten
    unrelated papers; `paper ID` on an empty store fills it first (the snapshot), as every command does."""
    lacks = "is not in the local store (offline: nothing was fetched; paperboy fetches it when run without"
    lacks += " PAPERBOY_OFFLINE)"
    shown = paperboy("paper", "2605.29307", PAPERBOY_OFFLINE="1")  # the first command, on an empty store
    assert shown.code == 0 and "arXiv 2605.29307" in shown.out, shown.err
    run = paperboy("search", "https://arxiv.org/abs/2608.99999", PAPERBOY_EMBEDDINGS="0", PAPERBOY_OFFLINE="1")
    assert run.code == 1 and run.out == "" and f"2608.99999 {lacks}" in run.err
    impossible = paperboy("search", "https://arxiv.org/abs/9999.99999", PAPERBOY_EMBEDDINGS="0", PAPERBOY_OFFLINE="1")
    assert impossible.code != 0 and impossible.out == ""  # was ten papers on "arxiv", "org" and "abs"
    assert "'https://arxiv.org/abs/9999.99999' is not an arXiv id or paper URL" in impossible.err
    queries = tmp_path / "queries.txt"
    queries.write_text("2608.99999\n2605.29307\n", encoding="utf-8")
    batch = paperboy("search", "--batch", str(queries), PAPERBOY_EMBEDDINGS="0", PAPERBOY_OFFLINE="1")
    answers = [json.loads(line) for line in batch.out.splitlines()]
    assert batch.code == 0 and [a["results"] for a in answers] == [[], ["2605.29307"]]
    assert answers[0]["error"] == f"2608.99999 {lacks}" and "error" not in answers[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("search", ""),
        ("search",),
        ("search", "x", "--batch", "q.txt"),
        ("search", "the", "of", "and"),  # nothing to search for: not "no papers match" with exit 0
        ("search", "--json", "--", "-video"),
        ("digest", "--date", "2026-13-01"),
        ("digest", "--limit", "0"),
        ("digest", "--format", "xml"),
        ("sync", "--days", "2", "--date", "2026-06-01"),
        ("frobnicate",),
        ("paper", "not-an-id"),
    ],
)
def test_usage_errors_exit_2_with_one_line(paperboy: Paperboy, args: tuple[str, ...]) -> None:
    run = paperboy(*args, PAPERBOY_OFFLINE="1")
    assert run.code == 2, (run.out, run.err)
    assert one_line(run.err).startswith("paperboy: error: ")
    assert "Input should" not in run.err and "Value error" not in run.err  # our words, not pydantic's


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("digest", "--limit", "0"), "--limit: use 1 or more"),
        (("search", "x", "--limit", "1.5"), "--limit: not a whole number"),
        (("digest", "--format", "xml"), "--format 'xml': it takes one of 'text', 'json'"),
        (("discord-invite", "--client-id", "-5"), "--client-id: use 1 or more"),
        (("digest", "--topic"), "--topic needs a value after it"),  # click's: "Option '--topic' requires an argument."
        (
            ("digest", "--date", "2026-02-30"),
            "--date: '2026-02-30' is no day of the calendar: February 2026 has 28 days",
        ),
        (
            ("digest", "--date", "20260821"),
            "--date: '20260821' is not a date (use YYYY-MM-DD, today, yesterday, friday or aug 20)",
        ),
        (
            ("digest", "--date", "feb 30"),
            "--date: “feb 30” is no day of the calendar: February has 29 days (use YYYY-MM-DD,"
            " today, yesterday, friday or aug 20)",
        ),
    ],
)
def test_a_bad_option_value_says_what_it_takes(paperboy: Paperboy, args: tuple[str, ...], said: str) -> None:
    run = paperboy(*args, PAPERBOY_OFFLINE="1")
    assert run.code == 2 and one_line(run.err) == f"paperboy: error: {said} (see paperboy {args[0]} --help)", run.err


@pytest.mark.slow
def test_an_application_id_of_no_discord_application_is_refused(paperboy: Paperboy) -> None:
    """26 digits printed an invite link Discord would refuse."""
    run = paperboy("discord-invite", "--client-id", "9" * 26, PAPERBOY_OFFLINE="1")
    assert run.code == 2 and run.out == ""
    assert "a Discord application id is a number below 2^64" in one_line(run.err)


@pytest.mark.slow
def test_no_command_is_a_usage_error_of_one_line_naming_the_commands(paperboy: Paperboy) -> None:
    """As every usage error is (the contract); it printed the whole help, 25 lines, with no line saying
    what was wrong."""
    run = paperboy()
    assert run.code == 2 and run.out == ""
    said = one_line(run.err)
    assert said.startswith("paperboy: error: a command is needed (digest, paper, search, chat, ")
    assert said.endswith(" forget) (see paperboy --help)")


@pytest.mark.slow
def test_sync_from_hugging_face(paperboy: Paperboy) -> None:
    run = paperboy("sync", "--date", "2026-06-01")
    assert run.code == 0, run.err
    assert "Synced 1 day (2026-06-01): 49 listings (49 new), 49 new papers, 0 updated" in run.out
    digest = paperboy("digest", "--format", "json")
    assert digest.json()["date"] == "2026-06-01"


@pytest.mark.slow
def test_sync_with_the_network_down_says_so(paperboy: Paperboy) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    run = paperboy("sync", "--days", "2", PAPERBOY_HF_URL=closed)
    assert run.code == 1
    assert one_line(run.err).startswith("paperboy: error: Hugging Face: cannot connect")


@pytest.mark.slow
def test_sync_offline_is_refused_clearly(paperboy: Paperboy) -> None:
    run = paperboy("sync", PAPERBOY_OFFLINE="1")
    assert run.code == 1
    assert "PAPERBOY_OFFLINE is set" in one_line(run.err)


@pytest.mark.slow
def test_paper_fetched_then_kept(paperboy: Paperboy) -> None:
    run = paperboy("paper", "https://arxiv.org/abs/2605.29307v2", "--json")
    assert run.code == 0, run.err
    assert run.json()["title"].startswith("GrepSeek")
    offline = paperboy("paper", "2605.29307", PAPERBOY_OFFLINE="1")
    assert offline.code == 0
    assert "GrepSeek" in offline.out
    for typed in ("https://arxiv.org/abs/2605.29307.", "(https://arxiv.org/abs/2605.29307)", "“2605.29307”"):
        pasted = paperboy("paper", typed, PAPERBOY_OFFLINE="1")  # as chat reads them: they were refused, exit 2
        assert pasted.code == 0 and "GrepSeek" in pasted.out, (typed, pasted.err)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[[subscriptions]]\nchannel = "slack:C1"\ntimezone = "Mars/Olympus"\n', "unknown time zone 'Mars/Olympus'"),
        ("[digest]\nlimt = 3\n", "digest.limt: unknown setting"),
        ("[digest\n", "line 1, column 8 is not valid TOML: a table's name is in [brackets]: close it with ]"),
        ("[digest]\nmin_upvotes = 100000000000000000000\n", "digest.min_upvotes is 100000000000000000000: use a"),
    ],
)
def test_a_bad_config_file_is_one_clear_line(paperboy: Paperboy, tmp_path: Path, config: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(config, encoding="utf-8")
    run = paperboy("digest", PAPERBOY_CONFIG=str(path), PAPERBOY_OFFLINE="1")
    assert run.code == 1
    assert message in one_line(run.err)


@pytest.mark.slow
def test_a_missing_named_config_is_an_error(paperboy: Paperboy, tmp_path: Path) -> None:
    run = paperboy("digest", PAPERBOY_CONFIG=str(tmp_path / "nope.toml"), PAPERBOY_OFFLINE="1")
    assert run.code == 1
    assert "no such config file" in one_line(run.err)


@pytest.mark.slow
def test_the_config_digest_defaults_apply(paperboy: Paperboy, tmp_path: Path) -> None:
    path = tmp_path / "paperboy.toml"
    path.write_text("[digest]\nlimit = 2\nmin_upvotes = 5\n", encoding="utf-8")
    run = paperboy("digest", "--format", "json", PAPERBOY_CONFIG=str(path), PAPERBOY_OFFLINE="1")
    papers = run.json()["papers"]
    assert len(papers) == 2
    assert all(p["upvotes"] >= 5 for p in papers)


@pytest.mark.slow
def test_python_dash_m_bot_is_the_same_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0
    assert "digest" in done.stdout


async def test_a_failed_embedding_loses_nothing_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    class BrokenSearch:
        hybrid = True

        async def embed_missing(self, progress: object) -> int:
            raise OSError("model.safetensors: truncated file")

    store = SimpleNamespace(engine=SimpleNamespace(url=make_url("sqlite:///paperboy.db")))
    settings = SimpleNamespace(database_url=None)
    await _embed(SimpleNamespace(search=BrokenSearch(), store=store, settings=settings))  # type: ignore[arg-type]
    said = capsys.readouterr().err
    assert "could not embed the papers (OSError: model.safetensors: truncated file)" in said
    assert "found by their words" in said


@pytest.mark.slow
def test_a_file_this_user_may_not_read_is_said_in_our_words(tmp_path: Path) -> None:
    """click said `Invalid value for 'PATH...': path '…' is not readable.`, where the same file in a folder
    was said in paperboy's words."""
    for name in ("papers.json", "queries.txt"):
        (tmp_path / name).write_text("[]\n" if name.endswith(".json") else "diffusion\n")
        (tmp_path / name).chmod(0)
    as_a_user = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []
    env = child_env() | {"PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    for args, said in (
        (["import", str(tmp_path / "papers.json")], f"{tmp_path / 'papers.json'}: this user may not read it"),
        (["search", "--batch", str(tmp_path / "queries.txt")], "cannot read it: this user may not read it"),
    ):
        done = subprocess.run(
            [*as_a_user, *entry_point(), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert said in done.stderr and "Invalid value" not in done.stderr, done.stderr


@pytest.mark.slow
def test_a_choice_is_taken_in_any_case_as_chat_takes_it(paperboy: Paperboy) -> None:
    """`--format JSON` and `--period WEEK` were refused, where chat takes `top WEEK`."""
    run = paperboy("digest", "--format", "JSON", "--limit", "1", PAPERBOY_OFFLINE="1")
    assert run.code == 0 and json.loads(run.out)["papers"], run.err
    top = paperboy("top", "--channel", "console:term", "--period", "WEEK", PAPERBOY_OFFLINE="1")
    assert top.code == 0, top.err


def _latest(month_day: str) -> date:
    """The latest such day up to today (UTC), as a day named without its year is read."""
    today = datetime.now(UTC).date()
    day = date.fromisoformat(f"{today.year}-{month_day}")
    return day if day <= today else date.fromisoformat(f"{today.year - 1}-{month_day}")
