"""A column inserted into an openpyxl worksheet the way Excel's Insert Column does it.

openpyxl's `insert_cols` moves cells (their values, formats, notes and hyperlinks) and nothing else;
here the rest moves with them: column widths and formats, merged ranges, validations, conditional
formats, the auto-filter, the frozen pane and selection, print areas and titles, defined names,
tables, pictures' and charts' anchors, hyperlinks' own references, and every formula in the
workbook that points at a moved cell (see _refs for the rule).
"""

from __future__ import annotations

import copy

from openpyxl import Workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.table import TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from bulkops._exceptions import InputError
from bulkops.io._refs import LAST_COLUMN, shift_formula, shift_ref, shift_sqref, shifted_column


def insert_column(book: Workbook, sheet: Worksheet, at: int, header: str) -> None:
    """Insert column `at` into `sheet`; `header` names the column in a table it falls inside."""
    title = sheet.title
    _check_room(sheet)
    sheet.insert_cols(at)
    _move_dimensions(sheet, at)
    _move_merged(sheet, at)
    _move_validations(sheet, at)
    _move_conditional_formats(sheet, at)
    _move_filter(sheet, at)
    _move_views(sheet, at)
    _move_hyperlinks(sheet, at)
    _move_tables(sheet, at, header)
    _move_drawings(sheet, at)
    _move_print_settings(sheet, at)
    if sheet.col_breaks.brk:
        for brk in sheet.col_breaks.brk:
            if brk.id + 1 >= at:  # a break's id is the zero-based column it stands left of
                brk.id = shifted_column(brk.id + 1, at) - 1
    _move_names(book, title, at)
    _move_formulas(book, sheet, at)


def _check_room(sheet: Worksheet) -> None:
    if sheet.max_column >= LAST_COLUMN:
        raise InputError(f"sheet {sheet.title!r} has a value in its last column (XFD), so there is no room for the "
                         "ID column its results need; clear that column")


def _move_dimensions(sheet: Worksheet, at: int) -> None:
    """Widths, hidden columns and column formats, by the range each covers."""
    moved: dict[str, ColumnDimension] = {}
    for dimension in list(sheet.column_dimensions.values()):
        low, high = dimension.min or 0, dimension.max or 0
        if not low:
            continue
        if high < at:
            pieces = [(low, high)]
        elif low >= at:
            pieces = [(shifted_column(low, at), shifted_column(high, at))]
        else:
            pieces = [(low, at - 1), (at + 1, shifted_column(high, at))]
        for start, end in pieces:
            if start > end:
                continue
            piece = copy.copy(dimension)
            piece.index, piece.min, piece.max = get_column_letter(start), start, end
            moved[piece.index] = piece
    sheet.column_dimensions.clear()
    for key in sorted(moved, key=lambda letter: moved[letter].min):
        piece = moved[key]
        piece.parent = sheet
        sheet.column_dimensions[key] = piece


def _shift_range(ref: str, at: int) -> str:
    return shift_ref(ref, at) or ref


def _move_merged(sheet: Worksheet, at: int) -> None:
    ranges = [str(r) for r in sheet.merged_cells.ranges]
    for old in ranges:
        new = _shift_range(old, at)
        if new == old:
            continue
        sheet.merged_cells.remove(old)
        sheet.merge_cells(new)  # moved whole, or grown over the new column: its cells made to match


def _move_validations(sheet: Worksheet, at: int) -> None:
    for validation in sheet.data_validations.dataValidation:
        validation.sqref = MultiCellRange(shift_sqref(str(validation.sqref), at))
        for name in ("formula1", "formula2"):
            formula = getattr(validation, name)
            if formula:
                setattr(validation, name, shift_formula(formula, at, sheet.title, own=True))


def _move_conditional_formats(sheet: Worksheet, at: int) -> None:
    old = sheet.conditional_formatting
    fresh = ConditionalFormattingList()
    for block in old:
        sqref = shift_sqref(str(block.sqref), at)
        for rule in block.rules:
            rule.formula = [shift_formula(f, at, sheet.title, own=True) for f in rule.formula]
            fresh.add(sqref, rule)
    sheet.conditional_formatting = fresh


