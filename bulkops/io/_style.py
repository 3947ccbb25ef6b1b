"""Shared look of the workbooks bulkops writes, and the one place cells from outside are made safe."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
OUTPUT_HEADER_FILL = PatternFill("solid", fgColor="7F7F7F")
FAILED_FILL = PatternFill("solid", fgColor="F8CBAD")
INVALID_FILL = PatternFill("solid", fgColor="FFE699")
WRAP = Alignment(wrap_text=True, vertical="top")

# Spreadsheets run a cell as a formula when its text starts with one of these (OWASP's list, plus
# line feed and the full-width forms that some spreadsheet programs also honour).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def needs_neutralising(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def write_safe(cell: Cell, value: Any) -> None:
    """Write a value that came from outside so that no spreadsheet evaluates it.

    Text is stored as a string cell with Excel's quote prefix: it shows exactly as written and is
    never a formula (openpyxl would otherwise turn any text starting with '=' into a formula).
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if needs_neutralising(value):
            cell.quotePrefix = True


def csv_safe(value: Any) -> Any:
    """The CSV form of the same rule: a leading apostrophe, which spreadsheet programs hide."""
    if isinstance(value, str) and needs_neutralising(value):
        return "'" + value
    return value
