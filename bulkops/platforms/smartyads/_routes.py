"""The SmartyAds client's routes as the verbs (`_steps.py`) and the live-state reader (`_export.py`) call
them, declared once per kind.

Each route is named by a reference to a `SmartyAdsClient` method, so a mistyped route fails when this
module is imported, not at a run's first request; it is bound to the run's client (or to a stand-in
with the same methods) when called: `CAMPAIGN_ROUTES.create(client)(payload)`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from bulkops.platforms.smartyads.client import SmartyAdsClient as _Client

__all__ = ["CAMPAIGN_ROUTES", "CREATIVE_ROUTES", "ENTITY_ROUTES", "FILTER_LIST_ROUTES", "LIST_ROUTES", "EntityRoutes",
           "ListRoutes", "Route", "route", "routes_for"]

# A client → that route, bound to it.
Route = Callable[[Any], Callable[..., Any]]


def route(method: Callable[..., Any]) -> Route:
    """`SmartyAdsClient.<method>` as a route. Only the client's own methods are routes: a function of
    the same name from elsewhere is refused."""
    name = getattr(method, "__name__", "")
    if getattr(_Client, name, None) is not method:
        raise TypeError(f"{method!r} is not a method of SmartyAdsClient")
    return operator.attrgetter(name)


@dataclass(frozen=True)
class EntityRoutes:
    """One kind of object's routes: create, update, delete, read one, a page of the list (`page=`,
    `per_page=`) and every page of it; `name_field` is what names an object in the list."""

    create: Route
    update: Route
    delete: Route
    get: Route
    page: Route
    every: Route
    name_field: str = "name"


@dataclass(frozen=True)
class ListRoutes:
    """A campaign's list: its read (GET), its replace (POST) and, where the platform has one, its append
    (PATCH; None: an append sends the union through the replace)."""

    read: Route
    replace: Route
    append: Route | None = None
    remove: Route | None = None  # takes the named items off (DELETE with their IDs; None: no such route)


CAMPAIGN_ROUTES = EntityRoutes(
    create=route(_Client.create_campaign), update=route(_Client.update_campaign),
    delete=route(_Client.delete_campaign), get=route(_Client.get_campaign),
    page=route(_Client.list_campaigns), every=route(_Client.iter_campaigns))
CREATIVE_ROUTES = EntityRoutes(
    create=route(_Client.create_creative), update=route(_Client.update_creative),
    delete=route(_Client.delete_creative), get=route(_Client.get_creative),
    page=route(_Client.list_creatives), every=route(_Client.iter_creatives))
# A filter list's update is its PUT (20.4.1): it replaces the list, so its items travel with it.
FILTER_LIST_ROUTES = EntityRoutes(
    create=route(_Client.create_filter_list), update=route(_Client.replace_filter_list),
    delete=route(_Client.delete_filter_list), get=route(_Client.get_filter_list),
    page=route(_Client.list_filter_lists), every=route(_Client.iter_filter_lists), name_field="title")

# By kind name.
ENTITY_ROUTES: Mapping[str, EntityRoutes] = MappingProxyType({
    "campaigns": CAMPAIGN_ROUTES, "creatives": CREATIVE_ROUTES, "filter-lists": FILTER_LIST_ROUTES})

# A campaign's lists, by the kind name of what they hold.
LIST_ROUTES: Mapping[str, ListRoutes] = MappingProxyType({
    "creatives": ListRoutes(read=route(_Client.get_campaign_creatives),
                            replace=route(_Client.replace_campaign_creatives),
                            append=route(_Client.append_campaign_creatives),
                            remove=route(_Client.remove_campaign_creatives)),  # 19.4
    "filter-lists": ListRoutes(read=route(_Client.get_campaign_filter_lists),
                               replace=route(_Client.replace_campaign_filter_lists),
                               remove=route(_Client.remove_campaign_filter_lists)),  # 21.3
    "geo-zip": ListRoutes(read=route(_Client.get_geo_zips), replace=route(_Client.replace_geo_zips),
                          append=route(_Client.append_geo_zips)),
    "geo-gps": ListRoutes(read=route(_Client.get_geo_circles), replace=route(_Client.replace_geo_circles),
                          append=route(_Client.append_geo_circles)),
    "deals": ListRoutes(read=route(_Client.get_deals), replace=route(_Client.replace_deals)),
    "audiences": ListRoutes(read=route(_Client.get_campaign_audiences),
                            replace=route(_Client.replace_campaign_audiences),
                            append=route(_Client.append_campaign_audiences)),
    "contextual": ListRoutes(read=route(_Client.get_campaign_contextual),
                             replace=route(_Client.replace_campaign_contextual),
                             append=route(_Client.append_campaign_contextual)),
})

_R = TypeVar("_R", EntityRoutes, ListRoutes)


def routes_for(table: Mapping[str, _R], kind_name: str) -> _R:
    """The kind's routes in `table`; a kind the table does not declare is refused (when the verbs are
    made, not at their first request)."""
    try:
        return table[kind_name]
    except KeyError:
        raise ValueError(f"SmartyAds declares no such routes for {kind_name!r}; it has: "
                         f"{', '.join(table)}") from None
