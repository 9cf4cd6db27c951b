"""The long-lived heap, frozen: Python's cyclic collector leaves it out of its full collections.

A running bot holds some 150,000 long-lived objects (modules, classes, the SDKs' and the store's
tables). Every full collection walked them all, about 100 ms with the GIL held on a
busy two-core host, and in a burst of commands one came every two or three seconds: every ack and
search in flight waited for it. `freeze_heap` collects once, then moves what is left to a generation
the collector never visits (`gc.freeze`); what is made later is collected as usual.
"""

from __future__ import annotations

import gc


def freeze_heap() -> None:
    """Call once the process holds what it keeps for good (`paperboy run`, once started)."""
    gc.collect()
    gc.freeze()
