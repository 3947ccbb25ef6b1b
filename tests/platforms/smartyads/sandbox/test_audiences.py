"""12.1, 12.2, 12.6 (14.1) and 7: the audiences of the built-in account, and a campaign's audiences."""

from __future__ import annotations

import pytest

from bulkops.platforms.smartyads.sandbox._audiences import FIRST_PARTY, THIRD_PARTIES
from bulkops.sandbox import SandboxConfig, running
from tests.sandbox.conftest import assert_refused, create

pytestmark = pytest.mark.slow

# 7.1.3's fields of an assigned audience, and 12.1.3's of a listed one: the same, in the same order.
AUDIENCE_FIELDS = ["id", "title", "userId", "isIncludeDateRange", "dateFrom", "dateTo", "usersTtlInDays",
                   "collectionType", "hashTag", "allUsers", "isActive", "providerList", "providerId", "isInclude",
                   "createdAt", "updatedAt"]
THIRD_PARTY_FIELDS = ["id", "title", "userId", "isActive", "providerList", "providerId", "providerName",
                      "isInclude", "segments", "createdAt"]  # 12.6.3


def _page(total: int, per_page: int, count: int | None = None) -> dict:
    return {"pagination": {"total": total, "count": total if count is None else count, "per_page": per_page,
                           "current_page": 1, "total_pages": -(-total // per_page), "links": {"prev": None,
                                                                                            "next": None}}}


def test_the_account_lists_its_first_party_audiences_as_12_1_shows_them(client):
    answer = client.get("/api/audiences")
    assert answer.status_code == 200
    body = answer.json()
    assert body["meta"] == _page(len(FIRST_PARTY), 100)
    assert [a["title"] for a in body["data"]] == [title for title, _, _ in FIRST_PARTY]
    first = body["data"][0]
    assert list(first) == AUDIENCE_FIELDS
    assert first["collectionType"] == "pixel" and first["isActive"] is True and first["providerList"] == []


def test_one_audience_by_id_as_12_2_and_a_missing_one_is_laravels_404(client):
    listed = client.get("/api/audiences").json()["data"][3]
    assert client.get(f"/api/audiences/{listed['id']}").json() == {"data": listed}
    missing = client.get("/api/audiences/99999")
    assert missing.status_code == 404
    assert missing.json() == {"message": "No query results for model [Audience] 99999"}


def test_third_party_audiences_as_12_6_shows_them_paged(client):
    body = client.get("/api/audiences/third-parties").json()
    assert [a["title"] for a in body["data"]] == [title for title, _, _, _ in THIRD_PARTIES]
    assert list(body["data"][0]) == THIRD_PARTY_FIELDS
    assert body["data"][0]["providerName"] == "eyeota"
    paged = client.get("/api/audiences/third-parties", params={"page": 2, "per_page": 5}).json()
    assert [a["title"] for a in paged["data"]] == [title for title, _, _, _ in THIRD_PARTIES[5:10]]
    assert paged["meta"]["pagination"]["total_pages"] == 4 and paged["meta"]["pagination"]["links"]["next"]


def test_a_title_two_audiences_share_is_in_both_lists(client):
    first = {a["title"] for a in client.get("/api/audiences").json()["data"]}
    third = {a["title"] for a in client.get("/api/audiences/third-parties").json()["data"]}
    assert first & third == {"Auto intenders"}


def test_replace_append_and_get_as_7_documents(client):
    campaign = create(client, {})["id"]
    url = f"/api/campaigns/{campaign}/audiences"
    answer = client.post(url, json={"items": [{"id": 1, "type": "collect"}, {"id": 2, "type": "thirdParty"}]})
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    answer = client.patch(url, json={"items": [{"id": 3, "type": "trade"}, {"id": 1, "type": "collect"}]})
    assert answer.status_code == 200 and answer.json() == {"message": "Appended."}
    body = client.get(url).json()
    assert body["meta"] == _page(3, 100)
    assert [(e["type"], e["audience"]["id"]) for e in body["data"]] == [("collect", 1), ("thirdParty", 2),
                                                                        ("trade", 3)]
    assert list(body["data"][0]) == ["type", "audience"]
    assert list(body["data"][0]["audience"]) == AUDIENCE_FIELDS
    third = body["data"][1]["audience"]
    assert list(third) == AUDIENCE_FIELDS and third["title"] == THIRD_PARTIES[1][0] and third["collectionType"] is None
    answer = client.post(url, json={"items": [{"id": 4, "type": "collect"}, {"id": 4, "type": "collect"}]})
    assert answer.status_code == 200
    assert client.get(url).json()["meta"]["pagination"]["total"] == 1


def test_delete_removes_the_ids_given_and_empty_ids_remove_everything(server, http, auth):
    campaign = create(http, auth)["id"]
    url = f"/api/campaigns/{campaign}/audiences"
    items = [{"id": 1, "type": "collect"}, {"id": 1, "type": "thirdParty"}, {"id": 5, "type": "trade"}]
    assert http.post(url, json={"items": items}, headers=auth).status_code == 200
    answer = http.request("DELETE", url, json={"ids": [1]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted."}
    assert server.sandbox.campaign_audiences(campaign) == [{"type": "trade", "id": 5}]
    assert http.request("DELETE", url, json={"ids": []}, headers=auth).status_code == 200
    assert server.sandbox.campaign_audiences(campaign) == []


def test_refused_items_name_the_field_as_laravel_does(client):
    campaign = create(client, {})["id"]
    url = f"/api/campaigns/{campaign}/audiences"
    assert_refused(client.post(url, json={}), {"items": ["The items field is required."]})
    assert_refused(client.post(url, json={"items": [{"id": 99999, "type": "collect"}, {"id": 1, "type": "x"},
                                                    {"type": "trade"}, {"id": "2", "type": "thirdParty"}]}),
                   {"items.0.id": ["The selected items.0.id is invalid."],
                    "items.1.type": ["The selected items.1.type is invalid."],
                    "items.2.id": ["The items.2.id field is required."],
                    "items.3.id": ["The items.3.id field must be an integer."]})
    # A third-party ID is not a first-party one: the type says which list the ID is in.
    assert_refused(client.patch(url, json={"items": [{"id": len(FIRST_PARTY) + 1, "type": "collect"}]}),
                   {"items.0.id": ["The selected items.0.id is invalid."]})
    assert client.get("/api/campaigns/99999/audiences").status_code == 404


def test_the_seed_is_made_once_for_a_sandbox_kept_in_a_file(tmp_path):
    state = str(tmp_path / "state.sqlite")
    with running(SandboxConfig(state_path=state)) as first:
        before = len(first.sandbox.store.all("audience"))
    with running(SandboxConfig(state_path=state)) as again:
        assert len(again.sandbox.store.all("audience")) == before == len(FIRST_PARTY)
