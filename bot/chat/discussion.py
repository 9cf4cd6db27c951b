"""Answers in a paper's thread: `summary`, `related`, `code`, `authors`, `cite`, its links (`pdf`, `link`), or
a one-line help."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.domain.cards import ABSTRACT_CHARS, byline, card, links, readable, shorten
from bot.domain.citation import bibtex
from bot.domain.models import Paper
from bot.domain.post import Post
from bot.domain.words import listed
from bot.search.port import SearchIndex

ASKS = ("summary", "related", "code", "authors", "cite")
LINKS = "links"  # `pdf?`, `link`: the paper's pages (not in the help's list: the card shows them too)
ASKABLE = ", ".join(f"`{ask}`" for ask in ASKS[:-1]) + f" or `{ASKS[-1]}`"
HELP = f"Ask me in this thread: {ASKABLE}; `save` puts the paper on your reading list, `unsave` takes it off."


def help_naming(paper: Paper) -> Post:
    """The one-line help for a paper named outside its thread (`@paperboy 2608.19880`), where "Ask me in
    this thread" led to a thread that is not the paper's, which answered "I can only discuss papers in their
    own threads"."""
    named = ", ".join(f"`{ask} {paper.arxiv_id}`" for ask in ASKS[:-1]) + f" or `{ASKS[-1]} {paper.arxiv_id}`"
    return Post(header=shorten(paper.title, 120), text=(f"Ask me with the paper named: {named}.",))


NOT_A_PAPER_THREAD = (
    f"I can only discuss papers in their own threads, or one you name: mention me under a digest card or a shared"
    f" paper with {ASKABLE}, or name the paper, such as “cite 2406.12345”."
)
RELATED = 5
# related papers one question may ask for (`related 2406.12345 top 10`): what one message of a thread holds,
# Discord's 10 embeds (Slack's 50 blocks hold 12 cards); 20 were shown as 12 or 10, "…and 8 more", no more to see
MOST_RELATED = 10
# how many related papers are asked for: `related 2406.12345 top 10`, `10 papers like 2406.12345`, `related 3`
_HOW_MANY = re.compile(
    r"(?i)\btop\s*(\d{1,3})\b|\b(\d{1,3})\s+(?:related|similar|papers|more|others)\b|\brelated\s+(\d{1,2})\b(?![.\d])"
)


def related_count(text: str) -> int | None:
    """How many related papers a question asks for, `MOST_RELATED` at most; None where it says no number
    (`RELATED` are shown). `related 2406.12345 top 3` showed five, whatever the number."""
    found = _HOW_MANY.search(text)
    return min(max(int(found[1] or found[2] or found[3]), 1), MOST_RELATED) if found else None


AUTHORS_CHARS = 1500  # the names of an `authors` answer: within a Discord message beside its header


