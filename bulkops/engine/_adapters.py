"""A run's session with its platform: the logged-in client and the platform's verbs per kind, behind the
executor's `Adapter` protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bulkops._config import Credentials
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.registry import platform_named


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
    """Requests a minute the platform documents (`Platform.rate_limit`)."""
    return platform_named(platform).rate_limit


@asynccontextmanager
async def open_session(platform: str, base_url: str, creds: Credentials, pace: Pace = DEFAULT_PACE,
                       item_cap: int = 1000, approval_timeout_s: float | None = None) -> AsyncIterator[Session]:
    """The platform's client, logged in, paced by one rate limiter for the whole run, with its verbs."""
    from bulkops._ratelimit import RateLimiter  # httpx: loaded when a command connects, not at startup

    chosen = platform_named(platform)
    limiter = RateLimiter(pace.limit or chosen.rate_limit, pace.window_s)
    async with chosen.connection.open_client(base_url, creds, limiter, pace.retry) as client:
        await client.login()
        yield Session(adapters=chosen.verbs(client, item_cap=item_cap, approval_timeout_s=approval_timeout_s),
                      client=client)
