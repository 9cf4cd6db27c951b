"""Reading lists on the real store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.papers import PaperStore
from bot.store.reading import Person, ReadingLists

NOW = datetime(2026, 6, 3, 9, 0, tzinfo=UTC)
ADA = Person("slack", "T0001", "U1")


async def test_a_paper_saved_twice_is_on_the_list_once_and_newest_first(store: PaperStore) -> None:
    lists = ReadingLists(store.engine)
    assert await lists.save(ADA, "2606.00001", NOW)
    assert not await lists.save(ADA, "2606.00001", NOW + timedelta(hours=1))
    assert await lists.save(ADA, "2606.00002", NOW + timedelta(minutes=1))
    assert [s.arxiv_id for s in await lists.saved(ADA)] == ["2606.00002", "2606.00001"]
    assert (await lists.saved(ADA))[1].saved_at == NOW


async def test_lists_are_per_person_and_workspace(store: PaperStore) -> None:
    lists = ReadingLists(store.engine)
    await lists.save(ADA, "2606.00001", NOW)
    await lists.save(Person("slack", "T0002", "U1"), "2606.00002", NOW)
    await lists.save(Person("discord", "T0001", "U1"), "2606.00003", NOW)
    assert [s.arxiv_id for s in await lists.saved(ADA)] == ["2606.00001"]
    anywhere = Person("slack", "", "U1")  # `paperboy saved --user slack:U1`: every workspace
    assert {s.arxiv_id for s in await lists.saved(anywhere)} == {"2606.00001", "2606.00002"}


async def test_a_discord_user_has_one_list_in_every_guild(store: PaperStore) -> None:
    lists = ReadingLists(store.engine)
    await lists.save(Person("discord", "900001", "42"), "2606.00001", NOW)
    await lists.save(Person("discord", "900002", "42"), "2606.00002", NOW + timedelta(minutes=1))
    await lists.save(Person("discord", "", "42"), "2606.00003", NOW + timedelta(minutes=2))  # their direct message
    await lists.save(Person("discord", "900001", "43"), "2606.00004", NOW)  # someone else
    for where in ("900001", "900002", ""):  # a Discord id is one person: the same list wherever they ask
        listed = [s.arxiv_id for s in await lists.saved(Person("discord", where, "42"))]
        assert listed == ["2606.00003", "2606.00002", "2606.00001"]
    assert not await lists.save(Person("discord", "900002", "42"), "2606.00001", NOW)  # on their list already
    assert await lists.unsave(Person("discord", "900001", "42"), "2606.00002")  # saved in the other guild
    assert [s.arxiv_id for s in await lists.saved(Person("discord", "900002", "42"))] == ["2606.00003", "2606.00001"]


async def test_unsave_takes_one_paper_off(store: PaperStore) -> None:
    lists = ReadingLists(store.engine)
    await lists.save(ADA, "2606.00001", NOW)
    await lists.save(ADA, "2606.00002", NOW)
    assert await lists.unsave(ADA, "2606.00001")
    assert not await lists.unsave(ADA, "2606.00001")
    assert [s.arxiv_id for s in await lists.saved(ADA)] == ["2606.00002"]


async def test_one_paper_saved_from_two_places_at_once_is_saved_once(store: PaperStore) -> None:
    """A Discord person's bookmark on a server's card and their Save in a direct message at the same moment
    each read "not saved yet", and both stored it: one list, the paper twice, both told "Saved"."""
    import asyncio

    lists = ReadingLists(store.engine)
    now = datetime(2026, 12, 7, tzinfo=UTC)
    answers = await asyncio.gather(
        lists.save(Person("discord", "G1", "U1"), "2406.00001", now),
        lists.save(Person("discord", "", "U1"), "2406.00001", now),
    )
    assert sorted(answers) == [False, True]
    assert [s.arxiv_id for s in await lists.saved(Person("discord", "G1", "U1"))] == ["2406.00001"]