# Other words for each question. The first word of a message that names a question or plainly asks
# for one decides ("summarize this code paper" asks for the summary, "the bibtex of this code paper"
# for `cite`: "code" there is the paper's topic); a weak word ("who") decides only when none does.
SYNONYMS = (
    ({"bibtex", "citation", "citations", "reference", "references", "bib"}, "cite"),
    ({"github", "repo", "repos", "repository", "repositories", "implementation"}, "code"),
    ({"tldr", "abstract", "summarize", "summarise", "summaries", "gist"}, "summary"),
    ({"similar"}, "related"),
    ({"author", "authorship"}, "authors"),
)
# …and words that ask only of the bot, in a mention or a thread's reply: a message without a mention
# ("can you explain how follow works?" in a direct message) is not taken as asked for them
MENTIONED = (
    ({"explain", "eli", "overview", "contributions", "contribution", "findings", "takeaways", "recap"}, "summary"),
    ({"synopsis", "takeaway"}, "summary"),
    ({"pdf", "pdfs"}, LINKS),
)
PLAINLY = {word: ask for group, ask in SYNONYMS for word in group} | {ask: ask for ask in ASKS}
ASKED_BY = PLAINLY | {word: ask for group, ask in MENTIONED for word in group}
STRONG = frozenset(ASKED_BY)  # not the weak "who", nor these:
# words that ask only when no other does: "what is this about?", "link?" ("link to the code" asks for the code)
WEAK = {"about": "summary", "link": LINKS, "links": LINKS, "url": LINKS, "arxiv": LINKS}
# "what's new in this paper?": its contribution, the summary (it got the one-line help); not "anything new?"
_NEW_IN_IT = re.compile(r"(?i)\bwhat(?:'s|’s|\s+is)\s+new\s+(?:in|about)\s+(?:this|it|the)\b")
WROTE = frozenset({"wrote", "write", "writes", "written", "authored", "behind", "made", "did"})  # "who wrote it?"
# "no code needed", "not the code", "don't need the summary": not a question of it ("don't" reads as "don t")
NOT = frozenset({"no", "not", "without", "nor", "never", "don", "dont", "doesn", "doesnt"})
UNKNOWN = frozenset({"know", "see", "understand", "remember", "find", "get"})  # "don't know who wrote it": asked
# a negation reaches a few words ("not the code", "don't need the summary"), never past its clause's end:
# "not sure what this does - summary?" and "not OP but could you cite this?" ask
NEGATION_REACH = 4
_CLAUSE = re.compile(r"[,.;:!?()\n\u2013\u2014]|\s-\s|\b(?:but|so)\b")


# a thread asked about its paper's news, or to be told of it: `any news?`, `follow this paper`, `notify me when
# code is out`, `is there a new version?` (each got the one-line help, or "no code yet" only); not `fake news
# detection?`, `the update rule`, `how does v2 differ`, `what's new in this paper?` (its summary)
_NEWS = re.compile(
    r"(?i)^\W*(?:news|updates?)\W*$|\b(?:any (?:news|updates?)|is there (?:any )?news|news (?:on|of|about) (?:this|it)"
    r"|keep me (?:posted|updated)|notify me|ping me|alert me when|let me know when|tell me when"
    r"|follow(?:ing)? (?:this|it|the paper)|watch(?:ing)? (?:this|it)|(?:is there|any) (?:a )?new(?:er)? version)\b"
)


def asks_for_news(text: str) -> bool:
    """Whether a mention asks about its paper's news, or to hear of it."""
    return _NEWS.search(unmentioned(text).strip()) is not None


def news_said(follow_days: int, here: bool | datetime | None, *, coded: bool = False) -> str:
    """What a thread is told of the news it will get (a living thread), for `follow_days` days: `here`, its
    card is the one followed; False, another card of the paper in the channel is; None, none is; a time,
    when this thread's news ended (it was told to look for the thread of the first card: this one).
    `coded`: the paper has its code already (`notify me when code is out` was promised code news)."""
    if not follow_days:
        return "This deployment posts no news in papers' threads (its `follow_days` is 0)."
    what = "a new arXiv version, and upvotes past 100, 250, 500 and 1,000, each once"
    what = what if coded else f"code when a repository appears, {what}"
    if isinstance(here, datetime):
        return f"This thread's news ({what}) ended on {here:%A %-d %B}, {follow_days} days after its card went out."
    if here:
        return f"News of this paper comes to this thread for {follow_days} days after its card went out: {what}."
    if here is False:
        return (
            "News of this paper in this channel goes to the thread of its first card here, for"
            f" {follow_days} days after that card went out: {what}."
        )
    return (
        f"No news of this paper comes to this thread: a paper's news ({what}) goes to the thread of its first card"
        f" in a channel with a digest (or shared there with Share), for {follow_days} days after it went out."
    )


def unmentioned(text: str) -> str:
    """The text without its mentions (`<@U123>`, `<#C123>`, `<!channel>`), its lines kept (a line ends a
    clause)."""
    return re.sub(r"<[@#!][^>]*>", " ", text).strip()


_TLDR = re.compile(r"(?i)\btl\s*;?\s*dr\b")


_PDF_NAME = re.compile(r"(\d{4}\.\d{4,5}(?:v\d+)?)\.pdf\b")


