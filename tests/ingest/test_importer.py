from __future__ import annotations

import gzip
import json
import os
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from typing import cast

import pytest

from bot.domain.errors import ImportFileError
from bot.ingest.importer import expand, import_paths, none_importable, read_file, skipped_note
from bot.ingest.snapshot import META_KEY, load_snapshot, snapshot_info
from bot.store.papers import PaperStore
from tests.conftest import BROKEN, CURRENT, SHAPES


@pytest.mark.slow
async def test_the_recorded_folder_imports_1374_listings_once(store: PaperStore) -> None:
    first = await import_paths(store, [CURRENT])
    assert len(first) == 59
    assert all(r.error is None for r in first)
    assert sum(r.counts.listings for r in first if r.counts) == 1374
    before = await store.counts()
    again = await import_paths(store, [CURRENT])
    assert sum(r.counts.new_listings + r.counts.new_papers + r.counts.updated_papers for r in again if r.counts) == 0
    assert await store.counts() == before
    assert before.listings == 1374


async def test_the_broken_file_is_refused_and_changes_nothing(store: PaperStore) -> None:
    await import_paths(store, [CURRENT / "2026-06-01.json"])
    before = await store.counts()
    results = await import_paths(store, [BROKEN])
    assert results[0].counts is None
    assert results[0].error is not None
    assert "strings, not JSON objects" in results[0].error
    assert await store.counts() == before


async def test_a_bad_file_among_good_ones_spoils_only_itself(store: PaperStore) -> None:
    results = await import_paths(store, [SHAPES])
    assert [r.path.name for r in results if r.error] == [BROKEN.name]
    assert (await store.counts()).days == 6


async def test_a_file_bad_halfway_is_stored_not_at_all(store: PaperStore, tmp_path: Path) -> None:
    items = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"))
    items[30]["paper"]["id"] = "not an id"
    path = tmp_path / "2026-06-01.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    results = await import_paths(store, [path])
    assert results[0].error is not None
    assert "item 31 (.[30].paper.id)" in results[0].error
    assert (await store.counts()).listings == 0


async def test_truncated_json_file(store: PaperStore, tmp_path: Path) -> None:
    path = tmp_path / "2026-06-01.json"
    path.write_text((CURRENT / "2026-06-01.json").read_text(encoding="utf-8")[:5000], encoding="utf-8")
    results = await import_paths(store, [path])
    assert results[0].error is not None
    assert results[0].error.startswith("not valid JSON")


async def test_files_that_start_with_a_byte_order_mark_import(store: PaperStore, tmp_path: Path) -> None:
    """Windows tools write UTF-8 with a byte-order mark first: the same JSON, not a JSON error."""
    path = tmp_path / "2026-06-01.json"
    path.write_bytes(b"\xef\xbb\xbf" + (CURRENT / "2026-06-01.json").read_bytes())
    row = {"arxiv_id": "2401.00001", "daily_date": "2024-01-02", "rank_in_file": 1, "title": "A", "authors": ["X"]}
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b"\xef\xbb\xbf" + json.dumps(row).encode())
    results = await import_paths(store, [path, corpus])
    assert [r.error for r in results] == [None, None]
    assert await store.get("2401.00001") is not None


async def test_corpus_jsonl_gz(store: PaperStore, tmp_path: Path) -> None:
    rows = [
        {
            "arxiv_id": "2401.00001v2",
            "daily_date": "2024-01-02",
            "rank_in_file": 1,
            "title": "A",
            "authors": ["X"],
            "upvotes": 3,
        },
        {
            "arxiv_id": "2401.00001",
            "daily_date": "2024-01-03",
            "rank_in_file": 2,
            "title": "A",
            "authors": ["X"],
            "upvotes": 7,
        },
    ]
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in rows).encode()))
    results = await import_paths(store, [path])
    assert results[0].counts is not None
    assert (results[0].counts.listings, results[0].counts.new_papers) == (2, 1)
    saved = await store.get("2401.00001")
    assert saved is not None
    assert (saved.upvotes, len(saved.listed_on)) == (7, 2)


def test_a_bad_corpus_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        '{"arxiv_id": "2401.00001", "daily_date": "2024-01-02", "title": "A"}\n{not json}\n', encoding="utf-8"
    )
    with pytest.raises(ImportFileError, match="line 2 is not JSON"):
        read_file(path)


