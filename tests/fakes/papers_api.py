"""A fake Hugging Face papers API and arXiv API serving the recorded payloads in tests/fixtures.

One handler, two ways in: as an `httpx.MockTransport` (in-process) or as a real HTTP server on
127.0.0.1 (for the CLI run as a subprocess, and for the fault-injection suite). Failures are injected
per path, or per path and query (`/api/daily_papers?date=2026-06-02`), with `fail`; an `Answer` can
also trickle its body a byte at a time or break off after some bytes, over either way in.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import threading
from collections import deque
from collections.abc import AsyncIterator, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit
from xml.sax.saxutils import escape

import httpx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DAILY_DIRS = (
    FIXTURES / "hf_daily_papers" / "current_2026-06_to_2026-08",
    FIXTURES / "hf_daily_papers" / "shape_history",
)
ARXIV_DIR = FIXTURES / "arxiv_api"


@dataclass(frozen=True)
class Answer:
    """One HTTP answer. `trickle`: seconds between the body's bytes, sent one at a time. `cut`: send
    only this many bytes of the body, then hang up (its Content-Length still announces all of it)."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0
    cut: int | None = None

    @property
    def sent(self) -> bytes:
        return self.body if self.cut is None else self.body[: self.cut]


def json_answer(value: object, status: int = 200) -> Answer:
    return Answer(status, json.dumps(value).encode(), {"Content-Type": "application/json"})


def atom_entry(arxiv_id: str, title: str, *, published: str = "2024-01-02T03:04:05Z") -> str:
    """One arXiv Atom entry, as the API writes them (the id is an abs URL with the version)."""
    return (
        f"<entry><id>http://arxiv.org/abs/{escape(arxiv_id)}</id><title>{escape(title)}</title>"
        f"<summary>An abstract of {escape(title)}.</summary><published>{escape(published)}</published>"
        "<author><name>Ada Lovelace</name></author></entry>"
    )


def atom_answer(*entries: str) -> Answer:
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<id>https://arxiv.org/api/fake</id>{''.join(entries)}</feed>"
    )
    return Answer(200, body.encode(), {"Content-Type": "application/atom+xml"})


@dataclass
class FakePapersApi:
    """Serves daily listings by date (with `p`/`limit` paging), papers by id, search, and arXiv id_list."""

    daily: dict[str, list[object]] = field(default_factory=dict)
    arxiv: dict[str, Answer] = field(default_factory=dict)
    failures: dict[str, deque[Answer | Exception]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    page_cap: int | None = None  # serve at most this many items a page, whatever `limit` asks

    @classmethod
    def recorded(cls, days: Collection[str] | None = None) -> FakePapersApi:
        """Every recorded payload, or only the listing days in `days` (and every arXiv answer)."""
        fake = cls()
        for folder in DAILY_DIRS:
            for path in folder.glob("20*.json"):
                if days is None or path.stem in days:
                    fake.daily[path.stem] = list(_parsed(path))  # a list of its own; its items are only read
        for path in ARXIV_DIR.glob("id_*.json"):
            recorded = _parsed(path)
            ids = parse_qs(urlsplit(recorded["url"]).query)["id_list"][0]
            fake.arxiv[ids] = Answer(
                recorded["status_code"], recorded["body"].encode(), {"Content-Type": "application/atom+xml"}
            )
        return fake

    def fail(self, path: str, *answers: Answer | Exception) -> None:
        """The next requests to `path` get these answers (or raise these errors), in order.

        `path` may carry a query (`/api/daily_papers?date=2026-06-02`): then only requests with
        those parameters get them.
        """
        self.failures.setdefault(path, deque()).extend(answers)

    def answer(self, method: str, url: str) -> Answer | Exception:
        parts = urlsplit(url)
        self.requests.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        for key, queued in self.failures.items():
            path, _, wanted = key.partition("?")
            if queued and path == parts.path and all(query.get(k) == v for k, v in parse_qsl(wanted)):
                return queued.popleft()
        if parts.path == "/api/daily_papers":
            return self._daily(query)
        if parts.path == "/api/papers/search":
            return self._search(query.get("q", ""))
        if match := re.fullmatch(r"/api/papers/(.+)", parts.path):
            return self._paper(match.group(1))
        if parts.path == "/api/query":
            return self.arxiv.get(query.get("id_list", ""), self._empty_feed())
        return json_answer({"error": "not found"}, 404)

    def _daily(self, query: dict[str, str]) -> Answer:
        items = self.daily.get(query.get("date", ""), [])
        limit = min(int(query.get("limit", "50")), self.page_cap or 1_000_000)
        page = int(query.get("p", "0"))
        return json_answer(items[page * limit : (page + 1) * limit])

    def _items(self) -> Iterator[dict[str, object]]:
        for items in self.daily.values():
            for item in items:
                if isinstance(item, dict):
                    yield item

    def _paper(self, arxiv_id: str) -> Answer:
        for item in self._items():
            paper = item["paper"]
            if isinstance(paper, dict) and paper.get("id") == arxiv_id:
                return json_answer(paper)
        return json_answer({"error": "Paper not found"}, 404)

    def _search(self, q: str) -> Answer:
        words = q.lower().split()
        found = [i for i in self._items() if all(w in str(i.get("title", "")).lower() for w in words)]
        return json_answer(found[:20])

    @staticmethod
    def _empty_feed() -> Answer:
        body = (ARXIV_DIR / "id_0000.0000_s0_m100_8b51d9633a68.json").read_text(encoding="utf-8")
        return Answer(200, json.loads(body)["body"].encode(), {"Content-Type": "application/atom+xml"})

    # -- in-process ----------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            answer = self.answer(request.method, str(request.url))
            if isinstance(answer, Exception):
                raise answer
            if not answer.trickle and answer.cut is None:
                return httpx.Response(answer.status, content=answer.body, headers=answer.headers, request=request)
            headers = {**answer.headers, "Content-Length": str(len(answer.body))}
            return httpx.Response(answer.status, content=_streamed(answer), headers=headers, request=request)

        return httpx.MockTransport(handle)

    # -- over real HTTP ------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run on 127.0.0.1 on a free port; yields the base URL."""
        fake = self
        stopping = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer = fake.answer("GET", self.path)
                if isinstance(answer, Exception):
                    self.close_connection = True  # a dropped connection stands in for a network error
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                try:
                    if not answer.trickle:
                        self.wfile.write(answer.sent)
                    for i in range(len(answer.sent) if answer.trickle else 0):
                        if stopping.wait(answer.trickle):
                            break
                        self.wfile.write(answer.sent[i : i + 1])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on us, as it should with a trickle
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)  # quick to shut down
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            stopping.set()
            server.shutdown()
            server.server_close()
            thread.join()


@functools.cache
def _parsed(path: Path) -> Any:
    """A recorded payload, parsed once a process: 10 MB of JSON, read by a hundred tests."""
    return json.loads(path.read_text(encoding="utf-8"))


async def _streamed(answer: Answer) -> AsyncIterator[bytes]:
    """The body of a trickling or broken-off answer, for the in-process transport."""
    if not answer.trickle:
        yield answer.sent
    for i in range(len(answer.sent) if answer.trickle else 0):
        await asyncio.sleep(answer.trickle)
        yield answer.sent[i : i + 1]
    if answer.cut is not None:
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")
