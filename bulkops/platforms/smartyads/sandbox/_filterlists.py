"""SmartyAds filter lists as documented: "17.4. Store filter list" (`api/parsefile`), "20. Filterlists"
and "21. Assign Filterlists to Campaigns".

Stored: a list as 20.1 shows it (kind FILTER_LIST, soft-deleted by DELETE), its items apart
(FILTER_LIST_ITEMS, keyed by the list's id), files stored by parsefile (FILTER_FILE) and each
campaign's assigned list ids (CAMPAIGN_FILTER_LISTS, keyed by the campaign's id).

Where the document is silent (decided here, tested in tests/sandbox/test_filterlists.py):
- Items are strings (`items.*`, 20.3.1), with no syntax by the list's type: the document gives
  none, and the platform keeps what it is given (`-x.org` and `=evil()` in a domain list alike).
  bulkops's own item rules (`ITEM_RULES`) are bulkops's, not the platform's.
- A list keeps each item once, in first-seen order: it is a set of domains, IPs... (`listCount`
  counts unique items). Items are trimmed, as Laravel's TrimStrings does.
- Create needs items or a fileName (`required_without`). A fileName's items (from parsefile) are
  checked as if sent inline, after any inline items; only inline items count toward the
  `max_items_per_request` cap, since the file route exists for lists longer than a request. A
  stored file may be used again; a fileName this user never stored is refused.
- The update route takes PUT and PATCH alike (the heading says PATCH, the example PUT: Laravel's
  apiResource registers both). It replaces the items with what it carries (items and/or fileName;
  neither empties the list), and changes title/isInclude only when sent. The type is fixed.
- parsefile takes a multipart `file` field, one item per line; a line is read as CSV and its first
  cell kept (so "example.com,comment" gives example.com; quote a cell holding a comma). Blank lines
  are skipped. `countItems` is the number of items (the example's 0 beside one item looks wrong).
- Assignment keeps a set of ids (sorted); every id must be a live list of the caller's (else
  "The selected items.0.id is invalid."). A list deleted later stays in the stored set but is no
  longer answered by GET. GET answers `items: []` per list, as 21.1.4 does; 20.2 reads items.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads._enums import FILTER_LIST_TYPES
from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import (
    authenticated,
    bound,
    for_campaign,
    now,
    owned_ids,
    page_of,
    paginated,
)
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.platforms.smartyads.sandbox._targeting import (
    bool_field,
    item_list,
    present,
    string_field,
)
from bulkops.sandbox import Store, form_parts, json_object, route, sandbox_of

FILTER_LIST = "filter_list"  # store kinds
FILTER_LIST_ITEMS = "filter_list_items"
FILTER_FILE = "filter_file"
CAMPAIGN_FILTER_LISTS = "campaign_filter_lists"
ASSIGNED_PER_PAGE = 15  # 21.1.4's per_page
a_list = bound(FILTER_LIST, "FilterList")  # routes of one filter list (`api/filterlist/{id}`)

_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def filter_list_routes() -> list[Route]:
    return [
        route("/api/parsefile", POST=authenticated(_parse_file)),
        route("/api/filterlist", GET=authenticated(_list), POST=authenticated(_create)),
        route("/api/filterlist/{id}", GET=a_list(_get), PUT=a_list(_update), PATCH=a_list(_update),
              DELETE=a_list(_delete)),
        route("/api/campaigns/{id}/filterlists", GET=for_campaign(_assigned), POST=for_campaign(_assign),
              DELETE=for_campaign(_unassign)),
    ]


def stored_lists(store: Store, *, include_deleted: bool = False) -> list[dict[str, Any]]:
    """Every user's lists by id, each as 20.2 answers it (with its items)."""
    return [_with_items(store, found) for found in store.all(FILTER_LIST, include_deleted=include_deleted)]


def assigned_ids(store: Store, campaign_id: int) -> list[int]:
    body = store.get(CAMPAIGN_FILTER_LISTS, campaign_id)
    return list(body["ids"]) if body else []


def _items_of(store: Store, list_id: int) -> list[str]:
    body = store.get(FILTER_LIST_ITEMS, list_id)
    return list(body["items"]) if body else []


