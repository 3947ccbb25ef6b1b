"""The IQM API as documented (IQM's "Upload Creative and create a Campaign" quick start, and its
public Creative and Campaign API guides): login, creative types, creative upload (images on the quick
start's route, every type on the creative guide's), status, campaign create, read and update.

Built-in account (README, "Credentials"): email demo@bulkops.test, password sandbox, client ID
sandbox-client, client secret sandbox-secret, host (X-IAA-HOST) sandbox.bulkops.test; its workspace
(owId) is 200001, the document's.

Routes, each in the envelope the document shows for it (see _iqm_http):

- `POST /api/v3/ua/login`: headers `Authorization: Basic base64(clientId:clientSecret)` and
  `X-IAA-HOST`; JSON body `{"grantType": "password", "email", "password"}` or
  `{"grantType": "refresh_token", "refreshToken"}` (the refresh grant is not in the quick start; the
  sandbox takes it here too, as OAuth's token endpoint does; a refresh token is spent when used).
  200 `{"success": true, "data": {access_token, refresh_token, scope, token_type, expires_in, owId}}`.
  Bad client credentials 401, missing host or bad body 400, unknown host 403 (the document's 403
  body), wrong email/password or refresh token 400, all in the v3 error envelope.
- `POST /api/oauth/token` (IQM's authentication guide, "Refresh Token"): the same headers, JSON
  `{"grant_type" (or "grantType"): "refresh_token", "refresh_token"}`; answered as the login is.
- `GET /api/v3/master/creativeTypes` (v3 envelope), `_iqm_creatives` (the image route, review and
  status), `_iqm_creative_add` (the creative guide's route for every type), `_iqm_campaigns` (create
  and read) and `_iqm_campaign_updates` (the campaign guide's update, name, budget and end-date routes).
- the list and read routes of IQM's guides (campaign lists, creative list and details, time zones):
  `_iqm_lists`.

Every call after login needs `Authorization: Bearer <access_token>` (401 when missing, unknown or
expired) and `X-IAA-OW-ID` equal to the token's owId (403 otherwise, the document's 403 body).

Rate limit: `rate_limit` requests (IQM default 20) per `window_s` (60 s) per access token; calls
without a valid token count per client address, logins per client address under the same limit.
Past it: 429 in the path's envelope with Retry-After (the document names no rate headers, so none).

Test markers (sandbox only): a creative whose creativeName contains `[reject]` is rejected at the end
of its review; a campaign whose campaignName contains `[on-hold]` gets the account-on-hold 400 (both
`data` and `errorObjects`), as does logging in as `demo+on-hold@bulkops.test` (password sandbox).
"""

from __future__ import annotations

import base64
import binascii
import time
from contextvars import ContextVar
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.iqm._sandbox_account import IQM_CLIENT_ID, IQM_CLIENT_SECRET, IQM_HOST
from bulkops.platforms.iqm.sandbox._campaign_updates import patch_campaign, update_routes
from bulkops.platforms.iqm.sandbox._campaigns import campaign_routes
from bulkops.platforms.iqm.sandbox._creative_add import add_routes
from bulkops.platforms.iqm.sandbox._creatives import CREATIVE, creative_routes, render
from bulkops.platforms.iqm.sandbox._http import (
    IQM_OW_ID,
    NOT_IN_WORKSPACE,
    Clock,
    IqmTokens,
    error_for,
    on_hold,
    v3_error,
    workspace,
)
from bulkops.platforms.iqm.sandbox._lists import list_routes
from bulkops.platforms.iqm.sandbox._reports import report_routes
from bulkops.sandbox import (
    CAMPAIGN,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    Admission,
    GuardMiddleware,
    Sandbox,
    bearer,
    json_body,
    route,
)

LOGIN_PATH = "/api/v3/ua/login"
REFRESH_PATH = "/api/oauth/token"  # IQM's authentication guide ("Refresh Token")
ON_HOLD_EMAIL = "demo+on-hold@bulkops.test"
# The path of the request being admitted: the guard calls too_many/unavailable in the same task, maybe
# after awaiting latency, so a context variable (not an attribute) keeps concurrent requests apart.
_PATH: ContextVar[str] = ContextVar("iqm_path", default="")
# IQM's creative types. The document's sample answer lists hashing types (Raw, MD5, ...) copied from
# its matched-audience guide; those cannot be creative types, since its own examples use creativeType
# 11 for an image creative and creativeTypeId 14 for video. Served in the sample's shape and envelope.
CREATIVE_TYPES = [
    {"id": 11, "label": "Image", "keyName": "image"},
    {"id": 13, "label": "HTML", "keyName": "html"},
    {"id": 14, "label": "Video", "keyName": "video"},
    {"id": 15, "label": "Native", "keyName": "native"},
    {"id": 17, "label": "Audio", "keyName": "audio"},
]


class IqmSandbox(Sandbox):
    """The Sandbox with IQM's tokens and a clock tests may replace (`sandbox.clock = lambda: t`);
    token expiry and creative review read it."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        self.clock: Clock = time.time
        self.iqm_tokens = IqmTokens(config.token_ttl_s, lambda: self.clock())

    def iqm_creatives(self) -> list[dict[str, Any]]:
        """Every workspace's creatives by id, as the details endpoint would answer them now."""
        now, campaigns = self.clock(), self.store.all(CAMPAIGN)
        return [render(c, now, campaigns) for c in self.store.all(CREATIVE)]

    def iqm_campaigns(self) -> list[dict[str, Any]]:
        """Every workspace's campaigns by id, as stored (the details endpoint's shape)."""
        return self.store.all(CAMPAIGN)


