"""SmartyAds campaign targeting lists as documented: "5. Assign GEO Targeting (GPS) to Campaigns",
"6. Assign GEO Targeting (ZipCode) to Campaigns" and "8. Assign Deals to Campaigns".

Each campaign's list is one stored body, {"items": [...]}, kept with `Store.set` under the
campaign's id (kinds CIRCLES, ZIPS, DEALS); rows are in the shape the document's GET examples show.
Also the field rules the creative and filter-list routes share.

Where the document is silent (decided here, tested in tests/sandbox/test_targeting.py):
- `items` (`deals`) itself is required and must be a non-empty array of at most
  `config.max_items_per_request` entries; the tables only mark `items.*.x`.
- Numbers follow Laravel's `numeric`: JSON numbers or numeric strings (stored as numbers);
  booleans are JSON true/false only, as the campaign rules have it. Strings are trimmed first, as
  Laravel's TrimStrings middleware does; `zip` must be a string (a number is refused, since ZIPs
  lose leading zeros as numbers). `iso2` is an upper-case ISO 3166 alpha-2 code.
- A rule failing ends that field's checks (as if Laravel's `bail`), so each field gets one message.
- DELETE of GPS/ZIP targeting empties the campaign's list. The document's "request body" for it is
  a copy of its answer (`{"message": "Deleted."}`), so the body is not read.
- Deal replace deletes the campaign's deal rows and inserts new ones: every replace gives new
  record ids. Deal delete ignores record ids the campaign does not have (a retried delete is
  harmless). Deals are stored as sent: the same dealId twice makes two rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bulkops.platforms.smartyads._enums import ISO2_COUNTRIES
from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._http import for_campaign, now, page_of
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.sandbox import Store, json_body, json_object, route, sandbox_of

CIRCLES = "campaign_circles"  # store kinds, keyed by campaign id
ZIPS = "campaign_zips"
DEALS = "campaign_deals"
DEAL_RECORD = "campaign_deal"  # the sequence deal record ids come from
LIST_PER_PAGE = 1000  # per_page of the 5.1.4, 6.1.4 and 8.1.4 examples
MAX_STRING = 255  # a VARCHAR(255) column

# Country names for ZIP rows' `countryName` (6.1.4); a code not here answers as its own name.
COUNTRY_NAMES: dict[str, str] = {
    "AE": "United Arab Emirates", "AR": "Argentina", "AT": "Austria", "AU": "Australia", "BE": "Belgium",
    "BG": "Bulgaria", "BR": "Brazil", "BY": "Belarus", "CA": "Canada", "CH": "Switzerland", "CL": "Chile",
    "CN": "China", "CO": "Colombia", "CY": "Cyprus", "CZ": "Czech Republic", "DE": "Germany", "DK": "Denmark",
    "EE": "Estonia", "EG": "Egypt", "ES": "Spain", "FI": "Finland", "FR": "France", "GB": "United Kingdom",
    "GE": "Georgia", "GR": "Greece", "HK": "Hong Kong", "HR": "Croatia", "HU": "Hungary", "ID": "Indonesia",
    "IE": "Ireland", "IL": "Israel", "IN": "India", "IT": "Italy", "JP": "Japan", "KR": "South Korea",
    "KZ": "Kazakhstan", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MD": "Moldova", "MX": "Mexico",
    "MY": "Malaysia", "NG": "Nigeria", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand", "PE": "Peru",
    "PH": "Philippines", "PK": "Pakistan", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "RS": "Serbia",
    "SA": "Saudi Arabia", "SE": "Sweden", "SG": "Singapore", "SI": "Slovenia", "SK": "Slovakia",
    "TH": "Thailand", "TR": "Turkey", "TW": "Taiwan", "UA": "Ukraine", "US": "United States",
    "VN": "Vietnam", "ZA": "South Africa",
}

_NUMERIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def targeting_routes() -> list[Route]:
    gps, zips = _GeoList(CIRCLES, _circle), _GeoList(ZIPS, _zip)
    return [
        route("/api/campaigns/{id}/geo-targeting", GET=for_campaign(gps.get), POST=for_campaign(gps.replace),
              PATCH=for_campaign(gps.append), DELETE=for_campaign(gps.delete)),
        route("/api/campaigns/{id}/geo-targeting-zip-code", GET=for_campaign(zips.get),
              POST=for_campaign(zips.replace), PATCH=for_campaign(zips.append), DELETE=for_campaign(zips.delete)),
        route("/api/campaigns/{id}/deals", GET=for_campaign(_list_deals), POST=for_campaign(_replace_deals),
              DELETE=for_campaign(_delete_deals)),
        route("/api/campaigns/{id}/deals-all", GET=for_campaign(_all_deals)),
    ]


def stored_rows(store: Store, kind: str, object_id: int) -> list[dict[str, Any]]:
    """The list stored under `object_id` (a campaign's ZIPs, circles or deals), [] when none."""
    body = store.get(kind, object_id)
    return list(body["items"]) if body else []


# --- Shared with the creative and filter-list routes ----------------------------------------------------------


def item_list(data: Mapping[str, Any], key: str, cap: int, errors: Errors, *, required: bool = True) -> list | None:
    """`key` as a list of at most `cap` entries (`required|array|max:cap`), or None when it failed or
    is absent."""
    value = data.get(key)
    if value is None or value == []:
        if required:
            errors.add(key, say.required(key))
        return None
    if not isinstance(value, list):
        errors.add(key, say.array(key))
        return None
    if len(value) > cap:
        errors.add(key, say.max_items(key, cap))
    return value


def present(value: Any) -> Any:
    """The value as Laravel's TrimStrings and ConvertEmptyStringsToNull leave it."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def number(value: Any) -> int | float | None:
    """`value` if Laravel's `numeric` accepts it (a numeric string becomes a float), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        parsed = float(value)
        return parsed if math.isfinite(parsed) else None
    return None


def string_field(item: Mapping[str, Any], key: str, field: str, errors: Errors, *, required: bool = True,
                 nullable: bool = False, allowed: Sequence[str] | None = None) -> str | None:
    """`required|string|max:255` (or `required|in:...`); the trimmed string, or None on failure.

    Not required: absent is fine; sent as null (or blank) fails `string` unless `nullable`.
    """
    value = present(item.get(field))
    if value is None:
        if required:
            errors.add(key, say.required(key))
        elif field in item and not nullable:
            errors.add(key, say.string(key))
        return None
    if allowed is not None:
        if value not in allowed:
            errors.add(key, say.selected_invalid(key))
            return None
        return value
    if not isinstance(value, str):
        errors.add(key, say.string(key))
        return None
    if len(value) > MAX_STRING:
        errors.add(key, say.max_characters(key, MAX_STRING))
        return None
    return value


def bool_field(item: Mapping[str, Any], key: str, field: str, errors: Errors, *,
               required: bool = True) -> bool | None:
    value = item.get(field)
    if value is None:
        if required:
            errors.add(key, say.required(key))
        elif field in item:
            errors.add(key, say.boolean(key))
        return None
    if not isinstance(value, bool):
        errors.add(key, say.boolean(key))
        return None
    return value


def _number_field(item: Mapping[str, Any], key: str, field: str, errors: Errors, *,
                  limit: int | None = None, above: int | None = None) -> int | float | None:
    """`required|numeric`, then `between:-limit,limit` or `gt:above`."""
    raw = present(item.get(field))
    if raw is None:
        errors.add(key, say.required(key))
        return None
    value = number(raw)
    if value is None:
        errors.add(key, say.numeric(key))
    elif limit is not None and not -limit <= value <= limit:
        errors.add(key, say.between(key, -limit, limit))
    elif above is not None and not value > above:
        errors.add(key, say.greater_than(key, above))
    else:
        return value
    return None


# --- 5 and 6. GEO targeting (GPS circles, ZIP codes) -----------------------------------------------

ItemRule = Callable[[Mapping[str, Any], str, Errors], dict[str, Any] | None]


def _circle(item: Mapping[str, Any], prefix: str, errors: Errors) -> dict[str, Any] | None:
    """One GPS item (5.2.1), as 5.1.4 answers it, or None when it has errors."""
    before = len(errors.by_key)
    row = {"lat": _number_field(item, f"{prefix}.lat", "lat", errors, limit=90),
           "lng": _number_field(item, f"{prefix}.lng", "lng", errors, limit=180),
           "radius": _number_field(item, f"{prefix}.radius", "radius", errors, above=0),
           "include": bool_field(item, f"{prefix}.include", "include", errors)}
    return row if len(errors.by_key) == before else None


def _zip(item: Mapping[str, Any], prefix: str, errors: Errors) -> dict[str, Any] | None:
    """One ZIP item (6.2.1): lat and lng are required beside zip and iso2; answered as 6.1.4."""
    before = len(errors.by_key)
    lat = _number_field(item, f"{prefix}.lat", "lat", errors, limit=90)
    lng = _number_field(item, f"{prefix}.lng", "lng", errors, limit=180)
    code = string_field(item, f"{prefix}.zip", "zip", errors)
    iso2 = string_field(item, f"{prefix}.iso2", "iso2", errors, allowed=ISO2_COUNTRIES)
    include = bool_field(item, f"{prefix}.include", "include", errors)
    if len(errors.by_key) != before or iso2 is None:
        return None
    return {"lat": lat, "lng": lng, "zip": code, "iso2": iso2, "countryName": COUNTRY_NAMES.get(iso2, iso2),
            "include": include}


def validate_items(body: Any, rule: ItemRule, cap: int) -> tuple[list[dict[str, Any]], Errors]:
    """The rows of `{"items": [...]}` and the errors, keyed as Laravel keys them (`items.3.lat`)."""
    data = body if isinstance(body, dict) else {}
    errors = Errors()
    items = item_list(data, "items", cap, errors)
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(items or []):
        row = rule(item if isinstance(item, dict) else {}, f"items.{index}", errors)
        if row is not None:
            rows.append(row)
    return rows, errors


class _GeoList:
    """GET (paged), POST (replace), PATCH (append), DELETE (empty) of one kind of campaign geo list."""

    def __init__(self, kind: str, rule: ItemRule) -> None:
        self.kind = kind
        self.rule = rule

    async def get(self, request: Request, subject: str, campaign_id: int, _: dict) -> Response:
        rows = stored_rows(sandbox_of(request).store, self.kind, campaign_id)
        return page_of(request, rows, default_per_page=LIST_PER_PAGE, fractal=False)

    async def replace(self, request: Request, subject: str, campaign_id: int, _: dict) -> Response:
        return await self._write(request, subject, campaign_id, append=False)

    async def append(self, request: Request, subject: str, campaign_id: int, _: dict) -> Response:
        # Appended rows are added as sent, never merged with equal rows already there: the API
        # inserts rows, so the same circle or ZIP sent twice is stored twice.
        return await self._write(request, subject, campaign_id, append=True)

    async def delete(self, request: Request, subject: str, campaign_id: int, _: dict) -> Response:
        sandbox_of(request).store.set(self.kind, campaign_id, subject, {"items": []})
        return JSONResponse({"message": "Deleted."})

    async def _write(self, request: Request, subject: str, campaign_id: int, *, append: bool) -> Response:
        sandbox = sandbox_of(request)
        rows, errors = validate_items(await json_body(request), self.rule, sandbox.config.max_items_per_request)
        if errors:
            return errors.response()
        # No await from here on: the read and the write cannot interleave with another request's.
        kept = stored_rows(sandbox.store, self.kind, campaign_id) if append else []
        sandbox.store.set(self.kind, campaign_id, subject, {"items": kept + rows})
        return JSONResponse({"message": "Appended." if append else "Replaced."})


# --- 8. Deals ------------------------------------------------------------------------------------

def _deal(item: Mapping[str, Any], prefix: str, errors: Errors) -> tuple[str, str] | None:
    """dealId and bidPrice (8.3.1); the price as its DECIMAL(…, 2) column gives it back ("1.00")."""
    before = len(errors.by_key)
    deal_id = string_field(item, f"{prefix}.dealId", "dealId", errors)
    price = _number_field(item, f"{prefix}.bidPrice", "bidPrice", errors, above=0)
    if len(errors.by_key) != before or deal_id is None or price is None:
        return None
    return deal_id, str(Decimal(str(price)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


async def _list_deals(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    rows = stored_rows(sandbox_of(request).store, DEALS, campaign_id)
    return page_of(request, rows, default_per_page=LIST_PER_PAGE, fractal=False)


async def _all_deals(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    return JSONResponse({"data": stored_rows(sandbox_of(request).store, DEALS, campaign_id)})


async def _replace_deals(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    sandbox = sandbox_of(request)
    data = await json_object(request)
    errors = Errors()
    deals = item_list(data, "deals", sandbox.config.max_items_per_request, errors)
    accepted = [_deal(d if isinstance(d, dict) else {}, f"deals.{i}", errors) for i, d in enumerate(deals or [])]
    if errors:
        return errors.response()
    stamp = now()
    rows = [{"id": sandbox.store.next_id(DEAL_RECORD), "campaignId": campaign_id, "dealId": deal_id,
             "bidPrice": price, "createdAt": stamp, "updatedAt": stamp}
            for deal_id, price in (a for a in accepted if a is not None)]
    sandbox.store.set(DEALS, campaign_id, subject, {"items": rows})
    return JSONResponse({"message": "Replaced."})


async def _delete_deals(request: Request, subject: str, campaign_id: int, _: dict) -> Response:
    sandbox = sandbox_of(request)
    data = await json_object(request)
    errors = Errors()
    deals = item_list(data, "deals", sandbox.config.max_items_per_request, errors)
    gone: set[int] = set()
    for index, item in enumerate(deals or []):
        key = f"deals.{index}.id"
        record_id = item.get("id") if isinstance(item, dict) else None
        if record_id is None:
            errors.add(key, say.required(key))
        elif isinstance(record_id, bool) or not isinstance(record_id, int):
            errors.add(key, say.integer(key))
        else:
            gone.add(record_id)
    if errors:
        return errors.response()
    kept = [r for r in stored_rows(sandbox.store, DEALS, campaign_id) if r["id"] not in gone]
    sandbox.store.set(DEALS, campaign_id, subject, {"items": kept})
    return JSONResponse({"message": "Deleted."})
