"""IQM's master data routes, as IQM's Master API guide (repository iqmcorp/docs,
`docs/Guidelines/Master-API-Guidelines.mdx`) documents them, over the lists of `_master_data`:

- `POST /api/v3/master/segment/country` and `POST /api/v3/master/segment/state` ("Get Geographical
  Data"): JSON body `pageNo` (default 1), `noOfEntries` (default 300), `sortBy` (`+id`, `-id`,
  `+name`, `-name`; default `-id`), `order` (`asc`/`desc`, for a `sortBy` without a sign),
  `searchField`, `ids` (those first), `segmentIds` (only those), `parentSegmentIds` (a state's
  country), `campaignId` (accepted; it only reorders). v3 envelope `{"success": true, "data":
  {"data": [...], "totalRecords", "filteredRecords"}}`; a country is `{id, name, abbreviation}`, a
  state `{id, name, abbreviation, parentId, geojsonUrl}`.
- `POST /api/v3/master/segment/device-type` ("Get Device Type"): the same body and envelope, rows
  `{name, id}`.
- `GET /api/v2/master/segment/device-os` ("Get Device OS for targeting"): the same fields as query
  parameters (`ids`, `segmentIds` comma-separated; `noOfEntries` default 20, `sortBy` default `+id`),
  v2 envelope `{"statusCode": 200, "responseObject": {"data": [{id, name}], "totalRecords",
  "filteredRecords"}}`; `GET /api/device_os`: the older list, a bare array of `{name, id}`.
- `GET /api/v3/master/exchanges` ("Get Exchanges"): query `pageNo`, `noOfEntries` (default 20),
  `sortBy` (default `+id`), `order`, `searchField`, `ids`, `exchangeIds` (only those); v3 envelope,
  rows `{id, name, urlName}`.
- `GET /api/v3/master/timezones` ("Get Timezones"): every time zone, `{"success": true, "data":
  {"data": [{name, id, label}], "totalRecords", "filteredRecords"}}`.
- `GET /api/countries/{country_id}/carriers` and `.../states` ("Get Carriers and States by Country
  ID"): bare arrays, a carrier `{id, name, country_id}`, a state `{name, id, country_id, abbreviation,
  is_active, is_territory, state_code, tblm_iqm_segment_id}`.

Decisions where the guide is silent:
- At most `per_page_max` rows a page (1,000: the quick start's "Best Practices"), as the other list
  routes; a larger page size is capped, a page past the end is empty, a page number or size that is
  not a positive whole number is a 400 in the route's envelope, and so is an ID filter that is not a
  list of whole numbers.
- A search matches a name (or an abbreviation) containing the text, ignoring case, or an ID equal to it.
- `totalRecords` counts the whole list, `filteredRecords` the rows matching the filters (all pages).
- The by-country routes take the country's ID from the country list (30100001) or its older ID, the
  one their rows carry as `country_id` (246 for the United States, as the guide's sample); an unknown
  country is a 404. A state's `tblm_iqm_segment_id` is its ID in the state list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.iqm.sandbox import _master_data as data
from bulkops.platforms.iqm.sandbox._http import v2_error, v2_ok, v3_error, workspace
from bulkops.sandbox import json_body, positive_int, route

COUNTRY_PATH = "/api/v3/master/segment/country"
STATE_PATH = "/api/v3/master/segment/state"
DEVICE_TYPE_PATH = "/api/v3/master/segment/device-type"
OS_SEGMENT_PATH = "/api/v2/master/segment/device-os"
DEVICE_OS_PATH = "/api/device_os"
EXCHANGES_PATH = "/api/v3/master/exchanges"
TIMEZONES_PATH = "/api/v3/master/timezones"
CARRIERS_PATH = "/api/countries/{country_id}/carriers"
COUNTRY_STATES_PATH = "/api/countries/{country_id}/states"
_GEOJSON = "https://d3jme5si7t6llb.cloudfront.net/statedata"
_BAD_PAGE = "pageNo and noOfEntries must be positive whole numbers."

Row = dict[str, Any]

COUNTRIES: list[Row] = [{"id": i, "name": n, "abbreviation": a} for i, n, a, _ in data.COUNTRIES]
STATES: list[Row] = [{"id": i, "name": n, "abbreviation": a, "parentId": c,
                      "geojsonUrl": f"{_GEOJSON}/{a}.geojson" if c == data.COUNTRIES[0][0] else None}
                     for i, n, a, c, _ in data.STATES]
DEVICE_TYPES: list[Row] = [{"name": n, "id": i} for i, n in data.DEVICE_TYPES]
OS_SEGMENTS: list[Row] = [{"id": i, "name": n} for i, n in data.OS_SEGMENTS]
EXCHANGES: list[Row] = [{"id": i, "name": n, "urlName": u} for i, n, u in data.EXCHANGES]
TIMEZONES: list[Row] = [{"name": n, "id": i, "label": n} for i, n in data.TIME_ZONES]
_LEGACY = {legacy: i for i, _, _, legacy in data.COUNTRIES}
_LEGACY_OF = {i: legacy for i, _, _, legacy in data.COUNTRIES}


def master_routes() -> list:
    return [route(COUNTRY_PATH, POST=workspace(_segment_post(COUNTRIES))),
            route(STATE_PATH, POST=workspace(_segment_post(STATES))),
            route(DEVICE_TYPE_PATH, POST=workspace(_segment_post(DEVICE_TYPES))),
            route(OS_SEGMENT_PATH, GET=workspace(_os_segments)),
            route(DEVICE_OS_PATH, GET=workspace(_device_os)),
            route(EXCHANGES_PATH, GET=workspace(_exchanges)),
            route(TIMEZONES_PATH, GET=workspace(_timezones)),
            route(CARRIERS_PATH, GET=workspace(_carriers)),
            route(COUNTRY_STATES_PATH, GET=workspace(_country_states))]


# -- the shared query ---------------------------------------------------------------------------

class Query:
    """What a list request asks: paging, order, search and ID filters (None: not given)."""

    def __init__(self, page: int, size: int, sort: str, search: str, first: set[int] | None,
                 only: set[int] | None, parents: set[int] | None) -> None:
        self.page, self.size, self.sort, self.search = page, size, sort, search
        self.first, self.only, self.parents = first, only, parents

    def answer(self, rows: Sequence[Row]) -> tuple[list[Row], int]:
        """The page's rows, and how many rows match (all pages)."""
        found = [r for r in rows if _searched(self.search, r) and (self.only is None or r["id"] in self.only)
                 and (self.parents is None or r.get("parentId") in self.parents)]
        field, descending = self.sort[1:], self.sort.startswith("-")
        found.sort(key=lambda r: (str(r[field]).casefold(), r["id"]) if field == "name" else r["id"],
                   reverse=descending)
        if self.first:
            found.sort(key=lambda r: r["id"] not in self.first)  # stable: the rest keep their order
        start = (self.page - 1) * self.size
        return found[start:start + self.size], len(found)


