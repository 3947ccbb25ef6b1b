"""The values a workbook saved for its formula cells, for the openpyxl path (which reads formulas,
not values): what makes LibreOffice's `TRUE()` a plain TRUE, and what a refused formula "shows".

calamine gives saved values quickly (it reads nothing else), so they come from calamine's reading
of the sheet, row for row (both readers start at A1). calamine gives an error value (`#DIV/0!`) as
"", like no value at all, so for a formula cell calamine shows blank the row is read once more by a
data-only openpyxl book, opened then (rare: most formulas have a value): the same parser over the
same XML, so its rows are the sheet's rows, in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bulkops.io._fastread import open_book
from bulkops.kinds import Formula, constant_of


class SavedValues:
    """One workbook's saved values, sheet by sheet; `calamine` is its calamine book if open already;
    without `quick`, calamine is not used (openpyxl alone reads the values)."""

    def __init__(self, path: Path, calamine: Any = None, *, quick: bool = True) -> None:
        self.path, self.calamine, self.quick, self.exact_book = path, calamine, quick, None

    def of_sheet(self, title: str) -> SheetSaved:
        return SheetSaved(self, title)

    def quick_rows(self, title: str) -> list[list[Any]]:
        if not self.quick:
            return []
        try:
            if self.calamine is None:
                self.calamine = open_book(self.path)
            return self.calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 - calamine only speeds this up: openpyxl, which read the file, answers
            return []

    def exact_rows(self, title: str) -> Iterator[tuple[Any, ...]]:
        if self.exact_book is None:
            import openpyxl

            self.exact_book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        return self.exact_book[title].iter_rows(values_only=True)

    def close(self) -> None:
        if self.exact_book is not None:
            self.exact_book.close()


class SheetSaved:
    """A sheet's saved values, read when the first formula cell asks."""

    def __init__(self, book: SavedValues, title: str) -> None:
        self.book, self.title = book, title
        self.quick: list[list[Any]] | None = None
        self.exact: Iterator[tuple[Any, ...]] | None = None
        self.exact_at, self.exact_row = -1, ()  # the data-only pass's current row (0-based) and its values

    def value(self, row: int, column: int) -> Any:
        """The saved value of the cell at 0-based `row` and `column`; None when it has none."""
        if self.quick is None:
            self.quick = self.book.quick_rows(self.title)
        cells = self.quick[row] if row < len(self.quick) else ()
        value = cells[column] if column < len(cells) else None
        if value is None or value == "":
            value = self._exact(row, column)
        return value

    def _exact(self, row: int, column: int) -> Any:
        if self.exact is None:
            self.exact = self.book.exact_rows(self.title)
        while self.exact_at < row:  # rows are asked for in order: the pass only moves forward
            self.exact_row = next(self.exact, ())
            self.exact_at += 1
        return self.exact_row[column] if self.exact_at == row and column < len(self.exact_row) else None


def formula_value(formula: Any, shown: Any) -> Any:
    """A constant formula saved with its own value is that value; any other formula is a `Formula`."""
    text = formula_text(formula)
    constant = constant_of(text, shown) if isinstance(formula, str) else None  # not an array formula
    return Formula(text, shown) if constant is None else constant


def formula_text(formula: Any) -> str:
    """openpyxl gives a formula as its text (`=B2*2`), an array formula as an object holding it, and
    a data table as an object holding only its inputs."""
    if isinstance(formula, str):
        return formula
    text = getattr(formula, "text", None)
    if isinstance(text, str) and text:
        return "{" + text + "}"  # as spreadsheets show an array formula
    inputs = ",".join(str(getattr(formula, name, None) or "") for name in ("r1", "r2")).strip(",")
    return f"{{=TABLE({inputs})}}"
