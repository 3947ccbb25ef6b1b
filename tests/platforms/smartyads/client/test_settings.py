"""Time targeting (2), the CTR booster (10), optimization rules (22.1) and the rule of a campaign (24):
paths, bodies and what the client makes of the document's example answers."""

from __future__ import annotations

import httpx
import pytest

from bulkops._exceptions import TransportError
from bulkops.platforms.smartyads.client import OptimizationRule, TimeItem
from tests.platforms.smartyads.client.test_resources import CID, Dsp, answer, paged, run

RULE = {"id": 1, "userId": 28, "ownerCampaignId": 12, "name": "TEST Rule#1", "timeRange": "last_day",
        "then": "whitelist_source", "targetFilterListId": 1,
        "conditions": [{"condition": "or", "action": "ctr", "comparison": "=", "value": 1}],
        "createdAt": "2026-02-12T16:34:50.000000Z", "updatedAt": "2026-02-12T16:34:50.000000Z"}  # 24.1.4


@pytest.fixture
def dsp() -> Dsp:
    return Dsp()


def test_time_targeting_get_replace_delete(dsp):
    path = f"/api/campaigns/{CID}/time-targeting"
    dsp.routes[("GET", path)] = answer({"data": [{"dayOfWeek": 0, "hour": 0}, {"dayOfWeek": 6, "hour": 23}]})  # 2.1.4
    dsp.routes[("POST", path)] = answer({"message": "Replaced."})
    dsp.routes[("DELETE", path)] = answer({"message": "Deleted."})

    async def go(api):
        held = await api.get_time_targeting(CID)
        await api.replace_time_targeting(CID, [{"dayOfWeek": 3, "hour": 12}], time_zone=0)
        await api.delete_time_targeting(CID)
        return held

    held = run(dsp, go)
    assert held == [TimeItem(dayOfWeek=0, hour=0), TimeItem(dayOfWeek=6, hour=23)]
    assert dsp.calls() == [("GET", path, None),
                           ("POST", path, {"items": [{"dayOfWeek": 3, "hour": 12}], "timeZone": 0}),  # 2.2.2
                           ("DELETE", path, {})]


def test_ctr_booster_get_enable_disable(dsp):
    dsp.routes[("GET", f"/api/booster-settings/{CID}")] = answer({"data": True})  # 10.1.4
    dsp.routes[("POST", "/api/booster-settings")] = answer({"id": 1, "cid": CID, "createdAt": "2026-02-12"})
    dsp.routes[("DELETE", f"/api/booster-settings/{CID}")] = answer({"deleted": True})

    async def go(api):
        on = await api.get_ctr_booster(CID)
        await api.enable_ctr_booster(CID)
        await api.disable_ctr_booster(CID)
        return on

    assert run(dsp, go) is True
    assert dsp.calls() == [("GET", f"/api/booster-settings/{CID}", None),
                           ("POST", "/api/booster-settings", {"cid": CID}),
                           ("DELETE", f"/api/booster-settings/{CID}", {})]


def test_enabling_the_booster_is_not_repeated_after_a_lost_answer(dsp):
    dsp.script[("POST", "/api/booster-settings")] = [httpx.ReadTimeout("slow")]
    with pytest.raises(TransportError) as caught:
        run(dsp, lambda api: api.enable_ctr_booster(CID))
    assert caught.value.maybe_sent is True
    assert len(dsp.sent("POST", "/api/booster-settings")) == 1


def test_rules_list_every_page_and_the_campaign_rule_is_read_assigned_removed(dsp):
    dsp.routes[("GET", "/api/optimization-rule")] = paged([{**RULE, "id": n, "name": f"Rule {n}"} for n in range(1, 4)],
                                                          server_per_page=2)
    relation = f"/api/campaign/{CID}/optimization-rule-relation"
    dsp.routes[("GET", relation)] = answer({"data": RULE})
    dsp.routes[("POST", "/api/campaign/optimization-rule-relation")] = answer({"campaignId": 0, "ruleId": 2})
    dsp.routes[("DELETE", relation)] = answer({"deleted": True})

    async def go(api):
        rules = [rule async for rule in api.iter_optimization_rules()]
        held = await api.get_campaign_rule(CID)
        await api.assign_campaign_rule(CID, 2)
        await api.remove_campaign_rule(CID)
        return rules, held

    rules, held = run(dsp, go)
    assert [(r.id, r.name) for r in rules] == [(1, "Rule 1"), (2, "Rule 2"), (3, "Rule 3")]
    assert isinstance(held, OptimizationRule) and (held.id, held.name) == (1, "TEST Rule#1")
    assert dsp.calls()[-3:] == [("GET", relation, None),
                                ("POST", "/api/campaign/optimization-rule-relation", {"campaignId": CID, "ruleId": 2}),
                                ("DELETE", relation, {})]


def test_a_campaign_without_a_rule_reads_as_none(dsp):
    dsp.routes[("GET", f"/api/campaign/{CID}/optimization-rule-relation")] = answer({"data": None})
    assert run(dsp, lambda api: api.get_campaign_rule(CID)) is None