def _words(text: str) -> list[str]:
    """The text's words, lower case, without mentions; `tl;dr` and `tl dr` as one word; full-width
    letters as the letters (`ｓｕｍｍａｒｙ`); a question said not to be wanted ("not the code") left out:
    the first question word a few words after a negation, in the same clause."""
    plain = unicodedata.normalize("NFKC", unmentioned(text)).lower()
    plain = _PDF_NAME.sub(r"\1", plain)  # `cite 2406.12345v2.pdf`: a download's name, no question for the pdf link
    kept = []
    for clause in _CLAUSE.split(_TLDR.sub("tldr", plain)):
        left = 0  # words a negation still reaches
        for word in re.findall(r"[a-z]+", clause):
            if left and word in STRONG:
                left = 0  # this one is not asked
                continue
            left = 0 if word in UNKNOWN else NEGATION_REACH if word in NOT else max(left - 1, 0)
            kept.append(word)
    return kept


# a mention that puts the thread's paper (or the one it names) on the asker's reading list, a clause of its
# own: `save`, `save this`, `bookmark it for later`, `please save 2406.12345`, `add this to my reading list`,
# `save this, and the code?`; not `don't save this`, `can we save it in fp16?`, `save memory vs speed?`
_SAVES = re.compile(
    r"(?:(?:please|pls|can\s+you|could\s+you|would\s+you)\s+)?"
    r"(?:(?:save|bookmark)(?:\s+(?:this|it|that|this\s+one|(?:this|the)\s+paper|\d{4}\.\d{4,5}(?:v\d+)?))?"
    r"(?:\s+for\s+(?:me|later))?(?:\s+(?:to|on|in)\s+my\s+(?:reading\s+)?list)?"
    r"|add\s+(?:this|it|that|this\s+paper|\d{4}\.\d{4,5}(?:v\d+)?)\s+to\s+my\s+(?:reading\s+)?list)"
    r"(?:\s+(?:please|pls|thanks|thank\s+you|for\s+me))?",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"\s*(?:[,;]|\band\b|\bthen\b|[.!?](?:\s|\Z))\s*", re.IGNORECASE)
_MENTIONS = re.compile(r"<@[!&]?\w+(?:\|[^>]*)?>|@\w+")  # Slack's `<@U0123>`, Discord's `<@123>`, a typed @name


_UNSAVES = re.compile(
    r"(?:(?:please|pls)\s+)?(?:(?:unsave|unbookmark)(?:\s+(?:this|it|that|this\s+one|(?:this|the)\s+paper))?"
    r"(?:\s+from\s+my\s+(?:reading\s+)?list)?|(?:remove|take)\s+(?:this|it|that|this\s+paper)\s+(?:off|from)\s+my"
    r"\s+(?:reading\s+)?list)(?:\s+(?:please|pls|thanks))?",
    re.IGNORECASE,
)


def asks_to_unsave(text: str) -> bool:
    """Whether a mention asks to take the paper off the asker's reading list (`unsave`, `remove this from my
    list`: they got the one-line help, and only `/papers unsave ID` took it off)."""
    said = " ".join(_MENTIONS.sub(" ", text).split()).strip(" .!?")
    return any(_UNSAVES.fullmatch(clause.strip(" .!?")) for clause in _CLAUSES.split(said) if clause.strip())


def asks_of_reading_list(text: str) -> bool:
    """Whether a mention asks to save the paper, or to take it off the asker's reading list."""
    return asks_to_save(text) or asks_to_unsave(text)


def asks_to_save(text: str) -> bool:
    """Whether a mention asks to save the paper to the asker's reading list (the Save button's, in words)."""
    said = " ".join(_MENTIONS.sub(" ", text).split()).strip(" .!?")
    return any(_SAVES.fullmatch(clause.strip(" .!?")) for clause in _CLAUSES.split(said) if clause.strip())


def names_a_question(text: str) -> bool:
    """Whether the text names one of the thread questions (`summary`, `code`…), or a word that plainly
    asks for one (`tl;dr`, `bibtex`, `github`): a message with no mention is then taken as asked of
    the bot (a reply to a card in a direct message). Weak words, `MENTIONED`'s and near misses are not enough."""
    return any(word in PLAINLY for word in _words(text))


