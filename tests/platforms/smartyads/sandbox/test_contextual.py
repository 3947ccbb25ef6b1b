"""13.1, 13.2 and 9: the contextual targeting rules of the built-in account, and a campaign's."""

from __future__ import annotations

import pytest

from bulkops.platforms.smartyads.sandbox._contextual import RULES
from tests.sandbox.conftest import assert_refused, create

pytestmark = pytest.mark.slow

RULE_FIELDS = ["id", "name", "type", "rule", "userId", "keywords", "iabCategories", "keywordsCount", "campaigns",
               "createdAt", "updatedAt"]  # 13.1.3 and 13.2.3


def test_the_account_lists_its_rules_as_13_1_shows_them(client):
    body = client.get("/api/contextual-targeting").json()
    assert [r["name"] for r in body["data"]] == [name for name, *_ in RULES]
    assert body["meta"]["pagination"] == {"total": len(RULES), "count": len(RULES), "per_page": 1000,
                                          "current_page": 1, "total_pages": 1, "links": {"prev": None, "next": None}}
    first = body["data"][0]
    assert list(first) == RULE_FIELDS
    assert first["type"] == "web" and first["rule"] == "include"
    assert first["keywords"] == [["football", "basketball", "tennis"], ["match report"]]
    assert first["keywordsCount"] == 5 and first["campaigns"] == []


def test_one_rule_by_id_shows_the_campaigns_it_is_mapped_to(client):
    campaign = create(client, {})["id"]
    assert client.post(f"/api/campaigns/{campaign}/contextual-targeting", json={"targetIds": [3]}).status_code == 200
    answer = client.get("/api/contextual-targeting/3")
    assert answer.status_code == 200
    assert list(answer.json()["data"]) == RULE_FIELDS and campaign in answer.json()["data"]["campaigns"]
    listed = next(r for r in client.get("/api/contextual-targeting").json()["data"] if r["id"] == 3)
    assert listed == answer.json()["data"]
    missing = client.get("/api/contextual-targeting/99999")
    assert missing.status_code == 404
    assert missing.json() == {"message": "No query results for model [ContextualTargeting] 99999"}


def test_replace_append_get_and_delete_as_9_documents(server, http, auth):
    campaign = create(http, auth)["id"]
    url = f"/api/campaigns/{campaign}/contextual-targeting"
    assert http.get(url, headers=auth).json() == {"data": []}
    answer = http.post(url, json={"targetIds": [1, 2, 3]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    answer = http.patch(url, json={"targetIds": [3, 5]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}  # as 9.3.5 shows
    assert http.get(url, headers=auth).json() == {"data": [1, 2, 3, 5]}
    assert http.post(url, json={"targetIds": [4, 4]}, headers=auth).status_code == 200
    assert server.sandbox.campaign_contextual(campaign) == [4]
    kept = http.request("DELETE", url, json={"deleted": False}, headers=auth)
    assert kept.json() == {"deleted": False} and server.sandbox.campaign_contextual(campaign) == [4]
    answer = http.request("DELETE", url, json={"deleted": True}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"deleted": True}
    assert http.get(url, headers=auth).json() == {"data": []}


def test_refused_bodies_name_the_field_as_laravel_does(client):
    campaign = create(client, {})["id"]
    url = f"/api/campaigns/{campaign}/contextual-targeting"
    assert_refused(client.post(url, json={"targetIds": []}), {"targetIds": ["The target ids field is required."]})
    assert_refused(client.patch(url, json={"targetIds": [99999, "2"]}),
                   {"targetIds.0": ["The selected target ids.0 is invalid."],
                    "targetIds.1": ["The target ids.1 field must be an integer."]})
    assert_refused(client.request("DELETE", url, json={}), {"deleted": ["The deleted field is required."]})
    assert_refused(client.request("DELETE", url, json={"deleted": "yes"}),
                   {"deleted": ["The deleted field must be true or false."]})
