from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bulkops._regen_templates import TEMPLATES, regenerate
from bulkops.io._template import INLINE_LIST_LIMIT, write_template
from bulkops.kinds import ColType, kind_named

KIND = kind_named("smartyads", "campaigns")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_template((KIND,), tmp_path_factory.mktemp("t") / "c.xlsx"))


def validations_by_column(sheet: Worksheet) -> dict[str, str]:
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation.formula1
    return found


def test_labels_in_row_one_with_a_note_each(book):
    sheet = book["Campaigns"]
    for number, column in enumerate(KIND.columns, start=1):
        cell = sheet.cell(row=1, column=number)
        assert cell.value == column.label
        assert f"API field: {column.field}" in cell.comment.text
        assert f"Type: {column.type.value}" in cell.comment.text


def test_every_enumerated_column_has_a_dropdown_and_none_inline_over_255(book):
    sheet = book["Campaigns"]
    found = validations_by_column(sheet)
    for number, column in enumerate(KIND.columns, start=1):
        letter = openpyxl.utils.get_column_letter(number)
        if column.choices or column.type is ColType.BOOL:
            assert letter in found, column.label
    for formula in found.values():
        if formula.startswith('"'):
            assert len(formula) - 2 <= INLINE_LIST_LIMIT
    long_lists = [f for f in found.values() if not f.startswith('"')]
    assert long_lists, "the OS and language lists are too long to be inline"
    lists = book["Lists"]
    assert lists.sheet_state == "hidden"
    os_values = [c.value for c in lists["A"][1:]] if lists["A1"].value == "OS" else None
    assert os_values is None or "iOS" in os_values


def test_code_columns_are_text_and_header_is_frozen(book):
    sheet = book["Campaigns"]
    assert sheet.freeze_panes == "A2"
    for number, column in enumerate(KIND.columns, start=1):
        letter = openpyxl.utils.get_column_letter(number)
        if column.is_code:
            assert sheet.column_dimensions[letter].number_format == "@", column.label


def test_instructions_sheet_with_a_filled_example(book):
    sheet = book["Instructions"]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Spring Sale 2027" in values and "Advertiser Domain" in values


def test_csv_template_has_the_labels(tmp_path, monkeypatch):
    from bulkops.io import write_csv_template

    path = write_csv_template(KIND, tmp_path / "campaigns.csv")
    with path.open(newline="") as handle:
        assert next(csv.reader(handle)) == [c.label for c in KIND.columns]


def describe(path: Path) -> object:
    """What a template says, ignoring timestamps: sheets, cells, notes, formats, dropdowns."""
    if path.suffix == ".csv":
        return path.read_text(encoding="utf-8")
    book = openpyxl.load_workbook(path)
    out = []
    for sheet in book.worksheets:
        cells = [(c.coordinate, c.value, c.comment.text if c.comment else None, c.number_format)
                 for row in sheet.iter_rows() for c in row if c.value is not None]
        dims = sorted((k, d.number_format, d.width) for k, d in sheet.column_dimensions.items())
        checks = sorted((str(v.sqref), v.formula1, v.showErrorMessage) for v in sheet.data_validations.dataValidation)
        out.append((sheet.title, sheet.sheet_state, sheet.freeze_panes, cells, dims, checks))
    return out, sorted(book.defined_names.keys())


def test_committed_templates_match_the_declarations(tmp_path):
    fresh = regenerate(tmp_path)
    committed = sorted(p.relative_to(TEMPLATES) for p in TEMPLATES.rglob("*") if p.is_file()
                       and p.suffix in (".xlsx", ".csv"))
    assert committed == sorted(p.relative_to(tmp_path) for p in fresh), \
        "templates/ is out of date: run  python -m bulkops._regen_templates"
    for path in fresh:
        assert describe(path) == describe(TEMPLATES / path.relative_to(tmp_path)), \
            f"{path.name} drifted: run  python -m bulkops._regen_templates"
