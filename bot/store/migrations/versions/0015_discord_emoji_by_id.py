"""a Discord server's own emoji kept by its id: `<a:parrot:111>` and `<:parrot:111>` are `<:emoji:111>`

A removal may come without the animated flag, with the name a moderator gave the emoji since, or with
none (deleted): keyed by its name, it never met its vote, which stayed counted. Votes stored before are
rewritten to the new key; where two rows of one person's emoji on one message meet, the later change is
kept, and the people counts of the papers touched are counted again from the votes. Stop the replicas
running older code before upgrading: they would go on writing votes by the emoji's name.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"

_CUSTOM = re.compile(r"<a?:[^:<>]*:(\d+)>((?: \(super\))?)")
_KEY = ("platform", "workspace", "channel", "arxiv_id", "user_id", "message")
_VOTES = sa.table("votes", *(sa.column(n) for n in (*_KEY, "reaction", "present", "event_at", "put_on_at")))
_REACTORS = sa.table("reactors", *(sa.column(n) for n in (*_KEY[:5], "reactions")))
_ENGAGEMENT = sa.table("engagement", *(sa.column(n) for n in (*_KEY[:4], "reactions")))


def upgrade() -> None:
    """A group of one row is renamed in place (its counts stand); a group of several (one person's emoji
    on one message under two names) is merged into its latest change, and that person's and that paper's
    counts are counted again. Statements go in batches: a store of many votes upgrades in a second."""
    conn = op.get_bind()
    # (locked on PostgreSQL until the upgrade commits: a replica not stopped waits to change one of them)
    custom = sa.select(_VOTES).where(_VOTES.c.platform == "discord", _VOTES.c.reaction.like("<%")).with_for_update()
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in conn.execute(custom).mappings().all():
        if (found := _CUSTOM.fullmatch(str(row["reaction"]))) is not None:
            groups.setdefault((*(row[n] for n in _KEY), f"<:emoji:{found[1]}>{found[2]}"), []).append(row)
    renamed, dropped, kept, touched = [], [], [], set()
    for key, same in groups.items():
        if len(same) == 1 and same[0]["reaction"] != key[-1]:
            renamed.append({**_bound(same[0]), "new": key[-1]})
        elif len(same) > 1:
            latest = max(same, key=lambda row: (row["event_at"], not row["present"]))  # a tie: the removal
            dropped += [_bound(row) for row in same]
            kept.append({**latest, "reaction": key[-1]})
            touched.add(key[:5])
    is_row = [_VOTES.c[n] == sa.bindparam(f"k_{n}") for n in (*_KEY, "reaction")]
    if renamed:
        conn.execute(sa.update(_VOTES).where(*is_row).values(reaction=sa.bindparam("new")), renamed)
    if dropped:
        conn.execute(sa.delete(_VOTES).where(*is_row), dropped)
    if kept:
        conn.execute(sa.insert(_VOTES), kept)
    for person in sorted(touched):  # each person's present reactions on the paper, counted again
        of = dict(zip(_KEY[:5], person, strict=True))
        present = sa.select(sa.func.count()).select_from(_VOTES).where(*_same(_VOTES, of, _KEY[:5]), _VOTES.c.present)
        conn.execute(
            sa.update(_REACTORS).where(*_same(_REACTORS, of, _KEY[:5])).values(reactions=present.scalar_subquery())
        )
    for paper in sorted({key[:4] for key in touched}):  # and the paper's people who reacted
        of = dict(zip(_KEY[:4], paper, strict=True))
        people = (
            sa.select(sa.func.count())
            .select_from(_REACTORS)
            .where(*_same(_REACTORS, of, _KEY[:4]), _REACTORS.c.reactions > 0)
        )
        conn.execute(
            sa.update(_ENGAGEMENT).where(*_same(_ENGAGEMENT, of, _KEY[:4])).values(reactions=people.scalar_subquery())
        )


def _bound(row: Any) -> dict[str, Any]:
    return {f"k_{n}": row[n] for n in (*_KEY, "reaction")}


def _same(table: Any, row: Any, names: tuple[str, ...]) -> list[Any]:
    return [table.c[name] == row[name] for name in names]


def downgrade() -> None:
    pass  # the names are not kept: older code keys a removal by name, so its custom emoji votes would stay on
