"""Reading SmartyAds answers: JSON bodies, and the platform's own words out of any error body.

SmartyAds documents no error bodies; it is a Laravel application, so 422 is most likely
`{"message": ..., "errors": {field: [messages]}}` and 401/404 `{"message": ...}`. Anything else (an
HTML error page from a proxy, an empty body, a JSON list) becomes the status line plus a short
excerpt. Nothing here may raise on a weird body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from bulkops._exceptions import ApiError, RequestInfo

Redact = Callable[[str], str]

EXCERPT_CHARS = 300
_NOT_JSON = object()


def json_of(response: httpx.Response) -> Any:
    """The JSON body, `{}` for an empty one, or `_NOT_JSON` when it cannot be parsed."""
    if not response.content.strip():
        return {}
    try:
        return response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both
        return _NOT_JSON


def is_json(value: Any) -> bool:
    return value is not _NOT_JSON


def api_error(response: httpx.Response, redact: Redact, *, keep_body: bool = True) -> ApiError:
    """The ApiError for a non-2xx answer, with the server's message made readable."""
    body = json_of(response)
    body = body if is_json(body) else None
    errors = field_errors(body)
    joined = "; ".join(m for messages in errors.values() for m in messages)
    message = joined or message_of(response, body)
    return ApiError(redact(message), status_code=response.status_code, request=RequestInfo.of(response.request),
                    field_errors={k: [redact(m) for m in v] for k, v in errors.items()},
                    body=redact_json(body, redact) if keep_body else None)


def redact_json(value: Any, redact: Redact) -> Any:
    """`value` with `redact` applied to every string in it, keys included."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_json(v, redact) for v in value]
    if isinstance(value, dict):
        return {redact_json(k, redact): redact_json(v, redact) for k, v in value.items()}
    return value


def field_errors(body: Any) -> dict[str, list[str]]:
    """Laravel's `errors` object as {field: [messages]}; anything else gives no field errors."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return {}
    result: dict[str, list[str]] = {}
    for key, value in errors.items():
        messages = value if isinstance(value, list) else [value]
        result[str(key)] = [str(m) for m in messages if m is not None and str(m).strip()]
    return {k: v for k, v in result.items() if v}


def message_of(response: httpx.Response, body: Any = _NOT_JSON) -> str:
    """The server's `message` if it sent one, else the status line and an excerpt of the body."""
    if body is _NOT_JSON:
        body = json_of(response)
    if isinstance(body, dict):
        for key in ("message", "error", "error_description"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return status_line(response) + excerpt(response)


def status_line(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


def excerpt(response: httpx.Response) -> str:
    """": <first 300 characters of the body, whitespace collapsed>", or "" for an empty body."""
    try:
        text = " ".join(response.text.split())
    except Exception:  # noqa: BLE001 - an undecodable body must not hide the status
        return ""
    if not text:
        return ""
    return ": " + (text[:EXCERPT_CHARS] + "…" if len(text) > EXCERPT_CHARS else text)
