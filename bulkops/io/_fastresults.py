"""The quick way to write the results (and plan) workbook: the one .xlsx input's package copied,
only the job's sheets rewritten as bytes (see _sheetxml), and a Summary worksheet written as XML.
CSV and several inputs are written the same way into a blank workbook.

It does what the openpyxl path in _results does, cell for cell; where a workbook has anything the
byte-level writer does not handle, `Unsupported` is raised before anything is written and the
caller takes the openpyxl path.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bulkops.io._glance import frozen_cell, outcome_chart
from bulkops.io._guard import check_file, check_xlsx_container
from bulkops.io._package import Package
from bulkops.io._read import MESSAGE_HEADER, OLD_ID_HEADER, PLAN_HEADER, STATUS_HEADER, SheetData
from bulkops.io._rows import ResultRow, RowKey
from bulkops.io._sheets import SUMMARY_SHEET, numbered
from bulkops.io._sheetxml import Put, SheetEdit, put_cell, rewrite_sheet
from bulkops.io._style import FAILED_FILL, HEADER_FILL, HEADER_FONT, INVALID_FILL, OUTPUT_HEADER_FILL, WRAP
from bulkops.io._stylesxml import PLAIN, Look, Styles
from bulkops.io._template import NOTE_AUTHOR, NOTE_SIZE, column_width, header_comment
from bulkops.io._xmlbits import MAIN_NS, RELS_NS, letter
from bulkops.kinds import ColType, Column, Decimals, NotANumber, Role, read_number

# One table for both writers: the rows a buyer must look at (an `unknown` row may or may not exist).
STATUS_FILLS = {"failed": FAILED_FILL, "unknown": FAILED_FILL, "invalid": INVALID_FILL}
NO_FILL = PatternFill(fill_type=None)
HEADER_LOOK = Look(font=HEADER_FONT, fill=OUTPUT_HEADER_FILL, alignment=WRAP)
LABEL_LOOK = Look(font=HEADER_FONT, fill=OUTPUT_HEADER_FILL)
CLEAR_LOOK = Look(fill=NO_FILL)
WRAP_LOOK = Look(alignment=WRAP)  # a message: long ones wrap within the Message column
CLEAR_WRAP_LOOK = Look(fill=NO_FILL, alignment=WRAP)
TEMPLATE_HEADER_LOOK = Look(font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP)  # an ID column bulkops adds
MESSAGE_WIDTH = 60
# The Summary sheet (SUMMARY_SHEET), first in every workbook bulkops writes, as each writer makes it.
SUMMARY_WIDTHS = (22, 40)  # of its columns A (labels) and B (values)
# Columns whose text is read as a number (bulkops.kinds._numbers.read_number), so written back as numbers.
NUMBER_TYPES = (ColType.INT, ColType.NUMBER)
_EXACT = 2 ** 53  # whole numbers up to this a number cell (a double) holds exactly


def fresh_titles(sheets: Sequence[SheetData]) -> list[str]:
    """Sheet titles of a workbook gathered from several inputs: a repeated one is numbered as Excel
    numbers a copy, from its plain title (`Geo ZIP (2)`, `Geo ZIP (3)`, even where the repeated one
    was `Geo ZIP (2)` itself). The Summary sheet lists each with its kind (see summary_table), which
    is how the reader tells these sheets from copies a user made (`_sheets.written_sheets`)."""
    titles: list[str] = []
    for sheet in sheets:
        title = sheet.title
        if title in titles:
            plain, suffix = numbered(title)[0], 2
            while (title := f"{plain} ({suffix})") in titles:
                suffix += 1
        titles.append(title)
    return titles


def single_xlsx(sheets: Sequence[SheetData]) -> Path | None:
    sources = {s.path for s in sheets}
    if len(sources) == 1 and next(iter(sources)).suffix.casefold() == ".xlsx":
        return next(iter(sources))
    return None


def added_id_column(sheet: SheetData) -> int | None:
    """Where the results workbook adds an ID column the sheet lacks (right after Ref, else first),
    so that every row that reached the platform shows its ID; None when it has one or needs none."""
    id_col = sheet.kind.role_column(Role.ID)
    if id_col is None or id_col.field in sheet.positions:
        return None
    ref_col = sheet.kind.role_column(Role.REF)
    ref_at = sheet.positions.get(ref_col.field) if ref_col is not None else None
    return 1 if ref_at is None else ref_at + 1


def with_id_column(sheet: SheetData) -> tuple[SheetData, int | None]:
    """The sheet as its results show it: with the added ID column (see added_id_column) and every
    column from there on one place right; and where the ID column went (None: nothing added)."""
    at = added_id_column(sheet)
    if at is None:
        return sheet, None
    id_col = sheet.kind.role_column(Role.ID)
    assert id_col is not None

    def moved(columns: Mapping[str, int]) -> dict[str, int]:
        return {name: column + 1 if column >= at else column for name, column in columns.items()}

    return dataclasses.replace(sheet, positions={**moved(sheet.positions), id_col.field: at},
                               headers={**sheet.headers, id_col.field: id_col.label},
                               output_columns=moved(sheet.output_columns), width=sheet.width + 1), at


def with_old_id_column(sheet: SheetData) -> tuple[SheetData, int]:
    """The sheet (as with_id_column shows it) with the Old ID column of a push as new right after its
    ID column, every column from there on one place right; and where the Old ID column went."""
    id_at = id_column(sheet)
    assert id_at is not None  # only rows read from an ID column have old IDs
    at = id_at + 1

    def moved(columns: Mapping[str, int]) -> dict[str, int]:
        return {name: column + 1 if column >= at else column for name, column in columns.items()}

    return dataclasses.replace(sheet, positions=moved(sheet.positions),
                               output_columns={**moved(sheet.output_columns), OLD_ID_HEADER: at},
                               width=max(sheet.width, id_at) + 1), at


def results_shape(sheet: SheetData, outcomes: Mapping[int, ResultRow]) -> tuple[SheetData, int | None, int | None]:
    """The sheet as its results show it (see with_id_column and with_old_id_column), where the ID
    column was added (None: it was there or is not needed) and where the Old ID column was added
    (None: no row of the sheet was pushed as new)."""
    shown, id_added = with_id_column(sheet)
    if not any(outcome.old_id is not None for outcome in outcomes.values()):
        return shown, id_added, None
    shown, old_id_at = with_old_id_column(shown)
    return shown, id_added, old_id_at


def head_id_column(target: Worksheet, sheet: SheetData, at: int) -> None:
    """The added ID column's header, as the template heads it: label, look, note and width."""
    column = id_declaration(sheet)
    cell = target.cell(row=1, column=at, value=column.label)
    cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    cell.comment = header_comment(column)
    target.column_dimensions[get_column_letter(at)].width = column_width(column)


