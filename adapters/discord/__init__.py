"""Discord: a discord.py client with the `/papers` command group, embeds, threads and forum posts."""
