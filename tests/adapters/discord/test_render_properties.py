"""Embeds from arbitrary paper text: always within Discord's limits, and never able to mention anyone."""

from __future__ import annotations

import re

import discord
import pytest
from hypothesis import given

from adapters.discord.render import (
    CONTENT,
    DESCRIPTION,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    MAX_EMBEDS,
    TITLE,
    TOTAL,
    Message,
    card_embed,
    header_message,
    post_message,
    seed_embed,
    thread_name,
)
from bot.domain.post import Card, Post, Section
from tests.strategies import CARDS, FAST, LONG, POSTS

# What Discord turns into a ping: @everyone, @here, <@id>, <@!id>, <@&id> (escape_mentions puts a
# zero-width space after the @). AllowedMentions.none() stops them on the wire as well. And what it shows
# live without a ping: a channel's link, a command's, a timestamp, a server page.
PING = re.compile(r"@(everyone|here)|<@[!&]?\d|<#\d|</[\w-]+(?: [\w-]+)*:\d|<t:-?\d|<id:")


def texts(embed: discord.Embed) -> list[str]:
    found = [embed.title or "", embed.description or "", embed.footer.text or "", embed.author.name or ""]
    return found + [part for f in embed.fields for part in (f.name or "", f.value or "")]


def check_embed(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= TITLE
    assert len(embed.description or "") <= DESCRIPTION
    assert len(embed.fields) <= FIELDS
    for f in embed.fields:
        assert 0 < len(f.name or "") <= FIELD_NAME
        assert 0 < len(f.value or "") <= FIELD_VALUE
    assert len(embed) <= TOTAL
    for url in (embed.url, embed.thumbnail.url):
        assert url is None or url.startswith(("https://", "http://")), url
    for text in texts(embed):
        assert not PING.search(text), text
    embed.to_dict()  # what discord.py sends


def check(message: Message) -> None:
    assert len(message.content) <= CONTENT
    assert not PING.search(message.content), message.content
    assert len(message.embeds) <= MAX_EMBEDS
    assert sum(len(e) for e in message.embeds) <= TOTAL
    for embed in message.embeds:
        check_embed(embed)
    assert len(message.shares) <= len(message.embeds)
    assert all(0 < len(label) <= 80 for _, label in message.shares)
    assert all(label.partition(": ")[2].strip() for _, label in [*message.shares, *message.saves])  # names a paper
    assert message.content or message.embeds  # Discord refuses an empty message


@pytest.mark.slow
@FAST
@given(POSTS)
def test_any_post_renders_within_the_limits_and_pings_nobody(post: Post) -> None:
    for share in (False, True):
        check(post_message(post, share=share))
    check(header_message(post))


@pytest.mark.slow
@FAST
@given(CARDS)
def test_any_card_and_its_thread_render_within_the_limits(card: Card) -> None:
    check_embed(card_embed(card))
    check_embed(seed_embed(card))
    assert 1 <= len(thread_name(card.title)) <= 100


@pytest.mark.slow
@FAST
@given(LONG)
def test_thread_names_fit(title: str) -> None:
    name = thread_name(title)
    assert 1 <= len(name) <= 100
    assert name.strip()


def test_a_papers_text_shows_no_channel_link_command_or_live_time() -> None:
    """`<#id>`, `</papers today:id>` and `<t:0:R>` in a summary showed as a channel's link, a command and a
    running clock (QA s72): inert now, as mentions are."""
    hostile = "See <#1000000000000000020>, run </papers today:1> or </papers sub cmd:12>, since <t:0:R>; <id:customize>"
    card = Card(
        paper_id="2606.00001",
        title=hostile,
        url="https://huggingface.co/papers/2606.00001",
        authors=hostile,
        organization=hostile,
        upvotes=1,
        comments=0,
        summary=hostile,
        links=(),
        thread=(Section("Abstract", hostile), Section("Keywords", hostile)),
    )
    check_embed(card_embed(card))
    check_embed(seed_embed(card))
    assert "<\u200b#1000000000000000020>" in (card_embed(card).description or "")


def test_a_card_of_a_blank_title_names_its_paper_on_its_buttons() -> None:
    """A paper with a blank title: its embed fell back to its id, its buttons read "Share:    " (QA s76)."""
    card = Card("2606.00001", "   ", "https://huggingface.co/papers/2606.00001", "A", None, 1, 0, "", (), ())
    message = post_message(Post(header="paperboy", cards=(card,)), share=True)
    check(message)
    assert (message.shares, message.saves) == (
        [("2606.00001", "Share: 2606.00001")],
        [("2606.00001", "Save: 2606.00001")],
    )
