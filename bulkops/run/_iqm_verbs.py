"""IQM's verbs for the run: upload creatives, read their review, create and read campaigns.

Everything platform-shaped lives here: how a tag travels as a file, which statuses count as
approved, how a campaign's targeting items fold into its own fields, and how a live campaign is
compared with a row.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.kinds._iqm_campaigns import ID_STRING_FIELDS

# IQM's statuses (its creative status list: pending, running, paused, rejected, deleted). A creative
# a campaign may use has passed review: running, or paused after running.
APPROVED = frozenset({"running", "paused", "approved", "active"})
REFUSED = frozenset({"rejected", "deleted"})
_TAG_SUFFIX = {"html": ".html", "vast": ".xml", "daast": ".xml"}
_TAG_TYPE = {".html": "text/html", ".xml": "application/xml"}
DEFAULT_APPROVAL_TIMEOUT_S = 900.0
FIRST_POLL_S, LONGEST_POLL_S = 2.0, 30.0


@dataclass(frozen=True)
class Review:
    """Where a creative stands after the run's polling."""

    status: str  # approved / rejected / pending / missing
    reason: str = ""


class IqmVerbs:
    """The run's view of an `IQMClient`."""

    def __init__(self, client: Any, *, approval_timeout_s: float = DEFAULT_APPROVAL_TIMEOUT_S,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.approval_timeout_s = approval_timeout_s
        self._sleep = sleep
        self._clock = clock
        self._type_ids: dict[str, int] | None = None
        self.reviews: dict[int, Review] = {}  # what the run's polling learnt, for the campaigns to read
        self.created_status: dict[int, str] = {}  # campaign ID → the status its create's answer gave

    # -- creatives ------------------------------------------------------------------------------

    async def upload(self, payloads: Sequence[Mapping[str, Any]]) -> list[int]:
        """One request for all these creatives; their new IDs in the same order."""
        files, metadata = [], {}
        for number, payload in enumerate(payloads):
            name, content, content_type = _file_of(payload)
            name = f"{number + 1}-{name}"  # unique within the request, whatever the workbook's names
            files.append((name, content, content_type))
            metadata[name] = {k: payload[k] for k in ("creativeName", "clickUrl", "pixelUrl", "width", "height")
                              if payload.get(k) is not None}
        uploaded = await self.client.upload_creatives(files, metadata)
        if len(uploaded.ids) != len(files):
            raise PlatformError(f"IQM answered {len(uploaded.ids)} creative IDs for {len(files)} files; the IDs "
                                "cannot be matched to rows")
        return list(uploaded.ids)

    async def review(self, creative_ids: Iterable[int], on_request: Callable[[int], None] = lambda n: None,
                     stopping: Callable[[], bool] = lambda: False) -> dict[int, Review]:
        """Poll `creativeIds=...` (in batches) until every creative is approved or refused, the
        approval timeout passes or the run is `stopping` (Ctrl-C); waits grow from 2 s to 30 s so
        short reviews cost little."""
        ids = list(dict.fromkeys(creative_ids))
        reviews: dict[int, Review] = {}
        deadline = self._clock() + self.approval_timeout_s
        wait = FIRST_POLL_S
        while True:
            pending = [i for i in ids if i not in reviews or reviews[i].status == "pending"]
            if not pending:
                break
            batches = -(-len(pending) // max(1, self.client.status_batch_size))
            found = {d.creativeId: d for d in await self.client.creative_statuses(pending)}
            on_request(batches)
            for creative_id in pending:
                reviews[creative_id] = _review_of(found.get(creative_id))
            if all(reviews[i].status != "pending" for i in pending) or self._clock() >= deadline or stopping():
                break
            await self._sleep(min(wait, max(0.0, deadline - self._clock())))
            wait = min(wait * 2, LONGEST_POLL_S)
        self.reviews.update(reviews)
        return reviews

    # -- campaigns ------------------------------------------------------------------------------

    async def creative_type_id(self, name: str) -> int:
        if self._type_ids is None:
            types = await self.client.creative_types()
            self._type_ids = {}
            for entry in types:
                for word in (entry.keyName, entry.label):
                    if word:
                        self._type_ids.setdefault(word.casefold(), entry.id)
        if name.casefold() not in self._type_ids:
            raise PlatformError(f"IQM's creative types (GET /api/v3/master/creativeTypes) have no {name!r}")
        return self._type_ids[name.casefold()]

    async def create(self, payload: dict) -> int:
        created = await self.client.create_campaign(payload)
        if created.status:  # the create's answer says where it stands: no read back needed
            self.created_status[created.id] = created.status
        return created.id

    async def find(self, natural_key: str, newer_than: float = 0.0) -> list[int]:
        """Campaigns named `natural_key`, searched now (every search is fresh, so `newer_than` holds)."""
        return [c.id for c in await self.client.find_campaigns(natural_key)]

    async def find_creatives(self, name: str) -> list[int]:
        """Creatives named `name`, searched now, for an upload whose answer was lost."""
        return [c.creativeId for c in await self.client.find_creatives(name)]

    async def campaign(self, campaign_id: int) -> Mapping[str, Any]:
        return (await self.client.get_campaign(campaign_id)).model_dump()


def _file_of(payload: Mapping[str, Any]) -> tuple[str, bytes, str | None]:
    if payload.get("file"):
        path = Path(payload["file"])
        return path.name, path.read_bytes(), None
    suffix = _TAG_SUFFIX[payload["format"]]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", payload["creativeName"]).strip("-")[:80] or "creative"
    return stem + suffix, payload["tag"].encode("utf-8"), _TAG_TYPE[suffix]


def _review_of(details: Any) -> Review:
    if details is None:
        return Review("missing", "IQM does not know this creative in this workspace")
    status = (details.status or "").casefold()
    if status in APPROVED:
        return Review("approved")
    if status in REFUSED:
        reason = details.rejectionReason or details.remarks or f"IQM says it is {status}"
        return Review("rejected", reason)
    return Review("pending", status or "pending")


# -- folding and comparing ------------------------------------------------------------------------

GEO_FIELDS = frozenset({"whiteListedGeoRadiusDetails", "blackListedGeoRadiusDetails"})


def fold(items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Targeting items ({"field", "value"}) as campaign fields: comma-separated strings, circles as
    a JSON array; each value once, in the order given."""
    by_field: dict[str, list[Any]] = {}
    for item in items:
        values = by_field.setdefault(item["field"], [])
        if item["value"] not in values:
            values.append(item["value"])
    return {field: json.dumps(values) if field in GEO_FIELDS else ",".join(map(str, values))
            for field, values in by_field.items()}


def differences(wanted: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """The fields of a row that the live campaign does not have as asked, as "field: live → wanted".
    Fields IQM's answer does not show cannot be compared and are left out."""
    return [f"{field}: {_shown(live.get(field))} → {_shown(value)}" for field, value in wanted.items()
            if field in live and _comparable(field, value) != _comparable(field, live[field])]


def holds(live: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    """Does the live campaign already have this targeting item?"""
    field = item["field"]
    have = _comparable(field, live.get(field)) or []
    return set(_comparable(field, fold([item])[field]) or []) <= set(have)


def _comparable(field: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if field in GEO_FIELDS:
        circles = json.loads(value) if isinstance(value, str) else value
        return sorted(json.dumps({k: c.get(k) for k in ("latitude", "longitude", "radius")}, sort_keys=True)
                      for c in circles)
    if _is_list(field):  # comma-separated lists compare as sets (IQM may answer one ID as a number)
        return sorted({part.strip() for part in str(value).split(",") if part.strip()})
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _is_list(field: str) -> bool:
    return field in ID_STRING_FIELDS or field.startswith(("whiteListed", "blackListed")) or field in (
        "userDealId", "groupDealId", "creativeIds")


def _shown(value: Any) -> str:
    text = "(none)" if value is None or value == "" else (json.dumps(value) if isinstance(value, dict | list)
                                                           else str(value))
    return text if len(text) <= 60 else text[:57] + "…"