def what_is_asked(text: str, weak: bool = True) -> str | None:
    """What a mention asks for, ignoring the mention itself and punctuation: the first word that names a
    question or plainly asks for one (`ASKED_BY`); else "who" with its verb; else, with `weak`, a word of
    `WEAK` (a command naming a paper reads its id's link, whose "arxiv" asks nothing); else a mistyped
    question."""
    words = _words(text)
    if asked := next((ASKED_BY[word] for word in words if word in ASKED_BY), None):
        return asked
    if _NEW_IN_IT.search(text):
        return "summary"
    if "who" in words and not WROTE.isdisjoint(words):  # "who wants to present this?" asks for no authors
        return "authors"
    if weak and (asked := next((WEAK[word] for word in words if word in WEAK), None)):
        return asked
    return next((asked for word in words if (asked := _mistyped(word))), None)


def _mistyped(word: str) -> str | None:
    """The question a word mistypes (`summery`, `authers`), where one is near enough; not another form of
    one (`who else cites this?` asks who cites it, and got its BibTeX)."""
    close = difflib.get_close_matches(word, ASKS, n=1, cutoff=0.85) if len(word) > 3 and word not in _FORMS else []
    return close[0] if close else None


_FORMS = frozenset({"cites", "cited"})  # words of their own, not typos of `cite`

# words that may join questions asked together ("code and authors", "summary, code & cite", "code + the
# authors"): a question after the first is asked too only when nothing else stands between them, so
# "summarize this code paper" asks for the summary alone ("code" there is the paper's topic)
JOINS = frozenset({"and", "also", "plus", "then", "or", "the", "its", "their", "as", "well", "please", "pls"})


def all_asked(text: str) -> tuple[str, ...]:
    """Every question a mention asks, in its order, once each: in each of its clauses (`who wrote it and
    where is the code?`, `is there code? and a citation`), the first question it names and those listed
    right after it (`_listed`); a clause that names none but is a question may ask with a weak word
    (`what is this about, and who wrote it`). Where no clause names one, what the whole text asks
    (`what_is_asked`: `link?`). None when it asks nothing."""
    asked: list[str] = []
    text = _TLDR.sub("tldr", text)  # (not `tl` and `dr`)
    ends = [*_CLAUSES.finditer(text), None]
    starts = [0, *(end.end() for end in ends if end is not None)]
    for start, end in zip(starts, ends, strict=True):
        clause = text[start : end.start() if end is not None else len(text)]
        question = end is not None and "?" in end[0]  # `summary please, the github link?`
        if not asked or question or _asks(clause):  # after the first, a remark is none: `…, I'll cite it later`
            asked += _listed(clause, weak=False)
    return tuple(dict.fromkeys(asked or _listed(text, weak=True)))


# a clause that is a question: a weak word there asks (`what's this about`; not `thanks for the link`)
_QUESTION = re.compile(r"(?i)^\W*(?:what|what's|whats|how|where|where's|is|are|any|got|can|could|do|does)\b")
# how a clause after the first asks: a question or a request's first word (`who wrote it`, `is there code`,
# `also who wrote it`, `find related papers`), or nothing but questions and the words around them (`a
# citation`, `the code?`, `authors too`); not a remark (`I'll cite it later`, `the pdf is broken`)
_ASKING = frozenset(
    {"who", "what", "whats", "where", "wheres", "which", "how", "is", "are", "any", "anything", "got", "can"}
    | {"could", "would", "do", "does", "did", "please", "pls", "give", "show", "find", "get", "share", "send"}
    | {"tell", "list", "need", "want", "lmk"}
)
_LEADING = frozenset({"also", "plus", "and", "btw", "oh", "ok", "okay", "so", "hey", "then"})  # `also who wrote it`
_AROUND = JOINS | {"a", "an", "this", "paper", "papers", "too", "one", "of", "it", "me", "us", "thanks"}


