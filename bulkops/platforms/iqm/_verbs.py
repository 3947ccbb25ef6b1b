"""IQM's verbs for the run: add creatives, read their review, create, read, update and list campaigns.

Everything platform-shaped lives here: how a row becomes one of the creative guide's creatives,
which statuses count as approved, how a campaign's targeting items fold into its own fields, and how
a live campaign is compared with a row.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import Finder
from bulkops.platforms.iqm.client import NewCreative
from bulkops.platforms.iqm.kinds import CREATIVE_TYPE_OF, ID_STRING_FIELDS

# IQM's statuses (its creative status list: pending, running, paused, rejected, deleted). A creative
# a campaign may use has passed review: running, or paused after running.
APPROVED = frozenset({"running", "paused", "approved", "active"})
REFUSED = frozenset({"rejected", "deleted"})
# Each format's source type on the creative guide's route (files for the file formats).
_SOURCE_TYPE = {"image": "FILE", "video": "FILE", "audio": "FILE", "html": "HTML", "vast": "VAST_XML",
                "daast": "DAAST_XML"}
DEFAULT_APPROVAL_TIMEOUT_S = 900.0
FIRST_POLL_S, LONGEST_POLL_S = 2.0, 30.0


@dataclass(frozen=True)
class Uploaded:
    """What became of one creative of an upload: its new ID, or IQM's reason for refusing it."""

    id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Review:
    """Where a creative stands after the run's polling."""

    status: str  # approved / rejected / pending / missing
    reason: str = ""


class IqmVerbs(Finder):
    """The run's view of an `IQMClient`. Its campaigns' `create`, `update` and `find` are what the
    engine's `run_one` sends (IQM cannot delete a campaign); every search is fresh, so it keeps no
    watermark of its own (`Finder.highest_listed`)."""

    def __init__(self, client: Any, *, approval_timeout_s: float = DEFAULT_APPROVAL_TIMEOUT_S,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.approval_timeout_s = approval_timeout_s
        self._sleep = sleep
        self._clock = clock
        self._type_ids: dict[str, int] | None = None
        self.reviews: dict[int, Review] = {}  # what the run's polling learnt, for the campaigns to read
        self.details: dict[int, Any] = {}  # creative ID → its details as the polling last read them
        self.created_status: dict[int, str] = {}  # campaign ID → the status its create's answer gave
        self.written: dict[int, Any] = {}  # campaign ID → what the run wrote, to read back (`_iqm_verify`)
        self.batched: dict[tuple, list[Any]] = {}  # (route, values) → campaigns changed the same way
        # Campaign ID → the campaign as read before the run (`_iqm_live`), or why it could not be read:
        # its update step reads it no more.
        self.held: dict[int, Mapping[str, Any] | PlatformError] = {}

    # -- creatives ------------------------------------------------------------------------------

    async def upload(self, payloads: Sequence[Mapping[str, Any]]) -> list[Uploaded]:
        """One request for all these creatives (the creative guide's route, every type); what became
        of each, in the same order."""
        added = await self.client.add_creatives([_new_creative(p) for p in payloads])
        if len(added) != len(payloads):
            raise PlatformError(f"IQM answered for {len(added)} creatives of {len(payloads)}; the answers cannot be "
                                "matched to rows")
        return [Uploaded(a.id, a.error) for a in added]

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
            self.details.update(found)
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

    async def time_zone_id(self, name: str) -> int:
        """IQM's ID of a time zone named as Time Zone Name names it (`GET /api/v3/master/timezones`, read
        once per client)."""
        zones = {z.name.casefold(): z.id for z in await self.client.time_zones() if z.name}
        if name.casefold() not in zones:
            raise PlatformError(f"IQM's time zones (GET /api/v3/master/timezones) have no {name!r}: fill Time Zone ID "
                                "with IQM's ID of the campaign's time zone")
        return zones[name.casefold()]

    def type_names(self) -> dict[int, str]:
        """IQM's creative type IDs read so far, by name (for messages)."""
        return {type_id: name for name, type_id in reversed(list((self._type_ids or {}).items()))}

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
        return (await self.client.get_campaign(campaign_id)).model_dump(exclude_unset=True)

    async def update(self, campaign_id: int, fields: Mapping[str, Any]) -> str | None:
        """The campaign guide's Update Campaign with these fields (a `status` among them pauses or
        resumes the campaign in the same request); the status IQM answers."""
        if "status" not in fields:
            return await self.client.update_campaign(campaign_id, fields)
        rest = {k: v for k, v in fields.items() if k != "status"}
        return await self.client.update_campaign(campaign_id, rest, status=fields["status"])

    async def update_budgets(self, campaign_ids: Sequence[int], values: Mapping[str, Any]) -> Any:
        return await self.client.update_budgets(campaign_ids, daily_budget=values.get("budgetDay"),
                                                total_budget=values.get("budgetTotal"), max_bid=values.get("maxBid"))

    async def update_end_dates(self, campaign_ids: Sequence[int], end_time: int) -> None:
        await self.client.update_end_dates(campaign_ids, end_time)

    async def listed(self, campaign_ids: Sequence[int]) -> dict[int, Any]:
        """The campaign list's rows of these campaigns, by ID (those IQM does not list are left out)."""
        return {row.id: row for row in await self.client.listed_campaigns(campaign_ids)}


def _new_creative(payload: Mapping[str, Any]) -> NewCreative:
    """A Creatives row's payload as one creative of the creative guide's route: a file format with its
    file, HTML with its markup, VAST and DAAST with their document."""
    form = payload["format"]
    path = Path(payload["file"]) if payload.get("file") else None
    return NewCreative(name=payload["creativeName"], creative_type=CREATIVE_TYPE_OF[form],
                       source_type=_SOURCE_TYPE[form], source=payload.get("tag"),
                       file=(path.name, path.read_bytes(), None) if path is not None else None,
                       click_url=payload.get("clickUrl"), pixel_url=payload.get("pixelUrl"),
                       width=payload.get("width"), height=payload.get("height"))


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


def holds(live: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    """Does the live campaign already have this targeting item?"""
    field = item["field"]
    have = comparable(field, live.get(field)) or []
    return set(comparable(field, fold([item])[field]) or []) <= set(have)


def comparable(field: str, value: Any) -> Any:
    """A campaign field's value in a form that compares equal however IQM writes it."""
    if value is None or value == "" or value == []:
        return None
    if field in GEO_FIELDS:
        circles = json.loads(value) if isinstance(value, str) else value
        return sorted(json.dumps({k: c.get(k) for k in ("latitude", "longitude", "radius")}, sort_keys=True)
                      for c in circles)
    if _is_list(field):  # comma-separated lists compare as sets (IQM may answer one ID as a number)
        return sorted({part.strip() for part in str(value).split(",") if part.strip()})
    if isinstance(value, list):  # an array of IDs (prebid segments) is a set too
        return sorted(str(v) for v in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _is_list(field: str) -> bool:
    return field in ID_STRING_FIELDS or field.startswith(("whiteListed", "blackListed")) or field in (
        "userDealId", "groupDealId", "creativeIds")
