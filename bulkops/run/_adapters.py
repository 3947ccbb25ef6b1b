"""Each platform's verbs per kind, behind the executor's `Adapter` protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bulkops._config import Credentials
from bulkops._exceptions import ConfigError
from bulkops.run._execute import Adapter


@dataclass
class Session:
    adapters: dict[str, Adapter]
    client: object

    @property
    def requests_sent(self) -> int:
        return getattr(self.client.stats, "requests_sent", 0)  # type: ignore[attr-defined]

    @property
    def responses_429(self) -> int:
        return getattr(self.client.stats, "responses_429", 0)  # type: ignore[attr-defined]


class SmartyAdsCampaigns:
    def __init__(self, client) -> None:
        self.client = client
        self._by_name: dict[str, list[int]] | None = None

    async def create(self, payload: dict) -> int:
        return (await self.client.create_campaign(payload)).id

    async def update(self, object_id: int, payload: dict) -> None:
        await self.client.update_campaign(object_id, payload)

    async def delete(self, object_id: int) -> None:
        await self.client.delete_campaign(object_id)

    async def find(self, natural_key: str) -> list[int]:
        # Read once per run: reconciliation happens for a handful of rows, the list may be long.
        if self._by_name is None:
            by_name: dict[str, list[int]] = {}
            async for campaign in self.client.iter_campaigns():
                by_name.setdefault(campaign.name, []).append(campaign.id)
            self._by_name = by_name
        return list(self._by_name.get(natural_key, []))


@dataclass(frozen=True)
class Pace:
    """How fast we may go: None keeps the platform's documented limit (corrected by its headers)."""

    limit: int | None = None
    window_s: float = 60.0


DEFAULT_PACE = Pace()


@asynccontextmanager
async def open_session(platform: str, base_url: str, creds: Credentials,
                       pace: Pace = DEFAULT_PACE) -> AsyncIterator[Session]:
    if platform != "smartyads":
        raise ConfigError(f"platform {platform!r} is not supported yet")
    from bulkops._ratelimit import RateLimiter
    from bulkops.smartyads import DEFAULT_RATE_LIMIT, SmartyAdsClient

    limiter = RateLimiter(pace.limit or DEFAULT_RATE_LIMIT, pace.window_s)
    async with SmartyAdsClient(base_url, creds["email"], creds["password"], limiter=limiter) as client:
        await client.login()
        yield Session(adapters={"campaigns": SmartyAdsCampaigns(client)}, client=client)
