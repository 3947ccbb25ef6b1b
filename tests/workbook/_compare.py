"""Two workbooks compared cell by cell: what the quick writer must keep equal to openpyxl's."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def look(cell) -> tuple:
    fill = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
    kind = cell.data_type if cell.value is not None else None  # an empty cell has no meaningful type
    return (cell.value, kind, fill, bool(cell.font.b), cell.font.color.rgb if cell.font.color else None,
            bool(cell.quotePrefix), cell.alignment.wrap_text, cell.number_format)


def differences(one: Path, other: Path) -> list[str]:
    a, b = openpyxl.load_workbook(one), openpyxl.load_workbook(other)
    found: list[str] = []
    if a.sheetnames != b.sheetnames:
        return [f"sheets {a.sheetnames} != {b.sheetnames}"]
    for name in a.sheetnames:
        x, y = a[name], b[name]
        rows, cols = max(x.max_row, y.max_row), max(x.max_column, y.max_column)
        for row in range(1, rows + 1):
            for col in range(1, cols + 1):
                if look(x.cell(row, col)) != look(y.cell(row, col)):
                    found.append(f"{name}!{x.cell(row, col).coordinate}: {look(x.cell(row, col))} "
                                 f"!= {look(y.cell(row, col))}")
        widths = {k: round(v.width or 0, 2) for k, v in x.column_dimensions.items() if v.customWidth}
        other_widths = {k: round(v.width or 0, 2) for k, v in y.column_dimensions.items() if v.customWidth}
        for letter in set(widths) | set(other_widths):
            if widths.get(letter) != other_widths.get(letter):
                found.append(f"{name} column {letter} width {widths.get(letter)} != {other_widths.get(letter)}")
        if len(x.data_validations.dataValidation) != len(y.data_validations.dataValidation):
            found.append(f"{name}: data validations differ")
    return found
