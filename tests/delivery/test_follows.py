"""A person's follows: one direct-message subscription, delivered by the same sweep and ledger as a
channel's, once, at 09:00 in the person's own zone on weekdays (daylight saving included); filters
(`-exclusions`, `author:`) narrow it like a channel's topics. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from adapters.slack.wording import PHRASES
from bot.chat.commands import Follow, Unfollow, Unknown, parse_command
from bot.chat.follows import FollowService
from bot.delivery.digest import DigestOptions, matches
from bot.domain.config import DigestDefaults
from bot.domain.models import Listing, Paper
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.conftest import search_over
from tests.delivery.test_sweep import World, list_day
from tests.delivery.test_sweep import world as world  # the fixture
from tests.delivery.world import utc

DM = "D0FOLLOW"


def follows(world: World) -> FollowService:
    return FollowService(world.subscriptions, Ledger(world.store.engine), DigestDefaults(limit=3), world.clock)


async def follow(world: World, text: str, zone: str | None, *, person: str = "U0001", dm: str = DM) -> str:
    command = parse_command(text)
    assert isinstance(command, Follow), command
    post = await follows(world).follow(
        replace(command, timezone=zone), "slack", person, dm, "T0001", direct=True, words=PHRASES
    )
    return "\n".join((post.header, *post.text))


def firsts(world: World, channel: str) -> Counter[str]:
    return Counter(k.split(":")[0] for k in world.publisher.keys(channel) if k.endswith(":header"))


async def sweep_until(world: World, start: datetime, end: datetime) -> dict[str, datetime]:
    """Sweep every 5 minutes; when each listing day's header first went out to the DM."""
    sweeper = world.sweeper()
    world.clock.now = start
    seen: dict[str, datetime] = {}
    while world.clock.now <= end:
        await sweeper.sweep(world.clock.now)
        for day in firsts(world, DM):
            seen.setdefault(day, world.clock.now)
        world.clock.now += timedelta(minutes=5)
    return seen


@pytest.mark.slow
async def test_a_follow_is_delivered_once_at_nine_in_the_persons_zone(world: World) -> None:
    await list_day(world.store, date(2026, 6, 2))
    world.clock.now = utc(2026, 6, 1, 12)
    said = await follow(world, "follow diffusion", "America/New_York")
    assert "09:00 America/New_York" in said
    seen = await sweep_until(world, utc(2026, 6, 2, 0), utc(2026, 6, 3, 3))
    assert seen == {"2026-06-02": utc(2026, 6, 2, 13)}  # 09:00 EDT
    assert firsts(world, DM) == Counter({"2026-06-02": 1})  # once, however many sweeps
    cards = [k for k in world.publisher.keys(DM) if not k.endswith((":header", ":seed"))]
    assert len(cards) == 3  # the follow's size: the deployer's default digest limit


@pytest.mark.slow
async def test_daylight_saving_moves_the_utc_hour_not_the_local_one(world: World) -> None:
    friday, monday = date(2026, 10, 23), date(2026, 10, 26)  # Europe leaves summer time on Sunday 25 October
    await list_day(world.store, friday)
    await list_day(world.store, monday)
    world.clock.now = utc(2026, 10, 22, 12)
    await follow(world, "follow diffusion", "Europe/Berlin")
    seen = await sweep_until(world, utc(2026, 10, 23, 0), utc(2026, 10, 26, 12))
    assert seen == {"2026-10-23": utc(2026, 10, 23, 7), "2026-10-26": utc(2026, 10, 26, 8)}  # 09:00 CEST, CET


async def test_no_zone_means_utc_and_says_so(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    said = await follow(world, "follow diffusion", None)
    assert "When: 09:00 UTC, Monday to Friday" in said
    assert "I could not read a time zone from your Slack profile" in said


async def test_several_follows_are_one_dm_subscription_and_unfollow_takes_one_off(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion -robotics", "Europe/Berlin")
    await follow(world, "follow author:Yann LeCun, Diffusion", "Europe/Berlin")
    [only] = await world.subscriptions.all()
    assert only.person == "U0001" and only.channel.channel == DM
    assert only.topics == ("diffusion", "-robotics", "author:Yann LeCun")  # "Diffusion": followed already
    service = follows(world)
    listed = await service.follows("slack", "T0001", "U0001")
    assert "“diffusion”, by “Yann LeCun”, leaving out “robotics”" in listed.text[0]
    gone = await service.unfollow(Unfollow("-ROBOTICS"), "slack", "T0001", "U0001")
    assert gone.text[0] == "You no longer leave out “robotics”."
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("diffusion", "author:Yann LeCun")
    missing = await service.unfollow(Unfollow("quantum"), "slack", "T0001", "U0001")
    assert "You don't follow “quantum”" in missing.text[0] and "`diffusion`" in missing.text[0]
    await service.unfollow(Unfollow(None), "slack", "T0001", "U0001")
    assert await world.subscriptions.all() == []
    nothing = await service.follows("slack", "T0001", "U0001")
    assert "You follow nothing yet" in nothing.text[0]


async def test_a_follow_from_a_new_zone_says_the_digest_moves(world: World) -> None:
    """Slack's profile zone changed, and `follow agents` answered "You follow these already", the digest moved
    to 09:00 in the new zone without a word (QA s77)."""
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow agents", "America/New_York")
    said = await follow(world, "follow agents", "Asia/Tokyo")
    assert "Your digest moves to 09:00 Asia/Tokyo, from 09:00 America/New_York." in said
    assert "moves" not in await follow(world, "follow agents", "Asia/Tokyo")  # the same zone: nothing to say
    await follow(world, "follow agents", "Asia/Kolkata")
    assert "moves" not in await follow(world, "follow agents", "Asia/Calcutta")  # its other name: the same hour


async def test_following_everything_drops_the_topics_followed_before(world: World) -> None:
    """`follow everything -robotics`, of a follower of `agents`, kept “agents” and added “-robotics”: every
    paper was asked for and never given, without a word (QA s77)."""
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow agents, author:Ann Lee, -quantum", "UTC")
    said = await follow(world, "follow everything -robotics", "UTC")
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("-quantum", "-robotics")
    assert "Every paper now: “agents”, by “Ann Lee” no longer narrow it." in said


async def test_unfollow_takes_a_topic_as_follows_lists_it(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion -robotics, author:Yann LeCun", "Europe/Berlin")
    service = follows(world)
    for shown, said in [
        ("robotics", "You no longer leave out “robotics”."),  # listed as "leaving out “robotics”"
        ("by “Yann LeCun”", "You no longer follow papers by “Yann LeCun”."),  # copied from the list, words and all
    ]:
        assert (await service.unfollow(Unfollow(shown), "slack", "T0001", "U0001")).text[0] == said
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("diffusion",)


async def test_unfollow_takes_several_with_commas_as_follow_does(world: World) -> None:
    """`unfollow robotics, agents` said "You don't follow “robotics, agents”" and stopped nothing (QA s76)."""
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion, robotics, agents", "Europe/Berlin")
    service = follows(world)
    gone = await service.unfollow(Unfollow("robotics, quantum, agents"), "slack", "T0001", "U0001")
    assert list(gone.text) == [
        "You no longer follow “robotics”. You no longer follow “agents”.",
        "You did not follow “quantum”.",
        "Still followed: “diffusion”.",
    ]
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("diffusion",)
    await follow(world, "follow robotics, agents", "Europe/Berlin")
    both = await service.unfollow(Unfollow("robotics; agents, Agents"), "slack", "T0001", "U0001")  # as follow splits
    assert list(both.text) == [
        "You no longer follow “robotics”. You no longer follow “agents”.",
        "Still followed: “diffusion”.",
    ]
    await follow(world, "follow robotics", "Europe/Berlin")
    trailing = await service.unfollow(Unfollow("robotics,"), "slack", "T0001", "U0001")  # a comma after it
    assert list(trailing.text) == ["You no longer follow “robotics”.", "Still followed: “diffusion”."]
    last = await service.unfollow(Unfollow("diffusion, robotics"), "slack", "T0001", "U0001")
    assert list(last.text) == [
        "You no longer follow “diffusion”, and follow nothing now.",
        "You did not follow “robotics”.",
    ]
    assert await world.subscriptions.all() == []


async def test_an_author_quoted_is_one_entry_and_unfollowed_as_typed(world: World) -> None:
    """`follow author:"Zifeng Wang"` (the docs' form) kept the quotes: no unfollow could drop it (the
    parser cut only the last quote), and `follow author:Zifeng Wang` added him again."""
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, 'follow author:"Zifeng Wang", author:“Ann Lee”', "UTC")
    said = await follow(world, "follow author:Zifeng Wang, ‘agents’, RL., diffusion!!!", "UTC")
    assert said.startswith("You now follow “agents”, “RL”, “diffusion”:"), said  # not him again, nor the marks
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None
    assert current.topics == ("author:Zifeng Wang", "author:Ann Lee", "agents", "RL", "diffusion")
    service = follows(world)
    for typed in ('unfollow author:"Zifeng Wang"', "unfollow by “Ann Lee”", "unfollow 'agents'"):
        command = parse_command(typed)
        assert isinstance(command, Unfollow), command
        assert (await service.unfollow(command, "slack", "T0001", "U0001")).text[0].startswith("You no longer")
    left = await service.unfollow(Unfollow("RL."), "slack", "T0001", "U0001")  # as followed: `follow RL.`
    assert left.text[1] == "Still followed: “diffusion”."  # in the words `follows` lists them with


async def test_a_topic_followed_and_left_out_is_the_last_one_said(world: World) -> None:
    """`follow diffusion but not robotics` while following “robotics” kept both: the exclusion won, and
    the follow of “robotics” did nothing, unsaid."""
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion, robotics", "UTC")
    said = await follow(world, "follow diffusion but not robotics", "UTC")
    assert "“robotics” was followed: your digest leaves it out now instead." in said
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("diffusion", "-robotics")
    back = await follow(world, "follow Robotics", "UTC")
    assert "“robotics” was left out of your digest: it is followed now instead." in back
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("diffusion", "Robotics")


async def test_unfollow_takes_the_words_follows_lists_a_topic_with(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion -robotics, author:Yann LeCun", "Europe/Berlin")
    service = follows(world)
    said = await service.unfollow(Unfollow("leaving out robotics"), "slack", "T0001", "U0001")
    assert said.text[0] == "You no longer leave out “robotics”."
    assert (await service.unfollow(Unfollow("Yann LeCun"), "slack", "T0001", "U0001")).text[0].startswith("You no")
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None and current.topics == ("diffusion",)


async def test_only_exclusions_left_say_the_digest_has_every_other_paper(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion, -video", "Europe/Berlin")
    service = follows(world)
    left = await service.unfollow(Unfollow("diffusion"), "slack", "T0001", "U0001")
    assert left.text[-1] == "With only papers left out, your digest has the day's top papers on any other topic."
    posted = await follow(world, "follow -robotics", "Europe/Berlin")
    assert "With only papers left out" in posted


async def test_a_follow_without_a_time_zone_says_utc_in_its_header_too(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    posted = await follow(world, "follow diffusion", None)
    assert posted.startswith("You now follow “diffusion”: your digest here, weekdays at 09:00 UTC\n")
    again = await follow(world, "follow robotics", None)  # still no zone: still UTC, and said so
    assert again.startswith("You now follow “robotics”: your digest here, weekdays at 09:00 UTC\n")
    service = follows(world)
    await service.unfollow(Unfollow("diffusion"), "slack", "T0001", "U0001")
    last = await service.unfollow(Unfollow("robotics"), "slack", "T0001", "U0001")
    assert last.text == ("You no longer follow “robotics”, and follow nothing now.",)


async def test_follow_outside_a_dm_says_to_dm_the_bot(world: World) -> None:
    post = await follows(world).follow(
        Follow(("diffusion",)), "slack", "U0001", "C0001", "T0001", direct=False, words=PHRASES
    )
    assert "direct message" in post.text[0] and "/papers subscribe" in post.text[1]
    assert await world.subscriptions.all() == []


async def test_the_terminal_says_it_has_no_follows_whatever_is_typed(world: World) -> None:
    """`follows` in `paperboy chat` said to try `/papers follow …` in a direct message, and `follow`
    that the terminal has none: it has no direct messages, and says so both times."""
    from adapters.console.wording import PHRASES as TERMINAL

    service = follows(world)
    refused = await service.follow(
        Follow(("diffusion",)), "console", "you", "general", "", direct=False, words=TERMINAL
    )
    listed = await service.follows("console", "", "you", TERMINAL)
    assert refused.text == listed.text == (TERMINAL.no_follows,)
    assert "/papers" not in refused.text[0] and "`subscribe` with topics" in refused.text[0]
    assert await world.subscriptions.all() == []


async def test_following_too_much_is_refused_in_words(world: World) -> None:
    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow " + ", ".join(f"topic{n}" for n in range(10)), "UTC")
    post = await follows(world).follow(Follow(("one more",)), "slack", "U0001", DM, "T0001", direct=True, words=PHRASES)
    assert "at most 10 topics" in post.text[0]


def authored(arxiv_id: str, title: str, authors: tuple[str, ...]) -> Paper:
    return Paper(arxiv_id=arxiv_id, title=title, abstract=title, authors=authors, upvotes=10)


async def test_exclusions_and_author_filters_narrow_the_day(store: PaperStore) -> None:
    day = date(2026, 6, 2)
    papers = [
        authored("2606.00001", "Diffusion policies for robotics", ("Ana Gómez",)),
        authored("2606.00002", "Diffusion models for images", ("Yann LeCun",)),
        authored("2606.00003", "Speech recognition", ("José González",)),
        authored("2606.00004", "Robotics without diffusion", ("Ada Lovelace",)),
    ]
    await store.save_listings([Listing(p, day, n) for n, p in enumerate(papers, start=1)])
    search = search_over(store)

    async def ids(*topics: str) -> list[str]:
        found = await matches(store, search, DigestOptions(topics=topics), day)
        return [p.arxiv_id[-1] for p in found.papers]

    assert await ids("diffusion") == ["1", "2", "4"]
    assert await ids("diffusion", "-robotics") == ["2"]
    assert await ids("-robotics") == ["2", "3"]  # exclusions alone: every paper but those
    assert await ids("author:gonzalez") == ["3"]  # accents and case do not matter
    assert await ids("author:GÓMEZ", "author:lecun") == ["1", "2"]
    assert await ids("speech", "author:LeCun") == ["2", "3"]  # a topic or an author
    assert await ids("author:lecun", "-images") == []


async def test_a_topic_saved_before_a_rule_was_added_does_not_block_a_new_follow(world: World) -> None:
    """A follow of "new" (saved before stop-word topics were refused) made every later follow fail."""
    from dataclasses import replace

    world.clock.now = utc(2026, 6, 1, 12)
    await follow(world, "follow diffusion", "UTC")
    current = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert current is not None
    await world.subscriptions.save(replace(current, topics=("diffusion", "new")), world.clock.now)
    said = await follow(world, "follow robotics", "UTC")
    assert "can't follow" not in said, said
    now = await world.subscriptions.of_person("slack", "T0001", "U0001")
    assert now is not None and now.topics == ("diffusion", "new", "robotics")
    refused = parse_command("follow the")  # a new one is still checked
    assert isinstance(refused, Unknown) and "every search leaves out" in refused.hint


async def test_discord_is_told_how_to_unfollow_in_its_own_words(world: World) -> None:
    from adapters.discord.wording import PHRASES as DISCORD

    world.clock.now = utc(2026, 6, 1, 12)
    command = Follow(("diffusion",), timezone="Europe/Berlin")
    followed = await follows(world).follow(command, "discord", "42", "900", "", direct=True, words=DISCORD)
    assert (
        followed.text[-1]
        == "`/papers follows` lists them; `/papers unfollow topic:…` stops one, `/papers unfollow` all."
    )
    listed = await follows(world).follows("discord", "", "42", DISCORD)
    assert listed.text[-1] == "`/papers unfollow topic:…` stops one, `/papers unfollow` all."
