"""IQM's account read back as rows of the IQM kinds (export).

Requests: the campaign list (`GET /api/v2/cmp/campaigns/list`, 1,000 a page, every page; skipped
when `campaign_ids` names the campaigns), then each campaign's details (`GET /api/v2/cmp/campaign/{id}`,
which carry its targeting), IQM's creative types and time zones once (for the Creative Type and Time
Zone Name cells), and the creative list (`POST /api/v3/crt/creatives/list`, every page, filtered by
campaign when `campaign_ids` is given). `progress(1)` after each.

Rows are `{Column.field: value}` with the values the coercer yields (str, int, float, bool, naive
datetime, list[str]); a blank cell is a missing key. IQM folds targeting into the campaign, so it is
unfolded back: `white/blackListedZipcodes` → Geo ZIP rows, `…GeoRadiusDetails` → Geo GPS rows,
`userDealId`/`groupDealId` → Deals rows, the IP/domain/app/package/device/inventory-group lists →
Filter Lists rows, each naming its campaign by Ref; `include` is False for a block list.

Decisions:
- Refs are `campaign-<id>` and `creative-<id>`: stable across exports, unique in the job.
- Times are written in the campaign's time zone, named from IQM's time zone list; a zone IQM does not
  name (or that is not an IANA name) is written as UTC, so the moment is kept either way. Epoch values
  of 10^11 and more are taken as milliseconds (the campaign guide says milliseconds, its samples seconds).
- A creative is named in a Creatives row's Campaigns (by the campaign's Ref when the campaign is
  exported, else by its ID); the campaign's own Creative IDs cell lists only creatives that are not rows
  of the export, so each assignment is written once. An export of some campaigns names only those in
  its Creatives rows: a creative's other campaigns are not in the export, and naming them would make a
  push of it replace their creatives with the few the export holds.
- Not exported: deleted campaigns (nor a creative's link to one) and creatives, and creatives the IQM
  Creatives sheet cannot describe (native, or an unknown type), which are logged. `Agreement Checked` is
  TRUE (IQM keeps no such field, and a campaign exists only with it checked); `conversionType` "None"
  is a blank cell.
- A circle in another unit than miles is converted to miles (a kilometre is 1/1.609344 mile).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bulkops._exceptions import ApiError, InputError
from bulkops.kinds import ColType, Column, Kind, Role
from bulkops.platforms.iqm.kinds import CAMPAIGNS, CREATIVE_TYPES, DAYS, FILTER_TYPES
from bulkops.registry import MEDIA_URLS, RAW_OBJECT

if TYPE_CHECKING:
    from bulkops.platforms.iqm.client import IQMClient

log = logging.getLogger("bulkops.exporter")

CAMPAIGN_KINDS = frozenset({"campaigns", "geo-zip", "geo-gps", "deals", "filter-lists"})
DELETED = "deleted"
_DELETED_CREATIVE = 4  # the creative guide's status list
_MS_FROM = 10**11
_KM_PER_MILE = 1.609344
# The campaign fields that hold targeting, which the run folds in and the export unfolds.
_ZIP, _CIRCLES, _DEALS = "Zipcodes", "GeoRadiusDetails", ("userDealId", "groupDealId")

Row = dict[str, Any]
# What of a campaign as read is no setting the export's Summary must list (`Platform.not_settings`):
# its workspace, owner and audit fields, what IQM works out (spend, the insertion order's name beside its
# ID, the user's access flags, whether its audiences are approved), and the targeting fields the Geo ZIP,
# Geo GPS, Deals and Filter Lists sheets hold. Creatives are not listed: their row reads the creative
# list's fields under other names.
NOT_SETTINGS: dict[str, tuple[str, ...]] = {"campaigns": (
    "owId", "uowId", "parentOrganizationName", "organizationName", "userName", "userEmail", "createDate",
    "modifiedDate", "spent", "ioName", "isEditAccess", "isMarginSet", "isApprovalAccess", "isParentInvoiceTemplateSet",
    "isEstimatorAvailable", "isCampaignFromNewPlatform", "isUnapprovedAudienceTargeted", "isAllAudienceUnapproved",
    *(f"{side}{_ZIP}" for side in ("whiteListed", "blackListed")),
    *(f"{side}{_CIRCLES}" for side in ("whiteListed", "blackListed")), *_DEALS,
    *(f"{side}{spec.noun}" for spec in FILTER_TYPES.values() for side in ("whiteListed", "blackListed")))}


async def read_state(client: IQMClient, kinds: Sequence[Kind], campaign_ids: Sequence[int] | None,
                     progress: Callable[[int], None]) -> dict[str, list[Row]]:
    """The account's objects as rows per kind name (only the kinds asked for, each present, maybe
    empty). `progress(1)` after each request (the client's own login is not counted)."""
    names = {kind.name for kind in kinds}
    state: dict[str, list[Row]] = {name: [] for name in names}
    deleted: set[int] = set()
    campaigns = await _campaigns(client, campaign_ids, progress, deleted) if names & CAMPAIGN_KINDS else []
    exported = {c["id"] for c in campaigns} if "campaigns" in names else set()
    creatives = await _creatives(client, campaign_ids, progress) if "creatives" in names else []
    asked = None if campaign_ids is None else {int(i) for i in campaign_ids}
    if "creatives" in names:
        state["creatives"] = [_creative_row(c, exported, deleted, asked) for c in creatives]
    if "campaigns" in names:
        state["campaigns"] = await _campaign_rows(client, campaigns, {c.creativeId for c in creatives}, progress)
    for campaign in campaigns:
        for name, rows in targeting_rows(campaign).items():
            if name in names:
                state[name] += rows
    return state


# -- reading ------------------------------------------------------------------------------------

async def _campaigns(client: Any, campaign_ids: Sequence[int] | None, progress: Callable[[int], None],
                     deleted: set[int]) -> list[dict[str, Any]]:
    """The campaigns' details; `deleted` learns the deleted campaigns seen on the way."""
    if campaign_ids is None:
        ids = []
        async for summary in client.iter_campaigns(on_request=progress):
            if (summary.status or "") == DELETED:
                deleted.add(summary.id)
            else:
                ids.append(summary.id)
    else:
        ids = list(dict.fromkeys(int(i) for i in campaign_ids))
    found = []
    for campaign_id in ids:
        try:
            details = (await client.get_campaign(campaign_id)).model_dump()
        except ApiError as exc:
            if exc.status_code == 404:
                raise InputError(f"IQM has no campaign {campaign_id} in this workspace") from None
            raise
        finally:
            progress(1)
        if (details.get("status") or "") != DELETED:
            found.append(details)
        else:
            deleted.add(campaign_id)
    return found


async def _creatives(client: Any, campaign_ids: Sequence[int] | None, progress: Callable[[int], None]) -> list[Any]:
    wanted = None if campaign_ids is None else [int(i) for i in campaign_ids]
    found = []
    async for creative in client.iter_creatives(campaign_ids=wanted, on_request=progress):
        if creative.creativeStatusId == _DELETED_CREATIVE:
            continue
        if _format_of(creative) is None:
            log.warning("creative %s (type %s) is not exported: the IQM Creatives sheet has no such format",
                        creative.creativeId, creative.platformCreativeTypeId)
            continue
        found.append(creative)
    return found


# -- creatives ----------------------------------------------------------------------------------

def _format_of(creative: Any) -> str | None:
    """The Creatives sheet's Format of an IQM creative: its type, and for video and audio whether it
    was given as VAST/DAAST XML (`creativeSourceType` vast-xml) or as a file."""
    xml = (creative.creativeSourceType or "").casefold() in ("vast-xml", "vast", "xml")
    return {11: "image", 13: "html", 14: "vast" if xml else "video",
            17: "daast" if xml else "audio"}.get(creative.platformCreativeTypeId)


def _creative_row(creative: Any, exported: set[int], deleted: set[int], asked: set[int] | None) -> Row:
    row: Row = {"ref": creative_ref(creative.creativeId), "id": creative.creativeId,
                "creativeName": creative.creativeName, "format": _format_of(creative),
                "clickUrl": creative.clickUrl, "pixelUrl": creative.pixelUrl,
                "width": creative.creativeWidth, "height": creative.creativeHeight}
    named = [campaign_ref(i) if i in exported else str(i) for i in creative.campaign_ids
             if i not in deleted and (asked is None or i in asked)]
    row["campaigns"] = named or None
    row.update(_source_of(creative))
    return _filled(row)


def _source_of(creative: Any) -> Row:
    """What the creative was made from: the markup or XML it was given (Tag), or where its file is
    (for `export --media`, which saves it and fills File)."""
    source, kind = creative.creativeSource, (creative.creativeSourceType or "").casefold()
    if not source:
        return {}
    if kind == "file":
        return {MEDIA_URLS: {"file": source}} if source.lower().startswith(("http://", "https://")) else {}
    return {"tag": source}


def campaign_ref(campaign_id: int) -> str:
    return f"campaign-{campaign_id}"


def creative_ref(creative_id: int) -> str:
    return f"creative-{creative_id}"


# -- campaigns ----------------------------------------------------------------------------------

async def _campaign_rows(client: Any, campaigns: Sequence[Mapping[str, Any]], creative_rows: set[int],
                         progress: Callable[[int], None]) -> list[Row]:
    if not campaigns:
        return []
    types = await client.creative_types()
    progress(1)
    zones = await client.time_zones()
    progress(1)
    type_names = _type_names(types)
    zone_names = {z.id: z.name for z in zones if z.name}
    return [_campaign_row(c, type_names, zone_names, creative_rows) | {RAW_OBJECT: dict(c)} for c in campaigns]


def _type_names(types: Iterable[Any]) -> dict[int, str]:
    """IQM's creative type id → the Creative Type choice it is (image, html, video, native, audio)."""
    names: dict[int, str] = {}
    for entry in types:
        for word in (entry.keyName, entry.label):
            if word and word.casefold() in CREATIVE_TYPES:
                names.setdefault(entry.id, word.casefold())
    return names


def _zone(zone_id: Any, zone_names: Mapping[int, str]) -> str:
    name = zone_names.get(zone_id) if isinstance(zone_id, int) else None
    try:
        return name if name and ZoneInfo(name) else "UTC"
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"


def campaign_row(live: Mapping[str, Any], zone: str | None = None) -> Row:
    """A campaign's details as its Campaigns row would read them, its times in `zone` (an IANA name;
    UTC without one): what a row is compared with to tell whether IQM holds its value already."""
    return _campaign_row(live, {}, {live.get("timezone"): zone} if zone else {}, set())


def _campaign_row(live: Mapping[str, Any], type_names: Mapping[int, str], zone_names: Mapping[int, str],
                  creative_rows: set[int]) -> Row:
    tz = _zone(live.get("timezone"), zone_names)
    row: Row = {"ref": campaign_ref(live["id"]), "id": live["id"], "tz": tz, "isAgreementChecked": True}
    for column in CAMPAIGNS.columns:
        if column.role is not Role.FIELD or column.field in row or live.get(column.field) is None:
            continue
        row[column.field] = _cell(column, live[column.field], tz)
    row["creativeType"] = type_names.get(live.get("creativeType"), str(live.get("creativeType")))
    others = [i for i in _split(live.get("creativeIds")) if not i.isdigit() or int(i) not in creative_rows]
    row["creativeIds"] = others or None
    return _filled(row)


def _cell(column: Column, value: Any, tz: str) -> Any:
    """A live campaign field as the value its cell would coerce to: IQM's wire forms decoded (epoch
    times, comma-separated IDs, the schedule object, other objects as JSON text), then read by the
    column's cell type, strictly (a value of another shape is blank)."""
    if column.type is ColType.DATETIME:
        seconds = value / 1000 if value >= _MS_FROM else value
        value = dt.datetime.fromtimestamp(seconds, ZoneInfo(tz)).replace(tzinfo=None)
    elif column.type is ColType.LIST:
        value = _split(value)
    elif column.field == "schedule" and isinstance(value, dict):
        value = format_schedule(value)
    elif isinstance(value, dict | list):
        value = json.dumps(value)
    return column.cell.from_api(column, value, strict=True)


def _split(value: Any) -> list[str]:
    """A "String of comma separated IDs" (or an array, or one number) as the list cell's items."""
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split(",")
    return [str(p).strip() for p in parts if str(p).strip()]


def format_schedule(schedule: Mapping[str, Any]) -> str:
    """The API's schedule ({"0": [["09:00:00", "17:00:00"]], ...}) as the sheet writes it
    (`Mon-Fri 09:00-17:00; Sat 10:00-14:00`): consecutive days with the same hours share a part, and
    each day keeps its spans in the API's order, so the text reads back to the same schedule."""
    by_day = {int(day): [tuple(span) for span in spans] for day, spans in schedule.items() if spans}
    parts: list[str] = []
    days = sorted(by_day)
    start = 0
    while start < len(days):
        end = start
        while end + 1 < len(days) and days[end + 1] == days[end] + 1 and by_day[days[end + 1]] == by_day[days[start]]:
            end += 1
        first, last = DAYS[days[start]].title(), DAYS[days[end]].title()
        label = first if start == end else f"{first}-{last}"
        parts += [f"{label} {_hhmm(a)}-{_hhmm(b)}" for a, b in by_day[days[start]]]
        start = end + 1
    return "; ".join(parts)


def _hhmm(text: str) -> str:
    return ":".join(str(text).split(":")[:2])


# -- targeting ----------------------------------------------------------------------------------

def targeting_rows(live: Mapping[str, Any]) -> dict[str, list[Row]]:
    """A campaign's targeting as rows of the Geo ZIP, Geo GPS, Deals and Filter Lists sheets, by kind name."""
    ref = campaign_ref(live["id"])
    rows: dict[str, list[Row]] = {"geo-zip": [], "geo-gps": [], "deals": [], "filter-lists": []}
    for include, prefix in ((True, "whiteListed"), (False, "blackListed")):
        rows["geo-zip"] += [{"campaign": ref, "zip": z, "include": include} for z in _split(live.get(prefix + _ZIP))]
        rows["geo-gps"] += [_circle_row(ref, c, include) for c in _circles(live.get(prefix + _CIRCLES))]
        for kind, spec in FILTER_TYPES.items():
            rows["filter-lists"] += [{"campaign": ref, "type": kind, "value": v, "include": include}
                                     for v in _split(live.get(prefix + spec.noun))]
    for field, deal_kind in zip(_DEALS, ("user", "group"), strict=True):
        rows["deals"] += [{"campaign": ref, "dealId": d, "dealKind": deal_kind} for d in _split(live.get(field))]
    return rows


def _circles(value: Any) -> list[dict[str, Any]]:
    circles = json.loads(value) if isinstance(value, str) and value.strip() else value
    return [c for c in circles or [] if isinstance(c, dict)]


def _circle_row(ref: str, circle: Mapping[str, Any], include: bool) -> Row:
    radius = float(circle["radius"])
    if str(circle.get("unit") or "mile").casefold() in ("km", "kilometer", "kilometre", "kilometers"):
        radius = round(radius / _KM_PER_MILE, 6)
    row: Row = {"campaign": ref, "latitude": float(circle["latitude"]), "longitude": float(circle["longitude"]),
                "radius": radius, "address": circle.get("address") or None, "include": include}
    for key, field in (("sid", "stateId"), ("cid", "countryId")):
        if circle.get(key) not in (None, ""):
            row[field] = str(circle[key])
    return _filled(row)


def _filled(row: Row) -> Row:
    return {k: v for k, v in row.items() if v is not None}
