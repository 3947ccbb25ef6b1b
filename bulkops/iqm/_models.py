"""Typed shapes of IQM answers (pydantic). Field names are the API's own.

Reading is lenient on purpose, as for SmartyAds: the platform adds fields over time and the quick
start shows one example per answer, so unknown fields are kept (`extra="allow"`), numbers are
accepted for text fields and every field but the id may be missing or null.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["Campaign", "CampaignCreated", "CreativeDetails", "CreativeType", "UploadedCreatives"]


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