def id_declaration(sheet: SheetData) -> Column:
    column = sheet.kind.role_column(Role.ID)
    assert column is not None
    return column


def fast_results(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow], summary_rows: list[list[object]],
                 label_cells: set[tuple[int, int]], target: Path) -> None:
    """Write the results workbook to `target` (a temporary path); raises Unsupported untouched."""
    package, titles, fresh = _open(sheets, outcomes)
    by_sheet: dict[int, dict[int, ResultRow]] = {}
    for (index, row), outcome in outcomes.items():
        by_sheet.setdefault(index, {})[row] = outcome
    for index, (sheet, title) in enumerate(zip(sheets, titles, strict=True)):
        rows = by_sheet.get(index, {})
        shown, at, old_id_at = results_shape(sheet, rows)
        if fresh:
            edit = copied_in(sheet, shown)  # the ID column's header is in the blank workbook already
        else:
            edit = SheetEdit()
            if at is not None:
                _insert_id_column(package, title, sheet, at, edit)
            if old_id_at is not None:
                package.insert_column(title, old_id_at, OLD_ID_HEADER)
        results_edit(shown, rows, edit)
        package.rewrite(package.sheet_part(title), lambda data, e=edit, t=title:
                        rewrite_sheet(data, e, package.styles, t))
    charted = outcome_chart(summary_rows)
    drawing = "rId1" if charted is not None else None
    package.put_first_sheet(SUMMARY_SHEET, summary_xml(summary_rows, label_cells, package.styles, drawing=drawing),
                            chart=charted)
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


