"""Every documented enum and cross-field rule of the SmartyAds Campaigns sheet, with its row and column."""

from __future__ import annotations

import pytest

from bulkops._jobs import validate_files
from tests.conftest import campaign

HEADER_BY_FIELD = None


def problems_of(write_campaigns_xlsx, rows):
    report = validate_files([write_campaigns_xlsx(rows)], "smartyads")
    return [(p.row, p.column, p.code, p.message) for p in report.errors]


def test_a_valid_row_has_no_problems(write_campaigns_xlsx):
    assert problems_of(write_campaigns_xlsx, [campaign()]) == []


@pytest.mark.parametrize("field,label,value", [
    ("type", "Type", "billboard"),
    ("budgetUse", "Budget Distribution", "even"),
    ("frequencyType", "Frequency Type", "device"),
    ("contentCategories", "IAB Categories", "IAB1, IAB99"),
    ("connectionTypes", "Connection Types", "wifi, 6g"),
    ("OS", "Operating Systems", "Windows 12"),
    ("browser", "Browsers", "Netscape"),
    ("deviceLanguage", "Languages", "en, xx"),
    ("action", "Action", "upsert"),
])
def test_values_outside_the_documented_lists_are_reported(write_campaigns_xlsx, field, label, value):
    found = problems_of(write_campaigns_xlsx, [campaign(**{field: value})])
    assert len(found) == 1
    row, column, code, message = found[0]
    assert (row, column, code) == (2, label, "allowed")
    assert "allowed:" in message


def test_a_list_problem_names_the_bad_items_only(write_campaigns_xlsx):
    [(_, _, _, message)] = problems_of(write_campaigns_xlsx, [campaign(connectionTypes="wifi, 6g")])
    assert message.startswith("'6g' not allowed")


def test_did_you_mean_for_near_misses(write_campaigns_xlsx):
    [(_, _, _, message)] = problems_of(write_campaigns_xlsx, [campaign(connectionTypes="wi-fi")])
    assert "did you mean 'wifi'" in message


@pytest.mark.parametrize("field,label", [("name", "Name"), ("type", "Type"), ("aDomain", "Advertiser Domain")])
def test_required_fields_on_create(write_campaigns_xlsx, field, label):
    assert problems_of(write_campaigns_xlsx, [campaign(**{field: None})]) == [
        (2, label, "required", f"{label} is required")]


def test_an_update_needs_only_the_name(write_campaigns_xlsx):
    row = {"id": 12, "name": "Renamed"}
    assert problems_of(write_campaigns_xlsx, [row]) == []
    assert problems_of(write_campaigns_xlsx, [{"id": 12, "spentDailyLimit": 5}]) == [
        (2, "Name", "required", "Name is required")]


def test_end_date_before_start_date(write_campaigns_xlsx):
    found = problems_of(write_campaigns_xlsx, [campaign(dateStart="2027-05-01", dateEnd="2027-04-01")])
    assert found == [(2, "End Date", "order", "End Date (2027-04-01) must be on or after Start Date (2027-05-01)")]


def test_min_age_above_max_age(write_campaigns_xlsx):
    found = problems_of(write_campaigns_xlsx, [campaign(userAgeMin=40, userAgeMax=20)])
    assert [(r, c, code) for r, c, code, _ in found] == [(2, "Max Age", "order")]


def test_frequency_on_requires_type_cap_and_period(write_campaigns_xlsx):
    found = problems_of(write_campaigns_xlsx, [campaign(frequency="yes")])
    assert sorted(c for _, c, _, _ in found) == ["Frequency Cap", "Frequency Period", "Frequency Type"]
    assert problems_of(write_campaigns_xlsx, [campaign(frequency="yes", frequencyType="user", frequencyCap=3,
                                                       frequencyPeriod=1)]) == []
    assert problems_of(write_campaigns_xlsx, [campaign(frequency="no")]) == []


@pytest.mark.parametrize("field,value,code", [
    ("frequencyPeriod", 4, "range"),
    ("spentDailyLimit", -1, "range"),
    ("userAgeMax", 130, "range"),
    ("aDomain", "not a domain", "format"),
    ("name", "x" * 256, "length"),
])
def test_ranges_formats_and_lengths(write_campaigns_xlsx, field, value, code):
    found = problems_of(write_campaigns_xlsx, [campaign(**{field: value})])
    assert [c for _, _, c, _ in found] == [code]


def test_duplicate_refs(write_campaigns_xlsx):
    found = problems_of(write_campaigns_xlsx, [campaign(ref="x"), campaign(ref="X", name="Other")])
    assert [(r, c, code) for r, c, code, _ in found] == [(3, "Ref", "duplicate")]


def test_action_and_id_must_agree(write_campaigns_xlsx):
    found = problems_of(write_campaigns_xlsx, [campaign(action="create", id=5), {"action": "delete"}])
    assert [(r, c) for r, c, _, _ in found] == [(2, "ID"), (3, "ID")]


def test_every_failure_is_reported_not_the_first(write_campaigns_xlsx):
    rows = [campaign(ref=f"r{i}", type="bad", budgetUse="bad") for i in range(5)]
    assert len(problems_of(write_campaigns_xlsx, rows)) == 10


def test_a_cell_that_cannot_be_read_is_reported_once(write_campaigns_xlsx):
    found = problems_of(write_campaigns_xlsx, [campaign(spentDailyLimit="lots")])
    assert [(r, c, code) for r, c, code, _ in found] == [(2, "Daily Spend Limit", "type")]


def test_cells_people_really_type_are_accepted(write_csv):
    path = write_csv([
        ["ref", "NAME", "type", "a domain", "date start", "DateEnd", "isTablet", "connectionTypes", "OS"],
        ["c1", "One", "Banner", "example.com", "2027-03-01", "46477", "yes", "wifi\ncellular_4g", "ios, android 9.0"],
    ])
    report = validate_files([path], "smartyads")
    assert report.errors == []
    values = report.validated[0].values.loc[2]
    assert values["type"] == "banner" and values["isTablet"] is True
    assert values["connectionTypes"] == ["wifi", "cellular_4g"] and values["OS"] == ["iOS", "Android 9.0"]
    assert str(values["dateEnd"]) == "2027-03-31"


@pytest.mark.parametrize("value,expected", [("include", True), ("Exclude", False), ("whitelist", True),
                                            (False, False)])
def test_include_exclude_modes(write_campaigns_xlsx, value, expected):
    report = validate_files([write_campaigns_xlsx([campaign(OSIsInclude=value)])], "smartyads")
    assert report.errors == []
    assert report.validated[0].values.loc[2, "OSIsInclude"] is expected
