"""SmartyAds campaigns (section 11 of `smartyads-dsp-api.txt`).

Checks marked `own` (lengths, patterns, ranges, the order of dates and ages) are bulkops's own: the
document gives types, required fields and value lists only, and the frequency period's 1 to 3.
"""

from __future__ import annotations

from bulkops.kinds import (
    ENTITY_COLUMNS,
    ColType,
    Column,
    Kind,
    UpdateRoute,
    limit,
    ordered,
    own_rule,
    payload_of,
    required_when,
)
from bulkops.platforms.smartyads import _enums as enums
from bulkops.platforms.smartyads.kinds._settings import SETTING_COLUMNS, campaign_payload, repair_settings

PLATFORM = "smartyads"
_OWN_MIN = ("minimum",)


def _flag(label: str, field: str, what: str, example: bool = True) -> Column:
    return Column(label, field, ColType.BOOL, f"Traffic type: {what}.", example="TRUE" if example else "FALSE")


def _mode(label: str, field: str, what: str) -> Column:
    return Column(
        label, field, ColType.INCLUDE,
        f"Whether the {what} list is an allow list (include) or a block list (exclude).",
        example="include", choices=("include", "exclude"),
    )


CAMPAIGNS = Kind(
    name="campaigns",
    sheet="Campaigns",
    platform=PLATFORM,
    natural_key=("name",),
    update_requires=("name",),
    # 11.4.1 lists only these for PATCH api/campaigns/{id}; the other fields are sent when they
    # change, with a warning first, and the answer (11.4.4 carries the campaign) says what was kept.
    update_route=UpdateRoute("SmartyAds' campaign update, 11.4.1", (
        "name", "geoCountries", "geoCountriesIsInclude", "geoRegions", "geoRegionsIsInclude", "geoCities",
        "geoCitiesIsInclude", "frequency", "frequencyType", "frequencyCap", "frequencyPeriod",
        # Not 11.4.1's: the settings go on their own routes (2, 10, 24), never in this PATCH.
        "timeTargeting", "ctrBooster", "optimizationRule")),
    columns=ENTITY_COLUMNS + (
        Column("Name", "name", ColType.TEXT, "Campaign name; also required on updates (the API asks for it).",
               example="Spring Sale 2027", required=True, max_length=255, own=("length",)),
        Column("Type", "type", ColType.ENUM, "Campaign type.", example="banner", required=True,
               choices=enums.CAMPAIGN_TYPES),
        # The campaign's status as 11.1 and 11.2 answer it. Neither the create (11.3.1) nor the
        # update (11.4.1) lists a field that switches a campaign on or off.
        Column("Active", "isActive", ColType.ACTIVE,
               "Whether the campaign is switched on (active) or off (paused), as SmartyAds holds it. The "
               "API gives no way to switch an existing campaign: do it in SmartyAds.", example="active",
               read_only=True, refuse_change=True),
        Column("Running", "isRunning", ColType.BOOL, "Whether the campaign is serving now.", example="FALSE",
               read_only=True),
        Column("Extended Status", "extendedStatus", ColType.TEXT,
               "SmartyAds' word on why the campaign is or is not serving.", example="Low Balance", read_only=True),
        Column("Advertiser Domain", "aDomain", ColType.TEXT, "Top-level domain of the advertiser.",
               example="example.com", required=True, max_length=255,
               pattern=r"^(?!-)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$", pattern_hint="a domain such as example.com",
               own=("length", "pattern")),
        Column("Start Date", "dateStart", ColType.DATE, "First day the campaign may run.", example="2027-03-01"),
        Column("End Date", "dateEnd", ColType.DATE, "Last day; on or after Start Date.", example="2027-03-31"),
        Column("Rewarded Video", "isRewarded", ColType.BOOL, "Rewarded video (video campaigns).", example="FALSE"),
        _flag("Desktop Web", "isDesktopWeb", "desktop websites"),
        _flag("Mobile App", "isMobileApp", "mobile applications"),
        _flag("Mobile Web", "isMobileWeb", "mobile websites"),
        _flag("Smartphone", "isSmartphone", "smartphones"),
        _flag("Tablet", "isTablet", "tablets", example=False),
        Column("IAB Categories", "contentCategories", ColType.ENUM_LIST, "IAB content categories.",
               example="IAB1, IAB3", choices=enums.IAB_CATEGORIES),
        _mode("IAB Categories Mode", "contentCategoriesIsInclude", "IAB categories"),
        Column("Min Age", "userAgeMin", ColType.INT, "Audience age from.", example=18, minimum=0, maximum=120,
               own=("minimum", "maximum")),
        Column("Max Age", "userAgeMax", ColType.INT, "Audience age to; at least Min Age.", example=50,
               minimum=0, maximum=120, own=("minimum", "maximum")),
        Column("Connection Types", "connectionTypes", ColType.ENUM_LIST, "Connection types.",
               example="wifi, cellular_4g", choices=enums.CONNECTION_TYPES),
        Column("Carriers", "deviceCarrier", ColType.LIST, "Network operator names.", example="Verizon"),
        _mode("Carriers Mode", "deviceCarrierIsInclude", "carriers"),
        Column("Operating Systems", "OS", ColType.ENUM_LIST, "Operating systems of the user's device.",
               example="Android 13.0, iOS", choices=enums.OPERATING_SYSTEMS),
        _mode("Operating Systems Mode", "OSIsInclude", "operating systems"),
        Column("Browsers", "browser", ColType.ENUM_LIST, "The user's browsers.", example="Chrome, Safari",
               choices=enums.BROWSERS),
        _mode("Browsers Mode", "browserIsInclude", "browsers"),
        Column("Languages", "deviceLanguage", ColType.ENUM_LIST, "Languages of the user's browser.",
               example="en, es", choices=enums.DEVICE_LANGUAGES),
        _mode("Languages Mode", "deviceLanguageIsInclude", "languages"),
        Column("Countries", "geoCountries", ColType.LIST,
               "Countries by name (United States) or ISO code (USA, US); sent as ISO alpha-3 codes "
               "(GET /geo/countries, iso3).", example="USA, CAN", lookup="countries"),
        _mode("Countries Mode", "geoCountriesIsInclude", "countries"),
        Column("Regions", "geoRegions", ColType.LIST,
               "Regions by name (California) or code (US-CA); sent as state_iso2 codes from GET /geo/regions. "
               "A name several countries share: add the country's code, California (USA).",
               example="US-CA", lookup="regions"),
        _mode("Regions Mode", "geoRegionsIsInclude", "regions"),
        Column("Cities", "geoCities", ColType.LIST,
               "Cities by name (Boston) or geoname_id; sent as geoname_id numbers from GET /geo/cities. A name "
               "several cities share: add the region's code, Springfield (US-IL).",
               example="5368361", lookup="cities"),
        _mode("Cities Mode", "geoCitiesIsInclude", "cities"),
        # The document gives no range for the limits: "0 or more" is bulkops's own.
        limit("Daily Spend Limit", "spentDailyLimit", "Daily spend limit", 200, own=_OWN_MIN),
        limit("Total Spend Limit", "spentTotalLimit", "Total spend limit", 1000, own=_OWN_MIN),
        limit("Daily Impressions Limit", "impressionsDailyLimit", "Daily impressions limit", 100000, own=_OWN_MIN),
        limit("Total Impressions Limit", "impressionsTotalLimit", "Total impressions limit", 1000000, own=_OWN_MIN),
        limit("Daily Clicks Limit", "clicksDailyLimit", "Daily clicks limit", 500, own=_OWN_MIN),
        limit("Total Clicks Limit", "clicksTotalLimit", "Total clicks limit", 1000, own=_OWN_MIN),
        Column("Budget Distribution", "budgetUse", ColType.ENUM,
               "pacer: spend evenly through the day; fast: as soon as possible.", example="pacer",
               choices=enums.BUDGET_USES),
        Column("Frequency Capping", "frequency", ColType.BOOL,
               "Turn frequency capping on; then Frequency Type, Cap and Period are required.", example="TRUE"),
        Column("Frequency Type", "frequencyType", ColType.ENUM, "Count impressions per user or per IP.",
               example="user", choices=enums.FREQUENCY_TYPES),
        Column("Frequency Cap", "frequencyCap", ColType.INT, "Show the ad at most this many times per period.",
               example=3, minimum=1, own=("minimum",)),
        Column("Frequency Period", "frequencyPeriod", ColType.INT, "Frequency period in days (1 to 3).",
               example=1, minimum=1, maximum=3),
    ) + SETTING_COLUMNS,
    # Time targeting, the CTR booster and the rule go on their own routes after the campaign exists.
    repairs=(repair_settings,),
    payload=lambda values: campaign_payload(payload_of(CAMPAIGNS, values)),
    checks=(
        own_rule(ordered("dateStart", "dateEnd")),
        own_rule(ordered("userAgeMin", "userAgeMax", relation="at least")),
        required_when("frequency", ("frequencyType", "frequencyCap", "frequencyPeriod")),
    ),
)

