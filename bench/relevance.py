"""Relevance harness: nDCG@10 and recall@10 of search on a judged query set built from the corpus.

    python -m bench.relevance

Judgements come from Hugging Face's `ai_keywords`: a paper is relevant to a label when one of its
keywords is that label (grade 2; case, hyphens, plurals and a parenthesised acronym aside) or holds
it ("mobile gui agents" for "gui agents", grade 1). Papers without keywords (about a third of the
corpus) cannot be judged and are dropped from every ranking before scoring (a condensed list).
Two query sets per label: the label itself (keyword queries) and a hand-written paraphrase sharing
no word stem with it (paraphrased queries). Labels alternate between a tuning half and a held-out
half; the hybrid's weights were chosen on the tuning half, so report the held-out figures. A third
set (`FRESH`, 32 labels) was written after the tuning was over and never used for it.
recall@10 is capped: relevant papers in the top 10 over min(10, relevant papers).

Caveat: the judgements and the hybrid's keyword expansion both read `ai_keywords`, so the hybrid's
keyword-query gain is partly the judge agreeing with itself; the paraphrase gain is the figure
to trust (the paraphrases were written before tuning and share no stem with the labels).
Methods side by side: lexical (BM25F), dense (MiniLM cosine, exact), hybrid (what /papers runs).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bench.core import CORPUS
from bench.vectors import corpus_vectors
from bot.domain.models import Paper
from bot.embedding.model import shared_encoder
from bot.ingest.importer import read_file
from bot.search.dense import DenseIndex
from bot.search.hybrid import DEPTH, HybridIndex

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
    "chain-of-thought": "writing out intermediate steps before giving the final answer",
    "kv cache": "reusing stored attention states of earlier tokens while decoding",
    "parameter-efficient fine-tuning": "adapting big networks by training only a few extra weights",
    "reward model": "a learned scorer that rates responses for alignment",
    "instruction following": "obeying user requests including constraints on format and length",
    "visual grounding": "locating the image region that a phrase refers to",
    "next-token prediction": "guessing the following word in a sequence as the training objective",
    "sparse autoencoder": "dictionary features extracted from activations for interpretability",
    "scaling law": "how loss falls predictably as compute and parameters grow",
    "continual learning": "acquiring new tasks over time without retraining from scratch",
    "novel view synthesis": "rendering a scene from camera angles missing from the input photos",
    "classifier-free guidance": "steering diffusion sampling by mixing conditional and unconditional predictions",
    "vision transformer": "splitting images into patches processed by self-attention",
    "low-rank adaptation": "training small factorized update matrices instead of all weights",
    "visual question answering": "responding to queries about the contents of a picture",
    "llm-as-a-judge": "using a chatbot to grade the outputs of other systems",
    "embodied ai": "agents with bodies acting in physical or simulated homes",
    "deep research agent": "systems that browse the web for hours to write long reports",
    "synthetic data": "training examples generated by other networks rather than collected from people",
    "policy gradient": "updating a controller in the direction that increases expected return",
    "model merging": "combining the weights of separately finetuned networks into one",
    "pruning": "removing unimportant weights or neurons to shrink a network",
    "tokenization": "splitting raw text into subword units",
    "positional encoding": "telling attention where each token sits in the sequence",
    "video editing": "modifying existing clips according to text prompts",
    "knowledge graph": "entities and their relations stored as triples",
    "self-supervised learning": "pretraining on unlabeled inputs with pretext tasks",
    "interpretability": "understanding what happens inside the neurons and circuits of a network",
    "automatic speech recognition": "transcribing spoken audio into text",
    "3d reconstruction": "recovering the geometry of objects and scenes from images",
    "state space model": "recurrent alternatives to attention such as mamba",
    "safety alignment": "keeping chatbots from producing harmful content",
    "text-to-speech": "turning written sentences into natural sounding voices",
    "summarization": "condensing long documents into short overviews",
}

# Written after the hybrid was tuned and never used to tune it: a third set, for figures a new
# user's queries would see.
FRESH: dict[str, str] = {
    "diffusion transformer": "denoising generators built from attention blocks over image patches",
    "latent space": "the compressed hidden representation a network encodes inputs into",
    "policy optimization": "improving how an agent chooses actions to collect more reward",
    "autoregressive model": "generating one element at a time conditioned on everything before",
    "visual reasoning": "thinking through problems posed in images",
    "large reasoning model": "chatbots that think at length before answering, like o1 or r1",
    "temporal consistency": "frames that stay coherent over time without flicker",
    "foundation model": "huge pretrained networks adapted to many downstream tasks",
    "attention mechanism": "weighting which inputs matter via query key similarity",
    "visual token": "image patches turned into units the language backbone reads",
    "process reward model": "scoring each intermediate step of a solution rather than only the end",
    "agentic reinforcement learning": "training tool-using assistants with trial and error feedback",
    "kl divergence": "a measure of how one probability distribution differs from another",
    "vision encoder": "the image backbone that feeds pictures into a multimodal system",
    "hidden state": "internal activations of a network at each layer",
    "pareto frontier": "the best achievable trade-off between two competing objectives",
    "exploration": "trying unfamiliar actions to discover better strategies",
    "reinforcement learning from human feedback": (
        "aligning chatbots using a scorer fitted to people's preference ratings"
    ),
    "parallel decoding": "producing many output tokens simultaneously instead of one by one",
    "data curation": "selecting and cleaning training examples for quality",
    "inference latency": "how long a network takes to respond when deployed",
    "context window": "how much text a chatbot can read at once",
    "segmentation": "labeling every pixel with the object it belongs to",
    "language modeling": "predicting text from its preceding words",
    "embodied agent": "physical or simulated bodies acting in 3d environments",
    "scientific reasoning": "solving physics, chemistry and biology problems",
    "super resolution": "sharpening low quality pictures to higher detail",
    "calibration": "whether predicted confidence matches actual accuracy",
    "image generation": "producing pictures from scratch with neural networks",
    "question answering": "responding to factual queries with short correct replies",
    "multimodal reasoning": "solving problems that combine pictures and text",
    "denoising": "removing corruption from signals step by step",
}
ALL_LABELS = {**PARAPHRASES, **FRESH}


def normal(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.lower()).replace("-", " ")
    return " ".join(w.rstrip("s") if len(w) > 3 else w for w in text.split())


@dataclass(frozen=True)
class Judgements:
    """Graded relevance per label (2: a keyword is the label; 1: a keyword holds it, as in "mobile gui
    agents" for "gui agents") and the papers that can be judged at all: those with keywords."""

    grades: dict[str, dict[str, int]]
    judged: frozenset[str]


def judgements(papers: list[Paper]) -> Judgements:
    wanted = {normal(label): label for label in ALL_LABELS}
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    judged: set[str] = set()
    for paper in papers:
        if not paper.ai_keywords:
            continue
        judged.add(paper.arxiv_id)
        for keyword in paper.ai_keywords:
            padded = f" {normal(keyword)} "
            for key, label in wanted.items():
                grade = 2 if padded == f" {key} " else 1 if f" {key} " in padded else 0
                if grade > grades[label].get(paper.arxiv_id, 0):
                    grades[label][paper.arxiv_id] = grade
    return Judgements(dict(grades), frozenset(judged))


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    gain = sum((2 ** grades.get(arxiv_id, 0) - 1) / math.log2(i + 2) for i, arxiv_id in enumerate(ranked[:10]))
    best = sorted(grades.values(), reverse=True)[:10]
    ideal = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(best))
    return gain / ideal if ideal else 0.0


