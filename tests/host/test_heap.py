"""The started bot's heap: frozen, and collected less often."""

from __future__ import annotations

import gc
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
def test_freezing_keeps_what_is_held_out_of_collections_and_makes_them_rarer() -> None:
    held = [[n] for n in range(1000)]
    freeze_heap()
    assert gc.get_freeze_count() >= len(held)
    assert gc.get_threshold()[0] == YOUNG
    assert gc.get_threshold()[1:] == (10, 10)  # the older generations' ratios as CPython has them
