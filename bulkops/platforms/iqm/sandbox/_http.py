"""What every IQM sandbox route shares: the two answer envelopes, tokens, and the bearer + workspace check.

IQM answers in two envelopes (iqm-api.md): v3 paths (`/api/v3/...`) use
`{"success": ..., "data": ..., "errorObjects": [{"error", "reason"?}]}`, v2 paths (`/api/v2/...`)
use `{"statusCode": ..., "responseObject": {...}}` with errors as `{"errorMsg", "errorCode"}`.
The sandbox words every error, its own 401/403/404/429/503 included, in the envelope of the path
it answers.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.sandbox import SANDBOX_EMAIL, bearer

IQM_OW_ID = 200001  # the built-in account's Organization Workspace ID (the document's login example)
IQM_UOW_ID = 9216  # the user's id within the workspace (the document's campaign example)
IQM_USER_NAME = "Bulkops Demo"
IQM_ORGANIZATION = "Bulkops Sandbox"
NOT_IN_WORKSPACE = "User doesn't exist or user is not allowed to provided workspace."  # the document's 403
ON_HOLD_DATA = {  # the document's login 400, verbatim
    "status": "On Hold",
    "reason": "The particular account is kept on hold due to missed payment dates for last 3 months.",
    "supportEmail": "support@iqm.com",
}
ON_HOLD_ERROR = {"error": "User is not allowed to access provided customer",
                 "reason": "User is not associated with any active organization."}

Clock = Callable[[], float]


def v3_error(status: int, error: str, reason: str | None = None) -> JSONResponse:
    item = {"error": error} if reason is None else {"error": error, "reason": reason}
    return JSONResponse({"success": False, "errorObjects": [item]}, status)


def v2_error(status: int, message: str, code: int | None = None) -> JSONResponse:
    """`code` is the body's statusCode/errorCode when it differs from the HTTP status, as in the
    document's campaign "Response 400" whose body says 412."""
    body_code = status if code is None else code
    return JSONResponse({"statusCode": body_code, "responseObject": {"errorMsg": message, "errorCode": body_code}},
                        status)


def error_for(path: str, status: int, message: str, reason: str | None = None) -> JSONResponse:
    """An error in the envelope of the path's API version."""
    if path.startswith("/api/v3/"):
        return v3_error(status, message, reason)
    return v2_error(status, message if reason is None else f"{message} {reason}")


def on_hold() -> JSONResponse:
    """The account-on-hold 400: `data` and `errorObjects` together, as the document shows it."""
    return JSONResponse({"success": False, "data": dict(ON_HOLD_DATA), "errorObjects": [dict(ON_HOLD_ERROR)]}, 400)


def v2_ok(status: int, response_object: Any) -> JSONResponse:
    return JSONResponse({"statusCode": status, "responseObject": response_object}, status)


@dataclass
class _Access:
    ow_id: int
    expires_at: float


class IqmTokens:
    """Opaque UUID tokens as IQM issues them (Spring OAuth style): an access token that expires after
    the configured lifetime, and a one-use refresh token that yields a new pair."""

    def __init__(self, ttl_s: float, clock: Clock) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._access: dict[str, _Access] = {}
        self._refresh: dict[str, int] = {}
        self._lock = threading.Lock()

    def issue(self, ow_id: int) -> tuple[str, str]:
        access, refresh = str(uuid.uuid4()), str(uuid.uuid4())
        with self._lock:
            self._access[access] = _Access(ow_id, self._clock() + self.ttl_s)
            self._refresh[refresh] = ow_id
        return access, refresh

    def redeem(self, refresh: str) -> int | None:
        """The refresh token's workspace, and the token is spent; None for an unknown or spent one."""
        with self._lock:
            return self._refresh.pop(refresh, None)

    def status(self, token: str | None) -> tuple[str, int | None]:
        """("ok", owId), or ("missing" | "unknown" | "expired", None)."""
        if not token:
            return "missing", None
        with self._lock:
            found = self._access.get(token)
        if found is None:
            return "unknown", None
        if self._clock() >= found.expires_at:
            return "expired", None
        return "ok", found.ow_id


_UNAUTHORIZED = {
    "missing": "Authorization bearer token is required.",
    "unknown": "Invalid access token.",
    "expired": "Access token expired.",
}

Handler = Callable[[Request, int], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def workspace(handler: Handler) -> Endpoint:
    """401 without a current token; 403 unless X-IAA-OW-ID names the token's workspace."""

    async def endpoint(request: Request) -> Response:
        sandbox = request.app.state.sandbox
        state, ow_id = sandbox.iqm_tokens.status(bearer(request))
        if ow_id is None:
            return error_for(request.url.path, 401, "Unauthorized", _UNAUTHORIZED[state])
        if request.headers.get("x-iaa-ow-id", "").strip() != str(ow_id):
            return error_for(request.url.path, 403, NOT_IN_WORKSPACE)
        return await handler(request, ow_id)

    return endpoint


def user_fields(ow_id: int) -> dict[str, Any]:
    """Who owns an object, as the document's detail answers say it."""
    return {"uowId": IQM_UOW_ID, "owId": ow_id, "userName": IQM_USER_NAME, "userEmail": SANDBOX_EMAIL,
            "organizationName": IQM_ORGANIZATION}


def id_list(text: object) -> list[int] | None:
    """A "String of comma separated IDs" as integers; None when it is not one ("" is an empty list)."""
    if not isinstance(text, str):
        return None
    parts = [p.strip() for p in text.split(",")] if text.strip() else []
    if any(not p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]
