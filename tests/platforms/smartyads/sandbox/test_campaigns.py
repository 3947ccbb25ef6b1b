"""11. Campaigns: create, get, list, update, delete, as the document shows them."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from bulkops.platforms.smartyads.sandbox._rules import CAMPAIGN_TEMPLATE
from bulkops.sandbox import SandboxConfig, running
from tests.sandbox.conftest import VALID, create, login

pytestmark = pytest.mark.slow

FULL = {  # the document's 11.3.2 request, verbatim
    "type": "banner", "name": "New Campaign #2", "aDomain": "gusikowski.com", "isRewarded": True,
    "isDesktopWeb": True, "isMobileApp": True, "isMobileWeb": True, "isSmartphone": True, "isTablet": True,
    "contentCategories": ["IAB1", "IAB3"], "contentCategoriesIsInclude": False, "userAgeMin": 18, "userAgeMax": 50,
    "connectionTypes": ["ethernet", "cellular_all", "cellular_3g", "cellular_4g", "wifi"],
    "deviceCarrier": ["ISP Green-Stiedemann", "ISP Simonis Inc"], "deviceCarrierIsInclude": False,
    "OS": ["Android 8.0", "Android 8.1", "Android 9.0", "Android 10.0", "Android 11.0", "Android 12.0",
           "Android 13.0", "iOS"],
    "OSIsInclude": True, "browser": ["Chrome", "IE", "Edge"], "browserIsInclude": True,
    "deviceLanguage": ["ab", "aa"], "deviceLanguageIsInclude": True, "spentDailyLimit": 200,
    "spentTotalLimit": 1000, "impressionsDailyLimit": 100000, "impressionsTotalLimit": 1000000,
    "clicksDailyLimit": 500, "clicksTotalLimit": 1000, "budgetUse": "fast", "geoCountries": [],
    "geoCountriesIsInclude": True, "geoRegions": [], "geoRegionsIsInclude": True, "geoCities": [],
    "geoCitiesIsInclude": True, "frequency": True, "frequencyType": "user", "frequencyCap": 3, "frequencyPeriod": 1,
    "dateStart": "2024-08-05", "dateEnd": "2026-05-22",
}


def _stored(http, auth, created: dict) -> dict:
    """The campaign as GET shows it (a create's answer leaves out its IAB categories, 11.3.5)."""
    return http.get(f"/api/campaigns/{created['id']}", headers=auth).json()["data"]


def test_create_stores_every_field_and_answers_the_full_campaign(server, http, auth):
    answer = http.post("/api/campaigns", json={**FULL, "isCTV": True, "surprise": 1}, headers=auth)
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert list(data) == list(CAMPAIGN_TEMPLATE)  # every documented field, in the 11.3.5 order
    # As 11.3.5 answers 11.3.2: the IAB categories are not shown by the answer, but stored as sent.
    assert (data["contentCategories"], data["contentCategoriesIsInclude"]) == ([], None)
    data |= {"contentCategories": ["IAB1", "IAB3"], "contentCategoriesIsInclude": False}
    assert {k: data[k] for k in FULL} == FULL
    today = dt.date.today().isoformat()
    assert data["id"] == 1 and data["userId"] == 18 and data["isCTV"] is True and data["isDOOH"] is False
    assert (data["isActive"], data["isRunning"], data["allSources"], data["cpm"], data["deletedAt"]) == (
        False, False, False, None, None)
    assert data["extendedStatus"] == "Campaign is not active"
    assert data["createdAt"] == data["updatedAt"] == today
    assert "surprise" not in data
    assert http.get("/api/campaigns/1", headers=auth).json() == {"data": data}
    assert server.sandbox.campaigns() == [data]


def test_create_fills_defaults(http, auth):
    data = http.get(f"/api/campaigns/{create(http, auth)['id']}", headers=auth).json()["data"]
    assert data["contentCategories"] == [] and data["contentCategoriesIsInclude"] is True
    assert data["isTablet"] is False and data["frequency"] is False and data["frequencyCap"] is None
    assert data["dateStart"] is None and data["pretargets"] == [] and data["googleAnalyticsTrackingCode"] is None


def test_form_content_type_with_a_json_body_is_read_as_json(http, auth):
    # The document's examples send JSON under "Content-type: application/x-www-form-urlencoded".
    headers = {**auth, "Content-Type": "application/x-www-form-urlencoded"}
    answer = http.post("/api/campaigns", content=b'{"type": "video", "name": "V", "aDomain": "v.com"}',
                       headers=headers)
    assert answer.status_code == 200 and answer.json()["data"]["type"] == "video"


def test_list_pages_by_id(http, auth):
    ids = [create(http, auth, name=f"C{i}")["id"] for i in range(7)]
    seen = []
    for page, count in ((1, 3), (2, 3), (3, 1)):
        body = http.get("/api/campaigns", params={"page": page, "per_page": 3}, headers=auth).json()
        assert body["meta"]["pagination"] | {"links": None} == {
            "total": 7, "count": count, "per_page": 3, "current_page": page, "total_pages": 3, "links": None}
        seen += [c["id"] for c in body["data"]]
    assert seen == ids
    links = http.get("/api/campaigns", params={"page": 2, "per_page": 3}, headers=auth).json()["meta"][
        "pagination"]["links"]
    assert "page=3" in links["next"] and "page=1" in links["previous"]
    beyond = http.get("/api/campaigns", params={"page": 4, "per_page": 3}, headers=auth).json()
    assert beyond["data"] == [] and beyond["meta"]["pagination"]["count"] == 0
    default = http.get("/api/campaigns", headers=auth).json()["meta"]["pagination"]
    assert (default["per_page"], default["count"], default["links"]) == (15, 7, [])


def test_per_page_is_capped():
    with running(SandboxConfig(per_page_max=2)) as srv, httpx.Client(base_url=srv.base_url) as client:
        headers = login(client)
        for i in range(3):
            create(client, headers, name=f"C{i}")
        body = client.get("/api/campaigns", params={"per_page": 50}, headers=headers).json()
        assert len(body["data"]) == 2 and body["meta"]["pagination"]["per_page"] == 2


def test_only_the_callers_campaigns_are_visible(server, http, auth):
    mine = create(http, auth)
    server.sandbox.store.create("campaign", "99", lambda i: {**VALID, "id": i, "userId": 99})
    assert [c["id"] for c in http.get("/api/campaigns", headers=auth).json()["data"]] == [mine["id"]]
    answer = http.get(f"/api/campaigns/{mine['id'] + 1}", headers=auth)
    assert answer.status_code == 404
    assert len(server.sandbox.campaigns()) == 2


def test_patch_changes_only_what_is_sent(http, auth):
    before = _stored(http, auth, create(http, auth, **{k: FULL[k] for k in ("OS", "userAgeMin", "userAgeMax")}))
    answer = http.patch(f"/api/campaigns/{before['id']}", headers=auth, json={
        "name": "Renamed", "geoCountries": ["USA"], "geoRegions": ["US-CA"], "geoCitiesIsInclude": False,
        "frequency": True, "frequencyType": "ip", "frequencyCap": 2, "frequencyPeriod": 3})
    assert answer.status_code == 200, answer.text
    after = answer.json()["data"]
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"name", "geoCountries", "geoRegions", "geoCitiesIsInclude", "frequency", "frequencyType",
                       "frequencyCap", "frequencyPeriod"}
    assert http.get(f"/api/campaigns/{before['id']}", headers=auth).json()["data"] == after


