"""SmartyAds' verbs call the client through routes declared once (`_routes.py`): a kind without routes
is refused when its verbs are made, and each verb sends the request it always sent."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from bulkops.kinds import APPEND, REPLACE
from bulkops.platforms.smartyads._routes import ENTITY_ROUTES, LIST_ROUTES, route
from bulkops.platforms.smartyads._steps import Assignments, Entities, TargetList, verbs_for
from bulkops.platforms.smartyads.client import SmartyAdsClient


class SpyClient:
    """Answers any method `SmartyAdsClient` has (and no other), recording each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        if not callable(getattr(SmartyAdsClient, name, None)):
            raise AttributeError(name)
        if name.startswith("iter_"):
            async def every(*args: Any, **kwargs: Any) -> Any:
                self.calls.append((name, args))
                yield SimpleNamespace(id=3, name="North", title="North")
            return every

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args))
            if name.startswith("get_"):
                return []
            return SimpleNamespace(id=9)
        return call


@pytest.mark.parametrize(("make", "spelling"), [
    (lambda client, name: Entities(client, name), "campaign"),  # the noun, not the kind
    (lambda client, name: Entities(client, name), "filter_lists"),
    (lambda client, name: TargetList(client, name), "geo_zips"),
    (lambda client, name: TargetList(client, name), "deals"),  # a list, but one without an append route
    (lambda client, name: Assignments(client, name), "filter_lists"),
    (lambda client, name: Assignments(client, name), "creative"),
])
def test_a_mistyped_kind_is_refused_when_the_verbs_are_made_not_at_their_first_request(make, spelling):
    client = SpyClient()
    with pytest.raises(ValueError, match=f"no such routes for '{spelling}'"):
        make(client, spelling)
    assert client.calls == []


def test_a_route_is_only_a_method_of_the_client():
    class Elsewhere:
        async def create_campaign(self, payload: dict) -> None: ...

    with pytest.raises(TypeError, match="not a method of SmartyAdsClient"):
        route(Elsewhere.create_campaign)
    with pytest.raises(AttributeError):
        route(SmartyAdsClient.create_campagn)  # type: ignore[attr-defined]


def test_every_declared_route_binds_to_the_real_clients_own_method():
    client = SmartyAdsClient("http://127.0.0.1:9", "buyer@example.org", "secret")
    routes = [*ENTITY_ROUTES.values(), *LIST_ROUTES.values()]
    for declared in routes:
        for name, getter in vars(declared).items():
            if callable(getter):
                bound = getter(client)
                assert bound.__self__ is client and getattr(SmartyAdsClient, bound.__name__) is bound.__func__, name


def test_each_verb_sends_its_kinds_route():
    client = SpyClient()
    verbs = verbs_for(client, item_cap=1000)

    async def drive() -> None:
        await verbs["campaigns"].create({"name": "North"})
        await verbs["creatives"].update(4, {"name": "Banner"})
        await verbs["filter-lists"].delete(5)
        assert await verbs["campaigns"].find("North") == [3]
        assert verbs["campaigns"].highest_listed() == 9  # the create's answer, then the listing's 3
        await verbs["geo-zip"].send(1, [{"zip": "02101"}], REPLACE)
        await verbs["geo-gps"].send(1, [{"lat": 1.0}], APPEND)
        await verbs["geo-gps"].current(1)
        await verbs["assign-creatives"].send(1, [7], APPEND)
        await verbs["assign-creatives"].send(1, [7], REPLACE)
        await verbs["assign-filter-lists"].send(1, [8], APPEND, present=[2])
        await verbs["assign-filter-lists"].current(1)

    asyncio.run(drive())
    assert [name for name, _ in client.calls] == [
        "create_campaign", "update_creative", "delete_filter_list", "iter_campaigns", "replace_geo_zips",
        "append_geo_circles", "get_geo_circles", "append_campaign_creatives", "replace_campaign_creatives",
        "replace_campaign_filter_lists", "get_campaign_filter_lists"]
    assert client.calls[-2] == ("replace_campaign_filter_lists", (1, [2, 8]))  # no append route: the union
