"""The CPUs the process may use: affinity, capped by a cgroup v1 or v2 quota (read from files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.host.cpus import affinity_cpus, quota_cpus, usable_cpus


def cgroup(tmp_path: Path, files: dict[str, str], own: str = "0::/\n") -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    root.mkdir(parents=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (tmp_path / "self").write_text(own)
    return root, tmp_path / "self"


@pytest.mark.parametrize(
    ("files", "want"),
    [
        ({"cpu.max": "200000 100000\n"}, 2),
        ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 CPUs of time: two threads can use it
        ({"cpu.max": "50000 100000\n"}, 1),
        ({"cpu.max": "max 100000\n"}, None),
        ({"cpu.max": "garbage\n"}, None),
        ({"cpu/cpu.cfs_quota_us": "300000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 3),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({}, None),
    ],
)
def test_quota_from_cgroup_v2_and_v1(tmp_path: Path, files: dict[str, str], want: int | None) -> None:
    root, own = cgroup(tmp_path, files)
    assert quota_cpus(root, own) == want


def test_quota_of_the_process_own_group(tmp_path: Path) -> None:
    root, own = cgroup(
        tmp_path, {"cpu.max": "max 100000\n", "kubepods/pod1/cpu.max": "100000 100000\n"}, own="0::/kubepods/pod1\n"
    )
    assert quota_cpus(root, own) == 1
    v1root, v1own = cgroup(
        tmp_path / "v1",
        {"cpu/docker/abc/cpu.cfs_quota_us": "200000\n", "cpu/docker/abc/cpu.cfs_period_us": "100000\n"},
        own="4:cpu,cpuacct:/docker/abc\n",
    )
    assert quota_cpus(v1root, v1own) == 2


def test_usable_is_the_smaller_of_affinity_and_quota(tmp_path: Path) -> None:
    root, own = cgroup(tmp_path, {"cpu.max": "100000 100000\n"})
    assert usable_cpus(root, own) == 1
    none_root, none_own = cgroup(tmp_path / "none", {})
    assert usable_cpus(none_root, none_own) == affinity_cpus()
    if hasattr(os, "sched_getaffinity"):
        assert affinity_cpus() == len(os.sched_getaffinity(0))
