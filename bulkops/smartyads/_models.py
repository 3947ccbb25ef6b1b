"""Typed shapes of SmartyAds answers (pydantic). Field names are the API's own.

Reading is lenient on purpose: the document contradicts itself (its tables call `aDomain` and
`budgetUse` integers while every example holds a string; `isRewarded` and `frequency` are "integer" in
one place and booleans in another), so a campaign that the platform itself produced must never fail
to load over such a detail. Numbers are accepted for text fields, 0/1 for booleans, null for lists.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

__all__ = ["Campaign", "Page", "Pagination"]

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
