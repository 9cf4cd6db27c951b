"""The errors paperboy raises, each carrying its context as attributes.

    PaperboyError
    ├── UsageError            bad input from a person (a query, an id, a flag); exit status 2
    │   └── InvalidPaperId    text that is no arXiv id or paper URL
    ├── ConfigError           a config file or environment value that cannot be used
    ├── NotFound              a paper no source knows
    ├── SourceError           Hugging Face or arXiv failed: status, url and reason kept
    │   ├── SourceUnavailable the network or the service could not be reached at all
    │   └── SourceDataError   the service answered with something that is not its API shape
    ├── ImportFileError       a file given to `paperboy import` could not be imported
    ├── DayNotStored          a listing day the store does not have (or not yet), so nothing is shown or posted
    ├── StoreError            the database cannot be opened, read or written: the place, the reason, the fix
    ├── SearchIndexError      the search index's folder could not be written; the index kept what it held
    ├── ChannelUnavailable    a chat channel refuses the bot for good (removed, archived, bad token)
    └── DeliveryError         a chat post failed for a reason that may pass (an outage, a long rate limit)
        └── MessageRefused    the platform refused the message as written (too long, a layout it can't read)

Adapters and the CLI turn these into user-facing text in one place each; the core never prints.
"""

from __future__ import annotations

from datetime import date


class PaperboyError(Exception):
    """Base of every error paperboy raises on purpose."""


class UsageError(PaperboyError):
    """A person gave input we cannot act on; the message says what to type instead."""


class InvalidPaperId(UsageError):
    def __init__(self, text: str) -> None:
        self.text = text
        shown = text if len(text) <= 60 else text[:57] + "..."
        super().__init__(
            f"{shown!r} is not an arXiv id or paper URL "
            "(try 2406.12345, astro-ph/0601001 or https://arxiv.org/abs/2406.12345)"
        )


class ConfigError(PaperboyError):
    """A config file or environment value is missing or malformed."""


class NotFound(PaperboyError):
    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(what)


class SourceError(PaperboyError):
    """A call to Hugging Face or arXiv failed after its retries."""

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        status: int | None = None,
        url: str | None = None,
        wait: bool = False,
        said: str | None = None,
    ) -> None:
        self.source = source
        self.reason = reason
        self.status = status
        self.url = url
        self.wait = wait  # the service asked us to come back later (429, or Retry-After on an error)
        where = f" (HTTP {status})" if status is not None else ""
        super().__init__(said or f"{source}{where}: {reason}")  # `said`: the whole line (two sources' failures)


class SourceUnavailable(SourceError):
    """The service could not be reached at all: DNS, refused connection, timeouts."""


class SourceDataError(SourceError):
    """The service answered, but not with a shape we know."""


class ImportFileError(PaperboyError):
    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class DayNotStored(PaperboyError):
    """A listing day the store lacks and could not fetch, or one Hugging Face has not listed yet."""

    def __init__(self, day: date, message: str) -> None:
        self.day = day
        super().__init__(message)


class StoreError(PaperboyError):
    """The store cannot be opened, read or written: a full or read-only disk, a corrupt file, a database
    that does not answer. Says where (a path, or a host without credentials), why, and what to do;
    never the statement or its parameters (paper data), which the database driver's own text carries."""

    def __init__(self, where: str, reason: str, fix: str) -> None:
        self.where = where
        self.reason = reason
        self.fix = fix
        super().__init__(f"{where} {reason}; {fix}")


class UnexpectedStoreError(StoreError):
    """A database error no disk, file or server explains: most likely a fault of ours (a constraint, a
    column). Said in a line where a command ends on it; a long-running process keeps its traceback."""


class SearchIndexError(PaperboyError):
    """A write to the search index failed (a full disk, a folder that cannot be written, tantivy refusing
    its files). The papers are in the store all the same, and the index answers as it did before the
    write: says where, why, and what becomes of the papers it did not take."""

    def __init__(self, folder: str, reason: str, fix: str) -> None:
        self.folder = folder
        self.reason = reason
        self.fix = fix
        super().__init__(f"the search index in {folder} could not be written ({reason}); {fix}")


class ChannelUnavailable(PaperboyError):
    """A channel the bot can no longer post to (removed, archived, no access, bad token): stop, don't retry."""

    def __init__(self, channel: str, reason: str) -> None:
        self.channel = channel
        self.reason = reason
        super().__init__(f"{channel}: {reason}")


class WorkspacePaused(ChannelUnavailable):
    """The workspace took the app away (uninstalled, its token revoked): its channels are paused, not
    gone, and come back when it is installed again."""


class DeliveryError(PaperboyError):
    """A message could not be posted for a reason that may pass (rate limits beyond patience, outages)."""


class MessageRefused(DeliveryError):
    """The platform refused the message itself, as paperboy wrote it (its length, its layout: a fault of
    paperboy's, to report), or a server's moderation did (`automod`: words of the paper's), not the
    channel or the token: the channel keeps its digest, but the same message fails the same way again."""

    def __init__(self, said: str, *, automod: bool = False) -> None:
        super().__init__(said)
        self.automod = automod


class OutputClosed(DeliveryError):
    """The terminal's output closed while paperboy wrote to it (its reader, such as `head`, stopped)."""

    def __init__(self) -> None:
        super().__init__("the output closed before everything was written (its reader stopped reading)")


class PlatformUnreachable(DeliveryError):
    """A chat platform's API could not be reached at all (a refused connection, no answer in time)."""

    def __init__(self, platform: str, where: str, url: str, timed_out: bool, *, broke: bool = False) -> None:
        """`broke`: the connection broke off after the request went (the platform was reached, and may have
        done it: a post is looked for before it is made again)."""
        what = "no answer in time" if timed_out else "the connection failed"
        if broke:
            super().__init__(
                f"{where}: the connection to {platform} at {url} broke off before it answered (it may have taken"
                " the request: a post is looked for before it is made again)"
            )
        else:
            super().__init__(f"{where}: {platform} could not be reached at {url} ({what}); check the network")


class PlatformOffline(PlatformUnreachable):
    """A chat platform not reached since the process started, or refused since (Discord out of reach when
    `run` started, asked again meanwhile): each post to it fails so, to be tried again later."""

    def __init__(self, said: str) -> None:
        DeliveryError.__init__(self, said)