def test_a_corpus_line_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    """Every other bad line is named; a byte no UTF-8 text holds was said of the whole file."""
    rows = [{"arxiv_id": f"2401.0000{n}", "daily_date": "2024-01-02", "title": "Large"} for n in range(1, 6)]
    lines = [json.dumps(r).encode() for r in rows]
    lines[3] = lines[3].replace(b"Large", b"L\xffarge")
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(lines)))
    column = lines[3].index(b"\xff") + 1
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert caught.value.reason == f"line 4: not UTF-8 text (at byte {column} of the line): save the file as UTF-8"


def refusal(path: Path, data: bytes) -> str:
    """Why `read_file` refuses `data` saved at `path` (gzipped where the name says .gz)."""
    path.write_bytes(gzip.compress(data) if path.name.lower().endswith(".gz") else data)
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    return caught.value.reason


@pytest.mark.parametrize(("name", "renamed"), [("2026-06-01.jsonl", "2026-06-01.json"), ("d.JSONL.gz", "d.json.gz")])
def test_a_json_array_saved_as_jsonl_is_told_to_be_named_json(tmp_path: Path, name: str, renamed: str) -> None:
    """A day's listing, pretty-printed, saved under a corpus's suffix: not "line 1 is not JSON (cut short?)"."""
    text = json.dumps(json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8")), indent=2)
    assert refusal(tmp_path / name, text.encode()) == (
        "line 1 begins a JSON array: it looks like a daily-papers array, not a corpus (one JSON object a line); "
        f"rename it {renamed}"
    )


async def test_a_folder_import_takes_suffixes_in_any_case_and_names_the_files_it_skips(
    store: PaperStore, tmp_path: Path
) -> None:
    """2026-06-03.JSON was passed over unsaid: the import looked whole."""
    folder = tmp_path / "days"
    folder.mkdir()
    (folder / "2026-06-02.json").write_bytes((CURRENT / "2026-06-02.json").read_bytes())
    (folder / "2026-06-03.JSON").write_bytes((CURRENT / "2026-06-03.json").read_bytes())
    for name in ("notes.txt", "b.csv", ".DS_Store"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "older").mkdir()
    results = await import_paths(store, [folder])
    assert [(r.path.name, r.error) for r in results] == [("2026-06-02.json", None), ("2026-06-03.JSON", None)]
    assert (await store.counts()).days == 2
    assert skipped_note([folder]) == (
        "skipped 2 files that are not .json, .jsonl, .json.gz or .jsonl.gz: b.csv, notes.txt; skipped 1 folder"
        " inside (an import reads the files directly in a folder; give each as a PATH of its own): older"
    )
    (folder / "older").rmdir()
    (folder / "notes.txt").unlink()
    assert skipped_note([folder, CURRENT / "2026-06-01.json"]) == (
        "skipped 1 file that is not .json, .jsonl, .json.gz or .jsonl.gz: b.csv"
    )
    for n in range(6):
        (folder / f"{n}.md").write_text("x", encoding="utf-8")
    assert (
        skipped_note([folder])
        == "skipped 7 files that are not .json, .jsonl, .json.gz or .jsonl.gz: 0.md, 1.md, 2.md, 3.md, 4.md and 2 more"
    )


def test_both_messages_of_a_folder_import_name_every_suffix_it_reads(tmp_path: Path) -> None:
    """The refusal of a folder with nothing to import left out .json.gz, which is read."""
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for suffix in (".json", ".jsonl", ".json.gz", ".jsonl.gz"):
        (tmp_path / f"2026-06-01{suffix}").write_text("x", encoding="utf-8")
    read = sorted(p.name.removeprefix("2026-06-01") for p in expand([tmp_path]))
    note, refusal = skipped_note([tmp_path]), none_importable([tmp_path])
    assert note is not None and refusal.startswith(f"no importable files in {tmp_path}: give files ending ")
    for suffix in read:
        assert suffix in refusal.split(": ")[-1] and suffix in note.split(": ")[0]
    assert len(read) == 4


async def test_a_folder_import_names_the_folders_inside_it_that_it_skips(store: PaperStore, tmp_path: Path) -> None:
    """Three days in a subfolder were passed over without a word: the import looked whole."""
    folder = tmp_path / "papers"
    (folder / "week23").mkdir(parents=True)
    (folder / "week24").mkdir()
    (folder / ".git").mkdir()
    for day in ("2026-06-01", "2026-06-02"):
        (folder / "week23" / f"{day}.json").write_bytes((CURRENT / f"{day}.json").read_bytes())
    (folder / "2026-06-08.json").write_bytes((CURRENT / "2026-06-08.json").read_bytes())
    assert [r.path.name for r in await import_paths(store, [folder])] == ["2026-06-08.json"]
    assert skipped_note([folder]) == (
        "skipped 2 folders inside (an import reads the files directly in a folder; give each as a PATH of its own):"
        " week23, week24"
    )
    assert skipped_note([folder / "week23"]) is None


def test_a_saved_web_page_is_said_to_be_one_and_where_the_json_is(tmp_path: Path) -> None:
    """`curl https://huggingface.co/papers/date/2026-06-01 > 2026-06-01.json` (the page, not the API) was
    refused as "not valid JSON (line 1, column 1 …)"."""
    path = tmp_path / "2026-06-01.json"
    path.write_text("\n<!DOCTYPE html>\n<html><head><title>Daily Papers</title></head></html>", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert caught.value.reason == (
        "a web page (HTML), not Hugging Face's JSON: save what the API answers, "
        "https://huggingface.co/api/daily_papers?date=YYYY-MM-DD, not the papers page"
    )


async def test_missing_paths_are_reported(store: PaperStore, tmp_path: Path) -> None:
    results = await import_paths(store, [tmp_path / "nope.json"])
    assert results[0].error == "no such file or folder"


@pytest.mark.slow
async def test_the_bundled_snapshot_loads_and_an_import_retires_it(store: PaperStore) -> None:
    info = await load_snapshot(store)
    assert 60 <= info.days <= 90
    counts = await store.counts()
    assert counts.last_day == info.last_day
    assert counts.listings > 1000
    assert await snapshot_info(store) == info
    await import_paths(store, [CURRENT / "2026-06-01.json"])
    assert await snapshot_info(store) is None


async def test_a_snapshot_marked_after_fresher_papers_came_is_not_said_to_be_what_the_store_holds(
    store: PaperStore,
) -> None:
    """One process loads the snapshot into a new store while another imports fresh days: the import took
    the snapshot's mark away before the load wrote it, and every answer then said the store held only the
    snapshot (the race audit's S4)."""
    await import_paths(store, [CURRENT / "2026-06-01.json"])  # fresher than the bundled snapshot
    await store.set_meta(META_KEY, json.dumps({"first_day": "2026-03-02", "last_day": "2026-05-29", "days": 63}))
    assert await snapshot_info(store) is None
    await store.set_meta(META_KEY, json.dumps({"first_day": "2026-03-02", "last_day": "2026-06-01", "days": 64}))
    assert await snapshot_info(store) is not None  # no listing past its last day: the store is the snapshot


async def test_deeply_nested_json_is_refused_in_one_line(store: PaperStore, tmp_path: Path) -> None:
    path = tmp_path / "2026-06-01.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    results = await import_paths(store, [path])
    assert results[0].error is not None
    assert results[0].error.startswith("JSON nested too deeply")
    assert (await store.counts()).listings == 0


async def test_huge_numbers_and_bad_urls_in_a_file_are_clamped_and_dropped(store: PaperStore, tmp_path: Path) -> None:
    items = json.loads((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"))
    items[0]["paper"]["upvotes"] = 10**30
    items[0]["paper"]["githubStars"] = 2**63
    items[0]["thumbnail"] = "javascript:alert(1)"
    items[0]["numComments"] = 7
    path = tmp_path / "2026-06-01.json"
    text = json.dumps(items).replace('"numComments": 7', '"numComments": ' + "9" * 5000, 1)
    path.write_text(text, encoding="utf-8")
    results = await import_paths(store, [path])
    assert results[0].error is None
    saved = await store.get(items[0]["paper"]["id"])
    assert saved is not None
    assert (saved.upvotes, saved.github_stars, saved.num_comments) == (2**31 - 1, 2**31 - 1, 2**31 - 1)
    assert saved.thumbnail is None


async def test_a_v1_after_its_v2_in_one_file_does_not_win(store: PaperStore, tmp_path: Path) -> None:
    items = [
        {"paper": {"id": "2401.00001v2", "title": "Second version"}},
        {"paper": {"id": "2401.00001v1", "title": "First version"}},
    ]
    path = tmp_path / "2026-06-01.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    await import_paths(store, [path])
    saved = await store.get("2401.00001")
    assert saved is not None and saved.title == "Second version"


async def test_a_file_larger_than_a_listing_could_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "2026-06-01.json"
    path.write_text((CURRENT / "2026-06-01.json").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"longer than 1,000 characters; a day's listing is far shorter"):
        read_file(path, max_chars=1000)


async def test_a_corpus_line_with_a_blank_title_is_refused_as_an_array_item_is(
    store: PaperStore, tmp_path: Path
) -> None:
    """An untitled card says nothing: a blank title spoils the file, in a corpus as in a daily array."""
    rows = [
        {"arxiv_id": "2401.00001", "daily_date": "2024-01-02", "title": "A"},
        {"arxiv_id": "2401.00002", "daily_date": "2024-01-02", "title": "  \t\x1b "},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    results = await import_paths(store, [path])
    assert results[0].error == "line 2: title: blank"
    assert (await store.counts()).listings == 0


def test_a_corpus_line_with_null_or_an_unreadable_optional_field_keeps_its_paper(tmp_path: Path) -> None:
    """The corpus writes null where the source had none; `authors: null`, `upvotes: null` or
    `github_stars: "1.2k"` refused the whole file, where a daily-papers item with them is kept."""
    row: dict[str, object] = {"arxiv_id": "2606.00001", "daily_date": "2026-06-01", "title": "A paper"}
    row |= {"authors": ["Ada"], "upvotes": 3}
    path = tmp_path / "corpus.jsonl"
    odd: list[dict[str, object]] = [{"authors": None}, {"upvotes": None}, {"github_stars": "1.2k"}]
    odd.append({"ai_keywords": "one string"})
    lines = [row] + [{**row, "arxiv_id": f"2606.0000{n}", **change} for n, change in enumerate(odd, start=2)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    papers = {listing.paper.arxiv_id: listing.paper for listing in read_file(path, today=date(2026, 6, 10))}
    assert len(papers) == 5
    assert papers["2606.00002"].authors == () and papers["2606.00003"].upvotes == 0
    assert papers["2606.00004"].github_stars is None and papers["2606.00005"].ai_keywords == ()
    path.write_text(json.dumps({**row, "upvotes": "many"}) + "\n", encoding="utf-8")  # what ranks it: still refused
    with pytest.raises(ImportFileError, match=r"line 1: upvotes: "):
        read_file(path, today=date(2026, 6, 10))


def test_a_corpus_line_nested_too_deeply_is_named(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"arxiv_id": "2401.00001", "daily_date": "2024-01-02", "title": "A"}\n' + "[" * 100_000 + "\n")
    with pytest.raises(ImportFileError, match="line 2: JSON nested too deeply"):
        read_file(path)


async def test_a_v1_after_its_v2_in_one_corpus_does_not_win(store: PaperStore, tmp_path: Path) -> None:
    rows = [
        {"arxiv_id": "2401.00001v2", "daily_date": "2024-01-02", "rank_in_file": 1, "title": "Second version"},
        {"arxiv_id": "2401.00002", "daily_date": "2024-01-02", "rank_in_file": 2, "title": "Another"},
        {"arxiv_id": "2401.00001v1", "daily_date": "2024-01-02", "rank_in_file": 3, "title": "First version"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert [(x.paper.title, x.rank) for x in read_file(path)] == [("Second version", 1), ("Another", 2)]
    await import_paths(store, [path])
    saved = await store.get("2401.00001")
    assert saved is not None and saved.title == "Second version"


def test_a_file_named_after_another_day_than_its_papers_is_refused(tmp_path: Path) -> None:
    """Stored under its name, 2 June's papers would be 1 June's digest; the papers carry their own day."""
    misnamed = tmp_path / "2026-06-01.json"
    misnamed.write_bytes((CURRENT / "2026-06-02.json").read_bytes())
    with pytest.raises(
        ImportFileError,
        match=r"named 2026-06-01 but its papers were listed on 2026-06-02 \(47 papers\): rename it 2026-06-02.json$",
    ):
        read_file(misnamed)
    assert read_file(CURRENT / "2026-06-02.json")  # named after its day: taken


def _days(*days: str) -> list[dict[str, object]]:
    """The recorded listings of these days, one flat array (as a week's download is saved)."""
    return [item for day in days for item in json.loads((CURRENT / f"{day}.json").read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name", ["2026-06-01_to_2026-06-08.json", "2026-06-01.json", "week.json"])
@pytest.mark.slow
async def test_a_paper_is_filed_under_the_day_it_carries_whatever_the_file_is_named(
    store: PaperStore, tmp_path: Path, name: str
) -> None:
    """Five days' papers in a file named after the first were all filed under it: 183 papers in one digest."""
    path = tmp_path / name
    path.write_text(json.dumps(_days("2026-06-01", "2026-06-02", "2026-06-03")), encoding="utf-8")
    days = Counter(listing.day.isoformat() for listing in read_file(path))
    assert days == {"2026-06-01": 49, "2026-06-02": 47, "2026-06-03": 23}
    await import_paths(store, [path])
    assert (await store.counts()).days == 3


def test_a_paper_that_carries_no_day_is_filed_under_the_files_name(tmp_path: Path) -> None:
    items = _days("2026-06-02")
    items.append({"paper": {"id": "2401.00001", "title": "No day of its own"}})
    path = tmp_path / "2026-06-01.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    days = Counter(listing.day.isoformat() for listing in read_file(path))
    assert days == {"2026-06-02": 47, "2026-06-01": 1}


def test_a_file_named_for_several_days_whose_papers_carry_no_day_is_refused(tmp_path: Path) -> None:
    """Older shapes carry no `submittedOnDailyAt`: two such days in one file named for both were all
    filed under the first, 47 papers of 2 June said to be listed on 1 June."""
    items = _days("2026-06-01", "2026-06-02")
    for item in items:
        cast(dict[str, object], item["paper"]).pop("submittedOnDailyAt")
    path = tmp_path / "2026-06-01_to_2026-06-02.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(path, today=date(2026, 6, 10))
    assert caught.value.reason == (
        "named 2026-06-01 to 2026-06-02, but 96 of its 96 papers carry no listing day, so the day each was listed"
        " on is not known: save each day in a file of its own, named for it (2026-06-01.json)"
    )
    one_day = tmp_path / "2026-06-01.json"  # named for one day: that day is theirs
    one_day.write_text(json.dumps(items[:5]), encoding="utf-8")
    assert {listing.day for listing in read_file(one_day, today=date(2026, 6, 10))} == {date(2026, 6, 1)}


def test_a_file_named_after_days_none_of_its_papers_are_on_is_refused_naming_theirs(tmp_path: Path) -> None:
    misnamed = tmp_path / "2026-06-01.json.gz"
    misnamed.write_bytes(gzip.compress(json.dumps(_days("2026-06-02", "2026-06-03")).encode()))
    with pytest.raises(ImportFileError) as caught:
        read_file(misnamed)
    assert caught.value.reason == (
        "named 2026-06-01 but its papers were listed on 2026-06-02 (47 papers), 2026-06-03 (23 papers): "
        "rename it 2026-06-02_to_2026-06-03.json.gz"
    )
    renamed = tmp_path / "2026-06-02_to_2026-06-03.json.gz"
    misnamed.rename(renamed)
    assert len(read_file(renamed)) == 70  # the name it was told to take is taken
    week = tmp_path / "2026-06-04_to_2026-06-08.json"
    week.write_text(json.dumps(_days("2026-06-01")), encoding="utf-8")
    with pytest.raises(ImportFileError, match=r": named 2026-06-04 to 2026-06-08 but its papers were listed on 2026"):
        read_file(week)


def test_a_gzipped_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    """A `.json` gzipped was said to be "not UTF-8 text (at byte 2 of the line)" (QA s76)."""
    gzipped = tmp_path / "2026-06-01.json"
    gzipped.write_bytes(gzip.compress((CURRENT / "2026-06-01.json").read_bytes()))
    assert read_file(gzipped) == read_file(CURRENT / "2026-06-01.json")


def test_a_pipe_is_read_once_as_named(tmp_path: Path) -> None:
    """Looking for gzip's first bytes in a pipe took them (`import /dev/stdin`: "not valid JSON"), and a
    FIFO opened a second time waited for a writer gone (review s76): a pipe is read as its name says."""
    fifo = tmp_path / "2026-06-01.json"
    os.mkfifo(fifo)
    data = (CURRENT / "2026-06-01.json").read_bytes()
    writer = threading.Thread(target=fifo.write_bytes, args=(data,), daemon=True)
    writer.start()
    assert read_file(fifo) == read_file(CURRENT / "2026-06-01.json")
    writer.join(5)
    latin = threading.Thread(target=fifo.write_bytes, args=('[{"t": "caf\u00e9"}]'.encode("latin-1"),), daemon=True)
    latin.start()  # not UTF-8: said, not read a second time (it waited for a writer gone)
    with pytest.raises(ImportFileError, match="not UTF-8 text: save it as UTF-8"):
        read_file(fifo)
    latin.join(5)


@pytest.mark.parametrize("name", ["2026-06-06.json", "2026-06-06_to_2026-06-07.json"])
async def test_a_file_named_after_a_day_hugging_face_listed_nothing_for_imports_nothing(
    store: PaperStore, tmp_path: Path, name: str
) -> None:
    """`[]` is what the API answers for a weekend: saved under the day's name, it is an empty import, not a crash."""
    path = tmp_path / name
    path.write_text("[]", encoding="utf-8")
    assert read_file(path) == []
    [result] = await import_paths(store, [path])
    assert result.error is None and result.counts is not None and result.counts.listings == 0


def _corpus(rows: int) -> bytes:
    """A corpus of `rows` papers, one JSON object a line."""
    lines = (
        json.dumps({"arxiv_id": f"2401.{n:05d}", "daily_date": "2024-01-02", "title": f"Paper {n}", "upvotes": n})
        for n in range(1, rows + 1)
    )
    return "\n".join(lines).encode()


@pytest.mark.parametrize("name", ["2026-06-01.json.gz", "corpus.jsonl.gz"])
async def test_a_cut_off_or_damaged_gzip_file_is_named_and_the_others_go_on(
    store: PaperStore, tmp_path: Path, name: str
) -> None:
    """gzip's EOFError read as Ctrl-C ("interrupted", exit 130, the other files skipped); zlib's error
    was a traceback."""
    plain = (CURRENT / "2026-06-01.json").read_bytes() if name.endswith(".json.gz") else _corpus(2000)
    whole = gzip.compress(plain)
    cut = tmp_path / "cut" / name
    cut.parent.mkdir()
    cut.write_bytes(whole[: len(whole) // 2])
    damaged = tmp_path / "damaged" / name
    damaged.parent.mkdir()
    damaged.write_bytes(whole[:10] + bytes(b ^ 0xFF for b in whole[10:200]) + whole[200:])
    results = await import_paths(store, [cut, damaged, CURRENT / "2026-06-02.json"])
    assert [r.error is not None for r in results] == [True, True, False]
    for result in results[:2]:
        assert "damaged or incomplete gzip file" in (result.error or ""), result.error
    assert (await store.counts()).listings == len(read_file(CURRENT / "2026-06-02.json"))  # the good file only


def test_a_corpus_line_loses_its_control_characters_and_bidi_overrides(tmp_path: Path) -> None:
    row = {
        "arxiv_id": "2401.00001",
        "daily_date": "2024-01-02",
        "title": "T\u202eitle",
        "authors": ["A\x1b[2Jlice", "\u2066"],
        "ai_keywords": ["x\u009by"],
    }
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps(row), encoding="utf-8")
    [listing] = read_file(path)
    assert (listing.paper.title, listing.paper.authors, listing.paper.ai_keywords) == (
        "Title",
        ("Alice",),  # escape sequences dropped whole
        ("x",),  # "\x9by" is one: a one-byte CSI and its final byte
    )


async def test_a_corpus_line_dated_after_tomorrow_spoils_its_file(store: PaperStore, tmp_path: Path) -> None:
    """A typo, 2062 for 2026, was every plain digest's latest day ever after."""
    rows = [{"arxiv_id": f"2401.0000{n}", "daily_date": "2026-05-27", "title": f"P{n}"} for n in range(1, 6)]
    rows[4]["daily_date"] = "2062-05-27"
    path = tmp_path / "typo.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    [result] = await import_paths(store, [path])
    assert result.error is not None
    assert result.error.startswith("line 5: daily_date: 2062-05-27 is in the future (no listing is dated after ")
    assert result.error.endswith("): mend the date")
    assert (await store.counts()).listings == 0


def test_tomorrow_is_the_latest_listing_day_a_file_may_give(tmp_path: Path) -> None:
    """It is tomorrow already east of UTC; the day after is nowhere."""
    today = date(2026, 6, 1)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"arxiv_id": "2401.00001", "daily_date": "2026-06-02", "title": "T"}), encoding="utf-8"
    )
    assert [x.day for x in read_file(corpus, today=today)] == [date(2026, 6, 2)]
    with pytest.raises(
        ImportFileError,
        match=r"line 1: daily_date: 2026-06-02 is in the future \(no listing is dated after 2026-06-01\)",
    ):
        read_file(corpus, today=date(2026, 5, 31))
    items = _days("2026-06-02")
    items[3]["paper"]["submittedOnDailyAt"] = "2026-06-03T07:00:00.000Z"  # type: ignore[index]
    week = tmp_path / "week.json"
    week.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(week, today=today)
    assert caught.value.reason == (
        "item 4 (.[3].paper.submittedOnDailyAt): 2026-06-03 is in the future (no listing is dated after 2026-06-02): "
        f"mend the date (paper {items[3]['paper']['id']})"  # type: ignore[index]
    )
    named = tmp_path / "2026-06-03.json"
    named.write_text(json.dumps([{"paper": {"id": "2401.00001", "title": "No day of its own"}}]), encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(named, today=today)
    assert caught.value.reason == (
        "named 2026-06-03, a day still to come (no listing is dated after 2026-06-02): "
        "rename it after the day its papers were listed"
    )


@pytest.mark.parametrize(("name", "renamed"), [("corpus.json", "corpus.jsonl"), ("c.JSON.gz", "c.jsonl.gz")])
@pytest.mark.parametrize("lines", [1, 3])
def test_a_corpus_saved_as_json_is_told_to_be_named_jsonl(tmp_path: Path, name: str, renamed: str, lines: int) -> None:
    """The reverse of the mistake above: not "more follows where the JSON should end" with no fix."""
    rows = [{"arxiv_id": f"2401.0000{n}", "daily_date": "2024-01-02", "title": "A"} for n in range(1, lines + 1)]
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    assert refusal(tmp_path / name, text.encode()) == (
        "line 1 is a JSON object: it looks like a corpus (one JSON object a line), not a daily-papers array; "
        f"rename it {renamed}"
    )


def test_broken_json_that_merely_starts_with_an_object_keeps_the_parsers_reason(tmp_path: Path) -> None:
    path = tmp_path / "2024-01-02.json"
    path.write_text('{"paper": {"id": "2401.00001"\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match="not valid JSON"):
        read_file(path)


@pytest.mark.parametrize("name", ["2024-01-02.json", "2024-01-02.json.gz"])
def test_a_json_file_that_is_not_utf8_names_the_line_and_byte_and_the_fix(tmp_path: Path, name: str) -> None:
    """Latin-1, as an old editor saves it: said as a corpus line is, not only "not UTF-8 text"."""
    data = '[\n  {"paper": {"id": "2401.00001", "title": "Café"}}\n]\n'.encode("latin-1")
    column = data.split(b"\n")[1].index(b"\xe9") + 1
    said = f"line 2: not UTF-8 text (at byte {column} of the line): save the file as UTF-8"
    assert refusal(tmp_path / name, data) == said


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
async def test_a_paper_twice_in_one_file_keeps_the_larger_counts_as_two_files_would(
    store: PaperStore, tmp_path: Path, suffix: str
) -> None:
    """Split over two files, the store keeps the larger counts; in one file the first line's won."""
    first = {"title": "Early", "upvotes": 3, "num_comments": 1}
    later = {"title": "Late", "upvotes": 40, "num_comments": 7}
    if suffix == "json":
        items = [
            {
                "paper": {"id": "2401.00001", "title": f["title"], "upvotes": f["upvotes"]},
                "numComments": f["num_comments"],
            }
            for f in (first, later)
        ]
        text = json.dumps(items)
    else:
        text = "\n".join(
            json.dumps({"arxiv_id": "2401.00001", "daily_date": "2024-01-02", **fields}) for fields in (first, later)
        )
    path = tmp_path / f"2024-01-02.{suffix}"
    path.write_text(text, encoding="utf-8")
    [listing] = read_file(path)
    assert (listing.paper.title, listing.paper.upvotes, listing.paper.num_comments) == ("Early", 40, 7)
    await import_paths(store, [path])
    saved = await store.get("2401.00001")
    assert saved is not None and (saved.upvotes, saved.num_comments) == (40, 7)


async def test_a_newer_version_later_in_a_file_keeps_its_text_and_the_older_lines_larger_counts(
    store: PaperStore, tmp_path: Path
) -> None:
    rows = [
        {"arxiv_id": "2401.00001v1", "daily_date": "2024-01-02", "title": "First version", "upvotes": 40},
        {"arxiv_id": "2401.00001v2", "daily_date": "2024-01-02", "title": "Second version", "upvotes": 3},
        {"arxiv_id": "2401.00001v1", "daily_date": "2024-01-02", "title": "First again", "upvotes": 50},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    [listing] = read_file(path)
    assert (listing.paper.title, listing.paper.upvotes) == ("Second version", 50)


def test_hugging_face_items_one_a_line_in_a_json_file_are_told_to_be_one_array(tmp_path: Path) -> None:
    """`jq -c '.[]'` output: "rename it .jsonl" led to "line 1: arxiv_id: missing"."""
    items = [{"paper": {"id": f"2401.0000{n}", "title": "A"}} for n in (1, 2)]
    path = tmp_path / "2024-01-02.json"
    path.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert "one Hugging Face item and more follow" in caught.value.reason and "jq -s" in caught.value.reason


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2024-02-30", "line 1: daily_date: 2024-02-30 is no day of the calendar: February 2024 has 29 days"),
        ("2024-13-01", "line 1: daily_date: 2024-13-01 is no day of the calendar: months run from 01 to 12"),
        # a card said "On Hugging Face Daily Papers 7 May 2026 (and 1 day before)" of a 1999 listing
        ("1999-01-01", "line 1: daily_date: 1999-01-01 is before its paper was on arXiv (2401.00001: January 2024)"),
    ],
)
def test_a_listing_day_no_calendar_or_paper_has_is_refused_saying_why(tmp_path: Path, day: str, said: str) -> None:
    line = {"arxiv_id": "2401.00001", "daily_date": day, "title": "A"}  # "not a date (YYYY-MM-DD)", it is written so
    assert refusal(tmp_path / "c.jsonl", json.dumps(line).encode()).startswith(said)


def test_a_day_before_its_ids_month_by_a_day_is_kept_for_the_time_zones(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"arxiv_id": "2401.00001", "daily_date": "2023-12-31", "title": "A"}), encoding="utf-8")
    assert [listing.day.isoformat() for listing in read_file(path)] == ["2023-12-31"]


async def test_a_file_named_twice_is_imported_once(tmp_path: Path, store: PaperStore) -> None:
    """`import a.jsonl a.jsonl` (or a file and its folder) said "Imported 2 files: 46 listings" of 23."""
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"arxiv_id": "2401.00001", "daily_date": "2024-01-02", "title": "A"}), encoding="utf-8")
    results = await import_paths(store, [path, tmp_path, tmp_path / "." / "c.jsonl"])
    assert [r.path for r in results] == [path]


def test_a_file_named_after_no_day_of_the_calendar_says_so(tmp_path: Path) -> None:
    """`2026-13-45.json` was told its papers had "no listing day: name the file after its day (YYYY-MM-DD.json)"."""
    named = tmp_path / "2026-13-45.json"
    named.write_bytes((CURRENT / "2026-06-01.json").read_bytes())
    with pytest.raises(ImportFileError) as refused:
        read_file(named)
    assert "its name's 2026-13-45 is no day of the calendar (months run from 01 to 12): rename it" in str(refused.value)
