"""The SmartyAds DSP API client: typed, async, rate limited, safe to retry.

Retry rules (why each is safe):
- 429: the platform refused before doing anything, so every method is retried after Retry-After
  (or a backoff when it gives none), and every task on the token waits, not only the one refused.
- Connection could not be opened: the request never left, so every method is retried.
- Any other transport failure, or 502/503/504: retried when repeating the call changes nothing:
  reads, updates (PATCH/PUT), deletes and the POSTs that replace a whole list. A call that adds (a
  create, an upload, a PATCH that appends to a list) is not repeated blindly: it raises, and the
  caller looks before doing it again (`TransportError.maybe_sent`, or `ApiError` with the 5xx status).
- 401: one single-flight re-login (however many tasks saw it), then the call once more.

Secrets (password, tokens, the Authorization header) never reach an exception, a log line or a repr:
errors keep only method and URL, and any server text we quote is scrubbed of them.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pydantic

from bulkops._exceptions import (
    ApiError,
    AuthError,
    ConfigError,
    PlatformError,
    RateLimitedError,
    RequestInfo,
    TransportError,
)
from bulkops._ratelimit import RateLimiter, Ticket, retry_after
from bulkops.smartyads._answers import api_error, is_json, json_of, message_of, status_line
from bulkops.smartyads._models import Campaign, Page, Pagination
from bulkops.smartyads._resources import ResourcesMixin

__all__ = ["DEFAULT_RATE_LIMIT", "LOGIN_RATE_LIMIT", "RequestStats", "SmartyAdsClient"]

log = logging.getLogger("bulkops.smartyads")

DEFAULT_RATE_LIMIT = 500  # "X-ratelimit-limit: 500" in the document, per minute
LOGIN_RATE_LIMIT = 10  # "X-ratelimit-limit: 10" on login
_RETRYABLE_STATUS = frozenset({502, 503, 504})
# The request provably never reached the server: no connection was opened (or none was free).
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_LOGIN_PATH = "/api/users/login"
_LOGOUT_PATH = "/api/logout"
_CAMPAIGNS_PATH = "/api/campaigns"
_REDACTED = "[redacted]"
_MIN_SECRET_CHARS = 4  # scrubbing a 1-3 character "secret" out of every message would mangle them

M = TypeVar("M", bound=pydantic.BaseModel)


@dataclass
class RequestStats:
    """What this client has done so far; read it for a run's summary."""

    requests_sent: int = 0  # every HTTP request that went out, logins and retries included
    responses_429: int = 0
    retries: int = 0  # requests sent again after a 429, a 5xx or a transport failure
    relogins: int = 0  # logins because the platform refused a token (not the first, lazy one)
    sent_by_method: Counter[str] = field(default_factory=Counter)


