"""Reading any platform's answers: JSON bodies that may not be JSON, status lines, short excerpts,
secrets scrubbed from whatever we quote. Nothing here may raise on a weird body.

Each platform's `_answers.py` adds how that platform words its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

Redact = Callable[[str], str]

EXCERPT_CHARS = 300
NOT_JSON = object()  # what `json_of` gives for a body that cannot be parsed


def json_of(response: httpx.Response) -> Any:
    """The JSON body, `{}` for an empty one, or `NOT_JSON` when it cannot be parsed."""
    if not response.content.strip():
        return {}
    try:
        return response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both
        return NOT_JSON


def is_json(value: Any) -> bool:
    return value is not NOT_JSON


def redact_json(value: Any, redact: Redact) -> Any:
    """`value` with `redact` applied to every string in it, keys included."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_json(v, redact) for v in value]
    if isinstance(value, dict):
        return {redact_json(k, redact): redact_json(v, redact) for k, v in value.items()}
    return value


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
