"""Slack: slack-bolt's AsyncApp over HTTP or Socket Mode, Block Kit rendering, and a paced publisher."""
