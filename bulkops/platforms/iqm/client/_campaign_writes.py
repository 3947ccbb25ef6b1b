"""Changing campaigns and reading them back, from IQM's campaign guide ("Campaign Management" and
"Get List of Campaigns with Filters"; the quick start has no such routes):

- `PATCH /api/v2/cmp/campaign/{campaignId}` ("Update Campaign"): any of the fields the guide lists as
  supported properties (`UPDATE_FIELDS`), `status` among them: a campaign is paused with `"status":
  "paused"` and resumed with `"status": "running"` (the statuses the guide's campaign lists show; its
  note that a draft becomes pending speaks of what the route does by itself).
- `PATCH /api/v3/cmp/campaign/update-name/{campaignId}` ("Change Campaign Name"): `campaignName`.
- `PUT /api/v2/cmp/campaigns/update-budget` ("Change Campaign Budget"): one daily budget, total
  budget and/or max bid for several campaigns (`campaignIds` comma-separated); the answer says per
  campaign what it now holds (`modified_data`) or why not (`reason`).
- `PUT /api/v2/cmp/campaigns/update-end-date` ("Change Campaign End Date"): one end date for several
  campaigns.
- `POST /api/v3/cmp/customer/campaigns/list` ("Get List of Campaigns with Filters"): campaigns by ID,
  at most 500 a page, with their name, budgets, bid, times, types and status.

Decisions where the guide is silent: `campaignIds` goes as a comma-separated string to both batch
routes (the budget route says so; the end-date route's sample shows a single ID as a number, and several
can only be written the budget route's way); the total budget is replaced (`totalBudgetUpdateType`
`change`, the guide's default, said explicitly); `endDate` is in epoch seconds, as every time the
campaign routes take. These writes set values, so they are safe to repeat and retried like reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import httpx
import pydantic

from bulkops._exceptions import InputError, TransportError
from bulkops.platforms.iqm.client._models import BudgetUpdate, ListedCampaign

__all__ = ["LIST_PAGE", "UPDATE_FIELDS", "CampaignWrites"]

_UPDATE_PATH = "/api/v2/cmp/campaign"
_RENAME_PATH = "/api/v3/cmp/campaign/update-name"
_BUDGET_PATH = "/api/v2/cmp/campaigns/update-budget"
_END_DATE_PATH = "/api/v2/cmp/campaigns/update-end-date"
_LIST_PATH = "/api/v3/cmp/customer/campaigns/list"
LIST_PAGE = 500  # "noOfEntries ... maximum: 500"

# "Update Campaign", supported properties (those a row can hold; margins and flags for IQM's own staff
# are left out, and `status` is given on its own: `update_campaign(status=...)`).
UPDATE_FIELDS = frozenset({
    "campaignName", "advertiserDomain", "creativeType", "campaignType", "totalBudgetPacing", "budgetDay",
    "budgetTotal", "maxBid", "timezone", "startTime", "endTime", "creativeIds", "bidOptimization", "bidPacing",
    "impressionCapping", "maxDayClicks", "totalClicks", "maxDayImpressions", "totalImpressions",
    "maxDayConversions", "totalConversions", "targetCPI", "conversionType", "appURL", "carriers", "networkType",
    "deviceType", "trafficType", "manufacturer", "os", "osVersion", "exchanges", "prebidAudienceSegmentIdList",
    "publisherAdCategory", "userDealId", "groupDealId", "politicalAdvertiserClientId", "stateIds",
    "locationFileIds", "ageRangeIds", "genderIds", "interestIds", "incomeRangeIds", "languageIds", "ethnicityIds",
    "schedule", "isAdvanceAudioVideoTargeted", "creativeAdvanceTargeting", "campaignEstimatorMetaData",
})


def _ids_text(campaign_ids: Iterable[int]) -> str:
    ids = list(dict.fromkeys(int(i) for i in campaign_ids))
    if not ids:
        raise InputError("no campaign IDs given")
    return ",".join(map(str, ids))


class CampaignWrites:
    """Mixed into IQMClient: needs its `_call`, `_read`, `_payload` and `_unusable`."""

    _call: Any
    _read: Any
    _payload: Any
    _unusable: Any

    async def update_campaign(self, campaign_id: int, fields: Mapping[str, Any], *,
                              status: str | None = None) -> str | None:
        """PATCH /api/v2/cmp/campaign/{id} with only these fields, and `status` (`paused` pauses the
        campaign, `running` resumes it) when given; the campaign's status as IQM answers it. InputError
        before sending for a field the guide's route does not list, and for a status among `fields`
        (a pause or a resume is asked for by name, never by copying a campaign's fields)."""
        unknown = sorted(set(fields) - UPDATE_FIELDS)
        if unknown:
            raise InputError(f"IQM's Update Campaign route does not change {', '.join(unknown)}"
                             + (" (a status is given as status=)" if "status" in unknown else ""))
        if not fields and status is None:
            raise InputError("no campaign fields to update")
        body = dict(fields) | ({"status": status} if status is not None else {})
        response = await self._call("PATCH", f"{_UPDATE_PATH}/{int(campaign_id)}", json=body)
        inner = self._payload(response)
        status = inner.get("status") if isinstance(inner, dict) else None
        return status if isinstance(status, str) else None

    async def rename_campaign(self, campaign_id: int, name: str) -> None:
        """PATCH /api/v3/cmp/campaign/update-name/{id}."""
        self._read(await self._call("PATCH", f"{_RENAME_PATH}/{int(campaign_id)}", json={"campaignName": name}))

    async def update_budgets(self, campaign_ids: Iterable[int], *, daily_budget: float | None = None,
                             total_budget: float | None = None, max_bid: float | None = None) -> BudgetUpdate:
        """PUT /api/v2/cmp/campaigns/update-budget: the same values for every campaign named."""
        values = {"dailyBudget": daily_budget, "totalBudget": total_budget, "maxBid": max_bid}
        body: dict[str, Any] = {"campaignIds": _ids_text(campaign_ids)}
        body |= {key: value for key, value in values.items() if value is not None}
        if len(body) == 1:
            raise InputError("no budget values to update")
        if total_budget is not None:
            body["totalBudgetUpdateType"] = "change"
        response = await self._call("PUT", _BUDGET_PATH, json=body)
        inner = self._payload(response)
        try:
            return _budget_update(inner)
        except (TypeError, ValueError, AttributeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc, maybe_done=True) from None

    async def update_end_dates(self, campaign_ids: Iterable[int], end_time: int) -> None:
        """PUT /api/v2/cmp/campaigns/update-end-date: one end (epoch seconds) for every campaign named."""
        response = await self._call("PUT", _END_DATE_PATH, json={"campaignIds": _ids_text(campaign_ids),
                                                                 "endDate": int(end_time)})
        inner = self._payload(response)
        if isinstance(inner, dict) and inner.get("status") is False:
            raise self._unusable(response, ValueError("status false"), maybe_done=True)

    async def listed_campaigns(self, campaign_ids: Iterable[int], per_page: int = LIST_PAGE) -> list[ListedCampaign]:
        """Every campaign named, from POST /api/v3/cmp/customer/campaigns/list (`per_page` a request);
        campaigns IQM does not list are left out."""
        wanted = list(dict.fromkeys(int(i) for i in campaign_ids))
        found: dict[int, ListedCampaign] = {}
        for start in range(0, len(wanted), per_page):
            chunk = wanted[start:start + per_page]
            body = {"campaignIds": chunk, "pageNo": 1, "noOfEntries": per_page, "isBasicInfo": False}
            response = await self._call("POST", _LIST_PATH, json=body, replayable=True)
            found.update((row.id, row) for row in self._listed(response) if row.id in chunk)
        return [found[i] for i in wanted if i in found]

    def _listed(self, response: httpx.Response) -> list[ListedCampaign]:
        try:
            data = self._payload(response)
        except TransportError:  # said of a POST that may have created something; this one only reads
            raise self._unusable(response, ValueError("the body is not an envelope"), maybe_done=False) from None
        try:
            return [ListedCampaign.model_validate(row) for row in data["data"]]
        except (KeyError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc, maybe_done=False) from None


def _budget_update(inner: Any) -> BudgetUpdate:
    modified: dict[int, dict[str, Any]] = {}
    for entry in inner.get("modified_data") or []:
        # The guide's sample spells the key `campaingId`; `campaignId` and `id` are read too.
        raw = next((entry[k] for k in ("campaignId", "campaingId", "id") if entry.get(k) is not None), None)
        if raw is not None:
            modified[int(raw)] = {k: entry.get(k) for k in ("maxBid", "totalBudget", "dailyBudget") if k in entry}
    refused = {int(entry["id"]): str(entry.get("errorMessage") or "refused") for entry in inner.get("reason") or []
               if str(entry.get("id", "")).strip().isdigit()}
    return BudgetUpdate(modified=modified, refused=refused, status=inner.get("status"))
