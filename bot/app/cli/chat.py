"""`paperboy chat`: the chat commands in the terminal, as `/papers` takes them in Slack or Discord.

Each line is one command (`today`, a topic, `paper 2406.12345`, `subscribe diffusion at 08:00`,
`follow`, `save`, `help`), answered for the channel `console:NAME`: a `subscribe` here is the
subscription whose digests `paperboy run` prints in the terminal. Offline by default, like every
command. Registered on the command line's app by `bot.app.cli`; it imports what it uses inside its
body, so `paperboy --help` loads none of it.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import running
from bot.app.cli.output import err, out
from bot.app.cli.piped import Piped

if TYPE_CHECKING:
    from bot.app.bootstrap import Services
    from bot.domain.channels import ChannelRef

PROMPT = "papers> "
_AS_IN_CHAT = re.compile(r"^\s*/papers?\b\s*", re.IGNORECASE)  # `/paper help`, one letter short, too


def _line(prompt: str) -> str | None:
    """The next line typed, None at its end (Ctrl-D)."""
    try:
        return input(prompt)
    except EOFError:
        return None


class Lines:
    """Lines read on a daemon thread of their own, one when asked (`next`): a read blocked on the
    terminal never holds the process when Ctrl-C stops it (a pool's thread would: `asyncio.run` waits
    for its pool's threads)."""

    def __init__(self, prompt: str) -> None:
        self._prompt = prompt
        self._asked = threading.Semaphore(0)
        self._read: asyncio.Queue[str | None] | None = None

    async def next(self) -> str | None:
        """The next line, None at the end of the input."""
        if self._read is None:
            self._read = asyncio.Queue()
            reading = (asyncio.get_running_loop(), self._read)
            threading.Thread(target=self._reading, args=reading, name="paperboy-chat-input", daemon=True).start()
        self._asked.release()  # the prompt comes after the last answer, not before it
        return await self._read.get()

    def _reading(self, loop: asyncio.AbstractEventLoop, read: asyncio.Queue[str | None]) -> None:
        piped = None if sys.stdin.isatty() else Piped()
        while True:
            self._asked.acquire()
            line = _line(self._prompt) if piped is None else piped.line()
            loop.call_soon_threadsafe(read.put_nowait, line)
            if line is None:
                return


async def _filed_not_saved(services: Services, channel: ChannelRef) -> str | None:
    """What to say of a channel the config file lists whose entry `paperboy run` has not saved yet (only `run`
    saves the file's entries): chat said it had no digest and took a `subscribe`, which the next `run`
    replaced, while `paperboy post` used the file's entry. None otherwise."""
    from bot.app.bootstrap import configured

    if not any(entry.channel == channel for entry in configured(services.config)):
        return None
    current = await services.subscriptions.get(channel)
    if current is not None and current.source == "config":
        return None
    return (
        f"{channel} is in the config file ({services.settings.config_path}), whose entries `paperboy run` saves"
        " when it starts: until then this chat shows the channel as the store has it, and `paperboy run` replaces"
        " a subscription made here with the file's."
    )


_NAME_CHARS = 64  # a console channel's name: a label, not a text


def _named(name: str) -> ChannelRef:
    """The console channel `--as NAME` names; a UsageError naming what NAME may hold (it said only that
    `console:NAME` was not PLATFORM:CHANNEL_ID, of a string the person never typed)."""
    from bot.domain.channels import parse_channel
    from bot.domain.errors import UsageError

    if not name or len(name) > _NAME_CHARS or not re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
        shown = repr(name[:40] + ("…" if len(name) > 40 else ""))
        raise UsageError(
            f"--as {shown}: a channel's name is 1 to {_NAME_CHARS} letters a to z (no accents), digits, '-', '_' or"
            " '.', such as --as lab"
        )
    return parse_channel(f"console:{name}")


def register(app: typer.Typer) -> None:

    @app.command()
    def chat(
        name: Annotated[
            str, typer.Option("--as", metavar="NAME", help="The channel the commands are typed in: console:NAME.")
        ] = "term",
    ) -> None:
        """Type chat commands in the terminal, one a line (today, a topic, paper ID, subscribe, help)."""
        channel = _named(name)
        typed = sys.stdin.isatty()

        async def work(services: Services) -> None:
            from adapters.console.render import render_post
            from bot.app.settings import store_explained
            from bot.app.wiring import chat_service, community
            from bot.chat.commands import Ask, Search, parse_command
            from bot.chat.replies import replied
            from bot.chat.service import Asker
            from bot.domain.post import Post

            chat = chat_service(services, community(services))
            asker = Asker(channel, "you")
            explain = store_explained(services.settings)  # here the person is the operator: the store's fault
            if typed:
                err.print(f"Commands for {channel}, one a line (`help` lists them); Ctrl-D ends.")
            if (unsaved := await _filed_not_saved(services, channel)) is not None:
                err.print(f"paperboy: {unsaved}", markup=False)
            lines = Lines(PROMPT if typed else "")
            # Searched by meaning too, as `paperboy search` answers (a running bot answers by words while
            # its vectors load; a one-shot chat's first search did, and ranked unlike the same search
            # after it). Loaded while the first line is typed: under a second on the bundled snapshot.
            filling = asyncio.ensure_future(services.search.filled())
            try:
                while (line := await lines.next()) is not None:
                    if not line.strip() and not typed:
                        continue  # a blank line of a piped file asks for nothing
                    line = _AS_IN_CHAT.sub("", line)  # `/papers today`, as `help` writes it, is `today`
                    command = parse_command(line)
                    if isinstance(command, Search | Ask):
                        await asyncio.wait([filling])  # its failure is the search's to say, in its words
                    answer = chat.answer(command, asker)
                    post = await replied(
                        answer, f"/papers {line!r}", lambda said: Post(header="paperboy", text=(said,)), explain
                    )
                    out.print(render_post(post), crop=False)  # BibTeX's lines whole, to copy
            finally:
                filling.cancel()
                await asyncio.gather(filling, return_exceptions=True)

        running.with_services(work)
