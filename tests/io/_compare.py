"""Two workbooks compared cell by cell: what the quick writer must keep equal to openpyxl's."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl


def look(cell) -> tuple:
    fill = _rgb(cell.fill.fgColor.rgb) if cell.fill is not None and cell.fill.fill_type else None
    kind = cell.data_type if cell.value is not None else None  # an empty cell has no meaningful type
    return (cell.value, kind, fill, bool(cell.font.b), _rgb(cell.font.color.rgb) if cell.font.color else None,
            bool(cell.quotePrefix), bool(cell.alignment.wrap_text), cell.number_format)


def _rgb(color: object) -> object:
    """A colour without its alpha byte, which spreadsheet programs write differently and ignore."""
    return color[-6:] if isinstance(color, str) else color


def column_widths(sheet) -> dict[int, float]:
    """Each column's custom width, whatever range of columns its <col> covers (up to 1,000: the
    rest of a range that reaches the sheet's last column is all alike)."""
    found = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.customWidth and dimension.min:
            for column in range(dimension.min, min(dimension.max or dimension.min, 1000) + 1):
                found[column] = round(dimension.width or 0, 2)
    return found


def differences(one: Path, other: Path, *, widths: bool = True, only: Sequence[str] = ()) -> list[str]:
    """Every difference of cells, widths and sheet features; `only`: in these sheets (and then
    defined names are compared only where they point into them)."""
    a, b = openpyxl.load_workbook(one), openpyxl.load_workbook(other)
    if a.sheetnames != b.sheetnames:
        return [f"sheets {a.sheetnames} != {b.sheetnames}"]
    found: list[str] = []
    for name in only or a.sheetnames:
        x, y = a[name], b[name]
        for row in range(1, max(x.max_row, y.max_row) + 1):
            for col in range(1, max(x.max_column, y.max_column) + 1):
                if look(x.cell(row, col)) != look(y.cell(row, col)):
                    found.append(f"{name}!{x.cell(row, col).coordinate}: {look(x.cell(row, col))} "
                                 f"!= {look(y.cell(row, col))}")
        if widths and column_widths(x) != column_widths(y):
            found.append(f"{name}: column widths {column_widths(x)} != {column_widths(y)}")
        for what, of in SHEET_FEATURES.items():
            if of(x) != of(y):
                found.append(f"{name}: {what} differ: {of(x)} != {of(y)}")
    if names(a, only) != names(b, only):
        found.append(f"defined names differ: {names(a, only)} != {names(b, only)}")
    return found


def validations(sheet) -> list[tuple[str, str | None]]:
    return sorted((str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation)


def conditional_formats(sheet) -> list[tuple[str, list[str]]]:
    return sorted((str(block.sqref), [f for rule in block.rules for f in rule.formula])
                  for block in sheet.conditional_formatting)


def notes(sheet) -> list[tuple[str, str]]:
    return [(c.coordinate, c.comment.text) for r in sheet.iter_rows() for c in r if c.comment]


def hidden_columns(sheet) -> list[tuple[int, int]]:
    return sorted((d.min, d.max) for d in sheet.column_dimensions.values() if d.hidden)


def links(sheet) -> list[tuple[str, str | None, str | None]]:
    return [(c.coordinate, c.hyperlink.target, c.hyperlink.location) for r in sheet.iter_rows() for c in r
            if c.hyperlink]


def names(book, only: Sequence[str] = ()) -> dict[str, str]:
    found = {name: defined.attr_text for name, defined in book.defined_names.items()}
    for sheet in book.worksheets:
        found |= {f"{sheet.title}!{name}": defined.attr_text for name, defined in sheet.defined_names.items()}
        if sheet.print_area:
            found[f"{sheet.title}!print area"] = sheet.print_area
    return {k: v for k, v in found.items() if not only or any(title in v for title in only)}


# What else a sheet carries that must survive (and move with its columns) the same way in both.
SHEET_FEATURES = {
    "data validations": validations,
    "conditional formats": conditional_formats,
    "notes": notes,
    "merged ranges": lambda sheet: sorted(str(r) for r in sheet.merged_cells.ranges),
    "frozen panes": lambda sheet: sheet.freeze_panes,
    "auto-filters": lambda sheet: (sheet.auto_filter.ref, [c.colId for c in sheet.auto_filter.filterColumn]),
    "hidden columns": hidden_columns,
    "hyperlinks": links,
    "tables": lambda sheet: sorted((t.ref, [c.name for c in t.tableColumns]) for t in sheet.tables.values()),
}
