"""Words no paper holds, respelled (bot/search/spelling.py): the edit distance, the choice of word,
and the index's side (held words, fuzzy neighbours) on real tantivy."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.domain.models import Paper
from bot.domain.words import edits
from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters, SearchHit
from bot.search.spelling import Searched, misspelt, respell, searched


def paper(arxiv_id: str, title: str, abstract: str = "", authors: tuple[str, ...] = ()) -> Paper:
    return Paper(arxiv_id=arxiv_id, title=title, abstract=abstract, authors=list(authors))


def test_edits_count_insertions_deletions_replacements_and_swaps() -> None:
    assert edits("difusion", "diffusion") == 1  # an insertion
    assert edits("modles", "models") == 1  # two letters swapped
    assert edits("protien", "protein") == 1
    assert edits("graph", "graph") == 0
    assert edits("lerning", "learning", 1) == 1
    assert edits("abcd", "wxyz") == 3  # more than two: two plus one
    assert edits("abc", "abcdefgh") == 3


INDEX = LexicalIndex(
    [
        paper("2601.00001", "Diffusion models for video", "We train diffusion models."),
        paper("2601.00002", "Diffusion policies", "Robots learn with diffusion."),
        paper("2601.00003", "Protein folding at scale", "Models of protein structure."),
        paper("2601.00004", "Reinforcement learning from human feedback", "Reward models and preferences."),
        paper("2601.00005", "Diffraction gratings", "An optics paper."),
    ]
)


def test_a_word_no_paper_holds_becomes_the_nearest_most_common_word() -> None:
    assert INDEX.held("diffusion") == 2 and INDEX.held("difusion") == 0
    assert respell("difusion modles", INDEX.held, INDEX.near_words) == "diffusion models"
    assert respell("reinforcment lerning", INDEX.held, INDEX.near_words) == "reinforcement learning"
    assert respell("Protien folding?", INDEX.held, INDEX.near_words) == "protein folding?"  # punctuation kept


def test_a_word_a_search_finds_by_its_stem_is_no_typo() -> None:
    """`bold` was offered as “cold”, and "No paper holds “bold”" said beside the papers found holding
    "Bolding"; `reinforcment learning` and `embeding` beside papers holding every word (QA s77)."""
    index = LexicalIndex([paper("2601.00001", "Bolding cold atoms", "Reinforcement learning of embeddings.")])
    held, near, stemmed = index.held, index.near_words, index.held_stem
    assert respell("bold", held, near) == "cold"  # (without the stems: a typo of "cold")
    assert respell("bold", held, near, stemmed=stemmed) is None
    assert respell("reinforcment learning", held, near, stemmed=stemmed) is None  # found as typed
    assert respell("embeding", held, near, stemmed=stemmed) is None
    # beside a word no paper holds, respelled to its stem's word, never to another's
    assert respell("reinforcment lerning", held, near, stemmed=stemmed) == "reinforcement learning"
    assert respell("bold lerning", held, near, stemmed=stemmed) == "bold learning"


def test_words_papers_hold_names_and_phrases_stay_as_typed() -> None:
    held, near = INDEX.held, INDEX.near_words
    assert respell("diffusion models", held, near) is None  # every word is held
    assert respell('"difusion" author:Difusion', held, near) is None  # quoted, a name
    assert respell("zzzzzz please", held, near) is None  # nothing near; a stop word is never respelled
    assert respell("RLHF gpt4 x-ray", held, near) is None  # an acronym, with digits, short pieces
    assert respell("diffusio", held, near) == "diffusion"
    assert respell("difraction", held, near) == "diffraction"  # one edit: not "diffusion", three away


def test_a_word_of_the_question_is_no_typo() -> None:
    """`trending diffusion` was offered “tending diffusion”: `trending` asks for the newest papers on
    the topic, and is no word of it; the question's words are never respelled."""
    held, near = INDEX.held, INDEX.near_words
    assert held("trending") == 0
    assert respell("trending", lambda w: int(w == "tending"), lambda w, most: ["tending"]) is None
    assert respell("trending difusion", held, near) == "trending diffusion"
    assert respell("upvoted difusion vs modles", held, near) == "upvoted diffusion vs models"


