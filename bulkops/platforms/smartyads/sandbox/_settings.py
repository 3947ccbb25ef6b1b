"""A campaign's one-value settings as documented: "2. Assign Time Targeting to Campaigns", "10. CTR
Booster Settings", "22. Optimization Rule" (list, get, create) and "24. Assign Optimization rules
to Campaigns".

Where the document is silent (decided here, tested in tests/platforms/smartyads/sandbox/test_settings.py):
- Time targeting is a set of (dayOfWeek, hour): the same pair sent twice is held once; GET answers
  it in day and hour order, in one answer (2.1.4 shows no pagination). `dayOfWeek` 0 is Sunday.
- `timeZone` (2.2.1, "offset for conversion of day/hour to internal timestamps") is an offset from
  UTC in hours: the items are held in UTC, so `Mon 09:00` sent with `timeZone: -5` is held (and read
  back) as `Mon 14:00`; a fractional offset is floored to the hour. Absent, it is 0. Only 2.2 takes it.
- 2.4 with items removes those; with none (or no body) it removes every item, as 2.4.1 says.
- 10.1 and 10.3 take the campaign's id in the path (10.2 takes it as `cid`). Enabling a booster that
  is on answers its record again (nothing is added); disabling one that is off answers
  `{"deleted": false}`.
- `extention.deviceVendor` (the validation list's `Campaign.extention.deviceVendor`) is taken by a
  campaign's create (11.3) as an array of the list's values and kept; 11.4.1 does not list it, so an
  update leaves it as it is; no answer shows it (11.2.3 and 11.3.4 have no `extention`).
- 24.1 for a campaign without a rule answers `{"data": null}`; 24.3 then answers `{"deleted": false}`.
  24.2 answers the campaignId it was sent (the document's example shows 0).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads._enums import DEVICE_VENDORS
from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import authenticated, bound, for_campaign, now, owned_ids, paginated
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.sandbox import CAMPAIGN, json_body, route, sandbox_of

TIME_TARGETING = "campaign_time_targeting"  # store kinds: keyed by campaign id
BOOSTER = "campaign_booster"
RULE_RELATION = "campaign_rule"
RULE = "optimization_rule"  # 22: the account's rules, by their own ids
TIME_RANGES = ("last_day", "last_3_days", "last_week", "last_month")
THEN = ("whitelist_source", "blacklist_source")
CONDITIONS = ("when", "and", "or")
ACTIONS = ("ctr", "clicks", "winrate", "impressions", "dspSpend")
COMPARISONS = (">", "<", "=")

for_rule = bound(RULE, "OptimizationRule")


def settings_routes() -> list[Route]:
    return [
        route("/api/campaigns/{id}/time-targeting", GET=for_campaign(_get_time), POST=for_campaign(_replace_time),
              PATCH=for_campaign(_append_time), DELETE=for_campaign(_delete_time)),
        route("/api/booster-settings", POST=authenticated(_enable_booster)),
        route("/api/booster-settings/{id}", GET=for_campaign(_get_booster), DELETE=for_campaign(_disable_booster)),
        route("/api/optimization-rule", GET=authenticated(_list_rules), POST=authenticated(_create_rule)),
        route("/api/optimization-rule/{id}", GET=for_rule(_get_rule)),
        route("/api/campaign/optimization-rule-relation", POST=authenticated(_assign_rule)),
        route("/api/campaign/{id}/optimization-rule-relation", GET=for_campaign(_get_relation),
              DELETE=for_campaign(_remove_relation)),
    ]


def held_hours(store: Any, campaign_id: int) -> list[dict[str, int]]:
    """A campaign's time targeting as GET answers it."""
    body = store.get(TIME_TARGETING, campaign_id)
    return list(body["items"]) if body else []


# --- 2. time targeting -------------------------------------------------------------------------