def _with_items(store: Store, found: Mapping[str, Any]) -> dict[str, Any]:
    """20.2's order: items between title and type."""
    shaped: dict[str, Any] = {}
    for key, value in found.items():
        if key == "type":
            shaped["items"] = _items_of(store, found["id"])
        shaped[key] = value
    return shaped


def _answer(message: str, found: Mapping[str, Any], count: int) -> JSONResponse:
    """20.3.5 / 20.4.5: the list with `listCount` after isInclude, without its items."""
    data: dict[str, Any] = {}
    for key, value in found.items():
        data[key] = value
        if key == "isInclude":
            data["listCount"] = count
    return JSONResponse({"message": message, "data": data})


# --- 17.4. Store filter list ---------------------------------------------------------------------

def _form_file(content_type: str, body: bytes) -> tuple[str | None, bytes] | str | None:
    """The multipart field `file`: (its file name, its bytes); a str when it is a plain field;
    None when there is none."""
    for name, part in form_parts(content_type, body):
        if name == "file":
            return (part.filename, part.content) if part.filename is not None else part.content.decode(
                "utf-8", "replace")
    return None


def parse_items(content: bytes) -> list[str]:
    """One item per line: each line's first CSV cell, trimmed; blank lines skipped."""
    text = content.decode("utf-8-sig", "replace")
    items = []
    for cells in csv.reader(io.StringIO(text, newline="")):
        first = cells[0].strip() if cells else ""
        if first:
            items.append(first)
    return items


def _stored_file(store: Store, subject: str, file_name: str) -> dict[str, Any] | None:
    return next((f for f in store.all(FILTER_FILE) if f["fileName"] == file_name and f["owner"] == subject), None)


async def _parse_file(request: Request, subject: str) -> Response:
    found = _form_file(request.headers.get("content-type", ""), await request.body())
    if found is None or isinstance(found, str):
        errors = Errors()
        errors.add("file", say.required("file") if found is None or not found.strip() else say.file("file"))
        return errors.response()
    original, content = found
    items = parse_items(content)
    store = sandbox_of(request).store
    # As the example's "1770914098_test-filter.csv": upload time, then the client's file name.
    base = _UNSAFE_NAME.sub("_", (original or "").replace("\\", "/").rsplit("/", 1)[-1]) or "file.csv"
    taken = {f["fileName"] for f in store.all(FILTER_FILE)}
    stamp = int(time.time())
    while f"{stamp}_{base}" in taken:
        stamp += 1
    file_name = f"{stamp}_{base}"
    store.set(FILTER_FILE, store.next_id(FILTER_FILE), subject,
              {"fileName": file_name, "owner": subject, "items": items})
    return JSONResponse({"message": "success", "items": items, "fileName": file_name, "countItems": len(items)})


# --- 20. Filterlists -----------------------------------------------------------------------------

def _check_items(data: Mapping[str, Any], store: Store, subject: str, cap: int, errors: Errors, *,
                 required: bool) -> list[str] | None:
    """The list's new items from `items` and `fileName`, unique, in order; None when neither was sent."""
    sent_items = data.get("items") is not None
    inline = item_list(data, "items", cap, errors, required=False) or []
    file_name = string_field(data, "fileName", "fileName", errors, required=False, nullable=True)
    from_file: list[str] = []
    if file_name is not None:
        stored = _stored_file(store, subject, file_name)
        if stored is None:
            errors.add("fileName", say.selected_invalid("fileName"))
        else:
            from_file = stored["items"]
    if not inline and file_name is None:
        if required and not errors.has("items") and not errors.has("fileName"):
            errors.add("items", say.required_without("items", "fileName"))
        if not sent_items:
            return None
    items: dict[str, None] = {}
    for index, raw in enumerate([*inline, *from_file]):
        key = f"items.{index}"
        value = present(raw)
        if value is None:
            errors.add(key, say.required(key))
        elif not isinstance(value, str):
            errors.add(key, say.string(key))
        else:
            items[value] = None
    return list(items)