def _move_filter(sheet: Worksheet, at: int) -> None:
    auto = sheet.auto_filter
    if not auto.ref:
        return
    first = CellRange(auto.ref).min_col
    for column in auto.filterColumn:
        if first < at <= first + column.colId:
            column.colId += 1
    auto.ref = _shift_range(auto.ref, at)
    if auto.sortState is not None:
        auto.sortState.ref = _shift_range(str(auto.sortState.ref), at)
        for condition in auto.sortState.sortCondition:
            condition.ref = _shift_range(str(condition.ref), at)


def _move_views(sheet: Worksheet, at: int) -> None:
    for view in sheet.views.sheetView:
        if view.topLeftCell:
            view.topLeftCell = _shift_range(view.topLeftCell, at)
        pane = view.pane
        if pane is not None:
            if pane.topLeftCell:
                pane.topLeftCell = _shift_range(pane.topLeftCell, at)
            if pane.state in ("frozen", "frozenSplit") and pane.xSplit and at <= pane.xSplit:
                pane.xSplit += 1
        for selection in view.selection:
            if selection.activeCell:
                selection.activeCell = _shift_range(selection.activeCell, at)
            if selection.sqref:
                selection.sqref = shift_sqref(str(selection.sqref), at)


def _move_hyperlinks(sheet: Worksheet, at: int) -> None:
    """A hyperlink keeps the reference it was read with; the cell it belongs to has moved."""
    for row in sheet.iter_rows():
        for cell in row:
            link = cell.hyperlink
            if link is None:
                continue
            link.ref = cell.coordinate
            if link.location:
                link.location = shift_formula(link.location, at, sheet.title, own=True)


def _move_tables(sheet: Worksheet, at: int, header: str) -> None:
    for table in sheet.tables.values():
        span = CellRange(table.ref)
        if span.min_col < at <= span.max_col:
            if span.min_row != 1:
                raise ValueError(f"table {table.name!r} does not start at the header row")
            index = at - span.min_col
            new_id = max((c.id for c in table.tableColumns), default=0) + 1
            table.tableColumns.insert(index, TableColumn(id=new_id, name=header))
        table.ref = _shift_range(table.ref, at)
        if table.autoFilter is not None and table.autoFilter.ref:
            first = CellRange(table.autoFilter.ref).min_col
            for column in table.autoFilter.filterColumn:
                if first < at <= first + column.colId:
                    column.colId += 1
            table.autoFilter.ref = _shift_range(str(table.autoFilter.ref), at)


def _move_drawings(sheet: Worksheet, at: int) -> None:
    """Pictures and charts: their anchors' zero-based columns."""
    for item in [*sheet._images, *sheet._charts]:  # noqa: SLF001 - openpyxl keeps them only here
        anchor = item.anchor
        for marker in (getattr(anchor, "_from", None), getattr(anchor, "to", None)):
            if marker is not None and marker.col + 1 >= at:
                marker.col = shifted_column(marker.col + 1, at) - 1


def _move_print_settings(sheet: Worksheet, at: int) -> None:
    if sheet.print_area:
        sheet.print_area = [shift_formula(area, at, sheet.title, own=False)
                            for area in str(sheet.print_area).split(",")]
    if sheet.print_title_cols:
        sheet.print_title_cols = _shift_range(sheet.print_title_cols, at)


def _move_names(book: Workbook, title: str, at: int) -> None:
    names = list(book.defined_names.values())
    for sheet in book.worksheets:
        names += list(sheet.defined_names.values())
    for name in names:
        if name.attr_text:
            name.attr_text = shift_formula(name.attr_text, at, title, own=False)


def _move_formulas(book: Workbook, moved: Worksheet, at: int) -> None:
    """Every formula of the workbook that points at a moved cell (the sheet's own, unqualified too)."""
    for sheet in book.worksheets:
        own = sheet is moved
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                value = cell.value
                if isinstance(value, str):
                    cell.value = shift_formula(value, at, moved.title, own=own)
                elif hasattr(value, "text"):  # an array formula: its text and the range it fills
                    value.text = shift_formula(value.text, at, moved.title, own=own)
                    if own and getattr(value, "ref", None):
                        value.ref = _shift_range(value.ref, at)
