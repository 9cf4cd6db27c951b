"""Where papers come from: Hugging Face, arXiv, files and the bundled snapshot."""
