"""Each platform's verbs per kind, behind the executor's `Adapter` protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bulkops._config import Credentials
from bulkops._exceptions import ConfigError
from bulkops._retry import DEFAULT_RETRY, RetryPolicy


@dataclass
class Session:
    adapters: dict[str, Any]  # kind (or "media", "assign-…") → the platform's verbs for it
    client: object

    @property
    def requests_sent(self) -> int:
        return getattr(self.client.stats, "requests_sent", 0)  # type: ignore[attr-defined]

    @property
    def responses_429(self) -> int:
        return getattr(self.client.stats, "responses_429", 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Pace:
    """How fast we may go: None keeps the platform's documented limit (corrected by its headers)."""

    limit: int | None = None
    window_s: float = 60.0
    # How the session's client retries, and the run's budget (None: `budget_for` the job's
    # expected requests, fixed once they are counted).
    retry: RetryPolicy = DEFAULT_RETRY


DEFAULT_PACE = Pace()


def documented_limit(platform: str) -> int:
    """Requests a minute the platform documents (IQM 20; SmartyAds 500, its X-ratelimit-limit)."""
    if platform == "iqm":
        from bulkops.platforms.iqm.client import DEFAULT_RATE_LIMIT as IQM_LIMIT

        return IQM_LIMIT
    from bulkops.platforms.smartyads.client import DEFAULT_RATE_LIMIT

    return DEFAULT_RATE_LIMIT


@asynccontextmanager
async def open_session(platform: str, base_url: str, creds: Credentials, pace: Pace = DEFAULT_PACE,
                       item_cap: int = 1000, approval_timeout_s: float | None = None) -> AsyncIterator[Session]:
    if platform == "iqm":
        async with _iqm_session(base_url, creds, pace, approval_timeout_s) as session:
            yield session
        return
    if platform != "smartyads":
        raise ConfigError(f"platform {platform!r} is not supported")
    from bulkops._ratelimit import RateLimiter
    from bulkops.platforms.smartyads.client import SmartyAdsClient

    limiter = RateLimiter(pace.limit or documented_limit("smartyads"), pace.window_s)
    async with SmartyAdsClient(base_url, creds["email"], creds["password"], limiter=limiter,
                               retry=pace.retry) as client:
        await client.login()
        from bulkops.platforms.smartyads._steps import verbs_for

        yield Session(adapters=verbs_for(client, item_cap), client=client)


@asynccontextmanager
async def _iqm_session(base_url: str, creds: Credentials, pace: Pace,
                       approval_timeout_s: float | None) -> AsyncIterator[Session]:
    from bulkops._ratelimit import RateLimiter
    from bulkops.platforms.iqm._verbs import DEFAULT_APPROVAL_TIMEOUT_S, IqmVerbs
    from bulkops.platforms.iqm.client import IQMClient

    limiter = RateLimiter(pace.limit or documented_limit("iqm"), pace.window_s)
    async with IQMClient(base_url, creds["client_id"], creds["client_secret"], creds["email"], creds["password"],
                         creds["host"], limiter=limiter, retry=pace.retry) as client:
        await client.login()
        timeout = DEFAULT_APPROVAL_TIMEOUT_S if approval_timeout_s is None else approval_timeout_s
        yield Session(adapters={"iqm": IqmVerbs(client, approval_timeout_s=timeout)}, client=client)
