"""`/papers follow`, `follows` and `unfollow` as typed, and filters in `subscribe`."""

from __future__ import annotations

import pytest

from bot.chat.commands import Command, Follow, Follows, Subscribe, Unfollow, Unknown, parse_command


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("follow diffusion -robotics", Follow(("diffusion", "-robotics"))),
        ("follow author:Yann LeCun", Follow(("author:Yann LeCun",))),
        ("FOLLOW world models, author:Ha -games", Follow(("world models", "-games", "author:Ha"))),
        ('follow "learning at scale", agents', Follow(("learning at scale", "agents"))),
        ("follow LLMs at 1.58 bits", Follow(("LLMs at 1.58 bits",))),  # an option's word inside a topic
        ("follow LLMs on SAT, reasoning on 3D", Follow(("LLMs on SAT", "reasoning on 3D"))),  # no value it takes
        ("follow attacks on TCP/IP, video at 4K", Follow(("attacks on TCP/IP", "video at 4K"))),
        ('follow "diffusion at 08:00"', Follow(("diffusion at 08:00",))),  # quoted: kept as typed
        ("follow low emission zone London", Follow(("low emission zone London",))),  # a city after `zone`: a topic
        ("follow agents OR robotics", Follow(("agents", "robotics"))),  # as boolean search writes it
        ('follow agents NOT "humanoid robots"', Follow(("agents", '-"humanoid robots"'))),
        ("follows", Follows()),
        ("Following?", Follows()),  # was "Did you mean `follow`?"
        ("unfollow", Unfollow(None)),
        ("unfollow  Author:LeCun ", Unfollow("Author:LeCun")),
        ("unfollow “diffusion”", Unfollow("diffusion")),
        ('unfollow ""', Unfollow("")),  # a topic, named empty: none of theirs (it ended every follow)
        ("unfollow “ ”", Unfollow("")),
        ("subscribe agents -robotics, author:LeCun top 3", Subscribe(("agents", "-robotics", "author:LeCun"), limit=3)),
    ],
)
def test_follow_commands_parse(text: str, command: Command) -> None:
    assert parse_command(text) == command


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("follow", "`follow` needs a topic or an author"),
        ("follow ,", "`follow` needs a topic or an author"),  # not a digest of every paper
        ('follow ""', "`follow` needs a topic or an author"),
        ("follow author:", "`author:` needs a name"),
        ("follows diffusion", "`follows` takes nothing after it"),
        ("follow " + ", ".join(f"t{n}" for n in range(11)), "at most 10 topics"),
        ("subscribe author: at 09:00", "`author:` needs a name"),
        ("folow diffusion", "Did you mean `follow diffusion`?"),
        # a channel digest's options are not a follow's: they would be words of a topic matching nothing
        ("follow at 09:00", "“at 09:00” looks like an option, and a follow takes topics only"),
        ("follow diffusion tz America/New_York", "“tz America/New_York” looks like an option"),
        ("follow diffusion tz berlin", "“tz berlin” looks like an option"),  # was the topic "diffusion tz berlin"
        ("follow diffusion top5, agents", "“top5” looks like an option"),
        ("follow world models on fridays", "“on fridays” looks like an option"),
        ("follow robotics 9:30", "“9:30” looks like an option"),  # was the topic "robotics 9:30"
        # a paper or a link is no topic: it would match no paper's words, and no digest would ever come
        ("follow 2605.29307", "“2605.29307” names a paper, not a topic"),
        ("follow https://arxiv.org/abs/2605.29307", "names a paper, not a topic"),
        ("subscribe diffusion, -arXiv:2605.29307", "names a paper, not a topic"),
        ("subscribe https://arxiv.org/list/cs.AI", "“https://arxiv.org/list/cs.AI” is a link, not a topic"),
        ("follow agents, www.example.com", "is a link, not a topic"),
    ],
)
def test_a_wrong_follow_says_what_to_type(text: str, hint: str) -> None:
    command = parse_command(text)
    assert isinstance(command, Unknown) and hint in command.hint


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("unfollow all", Unfollow()),  # "You don't follow “all”"
        ("unfollow everything please", Unfollow()),
        ("stop following diffusion", Unfollow("diffusion")),  # "Did you mean `top`?"
        ("stop following", Unfollow()),
        ("follow author LeCun", Follow(("author:LeCun",))),
        ("follow authors:LeCun", Follow(("author:LeCun",))),
        ("unfollow diffusion", Unfollow("diffusion")),
        ("unfollow it", Unfollow("it")),  # not every follow: said it is none of theirs
        ("unfollow papers", Unfollow("papers")),
    ],
)
def test_follows_said_as_people_say_them(text: str, command: Command) -> None:
    assert parse_command(text) == command
