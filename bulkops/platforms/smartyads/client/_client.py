"""The SmartyAds DSP API client: typed, async, rate limited, safe to retry.

Retry rules are `bulkops._http`'s. Here, repeating a call changes nothing for reads, updates
(PATCH/PUT), deletes and the POSTs that replace a whole list; a call that adds (a create, an upload,
a PATCH that appends to a list) is not replayable. A 401 brings one single-flight re-login (however
many tasks saw it), then the call once more; `HttpCore._authenticated` says when it goes on.

Secrets (password, tokens, the Authorization header) never reach an exception, a log line or a repr:
errors keep only method and URL, and any server text we quote is scrubbed of them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx
import pydantic

from bulkops._exceptions import AuthError
from bulkops._http import HttpCore, RequestStats, lifetime_of
from bulkops._ratelimit import RateLimiter
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.platforms.smartyads.client._answers import api_error, is_json, json_of, message_of, status_line
from bulkops.platforms.smartyads.client._models import Campaign, Page, Pagination
from bulkops.platforms.smartyads.client._resources import ResourcesMixin
from bulkops.platforms.smartyads.client._statistics import STATISTIC_PATH, StatisticPage

__all__ = ["DEFAULT_RATE_LIMIT", "LOGIN_RATE_LIMIT", "RequestStats", "SmartyAdsClient"]

log = logging.getLogger("bulkops.platforms.smartyads.client")

DEFAULT_RATE_LIMIT = 500  # "X-ratelimit-limit: 500" in the document, per minute
LOGIN_RATE_LIMIT = 10  # "X-ratelimit-limit: 10" on login
_LOGIN_PATH = "/api/users/login"
_LOGOUT_PATH = "/api/logout"
_CAMPAIGNS_PATH = "/api/campaigns"

M = TypeVar("M", bound=pydantic.BaseModel)


class SmartyAdsClient(ResourcesMixin, HttpCore):
    """`async with SmartyAdsClient(base_url, email, password) as api: await api.get_campaign(8)`.

    Campaigns are here; media, creatives, geo targeting, deals and filter lists come from
    `ResourcesMixin` (`_resources.py`). Logs in lazily on the first call. `limiter` paces every call
    but the login, which has its own limiter (10 a minute, as documented); pass one per token if
    several clients share an account. `retry` says how often and how long it retries (bulkops._retry).
    `clock` ages tokens (monotonic seconds).
    """

    platform = "SmartyAds"
    _message_of = staticmethod(message_of)

    def __init__(self, base_url: str, email: str, password: str, *,
                 transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None,
                 timeout: float = 30.0, retry: RetryPolicy = DEFAULT_RETRY,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 login_limiter: RateLimiter | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(base_url, log=log, transport=transport, timeout=timeout, retry=retry, sleep=sleep,
                         clock=clock)
        self._email = email
        self._password = password
        self.limiter = limiter or RateLimiter(DEFAULT_RATE_LIMIT, 60.0)
        self.login_limiter = login_limiter or RateLimiter(LOGIN_RATE_LIMIT, 60.0)
        self._login_lock = asyncio.Lock()
        self._login_failure: tuple[int, str] | None = None  # (generation, message) of a refused login

    async def __aenter__(self) -> SmartyAdsClient:
        return self

    def _secrets(self) -> Iterable[str | None]:
        return (self._password, *super()._secrets())

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
        # A 401 may come at any time (a token can be revoked); the lifetime only tells a token that
        # ran out from one refused (`_refused_young`).
        self._take_token(token.strip(), lifetime_of(data.get("expires_in")))

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

    # -- campaigns ------------------------------------------------------------------------------

    async def list_campaigns(self, page: int = 1, per_page: int = 100) -> Page[Campaign]:
        """One page of GET api/campaigns."""
        return await self._page(_CAMPAIGNS_PATH, Campaign, page, per_page)

    async def iter_campaigns(self, per_page: int = 100) -> AsyncIterator[Campaign]:
        """Every campaign, page after page."""
        async for campaign in self._each(_CAMPAIGNS_PATH, Campaign, per_page):
            yield campaign

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

    # -- statistics (3.1, 3.2) ---------------------------------------------------------------------

    async def statistic(self, body: Mapping[str, Any]) -> StatisticPage:
        """One page of POST api/statistic. A read: repeating it changes nothing."""
        response = await self._call("POST", STATISTIC_PATH, json=dict(body), replayable=True)
        answer = self._read(response, maybe_done=False)
        try:
            return StatisticPage.model_validate(answer)
        except pydantic.ValidationError as exc:
            raise self._unusable(response, exc, maybe_done=False) from None

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

    async def _each(self, path: str, model: type[M], per_page: int) -> AsyncIterator[M]:
        """Every item of a paginated list, page after page, until the last page or an empty one."""
        page = 1
        while True:
            current = await self._page(path, model, page, per_page)
            for item in current.items:
                yield item
            if not current.items or page >= current.pagination.total_pages:
                return
            page += 1

    async def _every_page(self, path: str, model: type[M], per_page: int) -> list[M]:
        return [item async for item in self._each(path, model, per_page)]

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

    # -- sending --------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """An authenticated request: logs in first if needed, and again on a 401 (see `_authenticated`)."""
        if self._token is None:
            await self._ensure_login(self._generation, refused=False)
        return await self._authenticated(lambda: self._send(method, path, **kwargs),
                                         functools.partial(self._ensure_login, refused=True))

    async def _send(self, method: str, path: str, *, login: bool = False, replayable: bool | None = None,
                    **kwargs: Any) -> tuple[httpx.Response, int]:
        """Send with pacing and retries; the login has its own limiter and goes without a token."""

        def authorize(request: httpx.Request) -> None:
            if self._token and not login:
                request.headers["Authorization"] = f"Bearer {self._token}"

        return await self._send_paced(method, path, limiter=self.login_limiter if login else self.limiter,
                                      authorize=authorize, replayable=replayable, **kwargs)
