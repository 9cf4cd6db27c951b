"""`paperboy run` and `paperboy discord-invite`: the bot serving every platform set up, and the link that
adds it to a Discord server."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer

from bot.app.cli import days, running
from bot.app.cli.output import err, out
from bot.domain.errors import UsageError

if TYPE_CHECKING:
    from bot.app.bootstrap import Services


def quiet_libraries() -> None:
    """The libraries' own notices out of `run`'s log: each job added, started, run (APScheduler), each
    request to Hugging Face and arXiv (httpx), the migrations' steps, discord.py's word on voice."""

    for chatty in ("alembic", "apscheduler", "httpx"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    logging.getLogger("discord.client").addFilter(
        lambda record: "voice will NOT be supported" not in record.getMessage()
    )
    logging.getLogger("discord.client").addFilter(_reconnecting)


def _reconnecting(record: logging.LogRecord) -> bool:
    """discord.py's ERROR and traceback at each attempt to reach its gateway again ("Attempting a
    reconnect in 1.95s"), said in one line: what failed, and when it is tried again."""
    said = record.getMessage()
    if said.startswith("Attempting a reconnect in") and record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        record.msg, record.args = (
            "Discord's gateway connection failed (%s: %s); tried again in %s",
            (
                type(error).__name__,
                str(error) or "no detail",
                said.removeprefix("Attempting a reconnect in ").strip(),
            ),
        )
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


def register(app: typer.Typer) -> None:
    @app.command()
    def run() -> None:
        """Run the bot: every chat platform whose credentials are set, until Ctrl-C or SIGTERM."""

        from bot.app.bootstrap import read_config
        from bot.app.settings import load_settings
        from bot.app.wiring import EXIT_DEADLINE_SECONDS, named_workspaces, serve_until_stopped
        from bot.app.workspaces import multi_workspace
        from bot.host.exits import exit_by

        settings = load_settings()
        if multi_workspace(settings) is not None:  # a missing or malformed key stops the start, here
            named_workspaces(read_config(settings), settings.config_path)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        quiet_libraries()

        async def work(services: Services) -> None:
            # the snapshot's notice, or the days a store left behind lacks: run syncs only today and yesterday
            today = days.today()
            notice = await services.catalog.ensure_papers(today, running=True) or await services.catalog.staleness(
                today
            )

            def said(note: str) -> None:  # "paperboy is running…", then the notice: none on a failed start
                err.print(note, markup=False)
                if notice:
                    err.print(notice, style="yellow", markup=False)

            await serve_until_stopped(services, said, out, stopping_process=True, seed=True)

        try:
            running.with_services(work, ensure=False)
        finally:  # stopped or failed: a thread left running holds the exit no longer than the deadline
            exit_by(EXIT_DEADLINE_SECONDS)

    @app.command("discord-invite")
    def discord_invite(
        client_id: Annotated[
            int | None,
            typer.Option(
                "--client-id",
                min=1,
                metavar="ID",
                help="The application id (default: read from DISCORD_TOKEN).",
            ),
        ] = None,
    ) -> None:
        """Print the link that adds the bot to a Discord server, with the scopes and permissions it needs."""
        from adapters.discord.connection import application_id, invite_url, token_fault
        from bot.app.bootstrap import read_config
        from bot.app.settings import load_settings
        from bot.app.wiring import discord_token_of

        if client_id is not None and client_id >= 2**64:
            raise UsageError(
                f"--client-id {client_id}: a Discord application id is a number below 2^64 (up to 20 digits; General "
                "Information → Application ID in the Discord developer portal)"
            )
        settings = load_settings()
        token = None if client_id else discord_token_of(settings, read_config(settings))
        found = client_id or (application_id(token) if token else None)
        if found is None and token:
            # (`Bot …`, a Slack token: said as `run` says them)
            fault = (
                token_fault(token, "DISCORD_TOKEN") or "DISCORD_TOKEN is set, but no application id can be read from it"
            )
            raise UsageError(
                f"{fault.rstrip('.')}; or give --client-id (the application id from the Discord developer portal)"
            )
        if found is None:
            raise UsageError(
                "give --client-id (the application id from the Discord developer portal), or set DISCORD_TOKEN "
                "(or the config file's [discord] token)"
            )
        out.print(invite_url(found), markup=False, soft_wrap=True)
