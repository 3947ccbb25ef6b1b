"""IQM targeting sheets: Geo ZIP, Geo GPS, Deals and Filter Lists, one item per row.

IQM has no targeting routes of their own: each item is a value of one of the campaign's own fields
(`whiteListedZipcodes`, `whiteListedGeoRadiusDetails`, `userDealId`, `blackListedIp`...). Every row's
payload is `{"field": <campaign field>, "value": <item>}`; the run folds a campaign's items into its
create request (comma-separated strings; circles as the JSON array of IQM's campaign guide), and an
existing campaign's deals into its update (the other fields have no update route: docs/iqm.md).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import ColType, Column, Kind, SheetContext, coordinate, parent, repair_postcodes, rows_of

PLATFORM = "iqm"
# Which checks are bulkops's own (`Column.own`): the quick start's request table ("Step 5: Create a
# Campaign") types ZIP codes, deals and filter values as comma-separated strings, IPs as IPv4
# addresses and inventory groups, deals, states and countries as IDs (whole numbers, as the campaign
# guide types IQM's IDs), and the campaign guide shows a circle's fields; neither gives a ZIP's
# shape, a coordinate or radius range, a length, or the syntax of a domain, app, package or device.
# Those are bulkops's own: they refuse only values the campaign does not hold already (docs/iqm.md).
_OWN_RANGE = ("minimum", "maximum")
_CAMPAIGN = parent("Campaign", "campaign", "campaigns", "campaign", "spring-sale")
_INCLUDE = Column("Include", "include", ColType.INCLUDE,
                  "include: target it (allow list); exclude: block it (block list). Blank means include.",
                  example="include", choices=("include", "exclude"))


def _listed(values: Mapping[str, Any], noun: str) -> str:
    return ("blackListed" if values.get("include") is False else "whiteListed") + noun


def _item(field: str, value: Any) -> dict[str, Any]:
    return {"field": field, "value": value}


# -- ZIP ----------------------------------------------------------------------------------------

def _repair_zips(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """US ZIPs by the one postal-code rule: leading zeros restored, ZIP+4 cut to the ZIP."""
    return repair_postcodes(frame, where, "zip", ["US"] * len(frame))


GEO_ZIP = Kind(
    name="geo-zip",
    appendable=True,
    sheet="Geo ZIP",
    platform=PLATFORM,
    columns=(
        _CAMPAIGN,
        Column("ZIP", "zip", ColType.TEXT, "US ZIP code, as text (leading zeros kept).", example="02134",
               required=True, pattern=r"^[0-9]{5}$", pattern_hint="a five-digit US ZIP code", own=("pattern",)),
        _INCLUDE,
    ),
    repairs=(_repair_zips,),
    item_fields=("zip", "include"),
    payload=lambda v: _item(_listed(v, "Zipcodes"), v["zip"]),
)

# -- GPS ----------------------------------------------------------------------------------------


def _circle(values: Mapping[str, Any]) -> dict[str, Any]:
    """One circle as IQM's campaign guide shows GeoRadiusDetails (radius in miles)."""
    circle = {"unit": "mile", "address": values.get("address") or "", "latitude": values["latitude"],
              "longitude": values["longitude"], "radius": values["radius"], "type": "circle"}
    for key, field in (("sid", "stateId"), ("cid", "countryId")):
        if values.get(field) is not None:
            circle[key] = values[field]
    return _item(_listed(values, "GeoRadiusDetails"), circle)


GEO_GPS = Kind(
    name="geo-gps",
    appendable=True,
    sheet="Geo GPS",
    platform=PLATFORM,
    columns=(
        _CAMPAIGN,
        coordinate("Latitude", "latitude", 90, 42.3539, own=_OWN_RANGE),
        coordinate("Longitude", "longitude", 180, -71.1337, own=_OWN_RANGE),
        Column("Radius (miles)", "radius", ColType.NUMBER, "Radius of the circle in miles.", example=1.5,
               required=True, minimum=0.01, maximum=500, own=_OWN_RANGE),
        Column("Address", "address", ColType.TEXT, "What the circle is around (shown in IQM).",
               example="1 Main St, Boston, MA", max_length=500, own=("length",)),
        Column("State ID", "stateId", ColType.TEXT, "IQM's ID of the circle's state (sid).", example="444",
               pattern=r"^[0-9]+$", pattern_hint="a whole-number ID"),
        Column("Country ID", "countryId", ColType.TEXT, "IQM's ID of the circle's country (cid).",
               example="30100001", pattern=r"^[0-9]+$", pattern_hint="a whole-number ID"),
        _INCLUDE,
    ),
    item_fields=("latitude", "longitude", "radius", "include"),
    payload=_circle,
)

