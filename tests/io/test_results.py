from __future__ import annotations

import openpyxl

from bulkops.io import ResultRow, RunFacts, read_file, write_results
from bulkops.io._style import FAILED_FILL
from tests.conftest import campaign


def facts() -> RunFacts:
    return RunFacts(platform="smartyads", base_url="http://127.0.0.1:1", requests_sent=3, responses_429=1)


def test_input_is_kept_cell_for_cell_with_ids_status_and_message(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref="a", name="A"), campaign(ref="b", name="B")])
    sheets = read_file(path, "smartyads")
    out = write_results(sheets, {(0, 2): ResultRow("created", "", 41),
                                 (0, 3): ResultRow("failed", "The name has already been taken.")},
                        facts(), tmp_path / "results.xlsx")
    before, after = openpyxl.load_workbook(path), openpyxl.load_workbook(out)
    assert after.sheetnames[0] == "Summary"
    source, result = before["Campaigns"], after["Campaigns"]
    width = source.max_column
    for row in source.iter_rows(min_row=1, max_row=3, max_col=width):
        for cell in row:
            if cell.column_letter == "B" and cell.row > 1:  # the ID column
                continue
            assert result[cell.coordinate].value == cell.value
    assert result["B2"].value == 41 and result["B3"].value is None
    assert [result.cell(1, width + 1).value, result.cell(1, width + 2).value] == ["Status", "Message"]
    assert result.cell(2, width + 1).value == "created"
    assert result.cell(3, width + 2).value == "The name has already been taken."
    assert result.cell(3, 1).fill.fgColor.rgb == FAILED_FILL.fgColor.rgb
    assert result.cell(2, 1).fill.fgColor.rgb != FAILED_FILL.fgColor.rgb
    # Data validations and notes of the template survive.
    assert result.data_validations.dataValidation and result["E1"].comment is not None


def test_summary_counts_and_run_facts_without_secrets(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref="a"), campaign(ref="b", name="B")])
    sheets = read_file(path, "smartyads")
    out = write_results(sheets, {(0, 2): ResultRow("created", "", 1), (0, 3): ResultRow("invalid", "x")},
                        facts(), tmp_path / "r.xlsx")
    summary = openpyxl.load_workbook(out)["Summary"]
    cells = {row[0].value: row[1].value for row in summary.iter_rows(max_row=7)}
    assert cells["Platform"] == "smartyads" and cells["Requests sent"] == 3 and cells["429 answers met"] == 1
    table = [[c.value for c in row] for row in summary.iter_rows(min_row=9)]
    header, counts = table[0], table[1]
    assert counts[0] == "Campaigns"
    assert counts[header.index("created")] == 1 and counts[header.index("invalid")] == 1 and counts[-1] == 2


def test_platform_text_is_never_a_formula(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref="a")])
    sheets = read_file(path, "smartyads")
    evil = '=HYPERLINK("http://evil.example","click")'
    out = write_results(sheets, {(0, 2): ResultRow("failed", evil)}, facts(), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(out)["Campaigns"]
    cell = [c for row in sheet.iter_rows(min_row=2, max_row=2) for c in row if c.value == evil][0]
    assert cell.data_type == "s" and cell.quotePrefix


def test_results_pushed_again_reuse_their_status_columns(write_campaigns_xlsx, tmp_path):
    path = write_campaigns_xlsx([campaign(ref="a")])
    first = write_results(read_file(path, "smartyads"), {(0, 2): ResultRow("failed", "boom")}, facts(),
                          tmp_path / "r.xlsx")
    again = read_file(first, "smartyads")
    assert again[0].previous_status == {2: "failed"} and again[0].problems == []
    second = write_results(again, {(0, 2): ResultRow("created", "", 9)}, facts(), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(second)["Campaigns"]
    headers = [c.value for c in sheet[1]]
    assert headers.count("Status") == 1 and headers.count("Message") == 1
    assert sheet.cell(2, headers.index("Status") + 1).value == "created"
    assert sheet.cell(2, headers.index("Message") + 1).value is None


def test_csv_input_becomes_a_workbook_with_text_kept_safe(write_csv, tmp_path):
    path = write_csv([["Ref", "Name", "Type", "Advertiser Domain"], ["a", "=1+1", "banner", "example.com"]])
    sheets = read_file(path, "smartyads")
    out = write_results(sheets, {(0, 2): ResultRow("invalid", "Name: looks like a formula")}, facts(),
                        tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(out)["Campaigns"]
    assert sheet["B1"].value == "ID"  # added after Ref: the CSV had none
    assert sheet["C2"].value == "=1+1" and sheet["C2"].data_type == "s"