def test_patch_keeps_only_the_fields_11_4_1_lists_and_answers_the_whole_campaign(http, auth):
    # Laravel's validated() input: the rest of the body is neither checked nor kept, and the answer
    # (11.4.4) is 200 with the campaign as it is, old values included.
    before = _stored(http, auth, create(http, auth, spentDailyLimit=100, userAgeMin=18, budgetUse="pacer"))
    answer = http.patch(f"/api/campaigns/{before['id']}", headers=auth, json={
        "name": before["name"], "spentDailyLimit": 150, "userAgeMin": "not a number", "budgetUse": "nonsense",
        "type": "video", "isTablet": True, "dateStart": "2027-02-30", "frequencyCap": 4})
    assert answer.status_code == 200, answer.text
    after = answer.json()["data"]
    assert list(after) == list(CAMPAIGN_TEMPLATE)
    assert {k for k in after if after[k] != before[k]} == {"frequencyCap"}
    assert (after["spentDailyLimit"], after["userAgeMin"], after["budgetUse"], after["type"]) == (
        100, 18, "pacer", "banner")
    assert http.get(f"/api/campaigns/{before['id']}", headers=auth).json()["data"] == after


def test_patch_checks_the_fields_it_keeps(http, auth):
    campaign = create(http, auth)
    answer = http.patch(f"/api/campaigns/{campaign['id']}", headers=auth, json={
        "name": "N", "geoCountries": "USA", "frequency": True, "frequencyPeriod": 9, "spentDailyLimit": -1})
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"geoCountries", "frequencyType", "frequencyCap", "frequencyPeriod"}


def test_patch_requires_a_name(http, auth):
    campaign = create(http, auth)
    answer = http.patch(f"/api/campaigns/{campaign['id']}", json={"isTablet": True}, headers=auth)
    assert answer.status_code == 422
    assert answer.json() == {"message": "The name field is required.",
                             "errors": {"name": ["The name field is required."]}}


def test_delete_is_soft_and_then_404(server, http, auth):
    first, second = create(http, auth, name="A"), create(http, auth, name="B")
    answer = http.delete(f"/api/campaigns/{first['id']}", headers=auth)
    assert answer.status_code == 200 and answer.json() == {}
    for call in (http.get, http.delete):
        answer = call(f"/api/campaigns/{first['id']}", headers=auth)
        assert answer.status_code == 404
        assert answer.json() == {"message": f"No query results for model [Campaign] {first['id']}"}
    answer = http.patch(f"/api/campaigns/{first['id']}", json={"name": "x"}, headers=auth)
    assert answer.status_code == 404
    assert [c["id"] for c in http.get("/api/campaigns", headers=auth).json()["data"]] == [second["id"]]
    assert [c["id"] for c in server.sandbox.campaigns()] == [second["id"]]
    [deleted, _] = server.sandbox.campaigns(include_deleted=True)
    assert deleted["deletedAt"] == dt.date.today().isoformat()
    assert create(http, auth)["id"] == second["id"] + 1  # ids are not reused


def test_unknown_ids_and_routes(http, auth):
    for path in ("/api/campaigns/12345", "/api/campaigns/abc"):
        answer = http.get(path, headers=auth)
        assert answer.status_code == 404 and answer.json()["message"].startswith("No query results for model")
    answer = http.get("/api/nothing", headers=auth)
    assert answer.status_code == 404 and answer.json() == {"message": "The route api/nothing could not be found."}
    answer = http.put("/api/campaigns/1", json={}, headers=auth)
    assert answer.status_code == 405 and "PATCH" in answer.headers["Allow"]