def _insert_id_column(package: Package, title: str, sheet: SheetData, at: int, edit: SheetEdit) -> None:
    """The input sheet's columns from `at` on moved right, and the ID column's header in the gap:
    what head_id_column does in an openpyxl worksheet."""
    column = id_declaration(sheet)
    package.insert_column(title, at, column.label)
    package.add_note(title, 1, at, column.header_note(), NOTE_AUTHOR, NOTE_SIZE)
    edit.put(1, at, column.label, TEMPLATE_HEADER_LOOK)
    edit.widths[at] = column_width(column)


def _open(sheets: Sequence[SheetData], outcomes: Mapping[RowKey, ResultRow] | None = None
          ) -> tuple[Package, list[str], bool]:
    """The package to write into: the one .xlsx input itself, or (CSV, several inputs) a blank
    workbook with one empty sheet per input sheet, which the edits fill (see copied_in); with
    `outcomes` (results): with the header of the ID column a sheet lacks (see with_id_column)."""
    source = single_xlsx(sheets)
    if source is not None:
        check_file(source)  # the file is read again: the guards run again, before any parser
        check_xlsx_container(source)
        return Package(source), [s.title for s in sheets], False
    titles = fresh_titles(sheets)
    book = Workbook()
    book.remove(book.active)
    for sheet, title in zip(sheets, titles, strict=True):
        made = book.create_sheet(title)
        at = added_id_column(sheet) if outcomes is not None else None
        if at is not None:
            head_id_column(made, sheet, at)
    blank = io.BytesIO()
    book.save(blank)
    return Package(blank), titles, True


def copied_in(sheet: SheetData, shown: SheetData | None = None) -> SheetEdit:
    """What _results._copy_in writes: the input's headers and cells where `shown` (the sheet as its
    results show it, see results_shape) places them, numbers as `written_cells` writes them, and the
    names of output columns an earlier run added."""
    edit = SheetEdit()
    shown = shown or sheet
    for field_name in sheet.positions:
        edit.put(1, shown.positions[field_name], sheet.headers[field_name])
    columns = [shown.positions[field_name] for field_name in sheet.positions]
    rows = sheet.frame.index.tolist()
    cells = list(written_cells(sheet).values())
    for row, values in zip(rows, zip(*cells, strict=True) if cells else itertools.repeat((), len(rows)), strict=True):
        edit.put_row(int(row), {column: (value, PLAIN) for column, value in zip(columns, values, strict=True)})
    for name, column in shown.output_columns.items():
        edit.put(1, column, name)
    return edit


def written_cells(sheet: SheetData) -> dict[str, list[Any]]:
    """Each of the sheet's columns (by field, in `positions` order) as a workbook gathered from the
    inputs holds it: cells as read, except that the text of a number column (integer or number) that
    was read as a number becomes a number cell holding exactly that number. A CSV's `1.000` (a
    thousand, in a ';' file) would otherwise become a text cell of a workbook, whose convention
    nothing tells, and mean 1 or 1000 the next time it is read; a number cell means one number
    whatever reads it. Text that is not read as a number stays as typed, for the buyer to fix."""
    cells: dict[str, list[Any]] = {}
    for field_name in sheet.positions:
        values = sheet.frame[field_name].tolist()
        column = sheet.kind.column(field_name)
        if column.type in NUMBER_TYPES:
            values = number_cells(values, sheet.decimal, whole=column.type is ColType.INT)
        cells[field_name] = values
    return cells


