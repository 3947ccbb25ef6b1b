"""IQM campaign updates, from the campaign guide's "Campaign Management" (the quick start has none).

- `PATCH /api/v2/cmp/campaign/{campaignId}` ("Update Campaign"): a JSON object of the guide's
  supported properties. Each field given is checked as the create checks it (`_iqm_campaigns`), an end
  after the start, and `creativeIds` / `creativeType` as the create's (approved creatives of the
  campaign's type, the document's 412 otherwise). `status` (a supported property) pauses and resumes:
  `paused` for a running or pending campaign, `running` for a paused one (campaign approval is not
  simulated, so a resumed campaign runs); the status it has already is no change; any other value or
  change is refused, 400 "Campaign status cannot be changed from X to Y.", nothing changed (the guide
  lists the statuses but not which changes it allows: the sandbox's decision). `id`, the margins and
  the staff flags of the list
  are accepted and ignored, and so is any field the guide does not list (a whiteListedZipcodes, for
  one): an API built this way keeps the properties it declares. 200 `{"statusCode": 200,
  "responseObject": {"data": id, "message": "Campaign updated successfully.", "status"}}`; 404 for an
  unknown campaign or another workspace's; 400 (v2 envelope) for a malformed field, nothing changed.
- `PATCH /api/v3/cmp/campaign/update-name/{campaign_Id}` ("Change Campaign Name"): `{"campaignName"}`;
  the v3 envelope `{"success": true, "data": {"message": "campaignName updated successfully"}}`.
- `PUT /api/v2/cmp/campaigns/update-budget` ("Change Campaign Budget"): `campaignIds` (a number or a
  comma-separated string), at least one of `dailyBudget`, `totalBudget`, `maxBid` (numbers > 0) and
  `totalBudgetUpdateType` (`change`, the default; `addition`; `distribution`: the total shared equally).
  Each campaign is done or refused alone, as the guide's answer shows: `{"reason": [{"errorMessage",
  "id", "campaignName"}], "modified_data": [{"campaingId" (the guide's spelling), "maxBid",
  "totalBudget", "dailyBudget", "endDate"}], "status": <no campaign refused>}`. A campaign the
  workspace does not have is refused ("Campaign not found."), and so is a daily budget above the total
  budget (the sandbox's decision, so that a refusal of one campaign among several can be rehearsed; the
  guide's examples refuse bids below a minimum, which it does not state).
- `PUT /api/v2/cmp/campaigns/update-end-date` ("Change Campaign End Date"): `endDate` (epoch seconds)
  and `campaignIds`; the answer has no room to refuse one campaign, so any unknown campaign or an end
  not after a campaign's start refuses the whole request (400), nothing changed; else
  `{"statusCode": 200, "responseObject": {"status": true}}`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.iqm.sandbox._campaigns import (
    EPOCH_SECONDS_MAX,
    REQUIRED_POSITIVE,
    creative_problem,
    fields_problem,
    is_int,
    is_number,
)
from bulkops.platforms.iqm.sandbox._http import id_list, v2_error, v2_ok, v3_error, workspace
from bulkops.sandbox import CAMPAIGN, json_body, route

UPDATE_NAME_PATH = "/api/v3/cmp/campaign/update-name/{id}"
BUDGET_PATH = "/api/v2/cmp/campaigns/update-budget"
END_DATE_PATH = "/api/v2/cmp/campaigns/update-end-date"
# "Update Campaign", supported properties, that the campaign keeps.
KEPT = frozenset({
    "campaignName", "advertiserDomain", "creativeType", "campaignType", "totalBudgetPacing", "budgetDay",
    "budgetTotal", "maxBid", "timezone", "startTime", "endTime", "creativeIds", "bidOptimization", "bidPacing",
    "impressionCapping", "maxDayClicks", "totalClicks", "maxDayImpressions", "totalImpressions",
    "maxDayConversions", "totalConversions", "spentScale", "targetCPI", "conversionType", "conversionTypeId",
    "appURL", "carriers", "networkType", "deviceType", "trafficType", "manufacturer", "os", "osVersion",
    "exchanges", "prebidAudienceSegmentIdList", "device", "publisherAdCategory", "userDealId", "groupDealId",
    "politicalAdvertiserClientId", "stateIds", "locationFileIds", "ageRangeIds", "genderIds", "interestIds",
    "incomeRangeIds", "languageIds", "ethnicityIds", "schedule", "campaignIabCategoryIds",
    "isAdvanceAudioVideoTargeted", "isBidShading", "creativeAdvanceTargeting", "campaignEstimatorMetaData",
})
_UPDATE_TYPES = ("change", "addition", "distribution")


def update_routes() -> list:
    return [route(UPDATE_NAME_PATH, PATCH=workspace(_rename)), route(BUDGET_PATH, PUT=workspace(_budget)),
            route(END_DATE_PATH, PUT=workspace(_end_date))]


def _campaign(request: Request, ow_id: int, raw: str) -> dict[str, Any] | None:
    return request.app.state.sandbox.store.get(CAMPAIGN, int(raw), owner=str(ow_id)) if raw.isdigit() else None


def _save(request: Request, campaign: dict[str, Any]) -> None:
    request.app.state.sandbox.store.put(CAMPAIGN, campaign["id"], campaign)


async def patch_campaign(request: Request, ow_id: int) -> Response:
    raw = request.path_params["id"]
    campaign = _campaign(request, ow_id, raw)
    if campaign is None:
        return v2_error(404, f"Campaign {raw} not found.")
    body = await json_body(request)
    if not isinstance(body, dict):
        return v2_error(400, "Request body must be a JSON object.")
    changes = {key: value for key, value in body.items() if key in KEPT and value is not None}
    if "status" in body and body["status"] != campaign["status"]:
        problem = _status_problem(campaign["status"], body["status"])
        if problem:
            return v2_error(400, problem)
        changes["status"] = body["status"]
    merged = {**campaign, **changes}
    problem = fields_problem({**changes, "startTime": merged["startTime"], "endTime": merged.get("endTime")})
    if problem:
        return v2_error(400, problem)
    if "creativeIds" in changes or "creativeType" in changes:
        problem = creative_problem(request.app.state.sandbox, ow_id, id_list(merged["creativeIds"]) or [],
                                   merged["creativeType"])
        if problem:
            return v2_error(400, f"Invalid arguments creative ids! {problem}", code=412)
    for key in REQUIRED_POSITIVE:
        if key in changes:
            merged[key] = float(changes[key])
    if "creativeIds" in changes:
        merged["creativeIds"] = ",".join(str(i) for i in id_list(changes["creativeIds"]) or [])
    _save(request, merged)
    return v2_ok(200, {"data": campaign["id"], "message": "Campaign updated successfully.",
                       "status": merged["status"]})


# The status changes a buyer may ask for: pause (from running or pending) and resume (from paused).
_STATUS_CHANGES = {"paused": ("running", "pending"), "running": ("paused",)}


def _status_problem(current: str, asked: object) -> str | None:
    if isinstance(asked, str) and current in _STATUS_CHANGES.get(asked, ()):
        return None
    return f"Campaign status cannot be changed from {current} to {asked}."


async def _rename(request: Request, ow_id: int) -> Response:
    raw = request.path_params["id"]
    campaign = _campaign(request, ow_id, raw)
    if campaign is None:
        return v3_error(404, f"Campaign {raw} not found.")
    body = await json_body(request)
    name = body.get("campaignName") if isinstance(body, dict) else None
    if not isinstance(name, str) or not name.strip():
        return v3_error(400, "campaignName must be a non-empty string.")
    _save(request, {**campaign, "campaignName": name})
    return JSONResponse({"success": True, "data": {"message": "campaignName updated successfully"}})


def _ids_of(value: Any) -> list[int] | None:
    if is_int(value) and value > 0:
        return [value]
    ids = id_list(value)
    return ids or None


async def _budget(request: Request, ow_id: int) -> Response:
    body = await json_body(request)
    if not isinstance(body, dict):
        return v2_error(400, "Request body must be a JSON object.")
    ids = _ids_of(body.get("campaignIds"))
    if ids is None:
        return v2_error(400, "campaignIds must be comma separated campaign ids.")
    values = {key: body.get(key) for key in ("dailyBudget", "totalBudget", "maxBid") if body.get(key) is not None}
    bad = next((key for key, value in values.items() if not is_number(value) or value <= 0), None)
    if bad or not values:
        return v2_error(400, f"{bad} must be a number greater than 0." if bad else
                        "Give at least one of dailyBudget, totalBudget and maxBid.")
    update_type = body.get("totalBudgetUpdateType") or "change"
    if update_type not in _UPDATE_TYPES:
        return v2_error(400, f"totalBudgetUpdateType must be one of {', '.join(_UPDATE_TYPES)}.")
    reasons, modified = [], []
    share = values.get("totalBudget", 0) / len(ids)
    for campaign_id in dict.fromkeys(ids):
        campaign = _campaign(request, ow_id, str(campaign_id))
        if campaign is None:
            reasons.append({"errorMessage": "Campaign not found.", "id": str(campaign_id), "campaignName": ""})
            continue
        changed = _budget_of(campaign, values, update_type, share)
        if changed["budgetDay"] > changed["budgetTotal"]:
            reasons.append({"errorMessage": "daily budget cannot be greater than total budget",
                            "id": str(campaign_id), "campaignName": campaign["campaignName"]})
            continue
        _save(request, {**campaign, **changed})
        modified.append({"campaingId": campaign_id, "maxBid": changed["maxBid"], "totalBudget": changed["budgetTotal"],
                         "dailyBudget": changed["budgetDay"], "endDate": campaign.get("endTime")})
    return v2_ok(200, {"reason": reasons, "modified_data": modified, "status": not reasons})


def _budget_of(campaign: dict[str, Any], values: dict[str, Any], update_type: str, share: float) -> dict[str, Any]:
    total = campaign["budgetTotal"]
    if "totalBudget" in values:
        total = {"change": values["totalBudget"], "addition": total + values["totalBudget"],
                 "distribution": share}[update_type]
    return {"budgetDay": float(values.get("dailyBudget", campaign["budgetDay"])), "budgetTotal": float(total),
            "maxBid": float(values.get("maxBid", campaign["maxBid"]))}


async def _end_date(request: Request, ow_id: int) -> Response:
    body = await json_body(request)
    if not isinstance(body, dict):
        return v2_error(400, "Request body must be a JSON object.")
    ids = _ids_of(body.get("campaignIds"))
    end = body.get("endDate")
    if ids is None:
        return v2_error(400, "campaignIds must be comma separated campaign ids.")
    if not is_int(end) or end <= 0 or end >= EPOCH_SECONDS_MAX:
        return v2_error(400, "endDate must be an integer epoch time in seconds.")
    campaigns = []
    for campaign_id in dict.fromkeys(ids):
        campaign = _campaign(request, ow_id, str(campaign_id))
        if campaign is None:
            return v2_error(400, f"Campaign {campaign_id} not found.")
        if end <= campaign["startTime"]:
            return v2_error(400, f"endDate must be after the start of campaign {campaign_id}.")
        campaigns.append(campaign)
    for campaign in campaigns:
        _save(request, {**campaign, "endTime": end})
    return v2_ok(200, {"status": True})
