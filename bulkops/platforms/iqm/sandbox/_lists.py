"""IQM's list and read routes, which the quick start lacks and IQM's public guides document
(repository iqmcorp/docs: Campaign API, Creative API and Master API guidelines, API pagination guide).
They make an export of the account possible.

- `GET /api/v2/cmp/campaigns/list` ("Get List of Campaigns with Basic Details"): query `pgno`
  (default 1), `no_of_entries` (default 50), `order` (`asc`/`desc`), `search_field`, `status`
  (comma-separated), `creative_type_ids` (comma-separated). Answered in the guide's own envelope, with
  `statusCode` and the rows at the top level: `{"statusCode": 200, "recordsTotal", "pageNumber",
  "pageSize", "draw": 0, "recordsFiltered", "data": [{"id": "214269", "name", "status", "owId", ...}]}`
  (the guide writes `id` as a string; so does the sandbox).
- `POST /api/v3/cmp/customer/campaigns/list` ("Get List of Campaigns with Filters"): JSON body
  `pageNo` (default 1), `noOfEntries` (default 20, at most 500: the guide's maximum), `campaignIds`
  (array of integers), `status` (an array of statuses, or one as a string, as the guide's sample
  writes it), `searchField`, `order` (`asc`/`desc`); `isBasicInfo`, `sortBy` and `owIds` are accepted
  and do not change the rows. v3 envelope `{"success": true, "data": {"totalRecords", "data": [...],
  "filteredRecords"}}`, each row in the guide's shape (`id`, `name`, `creativeType`, `creativeTypeId`,
  `budgetTotal`, `budgetDay`, `maxBid`, `startTime`, `endTime` (0 without one, as the guide's sample),
  `status`, `campaignTypeId`, `budgetTypeId`, `totalImpressions`, ...).
- `POST /api/v3/crt/creatives/list` ("Get List of Creatives and Details"): JSON body `pageNo`
  (default 1), `noOfEntries` (default 20), `sortBy` (`+creativeId`/`-creativeId`), `searchField`,
  `creativeIds`, `campaignIds`, `creativeStatusIds`, `platformCreativeTypeIds` (arrays of integers).
  v3 envelope: `{"success": true, "data": {"totalRecords", "filteredRecords", "filteredList": [...]}}`,
  each row in the guide's advertiser shape (`creativeId`, `creativeName`, `platformCreativeTypeId`,
  `creativeStatusId`, `creativeSourceType`, `creativeSource`, `clickUrl`, `pixelUrl`, `creativeWidth`,
  `creativeHeight`, `duration`, `campaignDetails.campaignIds`, ...).
- `GET /api/v3/crt/creatives/{creativeId}` ("Creative Details by ID"): v3 envelope, the guide's shape
  (`imageDetails.pixelUrl/creativeWidth/creativeHeight`, `userDetails`, `organizationDetails`).
- The time zones a campaign row shows by name are the master data's (`_iqm_master`).

Decisions where the guides are silent:
- At most `per_page_max` rows a page (1,000: the quick start's "Best Practices"); a larger page size is
  capped, not refused, and a page past the end is empty. A page number or size that is not a positive
  whole number is a 400 in the route's envelope.
- Order: campaigns by id, newest first unless `order=asc`; creatives by id, newest first unless
  `sortBy=+creativeId` (the guide's example sorts `-creativeId`). A search matches a name containing
  the text (ignoring case) or an id equal to it.
- `recordsTotal`/`totalRecords` count the workspace's objects; `recordsFiltered`/`filteredRecords`
  count those matching the filters (all pages). Clients should page until a short page regardless.
- Creative status IDs are the guide's status list: 1 pending, 2 running, 3 paused, 4 deleted,
  5 rejected.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.iqm.sandbox._creatives import CREATIVE, render
from bulkops.platforms.iqm.sandbox._http import IQM_ORGANIZATION, v2_error, v3_error, workspace
from bulkops.platforms.iqm.sandbox._master import TIMEZONES
from bulkops.sandbox import CAMPAIGN, json_body, positive_int, route

CAMPAIGN_LIST_PATH = "/api/v2/cmp/campaigns/list"
CUSTOMER_LIST_PATH = "/api/v3/cmp/customer/campaigns/list"
CUSTOMER_PAGE_MAX = 500  # "noOfEntries ... maximum: 500"
CREATIVE_LIST_PATH = "/api/v3/crt/creatives/list"
CREATIVE_PATH = "/api/v3/crt/creatives/{id}"
STATUS_IDS = {"pending": 1, "running": 2, "paused": 3, "deleted": 4, "rejected": 5}
_TYPE_LABELS = {11: "Image", 13: "HTML", 14: "Video", 15: "Native", 17: "Audio"}
_BAD_PAGE = "must be a positive whole number"


def list_routes() -> list:
    return [route(CAMPAIGN_LIST_PATH, GET=workspace(_campaigns)),
            route(CUSTOMER_LIST_PATH, POST=workspace(_customer_campaigns)),
            route(CREATIVE_LIST_PATH, POST=workspace(_creatives)),
            route(CREATIVE_PATH, GET=workspace(_creative))]


def _page_of(raw_page: Any, raw_size: Any, default_size: int, cap: int) -> tuple[int, int] | None:
    """(page number, page size), or None when either is given and is not a positive whole number."""
    page = _positive(raw_page) if raw_page is not None else 1
    size = _positive(raw_size) if raw_size is not None else default_size
    if page is None or size is None:
        return None
    return page, min(size, cap)


def _positive(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    return positive_int(value) if isinstance(value, str) else None


def _matches(search: str, object_id: int, name: str) -> bool:
    search = search.strip()
    return not search or search == str(object_id) or search.casefold() in name.casefold()


def _csv(text: str | None) -> set[str] | None:
    return None if text is None or not text.strip() else {p.strip().casefold() for p in text.split(",") if p.strip()}


# -- campaigns ----------------------------------------------------------------------------------

def _campaign_row(campaign: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(campaign["id"]), "name": campaign["campaignName"], "status": campaign["status"],
            "owId": campaign["owId"], "uowId": campaign["uowId"], "userEmail": campaign.get("userEmail"),
            "advertiser_email": None, "advertiser_id": 0, "campaign_type": "CPM",
            "creative_type": _TYPE_LABELS.get(campaign["creativeType"], str(campaign["creativeType"])),
            "dsp_id": 0, "start_date": campaign["startTime"], "end_date": campaign.get("endTime"),
            "creative_type_id": campaign["creativeType"], "total_budget": campaign["budgetTotal"]}


async def _campaigns(request: Request, ow_id: int) -> Response:
    sandbox, query = request.app.state.sandbox, request.query_params
    paging = _page_of(query.get("pgno"), query.get("no_of_entries"), 50, sandbox.config.per_page_max)
    if paging is None:
        return v2_error(400, f"pgno and no_of_entries {_BAD_PAGE}.")
    order = (query.get("order") or "desc").casefold()
    if order not in ("asc", "desc"):
        return v2_error(400, "order must be asc or desc.")
    statuses, types = _csv(query.get("status")), _csv(query.get("creative_type_ids"))
    mine = [c for c in sandbox.store.all(CAMPAIGN) if c["owId"] == ow_id]
    found = [c for c in mine if _matches(query.get("search_field") or "", c["id"], c["campaignName"])
             and (statuses is None or c["status"].casefold() in statuses)
             and (types is None or str(c["creativeType"]) in types)]
    found.sort(key=lambda c: c["id"], reverse=order == "desc")
    page, size = paging
    rows = [_campaign_row(c) for c in found[(page - 1) * size:page * size]]
    return JSONResponse({"statusCode": 200, "recordsTotal": len(mine), "pageNumber": page, "pageSize": size,
                         "draw": 0, "recordsFiltered": len(found), "data": rows})


def _customer_row(campaign: dict[str, Any]) -> dict[str, Any]:
    """A campaign as "Get List of Campaigns with Filters" shows it."""
    zone = next((z["name"] for z in TIMEZONES if z["id"] == campaign["timezone"]), None)
    return {"owId": campaign["owId"], "parentOrganizationName": campaign.get("parentOrganizationName"),
            "id": campaign["id"], "name": campaign["campaignName"],
            "creativeType": _TYPE_LABELS.get(campaign["creativeType"], str(campaign["creativeType"])),
            "creativeTypeId": campaign["creativeType"], "budgetTotal": campaign["budgetTotal"],
            "budgetDay": campaign["budgetDay"], "maxBid": campaign["maxBid"], "startTime": campaign["startTime"],
            "uowId": campaign["uowId"], "status": campaign["status"], "created": campaign["createDate"],
            "modifiedDate": campaign["createDate"], "userName": campaign.get("userName"), "timeZoneName": zone,
            "endTime": campaign.get("endTime") or 0, "totalSpent": 0,
            "organizationName": campaign.get("organizationName"), "userEmail": campaign.get("userEmail"),
            "budgetTypeId": campaign.get("budgetTypeId", 1), "impression": 0,
            "campaignTypeId": campaign.get("campaignType"), "totalImpressions": campaign.get("totalImpressions", 0),
            "isParentInvoiceTemplateSet": True, "isApprovalAccess": False, "isEditAccess": True, "isMarginSet": True}


async def _customer_campaigns(request: Request, ow_id: int) -> Response:
    sandbox = request.app.state.sandbox
    body = await json_body(request)
    body = {} if body is None else body
    if not isinstance(body, dict):
        return v3_error(400, "Request body must be a JSON object.")
    paging = _page_of(body.get("pageNo"), body.get("noOfEntries"), 20, min(CUSTOMER_PAGE_MAX,
                                                                           sandbox.config.per_page_max))
    if paging is None:
        return v3_error(400, f"pageNo and noOfEntries {_BAD_PAGE}.")
    ids = _ids(body, "campaignIds")
    statuses = body.get("status")
    statuses = [statuses] if isinstance(statuses, str) and statuses else statuses
    search, order = body.get("searchField") or "", (body.get("order") or "desc")
    if isinstance(ids, str) or (statuses is not None and not (
            isinstance(statuses, list) and all(isinstance(x, str) for x in statuses))):
        return v3_error(400, ids if isinstance(ids, str) else "Please provide valid value of status.")
    if not isinstance(search, str) or order not in ("asc", "desc"):
        return v3_error(400, "searchField must be a string and order asc or desc.")
    mine = [c for c in sandbox.store.all(CAMPAIGN) if c["owId"] == ow_id]
    wanted = {s.casefold() for s in statuses} if statuses else None
    found = [c for c in mine if _matches(search, c["id"], c["campaignName"]) and _wanted(ids, {c["id"]})
             and (wanted is None or c["status"].casefold() in wanted)]
    found.sort(key=lambda c: c["id"], reverse=order == "desc")
    page, size = paging
    rows = [_customer_row(c) for c in found[(page - 1) * size:page * size]]
    return JSONResponse({"success": True, "data": {"totalRecords": len(mine), "data": rows,
                                                   "filteredRecords": len(found)}})


# -- creatives ----------------------------------------------------------------------------------

def _creative_row(stored: dict[str, Any], now: float, campaigns: list[dict[str, Any]]) -> dict[str, Any]:
    """A creative as the v3 list shows it to an advertiser."""
    shown = render(stored, now, campaigns)
    return {"creativeId": shown["creativeId"], "creativeName": shown["creativeName"],
            "platformCreativeTypeId": shown["creativeTypeId"], "creativeStatusId": STATUS_IDS.get(shown["status"], 1),
            "creativePreviewFlag": shown.get("previewFlag", 1), "creativeSourceType": stored.get("_sourceType", "file"),
            "creativeSource": shown["creativeSource"], "creativeCardSource": shown.get("creativeCardSource"),
            "createdAt": int(shown["createdOn"]) * 1000, "modifiedAt": int(shown["modifiedDate"]) * 1000,
            "clickUrl": shown.get("clickUrl"), "pixelUrl": stored.get("_pixelUrl"),
            "creativeWidth": shown.get("width"), "creativeHeight": shown.get("height"),
            "duration": shown.get("duration"),
            "campaignDetails": {"campaignIds": [c["campaignId"] for c in shown["campaigns"]]},
            "userDetails": {"uowId": shown["uowId"]}, "organizationDetails": {"owId": shown["owId"]}}


def _ids(body: dict[str, Any], key: str) -> set[int] | None | str:
    """The body's array of integer ids under `key`; None when absent; an error message when malformed."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return f"{key} must be an array of integers."
    return set(value)


