"""Topics, `-exclusions` and `author:NAME` as people type them, in chat and in the config file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.config import parse_config
from bot.domain.errors import ConfigError
from bot.domain.filters import (
    Filters,
    by_author,
    check_entry,
    describe,
    fold,
    joined,
    sought,
    split_entry,
    split_filters,
)
from tests.strategies import FAST


@pytest.mark.parametrize(
    ("typed", "entries"),
    [
        ("diffusion", ["diffusion"]),
        ("diffusion -robotics -audio", ["diffusion", "-robotics", "-audio"]),
        ("-robotics", ["-robotics"]),
        ("vision-language models", ["vision-language models"]),
        ("author:Yann LeCun", ["author:Yann LeCun"]),
        ("AUTHOR:lecun", ["author:lecun"]),
        ("world models author:Ha -games", ["world models", "-games", "author:Ha"]),
        ("a - b", ["a - b"]),  # a lone dash is a word, not an exclusion
        # as search reads them: these were topics (“diffusion NOT video”, “diffusion -"image editing"”),
        # which the header showed as typed, not as what is left out
        ("diffusion NOT video", ["diffusion", "-video"]),
        ('diffusion -"image editing"', ["diffusion", '-"image editing"']),
        ("robotics NOT “humanoid robots”", ["robotics", "-“humanoid robots”"]),
        ("title:diffusion", ["diffusion"]),
        ("diffusion not video", ["diffusion not video"]),  # in lower case, a word
        # a person asked for as people say it: the topic found none of their papers, every day
        ("papers by Chengsong Huang", ["author:Chengsong Huang"]),
        ("by Kaiming He -video", ["-video", "author:Kaiming He"]),
        ("diffusion by Meta", ["diffusion by Meta"]),
        ("by design", ["by design"]),
        ("author LeCun", ["author:LeCun"]),  # the word before a name, as people type it
        ("authors:Yann LeCun", ["author:Yann LeCun"]),  # as some search forms write it
        ("author attribution", ["author attribution"]),  # no name after it: a topic
        ("Author Name Disambiguation", ["Author Name Disambiguation"]),  # a topic in title case
    ],
)
def test_a_typed_entry_splits_into_filters(typed: str, entries: list[str]) -> None:
    assert split_entry(typed) == entries


def test_filters_by_kind_and_in_words() -> None:
    entries = ("diffusion", "-robotics", "author:Yann  LeCun", "world models")
    assert split_filters(entries) == Filters(("diffusion", "world models"), ("Yann LeCun",), ("robotics",))
    assert describe(entries) == "“diffusion”, “world models”, by “Yann LeCun”, leaving out “robotics”"
    assert describe(("-robotics",)) == "all papers, leaving out “robotics”"
    assert describe(()) == "all papers"
    quoted = ("robotics", '-"humanoid robots"')
    assert split_filters(quoted).excluded == ('"humanoid robots"',)  # searched as a phrase
    assert describe(quoted) == "“robotics”, leaving out “humanoid robots”"  # said without its quotes
    assert sought(quoted) == "on “robotics”, once “humanoid robots” is left out"


def test_names_match_whatever_their_case_and_accents() -> None:
    assert fold("  José   GONZÁLEZ ") == "jose gonzalez"
    assert by_author(("Ana Gómez", "José González"), "gonzalez")
    assert by_author(("Yann LeCun",), "yann lecun") and by_author(("Yann LeCun",), "LeCun")
    assert not by_author(("Yann LeCun",), "LeCu")  # whole words, as search's author: takes them
    assert not by_author(("Ziao Zhang", "Qihang Fan", "Cihang Xie"), "Han")
    assert by_author(("Rujun Han",), "Han") and by_author(("Jean-Pierre Dupont",), "Pierre")
    assert by_author(("Wei Zhang",), "Zhang Wei") and by_author(("Yann A. LeCun",), "Yann LeCun")  # any order
    assert by_author(("Zhang_Wei",), "Zhang") and not by_author(("Wei Zhang", "Li Wei"), "Li Zhang")
    assert by_author(("Yang Yang",), "Yang Yang") and not by_author(("Zhilin Yang", "Yang Liu"), "Yang Yang")
    assert not by_author(("Yann LeCun",), "Hinton") and not by_author(("Anyone",), "  ")
    assert by_author(("Søren Kierkegaard",), "Søren")  # typed as written, it matches too


def test_names_match_as_people_type_them() -> None:
    """Letters Unicode does not split into a letter and an accent (ł, ø, æ) typed without it; an initial
    for a word it begins; `Jr.` written or not."""
    assert by_author(("Łukasz Kaiser",), "Lukasz Kaiser") and by_author(("Søren Kierkegaard",), "Soren")
    assert by_author(("Ø. Nielsen",), "O Nielsen") and fold("Æsir Đorđe") == "aesir dorde"
    assert by_author(("Yann LeCun",), "Y. LeCun") and not by_author(("Yann LeCun",), "Z. LeCun")
    assert by_author(("Martin Luther King Jr.",), "Martin Luther King") and by_author(("Martin King",), "King Jr.")
    assert not by_author(("Yann LeCun",), "Jr.")  # a suffix alone names no one
    assert not by_author(("Xiaodong Li",), "X")  # nor an initial alone
    assert not by_author(("Alessandro De Luca",), "D'Alessandro")  # an apostrophe's letter is no initial
    assert by_author(("Luca D'Alessandro",), "D'Alessandro")


def test_an_author_filter_must_name_someone() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        check_entry("author:  ")
    assert check_entry("author:  Yann   LeCun") == "author:Yann LeCun"


@pytest.mark.parametrize("typed", ["-author:Chengsong Huang", '-AUTHORS:"Chengsong Huang"'])
def test_an_author_left_out_is_refused_not_kept_as_words(typed: str) -> None:
    """A config file's `-author:NAME` was kept as the words “author:Chengsong Huang” to leave out, and the
    chat's was split into a topic and a word."""
    with pytest.raises(ValueError, match="“-author:Chengsong Huang”: a digest can leave out topics"):
        check_entry(typed)
    with pytest.raises(ValueError, match="“-author:Chengsong Huang”"):
        split_entry(f"agents {typed}")


