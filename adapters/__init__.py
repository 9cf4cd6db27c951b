"""The surfaces paperboy speaks through: the terminal, Slack and Discord."""
