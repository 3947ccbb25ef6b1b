"""A run's session with its platform: the logged-in client and the platform's verbs per kind, behind the
executor's `Adapter` protocol."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
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


class SessionOnDemand:
    """A job's one session, opened (logged in) when first asked for and closed with the job: the
    dictionaries read before validating and the sending after share it, so a job logs in once, and
    a job that needs nothing from the platform not at all. `creds` may be a function, called then."""

    def __init__(self, platform: str, base_url: str, creds: Credentials | Callable[[], Credentials] | None,
                 pace: Pace = DEFAULT_PACE, item_cap: int = 1000, approval_timeout_s: float | None = None) -> None:
        self._opening = (platform, base_url, creds, pace, item_cap, approval_timeout_s)
        self._stack = AsyncExitStack()
        self._session: Session | None = None
        self._lock = asyncio.Lock()

    @property
    def requests_sent(self) -> int:
        """Every request of the session so far, its login included (0: not opened)."""
        return self._session.requests_sent if self._session is not None else 0

    @property
    def responses_429(self) -> int:
        return self._session.responses_429 if self._session is not None else 0

    async def get(self) -> Session:
        async with self._lock:
            if self._session is None:
                platform, base_url, creds, pace, item_cap, approval_timeout_s = self._opening
                given = creds() if callable(creds) else creds
                assert given is not None, "a session is opened only for a job given credentials"
                self._session = await self._stack.enter_async_context(
                    open_session(platform, base_url, given, pace, item_cap, approval_timeout_s))
            return self._session

    async def __aenter__(self) -> SessionOnDemand:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._stack.__aexit__(*exc_info)  # type: ignore[arg-type]