def recall_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    return sum(1 for arxiv_id in ranked[:10] if arxiv_id in grades) / min(10, len(grades))


def evaluate(search: Callable[[str], list[str]], queries: dict[str, str], judged: Judgements) -> tuple[float, float]:
    """Mean nDCG@10 and recall@10; unjudged papers (no keywords) are dropped from each ranking first
    (a condensed list), so a method is neither rewarded nor punished for papers nobody labelled."""
    ndcg, recall = [], []
    for label, query in queries.items():
        ranked = [arxiv_id for arxiv_id in search(query) if arxiv_id in judged.judged][:10]
        ndcg.append(ndcg_at_10(ranked, judged.grades[label]))
        recall.append(recall_at_10(ranked, judged.grades[label]))
    return statistics.mean(ndcg), statistics.mean(recall)


def main() -> None:
    papers = list({item.paper.arxiv_id: item.paper for item in read_file(CORPUS)}.values())
    judged = judgements(papers)
    labels = sorted(label for label in PARAPHRASES if len(judged.grades.get(label, {})) >= 5)
    held_out = labels[1::2]
    fresh = sorted(label for label in FRESH if len(judged.grades.get(label, {})) >= 5)
    vectors = corpus_vectors(papers)
    encoder = shared_encoder()
    hybrid = HybridIndex(papers, {p.arxiv_id: v for p, v in zip(papers, vectors, strict=True)}, encoder)
    dense = DenseIndex(np.arange(len(papers)), vectors, len(papers))
    everything = np.ones(len(papers), dtype=bool)

    def dense_only(query: str) -> list[str]:
        positions, _ = dense.top(encoder.encode([query])[0], everything, DEPTH)
        return [papers[int(p)].arxiv_id for p in positions]

    methods: dict[str, Callable[[str], list[str]]] = {
        "lexical": lambda q: [h.paper.arxiv_id for h in hybrid.lexical.search_now(q, limit=DEPTH)],
        "dense": dense_only,
        "hybrid": lambda q: [h.paper.arxiv_id for h in hybrid.search_now(q, limit=DEPTH)],
    }
    print(
        f"{len(papers):,} papers ({len(judged.judged):,} with keywords, judgeable); {len(labels)} labels with "
        f"5+ relevant papers, {len(held_out)} held out (tuning used the other half); "
        f"{len(fresh)} fresh labels written after tuning"
    )
    columns = ("keyword nDCG@10", "recall@10", "paraphrase nDCG@10", "recall@10")
    print(f"{'method':<8} {'set':<9} " + " ".join(f"{c:>19}" for c in columns))
    table: dict[tuple[str, str], tuple[float, ...]] = {}
    for name, search in methods.items():
        for part, chosen in (("held-out", held_out), ("fresh", fresh), ("all", labels)):
            keyword = evaluate(search, {label: label for label in chosen}, judged)
            paraphrase = evaluate(search, {label: ALL_LABELS[label] for label in chosen}, judged)
            table[name, part] = (*keyword, *paraphrase)
            print(f"{name:<8} {part:<9} " + " ".join(f"{f:>19.3f}" for f in table[name, part]))
    for part in ("held-out", "fresh"):
        base, best = table["lexical", part], table["hybrid", part]
        print(
            f"{part}, hybrid over lexical: keyword nDCG@10 {best[0] / base[0] - 1:+.1%}, "
            f"paraphrase nDCG@10 {best[2] / base[2]:.2f}x"
        )


if __name__ == "__main__":
    main()