def test_an_exclusion_no_paper_holds_is_respelled_too() -> None:
    """`diffusion -vidoe` left out nothing, silently: the search now offers `diffusion -video`."""
    assert respell("diffusion -vidoe", INDEX.held, INDEX.near_words) == "diffusion -video"
    found = Searched([], "diffusion -vidoe", suggested="diffusion -video")
    assert found.note() == "Did you mean “diffusion -video”? No paper holds “vidoe”."


def test_a_word_after_a_quote_left_open_is_respelled_without_the_quote() -> None:
    """`"vidoe` was respelled “"video”, and told to quote the word it had quoted."""
    assert respell('"vidoe', INDEX.held, INDEX.near_words) == "video"
    found = Searched([], '"vidoe', respelled="video")
    assert found.note() == (
        'No paper holds “vidoe”: showing papers on “video” instead. Close the quote ("…") to search for it as typed.'
    )


def test_acronyms_and_mixed_case_names_stay_as_typed() -> None:
    """A word typed with a capital after its first letter is an acronym or a model's name, spelled on
    purpose: "ORPO" is no typo of "grpo", nor "BLIP" of "clip", "PaLM" of "kalm" or "QLoRA" of "lora"."""
    index = LexicalIndex(
        [
            paper("2601.00001", "GRPO for reasoning", "Group relative policy optimization with CLIP rewards."),
            paper("2601.00002", "LoRA adapters", "Low-rank adaptation of a KaLM model and a raft of tasks."),
        ]
    )
    held, near = index.held, index.near_words
    for typed in ("ORPO", "BLIP", "PaLM", "QLoRA", "RAFTS", "BLIP reasoning"):
        assert respell(typed, held, near) is None, typed
    assert respell("orpo", held, near) == "grpo"  # typed in lower case, it may still be a typo
    assert respell("Lroa adapters", held, near) == "lora adapters"  # a capital first only: a typo still


def test_of_words_as_near_one_with_the_same_first_letter_wins() -> None:
    """A typo seldom changes a word's first letter: "prunning" is one edit from both running and pruning,
    and is pruning, though more papers hold running."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Pruning large models", "Structured pruning of weights."),
            paper("2601.00002", "Running agents", "Agents running for days."),
            paper("2601.00003", "Running robots", "Robots running in the wild."),
        ]
    )
    assert index.held("running") == 2 and index.held("pruning") == 1
    assert respell("prunning", index.held, index.near_words) == "pruning"
    assert respell("runing", index.held, index.near_words) == "running"


def test_the_words_of_a_compound_are_respelled_each() -> None:
    """The index cuts "self-suprvised" at its dash, so the search looks for "self" and "suprvised": a typo
    in a compound is one as much as alone, and its dashes and slashes stay where they were typed."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Self-supervised video models", "Text-to-video diffusion with attention."),
            paper("2601.00002", "Tokenizer-free models", "Byte-level language models."),
        ]
    )
    held, near = index.held, index.near_words
    assert respell("self-suprvised learning", held, near) == "self-supervised learning"
    assert respell("text-to-vidoe, difusion/atention", held, near) == "text-to-video, diffusion/attention"
    assert respell("tokenizer-free byte-level", held, near) is None  # every piece is held
    assert respell("Byte-LEVL", held, near) is None  # an acronym stays as typed in a compound too
    assert respell("self-supervisedd", held, near) == "self-supervised"
    dashed = LexicalIndex([paper("2601.00001", "Deduplication at scale", "We deduplicate the corpus.")])
    assert respell("de-duplication", dashed.held, dashed.near_words) is None  # "deduplication", dashed


def test_two_edits_only_for_long_words() -> None:
    held, near = INDEX.held, INDEX.near_words
    assert respell("reinfrocment", held, near) == "reinforcement"  # a swap and a deletion, 12 letters
    assert respell("prtien", held, near) is None  # two edits from "protein", but a short word


