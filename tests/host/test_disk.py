import os
from pathlib import Path

from bot.host.disk import read_ahead_kb, read_ahead_note


def test_a_disk_says_its_read_ahead_and_what_has_no_disk_says_nothing(tmp_path: Path) -> None:
    assert read_ahead_kb(tmp_path / "not there") is None
    assert read_ahead_kb(Path("/proc/self")) is None  # no disk under it
    device = os.stat(__file__).st_dev
    said = read_ahead_kb(Path(__file__))
    if Path(f"/sys/dev/block/{os.major(device)}:{os.minor(device)}").exists():  # on a disk (or a partition of one)
        disks = {int(p.read_text()) for p in Path("/sys/block").glob("*/queue/read_ahead_kb")}
        assert said in disks
    else:  # an overlay or network file system
        assert said is None


def test_only_a_read_ahead_of_megabytes_is_worth_a_word(tmp_path: Path) -> None:
    note = read_ahead_note(tmp_path, 8192)
    assert note is not None and str(tmp_path) in note and "8192 KB" in note
    assert "read_ahead_kb to 128" in note and "restart paperboy" in note
    assert read_ahead_note(tmp_path, 128) is None and read_ahead_note(tmp_path, 512) is None
    assert read_ahead_note(tmp_path, None) is None
