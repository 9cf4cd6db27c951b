"""One retrying GET for every source: timeouts, 429 with Retry-After and 5xx, then a clear error."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from bot.errors import SourceError, SourceUnavailable

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `attempts` in all, exponential backoff from `backoff` s up to `max_backoff` s."""

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 20.0
    max_retry_after: float = 120.0  # a longer Retry-After fails at once rather than stall a job


class _Retryable(Exception):
    def __init__(self, response: httpx.Response, retry_after: float | None) -> None:
        self.response = response
        self.retry_after = retry_after
        super().__init__(f"HTTP {response.status_code}")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: delta seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
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
    sleep: Sleep = asyncio.sleep,
) -> httpx.Response:
    """GET `url`, retrying what is worth retrying; other 4xx answers are returned to the caller."""
    backoff = wait_exponential_jitter(multiplier=policy.backoff, max=policy.max_backoff, jitter=policy.backoff)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return exc.retry_after
        return float(backoff(state))

    retrying = AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait,
        retry=retry_if_exception_type((_Retryable, httpx.TimeoutException, httpx.TransportError)),
        sleep=sleep,
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                response = await client.get(url, params=params)
                if response.status_code == 429 or response.status_code >= 500:
                    delay = retry_after_seconds(response.headers.get("Retry-After"))
                    if delay is not None and delay > policy.max_retry_after:
                        raise SourceError(
                            source,
                            f"rate limited; asked to wait {delay:.0f} s, more than the "
                            f"{policy.max_retry_after:.0f} s we wait",
                            status=response.status_code,
                            url=str(response.request.url),
                        )
                    raise _Retryable(response, delay)
                return response
    except _Retryable as exc:
        status = exc.response.status_code
        what = "rate limited (429)" if status == 429 else "server error"
        raise SourceError(
            source,
            f"{what} after {policy.attempts} attempts",
            status=status,
            url=str(exc.response.request.url),
        ) from exc
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(source, f"timed out after {policy.attempts} attempts", url=url) from exc
    except httpx.TransportError as exc:
        raise SourceUnavailable(
            source, f"cannot connect ({type(exc).__name__}: {exc or 'no detail'})", url=url
        ) from exc
    raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover
