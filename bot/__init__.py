"""paperboy: Hugging Face Daily Papers for research teams, in Slack, Discord or the terminal."""

__version__ = "0.1.0"
