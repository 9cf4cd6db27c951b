"""`paperboy post --channel slack:D…` delivers a person's follows now, with their filters, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.store.engine import create_engine, database_url, migrate
from tests.app.test_cli import run_cli
from tests.app.test_cli_slack import environment, free_port
from tests.conftest import CURRENT
from tests.fakes.slack import FakeSlack

pytestmark = pytest.mark.slow  # three runs of the installed command


async def test_post_delivers_a_follow_to_the_dm(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = environment(tmp_path, fake_slack, free_port())
    code, _, err = await run_cli(env, tmp_path, "import", str(CURRENT / "2026-06-01.json"))
    assert code == 0, err
    engine = create_engine(database_url(None, tmp_path / "data"))
    try:
        await migrate(engine)
        follow = Subscription(ChannelRef("slack", "D0001", "T0001"), ("agents", "-benchmark"), limit=10, person="U1")
        await SubscriptionStore(engine).save(follow)
    finally:
        await engine.dispose()
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:D0001", "--date", "2026-06-01")
    assert code == 0, err
    assert "Posted the 1 June 2026 digest to slack:T0001/D0001:" in err
    posted = fake_slack.posts("D0001")
    cards = [p for p in posted if "thread_ts" not in p][1:]
    assert 1 <= len(cards) < 10  # on agents, none on benchmarks: fewer than the day's ten
    assert all("benchmark" not in str(c["blocks"]).lower() for c in cards)
    code, _, err = await run_cli(env, tmp_path, "post", "--channel", "slack:D0001", "--date", "2026-06-01")
    assert code == 0 and "already has the 1 June 2026 digest" in err