async def _creatives(request: Request, ow_id: int) -> Response:
    sandbox = request.app.state.sandbox
    body = await json_body(request)
    body = {} if body is None else body
    if not isinstance(body, dict):
        return v3_error(400, "Request body must be a JSON object.")
    paging = _page_of(body.get("pageNo"), body.get("noOfEntries"), 20, sandbox.config.per_page_max)
    if paging is None:
        return v3_error(400, f"pageNo and noOfEntries {_BAD_PAGE}.")
    filters = {key: _ids(body, key) for key in ("creativeIds", "campaignIds", "creativeStatusIds",
                                                "platformCreativeTypeIds")}
    problem = next((f for f in filters.values() if isinstance(f, str)), None)
    search = body.get("searchField") or ""
    sort = body.get("sortBy") or "-creativeId"
    if problem or not isinstance(search, str) or sort not in ("+creativeId", "-creativeId", "creativeId"):
        return v3_error(400, problem or "searchField must be a string and sortBy +creativeId or -creativeId.")
    now, campaigns = sandbox.clock(), sandbox.store.all(CAMPAIGN)
    mine = [_creative_row(c, now, campaigns) for c in sandbox.store.all(CREATIVE) if c["owId"] == ow_id]
    found = [row for row in mine if _matches(search, row["creativeId"], row["creativeName"])
             and _wanted(filters["creativeIds"], {row["creativeId"]})
             and _wanted(filters["campaignIds"], set(row["campaignDetails"]["campaignIds"]))
             and _wanted(filters["creativeStatusIds"], {row["creativeStatusId"]})
             and _wanted(filters["platformCreativeTypeIds"], {row["platformCreativeTypeId"]})]
    found.sort(key=lambda row: row["creativeId"], reverse=sort.startswith("-"))
    page, size = paging
    return JSONResponse({"success": True, "data": {"totalRecords": len(mine), "filteredRecords": len(found),
                                                   "filteredList": found[(page - 1) * size:page * size]}})


