"""Acronyms of the field and what they stand for: a query for one finds papers that use the other."""

from __future__ import annotations

ACRONYMS: dict[str, str] = {
    "rl": "reinforcement learning",
    "rlhf": "reinforcement learning from human feedback",
    "llm": "large language model",
    "mllm": "multimodal large language model",
    "vlm": "vision language model",
    "vla": "vision language action",
    "moe": "mixture of experts",
    "rag": "retrieval augmented generation",
    "sft": "supervised fine tuning",
    "dpo": "direct preference optimization",
    "grpo": "group relative policy optimization",
    "ppo": "proximal policy optimization",
    "kv": "key value",
    "cot": "chain of thought",
    "vit": "vision transformer",
    "gan": "generative adversarial network",
    "vae": "variational autoencoder",
    "nerf": "neural radiance field",
    "3dgs": "gaussian splatting",
    "lora": "low rank adaptation",
    "asr": "automatic speech recognition",
    "tts": "text to speech",
    "ocr": "optical character recognition",
    "gnn": "graph neural network",
    "nlp": "natural language processing",
    "qa": "question answering",
    "t2i": "text to image",
    "t2v": "text to video",
    "ssm": "state space model",
    "icl": "in context learning",
    "prm": "process reward model",
    "rlvr": "reinforcement learning with verifiable rewards",
}

# Each acronym's spelled-out form as papers write it, its last word singular and plural ("large
# language model", "large language models"), by its first word: what `written` looks for.
_FORMS: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _short, _long in ACRONYMS.items():
    *_first, _last = _long.split()
    for _form in {(*_first, _last), (*_first, _last if _last.endswith("s") else _last + "s")}:
        _FORMS.setdefault(_form[0], []).append((_form, _short))


def written(words: list[str]) -> list[str]:
    """The acronyms whose spelled-out form these words (folded, in order) hold, once for each time:
    the index adds them to the paper's text, so that the acronym's term finds the form as written,
    and not its words anywhere ("SSM" found papers on a state, a space and a model)."""
    found = []
    for i in [i for i, word in enumerate(words) if word in _FORMS]:  # (a form's first word: a few of a text's)
        for form, short in _FORMS[words[i]]:
            if tuple(words[i : i + len(form)]) == form:
                found.append(short)
    return found
