"""Each platform's verbs per kind, behind the executor's `Adapter` protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bulkops._config import Credentials
from bulkops._exceptions import ConfigError


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


DEFAULT_PACE = Pace()


@asynccontextmanager
async def open_session(platform: str, base_url: str, creds: Credentials, pace: Pace = DEFAULT_PACE,
                       item_cap: int = 1000) -> AsyncIterator[Session]:
    if platform != "smartyads":
        raise ConfigError(f"platform {platform!r} is not supported yet")
    from bulkops._ratelimit import RateLimiter
    from bulkops.smartyads import DEFAULT_RATE_LIMIT, SmartyAdsClient

    limiter = RateLimiter(pace.limit or DEFAULT_RATE_LIMIT, pace.window_s)
    async with SmartyAdsClient(base_url, creds["email"], creds["password"], limiter=limiter) as client:
        await client.login()
        from bulkops.run._smartyads import verbs_for

        yield Session(adapters=verbs_for(client, item_cap), client=client)
