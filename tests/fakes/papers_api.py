"""A fake Hugging Face papers API and arXiv API serving the recorded payloads in tests/fixtures.

One handler, two ways in: as an `httpx.MockTransport` (in-process) or as a real HTTP server on
127.0.0.1 (for the CLI run as a subprocess). Failures are injected per path with `fail`.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DAILY_DIRS = (
    FIXTURES / "hf_daily_papers" / "current_2026-06_to_2026-08",
    FIXTURES / "hf_daily_papers" / "shape_history",
)
ARXIV_DIR = FIXTURES / "arxiv_api"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(value: object, status: int = 200) -> Answer:
    return Answer(status, json.dumps(value).encode(), {"Content-Type": "application/json"})


@dataclass
class FakePapersApi:
    """Serves daily listings by date (with `p`/`limit` paging), papers by id, search, and arXiv id_list."""

    daily: dict[str, list[object]] = field(default_factory=dict)
    arxiv: dict[str, Answer] = field(default_factory=dict)
    failures: dict[str, deque[Answer | Exception]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    @classmethod
    def recorded(cls) -> FakePapersApi:
        fake = cls()
        for folder in DAILY_DIRS:
            for path in folder.glob("20*.json"):
                fake.daily[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        for path in ARXIV_DIR.glob("id_*.json"):
            recorded = json.loads(path.read_text(encoding="utf-8"))
            ids = parse_qs(urlsplit(recorded["url"]).query)["id_list"][0]
            fake.arxiv[ids] = Answer(
                recorded["status_code"], recorded["body"].encode(), {"Content-Type": "application/atom+xml"}
            )
        return fake

    def fail(self, path: str, *answers: Answer | Exception) -> None:
        """The next requests to `path` get these answers (or raise these errors), in order."""
        self.failures.setdefault(path, deque()).extend(answers)

    def answer(self, method: str, url: str) -> Answer | Exception:
        parts = urlsplit(url)
        self.requests.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
        queued = self.failures.get(parts.path)
        if queued:
            return queued.popleft()
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
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
        limit = int(query.get("limit", "50"))
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
            return httpx.Response(answer.status, content=answer.body, headers=answer.headers, request=request)

        return httpx.MockTransport(handle)

    # -- over real HTTP ------------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run on 127.0.0.1 on a free port; yields the base URL."""
        fake = self

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
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