async def _get_time(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    return JSONResponse({"data": held_hours(sandbox_of(request).store, campaign_id)})


async def _replace_time(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    body = await _body(request)
    errors = Errors()
    offset = _offset(body.get("timeZone"), errors)
    pairs = _pairs(body, errors, required=True)
    if errors:
        return errors.response()
    _store_hours(request, subject, campaign_id, {_utc(pair, offset) for pair in pairs})
    return JSONResponse({"message": "Replaced."})


async def _append_time(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    errors = Errors()
    pairs = _pairs(await _body(request), errors, required=True)
    if errors:
        return errors.response()
    held = _held_pairs(request, campaign_id)
    _store_hours(request, subject, campaign_id, held | pairs)
    return JSONResponse({"message": "Appended."})


async def _delete_time(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    errors = Errors()
    pairs = _pairs(await _body(request), errors, required=False)
    if errors:
        return errors.response()
    held = _held_pairs(request, campaign_id)
    _store_hours(request, subject, campaign_id, held - pairs if pairs else set())
    return JSONResponse({"message": "Deleted."})


async def _body(request: Request) -> dict[str, Any]:
    if not await request.body():
        return {}
    data = await json_body(request)
    return data if isinstance(data, dict) else {}


def _pairs(body: Mapping[str, Any], errors: Errors, *, required: bool) -> set[tuple[int, int]]:
    items = body.get("items")
    if items is None or items == []:
        if required:
            errors.add("items", say.required("items"))
        return set()
    if not isinstance(items, list):
        errors.add("items", say.array("items"))
        return set()
    pairs = set()
    for index, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        day = _whole(item.get("dayOfWeek"), f"items.{index}.dayOfWeek", 0, 6, errors)
        hour = _whole(item.get("hour"), f"items.{index}.hour", 0, 23, errors)
        if day is not None and hour is not None:
            pairs.add((day, hour))
    return pairs


def _whole(value: Any, key: str, low: int, high: int, errors: Errors) -> int | None:
    if value is None:
        errors.add(key, say.required(key))
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(key, say.integer(key))
        return None
    if not low <= value <= high:
        errors.add(key, say.between(key, low, high))
        return None
    return value


def _offset(value: Any, errors: Errors) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.add("timeZone", say.numeric("timeZone"))
        return 0
    return math.floor(value)


def _utc(pair: tuple[int, int], offset: int) -> tuple[int, int]:
    day, hour = pair
    return divmod((day * 24 + hour - offset) % 168, 24)


def _held_pairs(request: Request, campaign_id: int) -> set[tuple[int, int]]:
    return {(i["dayOfWeek"], i["hour"]) for i in held_hours(sandbox_of(request).store, campaign_id)}


def _store_hours(request: Request, subject: str, campaign_id: int, pairs: set[tuple[int, int]]) -> None:
    items = [{"dayOfWeek": day, "hour": hour} for day, hour in sorted(pairs)]
    sandbox_of(request).store.set(TIME_TARGETING, campaign_id, subject, {"items": items})


# --- 10. CTR booster -----------------------------------------------------------------------------

async def _get_booster(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    return JSONResponse({"data": bool(sandbox_of(request).store.get(BOOSTER, campaign_id))})


async def _enable_booster(request: Request, subject: str) -> Response:
    body = await _body(request)
    store = sandbox_of(request).store
    errors = Errors()
    cid = body.get("cid")
    if cid is None:
        errors.add("cid", say.required("cid"))
    elif isinstance(cid, bool) or not isinstance(cid, int):
        errors.add("cid", say.integer("cid"))
    elif store.get(CAMPAIGN, cid, owner=subject) is None:
        errors.add("cid", say.selected_invalid("cid"))
    if errors:
        return errors.response()
    record = store.get(BOOSTER, cid)
    if not record:
        record = {"id": store.next_id(BOOSTER), "cid": cid, "createdAt": now()[:10]}
        store.set(BOOSTER, cid, subject, record)
    return JSONResponse(record)


async def _disable_booster(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    store = sandbox_of(request).store
    was_on = bool(store.get(BOOSTER, campaign_id))
    store.set(BOOSTER, campaign_id, subject, {})
    return JSONResponse({"deleted": was_on})


# --- 22. optimization rules ----------------------------------------------------------------------

async def _list_rules(request: Request, subject: str) -> Response:
    return paginated(request, RULE, subject)


async def _get_rule(request: Request, subject: str, rule_id: int, found: dict[str, Any]) -> Response:
    return JSONResponse({"data": found})


async def _create_rule(request: Request, subject: str) -> Response:
    body = await _body(request)
    errors = Errors()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.add("name", say.required("name") if not name else say.string("name"))
    for key, allowed in (("timeRange", TIME_RANGES), ("then", THEN)):
        if body.get(key) is None:
            errors.add(key, say.required(key))
        elif body.get(key) not in allowed:
            errors.add(key, say.selected_invalid(key))
    target = body.get("targetFilterListId")
    if target is None:
        errors.add("targetFilterListId", say.required("targetFilterListId"))
    elif isinstance(target, bool) or not isinstance(target, int):
        errors.add("targetFilterListId", say.integer("targetFilterListId"))
    conditions = _conditions(body.get("conditions"), errors)
    if errors:
        return errors.response()
    stamp = now()
    owner_campaign = body.get("ownerCampaignId")
    stored = sandbox_of(request).store.create(RULE, subject, lambda new_id: {
        "id": new_id, "userId": int(subject), "ownerCampaignId": owner_campaign, "name": name.strip(),
        "timeRange": body["timeRange"], "then": body["then"], "conditions": conditions,
        "targetFilterListId": target, "createdAt": stamp, "updatedAt": stamp})
    return JSONResponse({"data": stored})


def _conditions(value: Any, errors: Errors) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        errors.add("conditions", say.required("conditions"))
        return []
    kept = []
    for index, item in enumerate(value):
        item = item if isinstance(item, dict) else {}
        for key, allowed in (("condition", CONDITIONS), ("action", ACTIONS), ("comparison", COMPARISONS)):
            if item.get(key) not in allowed:
                errors.add(f"conditions.{index}.{key}", say.selected_invalid(f"conditions.{index}.{key}"))
        if item.get("value") is None:
            errors.add(f"conditions.{index}.value", say.required(f"conditions.{index}.value"))
        kept.append({k: item.get(k) for k in ("condition", "action", "comparison")} | {"value": str(item.get("value"))})
    if kept and kept[0]["condition"] != "when":  # "first condition must be - when"
        errors.add("conditions.0.condition", say.selected_invalid("conditions.0.condition"))
    return kept


# --- 24. the rule assigned to a campaign ---------------------------------------------------------

async def _get_relation(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    store = sandbox_of(request).store
    relation = store.get(RULE_RELATION, campaign_id)
    rule = store.get(RULE, relation["ruleId"]) if relation else None
    return JSONResponse({"data": rule})


async def _assign_rule(request: Request, subject: str) -> Response:
    body = await _body(request)
    store = sandbox_of(request).store
    errors = Errors()
    for key, kind in (("campaignId", CAMPAIGN), ("ruleId", RULE)):  # each required|integer|exists
        owned_ids([body.get(key)], lambda _, k=key: k, lambda value: value, store, kind, subject, errors)
    if errors:
        return errors.response()
    store.set(RULE_RELATION, body["campaignId"], subject, {"ruleId": body["ruleId"]})
    return JSONResponse({"campaignId": body["campaignId"], "ruleId": body["ruleId"]})


async def _remove_relation(request: Request, subject: str, campaign_id: int, found: dict[str, Any]) -> Response:
    store = sandbox_of(request).store
    had = bool(store.get(RULE_RELATION, campaign_id))
    store.set(RULE_RELATION, campaign_id, subject, {})
    return JSONResponse({"deleted": had})


# --- the validation list's Campaign.extention.deviceVendor ---------------------------------------

DEVICE_VENDOR_STORE = "campaign_device_vendors"  # keyed by campaign id; no answer shows it (11.2.3, 11.3.4)


def device_vendors(body: object, errors: Errors) -> list[str] | None:
    """`extention.deviceVendor` of a campaign create's body (an array of the validation list's values), None
    when absent; errors as Laravel words them."""
    extention = body.get("extention") if isinstance(body, dict) else None
    if extention is None:
        return None
    vendors = extention.get("deviceVendor") if isinstance(extention, dict) else None
    if not isinstance(extention, dict) or (vendors is not None and not isinstance(vendors, list)):
        key = "extention" if not isinstance(extention, dict) else "extention.deviceVendor"
        errors.add(key, say.array(key))
        return None
    for index, vendor in enumerate(vendors or []):
        if vendor not in DEVICE_VENDORS:
            errors.add(f"extention.deviceVendor.{index}", say.selected_invalid(f"extention.deviceVendor.{index}"))
    return list(vendors or [])


def keep_device_vendors(store: Any, campaign_id: int, subject: str, vendors: list[str] | None) -> None:
    if vendors is not None:
        store.set(DEVICE_VENDOR_STORE, campaign_id, subject, {"deviceVendor": vendors})


def held_device_vendors(store: Any, campaign_id: int) -> list[str]:
    body = store.get(DEVICE_VENDOR_STORE, campaign_id)
    return list(body["deviceVendor"]) if body else []
