"""The IQM sandbox's master data routes (IQM's Master API guide): countries, states, operating
systems, device types, exchanges, carriers and time zones, in the guide's envelopes, with its paging,
search and ID filters, and data of realistic size."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow

COUNTRY = "/api/v3/master/segment/country"
STATE = "/api/v3/master/segment/state"
DEVICE_TYPE = "/api/v3/master/segment/device-type"
OS_SEGMENTS = "/api/v2/master/segment/device-os"
EXCHANGES = "/api/v3/master/exchanges"
US = 30100001


def v3(answer: httpx.Response) -> dict:
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["success"] is True
    return body["data"]


def test_every_country_in_the_guides_shape_and_ids(http, auth):
    data = v3(http.post(COUNTRY, json={"pageNo": 1, "noOfEntries": 1000, "sortBy": "+id"}, headers=auth))
    rows = data["data"]
    assert data["totalRecords"] == data["filteredRecords"] == len(rows) == 249
    by_id = {row["id"]: row for row in rows}
    # The guide's sample: the United States and India first, then the alphabet from 30100011.
    assert by_id[30100001] == {"id": 30100001, "name": "United States", "abbreviation": "US"}
    assert [by_id[i]["name"] for i in (30100002, 30100011, 30100013, 30100014, 30100020, 30100022)] == [
        "India", "Afghanistan", "Albania", "Algeria", "Antigua and Barbuda", "Armenia"]
    assert [row["id"] for row in rows] == sorted(by_id)


def test_the_geo_routes_page_sort_search_and_filter_as_the_guide_says(http, auth):
    default = v3(http.post(COUNTRY, json={}, headers=auth))
    assert len(default["data"]) == 249 and default["data"][0]["id"] > default["data"][-1]["id"]  # 300 a page, -id
    first = v3(http.post(COUNTRY, json={"pageNo": 1, "noOfEntries": 10, "sortBy": "+id"}, headers=auth))
    second = v3(http.post(COUNTRY, json={"pageNo": 2, "noOfEntries": 10, "sortBy": "+id"}, headers=auth))
    assert len(first["data"]) == len(second["data"]) == 10 and first["data"][-1]["id"] < second["data"][0]["id"]
    assert v3(http.post(COUNTRY, json={"pageNo": 30, "noOfEntries": 10}, headers=auth))["data"] == []
    found = v3(http.post(COUNTRY, json={"searchField": "guinea", "sortBy": "+name"}, headers=auth))
    assert [row["name"] for row in found["data"]] == ["Equatorial Guinea", "Guinea", "Guinea-Bissau",
                                                      "Papua New Guinea"]
    assert found["filteredRecords"] == 4 and found["totalRecords"] == 249
    only = v3(http.post(COUNTRY, json={"segmentIds": [US, 30100002]}, headers=auth))
    assert {row["id"] for row in only["data"]} == {US, 30100002}
    first_ids = v3(http.post(COUNTRY, json={"ids": [30100022], "sortBy": "+id", "noOfEntries": 2}, headers=auth))
    assert [row["id"] for row in first_ids["data"]] == [30100022, US]  # "returned first", not a filter


def test_states_carry_their_country_and_the_guides_us_ids(http, auth):
    us = v3(http.post(STATE, json={"parentSegmentIds": [US], "sortBy": "+id", "noOfEntries": 1000}, headers=auth))
    rows = us["data"]
    assert us["filteredRecords"] == len(rows) >= 56 and us["totalRecords"] > len(rows)
    assert all(row["parentId"] == US for row in rows)
    names = {row["id"]: (row["name"], row["abbreviation"]) for row in rows}
    # The guide's samples: its state list, and the states its DMA and ZIP samples name as parents.
    assert [names[30200001 + i] for i in range(5)] == [("Alaska", "AK"), ("Alabama", "AL"), ("Arkansas", "AR"),
                                                      ("Arizona", "AZ"), ("California", "CA")]
    assert (names[30200020][1], names[30200022][1], names[30200035][1], names[30200038][0]) == (
        "MA", "ME", "NY", "Oregon")
    assert rows[0]["geojsonUrl"].endswith("/statedata/AK.geojson")
    punjab = v3(http.post(STATE, json={"searchField": "Punjab"}, headers=auth))["data"]
    assert len({row["parentId"] for row in punjab}) == 2  # India's and Pakistan's


def test_device_types_operating_systems_and_exchanges(http, auth):
    types = v3(http.post(DEVICE_TYPE, json={"pageNo": 1, "noOfEntries": 10, "sortBy": "+id"}, headers=auth))
    assert types["data"][0] == {"name": "Mobile", "id": 20300001} and types["totalRecords"] == 5
    answer = http.get(OS_SEGMENTS, params={"pageNo": 1, "noOfEntries": 10}, headers=auth)
    assert answer.status_code == 200
    body = answer.json()
    assert body["statusCode"] == 200 and body["responseObject"]["totalRecords"] == 28
    assert body["responseObject"]["data"][:2] == [{"id": 20200001, "name": "Android"}, {"id": 20200002,
                                                                                        "name": "Chrome OS"}]
    assert len(body["responseObject"]["data"]) == 10
    legacy = http.get("/api/device_os", headers=auth).json()
    assert legacy[0] == {"name": "Android", "id": 11} and len(legacy) == 7
    exchanges = v3(http.get(EXCHANGES, params={"noOfEntries": 1000}, headers=auth))
    by_id = {row["id"]: row for row in exchanges["data"]}
    assert by_id[90] == {"id": 90, "name": "Aniview", "urlName": "aniview"}
    # Every exchange the quick start's campaign example targets is there.
    assert {55, 61, 58, 41, 39, 47, 59, 1, 54, 56, 45, 16, 11, 37, 57, 50, 46, 53, 60} <= set(by_id)
    assert [row["id"] for row in v3(http.get(EXCHANGES, params={"exchangeIds": "88,89"}, headers=auth))["data"]] == [
        88, 89]
    assert len(v3(http.get(EXCHANGES, headers=auth))["data"]) == 20  # the guide's default page


def test_time_zones_carriers_and_states_by_country(http, auth):
    zones = v3(http.get("/api/v3/master/timezones", headers=auth))
    by_id = {z["id"]: z for z in zones["data"]}
    assert by_id[29] == {"name": "US/Eastern", "id": 29, "label": "US/Eastern"} and by_id[433]["name"] == (
        "America/New_York")
    assert len(by_id) > 300 and "Europe/Berlin" in {z["name"] for z in zones["data"]}
    carriers = http.get(f"/api/countries/{US}/carriers", headers=auth).json()
    assert carriers[0] == {"id": 292, "name": "AT&T Mobility", "country_id": 246}
    assert http.get("/api/countries/246/carriers", headers=auth).json() == carriers  # the older country ID
    states = http.get(f"/api/countries/{US}/states", headers=auth).json()
    assert states[0]["name"] == "Alaska" and states[0]["tblm_iqm_segment_id"] == 30200001
    assert set(states[0]) == {"name", "id", "country_id", "abbreviation", "is_active", "is_territory", "state_code",
                              "tblm_iqm_segment_id"}
    assert http.get("/api/countries/999/carriers", headers=auth).status_code == 404


@pytest.mark.parametrize("body", [{"pageNo": 0}, {"noOfEntries": "many"}, {"segmentIds": ["x"]},
                                  {"sortBy": "+colour"}])
def test_a_bad_query_is_a_400_in_the_v3_envelope(http, auth, body):
    answer = http.post(COUNTRY, json=body, headers=auth)
    assert answer.status_code == 400 and answer.json()["success"] is False


def test_a_page_is_at_most_1000_rows(http, auth):
    data = v3(http.post(STATE, json={"noOfEntries": 5000}, headers=auth))
    assert len(data["data"]) == data["filteredRecords"] <= 1000


@pytest.mark.parametrize("method,path", [("POST", COUNTRY), ("POST", STATE), ("POST", DEVICE_TYPE),
                                         ("GET", OS_SEGMENTS), ("GET", "/api/device_os"), ("GET", EXCHANGES),
                                         ("GET", f"/api/countries/{US}/carriers")])
def test_the_master_routes_need_a_token_and_the_workspace(http, auth, method, path):
    assert http.request(method, path).status_code == 401
    assert http.request(method, path, headers={**auth, "X-IAA-OW-ID": "1"}).status_code == 403
