"""Typed shapes of SmartyAds answers (pydantic). Field names are the API's own.

Reading is lenient on purpose: the document contradicts itself (its tables call `aDomain` and
`budgetUse` integers while every example holds a string; `isRewarded` and `frequency` are "integer" in
one place and booleans in another), so a campaign that the platform itself produced must never fail
to load over such a detail. Numbers are accepted for text fields, 0/1 for booleans, null for lists.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

__all__ = ["Campaign", "Creative", "Deal", "FilterList", "GeoCircle", "GeoZip", "Media", "OptimizationRule", "Page",
           "Pagination", "ParsedFile", "TimeItem"]

T = TypeVar("T")


def _list_or_empty(value: Any) -> Any:
    return [] if value is None else value


# A list the platform might send as null; geo ids may come as numbers, so items become text.
TextList = Annotated[list[str], BeforeValidator(_list_or_empty)]
AnyList = Annotated[list[Any], BeforeValidator(_list_or_empty)]


class _Model(BaseModel):
    # The platform adds fields over time; keep them rather than fail.
    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)


class Campaign(_Model):
    """A campaign as `GET api/campaigns/{id}` answers it (section 11.2); the list omits a few fields."""

    id: int
    name: str
    type: str | None = None  # banner, native, video, audio
    userId: int | None = None
    isActive: bool | None = None  # null right after a create (11.3.5)
    isRunning: bool | None = None
    isRewarded: bool | None = None
    isDesktopWeb: bool | None = None
    isMobileApp: bool | None = None
    isMobileWeb: bool | None = None
    isSmartphone: bool | None = None
    isTablet: bool | None = None
    isCTV: bool | None = None
    isDOOH: bool | None = None
    aDomain: str | None = None
    dateStart: str | None = None  # "YYYY-MM-DD", kept as the platform wrote it
    dateEnd: str | None = None
    geoCountries: TextList = Field(default_factory=list)
    geoCountriesIsInclude: bool | None = None
    geoRegions: TextList = Field(default_factory=list)
    geoRegionsIsInclude: bool | None = None
    geoCities: TextList = Field(default_factory=list)
    geoCitiesIsInclude: bool | None = None
    contentCategories: TextList = Field(default_factory=list)
    contentCategoriesIsInclude: bool | None = None  # null right after a create (11.3.5)
    userAgeMin: int | None = None
    userAgeMax: int | None = None
    connectionTypes: TextList = Field(default_factory=list)
    clickedInventoryCategories: AnyList = Field(default_factory=list)
    deviceCarrier: TextList = Field(default_factory=list)
    deviceCarrierIsInclude: bool | None = None
    OS: TextList = Field(default_factory=list)
    OSIsInclude: bool | None = None
    browser: TextList = Field(default_factory=list)
    browserIsInclude: bool | None = None
    deviceLanguage: TextList = Field(default_factory=list)
    deviceLanguageIsInclude: bool | None = None
    spentDailyLimit: int | float | None = None
    spentTotalLimit: int | float | None = None
    impressionsDailyLimit: int | None = None
    impressionsTotalLimit: int | None = None
    clicksDailyLimit: int | None = None
    clicksTotalLimit: int | None = None
    budgetUse: str | None = None  # pacer or fast
    allSources: bool | None = None
    cpm: float | None = None
    adaptiveCpm: bool | None = None
    useCpm: bool | None = None
    googleAnalyticsTrackingCode: str | None = None
    dynamicTargeting: AnyList = Field(default_factory=list)
    subscriptionAge: AnyList = Field(default_factory=list)
    frequency: bool | None = None
    frequencyType: str | None = None  # user or ip
    frequencyCap: int | None = None
    frequencyPeriod: int | None = None
    extendedStatus: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    deletedAt: str | None = None
    pretarget: int | None = None
    pretargets: AnyList = Field(default_factory=list)
    audiences: AnyList = Field(default_factory=list)


class Media(_Model):
    """An uploaded media asset (17.1-17.3); also a creative's `media`, which has fewer fields."""

    id: int
    userId: int | None = None
    mediaType: str | None = None  # image, video, html
    originName: str | None = None
    name: str | None = None
    extension: str | None = None
    url: str | None = None
    width: int | None = None
    height: int | None = None
    weight: int | None = None  # kB by 17.1.4
    mimeType: str | None = None  # video only, as are the four below
    bitrate: int | None = None
    duration: int | float | None = None
    durationTime: str | None = None
    playtime: str | None = None  # "integer" in 17.2.4, "00:00:00" in its example
    createdAt: str | None = None
    updatedAt: str | None = None


