"""A scripted SmartyAds for the client's tests: a plain handler function behind httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bulkops._ratelimit import RateLimiter
from bulkops.platforms.smartyads.client import SmartyAdsClient
from tests._fakes import FakeTime, ScriptedPlatform

EMAIL = "buyer@example.org"
PASSWORD = "hunter2-very-secret"
TOKEN_PREFIX = "eyJ0eXAi.sekrit-token-"


def campaign_json(campaign_id: int, **fields: Any) -> dict[str, Any]:
    return {"id": campaign_id, "userId": 23, "isActive": True, "type": "banner", "name": f"Campaign {campaign_id}",
            "aDomain": "example.com", "OS": [], "OSIsInclude": True, "spentDailyLimit": 200, **fields}


class Platform(ScriptedPlatform):
    """Logins, campaigns CRUD and pagination as documented; `script` overrides answers per route."""

    def __init__(self, campaigns: int = 0) -> None:
        super().__init__()
        self.logins = 0
        self.token: str | None = None
        self.campaigns: dict[int, dict[str, Any]] = {i: campaign_json(i) for i in range(1, campaigns + 1)}
        self.next_id = campaigns + 1
        self.clock: Callable[[], float] | None = None  # when set, `sent_at` records each request's time
        self.sent_at: list[float] = []

    def expire_tokens(self) -> None:
        self.token = "nobody-has-this-one"

    def seen(self, request: httpx.Request) -> None:
        if self.clock is not None:
            self.sent_at.append(self.clock())

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/users/login":
            return self._login(request)
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"message": "Unauthenticated."})
        return self._route(request)

    def _login(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body.get("password") != PASSWORD:
            return httpx.Response(401, json={"message": "These credentials do not match our records."})
        self.logins += 1
        self.token = f"{TOKEN_PREFIX}{self.logins}"
        return httpx.Response(200, headers={"X-ratelimit-limit": "10", "X-ratelimit-remaining": "9"},
                              json={"access_token": self.token, "token_type": "bearer", "expires_in": "60"})

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/logout":
            self.token = None
            return httpx.Response(200, json={"message": "Successfully logged out"})
        if path == "/api/campaigns" and request.method == "GET":
            return self._list(int(request.url.params["page"]), int(request.url.params["per_page"]))
        if path == "/api/campaigns" and request.method == "POST":
            campaign = campaign_json(self.next_id, **json.loads(request.content))
            self.campaigns[self.next_id] = campaign
            self.next_id += 1
            return httpx.Response(200, json={"data": campaign})
        campaign_id = int(path.rsplit("/", 1)[1])
        if campaign_id not in self.campaigns:
            return httpx.Response(404, json={"message": f"No query results for model [Campaign] {campaign_id}"})
        if request.method == "DELETE":
            del self.campaigns[campaign_id]
            return httpx.Response(200, json={})
        if request.method == "PATCH":
            self.campaigns[campaign_id].update(json.loads(request.content))
        return httpx.Response(200, json={"data": self.campaigns[campaign_id]})

    def _list(self, page: int, per_page: int) -> httpx.Response:
        everything = list(self.campaigns.values())
        items = everything[(page - 1) * per_page: page * per_page]
        pages = max(1, -(-len(everything) // per_page))
        return httpx.Response(200, headers={"X-ratelimit-limit": "500", "X-ratelimit-remaining": "499"}, json={
            "data": items, "meta": {"pagination": {"total": len(everything), "count": len(items),
                                                   "per_page": per_page, "current_page": page,
                                                   "total_pages": pages, "links": []}}})


async def instant(_: float) -> None:
    """A sleep that takes no time, not even fake time."""


def make_client(platform: Platform, *, fake: FakeTime | None = None, password: str = PASSWORD,
                limit: int = 10_000, **kwargs: Any) -> SmartyAdsClient:
    fake = fake or FakeTime()
    limiter = kwargs.pop("limiter", None) or RateLimiter(limit, 60.0, clock=fake.clock, sleep=fake.sleep)
    login_limiter = RateLimiter(10, 60.0, clock=fake.clock, sleep=fake.sleep)
    return SmartyAdsClient("http://sandbox.test", EMAIL, password, transport=httpx.MockTransport(platform.handle),
                           limiter=limiter, login_limiter=login_limiter, sleep=kwargs.pop("sleep", fake.sleep),
                           clock=kwargs.pop("clock", fake.clock), **kwargs)


@pytest.fixture
def platform() -> Platform:
    return Platform()


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()
