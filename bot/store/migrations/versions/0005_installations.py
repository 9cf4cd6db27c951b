"""installations and OAuth states (multi-workspace Slack); every channel's rows keyed by workspace too

The channel tables' primary keys gain the workspace (a channel id is unique only within its Slack
workspace): subscriptions and digests had the column already; digest_papers and threads get it,
filled from their digest (or the channel's subscription), "" where it was never known. No row is lost.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

_KEYS = {
    "subscriptions": ["platform", "channel"],
    "digests": ["platform", "channel", "day"],
    "digest_papers": ["platform", "channel", "arxiv_id"],
    "threads": ["platform", "channel", "thread_ref"],
}

_FILL = {
    "digest_papers": (
        "UPDATE digest_papers SET workspace = COALESCE((SELECT d.workspace FROM digests d"
        " WHERE d.platform = digest_papers.platform AND d.channel = digest_papers.channel"
        " AND d.day = digest_papers.day), '')"
    ),
    "threads": (
        "UPDATE threads SET workspace = COALESCE("
        "(SELECT MIN(p.workspace) FROM digest_papers p WHERE p.platform = threads.platform"
        " AND p.channel = threads.channel AND p.thread_ref = threads.thread_ref),"
        " (SELECT MIN(s.workspace) FROM subscriptions s WHERE s.platform = threads.platform"
        " AND s.channel = threads.channel), '')"
    ),
}


def _rekey(table: str, keys: list[str]) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(f"pk_{table}", type_="primary")
        batch.create_primary_key(f"pk_{table}", keys)


def upgrade() -> None:
    for table in ("digest_papers", "threads"):  # in this order: threads are filled from digest_papers
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("workspace", sa.String(64), nullable=False, server_default=""))
        op.execute(_FILL[table])
        with op.batch_alter_table(table) as batch:
            batch.alter_column("workspace", server_default=None, existing_type=sa.String(64), existing_nullable=False)
    for table, keys in _KEYS.items():
        _rekey(table, [keys[0], "workspace", *keys[1:]])
    op.create_table(
        "installations",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("enterprise_id", sa.String(64), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", name="pk_installations"),
    )
    op.create_table(
        "oauth_states",
        sa.Column("state", sa.String(128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state", name="pk_oauth_states"),
    )
    op.create_index("ix_oauth_states_expires_at", "oauth_states", ["expires_at"])


def downgrade() -> None:
    """Back to one row per channel id: refused while two workspaces share one (that would lose rows)."""
    op.drop_index("ix_oauth_states_expires_at", table_name="oauth_states")
    op.drop_table("oauth_states")
    op.drop_table("installations")
    for table, keys in _KEYS.items():
        _rekey(table, keys)
    for table in ("digest_papers", "threads"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("workspace")