def test_an_authors_name_is_no_typo() -> None:
    """A search finds papers by their authors' names ("chen diffusion" puts Wei Chen's first), so a
    name no title or abstract holds is taken as typed: not "then diffusion", said to be held by none."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Diffusion models for video", "Then we train diffusion models.", ("Wei Chen",)),
            paper("2601.00002", "Diffusion policies", "Robots learn with diffusion.", ("Kaiming He",)),
            paper("2601.00003", "Gradients", "Models of José's gradients.", ("Ana Muñoz",)),
        ]
    )
    assert index.search_now("chen diffusion")[0].paper.arxiv_id == "2601.00001"
    assert respell("chen diffusion", index.held, index.near_words) is None
    assert respell("Munoz gradients", index.held, index.near_words) is None  # accents folded, as typed ones are
    assert respell("Muñoz gradients", index.held, index.near_words) is None
    assert respell("difusion chen", index.held, index.near_words) == "diffusion chen"  # a typo beside it still


def test_an_author_name_no_author_holds_becomes_the_nearest_name_an_author_holds() -> None:
    """`author:Zhnag` found nothing and said only "No papers match"; now the name is respelled among the
    authors' name words, capitalised as typed, each word of a quoted name on its own."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Reasoning with tools", "Agents reason.", ("Junkai Zhang", "Yann LeCun")),
            paper("2601.00002", "Diffusion policies", "Robots learn with diffusion.", ("Wei Chang",)),
            paper("2601.00003", "Gradients", "Models of gradients.", ("Ana Muñoz",)),
        ]
    )
    names = (index.held_name, index.near_names)
    held, near = index.held, index.near_words
    assert respell("author:Zhnag reasoning", held, near, names) == "author:Zhang reasoning"
    assert respell('author:"Yann LeCunn" tools', held, near, names) == 'author:"Yann Lecun" tools'
    assert respell("author:zhnag", held, near, names) == "author:zhang"
    assert respell("author:Zhang author:Munoz", held, near, names) is None  # held (accents folded)
    assert respell("author:Zhnag", held, near) is None  # names are respelled only when asked
    assert respell("author:Qqqqq", held, near, names) is None  # nothing near
    assert respell("author:Zhnag difusion", held, near, names) == "author:Zhang diffusion"
    assert respell("author:Soren", held, near, (lambda w: 0, lambda w, most: {"koren", "sorel"})) == "author:Sorel"
    assert respell("author:Soren", held, near, (lambda w: 0, lambda w, most: {"koren"})) is None  # its first letter
    found = Searched([], "author:Zhnag reasoning", "author:Zhang reasoning")
    assert found.note() == (
        "No paper holds the author name “Zhnag”: showing papers on “author:Zhang reasoning” instead."
    )  # no advice to quote it: a quoted name is respelled too, and finds nothing as typed
    both = Searched([], "author:Zhnag difusion", "author:Zhang diffusion")
    assert both.note() == (
        "No paper holds “difusion” or the author name “Zhnag”: showing papers on “author:Zhang diffusion” "
        'instead. Quote a word ("…") to search for it as typed.'
    )


def test_a_word_is_never_respelled_as_a_stop_word() -> None:
    """The search drops stop words: "moat" respelled "most" would be searched as if it were not there,
    while the answer said it showed papers on “most diffusion”."""
    index = LexicalIndex([paper("2601.00001", "Diffusion models", "Then they train most of them on moats.")])
    assert respell("moat diffusion", index.held, index.near_words) == "moats diffusion"
    gone = LexicalIndex([paper("2601.00001", "Diffusion models", "Then they train most of them.")])
    assert respell("moat diffusion", gone.held, gone.near_words) is None
    assert respell("thea diffusion", gone.held, gone.near_words) is None  # not then, they or them


class Answers:
    """A search port that answers from a table, recording what it is asked."""

    def __init__(self, hits: dict[str, list[str]]) -> None:
        self.hits = hits
        self.asked: list[str] = []

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        self.asked.append(query)
        return [SearchHit(paper(i, i), 1.0) for i in self.hits.get(query, [])]

    async def respelled(self, query: str) -> str | None:
        return respell(query, INDEX.held, INDEX.near_words)


def test_a_query_that_finds_nothing_as_typed_is_answered_by_its_respelling_which_is_said() -> None:
    port = Answers({"diffusion video": ["2601.00001"]})
    found = asyncio.run(searched(port, "difusion video", 10))
    assert [h.paper.arxiv_id for h in found.hits] == ["2601.00001"] and found.respelled == "diffusion video"
    assert found.note() == (
        "No paper holds “difusion”: showing papers on “diffusion video” instead. "
        'Quote a word ("…") to search for it as typed.'
    )
    assert Searched([], "diffusion").note() is None


def test_a_query_with_hits_as_typed_keeps_them_and_is_offered_its_respelling() -> None:
    """A word no paper holds may be no typo ("Sora" is one edit from "lora"): the typed query's own hits
    answer, the respelling is offered beside them, never put in their place."""
    port = Answers({"difusion video": ["2601.00009"], "diffusion video": ["2601.00001"]})
    found = asyncio.run(searched(port, "difusion video", 10))
    assert [h.paper.arxiv_id for h in found.hits] == ["2601.00009"] and found.respelled is None
    assert found.suggested == "diffusion video" and port.asked == ["difusion video"]
    assert found.note() == "Did you mean “diffusion video”? No paper holds “difusion”."


