"""The SmartyAds DSP API client: typed, async, rate limited, safe to retry.

Retry rules (why each is safe):
- 429: the platform refused before doing anything, so every method is retried after Retry-After.
- Connection could not be opened: the request never left, so every method is retried.
- Any other transport failure, or 502/503/504: retried for reads, PATCH and DELETE (repeating them
  changes nothing); a POST that creates is not repeated blindly: it raises, and the caller looks the
  object up before creating again.
- 401: one single-flight re-login (however many tasks saw it), then the call once more.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from bulkops._exceptions import ApiError, AuthError, RateLimitedError, RequestInfo, TransportError
from bulkops._ratelimit import RateLimiter, retry_after
from bulkops.smartyads._models import Campaign, Page, Pagination

log = logging.getLogger("bulkops.smartyads")

DEFAULT_RATE_LIMIT = 500  # "X-ratelimit-limit: 500" in the document, per minute
LOGIN_RATE_LIMIT = 10
_RETRYABLE_STATUS = frozenset({502, 503, 504})
_LOGIN_PATH = "/api/users/login"


@dataclass
class RequestStats:
    requests_sent: int = 0
    responses_429: int = 0
    retries: int = 0
    relogins: int = 0
    sent_by_method: Counter = field(default_factory=Counter)


class SmartyAdsClient:
    def __init__(self, base_url: str, email: str, password: str, *,
                 transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None,
                 timeout: float = 30.0, max_retries: int = 6, backoff_base_s: float = 0.5,
                 backoff_cap_s: float = 30.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), transport=transport, timeout=timeout,
                                       headers={"Accept": "application/json"})
        self._email = email
        self._password = password
        self.limiter = limiter or RateLimiter(DEFAULT_RATE_LIMIT, 60.0)
        self.login_limiter = RateLimiter(LOGIN_RATE_LIMIT, 60.0)
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._sleep = sleep
        self._token: str | None = None
        self._generation = 0
        self._login_lock = asyncio.Lock()
        self.stats = RequestStats()

    def __repr__(self) -> str:
        return f"SmartyAdsClient(base_url={str(self._http.base_url)!r})"

    async def __aenter__(self) -> SmartyAdsClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- auth -----------------------------------------------------------------------------------

    async def login(self) -> None:
        body = {"email": self._email, "password": self._password}
        response = await self._send("POST", _LOGIN_PATH, json=body, auth=False, idempotent=True)
        if response.status_code in (401, 403, 422):
            raise AuthError(f"SmartyAds refused the login: {_message_of(response)}")
        data = _json_or_error(response)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not token:
            raise AuthError("SmartyAds answered the login without an access token")
        # expires_in is "60" with no unit; tokens are treated as expiring at any time (401 → re-login).
        self._token = str(token)
        self._generation += 1

    async def logout(self) -> None:
        if self._token:
            await self._call("POST", "/api/logout", json={}, idempotent=True)
            self._token = None

    async def _relogin(self, seen_generation: int) -> None:
        async with self._login_lock:
            if self._generation == seen_generation:  # nobody else has logged in again meanwhile
                if self._token is not None:
                    self.stats.relogins += 1
                await self.login()

    # -- campaigns ------------------------------------------------------------------------------

    async def list_campaigns(self, page: int = 1, per_page: int = 100) -> Page[Campaign]:
        data = await self._call("GET", "/api/campaigns", params={"page": page, "per_page": per_page})
        return Page[Campaign](items=[Campaign.model_validate(c) for c in data.get("data", [])],
                              pagination=Pagination.model_validate(data["meta"]["pagination"]))

    async def iter_campaigns(self, per_page: int = 100) -> AsyncIterator[Campaign]:
        page = 1
        while True:
            current = await self.list_campaigns(page, per_page)
            for campaign in current.items:
                yield campaign
            if page >= current.pagination.total_pages or not current.items:
                return
            page += 1

    async def get_campaign(self, campaign_id: int) -> Campaign:
        return Campaign.model_validate((await self._call("GET", f"/api/campaigns/{campaign_id}"))["data"])

    async def create_campaign(self, payload: Mapping[str, Any]) -> Campaign:
        data = await self._call("POST", "/api/campaigns", json=dict(payload), idempotent=False)
        return Campaign.model_validate(data["data"])

    async def update_campaign(self, campaign_id: int, payload: Mapping[str, Any]) -> Campaign:
        data = await self._call("PATCH", f"/api/campaigns/{campaign_id}", json=dict(payload))
        return Campaign.model_validate(data["data"])

    async def delete_campaign(self, campaign_id: int) -> None:
        await self._call("DELETE", f"/api/campaigns/{campaign_id}")

    # -- transport ------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, *, idempotent: bool = True, **kwargs: Any) -> Any:
        if self._token is None:
            await self._relogin(self._generation)
        generation = self._generation
        response = await self._send(method, path, idempotent=idempotent, **kwargs)
        if response.status_code == 401:
            await self._relogin(generation)
            response = await self._send(method, path, idempotent=idempotent, **kwargs)
            if response.status_code == 401:
                raise AuthError(f"SmartyAds refused the token right after a fresh login: {_message_of(response)}")
        return _json_or_error(response)

    async def _send(self, method: str, path: str, *, idempotent: bool, auth: bool = True,
                    **kwargs: Any) -> httpx.Response:
        limiter = self.limiter if auth else self.login_limiter
        for attempt in range(self.max_retries + 1):
            request = self._http.build_request(method, path, headers=self._auth_headers(auth), **kwargs)
            await limiter.acquire()
            started = time.monotonic()
            self.stats.requests_sent += 1
            self.stats.sent_by_method[method] += 1
            try:
                response = await self._http.send(request)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                limiter.observe(None)
                if attempt == self.max_retries:
                    raise TransportError(f"cannot reach SmartyAds: {_describe(exc)}", request=RequestInfo.of(request),
                                         maybe_sent=False) from None
                await self._backoff(attempt)
                continue
            except httpx.TransportError as exc:
                limiter.observe(None)
                if not idempotent or attempt == self.max_retries:
                    raise TransportError(f"no answer from SmartyAds: {_describe(exc)}",
                                         request=RequestInfo.of(request), maybe_sent=True) from None
                await self._backoff(attempt)
                continue
            limiter.observe(response)
            log.debug("%s %s -> %s in %.3fs", method, path, response.status_code, time.monotonic() - started)
            if response.status_code == 429:
                self.stats.responses_429 += 1
                if attempt == self.max_retries:
                    raise RateLimitedError("SmartyAds kept answering 429 Too Many Requests",
                                           request=RequestInfo.of(request))
                await self._wait_after_429(response, attempt)
                continue
            if response.status_code in _RETRYABLE_STATUS and idempotent and attempt < self.max_retries:
                await self._backoff(attempt)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _auth_headers(self, auth: bool) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if auth and self._token else {}

    async def _wait_after_429(self, response: httpx.Response, attempt: int) -> None:
        self.stats.retries += 1
        delay = retry_after(response)
        if delay is None:
            await self._backoff(attempt, counted=False)
        # Otherwise the limiter already blocks everyone until Retry-After has passed.

    async def _backoff(self, attempt: int, *, counted: bool = True) -> None:
        if counted:
            self.stats.retries += 1
        # Capped exponential backoff with full jitter (spreads retrying clients apart).
        await self._sleep(random.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2**attempt)))


def _describe(exc: Exception) -> str:
    return type(exc).__name__ + (f": {exc}" if str(exc) else "")


def _json_or_error(response: httpx.Response) -> Any:
    if response.is_success:
        try:
            return response.json() if response.content else {}
        except ValueError:
            raise ApiError(f"SmartyAds answered {response.status_code} with a body that is not JSON",
                           status_code=response.status_code, request=RequestInfo.of(response.request)) from None
    body = _safe_json(response)
    field_errors = _field_errors(body)
    message = "; ".join(m for msgs in field_errors.values() for m in msgs) if field_errors else _message_of(response)
    raise ApiError(message, status_code=response.status_code, request=RequestInfo.of(response.request),
                   field_errors=field_errors, body=body)


def _safe_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _field_errors(body: Any) -> dict[str, list[str]]:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return {}
    return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()}


def _message_of(response: httpx.Response) -> str:
    body = _safe_json(response)
    if isinstance(body, dict):
        for key in ("message", "error", "errorMsg"):
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key].strip()
    text = " ".join(response.text.split())
    excerpt = f": {text[:300]}{'…' if len(text) > 300 else ''}" if text else ""
    return f"HTTP {response.status_code} {response.reason_phrase}{excerpt}"
