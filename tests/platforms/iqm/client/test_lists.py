"""The IQM client's list and read routes (IQM's guides) against handler functions: every page, the
query and body each route documents, stopping rules, retries and name lookups."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bulkops._exceptions import ApiError
from bulkops.platforms.iqm.client import PAGE_SIZE, CampaignSummary, Creative, TimeZone
from tests.platforms.iqm.client.conftest import OW_ID, make_client

CAMPAIGNS = "/api/v2/cmp/campaigns/list"
CREATIVES = "/api/v3/crt/creatives/list"
TIMEZONES = "/api/v3/master/timezones"


def campaign_page(request: httpx.Request, count: int, *, ignore_page: bool = False) -> httpx.Response:
    """`count` campaigns in all, answered a page at a time as the campaign guide shows it."""
    page = 1 if ignore_page else int(request.url.params["pgno"])
    size = int(request.url.params["no_of_entries"])
    ids = range((page - 1) * size + 1, min(page * size, count) + 1)
    rows = [{"id": str(i), "name": f"Campaign {i}", "status": "pending", "owId": OW_ID, "creative_type_id": 11,
             "start_date": 1703794800, "end_date": None, "total_budget": 100.0} for i in ids]
    return httpx.Response(200, json={"statusCode": 200, "recordsTotal": count, "pageNumber": page,
                                     "pageSize": size, "draw": 0, "recordsFiltered": count, "data": rows})


def creative_page(request: httpx.Request, count: int) -> httpx.Response:
    body = json.loads(request.content)
    page, size = body["pageNo"], body["noOfEntries"]
    rows = [{"creativeId": i, "creativeName": f"Creative {i}", "platformCreativeTypeId": 11, "creativeStatusId": 2,
             "creativeSourceType": "file", "campaignDetails": {"campaignIds": [7]}}
            for i in range((page - 1) * size + 1, min(page * size, count) + 1)]
    return httpx.Response(200, json={"success": True, "data": {"totalRecords": count, "filteredRecords": count,
                                                               "filteredList": rows}})


def run(platform, work):
    async def go():
        async with make_client(platform) as api:
            return await work(api)

    return asyncio.run(go())


def test_every_page_of_the_campaign_list_is_read_oldest_first(platform):
    platform.script[("GET", CAMPAIGNS)] = [lambda r: campaign_page(r, 2500)] * 3
    ticks: list[int] = []
    found = run(platform, lambda api: _collect(api.iter_campaigns(on_request=ticks.append)))
    assert [c.id for c in found] == list(range(1, 2501)) and ticks == [1, 1, 1]
    assert isinstance(found[0], CampaignSummary) and found[0].name == "Campaign 1"
    sent = platform.sent("GET", CAMPAIGNS)
    assert [dict(r.url.params) for r in sent] == [
        {"pgno": str(n), "no_of_entries": str(PAGE_SIZE), "order": "asc"} for n in (1, 2, 3)]


def test_a_full_last_page_costs_one_more_request_that_comes_back_empty(platform):
    platform.script[("GET", CAMPAIGNS)] = [lambda r: campaign_page(r, 4)] * 3
    found = run(platform, lambda api: _collect(api.iter_campaigns(per_page=2)))
    assert len(found) == 4 and len(platform.sent("GET", CAMPAIGNS)) == 3


def test_a_server_that_ignores_the_page_number_does_not_loop_forever(platform):
    platform.script[("GET", CAMPAIGNS)] = [lambda r: campaign_page(r, 10, ignore_page=True)] * 5
    found = run(platform, lambda api: _collect(api.iter_campaigns(per_page=2)))
    assert [c.id for c in found] == [1, 2] and len(platform.sent("GET", CAMPAIGNS)) == 2


def test_every_page_of_the_creative_list_is_read_with_the_guides_body(platform):
    platform.script[("POST", CREATIVES)] = [lambda r: creative_page(r, 1500)] * 2
    found = run(platform, lambda api: _collect(api.iter_creatives(campaign_ids=[7, 8])))
    assert [c.creativeId for c in found] == list(range(1, 1501))
    assert (found[0].status, found[0].campaign_ids) == ("running", [7])
    bodies = [json.loads(r.content) for r in platform.sent("POST", CREATIVES)]
    assert bodies == [{"pageNo": n, "noOfEntries": PAGE_SIZE, "sortBy": "+creativeId", "campaignIds": [7, 8]}
                      for n in (1, 2)]


def test_the_creative_list_is_a_read_and_is_retried_after_a_503(platform):
    platform.script[("POST", CREATIVES)] = [httpx.Response(503), lambda r: creative_page(r, 1)]
    found = run(platform, lambda api: _collect(api.iter_creatives()))
    assert len(found) == 1 and len(platform.sent("POST", CREATIVES)) == 2


def test_an_unreadable_creative_list_is_an_api_error_not_a_maybe_created(platform):
    platform.script[("POST", CREATIVES)] = [httpx.Response(200, json={"success": True, "data": {"rows": []}})]
    with pytest.raises(ApiError, match="unexpected body"):
        run(platform, lambda api: api.list_creatives())


def test_an_unreadable_campaign_list_is_an_api_error(platform):
    platform.script[("GET", CAMPAIGNS)] = [httpx.Response(200, json={"statusCode": 200, "data": [{"name": "x"}]})]
    with pytest.raises(ApiError, match="unexpected body"):
        run(platform, lambda api: api.list_campaigns())


def test_find_by_name_searches_and_keeps_exact_matches_only(platform):
    def named(request: httpx.Request) -> httpx.Response:
        rows = [{"id": "4", "name": "Spring"}, {"id": "5", "name": "Spring 2"}, {"id": "6", "name": "spring"}]
        return httpx.Response(200, json={"statusCode": 200, "recordsTotal": 3, "data": rows})

    def creatives(request: httpx.Request) -> httpx.Response:
        rows = [{"creativeId": 9, "creativeName": "Banner"}, {"creativeId": 10, "creativeName": "Banner B"}]
        return httpx.Response(200, json={"success": True, "data": {"filteredList": rows}})

    platform.script[("GET", CAMPAIGNS)] = [named]
    platform.script[("POST", CREATIVES)] = [creatives]
    campaigns, found = run(platform, lambda api: asyncio.gather(api.find_campaigns("Spring"),
                                                                api.find_creatives("Banner")))
    assert [c.id for c in campaigns] == [4] and [c.creativeId for c in found] == [9]
    assert platform.sent("GET", CAMPAIGNS)[0].url.params["search_field"] == "Spring"
    assert json.loads(platform.sent("POST", CREATIVES)[0].content)["searchField"] == "Banner"


def test_one_creative_by_id_with_its_image_details_flattened(platform):
    platform.script[("GET", "/api/v3/crt/creatives/686855")] = [httpx.Response(200, json={"success": True, "data": {
        "creativeId": 686855, "creativeName": "300x600-w23-01", "platformCreativeTypeId": 11, "creativeStatusId": 2,
        "clickUrl": "http://iqm.com", "creativeSourceType": "file",
        "imageDetails": {"pixelUrl": "http://pixel.com", "creativeWidth": 300, "creativeHeight": 600}}})]
    creative = run(platform, lambda api: api.get_creative(686855))
    assert isinstance(creative, Creative)
    assert (creative.pixelUrl, creative.creativeWidth, creative.creativeHeight, creative.status) == (
        "http://pixel.com", 300, 600, "running")


def test_time_zones_are_asked_once(platform):
    zones = [{"name": "US/Central", "id": 423, "label": "US/Central"}, {"name": "US/Eastern", "id": 29}]
    platform.script[("GET", TIMEZONES)] = [httpx.Response(200, json={"success": True, "data": {"data": zones}})]

    async def twice(api):
        return await api.time_zones(), await api.time_zones()

    first, second = run(platform, twice)
    assert first == second == [TimeZone(id=423, name="US/Central", label="US/Central"),
                               TimeZone(id=29, name="US/Eastern")]
    assert len(platform.sent("GET", TIMEZONES)) == 1


async def _collect(iterator):
    return [item async for item in iterator]
