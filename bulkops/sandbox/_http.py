"""HTTP plumbing every sandboxed platform shares: routing, bearer tokens, bodies, multipart."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bulkops.sandbox._core import Sandbox

Endpoint = Callable[[Request], Awaitable[Response]]


def route(path: str, **by_method: Endpoint) -> Route:
    """One route per path, so that a 405 lists every method the path supports (Allow header)."""

    async def endpoint(request: Request) -> Response:
        return await by_method[request.method if request.method != "HEAD" else "GET"](request)

    return Route(path, endpoint, methods=list(by_method))


def bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


async def json_body(request: Request) -> Any:
    """The body as JSON whatever Content-Type says (the document's examples say form-urlencoded
    but send JSON); None when it is not JSON, which the rules then treat as no input."""
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        return None


def positive_int(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit():
        return None
    value = int(text)
    return value if value >= 1 else None


def path_id(request: Request, name: str = "id") -> int | None:
    raw = request.path_params[name]
    return int(raw) if raw.isdigit() else None


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object; {} for anything else, which the rules then treat as no input."""
    body = await json_body(request)
    return body if isinstance(body, dict) else {}


@dataclass(frozen=True)
class Part:
    filename: str | None  # None: a plain field, not a file
    content: bytes


def form_parts(content_type: str, body: bytes) -> list[tuple[str, Part]]:
    """(field name, part) in body order; [] when the body is not multipart/form-data.

    Parsed with the standard library's email parser: python-multipart, which Starlette's
    `request.form()` needs, is not a dependency of the project."""
    if not content_type.lower().startswith("multipart/form-data"):
        return []
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return []
    found = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        found.append((name, Part(part.get_filename(), payload if isinstance(payload, bytes) else b"")))
    return found
