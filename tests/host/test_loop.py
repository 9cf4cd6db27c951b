import asyncio
import sys

import pytest

from bot.host.loop import loop_factory, run


async def answer() -> tuple[str, int]:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__, 42


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop is not built for Windows: asyncio's loop runs there")
def test_commands_run_on_uvloop_where_it_is_installed() -> None:
    module, value = run(answer())
    assert module.startswith("uvloop") and value == 42
    assert loop_factory() is not None


def test_a_failure_inside_comes_out_as_itself() -> None:
    async def fails() -> None:
        raise LookupError("the store lacks 2026-06-01")

    with pytest.raises(LookupError, match="the store lacks"):
        run(fails())
