"""The quick way to write the results (and plan) workbook: the one .xlsx input's package copied,
only the job's sheets rewritten as bytes (see _sheetxml), and a Summary worksheet written as XML.
CSV and several inputs are written the same way into a blank workbook.

It does what the openpyxl path in _results does, cell for cell; where a workbook has anything the
byte-level writer does not handle, `Unsupported` is raised before anything is written and the
caller takes the openpyxl path.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from bulkops.kinds import Role
from bulkops.run._outcome import RowKey, RowOutcome, Status
from bulkops.workbook._guard import check_file, check_xlsx_container
from bulkops.workbook._package import Package
from bulkops.workbook._read import MESSAGE_HEADER, PLAN_HEADER, STATUS_HEADER, SheetData
from bulkops.workbook._sheetxml import Put, SheetEdit, put_cell, rewrite_sheet
from bulkops.workbook._style import FAILED_FILL, HEADER_FONT, INVALID_FILL, OUTPUT_HEADER_FILL, WRAP
from bulkops.workbook._stylesxml import PLAIN, Look, Styles
from bulkops.workbook._xmlbits import MAIN_NS, letter

# One table for both writers: the rows a buyer must look at (an `unknown` row may or may not exist).
STATUS_FILLS = {Status.FAILED: FAILED_FILL, Status.UNKNOWN: FAILED_FILL, Status.INVALID: INVALID_FILL}
NO_FILL = PatternFill(fill_type=None)
HEADER_LOOK = Look(font=HEADER_FONT, fill=OUTPUT_HEADER_FILL, alignment=WRAP)
LABEL_LOOK = Look(font=HEADER_FONT, fill=OUTPUT_HEADER_FILL)
CLEAR_LOOK = Look(fill=NO_FILL)
MESSAGE_WIDTH = 60
# The Summary sheet, first in every workbook bulkops writes, as each writer makes it.
SUMMARY_SHEET = "Summary"
SUMMARY_WIDTHS = (22, 40)  # of its columns A (labels) and B (values)


def fresh_titles(sheets: Sequence[SheetData]) -> list[str]:
    """Sheet titles of a workbook gathered from several inputs: a repeated one gets " (2)" and so on."""
    titles: list[str] = []
    for sheet in sheets:
        title, suffix = sheet.title, 2
        while title in titles:
            title, suffix = f"{sheet.title} ({suffix})", suffix + 1
        titles.append(title)
    return titles


def single_xlsx(sheets: Sequence[SheetData]) -> Path | None:
    sources = {s.path for s in sheets}
    if len(sources) == 1 and next(iter(sources)).suffix.casefold() == ".xlsx":
        return next(iter(sources))
    return None


def fast_results(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, RowOutcome], summary_rows: list[list[object]],
                 label_cells: set[tuple[int, int]], target: Path) -> None:
    """Write the results workbook to `target` (a temporary path); raises Unsupported untouched."""
    package, titles, fresh = _open(sheets)
    by_sheet: dict[int, dict[int, RowOutcome]] = {}
    for (index, row), outcome in outcomes.items():
        by_sheet.setdefault(index, {})[row] = outcome
    for index, (sheet, title) in enumerate(zip(sheets, titles, strict=True)):
        edit = copied_in(sheet) if fresh else SheetEdit()
        results_edit(sheet, by_sheet.get(index, {}), edit)
        package.rewrite(package.sheet_part(title), lambda data, e=edit, t=title:
                        rewrite_sheet(data, e, package.styles, t))
    package.put_first_sheet(SUMMARY_SHEET, summary_xml(summary_rows, label_cells, package.styles))
    package.save(target)


def fast_plan(sheets: Sequence[SheetData], plans: Mapping[RowKey, str], target: Path) -> None:
    package, titles, fresh = _open(sheets)
    for index, (sheet, title) in enumerate(zip(sheets, titles, strict=True)):
        edit = copied_in(sheet) if fresh else SheetEdit()
        column = sheet.output_columns.get(PLAN_HEADER) or right_of(sheet) + 1
        edit.put(1, column, PLAN_HEADER, HEADER_LOOK)
        for (i, row), text in plans.items():
            if i == index:
                edit.put(row, column, text)
        edit.widths[column] = MESSAGE_WIDTH
        package.rewrite(package.sheet_part(title), lambda data, e=edit, t=title:
                        rewrite_sheet(data, e, package.styles, t))
    package.save(target)


def _open(sheets: Sequence[SheetData]) -> tuple[Package, list[str], bool]:
    """The package to write into: the one .xlsx input itself, or (CSV, several inputs) a blank
    workbook with one empty sheet per input sheet, which the edits fill (see copied_in)."""
    source = single_xlsx(sheets)
    if source is not None:
        check_file(source)  # the file is read again: the guards run again, before any parser
        check_xlsx_container(source)
        return Package(source), [s.title for s in sheets], False
    titles = fresh_titles(sheets)
    book = Workbook()
    book.remove(book.active)
    for title in titles:
        book.create_sheet(title)
    blank = io.BytesIO()
    book.save(blank)
    return Package(blank), titles, True


def copied_in(sheet: SheetData) -> SheetEdit:
    """What _results._copy_in writes: the input's headers and cells where they were, and the names of
    output columns an earlier run added."""
    edit = SheetEdit()
    for field_name, column in sheet.positions.items():
        edit.put(1, column, sheet.headers[field_name])
    columns = list(sheet.positions.values())
    for row, values in zip(sheet.frame.index.tolist(), sheet.frame[list(sheet.positions)].itertuples(index=False),
                           strict=True):
        edit.put_row(int(row), {column: (value, PLAIN) for column, value in zip(columns, values, strict=True)})
    for name, column in sheet.output_columns.items():
        edit.put(1, column, name)
    return edit


def right_of(sheet: SheetData) -> int:
    """The rightmost column the sheet uses (its header, its fields, its output columns)."""
    return max([sheet.width, *sheet.positions.values(), *sheet.output_columns.values()])


def output_columns(sheet: SheetData) -> tuple[int, int]:
    """Where Status and Message go: where an earlier run put them, else right of everything."""
    status_at = sheet.output_columns.get(STATUS_HEADER)
    message_at = sheet.output_columns.get(MESSAGE_HEADER)
    right = right_of(sheet)
    if status_at is None:
        right = status_at = right + 1
    if message_at is None:
        message_at = right + 1
    return status_at, message_at


def results_edit(sheet: SheetData, outcomes: Mapping[int, RowOutcome], edit: SheetEdit) -> SheetEdit:
    """What _results._annotate does to a sheet, added to `edit`."""
    status_at, message_at = output_columns(sheet)
    edit.put(1, status_at, STATUS_HEADER, HEADER_LOOK)
    edit.put(1, message_at, MESSAGE_HEADER, HEADER_LOOK)
    id_at = id_column(sheet)
    shared: dict[tuple[str, str], dict[int, Put]] = {}  # most rows say the same: one set of cells for them
    for row, outcome in outcomes.items():
        fill = STATUS_FILLS.get(outcome.status)
        puts = shared.get((outcome.status, outcome.message))
        if puts is None:
            look = PLAIN if fill is not None else CLEAR_LOOK
            puts = shared[(outcome.status, outcome.message)] = {
                status_at: (outcome.status.value, look), message_at: (outcome.message or None, look)}
        own = id_at is not None and outcome.id is not None
        if own:
            puts = {**puts, id_at: (int(outcome.id), PLAIN)}
        edit.put_row(row, puts, shared=not own)
        if fill is not None:
            edit.fills[row] = fill
    edit.fill_to = message_at
    edit.widths[message_at] = MESSAGE_WIDTH
    return edit


def id_column(sheet: SheetData) -> int | None:
    id_col = sheet.kind.role_column(Role.ID)
    return None if id_col is None else sheet.positions.get(id_col.field)


def summary_xml(rows: list[list[object]], label_cells: set[tuple[int, int]], styles: Styles) -> bytes:
    """A worksheet of these rows (None: no cell), label cells in the output header look, every
    value written as write_safe would: text quote-prefixed where a spreadsheet would run it."""
    body: list[bytes] = []
    width = 1
    for number, values in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(values, start=1):
            if value is None:
                continue
            width = max(width, column)
            look = LABEL_LOOK if (number, column) in label_cells else PLAIN
            cells.append(put_cell(number, column, (value, look), 0, styles))
        if cells:
            body.append(b'<row r="%d">' % number + b"".join(cells) + b"</row>")
    ref = b"A1:" + letter(width) + b"%d" % max(len(rows), 1)
    cols = b"".join(b'<col min="%d" max="%d" width="%d" customWidth="1"/>' % (at, at, w)
                    for at, w in enumerate(SUMMARY_WIDTHS, start=1))
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + MAIN_NS.encode()
            + b'"><dimension ref="' + ref + b'"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            + b'<sheetFormatPr defaultRowHeight="15"/><cols>' + cols + b"</cols><sheetData>" + b"".join(body)
            + b"</sheetData></worksheet>")
