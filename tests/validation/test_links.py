"""References between rows of one job: by Ref or by ID, across sheets and across the files of one job."""

from __future__ import annotations

from bulkops._jobs import ValidationReport, validate_files
from bulkops.validation import Parent, RefIndex, RowRef, parents_of
from tests.conftest import campaign


def problems(report: ValidationReport) -> list[tuple]:
    return [(p.file, p.sheet, p.row, p.column, p.code, p.message) for p in report.problems]


def resolved(report: ValidationReport, sheet: str, row: int = 2) -> list[tuple[str, Parent | None]]:
    item = next(v for v in report.validated if v.sheet.title == sheet)
    return list(parents_of(item, row, RefIndex.of(report.validated)))


def test_a_ref_on_another_sheet_of_the_workbook(write_workbook):
    path = write_workbook({"campaigns": [campaign()], "geo-zip": [{"campaign": "c1", "zip": "02134", "iso2": "US"}]})
    report = validate_files([path], "smartyads")
    assert problems(report) == []
    assert resolved(report, "Geo ZIP") == [("c1", Parent("campaigns", row=RowRef(0, 2)))]


def test_refs_across_two_files_of_one_job(write_workbook):
    campaigns = write_workbook({"campaigns": [campaign(), campaign(ref="c2", name="Two")]}, name="campaigns.xlsx")
    targeting = write_workbook({"deals": [{"campaign": "c2", "dealId": "D1", "bidPrice": 2}],
                                "geo-gps": [{"campaign": "c1", "lat": 1, "lng": 2, "radius": 3, "unit": "km"}]},
                               name="targeting.xlsx")
    report = validate_files([campaigns, targeting], "smartyads")
    assert problems(report) == []
    assert resolved(report, "Deals") == [("c2", Parent("campaigns", row=RowRef(0, 3)))]
    assert resolved(report, "Geo GPS") == [("c1", Parent("campaigns", row=RowRef(0, 2)))]


def test_the_file_with_the_parents_may_come_second(write_workbook):
    items = write_workbook({"filter-list-items": [{"filterList": "ips", "item": "not an ip"}]}, name="items.xlsx")
    lists = write_workbook({"filter-lists": [{"ref": "ips", "title": "IPs", "type": "ipAdresses"}]},
                           name="lists.xlsx")
    report = validate_files([items, lists], "smartyads")
    # The list is found in the other file, and so is its Type: the item is checked against it.
    assert problems(report) == [("items.xlsx", "Filter List Items", 2, "Item", "item",
                                 "'not an ip' is not an IPv4 or IPv6 address (or a CIDR range) (the list's Type is "
                                 "ipAdresses)")]
    assert resolved(report, "Filter List Items") == [("ips", Parent("filter-lists", row=RowRef(1, 2)))]


def test_an_unknown_ref_in_the_second_file_is_reported_there(write_workbook):
    campaigns = write_workbook({"campaigns": [campaign(ref="spring-sale")]}, name="campaigns.xlsx")
    targeting = write_workbook({"geo-gps": [{"campaign": "spring-sale", "lat": 1, "lng": 2, "radius": 3, "unit": "km"},
                                            {"campaign": "spring-sales", "lat": 1, "lng": 2, "radius": 4,
                                             "unit": "km"}]},
                               name="targeting.xlsx")
    report = validate_files([campaigns, targeting], "smartyads")
    assert problems(report) == [("targeting.xlsx", "Geo GPS", 3, "Campaign", "reference",
                                 "'spring-sales' is neither the Ref of a campaigns row in this job nor an ID "
                                 "(did you mean 'spring-sale'?)")]


def test_a_ref_only_in_a_file_left_out_of_the_job_is_unknown(write_workbook):
    write_workbook({"campaigns": [campaign()]}, name="campaigns.xlsx")
    targeting = write_workbook({"deals": [{"campaign": "c1", "dealId": "D1", "bidPrice": 2}]}, name="targeting.xlsx")
    report = validate_files([targeting], "smartyads")
    assert problems(report) == [("targeting.xlsx", "Deals", 2, "Campaign", "reference",
                                 "'c1' is neither the Ref of a campaigns row in this job nor an ID")]


def test_refs_are_matched_ignoring_case_and_spaces(write_workbook):
    path = write_workbook({"campaigns": [campaign(ref="Spring-Sale")],
                           "deals": [{"campaign": "SPRING-sale", "dealId": "D1", "bidPrice": 2},
                                     {"campaign": " spring-sale ", "dealId": "D2", "bidPrice": 2}]})
    report = validate_files([path], "smartyads")
    assert problems(report) == []
    assert resolved(report, "Deals", 3) == [("spring-sale", Parent("campaigns", row=RowRef(0, 2)))]


