"""Audiences (7, 12, 14) and contextual targeting (9, 13) against plain handler functions answering
the document's examples: what went out (method, path, JSON body) and what the client made of it."""

from __future__ import annotations

import httpx
import pytest

from bulkops._exceptions import ApiError, TransportError
from bulkops.platforms.smartyads.client import AssignedAudience, Audience, ContextualTarget, ThirdPartyAudience
from tests.platforms.smartyads.client.test_resources import Dsp, answer, paged, run

CID = 15

AUDIENCE = {"id": 1, "title": "Audience #1", "userId": 6, "isIncludeDateRange": False, "dateFrom": None,
            "dateTo": None, "usersTtlInDays": 30, "collectionType": "pixel", "hashTag": None, "allUsers": False,
            "isActive": True, "providerList": [], "providerId": None, "isInclude": True, "createdAt": "2026-02-12",
            "updatedAt": "2026-02-12"}  # 12.1.4
THIRD = {"id": 1, "title": "Third-Party Audience #1", "userId": 11, "isActive": True, "providerList": [],
         "providerId": 1, "providerName": "Provider Name", "isInclude": True, "segments": 5,
         "createdAt": "2026-02-12"}  # 12.6.4
RULE = {"id": 1, "name": "Target #1", "type": "web", "rule": "include", "userId": 62,
        "keywords": [["keyword1", "keyword2"]], "iabCategories": [], "keywordsCount": 2, "campaigns": [1, 2],
        "createdAt": "2026-02-12 16:34:52", "updatedAt": "2026-02-12 16:34:52"}  # 13.1.4


@pytest.fixture
def dsp() -> Dsp:
    platform = Dsp()
    base = f"/api/campaigns/{CID}"
    platform.routes.update({
        ("GET", "/api/audiences"): paged([AUDIENCE, {**AUDIENCE, "id": 2, "title": "Audience #2"}]),
        ("GET", "/api/audiences/1"): answer({"data": AUDIENCE}),
        ("GET", "/api/audiences/third-parties"): paged([THIRD], links=[]),  # 14.1.4's links
        ("GET", "/api/contextual-targeting"): paged([RULE]),
        ("GET", "/api/contextual-targeting/1"): answer({"data": RULE}),
        ("GET", f"{base}/audiences"): paged([{"type": "collect", "audience": {**AUDIENCE, "userId": 31,
                                                                              "collectionType": None}}]),
        ("POST", f"{base}/audiences"): answer({"message": "Replaced."}),
        ("PATCH", f"{base}/audiences"): answer({"message": "Appended."}),
        ("DELETE", f"{base}/audiences"): answer({"message": "Deleted."}),
        ("GET", f"{base}/contextual-targeting"): answer({"data": [1, 2, 3]}),
        ("POST", f"{base}/contextual-targeting"): answer({"message": "Replaced."}),
        ("PATCH", f"{base}/contextual-targeting"): answer({"message": "Replaced."}),
        ("DELETE", f"{base}/contextual-targeting"): answer({"deleted": True}),
    })
    return platform


def test_the_dictionaries_are_read_every_page_at_the_largest_page_size(dsp):
    async def go(api):
        return (await api.every_audience(per_page=1), await api.get_audience(1),
                await api.every_third_party_audience(), await api.every_contextual_target(),
                await api.get_contextual_target(1))

    audiences, one, third, rules, rule = run(dsp, go)
    assert [a.title for a in audiences] == ["Audience #1", "Audience #2"] and all(isinstance(a, Audience)
                                                                                  for a in audiences)
    assert one.collectionType == "pixel"
    assert isinstance(third[0], ThirdPartyAudience) and third[0].providerName == "Provider Name"
    assert isinstance(rules[0], ContextualTarget) and rules[0].campaigns == [1, 2] and rule == rules[0]
    asked = [(r.url.path, dict(r.url.params)) for r in dsp.requests if r.url.path != "/api/users/login"]
    assert asked == [("/api/audiences", {"page": "1", "per_page": "1"}), ("/api/audiences", {"page": "2",
                                                                                             "per_page": "1"}),
                     ("/api/audiences/1", {}), ("/api/audiences/third-parties", {"page": "1", "per_page": "1000"}),
                     ("/api/contextual-targeting", {"page": "1", "per_page": "1000"}),
                     ("/api/contextual-targeting/1", {})]


def test_a_campaigns_audiences_are_read_replaced_appended_and_removed_as_7_documents(dsp):
    async def go(api):
        held = await api.get_campaign_audiences(CID)
        await api.replace_campaign_audiences(CID, [{"id": 1, "type": "collect"}])
        await api.append_campaign_audiences(CID, [{"id": "2", "type": "thirdParty", "title": "not sent"}])
        await api.remove_campaign_audiences(CID, [1, 2])
        return held

    [held] = run(dsp, go)
    assert isinstance(held, AssignedAudience) and (held.type, held.audience.id, held.audience.title) == (
        "collect", 1, "Audience #1")
    base = f"/api/campaigns/{CID}/audiences"
    assert dsp.calls() == [("GET", base, None),
                           ("POST", base, {"items": [{"id": 1, "type": "collect"}]}),
                           ("PATCH", base, {"items": [{"id": 2, "type": "thirdParty"}]}),
                           ("DELETE", base, {"ids": [1, 2]})]


def test_an_empty_removal_is_refused_before_it_could_remove_every_audience(dsp):
    with pytest.raises(ValueError, match="would remove every audience"):
        run(dsp, lambda api: api.remove_campaign_audiences(CID, []))
    assert dsp.calls() == []


def test_a_campaigns_contextual_targeting_as_9_documents(dsp):
    async def go(api):
        held = await api.get_campaign_contextual(CID)
        await api.replace_campaign_contextual(CID, [3, 1])
        await api.append_campaign_contextual(CID, ["4"])
        await api.delete_campaign_contextual(CID)
        return held

    assert run(dsp, go) == [1, 2, 3]
    base = f"/api/campaigns/{CID}/contextual-targeting"
    assert dsp.calls() == [("GET", base, None), ("POST", base, {"targetIds": [3, 1]}),
                           ("PATCH", base, {"targetIds": [4]}), ("DELETE", base, {"deleted": True})]


def test_a_delete_answered_deleted_false_is_not_taken_for_done(dsp):
    dsp.routes[("DELETE", f"/api/campaigns/{CID}/contextual-targeting")] = answer({"deleted": False})
    with pytest.raises(ApiError, match="deleted: false"):
        run(dsp, lambda api: api.delete_campaign_contextual(CID))


def test_appends_are_never_repeated_blindly_replaces_are(dsp):
    """A cut connection: the replace goes again (the same list twice is the same list); the append says it
    may have been done, for the run to look before sending again."""
    cuts = {"POST": 1, "PATCH": 1}

    def cut_once(request: httpx.Request) -> httpx.Response:
        if cuts.get(request.method):
            cuts[request.method] -= 1
            raise httpx.RemoteProtocolError("cut", request=request)
        return httpx.Response(200, json={"message": "Replaced."})

    base = f"/api/campaigns/{CID}/contextual-targeting"
    dsp.routes[("POST", base)] = dsp.routes[("PATCH", base)] = cut_once
    run(dsp, lambda api: api.replace_campaign_contextual(CID, [1]))
    assert [m for m, _, _ in dsp.calls()] == ["POST", "POST"]
    with pytest.raises(TransportError) as raised:
        run(dsp, lambda api: api.append_campaign_contextual(CID, [2]))
    assert raised.value.maybe_sent and [m for m, _, _ in dsp.calls()] == ["POST", "POST", "PATCH"]