def test_a_respelled_query_that_finds_nothing_either_is_said_as_nothing() -> None:
    port = Answers({})
    found = asyncio.run(searched(port, "difusion zebras", 10))
    assert found.hits == [] and found.respelled is None and found.suggested is None
    assert port.asked == ["difusion zebras", "diffusion zebras"]


class Broken(Answers):
    async def respelled(self, query: str) -> str | None:
        raise RuntimeError("the index file vanished")


def test_a_respelling_that_fails_leaves_the_search_as_typed() -> None:
    found = asyncio.run(searched(Broken({"difusion": ["2601.00009"]}), "difusion", 10))
    assert [h.paper.arxiv_id for h in found.hits] == ["2601.00009"] and found.respelled is None


class Failing(Answers):
    """A search that fails while its respelling is still under way."""

    def __init__(self) -> None:
        super().__init__({})
        self.respelling: asyncio.Task[object] | None = None

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        await asyncio.sleep(0)  # the respelling has started
        raise RuntimeError("the index file vanished")

    async def respelled(self, query: str) -> str | None:
        self.respelling = asyncio.current_task()
        await asyncio.sleep(60)
        return None


def test_a_search_that_fails_takes_its_respelling_with_it() -> None:
    """Its fault is the answer; the respelling asked beside it is cancelled, not left running on the
    loop (it held the index and, at a loop's end, was cut off half-way)."""
    port = Failing()

    async def asked() -> None:
        with pytest.raises(RuntimeError, match="the index file vanished"):
            await searched(port, "difusion", 10)
        await asyncio.sleep(0)
        assert port.respelling is not None and port.respelling.cancelled()

    asyncio.run(asked())


