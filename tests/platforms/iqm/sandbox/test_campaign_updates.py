"""The campaign guide's update routes: Update Campaign (PATCH, what it keeps, ignores and refuses),
Change Campaign Name, Change Campaign Budget (per-campaign answer) and Change Campaign End Date."""

from __future__ import annotations

import pytest

from tests.platforms.iqm.sandbox.conftest import ADD, CAMPAIGN, add, approved

pytestmark = pytest.mark.slow

NAME = "/api/v3/cmp/campaign/update-name/{}"
BUDGET = "/api/v2/cmp/campaigns/update-budget"
END = "/api/v2/cmp/campaigns/update-end-date"


def _error(message: str, code: int = 400) -> dict:
    return {"statusCode": code, "responseObject": {"errorMsg": message, "errorCode": code}}


@pytest.fixture
def campaign(http, auth, clock) -> int:
    approved(http, auth, clock, "A")
    answer = http.post(ADD, json=CAMPAIGN, headers=auth)
    assert answer.status_code == 201, answer.text
    return answer.json()["responseObject"]["data"]


def _stored(server, campaign_id: int) -> dict:
    return next(c for c in server.sandbox.campaigns() if c["id"] == campaign_id)


def _patch(http, auth, campaign_id, body):
    return http.patch(f"/api/v2/cmp/campaign/{campaign_id}", json=body, headers=auth)


def test_update_campaign_keeps_the_fields_sent_and_nothing_else(http, auth, server, campaign):
    before = _stored(server, campaign)
    answer = _patch(http, auth, campaign, {"maxBid": 12, "deviceType": "13", "userDealId": "5012,5013",
                                           "schedule": {"0": [["09:00:00", "17:00:00"]]}})
    assert answer.status_code == 200
    assert answer.json() == {"statusCode": 200, "responseObject": {
        "data": campaign, "message": "Campaign updated successfully.", "status": "pending"}}
    after = _stored(server, campaign)
    assert (after["maxBid"], after["deviceType"], after["userDealId"], after["schedule"]) == (
        12.0, "13", "5012,5013", {"0": [["09:00:00", "17:00:00"]]})
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"maxBid", "deviceType", "userDealId", "schedule"}


def test_update_campaign_ignores_what_the_guide_does_not_list(http, auth, server, campaign):
    before = _stored(server, campaign)
    answer = _patch(http, auth, campaign, {"whiteListedZipcodes": "02134", "id": 99,
                                           "ioId": 1, "dspMargin": 5})
    assert answer.status_code == 200
    assert _stored(server, campaign) == before


@pytest.mark.parametrize(("body", "message"), [
    ({"maxBid": 0}, "maxBid must be a number greater than 0."),
    ({"campaignName": ""}, "campaignName must be a non-empty string."),
    ({"endTime": CAMPAIGN["startTime"]}, "endTime must be after startTime."),
    ({"startTime": CAMPAIGN["endTime"] + 1}, "endTime must be after startTime."),
    ({"deviceType": "13;15"}, "deviceType must be a string of comma separated IDs."),
    ({"bidPacing": "no"}, "bidPacing must be a boolean."),
    ({"creativeType": 12}, "creativeType 12 is not a creative type id (see /api/v3/master/creativeTypes)."),
])
def test_update_campaign_refuses_a_malformed_field_and_changes_nothing(http, auth, server, campaign, body, message):
    before = _stored(server, campaign)
    answer = _patch(http, auth, campaign, body)
    assert answer.status_code == 400 and answer.json() == _error(message)
    assert _stored(server, campaign) == before


def test_update_campaign_checks_creatives_as_the_create_does(http, auth, clock, server, campaign):
    ids = add(http, auth, {"v": {"creativeName": "Spot", "platformCreativeTypeId": 14, "creativeSourceType": "VAST_XML",
                                 "creativeSource": '<VAST version="4.0"/>'}})
    answer = _patch(http, auth, campaign, {"creativeIds": f"1,{ids['v']}"})
    assert answer.status_code == 400
    assert answer.json() == _error(f"Invalid arguments creative ids! Creative {ids['v']} is pending, not approved.",
                                   code=412)
    clock.advance(2)
    answer = _patch(http, auth, campaign, {"creativeIds": f"{ids['v']}"})
    assert answer.json() == _error(f"Invalid arguments creative ids! Creative {ids['v']} is of creative type 14, "
                                   "not 11.", code=412)
    assert _patch(http, auth, campaign, {"creativeIds": f" {ids['v']} ", "creativeType": 14}).status_code == 200
    assert (_stored(server, campaign)["creativeIds"], _stored(server, campaign)["creativeType"]) == (str(ids["v"]), 14)


