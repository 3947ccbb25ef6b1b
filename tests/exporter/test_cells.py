"""Exported values → cells and back: one function per column type, formulas never, text kept text."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from bulkops.exporter._write import cell_value, csv_value, write_csvs, write_workbook
from bulkops.io import read_file
from bulkops.kinds import CellError, ColType, Column, coerce, exact_list, kind_named, same, shown, typed
from bulkops.validation import validate_sheets


def col(column_type: ColType, **extra) -> Column:
    return Column("X", "x", column_type, "note", **extra)


@pytest.mark.parametrize("column_type,value,cell", [
    (ColType.TEXT, "02134", "02134"),
    (ColType.INT, 300, 300),
    (ColType.INT, 300.0, 300),
    (ColType.NUMBER, 1.5, 1.5),
    (ColType.BOOL, False, "FALSE"),
    (ColType.INCLUDE, False, "exclude"),
    (ColType.DATE, dt.date(2027, 3, 1), dt.date(2027, 3, 1)),
    (ColType.LIST, ["USA", "CAN"], "USA, CAN"),
    (ColType.ENUM_LIST, ["IAB1"], "IAB1"),
    (ColType.ENUM, "banner", "banner"),
])
def test_each_type_has_its_cell_and_the_coercer_reads_it_back(column_type, value, cell):
    column = col(column_type)
    assert cell_value(column, value) == cell
    assert coerce(column, cell) == (float(value) if column_type is ColType.NUMBER else
                                    int(value) if column_type is ColType.INT else value)
    assert cell_value(column, None) is None and csv_value(column, None) == ""


def test_platform_values_are_typed_as_the_coercer_types_them():
    assert typed(col(ColType.NUMBER), "16.46") == 16.46
    assert typed(col(ColType.DATE), "2027-03-01") == dt.date(2027, 3, 1)
    assert typed(col(ColType.LIST), []) is None and typed(col(ColType.LIST), ["1", 2]) == ["1", "2"]
    assert typed(col(ColType.BOOL), 0) is False and typed(col(ColType.TEXT), "") is None
    assert typed(col(ColType.INT), 5.0) == 5


def test_sameness_is_by_meaning():
    kind = kind_named("smartyads", "campaigns")
    assert same(kind, "OS", ["iOS", "Android"], ["Android", "iOS"])
    assert same(kind, "spentDailyLimit", 300, 300.0) and not same(kind, "spentDailyLimit", 300, 301)
    assert not same(kind, "name", "North", "north")
    assert shown(None) == "(blank)" and shown(False) == "FALSE" and shown(300.0) == "300" and shown("a") == "'a'"


AWKWARD = ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "\nx", "\uff1dx", "\uff0bx", "\uff0dx", "\uff20x"]


def test_awkward_text_goes_out_and_comes_back_exactly(tmp_path):
    kind = kind_named("smartyads", "deals")
    rows = {"deals": [{"campaign": "7", "dealId": text, "bidPrice": 1.0} for text in AWKWARD]}
    path = write_workbook([kind], rows, tmp_path / "d.xlsx", [("Platform", "smartyads")])
    sheet = openpyxl.load_workbook(path)["Deals"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    # XML reads a carriage return as a line feed; either way the reader strips it from the edges.
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in AWKWARD]
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    assert all(c.quotePrefix for c in cells)
    [read] = validate_sheets(read_file(path, "smartyads"))
    assert [p for p in read.problems if p.is_error] == []
    assert list(read.values["dealId"]) == [t.strip() for t in AWKWARD]  # as any text cell is read

    [csv_path] = write_csvs([kind], rows, tmp_path / "csv")
    [from_csv] = validate_sheets(read_file(csv_path, "smartyads"))
    assert [p for p in from_csv.problems if p.is_error] == []
    assert list(from_csv.values["dealId"]) == [t.strip() for t in AWKWARD]


def test_a_formula_cell_is_still_refused_while_quoted_text_is_read(tmp_path):
    kind = kind_named("smartyads", "deals")
    path = write_workbook([kind], {"deals": [{"campaign": "7", "dealId": "=A", "bidPrice": 1.0}]},
                          tmp_path / "d.xlsx", [])
    book = openpyxl.load_workbook(path)
    book["Deals"]["B3"] = "=HYPERLINK(\"http://evil\")"  # typed in by someone: a real formula
    book["Deals"]["A3"], book["Deals"]["C3"] = "7", 1
    book.save(path)
    [read] = validate_sheets(read_file(path, "smartyads"))
    assert [(p.row, p.column) for p in read.problems if p.is_error] == [(3, "Deal ID")]
    assert read.values.at[2, "dealId"] == "=A"
    with pytest.raises(CellError, match="formula"):
        coerce(col(ColType.TEXT), "=A")  # plain text from a CSV without the apostrophe


@pytest.mark.parametrize("items", [
    ["USA", "CAN"],
    [" ISP Green ", "ISP, with comma"],
    ["ISP, with comma"],
    ["Ile-de-France "],
    ["\tNorth", "South"],
    ["two\nlines", "x"],
])
def test_a_list_cell_reads_back_as_the_same_items(items):
    column = col(ColType.LIST)
    cell = cell_value(column, items)
    assert exact_list(column, cell, coerce(column, cell), items) == items
    # Without the live list to compare with, only whitespace around an item and a line break inside one
    # are lost: the items, commas included, are those of the list.
    if not any("\n" in item for item in items):
        assert coerce(column, cell) == [item.strip() for item in items]


def test_a_list_item_typed_as_the_platform_holds_it_keeps_its_whitespace():
    column = col(ColType.LIST)
    cell = "Ile-de-France , Bavaria "
    assert exact_list(column, cell, coerce(column, cell), ["Ile-de-France "]) == ["Ile-de-France ", "Bavaria"]
