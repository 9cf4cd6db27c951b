"""The config file's subscriptions are saved by `paperboy run` only: any other command, run with another
config file or none (from another folder, a one-off `top` or `post`), takes nothing from a running
deployment, whose sweeps read the subscriptions from the store."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app.bootstrap import open_services, say_misspelt_topics
from bot.app.settings import Settings
from bot.delivery.subscriptions import Subscription
from bot.domain.channels import ChannelRef
from bot.domain.config import FileConfig, parse_config
from bot.store.papers import PaperStore
from tests.conftest import search_over

FILE = '[[subscriptions]]\nchannel = "slack:C0123456"\ntime = "08:00"\ntimezone = "Europe/Berlin"\n'


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv("PAPERBOY_DATABASE_URL", raising=False)
    return Settings(data_dir=tmp_path, offline=True)


async def stored(settings: Settings, config: FileConfig, *, seed: bool = False) -> list[str]:
    async with open_services(settings, config, seed=seed) as services:
        return [f"{s.channel} {s.time} {s.source}" for s in await services.subscriptions.all()]


@pytest.mark.slow
async def test_only_run_saves_the_config_files_subscriptions(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    config = parse_config(FILE, "paperboy.toml")
    assert await stored(settings, config) == []  # `paperboy digest`, `top`, `post`…: nothing saved
    assert await stored(settings, config, seed=True) == ["slack:C0123456 08:00 config"]  # `paperboy run`
    assert await stored(settings, FileConfig()) == ["slack:C0123456 08:00 config"]  # another folder: kept
    with caplog.at_level(logging.WARNING, logger="bot.delivery.subscriptions"):
        assert await stored(settings, FileConfig(), seed=True) == []  # `run` with the entry taken out of the file
    assert "slack:C0123456: no longer in the config file, so its daily digest stops" in caplog.text  # (it was unsaid)


@pytest.mark.slow
async def test_run_where_no_config_file_is_keeps_what_a_file_set_up(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app.bootstrap import seed_subscriptions

    assert await stored(settings, parse_config(FILE, "paperboy.toml"), seed=True) == ["slack:C0123456 08:00 config"]
    async with open_services(settings, FileConfig()) as services:
        await seed_subscriptions(services.subscriptions, FileConfig(), Path("config/paperboy.toml"))
    assert await stored(settings, FileConfig()) == ["slack:C0123456 08:00 config"]
    said = "no config file at config/paperboy.toml: keeping the 1 subscription a config file set up, unchanged"
    assert said in caplog.text


def test_the_config_file_is_absent_only_where_run_looked_for_it_and_found_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.app.bootstrap import absent_config

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAPERBOY_CONFIG", raising=False)
    assert absent_config(Settings(data_dir=tmp_path)) == Path("config/paperboy.toml")  # relative to the folder
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "paperboy.toml").write_text(FILE, encoding="utf-8")
    assert absent_config(Settings(data_dir=tmp_path)) is None
    assert absent_config(Settings(data_dir=tmp_path, config=tmp_path / "named.toml")) is None  # refused when read


@pytest.mark.slow
async def test_a_config_entry_naming_no_workspace_takes_over_a_channel_subscribed_in_chat(settings: Settings) -> None:
    async with open_services(settings, FileConfig()) as services:
        chat = Subscription(ChannelRef("slack", "C0123456", "T0001"), ("robots",), "17:00", "UTC", source="chat")
        await services.subscriptions.save(chat)
        await services.subscriptions.save(replace(chat, channel=ChannelRef("slack", "C0999999", "T0001")))
    config = parse_config(FILE, "paperboy.toml")
    # one digest for the channel, the file's (one-workspace mode names no workspace), not two
    assert await stored(settings, config, seed=True) == [
        "slack:C0123456 08:00 config",
        "slack:T0001/C0999999 17:00 chat",  # under its workspace, as chat stored it
    ]


async def test_a_config_files_topic_with_a_typo_is_warned_of_at_run(
    june_store: PaperStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Chat answers a topic typed with a typo with "Did you mean"; the file's `difusion` was taken as written
    and found no paper every day, with not a word in the log."""
    text = '[[subscriptions]]\nchannel = "slack:C1"\ntopics = ["difusion", "robotics"]\n'
    config = parse_config(text, "paperboy.toml")
    with caplog.at_level(logging.WARNING, logger="bot.app.bootstrap"):
        await say_misspelt_topics(config, search_over(june_store), Path("paperboy.toml"))
    assert [r.getMessage() for r in caplog.records] == [
        "slack:C1, subscribed in paperboy.toml: Did you mean “diffusion”? No paper holds “difusion”. Fix its topics"
        " there."
    ]


async def test_peoples_follows_take_the_digest_size_run_starts_with(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A follow has no size of its own, and kept the `[digest] limit` of its first `follow` for good: a
    deployer's new limit never reached it (QA s77). Without the file, kept as they are."""
    from bot.app.bootstrap import seed_subscriptions
    from bot.domain.config import DigestDefaults

    person = Subscription(ChannelRef("slack", "D0001", "T1"), ("agents",), limit=5, person="U1")
    channel = Subscription(ChannelRef("slack", "C0001", "T1"), limit=5)  # a channel's `top 5`: its own
    async with open_services(settings, FileConfig()) as services:
        for each in (person, channel):
            await services.subscriptions.save(each)
        bigger = FileConfig(digest=DigestDefaults(limit=7, min_upvotes=3))
        await seed_subscriptions(services.subscriptions, bigger, Path("config/paperboy.toml"))  # no file there
        assert [s.limit for s in await services.subscriptions.all()] == [5, 5]
        with caplog.at_level(logging.INFO):
            await seed_subscriptions(services.subscriptions, bigger, None)
        sizes = {s.channel.channel: (s.limit, s.min_upvotes) for s in await services.subscriptions.all()}
    assert sizes == {"D0001": (7, 3), "C0001": (5, 0)}
    assert "people's follows take [digest]'s size, top 7: 1 changed" in caplog.text
