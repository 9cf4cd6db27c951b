"""given-up intents: the cards a digest never posted before it was given up are no longer "sent"

A digest given up (skipped after its window) used to keep the intents of the cards it had not posted
yet; they counted as sent to the channel, so those papers never reached it on a later day, and a later
day's intent for one of them was dropped by the one-paper-per-channel key. `Ledger.give_up` now
deletes them; this removes those that digests given up before left behind.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.execute(
        """
        DELETE FROM digest_papers
        WHERE message_ref IS NULL
          AND EXISTS (
            SELECT 1 FROM digests
            WHERE digests.platform = digest_papers.platform
              AND digests.workspace = digest_papers.workspace
              AND digests.channel = digest_papers.channel
              AND digests.day = digest_papers.day
              AND digests.status = 'skipped'
          )
        """
    )


def downgrade() -> None:
    pass  # the intents removed described posts that never happened: nothing to put back