# -- Deals --------------------------------------------------------------------------------------

DEALS = Kind(
    name="deals",
    appendable=True,
    sheet="Deals",
    platform=PLATFORM,
    columns=(
        _CAMPAIGN,
        Column("Deal ID", "dealId", ColType.TEXT, "IQM's ID of the PMP deal.", example="5012", required=True,
               pattern=r"^[0-9]+$", pattern_hint="a whole-number deal ID"),
        Column("Deal Kind", "dealKind", ColType.ENUM,
               "user: one of your own deals (userDealId); group: a deal group (groupDealId). Blank means user.",
               example="user", choices=("user", "group")),
    ),
    item_fields=("dealId", "dealKind"),
    payload=lambda v: _item("groupDealId" if v.get("dealKind") == "group" else "userDealId", v["dealId"]),
)

# -- Filter lists -------------------------------------------------------------------------------

_DOMAIN = re.compile(r"^(?:https?://)?(?!-)[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also takes "²", which int() refuses
_PACKAGE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$", re.IGNORECASE)


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


class FilterType(NamedTuple):
    noun: str  # the campaign fields' noun: whiteListed<noun>, blackListed<noun>
    what: str  # what a value looks like, for messages
    valid: Callable[[str], bool]
    own: bool  # the syntax is bulkops's own; False: the quick start gives it (an IPv4 address, an ID)


FILTER_TYPES: dict[str, FilterType] = {
    "ip": FilterType("Ip", "an IPv4 address", _is_ipv4, own=False),
    "domain": FilterType("SiteDomain", "a site domain such as news.example.com", lambda t: bool(_DOMAIN.match(t)),
                         own=True),
    "app": FilterType("AppId", "an iOS app ID (digits, e.g. 389801252)",
                      lambda t: _DIGITS.fullmatch(t.removeprefix("id")) is not None, own=True),
    "package": FilterType("PackageName", "an Android package name such as com.example.app",
                          lambda t: bool(_PACKAGE.match(t)), own=True),
    "device": FilterType("DeviceId", "a device ID", lambda t: bool(t.strip()), own=True),
    "inventory-group": FilterType("InventoryGroupIds", "an inventory group ID (digits)",
                                  lambda t: _DIGITS.fullmatch(t) is not None, own=False),
}


def _filter_values(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    header = where.header("value")
    problems = []
    for row, values in rows_of(frame):
        spec = FILTER_TYPES.get(values.get("type"))
        text = values.get("value")
        if spec is not None and text is not None and not spec.valid(str(text)):
            problems.append(dataclasses.replace(where.problem(row, header, "format", f"{text!r} is not {spec.what}"),
                                                own=spec.own))
    return problems


FILTER_LISTS = Kind(
    name="filter-lists",
    appendable=True,
    sheet="Filter Lists",
    platform=PLATFORM,
    columns=(
        _CAMPAIGN,
        Column("Type", "type", ColType.ENUM,
               "What the value is: ip, domain (site), app (iOS app ID), package (Android), device (device ID) or "
               "inventory-group (IQM inventory group ID).", example="domain", required=True,
               choices=tuple(FILTER_TYPES)),
        Column("Value", "value", ColType.TEXT, "One IP, domain, app, package, device or inventory group.",
               example="news.example.com", required=True, max_length=2048, own=("length",)),
        _INCLUDE,
    ),
    checks=(_filter_values,),
    item_fields=("type", "value", "include"),
    payload=lambda v: _item(_listed(v, FILTER_TYPES[v["type"]].noun), v["value"]),
)
