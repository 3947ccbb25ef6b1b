"""2, 10, 22 and 24: a campaign's time targeting, CTR booster and optimization rule, as the document shows them."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import assert_refused

pytestmark = pytest.mark.slow

RULE = {"name": "TEST Rule#1", "timeRange": "last_day", "then": "blacklist_source", "targetFilterListId": 501,
        "conditions": [{"condition": "when", "action": "dspSpend", "comparison": ">", "value": "10"}]}  # 22.3.2


@pytest.fixture(scope="module")
def cid(client) -> int:
    answer = client.post("/api/campaigns", json={"type": "banner", "name": "Hours", "aDomain": "hours.example.com"})
    return answer.json()["data"]["id"]


def _time(campaign_id: int) -> str:
    return f"/api/campaigns/{campaign_id}/time-targeting"


# --- 2. time targeting -----------------------------------------------------------------------------

def test_time_targeting_replace_append_delete_in_the_document_shapes(client, module_server, cid):
    assert client.get(_time(cid)).json() == {"data": []}
    answer = client.post(_time(cid), json={"items": [{"dayOfWeek": 3, "hour": 12}], "timeZone": 0})  # 2.2.2
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    answer = client.patch(_time(cid), json={"items": [{"dayOfWeek": 0, "hour": 0}, {"dayOfWeek": 3, "hour": 12}]})
    assert answer.status_code == 200 and answer.json() == {"message": "Appended."}
    # A set: the pair sent twice is held once, in day and hour order (2.1.4's shape).
    assert client.get(_time(cid)).json() == {"data": [{"dayOfWeek": 0, "hour": 0}, {"dayOfWeek": 3, "hour": 12}]}
    answer = client.request("DELETE", _time(cid), json={"items": [{"dayOfWeek": 0, "hour": 0}]})  # 2.4.2
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted."}
    assert module_server.sandbox.campaign_hours(cid) == [{"dayOfWeek": 3, "hour": 12}]
    assert client.request("DELETE", _time(cid), json={}).json() == {"message": "Deleted."}  # no items: all
    assert client.get(_time(cid)).json() == {"data": []}


def test_time_zone_converts_to_utc_hours(client, cid):
    # Monday 09:00 at UTC-5 is Monday 14:00 UTC; Sunday 01:00 at UTC+3 is Saturday 22:00 UTC.
    items = [{"dayOfWeek": 1, "hour": 9}]
    assert client.post(_time(cid), json={"items": items, "timeZone": -5}).status_code == 200
    assert client.get(_time(cid)).json()["data"] == [{"dayOfWeek": 1, "hour": 14}]
    assert client.post(_time(cid), json={"items": [{"dayOfWeek": 0, "hour": 1}], "timeZone": 3.0}).status_code == 200
    assert client.get(_time(cid)).json()["data"] == [{"dayOfWeek": 6, "hour": 22}]


def test_time_targeting_is_validated(client, cid):
    assert_refused(client.post(_time(cid), json={}), {"items": ["The items field is required."]})
    assert_refused(client.post(_time(cid), json={"items": [{"dayOfWeek": 7, "hour": 24}]}),
                   {"items.0.dayOfWeek": ["The items.0.day of week field must be between 0 and 6."],
                    "items.0.hour": ["The items.0.hour field must be between 0 and 23."]})
    assert_refused(client.post(_time(cid), json={"items": [{"dayOfWeek": 1, "hour": 2}], "timeZone": "UTC"}),
                   {"timeZone": ["The time zone field must be a number."]})
    assert client.get("/api/campaigns/999999/time-targeting").status_code == 404


# --- 10. CTR booster -------------------------------------------------------------------------------

def test_ctr_booster_enable_get_disable(client, module_server, cid):
    assert client.get(f"/api/booster-settings/{cid}").json() == {"data": False}
    answer = client.post("/api/booster-settings", json={"cid": cid})
    assert answer.status_code == 200
    record = answer.json()
    assert set(record) == {"id", "cid", "createdAt"} and record["cid"] == cid
    assert client.post("/api/booster-settings", json={"cid": cid}).json() == record  # on already: the same record
    assert client.get(f"/api/booster-settings/{cid}").json() == {"data": True}
    assert module_server.sandbox.campaign_booster(cid)
    assert client.request("DELETE", f"/api/booster-settings/{cid}", json={}).json() == {"deleted": True}
    assert client.get(f"/api/booster-settings/{cid}").json() == {"data": False}
    assert client.request("DELETE", f"/api/booster-settings/{cid}", json={}).json() == {"deleted": False}
    assert_refused(client.post("/api/booster-settings", json={"cid": 999999}),
                   {"cid": ["The selected cid is invalid."]})


# --- 22 and 24. optimization rules ---------------------------------------------------------------

def test_rules_are_listed_and_assigned(client, module_server, cid):
    made = client.post("/api/optimization-rule", json=RULE)
    assert made.status_code == 200, made.text
    rule = made.json()["data"]
    assert {k: rule[k] for k in RULE} == RULE
    listed = client.get("/api/optimization-rule").json()
    assert rule in listed["data"] and listed["meta"]["pagination"]["total"] >= 1
    assert client.get(f"/api/optimization-rule/{rule['id']}").json() == {"data": rule}
    relation = f"/api/campaign/{cid}/optimization-rule-relation"
    assert client.get(relation).json() == {"data": None}
    answer = client.post("/api/campaign/optimization-rule-relation", json={"campaignId": cid, "ruleId": rule["id"]})
    assert answer.json() == {"campaignId": cid, "ruleId": rule["id"]}
    assert client.get(relation).json() == {"data": rule}
    assert module_server.sandbox.campaign_rule_id(cid) == rule["id"]
    assert client.request("DELETE", relation, json={}).json() == {"deleted": True}
    assert client.get(relation).json() == {"data": None}
    assert client.request("DELETE", relation, json={}).json() == {"deleted": False}
    assert_refused(client.post("/api/campaign/optimization-rule-relation", json={"campaignId": cid, "ruleId": 999}),
                   {"ruleId": ["The selected rule id is invalid."]})


def test_a_rule_needs_its_fields(client):
    rule = {**RULE, "timeRange": "last_year",
            "conditions": [{"condition": "and", "action": "ctr", "comparison": ">", "value": 1}]}
    answer = client.post("/api/optimization-rule", json=rule)
    assert_refused(answer, {"timeRange": ["The selected time range is invalid."],
                            "conditions.0.condition": ["The selected conditions.0.condition is invalid."]})


# --- Campaign.extention.deviceVendor -------------------------------------------------------------

def test_device_vendors_are_taken_by_a_create_kept_and_shown_by_no_answer(client, module_server):
    body = {"type": "banner", "name": "Vendors", "aDomain": "v.example.com",
            "extention": {"deviceVendor": ["apple", "sony ericsson"]}}
    made = client.post("/api/campaigns", json=body).json()["data"]
    assert "extention" not in made and "extention" not in client.get(f"/api/campaigns/{made['id']}").json()["data"]
    assert module_server.sandbox.campaign_device_vendors(made["id"]) == ["apple", "sony ericsson"]
    # 11.4.1 does not list it: an update leaves it as it is.
    client.patch(f"/api/campaigns/{made['id']}", json={"name": "Vendors", "extention": {"deviceVendor": ["lg"]}})
    assert module_server.sandbox.campaign_device_vendors(made["id"]) == ["apple", "sony ericsson"]
    assert_refused(client.post("/api/campaigns", json={**body, "extention": {"deviceVendor": ["nokia"]}}),
                   {"extention.deviceVendor.0": ["The selected extention.device vendor.0 is invalid."]})
