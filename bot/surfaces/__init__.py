"""The native surfaces of the chat platforms: link cards, the subscribe form and suggestions as one types.

Above `chat` in the layers contract (pyproject.toml): a form submits through the chat service's own
command path; below `app`, which builds it. The adapters render what it returns.
"""
