"""Campaign and Page against the document's own examples, and the platform's likely oddities."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bulkops.platforms.smartyads.client import Campaign, Page, Pagination

# 11.3.5: the answer to a create, with the nulls the document shows.
CREATED = {
    "id": 9, "userId": 25, "isActive": None, "isRunning": False, "type": "banner", "name": "New Campaign #2",
    "isRewarded": True, "isDesktopWeb": True, "isMobileApp": True, "isMobileWeb": True, "isSmartphone": True,
    "isTablet": True, "isCTV": True, "isDOOH": True, "aDomain": "gusikowski.com", "dateStart": "2024-08-05",
    "dateEnd": "2026-05-22", "geoCountries": [], "geoCountriesIsInclude": True, "geoRegions": [],
    "geoRegionsIsInclude": True, "geoCities": [], "geoCitiesIsInclude": True, "contentCategories": [],
    "contentCategoriesIsInclude": None, "userAgeMin": 18, "userAgeMax": 50,
    "connectionTypes": ["ethernet", "cellular_all", "cellular_3g", "cellular_4g", "wifi"],
    "clickedInventoryCategories": [], "deviceCarrier": ["ISP Green-Stiedemann", "ISP Simonis Inc"],
    "deviceCarrierIsInclude": False, "OS": ["Android 8.0", "iOS"], "OSIsInclude": True,
    "browser": ["Chrome", "IE", "Edge"], "browserIsInclude": True, "deviceLanguage": ["ab", "aa"],
    "deviceLanguageIsInclude": True, "spentDailyLimit": 200, "spentTotalLimit": 1000,
    "impressionsDailyLimit": 100000, "impressionsTotalLimit": 1000000, "clicksDailyLimit": 500,
    "clicksTotalLimit": 1000, "budgetUse": "fast", "allSources": False, "cpm": None, "adaptiveCpm": None,
    "useCpm": None, "googleAnalyticsTrackingCode": None, "dynamicTargeting": [], "subscriptionAge": [],
    "frequencyType": "user", "frequency": True, "frequencyCap": 3, "frequencyPeriod": 1,
    "extendedStatus": "Campaign is not active", "createdAt": "2026-02-12", "updatedAt": "2026-02-12",
    "deletedAt": None, "pretarget": None, "pretargets": [], "audiences": [],
}


def test_the_documented_create_answer_loads_field_for_field():
    campaign = Campaign.model_validate(CREATED)
    assert campaign.model_dump(exclude_unset=True) == CREATED
    assert campaign.OS == ["Android 8.0", "iOS"] and campaign.OSIsInclude is True
    assert campaign.isActive is None and campaign.cpm is None


def test_every_documented_field_is_declared_not_just_kept_as_extra():
    campaign = Campaign.model_validate(CREATED)
    assert campaign.model_extra == {}
    assert set(CREATED) == set(Campaign.model_fields)


def test_the_list_answer_which_omits_some_fields_loads():
    listed = {k: v for k, v in CREATED.items() if k not in {
        "googleAnalyticsTrackingCode", "dynamicTargeting", "subscriptionAge", "frequencyType", "frequency",
        "frequencyCap", "frequencyPeriod", "pretarget", "pretargets", "audiences"}}
    campaign = Campaign.model_validate(listed)
    assert campaign.frequency is None and campaign.audiences == []


def test_the_documents_contradictions_are_tolerated():
    campaign = Campaign.model_validate({
        "id": 1, "name": 2024, "aDomain": 123, "budgetUse": 1, "isRewarded": 0, "frequency": 0,
        "geoCities": [5368361, "5128581"], "geoRegions": None, "OS": None, "cpm": 0, "spentDailyLimit": 12.5,
    })
    assert campaign.name == "2024" and campaign.aDomain == "123" and campaign.budgetUse == "1"
    assert campaign.isRewarded is False and campaign.frequency is False
    assert campaign.geoCities == ["5368361", "5128581"]
    assert campaign.geoRegions == [] and campaign.OS == []
    assert campaign.cpm == 0.0 and campaign.spentDailyLimit == 12.5


def test_fields_the_platform_adds_later_are_kept():
    campaign = Campaign.model_validate({"id": 1, "name": "x", "brandNewField": {"a": 1}})
    assert campaign.model_extra == {"brandNewField": {"a": 1}}
    assert campaign.model_dump()["brandNewField"] == {"a": 1}


@pytest.mark.parametrize("data", [{"name": "no id"}, {"id": 1}, {"id": "seven", "name": "x"}])
def test_a_campaign_needs_an_id_and_a_name(data):
    with pytest.raises(ValidationError):
        Campaign.model_validate(data)


def test_page_holds_items_and_pagination():
    page = Page[Campaign](items=[Campaign(id=1, name="a")], pagination=Pagination(
        total=1, count=1, per_page=15, current_page=1, total_pages=1, links=[]))
    assert page.items[0].name == "a" and page.pagination.total_pages == 1
