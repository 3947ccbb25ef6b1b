"""IQM's Reports API guide, "Execute a Report": `POST /api/v3/ra/report/execute`, run ad hoc (no `id`)
over the workspace's campaigns and the creatives each names (`creativeIds`), with deterministic
delivery (`bulkops.sandbox.delivery`).

`dimensions` (`campaign`, `creative`; others are refused), `requestType` (1 daily: a `date` per row;
2 aggregated), `startDate`/`endDate` (epoch milliseconds, as the guide's resource properties say;
UTC days, both included), `pageNo` and `noOfEntries` (at most 1,000). The answer is the guide's:
`data.data` (this page), `data.total` (the whole report: sums, and CTR and eCPM from them, as the
guide's example total is) and `data.totalRecords`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.iqm.sandbox._creatives import CREATIVE
from bulkops.platforms.iqm.sandbox._http import v3_error, workspace
from bulkops.sandbox import CAMPAIGN, MAX_DAYS, delivery, grouped, json_body, route, stat_days

EXECUTE_PATH = "/api/v3/ra/report/execute"
PAGE_MAX = 1000
FILTERS = {"campaign": ("campaignId", "campaignName"), "creative": ("creativeId", "creativeName")}
SUMMED = ("bidImpressions", "impressions", "clicks", "spent", "mediaSpent")
DAILY, AGGREGATED = 1, 2


def report_routes() -> list[Route]:
    return [route(EXECUTE_PATH, POST=workspace(_execute))]


async def _execute(request: Request, ow_id: int) -> Response:
    body = await json_body(request)
    asked = _validated(body if isinstance(body, dict) else {})
    if isinstance(asked, str):
        return v3_error(400, asked)
    sandbox = request.app.state.sandbox
    rows = grouped(_base_rows(sandbox, ow_id, asked), asked["keys"], SUMMED)
    rows.sort(key=lambda row: tuple(row[k] for k in asked["keys"]))
    page, size = asked["pageNo"], asked["noOfEntries"]
    return JSONResponse({"success": True, "data": {
        "total": _shown(_sum(rows), [], total=True) | {"totalRecords": len(rows)},
        "data": [_shown(row, asked["keys"]) for row in rows[(page - 1) * size:page * size]],
        "totalRecords": len(rows)}})


def _validated(data: Mapping[str, Any]) -> dict[str, Any] | str:
    try:
        dimensions = json.loads(data.get("dimensions") or "[]")
        filters = [d["filter"] for d in dimensions]
    except (TypeError, ValueError, KeyError):
        return "dimensions must be a serialized JSON array of {\"filter\": ...} objects."
    unknown = [f for f in filters if f not in FILTERS]
    if unknown:
        return f"Unsupported dimension {unknown[0]!r}."
    request_type = data.get("requestType", DAILY)
    if request_type not in (DAILY, AGGREGATED):
        return "requestType must be 1 (daily) or 2 (aggregated)."
    start, end = _day(data.get("startDate")), _day(data.get("endDate"))
    if start is None or end is None:
        return "startDate and endDate are required (Unix epoch milliseconds)."
    if end < start or (end - start).days >= MAX_DAYS:
        return "endDate must be after startDate, within ten years."
    page, size = data.get("pageNo", 1), data.get("noOfEntries", 50)
    if not _whole(page) or not _whole(size) or size > PAGE_MAX:
        return f"pageNo must be a positive integer and noOfEntries between 1 and {PAGE_MAX}."
    keys = (["date"] if request_type == DAILY else []) + [FILTERS[f][0] for f in FILTERS if f in filters]
    return {"keys": keys, "start": start, "end": end, "pageNo": page, "noOfEntries": size}


def _day(value: Any) -> dt.date | None:
    return dt.datetime.fromtimestamp(value / 1000, dt.UTC).date() if _whole(value) else None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _base_rows(sandbox: Any, ow_id: int, asked: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    seed = sandbox.config.seed or 0
    campaigns, _ = sandbox.store.page(CAMPAIGN, str(ow_id), 0, 1 << 30)
    creatives = {c["creativeId"]: c for c in sandbox.store.all(CREATIVE)}
    for campaign in campaigns:
        named = [int(i) for i in str(campaign.get("creativeIds") or "").split(",") if i.strip().isdigit()]
        for creative in (creatives[i] for i in named if i in creatives):
            for day in stat_days(asked["start"], asked["end"]):
                served = delivery(seed, campaign["id"], creative["creativeId"], day)
                yield {"date": day.isoformat(), "campaignId": campaign["id"], "campaignName": campaign["campaignName"],
                       "creativeId": creative["creativeId"], "creativeName": creative["creativeName"],
                       "bidImpressions": served.bids, "impressions": served.impressions, "clicks": served.clicks,
                       "spent": served.spend, "mediaSpent": served.spend}


def _sum(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {name: sum(row[name] for row in rows) for name in SUMMED}


def _shown(row: dict[str, Any], keys: list[str], *, total: bool = False) -> dict[str, Any]:
    """A row in the guide's shape: the dimension columns asked for (null otherwise), the metrics."""
    shown: dict[str, Any] = {"date": None, "campaignId": None, "campaignName": None, "creativeId": None,
                             "creativeName": None}
    for key in keys:
        shown[key] = row[key]
        if key in ("campaignId", "creativeId"):
            name = key.replace("Id", "Name")
            shown[name] = row[name]
    impressions, spent = row["impressions"], round(row["spent"], 8)
    shown |= {"bidImpressions": row["bidImpressions"], "impressions": impressions, "clicks": row["clicks"],
              "spent": spent, "mediaSpent": round(row["mediaSpent"], 8), "dataCost": 0,
              "CTR": round(row["clicks"] / impressions * 100, 5 if total else 4) if impressions else 0,
              "eCPM": spent / impressions * 1000 if impressions else 0,
              "totalRecords": None}
    return shown
