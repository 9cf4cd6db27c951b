"""The same query ranks the same way in every process, under any load, alone or in a batch.

String hashing is salted per process (PYTHONHASHSEED), so anything ranked in a set's or a dict's
iteration order changes from run to run; ties must be broken by something the data decides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.domain.models import Paper
from bot.embedding.model import shared_encoder
from bot.search.hybrid import HybridIndex
from bot.search.lexical import LexicalIndex
from tests.app.test_cli import run_cli
from tests.conftest import child_env

pytestmark = pytest.mark.slow

# Queries that ranked differently between processes before the keyword expansion broke its ties by
# the keyword itself (paraphrases from bench/relevance.py and two labels).
QUERIES = [
    "rendering scenes from many small ellipsoids",
    "teaching a small student network from a big teacher",
    "calling external apis and calculators while solving problems",
    "direct preference optimization",
    "attention mechanism",
    "state space model",
    "3d reconstruction",
]

RANKINGS = """
import asyncio, json, sys
from bot.embedding.model import shared_encoder
from bot.search.hybrid import HybridIndex
from bot.ingest.snapshot import read_snapshot_vectors, snapshot_papers
papers = asyncio.run(snapshot_papers())
vectors = {arxiv_id: stored.vector for arxiv_id, stored in read_snapshot_vectors().items()}
index = HybridIndex(papers, vectors, shared_encoder())
print(json.dumps({q: [h.paper.arxiv_id for h in index.search_now(q, limit=10)] for q in json.loads(sys.argv[1])}))
"""


def test_rankings_are_identical_across_processes() -> None:
    runs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", RANKINGS, json.dumps(QUERIES)], capture_output=True, text=True, env=env, check=True
        )
        runs.append(json.loads(done.stdout))
    assert all(len(ranked) == 10 for ranked in runs[0].values())
    assert runs[0] == runs[1] == runs[2]


def tied(arxiv_id: str, keywords: tuple[str, ...]) -> Paper:
    return Paper(
        arxiv_id=arxiv_id,
        title="Robot policies from language",
        abstract="We study robot policies.",
        ai_keywords=keywords,
        upvotes=5,
        published_at=None,
        listed_on=(date(2026, 6, 1),),
    )


def test_ties_are_broken_by_the_data_not_by_hash_order() -> None:
    # Every paper is the same text: lexical scores tie, and each keyword is shared equally often.
    keywords = ("zeta policies", "alpha policies", "mu policies", "beta policies")
    papers = [tied(f"2606.{i:05d}", keywords) for i in range(1, 7)]
    lexical = LexicalIndex(papers)
    assert [h.paper.arxiv_id for h in lexical.search_now("robot policies")] == [p.arxiv_id for p in papers]
    encoder = shared_encoder()
    vectors = {p.arxiv_id: encoder.encode([p.title])[0] for p in papers}
    hybrid = HybridIndex(papers, vectors, encoder)
    first = dict.fromkeys(range(len(papers)), 1.0)
    assert hybrid._expansions(first) == ["alpha policies", "beta policies", "mu policies"]
    again = [[h.paper.arxiv_id for h in hybrid.search_now("robot policies")] for _ in range(3)]
    assert again[0] == again[1] == again[2]


async def test_a_batch_ranks_as_single_searches_do(tmp_path: Path) -> None:
    """`paperboy search --batch` and one `paperboy search` a query, each its own process (hybrid, offline)."""
    env = {**child_env(), "PAPERBOY_DATA_DIR": str(tmp_path / "data"), "PAPERBOY_OFFLINE": "1"}
    env["PAPERBOY_EMBEDDINGS"] = "1"
    (tmp_path / "queries.txt").write_text("\n".join(QUERIES[:3]) + "\n")
    code, out, err = await run_cli(env, tmp_path, "search", "--batch", str(tmp_path / "queries.txt"))
    assert code == 0, err
    batch = [json.loads(line)["results"] for line in out.splitlines()]
    single = []
    for query in QUERIES[:3]:
        code, out, err = await run_cli(env, tmp_path, "search", query, "--json")
        assert code == 0, err
        single.append([hit["arxiv_id"] for hit in json.loads(out)["results"]])
    assert batch == single and all(batch)


def test_a_keyword_on_too_many_papers_expands_no_query() -> None:
    """A keyword on more than 2 % of the papers (and more than 50 of them) says nothing of a topic: its
    papers, by the prior alone, crowded a rare topic's own out of its answer."""
    generic = [tied(f"2606.{i:05d}", ("generic policies",)) for i in range(1, 61)]
    rare = [tied(f"2607.{i:05d}", ("rare policies",)) for i in range(1, 3)]
    lone = [tied("2608.00001", ("lone policies",))]
    lexical = LexicalIndex([*generic, *rare, *lone])
    assert [lexical.expands(k) for k in ("generic policies", "rare policies", "lone policies")] == [False, True, False]