def _wanted(allowed: Any, have: set[int]) -> bool:
    return allowed is None or bool(allowed & have)


async def _creative(request: Request, ow_id: int) -> Response:
    sandbox, raw = request.app.state.sandbox, request.path_params["id"]
    stored = sandbox.store.get(CREATIVE, int(raw), owner=str(ow_id)) if raw.isdigit() else None
    if stored is None:
        return v3_error(404, f"Creative {raw} not found.")
    row = _creative_row(stored, sandbox.clock(), sandbox.store.all(CAMPAIGN))
    data = {key: row[key] for key in ("creativeId", "creativeName", "platformCreativeTypeId", "creativeStatusId",
                                      "creativeSource", "creativeCardSource", "clickUrl", "creativeSourceType")}
    data |= {"rtbCreativeTypeId": 1, "creativePreviewFlag": row["creativePreviewFlag"],
             "imageDetails": {"pixelUrl": row["pixelUrl"], "creativeWidth": row["creativeWidth"],
                              "creativeHeight": row["creativeHeight"]},
             "createdAt": row["createdAt"], "modifiedAt": row["modifiedAt"],
             "userDetails": {"uowId": stored["uowId"], "userName": stored["userName"],
                             "userEmail": stored["userEmail"], "hasApprovalAccess": False, "hasEditAccess": True},
             "organizationDetails": {"owId": ow_id, "organizationName": IQM_ORGANIZATION}}
    return JSONResponse({"success": True, "data": data})
