"""A short message of the bot's own on Slack: news in a paper's thread, the roundup's 'most discussed'."""

from __future__ import annotations

from adapters.slack.render import Block, context, escape, fallback, linkified, mrkdwn
from bot.domain.post import Post

# chat.update's answers for a message a person deleted (or one the bot can no longer edit): leave it be.
GONE = frozenset({"message_not_found", "cant_update_message"})


def note_message(post: Post) -> tuple[str, list[Block]]:
    """The header in bold, then each paragraph, then the line under it (if any) in small print."""
    blocks: list[Block] = [mrkdwn(f"*{escape(post.header)}*")]
    blocks += [mrkdwn(linkified(paragraph)) for paragraph in post.text]  # "Code is out": its link, to click
    if post.subheader:
        blocks.append(context(escape(post.subheader)))
    head = post.header + (f" — {post.subheader}" if post.subheader else "")  # its paper, which the notification names
    said = f"{head}: {' '.join(post.text)}" if post.text else head
    return fallback(said), blocks