def _asks(clause: str) -> bool:
    """Whether a clause after a question asks one too (`_ASKING`; `I need a citation`, `I'd like the code`)."""
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", unmentioned(clause)).lower())
    words = list(itertools.dropwhile(lambda w: w in _LEADING, words))
    if not words:
        return False
    wanting = words[0] in ("i", "we") and not {"need", "want", "like"}.isdisjoint(words[1:4])
    asking = (w in _AROUND or w in ASKED_BY or _mistyped(w) is not None for w in words)  # `authers` too
    return words[0] in _ASKING or words[0] in ASKED_BY or wanting or all(asking)


def _listed(text: str, weak: bool) -> list[str]:
    """The first question the text names (`what_is_asked`; `weak`: a weak word may name it, or in a
    question, `_QUESTION`, anywhere), then those listed right after it ("code and authors"); none when it
    names none."""
    first = what_is_asked(text, weak=weak or _QUESTION.match(unmentioned(text)) is not None)
    if first is None:
        return []
    words = _words(text)
    start = next((i for i, word in enumerate(words) if ASKED_BY.get(word) == first), len(words))
    asked = [first]
    for word in words[start + 1 :]:
        if word in JOINS:
            continue
        if (listed := ASKED_BY.get(word) or _mistyped(word)) is None:
            break
        asked.append(listed)
    return asked


def _names(authors: tuple[str, ...]) -> str:
    """Every author, or as many as fit a message's paragraph, then how many in all."""
    if not authors:
        return "Unknown authors"
    length, shown = 0, 0
    for name in authors:
        length += len(name) + 2
        if length > AUTHORS_CHARS:
            break
        shown += 1
    if shown == len(authors):
        return ", ".join(authors)
    return f"{byline(authors, max(shown, 1))} ({len(authors)} authors in all)"


async def discussed(paper: Paper, text: str, search: SearchIndex) -> list[Post]:
    """An answer to each question the text asks (`all_asked`), in order; the one-line help if none. A
    citation in a style named (`cite apa`) says BibTeX is the one given, as the command's does."""
    related = related_count(text) or RELATED  # `@paperboy related top 10`
    answers = [await _answer(paper, asked, search, related) for asked in all_asked(text) or (None,)]
    style = citation_style(text)
    return [replace(a, text=(*a.text, bibtex_only(style))) if style and a.code else a for a in answers]


def citation_style(text: str) -> str:
    """The citation style the text names (`cite 2406.12345 apa`), or none."""
    words = (word.strip(".,;:!?()[]\"'").lower() for word in text.split())
    return next((CITATION_STYLES[w] for w in words if w in CITATION_STYLES), "")


def bibtex_only(style: str) -> str:
    """What a citation asked for in a style says: not passed off as what was asked."""
    return f"BibTeX is the one form given here: a reference manager turns it into {style}."


# citation styles people ask for by name (`cite 2406.12345 apa` gave BibTeX without a word), as written
CITATION_STYLES = {"apa": "APA", "mla": "MLA", "ieee": "IEEE", "ris": "RIS", "endnote": "EndNote"}
CITATION_STYLES |= {name: name.title() for name in ("chicago", "harvard", "vancouver")}


# what an answer is called where a command asks it with others: `code and cite 2406.12345`
_CALLED = {
    "summary": "summary", "related": "related papers", "code": "code", "authors": "authors", "cite": "citation",
    LINKS: "links",
}  # fmt: skip


_SHOWN_LAST = ("cite", "related")  # a post's code, then its cards, come after its texts


