"""IQM campaigns: every field of `POST /api/v2/cmp/campaigns/add` (iqm-api.md, "Step 5: Create a
Campaign"), with cells a buyer can type.

- Times are dates and times, read in the row's Time Zone Name (an IANA name) unless they carry their own
  offset or zone; the payload has the epoch seconds the API wants.
- ID lists are lists (commas or new lines) and go out as the API's comma-separated strings. Country,
  states, carriers, operating systems, device types and exchanges may be typed by name (`lookup`: IQM's
  master data, `bulkops.platforms.iqm._reference`); a whole number is IQM's ID as typed.
- A create's blank Time Zone ID is IQM's ID of its Time Zone Name, looked up by the run.
- The schedule is written as `Mon-Fri 09:00-17:00; Sat 10:00-14:00`.
- Targeting kept on sheets of its own (Geo ZIP, Geo GPS, Deals, Filter Lists) is folded into these
  fields by the run, so a campaign with all its targeting is one request.
- Deprecated fields (`zipcodes`, `dmaIds`, `geoRadiusDetails`, the district ids without a list prefix)
  are left out: their white/black-list successors are here; `stateIds` too, being `whiteListedStateIds`.

A row with an ID updates that campaign through IQM's campaign guide (docs/iqm.md): its filled cells
are compared with the campaign and only what differs is sent. IQM's API has no delete for campaigns.
On a create, blank `campaignType` and `isAdvanceAudioVideoTargeted` cells are sent as the documented
values (`CREATE_DEFAULTS`), since neither field is marked optional.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import ColType, Column, Kind, SheetContext, entity_columns_without_delete, limit, own_rule, rows_of

PLATFORM = "iqm"
# IQM's dictionaries (its master data: `Platform.reference`) the columns look names up in.
COUNTRIES, STATES, CARRIERS = "countries", "states", "carriers"
OPERATING_SYSTEMS, DEVICE_TYPES, EXCHANGES = "operating-systems", "device-types", "exchanges"
CREATIVE_TYPES = ("image", "html", "video", "native", "audio")
# A campaign's statuses, as the campaign guide lists them ("Get List of Campaigns with Basic Details",
# `status`; "Get Campaign Count by Status": deleted too, which an export leaves out).
CAMPAIGN_STATUSES = ("running", "pending", "paused", "draft", "rejected", "expired")
# What a buyer may ask for on an existing campaign, through the guide's Update Campaign (`status` is
# one of its supported properties): pause it, or resume it. IQM sets the other statuses itself.
PAUSED, RUNNING = "paused", "running"
ASKABLE_STATUSES = (PAUSED, RUNNING)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # the API's keys 0..6, Monday first
_IDS = r"^[0-9]+$"
_IDS_HINT = "a whole-number ID"
_NAMED_HINT = "a whole-number ID (a name is looked up in IQM's master data, which plan and push read)"
_SPAN = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$",
                   re.IGNORECASE | re.ASCII)


def _ids(label: str, field: str, what: str, example: str = "1, 2") -> Column:
    return Column(label, field, ColType.LIST, f"{what} IDs (IQM's master data), separated by commas or new lines.",
                  example=example, pattern=_IDS, pattern_hint=_IDS_HINT)


def _named(label: str, field: str, what: str, lookup: str, example: str) -> Column:
    """A list of IQM IDs that may be typed as names, looked up in IQM's master data (`lookup`): the
    lookup makes a name its ID before the pattern is checked, so only a name left unlooked-up fails it."""
    return Column(label, field, ColType.LIST, f"{what} names or IDs (IQM's master data), separated by commas or new "
                  "lines; a name is sent as IQM's ID.", example=example, pattern=_IDS, pattern_hint=_NAMED_HINT,
                  lookup=lookup)


def _both(label: str, noun: str, what: str, example: str = "1, 2", lookup: str | None = None) -> tuple[Column, Column]:
    if lookup is not None:
        return (_named(f"Allowed {label}", f"whiteListed{noun}", f"Allow list: {what}", lookup, example),
                _named(f"Blocked {label}", f"blackListed{noun}", f"Block list: {what}", lookup, example))
    return (_ids(f"Allowed {label}", f"whiteListed{noun}", f"Allow list: {what}", example),
            _ids(f"Blocked {label}", f"blackListed{noun}", f"Block list: {what}", example))


def _flag(label: str, field: str, note: str, example: str = "TRUE") -> Column:
    return Column(label, field, ColType.BOOL, note, example=example)


# On a create, blank cells of fields the API requires get the documented values: campaign type 1
# ("Advanced": the campaign guide's "Get Campaign Count with Campaign Type"; PG campaigns, type 2, have
# a create route of their own) as the quick start's example campaign shows, and no advanced audio/video
# targeting (false), as the quick start's example request sends it.
CREATE_DEFAULTS: dict[str, Any] = {"campaignType": 1, "isAdvanceAudioVideoTargeted": False}
# Which checks are bulkops's own (`Column.own`): the quick start's request table ("Step 5: Create a
# Campaign") and the campaign guide give each field's type, whether it is optional, conversionType's
# two values, and IDs as integers of IQM's lists ("String of comma separated IDs"; the guide's
# resource properties type countryId, ioId, timezone as integers). Neither gives a length, a
# minimum, a maximum, an order of times, nor that the agreement must be TRUE: those are bulkops's
# own, to catch typing mistakes, and refuse only values IQM does not hold already (docs/iqm.md).
_OWN_MIN = ("minimum",)

_COLUMNS: tuple[Column, ...] = entity_columns_without_delete(
    "the campaign is updated: only the cells that differ from IQM are sent, and blank cells leave IQM's value "
    "alone. IQM's API cannot delete campaigns.") + (
    Column("Name", "campaignName", ColType.TEXT, "Campaign name.", example="Spring Sale 2027", required=True,
           max_length=255, own=("length",)),
    # Not "Status": that is the results workbook's own column, beside Message.
    Column("Campaign Status", "status", ColType.ENUM,
           "The campaign's status as IQM holds it. On an existing campaign write paused to pause it or running "
           "to resume it (IQM sets pending, draft, rejected and expired itself); not sent on a create, which "
           "IQM makes pending.", example="running", choices=CAMPAIGN_STATUSES),
    Column("Advertiser Domain", "advertiserDomain", ColType.TEXT, "The advertiser's site.",
           example="https://shop.example.com", required=True, max_length=255, own=("length",)),
    Column("Creative Type", "creativeType", ColType.ENUM,
           "The type of every creative of the campaign; its ID comes from GET /api/v3/master/creativeTypes.",
           example="image", required=True, choices=CREATIVE_TYPES),
    Column("Creative IDs", "creativeIds", ColType.LIST,
           "Existing approved creatives to run, besides the Creatives rows that name this campaign.",
           example="148971", pattern=_IDS, pattern_hint=_IDS_HINT, account_ids=True),
    Column("Campaign Type", "campaignType", ColType.INT,
           "Campaign type ID (1: Advanced). Blank on a create: 1, as IQM's example campaign has it.",
           example=1, minimum=1, own=_OWN_MIN),
    Column("Max Bid", "maxBid", ColType.NUMBER, "Highest CPM bid.", example=10, required=True, minimum=0.01,
           own=_OWN_MIN),
    Column("Daily Budget", "budgetDay", ColType.NUMBER, "Daily budget.", example=10, required=True, minimum=0.01,
           own=_OWN_MIN),
    Column("Total Budget", "budgetTotal", ColType.NUMBER, "Total budget.", example=100, required=True, minimum=0.01,
           own=_OWN_MIN),
    Column("Start Time", "startTime", ColType.DATETIME,
           "When it starts: YYYY-MM-DD HH:MM in Time Zone Name, or with its own offset (-05:00) or zone.",
           example="2027-03-01 00:00", required=True),
    Column("End Time", "endTime", ColType.DATETIME, "When it ends; after Start Time. Blank: no end.",
           example="2027-03-31 23:59"),
    Column("Time Zone Name", "tz", ColType.TEXT,
           "IANA name of the zone the times are read in (not sent: the API wants epoch seconds).",
           example="America/New_York", required=True, max_length=64),
    Column("Time Zone ID", "timezone", ColType.INT,
           "IQM's ID of the campaign's time zone (its master data). Required on a create, where a blank one is IQM's "
           "ID of Time Zone Name.", example=433, minimum=1, own=_OWN_MIN),
    Column("Insertion Order ID", "ioId", ColType.INT, "The insertion order the campaign belongs to.", example=2695,
           required=True, minimum=1, own=_OWN_MIN, account_ids=True),
    Column("Country ID", "countryId", ColType.TEXT,
           "The country: its name (United States), ISO code (US) or IQM's ID (30100001); sent as the ID.",
           example="United States", required=True, pattern=_IDS, pattern_hint=_NAMED_HINT, lookup=COUNTRIES),
    Column("Agreement Checked", "isAgreementChecked", ColType.BOOL,
           "You accept IQM's terms for this campaign; must be TRUE.", example="TRUE", required=True,
           own=("allowed",)),
    _flag("Bid Optimization", "bidOptimization", "Optimize the bid from IQM's analysis."),
    _flag("Bid Pacing", "bidPacing", "Spend the budget evenly every hour."),
    _flag("Total Budget Pacing", "totalBudgetPacing", "Pace against the total rather than the daily budget.",
          example="FALSE"),
    _flag("TV Ad", "isTvAd", "A connected-TV campaign.", example="FALSE"),
    Column("Budget Type ID", "budgetTypeId", ColType.INT, "Budget type ID (1: money, as IQM's example).",
           example=1, minimum=1, own=_OWN_MIN),
    limit("Impression Capping", "impressionCapping", "Most impressions in one inventory", own=_OWN_MIN),
    limit("Max Daily Impressions", "maxDayImpressions", "Most impressions a day", own=_OWN_MIN),
    limit("Total Impressions", "totalImpressions", "Most impressions in all", own=_OWN_MIN),
    limit("Max Daily Clicks", "maxDayClicks", "Most clicks a day", own=_OWN_MIN),
    limit("Total Clicks", "totalClicks", "Most clicks in all", own=_OWN_MIN),
    limit("Max Daily Conversions", "maxDayConversions", "Most conversions a day", own=_OWN_MIN),
    limit("Total Conversions", "totalConversions", "Most conversions in all", own=_OWN_MIN),
    Column("Conversion Type", "conversionType", ColType.ENUM, "install or non-install.", example="non-install",
           choices=("install", "non-install")),
    Column("App URL", "appURL", ColType.TEXT, "Install campaigns: the app's store URL.",
           example="https://apps.apple.com/app/id123", max_length=2048, own=("length",)),
    Column("Target CPI", "targetCPI", ColType.NUMBER, "Install campaigns: cost per install.", example=2.5,
           minimum=0, own=_OWN_MIN),
    _named("Carriers", "carriers", "Carrier (of the campaign's country)", CARRIERS, "Verizon Wireless, T-Mobile"),
    _ids("Network Types", "networkType", "Network type"),
    _named("Device Types", "deviceType", "Device type", DEVICE_TYPES, "Mobile, Tablet"),
    _ids("Traffic Types", "trafficType", "Traffic type", "11, 12"),
    _ids("Manufacturers", "manufacturer", "Manufacturer"),
    _named("Operating Systems", "os", "Operating system", OPERATING_SYSTEMS, "Android, iOS"),
    _ids("OS Versions", "osVersion", "OS version (of the operating systems chosen)"),
    _named("Exchanges", "exchanges", "Exchange", EXCHANGES, "Magnite, PubMatic, 55"),
    _ids("Publisher Categories", "publisherAdCategory", "Publisher ad category"),
    *_both("Custom Audiences", "CustomAudienceIds", "custom audience group"),
    *_both("Audience Segment Groups", "AudienceSegmentGroupIds", "audience segment group"),
    *_both("Conversion Tags", "ConversionTagIds", "conversion tag"),
    Column("Prebid Audience Segments", "prebidAudienceSegmentIdList", ColType.LIST,
           "Prebid audience segment IDs (sent as an array of numbers).", example="101, 102", pattern=_IDS,
           pattern_hint=_IDS_HINT),
    Column("Political Advertiser ID", "politicalAdvertiserClientId", ColType.INT,
           "Political campaigns: the political advertiser's ID.", example=None, minimum=1, own=_OWN_MIN,
           account_ids=True),
    *_both("States", "StateIds", "state (by name, postal code or ID)", "Texas, CA", STATES),
    *_both("DMAs", "DmaIds", "DMA"),
    *_both("Senate Districts", "SenateDistrictIds", "senate district"),
    *_both("Congressional Districts", "CongressionalDistrictIds", "congressional district"),
    *_both("House Districts", "HouseDistrictIds", "house district"),
    *_both("Cities", "CityIds", "city"),
    *_both("Counties", "CountyIds", "county"),
    dataclasses.replace(_ids("Location Files", "locationFileIds", "Uploaded location file"), account_ids=True),
    *(dataclasses.replace(c, account_ids=True)
      for c in _both("Locations", "LocationIds", "location (from uploaded files)")),
    _ids("Age Ranges", "ageRangeIds", "Age range"),
    _ids("Genders", "genderIds", "Gender"),
    _ids("Interests", "interestIds", "Interest"),
    _ids("Income Ranges", "incomeRangeIds", "Income range"),
    _ids("Languages", "languageIds", "Language"),
    _ids("Ethnicities", "ethnicityIds", "Ethnicity"),
    _ids("Conversions", "conversionIds", "Pixel conversion"),
    Column("Schedule", "schedule", ColType.TEXT,
           "Hours the campaign runs, in its time zone: day or day range, then HH:MM-HH:MM; separate with ';'.",
           example="Mon-Fri 09:00-17:00; Sat 10:00-14:00", max_length=2000, own=("length",)),
    _flag("Advanced Audio/Video Targeting", "isAdvanceAudioVideoTargeted",
          "Every video creative segment is targeted (then Creative Advanced Targeting is optional). Blank on a "
          "create: FALSE, as IQM's example request sends it.", example="FALSE"),
    Column("Creative Advanced Targeting", "creativeAdvanceTargeting", ColType.TEXT,
           "JSON object: targeting group → segment IDs, as the API takes it.", example='{"1": [2, 3]}',
           max_length=10000, own=("length",)),
    Column("Estimator Metadata", "campaignEstimatorMetaData", ColType.TEXT,
           "JSON object with reachMeta, landScapeMeta and sliderMeta, as the API takes it.", example=None,
           max_length=100000, own=("length",)),
)

# Columns that go out as the API's comma-separated strings.
ID_STRING_FIELDS = tuple(c.field for c in _COLUMNS
                         if c.type is ColType.LIST and c.field != "prebidAudienceSegmentIdList")
_JSON_FIELDS = ("creativeAdvanceTargeting", "campaignEstimatorMetaData")


def zone_of(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def epoch(moment: dt.datetime, zone: str | None) -> int:
    """Epoch seconds of a moment typed in a sheet: naive moments are read in `zone` (validation makes
    sure a naive moment has one)."""
    if moment.tzinfo is None:
        assert zone is not None, "a naive time without a time zone name"
        moment = moment.replace(tzinfo=zone_of(zone))
    return int(moment.timestamp())


def parse_schedule(text: str) -> dict[str, list[list[str]]]:
    """`Mon-Fri 09:00-17:00; Sat 10:00-14:00` → {"0": [["09:00:00", "17:00:00"]], ..., "5": [...]}
    (the API's keys 0..6 are Monday..Sunday); ValueError naming the part it cannot read."""
    schedule: dict[str, list[list[str]]] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]+", text))):
        match = _SPAN.match(part)
        if not match or match.group(1).lower() not in DAYS or (match.group(2) and match.group(2).lower() not in DAYS):
            raise ValueError(f"cannot read {part!r}; write e.g. Mon-Fri 09:00-17:00")
        first = DAYS.index(match.group(1).lower())
        last = DAYS.index(match.group(2).lower()) if match.group(2) else first
        start, end = (_clock(t, part) for t in match.group(3, 4))
        if end <= start:
            raise ValueError(f"in {part!r} the end is not after the start")
        for day in range(first, last + 1) if last >= first else (*range(first, 7), *range(0, last + 1)):
            schedule.setdefault(str(day), []).append([start, end])
    return dict(sorted(schedule.items()))


