"""Sentence embeddings: the model (run in NumPy), what of a paper is embedded, and the step that embeds papers."""