def test_a_number_that_is_no_ref_is_an_id(write_workbook):
    path = write_workbook({"campaigns": [campaign()],
                           "creatives": [{"name": "Tag", "format": "banner-tag", "bidPrice": 1, "categories": "IAB1",
                                          "admBody": "<div></div>", "width": 1, "height": 1, "campaigns": "77, c1"}]})
    report = validate_files([path], "smartyads")
    assert problems(report) == []
    assert resolved(report, "Creatives") == [("77", Parent("campaigns", id=77)),
                                             ("c1", Parent("campaigns", row=RowRef(0, 2)))]


def test_a_ref_that_looks_like_a_number_wins_over_the_id(write_workbook):
    path = write_workbook({"campaigns": [campaign(ref="123")],
                           "deals": [{"campaign": 123, "dealId": "D1", "bidPrice": 2}]})
    report = validate_files([path], "smartyads")
    assert problems(report) == []
    assert resolved(report, "Deals") == [("123", Parent("campaigns", row=RowRef(0, 2)))]


def test_a_ref_to_a_row_with_an_id_is_that_id(write_workbook):
    path = write_workbook({"campaigns": [campaign(id=55)],
                           "deals": [{"campaign": "c1", "dealId": "D1", "bidPrice": 2}]})
    report = validate_files([path], "smartyads")
    assert report.errors == []
    assert resolved(report, "Deals") == [("c1", Parent("campaigns", id=55))]


def test_refs_belong_to_one_kind(write_workbook):
    path = write_workbook({"filter-lists": [{"ref": "shared", "title": "L", "type": "domain"}],
                           "deals": [{"campaign": "shared", "dealId": "D1", "bidPrice": 2}]})
    report = validate_files([path], "smartyads")
    assert problems(report) == [("job.xlsx", "Deals", 2, "Campaign", "reference",
                                 "'shared' is neither the Ref of a campaigns row in this job nor an ID")]


def test_a_ref_to_a_row_being_deleted_or_skipped(write_workbook):
    path = write_workbook({"campaigns": [campaign(ref="gone", id=5, action="delete"), campaign(action="skip")],
                           "deals": [{"campaign": "gone", "dealId": "D1", "bidPrice": 2},
                                     {"campaign": "77", "dealId": "D1", "bidPrice": 2},
                                     {"campaign": "c1", "dealId": "D1", "bidPrice": 2}]})
    report = validate_files([path], "smartyads")
    assert problems(report) == [
        ("job.xlsx", "Deals", 2, "Campaign", "reference", "'gone' names a row whose Action is delete"),
        ("job.xlsx", "Deals", 4, "Campaign", "reference", "'c1' names a row whose Action is skip"),
    ]


def test_rows_being_skipped_are_not_checked(write_workbook):
    path = write_workbook({"creatives": [{"name": "Tag", "action": "skip", "campaigns": "nowhere"}]})
    assert problems(validate_files([path], "smartyads")) == []


def test_the_same_ref_in_two_files_is_a_duplicate(write_workbook):
    first = write_workbook({"campaigns": [campaign()]}, name="a.xlsx")
    second = write_workbook({"campaigns": [campaign(ref="C1", name="Other")]}, name="b.xlsx")
    report = validate_files([first, second], "smartyads")
    assert problems(report) == [("b.xlsx", "Campaigns", 2, "Ref", "duplicate",
                                 "Ref 'C1' is already used by a.xlsx / Campaigns row 2; each Ref must be unique")]


def test_the_same_ref_on_two_kinds_is_not_a_duplicate(write_workbook):
    path = write_workbook({"campaigns": [campaign(ref="x")], "filter-lists": [{"ref": "X", "title": "L",
                                                                                "type": "domain"}]})
    assert problems(validate_files([path], "smartyads")) == []


def test_one_id_on_two_rows_of_a_kind_is_reported(write_workbook):
    rows = [{"id": 41, "name": "A", "format": "banner-tag", "isActive": "yes"},
            {"id": 41, "name": "A", "format": "banner-tag", "isActive": "no"}]
    report = validate_files([write_workbook({"creatives": rows})], "smartyads")
    found = [(p.row, p.column, p.code) for p in report.errors]
    assert (3, "ID", "duplicate") in found
    assert any("ID 41 is already used by" in p.message for p in report.errors)
