"""The results workbook at a glance, from both writers alike: the Summary's chart of outcomes per
sheet, the header and the rows' keys frozen on the results sheets, long messages wrapped; a results
workbook pushed again gets one fresh chart on the quick path; LibreOffice opens it."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest

from bulkops.io import ResultRow, read_file
from bulkops.io._glance import CHART_TITLE, CHARTED
from bulkops.io._results import openpyxl_results, write_results
from tests.io.test_results_fast import both, facts, job, no_fallback, outcomes

pytestmark = pytest.mark.slow

__all__ = ["no_fallback"]  # the fixture, used by name


def _chart(path):
    charts = openpyxl.load_workbook(path)["Summary"]._charts
    assert len(charts) == 1
    return charts[0]


@pytest.mark.parametrize("ids", [True, False], ids=["with-id-column", "id-column-deleted"])
def test_both_writers_chart_the_outcomes_of_every_sheet(write_workbook, tmp_path, no_fallback, ids):
    sheets = read_file(job(write_workbook, ids=ids), "smartyads")
    for path in both(sheets, outcomes(sheets), tmp_path, "first"):
        summary = openpyxl.load_workbook(path)["Summary"]
        header_row = next(r for r in range(1, 30) if summary.cell(r, 1).value == "Sheet")
        header = [c.value for c in summary[header_row]]
        chart = _chart(path)
        assert chart.tagname == "barChart" and chart.grouping == "stacked" and chart.type == "bar"
        assert chart.title.tx.rich.p[0].r[0].t == CHART_TITLE
        assert len(chart.series) == len(CHARTED)
        for series, status in zip(chart.series, CHARTED, strict=True):
            column = openpyxl.utils.get_column_letter(header.index(status) + 1)
            assert series.tx.strRef.f == f"'Summary'!{column}{header_row}"
            assert series.val.numRef.f == f"'Summary'!${column}${header_row + 1}:${column}${header_row + 2}"
            assert (series.cat.numRef or series.cat.strRef).f == f"'Summary'!$A${header_row + 1}:$A${header_row + 2}"
        assert [summary.cell(header_row + n, 1).value for n in (1, 2)] == ["Campaigns", "Geo ZIP"]


@pytest.mark.parametrize("ids", [True, False], ids=["with-id-column", "id-column-deleted"])
def test_header_and_keys_are_frozen_and_messages_wrap(write_workbook, tmp_path, no_fallback, ids):
    sheets = read_file(job(write_workbook, ids=ids), "smartyads")
    done = outcomes(sheets)
    for path in both(sheets, done, tmp_path, "first"):
        book = openpyxl.load_workbook(path)
        campaigns, zips = book["Campaigns"], book["Geo ZIP"]
        assert [c.value for c in campaigns[1]][:2] == ["Ref", "ID"]
        assert campaigns.freeze_panes == "C2"  # the header, and Ref and ID beside every row's Status
        assert zips.freeze_panes == "A2"  # a Geo ZIP row has no Ref or ID at its left
        message_at = [c.value for c in campaigns[1]].index("Message") + 1
        messages = [campaigns.cell(row, message_at) for (index, row), o in done.items() if index == 0 and o.message]
        assert messages and all(cell.alignment.wrap_text for cell in messages)


def test_a_csv_job_gets_the_same_pane(write_csv, tmp_path, no_fallback):
    path = write_csv([["Ref", "ID", "Name"], ["c1", "", "North"]])
    sheets = read_file(path, "smartyads")
    for out in both(sheets, {(0, 2): ResultRow("failed", "x" * 300)}, tmp_path, "csv"):
        sheet = openpyxl.load_workbook(out)["Campaigns"]
        assert sheet.freeze_panes == "C2" and sheet["E2"].alignment.wrap_text


def test_results_pushed_again_get_one_fresh_chart_on_the_quick_path(write_workbook, tmp_path, no_fallback):
    sheets = read_file(job(write_workbook), "smartyads")
    first = write_results(sheets, outcomes(sheets), facts(), tmp_path / "first.xlsx")
    again = read_file(first, "smartyads")
    second = write_results(again, outcomes(again, seed=1), facts(), tmp_path / "second.xlsx")
    assert _chart(second).series[0].tx.strRef.f.startswith("'Summary'!")
    names = openpyxl.load_workbook(second).sheetnames
    assert names[0] == "Summary" and names.count("Summary") == 1
    third = openpyxl_results(read_file(second, "smartyads"), outcomes(again), facts(), tmp_path / "third.xlsx")
    assert _chart(third)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_results_workbook_with_its_chart(write_workbook, tmp_path):
    sheets = read_file(job(write_workbook), "smartyads")
    quick = write_results(sheets, outcomes(sheets), facts(), tmp_path / "quick.xlsx")
    resaved = tmp_path / "resaved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "xlsx", "--outdir", str(resaved), str(quick)],
                   check=True, capture_output=True, timeout=240)
    book = openpyxl.load_workbook(resaved / "quick.xlsx")  # (headless, LibreOffice keeps no sheet's pane)
    assert len(book["Summary"]._charts) == 1 and len(book["Summary"]._charts[0].series) == len(CHARTED)
