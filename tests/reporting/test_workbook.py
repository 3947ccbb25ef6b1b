"""The report workbook and CSV: typed cells and formats, the platform's totals row, the check against
the rows' sums, the chart of impressions and spend by day, and names from the platform kept inert."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from bulkops.reporting._check import disagreements, row_sums
from bulkops.reporting._csv import write_report_csv
from bulkops.reporting._workbook import write_report_workbook
from tests.reporting._data import DAY1, DAY2, statistics

BY = ("day", "campaign")


def _write(tmp_path, stats, by=BY):
    return write_report_workbook(stats, by, [("Platform", "Test")], row_sums(stats), disagreements(stats),
                                 tmp_path / "report.xlsx")


def test_data_sheet_is_typed_sorted_and_formatted(tmp_path):
    book = openpyxl.load_workbook(_write(tmp_path, statistics()))
    assert book.sheetnames == ["Summary", "Report", "By day"]
    sheet = book["Report"]
    assert [c.value for c in sheet[1]] == ["Day", "Campaign ID", "Campaign", "Bids", "Impressions", "Clicks", "Spend",
                                           "CTR"]
    assert sheet.freeze_panes == "A2"
    day, campaign, name, _, impressions, _, spend, ctr = sheet[2]
    assert day.value == dt.datetime(2026, 2, 10) and day.number_format == "yyyy-mm-dd"
    assert campaign.value == 1 and name.value == "UA | Pay Master | US"
    assert impressions.value == 52963 and impressions.number_format == "#,##0"
    assert spend.value == pytest.approx(229.50605086) and spend.number_format == '"$"#,##0.00'
    assert ctr.value == pytest.approx(0.03230557, abs=1e-8) and ctr.number_format == "0.00%"
    assert [sheet.cell(row=r, column=1).value.date() for r in (2, 3, 4)] == [DAY1, DAY1, DAY2]


def test_names_from_the_platform_are_never_formulas(tmp_path):
    sheet = openpyxl.load_workbook(_write(tmp_path, statistics()))["Report"]
    cell = sheet["C3"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s" and cell.quotePrefix


def test_totals_row_holds_the_platforms_totals(tmp_path):
    sheet = openpyxl.load_workbook(_write(tmp_path, statistics()))["Report"]
    totals = [c.value for c in sheet[5]]
    assert totals[0] == "Total (platform)"
    assert totals[3:7] == [279815, 55963, 1751, pytest.approx(235.25605086)]
    assert totals[7] == pytest.approx(0.015)  # the platform's own CTR, not recomputed
    assert sheet.max_row == 5  # the rows agree with the totals: no second line
    summary = openpyxl.load_workbook(tmp_path / "report.xlsx")["Summary"]
    assert "the rows add up to the platform's totals" in [c.value for c in summary["B"]]


def test_a_disagreement_is_shown_not_hidden(tmp_path):
    stats = statistics(total_impressions=56000)
    assert disagreements(stats) == ["Impressions: the rows add up to 55,963, the platform's total is 56,000"]
    book = openpyxl.load_workbook(_write(tmp_path, stats))
    sheet = book["Report"]
    assert sheet["A6"].value == "Sum of rows" and sheet["E6"].value == 55963 and sheet["E5"].value == 56000
    shown = [c.value for c in book["Summary"]["B"]]
    assert "the rows do NOT add up to the platform's totals" in shown
    assert disagreements(stats)[0] in shown


def test_money_is_compared_to_half_a_cent():
    stats = statistics()
    stats.totals["spend"] += 0.004
    assert disagreements(stats) == []
    stats.totals["spend"] += 0.01
    assert disagreements(stats)[0].startswith("Spend: the rows add up to 235.26")


def test_chart_of_impressions_and_spend_by_day_on_two_axes(tmp_path):
    book = openpyxl.load_workbook(_write(tmp_path, statistics()))
    by_day = book["By day"]
    assert [[c.value for c in r] for r in by_day.iter_rows(min_row=2)] == [
        [dt.datetime(2026, 2, 10), 53963, pytest.approx(230.75605086)], [dt.datetime(2026, 2, 11), 2000, 4.5]]
    charts = book["Summary"]._charts
    assert len(charts) == 1
    bars = charts[0]
    line = bars._charts[1]
    assert bars.tagname == "barChart" and line.tagname == "lineChart"
    assert bars.series[0].val.numRef.f == "'By day'!$B$2:$B$3"
    assert line.series[0].val.numRef.f == "'By day'!$C$2:$C$3"
    assert bars.series[0].tx.strRef.f == "'By day'!B1" and line.series[0].tx.strRef.f == "'By day'!C1"
    assert line.y_axis.axId != bars.y_axis.axId and line.y_axis.crosses == "max"  # spend on its own axis


def test_without_days_there_is_no_chart(tmp_path):
    stats = statistics()
    for row in stats.rows:
        row.day = None
    book = openpyxl.load_workbook(_write(tmp_path, stats, by=("campaign",)))
    assert book.sheetnames == ["Summary", "Report"] and not book["Summary"]._charts


def test_csv_as_the_project_writes_csv(tmp_path):
    path = write_report_csv(statistics(), BY, tmp_path / "report.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Day", "Campaign ID", "Campaign", "Bids", "Impressions", "Clicks", "Spend", "CTR (%)"]
    assert rows[1] == ["2026-02-10", "1", "UA | Pay Master | US", "264815", "52963", "1711", "229.50605086",
                       "3.230557"]
    assert rows[2][2] == "'=HYPERLINK(\"http://x\")"  # neutralised, as export's CSVs are
    assert rows[-1] == ["Total (platform)", "", "", "279815", "55963", "1751", "235.25605086", "1.5"]
