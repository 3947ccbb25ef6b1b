"""Reading SmartyAds answers: JSON bodies, and the platform's own words out of any error body.

SmartyAds documents no error bodies; it is a Laravel application, so 422 is most likely
`{"message": ..., "errors": {field: [messages]}}` and 401/404 `{"message": ...}`. Anything else (an
HTML error page from a proxy, an empty body, a JSON list) becomes the status line plus a short
excerpt. Nothing here may raise on a weird body.
"""

from __future__ import annotations

from typing import Any

import httpx

from bulkops._answers import NOT_JSON, Redact, excerpt, is_json, json_of, redact_json, status_line
from bulkops._exceptions import ApiError, RequestInfo

__all__ = ["api_error", "field_errors", "is_json", "json_of", "message_of", "status_line"]




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


def message_of(response: httpx.Response, body: Any = NOT_JSON) -> str:
    """The server's `message` if it sent one, else the status line and an excerpt of the body."""
    if body is NOT_JSON:
        body = json_of(response)
    if isinstance(body, dict):
        for key in ("message", "error", "error_description"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return status_line(response) + excerpt(response)