class Creative(_Model):
    """A creative as `GET api/creatives/{id}` answers it (18.2-18.4); the format's own fields are in
    `relation` (`relation.banner`, `relation.native`, `relation.video`)."""

    id: int
    name: str
    creativeType: str | None = None  # banner, native, video, audio
    userId: int | None = None
    isActive: bool | None = None  # 0/1 in the examples, null right after a create (18.5.5)
    approved: str | None = None  # approved, pending, disapproved
    status: str | None = None
    frequency: bool | None = None  # "string" in 18.1.3, 0/1 in every example
    frequencyType: str | None = None  # user or ip
    frequencyCap: int | None = None
    frequencyPeriod: int | None = None
    bidPrice: str | None = None  # "16.46" in the lists, 0.5 after a create: kept as text, never rounded
    autoresize: bool | None = None
    adaptiveCpm: bool | None = None
    size: str | None = None  # "365 x 281"
    weight: str | None = None  # "0.37 MB"
    thumbnail: str | None = None
    folderId: str | None = None
    media: Media | None = None
    relation: dict[str, Any] | None = None
    sizes: AnyList = Field(default_factory=list)
    createdAt: str | None = None
    updatedAt: str | None = None
    pendingAt: str | None = None
    deletedAt: str | None = None


class GeoCircle(_Model):
    """One GPS target of a campaign (5.1): a circle around lat/lng, radius as the platform counts it."""

    lat: float
    lng: float
    radius: float
    include: bool | None = None


class GeoZip(_Model):
    """One ZIP code target of a campaign (6.1)."""

    zip: str  # text: "01001" keeps its leading zero
    iso2: str | None = None
    lat: float | None = None
    lng: float | None = None
    include: bool | None = None
    countryName: str | None = None


class Deal(_Model):
    """A deal assigned to a campaign (8.1, 8.2); `id` is the assignment's record id (8.4 deletes by it)."""

    id: int
    campaignId: int | None = None
    dealId: str
    bidPrice: str  # "1.00": text as documented; a number from the platform becomes text too
    createdAt: str | None = None
    updatedAt: str | None = None


class FilterList(_Model):
    """A filter list (20.1-20.4). Only `GET api/filterlist/{id}` carries `items`; the list and the
    answers to create and update carry `listCount` instead, so there `items` is empty."""

    id: int
    title: str
    type: str | None = None  # domain, apps, bundles, deviceIfas, publishers, ipAdresses, ...; fixed at create
    isInclude: bool | None = None  # true: white list, false: black list
    items: TextList = Field(default_factory=list)
    listCount: int | None = None
    userId: int | None = None
    createdAt: str | None = None
    updatedAt: str | None = None


class ParsedFile(_Model):
    """The answer of `POST api/parsefile` (17.4): `fileName` goes into a filter list's create/update."""

    fileName: str
    items: TextList = Field(default_factory=list)
    countItems: int | None = None  # 0 beside one item in the example: not to be trusted over `items`
    message: str | None = None


class _FilterListRef(_Model):
    id: int


class AssignedFilterList(_Model):
    """One entry of `GET api/campaigns/{id}/filterlists` (21.1): the list nested under `filterList`."""

    filterList: _FilterListRef


class Pagination(_Model):
    """`meta.pagination` of a list answer (Laravel/Fractal)."""

    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int
    links: Any = None


class Page(_Model, Generic[T]):
    """One page of a list: its items and where it sits among the pages."""

    items: list[T]
    pagination: Pagination


class Country(_Model):
    """15.1.3: a country of the geo dictionary; campaigns name it by `country_iso3`."""

    id: int | None = None
    country_name: str
    country_iso2: str | None = None
    country_iso3: str


class Region(_Model):
    """15.2.3: a region of a country; campaigns name it by `state_iso2`."""

    country_iso3: str
    state: str
    state_iso2: str


class City(_Model):
    """15.3.3: a city; campaigns name it by `geoname_id`."""

    country_iso3: str | None = None
    state: str | None = None
    state_iso2: str | None = None
    city_name: str
    geoname_id: str
class TimeItem(_Model):
    """One hour of a campaign's time targeting (2.1.3): `dayOfWeek` 0..6 (0 is Sunday), `hour` 0..23."""

    dayOfWeek: int
    hour: int


class OptimizationRule(_Model):
    """An optimization rule as 22.1 lists it and 24.1 answers the one assigned to a campaign."""

    id: int
    name: str = ""
    userId: int | None = None
    ownerCampaignId: int | None = None
    timeRange: str | None = None
    then: str | None = None
    targetFilterListId: int | None = None
    conditions: AnyList = Field(default_factory=list)
