"""The IQM API client: typed, async, rate limited, safe to retry.

Auth (quick start, and IQM's authentication guide for the refresh):
- login: `POST /api/v3/ua/login`, `Authorization: Basic base64(clientId:clientSecret)`, `X-IAA-HOST`,
  JSON `{"grantType": "password", "email", "password"}`; the answer's `data` holds `access_token`,
  `refresh_token`, `expires_in` (seconds) and `owId`.
- every later call: `Authorization: Bearer <access token>` and `X-IAA-OW-ID: <owId>`.
- refresh: `POST /api/oauth/token` with the refresh token, shortly before `expires_in` runs out and
  once after a 401; one refresh however many tasks need it. A refused refresh falls back to a full
  login. The guide shows no headers for the refresh and spells the grant both `grantType` (its table)
  and `grant_type` (its sample): the client sends the login's Basic and host headers and both spellings.

Lists and reads from IQM's guides (campaign list, creative list and details, time zones): `_lists`.
Creatives of every type (the creative guide's `POST /api/v3/crt/creatives`): `_creatives`. Campaign
updates and the campaign list by ID (the campaign guide): `_campaign_writes`.

Retry rules are `bulkops._http`'s: reads, the login, the refresh and the campaign updates (which set
values) are replayable; the uploads and the campaign create are not. A 401 brings one single-flight
refresh (or login), then the call once more; `HttpCore._authenticated` says when it goes on.

Secrets (client id and secret, email, password, tokens, the Authorization header) never reach an
exception, a log line or a repr: errors keep only method and URL, and any server text we quote is
scrubbed of them.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import mimetypes
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any, TypeVar

import httpx
import pydantic

from bulkops._exceptions import AuthError, ConfigError, InputError
from bulkops._http import HttpCore, RequestStats, lifetime_of
from bulkops._ratelimit import RateLimiter
from bulkops._retry import DEFAULT_RETRY, RetryPolicy
from bulkops.platforms.iqm.client._answers import (
    api_error,
    failure_in,
    is_json,
    json_of,
    message_of,
    payload_of,
    status_line,
)
from bulkops.platforms.iqm.client._campaign_writes import CampaignWrites
from bulkops.platforms.iqm.client._creatives import FILE_LIMITS, IMAGE_EXTENSIONS, CreativeFile, CreativeRoutes
from bulkops.platforms.iqm.client._lists import PAGE_SIZE, ListRoutes
from bulkops.platforms.iqm.client._models import (
    Campaign,
    CampaignCreated,
    CreativeDetails,
    CreativeType,
    UploadedCreatives,
)
from bulkops.platforms.iqm.client._reports import ReportRoutes

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_RATE_LIMIT", "FILE_LIMITS", "PAGE_SIZE", "STATUS_BATCH", "CreativeFile",
           "IQMClient", "RequestStats"]

log = logging.getLogger("bulkops.platforms.iqm.client")

DEFAULT_BASE_URL = "https://app.iqm.com"
DEFAULT_RATE_LIMIT = 20  # "The message rate limit is 20 requests per minute."
# Ids per creative status request. The document gives no cap for `creativeIds`; 200 six-digit ids
# keep the URL near 1.4 kB (far below common 8 kB limits) while a 1,000-creative job needs 5 requests.
STATUS_BATCH = 200
DEFAULT_TOKEN_LIFETIME_S = 24 * 3600.0  # "API access token expiry is 24 hours after generation."
ENV_VARS = {"client_id": "BULKOPS_IQM_CLIENT_ID", "client_secret": "BULKOPS_IQM_CLIENT_SECRET",
            "email": "BULKOPS_IQM_EMAIL", "password": "BULKOPS_IQM_PASSWORD", "host": "BULKOPS_IQM_HOST"}

_LOGIN_PATH = "/api/v3/ua/login"
_REFRESH_PATH = "/api/oauth/token"
_TYPES_PATH = "/api/v3/master/creativeTypes"
_UPLOAD_PATH = "/api/v2/crt/add/image/banner/creative"
_STATUS_PATH = "/api/v2/crt/creatives/details"
_CREATE_CAMPAIGN_PATH = "/api/v2/cmp/campaigns/add"
_CAMPAIGN_PATH = "/api/v2/cmp/campaign"
_FILES_FIELD = "creativeFiles"
_METADATA_FIELD = "creativeImageMetadata"
_REFUSED_LOGIN = frozenset({400, 401, 403, 422})

M = TypeVar("M", bound=pydantic.BaseModel)


class IQMClient(CreativeRoutes, CampaignWrites, ListRoutes, ReportRoutes, HttpCore):
    """`async with IQMClient(base_url, client_id, client_secret, email, password, host) as api: ...`

    Logs in lazily on the first call. `limiter` paces every request, the login and refreshes
    included (IQM documents one limit: 20 a minute); pass one per account if several clients share it.
    `retry` says how often and how long it retries (bulkops._retry). `clock` measures token lifetimes
    (monotonic seconds).
    """

    platform = "IQM"
    _message_of = staticmethod(message_of)

    def __init__(self, base_url: str, client_id: str, client_secret: str, email: str, password: str, host: str,
                 *, transport: httpx.AsyncBaseTransport | None = None, limiter: RateLimiter | None = None,
                 timeout: float = 30.0, retry: RetryPolicy = DEFAULT_RETRY,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic, refresh_margin_s: float = 300.0,
                 status_batch_size: int = STATUS_BATCH) -> None:
        if status_batch_size < 1:
            raise ValueError("status_batch_size must be at least 1")
        super().__init__(base_url, log=log, transport=transport, timeout=timeout, retry=retry, sleep=sleep,
                         clock=clock)
        self._client_id = client_id
        self._client_secret = client_secret
        self._email = email
        self._password = password
        self._host = host
        self._basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode("ascii")
        self.limiter = limiter or RateLimiter(DEFAULT_RATE_LIMIT, 60.0)
        self.refresh_margin_s = refresh_margin_s
        self.status_batch_size = status_batch_size
        self._refresh_token: str | None = None
        self._ow_id: int | None = None
        self._auth_lock = asyncio.Lock()
        self._login_failure: tuple[int, str] | None = None
        self._creative_types: list[CreativeType] | None = None
        self._types_lock = asyncio.Lock()

    @classmethod
    def from_env(cls, base_url: str = DEFAULT_BASE_URL, *, env: Mapping[str, str] | None = None,
                 **kwargs: Any) -> IQMClient:
        """A client with the credentials of `BULKOPS_IQM_CLIENT_ID`, `_CLIENT_SECRET`, `_EMAIL`,
        `_PASSWORD` and `_HOST`; ConfigError naming (only) the variables that are missing."""
        env = os.environ if env is None else env
        values = {key: (env.get(name) or "").strip() for key, name in ENV_VARS.items()}
        missing = [ENV_VARS[key] for key, value in values.items() if not value]
        if missing:
            raise ConfigError(f"IQM credentials missing from the environment: {', '.join(missing)}")
        return cls(base_url, **values, **kwargs)

    async def __aenter__(self) -> IQMClient:
        return self

    @property
    def ow_id(self) -> int | None:
        """The Organization Workspace ID the login gave (None before the first login)."""
        return self._ow_id

    # -- auth -----------------------------------------------------------------------------------

    async def login(self) -> None:
        """Log in now (calls log in by themselves when needed): POST /api/v3/ua/login."""
        async with self._auth_lock:
            self._login_failure = None  # an explicit login tries again even after a refusal
            await self._login_locked()

    async def _login_locked(self) -> None:
        body = {"grantType": "password", "email": self._email, "password": self._password}
        response, _ = await self._send("POST", _LOGIN_PATH, json=body, basic=True, replayable=True)
        answer = json_of(response)
        if response.status_code in _REFUSED_LOGIN or (response.is_success and failure_in(answer)):
            message = self._redact(message_of(response))
            self._login_failure = (self._generation, message)
            raise AuthError(f"IQM refused the login: {message}")
        if not response.is_success:
            raise api_error(response, self._redact, keep_body=False)  # a debug page may echo the form
        self._take_tokens(response, what="login")

    async def _refresh_locked(self) -> bool:
        """Trade the refresh token for a new access token; False when IQM will not."""
        if not self._refresh_token:
            return False
        body = {"grantType": "refresh_token", "grant_type": "refresh_token", "refresh_token": self._refresh_token}
        response, _ = await self._send("POST", _REFRESH_PATH, json=body, basic=True, replayable=True)
        if not response.is_success or failure_in(json_of(response)):
            log.debug("token refresh refused (HTTP %s); logging in again", response.status_code)
            self._forget_refresh_token()
            return False
        try:
            self._take_tokens(response, what="refresh")
        except AuthError:
            self._forget_refresh_token()
            return False
        self.stats.refreshes += 1
        return True

    def _take_tokens(self, response: httpx.Response, *, what: str) -> None:
        body = json_of(response)
        data = body.get("data") if isinstance(body, dict) else None
        data = data if isinstance(data, dict) else {}
        token = data.get("access_token")
        if not isinstance(token, str) or not token.strip():
            raise AuthError(f"IQM answered the {what} with {status_line(response)} but no access token")
        ow_id = data.get("owId", self._ow_id)
        try:
            ow_id = int(ow_id) if ow_id is not None and not isinstance(ow_id, bool) else None
        except (TypeError, ValueError):
            ow_id = None
        if ow_id is None:
            raise AuthError(f"IQM answered the {what} with {status_line(response)} but no owId")
        refresh = data.get("refresh_token")
        if isinstance(refresh, str) and refresh.strip():
            self._forget_refresh_token()
            self._refresh_token = refresh.strip()
        self._ow_id = ow_id
        # A refresh that says nothing of its lifetime keeps the login's.
        lifetime = lifetime_of(data.get("expires_in")) or self._token_lifetime_s or DEFAULT_TOKEN_LIFETIME_S
        self._take_token(token.strip(), lifetime)

    def _expiring(self) -> bool:
        if self._token_taken_at is None or self._token_lifetime_s is None:
            return False
        margin = min(self.refresh_margin_s, self._token_lifetime_s / 2)
        return self._clock() >= self._token_taken_at + self._token_lifetime_s - margin

    async def _ensure_token(self, seen_generation: int, *, refused: bool) -> None:
        """A usable token, by refresh or login, unless another task got one already (single flight).

        `refused`: the platform answered 401 to a request sent under `seen_generation`.
        """
        async with self._auth_lock:
            if self._token is not None:
                if refused and self._generation != seen_generation:
                    return
                if not refused and not self._expiring():
                    return
            if self._login_failure is not None and self._login_failure[0] == self._generation:
                raise AuthError(f"IQM refused the login: {self._login_failure[1]}")
            if await self._refresh_locked():
                return
            if self._token is not None or refused:
                self.stats.relogins += 1
            await self._login_locked()

    def _forget_refresh_token(self) -> None:
        if self._refresh_token is not None:
            self._old_tokens.add(self._refresh_token)
        self._refresh_token = None

    # -- creatives ------------------------------------------------------------------------------

    async def creative_types(self) -> list[CreativeType]:
        """GET /api/v3/master/creativeTypes, asked once per client (concurrent callers share it)."""
        async with self._types_lock:
            if self._creative_types is None:
                response = await self._call("GET", _TYPES_PATH)
                self._creative_types = self._list_of(response, CreativeType)
            return list(self._creative_types)

    async def upload_creatives(self, files: Sequence[CreativeFile],
                               metadata: Mapping[str, Mapping[str, Any]] | None = None) -> UploadedCreatives:
        """POST /api/v2/crt/add/image/banner/creative (the quick start's upload, for images only):
        every file in one multipart request. Other creative types go to `add_creatives`.

        `files` are (file name, content, content type or None); `metadata` maps a file name to its
        creative parameters (`creativeName`, `clickUrl`, `width`, `height`, `pixelUrl`...). As in the
        document's example, each file goes under `creativeFiles` named `<key><extension>`, and
        `creativeImageMetadata` is one JSON object keyed by that `<key>` (a fresh UUID per file) whose
        values carry `originalFileName` (the caller's name) and the parameters; `creativeName`
        defaults to the file name without its extension.

        Checked before anything is sent (InputError): images only (JPG, JPEG, PNG, GIF), names unique,
        metadata only for files sent, the documented size limits. Never repeated blindly: a lost answer raises
        `TransportError(maybe_sent=True)`.
        """
        metadata = dict(metadata or {})
        if not files:
            return UploadedCreatives(ids=[], files=[])
        names = [name for name, _, _ in files]
        problems = [f"{name!r} is sent twice" for name in sorted({n for n in names if names.count(n) > 1})]
        problems += [f"metadata for {name!r}, which is not among the files" for name in metadata if name not in names]
        for name, content, _ in files:
            if PurePath(name).suffix.lower() not in IMAGE_EXTENSIONS:
                problems.append(f"{name!r} is not an image; the image route takes JPG, JPEG, PNG and GIF files "
                                "(other creatives go to add_creatives)")
                continue
            limit = FILE_LIMITS.get(PurePath(name).suffix.lower())
            if limit is not None and len(content) > limit:
                problems.append(f"{name!r} is {len(content):,} bytes; IQM takes at most {limit:,} for "
                                f"{PurePath(name).suffix.lower()} files")
        if problems:
            raise InputError("cannot upload these creatives: " + "; ".join(problems))
        form_files = []
        described: dict[str, dict[str, Any]] = {}
        for name, content, content_type in files:
            key = str(uuid.uuid4())
            suffix = PurePath(name).suffix
            kind = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
            form_files.append((_FILES_FIELD, (key + suffix, content, kind)))
            entry = {"originalFileName": name, **dict(metadata.get(name, {}))}
            entry.setdefault("creativeName", PurePath(name).stem)
            described[key] = entry
        response = await self._call("POST", _UPLOAD_PATH, files=form_files,
                                    data={_METADATA_FIELD: json.dumps(described)})
        inner = self._payload(response)
        try:
            ids = inner["data"]
            ids = [ids] if isinstance(ids, int) else ids
            return UploadedCreatives(ids=ids, message=inner.get("message"), files=names)
        except (KeyError, TypeError, AttributeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    async def creative_statuses(self, creative_ids: Iterable[int]) -> list[CreativeDetails]:
        """GET /api/v2/crt/creatives/details?creativeIds=1,2,3 for every id, `status_batch_size` ids
        per request (duplicates asked once), answers in the order IQM gives them."""
        ids = list(dict.fromkeys(int(i) for i in creative_ids))
        found: list[CreativeDetails] = []
        for start in range(0, len(ids), self.status_batch_size):
            chunk = ids[start:start + self.status_batch_size]
            # Built by hand so the commas go as commas (`creativeIds=1,2,3`), not as %2C.
            path = f"{_STATUS_PATH}?creativeIds={','.join(map(str, chunk))}"
            found.extend(self._list_of(await self._call("GET", path), CreativeDetails))
        return found

    # -- campaigns ------------------------------------------------------------------------------

    async def create_campaign(self, payload: Mapping[str, Any]) -> CampaignCreated:
        """POST /api/v2/cmp/campaigns/add with the campaign as JSON; the new id, message and status.
        Never repeated blindly: see `TransportError.maybe_sent`."""
        response = await self._call("POST", _CREATE_CAMPAIGN_PATH, json=dict(payload))
        inner = self._payload(response)
        try:
            return CampaignCreated(id=inner["data"], message=inner.get("message"), status=inner.get("status"))
        except (KeyError, TypeError, AttributeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    async def get_campaign(self, campaign_id: int) -> Campaign:
        """GET /api/v2/cmp/campaign/{id}."""
        response = await self._call("GET", f"{_CAMPAIGN_PATH}/{int(campaign_id)}")
        try:
            return Campaign.model_validate(self._payload(response))
        except pydantic.ValidationError as exc:
            raise self._unusable(response, exc) from None

    # -- answers --------------------------------------------------------------------------------

    def _list_of(self, response: httpx.Response, model: type[M]) -> list[M]:
        payload = self._payload(response)
        try:
            return [model.model_validate(item) for item in payload]
        except (TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    def _payload(self, response: httpx.Response) -> Any:
        """What the envelope of a 2xx answer carries; ApiError for a failure in either envelope."""
        body = self._read(response)
        try:
            return payload_of(body)
        except (KeyError, TypeError) as exc:
            raise self._unusable(response, exc) from None

    def _read(self, response: httpx.Response) -> Any:
        if not response.is_success:
            raise api_error(response, self._redact)
        body = json_of(response)
        if not is_json(body):
            raise self._unusable(response, ValueError("the body is not JSON"))
        if failure_in(body):  # `success: false` or an `errorMsg` inside a 2xx
            raise api_error(response, self._redact)
        return body

    def _secrets(self) -> Iterable[str | None]:
        return (self._client_secret, self._password, self._basic, self._refresh_token, self._client_id,
                self._email, *super()._secrets())

    # -- sending --------------------------------------------------------------------------------

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """An authenticated request: logs in (or refreshes) first if needed, and again on a 401
        (see `_authenticated`)."""
        if self._token is None or self._expiring():
            await self._ensure_token(self._generation, refused=False)
        return await self._authenticated(lambda: self._send(method, path, **kwargs),
                                         functools.partial(self._ensure_token, refused=True))

    async def _send(self, method: str, path: str, *, basic: bool = False, replayable: bool | None = None,
                    **kwargs: Any) -> tuple[httpx.Response, int]:
        """Send with pacing and retries: with the client's Basic credentials and host (`basic`: the
        login and the refresh), else with the token and the workspace."""

        def authorize(request: httpx.Request) -> None:
            if basic:
                request.headers["Authorization"] = f"Basic {self._basic}"
                request.headers["X-IAA-HOST"] = self._host
            elif self._token:
                request.headers["Authorization"] = f"Bearer {self._token}"
                request.headers["X-IAA-OW-ID"] = str(self._ow_id)

        return await self._send_paced(method, path, limiter=self.limiter, authorize=authorize,
                                      replayable=replayable, **kwargs)
