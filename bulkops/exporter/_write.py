"""Exported rows → the template format: each column's cell type (`ColType.cell`) turns a value into a
cell and gives its number format, for the workbook and for CSV alike; text from the platform is never
a formula (`write_safe`)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import Cell

from bulkops.exporter._unmodelled import Unmodelled
from bulkops.io import (
    HEADER_FONT,
    OUTPUT_HEADER_FILL,
    SUMMARY_SHEET,
    SUMMARY_WIDTHS,
    csv_safe,
    save_atomically,
    write_safe,
    write_template,
)
from bulkops.kinds import Column, Kind

Rows = Mapping[str, Sequence[Mapping[str, Any]]]
UNMODELLED_TITLE = "Settings no sheet holds"
UNMODELLED_HEADERS = ("Sheet", "Object", "Field", "Value")
UNMODELLED_FILE = "not-in-any-sheet.tsv"  # beside an export's CSVs (not a .csv: a push of *.csv skips it)


def cell_value(column: Column, value: Any) -> Any:
    return None if value is None else column.cell.to_cell(value)


def csv_value(column: Column, value: Any) -> str:
    shown = cell_value(column, value)
    if shown is None:
        return ""
    if isinstance(shown, dt.datetime):
        return shown.isoformat(sep=" ", timespec="minutes")
    if isinstance(shown, dt.date):
        return shown.isoformat()
    return csv_safe(shown) if isinstance(shown, str) else str(shown)


def write_cell(cell: Cell, column: Column, value: Any) -> None:
    shown = cell_value(column, value)
    if isinstance(shown, dt.datetime) and shown.tzinfo is not None:
        shown = csv_value(column, value)  # Excel has no zoned times: the text the coercer reads back
    write_safe(cell, shown)
    number_format = column.cell.number_format
    # Codes stay text when the buyer edits them (leading zeros); a date is a date cell unless written as text.
    if number_format is not None and (column.is_code or not isinstance(shown, str)):
        cell.number_format = number_format


def write_workbook(kinds: Sequence[Kind], rows: Rows, path: Path, summary: Sequence[tuple[str, Any]],
                   unmodelled: Sequence[Unmodelled] = ()) -> Path:
    """The template of `kinds` (dropdowns, notes, text formats) with the rows filled in and a
    Summary sheet first, which lists what the objects read hold that no sheet does; written atomically."""
    write_template(kinds, path)
    book = openpyxl.load_workbook(path)
    for kind in kinds:
        sheet = book[kind.sheet]
        for row_number, row in enumerate(rows.get(kind.name, ()), start=2):
            for number, column in enumerate(kind.columns, start=1):
                value = row.get(column.field)
                if value is not None:
                    write_cell(sheet.cell(row=row_number, column=number), column, value)
    _summary(book, kinds, rows, summary, unmodelled)
    return save_atomically(book, path)


def _summary(book: openpyxl.Workbook, kinds: Sequence[Kind], rows: Rows, facts: Sequence[tuple[str, Any]],
             unmodelled: Sequence[Unmodelled]) -> None:
    sheet = book.create_sheet(SUMMARY_SHEET, 0)
    lines: list[tuple[str, Any]] = [*facts, (UNMODELLED_TITLE, len(unmodelled)), ("", None), ("Sheet", "Rows")]
    lines += [(kind.sheet, len(rows.get(kind.name, ()))) for kind in kinds]
    for number, (label, value) in enumerate(lines, start=1):
        if not label:
            continue
        head = sheet.cell(row=number, column=1)
        write_safe(head, label)
        head.font, head.fill = HEADER_FONT, OUTPUT_HEADER_FILL
        write_safe(sheet.cell(row=number, column=2), value)
    for column, width in zip("AB", SUMMARY_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    if unmodelled:
        _unmodelled_table(sheet, len(lines) + 2, unmodelled)
    book.active = 0


def _unmodelled_table(sheet: Any, top: int, unmodelled: Sequence[Unmodelled]) -> None:
    """Below the counts: one line per field of an object that no sheet holds, its value as read."""
    title = sheet.cell(row=top, column=1)
    write_safe(title, UNMODELLED_TITLE)
    title.font = HEADER_FONT
    for column, header in enumerate(UNMODELLED_HEADERS, start=1):
        cell = sheet.cell(row=top + 1, column=column)
        write_safe(cell, header)
        cell.font, cell.fill = HEADER_FONT, OUTPUT_HEADER_FILL
    for number, item in enumerate(unmodelled, start=top + 2):
        for column, value in enumerate((item.sheet, item.object, item.path, item.value), start=1):
            write_safe(sheet.cell(row=number, column=column), value)
    sheet.column_dimensions["C"].width, sheet.column_dimensions["D"].width = 32, 60


def write_csvs(kinds: Sequence[Kind], rows: Rows, folder: Path) -> list[Path]:
    """One CSV per kind (`campaigns.csv`, `geo-zip.csv`, ...), headers as the template's, UTF-8."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds:
        path = folder / f"{kind.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow([c.label for c in kind.columns])
            for row in rows.get(kind.name, ()):
                out.writerow([csv_value(c, row.get(c.field)) for c in kind.columns])
        written.append(path)
    return written


def write_unmodelled(unmodelled: Sequence[Unmodelled], folder: Path) -> Path:
    """Beside an export's CSVs, what its Summary would list: `UNMODELLED_FILE`, tab-separated, UTF-8."""
    path = folder / UNMODELLED_FILE
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter="\t")
        out.writerow(UNMODELLED_HEADERS)
        out.writerows([csv_safe(v) for v in (u.sheet, u.object, u.path, u.value)] for u in unmodelled)
    return path
