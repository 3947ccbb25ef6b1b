"""SmartyAds campaign targeting lists: ZIP geo (section 6), GPS geo (section 5) and deals (section 8).

One item per row; each row names its campaign by ID or Ref. The run groups rows by campaign and
sends each campaign's list in as few requests as the API allows.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import (
    APPEND,
    REMOVE,
    REPLACE,
    ColType,
    Column,
    Kind,
    SheetContext,
    coordinate,
    mode,
    parent,
    repair_postcodes,
)
from bulkops.platforms.smartyads import _enums as enums

PLATFORM = "smartyads"
KM_PER_MILE = 1.609344
_OWN_RANGE = ("minimum", "maximum")  # the document gives no range for coordinates or radii
_INCLUDE = Column("Include", "include", ColType.INCLUDE,
                  "include: target it; exclude: block it. Blank means include.", example="include",
                  choices=("include", "exclude"))

# A ZIP is a string in the document: its length and a US ZIP's five digits are bulkops's own.
_ZIP = Column("ZIP", "zip", ColType.TEXT, "Postal code, as text (leading zeros kept).", example="02134", required=True,
              max_length=16, own=("length", "syntax"))
GEO_ZIP_COLUMNS: tuple[Column, ...] = (
    parent("Campaign", "campaign", "campaigns", "campaign", "spring-sale"),
    _ZIP,
    Column("Country", "iso2", ColType.ENUM, "Country of the postal code, ISO 3166 alpha-2.", example="US",
           required=True, choices=enums.ISO2_COUNTRIES, own=("allowed",)),
    coordinate("Latitude", "lat", 90, 42.3539, required=False, own=_OWN_RANGE),
    coordinate("Longitude", "lng", 180, -71.1337, required=False, own=_OWN_RANGE),
    _INCLUDE,
    mode("ZIP targeting"),
)


def _repair_zips(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """ZIPs by the one postal-code rule (leading zeros restored, ZIP+4 cut to the ZIP); blank
    coordinates of US ZIPs come from the offline `zipcodes` data (the API needs them)."""
    countries = frame["iso2"].tolist()
    problems = repair_postcodes(frame, where, "zip", countries)
    refused = {p.row for p in problems if p.is_error}
    zip_header, lat_header, lng_header = where.header("zip"), where.header("lat"), where.header("lng")
    # Columns as lists, written back at the end: cell by cell through pandas costs ~30 µs a cell.
    zips, lats, lngs = frame["zip"].tolist(), frame["lat"].tolist(), frame["lng"].tolist()
    rows = frame.index.tolist()
    wanted: set[str] = set()  # US ZIPs whose coordinates are blank, looked up together
    for at, (row, iso2, code) in enumerate(zip(rows, countries, zips, strict=True)):
        if code is None or row in refused:
            continue  # blank, or refused by the rule
        if iso2 == "US":
            if lats[at] is None or lngs[at] is None:
                wanted.add(code)
        elif lats[at] is None or lngs[at] is None:
            problems.append(where.problem(row, lat_header, "required", f"{lat_header} and {lng_header} are required "
                                          "for ZIPs outside the US (the API needs them; US ones are filled in)"))
    found = us_zip_locations(wanted)
    for at, (row, iso2, code) in enumerate(zip(rows, countries, zips, strict=True)):
        if code is not None and row not in refused and iso2 == "US" and (lats[at] is None or lngs[at] is None):
            location = found[code]
            if location is None:
                problems.append(where.problem(row, lat_header, "required", f"{zip_header} {code} is not in the "
                                              f"offline US ZIP list; fill {lat_header} and {lng_header}"))
            else:
                lats[at], lngs[at] = location
    frame["lat"] = pd.Series(lats, index=frame.index, dtype=object)
    frame["lng"] = pd.Series(lngs, index=frame.index, dtype=object)
    return problems


_BULK = 1000  # more distinct ZIPs than this: one pass over the whole table beats a search each


def us_zip_locations(codes: Iterable[str]) -> dict[str, tuple[float, float] | None]:
    """`us_zip_location` of each code."""
    wanted = set(codes)
    if len(wanted) <= _BULK:
        return {code: us_zip_location(code) for code in wanted}
    table = _us_zip_table()
    return {code: _location(table.get(code)) for code in wanted}


@functools.cache
def _us_zip_table() -> dict[str, dict[str, Any]]:
    import zipcodes

    # reversed: where a code appears twice, the first entry wins, as with zipcodes.matching(code)[0]
    return {entry["zip_code"]: entry for entry in reversed(zipcodes.list_all())}


def _location(entry: Mapping[str, Any] | None) -> tuple[float, float] | None:
    return None if entry is None else (float(entry["lat"]), float(entry["long"]))


@functools.cache
def us_zip_location(code: str) -> tuple[float, float] | None:
    import zipcodes  # loaded on first use: its table takes a fifth of a second to load

    try:
        matches = zipcodes.matching(code)
    except (ValueError, TypeError):
        return None
    if not matches:
        return None
    return _location(matches[0])


def _zip_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"lat": values["lat"], "lng": values["lng"], "zip": values["zip"], "iso2": values["iso2"],
            "include": values.get("include") is not False}


GEO_ZIP = Kind(
    name="geo-zip", appendable=True, sheet="Geo ZIP", platform=PLATFORM, columns=GEO_ZIP_COLUMNS,
    repairs=(_repair_zips,), payload=_zip_payload, item_fields=("zip", "iso2", "include"),
)

GEO_GPS = Kind(
    name="geo-gps", appendable=True, sheet="Geo GPS", platform=PLATFORM,
    columns=(
        parent("Campaign", "campaign", "campaigns", "campaign", "spring-sale"),
        coordinate("Latitude", "lat", 90, 50.4501, own=_OWN_RANGE),
        coordinate("Longitude", "lng", 180, 30.5234, own=_OWN_RANGE),
        Column("Radius", "radius", ColType.NUMBER, "Radius of the circle, in Unit.", example=10, required=True,
               minimum=0.001, maximum=20000, own=_OWN_RANGE),
        Column("Unit", "unit", ColType.ENUM, "km or mi. SmartyAds takes kilometres; miles are converted.",
               example="km", required=True, choices=("km", "mi")),
        _INCLUDE,
        mode("GPS targeting"),
    ),
    payload=lambda v: {"lat": v["lat"], "lng": v["lng"], "radius": radius_km(v["radius"], v["unit"]),
                       "include": v.get("include") is not False},
    item_fields=("lat", "lng", "radius", "unit", "include"),
)


def radius_km(radius: float, unit: str) -> float:
    """The API's radius has no documented unit; bulkops sends kilometres (docs/smartyads.md)."""
    km = radius * KM_PER_MILE if unit == "mi" else radius
    return round(km, 3) if not math.isclose(km, round(km)) else float(round(km))