def number_cells(values: list[Any], decimals: Decimals | None, *, whole: bool) -> list[Any]:
    """`values` with each text read as a number (`decimals`: the file's convention) replaced by that
    number; `whole`: only whole numbers are (a fraction in an integer column is refused, so kept)."""
    seen: dict[str, Any] = {}  # a column repeats its values (a 100,000-row sheet has a few limits)
    out = []
    for value in values:
        if value.__class__ is str:  # not Text: a quote-prefixed cell starts with '=', never a number
            found = seen.get(value)
            if found is None:
                found = seen[value] = _number_or_text(value, decimals, whole)
            value = found
        out.append(value)
    return out


def _number_or_text(text: str, decimals: Decimals | None, whole: bool) -> int | float | str:
    try:
        number = read_number(text, decimals)
    except NotANumber:
        return text
    if isinstance(number, float) and number.is_integer() and abs(number) < _EXACT:
        number = int(number)  # 12,0 and 1,5E+03 are whole numbers: written as such
    if isinstance(number, float):
        return text if whole else number
    # a whole number past what a number cell holds exactly: its digits, which read alike everywhere
    return number if abs(number) < _EXACT else str(number)


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


def results_edit(sheet: SheetData, outcomes: Mapping[int, ResultRow], edit: SheetEdit) -> SheetEdit:
    """What _results._annotate does to a sheet, added to `edit`."""
    status_at, message_at = output_columns(sheet)
    edit.put(1, status_at, STATUS_HEADER, HEADER_LOOK)
    edit.put(1, message_at, MESSAGE_HEADER, HEADER_LOOK)
    id_at, old_id_at = id_column(sheet), old_id_column(sheet, outcomes)
    if old_id_at is not None:
        edit.put(1, old_id_at, OLD_ID_HEADER, HEADER_LOOK)
        edit.widths[old_id_at] = column_width(id_declaration(sheet))
    shared: dict[tuple[str, str], dict[int, Put]] = {}  # most rows say the same: one set of cells for them
    for row, outcome in outcomes.items():
        fill = STATUS_FILLS.get(outcome.status)
        puts = shared.get((outcome.status, outcome.message))
        if puts is None:
            look = PLAIN if fill is not None else CLEAR_LOOK
            wrapped = (WRAP_LOOK if fill is not None else CLEAR_WRAP_LOOK) if outcome.message else look
            puts = shared[(outcome.status, outcome.message)] = {
                status_at: (str(outcome.status), look), message_at: (outcome.message or None, wrapped)}
        own = id_at is not None and (outcome.id is not None or outcome.blank_id)
        if own:
            puts = {**puts, id_at: (None if outcome.id is None else int(outcome.id), PLAIN)}
        if old_id_at is not None and outcome.old_id is not None:
            own, puts = True, {**puts, old_id_at: (int(outcome.old_id), PLAIN)}
        edit.put_row(row, puts, shared=not own)
        if fill is not None:
            edit.fills[row] = fill
    edit.fill_to = message_at
    edit.widths[message_at] = MESSAGE_WIDTH
    edit.freeze = functools.partial(frozen_cell, sheet)
    return edit


def id_column(sheet: SheetData) -> int | None:
    id_col = sheet.kind.role_column(Role.ID)
    return None if id_col is None else sheet.positions.get(id_col.field)


def old_id_column(sheet: SheetData, outcomes: Mapping[int, ResultRow]) -> int | None:
    """Where this push writes old IDs (the Old ID column results_shape placed): None when no row of
    the sheet was pushed as new, so that a results workbook pushed again keeps the old IDs it shows."""
    if not any(outcome.old_id is not None for outcome in outcomes.values()):
        return None
    return sheet.output_columns.get(OLD_ID_HEADER)


def summary_xml(rows: list[list[object]], label_cells: set[tuple[int, int]], styles: Styles, *,
                drawing: str | None = None) -> bytes:
    """A worksheet of these rows (None: no cell), label cells in the output header look, every
    value written as write_safe would: text quote-prefixed where a spreadsheet would run it;
    `drawing`: the relationship of its drawing (the chart), if it has one."""
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
            + b"</sheetData>" + (b'<drawing xmlns:r="%s" r:id="%s"/>' % (RELS_NS.encode(), drawing.encode())
                                 if drawing else b"") + b"</worksheet>")
