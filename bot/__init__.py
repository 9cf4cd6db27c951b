"""paperboy: Hugging Face Daily Papers for research teams, in Slack, Discord or the terminal."""

from bot.host.native import preset_native_threads

__version__ = "0.1.0"

# Before NumPy, faiss or tokenizers load: their pools read these variables once, at load time.
preset_native_threads()