def _deal_bid_required(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    header = where.header("bidPrice")
    missing = frame[(frame["mode"] != REMOVE) & frame["bidPrice"].isna()]
    return [where.problem(row, header, "required", f"{header} is required (except to remove a deal)")
            for row in missing.index]


DEALS = Kind(
    name="deals", appendable=True, sheet="Deals", platform=PLATFORM,
    columns=(
        parent("Campaign", "campaign", "campaigns", "campaign", "spring-sale"),
        Column("Deal ID", "dealId", ColType.TEXT, "The PMP deal's identifier, as text.", example="DEAL-001",
               required=True, max_length=255, own=("length",)),
        Column("Bid Price", "bidPrice", ColType.NUMBER, "CPM bid for this deal's inventory.", example=2.5,
               minimum=0.01, own=("minimum",)),
        mode("deal list", (REPLACE, APPEND, REMOVE)),
    ),
    checks=(_deal_bid_required,),
    payload=lambda v: {"dealId": v["dealId"]} | ({} if v.get("bidPrice") is None else
                                                 {"bidPrice": f"{v['bidPrice']:.2f}"}),
    item_fields=("dealId",),
)

__all__ = ["APPEND", "DEALS", "GEO_GPS", "GEO_ZIP", "REMOVE", "REPLACE", "radius_km", "us_zip_location"]
