"""Relevance harness: nDCG@10 and recall@10 of search on a judged query set built from the corpus.

    python -m bench.relevance

Judgements come from Hugging Face's `ai_keywords`: a paper is relevant to a label when one of its
keywords is that label (case, hyphens and a parenthesised acronym aside). Two query sets per label:
the label itself (keyword queries) and a hand-written paraphrase that shares no word with it
(paraphrased queries). Labels alternate between a tuning half and a held-out half; report the
held-out figures. recall@10 is capped: hits in the top 10 over min(10, relevant papers).
Methods side by side: lexical only for now (dense and hybrid arrive with their implementation).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable

from bench.core import CORPUS
from bot.importer import read_file
from bot.models import Paper
from bot.search.lexical import LexicalIndex

PARAPHRASES: dict[str, str] = {
    "speculative decoding": "making llm inference faster with a draft model that proposes tokens",
    "vision-language-action models": "robots that follow instructions",
    "retrieval-augmented generation": "grounding answers in fetched documents",
    "mixture-of-experts": "routing tokens to specialised sub-networks",
    "3d gaussian splatting": "rendering scenes from many small ellipsoids",
    "quantization": "compressing model weights to fewer bits",
    "text-to-image generation": "creating pictures from written prompts",
    "video generation": "synthesizing moving clips",
    "world models": "learned simulators of an environment for planning",
    "gui agents": "bots that click through apps and web pages",
    "code generation": "writing programs automatically from descriptions",
    "hallucination": "making up facts that are not true",
    "catastrophic forgetting": "losing old skills after training on new tasks",
    "knowledge distillation": "teaching a small student network from a big teacher",
    "direct preference optimization": "aligning with pairwise human choices without a reward model",
    "flow matching": "velocity fields that transport noise to data",
    "sparse attention": "looking at only a few tokens to cut compute on long sequences",
    "tool use": "calling external apis and calculators while solving problems",
    "image editing": "changing parts of a photo according to instructions",
    "in-context learning": "picking up a task from demonstrations placed in the prompt",
    "curriculum learning": "ordering training examples from easy to hard",
    "imitation learning": "copying expert demonstrations to train a policy",
    "contrastive learning": "pulling matching pairs together and pushing others apart in embedding space",
    "test-time scaling": "spending more compute at inference to think longer",
    "reward hacking": "policies exploiting flaws in the scoring signal",
    "multi-agent systems": "several llm workers cooperating on one job",
    "self-reflection": "critiquing and revising their own answers",
    "video understanding": "comprehending what happens in clips",
    "diffusion language models": "generating text by iterative denoising instead of left to right",
    "spatial reasoning": "understanding where objects are relative to each other",
    "mathematical reasoning": "solving competition math problems",
    "linear attention": "token mixing whose cost is proportional to sequence length",
}


def normal(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.lower()).replace("-", " ")
    return " ".join(w.rstrip("s") if len(w) > 3 else w for w in text.split())


def judgements(papers: list[Paper]) -> dict[str, set[str]]:
    wanted = {normal(label): label for label in PARAPHRASES}
    relevant: dict[str, set[str]] = defaultdict(set)
    for paper in papers:
        for keyword in paper.ai_keywords:
            label = wanted.get(normal(keyword))
            if label is not None:
                relevant[label].add(paper.arxiv_id)
    return relevant


def ndcg_at_10(ranked: list[str], relevant: set[str]) -> float:
    gain = sum(1 / math.log2(i + 2) for i, arxiv_id in enumerate(ranked[:10]) if arxiv_id in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return gain / ideal if ideal else 0.0


def recall_at_10(ranked: list[str], relevant: set[str]) -> float:
    return sum(1 for arxiv_id in ranked[:10] if arxiv_id in relevant) / min(10, len(relevant))


def evaluate(
    search: Callable[[str], list[str]], queries: dict[str, str], relevant: dict[str, set[str]]
) -> tuple[float, float]:
    ndcg, recall = [], []
    for label, query in queries.items():
        ranked = search(query)
        ndcg.append(ndcg_at_10(ranked, relevant[label]))
        recall.append(recall_at_10(ranked, relevant[label]))
    return statistics.mean(ndcg), statistics.mean(recall)


def main() -> None:
    papers = list({item.paper.arxiv_id: item.paper for item in read_file(CORPUS)}.values())
    relevant = judgements(papers)
    labels = sorted(label for label in PARAPHRASES if len(relevant[label]) >= 5)
    held_out = labels[1::2]
    index = LexicalIndex(papers)
    methods: dict[str, Callable[[str], list[str]]] = {
        "lexical": lambda q: [h.paper.arxiv_id for h in index.search_now(q, limit=10)],
    }
    print(f"{len(papers):,} papers; {len(labels)} labels with 5+ judged papers ({len(held_out)} held out)")
    columns = ("keyword nDCG@10", "recall@10", "paraphrase nDCG@10", "recall@10")
    print(f"{'method':<10} {'set':<10} " + " ".join(f"{c:>19}" for c in columns))
    for name, search in methods.items():
        for part, chosen in (("held-out", held_out), ("all", labels)):
            keyword = evaluate(search, {label: label for label in chosen}, relevant)
            paraphrase = evaluate(search, {label: PARAPHRASES[label] for label in chosen}, relevant)
            figures = (*keyword, *paraphrase)
            print(f"{name:<10} {part:<10} " + " ".join(f"{f:>19.3f}" for f in figures))


if __name__ == "__main__":
    main()
