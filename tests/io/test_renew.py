"""A job read as new (`push --as-new`): entity rows lose their IDs and become creates, child rows naming
an old ID name that row instead, and what cannot be done anew is refused on its row."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulkops._exceptions import ConfigError
from bulkops._jobs import validate_files
from bulkops.io import AS_NEW
from tests.conftest import campaign

EXPORTED = {
    "campaigns": [campaign(ref="campaign-12", id=12, name="North"),
                  campaign(ref=None, id=13, name="South", action="update")],
    "creatives": [{"ref": "creative-7", "id": 7, "name": "Tag", "format": "banner-tag", "campaigns": "12, 13",
                   "bidPrice": 0.9, "width": 300, "height": 250, "admBody": "<script src=\"https://a.example/t.js\">"
                   "</script>", "categories": "IAB22"}],
    "geo-zip": [{"campaign": "12", "zip": "02134", "iso2": "US"},
                {"campaign": "campaign-12", "zip": "10001", "iso2": "US"},
                {"campaign": 13, "zip": "01001", "iso2": "US"}],
    "deals": [{"campaign": "13", "dealId": "PMP-1", "bidPrice": 2.5}],
    "filter-lists": [{"ref": "filter-list-3", "id": 3, "title": "Safe", "type": "domain", "isInclude": "include",
                      "campaigns": "campaign-12, 13"}],
    "filter-list-items": [{"filterList": "3", "item": "news.example.com"}],
}


def _by_field(report, sheet: str, field_name: str) -> list[object]:
    item = next(v for v in report.validated if sheet in (v.sheet.title, v.sheet.file))
    return list(item.values[field_name])


def test_every_object_is_a_create_and_children_name_their_new_parents(write_workbook):
    report = validate_files([write_workbook(EXPORTED)], "smartyads", as_new=True)
    assert report.ok, [p.render() for p in report.errors]
    for item in report.validated:
        assert set(item.actions) == {"create"}, item.sheet.title
    assert _by_field(report, "Campaigns", "id") == [None, None]
    assert _by_field(report, "Campaigns", "ref") == ["campaign-12", "old-campaigns-13"]
    assert _by_field(report, "Creatives", "campaigns") == [["campaign-12", "old-campaigns-13"]]
    assert _by_field(report, "Geo ZIP", "campaign") == ["campaign-12", "campaign-12", "old-campaigns-13"]
    assert _by_field(report, "Deals", "campaign") == ["old-campaigns-13"]
    assert _by_field(report, "Filter Lists", "campaigns") == [["campaign-12", "old-campaigns-13"]]
    assert _by_field(report, "Filter List Items", "filterList") == ["filter-list-3"]
    titles = [v.sheet.title for v in report.validated]
    old = {(titles[sheet], row): number for (sheet, row), number in report.renewed.old_ids.items()}
    assert old == {("Campaigns", 2): 12, ("Campaigns", 3): 13, ("Creatives", 2): 7, ("Filter Lists", 2): 3}


def test_without_as_new_the_same_workbook_updates(write_workbook):
    report = validate_files([write_workbook(EXPORTED)], "smartyads")
    campaigns = next(v for v in report.validated if v.sheet.title == "Campaigns")
    assert set(campaigns.actions) == {"update"} and not report.renewed.old_ids


def test_a_delete_and_a_parent_not_in_the_job_are_refused_on_their_rows(write_workbook):
    job = {**EXPORTED,
           "campaigns": [*EXPORTED["campaigns"], campaign(ref="gone", id=14, name="Gone", action="delete")],
           "geo-gps": [{"campaign": "99", "lat": 40.7, "lng": -73.9, "radius": 2, "unit": "km"}]}
    report = validate_files([write_workbook(job)], "smartyads", as_new=True)
    refused = {(p.sheet, p.row, p.column): p.message for p in report.errors if p.code == AS_NEW}
    assert set(refused) == {("Campaigns", 4, "Action"), ("Geo GPS", 2, "Campaign")}
    assert "a delete cannot be done with --as-new" in refused[("Campaigns", 4, "Action")]
    assert "names campaigns 99, which no row of the job holds" in refused[("Geo GPS", 2, "Campaign")]


def test_one_id_on_two_rows_is_refused(write_workbook):
    job = {"campaigns": [campaign(ref="a", id=12, name="A"), campaign(ref="b", id=12, name="B")]}
    report = validate_files([write_workbook(job)], "smartyads", as_new=True)
    assert [(p.row, p.code) for p in report.errors] == [(3, AS_NEW)]
    assert "ID 12 is also on row 2" in report.errors[0].message


def test_a_csv_job_is_read_as_new_too(write_csv):
    campaigns = write_csv([["Ref", "ID", "Name", "Type", "Advertiser Domain", "Start Date", "End Date"],
                           ["", "12", "North", "banner", "example.com", "2027-03-01", "2027-03-31"]])
    zips = write_csv([["Campaign", "ZIP", "Country"], ["12", "02134", "US"]], name="geo-zip.csv")
    report = validate_files([campaigns, zips], "smartyads", as_new=True)
    assert report.ok, [p.render() for p in report.errors]
    assert _by_field(report, "geo-zip.csv", "campaign") == ["old-campaigns-12"]


def test_a_results_workbook_is_refused(write_workbook, tmp_path: Path):
    import openpyxl

    path = write_workbook({"campaigns": [campaign(ref="c", id=12)]})
    book = openpyxl.load_workbook(path)
    sheet = book["Campaigns"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Status")
    sheet.cell(row=1, column=sheet.max_column + 1, value="Message")
    book.save(path)
    with pytest.raises(ConfigError, match="is a results workbook"):
        validate_files([path], "smartyads", as_new=True)


def test_the_python_api_plans_a_job_as_new(write_workbook):
    import bulkops

    path = write_workbook(EXPORTED)
    assert bulkops.plan(path, platform="smartyads", offline=True).sheets["Campaigns"] == {"update": 2}
    planned = bulkops.plan(path, platform="smartyads", offline=True, as_new=True)
    assert planned.ok and planned.sheets["Campaigns"] == {"create": 2}
    assert planned.sheets["Filter Lists"] == {"create": 1}


def test_rows_pushed_as_new_that_made_nothing_keep_no_old_id_in_the_results(write_workbook, tmp_path: Path):
    """An invalid job sends nothing: its results name no object, and the old IDs, which in the account
    pushed to would name other objects, are not left in the ID cells."""
    import openpyxl

    from bulkops._jobs import push_files

    job = {**EXPORTED, "geo-gps": [{"campaign": "99", "lat": 40.7, "lng": -73.9, "radius": 2, "unit": "km"}]}
    report = push_files([write_workbook(job)], "smartyads", base_url="http://127.0.0.1:9", creds=None,
                        output=tmp_path / "results.xlsx", as_new=True)
    assert not report.sent
    assert {row.old_id for row in report.rows if row.sheet == "Campaigns"} == {12, 13}
    sheet = openpyxl.load_workbook(tmp_path / "results.xlsx")["Campaigns"]
    heads = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[heads.index("ID")] for row in rows] == [None, None]
    assert heads.index("Old ID") == heads.index("ID") + 1
    assert [row[heads.index("Old ID")] for row in rows] == [12, 13]


def test_columns_of_the_accounts_own_ids_are_warned_about(write_workbook):
    """IQM's insertion order and uploaded location files belong to an account: moved as they are, they
    name other objects, or none, in the account pushed to."""
    row = {"ref": "campaign-7", "id": 7, "campaignName": "Wave", "advertiserDomain": "https://shop.example.com",
           "creativeType": "image", "maxBid": 8, "budgetDay": 50, "budgetTotal": 1500,
           "startTime": "2027-10-01 00:00", "endTime": "2027-10-31 23:59", "tz": "America/New_York",
           "timezone": 433, "ioId": 2695, "countryId": "30100001", "isAgreementChecked": "TRUE",
           "locationFileIds": "41, 42"}
    path = write_workbook({"campaigns": [row]}, platform="iqm")
    report = validate_files([path], "iqm", as_new=True)
    assert report.ok, [p.render() for p in report.errors]
    warned = {p.column for p in report.problems if p.code == AS_NEW and not p.is_error}
    assert warned == {"Insertion Order ID", "Location Files"}
    assert not [p for p in validate_files([path], "iqm").problems if p.code == AS_NEW]


def test_an_id_in_a_column_naming_the_accounts_objects_by_id_or_name_is_warned_about(write_workbook):
    """An optimization rule, an audience or a contextual rule is the account's own: typed by ID it names
    another object, or none, in the account pushed to, where a name is looked up there."""
    path = write_workbook({
        "campaigns": [campaign(ref="campaign-12", id=12, name="North", optimizationRule="7"),
                      campaign(ref="campaign-13", id=13, name="South", optimizationRule="Pause weak sources")],
        "audiences": [{"campaign": "12", "audience": 20, "type": "collect"},
                      {"campaign": "13", "audience": "Cart abandoners"}],
        "contextual": [{"campaign": "12", "target": "4"}, {"campaign": "13", "target": "Travel planning"}],
    })
    report = validate_files([path], "smartyads", as_new=True)
    assert report.ok, [p.render() for p in report.errors]
    warned = sorted((p.sheet, p.row, p.column) for p in report.problems if p.code == AS_NEW and not p.is_error)
    assert warned == [("Audiences", 2, "Audience"), ("Campaigns", 2, "Optimization Rule"),
                      ("Contextual", 2, "Contextual Targeting")]
    rule = next(p for p in report.problems if p.code == AS_NEW and p.column == "Optimization Rule")
    assert "Optimization Rule 7 is an ID of the account the workbook came from" in rule.message
    assert not [p for p in validate_files([path], "smartyads").problems if p.code == AS_NEW]
