"""Typed shapes of IQM answers (pydantic). Field names are the API's own.

Reading is lenient on purpose, as for SmartyAds: the platform adds fields over time and the quick
start shows one example per answer, so unknown fields are kept (`extra="allow"`), numbers are
accepted for text fields and every field but the id may be missing or null.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["AddedCreative", "BudgetUpdate", "Campaign", "CampaignCreated", "CampaignPage", "CampaignSummary", "Carrier",
           "Creative", "CreativeDetails", "CreativePage", "CreativeType", "ListedCampaign", "MasterEntry", "TimeZone",
           "UploadedCreatives"]

# The creative guide's status list (creativeStatusId → status).
CREATIVE_STATUSES = {1: "pending", 2: "running", 3: "paused", 4: "deleted", 5: "rejected"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)


class CreativeType(_Model):
    """One entry of `GET /api/v3/master/creativeTypes`."""

    id: int
    label: str | None = None
    keyName: str | None = None


class UploadedCreatives(_Model):
    """The answer of `POST /api/v2/crt/add/image/banner/creative` (`responseObject`).

    `ids` are the new creatives (`responseObject.data`); `files` are the caller's file names in the
    order they were sent. The document shows one file and one id and does not say that ids come back
    in the order sent, so pair them only when the counts match, and prefer `creative_statuses` (whose
    answers carry `creativeName`) when it matters.
    """

    ids: list[int]
    message: str | None = None
    files: list[str] = []


class AddedCreative(_Model):
    """What `POST /api/v3/crt/creatives` says of one creative of the request: its new `id`
    (`successData`), or why IQM refused it (`failedData`)."""

    id: int | None = None
    error: str | None = None


class CreativeDetails(_Model):
    """One entry of `GET /api/v2/crt/creatives/details?creativeIds=...` (`responseObject` list).

    `status` is IQM's word for where the creative stands ("pending" while it is processed and
    reviewed, "running" once approved...); a campaign may use only processed, approved creatives.
    """

    creativeId: int
    creativeName: str | None = None
    status: str | None = None
    creativeTypeId: int | None = None
    creativeType: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | float | None = None
    clickUrl: str | None = None
    creativeSource: str | None = None
    creativeCardSource: str | None = None
    rejectionReason: str | None = None
    remarks: str | None = None
    pixelUrls: str | list[str] | None = None
    createdOn: int | None = None
    modifiedDate: int | None = None
    owId: int | None = None
    uowId: int | None = None
    campaigns: list[dict[str, Any]] | None = None


class CampaignCreated(_Model):
    """The answer of `POST /api/v2/cmp/campaigns/add`: the new campaign's id (`responseObject.data`)."""

    id: int
    message: str | None = None
    status: str | None = None


class Campaign(_Model):
    """A campaign as `GET /api/v2/cmp/campaign/{id}` answers it (`responseObject`)."""

    id: int
    campaignName: str | None = None
    status: str | None = None
    owId: int | None = None
    uowId: int | None = None
    ioId: int | None = None
    ioName: str | None = None
    advertiserDomain: str | None = None
    creativeType: int | None = None
    campaignType: int | None = None
    creativeIds: str | None = None  # comma-separated, as the API writes it
    budgetDay: float | None = None
    budgetTotal: float | None = None
    maxBid: float | None = None
    timezone: int | None = None
    startTime: int | None = None
    endTime: int | None = None
    countryId: str | None = None
    deviceType: str | None = None
    trafficType: str | None = None
    exchanges: str | None = None
    createDate: int | None = None


class BudgetUpdate(_Model):
    """The answer of `PUT /api/v2/cmp/campaigns/update-budget` (`responseObject`): per campaign, the
    values IQM now holds (`modified_data`: `maxBid`, `totalBudget`, `dailyBudget`) or why it refused
    (`reason`); `status` is false when any campaign was refused."""

    modified: dict[int, dict[str, Any]] = {}
    refused: dict[int, str] = {}
    status: bool | None = None


class ListedCampaign(_Model):
    """One row of `POST /api/v3/cmp/customer/campaigns/list` ("Get List of Campaigns with Filters"):
    the campaign fields that list shows (`name`, budgets, bid, times, types, status)."""

    id: int
    name: str | None = None
    status: str | None = None
    budgetTotal: float | None = None
    budgetDay: float | None = None
    maxBid: float | None = None
    startTime: int | None = None
    endTime: int | None = None
    creativeTypeId: int | None = None
    campaignTypeId: int | None = None
    budgetTypeId: int | None = None
    totalImpressions: int | None = None
    timeZoneName: str | None = None


class CampaignSummary(_Model):
    """One row of `GET /api/v2/cmp/campaigns/list` (the campaign guide writes its `id` as a string)."""

    id: int
    name: str | None = None
    status: str | None = None
    owId: int | None = None
    creative_type_id: int | None = None
    start_date: int | None = None
    end_date: int | None = None
    total_budget: float | None = None


class CampaignPage(_Model):
    """One page of the campaign list: its rows and the list's counts (`recordsTotal`, `recordsFiltered`)."""

    items: list[CampaignSummary]
    page: int
    page_size: int
    total: int | None = None
    filtered: int | None = None


class Creative(_Model):
    """A creative as `POST /api/v3/crt/creatives/list` lists it (and `GET /api/v3/crt/creatives/{id}`
    answers it, its `imageDetails` flattened): `platformCreativeTypeId` is the creative type (11 image,
    13 HTML, 14 video, 17 audio), `creativeSourceType` says how it was given (file, HTML, vast-xml)."""

    creativeId: int
    creativeName: str | None = None
    platformCreativeTypeId: int | None = None
    creativeStatusId: int | None = None
    creativeSourceType: str | None = None
    creativeSource: str | None = None
    clickUrl: str | None = None
    pixelUrl: str | None = None
    creativeWidth: int | None = None
    creativeHeight: int | None = None
    duration: int | float | None = None
    campaignDetails: dict[str, Any] | None = None

    @property
    def status(self) -> str | None:
        """The status word of `creativeStatusId` (the guide's status list), None when unknown."""
        return CREATIVE_STATUSES.get(self.creativeStatusId) if self.creativeStatusId is not None else None

    @property
    def campaign_ids(self) -> list[int]:
        """The campaigns the creative runs in (`campaignDetails.campaignIds`)."""
        ids = (self.campaignDetails or {}).get("campaignIds") or []
        return [int(i) for i in ids if str(i).strip().isdigit()]


class CreativePage(_Model):
    """One page of the creative list: its rows and the list's counts (`totalRecords`, `filteredRecords`)."""

    items: list[Creative]
    page: int
    page_size: int
    total: int | None = None
    filtered: int | None = None


class TimeZone(_Model):
    """One entry of `GET /api/v3/master/timezones`: IQM's id and (IANA) name."""

    id: int
    name: str | None = None
    label: str | None = None


class MasterEntry(_Model):
    """One entry of a Master API list (countries, states, device types, operating systems, exchanges):
    IQM's ID and name, and where the list has them its `abbreviation` (a country's ISO code, a
    state's postal code) and `parentId` (a state's country)."""

    id: int
    name: str
    abbreviation: str | None = None
    parentId: int | None = None


class Carrier(_Model):
    """One entry of `GET /api/countries/{country_id}/carriers`; `country_id` is IQM's older country ID."""

    id: int
    name: str
    country_id: int | None = None
