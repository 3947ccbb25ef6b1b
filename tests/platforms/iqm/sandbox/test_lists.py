"""The IQM sandbox's list and read routes (IQM's guides): campaign lists, creative list and details,
time zones; their envelopes, paging (at most 1,000 rows a page, 500 for the campaign list by filters),
filters, auth and rate limit."""

from __future__ import annotations

import httpx
import pytest

from bulkops.sandbox import SandboxConfig, running
from tests.platforms.iqm.sandbox.conftest import ADD, CAMPAIGN, OW_ID, PNG, Clock, add, approved, login, upload

pytestmark = pytest.mark.slow

CAMPAIGNS = "/api/v2/cmp/campaigns/list"
CUSTOMER = "/api/v3/cmp/customer/campaigns/list"
CREATIVES = "/api/v3/crt/creatives/list"


def campaigns(http: httpx.Client, auth: dict[str, str], clock: Clock, *names: str) -> list[int]:
    creative, = approved(http, auth, clock, "for campaigns")
    ids = []
    for name in names:
        answer = http.post(ADD, json={**CAMPAIGN, "campaignName": name, "creativeIds": str(creative)}, headers=auth)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["responseObject"]["data"])
    return ids


def campaign_list(http: httpx.Client, auth: dict[str, str], **params: object) -> dict:
    answer = http.get(CAMPAIGNS, params=params, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def creative_list(http: httpx.Client, auth: dict[str, str], **body: object) -> dict:
    answer = http.post(CREATIVES, json=body, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["success"] is True
    return answer.json()["data"]


def test_the_campaign_list_pages_in_the_guides_envelope(http, auth, clock):
    ids = campaigns(http, auth, clock, "One", "Two", "Three")
    first = campaign_list(http, auth, pgno=1, no_of_entries=2, order="asc")
    assert {k: first[k] for k in ("statusCode", "recordsTotal", "pageNumber", "pageSize", "draw",
                                  "recordsFiltered")} == {"statusCode": 200, "recordsTotal": 3, "pageNumber": 1,
                                                          "pageSize": 2, "draw": 0, "recordsFiltered": 3}
    assert [row["id"] for row in first["data"]] == [str(ids[0]), str(ids[1])]  # the guide's ids are strings
    row = first["data"][0]
    assert (row["name"], row["status"], row["owId"], row["creative_type_id"], row["creative_type"],
            row["start_date"], row["total_budget"]) == ("One", "pending", OW_ID, 11, "Image", 1703794800, 100.0)
    second = campaign_list(http, auth, pgno=2, no_of_entries=2, order="asc")
    assert [row["name"] for row in second["data"]] == ["Three"]
    assert campaign_list(http, auth, pgno=3, no_of_entries=2)["data"] == []
    assert [row["name"] for row in campaign_list(http, auth)["data"]] == ["Three", "Two", "One"]  # newest first
    assert campaign_list(http, auth, no_of_entries=5000)["pageSize"] == 1000


def test_the_campaign_list_filters_by_search_and_status(http, auth, clock):
    ids = campaigns(http, auth, clock, "Spring Sale", "spring 2", "Autumn")
    found = campaign_list(http, auth, search_field="SPRING")
    assert sorted(row["name"] for row in found["data"]) == ["Spring Sale", "spring 2"]
    assert (found["recordsTotal"], found["recordsFiltered"]) == (3, 2)
    assert [row["name"] for row in campaign_list(http, auth, search_field=str(ids[2]))["data"]] == ["Autumn"]
    assert campaign_list(http, auth, status="running,paused")["data"] == []
    assert len(campaign_list(http, auth, status="pending")["data"]) == 3


@pytest.mark.parametrize("params", [{"pgno": 0}, {"no_of_entries": "x"}, {"order": "sideways"}])
def test_a_bad_campaign_list_query_is_a_400_in_the_v2_envelope(http, auth, params):
    answer = http.get(CAMPAIGNS, params=params, headers=auth)
    assert answer.status_code == 400
    assert answer.json()["statusCode"] == 400 and answer.json()["responseObject"]["errorMsg"]


def test_the_creative_list_shows_each_creative_in_the_guides_shape(http, auth, clock):
    added = add(http, auth, {
        "a": {"creativeName": "Ünï", "platformCreativeTypeId": 11, "creativeSourceType": "FILE",
              "clickUrl": "https://x.example",
              "imageDetails": {"pixelUrl": "https://p.example/i", "creativeWidth": 300, "creativeHeight": 250}},
        "spot": {"creativeName": "Spot", "platformCreativeTypeId": 14, "creativeSourceType": "VAST_XML",
                 "creativeSource": '<VAST version="4.0"></VAST>'},
        "tag": {"creativeName": "Tag", "platformCreativeTypeId": 13, "creativeSourceType": "HTML",
                "creativeSource": "<div>hi</div>", "htmlDetails": {"creativeWidth": 300, "creativeHeight": 250}},
    }, files=[("a.png", PNG)])
    image, spot, tag = added["a"], added["spot"], added["tag"]
    pending = creative_list(http, auth, sortBy="+creativeId")
    assert (pending["totalRecords"], pending["filteredRecords"]) == (3, 3)
    assert [row["creativeStatusId"] for row in pending["filteredList"]] == [1, 1, 1]
    clock.advance(2.0)
    rows = {row["creativeId"]: row for row in creative_list(http, auth)["filteredList"]}
    assert {k: rows[image][k] for k in ("creativeName", "platformCreativeTypeId", "creativeStatusId",
                                        "creativeSourceType", "clickUrl", "pixelUrl", "creativeWidth",
                                        "creativeHeight", "campaignDetails", "organizationDetails")} == {
        "creativeName": "Ünï", "platformCreativeTypeId": 11, "creativeStatusId": 2, "creativeSourceType": "file",
        "clickUrl": "https://x.example", "pixelUrl": "https://p.example/i", "creativeWidth": 300,
        "creativeHeight": 250, "campaignDetails": {"campaignIds": []}, "organizationDetails": {"owId": OW_ID}}
    assert (rows[spot]["creativeSourceType"], rows[spot]["platformCreativeTypeId"]) == ("vast-xml", 14)
    assert (rows[tag]["creativeSourceType"], rows[tag]["platformCreativeTypeId"]) == ("HTML", 13)


def test_the_creative_list_pages_sorts_and_filters(http, auth, clock):
    ids = upload(http, auth, "a", "b", "c", "d [reject]")
    clock.advance(2.0)
    answer = http.post(ADD, json={**CAMPAIGN, "creativeIds": f"{ids[1]},{ids[2]}"}, headers=auth)
    campaign = answer.json()["responseObject"]["data"]

    def names(**body: object) -> list[str]:
        return [row["creativeName"] for row in creative_list(http, auth, **body)["filteredList"]]

    assert names() == ["d [reject]", "c", "b", "a"]  # newest first, as the guide's example sorts
    assert names(sortBy="+creativeId", pageNo=2, noOfEntries=3) == ["d [reject]"]
    assert names(pageNo=5, noOfEntries=3) == []
    assert names(campaignIds=[campaign], sortBy="+creativeId") == ["b", "c"]
    assert names(creativeIds=[ids[0], ids[3]], sortBy="+creativeId") == ["a", "d [reject]"]
    assert names(creativeStatusIds=[5]) == ["d [reject]"]
    assert names(searchField="A") == ["a"]
    page = creative_list(http, auth, campaignIds=[campaign], noOfEntries=1)
    assert (page["totalRecords"], page["filteredRecords"], len(page["filteredList"])) == (4, 2, 1)
    row = creative_list(http, auth, creativeIds=[ids[1]])["filteredList"][0]
    assert row["campaignDetails"] == {"campaignIds": [campaign]}


def customer_list(http: httpx.Client, auth: dict[str, str], **body: object) -> dict:
    answer = http.post(CUSTOMER, json=body, headers=auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["success"] is True
    return answer.json()["data"]


def test_the_campaign_list_with_filters_shows_each_campaign_in_the_guides_shape(http, auth, clock):
    ids = campaigns(http, auth, clock, "One", "Two", "Three")
    found = customer_list(http, auth, campaignIds=[ids[0], ids[2]], isBasicInfo=False)
    assert (found["totalRecords"], found["filteredRecords"]) == (3, 2)
    assert [row["id"] for row in found["data"]] == [ids[2], ids[0]]  # newest first
    row = found["data"][1]
    assert {k: row[k] for k in ("name", "creativeType", "creativeTypeId", "budgetTotal", "budgetDay", "maxBid",
                                "startTime", "endTime", "status", "campaignTypeId", "budgetTypeId",
                                "totalImpressions", "timeZoneName", "owId")} == {
        "name": "One", "creativeType": "Image", "creativeTypeId": 11, "budgetTotal": 100.0, "budgetDay": 10.0,
        "maxBid": 10.0, "startTime": 1703794800, "endTime": 1704614400, "status": "pending", "campaignTypeId": 1,
        "budgetTypeId": 1, "totalImpressions": 0, "timeZoneName": "America/New_York", "owId": OW_ID}
    assert [r["name"] for r in customer_list(http, auth, order="asc", pageNo=2, noOfEntries=2)["data"]] == ["Three"]
    assert customer_list(http, auth, status=["running"])["data"] == []
    assert len(customer_list(http, auth, status="pending")["data"]) == 3  # one status as a string, as the sample
    assert [r["name"] for r in customer_list(http, auth, searchField="tw")["data"]] == ["Two"]


def test_the_campaign_list_with_filters_shows_no_end_as_zero_and_pages_at_most_500(http, auth, clock, server):
    creative, = approved(http, auth, clock, "A")
    for n in range(501):
        body = {**CAMPAIGN, "campaignName": f"C{n}", "creativeIds": str(creative)}
        if n == 0:
            body.pop("endTime")
        assert http.post(ADD, json=body, headers=auth).status_code == 201
    page = customer_list(http, auth, noOfEntries=1000, order="asc")
    assert len(page["data"]) == 500 and page["filteredRecords"] == 501
    assert page["data"][0]["endTime"] == 0


@pytest.mark.parametrize("body", [{"pageNo": 0}, {"campaignIds": "1,2"}, {"status": [1]}, {"order": "up"}, [1]])
def test_a_bad_campaign_list_with_filters_body_is_a_400_in_the_v3_envelope(http, auth, body):
    answer = http.post(CUSTOMER, json=body, headers=auth)
    assert answer.status_code == 400
    assert answer.json()["success"] is False and answer.json()["errorObjects"][0]["error"]


@pytest.mark.parametrize("body", [{"pageNo": 0}, {"noOfEntries": "ten"}, {"creativeIds": "1,2"},
                                  {"campaignIds": [True]}, {"sortBy": "name"}, [1, 2]])
def test_a_bad_creative_list_body_is_a_400_in_the_v3_envelope(http, auth, body):
    answer = http.post(CREATIVES, json=body, headers=auth)
    assert answer.status_code == 400
    assert answer.json()["success"] is False and answer.json()["errorObjects"][0]["error"]


def test_one_creative_by_id_in_the_guides_shape_and_404_for_another_id(http, auth, clock):
    creative, = approved(http, auth, clock, "One")
    answer = http.get(f"/api/v3/crt/creatives/{creative}", headers=auth)
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert (data["creativeId"], data["creativeName"], data["creativeStatusId"], data["platformCreativeTypeId"]) == (
        creative, "One", 2, 11)
    assert set(data["imageDetails"]) == {"pixelUrl", "creativeWidth", "creativeHeight"}
    assert data["organizationDetails"]["owId"] == OW_ID
    missing = http.get("/api/v3/crt/creatives/99999", headers=auth)
    assert missing.status_code == 404 and missing.json()["success"] is False


def test_time_zones_are_the_master_data_list(http, auth):
    answer = http.get("/api/v3/master/timezones", headers=auth)
    assert answer.status_code == 200
    zones = {z["id"]: z["name"] for z in answer.json()["data"]["data"]}
    assert zones[29] == "US/Eastern" and zones[433] == "America/New_York"


@pytest.mark.parametrize("method,path", [("GET", CAMPAIGNS), ("POST", CUSTOMER), ("POST", CREATIVES),
                                         ("GET", "/api/v3/crt/creatives/1"), ("GET", "/api/v3/master/timezones")])
def test_the_list_routes_need_a_token_and_the_workspace(http, auth, method, path):
    assert http.request(method, path).status_code == 401
    other = {**auth, "X-IAA-OW-ID": "1"}
    assert http.request(method, path, headers=other).status_code == 403


def test_the_list_routes_count_against_the_rate_limit():
    with running(SandboxConfig(platform="iqm", rate_limit=3)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        statuses = [http.get(CAMPAIGNS, headers=auth).status_code for _ in range(3)]
        limited = http.post(CREATIVES, json={}, headers=auth)
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429 and limited.json()["success"] is False
    assert "retry-after" in limited.headers
