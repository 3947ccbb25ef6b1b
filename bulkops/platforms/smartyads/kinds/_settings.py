"""A SmartyAds campaign's one-value settings, as columns of the Campaigns sheet: time targeting (2),
the CTR booster (10), the optimization rule assigned (24, by ID or by name through 22.1) and the
device vendors (the validation list's `Campaign.extention.deviceVendor`).

Time targeting, the booster and the rule each have their own routes: they are sent after the
campaign exists, each in its own request, and only when they change (`SETTING_FIELDS`; the
campaign's own create and update never carry them). Device vendors travel in the campaign's create
(11.3) under `extention`; 11.4.1 does not list them, so they are not sent to an existing campaign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from bulkops._problems import Problem
from bulkops.kinds import ColType, Column, Kind, SheetContext, rows_of
from bulkops.platforms.smartyads import _enums as enums
from bulkops.platforms.smartyads._schedule import ALWAYS, ScheduleError, parse, shifted, text_of

__all__ = ["DEVICE_VENDOR", "NO_RULE", "SETTING_COLUMNS", "SETTING_FIELDS", "campaign_payload", "repair_settings"]

NO_RULE = "none"
DEVICE_VENDOR = "deviceVendor"
# Sent on their own routes after the campaign exists, in this order (each its own request).
SETTING_FIELDS = ("timeTargeting", "ctrBooster", "optimizationRule")

SETTING_COLUMNS: tuple[Column, ...] = (
    Column("Time Targeting", "timeTargeting", ColType.TEXT,
           "Days and hours the campaign runs, e.g. Mon-Fri 09:00-17:00; Sat 10:00-14:00. Whole hours only "
           "(24:00 ends a day); a range past midnight runs into the next day; always: every hour (no time "
           "targeting). Blank: left as it is.", example="Mon-Fri 09:00-17:00; Sat 10:00-14:00"),
    Column("Time Zone", "timeZone", ColType.NUMBER,
           "The UTC offset in hours that Time Targeting is written in (-5 for New York in winter); blank: UTC. "
           "SmartyAds holds the hours in UTC, and an export writes them so.", example=-5, minimum=-12, maximum=14),
    Column("CTR Booster", "ctrBooster", ColType.BOOL,
           "Turn SmartyAds' CTR booster on or off for the campaign. Blank: left as it is.", example="FALSE"),
    Column("Optimization Rule", "optimizationRule", ColType.TEXT,
           "The optimization rule assigned to the campaign: its ID or its name, as the account's rules list "
           "it; none: no rule. Blank: left as it is.", example="TEST Rule#1", max_length=255, own=("length",),
           lookup="optimization-rules"),
    Column("Device Vendors", DEVICE_VENDOR, ColType.ENUM_LIST,
           "Device makers to target. Sent when the campaign is created (SmartyAds' campaign update does not "
           "take them), and not shown by any answer, so an export leaves it blank.",
           example="apple, samsung", choices=enums.DEVICE_VENDORS, api_path="extention.deviceVendor"),
)


def repair_settings(frame: pd.DataFrame, kind: Kind, where: SheetContext) -> Sequence[Problem]:
    """Time Targeting read into its canonical text, in UTC when a Time Zone is given (the zone is then
    used up: bulkops sends the hours as the platform holds them, with `timeZone` 0); a Device Vendors
    cell on an existing campaign is warned about and left out."""
    problems: list[Problem] = []
    if "timeTargeting" in frame.columns:
        problems += _repair_time(frame, where)
    if DEVICE_VENDOR in frame.columns and "id" in frame.columns:
        header = where.header(DEVICE_VENDOR)
        for row, values in rows_of(frame[["id", DEVICE_VENDOR]]):
            if values["id"] is not None and values[DEVICE_VENDOR] is not None:
                problems.append(where.problem(row, header, "create-only", f"{header} is sent only when a campaign "
                                              "is created (SmartyAds' campaign update, 11.4.1, does not take it): "
                                              f"campaign {values['id']} keeps its device vendors", warning=True))
                frame.at[row, DEVICE_VENDOR] = None
    return problems


def _repair_time(frame: pd.DataFrame, where: SheetContext) -> list[Problem]:
    problems = []
    header, zone_header = where.header("timeTargeting"), where.header("timeZone")
    zones = frame["timeZone"] if "timeZone" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    for row, text, zone in zip(frame.index, frame["timeTargeting"].tolist(), zones.tolist(), strict=True):
        if zone is not None and not -12 <= zone <= 14:
            problems.append(where.problem(row, zone_header, "maximum", f"{zone_header} {zone:g} is not a UTC offset "
                                          "(-12 to 14)"))
            continue
        if zone is not None and not float(zone).is_integer():
            problems.append(where.problem(row, zone_header, "format", f"{zone_header} {zone:g} is not a whole number "
                                          "of hours: SmartyAds holds whole hours in UTC, which a half-hour offset "
                                          "cannot land on; write the hours in UTC (Time Zone blank) instead"))
            continue
        if text is None:
            continue
        try:
            hours = parse(str(text))
        except ScheduleError as exc:
            problems.append(where.problem(row, header, "format", f"{header} {exc}"))
            frame.at[row, "timeTargeting"] = None
            continue
        frame.at[row, "timeTargeting"] = text_of(shifted(hours, int(zone or 0)))
    if "timeZone" in frame.columns:
        frame["timeZone"] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return problems


def campaign_payload(plain: Mapping[str, Any]) -> dict[str, Any]:
    """A campaign's payload from its flat fields: device vendors under `extention` (the validation list's
    path), the settings as they are (the steps send them on their own routes)."""
    payload = dict(plain)
    vendors = payload.pop(DEVICE_VENDOR, None)
    payload.pop("timeZone", None)  # used up by repair_settings: the hours are in UTC
    if vendors is not None:
        payload["extention"] = {DEVICE_VENDOR: vendors}
    return payload


def is_default_setting(field: str, value: Any) -> bool:
    """Whether a setting's value is a new campaign's: no time targeting, the booster off, no rule."""
    return (field == "timeTargeting" and is_always(value)) or (field == "ctrBooster" and value is False) or \
        (field == "optimizationRule" and is_no_rule(value))


def is_always(value: Any) -> bool:
    return str(value).casefold() == ALWAYS


def is_no_rule(value: Any) -> bool:
    return str(value).strip().casefold() == NO_RULE
