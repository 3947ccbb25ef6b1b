"""The IQM client's routes from IQM's guides that write: every creative type on the creative guide's
Add New Creative, the campaign updates (Update Campaign, name, budget, end date) and the campaign list
by ID that reads them back."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bulkops._exceptions import ApiError, InputError, TransportError
from bulkops.platforms.iqm.client import AddedCreative, NewCreative
from tests.platforms.iqm.client.conftest import make_client, multipart, v2_error, v3_error

ADD = "/api/v3/crt/creatives"
PNG = b"\x89PNG-bytes"
VAST = '<VAST version="4.0"><Ad id="a"/></VAST>'


def _run(platform, call):
    async def go():
        async with make_client(platform) as api:
            return await call(api)

    return asyncio.run(go())


# -- creatives ------------------------------------------------------------------------------------

def test_creatives_with_files_go_as_multipart_with_the_map_in_creative_request(platform):
    creatives = [
        NewCreative("Banner", "image", "FILE", file=("banner.png", PNG, None), click_url="https://shop.example",
                    pixel_url="https://px.example/p", width=300, height=250),
        NewCreative("Clip", "video", "FILE", file=("clip.MP4", b"\0\0\0\x18ftyp", None), width=640, height=360),
        NewCreative("Jingle", "audio", "FILE", file=("jingle.mp3", b"ID3", "audio/mpeg")),
        NewCreative("Spot", "video", "VAST_XML", source=VAST, click_url="https://shop.example/v"),
        NewCreative("Radio", "audio", "DAAST_XML", source='<DAAST version="1.0"/>'),
        NewCreative("Tag", "html", "HTML", source="<b>ad</b>", width=728, height=90),
    ]
    added = _run(platform, lambda api: api.add_creatives(creatives))
    assert added == [AddedCreative(id=148971 + n) for n in range(6)]
    request, = platform.sent("POST", ADD)
    parts = multipart(request)
    assert [p[0] for p in parts] == ["creativeRequest", "creativeFiles", "creativeFiles", "creativeFiles"]
    sent = json.loads(parts[0][3])
    keys = list(sent)
    assert len(set(keys)) == 6
    assert [(p[1], p[2], p[3]) for p in parts[1:]] == [
        (f"{keys[0]}.png", "image/png", PNG), (f"{keys[1]}.mp4", "video/mp4", b"\0\0\0\x18ftyp"),
        (f"{keys[2]}.mp3", "audio/mpeg", b"ID3")]
    assert list(sent.values()) == [
        {"creativeName": "Banner", "platformCreativeTypeId": 11, "creativeSourceType": "FILE",
         "creativeSource": f"{keys[0]}.png", "clickUrl": "https://shop.example",
         "imageDetails": {"pixelUrl": "https://px.example/p", "creativeWidth": 300, "creativeHeight": 250}},
        {"creativeName": "Clip", "platformCreativeTypeId": 14, "creativeSourceType": "FILE",
         "creativeSource": f"{keys[1]}.mp4", "videoDetails": {"creativeWidth": 640, "creativeHeight": 360}},
        {"creativeName": "Jingle", "platformCreativeTypeId": 17, "creativeSourceType": "FILE",
         "creativeSource": f"{keys[2]}.mp3"},
        {"creativeName": "Spot", "platformCreativeTypeId": 14, "creativeSourceType": "VAST_XML",
         "creativeSource": VAST, "clickUrl": "https://shop.example/v"},
        {"creativeName": "Radio", "platformCreativeTypeId": 17, "creativeSourceType": "DAAST_XML",
         "creativeSource": '<DAAST version="1.0"/>'},
        {"creativeName": "Tag", "platformCreativeTypeId": 13, "creativeSourceType": "HTML",
         "creativeSource": "<b>ad</b>", "htmlDetails": {"creativeWidth": 728, "creativeHeight": 90}},
    ]


def test_creatives_without_files_go_as_the_guides_json_body(platform):
    added = _run(platform, lambda api: api.add_creatives([NewCreative("Tag", "html", "HTML", source="<i>x</i>",
                                                                      width=1, height=1)]))
    assert added == [AddedCreative(id=148971)]
    request, = platform.sent("POST", ADD)
    assert request.headers["content-type"] == "application/json"
    [(key, entry)] = json.loads(request.content).items()
    assert entry["creativeSource"] == "<i>x</i>" and len(key) == 36  # a UUID


def _answer_with(success: dict, failed: dict, ok: bool = True, status: int = 200):
    def answer(request: httpx.Request) -> httpx.Response:
        keys = list(json.loads(request.content))
        fill = {name: value for name, value in zip(("a", "b"), keys, strict=False)}
        return httpx.Response(status, json={"success": ok, "data": {
            "successData": {fill[k]: v for k, v in success.items()},
            "failedData": {fill[k]: v for k, v in failed.items()}}})
    return answer


@pytest.mark.parametrize(("ok", "status"), [(True, 200), (False, 200), (False, 400)])
def test_each_creative_gets_its_own_outcome_in_the_order_sent(platform, ok, status):
    platform.script[("POST", ADD)] = [_answer_with({"b": "701388"}, {"a": "Creative file missing."}, ok, status)]
    tags = [NewCreative(name, "html", "HTML", source="<b>x</b>", width=1, height=1) for name in ("A", "B")]
    assert _run(platform, lambda api: api.add_creatives(tags)) == [
        AddedCreative(error="Creative file missing."), AddedCreative(id=701388)]


def test_an_answer_that_does_not_mention_a_creative_may_have_created_it(platform):
    platform.script[("POST", ADD)] = [_answer_with({"a": "1"}, {})]
    tags = [NewCreative(name, "html", "HTML", source="<b>x</b>", width=1, height=1) for name in ("A", "B")]
    with pytest.raises(TransportError) as caught:
        _run(platform, lambda api: api.add_creatives(tags))
    assert caught.value.maybe_sent and "does not mention creative" in str(caught.value)
    assert len(platform.sent("POST", ADD)) == 1  # never sent again blindly


def test_a_refused_request_is_an_api_error_with_iqms_words(platform):
    platform.script[("POST", ADD)] = [httpx.Response(400, json=v3_error({"error": "Too many creatives."}))]
    with pytest.raises(ApiError) as caught:
        _run(platform, lambda api: api.add_creatives([NewCreative("T", "html", "HTML", source="<b/>", width=1,
                                                                  height=1)]))
    assert "Too many creatives." in str(caught.value)


@pytest.mark.parametrize(("creative", "expected"), [
    (NewCreative("A", "image", "FILE"), "creative 'A': a FILE creative needs its file"),
    (NewCreative("A", "image", "FILE", file=("a.mp4", b"x", None)),
     "creative 'A': 'a.mp4' is not an image file IQM takes (.gif, .jpeg, .jpg, .png)"),
    (NewCreative("A", "audio", "FILE", file=("a.mp3", b"x" * (100 * 1024 * 1024 + 1), None)),
     "creative 'A': 'a.mp3' is 104,857,601 bytes; IQM takes at most 104,857,600 for .mp3 files"),
    (NewCreative("A", "video", "DAAST_XML", source="<DAAST/>"),
     "creative 'A': a video creative's source is FILE or URL or VAST_URL or VAST_XML, not DAAST_XML"),
    (NewCreative("A", "html", "HTML"), "creative 'A': its HTML source is empty"),
    (NewCreative("A", "native", "FILE"), "creative 'A': 'native' is not a creative type IQM adds this way "
                                          "(image, html, video, audio)"),
    (NewCreative("A", "video", "VAST_XML", source=VAST, pixel_url="https://px"),
     "creative 'A': IQM takes a pixel URL for image creatives only"),
    (NewCreative("A", "audio", "DAAST_XML", source="<DAAST/>", width=1),
     "creative 'A': IQM takes no width or height for audio creatives"),
])
def test_a_creative_that_cannot_be_added_is_refused_before_anything_is_sent(platform, creative, expected):
    with pytest.raises(InputError) as caught:
        _run(platform, lambda api: api.add_creatives([creative]))
    assert str(caught.value) == f"cannot add these creatives: {expected}"
    assert platform.requests == []


def test_no_creatives_means_no_request(platform):
    assert _run(platform, lambda api: api.add_creatives([])) == []
    assert platform.requests == []


@pytest.mark.parametrize("name", ["spot.mp4", "tag.html", "spot.xml", "jingle.mp3"])
def test_the_image_route_takes_images_only(platform, name):
    with pytest.raises(InputError) as caught:
        _run(platform, lambda api: api.upload_creatives([(name, b"x", None)]))
    assert f"{name!r} is not an image" in str(caught.value)
    assert platform.requests == []


# -- campaigns ------------------------------------------------------------------------------------

@pytest.fixture
def campaign(platform) -> int:
    platform.campaigns[25859] = {"id": 25859, "campaignName": "North", "status": "pending", "budgetDay": 10.0,
                                 "budgetTotal": 100.0, "maxBid": 8.0, "endTime": 1704614400}
    return 25859


def test_update_campaign_patches_only_the_fields_given(platform, campaign):
    status = _run(platform, lambda api: api.update_campaign(campaign, {"maxBid": 9.5, "deviceType": "13"}))
    assert status == "pending"
    request, = platform.sent("PATCH", f"/api/v2/cmp/campaign/{campaign}")
    assert json.loads(request.content) == {"maxBid": 9.5, "deviceType": "13"}


@pytest.mark.parametrize(("fields", "status"), [({"maxBid": 9.5}, "paused"), ({}, "running")])
def test_update_campaign_pauses_or_resumes_in_the_same_request(platform, campaign, fields, status):
    _run(platform, lambda api: api.update_campaign(campaign, fields, status=status))
    request, = platform.sent("PATCH", f"/api/v2/cmp/campaign/{campaign}")
    assert json.loads(request.content) == {**fields, "status": status}


@pytest.mark.parametrize("fields", [{"whiteListedZipcodes": "02134"}, {"status": "paused"}, {}])
def test_update_campaign_refuses_fields_the_guide_does_not_list_before_sending(platform, campaign, fields):
    with pytest.raises(InputError):
        _run(platform, lambda api: api.update_campaign(campaign, fields))
    assert platform.requests == []


def test_a_lost_answer_to_an_update_is_retried_since_it_sets_values(platform, campaign):
    platform.script[("PATCH", f"/api/v2/cmp/campaign/{campaign}")] = [httpx.RemoteProtocolError("cut")]
    assert _run(platform, lambda api: api.update_campaign(campaign, {"maxBid": 3})) == "pending"
    assert len(platform.sent("PATCH")) == 2


def test_rename_campaign(platform, campaign):
    _run(platform, lambda api: api.rename_campaign(campaign, "Nord"))
    assert platform.campaigns[campaign]["campaignName"] == "Nord"
    request, = platform.sent("PATCH", f"/api/v3/cmp/campaign/update-name/{campaign}")
    assert json.loads(request.content) == {"campaignName": "Nord"}


def test_update_budgets_sends_one_set_of_values_for_several_campaigns(platform, campaign):
    platform.campaigns[25860] = {**platform.campaigns[campaign], "id": 25860}
    answer = _run(platform, lambda api: api.update_budgets([campaign, 25860, campaign], daily_budget=20,
                                                           total_budget=500))
    request, = platform.sent("PUT", "/api/v2/cmp/campaigns/update-budget")
    assert json.loads(request.content) == {"campaignIds": f"{campaign},25860", "dailyBudget": 20, "totalBudget": 500,
                                           "totalBudgetUpdateType": "change"}
    assert answer.modified == {campaign: {"maxBid": 8.0, "totalBudget": 500, "dailyBudget": 20},
                               25860: {"maxBid": 8.0, "totalBudget": 500, "dailyBudget": 20}}
    assert (answer.refused, answer.status) == ({}, True)


def test_the_budget_answer_names_refusals_per_campaign(platform, campaign):
    platform.script[("PUT", "/api/v2/cmp/campaigns/update-budget")] = [httpx.Response(200, json={
        "statusCode": 200, "responseObject": {
            "reason": [{"errorMessage": "max bid cannot be less than minimum bid 3.0", "id": "4120",
                        "campaignName": "test"}],
            "modified_data": [{"campaignId": 1, "maxBid": 34, "totalBudget": 35, "dailyBudget": 36}],
            "status": False}})]
    answer = _run(platform, lambda api: api.update_budgets([4120, 1], max_bid=2))
    assert answer.refused == {4120: "max bid cannot be less than minimum bid 3.0"}
    assert answer.modified == {1: {"maxBid": 34, "totalBudget": 35, "dailyBudget": 36}}
    assert answer.status is False


def test_update_budgets_needs_a_value_and_a_campaign(platform):
    with pytest.raises(InputError):
        _run(platform, lambda api: api.update_budgets([1]))
    with pytest.raises(InputError):
        _run(platform, lambda api: api.update_budgets([], max_bid=3))
    assert platform.requests == []


def test_update_end_dates(platform, campaign):
    _run(platform, lambda api: api.update_end_dates([campaign], 1705000000))
    request, = platform.sent("PUT", "/api/v2/cmp/campaigns/update-end-date")
    assert json.loads(request.content) == {"campaignIds": str(campaign), "endDate": 1705000000}
    assert platform.campaigns[campaign]["endTime"] == 1705000000


def test_a_refused_end_date_is_an_api_error(platform, campaign):
    platform.script[("PUT", "/api/v2/cmp/campaigns/update-end-date")] = [
        httpx.Response(400, json=v2_error("endDate must be after the start of campaign 1.", 400))]
    with pytest.raises(ApiError) as caught:
        _run(platform, lambda api: api.update_end_dates([campaign], 1))
    assert "endDate must be after the start" in str(caught.value)


def test_listed_campaigns_reads_pages_of_the_ids_asked(platform):
    for n in range(1, 6):
        platform.campaigns[n] = {"id": n, "campaignName": f"C{n}", "status": "pending", "budgetDay": float(n)}
    rows = _run(platform, lambda api: api.listed_campaigns([5, 1, 3, 99, 1], per_page=2))
    assert [(r.id, r.name, r.budgetDay) for r in rows] == [(5, "C5", 5.0), (1, "C1", 1.0), (3, "C3", 3.0)]
    bodies = [json.loads(r.content) for r in platform.sent("POST", "/api/v3/cmp/customer/campaigns/list")]
    assert bodies == [{"campaignIds": [5, 1], "pageNo": 1, "noOfEntries": 2, "isBasicInfo": False},
                      {"campaignIds": [3, 99], "pageNo": 1, "noOfEntries": 2, "isBasicInfo": False}]


def test_a_campaign_list_answer_that_cannot_be_read_is_an_api_error_and_retried_as_a_read(platform):
    path = "/api/v3/cmp/customer/campaigns/list"
    platform.script[("POST", path)] = [httpx.Response(503), httpx.Response(200, text="<html>")]
    with pytest.raises(ApiError):
        _run(platform, lambda api: api.listed_campaigns([1]))
    assert len(platform.sent("POST", path)) == 2