class SmartyAdsClient(ResourcesMixin):
    """`async with SmartyAdsClient(base_url, email, password) as api: await api.get_campaign(8)`.

    Campaigns are here; media, creatives, geo targeting, deals and filter lists come from
    `ResourcesMixin` (`_resources.py`). Logs in lazily on the first call. `limiter` paces every call
    but the login, which has its own limiter (10 a minute, as documented); pass one per token if
    several clients share an account.
    """

    def __init__(self, base_url: str, email: str, password: str, *,
                 transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None,
                 timeout: float = 30.0, max_retries: int = 6, backoff_base_s: float = 0.5,
                 backoff_cap_s: float = 30.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 login_limiter: RateLimiter | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), transport=transport, timeout=timeout,
                                       headers={"Accept": "application/json"})
        self._email = email
        self._password = password
        self.limiter = limiter or RateLimiter(DEFAULT_RATE_LIMIT, 60.0)
        self.login_limiter = login_limiter or RateLimiter(LOGIN_RATE_LIMIT, 60.0)
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self._sleep = sleep
        self._jitter: Callable[[float, float], float] = random.uniform
        self._token: str | None = None
        self._old_tokens: set[str] = set()
        # Bumped on every successful login: a task that saw a 401 under generation g logs in again
        # only if nobody has since g, so twenty tasks refused at once cause one login.
        self._generation = 0
        self._login_lock = asyncio.Lock()
        self._login_failure: tuple[int, str] | None = None  # (generation, message) of a refused login
        self.stats = RequestStats()

    def __repr__(self) -> str:
        return f"SmartyAdsClient(base_url={str(self._http.base_url)!r})"

    async def __aenter__(self) -> SmartyAdsClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- auth -----------------------------------------------------------------------------------

    async def login(self) -> None:
        """Log in now (calls log in by themselves when needed): POST api/users/login."""
        async with self._login_lock:
            self._login_failure = None  # an explicit login tries again even after a refusal
            await self._login_locked()

    async def logout(self) -> None:
        """POST api/logout; forgets the token even if the platform had already expired it."""
        if self._token is None:
            return
        try:
            response, _ = await self._send("POST", _LOGOUT_PATH, json={}, replayable=True)
            if response.status_code != 401:  # 401: the token had expired, which is as good
                self._read(response)
        finally:
            self._forget_token()

    async def _login_locked(self) -> None:
        body = {"email": self._email, "password": self._password}
        response, _ = await self._send("POST", _LOGIN_PATH, json=body, login=True, replayable=True)
        if response.status_code in (401, 403, 422):
            message = self._redact(message_of(response))
            self._login_failure = (self._generation, message)
            raise AuthError(f"SmartyAds refused the login: {message}")
        if not response.is_success:
            # Keep no body: a debug error page may echo the posted form.
            raise api_error(response, self._redact, keep_body=False)
        data = json_of(response)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise AuthError(f"SmartyAds answered the login with {status_line(response)} but no access token")
        # expires_in is "60" with no unit: tokens are treated as expiring at any time (401 → re-login).
        self._forget_token()
        self._token = token.strip()
        self._generation += 1

    async def _ensure_login(self, seen_generation: int, *, refused: bool) -> None:
        """Log in unless another task already did since `seen_generation` (single flight)."""
        async with self._login_lock:
            if self._generation != seen_generation and self._token is not None:
                return
            if self._login_failure is not None and self._login_failure[0] == self._generation:
                # The same credentials were refused a moment ago; asking again only burns the
                # login limit (10 a minute) while every waiting task queues behind it.
                raise AuthError(f"SmartyAds refused the login: {self._login_failure[1]}")
            if refused:
                self.stats.relogins += 1
            await self._login_locked()

    def _forget_token(self) -> None:
        if self._token is not None:
            self._old_tokens.add(self._token)  # still scrubbed from any text that quotes it
        self._token = None

    # -- campaigns ------------------------------------------------------------------------------

    async def list_campaigns(self, page: int = 1, per_page: int = 100) -> Page[Campaign]:
        """One page of GET api/campaigns."""
        return await self._page(_CAMPAIGNS_PATH, Campaign, page, per_page)

    async def iter_campaigns(self, per_page: int = 100) -> AsyncIterator[Campaign]:
        """Every campaign, page after page."""
        page = 1
        while True:
            current = await self.list_campaigns(page, per_page)
            for campaign in current.items:
                yield campaign
            if not current.items or page >= current.pagination.total_pages:
                return
            page += 1

    async def get_campaign(self, campaign_id: int) -> Campaign:
        """GET api/campaigns/{id}."""
        return self._one_of(await self._call("GET", f"{_CAMPAIGNS_PATH}/{int(campaign_id)}"), Campaign)

    async def create_campaign(self, payload: Mapping[str, Any]) -> Campaign:
        """POST api/campaigns. Never repeated blindly: see `TransportError.maybe_sent`."""
        return self._one_of(await self._call("POST", _CAMPAIGNS_PATH, json=dict(payload)), Campaign)

    async def update_campaign(self, campaign_id: int, payload: Mapping[str, Any]) -> Campaign:
        """PATCH api/campaigns/{id} with the fields to change.

        The API requires `name` in every update; when the payload has none, the campaign's current
        name is read first (one GET) so that changing one field does not rename anything.
        """
        body = dict(payload)
        if "name" not in body:
            body["name"] = (await self.get_campaign(campaign_id)).name
        return self._one_of(await self._call("PATCH", f"{_CAMPAIGNS_PATH}/{int(campaign_id)}", json=body), Campaign)

    async def delete_campaign(self, campaign_id: int) -> None:
        """DELETE api/campaigns/{id}. A 404 (already gone) raises ApiError with status_code 404."""
        self._read(await self._call("DELETE", f"{_CAMPAIGNS_PATH}/{int(campaign_id)}"))

    # -- answers --------------------------------------------------------------------------------

    async def _page(self, path: str, model: type[M], page: int, per_page: int) -> Page[M]:
        """One page of a paginated list (`data` and `meta.pagination`) of `model`."""
        response = await self._call("GET", path, params={"page": page, "per_page": per_page})
        body = self._read(response)
        try:
            items = [model.model_validate(item) for item in body["data"]]
            meta = body.get("meta") or {}
            if "pagination" in meta:
                pagination = Pagination.model_validate(meta["pagination"])
            else:  # no pagination: what came is all there is
                pagination = Pagination(total=len(items), count=len(items), per_page=per_page,
                                        current_page=page, total_pages=page)
        except (KeyError, TypeError, AttributeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None
        return Page[model](items=items, pagination=pagination)

    async def _every_page(self, path: str, model: type[M], per_page: int) -> list[M]:
        """Every item of a paginated list, page after page (as `iter_campaigns` reads them)."""
        found: list[M] = []
        page = 1
        while True:
            current = await self._page(path, model, page, per_page)
            found.extend(current.items)
            if not current.items or page >= current.pagination.total_pages:
                return found
            page += 1

    def _one_of(self, response: httpx.Response, model: type[M]) -> M:
        """`data` of a 2xx answer as `model`."""
        body = self._read(response)
        try:
            return model.model_validate(body["data"])
        except (KeyError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    def _many_of(self, response: httpx.Response, model: type[M]) -> list[M]:
        """`data` of a 2xx answer as a list of `model` (answers without pagination)."""
        body = self._read(response)
        try:
            return [model.model_validate(item) for item in body["data"]]
        except (KeyError, TypeError, AttributeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    def _read(self, response: httpx.Response, *, maybe_done: bool | None = None) -> Any:
        """The JSON body of a 2xx answer; ApiError for any other status. `maybe_done`: see `_unusable`."""
        if not response.is_success:
            raise api_error(response, self._redact)
        body = json_of(response)
        if not is_json(body):
            raise self._unusable(response, ValueError("the body is not JSON"), maybe_done=maybe_done)
        return body

    def _unusable(self, response: httpx.Response, why: Exception, *, maybe_done: bool | None = None) -> PlatformError:
        """A 2xx we cannot read. After a POST (or any call that must not be repeated blindly:
        `maybe_done`) the change may well have been made, so the caller must look."""
        reason = _reason(why)
        request = RequestInfo.of(response.request)
        if maybe_done is None:
            maybe_done = response.request.method == "POST"
        if maybe_done:
            what = "created" if response.request.method == "POST" else "done"
            return TransportError(self._redact(f"SmartyAds answered {status_line(response)} but the answer could "
                                               f"not be read ({reason}); it may have been {what}"),
                                  request=request, maybe_sent=True)
        return ApiError(self._redact(f"SmartyAds answered {status_line(response)} with an unexpected body: {reason}"),
                        status_code=response.status_code, request=request)

    def _redact(self, text: str) -> str:
        for secret in (self._password, self._token, *self._old_tokens):
            if secret and len(secret) >= _MIN_SECRET_CHARS:
                text = text.replace(secret, _REDACTED)
        return text

    # -- sending --------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """An authenticated request: logs in first if needed, and once more on a 401."""
        if self._token is None:
            await self._ensure_login(self._generation, refused=False)
        response, generation = await self._send(method, path, **kwargs)
        if response.status_code != 401:
            return response
        await self._ensure_login(generation, refused=True)
        response, _ = await self._send(method, path, **kwargs)
        if response.status_code == 401:
            raise AuthError(f"SmartyAds refused a fresh token: {self._redact(message_of(response))}")
        return response

    async def _send(self, method: str, path: str, *, login: bool = False, replayable: bool | None = None,
                    **kwargs: Any) -> tuple[httpx.Response, int]:
        """Send with pacing and retries; the answer and the token generation it was sent with."""
        limiter = self.login_limiter if login else self.limiter
        if replayable is None:
            replayable = method != "POST"
        attempt = 0
        while True:
            # Built before the wait, so a payload that cannot be sent costs no slot; the token is
            # added after it, so the request carries the newest one.
            request = self._http.build_request(method, path, **kwargs)
            ticket = await limiter.acquire()
            generation = self._generation
            if self._token and not login:
                request.headers["Authorization"] = f"Bearer {self._token}"
            try:
                response = await self._transmit(request, limiter, ticket)
            except _NEVER_SENT as exc:
                if attempt >= self.max_retries:
                    raise TransportError(f"cannot reach SmartyAds: {self._describe(exc)}",
                                         request=RequestInfo.of(request), maybe_sent=False) from None
                await self._backoff(attempt, request, exc)
            except httpx.UnsupportedProtocol:
                raise ConfigError(f"not an http(s) URL: {RequestInfo.of(request).url}") from None
            except httpx.RequestError as exc:
                if not replayable or attempt >= self.max_retries:
                    raise TransportError(f"no answer from SmartyAds: {self._describe(exc)}",
                                         request=RequestInfo.of(request), maybe_sent=True) from None
                await self._backoff(attempt, request, exc)
            else:
                if response.status_code == 429:
                    self._after_429(response, attempt, limiter)
                elif response.status_code in _RETRYABLE_STATUS and replayable and attempt < self.max_retries:
                    await self._backoff(attempt, request, response)
                else:
                    return response, generation
            attempt += 1

    async def _transmit(self, request: httpx.Request, limiter: RateLimiter, ticket: Ticket) -> httpx.Response:
        """One HTTP exchange: counted, logged (no headers, no body) and shown to the limiter."""
        self.stats.requests_sent += 1
        self.stats.sent_by_method[request.method] += 1
        started = time.perf_counter()
        response: httpx.Response | None = None
        try:
            response = await self._http.send(request)
        except Exception as exc:
            log.debug("%s %s -> %s after %.3fs", request.method, request.url.path, type(exc).__name__,
                      time.perf_counter() - started)
            raise
        finally:
            limiter.observe(response, ticket)  # in `finally`: even a cancelled request must end slow start
        log.debug("%s %s -> %s in %.3fs", request.method, request.url.path, response.status_code,
                  time.perf_counter() - started)
        return response

    def _after_429(self, response: httpx.Response, attempt: int, limiter: RateLimiter) -> None:
        self.stats.responses_429 += 1
        if attempt >= self.max_retries:
            raise RateLimitedError(f"SmartyAds kept answering 429 Too Many Requests after {attempt + 1} attempts",
                                   request=RequestInfo.of(response.request))
        delay = retry_after(response)
        if delay is None:
            delay = self._backoff_delay(attempt)
        # The platform's window is the token's, not this task's: everyone waits (in acquire()).
        limiter.block_for(delay)
        self.stats.retries += 1
        log.debug("%s %s -> 429; every request waits %.3fs", response.request.method, response.request.url.path,
                  delay)

    async def _backoff(self, attempt: int, request: httpx.Request, cause: object) -> None:
        delay = self._backoff_delay(attempt)
        self.stats.retries += 1
        what = cause.status_code if isinstance(cause, httpx.Response) else type(cause).__name__
        log.debug("%s %s -> %s; retrying in %.3fs", request.method, request.url.path, what, delay)
        await self._sleep(delay)

    def _backoff_delay(self, attempt: int) -> float:
        # Capped exponential backoff with full jitter: spreads retrying clients apart.
        return self._jitter(0.0, min(self.backoff_cap_s, self.backoff_base_s * 2**attempt))

    def _describe(self, exc: Exception) -> str:
        text = str(exc)
        return self._redact(type(exc).__name__ + (f": {text}" if text else ""))


def _reason(exc: Exception) -> str:
    """A short account of why a body could not be read; pydantic's own text quotes whole inputs."""
    if isinstance(exc, pydantic.ValidationError):
        parts = [f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:3]]
        return "; ".join(parts)
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r} in it"
    if isinstance(exc, (TypeError, AttributeError)):
        return "it does not have the documented shape"
    return str(exc)