def _clock(text: str, part: str) -> str:
    hours, minutes = (int(x) for x in text.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} in {part!r} is not a time of day")
    return f"{hours:02d}:{minutes:02d}:00"


def _rules(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    problems: list[Problem] = []
    for row, values in rows_of(frame):
        problems += _row_rules(row, values, kind, where)
    return problems


def _row_rules(row: Any, values: Mapping[str, Any], kind: Kind, where: SheetContext) -> list[Problem]:
    problems = []
    tz = values.get("tz")
    if tz is not None and zone_of(tz) is None:
        problems.append(where.problem(row, where.header("tz"), "allowed",
                                      f"{tz!r} is not a time zone name (e.g. America/New_York)"))
    if values.get("isAgreementChecked") is False:
        problems.append(dataclasses.replace(
            where.problem(row, where.header("isAgreementChecked"), "allowed",
                          "IQM creates a campaign only with the agreement checked (TRUE)"),
            own=kind.column("isAgreementChecked").is_own("allowed")))
    if values.get("schedule") is not None:
        try:
            parse_schedule(values["schedule"])
        except ValueError as exc:
            problems.append(where.problem(row, where.header("schedule"), "format", str(exc)))
    for field_name in _JSON_FIELDS:
        if values.get(field_name) is not None and not isinstance(_json_object(values[field_name]), dict):
            problems.append(where.problem(row, where.header(field_name), "format", "is not a JSON object"))
    if values.get("conversionType") == "install" and values.get("appURL") is None:
        problems.append(where.problem(row, where.header("appURL"), "required", f"{where.header('appURL')} is "
                                      f"required when {where.header('conversionType')} is install"))
    problems += _zoned(row, values, kind, where)
    if values.get("id") is None and values.get("timezone") is None and tz is None:
        problems.append(where.problem(row, where.header("timezone"), "required", f"{where.header('timezone')} is "
                                      f"required (or {where.header('tz')}, whose ID in IQM's time zones is sent)"))
    return problems


def _zoned(row: Any, values: Mapping[str, Any], kind: Kind, where: SheetContext) -> list[Problem]:
    """A time without its own offset or zone is read in Time Zone Name, so it needs one: an update row
    may leave Time Zone Name blank (a create must fill it anyway)."""
    if values.get("tz") is not None or values.get("id") is None:
        return []
    return [where.problem(row, where.header("tz"), "required",
                          f"{where.header('tz')} is required to read {where.header(f)} (the cell has no "
                          "offset or zone of its own)")
            for f in ("startTime", "endTime") if isinstance(values.get(f), dt.datetime) and values[f].tzinfo is None]


def _json_object(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _times_in_order(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """End after start, compared as moments (each may carry its own zone), quoted as typed."""
    problems = []
    for row, values in rows_of(frame):
        start, end, tz = values.get("startTime"), values.get("endTime"), values.get("tz")
        if start is None or end is None or tz is None or zone_of(tz) is None:
            continue
        if epoch(end, tz) <= epoch(start, tz):
            problems.append(where.problem(row, where.header("endTime"), "order",
                                          f"{where.header('endTime')} ({_typed(end)}) must be after "
                                          f"{where.header('startTime')} ({_typed(start)})"))
    return problems


def _typed(moment: dt.datetime) -> str:
    return moment.isoformat(sep=" ", timespec="minutes")


def campaign_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """The row as the API's JSON (only its filled cells, and on a create `CREATE_DEFAULTS` for blank
    ones); `creativeType` stays a name until the run knows IQM's IDs, and so does `timezone` on a create
    that leaves Time Zone ID blank (Time Zone Name's)."""
    creating = values.get("id") is None
    payload: dict[str, Any] = dict(CREATE_DEFAULTS) if creating else {}
    for column in _COLUMNS:
        value = values.get(column.field)
        if value is None or column.field in ("ref", "id", "action", "tz") or (creating and column.field == "status"):
            continue
        if column.type is ColType.DATETIME:
            value = epoch(value, values.get("tz"))
        elif column.field == "prebidAudienceSegmentIdList":
            value = [int(v) for v in dict.fromkeys(value)]
        elif column.type is ColType.LIST:
            value = ",".join(dict.fromkeys(value))
        elif column.field == "schedule":
            value = parse_schedule(value)
        elif column.field in _JSON_FIELDS:
            value = json.loads(value)
        payload[column.field] = value
    if values.get("id") is None and values.get("timezone") is None and values.get("tz") is not None:
        payload["timezone"] = values["tz"]  # a name until the run knows IQM's time zone IDs
    return payload


CAMPAIGNS = Kind(
    name="campaigns",
    sheet="Campaigns",
    platform=PLATFORM,
    natural_key=("campaignName",),
    columns=_COLUMNS,
    checks=(_rules, own_rule(_times_in_order)),
    payload=campaign_payload,
)