class FailingSlowly(Failing):
    """A search that fails while its respelling is still under way, a respelling that takes a few turns
    of the loop to let go of what it holds (an aiosqlite connection closes through its thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.let_go = False

    async def respelled(self, query: str) -> str | None:
        try:
            return await super().respelled(query)
        finally:
            for _ in range(3):
                await asyncio.sleep(0)
            self.let_go = True


def test_a_search_that_fails_returns_once_its_respelling_has_let_go() -> None:
    """Not only cancelled: waited for, so that a loop ending right after the failure (a one-shot
    `paperboy search`, a test's) does not cut the respelling's cleanup off half-way."""
    port = FailingSlowly()

    async def asked() -> None:
        with pytest.raises(RuntimeError, match="the index file vanished"):
            await searched(port, "difusion", 10)
        assert port.let_go

    asyncio.run(asked())


def test_a_name_and_its_number_run_together_are_read_as_papers_write_them() -> None:
    """ "gpt5" is no word of any paper; "GPT-5" is two ("gpt", "5") in every paper that names it."""
    index = LexicalIndex([paper("2601.00001", "What GPT-5 can do"), paper("2601.00002", "Llama3 kernels")])
    assert respell("gpt5 reasoning", index.held, index.near_words) == "gpt-5 reasoning"
    assert respell("GPT5", index.held, index.near_words) == "gpt-5"
    assert respell("llama3", index.held, index.near_words) is None  # papers hold it as typed
    assert respell("zeta9", index.held, index.near_words) is None  # no paper holds the name


def test_a_name_run_together_with_a_lettered_version_is_read_as_papers_write_it() -> None:
    """ "deepseekv4" was read as "deepseekv" and "4": no respelling, and a paper on DeepSeek's harness shown
    with "None of these papers mentions every word"; papers write "DeepSeek-V4", "DeepSeek-R1"."""
    index = LexicalIndex([paper("2601.00001", "DeepSeek-V4 technical report"), paper("2601.00002", "DeepSeek-R1")])
    assert respell("deepseekv4", index.held, index.near_words) == "deepseek-v4"
    assert respell("DeepSeekR1 distillation", index.held, index.near_words) == "deepseek-r1 distillation"
    assert respell("deepseekv9", index.held, index.near_words) is None  # no paper holds "v9"


def test_a_version_with_a_letter_after_its_number_is_read_as_papers_write_it() -> None:
    """ "gpt4o" and "gpt4v" are no word of any paper; papers write "GPT-4o", "GPT-4V"."""
    index = LexicalIndex([paper("2601.00001", "Does GPT-4o see?"), paper("2601.00002", "GPT-4V in the clinic")])
    assert respell("gpt4o", index.held, index.near_words) == "gpt-4o"
    assert respell("GPT4V radiology", index.held, index.near_words) == "gpt-4v radiology"
    assert index.search_now("gpt-4o")[0].paper.arxiv_id == "2601.00001"  # and so is found first
    assert respell("gpt4ov", index.held, index.near_words) is None  # one letter after the number, no more


class Fixed(Answers):
    """A search port whose respelling is given."""

    def __init__(self, hits: dict[str, list[str]], respelling: str) -> None:
        super().__init__(hits)
        self.respelling = respelling

    async def respelled(self, query: str) -> str | None:
        return self.respelling


def test_a_respelled_author_name_is_offered_never_answered() -> None:
    """A name spelled right may be one the papers lack ("LeCun" is one edit from "Lejun"): the papers of
    the name it is respelled as are someone else's, so they are offered, not listed as the answer."""
    port = Fixed({"author:Lejun": ["2601.00009"]}, "author:Lejun")
    found = asyncio.run(searched(port, "author:LeCun", 10))
    assert found.hits == [] and found.respelled is None and found.suggested == "author:Lejun"
    assert found.note() == "Did you mean “author:Lejun”?"  # the empty answer says whose name: `nobody`
    assert found.nobody() == "No paper in the store has an author named “LeCun”."
    words = Fixed({"diffusion author:Zhang": ["2601.00001"]}, "diffusion author:Zhang")
    typo = asyncio.run(searched(words, "difusion author:Zhang", 10))  # the name as typed: a word's typo answers
    assert [h.paper.arxiv_id for h in typo.hits] == ["2601.00001"] and typo.respelled == "diffusion author:Zhang"
    nowhere = asyncio.run(searched(Fixed({}, "author:Lejun"), "author:LeCun", 10))
    assert nowhere.suggested is None and nowhere.note() is None  # nothing offered that finds nothing


def test_a_topic_no_paper_found_holds_whole_is_said_to_be_the_closest_found() -> None:
    """ "protein folding" over papers on language models found papers holding one of its words, or
    near it in meaning: the answer says none holds both, so they are not taken for papers on it."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Protein language models", "Models of protein sequences."),
            paper("2601.00002", "Folding laundry with robots", "A robot that folds shirts."),
            paper("2601.00003", "Protein folding with diffusion", "Folding proteins by denoising."),
        ]
    )
    whole = index.search_now("protein folding")
    assert [(h.paper.arxiv_id, h.whole) for h in whole] == [
        ("2601.00003", True),
        ("2601.00001", False),
        ("2601.00002", False),
    ]
    partly = index.search_now("protein robots")
    assert partly and not any(h.whole for h in partly)
    assert Searched(partly, "protein robots").note() == (
        "None of these papers mentions every word of “protein robots”: they are the closest found."
    )
    assert Searched(whole, "protein folding").note() is None  # one holds both: the list is on the topic
    filtered = Searched(partly, "author:Chen protein robots -video")  # the filters are met: the words quoted
    assert (
        filtered.note() == "None of these papers mentions every word of “protein robots”: they are the closest found."
    )
    described = "robots that fold proteins for laundry"  # a description, found by meaning: nothing said
    assert Searched([replace(h, whole=False) for h in whole], described).note() is None
    typo = Searched([replace(h, whole=False) for h in whole], "protien robots", respelled="protein robots")
    note = typo.note()
    assert note is not None and note.startswith("No paper holds “protien”")  # the respelling's note, as before


def test_a_respelling_none_of_the_papers_found_holds_whole_is_not_said_to_be_shown() -> None:
    """ "phi4" is searched as "phi-4" when no paper holds "phi4": where no paper found holds "phi" and "4"
    either, the answer said "showing papers on “phi-4” instead" over papers on other things (found by
    meaning); it says they are the closest found, as it does of a query searched as typed."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Protein language models", "Models of protein sequences."),
            paper("2601.00002", "Folding laundry with robots", "A robot that folds shirts."),
        ]
    )
    found = index.search_now("protein robots")
    assert not any(h.whole for h in found)
    assert found
    note = Searched(found, "protien robots", respelled="protein robots").note()
    assert note == (
        "No paper holds “protien”, and none of these mentions every word of “protein robots”: they are the"
        ' closest found. Quote a word ("…") to search for it as typed.'
    )
    whole = [replace(h, whole=True) for h in found]
    assert Searched(whole, "protien robots", respelled="protein robots").note() == (
        "No paper holds “protien”: showing papers on “protein robots” instead."
        ' Quote a word ("…") to search for it as typed.'
    )


