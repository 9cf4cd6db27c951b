"""One retrying GET for every source: timeouts, 429 with Retry-After and 5xx, then a clear error.

Each attempt has a deadline for the whole exchange, answer body included, and a ceiling on the
body's size: the client's own timeouts bound each read, not their sum, so a server sending a byte
every few seconds could otherwise hold a sync for ever.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from bot.domain.errors import SourceDataError, SourceError, SourceUnavailable
from bot.domain.words import counted

Sleep = Callable[[float], Awaitable[None]]

DEADLINE_SECONDS = 60.0  # one request, body included; a day's listing (under 1 MB) takes a second or two
MAX_BYTES = 16 * 2**20  # a day's listing of 100 papers is ~0.7 MB, an arXiv batch of 100 ~0.3 MB


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `attempts` in all, exponential backoff from `backoff` s up to `max_backoff` s."""

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 20.0
    max_retry_after: float = 120.0  # a longer Retry-After fails at once rather than stall a job


@dataclass(frozen=True)
class Limits:
    """What one request may cost: `deadline` seconds in all (connect, wait, body) and `max_bytes` of body.

    With retries, a call takes at most `attempts` × `deadline` plus the waits between attempts.
    """

    deadline: float = DEADLINE_SECONDS
    max_bytes: int = MAX_BYTES


LIMITS = Limits()


