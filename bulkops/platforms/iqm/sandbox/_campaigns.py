"""IQM campaigns: "Step 5: Create a Campaign" and "Step 5: Check the campaign status" of iqm-api.md.

`POST /api/v2/cmp/campaigns/add` validates the request-body table:

- required (no `[optional]` mark): campaignName, advertiserDomain, creativeIds, countryId (strings),
  budgetDay, budgetTotal, maxBid (numbers > 0), creativeType, campaignType, timezone, ioId (integers),
  startTime (integer epoch seconds), isAgreementChecked (boolean, must be true),
  isAdvanceAudioVideoTargeted (boolean). The table marks neither campaignType nor
  isAdvanceAudioVideoTargeted optional (nor does the campaign guide's "Create New Campaign"), so a
  create without them is refused, although the quick start's own example request leaves campaignType
  out: bulkops sends the documented values (1, "Advanced"; false) when the cells are blank.
- endTime is not in the table but is in the request: optional; when given, integer epoch seconds
  after startTime. Epoch values of 10^11 or more (milliseconds) are refused.
- every optional field of the table is type-checked: "String of comma separated IDs" fields must be
  digits separated by commas ("" allowed); geo-radius details must be a JSON string of an array of
  objects (`latitude`, `longitude`, `radius` numbers; see Campaign-API-Guidelines.md); booleans,
  numbers and arrays as typed.
- creativeIds must all be this workspace's creatives, approved (status "running"), of `creativeType`.

Answers: 201 `{"statusCode": 201, "responseObject": {"data": id, "message": "Campaign saved
successfully.", "status": "pending"}}`; a malformed field 400 `{"statusCode": 400, "responseObject":
{"errorMsg", "errorCode": 400}}`; unusable creative ids as the document's "Response 400": HTTP 400
whose body says 412, `"Invalid arguments creative ids! ..."`. Test marker: a campaignName containing
`[on-hold]` gets the account-on-hold 400 (`data` and `errorObjects`, the login document's body) and
nothing is stored.

`GET /api/v2/cmp/campaign/{campaignId}` answers the stored campaign in the shape of the document's
200; another workspace's or an unknown id is 404 `{"statusCode": 404, "responseObject": {...}}`. A
campaign stays "pending" (approval of campaigns is not simulated). The campaign guide's update routes
(`PATCH` of the same path, the name, budget and end-date routes) are `_iqm_campaign_updates`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bulkops.platforms.iqm.sandbox._creatives import APPROVED, current
from bulkops.platforms.iqm.sandbox._http import (
    IQM_ORGANIZATION,
    Handler,
    id_list,
    on_hold,
    user_fields,
    v2_error,
    v2_ok,
    workspace,
)
from bulkops.sandbox import CAMPAIGN, json_body, route

ADD_PATH = "/api/v2/cmp/campaigns/add"
ON_HOLD_MARKER = "[on-hold]"
EPOCH_SECONDS_MAX = 10**11  # later than year 5000 in seconds; any millisecond timestamp since 1973 is above
CREATIVE_TYPES = {11, 13, 14, 15, 17}

REQUIRED_STRINGS = ("campaignName", "advertiserDomain", "creativeIds", "countryId")
REQUIRED_POSITIVE = ("budgetDay", "budgetTotal", "maxBid")
REQUIRED_INTS = ("creativeType", "campaignType", "timezone", "ioId")
REQUIRED_BOOLS = ("isAdvanceAudioVideoTargeted",)
OPTIONAL_BOOLS = ("bidOptimization", "bidPacing", "totalBudgetPacing", "isTvAd", "isAdvanceAudioVideoTargeted")
OPTIONAL_NUMBERS = ("impressionCapping", "maxDayClicks", "totalClicks", "maxDayImpressions", "totalImpressions",
                    "maxDayConversions", "totalConversions", "targetCPI", "politicalAdvertiserClientId",
                    "budgetTypeId")
OPTIONAL_ID_LISTS = (
    "carriers", "networkType", "deviceType", "trafficType", "manufacturer", "os", "osVersion", "exchanges",
    "publisherAdCategory", "blackListedInventoryGroupIds", "whiteListedInventoryGroupIds",
    "blackListedCustomAudienceIds", "whiteListedCustomAudienceIds", "blackListedAudienceSegmentGroupIds",
    "whiteListedAudienceSegmentGroupIds", "blackListedConversionTagIds", "whiteListedConversionTagIds",
    "userDealId", "groupDealId", "stateIds", "whiteListedStateIds", "blackListedStateIds", "dmaIds",
    "whiteListedDmaIds", "blackListedDmaIds", "senateDistrictIds", "whiteListedSenateDistrictIds",
    "blackListedSenateDistrictIds", "congressionalDistrictIds", "whiteListedCongressionalDistrictIds",
    "blackListedCongressionalDistrictIds", "houseDistrictIds", "whiteListedHouseDistrictIds",
    "blackListedHouseDistrictIds", "zipcodes", "whiteListedZipcodes", "blackListedZipcodes", "locationFileIds",
    "whiteListedLocationIds", "blackListedLocationIds", "whiteListedCityIds", "blackListedCityIds",
    "whiteListedCountyIds", "blackListedCountyIds", "ageRangeIds", "genderIds", "interestIds", "incomeRangeIds",
    "languageIds", "ethnicityIds", "conversionIds",
)
OPTIONAL_STRINGS = ("appURL", "whiteListedDeviceId", "whiteListedIp", "whiteListedAppId", "whiteListedPackageName",
                    "whiteListedSiteDomain", "blackListedDeviceId", "blackListedIp", "blackListedAppId",
                    "blackListedPackageName", "blackListedSiteDomain")
GEO_RADIUS = ("geoRadiusDetails", "whiteListedGeoRadiusDetails", "blackListedGeoRadiusDetails")


def campaign_routes(patch: Handler) -> list:
    """The create and the read; `patch` is the campaign guide's update of the same path
    (`_campaign_updates`, which checks fields with this module's rules)."""
    return [route(ADD_PATH, POST=workspace(_add)),
            route("/api/v2/cmp/campaign/{id}", GET=workspace(_get), PATCH=workspace(patch))]


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _geo_problem(key: str, value: object) -> str | None:
    if not isinstance(value, str):
        return f"{key} must be a JSON string."
    try:
        circles = json.loads(value)
    except ValueError:
        return f"{key} must be valid JSON."
    if not isinstance(circles, list) or not all(isinstance(c, dict) for c in circles):
        return f"{key} must be a JSON array of objects."
    for circle in circles:
        for field in ("latitude", "longitude", "radius"):
            if not is_number(circle.get(field)):
                return f"{key}: every item needs a numeric {field}."
    return None


_TIME = re.compile(r"^([01]\d|2[0-4]):[0-5]\d:[0-5]\d$")


def _is_schedule(value: object) -> bool:
    """The document's `schedule`: keys 0..6 (Monday..Sunday), values [['hh:mm:ss', 'hh:mm:ss'], ...]."""
    if not isinstance(value, dict) or not all(k in {str(d) for d in range(7)} for k in value):
        return False
    return all(isinstance(spans, list) and all(
        isinstance(span, list) and len(span) == 2 and all(isinstance(t, str) and _TIME.match(t) for t in span)
        for span in spans) for spans in value.values())


def validate(body: object) -> str | None:
    """The first problem with a campaign body, in the table's order; None when it is well formed."""
    if not isinstance(body, dict):
        return "Request body must be a JSON object."
    for key in (*REQUIRED_STRINGS, *REQUIRED_POSITIVE, *REQUIRED_INTS, "isAgreementChecked", *REQUIRED_BOOLS,
                "startTime"):
        if key not in body or body[key] is None:
            return f"{key} is required."
    if body["isAgreementChecked"] is not True:
        return "isAgreementChecked must be true."
    return fields_problem(body)


def fields_problem(body: dict[str, Any]) -> str | None:
    """The first field of `body` (a create, or the fields an update sends) whose value is malformed."""
    for key, value in body.items():
        problem = _field_problem(key, value) if value is not None else None
        if problem:
            return problem
    if body.get("endTime") is not None and body.get("startTime") is not None and body["endTime"] <= body["startTime"]:
        return "endTime must be after startTime."
    return None


def _field_problem(key: str, value: Any) -> str | None:
    if key in REQUIRED_STRINGS and (not isinstance(value, str) or not value.strip()):
        return f"{key} must be a non-empty string."
    if key == "creativeIds" and not id_list(value):
        return "creativeIds must be a string of comma separated creative ids."
    if key in REQUIRED_POSITIVE and (not is_number(value) or value <= 0):
        return f"{key} must be a number greater than 0."
    if key in REQUIRED_INTS and not is_int(value):
        return f"{key} must be an integer."
    if key == "creativeType" and value not in CREATIVE_TYPES:
        return f"creativeType {value} is not a creative type id (see /api/v3/master/creativeTypes)."
    if key in ("startTime", "endTime"):
        if not is_int(value) or value <= 0:
            return f"{key} must be an integer epoch time in seconds."
        if value >= EPOCH_SECONDS_MAX:
            return f"{key} must be in epoch seconds, not milliseconds."
    if key in OPTIONAL_BOOLS and not isinstance(value, bool):
        return f"{key} must be a boolean."
    if key in OPTIONAL_NUMBERS and (not is_number(value) or value < 0):
        return f"{key} must be a number not below 0."
    if key in OPTIONAL_ID_LISTS and id_list(value) is None:
        return f"{key} must be a string of comma separated IDs."
    if key in OPTIONAL_STRINGS and not isinstance(value, str):
        return f"{key} must be a string."
    if key in GEO_RADIUS:
        return _geo_problem(key, value)
    return _other_problem(key, value)


def _other_problem(key: str, value: Any) -> str | None:
    if key == "conversionType" and value not in ("install", "non-install"):
        return "conversionType must be 'install' or 'non-install'."
    if key == "prebidAudienceSegmentIdList" and (not isinstance(value, list) or not all(is_int(s) for s in value)):
        return "prebidAudienceSegmentIdList must be an array of integer ids."
    if key == "schedule" and not _is_schedule(value):
        return "schedule must map days 0 to 6 to lists of ['hh:mm:ss', 'hh:mm:ss'] pairs."
    if key == "creativeAdvanceTargeting" and not isinstance(value, dict):
        return "creativeAdvanceTargeting must be a JSON object."
    return None


def creative_problem(sandbox: Any, ow_id: int, creative_ids: list[int], creative_type: int) -> str | None:
    for creative_id in creative_ids:
        creative = current(sandbox, creative_id, ow_id)
        if creative is None:
            return f"Creative {creative_id} does not exist in this workspace."
        if creative["status"] != APPROVED:
            return f"Creative {creative_id} is {creative['status']}, not approved."
        if creative["creativeTypeId"] != creative_type:
            return f"Creative {creative_id} is of creative type {creative['creativeTypeId']}, not {creative_type}."
    return None


def _stored(new_id: int, ow_id: int, body: dict[str, Any], now: float) -> dict[str, Any]:
    """The campaign in the document's details shape: its defaults, then the fields sent."""
    creative_ids = ",".join(str(i) for i in id_list(body["creativeIds"]) or [])
    return {
        "owId": ow_id, "parentOrganizationName": IQM_ORGANIZATION, "id": new_id, "uowId": user_fields(ow_id)["uowId"],
        "campaignName": body["campaignName"], "advertiserDomain": body["advertiserDomain"],
        "creativeType": body["creativeType"], "campaignType": body["campaignType"],
        "totalBudgetPacing": body.get("totalBudgetPacing", False), "isTvAd": body.get("isTvAd", False),
        "budgetDay": float(body["budgetDay"]), "budgetTotal": float(body["budgetTotal"]),
        "maxBid": float(body["maxBid"]), "timezone": body["timezone"], "startTime": body["startTime"],
        "endTime": body.get("endTime"), "status": "pending", "dspMargin": 0, "platformMargin": 0,
        "userDealMargin": 0, "spentScale": False, "creativeIds": creative_ids,
        "conversionType": body.get("conversionType", "None"),
        "bidOptimization": body.get("bidOptimization", True), "bidPacing": body.get("bidPacing", True),
        "impressionCapping": body.get("impressionCapping", 0), "maxDayImpressions": body.get("maxDayImpressions", 0),
        "maxDayClicks": body.get("maxDayClicks", 0), "maxDayConversions": body.get("maxDayConversions", 0),
        "totalImpressions": body.get("totalImpressions", 0), "totalClicks": body.get("totalClicks", 0),
        "totalConversions": body.get("totalConversions", 0),
        **{key: body[key] for key in (*OPTIONAL_ID_LISTS, *OPTIONAL_STRINGS, *GEO_RADIUS, "targetCPI",
                                      "politicalAdvertiserClientId", "creativeAdvanceTargeting", "schedule",
                                      "campaignEstimatorMetaData") if body.get(key) is not None},
        "isLocationWithOrFilter": True, "countryId": body["countryId"], "locationDetails": {},
        "isCampaignFromNewPlatform": True, "organizationName": IQM_ORGANIZATION,
        "userEmail": user_fields(ow_id)["userEmail"], "userName": user_fields(ow_id)["userName"],
        "conversionTypeId": 0, "isUnapprovedAudienceTargeted": False, "isAllAudienceUnapproved": False,
        "createDate": int(now), "ioId": body["ioId"], "ioName": f"Insertion order {body['ioId']}",
        "prebidAudienceSegmentIdList": body.get("prebidAudienceSegmentIdList", []),
        "budgetTypeId": body.get("budgetTypeId", 1),
        "isAdvanceAudioVideoTargeted": body["isAdvanceAudioVideoTargeted"],
        "isEstimatorAvailable": True, "isEditAccess": True, "isApprovalAccess": False, "isMarginSet": True,
        "isParentInvoiceTemplateSet": True,
    }


async def _add(request: Request, ow_id: int) -> Response:
    sandbox = request.app.state.sandbox
    body = await json_body(request)
    if isinstance(body, dict) and isinstance(body.get("campaignName"), str) and ON_HOLD_MARKER in body["campaignName"]:
        return on_hold()
    problem = validate(body)
    if problem:
        return v2_error(400, problem)
    assert isinstance(body, dict)
    problem = creative_problem(sandbox, ow_id, id_list(body["creativeIds"]) or [], body["creativeType"])
    if problem:
        return v2_error(400, f"Invalid arguments creative ids! {problem}", code=412)
    now = sandbox.clock()
    stored = sandbox.store.create(CAMPAIGN, str(ow_id), lambda new_id: _stored(new_id, ow_id, body, now))
    return v2_ok(201, {"data": stored["id"], "message": "Campaign saved successfully.", "status": "pending"})


async def _get(request: Request, ow_id: int) -> Response:
    raw = request.path_params["id"]
    found = request.app.state.sandbox.store.get(CAMPAIGN, int(raw), owner=str(ow_id)) if raw.isdigit() else None
    if found is None:
        return v2_error(404, f"Campaign {raw} not found.")
    return v2_ok(200, found)