def test_papers_found_by_their_authors_name_are_not_said_to_be_the_closest_found() -> None:
    """A search finds papers by their authors' names too ("chen diffusion"): a paper by a Chen on
    diffusion holds every word asked for, and the one paper by LeCun is the answer to "lecun"."""
    index = LexicalIndex(
        [
            paper("2601.00001", "Diffusion models for video", "We train diffusion models.", ("Long Chen",)),
            paper("2601.00002", "Diffusion policies", "Robots learn with diffusion.", ("Ann Smith",)),
            paper("2601.00003", "Graph learning", "Graphs.", ("Yann LeCun",)),
        ]
    )
    by_chen = index.search_now("chen diffusion")
    assert [(h.paper.arxiv_id, h.whole) for h in by_chen] == [("2601.00001", True), ("2601.00002", False)]
    assert Searched(by_chen, "chen diffusion").note() is None
    by_lecun = index.search_now("lecun")
    assert [(h.paper.arxiv_id, h.whole) for h in by_lecun] == [("2601.00003", True)]
    assert Searched(by_lecun, "lecun").note() is None
    assert index.search_now("smith robots")[0].whole and not index.search_now("chen robots")[0].whole


class AsTyped(Answers):
    """…that never respells."""

    async def respelled(self, query: str) -> str | None:
        return None


def test_a_search_that_finds_nothing_names_an_author_no_paper_has() -> None:
    """`author:"Yann LeCun"` over a store without him said "Try fewer or broader words"."""
    port = AsTyped({'author:"Ann Lee"': ["2601.00001"]})
    found = asyncio.run(searched(port, 'robots author:"Ann Lee" author:"Yann LeCun"', 10))
    assert found.hits == [] and found.unknown_author == "Yann LeCun"
    assert port.asked[1:] == ['author:"Ann Lee"', 'author:"Yann LeCun"']
    known = asyncio.run(searched(port, 'zebras author:"Ann Lee"', 10))  # she has papers, none on zebras
    assert known.unknown_author is None
    assert asyncio.run(searched(port, "author:Qwzx diffusion", 10)).unknown_author == "Qwzx"  # its first word
    # …and the words in capitals after it, as people write a name: it said no author is named "Yann"
    assert asyncio.run(searched(port, "author:Yann LeCun", 10)).unknown_author == "Yann LeCun"
    assert asyncio.run(searched(port, "author:Qwzx Plorb robots", 10)).unknown_author == "Qwzx Plorb"
    assert asyncio.run(searched(port, "zebras", 10)).unknown_author is None


class Respells(Answers):
    """…that respells from a table."""

    def __init__(self, hits: dict[str, list[str]], respellings: dict[str, str]) -> None:
        super().__init__(hits)
        self.respellings = respellings

    async def respelled(self, query: str) -> str | None:
        return self.respellings.get(query)


def test_a_name_no_paper_has_that_is_near_one_says_so_beside_the_offer() -> None:
    """`paperboy search author:Yann` said "Did you mean “author:Yang”? No paper holds the author name “Yann”."
    then "No papers match. Try fewer or broader words": one word, and no fewer to try."""
    port = Respells({"author:Yang": ["2601.00001"]}, {"author:Yann": "author:Yang"})
    found = asyncio.run(searched(port, "author:Yann", 10))
    assert (found.hits, found.suggested, found.unknown_author) == ([], "author:Yang", "Yann")
    assert found.note() == "Did you mean “author:Yang”?"
    assert found.nobody() == "No paper in the store has an author named “Yann”."


def test_a_digests_author_is_not_offered_a_respelling_no_paper_has_either() -> None:
    """`subscribe author:Yann LeCun` was offered “author:Yang LeCun”: a topic's name is every word after
    `author:`, and no paper has a Yang LeCun."""
    port = Respells(
        {'author:"Zhang"': ["2601.00001"]},
        {"author:Yann LeCun": "author:Yang LeCun", "author:Zhnag": "author:Zhang", "difusion": "diffusion"},
    )
    said = asyncio.run(misspelt(port, ["author:Yann LeCun", "author:Zhnag", "difusion"]))
    assert said == [
        "No paper in the store has an author named “Yann LeCun” yet: their papers come when the store has some.",
        "Did you mean “author:Zhang”? No paper holds the author name “Zhnag”.",
        "Did you mean “diffusion”? No paper holds “difusion”.",
    ]


