"""The store's tables, the one place the schema is written down (migrations follow it)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

papers = Table(
    "papers",
    metadata,
    Column("arxiv_id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("abstract", Text, nullable=False, default=""),
    Column("authors", JSON, nullable=False, default=list),
    Column("published_at", DateTime(timezone=True)),
    Column("upvotes", Integer, nullable=False, default=0),
    Column("num_comments", Integer, nullable=False, default=0),
    Column("organization", Text),
    Column("github_repo", Text),
    Column("github_stars", Integer),
    Column("project_page", Text),
    Column("ai_summary", Text),
    Column("ai_keywords", JSON, nullable=False, default=list),
    Column("thumbnail", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # what changed since a time, read from the index alone (`bot/store/changes.py`); and the newest change
    Index("ix_papers_updated_at", "updated_at", "arxiv_id"),
)

listings = Table(
    "listings",
    metadata,
    Column("day", Date, primary_key=True),
    Column("arxiv_id", String(32), primary_key=True, index=True),
    Column("rank", Integer, nullable=False),
    Column("upvotes", Integer, nullable=False, default=0),
)

# Each day a sync asked Hugging Face for, and when: a day listed here without listings is one Hugging
# Face listed nothing for (a weekend), not one the store never had.
fetched_days = Table(
    "fetched_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Everything kept about a channel is keyed by its workspace too (Slack team, Discord guild; "" where
# unknown, as for the config file's subscriptions in one-workspace mode): one deployment may serve
# several Slack workspaces, and a channel id is unique only within its own.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True, default=""),
    Column("channel", String(64), primary_key=True),
    Column("topics", JSON, nullable=False, default=list),
    Column("time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("days", String(32), nullable=False),
    Column("limit", Integer, nullable=False),
    Column("min_upvotes", Integer, nullable=False, default=0),
    Column("source", String(8), nullable=False),  # "config" or "chat"
    Column("status", Text),  # why delivery stopped (channel_not_found, …); NULL while all is well
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # A personal follow's person (user id); the channel is their direct message with the bot. NULL: a channel's.
    Column("person", String(64), index=True),
    Column("cadence", String(8), nullable=False, default="daily", server_default="daily"),  # or "weekly"
)

digests = Table(
    "digests",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True, default=""),
    Column("channel", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("status", String(16), nullable=False),  # claimed, done, failed, stopped, skipped
    Column("owner", String(64), nullable=False, default=""),  # the process delivering it
    Column("lease_until", DateTime(timezone=True), nullable=False),  # another may take over after this
    Column("header_ref", Text),
    Column("header_intent_at", DateTime(timezone=True)),
    Column("papers", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)

digest_papers = Table(
    "digest_papers",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True, default=""),
    Column("channel", String(64), primary_key=True),
    Column("arxiv_id", String(32), primary_key=True),
    Column("day", Date, nullable=False),
    Column("position", Integer, nullable=False),
    Column("intent_at", DateTime(timezone=True), nullable=False),  # about to post: look before posting again
    Column("message_ref", Text),  # NULL until the platform confirmed the card
    Column("thread_ref", Text),
    Column("sent_at", DateTime(timezone=True)),
    Column("seeded_at", DateTime(timezone=True)),
    # What the card about to be posted shows (NULL on intents from before 0009): a card that a dying
    # process may have posted is followed from these, whatever the paper is like when it is found out.
    Column("upvotes", Integer),
    Column("repo", Text),
)

threads = Table(
    "threads",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True, default=""),
    Column("channel", String(64), primary_key=True),
    Column("thread_ref", String(64), primary_key=True),
    Column("arxiv_id", String(32), nullable=False),
    Column("origin", String(8), nullable=False),  # "digest" or "share"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_threads_thread_ref", "platform", "thread_ref"),  # a Discord thread's paper, by its id alone
    Index("ix_threads_paper", "platform", "channel", "arxiv_id"),  # a paper's first card in a channel
)

events = Table(
    "events",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("event_id", String(128), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("arxiv_id", String(32), primary_key=True),
    Column("model", String(64), nullable=False),
    Column("checksum", String(16), nullable=False),  # of the text embedded: a changed paper is embedded again
    Column("vector", LargeBinary, nullable=False),  # float16, little-endian
)

# A chat platform's installation in one workspace (Slack's OAuth "Add to Slack"): who installed what,
# and the tokens, sealed (bot/store/sealing.py): `sealed` is a Fernet token of the secrets' JSON,
# never a token in the clear. `workspace` is the team id, or the enterprise id of an org-wide install.
installations = Table(
    "installations",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True),
    Column("enterprise_id", String(64), nullable=False, default=""),
    Column("team_id", String(64), nullable=False, default=""),
    Column("is_enterprise_install", Boolean, nullable=False, default=False),
    Column("details", JSON, nullable=False, default=dict),  # ids, names and scopes: nothing secret
    Column("sealed", Text, nullable=False),
    Column("expires_at", DateTime(timezone=True)),  # when the (rotating) bot token expires; NULL: never
    Column("installed_at", DateTime(timezone=True), nullable=False),
)

# The OAuth `state` values handed out by the install page: each is consumed once, before it expires.
oauth_states = Table(
    "oauth_states",
    metadata,
    Column("state", String(128), primary_key=True),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# A living thread: each card as it was posted (what a sync compares with), followed for `follow_days`.
follows = Table(
    "followed_cards",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True, default="", server_default=""),
    Column("channel", String(64), primary_key=True),
    Column("arxiv_id", String(32), primary_key=True),
    Column("message_ref", Text, nullable=False),  # the card
    Column("thread_ref", Text, nullable=False),  # where its notes go
    Column("rank", Integer),  # its place in the digest, shown on the card
    Column("posted_at", DateTime(timezone=True), nullable=False, index=True),
    Column("upvotes", Integer, nullable=False),  # as posted: thresholds crossed since are news
    Column("repo", Text),  # as posted: a repo where there was none is news
    Column("version", Integer),  # arXiv version as posted (NULL: not yet known; the first one seen counts)
    Column("shown", Text, nullable=False),  # the counts the card shows now: refreshed when they differ
    Column("refreshed_at", DateTime(timezone=True)),  # at most one refresh an hour
    Column("gone", Text),  # why it is no longer followed (the card was deleted); NULL while followed
    # followed whether or not its channel is subscribed (`paperboy post` to a channel that had no subscription;
    # a share is too, by its thread's origin)
    Column("regardless", Boolean, nullable=False, default=False, server_default=false()),
)

# One note in a paper's thread per event (code, version:N, upvotes:N): claimed before it is posted.
thread_notes = Table(
    "thread_notes",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True, default="", server_default=""),
    Column("channel", String(64), primary_key=True),
    Column("arxiv_id", String(32), primary_key=True),
    Column("event", String(32), primary_key=True),
    Column("status", String(16), nullable=False),  # claimed, posted, gone
    Column("owner", String(64), nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=False),
    Column("intent_at", DateTime(timezone=True), nullable=False),
    Column("message_ref", Text),
    Column("posted_at", DateTime(timezone=True)),
)

# The newest arXiv version seen of each followed paper (Hugging Face's listings carry none).
paper_versions = Table(
    "paper_versions",
    metadata,
    Column("arxiv_id", String(32), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)


def _in_channel() -> tuple[Column[str], ...]:
    """The leading key of a table about one channel: platform, workspace, channel (fresh columns each
    call, as every table needs its own)."""
    return (
        Column("platform", String(16), primary_key=True),
        Column("workspace", String(64), primary_key=True),
        Column("channel", String(64), primary_key=True),
    )


# -- Community (contract, *Community*): what people did with the papers the bot posted --------------
# Each is keyed by platform, workspace (Slack team, Discord guild) and channel or person, so two
# workspaces never mix; natural keys make a retried or replayed event a no-op.

# Messages the bot posted for a paper other than the card itself (a card is found through `threads`):
# the thread seed, whose id the platform's reaction events name.
paper_messages = Table(
    "paper_messages",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("channel", String(64), primary_key=True),
    Column("message", String(64), primary_key=True),
    Column("workspace", String(64), nullable=False, default=""),
    Column("arxiv_id", String(32), nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False),
)

# One person's reaction (an emoji) on one of the bot's messages for a paper; `present` false is a
# removed one, kept so an older add that arrives late (a retry, out of order) does not bring it back.
votes = Table(
    "votes",
    metadata,
    *_in_channel(),
    Column("arxiv_id", String(32), primary_key=True),
    Column("user_id", String(64), primary_key=True),
    Column("message", String(64), primary_key=True),
    Column("reaction", String(128), primary_key=True),
    Column("present", Boolean, nullable=False),
    Column("event_at", DateTime(timezone=True), nullable=False),  # when the platform says it last changed
    Column("put_on_at", DateTime(timezone=True)),  # since when it is on (none while off): not moved by a repeat
    Index("ix_votes_channel_on", "platform", "channel", "put_on_at"),  # a roundup's "most discussed"
)


def _people(name: str, count: str) -> Table:
    """How many of a person's `count` (present reactions, replies) a paper has in a channel: 0 → 1
    makes them one of its people, 1 → 0 stops it (a row, not a count over the events, so
    concurrent replicas lock one row)."""
    return Table(
        name,
        metadata,
        *_in_channel(),
        Column("arxiv_id", String(32), primary_key=True),
        Column("user_id", String(64), primary_key=True),
        Column(count, Integer, nullable=False),
    )


reactors = _people("reactors", "reactions")

# A person's message in a paper's thread, by its own id (a redelivered event inserts nothing).
replies = Table(
    "replies",
    metadata,
    *_in_channel(),
    Column("message", String(64), primary_key=True),
    Column("arxiv_id", String(32), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("replied_at", DateTime(timezone=True), nullable=False),
    Index("ix_replies_channel_at", "platform", "channel", "replied_at"),
)

repliers = _people("repliers", "replies")

# Per channel and paper: distinct reacting and replying people, kept in the events' transaction, and
# when the paper's first card was posted there: `/papers top` is a range read of the index below.
engagement = Table(
    "engagement",
    metadata,
    *_in_channel(),
    Column("arxiv_id", String(32), primary_key=True),
    Column("reactions", Integer, nullable=False),
    Column("replies", Integer, nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False),
    Index("ix_engagement_channel_posted", "platform", "channel", "posted_at"),
)

# A person's reading list (the Save button, the bookmark reaction).
saved = Table(
    "saved",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("workspace", String(64), primary_key=True),
    Column("user_id", String(64), primary_key=True),
    Column("arxiv_id", String(32), primary_key=True),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Index("ix_saved_person", "platform", "user_id", "saved_at"),
)
