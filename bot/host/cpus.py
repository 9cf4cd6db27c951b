"""How many CPUs this process may really use: its affinity mask, capped by a cgroup CPU quota.

A container limited to two CPUs on a 64-core host sees 64 in `os.cpu_count()`; sizing thread pools
to that makes them fight the quota and each other. Both cgroup v2 (`cpu.max`) and v1
(`cpu.cfs_quota_us` / `cpu.cfs_period_us`) quotas are read; a quota of 1.5 CPUs counts as 2.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _own_groups(proc_cgroup: Path) -> dict[str, str]:
    """Controller → this process's cgroup path, from /proc/self/cgroup ("" for the v2 unified tree)."""
    groups: dict[str, str] = {}
    for line in (_read(proc_cgroup) or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(","):
                groups[controller] = parts[2].lstrip("/")
    return groups


def quota_cpus(root: Path = CGROUP, proc_cgroup: Path = Path("/proc/self/cgroup")) -> int | None:
    """The tightest CPU quota on this process's cgroup, rounded up to whole CPUs (None: no quota)."""
    groups = _own_groups(proc_cgroup)
    found = [q for q in (_quota(root / groups.get("", "")), _quota(root, groups.get("cpu", ""))) if q is not None]
    if not found and (groups.get("") or groups.get("cpu")):  # a namespaced view: the root is our own group
        found = [q for q in (_quota(root), _quota(root, "")) if q is not None]
    return min(found) if found else None


def _quota(root: Path, v1_group: str | None = None) -> int | None:
    """cgroup v2's `cpu.max` under `root`, or (with `v1_group`) v1's quota and period for that group."""
    if v1_group is not None:
        folder = root / "cpu" / v1_group
        quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
        if quota and period and quota.isdigit() and period.isdigit() and int(quota) > 0 and int(period) > 0:
            return max(1, math.ceil(int(quota) / int(period)))
        return None
    v2 = _read(root / "cpu.max")
    if v2 is not None:
        parts = v2.split()
        if len(parts) == 2 and parts[0] != "max" and parts[0].isdigit() and parts[1].isdigit() and int(parts[1]):
            return max(1, math.ceil(int(parts[0]) / int(parts[1])))
    return None


def affinity_cpus() -> int:
    """The CPUs the scheduler lets this process run on (all of the host's where that can't be asked)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def usable_cpus(root: Path = CGROUP, proc_cgroup: Path = Path("/proc/self/cgroup")) -> int:
    quota = quota_cpus(root, proc_cgroup)
    allowed = affinity_cpus()
    return min(allowed, quota) if quota is not None else allowed