def _searched(search: str, row: Mapping[str, Any]) -> bool:
    text = search.strip().casefold()
    return (not text or text == str(row["id"]) or text in str(row["name"]).casefold()
            or text in str(row.get("abbreviation") or "").casefold())


def query_of(values: Mapping[str, Any], *, default_size: int, default_sort: str, cap: int,
             only_key: str = "segmentIds") -> Query | str:
    """The query a body or a query string asks, or why it cannot be read."""
    page = _positive(values.get("pageNo"), 1)
    size = _positive(values.get("noOfEntries"), default_size)
    if page is None or size is None:
        return _BAD_PAGE
    sort = str(values.get("sortBy") or default_sort).strip()
    order = str(values.get("order") or "").strip().casefold()
    if order not in ("", "asc", "desc"):
        return "order must be asc or desc."
    if sort.lstrip("+-") not in ("id", "name"):
        return "sortBy must be id or name, with + or -."
    if sort[0] not in "+-":
        sort = ("-" if order == "desc" else "+") + sort
    search = values.get("searchField") or ""
    if not isinstance(search, str):
        return "searchField must be a string."
    filters = {key: _ids(values.get(key)) for key in ("ids", only_key, "parentSegmentIds")}
    bad = next((key for key, found in filters.items() if found == "bad"), None)
    if bad:
        return f"{bad} must be a list of whole numbers."
    first, only, parents = (f if isinstance(f, set) else None for f in filters.values())
    return Query(page, min(size, cap), sort, search, first, only, parents)