class Closest(Respells):
    """…whose papers hold only some of the words asked for (the closest found)."""

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        return [replace(h, whole=False) for h in await super().search(query, filters, limit)]


def test_a_respelling_whose_papers_hold_no_more_of_it_than_the_query_is_no_answer() -> None:
    """ "Yann LeCun" over a store without him was answered "showing papers on “yarn LeCun” instead": papers on
    yarn, none by LeCun (the name is no typo, and no paper holds it either)."""
    port = Closest({"yarn LeCun": ["2601.00001"]}, {"Yann LeCun": "yarn LeCun"})
    found = asyncio.run(searched(port, "Yann LeCun", 10))
    assert found.hits == [] and found.respelled is None and found.note() is None
    # (a name alone: is there such an author? no; then the word it kept, which no paper holds)
    assert port.asked == ['author:"Yann LeCun"', "Yann LeCun", "yarn LeCun", '"LeCun"']
    by = asyncio.run(searched(AsTyped({}), "papers by Qwzx Plorb", 10))  # as people ask for a person's papers
    assert by.unknown_author == "Qwzx Plorb"
    assert by.nobody() == "No paper in the store has an author named “Qwzx Plorb”."


def test_a_respelling_of_words_papers_hold_apart_is_offered_where_the_query_found_nothing() -> None:
    """ "mixtral of exprts" answered "No papers match" and nothing more, two typos and no paper holding
    both respelled words ("mistral", "experts"); with one typo the respelling was offered. Where papers
    hold each word of the respelling it is offered; a word it kept as typed that no paper holds ("yarn
    LeCun") is no better than the query, and is not."""
    port = Closest({"mistral of experts": ["2601.00001"], '"tuning"': ["2601.00002"]}, {})
    port.respellings = {"mixtral of exprts": "mistral of experts", "mixtral tuning exprts": "mistral tuning experts"}
    found = asyncio.run(searched(port, "mixtral of exprts", 10))
    assert found.hits == [] and found.respelled is None and found.suggested == "mistral of experts"
    assert found.note() == "Did you mean “mistral of experts”? No paper holds “mixtral” or “exprts”."
    assert found.nobody() == "No papers match as typed: the spelling offered finds some."
    assert port.asked == ["mixtral of exprts", "mistral of experts"]  # ("of" is no word to ask about)
    port.hits["mistral tuning experts"] = ["2601.00001"]
    kept = asyncio.run(searched(port, "mixtral tuning exprts", 10))
    assert kept.suggested == "mistral tuning experts" and port.asked[-1] == '"tuning"'
    del port.hits['"tuning"']
    assert asyncio.run(searched(port, "mixtral tuning exprts", 10)).suggested is None
    assert asyncio.run(searched(port, "mixtral exprts", 10)).suggested is None  # (no respelling finds papers)


def test_a_persons_papers_asked_for_whom_no_paper_has_are_said_so_not_searched_as_words() -> None:
    """`Yann LeCun's papers` got "Did you mean “yarn LeCun's papers”?" and papers by others; `papers by
    Yann LeCun` said no paper has that author. Where the words find papers holding them all (`Google's
    papers`: papers naming Google), those answer."""
    port = Closest({"Yann LeCun's papers": ["2601.00001"]}, {"Yann LeCun's papers": "yarn LeCun's papers"})
    found = asyncio.run(searched(port, "Yann LeCun's papers", 10))
    assert found.hits == [] and found.suggested is None and found.unknown_author == "Yann LeCun"
    assert found.nobody() == "No paper in the store has an author named “Yann LeCun”."
    named = asyncio.run(searched(AsTyped({"Google's papers": ["2601.00002"]}), "Google's papers", 10))
    assert [h.paper.arxiv_id for h in named.hits] == ["2601.00002"] and named.unknown_author is None