def test_updates_of_an_unknown_or_foreign_campaign_are_404(http, auth, server, campaign):
    server.sandbox.store.create("campaign", "200002", lambda new_id: {"id": new_id, "campaignName": "Theirs"})
    for raw in ("999", "2", "abc"):
        answer = _patch(http, auth, raw, {"maxBid": 3})
        assert answer.status_code == 404 and answer.json() == _error(f"Campaign {raw} not found.", code=404)
    answer = http.patch(NAME.format(2), json={"campaignName": "Mine now"}, headers=auth)
    assert answer.status_code == 404 and answer.json()["success"] is False


def test_change_campaign_name(http, auth, server, campaign):
    answer = http.patch(NAME.format(campaign), json={"campaignName": "Nord"}, headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"success": True, "data": {"message": "campaignName updated successfully"}}
    assert _stored(server, campaign)["campaignName"] == "Nord"
    answer = http.patch(NAME.format(campaign), json={"campaignName": " "}, headers=auth)
    assert answer.status_code == 400 and answer.json()["success"] is False


def _three(http, auth, clock) -> list[int]:
    approved(http, auth, clock, "A")
    return [http.post(ADD, json={**CAMPAIGN, "campaignName": f"C{n}"}, headers=auth).json()["responseObject"]["data"]
            for n in range(3)]


def test_change_campaign_budget_for_several_campaigns_answers_per_campaign(http, auth, clock, server):
    first, second, third = _three(http, auth, clock)
    body = {"campaignIds": f"{first},{second},999", "dailyBudget": 20, "maxBid": 4.5}
    answer = http.put(BUDGET, json=body, headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"statusCode": 200, "responseObject": {
        "reason": [{"errorMessage": "Campaign not found.", "id": "999", "campaignName": ""}],
        "modified_data": [
            {"campaingId": first, "maxBid": 4.5, "totalBudget": 100.0, "dailyBudget": 20.0, "endDate": 1704614400},
            {"campaingId": second, "maxBid": 4.5, "totalBudget": 100.0, "dailyBudget": 20.0, "endDate": 1704614400}],
        "status": False}}
    assert [(c["budgetDay"], c["maxBid"]) for c in server.sandbox.campaigns()] == [(20.0, 4.5), (20.0, 4.5),
                                                                                  (10.0, 10.0)]


def test_a_daily_budget_above_the_total_refuses_that_campaign_only(http, auth, clock, server):
    first, second, _ = _three(http, auth, clock)
    assert http.put(BUDGET, json={"campaignIds": str(second), "totalBudget": 500}, headers=auth).status_code == 200
    answer = http.put(BUDGET, json={"campaignIds": f"{first},{second}", "dailyBudget": 150}, headers=auth)
    inner = answer.json()["responseObject"]
    assert inner["reason"] == [{"errorMessage": "daily budget cannot be greater than total budget", "id": str(first),
                                "campaignName": "C0"}]
    assert [m["campaingId"] for m in inner["modified_data"]] == [second] and inner["status"] is False
    assert [c["budgetDay"] for c in server.sandbox.campaigns()[:2]] == [10.0, 150.0]


@pytest.mark.parametrize(("update_type", "totals"), [("change", [90.0, 90.0]), ("addition", [190.0, 190.0]),
                                                     ("distribution", [45.0, 45.0])])
def test_the_total_budget_update_types(http, auth, clock, server, update_type, totals):
    first, second, _ = _three(http, auth, clock)
    body = {"campaignIds": f"{first},{second}", "totalBudget": 90, "totalBudgetUpdateType": update_type}
    assert http.put(BUDGET, json=body, headers=auth).status_code == 200
    assert [c["budgetTotal"] for c in server.sandbox.campaigns()[:2]] == totals


