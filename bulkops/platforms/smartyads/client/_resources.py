"""SmartyAds routes beyond campaigns: media, creatives, geo targeting, deals and filter lists.

`ResourcesMixin` is part of `SmartyAdsClient`: every method goes through the client's `_call` (login,
pacing, retries, error mapping) exactly as the campaign methods do. What may be repeated after a
lost answer is decided per route (`replayable`, see `_client`'s module docstring):

- repeated: reads, PUT updates, DELETEs, and the POSTs that replace a campaign's whole list
  (creatives, GPS, ZIPs, deals, filter lists): sending the same list twice leaves the same list;
- never repeated blindly: creates, media uploads, and the PATCHes that append to a campaign's list
  (a second append would add everything twice). Those raise `TransportError(maybe_sent=True)`.

Every body is JSON, whatever Content-type the document's examples show, except the two uploads
(17.1-17.4), which are multipart.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import Any

import pydantic

from bulkops.platforms.smartyads.client._core import ClientCore
from bulkops.platforms.smartyads.client._models import (
    AssignedFilterList,
    Creative,
    Deal,
    FilterList,
    GeoCircle,
    GeoZip,
    Media,
    Page,
    ParsedFile,
)

__all__ = ["LIST_PAGE_SIZE", "MEDIA_TYPES", "ResourcesMixin"]

MEDIA_TYPES = ("image", "video", "html")  # 17.1, 17.2, 17.3: api/media-asset/upload/{type}
_MEDIA_PATH = "/api/media-asset/upload"
_MEDIA_FIELD = "media_assets[]"  # 17.x.1: `media_assets`, "Array of files": PHP reads an array from `name[]`
_PARSEFILE_PATH = "/api/parsefile"
_CREATIVES_PATH = "/api/creatives"
_FILTER_LISTS_PATH = "/api/filterlist"
_CAMPAIGNS_PATH = "/api/campaigns"
# per_page of the examples of a campaign's lists (5.1.4, 6.1.4, 8.1.4, 19.1.4): a campaign's lists
# are read LIST_PAGE_SIZE items a request.
LIST_PAGE_SIZE = _SUBLIST_PER_PAGE = 1000
# 5.4 and 6.4 document as the DELETE's body a copy of its answer, marked required. The platform was
# documented answering 200 to exactly this body, so it is sent as is; it selects nothing: the route
# removes all of the campaign's GPS (ZIP) targeting.
_GEO_DELETE_BODY = {"message": "Deleted."}


class ResourcesMixin(ClientCore):
    """The client's methods for everything but campaigns (see `SmartyAdsClient`)."""


    # -- media (17) -----------------------------------------------------------------------------

    async def upload_media(self, media_type: str, files: Sequence[tuple[str, bytes, str]]) -> list[Media]:
        """POST api/media-asset/upload/{image|video|html}: every file in one multipart request, each
        under `media_assets[]`; `files` are (file name, content, content type). The new assets come
        back in `data`, in the order sent. Never repeated blindly (a repeat uploads twice)."""
        if media_type not in MEDIA_TYPES:
            raise ValueError(f"media_type must be one of {', '.join(MEDIA_TYPES)}, not {media_type!r}")
        if not files:
            return []
        form = [(_MEDIA_FIELD, (name, content, content_type)) for name, content, content_type in files]
        response = await self._call("POST", f"{_MEDIA_PATH}/{media_type}", files=form)
        return self._many_of(response, Media)

    async def parse_filter_file(self, name: str, content: bytes) -> ParsedFile:
        """POST api/parsefile (17.4) with the file as multipart field `file`. The answer's `fileName`
        stands for the items in a filter list's create or update. Repeated after a lost answer: a
        second parse only stores the same items once more under another name."""
        content_type = mimetypes.guess_type(name)[0] or "text/plain"
        response = await self._call("POST", _PARSEFILE_PATH, files={"file": (name, content, content_type)},
                                    replayable=True)
        body = self._read(response)
        try:
            # Documented at the top level; read from `data` if the platform ever wraps it as elsewhere.
            data = body["data"] if isinstance(body.get("data"), dict) else body
            return ParsedFile.model_validate(data)
        except (TypeError, AttributeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    # -- creatives (18) -------------------------------------------------------------------------

    async def list_creatives(self, page: int = 1, per_page: int = 100) -> Page[Creative]:
        """One page of GET api/creatives."""
        return await self._page(_CREATIVES_PATH, Creative, page, per_page)

    async def iter_creatives(self, per_page: int = 100) -> AsyncIterator[Creative]:
        """Every creative, page after page."""
        async for creative in self._each(_CREATIVES_PATH, Creative, per_page):
            yield creative

    async def get_creative(self, creative_id: int) -> Creative:
        """GET api/creatives/{id}."""
        return self._one_of(await self._call("GET", f"{_CREATIVES_PATH}/{int(creative_id)}"), Creative)

    async def create_creative(self, payload: Mapping[str, Any]) -> Creative:
        """POST api/creatives. Never repeated blindly: see `TransportError.maybe_sent`."""
        return self._one_of(await self._call("POST", _CREATIVES_PATH, json=dict(payload)), Creative)

    async def update_creative(self, creative_id: int, payload: Mapping[str, Any]) -> Creative:
        """PUT api/creatives/{id} with the fields to change (18.11: headed PATCH, sent as PUT)."""
        return self._one_of(await self._call("PUT", f"{_CREATIVES_PATH}/{int(creative_id)}", json=dict(payload)),
                            Creative)

    async def delete_creative(self, creative_id: int) -> None:
        """DELETE api/creatives/{id}. A 404 (already gone) raises ApiError with status_code 404."""
        self._read(await self._call("DELETE", f"{_CREATIVES_PATH}/{int(creative_id)}"))

    # -- creatives of a campaign (19) -----------------------------------------------------------

    async def get_campaign_creatives(self, campaign_id: int) -> list[Creative]:
        """Every page of GET api/campaigns/{id}/creatives."""
        return await self._every_page(_campaign_path(campaign_id, "creatives"), Creative, _SUBLIST_PER_PAGE)

    async def replace_campaign_creatives(self, campaign_id: int, creative_ids: Iterable[int]) -> None:
        """POST api/campaigns/{id}/creatives {"ids": [...]}: the campaign's creatives become these."""
        await self._write("POST", _campaign_path(campaign_id, "creatives"), {"ids": _ids(creative_ids)},
                          replayable=True)

    async def append_campaign_creatives(self, campaign_id: int, creative_ids: Iterable[int]) -> None:
        """PATCH api/campaigns/{id}/creatives {"ids": [...]}: adds these. Never repeated blindly."""
        await self._write("PATCH", _campaign_path(campaign_id, "creatives"), {"ids": _ids(creative_ids)},
                          replayable=False)

    async def remove_campaign_creatives(self, campaign_id: int, creative_ids: Iterable[int]) -> None:
        """DELETE api/campaigns/{id}/creatives {"ids": [...]}: unassigns these (the creatives stay)."""
        await self._write("DELETE", _campaign_path(campaign_id, "creatives"), {"ids": _ids(creative_ids)},
                          replayable=True)

    # -- GEO targeting: GPS (5) and ZIP codes (6) -----------------------------------------------

    async def get_geo_circles(self, campaign_id: int) -> list[GeoCircle]:
        """Every page of GET api/campaigns/{id}/geo-targeting."""
        return await self._every_page(_campaign_path(campaign_id, "geo-targeting"), GeoCircle, _SUBLIST_PER_PAGE)

    async def replace_geo_circles(self, campaign_id: int, items: Iterable[Mapping[str, Any]]) -> None:
        """POST api/campaigns/{id}/geo-targeting {"items": [{lat, lng, radius, include}]}."""
        await self._write("POST", _campaign_path(campaign_id, "geo-targeting"), {"items": _rows(items)},
                          replayable=True)

    async def append_geo_circles(self, campaign_id: int, items: Iterable[Mapping[str, Any]]) -> None:
        """PATCH api/campaigns/{id}/geo-targeting {"items": [...]}. Never repeated blindly: the platform
        keeps a circle sent twice twice."""
        await self._write("PATCH", _campaign_path(campaign_id, "geo-targeting"), {"items": _rows(items)},
                          replayable=False)

    async def delete_geo_circles(self, campaign_id: int) -> None:
        """DELETE api/campaigns/{id}/geo-targeting: removes all of the campaign's GPS targeting (5.4
        documents no way to pick circles; to keep some, replace the list instead)."""
        await self._write("DELETE", _campaign_path(campaign_id, "geo-targeting"), dict(_GEO_DELETE_BODY),
                          replayable=True)

    async def get_geo_zips(self, campaign_id: int) -> list[GeoZip]:
        """Every page of GET api/campaigns/{id}/geo-targeting-zip-code."""
        return await self._every_page(_campaign_path(campaign_id, "geo-targeting-zip-code"), GeoZip,
                                      _SUBLIST_PER_PAGE)

    async def replace_geo_zips(self, campaign_id: int, items: Iterable[Mapping[str, Any]]) -> None:
        """POST api/campaigns/{id}/geo-targeting-zip-code {"items": [{lat, lng, zip, iso2, include}]}."""
        await self._write("POST", _campaign_path(campaign_id, "geo-targeting-zip-code"), {"items": _rows(items)},
                          replayable=True)

    async def append_geo_zips(self, campaign_id: int, items: Iterable[Mapping[str, Any]]) -> None:
        """PATCH api/campaigns/{id}/geo-targeting-zip-code {"items": [...]}. Never repeated blindly."""
        await self._write("PATCH", _campaign_path(campaign_id, "geo-targeting-zip-code"), {"items": _rows(items)},
                          replayable=False)

    async def delete_geo_zips(self, campaign_id: int) -> None:
        """DELETE api/campaigns/{id}/geo-targeting-zip-code: removes all of the campaign's ZIP targeting
        (6.4, as 5.4)."""
        await self._write("DELETE", _campaign_path(campaign_id, "geo-targeting-zip-code"), dict(_GEO_DELETE_BODY),
                          replayable=True)

    # -- deals (8) ------------------------------------------------------------------------------

    async def get_deals(self, campaign_id: int) -> list[Deal]:
        """GET api/campaigns/{id}/deals-all (8.2): every deal of the campaign in one answer."""
        return self._many_of(await self._call("GET", _campaign_path(campaign_id, "deals-all")), Deal)

    async def replace_deals(self, campaign_id: int, deals: Iterable[Mapping[str, Any]]) -> None:
        """POST api/campaigns/{id}/deals {"deals": [{dealId, bidPrice}]}. Every replace gives the deals
        new record ids (`Deal.id`)."""
        await self._write("POST", _campaign_path(campaign_id, "deals"), {"deals": _rows(deals)}, replayable=True)

    async def delete_deals(self, campaign_id: int, record_ids: Iterable[int]) -> None:
        """DELETE api/campaigns/{id}/deals {"deals": [{"id": record id}]}: by `Deal.id`, not `dealId`."""
        body = {"deals": [{"id": record_id} for record_id in _ids(record_ids)]}
        await self._write("DELETE", _campaign_path(campaign_id, "deals"), body, replayable=True)

    # -- filter lists (20) ----------------------------------------------------------------------

    async def list_filter_lists(self, page: int = 1, per_page: int = 100) -> Page[FilterList]:
        """One page of GET api/filterlist (without items: see `FilterList`)."""
        return await self._page(_FILTER_LISTS_PATH, FilterList, page, per_page)

    async def iter_filter_lists(self, per_page: int = 100) -> AsyncIterator[FilterList]:
        """Every filter list, page after page."""
        async for filter_list in self._each(_FILTER_LISTS_PATH, FilterList, per_page):
            yield filter_list

    async def get_filter_list(self, list_id: int) -> FilterList:
        """GET api/filterlist/{id}, items included."""
        return self._one_of(await self._call("GET", f"{_FILTER_LISTS_PATH}/{int(list_id)}"), FilterList)

    async def create_filter_list(self, payload: Mapping[str, Any]) -> FilterList:
        """POST api/filterlist {title, type, isInclude, items | fileName}. Never repeated blindly."""
        return self._one_of(await self._call("POST", _FILTER_LISTS_PATH, json=dict(payload)), FilterList)

    async def replace_filter_list(self, list_id: int, payload: Mapping[str, Any]) -> FilterList:
        """PUT api/filterlist/{id} {title, isInclude, items | fileName} (20.4: headed PATCH, sent as
        PUT): the items sent replace the list's items."""
        return self._one_of(await self._call("PUT", f"{_FILTER_LISTS_PATH}/{int(list_id)}", json=dict(payload)),
                            FilterList)

    async def delete_filter_list(self, list_id: int) -> None:
        """DELETE api/filterlist/{id}. A 404 (already gone) raises ApiError with status_code 404."""
        self._read(await self._call("DELETE", f"{_FILTER_LISTS_PATH}/{int(list_id)}"))

    # -- filter lists of a campaign (21) --------------------------------------------------------

    async def get_campaign_filter_lists(self, campaign_id: int) -> list[int]:
        """The ids of the filter lists assigned to the campaign: every page of GET
        api/campaigns/{id}/filterlists, whose entries nest each list under `filterList`."""
        found = await self._every_page(_campaign_path(campaign_id, "filterlists"), AssignedFilterList,
                                       _SUBLIST_PER_PAGE)
        return [entry.filterList.id for entry in found]

    async def replace_campaign_filter_lists(self, campaign_id: int, list_ids: Iterable[int]) -> None:
        """POST api/campaigns/{id}/filterlists {"items": [{"id": ...}]}: the assigned lists become these."""
        body = {"items": [{"id": list_id} for list_id in _ids(list_ids)]}
        await self._write("POST", _campaign_path(campaign_id, "filterlists"), body, replayable=True)

    async def remove_campaign_filter_lists(self, campaign_id: int, list_ids: Iterable[int]) -> None:
        """DELETE api/campaigns/{id}/filterlists {"ids": [...]}: unassigns these (the lists stay)."""
        await self._write("DELETE", _campaign_path(campaign_id, "filterlists"), {"ids": _ids(list_ids)},
                          replayable=True)

    # -- shared ---------------------------------------------------------------------------------

    async def _write(self, method: str, path: str, body: dict[str, Any], *, replayable: bool) -> None:
        """A change whose answer is only a message ("Replaced.", "Appended.", "Deleted.").

        An answer that cannot be read after a call that must not be repeated is reported as
        possibly done (`TransportError.maybe_sent`), so that nobody appends twice on its account.
        """
        response = await self._call(method, path, json=body, replayable=replayable)
        self._read(response, maybe_done=not replayable or None)


def _campaign_path(campaign_id: int, sub: str) -> str:
    return f"{_CAMPAIGNS_PATH}/{int(campaign_id)}/{sub}"


def _ids(ids: Iterable[int]) -> list[int]:
    return [int(i) for i in ids]


def _rows(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [dict(item) for item in items]
