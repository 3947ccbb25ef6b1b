"""What every SmartyAds sandbox route shares: routing, authentication, bodies, pagination.

Route modules (`_smartyads_*.py`) build on these, so each section of the document stays readable
on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.sandbox._core import Sandbox

Handler = Callable[[Request, str], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]
DEFAULT_PER_PAGE = 15  # the document's example pagination


def route(path: str, **by_method: Endpoint) -> Route:
    """One route per path, so that a 405 lists every method the path supports (Allow header)."""

    async def endpoint(request: Request) -> Response:
        return await by_method[request.method if request.method != "HEAD" else "GET"](request)

    return Route(path, endpoint, methods=list(by_method))


def bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def authenticated(handler: Handler) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        subject = request.state.subject  # set by the guard, which checked the token on arrival
        if subject is None:
            return JSONResponse({"message": "Unauthenticated."}, 401)
        return await handler(request, subject)

    return endpoint


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


def today() -> str:
    # The document's createdAt/updatedAt/deletedAt are dates ("2026-02-12"), not datetimes.
    return dt.date.today().isoformat()


def positive_int(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit():
        return None
    value = int(text)
    return value if value >= 1 else None


def not_found(model: str, object_id: object) -> JSONResponse:
    """Laravel's answer for a route model that is missing, deleted or someone else's."""
    return JSONResponse({"message": f"No query results for model [{model}] {object_id}"}, 404)


def path_id(request: Request, name: str = "id") -> int | None:
    raw = request.path_params[name]
    return int(raw) if raw.isdigit() else None


def paginated(request: Request, kind: str, subject: str) -> JSONResponse:
    """One page of `subject`'s live objects of `kind`, with Fractal's `meta.pagination`."""
    sandbox = sandbox_of(request)
    # Laravel's paginator reads a missing or invalid page as 1; per_page likewise falls back to the
    # default and is capped at the maximum rather than refused.
    page = positive_int(request.query_params.get("page")) or 1
    per_page = min(positive_int(request.query_params.get("per_page")) or DEFAULT_PER_PAGE,
                   sandbox.config.per_page_max)
    items, total = sandbox.store.page(kind, subject, (page - 1) * per_page, per_page)
    total_pages = max(1, math.ceil(total / per_page))
    # Fractal's links: an empty object (PHP encodes it as []) unless there is a page either side.
    links: dict[str, str] = {}
    if page > 1:
        links["previous"] = str(request.url.include_query_params(page=page - 1, per_page=per_page))
    if page < total_pages:
        links["next"] = str(request.url.include_query_params(page=page + 1, per_page=per_page))
    return JSONResponse({"data": items, "meta": {"pagination": {
        "total": total, "count": len(items), "per_page": per_page, "current_page": page,
        "total_pages": total_pages, "links": links or []}}})


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
