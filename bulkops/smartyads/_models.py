"""Typed shapes of SmartyAds answers (pydantic). Field names are the API's own."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class _Model(BaseModel):
    # The platform adds fields over time; keep them rather than fail.
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Campaign(_Model):
    id: int
    name: str
    type: str | None = None
    userId: int | None = None
    isActive: bool | None = None
    isRunning: bool | None = None
    aDomain: str | None = None
    isRewarded: bool | None = None
    isDesktopWeb: bool | None = None
    isMobileApp: bool | None = None
    isMobileWeb: bool | None = None
    isSmartphone: bool | None = None
    isTablet: bool | None = None
    isCTV: bool | None = None
    isDOOH: bool | None = None
    dateStart: str | None = None
    dateEnd: str | None = None
    geoCountries: list[str] = Field(default_factory=list)
    geoCountriesIsInclude: bool | None = None
    geoRegions: list[str] = Field(default_factory=list)
    geoRegionsIsInclude: bool | None = None
    geoCities: list[str] = Field(default_factory=list)
    geoCitiesIsInclude: bool | None = None
    contentCategories: list[str] = Field(default_factory=list)
    contentCategoriesIsInclude: bool | None = None
    userAgeMin: int | None = None
    userAgeMax: int | None = None
    connectionTypes: list[str] = Field(default_factory=list)
    deviceCarrier: list[str] = Field(default_factory=list)
    deviceCarrierIsInclude: bool | None = None
    OS: list[str] = Field(default_factory=list)
    OSIsInclude: bool | None = None
    browser: list[str] = Field(default_factory=list)
    browserIsInclude: bool | None = None
    deviceLanguage: list[str] = Field(default_factory=list)
    deviceLanguageIsInclude: bool | None = None
    spentDailyLimit: int | float | None = None
    spentTotalLimit: int | float | None = None
    impressionsDailyLimit: int | None = None
    impressionsTotalLimit: int | None = None
    clicksDailyLimit: int | None = None
    clicksTotalLimit: int | None = None
    budgetUse: str | None = None
    frequency: bool | None = None
    frequencyType: str | None = None
    frequencyCap: int | None = None
    frequencyPeriod: int | None = None
    extendedStatus: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    deletedAt: str | None = None


class Pagination(_Model):
    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int


class Page(_Model, Generic[T]):
    items: list[T]
    pagination: Pagination
