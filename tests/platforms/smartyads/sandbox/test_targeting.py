"""5, 6 and 8: a campaign's GPS circles, ZIP codes and deals, as the document shows them."""

from __future__ import annotations

import re

import httpx
import pytest

from bulkops.sandbox import CAMPAIGN, SandboxConfig, running
from tests.sandbox.conftest import create, login

pytestmark = pytest.mark.slow

GPS = "geo-targeting"
ZIP = "geo-targeting-zip-code"
CIRCLE = {"lat": 50.4501, "lng": 30.5234, "radius": 10, "include": True}  # 5.2.2's item
ZIP_ITEM = {"lat": 50.4501, "lng": 30.5234, "zip": "01001", "iso2": "UA", "include": True}  # 6.2.2's item
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


@pytest.fixture(scope="module")
def cid(client) -> int:
    answer = client.post("/api/campaigns", json={"type": "banner", "name": "Geo", "aDomain": "geo.example.com"})
    return answer.json()["data"]["id"]


def _url(campaign_id: int, what: str) -> str:
    return f"/api/campaigns/{campaign_id}/{what}"


def _no_links_page(total: int) -> dict:
    return {"pagination": {"total": total, "count": total, "per_page": 1000, "current_page": 1, "total_pages": 1,
                           "links": {"prev": None, "next": None}}}


# --- 5. GPS ----------------------------------------------------------------------------------------