@pytest.mark.parametrize("body", [{"dailyBudget": 5}, {"campaignIds": "1;2", "dailyBudget": 5},
                                  {"campaignIds": "1"}, {"campaignIds": "1", "maxBid": "5"},
                                  {"campaignIds": "1", "totalBudget": 5, "totalBudgetUpdateType": "double"}])
def test_a_malformed_budget_request_is_a_400(http, auth, campaign, body):
    assert http.put(BUDGET, json=body, headers=auth).status_code == 400


def test_change_campaign_end_date_for_several_campaigns(http, auth, clock, server):
    first, second, third = _three(http, auth, clock)
    answer = http.put(END, json={"campaignIds": f"{first},{second}", "endDate": 1705000000}, headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"statusCode": 200, "responseObject": {"status": True}}
    assert [c["endTime"] for c in server.sandbox.campaigns()] == [1705000000, 1705000000, 1704614400]
    assert http.put(END, json={"campaignIds": third, "endDate": 1706000000}, headers=auth).status_code == 200


@pytest.mark.parametrize(("body", "message"), [
    ({"campaignIds": "1,999", "endDate": 1705000000}, "Campaign 999 not found."),
    ({"campaignIds": "1", "endDate": CAMPAIGN["startTime"]}, "endDate must be after the start of campaign 1."),
    ({"campaignIds": "1", "endDate": 1705000000000}, "endDate must be an integer epoch time in seconds."),
    ({"campaignIds": "", "endDate": 1705000000}, "campaignIds must be comma separated campaign ids."),
])
def test_an_end_date_that_cannot_be_set_on_every_campaign_changes_none(http, auth, server, campaign, body, message):
    answer = http.put(END, json=body, headers=auth)
    assert answer.status_code == 400 and answer.json() == _error(message)
    assert _stored(server, campaign)["endTime"] == CAMPAIGN["endTime"]


@pytest.mark.parametrize(("method", "path"), [("PATCH", "/api/v2/cmp/campaign/1"), ("PATCH", NAME.format(1)),
                                              ("PUT", BUDGET), ("PUT", END)])
def test_the_update_routes_need_a_token_and_the_workspace(http, auth, method, path):
    assert http.request(method, path, json={}).status_code == 401
    assert http.request(method, path, json={}, headers={**auth, "X-IAA-OW-ID": "1"}).status_code == 403


def _with_status(server, campaign_id: int, status: str) -> None:
    from bulkops.sandbox import CAMPAIGN as STORED

    server.sandbox.store.put(STORED, campaign_id, {**_stored(server, campaign_id), "status": status})


@pytest.mark.parametrize(("before", "asked"), [("running", "paused"), ("pending", "paused"), ("paused", "running")])
def test_update_campaign_pauses_and_resumes_with_its_status(http, auth, server, campaign, before, asked):
    _with_status(server, campaign, before)
    answer = _patch(http, auth, campaign, {"status": asked})
    assert answer.status_code == 200, answer.text
    assert answer.json()["responseObject"]["status"] == asked
    assert _stored(server, campaign)["status"] == asked


@pytest.mark.parametrize(("before", "asked"), [
    ("pending", "running"), ("expired", "running"), ("rejected", "paused"), ("running", "expired"),
    ("paused", "Running"), ("running", 2)])
def test_update_campaign_refuses_a_status_change_a_buyer_cannot_ask_for_and_changes_nothing(http, auth, server,
                                                                                          campaign, before, asked):
    _with_status(server, campaign, before)
    stored = _stored(server, campaign)
    answer = _patch(http, auth, campaign, {"status": asked, "maxBid": 12})
    assert answer.status_code == 400
    assert answer.json() == _error(f"Campaign status cannot be changed from {before} to {asked}.")
    assert _stored(server, campaign) == stored


def test_update_campaign_with_the_status_it_has_changes_no_status(http, auth, server, campaign):
    answer = _patch(http, auth, campaign, {"status": "pending", "maxBid": 12})
    assert answer.status_code == 200, answer.text
    assert (_stored(server, campaign)["status"], _stored(server, campaign)["maxBid"]) == ("pending", 12.0)
