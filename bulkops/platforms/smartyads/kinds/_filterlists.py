"""SmartyAds filter lists (section 20), their items, and their assignment to campaigns (section 21).

A list is an entity (Ref, ID, Action) on the Filter Lists sheet; its items are rows of the Filter
List Items sheet naming the list. SmartyAds has no append route for items: a list is created with
its items, or replaced whole by PUT, and a list longer than one request takes goes through the
file route (`api/parsefile`).
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable

from bulkops.kinds import ENTITY_COLUMNS, ColType, Column, ItemCheck, Kind, UpdateRoute, mode, parent, parents
from bulkops.platforms.smartyads import _enums as enums
from bulkops.platforms.smartyads.kinds._assign import assignment_mode, remove_needs_id

PLATFORM = "smartyads"

FILTER_LISTS = Kind(
    name="filter-lists", appendable=True, sheet="Filter Lists", platform=PLATFORM, natural_key=("title",),
    updatable=("title", "isInclude"),  # PUT takes title, isInclude and items (20.4.1); the type is fixed
    update_route=UpdateRoute("SmartyAds' filter list update, 20.4.1", ("title", "isInclude", "items", "fileName")),
    columns=ENTITY_COLUMNS + (
        Column("Title", "title", ColType.TEXT, "Name of the list.", example="Brand-safe domains", required=True,
               max_length=255, own=("length",)),
        Column("Type", "type", ColType.ENUM, "What the list holds; its items are checked accordingly.",
               example="domain", required=True, choices=enums.FILTER_LIST_TYPES),
        Column("Include", "isInclude", ColType.INCLUDE,
               "include: an allow list (white); exclude: a block list (black). Blank on create means include.",
               example="exclude", choices=("include", "exclude")),
        parents("Campaigns", "campaigns", "campaigns", "campaigns", "spring-sale"),
        assignment_mode("set of filter lists of each campaign named in Campaigns"),
    ),
    checks=(remove_needs_id,),
    payload=lambda v: {k: v[k] for k in ("title", "type", "isInclude") if v.get(k) is not None},
)

FILTER_LIST_ITEMS = Kind(
    name="filter-list-items", appendable=True, sheet="Filter List Items", platform=PLATFORM,
    columns=(
        parent("Filter List", "filterList", "filter-lists", "filter list", "safe-domains"),
        # The document gives an item only as a string: its length and its syntax by the list's type
        # (ITEM_RULES) are bulkops's own.
        Column("Item", "item", ColType.TEXT, "One domain, app, bundle, IP address, URL, device IFA… per row, as "
               "the list's Type says.", example="news.example.com", required=True, max_length=2048,
               own=("length", "syntax")),
        mode("item list of their filter list"),
    ),
    payload=lambda v: {"item": v["item"]},
    item_fields=("item",),
    item_check=ItemCheck("item", "type", lambda list_type, item, header: item_problem(list_type, item, header)),
)

_HOST = re.compile(r"^(?=.{1,253}$)(\*\.)?([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$",
                   re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_BUNDLE = re.compile(r"^([A-Za-z][\w-]*(\.[\w-]+)+|\d{6,12}|id\d{6,12})$")
_TOKEN = re.compile(r"^\S{1,255}$")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        try:
            ipaddress.ip_network(text, strict=False)
        except ValueError:
            return False
    return True


def _is_ifa(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


# type → (test, what a good item looks like)
ITEM_RULES: dict[str, tuple[Callable[[str], bool], str]] = {
    "domain": (lambda t: bool(_HOST.match(t)), "a domain such as news.example.com"),
    "urls": (lambda t: bool(_URL.match(t)), "a URL starting with http:// or https://"),
    "ipAdresses": (_is_ip, "an IPv4 or IPv6 address (or a CIDR range)"),
    "deviceIfas": (_is_ifa, "a device advertising ID (a UUID such as 6D92078A-8246-4BA4-AE5B-76104861E7DC)"),
    "bundles": (lambda t: bool(_BUNDLE.match(t)), "an app bundle such as com.example.app or an App Store ID"),
    "apps": (lambda t: bool(_TOKEN.match(t)), "an app ID without spaces"),
    "publishers": (lambda t: bool(_TOKEN.match(t)), "a publisher ID without spaces"),
    "siteAndAppsIds": (lambda t: bool(_TOKEN.match(t)), "a site or app ID without spaces"),
    "tagIds": (lambda t: bool(_TOKEN.match(t)), "a tag ID without spaces"),
}


def item_problem(list_type: str, item: str, type_header: str = "Type") -> str | None:
    """Why `item` cannot be in a list of `list_type`, or None; `type_header`: what the list's sheet
    calls its Type column."""
    rule = ITEM_RULES.get(list_type)
    if rule is None or rule[0](item):
        return None
    return f"{item!r} is not {rule[1]} (the list's {type_header} is {list_type})"





__all__ = ["FILTER_LISTS", "FILTER_LIST_ITEMS", "ITEM_RULES", "item_problem"]