@pytest.mark.parametrize("typed", ["拡散モデル", "диффузия", "-扩散"])
def test_a_topic_in_another_script_is_refused_as_matching_no_paper(typed: str) -> None:
    """Papers are found by their English words: a digest's topic in Japanese would never match, silently."""
    with pytest.raises(ValueError, match="the papers are in English, and are found by their English words"):
        check_entry(typed)
    assert check_entry("Diffusion für Anfänger") == "Diffusion für Anfänger"  # Latin letters: left to the words
    assert check_entry("ｄｉｆｆｕｓｉｏｎ") == "ｄｉｆｆｕｓｉｏｎ"  # full width is Latin
    assert check_entry("author:王小明") == "author:王小明"  # a name is as its author writes it
    assert check_entry("π0.5") == "π0.5" and check_entry("μ_0") == "μ_0"  # Greek letters name models in titles


@pytest.mark.parametrize("typed", ['author:"Hamed Zamani"', "author:“Hamed Zamani”", "author:'hamed zamani'"])
def test_a_quoted_name_is_the_name(typed: str) -> None:
    """The README's form, as search takes it: the quotes are not part of the name."""
    assert check_entry(typed).casefold() == "author:hamed zamani"
    [author] = split_filters([typed]).authors
    assert by_author(("Hamed Zamani", "Alireza Salemi"), author)
    assert check_entry('author:"') == 'author:"'  # a lone quote is what was typed


def test_the_config_file_takes_the_same_filters() -> None:
    config = parse_config(
        '[[subscriptions]]\nchannel = "slack:C0001"\ntopics = ["diffusion", "-robotics", "author:LeCun"]\n', "cfg"
    )
    assert config.subscriptions[0].topics == ("diffusion", "-robotics", "author:LeCun")
    with pytest.raises(ConfigError, match=r"cfg: subscriptions\[0\]\.topics\[0\]: `author:` needs a name"):
        parse_config('[[subscriptions]]\nchannel = "slack:C0001"\ntopics = ["author:"]\n', "cfg")


@FAST
@given(st.text(max_size=80))
@pytest.mark.slow
def test_any_text_splits_into_entries_that_keep_their_kind(text: str) -> None:
    for entry in split_entry(text):
        assert entry == entry.strip() and entry
        kind_words = split_filters([entry])
        assert len(kind_words.topics) + len(kind_words.authors) + len(kind_words.excluded) <= 1


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        (("quantum gravity",), "on “quantum gravity”"),
        (("zzz", "author:qqq"), "on “zzz” or by “qqq”"),
        (("author:gonzalez",), "by “gonzalez”"),
        (("agents", "-video", "-audio"), "on “agents”, once “video” and “audio” are left out"),
        (("-robotics",), "left, once “robotics” is left out"),
    ],
)
def test_what_a_paper_would_have_to_be_reads_as_a_sentence(entries: tuple[str, ...], said: str) -> None:
    assert sought(entries) == said  # the end of “None of the 49 papers … is _.”


def test_two_words_joined_by_and_are_said_to_be_one_topic() -> None:
    """`subscribe diffusion and robotics` kept one topic, papers on both, without a word: often two were meant."""
    assert joined(("diffusion and robotics", "vision-language & action", "agents")) == (
        "“diffusion and robotics” is one topic: papers on both “diffusion” and “robotics”. For papers on either,"
        " separate them with a comma.",
        "“vision-language & action” is one topic: papers on both “vision-language” and “action”. For papers on"
        " either, separate them with a comma.",
    )
    assert joined(("retrieval and generation models", "-diffusion and robotics", "author:Tom and Jerry")) == ()