def _positive(value: Any, default: int) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    return positive_int(value) if isinstance(value, str) else None


def _ids(value: Any) -> set[int] | str | None:
    """An ID filter: an array of integers (a body) or comma-separated digits (a query); "bad" otherwise;
    None when absent or empty (the guide's samples send `[]` for no filter)."""
    if value is None or value == "" or value == []:
        return None
    parts: Iterable[Any] = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [value]
    found = set()
    for part in parts:
        if isinstance(part, bool):
            return "bad"
        if isinstance(part, int):
            found.add(part)
        elif isinstance(part, str) and part.strip().isdigit():
            found.add(int(part.strip()))
        else:
            return "bad"
    return found


def _cap(request: Request) -> int:
    return request.app.state.sandbox.config.per_page_max


# -- routes -------------------------------------------------------------------------------------

def _segment_post(rows: Sequence[Row]) -> Callable[[Request, int], Any]:
    async def handler(request: Request, ow_id: int) -> Response:
        body = await json_body(request)
        body = {} if body is None else body
        if not isinstance(body, dict):
            return v3_error(400, "Request body must be a JSON object.")
        query = query_of(body, default_size=300, default_sort="-id", cap=_cap(request))
        if isinstance(query, str):
            return v3_error(400, query)
        page, matching = query.answer(rows)
        return JSONResponse({"success": True, "data": {"data": page, "totalRecords": len(rows),
                                                       "filteredRecords": matching}})

    return handler


async def _os_segments(request: Request, ow_id: int) -> Response:
    query = query_of(request.query_params, default_size=20, default_sort="+id", cap=_cap(request))
    if isinstance(query, str):
        return v2_error(400, query)
    page, matching = query.answer(OS_SEGMENTS)
    return v2_ok(200, {"data": page, "totalRecords": len(OS_SEGMENTS), "filteredRecords": matching})


async def _device_os(request: Request, ow_id: int) -> Response:
    return JSONResponse([{"name": n, "id": i} for i, n in data.DEVICE_OS])


async def _exchanges(request: Request, ow_id: int) -> Response:
    query = query_of(request.query_params, default_size=20, default_sort="+id", cap=_cap(request),
                     only_key="exchangeIds")
    if isinstance(query, str):
        return v3_error(400, query)
    page, matching = query.answer(EXCHANGES)
    return JSONResponse({"success": True, "data": {"data": page, "totalRecords": len(EXCHANGES),
                                                   "filteredRecords": matching}})


async def _timezones(request: Request, ow_id: int) -> Response:
    return JSONResponse({"success": True, "data": {"data": TIMEZONES, "totalRecords": len(TIMEZONES),
                                                   "filteredRecords": len(TIMEZONES)}})


def _country(raw: str) -> int | None:
    """The country a path names, by its ID in the country list or its older ID."""
    if not raw.strip().isdigit():
        return None
    number = int(raw)
    return number if number in _LEGACY_OF else _LEGACY.get(number)


async def _carriers(request: Request, ow_id: int) -> Response:
    country = _country(request.path_params["country_id"])
    if country is None:
        return v2_error(404, f"Country {request.path_params['country_id']} not found.")
    return JSONResponse([{"id": i, "name": n, "country_id": _LEGACY_OF[country]}
                         for i, n, c in data.CARRIERS if c == country])


async def _country_states(request: Request, ow_id: int) -> Response:
    country = _country(request.path_params["country_id"])
    if country is None:
        return v2_error(404, f"Country {request.path_params['country_id']} not found.")
    return JSONResponse([{"name": n, "id": number, "country_id": _LEGACY_OF[country], "abbreviation": a,
                          "is_active": 1, "is_territory": territory, "state_code": a, "tblm_iqm_segment_id": i}
                         for number, (i, n, a, c, territory) in enumerate(data.STATES, start=1) if c == country])
