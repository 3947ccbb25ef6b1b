"""Two workbooks compared cell by cell: what the quick writer must keep equal to openpyxl's."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def look(cell) -> tuple:
    fill = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
    kind = cell.data_type if cell.value is not None else None  # an empty cell has no meaningful type
    return (cell.value, kind, fill, bool(cell.font.b), cell.font.color.rgb if cell.font.color else None,
            bool(cell.quotePrefix), cell.alignment.wrap_text, cell.number_format)


def column_widths(sheet) -> dict[str, float]:
    return {k: round(v.width or 0, 2) for k, v in sheet.column_dimensions.items() if v.customWidth}


def differences(one: Path, other: Path, *, widths: bool = True) -> list[str]:
    a, b = openpyxl.load_workbook(one), openpyxl.load_workbook(other)
    if a.sheetnames != b.sheetnames:
        return [f"sheets {a.sheetnames} != {b.sheetnames}"]
    found: list[str] = []
    for name in a.sheetnames:
        x, y = a[name], b[name]
        for row in range(1, max(x.max_row, y.max_row) + 1):
            for col in range(1, max(x.max_column, y.max_column) + 1):
                if look(x.cell(row, col)) != look(y.cell(row, col)):
                    found.append(f"{name}!{x.cell(row, col).coordinate}: {look(x.cell(row, col))} "
                                 f"!= {look(y.cell(row, col))}")
        if widths and column_widths(x) != column_widths(y):
            found.append(f"{name}: column widths {column_widths(x)} != {column_widths(y)}")
        if len(x.data_validations.dataValidation) != len(y.data_validations.dataValidation):
            found.append(f"{name}: data validations differ")
        if [c.coordinate for r in x.iter_rows() for c in r if c.comment] != \
                [c.coordinate for r in y.iter_rows() for c in r if c.comment]:
            found.append(f"{name}: notes differ")
    return found
