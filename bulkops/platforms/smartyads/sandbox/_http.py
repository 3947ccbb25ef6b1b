"""What every SmartyAds sandbox route shares: authentication, Laravel's model binding, pagination.

Route modules (`_smartyads_*.py`) build on these, so each section of the document stays readable
on its own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.sandbox import CAMPAIGN, Endpoint, Store, path_id, positive_int, sandbox_of

Handler = Callable[[Request, str], Awaitable[Response]]
DEFAULT_PER_PAGE = 15  # the document's example pagination


def authenticated(handler: Handler) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        subject = request.state.subject  # set by the guard, which checked the token on arrival
        if subject is None:
            return JSONResponse({"message": "Unauthenticated."}, 401)
        return await handler(request, subject)

    return endpoint


def today() -> str:
    # Campaigns' createdAt/updatedAt/deletedAt are dates in the document ("2026-02-12").
    return dt.date.today().isoformat()


def now() -> str:
    # Media's, creatives', deals' and filter lists' timestamps are datetimes ("2026-02-12 16:34:51").
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def not_found(model: str, object_id: object) -> JSONResponse:
    """Laravel's answer for a route model that is missing, deleted or someone else's."""
    return JSONResponse({"message": f"No query results for model [{model}] {object_id}"}, 404)


Bound = Callable[[Request, str, int, dict[str, Any]], Awaitable[Response]]


def bound(kind: str, model: str) -> Callable[[Bound], Endpoint]:
    """`authenticated`, with the route's model bound first, as Laravel binds it before validating
    the body: the caller's live object of `kind` named by the path's id, else 404 "No query results
    for model [model] id" (a deleted or another user's object is as missing as one never made)."""

    def wrap(handler: Bound) -> Endpoint:
        async def endpoint(request: Request, subject: str) -> Response:
            object_id = path_id(request)
            found = None if object_id is None else sandbox_of(request).store.get(kind, object_id, owner=subject)
            if object_id is None or found is None:
                return not_found(model, request.path_params["id"])
            return await handler(request, subject, object_id, found)

        return authenticated(endpoint)

    return wrap


for_campaign = bound(CAMPAIGN, "Campaign")


def owned_ids(values: Sequence[Any], key_of: Callable[[int], str], pick: Callable[[Any], Any], store: Store,
              kind: str, subject: str, errors: Errors) -> set[int]:
    """Ids that name the caller's live objects of `kind` (`required|integer|exists`); errors for the others."""
    ids: set[int] = set()
    for index, value in enumerate(values):
        key = key_of(index)
        object_id = pick(value)
        if object_id is None:
            errors.add(key, say.required(key))
        elif isinstance(object_id, bool) or not isinstance(object_id, int):
            errors.add(key, say.integer(key))
        elif store.get(kind, object_id, owner=subject) is None:
            errors.add(key, say.selected_invalid(key))
        else:
            ids.add(object_id)
    return ids


def paginated(request: Request, kind: str, subject: str) -> JSONResponse:
    """One page of `subject`'s live objects of `kind`, with Fractal's `meta.pagination`."""
    store = sandbox_of(request).store
    page, per_page = _page_asked(request, DEFAULT_PER_PAGE)
    items, total = store.page(kind, subject, (page - 1) * per_page, per_page)
    return _page_answer(request, items, total, page, per_page, fractal=True)


def page_of(request: Request, rows: Sequence[Any], *, default_per_page: int, fractal: bool) -> JSONResponse:
    """One page of `rows` (a list kept in one stored body) with `meta.pagination`.

    Links come in the two shapes the document shows: Fractal's (`previous`/`next` when there is a
    page that side, `[]` when neither; 11.1, 20.1.4, 21.1.4) or `{"prev": ..., "next": ...}` with
    nulls (5.1.4, 6.1.4, 8.1.4).
    """
    page, per_page = _page_asked(request, default_per_page)
    items = list(rows[(page - 1) * per_page:page * per_page])
    return _page_answer(request, items, len(rows), page, per_page, fractal=fractal)


def _page_asked(request: Request, default_per_page: int) -> tuple[int, int]:
    # Laravel's paginator reads a missing or invalid page as 1; per_page likewise falls back to the
    # default and is capped at the maximum rather than refused.
    page = positive_int(request.query_params.get("page")) or 1
    per_page = min(positive_int(request.query_params.get("per_page")) or default_per_page,
                   sandbox_of(request).config.per_page_max)
    return page, per_page


def _page_answer(request: Request, items: list[Any], total: int, page: int, per_page: int, *,
                 fractal: bool) -> JSONResponse:
    total_pages = max(1, math.ceil(total / per_page))
    previous = str(request.url.include_query_params(page=page - 1, per_page=per_page)) if page > 1 else None
    following = (str(request.url.include_query_params(page=page + 1, per_page=per_page))
                 if page < total_pages else None)
    links: Any
    if fractal:  # an empty object, which PHP encodes as [], unless there is a page either side
        links = {k: v for k, v in (("previous", previous), ("next", following)) if v} or []
    else:
        links = {"prev": previous, "next": following}
    return JSONResponse({"data": items, "meta": {"pagination": {
        "total": total, "count": len(items), "per_page": per_page, "current_page": page,
        "total_pages": total_pages, "links": links}}})


