"""SmartyAds campaigns: the request rules (section 11.3.1 and the "Request validation list") and the
stored shape (the 11.3.5 example), kept apart from the routes so both are readable on their own.

Rules run on the request only, as a Laravel FormRequest's do: cross-field rules (age range, date
range, frequency) look at fields sent together, never at what is stored.

An update (`PATCH api/campaigns/{id}`) has the rules of the fields 11.4.1 lists only: name, the geo
fields and the frequency fields. Every other field of its body is neither checked nor kept, as
Laravel's validated() input leaves it out, and the answer is 200 with the whole campaign (11.4.4),
which shows the old value of such a field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bulkops.platforms.smartyads._enums import (
    BROWSERS,
    BUDGET_USES,
    CAMPAIGN_TYPES,
    CONNECTION_TYPES,
    DEVICE_LANGUAGES,
    FREQUENCY_TYPES,
    IAB_CATEGORIES,
    OPERATING_SYSTEMS,
)
from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._laravel import Errors


@dataclass(frozen=True)
class Rule:
    kind: str  # "enum", "string", "bool", "int", "enum_list", "string_list", "date"
    allowed: tuple[str, ...] = ()
    required: bool = False  # on create; an update requires only `name` (11.4.1)


def _flags(*names: str) -> dict[str, Rule]:
    return {name: Rule("bool") for name in names}


def _ints(*names: str) -> dict[str, Rule]:
    return {name: Rule("int") for name in names}


# In the document's order (11.3.1), which is the order Laravel reports errors in. isCTV and isDOOH
# are not in the request table but are campaign fields (11.3.4), so they are accepted too.
RULES: dict[str, Rule] = {
    "type": Rule("enum", CAMPAIGN_TYPES, required=True),
    "name": Rule("string", required=True),
    "aDomain": Rule("string", required=True),
    **_flags("isRewarded", "isDesktopWeb", "isMobileApp", "isMobileWeb", "isSmartphone", "isTablet", "isCTV",
             "isDOOH"),
    "contentCategories": Rule("enum_list", IAB_CATEGORIES),
    **_flags("contentCategoriesIsInclude"),
    **_ints("userAgeMin", "userAgeMax"),
    "connectionTypes": Rule("enum_list", CONNECTION_TYPES),
    "deviceCarrier": Rule("string_list"),
    **_flags("deviceCarrierIsInclude"),
    "OS": Rule("enum_list", OPERATING_SYSTEMS),
    **_flags("OSIsInclude"),
    "browser": Rule("enum_list", BROWSERS),
    **_flags("browserIsInclude"),
    "deviceLanguage": Rule("enum_list", DEVICE_LANGUAGES),
    **_flags("deviceLanguageIsInclude"),
    **_ints("spentDailyLimit", "spentTotalLimit", "impressionsDailyLimit", "impressionsTotalLimit",
            "clicksDailyLimit", "clicksTotalLimit"),
    "budgetUse": Rule("enum", BUDGET_USES),
    "geoCountries": Rule("string_list"),
    **_flags("geoCountriesIsInclude"),
    "geoRegions": Rule("string_list"),
    **_flags("geoRegionsIsInclude"),
    "geoCities": Rule("string_list"),
    **_flags("geoCitiesIsInclude"),
    **_flags("frequency"),
    "frequencyType": Rule("enum", FREQUENCY_TYPES),
    **_ints("frequencyCap", "frequencyPeriod"),
    "dateStart": Rule("date"),
    "dateEnd": Rule("date"),
}
# 11.4.1's request body: what PATCH api/campaigns/{id} validates and keeps.
UPDATE_FIELDS: tuple[str, ...] = (
    "name", "geoCountries", "geoCountriesIsInclude", "geoRegions", "geoRegionsIsInclude", "geoCities",
    "geoCitiesIsInclude", "frequency", "frequencyType", "frequencyCap", "frequencyPeriod")
_MAX_STRING = 255  # a VARCHAR(255) column
_FREQUENCY_PARTS = ("frequencyType", "frequencyCap", "frequencyPeriod")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The stored campaign, in the order of the 11.3.5 example; values are the defaults for fields a
# create leaves out. Response-only fields (isActive, allSources, cpm...) cannot be set by the API.
CAMPAIGN_TEMPLATE: dict[str, Any] = {
    "id": None, "userId": None, "isActive": False, "isRunning": False, "type": None, "name": None,
    "isRewarded": False, "isDesktopWeb": False, "isMobileApp": False, "isMobileWeb": False, "isSmartphone": False,
    "isTablet": False, "isCTV": False, "isDOOH": False, "aDomain": None, "dateStart": None, "dateEnd": None,
    "geoCountries": [], "geoCountriesIsInclude": True, "geoRegions": [], "geoRegionsIsInclude": True,
    "geoCities": [], "geoCitiesIsInclude": True, "contentCategories": [], "contentCategoriesIsInclude": True,
    "userAgeMin": 0, "userAgeMax": 0, "connectionTypes": [], "clickedInventoryCategories": [],
    "deviceCarrier": [], "deviceCarrierIsInclude": True, "OS": [], "OSIsInclude": True, "browser": [],
    "browserIsInclude": True, "deviceLanguage": [], "deviceLanguageIsInclude": True, "spentDailyLimit": 0,
    "spentTotalLimit": 0, "impressionsDailyLimit": 0, "impressionsTotalLimit": 0, "clicksDailyLimit": 0,
    "clicksTotalLimit": 0, "budgetUse": "fast", "allSources": False, "cpm": None, "adaptiveCpm": None,
    "useCpm": None, "googleAnalyticsTrackingCode": None, "dynamicTargeting": [], "subscriptionAge": [],
    "frequencyType": None, "frequency": False, "frequencyCap": None, "frequencyPeriod": None,
    "extendedStatus": "Campaign is not active", "createdAt": None, "updatedAt": None, "deletedAt": None,
    "pretarget": None, "pretargets": [], "audiences": [],
}

# What 11.3.5's create answer shows of the fields it does not echo (the stored campaign has them).
CREATE_ANSWER_BLANKS: dict[str, Any] = {"contentCategories": [], "contentCategoriesIsInclude": None}


def validate_campaign(body: object, *, partial: bool) -> tuple[dict[str, Any], Errors]:
    """The accepted fields of a create (`partial=False`, 11.3.1) or update body (11.4.1), and the
    errors if any.

    A body that is not a JSON object counts as no input at all, as Laravel reads an unparsable
    body; fields without a rule (unknown ones, and on an update those 11.4.1 does not list) are
    dropped unchecked, as Laravel's validated() does.
    """
    data: Mapping[str, Any] = body if isinstance(body, dict) else {}
    errors = Errors()
    frequency_on = data.get("frequency") is True
    rules = {key: RULES[key] for key in UPDATE_FIELDS} if partial else RULES
    for key, rule in rules.items():
        required = key == "name" or (rule.required and (not partial or key in data))
        if _blank(data.get(key)):
            if required:
                errors.add(key, say.required(key))
            elif frequency_on and key in _FREQUENCY_PARTS:
                errors.add(key, say.required_if(key, "frequency", "true"))
            elif key in data:
                # Present but null (or "", which Laravel turns into null): the type rule fails.
                _check_type(key, rule, None, errors)
            continue
        if _check_type(key, rule, data[key], errors):
            _check_relations(key, data, errors, frequency_on)
    return {key: data[key] for key in rules if key in data}, errors


def new_campaign(campaign_id: int, user_id: int, fields: Mapping[str, Any], today: str) -> dict[str, Any]:
    return {**CAMPAIGN_TEMPLATE, **fields, "id": campaign_id, "userId": user_id, "createdAt": today,
            "updatedAt": today}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_type(key: str, rule: Rule, value: object, errors: Errors) -> bool:
    """One field's own rules; True when it passed them all."""
    before = len(errors.by_key)
    if rule.kind == "bool":
        if not isinstance(value, bool):
            errors.add(key, say.boolean(key))
    elif rule.kind == "int":
        if not _is_int(value):
            errors.add(key, say.integer(key))
        elif value < 0:  # type: ignore[operator]
            errors.add(key, say.at_least(key, 0))
    elif rule.kind == "string":
        if not isinstance(value, str):
            errors.add(key, say.string(key))
        elif len(value) > _MAX_STRING:
            errors.add(key, say.max_characters(key, _MAX_STRING))
    elif rule.kind == "enum":
        if value not in rule.allowed:
            errors.add(key, say.selected_invalid(key))
    elif rule.kind == "date":
        if not _is_date(value):
            errors.add(key, say.date_format(key, "Y-m-d"))
    elif not isinstance(value, list):  # enum_list, string_list
        errors.add(key, say.array(key))
    else:
        for index, item in enumerate(value):
            item_key = f"{key}.{index}"
            if rule.kind == "enum_list" and item not in rule.allowed:
                errors.add(item_key, say.selected_invalid(item_key))
            elif rule.kind == "string_list" and not isinstance(item, str):
                errors.add(item_key, say.string(item_key))
    return len(errors.by_key) == before


def _check_relations(key: str, data: Mapping[str, Any], errors: Errors, frequency_on: bool) -> None:
    """Rules that involve a second field or the frequency switch; `key` has passed its own rules."""
    if key == "userAgeMax" and _is_int(low := data.get("userAgeMin")) and not errors.has("userAgeMin") \
            and data[key] < low:
        errors.add(key, say.gte_field(key, "userAgeMin"))
    elif key == "dateEnd" and _is_date(start := data.get("dateStart")) and data[key] < start:
        errors.add(key, say.after_or_equal(key, "dateStart"))
    elif frequency_on and key == "frequencyCap" and data[key] < 1:
        errors.add(key, say.at_least(key, 1))
    elif frequency_on and key == "frequencyPeriod" and not 1 <= data[key] <= 3:
        errors.add(key, say.between(key, 1, 3))


def _is_int(value: object) -> bool:
    # JSON integers only: true/false are not numbers here, nor are "5" or 5.5.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: object) -> bool:
    """Y-m-d and a real day (Laravel's date_format refuses 2027-02-30 too)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
