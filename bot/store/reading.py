"""Reading lists: the papers each person saved (a card's Save button, the bookmark reaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.channels import WORKSPACE_USERS
from bot.store.engine import as_utc
from bot.store.locks import hold
from bot.store.tables import saved
from bot.store.upsert import changed, insert_for


@dataclass(frozen=True)
class Person:
    """Someone on a platform: their user id in a workspace (Slack team, Discord guild); an empty
    workspace (`paperboy saved --user slack:U…`) stands for any workspace they are in."""

    platform: str
    workspace: str
    user: str

    @property
    def within(self) -> tuple[str, ...] | None:
        """The workspaces whose saves are this person's list: the one they are in and none (a Discord
        direct message); None for every workspace (none named, or a Discord user id: one person in every
        guild, whose list is one wherever they ask)."""
        return (self.workspace, "") if self.workspace and self.platform in WORKSPACE_USERS else None

    def __str__(self) -> str:  # as the command line takes it: with the workspace where one is named
        return f"{self.platform}:{self.workspace}/{self.user}" if self.workspace else f"{self.platform}:{self.user}"


@dataclass(frozen=True)
class SavedPaper:
    arxiv_id: str
    saved_at: datetime


class ReadingLists:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def save(self, person: Person, arxiv_id: str, now: datetime) -> bool:
        """Put the paper on the person's list; False when it was there already (saved twice is once)."""
        stmt = insert_for(self._engine.dialect.name, saved).on_conflict_do_nothing(
            index_elements=["platform", "workspace", "user_id", "arxiv_id"]
        )
        row = {
            "platform": person.platform,
            "workspace": person.workspace,
            "user_id": person.user,
            "arxiv_id": arxiv_id,
            "saved_at": now.astimezone(UTC),
        }
        async with self._engine.begin() as conn:
            await hold(conn, f"saved {person.platform}:{person.user}")  # the same paper saved from two places at once
            held = await conn.execute(select(saved.c.arxiv_id).where(*_of(person), saved.c.arxiv_id == arxiv_id))
            if held.first() is not None:  # saved in another of their workspaces (a Discord guild, a DM)
                return False
            return await changed(conn, stmt.values(**row))

    async def unsave(self, person: Person, arxiv_id: str) -> bool:
        """Take the paper off the list; False when it was not on it."""
        async with self._engine.begin() as conn:
            return await changed(conn, delete(saved).where(*_of(person), saved.c.arxiv_id == arxiv_id))

    async def saved(self, person: Person) -> list[SavedPaper]:
        """The person's list, most recently saved first: what they saved in the workspace (`Person.within`),
        and what they saved where there is none (a Discord direct message: their own digest's cards),
        which is theirs wherever they ask."""
        first = func.min(saved.c.saved_at)  # one row a paper, if saved in several workspaces
        query = (
            select(saved.c.arxiv_id, first)
            .where(*_of(person))
            .group_by(saved.c.arxiv_id)
            .order_by(first.desc(), saved.c.arxiv_id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [SavedPaper(str(r[0]), as_utc(r[1])) for r in rows]

    async def workspaces_of(self, platform: str, user: str) -> list[str]:
        """The workspaces where a user id has saved papers (a Slack user id is unique only within its
        workspace); "" for what was saved where no workspace was known."""
        query = (
            select(saved.c.workspace)
            .where(saved.c.platform == platform, saved.c.user_id == user)
            .distinct()
            .order_by(saved.c.workspace)
        )
        async with self._engine.connect() as conn:
            return [str(w) for w in (await conn.scalars(query)).all()]

    async def saved_papers(self, platform: str, workspace: str, person: str) -> list[str]:
        """The arXiv ids on the person's list, most recently saved first (the App Home's ReadingList port)."""
        return [paper.arxiv_id for paper in await self.saved(Person(platform, workspace, person))]


def _of(person: Person) -> list[ColumnElement[bool]]:
    """The rows of the person's list (`Person.within`)."""
    found = [saved.c.platform == person.platform, saved.c.user_id == person.user]
    return found if person.within is None else [*found, saved.c.workspace.in_(person.within)]
