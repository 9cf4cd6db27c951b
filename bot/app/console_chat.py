"""`paperboy chat`: the chat commands in the terminal, as `/papers` takes them in Slack or Discord.

Each line is one command (`today`, a topic, `paper 2406.12345`, `subscribe diffusion at 08:00`,
`follow`, `save`, `help`), answered for the channel `console:NAME`: a `subscribe` here is the
subscription whose digests `paperboy run` prints in the terminal. Offline by default, like every
command. Registered on the command line's app by `bot.app.cli`; it imports what it uses inside its
body, so `paperboy --help` loads none of it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.app.bootstrap import Services

PROMPT = "/papers "


def _line(prompt: str) -> str | None:
    """The next line typed (or read from a pipe), None at its end (Ctrl-D)."""
    try:
        return input(prompt)
    except EOFError:
        return None


def register(app: typer.Typer) -> None:
    from bot.app import cli

    @app.command()
    def chat(
        name: Annotated[
            str, typer.Option("--as", metavar="NAME", help="The channel the commands are typed in: console:NAME.")
        ] = "term",
    ) -> None:
        """Type chat commands in the terminal, one a line (today, a topic, paper ID, subscribe, help)."""
        from bot.domain.channels import parse_channel

        channel = parse_channel(f"console:{name}")  # a name it cannot be: a UsageError, said
        typed = sys.stdin.isatty()

        async def work(services: Services) -> None:
            import asyncio

            from adapters.console.render import render_post
            from bot.app.wiring import chat_service, community
            from bot.chat.commands import parse_command
            from bot.chat.replies import replied
            from bot.chat.service import Asker
            from bot.domain.post import Post

            chat = chat_service(services, community(services))
            asker = Asker(channel, "you")
            if typed:
                cli.err.print(f"Commands for {channel}, one a line, as after /papers (`help` lists them); Ctrl-D ends.")
            while (line := await asyncio.to_thread(_line, PROMPT if typed else "")) is not None:
                if not line.strip() and not typed:
                    continue  # a blank line of a piped file asks for nothing
                answer = chat.answer(parse_command(line), asker)
                post = await replied(answer, f"/papers {line!r}", lambda said: Post(header="paperboy", text=(said,)))
                cli.out.print(render_post(post))

        cli._run(work)
