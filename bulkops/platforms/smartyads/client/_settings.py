"""SmartyAds' one-value-a-campaign settings: time targeting (2), the CTR booster (10), optimization
rules (22.1) and the rule assigned to a campaign (24).

`SettingsMixin` is part of `SmartyAdsClient`, as `ResourcesMixin` is: every method goes through the
client's `_call`. All of these may be repeated after a lost answer (a replace, a delete, turning
the booster on or off, assigning the same rule again each leave the same state), except turning the
booster on, whose POST creates a record (10.2): it is not repeated blindly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any

from bulkops.platforms.smartyads.client._core import ClientCore
from bulkops.platforms.smartyads.client._models import OptimizationRule, TimeItem

__all__ = ["SettingsMixin"]

_CAMPAIGNS_PATH = "/api/campaigns"
_BOOSTER_PATH = "/api/booster-settings"
_RULES_PATH = "/api/optimization-rule"
_RELATION_PATH = "/api/campaign/optimization-rule-relation"  # 24.2; 24.1 and 24.3 put the id before it


class SettingsMixin(ClientCore):
    """The client's methods for a campaign's settings (see `SmartyAdsClient`)."""


    # -- time targeting (2) ---------------------------------------------------------------------

    async def get_time_targeting(self, campaign_id: int) -> list[TimeItem]:
        """GET api/campaigns/{id}/time-targeting: the campaign's day/hour items (2.1; one answer)."""
        return self._many_of(await self._call("GET", _time_path(campaign_id)), TimeItem)

    async def replace_time_targeting(self, campaign_id: int, items: Iterable[Mapping[str, int]],
                                     time_zone: float | None = None) -> None:
        """POST api/campaigns/{id}/time-targeting {"items": [{dayOfWeek, hour}], "timeZone"} (2.2): the
        campaign's time targeting becomes these items."""
        body: dict[str, Any] = {"items": [{"dayOfWeek": int(i["dayOfWeek"]), "hour": int(i["hour"])} for i in items]}
        if time_zone is not None:
            body["timeZone"] = time_zone
        await self._write("POST", _time_path(campaign_id), body, replayable=True)

    async def delete_time_targeting(self, campaign_id: int) -> None:
        """DELETE api/campaigns/{id}/time-targeting with no items (2.4.1: "If empty, deletes all items"):
        the campaign runs at every hour again."""
        await self._write("DELETE", _time_path(campaign_id), {}, replayable=True)

    # -- CTR booster (10) -----------------------------------------------------------------------

    async def get_ctr_booster(self, campaign_id: int) -> bool:
        """GET api/booster-settings/{id} (10.1): whether the campaign's CTR booster is on."""
        return bool(self._read(await self._call("GET", f"{_BOOSTER_PATH}/{int(campaign_id)}")).get("data"))

    async def enable_ctr_booster(self, campaign_id: int) -> None:
        """POST api/booster-settings {"cid": id} (10.2). It creates a record: never repeated blindly."""
        self._read(await self._call("POST", _BOOSTER_PATH, json={"cid": int(campaign_id)}, replayable=False),
                   maybe_done=True)

    async def disable_ctr_booster(self, campaign_id: int) -> None:
        """DELETE api/booster-settings/{id} (10.3)."""
        self._read(await self._call("DELETE", f"{_BOOSTER_PATH}/{int(campaign_id)}", json={}, replayable=True))

    # -- optimization rules (22.1) and the one assigned to a campaign (24) ------------------------

    async def iter_optimization_rules(self, per_page: int = 100) -> AsyncIterator[OptimizationRule]:
        """Every optimization rule of the account, page after page (22.1)."""
        async for rule in self._each(_RULES_PATH, OptimizationRule, per_page):
            yield rule

    async def get_campaign_rule(self, campaign_id: int) -> OptimizationRule | None:
        """GET api/campaign/{id}/optimization-rule-relation (24.1): the rule assigned, None when none
        (`"data": null`)."""
        data = self._read(await self._call("GET", _relation_path(campaign_id))).get("data")
        return None if not data else OptimizationRule.model_validate(data)

    async def assign_campaign_rule(self, campaign_id: int, rule_id: int) -> None:
        """POST api/campaign/optimization-rule-relation {campaignId, ruleId} (24.2): the campaign's rule
        becomes this one."""
        body = {"campaignId": int(campaign_id), "ruleId": int(rule_id)}
        self._read(await self._call("POST", _RELATION_PATH, json=body, replayable=True))

    async def remove_campaign_rule(self, campaign_id: int) -> None:
        """DELETE api/campaign/{id}/optimization-rule-relation (24.3): the campaign has no rule."""
        self._read(await self._call("DELETE", _relation_path(campaign_id), json={}, replayable=True))


def _time_path(campaign_id: int) -> str:
    return f"{_CAMPAIGNS_PATH}/{int(campaign_id)}/time-targeting"


def _relation_path(campaign_id: int) -> str:
    return f"/api/campaign/{int(campaign_id)}/optimization-rule-relation"
