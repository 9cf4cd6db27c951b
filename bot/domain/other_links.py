"""Links people paste that name no paper by its arXiv id: a code repository (the papers that link it), or
another site's page on a paper (OpenReview, Semantic Scholar, Papers with Code…), whose address often
holds the paper's title. Searched for as typed, `https`, `github` and `com` were the words, and a page's
id was offered a respelling ("No paper holds “https://www.semanticscholar.org/paper/Fa”")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

# a link alone (Slack writes `<url|label>`); a repository's or Hugging Face's without its scheme too
# (`github.com/owner/name`, `huggingface.co/papers`)
_ONE_URL = re.compile(
    r"<?((?:https?://|(?=(?:www\.)?(?:github\.com|huggingface\.co|hf\.co)/))[^\s<>|]+)(?:\|[^>]*)?>?", re.IGNORECASE
)
_REPOSITORY = re.compile(r"(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?(?:/.*)?", re.IGNORECASE)
# GitHub's own pages, not an owner's: `github.com/topics/diffusion-models`
_GITHUB_PAGES = frozenset(
    {"topics", "orgs", "features", "sponsors", "marketplace", "trending", "collections", "settings", "explore"}
    | {"notifications", "login", "about", "pricing", "enterprise", "search", "apps", "users", "issues", "pulls"}
)
# sites whose pages on a paper hold its title in their address; others' words (a video's `watch`, a
# journal's article number) are no topic
_PAPER_PAGES = (
    "semanticscholar.org", "paperswithcode.com", "openreview.net", "scholar.google.", "aclanthology.org",
    "researchgate.net", "connectedpapers.com", "dblp.org", "scholar.archive.org",
)  # fmt: skip
# path words that say what kind of page it is, not what it is about
_PAGE_WORDS = frozenset(
    {"paper", "papers", "forum", "abs", "pdf", "html", "article", "articles", "doi", "view", "en", "pub", "pubs"}
    | {"publication", "publications", "details", "content", "index", "research", "blog", "post", "posts", "arxiv"}
    | {"scholar", "search", "share", "tree", "blob", "main", "master"}
)
_QUERY_KEYS = ("q", "query", "search", "title")  # a search page's words: `scholar.google.com/scholar?q=…`
_PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?|pdf)\Z", re.IGNORECASE)
_ID_LIKE = re.compile(r"(?=.*\d)[\w.]{6,}|[0-9a-f]{16,}", re.IGNORECASE)  # `abc123`, `204e3073870fae3d05…`


def one_url(text: str) -> str | None:
    """The URL a text is, alone (in Slack's `<url|label>` too); None for any other text."""
    found = _ONE_URL.fullmatch(text.strip())
    return found[1].rstrip(".,;:!?)") if found is not None else None  # the sentence's full stop is not the link's


def repository(url: str) -> str | None:
    """`owner/name` of the GitHub repository a URL is (or is a page of: `/tree/main`, `/issues`); None
    for any other."""
    parts = urlsplit(url)
    found = _REPOSITORY.fullmatch(parts.netloc + parts.path.rstrip("/"))
    return f"{found[1]}/{found[2]}" if found is not None and found[1].lower() not in _GITHUB_PAGES else None


def repository_urls(owner_name: str) -> tuple[str, ...]:
    """The ways a repository's URL is stored (Hugging Face's and projects' own), lower-cased."""
    base = f"github.com/{owner_name.lower()}"
    return tuple(f"{scheme}{www}{base}{end}" for scheme in ("https://", "http://") for www in ("", "www.")
                 for end in ("", "/", ".git"))  # fmt: skip


def repository_words(owner_name: str) -> str:
    """A repository's name as words, to search for where no paper links it: `Fast-dLLM` is "Fast dLLM"."""
    return " ".join(re.split(r"[-_.]+", owner_name.rpartition("/")[2])).strip()


def unlinked(owner_name: str) -> str:
    """What a search for a repository's name says when no stored paper links its code to it."""
    from bot.domain.words import quoted

    return (
        f"No paper in the store links its code to github.com/{owner_name}: these are papers on"
        f" {quoted(repository_words(owner_name))}."
    )


def link_words(url: str) -> str:
    """The words a paper site's page address holds about its paper (`_PAPER_PAGES`): its path's words
    (`attention-is-all-you-need`) and a search's (`?q=diffusion`), without the site, the kind of page or
    its ids; "" for none, and for any other site's page."""
    parts = urlsplit(url)
    if not any(site in parts.netloc.lower() for site in _PAPER_PAGES):
        return ""
    segments = [_PAGE_SUFFIX.sub("", s) for s in parts.path.split("/")]  # `new-rl-method.html`
    words = [
        word
        for segment in segments
        for word in re.split(r"[-_+]+", segment)
        if word and not _ID_LIKE.fullmatch(word) and not word.isdigit() and word.lower() not in _PAGE_WORDS
    ]
    asked = parse_qs(parts.query)
    words += [value for key in _QUERY_KEYS for value in asked.get(key, ())]
    return " ".join(" ".join(words).split())


# Hugging Face's pages that are no paper's: its Daily Papers lists (a day's, a week's, a month's, trending)
# and a model's, dataset's or Space's page. Pasted, they were searched for as their address's words.
_HUB_SITES = ("huggingface.co", "www.huggingface.co", "hf.co")
_HUB_KINDS = {"datasets": "dataset", "spaces": "Space"}
_REPO_PAGES = frozenset({"tree", "blob", "resolve", "viewer", "discussions", "commits", "files", "settings", "raw"})
# first path words of Hugging Face's own pages, not an owner's (`huggingface.co/blog/…`, `/docs/…`)
_HUB_PAGES = frozenset(
    {"blog", "docs", "learn", "collections", "posts", "organizations", "settings", "join", "login", "pricing"}
    | {"enterprise", "tasks", "chat", "new", "models", "search", "inference-endpoints", "changelog", "notifications"}
)


@dataclass(frozen=True)
class HubPage:
    """A Hugging Face page that is no paper's. `kind`: "day" (a day's Daily Papers; `name` the day as
    written, "" for the latest), "week" or "month" (`name`: `2026-W34`, `2026-08`), "search" (its search of
    papers: `name` the words), "model", "dataset" or "Space" (`name`: `owner/name`, or the oldest's
    `name`), or "page" (any other of its pages)."""

    REPOSITORIES = ("model", "dataset", "Space")

    kind: str
    name: str = ""


def hub_page(url: str) -> HubPage | None:
    """The Hugging Face page a URL is, when it is none of a paper's (`huggingface.co/papers?date=2026-08-20`,
    `huggingface.co/meta-llama/Llama-3-8B`); None for any other URL, a paper's page among them."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.netloc.lower() not in _HUB_SITES:
        return None
    path = [segment for segment in parts.path.split("/") if segment]
    asked = parse_qs(parts.query)
    if path[:1] == ["papers"]:
        searched = asked.get("q", [""])[0].strip()  # Hugging Face's own search of papers
        return HubPage("search", searched) if searched and len(path) == 1 else _papers_page(path[1:], asked)
    kind = _HUB_KINDS.get(path[0], "model") if path else "page"
    named = path[1:] if path and path[0] in _HUB_KINDS else path
    if kind == "page" or not named or (kind == "model" and (len(named) < 2 or named[0].lower() in _HUB_PAGES)):
        return HubPage("page")
    # `datasets/squad` and `datasets/squad/viewer`: a repository of no owner's, as the oldest are
    return HubPage(kind, named[0] if len(named) == 1 or named[1] in _REPO_PAGES else f"{named[0]}/{named[1]}")


def _papers_page(path: list[str], asked: dict[str, list[str]]) -> HubPage | None:
    """The Daily Papers page a path after `papers/` is: `date/2026-08-20`, `week/2026-W34`, `month/2026-08`,
    `trending` or nothing (the latest day; `?date=` its day); None for a paper's (`2406.12345`)."""
    if not path:
        return HubPage("day", asked.get("date", [""])[0])
    if path[0] in ("date", "week", "month") and len(path) == 2:
        return HubPage("day" if path[0] == "date" else path[0], path[1])
    if path == ["trending"]:
        return HubPage("day")
    return None
