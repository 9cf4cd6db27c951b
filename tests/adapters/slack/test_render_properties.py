"""Block Kit from arbitrary paper text: always within Slack's limits, and never able to mention anyone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from slack_sdk.models.blocks import Block

from adapters.slack.render import card_message, header_message, post_message, thread_blocks
from bot.domain.post import Card, Post
from tests.fakes.slack import check_blocks
from tests.strategies import CARDS, FAST, POSTS

# Slack reads `<…>` as a link, a mention (`<@U…>`, `<!here>`, `<!subteam^…>`) or a channel (`<#C…>`).
# The only `<` the bot may send opens a link of its own to an http(s) URL.
CONTROL = re.compile(r"<(?!(?i:https?)://[^\s<>|]+(?:\|[^<>]*)?>)")  # only links: <url|label> or <url>


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def check(text: str, blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= 50
    assert check_blocks(blocks) is None, check_blocks(blocks)
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()  # slack_sdk's own validators: section 3000, header 150, fields, block_id 255
        if block["type"] == "context":
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
    assert 0 < len(text) <= 3000
    for found in [text, *strings(blocks)]:
        assert not CONTROL.search(found), found
    for mrkdwn in _text_objects(blocks):  # parsed as written: no bare word becomes a mention or a link
        assert mrkdwn.get("type") != "mrkdwn" or mrkdwn.get("verbatim") is True, mrkdwn


def _text_objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        found = [value] if value.get("type") in ("mrkdwn", "plain_text") else []
        return found + [t for v in value.values() for t in _text_objects(v)]
    if isinstance(value, list):
        return [t for v in value for t in _text_objects(v)]
    return []


@pytest.mark.slow
@FAST
@given(POSTS)
def test_any_post_renders_within_the_limits_and_pings_nobody(post: Post) -> None:
    for share in (False, True):
        check(*post_message(post, share=share))
    check(*header_message(post))


@pytest.mark.slow
@FAST
@given(CARDS)
def test_any_card_and_its_thread_render_within_the_limits(card: Card) -> None:
    check(*card_message(card, share=True))
    check(*thread_blocks(card))