def create_app(config: Any) -> Starlette:
    """The app serving IQM's API for `config` (`Platform.sandbox.app`)."""
    return build_app(IqmSandbox(config))


def build_app(sandbox: IqmSandbox) -> Starlette:
    routes = [
        route(LOGIN_PATH, POST=_login),
        route(REFRESH_PATH, POST=_login),
        route("/api/v3/master/creativeTypes", GET=workspace(_creative_types)),
        *creative_routes(),
        *add_routes(),
        *campaign_routes(patch=patch_campaign),
        *update_routes(),
        *list_routes(),
        *report_routes(),  # the Reports API guide's "Execute a Report"
    ]
    guard = Middleware(GuardMiddleware, traffic=sandbox.traffic, policy=IqmPolicy(sandbox))
    app = Starlette(routes=routes, middleware=[guard], exception_handlers={HTTPException: _http_error})
    app.state.sandbox = sandbox
    return app


class IqmPolicy:
    """20 requests a minute per access token (the document's "Rate limits"); no rate headers."""

    def __init__(self, sandbox: IqmSandbox) -> None:
        self.sandbox = sandbox

    def admission(self, request: Request) -> Admission:
        address = request.client.host if request.client else "unknown"
        limit = self.sandbox.config.rate_limit
        _PATH.set(request.url.path)
        if request.url.path in (LOGIN_PATH, REFRESH_PATH):
            return Admission(f"login:{address}", limit, faultable=False, subject=None)
        token = bearer(request)
        _, ow_id = self.sandbox.iqm_tokens.status(token)
        if ow_id is None:
            return Admission(f"address:{address}", limit, faultable=True, subject=None)
        return Admission(f"token:{token}", limit, faultable=True, subject=str(ow_id))

    def rate_headers(self, limit: int, remaining: int) -> dict[str, str]:
        return {}

    def too_many(self, retry_after: int) -> Response:
        return error_for(_PATH.get(), 429, "Too many requests",
                         f"The rate limit is {self.sandbox.config.rate_limit} requests per "
                         f"{self.sandbox.config.window_s:g} s; retry after {retry_after} s.")

    def unavailable(self) -> Response:
        return error_for(_PATH.get(), 503, "Service unavailable")


async def _http_error(request: Request, exc: Exception) -> Response:
    """The router's own 404/405 in the path's envelope."""
    assert isinstance(exc, HTTPException)
    message = "Not found" if exc.status_code == 404 else str(exc.detail)
    answer = error_for(request.url.path, exc.status_code, message)
    if exc.headers:
        answer.headers.update(exc.headers)
    return answer


def _client_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, colon, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (client_id, secret) if colon else None


def _tokens(sandbox: IqmSandbox, ow_id: int) -> JSONResponse:
    access, refresh = sandbox.iqm_tokens.issue(ow_id)
    return JSONResponse({"success": True, "data": {
        "access_token": access, "refresh_token": refresh, "scope": "read write", "token_type": "bearer",
        "expires_in": int(sandbox.config.token_ttl_s), "owId": ow_id}})


async def _login(request: Request) -> Response:
    sandbox: IqmSandbox = request.app.state.sandbox
    if _client_credentials(request) != (IQM_CLIENT_ID, IQM_CLIENT_SECRET):
        return v3_error(401, "Unauthorized", "Authorization must be Basic base64(clientId:clientSecret) "
                                             "of a known client.")
    host = request.headers.get("x-iaa-host", "").strip()
    if not host:
        return v3_error(400, "X-IAA-HOST header is required.")
    if host.lower() != IQM_HOST:
        return v3_error(403, NOT_IN_WORKSPACE)
    body = await json_body(request)
    if not isinstance(body, dict):
        return v3_error(400, "Request body must be a JSON object.")
    grant = body.get("grantType", body.get("grant_type"))
    if grant == "refresh_token":
        refresh = body.get("refresh_token", body.get("refreshToken"))
        if not isinstance(refresh, str) or not refresh:
            return v3_error(400, "refresh_token is required.")
        ow_id = sandbox.iqm_tokens.redeem(refresh)
        return v3_error(400, "Invalid refresh token.") if ow_id is None else _tokens(sandbox, ow_id)
    if grant != "password":
        return v3_error(400, "grantType is required." if grant is None else f"Unsupported grantType {grant!r}.",
                        "Use 'password' or 'refresh_token'.")
    for key in ("email", "password"):
        if not isinstance(body.get(key), str) or not body[key]:
            return v3_error(400, f"{key} is required.")
    email = body["email"].lower()
    if email not in (SANDBOX_EMAIL, ON_HOLD_EMAIL) or body["password"] != SANDBOX_PASSWORD:
        return v3_error(400, "Invalid email or password.")
    if email == ON_HOLD_EMAIL:
        return on_hold()
    return _tokens(sandbox, IQM_OW_ID)


async def _creative_types(request: Request, ow_id: int) -> Response:
    return JSONResponse({"success": True, "data": CREATIVE_TYPES})
