"""The IQM client's list and read routes, from IQM's public guides (the quick start has none):

- `GET /api/v2/cmp/campaigns/list?pgno=&no_of_entries=&order=&status=&search_field=` (campaign guide,
  "Get List of Campaigns with Basic Details"): rows and counts at the top level of the answer.
- `POST /api/v3/crt/creatives/list` (creative guide, "Get List of Creatives and Details"): JSON body
  `pageNo`, `noOfEntries`, `sortBy`, `searchField`, `creativeIds`, `campaignIds`; v3 envelope with
  `data.filteredList`.
- `GET /api/v3/crt/creatives/{id}` (creative guide, "Creative Details by ID").
- `GET /api/v3/master/timezones` (master data guide, "Get Time Zones").

Choices where the guides are silent: pages of 1,000 rows (the quick start's "maximum data size per
page"); lists are read in ascending id order so that a campaign created meanwhile cannot shift a row
onto a page already read; paging stops at the first short (or empty) page, or at a page that brings no
row not seen before (a server ignoring the page number), never on the counts, whose meaning the guides
do not pin down. The creative list is a POST but only reads, so it is retried like a GET.
Name lookups (`find_campaigns`, `find_creatives`) search by the name and keep exact matches only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, TypeVar

import pydantic

from bulkops._exceptions import TransportError
from bulkops.platforms.iqm.client._models import CampaignPage, CampaignSummary, Creative, CreativePage, TimeZone

PAGE_SIZE = 1000  # "The maximum data size per page is 1K rows."
_CAMPAIGN_LIST_PATH = "/api/v2/cmp/campaigns/list"
_CREATIVE_LIST_PATH = "/api/v3/crt/creatives/list"
_CREATIVE_PATH = "/api/v3/crt/creatives"
_TIMEZONES_PATH = "/api/v3/master/timezones"

OnRequest = Callable[[int], None]
T = TypeVar("T")


def _nothing(count: int) -> None:
    return None


async def _every_page(page_of: Callable[[int], Awaitable[list[T]]], id_of: Callable[[T], int], per_page: int,
                      on_request: OnRequest) -> AsyncIterator[T]:
    """Every row of a paged list, page after page, each once; stops at a short page or at a page that
    brings no row not seen before (a server ignoring the page number), never on the counts."""
    seen: set[int] = set()
    page = 1
    while True:
        rows = await page_of(page)
        on_request(1)
        fresh = [row for row in rows if id_of(row) not in seen]
        for row in fresh:
            seen.add(id_of(row))
            yield row
        if len(rows) < per_page or not fresh:
            return
        page += 1


class ListRoutes:
    """Mixed into IQMClient: needs its `_call`, `_read`, `_payload` and `_unusable`."""

    _call: Any
    _read: Any
    _payload: Any
    _unusable: Any
    _time_zones: list[TimeZone] | None = None

    # -- campaigns ------------------------------------------------------------------------------

    async def list_campaigns(self, *, page: int = 1, per_page: int = PAGE_SIZE, status: Iterable[str] | None = None,
                             search: str | None = None) -> CampaignPage:
        """One page of `GET /api/v2/cmp/campaigns/list`, oldest first."""
        params: dict[str, Any] = {"pgno": page, "no_of_entries": per_page, "order": "asc"}
        if status is not None:
            params["status"] = ",".join(status)
        if search:
            params["search_field"] = search
        response = await self._call("GET", _CAMPAIGN_LIST_PATH, params=params)
        body = self._read(response)
        try:
            items = [CampaignSummary.model_validate(row) for row in body["data"]]
        except (KeyError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None
        return CampaignPage(items=items, page=page, page_size=per_page, total=_count(body, "recordsTotal"),
                            filtered=_count(body, "recordsFiltered"))

    async def iter_campaigns(self, *, status: Iterable[str] | None = None, search: str | None = None,
                             per_page: int = PAGE_SIZE, on_request: OnRequest = _nothing
                             ) -> AsyncIterator[CampaignSummary]:
        """Every campaign of the list, page after page; `on_request(1)` after each request."""
        status = list(status) if status is not None else None

        async def page_of(page: int) -> list[CampaignSummary]:
            return (await self.list_campaigns(page=page, per_page=per_page, status=status, search=search)).items

        async for campaign in _every_page(page_of, lambda c: c.id, per_page, on_request):
            yield campaign

    async def find_campaigns(self, name: str) -> list[CampaignSummary]:
        """The campaigns named exactly `name` (a search, every page), for reconciling a lost create."""
        return [c async for c in self.iter_campaigns(search=name) if c.name == name]

    # -- creatives ------------------------------------------------------------------------------

    async def list_creatives(self, *, page: int = 1, per_page: int = PAGE_SIZE,
                             creative_ids: Iterable[int] | None = None, campaign_ids: Iterable[int] | None = None,
                             search: str | None = None) -> CreativePage:
        """One page of `POST /api/v3/crt/creatives/list`, oldest first."""
        body: dict[str, Any] = {"pageNo": page, "noOfEntries": per_page, "sortBy": "+creativeId"}
        if creative_ids is not None:
            body["creativeIds"] = [int(i) for i in creative_ids]
        if campaign_ids is not None:
            body["campaignIds"] = [int(i) for i in campaign_ids]
        if search:
            body["searchField"] = search
        response = await self._call("POST", _CREATIVE_LIST_PATH, json=body, replayable=True)
        try:
            data = self._payload(response)
        except TransportError:  # said of a POST that may have created something; this one only reads
            raise self._unusable(response, ValueError("the body is not an envelope"), maybe_done=False) from None
        try:
            items = [Creative.model_validate(row) for row in data["filteredList"]]
        except (KeyError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc, maybe_done=False) from None
        return CreativePage(items=items, page=page, page_size=per_page, total=_count(data, "totalRecords"),
                            filtered=_count(data, "filteredRecords"))

    async def iter_creatives(self, *, creative_ids: Iterable[int] | None = None,
                             campaign_ids: Iterable[int] | None = None, search: str | None = None,
                             per_page: int = PAGE_SIZE, on_request: OnRequest = _nothing) -> AsyncIterator[Creative]:
        """Every creative of the list (filtered as asked), page after page; `on_request(1)` after each."""
        creative_ids = list(creative_ids) if creative_ids is not None else None
        campaign_ids = list(campaign_ids) if campaign_ids is not None else None

        async def page_of(page: int) -> list[Creative]:
            found = await self.list_creatives(page=page, per_page=per_page, creative_ids=creative_ids,
                                              campaign_ids=campaign_ids, search=search)
            return found.items

        async for creative in _every_page(page_of, lambda c: c.creativeId, per_page, on_request):
            yield creative

    async def get_creative(self, creative_id: int) -> Creative:
        """GET /api/v3/crt/creatives/{id}, its `imageDetails` (pixel URL, width, height) flattened."""
        response = await self._call("GET", f"{_CREATIVE_PATH}/{int(creative_id)}")
        data = self._payload(response)
        try:
            details = data.get("imageDetails") or {}
            flat = {"pixelUrl": details.get("pixelUrl"), "creativeWidth": details.get("creativeWidth"),
                    "creativeHeight": details.get("creativeHeight")}
            return Creative.model_validate({**{k: v for k, v in flat.items() if v is not None}, **data})
        except (AttributeError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    async def find_creatives(self, name: str) -> list[Creative]:
        """The creatives named exactly `name` (a search, every page)."""
        return [c async for c in self.iter_creatives(search=name) if c.creativeName == name]

    # -- master data ----------------------------------------------------------------------------

    async def time_zones(self) -> list[TimeZone]:
        """GET /api/v3/master/timezones, asked once per client."""
        if self._time_zones is None:
            response = await self._call("GET", _TIMEZONES_PATH)
            data = self._payload(response)
            try:
                rows = data["data"] if isinstance(data, dict) else data
                self._time_zones = [TimeZone.model_validate(row) for row in rows]
            except (KeyError, TypeError, pydantic.ValidationError) as exc:
                raise self._unusable(response, exc) from None
        return list(self._time_zones)


def _count(body: Any, key: str) -> int | None:
    value = body.get(key) if isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None

