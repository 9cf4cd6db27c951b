"""a Discord server's own emoji kept by its id: `<a:parrot:111>` and `<:parrot:111>` are `<:emoji:111>`

A removal may come without the animated flag, with the name a moderator gave the emoji since, or with
none (deleted): keyed by its name, it never met its vote, which stayed counted. Votes stored before are
rewritten to the new key; where two rows of one person's emoji on one message meet, the later change is
kept, and the people counts of the papers touched are counted again from the votes.
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
    conn = op.get_bind()
    rows = conn.execute(sa.select(_VOTES).where(_VOTES.c.platform == "discord")).mappings().all()
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        if (found := _CUSTOM.fullmatch(str(row["reaction"]))) is not None:
            key = (*(row[n] for n in _KEY), f"<:emoji:{found[1]}>{found[2]}")
            groups.setdefault(key, []).append(row)
    touched = set()
    for key, same in groups.items():
        if len(same) == 1 and same[0]["reaction"] == key[-1]:
            continue
        kept = max(same, key=lambda row: (row["event_at"], not row["present"]))  # a tie: the removal
        for row in same:
            conn.execute(sa.delete(_VOTES).where(*_same(_VOTES, row, _KEY), _VOTES.c.reaction == row["reaction"]))
        conn.execute(sa.insert(_VOTES).values({**kept, "reaction": key[-1]}))
        touched.add(key[:5])
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


def _same(table: Any, row: Any, names: tuple[str, ...]) -> list[Any]:
    return [table.c[name] == row[name] for name in names]


def downgrade() -> None:
    pass  # the names are not kept: the new key is as good a key to the older code (it matches itself)