async def answered_together(paper: Paper, asked: Sequence[str], search: SearchIndex, related: int = RELATED) -> Post:
    """One post with the answer to each question a command asks of a paper, in their order (`code and cite
    2406.12345` answered the code alone, and said to ask the citation next): the texts one after the other,
    each under its name unless it starts with it, the citation's code and the related papers' cards."""
    questions = list(dict.fromkeys(question for question in asked if question in _CALLED))
    posts = [await _answer(paper, question, search, related) for question in questions]
    if len(posts) < 2:
        return posts[0] if posts else await _answer(paper, None, search)
    # "No related papers …" as the related papers' text: as a post's `empty` it came above the other answers
    said = [post.text or ((post.empty,) if post.empty and not post.cards else ()) for post in posts]
    texts = [(_CALLED[question], text) for question, text in zip(questions, said, strict=True) if text]
    named = len(texts) > 1  # a text alone needs no name: the header gives it
    code = next((post.code for post in posts if post.code), None)
    cards = next((post.cards for post in posts if post.cards), ())
    lines = tuple(
        line
        for called, text in texts
        for line in ((f"{called.capitalize()}:",) if named and not text[0].lower().startswith(called) else ()) + text
    )
    if lines and (code or cards):  # the citation's code and the related papers' cards come after the texts,
        lines += ("Citation:" if code else "Related papers:",)  # unnamed: where one begins was not said
    # named in the order shown: the texts as asked, then the citation, then the related papers
    shown = [question for question in questions if question not in _SHOWN_LAST]
    shown += [question for question in _SHOWN_LAST if question in questions]
    return Post(
        header=f"{listed([_CALLED[question] for question in shown]).capitalize()} · {shorten(paper.title, 120)}",
        text=lines,
        code=code,
        cards=cards,
    )


async def _answer(paper: Paper, asked: str | None, search: SearchIndex, related: int = RELATED) -> Post:
    title = shorten(paper.title, 120)
    if asked == "summary":
        paragraphs = [f"AI summary: {readable(paper.ai_summary)}"] if paper.ai_summary else []
        paragraphs.append(shorten(paper.abstract, ABSTRACT_CHARS) if paper.abstract else "No abstract on record.")
        return Post(header=f"Summary · {title}", text=tuple(paragraphs))
    if asked == "related":
        query = " ".join((paper.title, *paper.ai_keywords))
        hits = [h for h in await search.search(query, limit=related + 1) if h.paper.arxiv_id != paper.arxiv_id]
        return Post(
            header=f"Related to {title}",
            cards=tuple(card(h.paper) for h in hits[:related]),
            empty="No other paper in the store matches its title or keywords.",  # (not "yet": no index building)
        )
    if asked == "code":
        return Post(header=f"Code · {title}", text=_code(paper))
    if asked == "authors":
        lines = [_names(paper.authors)] + ([f"Organization: {paper.organization}"] if paper.organization else [])
        return Post(header=f"Authors · {title}", text=tuple(lines))
    if asked == "cite":
        return Post(header=f"Cite · {title}", code=bibtex(paper))
    if asked == LINKS:
        return Post(header=f"Links · {title}", text=tuple(f"{link.label}: {link.url}" for link in links(paper)))
    return Post(header=title, text=(HELP,))


# a GitHub repository, its scheme optional: 7 of the corpus's abstracts write "(github.com/openai/mle-bench/)"
_REPOSITORY = re.compile(r"(?:https?://|(?<![\w./-]))(?:www\.)?github\.com/[\w.-]+/[\w.-]*\w", re.IGNORECASE)


def _code(paper: Paper) -> tuple[str, ...]:
    """Where the paper's code is: its repository on Hugging Face; else one its project page or abstract
    names (a GitHub project page was said to be no code, and 858 of the corpus's abstracts name their
    repository); and its project page, when it is another page (`links`: never the same one twice)."""
    project = next((link.url for link in links(paper) if link.label == "Project page"), None)
    if paper.github_repo:
        stars = f" (★{paper.github_stars:,})" if paper.github_stars else ""
        lines = [f"Code: {paper.github_repo}{stars}"]
    elif project is not None and _REPOSITORY.fullmatch(project.rstrip("/")):
        return (f"Code: {project} (its project page; Hugging Face links no repository)",)
    elif found := _REPOSITORY.search(paper.abstract):
        named = found.group() if "://" in found.group() else f"https://{found.group()}"
        lines = [f"No code is linked on Hugging Face, but the abstract names a repository: {named}"]
    else:
        lines = [f"No code is linked on Hugging Face yet: {paper.hf_url}"]
    return (*lines, *([f"Project page: {project}"] if project else []))
