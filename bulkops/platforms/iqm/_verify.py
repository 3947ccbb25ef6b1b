"""Did IQM keep what was sent? Each IQM create and update is compared with what IQM answers or, where
the answer does not carry the object, with one read-back batched per page:

- a creative with its details from the review poll (`GET /api/v2/crt/creatives/details`), which the
  run reads anyway: name, format (IQM's type), click URL, size, the HTML or VAST/DAAST source and the
  pixel URL, each when the answer shows it — no request of its own;
- a budget change with the budget route's own answer (`modified_data`);
- any other campaign create or update with the campaign list ("Get List of Campaigns with Filters",
  500 campaigns a request), which shows name, budgets, max bid, start and end, creative, campaign and
  budget type, total impressions and status. Fields that list does not show (targeting, flags, lists) could
  only be read back one campaign a request (`GET /api/v2/cmp/campaign/{id}`), which would double a
  job's time at 20 requests a minute: they are not read back (docs/iqm.md).

A field IQM did not keep fails its row with "<column>: sent X, the platform kept Y", the column named
as the row's own header reads.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bulkops._exceptions import PlatformError
from bulkops.engine import Context, Step
from bulkops.planner import RowKey, RowOutcome, Status
from bulkops.platforms.iqm.client import CREATIVE_TYPE_IDS, LIST_PAGE
from bulkops.platforms.iqm.kinds import CREATIVE_TYPE_OF

VERIFY = "iqm:verify"
Header = Callable[[str], str]
_MS_FROM = 10**11  # epoch values this large are milliseconds (the campaign guide says ms, its samples s)
# Campaign field → the campaign list's name for it.
LISTED = {"campaignName": "name", "budgetDay": "budgetDay", "budgetTotal": "budgetTotal", "maxBid": "maxBid",
          "startTime": "startTime", "endTime": "endTime", "creativeType": "creativeTypeId",
          "campaignType": "campaignTypeId", "budgetTypeId": "budgetTypeId", "totalImpressions": "totalImpressions",
          "status": "status"}
# Campaign field → the budget route's name for it.
BUDGETED = {"budgetDay": "dailyBudget", "budgetTotal": "totalBudget", "maxBid": "maxBid"}
_TIMES = ("startTime", "endTime")


@dataclass
class Written:
    """A campaign this run created or changed, waiting to be read back."""

    row: RowKey
    status: Status  # CREATED or UPDATED: what the row says if the read-back finds nothing wrong
    sent: dict[str, Any]  # the fields sent (a create's whole body, an update's changes)
    header: Header
    type_names: Mapping[int, str] = field(default_factory=dict)  # IQM's creative type ids, for messages
    status_known: bool = True  # False: its create's answer gave no status, so the read-back says it


# -- how a value reads in a message -------------------------------------------------------------------

def shown(value: Any, key: str = "") -> str:
    """A value as a buyer would read it in a sheet."""
    if key in _TIMES:
        value = _seconds(value)  # 0, the campaign list's "no end", is none
    if value is None or value == "":
        return "(none)"
    if key in _TIMES and isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def not_kept(header: str, sent: Any, kept: Any, key: str = "") -> str:
    return f"{header}: sent {shown(sent, key)}, the platform kept {shown(kept, key)}"


def _same(key: str, sent: Any, kept: Any) -> bool:
    if key in _TIMES:
        sent, kept = (_seconds(v) for v in (sent, kept))
    if isinstance(sent, int | float) and isinstance(kept, int | float) and not isinstance(sent, bool) \
            and not isinstance(kept, bool):
        return math.isclose(float(sent), float(kept), rel_tol=1e-6, abs_tol=1e-6)
    return sent == kept


def _seconds(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if value == 0 else (value / 1000 if value >= _MS_FROM else value)
    return value


# -- creatives ----------------------------------------------------------------------------------------

def creative_not_kept(payload: Mapping[str, Any], details: Any, header: Header) -> list[str]:
    """What of an uploaded creative its details do not show as sent (fields the answer leaves out are
    not judged)."""
    shows = details.model_fields_set | set(details.model_extra or {})
    found = []
    for key, kept_key in (("creativeName", "creativeName"), ("clickUrl", "clickUrl"), ("width", "width"),
                          ("height", "height")):
        if key in payload and kept_key in shows and not _same(key, payload[key], getattr(details, kept_key)):
            found.append(not_kept(header(key), payload[key], getattr(details, kept_key)))
    type_id = CREATIVE_TYPE_IDS.get(CREATIVE_TYPE_OF.get(payload.get("format", ""), ""))
    if type_id is not None and "creativeTypeId" in shows and details.creativeTypeId != type_id:
        found.append(f"{header('format')}: sent {payload['format']} (IQM type {type_id}), the platform kept IQM "
                     f"type {shown(details.creativeTypeId)}")
    tag = payload.get("tag")
    if tag is not None and "creativeSource" in shows and not _same_source(tag, details.creativeSource):
        found.append(not_kept(header("tag"), tag, details.creativeSource))
    pixel = payload.get("pixelUrl")
    if pixel is not None and details.pixelUrls is not None and pixel not in _urls(details.pixelUrls):
        found.append(not_kept(header("pixelUrl"), pixel, details.pixelUrls))
    return found


def _same_source(sent: str, kept: Any) -> bool:
    """IQM may answer markup HTML-escaped (the quick start's details example escapes a VAST document)."""
    return isinstance(kept, str) and sent.strip() in (kept.strip(), html.unescape(kept).strip())


def _urls(value: Any) -> list[str]:
    parts = value if isinstance(value, list) else str(value).split(",")
    return [str(p).strip() for p in parts if str(p).strip()]


# -- campaigns ----------------------------------------------------------------------------------------

def campaign_not_kept(written: Written, listed: Any) -> list[str]:
    """What of a campaign's sent fields the campaign list shows otherwise."""
    shows = listed.model_fields_set | set(listed.model_extra or {})
    found = []
    for key, listed_key in LISTED.items():
        if key not in written.sent or listed_key not in shows:
            continue
        sent, kept = written.sent[key], getattr(listed, listed_key)
        if not _same(key, sent, kept):
            if key == "creativeType":
                sent, kept = (f"{written.type_names.get(v, v)}" if v is not None else v for v in (sent, kept))
            found.append(not_kept(written.header(key), sent, kept, key))
    return found


def budget_not_kept(sent: Mapping[str, Any], modified: Mapping[str, Any], header: Header) -> list[str]:
    """What of a budget change the budget route's answer shows otherwise."""
    return [not_kept(header(key), sent[key], modified.get(name)) for key, name in BUDGETED.items()
            if key in sent and name in modified and not _same(key, sent[key], modified.get(name))]


# -- the read-back step -------------------------------------------------------------------------------

def verify_step(wants: Iterable[str], expected: int) -> Step:
    """Reads back every campaign the run created or changed, LIST_PAGE a request, once the steps that
    write them are done."""

    async def run(ctx: Context) -> dict[RowKey, RowOutcome]:
        verbs = ctx.verbs["iqm"]
        written: dict[int, Written] = dict(verbs.written)
        if not written:
            return {}
        try:
            listed = await verbs.listed(sorted(written))
        except PlatformError as exc:
            return {w.row: RowOutcome(w.status, f"could not be read back to check it: {exc.message}", campaign_id)
                    for campaign_id, w in written.items()}
        finally:
            ctx.tick(math.ceil(len(written) / LIST_PAGE))
        return {w.row: _checked(campaign_id, w, listed.get(campaign_id)) for campaign_id, w in written.items()}

    return Step(VERIFY, "the read-back of the campaigns written", run, wants=tuple(wants),
                requests=math.ceil(expected / LIST_PAGE))


def _checked(campaign_id: int, written: Written, listed: Any) -> RowOutcome:
    if listed is None:
        return RowOutcome(written.status, "could not be read back to check it: IQM's campaign list does not show "
                          f"campaign {campaign_id}", campaign_id)
    status = "" if written.status_known else f"status: {listed.status or 'unknown'}"
    problems = campaign_not_kept(written, listed)
    if problems:
        return RowOutcome(Status.FAILED, "; ".join([status, *problems] if status else problems), campaign_id)
    return RowOutcome(written.status, status, campaign_id)
