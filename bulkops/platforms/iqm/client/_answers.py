"""Reading IQM answers: its two envelopes, and the platform's own words out of any error body.

IQM answers in two envelopes (the quick start's examples show both):

- v3 (`/api/v3/...`, login): `{"success": bool, "data": ..., "errorObjects": [{"error", "reason"}]}`;
- v2 (`/api/v2/...`): `{"statusCode": int, "responseObject": ...}`, errors as
  `responseObject.errorMsg` / `responseObject.errorCode`; the body's `statusCode` may differ from the
  HTTP status (the document shows a "Response 400" whose body says 412).

A 400 may carry both `data` and `errorObjects`: the login of an account on hold answers
`data: {status: "On Hold", reason, supportEmail}` beside `errorObjects`. Such an answer becomes a
message that starts by saying the account is on hold and quotes what `data` says. Anything else (an
HTML page from a proxy, an empty body, a JSON list) becomes the status line plus a short excerpt.
Nothing here may raise on a weird body.
"""

from __future__ import annotations

from typing import Any

import httpx

from bulkops._answers import NOT_JSON, Redact, excerpt, is_json, json_of, redact_json, status_line
from bulkops._exceptions import ApiError, RequestInfo

__all__ = ["api_error", "failure_in", "field_errors", "is_json", "json_of", "message_of", "on_hold", "payload_of",
           "status_line"]




def failure_in(body: Any) -> bool:
    """True when a (2xx) body says the call failed: `success: false`, or a v2 `errorMsg`."""
    if not isinstance(body, dict):
        return False
    if body.get("success") is False:
        return True
    code = body.get("statusCode")
    if isinstance(code, int) and not isinstance(code, bool) and code >= 400:
        return True
    inner = body.get("responseObject")
    return isinstance(inner, dict) and "errorMsg" in inner and "data" not in inner


def payload_of(body: Any) -> Any:
    """What an envelope carries: v3 `data` or v2 `responseObject`. KeyError when it has neither."""
    if not isinstance(body, dict):
        raise TypeError("not an envelope")
    if "responseObject" in body:
        return body["responseObject"]
    return body["data"]


def api_error(response: httpx.Response, redact: Redact, *, keep_body: bool = True) -> ApiError:
    """The ApiError for an answer that failed, with the server's message made readable."""
    body = json_of(response)
    body = body if is_json(body) else None
    errors = field_errors(body)
    return ApiError(redact(message_of(response, body)), status_code=response.status_code,
                    request=RequestInfo.of(response.request),
                    field_errors={redact(k): [redact(m) for m in v] for k, v in errors.items()},
                    body=redact_json(body, redact) if keep_body else None)



def field_errors(body: Any) -> dict[str, list[str]]:
    """v3 `errorObjects` entries that name a `field`, as {field: [messages]}."""
    result: dict[str, list[str]] = {}
    for entry in _error_objects(body):
        name = entry.get("field")
        if isinstance(name, str) and name.strip():
            result.setdefault(name.strip(), []).append(_describe_error(entry) or "invalid")
    return result


def on_hold(body: Any) -> bool:
    """The answer says the account is on hold (`data.status` "On Hold")."""
    data = body.get("data") if isinstance(body, dict) else None
    status = data.get("status") if isinstance(data, dict) else None
    return isinstance(status, str) and "hold" in status.lower()


def message_of(response: httpx.Response, body: Any = NOT_JSON) -> str:
    """The server's words from either envelope, else the status line and an excerpt of the body."""
    if body is NOT_JSON:
        body = json_of(response)
    parts: list[str] = []
    if isinstance(body, dict):
        data = body.get("data")
        if on_hold(body):
            said = _scalars(data)
            parts.append("the IQM account is on hold" + (f" ({said})" if said else ""))
        parts.extend(m for m in (_describe_error(e) for e in _error_objects(body)) if m)
        inner = body.get("responseObject")
        if isinstance(inner, dict):
            text = inner.get("errorMsg")
            if isinstance(text, str) and text.strip():
                code = inner.get("errorCode")
                suffix = f" (error code {code})" if code not in (None, "", response.status_code) else ""
                parts.append(text.strip() + suffix)
        for key in ("message", "error", "error_description", "errorMsg"):
            value = body.get(key)
            if isinstance(value, str) and value.strip() and value.strip() not in parts:
                parts.append(value.strip())
        if parts and not on_hold(body) and isinstance(data, dict) and _scalars(data):
            parts.append(f"details: {_scalars(data)}")  # a 400 may carry `data` beside its errors
    if parts:
        return "; ".join(parts)
    return status_line(response) + excerpt(response)


def _error_objects(body: Any) -> list[dict[str, Any]]:
    objects = body.get("errorObjects") if isinstance(body, dict) else None
    if not isinstance(objects, list):
        return []
    return [entry for entry in objects if isinstance(entry, dict)]


def _describe_error(entry: dict[str, Any]) -> str:
    """"error: reason" of one `errorObjects` entry (either part may be missing)."""
    texts = [str(entry[k]).strip() for k in ("error", "reason") if isinstance(entry.get(k), (str, int, float))]
    return ": ".join(t for t in texts if t)


def _scalars(data: Any) -> str:
    """"key: value; ..." for the plain values of an object (what `data` says on an error)."""
    if not isinstance(data, dict):
        return ""
    return "; ".join(f"{k}: {str(v).strip()}" for k, v in data.items()
                     if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip())
