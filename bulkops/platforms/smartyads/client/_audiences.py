"""SmartyAds audiences and contextual targeting: the dictionaries (12.1, 12.2, 12.6 = 14.1, 13.1,
13.2) and what a campaign is assigned of them (7 and 9).

`AudiencesMixin` is part of `SmartyAdsClient`, as `ResourcesMixin` is: every method goes through the
client's `_call`. What may be repeated after a lost answer (see `_client`'s module docstring): reads,
the POSTs that replace a campaign's whole list (7.2, 9.2) and the DELETEs (7.4, 9.4); never the
PATCHes that append (7.3, 9.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pydantic
from pydantic import Field

from bulkops.platforms.smartyads.client._core import ClientCore
from bulkops.platforms.smartyads.client._models import AnyList, _Model

__all__ = ["AUDIENCE_TYPES", "AssignedAudience", "Audience", "AudiencesMixin", "ContextualTarget",
           "ThirdPartyAudience"]

# 7.1: "Audience relation type (collect, trade, thirdParty)".
AUDIENCE_TYPES = ("collect", "trade", "thirdParty")
_AUDIENCES_PATH = "/api/audiences"  # 12.1, 12.2
_THIRD_PARTY_PATH = "/api/audiences/third-parties"  # 12.6, 14.1 (the same route, documented twice)
_CONTEXTUAL_PATH = "/api/contextual-targeting"  # 13.1, 13.2
_CAMPAIGNS_PATH = "/api/campaigns"
_PER_PAGE = 1000  # the largest page the document's examples show (13.1.4): a dictionary in fewest reads
# 9.4.1 documents one required field, `deleted`; the route removes all of the campaign's contextual
# targeting (no ids are documented).
_CONTEXTUAL_DELETE_BODY = {"deleted": True}


class Audience(_Model):
    """A first-party audience (12.1, 12.2), or the audience of a campaign's assignment (7.1)."""

    id: int
    title: str
    userId: int | None = None
    collectionType: str | None = None
    isActive: bool | None = None
    isInclude: bool | None = None
    providerId: int | None = None
    providerList: AnyList = Field(default_factory=list)


class ThirdPartyAudience(_Model):
    """A third-party audience (12.6, 14.1)."""

    id: int
    title: str
    userId: int | None = None
    isActive: bool | None = None
    isInclude: bool | None = None
    providerId: int | None = None
    providerName: str | None = None
    segments: int | None = None


class AssignedAudience(_Model):
    """One entry of a campaign's audiences (7.1): its relation type and the audience."""

    type: str
    audience: Audience


class ContextualTarget(_Model):
    """A contextual targeting rule (13.1, 13.2); `campaigns` are the IDs of the campaigns it is mapped to."""

    id: int
    name: str
    type: str | None = None  # web, inApp
    rule: str | None = None  # include, exclude
    userId: int | None = None
    keywordsCount: int | None = None
    campaigns: list[int] = Field(default_factory=list)