def test_a_persons_papers_asked_for_as_people_write_it_are_searched_by_author() -> None:
    """`papers by Shen Nie` was searched as its words: papers by a Linghui Shen came first, and a
    search for `robotics by Shen Nie` was answered with papers on robotics by anyone."""
    port = AsTyped({'author:"Ann Lee"': ["2601.00001", "2601.00002"], 'graphs author:"Ann Lee"': ["2601.00002"]})
    found = asyncio.run(searched(port, "papers by Ann Lee", 10))
    assert [h.paper.arxiv_id for h in found.hits] == ["2601.00001", "2601.00002"]
    assert found.note() == 'Papers with an author named “Ann Lee” (as `author:"Ann Lee"` finds them).'
    assert port.asked == ['author:"Ann Lee"', 'author:"Ann Lee"']  # is there such an author? then her papers
    on = asyncio.run(searched(port, "graphs by Ann Lee", 10))
    assert [h.paper.arxiv_id for h in on.hits] == ["2601.00002"]
    for latest in ("all papers by Ann Lee", "the papers by Ann Lee?"):  # words that say nothing go
        assert [h.paper.arxiv_id for h in asyncio.run(searched(port, latest, 10)).hits] == ["2601.00001", "2601.00002"]
    none = asyncio.run(searched(port, "zebras by Ann Lee", 10))
    assert none.hits == [] and none.note() is None
    assert none.nobody() == (
        "None of the papers with an author named “Ann Lee” is on “zebras”:"
        ' a search for `author:"Ann Lee"` lists theirs.'
    )
    from datetime import date

    week = SearchFilters(since=date(2026, 6, 1))  # none this week: the days are why, not what she writes about
    assert asyncio.run(searched(port, "zebras by Ann Lee", 10, week)).nobody() is None
    assert asyncio.run(searched(port, "papers by Ann Lee", 10, week)).nobody() is None  # was "is on “”"
    from bot.search.query import asked_by

    assert asked_by("papers by CJ Taylor") is not None  # initials in capitals are a name's, not an acronym
    for as_words in ("Reasoning by Analogy", "graphs by ann lee", 'papers by Ann Lee author:"Ann Lee"', "text by AI"):
        port.asked.clear()  # no such author, a name without capitals, an `author:` typed: searched as typed
        asyncio.run(searched(port, as_words, 10))
        assert as_words in port.asked and all(a == as_words or a.startswith("author:") for a in port.asked)


def test_a_name_alone_that_an_author_has_is_their_papers() -> None:
    """`Zifeng Wang` had one of his three papers in the first ten, the others under agent papers that
    matched by meaning (QA s77); a name no author has, a topic in capitals or with an acronym is searched
    as typed."""
    port = AsTyped({'author:"Ann Lee"': ["2601.00001", "2601.00002"], "Flow Matching": ["2601.00003"]})
    found = asyncio.run(searched(port, "Ann  Lee", 10))
    assert [h.paper.arxiv_id for h in found.hits] == ["2601.00001", "2601.00002"]
    assert found.note() == 'Papers with an author named “Ann Lee” (as `author:"Ann Lee"` finds them).'
    for as_typed in ("Flow Matching", "LLM Agents", "ann lee", "Ann Lee Graphs Today"):
        port.asked.clear()
        hits = asyncio.run(searched(port, as_typed, 10)).hits
        assert as_typed in port.asked and [h.paper.arxiv_id for h in hits] == (
            ["2601.00003"] if "Flow" in as_typed else []
        )
    assert asyncio.run(searched(port, "Flow Matching", 10)).by is None  # (no author of that name: a topic)


def test_a_topic_that_is_an_authors_name_says_author_finds_their_papers() -> None:
    """`subscribe Chengsong Huang` found none of his papers, every day, without a word: a topic is what
    papers are about (their text), and a name is in none of it."""
    port = AsTyped({'author:"Ann Lee"': ["2601.00001"], "graph learning": ["2601.00002"]})
    said = asyncio.run(misspelt(port, ["Ann Lee", "graph learning", "Qwzx Plorb", "-Ann Lee", "author:Ann Lee"]))
    assert said == [
        "“Ann Lee” is the name of an author in the store, and a topic finds what papers are about, not who wrote"
        " them: `author:Ann Lee` finds their papers.",
        "No paper holds “Qwzx Plorb”. If that is a person's name, a topic finds what papers are about, not who"
        " wrote them: `author:Qwzx Plorb` finds their papers as they come.",  # (it was offered a respelling)
    ]
    assert asyncio.run(misspelt(port, ["qwzx plorb"])) == []  # no capitals: no name said (nor a respelling here)
