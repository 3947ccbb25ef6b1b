"""Blank templates, generated from the kind declarations."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bulkops.io._style import HEADER_FILL, HEADER_FONT, WRAP
from bulkops.kinds import TEXT_FORMAT, Column, Kind, kind_named

LISTS_SHEET = "Lists"
# Excel refuses an inline list longer than 255 characters; longer lists live on a hidden sheet.
INLINE_LIST_LIMIT = 255
NOTE_AUTHOR = "bulkops"
NOTE_SIZE = (320, 180)  # a header note's box, in pixels


def write_filled(path: Path, platform: str, sheets: Mapping[str, Sequence[Mapping[str, Any]]]) -> Path:
    """A template of these kinds with rows written in, by kind name and API field (samples, tests).
    Values are written as given (a number stays a number), dates shown as dates."""
    kinds = tuple(kind_named(platform, name) for name in sheets)
    book = _template_book(kinds)
    for kind, rows in zip(kinds, sheets.values(), strict=True):
        sheet = book[kind.sheet]
        column_of = {col.field: number for number, col in enumerate(kind.columns, start=1)}
        for row_number, row in enumerate(rows, start=2):
            for field_name, value in row.items():
                cell = sheet.cell(row=row_number, column=column_of[field_name], value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_template(kinds: Sequence[Kind], path: Path) -> Path:
    book = _template_book(kinds)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _template_book(kinds: Sequence[Kind]) -> Workbook:
    """The template of these kinds, in memory: a sheet per kind, the instructions, the long lists."""
    book = Workbook()
    book.remove(book.active)
    lists = _ListsSheet(book)
    for kind in kinds:
        _write_kind_sheet(book, kind, lists)
    _write_instructions(book, kinds)
    lists.finish()
    return book


def write_csv_template(kind: Kind, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow([c.label for c in kind.columns])
    return path


class _ListsSheet:
    """A hidden sheet holding the long dropdown lists, one column per list, named ranges for each."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.sheet: Worksheet | None = None
        self.names: dict[tuple[str, ...], str] = {}

    def range_for(self, column: Column, values: tuple[str, ...]) -> str:
        if values not in self.names:
            if self.sheet is None:
                self.sheet = self.book.create_sheet(LISTS_SHEET)
            number = len(self.names) + 1
            letter = get_column_letter(number)
            self.sheet.cell(row=1, column=number, value=column.field)
            for offset, value in enumerate(values, start=2):
                self.sheet.cell(row=offset, column=number, value=value)
            name = f"list_{column.field}"
            ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            self.book.defined_names[name] = DefinedName(name, attr_text=ref)
            self.names[values] = name
        return self.names[values]

    def finish(self) -> None:
        if self.sheet is not None:
            self.sheet.sheet_state = "hidden"


def column_width(column: Column) -> int:
    """A template column's width: its label with room to spare, within bounds."""
    return max(12, min(40, len(column.label) + 4))


def header_comment(column: Column) -> Comment:
    """The note on a template column's header cell (what a hover shows)."""
    return Comment(column.header_note(), NOTE_AUTHOR, width=NOTE_SIZE[0], height=NOTE_SIZE[1])


def _write_kind_sheet(book: Workbook, kind: Kind, lists: _ListsSheet) -> None:
    sheet = book.create_sheet(kind.sheet)
    for number, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.label)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        cell.comment = header_comment(column)
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column_width(column)
        if column.is_code:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        _add_dropdown(sheet, column, f"{letter}2:{letter}1048576", lists)
    sheet.freeze_panes = "A2"


def _add_dropdown(sheet: Worksheet, column: Column, cells: str, lists: _ListsSheet) -> None:
    values = column.cell.dropdown(column)
    if not values:
        return
    inline = ",".join(values)
    if len(inline) <= INLINE_LIST_LIMIT and not any("," in v for v in values):
        formula = f'"{inline}"'
    else:
        formula = f"={lists.range_for(column, values)}"
    several = column.cell.is_list and column.cell.from_choices
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True,
        # A multi-value cell ("IAB1, IAB3") is not one dropdown entry; the dropdown helps, bulkops checks.
        showErrorMessage=not several,
        errorTitle=column.label, error=f"Choose a value from the list for {column.label}.",
        promptTitle=column.label[:32], prompt=("Pick one, or type several separated by commas." if several
                                               else "Pick a value from the list."),
        showInputMessage=True,
    )
    validation.add(cells)
    sheet.add_data_validation(validation)


def _write_instructions(book: Workbook, kinds: Sequence[Kind]) -> None:
    sheet = book.create_sheet("Instructions", 0)
    lines = [
        "How to fill this workbook",
        "One row per object. Leave ID empty to create; fill it to update. Action: create, update, delete or skip.",
        "Ref is your own unique key for a row; other sheets refer to it. It is never sent to the platform.",
        "Hover over a header to see its API field, type, allowed values and an example.",
        "TRUE/FALSE cells also accept yes/no and 1/0. Dates: Excel dates or YYYY-MM-DD. "
        "Lists: separate values with commas or new lines (in a list of names, such as Carriers, a cell with line "
        "breaks holds one value per line, commas kept).",
        "Check before sending: bulkops validate FILE --platform P. Push: bulkops push FILE --platform P.",
    ]
    for number, text in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=text)
    sheet["A1"].font, sheet["A1"].fill = HEADER_FONT, HEADER_FILL
    sheet.column_dimensions["A"].width = 110
    row = len(lines) + 2
    for kind in kinds:
        sheet.cell(row=row, column=1, value=f"Example: a filled {kind.sheet} row").font = HEADER_FONT
        sheet.cell(row=row, column=1).fill = HEADER_FILL
        for number, column in enumerate(kind.columns, start=1):
            sheet.cell(row=row + 1, column=number, value=column.label).font = HEADER_FONT
            sheet.cell(row=row + 1, column=number).fill = HEADER_FILL
            value = column.example
            cell = sheet.cell(row=row + 2, column=number, value=value)
            if column.is_code:
                cell.number_format = TEXT_FORMAT
        row += 4