class AudiencesMixin(ClientCore):
    """The client's methods for audiences and contextual targeting (see `SmartyAdsClient`)."""


    # -- the dictionaries (12, 13, 14) ----------------------------------------------------------

    async def every_audience(self, per_page: int = _PER_PAGE) -> list[Audience]:
        """Every first-party audience, page after page (12.1)."""
        return await self._every_page(_AUDIENCES_PATH, Audience, per_page)

    async def get_audience(self, audience_id: int) -> Audience:
        """GET api/audiences/{id} (12.2)."""
        return self._one_of(await self._call("GET", f"{_AUDIENCES_PATH}/{int(audience_id)}"), Audience)

    async def every_third_party_audience(self, per_page: int = _PER_PAGE) -> list[ThirdPartyAudience]:
        """Every third-party audience, page after page (12.6, 14.1)."""
        return await self._every_page(_THIRD_PARTY_PATH, ThirdPartyAudience, per_page)

    async def every_contextual_target(self, per_page: int = _PER_PAGE) -> list[ContextualTarget]:
        """Every contextual targeting rule, page after page (13.1)."""
        return await self._every_page(_CONTEXTUAL_PATH, ContextualTarget, per_page)

    async def get_contextual_target(self, target_id: int) -> ContextualTarget:
        """GET api/contextual-targeting/{id} (13.2)."""
        return self._one_of(await self._call("GET", f"{_CONTEXTUAL_PATH}/{int(target_id)}"), ContextualTarget)

    # -- audiences of a campaign (7) ------------------------------------------------------------

    async def get_campaign_audiences(self, campaign_id: int) -> list[AssignedAudience]:
        """Every page of GET api/campaigns/{id}/audiences (7.1)."""
        return await self._every_page(_campaign_path(campaign_id, "audiences"), AssignedAudience, _PER_PAGE)

    async def replace_campaign_audiences(self, campaign_id: int, items: Iterable[Mapping[str, Any]]) -> None:
        """POST api/campaigns/{id}/audiences {"items": [{"id", "type"}]} (7.2): the campaign's audiences
        become these."""
        await self._write("POST", _campaign_path(campaign_id, "audiences"), {"items": _audience_items(items)},
                          replayable=True)

    async def append_campaign_audiences(self, campaign_id: int, items: Iterable[Mapping[str, Any]]) -> None:
        """PATCH api/campaigns/{id}/audiences {"items": [{"id", "type"}]} (7.3): adds these. Never
        repeated blindly."""
        await self._write("PATCH", _campaign_path(campaign_id, "audiences"), {"items": _audience_items(items)},
                          replayable=False)

    async def remove_campaign_audiences(self, campaign_id: int, audience_ids: Iterable[int]) -> None:
        """DELETE api/campaigns/{id}/audiences {"ids": [...]} (7.4): unassigns these audiences. An empty
        `ids` deletes every audience of the campaign (7.4.1), so none is refused here rather than sent."""
        ids = [int(i) for i in audience_ids]
        if not ids:
            raise ValueError("no audience IDs to remove (an empty list would remove every audience)")
        await self._write("DELETE", _campaign_path(campaign_id, "audiences"), {"ids": ids}, replayable=True)

    # -- contextual targeting of a campaign (9) -------------------------------------------------

    async def get_campaign_contextual(self, campaign_id: int) -> list[int]:
        """GET api/campaigns/{id}/contextual-targeting (9.1): the IDs mapped to the campaign, one answer."""
        response = await self._call("GET", _campaign_path(campaign_id, "contextual-targeting"))
        body = self._read(response)
        try:
            return [int(i) for i in body["data"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._unusable(response, exc) from None

    async def replace_campaign_contextual(self, campaign_id: int, target_ids: Iterable[int]) -> None:
        """POST api/campaigns/{id}/contextual-targeting {"targetIds": [...]} (9.2)."""
        await self._write("POST", _campaign_path(campaign_id, "contextual-targeting"),
                          {"targetIds": [int(i) for i in target_ids]}, replayable=True)

    async def append_campaign_contextual(self, campaign_id: int, target_ids: Iterable[int]) -> None:
        """PATCH api/campaigns/{id}/contextual-targeting {"targetIds": [...]} (9.3). Never repeated blindly."""
        await self._write("PATCH", _campaign_path(campaign_id, "contextual-targeting"),
                          {"targetIds": [int(i) for i in target_ids]}, replayable=False)

    async def delete_campaign_contextual(self, campaign_id: int) -> None:
        """DELETE api/campaigns/{id}/contextual-targeting {"deleted": true} (9.4): removes all of the
        campaign's contextual targeting (the document gives no way to pick some; to keep some,
        replace the list instead). Answered {"deleted": true}."""
        response = await self._call("DELETE", _campaign_path(campaign_id, "contextual-targeting"),
                                    json=dict(_CONTEXTUAL_DELETE_BODY), replayable=True)
        body = self._read(response)
        try:
            deleted = pydantic.TypeAdapter(bool).validate_python(body["deleted"])
        except (KeyError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None
        if not deleted:
            raise self._unusable(response, ValueError("the platform answered deleted: false"))


def _campaign_path(campaign_id: int, sub: str) -> str:
    return f"{_CAMPAIGNS_PATH}/{int(campaign_id)}/{sub}"


def _audience_items(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": int(item["id"]), "type": str(item["type"])} for item in items]
