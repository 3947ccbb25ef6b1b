"""The quick way to write the results (and plan) workbook of one .xlsx input: its package copied,
only the job's sheets rewritten as bytes (see _sheetxml), and a Summary worksheet written as XML.

It does what the openpyxl path in _results does, cell for cell; where a workbook has anything the
byte-level writer does not handle, `Unsupported` is raised before anything is written and the
caller takes the openpyxl path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl.styles import PatternFill

from bulkops.run._outcome import RowKey, RowOutcome, Status
from bulkops.workbook._guard import check_xlsx_container
from bulkops.workbook._package import Package
from bulkops.workbook._read import MESSAGE_HEADER, PLAN_HEADER, STATUS_HEADER, SheetData
from bulkops.workbook._sheetxml import Put, SheetEdit, rewrite_sheet
from bulkops.workbook._style import FAILED_FILL, HEADER_FONT, INVALID_FILL, OUTPUT_HEADER_FILL, WRAP
from bulkops.workbook._stylesxml import PLAIN, Look, Styles
from bulkops.workbook._xmlbits import MAIN_NS, Unsupported, cell_xml, is_risky_text, letter

_FILLS = {Status.FAILED: FAILED_FILL, Status.INVALID: INVALID_FILL}
NO_FILL = PatternFill(fill_type=None)
HEADER_LOOK = Look(font=HEADER_FONT, fill=OUTPUT_HEADER_FILL, alignment=WRAP)
LABEL_LOOK = Look(font=HEADER_FONT, fill=OUTPUT_HEADER_FILL)
CLEAR_LOOK = Look(fill=NO_FILL)
MESSAGE_WIDTH = 60


def single_xlsx(sheets: Sequence[SheetData]) -> Path | None:
    sources = {s.path for s in sheets}
    if len(sources) == 1 and next(iter(sources)).suffix.casefold() == ".xlsx":
        return next(iter(sources))
    return None


def fast_results(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, RowOutcome], summary_rows: list[list[object]],
                 label_cells: set[tuple[int, int]], target: Path) -> None:
    """Write the results workbook to `target` (a temporary path); raises Unsupported untouched."""
    package = _open(sheets)
    by_sheet: dict[int, dict[int, RowOutcome]] = {}
    for (index, row), outcome in outcomes.items():
        by_sheet.setdefault(index, {})[row] = outcome
    for index, sheet in enumerate(sheets):
        edit = results_edit(sheet, by_sheet.get(index, {}))
        package.rewrite(package.sheet_part(sheet.title), lambda data, e=edit, t=sheet.title:
                        rewrite_sheet(data, e, package.styles, t))
    package.put_first_sheet("Summary", summary_xml(summary_rows, label_cells, package.styles))
    package.save(target)


def fast_plan(sheets: Sequence[SheetData], plans: Mapping[RowKey, str], target: Path) -> None:
    package = _open(sheets)
    for index, sheet in enumerate(sheets):
        edit = SheetEdit()
        column = sheet.output_columns.get(PLAN_HEADER) or _right_of(sheet) + 1
        edit.put(1, column, PLAN_HEADER, HEADER_LOOK)
        for (i, row), text in plans.items():
            if i == index:
                edit.put(row, column, text)
        edit.widths[column] = MESSAGE_WIDTH
        package.rewrite(package.sheet_part(sheet.title), lambda data, e=edit, t=sheet.title:
                        rewrite_sheet(data, e, package.styles, t))
    package.save(target)


def _open(sheets: Sequence[SheetData]) -> Package:
    source = single_xlsx(sheets)
    if source is None:
        raise Unsupported("not one .xlsx input")
    check_xlsx_container(source)  # the file is read again: the guards run again, before any parser
    return Package(source)


def _right_of(sheet: SheetData) -> int:
    return max([sheet.width, *sheet.positions.values(), *sheet.output_columns.values()])


def results_edit(sheet: SheetData, outcomes: Mapping[int, RowOutcome]) -> SheetEdit:
    """What _results._annotate does to a sheet, as an edit."""
    edit = SheetEdit()
    status_at = sheet.output_columns.get(STATUS_HEADER)
    message_at = sheet.output_columns.get(MESSAGE_HEADER)
    right = _right_of(sheet)
    if status_at is None:
        right = status_at = right + 1
    if message_at is None:
        message_at = right + 1
    edit.put(1, status_at, STATUS_HEADER, HEADER_LOOK)
    edit.put(1, message_at, MESSAGE_HEADER, HEADER_LOOK)
    id_at = _id_column(sheet)
    shared: dict[tuple[str, str], dict[int, Put]] = {}  # most rows say the same: one set of cells for them
    for row, outcome in outcomes.items():
        fill = _FILLS.get(outcome.status)
        puts = shared.get((outcome.status, outcome.message))
        if puts is None:
            look = PLAIN if fill is not None else CLEAR_LOOK
            puts = shared[(outcome.status, outcome.message)] = {
                status_at: Put(outcome.status.value, look), message_at: Put(outcome.message or None, look)}
        if id_at is not None and outcome.id is not None:
            puts = {**puts, id_at: Put(int(outcome.id))}
        edit.put_shared(row, puts)
        if fill is not None:
            edit.fills[row] = fill
    edit.fill_to = message_at
    edit.widths[message_at] = MESSAGE_WIDTH
    return edit


def _id_column(sheet: SheetData) -> int | None:
    from bulkops.kinds import Role

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
            if is_risky_text(value):
                look = Look(look.font, look.fill, look.alignment, quote=True)
            cells.append(cell_xml(letter(column) + b"%d" % number, value, styles.derive(0, look)))
        if cells:
            body.append(b'<row r="%d">' % number + b"".join(cells) + b"</row>")
    ref = b"A1:" + letter(width) + b"%d" % max(len(rows), 1)
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="' + MAIN_NS.encode()
            + b'"><dimension ref="' + ref + b'"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            + b'<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="22" customWidth="1"/>'
            + b'<col min="2" max="2" width="40" customWidth="1"/></cols><sheetData>' + b"".join(body)
            + b"</sheetData></worksheet>")
