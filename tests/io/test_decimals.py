"""A file's numbers are read as the program that wrote it meant them: the CSV's separator says which mark
is the decimal one, --decimal-comma / --decimal-point say it for every file, and where nothing says, a
number that reads two ways is refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bulkops._jobs import validate_files
from bulkops.io import read_files
from bulkops.kinds import Decimals
from tests._excel_csv import write_excel_csv
from tests.kinds._reports import errors, values

CAMPAIGN_HEADER = ["Ref", "Name", "Type", "Advertiser Domain", "Start Date", "End Date", "Daily Spend Limit",
                   "Total Spend Limit", "Tablet", "Frequency Capping", "Frequency Type", "Frequency Cap",
                   "Frequency Period"]


def campaign_cells(ref: str, daily: str, total: str = "", tablet: str = "", frequency: str = "") -> list[str]:
    capped = ["user", "3", "1"] if frequency else ["", "", ""]
    return [ref, f"Café {ref}", "banner", "example.com", "2027-03-01", "2027-03-31", daily, total, tablet,
            frequency, *capped]


def job(folder: Path, separator: str, encoding: str, campaigns: list[list[str]], deals: list[list[str]],
        circles: list[list[str]]) -> list[Path]:
    """Campaigns, Deals and Geo GPS CSVs of one job, as a spreadsheet program saves them."""
    return [write_excel_csv(folder / "campaigns.csv", [CAMPAIGN_HEADER, *campaigns], separator=separator,
                            encoding=encoding),
            write_excel_csv(folder / "deals.csv", [["Campaign", "Deal ID", "Bid Price"], *deals], separator=separator,
                            encoding=encoding),
            write_excel_csv(folder / "geo-gps.csv", [["Campaign", "Latitude", "Longitude", "Radius", "Unit"],
                                                     *circles], separator=separator, encoding=encoding)]


def test_a_semicolon_csv_from_excel_reads_comma_decimals_and_point_thousands(tmp_path):
    paths = job(tmp_path, ";", "cp1252",
                [campaign_cells("c1", "1.000", "1\u00a0500", "WAHR", "VRAI"),
                 campaign_cells("c2", "250", tablet="FALSCH")],
                [["c1", "PMP-1", "2,500"], ["c1", "PMP-2", "0,125"]],
                [["c1", "48,864", "2,3522", "1,5", "km"]])
    assert paths[0].read_bytes().startswith(b"Ref;Name;") and b"Caf\xe9 c1" in paths[0].read_bytes()
    report = validate_files(paths, "smartyads")
    assert report.errors == []
    assert {s.sheet.title: s.sheet.decimal for s in report.validated} == dict.fromkeys(
        ("Campaigns", "Deals", "Geo GPS"), Decimals(",", ";"))
    first = values(report, "Campaigns")
    assert (first["spentDailyLimit"], first["spentTotalLimit"], first["isTablet"], first["frequency"]) == (
        1000, 1500, True, True)
    assert values(report, "Campaigns", 3)["isTablet"] is False
    assert [values(report, "Deals", row)["bidPrice"] for row in (2, 3)] == [2.5, 0.125]
    circle = values(report, "Geo GPS")
    assert (circle["lat"], circle["lng"], circle["radius"]) == (48.864, 2.3522, 1.5)


def test_in_a_semicolon_csv_a_point_decimal_is_refused_and_a_range_message_quotes_the_cell(tmp_path):
    paths = job(tmp_path, ";", "cp1252", [campaign_cells("c1", "1,5")], [["c1", "PMP-1", "1.5"]],
                [["c1", "48.864", "2,35", "1,5", "km"]])
    report = validate_files(paths, "smartyads")
    assert errors(report, "Deals") == [(2, "Bid Price", "type", "'1.5' does not fit this file's numbers, which use ',' "
                                        "for decimals (the file is ';'-separated): write 1,5, or pass --decimal-point "
                                        "if its numbers use '.' for decimals (number expected)")]
    assert errors(report, "Campaigns") == [(2, "Daily Spend Limit", "type", "'1,5' (read as 1.5: this file's numbers "
                                            "use ',' for decimals) is not a whole number (integer expected)")]
    assert errors(report, "Geo GPS") == [(2, "Latitude", "range", "'48.864' (read as 48864: this file's numbers use "
                                          "',' for decimals) is above the maximum of 90")]


def test_a_deal_twice_with_two_bids_quotes_the_first_bid_as_typed(tmp_path):
    paths = job(tmp_path, ";", "cp1252", [campaign_cells("c1", "250")],
                [["c1", "PMP-1", "2,50"], ["c1", "PMP-1", "3"]], [])
    report = validate_files(paths, "smartyads")
    assert errors(report, "Deals") == [(3, "Bid Price", "conflict", "the same item as row 2, whose Bid Price is '2,50' "
                                        "(read as 2.5: this file's numbers use ',' for decimals); keep one row")]


def test_a_comma_csv_reads_point_decimals_and_comma_thousands(tmp_path):
    paths = job(tmp_path, ",", "utf-8", [campaign_cells("c1", "1,000", "1,500")],
                [["c1", "PMP-1", "2.50"], ["c1", "PMP-2", "1,5"]], [["c1", "48.864", "2.3522", "1.5", "km"]])
    assert b'"1,000"' in paths[0].read_bytes()  # quoted, as the separator is in it
    report = validate_files(paths, "smartyads")
    assert (values(report, "Campaigns")["spentDailyLimit"], values(report, "Campaigns")["spentTotalLimit"]) == (
        1000, 1500)
    assert values(report, "Deals")["bidPrice"] == 2.5
    assert values(report, "Geo GPS")["lat"] == 48.864
    assert errors(report, "Deals") == [(3, "Bid Price", "type", "'1,5' does not fit this file's numbers, which use '.' "
                                        "for decimals (the file is ','-separated): write 1.5, or pass --decimal-comma "
                                        "if its numbers use ',' for decimals (number expected)")]


def test_a_tab_csv_says_nothing_so_numbers_that_read_two_ways_are_refused(tmp_path):
    # Excel's "Unicode text": UTF-16, tab-separated, numbers in the computer's settings
    paths = job(tmp_path, "\t", "utf-16", [campaign_cells("c1", "1.000"), campaign_cells("c2", "1.000,50")],
                [["c1", "PMP-1", "2,500"], ["c1", "PMP-2", "1,5"], ["c1", "PMP-3", "0,125"]],
                [["c1", "48,864", "2,3522", "1,5", "km"]])
    report = validate_files(paths, "smartyads")
    assert {s.sheet.decimal for s in report.validated} == {None}
    [(row, column, code, message)] = [e for e in errors(report, "Campaigns") if e[0] == 2]
    assert (row, column, code) == (2, "Daily Spend Limit", "type")
    assert message.startswith("'1.000' could be 1 ('.' as the decimal mark) or 1000 ('.' between thousands)")
    assert "pass --decimal-comma or --decimal-point" in message
    assert (3, "Daily Spend Limit", "type") in [e[:3] for e in errors(report, "Campaigns")]  # 1000.5: not whole
    assert [e[:3] for e in errors(report, "Deals")] == [(2, "Bid Price", "type"), (4, "Bid Price", "type")]
    assert values(report, "Deals", 3)["bidPrice"] == 1.5  # one reading
    [zero_point] = [e[3] for e in errors(report, "Deals") if e[0] == 4]  # 0.125, or 125 to a careless reader
    assert zero_point.startswith("'0,125' could be 0.125 (',' as the decimal mark) or 125 (',' between thousands)")
    assert [e[1] for e in errors(report, "Geo GPS")] == ["Latitude"]
    assert values(report, "Geo GPS")["lng"] == 2.3522


@pytest.mark.parametrize("decimal,daily,bid,lat", [(",", 1000, 2.5, 48.864), (".", 1, 2500, 48864)])
def test_the_option_decides_for_every_file_of_the_job(tmp_path, decimal, daily, bid, lat):
    paths = job(tmp_path, "\t", "utf-8", [campaign_cells("c1", "1.000")], [["c1", "PMP-1", "2,500"]],
                [["c1", "48,864", "2", "1", "km"]])
    sheets = read_files(paths, "smartyads", decimal=decimal)
    assert {sheet.decimal for sheet in sheets} == {Decimals(decimal)}
    report = validate_files(paths, "smartyads", decimal=decimal)
    assert values(report, "Campaigns")["spentDailyLimit"] == daily
    assert values(report, "Deals")["bidPrice"] == bid
    assert values(report, "Geo GPS")["lat"] == lat


def test_the_option_wins_over_the_separator(tmp_path):
    paths = job(tmp_path, ";", "cp1252", [campaign_cells("c1", "1.000")], [["c1", "PMP-1", "1,5"]],
                [["c1", "48.864", "2.35", "1", "km"]])
    report = validate_files(paths, "smartyads", decimal=".")  # a Swiss file: ';' but '.' for decimals
    assert values(report, "Campaigns")["spentDailyLimit"] == 1
    assert values(report, "Geo GPS")["lat"] == 48.864
    [(_, column, _, message)] = errors(report, "Deals")
    assert message.startswith("'1,5' is not a number with '.' for decimals, as --decimal-point says: write 1.5")


def test_text_cells_of_a_workbook_are_read_like_a_file_that_says_nothing(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Campaigns"
    sheet.append(CAMPAIGN_HEADER)
    sheet.append(campaign_cells("c1", "1.000"))  # text: a script wrote strings, or the column is formatted as Text
    sheet.append(campaign_cells("c2", "1,5"))
    sheet.append([*campaign_cells("c3", "")[:6], 1000.0])  # a number cell is a number, whatever the settings
    path = tmp_path / "campaigns.xlsx"
    book.save(path)
    report = validate_files([path], "smartyads")
    found = errors(report, "Campaigns")
    assert [e[:3] for e in found] == [(2, "Daily Spend Limit", "type"), (3, "Daily Spend Limit", "type")]
    assert found[0][3].startswith("'1.000' could be 1 ('.' as the decimal mark) or 1000")
    assert found[1][3] == "'1,5' (read as 1.5) is not a whole number (integer expected)"
    assert values(report, "Campaigns", 4)["spentDailyLimit"] == 1000
    assert values(validate_files([path], "smartyads", decimal=","), "Campaigns")["spentDailyLimit"] == 1000


def test_iqm_budgets_and_bids_in_a_semicolon_csv(tmp_path):
    header = ["Ref", "Name", "Advertiser Domain", "Creative Type", "Max Bid", "Daily Budget", "Total Budget",
              "Start Time", "Time Zone Name", "Time Zone ID", "Insertion Order ID", "Country ID", "Agreement Checked"]
    path = write_excel_csv(tmp_path / "campaigns.csv", [header, ["c1", "Nord", "https://shop.example.com", "image",
                                                                 "0,125", "50", "1.500", "2027-10-01 00:00",
                                                                 "Europe/Paris", "433", "2695", "30100001", "VRAI"]])
    report = validate_files([path], "iqm")
    assert report.errors == []
    row = values(report, "Campaigns")
    assert (row["maxBid"], row["budgetDay"], row["budgetTotal"], row["isAgreementChecked"]) == (0.125, 50, 1500, True)