def test_gps_replace_then_get_answers_the_document_shape(server, http, auth):
    campaign = create(http, auth)["id"]
    answer = http.post(_url(campaign, GPS), json={"items": [CIRCLE]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    assert server.sandbox.campaign_circles(campaign) == [CIRCLE]
    assert http.get(_url(campaign, GPS), headers=auth).json() == {"data": [CIRCLE], "meta": _no_links_page(1)}


def test_gps_replace_replaces_append_keeps_duplicates_delete_empties(server, http, auth):
    campaign = create(http, auth)["id"]
    other = {"lat": -33.8688, "lng": 151.2093, "radius": 2.5, "include": False}
    assert http.post(_url(campaign, GPS), json={"items": [CIRCLE, CIRCLE]}, headers=auth).status_code == 200
    assert http.post(_url(campaign, GPS), json={"items": [other]}, headers=auth).status_code == 200
    assert server.sandbox.campaign_circles(campaign) == [other]
    answer = http.patch(_url(campaign, GPS), json={"items": [CIRCLE, other]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Appended."}
    # The API inserts what PATCH sends: an equal row already there is not merged.
    assert server.sandbox.campaign_circles(campaign) == [other, CIRCLE, other]
    # The document's DELETE body is its answer's copy; it is not needed and not read.
    answer = http.request("DELETE", _url(campaign, GPS), json={"message": "Deleted."}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted."}
    assert server.sandbox.campaign_circles(campaign) == []
    assert http.delete(_url(campaign, GPS), headers=auth).json() == {"message": "Deleted."}


def test_gps_numeric_strings_are_read_as_numbers(server, http, auth):
    campaign = create(http, auth)["id"]
    item = {"lat": " 50.5 ", "lng": "-30", "radius": "1e1", "include": False}
    assert http.post(_url(campaign, GPS), json={"items": [item]}, headers=auth).status_code == 200
    assert server.sandbox.campaign_circles(campaign) == [{"lat": 50.5, "lng": -30.0, "radius": 10.0,
                                                          "include": False}]


def test_coordinate_edges_are_accepted(server, http, auth):
    campaign = create(http, auth)["id"]
    items = [{"lat": 90, "lng": -180, "radius": 0.001, "include": True},
             {"lat": -90.0, "lng": 180.0, "radius": 20000, "include": False}]
    assert http.post(_url(campaign, GPS), json={"items": items}, headers=auth).status_code == 200
    assert server.sandbox.campaign_circles(campaign) == items


def test_geo_get_pages_past_a_thousand_rows(server, http, auth):
    campaign = create(http, auth)["id"]
    rows = [{"lat": round(i / 100, 2), "lng": 1, "radius": 1, "include": True} for i in range(1500)]
    assert http.post(_url(campaign, GPS), json={"items": rows[:1000]}, headers=auth).status_code == 200
    assert http.patch(_url(campaign, GPS), json={"items": rows[1000:]}, headers=auth).status_code == 200
    first = http.get(_url(campaign, GPS), headers=auth).json()
    meta = first["meta"]["pagination"]
    assert (meta["total"], meta["count"], meta["per_page"], meta["current_page"], meta["total_pages"]) == (
        1500, 1000, 1000, 1, 2)
    assert meta["links"]["prev"] is None and "page=2" in meta["links"]["next"]
    second = http.get(meta["links"]["next"], headers=auth).json()
    links = second["meta"]["pagination"]["links"]
    assert second["meta"]["pagination"]["count"] == 500 and links["next"] is None and "page=1" in links["prev"]
    assert first["data"] + second["data"] == rows == server.sandbox.campaign_circles(campaign)
    small = http.get(_url(campaign, GPS), params={"page": 3, "per_page": 200}, headers=auth).json()
    assert small["data"] == rows[400:600] and small["meta"]["pagination"]["total_pages"] == 8


# --- 6. ZIP ----------------------------------------------------------------------------------------

def test_zip_replace_append_get_delete(server, http, auth):
    campaign = create(http, auth)["id"]
    stored = {**ZIP_ITEM, "countryName": "Ukraine"}
    stored = {k: stored[k] for k in ("lat", "lng", "zip", "iso2", "countryName", "include")}  # 6.1.4's order
    answer = http.post(_url(campaign, ZIP), json={"items": [ZIP_ITEM]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    assert server.sandbox.campaign_zips(campaign) == [stored]
    assert list(server.sandbox.campaign_zips(campaign)[0]) == list(stored)
    assert http.get(_url(campaign, ZIP), headers=auth).json() == {"data": [stored], "meta": _no_links_page(1)}
    kosovo = {"lat": 42.66, "lng": 21.17, "zip": " 10000 ", "iso2": "XK", "include": False}
    assert http.patch(_url(campaign, ZIP), json={"items": [ZIP_ITEM, kosovo]}, headers=auth).json() == {
        "message": "Appended."}
    assert server.sandbox.campaign_zips(campaign) == [stored, stored, {
        "lat": 42.66, "lng": 21.17, "zip": "10000", "iso2": "XK", "countryName": "XK", "include": False}]
    assert http.delete(_url(campaign, ZIP), headers=auth).json() == {"message": "Deleted."}
    assert server.sandbox.campaign_zips(campaign) == []
    assert server.sandbox.campaign_circles(campaign) == []  # the two lists are apart


@pytest.mark.parametrize(("what", "change", "key", "message"), [
    (GPS, {"lat": None}, "items.0.lat", "The items.0.lat field is required."),
    (GPS, {"lat": 90.5}, "items.0.lat", "The items.0.lat field must be between -90 and 90."),
    (GPS, {"lat": "-91"}, "items.0.lat", "The items.0.lat field must be between -90 and 90."),
    (GPS, {"lat": "north"}, "items.0.lat", "The items.0.lat field must be a number."),
    (GPS, {"lat": True}, "items.0.lat", "The items.0.lat field must be a number."),
    (GPS, {"lng": 180.01}, "items.0.lng", "The items.0.lng field must be between -180 and 180."),
    (GPS, {"lng": [1]}, "items.0.lng", "The items.0.lng field must be a number."),
    (GPS, {"radius": None}, "items.0.radius", "The items.0.radius field is required."),
    (GPS, {"radius": 0}, "items.0.radius", "The items.0.radius field must be greater than 0."),
    (GPS, {"radius": -5}, "items.0.radius", "The items.0.radius field must be greater than 0."),
    (GPS, {"radius": "10km"}, "items.0.radius", "The items.0.radius field must be a number."),
    (GPS, {"include": None}, "items.0.include", "The items.0.include field is required."),
    (GPS, {"include": "yes"}, "items.0.include", "The items.0.include field must be true or false."),
    (GPS, {"include": 1}, "items.0.include", "The items.0.include field must be true or false."),
    (ZIP, {"lat": None}, "items.0.lat", "The items.0.lat field is required."),
    (ZIP, {"lng": None}, "items.0.lng", "The items.0.lng field is required."),
    (ZIP, {"lat": -90.1}, "items.0.lat", "The items.0.lat field must be between -90 and 90."),
    (ZIP, {"zip": None}, "items.0.zip", "The items.0.zip field is required."),
    (ZIP, {"zip": "  "}, "items.0.zip", "The items.0.zip field is required."),
    (ZIP, {"zip": 1001}, "items.0.zip", "The items.0.zip field must be a string."),
    (ZIP, {"zip": "9" * 256}, "items.0.zip", "The items.0.zip field must not be greater than 255 characters."),
    (ZIP, {"iso2": None}, "items.0.iso2", "The items.0.iso2 field is required."),
    (ZIP, {"iso2": "ua"}, "items.0.iso2", "The selected items.0.iso2 is invalid."),
    (ZIP, {"iso2": "UKR"}, "items.0.iso2", "The selected items.0.iso2 is invalid."),
    (ZIP, {"include": "false"}, "items.0.include", "The items.0.include field must be true or false."),
])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_each_item_rule(client, cid, method, what, change, key, message):
    item = {**(CIRCLE if what == GPS else ZIP_ITEM), **change}
    answer = client.request(method, _url(cid, what), json={"items": [item]})
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {key: [message]}}


@pytest.mark.parametrize(("body", "message"), [
    ({}, "The items field is required."),
    (None, "The items field is required."),
    ({"items": []}, "The items field is required."),
    ({"items": CIRCLE}, "The items field must be an array."),
    ({"items": "50.45,30.52,10"}, "The items field must be an array."),
])
@pytest.mark.parametrize("what", [GPS, ZIP])
def test_items_must_be_a_non_empty_array(client, cid, what, body, message):
    answer = client.post(_url(cid, what), json=body)
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {"items": [message]}}


def test_every_item_is_checked_and_nothing_is_stored_on_error(module_server, client, cid):
    answer = client.post(_url(cid, ZIP), json={"items": [ZIP_ITEM, "01001", {**ZIP_ITEM, "lat": 100}]})
    body = answer.json()
    assert answer.status_code == 422
    assert list(body["errors"]) == ["items.1.lat", "items.1.lng", "items.1.zip", "items.1.iso2", "items.1.include",
                                    "items.2.lat"]
    assert body["message"] == "The items.1.lat field is required. (and 5 more errors)"
    assert module_server.sandbox.campaign_zips(cid) == []


def test_item_cap_counts_one_request():
    with running(SandboxConfig(max_items_per_request=3)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        campaign = create(http, auth)["id"]
        for what, item in ((GPS, CIRCLE), (ZIP, ZIP_ITEM)):
            assert http.post(_url(campaign, what), json={"items": [item] * 3}, headers=auth).status_code == 200
            refused = http.patch(_url(campaign, what), json={"items": [item] * 4}, headers=auth)
            message = "The items field must not have more than 3 items."
            assert refused.status_code == 422 and refused.json() == {"message": message, "errors": {"items": [message]}}
            # The cap is per request, not per campaign: appending up to it again is fine.
            assert http.patch(_url(campaign, what), json={"items": [item] * 3}, headers=auth).status_code == 200
        assert len(srv.sandbox.campaign_circles(campaign)) == len(srv.sandbox.campaign_zips(campaign)) == 6
        deals = [{"dealId": f"D{i}", "bidPrice": "1"} for i in range(4)]
        refused = http.post(_url(campaign, "deals"), json={"deals": deals}, headers=auth)
        assert refused.json()["errors"] == {"deals": ["The deals field must not have more than 3 items."]}
        refused = http.request("DELETE", _url(campaign, "deals"), json={"deals": [{"id": 1}] * 4}, headers=auth)
        assert refused.json()["errors"] == {"deals": ["The deals field must not have more than 3 items."]}


def test_default_item_cap_is_a_thousand(client, cid):
    answer = client.post(_url(cid, GPS), json={"items": [CIRCLE] * 1001})
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"items": ["The items field must not have more than 1000 items."]}


# --- 8. Deals --------------------------------------------------------------------------------------

def test_deals_replace_get_all_list_and_delete(server, http, auth):
    campaign = create(http, auth)["id"]
    sent = [{"dealId": "DEAL-1", "bidPrice": "1.00"}, {"dealId": " DEAL-2 ", "bidPrice": 2.5},
            {"dealId": "DEAL-3", "bidPrice": "1.005"}, {"dealId": "DEAL-1", "bidPrice": 3}]
    answer = http.post(_url(campaign, "deals"), json={"deals": sent}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    stored = server.sandbox.campaign_deals(campaign)
    stamp = stored[0]["createdAt"]
    assert DATETIME.fullmatch(stamp)
    assert stored == [{"id": n, "campaignId": campaign, "dealId": deal, "bidPrice": price, "createdAt": stamp,
                       "updatedAt": stamp}
                      for n, deal, price in ((1, "DEAL-1", "1.00"), (2, "DEAL-2", "2.50"), (3, "DEAL-3", "1.01"),
                                             (4, "DEAL-1", "3.00"))]
    assert list(stored[0]) == ["id", "campaignId", "dealId", "bidPrice", "createdAt", "updatedAt"]  # 8.1.4's order
    assert http.get(_url(campaign, "deals-all"), headers=auth).json() == {"data": stored}
    assert http.get(_url(campaign, "deals"), headers=auth).json() == {"data": stored, "meta": _no_links_page(4)}
    page = http.get(_url(campaign, "deals"), params={"per_page": 3, "page": 2}, headers=auth).json()
    assert page["data"] == stored[3:] and page["meta"]["pagination"]["total_pages"] == 2
    # Delete by record id; ids the campaign does not have are ignored, so a retried delete is harmless.
    answer = http.request("DELETE", _url(campaign, "deals"), json={"deals": [{"id": 2}, {"id": 4}, {"id": 99}]},
                          headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted."}
    assert [d["id"] for d in server.sandbox.campaign_deals(campaign)] == [1, 3]
    # A replace drops the old rows and gives the new ones new record ids.
    assert http.post(_url(campaign, "deals"), json={"deals": [sent[0]]}, headers=auth).status_code == 200
    assert [(d["id"], d["dealId"]) for d in server.sandbox.campaign_deals(campaign)] == [(5, "DEAL-1")]


@pytest.mark.parametrize(("deal", "key", "message"), [
    ({"bidPrice": "1.00"}, "deals.0.dealId", "The deals.0.deal id field is required."),
    ({"dealId": "", "bidPrice": "1.00"}, "deals.0.dealId", "The deals.0.deal id field is required."),
    ({"dealId": 17, "bidPrice": "1.00"}, "deals.0.dealId", "The deals.0.deal id field must be a string."),
    ({"dealId": "D" * 256, "bidPrice": "1.00"}, "deals.0.dealId",
     "The deals.0.deal id field must not be greater than 255 characters."),
    ({"dealId": "D"}, "deals.0.bidPrice", "The deals.0.bid price field is required."),
    ({"dealId": "D", "bidPrice": "free"}, "deals.0.bidPrice", "The deals.0.bid price field must be a number."),
    ({"dealId": "D", "bidPrice": "0.00"}, "deals.0.bidPrice", "The deals.0.bid price field must be greater than 0."),
    ({"dealId": "D", "bidPrice": -1}, "deals.0.bidPrice", "The deals.0.bid price field must be greater than 0."),
])
def test_each_deal_rule(client, cid, deal, key, message):
    answer = client.post(_url(cid, "deals"), json={"deals": [deal]})
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {key: [message]}}


@pytest.mark.parametrize(("method", "body", "key", "message"), [
    ("POST", {}, "deals", "The deals field is required."),
    ("POST", {"deals": {"dealId": "D", "bidPrice": 1}}, "deals", "The deals field must be an array."),
    ("DELETE", {}, "deals", "The deals field is required."),
    ("DELETE", {"deals": [{}]}, "deals.0.id", "The deals.0.id field is required."),
    ("DELETE", {"deals": [{"id": "1"}]}, "deals.0.id", "The deals.0.id field must be an integer."),
    ("DELETE", {"deals": [3]}, "deals.0.id", "The deals.0.id field is required."),
])
def test_deal_bodies(client, cid, method, body, key, message):
    answer = client.request(method, _url(cid, "deals"), json=body)
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {key: [message]}}


# --- Every route: the campaign must be the caller's and live ---------------------------------------

ROUTES = [("GET", GPS), ("POST", GPS), ("PATCH", GPS), ("DELETE", GPS), ("GET", ZIP), ("POST", ZIP),
          ("PATCH", ZIP), ("DELETE", ZIP), ("GET", "deals"), ("POST", "deals"), ("DELETE", "deals"),
          ("GET", "deals-all")]


@pytest.mark.parametrize(("method", "what"), ROUTES)
def test_missing_deleted_or_foreign_campaign_is_404_before_validation(server, http, auth, method, what):
    deleted = create(http, auth)["id"]
    assert http.delete(f"/api/campaigns/{deleted}", headers=auth).status_code == 200
    foreign = server.sandbox.store.create(CAMPAIGN, "99", lambda new_id: {"id": new_id, "userId": 99})["id"]
    for campaign in (404, deleted, foreign, "abc"):
        answer = http.request(method, _url(campaign, what), json={"items": "bad", "deals": "bad"}, headers=auth)
        assert answer.status_code == 404
        assert answer.json() == {"message": f"No query results for model [Campaign] {campaign}"}
    assert server.sandbox.campaign_circles(foreign) == server.sandbox.campaign_deals(foreign) == []


@pytest.mark.parametrize(("method", "what"), ROUTES)
def test_routes_need_a_token(http, method, what):
    answer = http.request(method, _url(1, what), json={"items": [CIRCLE]})
    assert answer.status_code == 401 and answer.json() == {"message": "Unauthenticated."}


def test_unsupported_method_lists_the_supported_ones(http, auth):
    answer = http.patch(_url(1, "deals"), json={}, headers=auth)
    assert answer.status_code == 405
    assert answer.json()["message"].startswith("The PATCH method is not supported for route api/campaigns/1/deals.")
