"""`in_messages`: a post whose cards one message cannot hold, as the few messages they need."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.domain.post import Card, Post, Shown, goes_as_file, in_messages


def cards(count: int) -> tuple[Card, ...]:
    return tuple(
        Card(str(n), f"Paper {n}", f"https://example.org/{n}", "A. Author", None, 0, 0, "", (), (), rank=n)
        for n in range(1, count + 1)
    )


Seen = tuple[str, list[str], str]


def holding(room: int) -> Callable[[Post, bool], tuple[Seen, Shown]]:
    """A renderer whose messages hold `room` cards: (header, card ids, note) and the count it took."""

    def render(post: Post, last: bool) -> tuple[Seen, Shown]:
        taken = post.cards[:room]
        note = f"…and {len(post.cards) - len(taken)} more" if last and len(taken) < len(post.cards) else ""
        return (post.header, [c.paper_id for c in taken], note), Shown(len(post.text), 0, len(taken))

    return render


@pytest.mark.parametrize(
    ("count", "room", "sizes"), [(0, 10, [0]), (7, 10, [7]), (10, 10, [10]), (23, 10, [10, 10, 3])]
)
def test_every_card_once_in_order_and_no_note(count: int, room: int, sizes: list[int]) -> None:
    messages = in_messages(Post(header="Today", cards=cards(count)), holding(room))
    assert [len(ids) for _, ids, _ in messages] == sizes
    assert [i for _, ids, _ in messages for i in ids] == [str(n) for n in range(1, count + 1)]
    assert [h for h, _, _ in messages] == ["Today"] + ["Today (continued)"] * (len(sizes) - 1)
    assert all(not note for _, _, note in messages)


def test_at_most_five_messages_and_the_last_says_how_many_were_left_out() -> None:
    messages = in_messages(Post(header="Today", cards=cards(60)), holding(10))
    assert [len(ids) for _, ids, _ in messages] == [10] * 5
    assert [note for _, _, note in messages] == ["", "", "", "", "…and 10 more"]


def test_a_message_that_holds_no_card_says_so_and_ends_it() -> None:
    messages = in_messages(Post(header="Today", cards=cards(3)), holding(0))
    assert messages == [("Today", [], "…and 3 more")]


def test_only_a_post_that_names_a_file_is_laid_out_to_see_whether_its_code_goes_as_one() -> None:
    laid_out: list[Post] = []

    def shown(post: Post, held: Shown) -> Callable[[], Shown]:
        def lay_out() -> Shown:
            laid_out.append(post)
            return held

        return lay_out

    answer = Post(header="Papers on “rl”", cards=cards(10))
    assert not goes_as_file(answer, shown(answer, Shown(0, 0, 10)))
    assert laid_out == []  # an answer's cards are laid out once, to be sent
    reading = Post(header="Reading list", code="@article{a}\n\n@article{b}", file="reading.bib")
    assert goes_as_file(reading, shown(reading, Shown(0, 1, 0)))  # one of its two entries fits: a file
    assert not goes_as_file(reading, shown(reading, Shown(0, 2, 0)))
    assert laid_out == [reading, reading]
