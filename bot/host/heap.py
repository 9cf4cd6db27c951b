"""The long-lived heap, frozen, and collections made rarer: Python's cyclic collector holds the GIL
while it runs, and every ack, event and search in the process waits for it.

A running bot holds some 150,000 long-lived objects (modules, classes, the SDKs' and the store's
tables). Every full collection walked them all, about 100 ms with the GIL held on a busy two-core
host, and in a burst of commands one came every two or three seconds. `freeze_heap` collects once,
then moves what is left to a generation the collector never visits (`gc.freeze`); what is made
later is collected as usual.

A burst still makes objects fast: 200 commands at once keep some 50,000 alive (their requests,
tasks, pages of results) and make far more. At CPython's default of a young collection every 700
new objects, a full one came every second or two of a burst, 40-170 ms each on a busy host (the
garbage collector's own callbacks timed them). `YOUNG` makes every generation's collections
fourteen times rarer; the cost is up to that many more objects waiting to be collected. Measured in
`docs/benchmarks.md` (Under load).

Start-up itself (imports, settings, the store opened) builds many thousands of objects and next to
no garbage cycles: the command line pauses the collector for it (`loading`) and resumes it, with
what start-up built frozen, when the command's work begins (`loaded`). The collector walking those
objects took about a sixth of a warm offline `paperboy digest`.
"""

from __future__ import annotations

import gc

YOUNG = 10_000  # new objects between young collections (CPython: 700)


def freeze_heap() -> None:
    """Call once the process holds what it keeps for good (`paperboy run`, once started). What an
    earlier freeze (`loaded`) put out of sight comes back first, so its garbage is collected too."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])


_paused: list[bool] = []  # whether `loading` paused a running collector (it is then `loaded`'s to resume)


def loading() -> bool:
    """Pause the collector for a start-up; returns whether it was running, for `loaded_as`."""
    running = gc.isenabled()
    gc.disable()
    _paused[:] = [running]
    return running


def loaded() -> None:
    """Start-up is over: what it built lives as long as the process, so it leaves the collector's sight
    (no collection first: start-up makes next to no garbage), and collection resumes. Only a pause
    `loading` made is ended: a collector its caller had turned off stays off, and nothing is frozen."""
    if _paused == [True]:
        _paused.clear()
        gc.freeze()
        gc.enable()


def loaded_as(running: bool) -> None:
    """The command is over: the collector as `loading` found it."""
    _paused.clear()
    (gc.enable if running else gc.disable)()
