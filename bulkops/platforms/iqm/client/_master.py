"""The IQM client's master data reads, from IQM's Master API guide (repository iqmcorp/docs,
`docs/Guidelines/Master-API-Guidelines.mdx`), each in the fewest requests the guide allows:

- `POST /api/v3/master/segment/country` ("Get Country Segment") and `POST .../segment/state` ("Get
  State segment", filtered by `parentSegmentIds`, the countries' IDs): JSON bodies `pageNo`,
  `noOfEntries`, `sortBy`; v3 envelope `data.data`.
- `POST /api/v3/master/segment/device-type` ("Get Device Type"): the same.
- `GET /api/v2/master/segment/device-os` ("Get Device OS for targeting"): query `pageNo`,
  `noOfEntries`, `sortBy`; v2 envelope `responseObject.data`.
- `GET /api/v3/master/exchanges` ("Get Exchanges"): query `pageNo`, `noOfEntries`, `sortBy`.
- `GET /api/countries/{country_id}/carriers` ("Get Carriers and States by Country ID"): one country's
  carriers, a bare array, not paged.
- time zones: `ListRoutes.time_zones`.

The guide gives defaults (300 rows a page, 20 for the GET lists) and no maximum; pages are of 1,000
rows, the quick start's "maximum data size per page", so the countries, the states of a few
countries, the device types, operating systems and exchanges are one request each. Lists are read in
ascending ID order and paged as the other lists (`_every_page`: until a short page). The POST routes
only read, so they are retried like a GET.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import pydantic

from bulkops._exceptions import TransportError
from bulkops.platforms.iqm.client._lists import PAGE_SIZE, _every_page
from bulkops.platforms.iqm.client._models import Carrier, MasterEntry

_COUNTRY_PATH = "/api/v3/master/segment/country"
_STATE_PATH = "/api/v3/master/segment/state"
_DEVICE_TYPE_PATH = "/api/v3/master/segment/device-type"
_OS_PATH = "/api/v2/master/segment/device-os"
_EXCHANGES_PATH = "/api/v3/master/exchanges"
_CARRIERS_PATH = "/api/countries/{country_id}/carriers"


class MasterRoutes:
    """Mixed into IQMClient: needs its `_call`, `_read`, `_payload` and `_unusable`."""

    _call: Any
    _read: Any
    _payload: Any
    _unusable: Any

    async def countries(self) -> list[MasterEntry]:
        """Every country (`id`, `name`, `abbreviation`: its ISO alpha-2 code)."""
        return [row async for row in self._segments(_COUNTRY_PATH, {})]

    async def states(self, country_ids: Iterable[int] | None = None) -> list[MasterEntry]:
        """The states of these countries (`parentId`), or of every country when None."""
        body: dict[str, Any] = {}
        if country_ids is not None:
            body["parentSegmentIds"] = sorted({int(i) for i in country_ids})
            if not body["parentSegmentIds"]:
                return []
        return [row async for row in self._segments(_STATE_PATH, body)]

    async def device_types(self) -> list[MasterEntry]:
        return [row async for row in self._segments(_DEVICE_TYPE_PATH, {})]

    async def operating_systems(self) -> list[MasterEntry]:
        """The operating system segments (`GET /api/v2/master/segment/device-os`)."""

        async def page_of(page: int) -> list[MasterEntry]:
            params = {"pageNo": page, "noOfEntries": PAGE_SIZE, "sortBy": "+id"}
            return self._entries(await self._call("GET", _OS_PATH, params=params), MasterEntry)

        return [row async for row in _every_page(page_of, lambda e: e.id, PAGE_SIZE, _nothing)]

    async def exchanges(self) -> list[MasterEntry]:
        async def page_of(page: int) -> list[MasterEntry]:
            params = {"pageNo": page, "noOfEntries": PAGE_SIZE, "sortBy": "+id"}
            return self._entries(await self._call("GET", _EXCHANGES_PATH, params=params), MasterEntry)

        return [row async for row in _every_page(page_of, lambda e: e.id, PAGE_SIZE, _nothing)]

    async def carriers(self, country_id: int) -> list[Carrier]:
        """One country's carriers (by its ID in the country list)."""
        response = await self._call("GET", _CARRIERS_PATH.format(country_id=int(country_id)))
        body = self._read(response)
        try:
            return [Carrier.model_validate(row) for row in body]
        except (TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc) from None

    # -- paging ---------------------------------------------------------------------------------

    def _segments(self, path: str, filters: dict[str, Any]) -> AsyncIterator[MasterEntry]:
        async def page_of(page: int) -> list[MasterEntry]:
            body = {"pageNo": page, "noOfEntries": PAGE_SIZE, "sortBy": "+id", **filters}
            response = await self._call("POST", path, json=body, replayable=True)
            return self._entries(response, MasterEntry, maybe_done=False)

        return _every_page(page_of, lambda e: e.id, PAGE_SIZE, _nothing)

    def _entries(self, response: Any, model: type[MasterEntry], *, maybe_done: bool | None = None
                 ) -> list[MasterEntry]:
        """The rows of a list answer (`data.data` in v3, `responseObject.data` in v2)."""
        try:
            payload = self._payload(response)
        except TransportError:  # said of a POST that may have created something; these only read
            raise self._unusable(response, ValueError("the body is not an envelope"), maybe_done=False) from None
        try:
            rows = payload["data"] if isinstance(payload, dict) else payload
            return [model.model_validate(row) for row in rows]
        except (KeyError, TypeError, pydantic.ValidationError) as exc:
            raise self._unusable(response, exc, maybe_done=maybe_done) from None


def _nothing(count: int) -> None:
    return None