@dataclass(frozen=True)
class Reply:
    """An answer read whole, within the deadline and the size ceiling."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class _Retryable(Exception):
    def __init__(self, status: int, url: str, retry_after: float | None) -> None:
        self.status = status
        self.url = url
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


class _Overdue(Exception):
    """An attempt ran past its deadline."""


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None  # `1e400`, `nan`: unreadable
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def get(
    client: httpx.AsyncClient,
    url: str,
    *,
    source: str,
    params: Mapping[str, str | int] | None = None,
    policy: RetryPolicy = RetryPolicy(),
    limits: Limits = LIMITS,
    sleep: Sleep = asyncio.sleep,
) -> Reply:
    """GET `url`, retrying what is worth retrying; other 4xx answers are returned to the caller."""
    backoff = wait_exponential_jitter(multiplier=policy.backoff, max=policy.max_backoff, jitter=policy.backoff)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:  # not sooner than our own pause: a
            return max(exc.retry_after, float(backoff(state)))  # `Retry-After: 0` (or -5) was asked 4 times at once
        return float(backoff(state))

    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait,
        retry=retry_if_exception_type((_Retryable, _Overdue, httpx.TimeoutException, httpx.TransportError)),
        sleep=sleep,
        reraise=True,
    )
    tries = counted(policy.attempts, "attempt")
    try:
        return await _tried(client, url, params, retrying, source=source, policy=policy, limits=limits)
    except _Retryable as exc:
        what = "rate limited" if exc.status == 429 else "server error"  # the status is said beside the source
        said = f"{what} after {tries}; try again later"
        later = exc.status == 429 or exc.retry_after is not None
        raise SourceError(source, said, status=exc.status, url=exc.url, wait=later) from exc
    except _Overdue as exc:
        raise SourceUnavailable(
            source,
            f"no complete answer from {_origin(url)} within {limits.deadline:g} s (the deadline for one request)"
            f" in {tries}: try again later; {_fix(source)}",
            url=url,
        ) from exc
    except httpx.TimeoutException as exc:
        said = f"{_origin(url)} did not answer in time, in {tries}: try again later; {_fix(source)}"
        raise SourceUnavailable(source, said, url=url) from exc
    except (httpx.ConnectError, httpx.ProxyError, httpx.UnsupportedProtocol) as exc:
        said = f"cannot connect to {_origin(url)} ({_why(exc)}): {_fix(source)}"
        raise SourceUnavailable(source, said, url=url) from exc
    except httpx.TransportError as exc:
        raise SourceUnavailable(
            source, f"the connection to {_origin(url)} broke off ({_why(exc)}); try again later", url=url
        ) from exc
    except httpx.TooManyRedirects as exc:
        raise SourceError(source, "the answer redirects in a loop (more than 20 redirects)", url=url) from exc
    except httpx.DecodingError as exc:  # only this answer is unreadable: the next day's may be fine
        raise SourceDataError(source, "the answer says it is compressed but cannot be decompressed", url=url) from exc
    except httpx.HTTPError as exc:  # any other failure of the request itself, in our words
        raise SourceError(source, f"the request failed ({type(exc).__name__}: {exc or 'no detail'})", url=url) from exc


async def _tried(
    client: httpx.AsyncClient,
    url: str,
    params: Mapping[str, str | int] | None,
    retrying: AsyncRetrying,
    *,
    source: str,
    policy: RetryPolicy,
    limits: Limits,
) -> Reply:
    """The answer of the first attempt that gets one, each within the deadline; the last failure raised."""
    async for attempt in retrying:
        with attempt:
            try:
                async with asyncio.timeout(limits.deadline):
                    return await _attempt(client, url, params, source=source, policy=policy, limits=limits)
            except TimeoutError:
                raise _Overdue from None
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover


async def _attempt(
    client: httpx.AsyncClient,
    url: str,
    params: Mapping[str, str | int] | None,
    *,
    source: str,
    policy: RetryPolicy,
    limits: Limits,
) -> Reply:
    async with client.stream("GET", url, params=params) as response:
        where = str(response.request.url)
        status = response.status_code
        if status == 429 or status >= 500:
            delay = retry_after_seconds(response.headers.get("Retry-After"))
            if delay is not None and delay > policy.max_retry_after:
                what = "rate limited" if status == 429 else "unavailable"
                raise SourceError(
                    source,
                    f"{what}; asked to wait {delay:.0f} s, more than the {policy.max_retry_after:.0f} s we wait: "
                    f"try again in {_about(delay)}",
                    status=status,
                    url=where,
                    wait=True,
                )
            raise _Retryable(status, where, delay)
        too_big = SourceDataError(
            source, f"the answer is larger than {limits.max_bytes:,} bytes, more than we read", status=status, url=where
        )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise too_big
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limits.max_bytes:
                raise too_big
        return Reply(status, response.headers, bytes(body), where)


_SETTINGS = {"Hugging Face": "PAPERBOY_HF_URL", "arXiv": "PAPERBOY_ARXIV_URL"}


def _origin(url: str) -> str:
    """Where a request went, without its path and query: `https://huggingface.co`."""
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode()}" if parsed.host else url


def _why(exc: httpx.TransportError) -> str:
    """A transport failure in our words (the name of httpx's class is no help to anyone)."""
    said = str(exc).lower()
    if "name or service not known" in said or "nodename nor servname" in said or "temporary failure in name" in said:
        return "its name does not resolve"
    if "refused" in said or "all connection attempts failed" in said:
        return "nothing answers there"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http:// or https:// address"
    if isinstance(exc, httpx.ProxyError):
        return "the proxy refused it"
    if "incomplete" in said or "complete message body" in said:
        return "the answer was cut short"
    if "disconnected" in said or isinstance(exc, httpx.RemoteProtocolError):
        return "the server closed the connection without a whole answer"
    if isinstance(exc, httpx.ReadError):
        return "reading the answer failed"
    if isinstance(exc, httpx.WriteError):
        return "sending the request failed"
    return "a network error"


def _fix(source: str) -> str:
    setting = _SETTINGS.get(source)
    where = f" and {setting}" if setting else ""
    return f"check the network{where}, or set PAPERBOY_OFFLINE=1 to work from the store alone"


def _about(seconds: float) -> str:
    """A wait as a person says it: "about 10 minutes", "about 2 hours"."""
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return f"about {minutes} minute{'s' * (minutes != 1)}"
    hours = round(minutes / 60)
    return f"about {hours} hours"
