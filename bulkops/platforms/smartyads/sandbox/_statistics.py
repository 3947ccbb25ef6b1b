"""3. Statistic: `POST api/statistic` (3.1, and 3.2's `filter`), over the sandbox's own campaigns and
the creatives assigned to them, with deterministic delivery (`bulkops.sandbox.delivery`).

A campaign delivers through its creatives: one base row per day, campaign and assigned creative;
`groupBy` sums them (CTR and win rate recomputed per row, in percent, 6 decimals as 3.1.5 shows).
`totals` are the sums over every row of every page, and, for `ctr` and `winrate`, the average of the
rows' rates, as 3.1.5's totals are. Rows are paged by `page` and `rowsOnPage` (10 to 50,000;
absent: 10, the least the document allows)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._creatives import CREATIVE
from bulkops.platforms.smartyads.sandbox._creatives import assigned_ids as creatives_assigned
from bulkops.platforms.smartyads.sandbox._http import authenticated
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.sandbox import CAMPAIGN, MAX_DAYS, delivery, grouped, json_body, route, sandbox_of, stat_days

GROUPS = ("YMD", "campaignId", "creativeId")
FIELDS = ("bids", "wins", "impressions", "clicks", "dspSpend", "winrate", "ctr")
SUMMED = ("bids", "wins", "impressions", "clicks", "dspSpend")
ROWS_MIN, ROWS_MAX, ROWS_DEFAULT = 10, 50_000, 10
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def statistic_routes() -> list[Route]:
    return [route("/api/statistic", POST=authenticated(_statistic))]


async def _statistic(request: Request, subject: str) -> Response:
    body = await json_body(request)
    asked, errors = _validated(body if isinstance(body, dict) else {})
    if errors:
        return errors.response()
    sandbox = sandbox_of(request)
    rows = grouped(_base_rows(sandbox, subject, asked), asked["groupBy"], SUMMED)
    rows = [_shown(row, asked["groupBy"], asked["agregatedFields"]) for row in rows]
    _order(rows, asked)
    per_page, page = asked["rowsOnPage"], asked["page"]
    return JSONResponse({
        "status": "success",
        "data": rows[(page - 1) * per_page:page * per_page],
        "totals": _totals(rows, asked["groupBy"], asked["agregatedFields"]),
        "pagination": {"page": page, "per_page": per_page, "total": len(rows)},
    })


def _validated(data: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors = Errors()
    asked: dict[str, Any] = {}
    for key in ("from", "to"):
        value = data.get(key)
        if value in (None, ""):
            errors.add(key, say.required(key))
        elif not isinstance(value, str) or not _DATE.fullmatch(value) or _date(value) is None:
            errors.add(key, say.date_format(key, "Y-m-d"))
        else:
            asked[key] = _date(value)
    if "from" in asked and "to" in asked:
        if asked["to"] < asked["from"]:
            errors.add("to", say.after_or_equal("to", "from"))
        elif (asked["to"] - asked["from"]).days >= MAX_DAYS:
            errors.add("to", f"The to field must be within {MAX_DAYS} days of from.")
    for key, allowed in (("groupBy", GROUPS), ("agregatedFields", FIELDS)):
        asked[key] = _names(data.get(key), key, allowed, errors)
    asked["rowsOnPage"] = _whole(data.get("rowsOnPage"), "rowsOnPage", ROWS_DEFAULT, ROWS_MIN, ROWS_MAX, errors)
    asked["page"] = _whole(data.get("page"), "page", 1, 1, None, errors)
    asked["filter"] = _filter(data.get("filter"), errors)
    asked["orderField"] = data.get("orderField")
    asked["orderDir"] = data.get("orderDir")
    if asked["orderField"] is not None and asked["orderField"] not in (*GROUPS, *FIELDS):
        errors.add("orderField", say.selected_invalid("orderField"))
    if asked["orderDir"] is not None and asked["orderDir"] not in ("asc", "desc"):
        errors.add("orderDir", say.selected_invalid("orderDir"))
    return asked, errors


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _names(value: Any, key: str, allowed: tuple[str, ...], errors: Errors) -> list[str]:
    if value in (None, [], ""):
        errors.add(key, say.required(key))
        return []
    if not isinstance(value, list):
        errors.add(key, say.array(key))
        return []
    for number, name in enumerate(value):
        if name not in allowed:
            errors.add(f"{key}.{number}", say.selected_invalid(f"{key}.{number}"))
    return [name for name in allowed if name in value]  # the documented order, each once


def _whole(value: Any, key: str, default: int, low: int, high: int | None, errors: Errors) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        errors.add(key, say.integer(key))
        return default
    number = int(value)
    if number < low or (high is not None and number > high):
        errors.add(key, say.between(key, low, high) if high is not None else say.at_least(key, low))
    return number


def _filter(value: Any, errors: Errors) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add("filter", say.array("filter"))
        return {}
    chosen = {}
    for key in ("campaignId", "creativeId"):
        if value.get(key) is not None:
            chosen[key] = _whole(value[key], f"filter.{key}", 0, 1, None, errors)
    return chosen


def _base_rows(sandbox: Any, subject: str, asked: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    store, seed, chosen = sandbox.store, sandbox.config.seed or 0, asked["filter"]
    campaigns, _ = store.page(CAMPAIGN, subject, 0, 1 << 30)
    creatives = {c["id"]: c for c in store.all(CREATIVE)}
    for campaign in campaigns:
        if chosen.get("campaignId") not in (None, campaign["id"]):
            continue
        serving = [creatives[i] for i in creatives_assigned(store, campaign["id"]) if i in creatives]
        for creative in serving:
            if chosen.get("creativeId") not in (None, creative["id"]):
                continue
            for day in stat_days(asked["from"], asked["to"]):
                served = delivery(seed, campaign["id"], creative["id"], day)
                yield {"YMD": day.isoformat(), "campaignId": campaign["id"], "campaignId_dict": campaign["name"],
                       "creativeId": creative["id"], "creativeId_dict": creative["name"], "bids": served.bids,
                       "wins": served.wins, "impressions": served.impressions, "clicks": served.clicks,
                       "dspSpend": served.spend}


def _shown(row: dict[str, Any], group: list[str], fields: list[str]) -> dict[str, Any]:
    rates = {"ctr": _rate(row["clicks"], row["impressions"]), "winrate": _rate(row["wins"], row["bids"])}
    shown: dict[str, Any] = {}
    for name in group:
        shown[name] = row[name]
    for name in group:
        if name != "YMD":
            shown[f"{name}_dict"] = row[f"{name}_dict"]
    for name in fields:
        shown[name] = rates[name] if name in rates else (round(row[name], 8) if name == "dspSpend" else row[name])
    return shown


def _rate(part: int, whole: int) -> float:
    return round(part / whole * 100, 6) if whole else 0.0


def _order(rows: list[dict[str, Any]], asked: Mapping[str, Any]) -> None:
    group = asked["groupBy"]
    field = asked["orderField"] if rows and asked["orderField"] in rows[0] else None
    keys = ([field] if field else []) + group
    rows.sort(key=lambda row: tuple(row[k] for k in keys), reverse=asked["orderDir"] == "desc")


def _totals(rows: list[dict[str, Any]], group: list[str], fields: list[str]) -> dict[str, Any]:
    blank = {"YMD": "", "campaignId": 0, "creativeId": 0}
    totals: dict[str, Any] = {}
    for name in group:
        totals[name] = blank[name]
        if name != "YMD":
            totals[f"{name}_dict"] = ""
    for name in fields:
        values = [row[name] for row in rows]
        if name in ("ctr", "winrate"):
            totals[name] = sum(values) / len(values) if values else 0
        else:
            totals[name] = round(sum(values), 8) if name == "dspSpend" else sum(values)
    return totals
