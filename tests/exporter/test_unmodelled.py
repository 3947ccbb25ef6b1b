"""What no sheet holds, from the declarations: a field leaves the list as soon as a column declares
it (by field or by API path, `{slot}` parts standing for any key), whatever nests under a declared
field goes with it, empty values are no setting, and long values are cut."""

from __future__ import annotations

import dataclasses

from bulkops.exporter._unmodelled import MAX_SHOWN, shown_value, unmodelled, unmodelled_fields
from bulkops.kinds import ColType, Column, Kind
from bulkops.registry import RAW_OBJECT, platform_named

RAW = {"id": 7, "name": "North", "isCTV": True, "cpm": 0, "pretarget": None, "pretargets": [], "notes": "",
       "schedule": {"0": [["09:00", "17:00"]]}, "relation": {"banner": {"width": 300, "main": 1}},
       "createdAt": "2027-01-01"}
KIND = Kind("campaigns", "Campaigns", "test", (
    Column("ID", "id", ColType.INT, "id"), Column("Name", "name", ColType.TEXT, "name"),
    Column("Schedule", "schedule", ColType.TEXT, "hours"),
    Column("Width", "width", ColType.INT, "px", api_path="{section}.width")))


def test_what_no_column_declares_is_listed_with_its_path_and_value():
    assert unmodelled_fields(KIND, RAW) == [("isCTV", True), ("cpm", 0), ("relation.banner.main", 1),
                                            ("createdAt", "2027-01-01")]


def test_a_column_added_to_the_kind_takes_its_field_off_the_list():
    wider = dataclasses.replace(KIND, columns=(*KIND.columns, Column("CTV", "isCTV", ColType.BOOL, "CTV"),
                                               Column("Main", "main", ColType.INT, "m", api_path="relation.{s}.main")))
    assert unmodelled_fields(wider, RAW) == [("cpm", 0), ("createdAt", "2027-01-01")]


def test_what_the_platform_marks_as_no_setting_is_not_listed():
    assert unmodelled_fields(KIND, RAW, ("createdAt", "relation.*")) == [("isCTV", True), ("cpm", 0)]


def test_values_are_json_text_and_long_ones_are_cut():
    assert (shown_value(True), shown_value("=1+2"), shown_value([1, 2])) == ("true", "=1+2", "[1, 2]")
    long = shown_value(list(range(500)))
    assert len(long) == MAX_SHOWN and long.endswith("…")


def test_only_rows_carrying_their_object_are_looked_at():
    rows = {"campaigns": [{"ref": "campaign-7", "id": 7, RAW_OBJECT: RAW}, {"ref": "campaign-8", "id": 8}]}
    found = unmodelled([KIND], rows, {"campaigns": ("createdAt", "relation.*", "cpm")})
    assert [(u.sheet, u.object, u.path, u.value) for u in found] == [("Campaigns", "campaign-7", "isCTV", "true")]


def test_each_platforms_status_columns_are_declared_and_so_never_listed():
    smartyads = platform_named("smartyads")
    campaigns = next(k for k in smartyads.kinds if k.name == "campaigns")
    raw = {"isActive": True, "isRunning": False, "extendedStatus": "Low Balance", "userId": 24, "isCTV": False}
    assert unmodelled_fields(campaigns, raw, smartyads.not_settings["campaigns"]) == [("isCTV", False)]
    iqm = platform_named("iqm")
    campaigns = next(k for k in iqm.kinds if k.name == "campaigns")
    raw = {"status": "running", "owId": 1, "whiteListedZipcodes": "02134", "dspMargin": 5}
    assert unmodelled_fields(campaigns, raw, iqm.not_settings["campaigns"]) == [("dspMargin", 5)]
