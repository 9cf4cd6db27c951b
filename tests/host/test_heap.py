"""The started bot's heap: frozen, and collected less often."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.host.heap import YOUNG, freeze_heap


@pytest.fixture
def restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored")
@pytest.mark.slow
def test_freezing_keeps_what_is_held_out_of_collections_and_makes_them_rarer() -> None:
    held = [[n] for n in range(1000)]
    freeze_heap()
    assert gc.get_freeze_count() >= len(held)
    assert gc.get_threshold()[0] == YOUNG
    assert gc.get_threshold()[1:] == (10, 10)  # the older generations' ratios as CPython has them


class Cycle:
    def __init__(self) -> None:
        self.me = self  # garbage only the cycle collector frees


@pytest.mark.usefixtures("restored")
@pytest.mark.slow
def test_freezing_the_started_heap_first_collects_what_an_earlier_freeze_hid() -> None:
    gc.collect()
    gc.disable()
    cycle = Cycle()
    held = weakref.ref(cycle)
    del cycle
    gc.freeze()  # as `loaded` does at a command's start: the cycle is out of the collector's sight
    gc.enable()
    gc.collect()
    assert held() is not None
    freeze_heap()
    assert held() is None