async def _list(request: Request, subject: str) -> Response:
    return paginated(request, FILTER_LIST, subject)


async def _get(request: Request, subject: str, list_id: int, found: dict[str, Any]) -> Response:
    return JSONResponse({"data": _with_items(sandbox_of(request).store, found)})


async def _create(request: Request, subject: str) -> Response:
    sandbox = sandbox_of(request)
    data = await json_object(request)
    errors = Errors()
    title = string_field(data, "title", "title", errors)
    list_type = string_field(data, "type", "type", errors, allowed=FILTER_LIST_TYPES)
    include = bool_field(data, "isInclude", "isInclude", errors)
    items = _check_items(data, sandbox.store, subject, sandbox.config.max_items_per_request, errors, required=True)
    if errors or items is None:
        return errors.response()
    stamp = now()
    found = sandbox.store.create(FILTER_LIST, subject, lambda new_id: {
        "id": new_id, "userId": int(subject), "isInclude": include, "title": title, "type": list_type,
        "createdAt": stamp, "updatedAt": stamp})
    sandbox.store.set(FILTER_LIST_ITEMS, found["id"], subject, {"items": items})
    return _answer("Created", found, len(items))


async def _update(request: Request, subject: str, list_id: int, found: dict[str, Any]) -> Response:
    sandbox = sandbox_of(request)
    data = await json_object(request)
    errors = Errors()
    title = string_field(data, "title", "title", errors, required=False)
    include = bool_field(data, "isInclude", "isInclude", errors, required=False)
    items = _check_items(data, sandbox.store, subject, sandbox.config.max_items_per_request, errors,
                         required=False)
    if errors:
        return errors.response()
    if title is not None:
        found["title"] = title
    if include is not None:
        found["isInclude"] = include
    found["updatedAt"] = now()
    new_items = items or []  # the update replaces the items: none sent leaves the list empty
    sandbox.store.put(FILTER_LIST, list_id, found)
    sandbox.store.set(FILTER_LIST_ITEMS, list_id, subject, {"items": new_items})
    return _answer("Updated", found, len(new_items))


async def _delete(request: Request, subject: str, list_id: int, found: dict[str, Any]) -> Response:
    found["updatedAt"] = now()
    sandbox_of(request).store.put(FILTER_LIST, list_id, found, deleted=True)  # a soft delete
    return JSONResponse({"message": "Deleted", "deleted": True})


# --- 21. Assign Filterlists to Campaigns ---------------------------------------------------------

async def _assigned(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    store = sandbox_of(request).store
    lists = (store.get(FILTER_LIST, list_id, owner=subject) for list_id in assigned_ids(store, campaign_id))
    rows = [{"filterList": {"id": f["id"], "title": f["title"], "items": []}} for f in lists if f is not None]
    return page_of(request, rows, default_per_page=ASSIGNED_PER_PAGE, fractal=True)


async def _assign(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    sandbox = sandbox_of(request)
    data = await json_object(request)
    errors = Errors()
    items = item_list(data, "items", sandbox.config.max_items_per_request, errors) or []
    ids = owned_ids(items, lambda i: f"items.{i}.id", lambda v: v.get("id") if isinstance(v, dict) else None,
                    sandbox.store, FILTER_LIST, subject, errors)
    if errors:
        return errors.response()
    sandbox.store.set(CAMPAIGN_FILTER_LISTS, campaign_id, subject, {"ids": sorted(ids)})
    return JSONResponse({"message": "Replaced."})


async def _unassign(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    sandbox = sandbox_of(request)
    data = await json_object(request)
    errors = Errors()
    values = item_list(data, "ids", sandbox.config.max_items_per_request, errors) or []
    gone = owned_ids(values, lambda i: f"ids.{i}", lambda v: v, sandbox.store, FILTER_LIST, subject, errors)
    if errors:
        return errors.response()
    kept = [i for i in assigned_ids(sandbox.store, campaign_id) if i not in gone]
    sandbox.store.set(CAMPAIGN_FILTER_LISTS, campaign_id, subject, {"ids": kept})
    return JSONResponse({"message": "Deleted."})
