from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from bulkops._exceptions import InputError
from bulkops.io import read_file
from tests.conftest import campaign


def test_headers_by_label_or_api_field_any_case_and_spacing(write_csv):
    path = write_csv([["Ref", "name", "A DOMAIN", "daily spend limit", "spentTotalLimit", "O S"],
                      ["c1", "One", "example.com", "5", "6", "iOS"]])
    [sheet] = read_file(path, "smartyads")
    assert set(sheet.positions) == {"ref", "name", "aDomain", "spentDailyLimit", "spentTotalLimit", "OS"}
    assert sheet.headers["aDomain"] == "A DOMAIN"


def test_excel_row_numbers_survive_blank_rows(write_campaigns_xlsx):
    path = write_campaigns_xlsx([{"name": "a"}, {}, {}, {"name": "b"}])
    [sheet] = read_file(path, "smartyads")
    assert list(sheet.frame.index) == [2, 5]


def test_unknown_header_is_an_error_with_a_suggestion(write_csv):
    [sheet] = read_file(write_csv([["Name", "Daily Spend Limt"], ["a", "1"]]), "smartyads")
    [problem] = sheet.problems
    assert (problem.row, problem.column, problem.code) == (1, "Daily Spend Limt", "unknown-column")
    assert "did you mean 'Daily Spend Limit'" in problem.message


def test_hash_headers_are_the_users_notes(write_csv):
    [sheet] = read_file(write_csv([["Name", "# my notes"], ["a", "call Bob"]]), "smartyads")
    assert sheet.problems == [] and list(sheet.positions) == ["name"]


@pytest.mark.parametrize("encoding,delimiter", [("utf-8-sig", ","), ("utf-16", ","), ("cp1252", ";"),
                                                ("utf-8", "\t")])
def test_csv_encodings_and_separators(tmp_path, encoding, delimiter):
    path = tmp_path / "campaigns.csv"
    text = delimiter.join(["Name", "Carriers"]) + "\r\n" + delimiter.join(["Café Crème", "Orange"]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    [sheet] = read_file(path, "smartyads")
    assert sheet.frame.loc[2, "name"] == "Café Crème"
    assert sheet.frame.loc[2, "deviceCarrier"] == "Orange"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_quote_inside_a_quoted_csv_cell_is_written_doubled_and_read_once(tmp_path, delimiter):
    tag = '<script src="https://ads.example.com/t.js"></script>'
    path = tmp_path / "creatives.csv"  # as spreadsheet programs write it: the quotes inside doubled
    path.write_text(f'Name{delimiter}Tag\r\nt1{delimiter}"{tag.replace(chr(34), chr(34) * 2)}"\r\n', encoding="utf-8")
    [sheet] = read_file(path, "smartyads")
    assert sheet.frame.loc[2, "admBody"] == tag


def test_csv_kind_comes_from_its_name_or_kind_option(tmp_path):
    path = tmp_path / "whatever.csv"
    path.write_text("Name\na\n")
    with pytest.raises(InputError, match="--kind"):
        read_file(path, "smartyads")
    [sheet] = read_file(path, "smartyads", kind="campaigns")
    assert sheet.kind.name == "campaigns"


def test_not_a_workbook(tmp_path: Path):
    path = tmp_path / "campaigns.xlsx"
    path.write_text("hello")
    with pytest.raises(InputError, match="not an .xlsx workbook"):
        read_file(path, "smartyads")


def test_zip_bomb_shaped_workbook_is_refused(tmp_path: Path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    with pytest.raises(InputError, match="zip bomb"):
        read_file(path, "smartyads")


def test_workbook_without_a_known_sheet(tmp_path: Path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    path = tmp_path / "x.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="no sheet bulkops knows"):
        read_file(path, "smartyads")


def test_unsupported_extension(tmp_path: Path):
    path = tmp_path / "campaigns.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match="reads .xlsx and .csv"):
        read_file(path, "smartyads")


def _name_cell(path, value, *, quote: bool):
    book = openpyxl.load_workbook(path)
    sheet = book["Campaigns"]
    column = [c.value for c in sheet[1]].index("Name") + 1
    cell = sheet.cell(row=2, column=column)
    if quote:
        from bulkops.io import write_safe

        write_safe(cell, value)
    else:
        cell.value = value  # openpyxl stores text starting with '=' as a formula
    book.save(path)


def test_text_starting_with_equals_in_a_string_cell_is_text_and_a_formula_cell_is_refused(write_campaigns_xlsx):
    from bulkops.validation import validate_sheets

    def name_problems(value, quote):
        path = write_campaigns_xlsx([campaign(ref="a", name="x"), campaign(ref="b", name="=B")], name=f"{quote}.xlsx")
        _name_cell(path, value, quote=quote)
        [checked] = validate_sheets(read_file(path, "smartyads"))
        return checked.values.at[2, "name"], [(p.row, p.message) for p in checked.problems if p.column == "Name"]

    value, problems = name_problems("=SUM(A1:A2) push", quote=True)
    assert value == "=SUM(A1:A2) push" and [row for row, _ in problems] == [3]
    assert problems[0][1].startswith("is a formula (=B) with no saved value")  # openpyxl saves no value
    value, problems = name_problems("=1+1", quote=False)
    assert value is None and [row for row, _ in problems] == [2, 3]


def test_a_csv_apostrophe_before_a_formula_trigger_is_dropped(write_csv):
    from bulkops.validation import validate_sheets

    path = write_csv([["Ref", "Name", "Type", "Advertiser Domain"], ["a", "'=Q1 push", "banner", "example.com"],
                      ["b", "'-minus", "banner", "example.com"], ["c", "'quoted", "banner", "example.com"],
                      ["d", "=1+1", "banner", "example.com"]])
    [checked] = validate_sheets(read_file(path, "smartyads"))
    assert list(checked.values["name"]) == ["=Q1 push", "-minus", "'quoted", None]
    assert [p.row for p in checked.problems if p.column == "Name"] == [5]
